"""Writes tests/data/timestamp_train.csv and timestamp_test.csv: three imbalanced classes (6:3:1)
told apart by two small-scale features, beside a nanosecond timestamp (~1.7e18) and a column of
magnitude 1e200 that carry no signal. Standardisation must give every column its own scale: a
shared one loses the small features (issue 29, item 4). Run: python3 timestamp_columns.py"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(29)
means = np.array([[0.0, 0.0], [0.9, 0.4], [0.2, 1.1]])
for name, n in (("timestamp_train.csv", 600), ("timestamp_test.csv", 300)):
    counts = [n * 6 // 10, n * 3 // 10, n - n * 6 // 10 - n * 3 // 10]
    rows = []
    for label, count in enumerate(counts):
        small = rng.normal(means[label], 0.3, size=(count, 2))
        ts = 1.7e18 + rng.integers(0, 10**15, size=count)
        big = rng.normal(0, 1, size=count) * 1e200
        for i in range(count):
            rows.append((small[i, 0], int(ts[i]), small[i, 1], big[i], "c%d" % label))
    order = rng.permutation(len(rows))
    with open(os.path.join(here, "..", name), "w") as out:
        out.write("f1,timestamp_ns,f2,huge,label\n")
        for i in order:
            f1, ts, f2, big, label = rows[i]
            out.write("%.6f,%d,%.6f,%.6e,%s\n" % (f1, ts, f2, big, label))
