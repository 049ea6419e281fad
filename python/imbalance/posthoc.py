"""Post-hoc corrections of a trained classifier on NumPy arrays."""

import numpy as np

from . import _core

__all__ = ["logit_adjustment", "tau_normalize"]


def logit_adjustment(logits, class_counts, tau=1.0):
    """Post-hoc logit adjustment (Menon et al. 2021): z_k - tau log pi_k, pi the training prior;
    its argmax is the balanced-error Bayes rule for a calibrated model."""
    return _core.logit_adjustment(np.asarray(logits, dtype=np.float64), np.asarray(class_counts, dtype=np.float64),
                                  float(tau))


def tau_normalize(weights, tau=1.0):
    """tau-normalisation (Kang et al. 2020) of a (d, K) weight matrix: w_k / ||w_k||^tau."""
    return _core.tau_normalize(np.asarray(weights, dtype=np.float64), float(tau))
