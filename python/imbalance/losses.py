"""The library's losses on NumPy arrays: value and analytic gradient w.r.t. the (N, K) logits.

Every loss of the C++ registry is reached by its name (``names()``): ce, cb, focal, ldam,
ldam-drw, la, vs, bs, cdt, ldam-hinge, eql, seesaw, ib, lade, db. The IB loss also reads the
features the head classifies: ``value_and_gradient(..., features=H)`` gives it the (N, F) features
and returns dL/dfeatures too. Gradients are the official implementations'
(seesaw's factors are detached, as in its official code, so its gradient is not the derivative
of its value). Options are keyword arguments
(``max_margin=0.5`` for the registry's ``max-margin``); defaults are the papers' (README, the
registry's ``imbalance-train --help-methods``).

C-contiguous float64 or float32 logits are read in place (no copy) and the gradient comes back in
their dtype; other layouts and dtypes are converted to float64 first.
"""

import numpy as np

from . import _core

__all__ = ["names", "value", "value_and_gradient"]


def _features(features, n):
    features = np.ascontiguousarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] != n:
        raise ValueError(f"features must be a 2-d array with one row per row of logits ({n}); got shape {features.shape}.")
    return features


def names():
    """The registered losses, in registration order."""
    return list(_core.loss_names())


def _labels(labels, n, k):
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError(f"labels must be a 1-d array of {n} entries (one per row of logits); got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers (class indices); got dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        bad = labels[(labels < 0) | (labels >= k)][0]
        raise ValueError(f"labels must be class indices in [0, {k}) (the columns of logits); got {bad}.")
    return np.ascontiguousarray(labels, dtype=np.int32)


def _loss_inputs(name, class_counts, options):
    if not isinstance(name, str):
        raise TypeError(f"name must be a str naming a loss (got {name!r}).")
    counts = np.asarray(class_counts, dtype=np.float64)
    if counts.ndim != 1:
        raise ValueError(f"class_counts must be a 1-d array of K counts; got shape {counts.shape}.")
    return counts, {key.replace("_", "-"): float(v) for key, v in options.items()}


def _check_logits(logits):
    if logits.ndim != 2:
        raise ValueError(f"logits must be a 2-d array (N, K); got shape {logits.shape}.")
    return logits


def _run(name, logits, labels, class_counts, epochs, epoch, cosine_head, options, gradient):
    counts, values = _loss_inputs(name, class_counts, options)
    if not isinstance(logits, np.ndarray):
        logits = np.asarray(logits, dtype=np.float64)
    _check_logits(logits)
    return _core.loss_value_and_gradient(name, values, counts, int(epochs), int(epoch), bool(cosine_head), logits,
                                         _labels(labels, logits.shape[0], logits.shape[1]), gradient)


def _with_features(name, logits, labels, class_counts, epochs, epoch, features, options):
    counts, values = _loss_inputs(name, class_counts, options)
    logits = _check_logits(np.ascontiguousarray(logits, dtype=np.float64))
    return _core.loss_with_features(name, values, counts, int(epochs), int(epoch), logits,
                                    _labels(labels, logits.shape[0], logits.shape[1]),
                                    _features(features, logits.shape[0]))


def value(name, logits, labels, class_counts, *, epochs=1, epoch=0, cosine_head=False, features=None, **options):
    """The reduced loss of (logits, labels) for the loss `name` built from the training class counts.

    epochs / epoch: the schedule of losses that change with the epoch (ldam-drw's re-weighting, ib's
    warm-up); cosine_head: the logits are cosines (LDAM's scale s = 30 then, 1 otherwise);
    features: the (N, F) features the head classifies (the IB loss needs them)."""
    if features is not None:
        return _with_features(name, logits, labels, class_counts, epochs, epoch, features, options)[0]
    return _run(name, logits, labels, class_counts, epochs, epoch, cosine_head, options, False)[0]


def value_and_gradient(name, logits, labels, class_counts, *, epochs=1, epoch=0, cosine_head=False, features=None,
                       **options):
    """(value, gradient): the loss and dL/dlogits, an (N, K) array of the logits' dtype. With
    features: (value, dL/dlogits, dL/dfeatures), in float64."""
    if features is not None:
        return _with_features(name, logits, labels, class_counts, epochs, epoch, features, options)
    return _run(name, logits, labels, class_counts, epochs, epoch, cosine_head, options, True)
