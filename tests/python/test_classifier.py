"""ImbalancedSoftmaxClassifier: scikit-learn's own estimator checks (check_estimator's list, via
parametrize_with_checks), the same model as the C++ tool, imbalance-aware training that works."""

import pickle

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from conftest import three_classes
from imbalance import ImbalancedSoftmaxClassifier
from imbalance.over_sampling import SMOTE


@parametrize_with_checks([ImbalancedSoftmaxClassifier(random_state=0),
                          ImbalancedSoftmaxClassifier(loss="ldam-drw", hidden_units=16, batch_sampler="sqrt",
                                                      random_state=0),
                          ImbalancedSoftmaxClassifier(loss="ce", posthoc="la", resampler="random-over",
                                                      random_state=0)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _long_tailed(seed=0, test=False):
    """The first half of one data set made long-tailed (class 0 kept at 6 %, class 1 at 30 %), or
    its second half as it is (the test rows)."""
    X, y = three_classes(n=6000, seed=seed)
    half = len(y) // 2
    if test:
        return X[half:], y[half:]
    X, y = X[:half], y[:half]
    rng = np.random.RandomState(seed)
    keep = (y == 2) | ((y == 1) & (rng.rand(len(y)) < 0.3)) | ((y == 0) & (rng.rand(len(y)) < 0.06))
    return X[keep], y[keep]


def test_long_tailed_losses_raise_balanced_accuracy():
    X, y = _long_tailed()
    X_test, y_test = _long_tailed(test=True)
    plain = ImbalancedSoftmaxClassifier(random_state=0).fit(X, y)
    balanced = ImbalancedSoftmaxClassifier(loss="bs", random_state=0).fit(X, y)
    a = balanced_accuracy_score(y_test, plain.predict(X_test))
    b = balanced_accuracy_score(y_test, balanced.predict(X_test))
    assert b > a + 0.1, (a, b)  # measured: 0.44 -> 0.66


def test_same_seed_same_model_any_threads_and_pickle():
    X, y = _long_tailed()
    one = ImbalancedSoftmaxClassifier(hidden_units=8, random_state=4, n_jobs=1).fit(X, y)
    two = ImbalancedSoftmaxClassifier(hidden_units=8, random_state=4, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(one.predict_proba(X), two.predict_proba(X))
    again = pickle.loads(pickle.dumps(one))
    np.testing.assert_array_equal(one.predict_proba(X), again.predict_proba(X))


def test_errors():
    X, y = _long_tailed()
    with pytest.raises(NotFittedError):
        ImbalancedSoftmaxClassifier().predict(X)
    with pytest.raises(ValueError, match="'loss'.*'nope'"):
        ImbalancedSoftmaxClassifier(loss="nope").fit(X, y)
    with pytest.raises(ValueError, match="'epochs'.*>= 1"):
        ImbalancedSoftmaxClassifier(epochs=0).fit(X, y)
    with pytest.raises(ValueError, match="gamma"):
        ImbalancedSoftmaxClassifier(loss="focal", loss_options={"gamma": -2}).fit(X, y)
    with pytest.raises(ValueError, match="la"):
        ImbalancedSoftmaxClassifier(loss="la", posthoc="la").fit(X, y)
    fitted = ImbalancedSoftmaxClassifier(epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        fitted.predict(X[:, :3])


def test_in_a_pipeline_and_grid_search():
    from imblearn.pipeline import make_pipeline

    X, y = _long_tailed()
    pipe = make_pipeline(SMOTE(random_state=0), ImbalancedSoftmaxClassifier(epochs=5, random_state=0))
    search = GridSearchCV(pipe, {"imbalancedsoftmaxclassifier__loss": ["ce", "la"]}, cv=3,
                          scoring="balanced_accuracy").fit(X, y)
    assert search.best_score_ > 0.5
