#!/usr/bin/env python3
"""Data sets of #31's acceptance of the model search (scikit-learn's bundled sets and a synthetic
set; never Fashion-MNIST or the UCI sets of r-cran-mlbench, which are kept for acceptance).

For each seed: a stratified test part of every class is held out first (balanced where the class
allows), then the training part is made imbalanced by the profile below (exponential long tail
or a subsampled minority), so the test set measures balanced accuracy on unseen rows.

  digits-lt   UCI digits (1797 x 64, 10 classes), long-tailed with IR 50 (n_k = n_max 50^(-k/9))
  cancer-imb  breast cancer (569 x 30, 2 classes), malignant subsampled to IR 10
  wine-imb    wine (178 x 13, 3 classes), long-tailed with IR 10
  synth-lt    make_classification (20 classes, 40 features), long-tailed with IR 100

usage: make_data.py OUTDIR SEED [--big]   (--big: also synth-big, 15,620 x 784, 10 classes, IR 100)
"""
import sys, os
import numpy as np
from sklearn import datasets


def long_tail(y_classes, n_max, ratio):
    k = len(y_classes)
    return {c: max(2, int(round(n_max * ratio ** (-i / (k - 1))))) for i, c in enumerate(y_classes)}


def split(X, y, test_per_class, train_counts, rng):
    tr, te = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        t = min(test_per_class, len(idx) // 2)
        te.extend(idx[:t])
        tr.extend(idx[t:t + train_counts[c]])
    return np.array(tr), np.array(te)


def write(path, X, y):
    with open(path, "w") as f:
        f.write(",".join(f"x{j}" for j in range(X.shape[1])) + ",label\n")
        for row, label in zip(X, y):
            f.write(",".join(f"{v:.6g}" for v in row) + f",c{label}\n")


def main():
    out, seed = sys.argv[1], int(sys.argv[2])
    big = "--big" in sys.argv
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    sets = {}
    d = datasets.load_digits()
    order = rng.permutation(10)  # which digit is the head changes with the seed
    counts = long_tail(list(order), 120, 50.0)
    sets["digits-lt"] = (d.data, d.target, 50, counts)
    c = datasets.load_breast_cancer()  # 0 = malignant (212), 1 = benign (357)
    sets["cancer-imb"] = (c.data, c.target, 60, {1: 290, 0: 29})
    w = datasets.load_wine()  # 59 / 71 / 48
    order = rng.permutation(3)
    sets["wine-imb"] = (w.data, w.target, 18, long_tail(list(order), 50, 10.0))
    X, y = datasets.make_classification(n_samples=20 * 700, n_features=40, n_informative=20, n_redundant=10,
                                        n_classes=20, n_clusters_per_class=2, class_sep=1.5, flip_y=0.01,
                                        random_state=seed)
    sets["synth-lt"] = (X, y, 150, long_tail(list(rng.permutation(20)), 550, 100.0))
    if big:
        X, y = datasets.make_classification(n_samples=10 * 7000, n_features=784, n_informative=60, n_redundant=40,
                                            n_classes=10, n_clusters_per_class=2, class_sep=1.0, random_state=seed)
        counts = long_tail(list(range(10)), 6300, 100.0)
        sets["synth-big"] = (X, y, 400, counts)
    for name, (X, y, test, counts) in sets.items():
        tr, te = split(X, y, test, counts, rng)
        write(os.path.join(out, f"{name}-train.csv"), X[tr], y[tr])
        write(os.path.join(out, f"{name}-test.csv"), X[te], y[te])
        print(name, "train", len(tr), "test", len(te), "counts", sorted(np.bincount(y[tr]).tolist(), reverse=True)[:3],
              "...", sorted(np.bincount(y[tr]).tolist())[:3])


if __name__ == "__main__":
    main()
