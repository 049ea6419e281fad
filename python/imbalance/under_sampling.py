"""Under-samplers and cleaning samplers with imbalanced-learn's API (imblearn.under_sampling),
computed by the C++ library. The deterministic ones (NearMiss, TomekLinks, the ENN family,
NeighbourhoodCleaningRule) keep imbalanced-learn's very rows (sample_indices_)."""

from ._base import BaseSampler, _register
from ._validation import check_bool, check_choice, check_int, check_real, kmeans_of, neighbours_of

__all__ = ["RandomUnderSampler", "NearMiss", "TomekLinks", "EditedNearestNeighbours",
           "RepeatedEditedNearestNeighbours", "AllKNN", "CondensedNearestNeighbour", "OneSidedSelection",
           "NeighbourhoodCleaningRule", "InstanceHardnessThreshold", "ClusterCentroids"]


class _UnderSampler(BaseSampler):
    _sampling_type = "under-sampling"
    _has_sample_indices = True


class _CleaningSampler(BaseSampler):
    _sampling_type = "clean-sampling"
    _has_sample_indices = True


def _kind_mode(kind_sel):
    return 1 if check_choice("kind_sel", kind_sel, ("all", "mode")) == "mode" else 0


class RandomUnderSampler(_UnderSampler):
    """Random under-sampling: each targeted class keeps rows drawn at random (without replacement
    unless ``replacement``)."""

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _method(self, X):
        return "random-under", {"replacement": 1 if check_bool("replacement", self.replacement) else 0}


class NearMiss(_UnderSampler):
    """NearMiss versions 1, 2, 3 (Zhang & Mani 2003): keep the majority samples by their mean
    distance to the nearest (1, 3) or farthest (2) minority samples. Deterministic."""

    def __init__(self, *, sampling_strategy="auto", version=1, n_neighbors=3, n_neighbors_ver3=3, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _method(self, X):
        version = check_int("version", self.version, 1, 3)
        options = {"n-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 0)}
        if version == 3:
            options["n-neighbors-ver3"] = neighbours_of("n_neighbors_ver3", self.n_neighbors_ver3, 0)
        return f"near-miss-{version}", options


class TomekLinks(_CleaningSampler):
    """Tomek links removal (Tomek 1976): the targeted samples of each mutual nearest-neighbour pair
    of different classes are removed. Deterministic."""

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs

    def _method(self, X):
        return "tomek", {}


class EditedNearestNeighbours(_CleaningSampler):
    """Edited nearest neighbours (Wilson 1972): a targeted sample is removed unless its
    n_neighbors nearest neighbours agree with it (kind_sel 'all') or mostly do ('mode')."""

    _rows_by_class = True

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _method(self, X):
        return "enn", {"enn-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 1),
                       "kind-mode": _kind_mode(self.kind_sel)}


class RepeatedEditedNearestNeighbours(_CleaningSampler):
    """Repeated ENN (Tomek 1976): ENN until nothing changes or max_iter passes."""

    _rows_by_class = True

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100, kind_sel="all", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _method(self, X):
        return "renn", {"n-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 1),
                        "max-iter": check_int("max_iter", self.max_iter, 1), "kind-mode": _kind_mode(self.kind_sel)}


class AllKNN(_CleaningSampler):
    """AllKNN (Tomek 1976): ENN with 1, 2, ..., n_neighbors neighbours."""

    _rows_by_class = True

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", allow_minority=False, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _method(self, X):
        return "all-knn", {"n-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 1),
                           "allow-minority": 1 if check_bool("allow_minority", self.allow_minority) else 0,
                           "kind-mode": _kind_mode(self.kind_sel)}


class _CondensedSampler(_CleaningSampler):
    """What CNN and OSS share: a store seeded with n_seeds_S samples of the class, grown by the
    samples its n_neighbors-NN rule misclassifies."""

    _registry_name = None

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=None, n_seeds_S=1, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _method(self, X):
        n = 1 if self.n_neighbors is None else neighbours_of("n_neighbors", self.n_neighbors, 0)
        return self._registry_name, {"n-neighbors": n, "n-seeds": check_int("n_seeds_S", self.n_seeds_S, 1)}


class CondensedNearestNeighbour(_CondensedSampler):
    """Condensed nearest neighbour (Hart 1968): a store that 1-NN classifies the class correctly."""

    _registry_name = "cnn"


class OneSidedSelection(_CondensedSampler):
    """One-sided selection (Kubat & Matwin 1997): a CNN store, then Tomek links removed."""

    _registry_name = "oss"


class NeighbourhoodCleaningRule(_CleaningSampler):
    """Neighbourhood cleaning rule (Laurikkala 2001), as imbalanced-learn 0.10 (kind_sel, the
    threshold on the class share). Deterministic."""

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", threshold_cleaning=0.5,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _method(self, X):
        return "ncr-0.10", {"n-neighbors": neighbours_of("n_neighbors", self.n_neighbors, 1),
                            "threshold-cleaning": check_real("threshold_cleaning", self.threshold_cleaning, 0, 1),
                            "kind-mode": _kind_mode(self.kind_sel)}


class InstanceHardnessThreshold(_UnderSampler):
    """Instance hardness threshold (Smith et al. 2014): keeps the samples a classifier finds easiest
    in cross-validation. The classifier is the library's softmax regression (``estimator`` must be
    None: imbalanced-learn's default random forest is not available), so the kept rows differ
    from imbalanced-learn's."""

    def __init__(self, *, estimator=None, sampling_strategy="auto", random_state=None, cv=5, n_jobs=None):
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _method(self, X):
        if self.estimator is not None:
            raise ValueError("The 'estimator' parameter must be None: the library's instance hardness comes from its "
                             f"own softmax regression in stratified K-fold (got {self.estimator!r}).")
        return "iht", {"cv": check_int("cv", self.cv, 2)}


class ClusterCentroids(_UnderSampler):
    """ClusterCentroids (Yen & Lee 2009): a class is replaced by the centroids of a k-means of it
    (voting 'soft'), or by the samples nearest them ('hard'; 'auto': hard for sparse input).
    ``estimator``: None or a KMeans / MiniBatchKMeans whose n_init is used."""

    _has_sample_indices = False

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None, voting="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _method(self, X):
        from scipy import sparse

        voting = check_choice("voting", self.voting, ("auto", "hard", "soft"))
        if voting == "auto":
            voting = "hard" if sparse.issparse(X) else "soft"
        options = {}
        if self.estimator is not None:
            # Its n_clusters is set by sampling_strategy, as in imbalanced-learn.
            options["n-init"] = kmeans_of("estimator", self.estimator, 10)[1]
        return ("cluster-centroids-hard" if voting == "hard" else "cluster-centroids"), options


for _cls in (RandomUnderSampler, NearMiss, InstanceHardnessThreshold, ClusterCentroids):
    _register(_cls, "under-sampling")
for _cls in (TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN, CondensedNearestNeighbour,
             OneSidedSelection, NeighbourhoodCleaningRule):
    _register(_cls, "clean-sampling")
