"""SMOTE followed by a cleaning step, with imbalanced-learn's API (imblearn.combine)."""

from .over_sampling import _OverSampler
from ._validation import neighbours_of

__all__ = ["SMOTEENN", "SMOTETomek"]


def _smote_of(sampler):
    """The SMOTE step's sampling_strategy and k: the combined sampler's own, or those of the SMOTE
    object given (this package's or imbalanced-learn's)."""
    if sampler.smote is None:
        return sampler.sampling_strategy, 5
    if type(sampler.smote).__name__ != "SMOTE":
        raise ValueError(f"The 'smote' parameter must be None or a SMOTE (got {sampler.smote!r}).")
    return sampler.smote.sampling_strategy, neighbours_of("smote.k_neighbors", sampler.smote.k_neighbors, 1)


def _check_cleaner(name, cleaner, expected_type, expected):
    """A cleaning step given as an object must be the one the library runs (its defaults, on all classes)."""
    if cleaner is None:
        return
    params = cleaner.get_params() if hasattr(cleaner, "get_params") else None
    if type(cleaner).__name__ != expected_type or params is None or any(
            params.get(key) != value for key, value in expected.items()):
        wanted = ", ".join(f"{k}={v!r}" for k, v in expected.items())
        raise ValueError(f"The '{name}' parameter must be None or {expected_type}({wanted}) (the cleaning step the "
                         f"library runs); got {cleaner!r}.")


class _Combined(_OverSampler):
    """Over-sampling, then cleaning: the class counts end below the targets (imbalanced-learn's
    SMOTEENN and SMOTETomek are plain BaseSamplers, not over-samplers, for the same reason)."""

    def _strategy_param(self):
        # The SMOTE step's strategy decides (imbalanced-learn: the SMOTE object's own when given).
        return _smote_of(self)[0]


class SMOTEENN(_Combined):
    """SMOTE, then edited nearest neighbours on every class (Batista et al. 2004)."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _method(self, X):
        _check_cleaner("enn", self.enn, "EditedNearestNeighbours",
                       {"sampling_strategy": "all", "n_neighbors": 3, "kind_sel": "all"})
        return "smote-enn", {"k-neighbors": _smote_of(self)[1]}


class SMOTETomek(_Combined):
    """SMOTE, then Tomek links removed from every class (Batista et al. 2003)."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, tomek=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _method(self, X):
        _check_cleaner("tomek", self.tomek, "TomekLinks", {"sampling_strategy": "all"})
        return "smote-tomek", {"k-neighbors": _smote_of(self)[1]}

