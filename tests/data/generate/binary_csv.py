"""Two-class CSV files for the command-line tests of --tune threshold and the HTML report's ROC and
PR charts: scikit-learn's make_classification, 12 % positives, labels 'ok' and 'fault'.

Usage: python3 tests/data/generate/binary_csv.py  (writes tests/data/binary_train.csv, binary_test.csv)
"""
import csv
import os

from sklearn.datasets import make_classification

X, y = make_classification(n_samples=500, n_features=5, n_informative=3, weights=[0.88, 0.12], flip_y=0.03,
                           class_sep=0.9, random_state=8)
here = os.path.join(os.path.dirname(__file__), "..")
for name, rows in (("binary_train.csv", range(0, 300)), ("binary_test.csv", range(300, 500))):
    with open(os.path.join(here, name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"x{j}" for j in range(X.shape[1])] + ["status"])
        for i in rows:
            w.writerow([f"{v:.6f}" for v in X[i]] + ["fault" if y[i] else "ok"])
