"""imbalanced-learn's own sampler checks (imblearn.utils.estimator_checks, the list it runs on its
own samplers) on every sampler of the package. Seeded samplers get random_state=0, as in
imbalanced-learn's own test suite (the checks compare two runs). The checks that fail are marked
xfail with the reason, and listed in the README."""

import pytest
from imblearn.utils.estimator_checks import _set_checking_parameters, parametrize_with_checks
from sklearn.utils._testing import set_random_state

from imbalance import combine, over_sampling, under_sampling

# (sampler class name, check name) -> why it fails (imbalanced-learn's own sampler fails it too).
KNOWN = {
    ("NearMiss", "check_samplers_fit_resample"):
        "NearMiss-3 keeps at most n_neighbors_ver3 neighbours of each minority sample, so a class can end "
        "below the minority's count; imbalanced-learn's NearMiss(version=3) fails this check too",
    ("KMeansSMOTE", "check_samplers_fit"):
        "12 k-means clusters of 30 uniform points rarely hold a cluster with >= 50 % and >= 3 samples of the "
        "minority: the sampler refuses, as imbalanced-learn's does for 12 of 20 seeds (ours: 14 of 20)",
}


def _samplers():
    seeded = [
        over_sampling.RandomOverSampler(), over_sampling.RandomOverSampler(shrinkage=0.5), over_sampling.SMOTE(),
        over_sampling.BorderlineSMOTE(), over_sampling.BorderlineSMOTE(kind="borderline-2"), over_sampling.ADASYN(),
        over_sampling.SMOTENC(categorical_features=[0]), over_sampling.SMOTEN(), over_sampling.KMeansSMOTE(),
        over_sampling.SVMSMOTE(), under_sampling.RandomUnderSampler(),
        under_sampling.RandomUnderSampler(replacement=True), under_sampling.CondensedNearestNeighbour(),
        under_sampling.OneSidedSelection(), under_sampling.InstanceHardnessThreshold(),
        under_sampling.ClusterCentroids(), under_sampling.ClusterCentroids(voting="hard"), combine.SMOTEENN(),
        combine.SMOTETomek(),
    ]
    deterministic = [
        under_sampling.NearMiss(), under_sampling.NearMiss(version=2), under_sampling.NearMiss(version=3),
        under_sampling.TomekLinks(), under_sampling.EditedNearestNeighbours(),
        under_sampling.EditedNearestNeighbours(kind_sel="mode"), under_sampling.RepeatedEditedNearestNeighbours(),
        under_sampling.AllKNN(), under_sampling.NeighbourhoodCleaningRule(),
    ]
    for sampler in seeded + deterministic:
        _set_checking_parameters(sampler)
        set_random_state(sampler, 0)
    return seeded + deterministic


@parametrize_with_checks(_samplers())
def test_imblearn_sampler_checks(estimator, check, request):
    name = check.func.__name__ if hasattr(check, "func") else check.__name__
    params = estimator.get_params()
    key = (type(estimator).__name__, name)
    if key in KNOWN and (key[0] != "NearMiss" or params.get("version") == 3):
        # strict: a check that starts to pass must be taken off the list (and the README's).
        request.applymarker(pytest.mark.xfail(reason=KNOWN[key], strict=True))
    check(estimator)
