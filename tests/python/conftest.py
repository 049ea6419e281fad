"""Shared fixtures of the Python package's tests (run by ctest with PYTHONPATH=<build>/python)."""

import warnings

import pytest
from sklearn.datasets import make_classification


@pytest.fixture(autouse=True)
def _quiet_peer_warnings():
    # scikit-learn's and imbalanced-learn's FutureWarnings about their own defaults are not ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        yield


def three_classes(n=600, seed=0, features=6):
    X, y = make_classification(n_samples=n, n_features=features, n_informative=4, n_redundant=0, n_classes=3,
                               weights=[0.15, 0.3, 0.55], class_sep=0.8, random_state=seed)
    return X, y
