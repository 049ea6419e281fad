#!/usr/bin/env python3
"""The Python package against imbalanced-learn on the same in-memory arrays (no CSV), one thread
and two: SMOTE, ENN, Tomek links, NearMiss-2, RENN, SMOTEENN. Not part of CI (README "Python").

  PYTHONPATH=build/python /usr/bin/python3 benchmarks/compare_python.py [--quick] [--repeats N]

Data: two isotropic Gaussians in 32 dimensions, 40,000 + 20,000 rows (--quick: 8,000 + 4,000),
the second shifted by 0.5 in every coordinate; float64, C order (what a user holds). Each timing is
the best of --repeats runs of fit_resample. Threads: imbalanced-learn's n_jobs and its BLAS
(threadpoolctl), our n_jobs. The table prints peer / ours (above 1: we are faster), whether the
outputs agree (the deterministic samplers: the same rows; the seeded ones: the same class counts),
and two floors measured in the same run: the copy of X into the column-major float64 matrix our
binding hands to C++ (what the package adds to the library), and scikit-learn's exact k-NN search
of the minority class (k = 6) that imbalanced-learn's SMOTE itself performs.
"""
import argparse
import platform
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits


def best_of(function, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = function()
        best = min(best, time.perf_counter() - start)
    return best, out


def cpu():
    model = platform.processor() or "?"
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    flags = line
                    break
    except OSError:
        pass
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    return f"{model}, {isa}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8,000 + 4,000 rows")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    parser.add_argument("--only", default="", help="comma-separated workload names")
    args = parser.parse_args()
    warnings.simplefilter("ignore", FutureWarning)  # imbalanced-learn 0.10's n_jobs deprecation

    import imblearn
    from imblearn import combine as imb_combine
    from imblearn import over_sampling as imb_over
    from imblearn import under_sampling as imb_under
    from sklearn.neighbors import NearestNeighbors

    import imbalance
    from imbalance import combine, over_sampling, under_sampling

    n_major, n_minor = (8000, 4000) if args.quick else (40000, 20000)
    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(n_major, 32), rng.randn(n_minor, 32) + 0.5])
    y = np.r_[np.zeros(n_major, dtype=np.int64), np.ones(n_minor, dtype=np.int64)]
    order = rng.permutation(len(y))
    X, y = np.ascontiguousarray(X[order]), y[order]

    workloads = [
        ("SMOTE", lambda j: imb_over.SMOTE(random_state=0, n_jobs=j), lambda j: over_sampling.SMOTE(random_state=0, n_jobs=j), "counts"),
        ("ENN", lambda j: imb_under.EditedNearestNeighbours(n_jobs=j), lambda j: under_sampling.EditedNearestNeighbours(n_jobs=j), "rows"),
        ("Tomek", lambda j: imb_under.TomekLinks(n_jobs=j), lambda j: under_sampling.TomekLinks(n_jobs=j), "rows"),
        ("NearMiss-2", lambda j: imb_under.NearMiss(version=2, n_jobs=j), lambda j: under_sampling.NearMiss(version=2, n_jobs=j), "sorted rows"),
        ("RENN", lambda j: imb_under.RepeatedEditedNearestNeighbours(n_jobs=j), lambda j: under_sampling.RepeatedEditedNearestNeighbours(n_jobs=j), "rows"),
        ("SMOTEENN", lambda j: imb_combine.SMOTEENN(random_state=0, n_jobs=j), lambda j: combine.SMOTEENN(random_state=0, n_jobs=j), "sizes"),
    ]
    if args.only:
        keep = set(args.only.split(","))
        workloads = [w for w in workloads if w[0] in keep]

    print(f"CPU: {cpu()}; imbalanced-learn {imblearn.__version__}, imbalance {imbalance.__version__}")
    print(f"data: {n_major:,} + {n_minor:,} rows x 32, float64, in memory; best of {args.repeats}")
    print()
    print(f"{'workload':<12} {'threads':>7} {'imblearn s':>11} {'ours s':>9} {'ratio':>7}  agree")
    for threads in [int(t) for t in args.threads.split(",")]:
        with threadpool_limits(limits=threads):
            copy_floor, _ = best_of(lambda: np.asfortranarray(X, dtype=np.float64), args.repeats)
            minority = X[y == 1]
            knn_floor, _ = best_of(lambda: NearestNeighbors(n_neighbors=6, n_jobs=threads).fit(minority).kneighbors(minority),
                                   args.repeats)
            print(f"{'floor: copy':<12} {threads:>7} {'':>11} {copy_floor:>9.3f}")
            print(f"{'floor: k-NN':<12} {threads:>7} {knn_floor:>11.3f} {'':>9}")
            for name, peer, ours, check in workloads:
                t_peer, (X_p, y_p) = best_of(lambda: peer(threads).fit_resample(X, y), args.repeats)
                sampler = ours(threads)
                t_ours, (X_o, y_o) = best_of(lambda: sampler.fit_resample(X, y), args.repeats)
                if check == "sizes":
                    # Seeded synthetic rows differ, so ENN removes others: the sizes are shown.
                    agree = f"sizes {np.bincount(y_p).tolist()} / {np.bincount(y_o).tolist()}"
                elif check == "counts":
                    agree = "counts equal" if np.array_equal(np.bincount(y_p), np.bincount(y_o)) else "COUNTS DIFFER"
                else:
                    a, b = X_p, X_o
                    if check == "sorted rows":
                        a, b = a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])]
                    agree = "same rows" if a.shape == b.shape and np.array_equal(a, b) else "ROWS DIFFER"
                print(f"{name:<12} {threads:>7} {t_peer:>11.3f} {t_ours:>9.3f} {t_peer / t_ours:>6.1f}x  {agree}")


if __name__ == "__main__":
    main()
