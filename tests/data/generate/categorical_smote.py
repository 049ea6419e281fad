#!/usr/bin/python3
"""Reference values of imbalanced-learn 0.10 for SMOTENC and SMOTEN (tests/data/categorical_smote.json).

Run with Debian 12's python3-imblearn (0.10.0) and python3-sklearn (1.2.1):
    /usr/bin/python3 tests/data/generate/categorical_smote.py > tests/data/categorical_smote.json
The tests read the JSON; CI never runs this script.

- smotenc: mixed fixtures (continuous columns rounded to 6 decimals, categorical columns as text);
  `median_std` is SMOTENC's fitted median_std_ (the categorical penalty). `codes` gives each
  categorical column's values in code order (sorted text), which the C++ test uses as codes.
- smoten: all-categorical fixtures as ordinal codes (OrdinalEncoder's, sorted text); for each
  feature the VDM's proba_per_class_ (codes x classes) and, for every class, the VDM pairwise
  matrix of the class's rows (what SMOTEN's neighbour search is fitted on).
"""
import json
import sys

import numpy as np
import imblearn
import sklearn
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import SMOTENC
from sklearn.preprocessing import OrdinalEncoder


def smotenc_fixture(seed, n_per_class, n_cont, cat_levels):
    rng = np.random.RandomState(seed)
    y = np.concatenate([np.full(n, c) for c, n in enumerate(n_per_class)])
    cont = np.round(rng.normal(size=(len(y), n_cont)) * rng.uniform(0.5, 3, size=n_cont) + y[:, None], 6)
    cats = [rng.choice(levels, size=len(y)) for levels in cat_levels]
    columns, categorical = [], []
    c_i = 0
    for j in range(n_cont + len(cat_levels)):
        if j % 2 == 1 and c_i < len(cat_levels):
            columns.append(cats[c_i].astype(object))
            categorical.append(j)
            c_i += 1
        else:
            columns.append(cont[:, j - c_i].astype(object))
    X = np.column_stack(columns)
    sampler = SMOTENC(categorical_features=categorical, random_state=0).fit(X, y)
    sampler.fit_resample(X, y)
    rows = []
    for i in range(len(y)):
        rows.append([float(X[i, j]) if j not in categorical else str(X[i, j]) for j in range(X.shape[1])])
    return {
        "name": f"smotenc_{seed}",
        "X": rows,
        "y": y.tolist(),
        "categorical_features": categorical,
        "codes": {str(j): sorted(set(str(v) for v in X[:, j])) for j in categorical},
        "median_std": float(sampler.median_std_),
    }


def smoten_fixture(seed, n_per_class, levels):
    rng = np.random.RandomState(seed)
    y = np.concatenate([np.full(n, c) for c, n in enumerate(n_per_class)])
    # Category frequencies depend on the class, so the VDM is informative.
    X = np.column_stack([
        np.array([levels[f][min(len(levels[f]) - 1, rng.poisson(0.6 + 0.8 * c))] for c in y], dtype=object)
        for f in range(len(levels))
    ])
    encoder = OrdinalEncoder(dtype=np.int32)
    codes = encoder.fit_transform(X)
    vdm = ValueDifferenceMetric(n_categories=[len(c) for c in encoder.categories_]).fit(codes, y)
    pairwise = {}
    for c in sorted(set(y.tolist())):
        pairwise[str(c)] = vdm.pairwise(codes[y == c]).tolist()
    return {
        "name": f"smoten_{seed}",
        "codes": codes.tolist(),
        "y": y.tolist(),
        "proba_per_class": [p.tolist() for p in vdm.proba_per_class_],
        "pairwise_per_class": pairwise,
    }


out = {
    "about": f"imbalanced-learn {imblearn.__version__}, scikit-learn {sklearn.__version__}: SMOTENC's median_std_ "
             "and SMOTEN's value difference metric (k=1, r=2) on generated fixtures; see "
             "tests/data/generate/categorical_smote.py",
    "smotenc": [
        smotenc_fixture(1, [70, 35, 15], 3, [["red", "green", "blue"], ["x", "y"]]),
        smotenc_fixture(2, [90, 20], 4, [["a", "b", "c", "d"], ["10", "2", "3"], ["u", "v"]]),
    ],
    "smoten": [
        smoten_fixture(3, [60, 25, 15], [["a", "b", "c", "d"], ["lo", "mid", "hi"], ["n", "y"]]),
        smoten_fixture(4, [50, 20], [["p", "q", "r", "s", "t"], ["0", "1"]]),
    ],
}
json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
