"""The samplers' shared machinery: imbalanced-learn's BaseSampler contract over the C++ registry.

A sampler validates X and y as imbalanced-learn does (the same messages for the same mistakes),
encodes the labels as 0..K-1 in sorted order, hands sampling_strategy over in those codes, lets the
C++ library resample, and gives back what came in: numpy arrays of the input dtype, pandas
DataFrames / Series with their column names and dtypes, lists, sparse matrices.
"""

import numbers
from collections import OrderedDict

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

try:  # scikit-learn >= 1.2
    from sklearn.base import OneToOneFeatureMixin
except ImportError:  # pragma: no cover
    from sklearn.base import _OneToOneFeatureMixin as OneToOneFeatureMixin

from . import _core
from ._validation import seed_of, threads_of

_NAMED = ("auto", "minority", "majority", "not minority", "not majority", "all")


def _check_target_type(y):
    """y as 1-d labels; a one-vs-all indicator matrix is decoded (and flagged)."""
    if type_of_target(y) == "multilabel-indicator":
        y = np.asarray(y)
        if np.any(y.sum(axis=1) > 1):
            raise ValueError(
                "Imbalanced-learn currently supports binary, multiclass and binarized encoded multiclasss "
                "targets. Multilabel and multioutput targets are not supported.")
        return y.argmax(axis=1), True
    return column_or_1d(y, warn=True), False


class _OutputTypes:
    """Remembers the container types of X and y to give the resampled data back in them."""

    def __init__(self, X, y):
        self.x_type, self.x_props = self._props(X)
        self.y_type, self.y_props = self._props(y)

    @staticmethod
    def _props(a):
        kind = type(a).__name__
        if kind == "DataFrame":
            return kind, {"columns": a.columns, "dtypes": a.dtypes}
        if kind == "Series":
            return kind, {"name": a.name, "dtype": a.dtype}
        if isinstance(a, list):
            return "list", None
        return "array", None

    def _back(self, a, kind, props):
        if kind == "list":
            return a.tolist()
        if kind == "DataFrame":
            import pandas as pd

            frame = pd.DataFrame(a, columns=props["columns"])
            return frame.astype(props["dtypes"].to_dict())
        if kind == "Series":
            import pandas as pd

            return pd.Series(a, dtype=props["dtype"], name=props["name"])
        return a

    def back(self, X, y):
        return self._back(X, self.x_type, self.x_props), self._back(y, self.y_type, self.y_props)


