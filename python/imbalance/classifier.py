"""The library's trainer as a scikit-learn classifier."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from . import _core
from ._validation import check_bool, check_choice, check_int, check_real, seed_of, threads_of

__all__ = ["ImbalancedSoftmaxClassifier"]


def _options(name, options):
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ValueError(f"The '{name}' parameter must be a dict of option values or None (got {options!r}).")
    out = {}
    for key, value in options.items():
        if not isinstance(key, str):
            raise ValueError(f"The '{name}' parameter: option names are str (got {key!r}).")
        if isinstance(value, (bool, np.bool_)):
            value = 1.0 if value else 0.0
        if not isinstance(value, numbers.Real):
            raise ValueError(f"The '{name}' parameter: option {key!r} must be a number (got {value!r}).")
        out[key.replace("_", "-")] = float(value)
    return out


class ImbalancedSoftmaxClassifier(ClassifierMixin, BaseEstimator):
    """A softmax classifier (linear, or one hidden ReLU layer) trained by the library's SGD loop with
    a long-tailed loss, a class-aware batch sampler, an optional data-level resampler, an optional
    second stage and a post-hoc correction: ``imbalance-train``'s pipeline, one configuration.

    Methods are the registries' names (``imbalance-train --help-methods``; ``_core.method_names()``):

    - loss: ce, cb, focal, ldam, ldam-drw, la, vs, bs, cdt, ldam-hinge, eql, seesaw, ib, lade, db;
      loss_options e.g. {"gamma": 2.0} (focal), {"max_margin": 0.5} (LDAM);
    - head: linear, cosine, etf; hidden_units: 0 (none) or the width of a hidden ReLU layer;
    - batch_sampler: instance, class, sqrt, power, progressive;
    - resampler: None or a resampler name (smote, random-over, ...) run on the training rows;
    - stage2: None, crt, tau-norm, lws, ncm, ncm-cosine, tde; posthoc: None, la, tau-norm;
    - schedule: cosine, step, constant; warmup_epochs: "paper" (the loss's paper: 5 of 200 epochs
      for cb and LDAM), or a number of epochs (0: none).

    Features are standardised on the training rows (standardize=True). random_state: an int is
    the seed itself (the same model as ``imbalance-train --seed``); n_jobs: threads (the same
    model for every count). Defaults: cross-entropy, linear head, 30 epochs, batch 128, SGD with
    momentum 0.9, learning rate 0.1 on a cosine schedule, weight decay 5e-4.

    Pickling keeps the settings and, once fitted, the training rows; unpickling trains again, which
    gives the same model bit for bit (the library's training is deterministic for a seed and any
    thread count).
    """

    def __init__(self, *, loss="ce", loss_options=None, head="linear", hidden_units=0, batch_sampler="instance",
                 batch_sampler_options=None, resampler=None, resampler_options=None, stage2=None, stage2_options=None,
                 posthoc=None, posthoc_options=None, epochs=30, batch_size=128, learning_rate=0.1, momentum=0.9,
                 weight_decay=5e-4, schedule="cosine", schedule_options=None, warmup_epochs="paper", standardize=True,
                 precision="float64", random_state=None, n_jobs=None):
        self.loss = loss
        self.loss_options = loss_options
        self.head = head
        self.hidden_units = hidden_units
        self.batch_sampler = batch_sampler
        self.batch_sampler_options = batch_sampler_options
        self.resampler = resampler
        self.resampler_options = resampler_options
        self.stage2 = stage2
        self.stage2_options = stage2_options
        self.posthoc = posthoc
        self.posthoc_options = posthoc_options
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.schedule = schedule
        self.schedule_options = schedule_options
        self.warmup_epochs = warmup_epochs
        self.standardize = standardize
        self.precision = precision
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _settings(self):
        names = _core.method_names()

        def method(param, value, kind, allow_none):
            if value is None and allow_none:
                return "none"
            return check_choice(param, value, tuple(n for n in names[kind] if not (allow_none and n == "none")))

        warmup = self.warmup_epochs
        if isinstance(warmup, str):
            check_choice("warmup_epochs", warmup, ("paper",))
            warmup = -1
        else:
            warmup = check_int("warmup_epochs", warmup, 0)
        return {
            "loss": method("loss", self.loss, "loss", False), "loss_options": _options("loss_options", self.loss_options),
            "head": method("head", self.head, "head", False),
            "hidden_units": check_int("hidden_units", self.hidden_units, 0),
            "batch_sampler": method("batch_sampler", self.batch_sampler, "batch_sampler", False),
            "batch_sampler_options": _options("batch_sampler_options", self.batch_sampler_options),
            "resampler": method("resampler", self.resampler, "resampler", True),
            "resampler_options": _options("resampler_options", self.resampler_options),
            "stage2": method("stage2", self.stage2, "stage2", True),
            "stage2_options": _options("stage2_options", self.stage2_options),
            "posthoc": method("posthoc", self.posthoc, "posthoc", True),
            "posthoc_options": _options("posthoc_options", self.posthoc_options),
            "epochs": check_int("epochs", self.epochs, 1),
            "batch_size": check_int("batch_size", self.batch_size, 1),
            "learning_rate": check_real("learning_rate", self.learning_rate, 0),
            "momentum": check_real("momentum", self.momentum, 0, 1),
            "weight_decay": check_real("weight_decay", self.weight_decay, 0),
            "schedule": method("schedule", self.schedule, "schedule", False),
            "schedule_options": _options("schedule_options", self.schedule_options),
            "warmup_epochs": warmup, "standardize": check_bool("standardize", self.standardize),
            "precision": check_choice("precision", self.precision, ("float64", "float32")),
        }

    def fit(self, X, y):
        """Trains on (X, y); labels of any type scikit-learn accepts."""
        X, y = self._validate_data(X, y, dtype=np.float64, y_numeric=False)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"The target 'y' needs at least 2 classes to train a classifier (got 1 class: "
                             f"{self.classes_.tolist()}).")
        self._fit_state = (X, codes.astype(np.int32), self._settings(), seed_of(self.random_state))
        self._train()
        self.class_counts_ = np.asarray(self.model_.class_counts)
        self.loss_curve_ = list(self.model_.epoch_losses)
        return self

    def _train(self):
        X, codes, settings, seed = self._fit_state
        self.model_ = _core.fit_classifier(X, codes, len(self.classes_), settings, seed, threads_of(self.n_jobs))

    def _predict_all(self, X):
        check_is_fitted(self, "model_")
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return self.model_.predict(X)

    def decision_function(self, X):
        """The final logits (after the post-hoc correction); binary: logit of class 1 minus class 0."""
        logits = self._predict_all(X)[0]
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X):
        """softmax of the final logits, columns in the order of classes_."""
        return self._predict_all(X)[1]

    def predict_log_proba(self, X):
        """log of predict_proba."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The decision of the pipeline (argmax of the corrected logits, or the tuned rule)."""
        labels = self._predict_all(X)[2]
        return self.classes_[labels]

    def _more_tags(self):
        return {"binary_only": False, "requires_y": True}

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("model_", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "_fit_state" in state:
            self._train()
