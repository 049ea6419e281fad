"""imbalance: learning from class-imbalanced and long-tailed data, in C++ and Python.

The Python package is a thin layer over the C++ library (the compiled module ``imbalance._core``):

- ``imbalance.over_sampling``, ``imbalance.under_sampling``, ``imbalance.combine``: samplers with
  imbalanced-learn's API (``from imbalance.over_sampling import SMOTE`` in place of
  ``from imblearn.over_sampling import SMOTE``);
- ``imbalance.losses``: every loss's value and gradient on an (N, K) array of logits;
- ``imbalance.metrics``: the imbalance-aware metrics and the classification report;
- ``imbalance.posthoc``: post-hoc corrections of logits and classifier weights;
- ``imbalance.ImbalancedSoftmaxClassifier``: the library's trainer as a scikit-learn classifier.
"""

from . import _core
from .classifier import ImbalancedSoftmaxClassifier

__version__ = _core.__version__

__all__ = ["ImbalancedSoftmaxClassifier", "__version__"]