class BaseSampler(OneToOneFeatureMixin, BaseEstimator):
    """imbalanced-learn's sampler contract (fit, fit_resample, sampling_strategy_, sample_indices_)
    over one resampler of the C++ registry. Subclasses name the method and map their parameters."""

    _estimator_type = "sampler"
    #: "over-sampling", "under-sampling" or "clean-sampling" (imbalanced-learn's _sampling_type).
    _sampling_type = None
    #: Whether fit_resample sets sample_indices_ (imbalanced-learn's sample_indices tag).
    _has_sample_indices = False
    #: Whether X may hold categories (object / string columns): SMOTEN, SMOTENC.
    _categorical_input = False
    #: Whether imbalanced-learn lists the kept rows class by class (ENN, RENN, AllKNN: each class's
    #: rows in their original order, the classes in sorted order); the library keeps the original
    #: order, and the rows are put in imbalanced-learn's order here so that the outputs are equal.
    _rows_by_class = False

    # The registry's method name and option values; the categorical columns (SMOTENC, SMOTEN).
    def _method(self, X):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _categorical_columns(self, X):
        return []

    def _more_tags(self):
        return {"X_types": ["2darray", "sparse", "dataframe"], "sample_indices": self._has_sample_indices}

    # -- validation -------------------------------------------------------------------------------
    def _check_X_y(self, X, y):
        check_classification_targets(y)  # first: imbalanced-learn's message for a continuous target
        y, binarized = _check_target_type(y)
        dtype = None if self._categorical_input else [np.float64, np.float32]
        X, y = self._validate_data(X, y, reset=True, accept_sparse=["csr", "csc"], dtype=dtype,
                                   force_all_finite=not self._categorical_input)
        return X, y, binarized

    def _strategy_param(self):
        """The sampling_strategy that decides (a combined sampler: its SMOTE step's)."""
        return self.sampling_strategy

    def _strategy_in_codes(self, y, classes, codes):
        """sampling_strategy translated to the codes of the sorted labels."""
        strategy = self._strategy_param()
        if callable(strategy):
            strategy = strategy(y)
            if not isinstance(strategy, dict):
                raise ValueError(f"The 'sampling_strategy' callable must return a dict (got {strategy!r}).")
        position = {label: code for code, label in enumerate(classes.tolist())}

        def code_of(label):
            key = label.item() if isinstance(label, np.generic) else label
            if key not in position:
                raise ValueError(f"The 'sampling_strategy' parameter names the class {label!r}, "
                                 f"which is not present in the data (classes: {classes.tolist()}).")
            return position[key]

        if isinstance(strategy, str):
            if strategy not in _NAMED:
                raise ValueError(f"The 'sampling_strategy' parameter must be one of {', '.join(map(repr, _NAMED))}, "
                                 f"a float, a dict, a list (cleaning) or a callable (got {strategy!r}).")
            return strategy
        if isinstance(strategy, numbers.Real) and not isinstance(strategy, (bool, np.bool_)):
            return float(strategy)
        if isinstance(strategy, dict):
            out = {}
            for label, count in strategy.items():
                if isinstance(count, (bool, np.bool_)) or not isinstance(count, numbers.Integral):
                    raise ValueError(f"The 'sampling_strategy' dict gives {count!r} for class {label!r}: "
                                     "counts must be integers.")
                if count < 0:
                    raise ValueError(f"The 'sampling_strategy' dict gives {count} for class {label!r}: "
                                     "counts must be >= 0.")
                out[code_of(label)] = int(count)
            return out
        if isinstance(strategy, (list, tuple, np.ndarray)):
            if self._sampling_type != "clean-sampling":
                raise ValueError("The 'sampling_strategy' parameter can be a list only for cleaning samplers "
                                 f"(got {strategy!r} for {type(self).__name__}).")
            n_min = int(np.bincount(codes).min())
            return {code_of(label): n_min for label in strategy}
        raise ValueError(f"The 'sampling_strategy' parameter must be a str, a float, a dict, a list (cleaning) "
                         f"or a callable (got {strategy!r}).")

    def _fit_strategy(self, y):
        classes, codes = np.unique(y, return_inverse=True)
        strategy = self._strategy_in_codes(y, classes, codes)
        counts = {code: int(n) for code, n in enumerate(np.bincount(codes))}
        if len(counts) < 2:
            raise ValueError(f"The target 'y' needs at least 2 classes to be resampled (got 1 class: {classes.tolist()}).")
        resolved = _core.resolve_sampling_strategy(strategy, counts, self._sampling_type)
        self.sampling_strategy_ = OrderedDict((classes[code].item() if isinstance(classes[code], np.generic)
                                               else classes[code], n) for code, n in sorted(resolved.items()))
        return classes, codes.astype(np.int32), strategy

    # -- the contract -----------------------------------------------------------------------------
    def fit(self, X, y):
        """Checks X, y and the parameters; sets sampling_strategy_. Use fit_resample to resample."""
        X, y, _ = self._check_X_y(X, y)
        self._fit_strategy(y)
        self._method(X)
        return self

    def fit_resample(self, X, y):
        """Resamples (X, y): returns (X_resampled, y_resampled) in the containers they came in."""
        types = _OutputTypes(X, y)
        X, y, binarized = self._check_X_y(X, y)
        classes, codes, strategy = self._fit_strategy(y)
        name, options = self._method(X)
        dense = X.toarray() if sparse.issparse(X) else X
        numeric, decoders = self._encode(dense)
        seed = seed_of(getattr(self, "random_state", None))
        threads = threads_of(getattr(self, "n_jobs", None))
        X_out, y_out, indices, base, _ = _core.resample(name, options, strategy, numeric, codes, seed,
                                                     self._categorical_columns(dense), threads)
        if indices is not None:
            if self._rows_by_class:
                indices = indices[np.argsort(y_out, kind="stable")]
                y_out = codes[indices]
            X_res = X[indices]
            if self._has_sample_indices:
                self.sample_indices_ = indices
        else:
            X_res = self._decode(X_out, decoders, dense.dtype)
            if sparse.issparse(X):
                X_res = type(X)(X_res)
            if self._has_sample_indices:
                # A smoothed bootstrap: the originals, then the row each perturbed copy was drawn from.
                self.sample_indices_ = np.concatenate([np.arange(len(y), dtype=np.int64), base])
        y_res = classes[y_out]
        if binarized:
            y_res = label_binarize(y_res, classes=classes)
        return types.back(X_res, y_res)

    # -- categories -------------------------------------------------------------------------------
    def _encode(self, X):
        """Categorical columns as the codes of their sorted categories (float64), the rest as is."""
        columns = self._categorical_columns(X)
        if not columns:
            return np.asarray(X, dtype=np.float64), {}
        numeric = np.empty(X.shape, dtype=np.float64)
        decoders = {}
        categorical = set(columns)
        for j in range(X.shape[1]):
            if j in categorical:
                categories, inverse = np.unique(X[:, j], return_inverse=True)
                numeric[:, j] = inverse
                decoders[j] = categories
            else:
                try:
                    numeric[:, j] = X[:, j].astype(np.float64)
                except (TypeError, ValueError) as error:
                    raise ValueError(f"X: column {j} is not numeric and not among the categorical features "
                                     f"({error}).") from None
        if not np.isfinite(numeric).all():
            raise ValueError("Input X contains NaN or infinity in a continuous column.")
        return numeric, decoders

    @staticmethod
    def _decode(X_out, decoders, dtype):
        if not decoders:
            return X_out.astype(dtype, copy=False)
        out = np.empty(X_out.shape, dtype=object if dtype == object else dtype)
        for j in range(X_out.shape[1]):
            if j in decoders:
                out[:, j] = decoders[j][np.rint(X_out[:, j]).astype(np.int64)]
            else:
                out[:, j] = X_out[:, j]
        return out


def _register(cls, kind):
    """Makes imbalanced-learn (when installed) see cls as one of its own kind of sampler, so that
    its checks and pipelines treat it as such (ABCMeta.register: no inheritance, no dependency)."""
    try:
        from imblearn.over_sampling.base import BaseOverSampler
        from imblearn.under_sampling.base import BaseCleaningSampler, BaseUnderSampler
    except ImportError:  # pragma: no cover
        return cls
    {"over-sampling": BaseOverSampler, "under-sampling": BaseUnderSampler,
     "clean-sampling": BaseCleaningSampler}[kind].register(cls)
    return cls
