"""The imbalance-aware metrics and the classification report, computed by the C++ library.

Labels may be any values scikit-learn accepts (ints, strings): they are encoded as the sorted
union of y_true and y_pred (``labels`` fixes the classes and their order, as in scikit-learn).
The functions equal scikit-learn's and imbalanced-learn's to 1e-12 (tests/python).
"""

import json

import numpy as np
from sklearn.utils.validation import column_or_1d

from . import _core

__all__ = ["confusion_matrix", "balanced_accuracy_score", "geometric_mean_score", "classification_report",
           "classification_report_dict"]


def _encode(y_true, y_pred, labels=None):
    y_true = column_or_1d(y_true)
    y_pred = column_or_1d(y_pred)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(f"y_true and y_pred must have the same length (got {y_true.shape[0]} and {y_pred.shape[0]}).")
    if y_true.shape[0] == 0:
        raise ValueError("y_true is empty.")
    classes = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    if labels is not None and np.unique(classes).size != classes.size:
        raise ValueError(f"labels must be distinct (got {list(labels)!r}).")
    order = np.argsort(classes, kind="stable")
    ordered = classes[order]

    def codes(y, name):
        # Vectorised lookup (no Python loop per sample): position in the sorted classes, then
        # back to the order of `classes`.
        position = np.clip(np.searchsorted(ordered, y), 0, len(ordered) - 1)
        missing = ordered[position] != y
        if np.any(missing):
            raise ValueError(f"{name} holds the label {y[np.argmax(missing)]!r}, which is not in labels.")
        return order[position].astype(np.int32)

    return codes(y_true, "y_true"), codes(y_pred, "y_pred"), classes


def confusion_matrix(y_true, y_pred, *, labels=None):
    """K x K counts, rows the true classes, columns the predictions (scikit-learn's layout)."""
    t, p, classes = _encode(y_true, y_pred, labels)
    return _core.confusion_matrix(t, p, len(classes))


def _report(y_true, y_pred, labels=None, probabilities=None, train_counts=None, digits=2):
    t, p, classes = _encode(y_true, y_pred, labels)
    names = [str(c) for c in classes.tolist()]
    probs = None if probabilities is None else np.asarray(probabilities, dtype=np.float64)
    if probs is not None and probs.shape != (t.shape[0], len(classes)):
        raise ValueError(f"probabilities must have shape ({t.shape[0]}, {len(classes)}); got {probs.shape}.")
    counts = None if train_counts is None else np.asarray(train_counts, dtype=np.float64)
    return _core.classification_report(t, p, len(classes), probs, names, counts, int(digits))


def classification_report_dict(y_true, y_pred, *, labels=None, probabilities=None, train_counts=None):
    """Every metric of the report as a dict: per-class precision, recall, specificity, F1, G-mean,
    IBA, support; accuracy, balanced accuracy, macro / weighted F1, G-mean, MCC, Cohen's kappa;
    with probabilities also log-loss, Brier, ROC-AUC, average precision and calibration; with the
    training counts the many / medium / few-shot accuracies."""
    return json.loads(_report(y_true, y_pred, labels, probabilities, train_counts)[0])


def classification_report(y_true, y_pred, *, labels=None, probabilities=None, train_counts=None, digits=2):
    """The readable text report (the same text as the C++ report and the command-line tools)."""
    return _report(y_true, y_pred, labels, probabilities, train_counts, digits)[1]


def balanced_accuracy_score(y_true, y_pred):
    """Mean per-class recall (scikit-learn's balanced_accuracy_score, adjusted=False)."""
    return classification_report_dict(y_true, y_pred)["balanced_accuracy"]


def geometric_mean_score(y_true, y_pred):
    """Geometric mean of the per-class recalls (imbalanced-learn's geometric_mean_score,
    average='multiclass', correction=0)."""
    return classification_report_dict(y_true, y_pred)["geometric_mean"]
