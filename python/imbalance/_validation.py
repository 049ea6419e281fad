"""Shared validation of parameters and arrays (messages name the parameter and the value)."""

import numbers
import os

import numpy as np
from sklearn.utils import check_random_state

_INT32_MAX = np.iinfo(np.int32).max


def check_int(name, value, minimum=None, maximum=None, allow_none=False):
    """An integer parameter (bool refused), within [minimum, maximum]."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"The '{name}' parameter must be an int (got {value!r} of type {type(value).__name__}).")
    if minimum is not None and value < minimum:
        raise ValueError(f"The '{name}' parameter must be >= {minimum} (got {value!r}).")
    if maximum is not None and value > maximum:
        raise ValueError(f"The '{name}' parameter must be <= {maximum} (got {value!r}).")
    return int(value)


def check_real(name, value, minimum=None, maximum=None, allow_none=False):
    """A finite real parameter within [minimum, maximum]."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"The '{name}' parameter must be a float (got {value!r} of type {type(value).__name__}).")
    if not np.isfinite(value):
        raise ValueError(f"The '{name}' parameter must be finite (got {value!r}).")
    if minimum is not None and value < minimum:
        raise ValueError(f"The '{name}' parameter must be >= {minimum} (got {value!r}).")
    if maximum is not None and value > maximum:
        raise ValueError(f"The '{name}' parameter must be <= {maximum} (got {value!r}).")
    return float(value)


def check_choice(name, value, choices):
    """One of the strings in choices."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"The '{name}' parameter must be one of {listed} (got {value!r}).")
    return value


def check_bool(name, value):
    """A bool parameter."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"The '{name}' parameter must be a bool (got {value!r}).")
    return bool(value)


def threads_of(n_jobs):
    """scikit-learn's n_jobs as a thread count: None -> 1, -1 -> every core, -2 -> all but one."""
    if n_jobs is None:
        return 1
    n_jobs = check_int("n_jobs", n_jobs)
    if n_jobs == 0:
        raise ValueError("The 'n_jobs' parameter must not be 0 (None or 1: one thread, -1: every core).")
    cores = os.cpu_count() or 1
    return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)


def seed_of(random_state):
    """The C++ generator's seed: an int random_state is the seed itself (the same seed as
    ``imbalance-resample --seed``); None or a RandomState draws one from that generator."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0 or random_state > np.iinfo(np.uint64).max:
            raise ValueError(f"The 'random_state' parameter must be in [0, 2**64 - 1] (got {random_state!r}).")
        return int(random_state)
    if random_state is not None and not isinstance(random_state, np.random.RandomState):
        raise ValueError(
            f"The 'random_state' parameter must be None, an int or a numpy RandomState (got {random_state!r}).")
    return int(check_random_state(random_state).randint(0, _INT32_MAX))


def neighbours_of(name, value, additional_neighbor):
    """An int number of neighbours, or a NearestNeighbors-like object whose Euclidean neighbours
    the library can honour (its n_neighbors counts the sample itself when additional_neighbor)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return check_int(name, value, 1)
    n = getattr(value, "n_neighbors", None)
    if n is None or not hasattr(value, "kneighbors"):
        raise ValueError(
            f"The '{name}' parameter must be an int or a NearestNeighbors-like object with n_neighbors (got {value!r}).")
    metric = getattr(value, "metric", "minkowski")
    p = getattr(value, "p", 2)
    if not ((metric == "minkowski" and p == 2) or metric in ("euclidean", "l2")):
        raise ValueError(
            f"The '{name}' parameter: the library searches Euclidean neighbours exactly; "
            f"a neighbours object with metric={metric!r}, p={p!r} cannot be honoured.")
    k = int(n) - additional_neighbor
    if k < 1:
        raise ValueError(f"The '{name}' parameter: its n_neighbors={n} leaves no neighbour besides the sample itself.")
    return k


def kmeans_of(name, estimator, default_n_init):
    """The n_clusters and n_init of a KMeans / MiniBatchKMeans given as an estimator parameter
    (the library runs its own k-means with them); n_init 'auto' / 'warn' keeps default_n_init."""
    if type(estimator).__name__ not in ("KMeans", "MiniBatchKMeans"):
        raise ValueError(f"The '{name}' parameter must be None or a KMeans / MiniBatchKMeans (got {estimator!r}).")
    n_init = getattr(estimator, "n_init", default_n_init)
    n_init = default_n_init if isinstance(n_init, str) else check_int(f"{name}.n_init", n_init, 1)
    return check_int(f"{name}.n_clusters", estimator.n_clusters, 1), n_init
