"""Bad input to the samplers: scikit-learn's exception types, messages that name the argument and
the value; never a crash, never a NaN."""

import numpy as np
import pytest

from conftest import three_classes
from imbalance import combine, over_sampling, under_sampling


@pytest.mark.parametrize("sampler, message", [
    (over_sampling.SMOTE(k_neighbors=0), "'k_neighbors'.*>= 1.*0"),
    (over_sampling.SMOTE(k_neighbors=2.5), "'k_neighbors'.*2.5"),
    (over_sampling.SMOTE(n_jobs=0), "'n_jobs'"),
    (over_sampling.SMOTE(random_state=-3), "'random_state'.*-3"),
    (over_sampling.SMOTE(random_state="seed"), "'random_state'.*seed"),
    (over_sampling.BorderlineSMOTE(kind="borderline-3"), "'kind'.*borderline-3"),
    (over_sampling.RandomOverSampler(shrinkage=-1.0), "'shrinkage'.*-1"),
    (over_sampling.RandomOverSampler(shrinkage={0: 1.0}), "'shrinkage'.*per-class"),
    (over_sampling.SVMSMOTE(svm_estimator=object()), "'svm_estimator'"),
    (over_sampling.KMeansSMOTE(kmeans_estimator="many"), "'kmeans_estimator'.*many"),
    (under_sampling.NearMiss(version=4), "'version'.*<= 3.*4"),
    (under_sampling.EditedNearestNeighbours(kind_sel="most"), "'kind_sel'.*most"),
    (under_sampling.RandomUnderSampler(replacement="yes"), "'replacement'"),
    (under_sampling.InstanceHardnessThreshold(estimator=object()), "'estimator'"),
    (under_sampling.InstanceHardnessThreshold(cv=1), "'cv'.*>= 2.*1"),
    (under_sampling.ClusterCentroids(voting="maybe"), "'voting'.*maybe"),
    (combine.SMOTEENN(enn=under_sampling.EditedNearestNeighbours(n_neighbors=7)), "'enn'"),
    (over_sampling.SMOTE(sampling_strategy="most"), "'sampling_strategy'.*most"),
    (over_sampling.SMOTE(sampling_strategy={0: 10}), "fewer than its"),
    (over_sampling.SMOTE(sampling_strategy="majority"), "'majority' cannot be used with over-sampling"),
    (under_sampling.RandomUnderSampler(sampling_strategy={2: 10**6}), "has only"),
    (over_sampling.SMOTE(sampling_strategy=0.5), "binary"),
    (over_sampling.SMOTE(sampling_strategy=[0, 1]), "list only for cleaning"),
])
def test_bad_parameters_raise_and_name_them(sampler, message):
    X, y = three_classes()
    with pytest.raises((ValueError, TypeError), match=message):
        sampler.fit_resample(X, y)


def test_bad_data():
    X, y = three_classes()
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        over_sampling.SMOTE().fit_resample(bad, y)
    bad[3, 2] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        under_sampling.TomekLinks().fit_resample(bad, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        over_sampling.SMOTE().fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="Unknown label type: 'continuous'"):
        over_sampling.SMOTE().fit_resample(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="class"):
        over_sampling.SMOTE().fit_resample(X, np.zeros(len(y)))
    with pytest.raises(ValueError):
        over_sampling.SMOTE().fit_resample(np.empty((0, 3)), np.empty(0))
    # A class too small for its neighbours: the library's message names the class and k.
    X_small, y_small = X[:40], np.r_[np.zeros(37), np.ones(3)]
    with pytest.raises(ValueError, match="k_neighbors|neighbo"):
        over_sampling.SMOTE(k_neighbors=5).fit_resample(X_small, y_small)


def test_outputs_are_finite():
    X, y = three_classes()
    for sampler in (over_sampling.SMOTE(random_state=0), over_sampling.ADASYN(random_state=0),
                    combine.SMOTETomek(random_state=0), under_sampling.ClusterCentroids(random_state=0)):
        X_res, _ = sampler.fit_resample(X, y)
        assert np.isfinite(X_res).all()
