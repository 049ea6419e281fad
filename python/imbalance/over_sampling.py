"""Over-samplers with imbalanced-learn's API (imblearn.over_sampling), computed by the C++ library.

``from imbalance.over_sampling import SMOTE`` replaces ``from imblearn.over_sampling import SMOTE``:
the same parameters and defaults, the same sampling_strategy. Seeded methods draw from the C++
generator: an int random_state gives the same bytes as ``imbalance-resample --seed``, not
imbalanced-learn's draws (see the README for what is equal and what is not).
"""

import numbers

import numpy as np

from ._base import BaseSampler, _register
from ._validation import check_choice, check_int, check_real, kmeans_of, neighbours_of

__all__ = ["RandomOverSampler", "SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTENC", "SMOTEN", "KMeansSMOTE", "SVMSMOTE"]


class _OverSampler(BaseSampler):
    _sampling_type = "over-sampling"


class RandomOverSampler(_OverSampler):
    """Random over-sampling (rows drawn with replacement), or with ``shrinkage`` a smoothed
    bootstrap (Menardi & Torelli 2014). imbalanced-learn's RandomOverSampler; a per-class dict of
    shrinkage factors is not supported (one factor for every class)."""

    _has_sample_indices = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _method(self, X):
        if isinstance(self.shrinkage, dict):
            raise ValueError("The 'shrinkage' parameter: a per-class dict is not supported; give one float for "
                             f"every class (got {self.shrinkage!r}).")
        shrinkage = check_real("shrinkage", self.shrinkage, 0, allow_none=True)
        self.shrinkage_ = None if shrinkage is None else {label: shrinkage for label in self.sampling_strategy_}
        return "random-over", ({} if shrinkage is None else {"shrinkage": shrinkage})


class SMOTE(_OverSampler):
    """SMOTE (Chawla et al. 2002): each new sample interpolates a minority sample towards one of
    its k nearest same-class neighbours. imbalanced-learn's SMOTE (k_neighbors=5)."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _method(self, X):
        return "smote", {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1)}


class BorderlineSMOTE(_OverSampler):
    """Borderline-SMOTE (Han et al. 2005): SMOTE from the minority samples in danger (half or more
    of their m nearest neighbours of another class); kind 'borderline-1' or 'borderline-2'."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None,
                 m_neighbors=10, kind="borderline-1"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.m_neighbors = m_neighbors
        self.kind = kind

    def _method(self, X):
        kind = check_choice("kind", self.kind, ("borderline-1", "borderline-2"))
        return ("borderline-smote" if kind == "borderline-1" else "borderline-smote-2",
                {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1),
                 "m-neighbors": neighbours_of("m_neighbors", self.m_neighbors, 1)})


class ADASYN(_OverSampler):
    """ADASYN (He et al. 2008): more synthetic samples where the minority is harder to learn."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs

    def _method(self, X):
        return "adasyn", {"k-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 1)}


class SMOTENC(_OverSampler):
    """SMOTE-NC (Chawla et al. 2002) for continuous and categorical columns: ``categorical_features``
    are column indices or a boolean mask; categorical columns may hold strings or numbers."""

    _categorical_input = True

    def __init__(self, categorical_features, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 n_jobs=None):
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _categorical_columns(self, X):
        features = np.asarray(self.categorical_features)
        n = X.shape[1]
        if features.dtype == bool:
            if features.size != n:
                raise ValueError(f"The 'categorical_features' mask has {features.size} entries for {n} features.")
            columns = np.flatnonzero(features)
        elif features.size and np.issubdtype(features.dtype, np.integer):
            columns = np.where(features < 0, features + n, features)
            if np.any(columns < 0) or np.any(columns >= n):
                raise ValueError(f"The 'categorical_features' parameter names columns outside [0, {n}) "
                                 f"(got {self.categorical_features!r}).")
        else:
            raise ValueError("The 'categorical_features' parameter must be column indices or a boolean mask "
                             f"(got {self.categorical_features!r}).")
        if columns.size == 0 or columns.size == n:
            raise ValueError(f"SMOTE-NC needs some categorical and some continuous features (categorical_features "
                             f"names {columns.size} of {n}); use SMOTE for none and SMOTEN for all.")
        return sorted(set(int(c) for c in columns))

    def _method(self, X):
        self._categorical_columns(X)
        return "smotenc", {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1)}

    def _more_tags(self):
        # As imbalanced-learn's SMOTENC: no sparse input, and not every column categorical.
        return {"X_types": ["2darray", "dataframe"]}


class SMOTEN(_OverSampler):
    """SMOTE-N (Chawla et al. 2002) for categorical features only (value difference metric)."""

    _categorical_input = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _categorical_columns(self, X):
        return list(range(X.shape[1]))

    def _method(self, X):
        return "smoten", {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1)}

    def _more_tags(self):
        # As imbalanced-learn's SMOTEN: categories of any type, no sparse input.
        return {"X_types": ["2darray", "dataframe", "string"]}


class KMeansSMOTE(_OverSampler):
    """K-Means SMOTE (Douzas et al. 2018): SMOTE inside the k-means clusters where the minority is
    dense enough. ``kmeans_estimator``: None (8 clusters), an int (clusters) or a KMeans /
    MiniBatchKMeans whose n_clusters and n_init are used."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=2, n_jobs=None,
                 kmeans_estimator=None, cluster_balance_threshold="auto", density_exponent="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _method(self, X):
        options = {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1)}
        km = self.kmeans_estimator
        if isinstance(km, numbers.Integral) and not isinstance(km, bool):
            options["n-clusters"] = check_int("kmeans_estimator", km, 1)
        elif km is not None:
            if isinstance(km, str):
                raise ValueError(f"The 'kmeans_estimator' parameter must be None, an int or a KMeans / MiniBatchKMeans "
                                 f"(got {km!r}).")
            options["n-clusters"], options["n-init"] = kmeans_of("kmeans_estimator", km, 3)
        if self.cluster_balance_threshold != "auto":
            options["cluster-balance-threshold"] = check_real("cluster_balance_threshold",
                                                              self.cluster_balance_threshold, 0, 1)
        if self.density_exponent != "auto":
            options["density-exponent"] = check_real("density_exponent", self.density_exponent)
        return "kmeans-smote", options


class SVMSMOTE(_OverSampler):
    """SVM-SMOTE (Nguyen et al. 2011): SMOTE from the support vectors of an RBF SVM (the
    library's own; ``svm_estimator`` must be None)."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None, m_neighbors=10,
                 svm_estimator=None, out_step=0.5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _method(self, X):
        if self.svm_estimator is not None:
            raise ValueError("The 'svm_estimator' parameter must be None: the library trains its own RBF SVM "
                             f"(C = 1, gamma = 'scale', as scikit-learn's SVC default); got {self.svm_estimator!r}.")
        return "svm-smote", {"k-neighbors": neighbours_of("k_neighbors", self.k_neighbors, 1),
                             "m-neighbors": neighbours_of("m_neighbors", self.m_neighbors, 1),
                             "out-step": check_real("out_step", self.out_step, 0)}


for _cls in (RandomOverSampler, SMOTE, BorderlineSMOTE, ADASYN, SMOTENC, SMOTEN, KMeansSMOTE, SVMSMOTE):
    _register(_cls, "over-sampling")
