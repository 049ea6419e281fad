#!/usr/bin/python3
"""Reference values of scikit-learn 1.2's SVC (LIBSVM) for tests/data/svm.json.

Run with Debian 12's python3-sklearn:
    /usr/bin/python3 tests/data/generate/svm.py > tests/data/svm.json
For each fixture (features rounded to 6 decimals): SVC's default (RBF, C = 1, gamma 'scale',
tol 1e-3) support_ (sorted) and gamma, and the same SVC solved tightly (tol 1e-10): support_,
and decision_function on the fixture's `queries` (binary fixtures). CI never runs this script.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.svm import SVC


def fixture(name, n, d, classes, weights, seed):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d, n_redundant=0, n_classes=classes,
                               weights=weights, class_sep=0.8, flip_y=0.05, random_state=seed)
    X = np.round(X, 6)
    rng = np.random.RandomState(seed + 100)
    queries = np.round(rng.normal(size=(10, d)), 6)
    default = SVC(gamma="scale").fit(X, y)
    tight = SVC(gamma="scale", tol=1e-10).fit(X, y)
    out = {
        "name": name,
        "X": X.tolist(),
        "y": y.tolist(),
        "gamma": 1.0 / (d * X.var()),
        "support_default": sorted(default.support_.tolist()),
        "support_tight": sorted(tight.support_.tolist()),
        "queries": queries.tolist(),
    }
    if classes == 2:
        out["decision_tight"] = tight.decision_function(queries).tolist()
    return out


json.dump({
    "about": f"scikit-learn {sklearn.__version__} SVC (LIBSVM): support vectors at tol 1e-3 (default) and 1e-10, "
             "decision values at 1e-10; see tests/data/generate/svm.py",
    "fixtures": [
        fixture("binary_2d", 120, 2, 2, [0.8, 0.2], 1),
        fixture("binary_5d", 200, 5, 2, [0.7, 0.3], 2),
        fixture("three_classes_4d", 180, 4, 3, [0.6, 0.3, 0.1], 3),
    ],
}, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
