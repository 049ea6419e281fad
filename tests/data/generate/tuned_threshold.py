"""Reference for model_selection/tuned_threshold.hpp (run with Debian's python3-sklearn 1.2.1).

Per-fold validation scores of scikit-learn models on a make_classification fixture, and the threshold
scikit-learn 1.5's TunedThresholdClassifierCV chooses from them. Debian 12's scikit-learn (1.2.1)
predates that class, so its algorithm is written out below as 1.5 runs it (_CurveScorer._score and
TunedThresholdClassifierCV.fit): each fold's metric on np.linspace(min, max, 100) of its scores
(positive iff score >= threshold), np.interp of every fold's curve onto np.linspace(global min,
global max, 100), the mean over folds, the first argmax. The constrained form maximises the
objective over the grid points whose averaged constraint metric reaches the minimum.

Usage: python3 tests/data/generate/tuned_threshold.py > tests/data/tuned_threshold.json
"""
import json

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score
from sklearn.model_selection import StratifiedKFold

N_THRESHOLDS = 100


def specificity(y_true, y_pred):
    return recall_score(y_true, y_pred, pos_label=0, zero_division=0)


METRICS = {
    "balanced_accuracy": balanced_accuracy_score,
    "f1": lambda t, p: f1_score(t, p, zero_division=0),
    "recall": lambda t, p: recall_score(t, p, zero_division=0),
    "specificity": specificity,
}


def fold_curve(y, s, metric):
    thresholds = np.linspace(np.min(s), np.max(s), N_THRESHOLDS)
    return thresholds, np.array([metric(y, (s >= t).astype(int)) for t in thresholds])


def averaged(folds, grid, metric):
    curves = []
    for y, s in folds:
        th, sc = fold_curve(y, s, metric)
        curves.append(np.interp(grid, th, sc))
    return np.mean(curves, axis=0)


def main():
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, weights=[0.88, 0.12], flip_y=0.04,
                               class_sep=0.8, random_state=3)
    cases = []
    for response in ("predict_proba", "decision_function"):
        folds = []
        for train, val in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
            model = LogisticRegression().fit(X[train], y[train])
            s = model.predict_proba(X[val])[:, 1] if response == "predict_proba" else model.decision_function(X[val])
            folds.append((y[val], s))
        grid = np.linspace(min(s.min() for _, s in folds), max(s.max() for _, s in folds), N_THRESHOLDS)
        results = []
        for name in ("balanced_accuracy", "f1"):
            curve = averaged(folds, grid, METRICS[name])
            best = int(np.argmax(curve))
            results.append({"objective": name, "curve": curve.tolist(), "best_index": best,
                            "best_threshold": float(grid[best]), "best_score": float(curve[best])})
        objective = averaged(folds, grid, METRICS["recall"])
        constraint = averaged(folds, grid, METRICS["specificity"])
        feasible = np.flatnonzero(constraint >= 0.8)
        best = int(feasible[np.argmax(objective[feasible])])
        results.append({"objective": "recall", "constraint": "specificity", "minimum": 0.8,
                        "curve": objective.tolist(), "constraint_curve": constraint.tolist(), "best_index": best,
                        "best_threshold": float(grid[best]), "best_score": float(objective[best])})
        cases.append({"response": response, "thresholds": grid.tolist(),
                      "folds": [{"labels": yy.tolist(), "scores": ss.tolist()} for yy, ss in folds],
                      "results": results})
    print(json.dumps({"about": __doc__.split("\n\n")[1].replace("\n", " "), "cases": cases}))


if __name__ == "__main__":
    main()
