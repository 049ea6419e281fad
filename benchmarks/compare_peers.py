#!/usr/bin/env python3
"""Side-by-side timings of imbalance against its peers (PyTorch, imbalanced-learn) on this machine.

Runs the same workloads through Debian's python3-torch / python3-imblearn and through this
project's benchmark binaries and command-line tools in one run, and prints one table of ratios
(peer time / our time; above 1 means we are faster). Not part of CI; see README "Speed".

  benchmarks/compare_peers.py [--build build] [--quick]

Workloads (as issue 12 states them):
  losses    float32, row-major, N = 4096, K = 1000, forward + backward, one thread
            (PyTorch: F.cross_entropy on z, on z + tau log(prior), the LDAM-DRW focal form, LDAM)
  smote     two isotropic Gaussians in 32 dimensions (40,000 + 20,000), CSV in and out
            (imbalanced-learn: pandas.read_csv, SMOTE(k_neighbors=5), DataFrame.to_csv)
  trainer   15,000 x 784, K = 10, long-tailed (ratio 100), 20 epochs, batch 128, SGD momentum 0.9
            (PyTorch: nn.Linear and F.cross_entropy, torch.set_num_threads(1)); ours is the tool's
            train_seconds (standardisation and training, from the data in memory), beside the floor
            of imbalance-bench-trainer (a shuffled gather and the two products of every batch)
  under     imbalanced-learn's under-samplers (issue 13) on two Gaussians in 16 dimensions
            (20,000 + 4,000; CNN on 4,000 + 1,000, its re-fit per addition being quadratic), CSV in
            and out, one thread; the note says whether the class counts agree
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np


def run(command, threads=1, **kwargs):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env, **kwargs)


def best_of(function, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def torch_losses(n, k, repeats):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(1234)
    logits = (3 * torch.randn(n, k, generator=generator)).float()
    labels = torch.randint(0, k, (n,), generator=generator)
    counts = torch.tensor([np.floor(5000.0 * 0.01 ** (j / (k - 1))) for j in range(k)], dtype=torch.float32)
    log_prior = torch.log(counts / counts.sum())
    margins = 1.0 / counts ** 0.25
    margins = margins * (0.5 / margins.max())
    cosine = (logits / 12).clamp(-1, 1)

    def cross_entropy(z):
        return F.cross_entropy(z, labels)

    def logit_adjusted(z):
        return F.cross_entropy(z + log_prior, labels)

    def focal(z):  # the LDAM-DRW repository's FocalLoss, gamma = 1
        ce = F.cross_entropy(z, labels, reduction="none")
        p = torch.exp(-ce)
        return ((1 - p) ** 1.0 * ce).mean()

    def ldam(z):  # the official LDAMLoss: s = 30, margins subtracted at the target
        index = torch.zeros_like(z, dtype=torch.bool)
        index.scatter_(1, labels.view(-1, 1), True)
        batch_m = margins[labels].view(-1, 1)
        output = torch.where(index, z - batch_m, z)
        return F.cross_entropy(30 * output, labels)

    times = {}
    for name, function, z0 in [("CrossEntropyLoss", cross_entropy, logits), ("LogitAdjustedLoss", logit_adjusted, logits),
                               ("FocalLoss (gamma 1)", focal, logits), ("LDAMLoss", ldam, cosine)]:
        def step():
            z = z0.detach().requires_grad_(True)
            function(z).backward()
        step()
        times[name] = best_of(step, repeats)
    return times


def our_losses(build, n, k, repeats):
    out = run([os.path.join(build, "benchmarks", "imbalance-bench-losses"), str(n), str(k), str(repeats), "1"]).stdout
    times = {}
    for line in out.splitlines():
        match = re.match(r"(\S.*?)\s{2,}float row-major\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)x\s+([\d.]+)", line)
        if match:
            times[match.group(1).strip()] = (float(match.group(5)) * 1e-3, float(match.group(4)))
    return times


def two_gaussians(directory, n_major=40000, n_minor=20000, d=32):
    rng = np.random.default_rng(5)
    X = np.vstack([rng.standard_normal((n_major, d)), rng.standard_normal((n_minor, d)) + 1.0])
    y = np.array([0] * n_major + [1] * n_minor)
    path = os.path.join(directory, "smote_input.csv")
    with open(path, "w") as f:
        f.write(",".join([f"f{j}" for j in range(d)] + ["label"]) + "\n")
        for row, label in zip(X, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{label}\n")
    return path


def imblearn_smote(path, directory):
    import pandas as pd
    from imblearn.over_sampling import SMOTE

    def pipeline():
        frame = pd.read_csv(path)
        X, y = frame.drop(columns="label").to_numpy(), frame["label"].to_numpy()
        X_res, y_res = SMOTE(k_neighbors=5, random_state=1).fit_resample(X, y)
        out = pd.DataFrame(X_res, columns=frame.columns[:-1])
        out["label"] = y_res
        out.to_csv(os.path.join(directory, "imblearn_out.csv"), index=False)
    # One thread for scikit-learn's neighbour search too.
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1):
        return best_of(pipeline, 1)


def our_smote(build, path, directory, threads):
    tool = os.path.join(build, "examples", "imbalance-resample")
    output = os.path.join(directory, "ours_out.csv")
    return best_of(lambda: run([tool, "-i", path, "-o", output, "--method", "smote", "--seed", "1"], threads), 2)


def trainer_data(directory, n=15000, d=784, k=10, seed=3):
    rng = np.random.default_rng(seed)
    counts = np.floor(n * (0.01 ** (np.arange(k) / (k - 1))) / np.sum(0.01 ** (np.arange(k) / (k - 1)))).astype(int)
    means = rng.standard_normal((k, d)) * 0.06  # class means 2.4 sigma apart: not separable
    def draw(sizes):
        X = np.vstack([means[c] + rng.standard_normal((s, d)) for c, s in enumerate(sizes)])
        y = np.concatenate([[c] * s for c, s in enumerate(sizes)])
        return X.astype(np.float64), y
    train, test = draw(counts), draw([300] * k)
    paths = []
    for name, (X, y) in [("train", train), ("test", test)]:
        path = os.path.join(directory, f"trainer_{name}.csv")
        np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.6g",
                   header=",".join([f"p{j}" for j in range(d)] + ["label"]), comments="")
        paths.append(path)
    return paths, train, test


def torch_trainer(train, test, epochs=20, batch=128, lr=0.1):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.manual_seed(0)
    X, y = train
    mean, std = X.mean(0), X.std(0)
    std[std == 0] = 1
    Xt = torch.tensor((X - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y)
    model = torch.nn.Linear(X.shape[1], int(y.max()) + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(yt))
        for b in range(0, len(yt), batch):
            index = order[b:b + batch]
            optimizer.zero_grad()
            F.cross_entropy(model(Xt[index]), yt[index]).backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    Xs, ys = test
    with torch.no_grad():
        predicted = model(torch.tensor((Xs - mean) / std, dtype=torch.float32)).argmax(1).numpy()
    recalls = [np.mean(predicted[ys == c] == c) for c in np.unique(ys)]
    return seconds, float(np.mean(recalls))


def our_trainer(build, paths, directory, threads, precision=None, epochs=20):
    tool = os.path.join(build, "examples", "imbalance-train")
    summary = os.path.join(directory, "ours_train.json")
    command = [tool, "--train", paths[0], "--test", paths[1], "--label-column", "label", "--loss", "ce",
               "--epochs", str(epochs), "--batch-size", "128", "--lr", "0.1", "--momentum", "0.9",
               "--weight-decay", "5e-4", "--warmup", "0", "-q", "--json", summary]
    if precision:
        command += ["--precision", precision]
    run(command, threads)
    with open(summary) as f:
        result = json.load(f)
    return result["train_seconds"], result["balanced_accuracy"]


def trainer_floor(build):
    """The floor of the trainer's 20 float epochs on this shape (imbalance-bench-trainer fashion: a
    shuffled gather of every batch and its two products), or None without the benchmarks."""
    tool = os.path.join(build, "benchmarks", "imbalance-bench-trainer")
    if not os.path.exists(tool):
        return None
    output = run([tool, "fashion"], 1).stdout
    match = re.search(r"floor: shuffled batch gather[^\n]*?([0-9.]+) +1\.00x", output)
    return float(match.group(1)) if match else None


UNDER_SAMPLERS = [  # (our method, imbalanced-learn class and arguments, rows)
    ("near-miss-1", "NearMiss", {"version": 1}, (20000, 4000)),
    ("near-miss-2", "NearMiss", {"version": 2}, (20000, 4000)),
    ("near-miss-3", "NearMiss", {"version": 3}, (20000, 4000)),
    ("renn", "RepeatedEditedNearestNeighbours", {}, (20000, 4000)),
    ("all-knn", "AllKNN", {}, (20000, 4000)),
    ("ncr-0.10", "NeighbourhoodCleaningRule", {}, (20000, 4000)),
    ("oss", "OneSidedSelection", {"random_state": 1}, (20000, 4000)),
    ("cnn", "CondensedNearestNeighbour", {"random_state": 1}, (4000, 1000)),
]


def under_sampling(build, directory):
    import pandas as pd
    import imblearn.under_sampling as under
    from threadpoolctl import threadpool_limits

    rows = []
    tool = os.path.join(build, "examples", "imbalance-resample")
    for method, peer_class, peer_arguments, (n_major, n_minor) in UNDER_SAMPLERS:
        path = two_gaussians(directory, n_major, n_minor, 16)
        counts = {}

        def pipeline():
            frame = pd.read_csv(path)
            X, y = frame.drop(columns="label").to_numpy(), frame["label"].to_numpy()
            X_res, y_res = getattr(under, peer_class)(**peer_arguments).fit_resample(X, y)
            out = pd.DataFrame(X_res, columns=frame.columns[:-1])
            out["label"] = y_res
            out.to_csv(os.path.join(directory, "imblearn_out.csv"), index=False)
            counts["peer"] = np.bincount(y_res).tolist()
        with threadpool_limits(limits=1):
            peer = best_of(pipeline, 1)
        output = os.path.join(directory, "ours_out.csv")
        ours = best_of(lambda: run([tool, "-i", path, "-o", output, "--method", method, "--seed", "1"], 1), 1)
        counts["ours"] = np.bincount(pd.read_csv(output)["label"].to_numpy()).tolist()
        same = "same class counts" if counts["peer"] == counts["ours"] else f"counts {counts['peer']} vs {counts['ours']}"
        rows.append((f"{method} {n_major // 1000}k+{n_minor // 1000}k x 16, CSV, 1 thread", peer, ours, same))
    return rows


def machine_header(build):
    """The CPU, its widest vector unit and the build's flags: a ratio means nothing without them."""
    model, flags = "unknown CPU", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown CPU":
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags") and not flags:
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    cpu_isa = next((name for flag, name in [("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse2", "SSE2")]
                    if flag in flags), "unknown")
    cache = {}
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if "=" in line and ":" in line.split("=", 1)[0]:
                    key, value = line.rstrip("\n").split("=", 1)
                    cache[key.split(":", 1)[0]] = value
    except OSError:
        pass
    build_type = cache.get("CMAKE_BUILD_TYPE", "?")
    build_flags = " ".join(x for x in [cache.get("CMAKE_CXX_FLAGS", ""), cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", ""),
                                       "-march=native" if cache.get("IMBALANCE_NATIVE", "OFF") in ("ON", "TRUE", "1") else ""]
                           if x)
    print(f"machine: {model} (CPU: {cpu_isa}); build {build}: {cache.get('CMAKE_CXX_COMPILER', '?')} {build_type} "
          f"{build_flags or '(no flags)'}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="the CMake build directory (Release)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", nargs="*", default=["losses", "smote", "trainer", "under"])
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        if "losses" in args.only:
            peer = torch_losses(4096, 1000, repeats)
            ours = our_losses(args.build, 4096, 1000, repeats)
            for name, seconds in peer.items():
                key = next((o for o in ours if o.startswith(name.split(" ")[0])), None)
                if key is None:
                    continue
                our_seconds, floor_ratio = ours[key]
                rows.append((f"loss {name} (float, 1 thread)", seconds, our_seconds,
                             f"{floor_ratio:.2f}x our floor"))
        if "smote" in args.only:
            path = two_gaussians(directory)
            peer = imblearn_smote(path, directory)
            one = our_smote(args.build, path, directory, 1)
            two = our_smote(args.build, path, directory, 2)
            rows.append(("SMOTE 40k+20k x 32, CSV in/out, 1 thread", peer, one, ""))
            rows.append(("  same, our 2 threads", peer, two, f"{one / two:.2f}x our 1 thread"))
        if "trainer" in args.only:
            paths, train, test = trainer_data(directory)
            peer_seconds, peer_accuracy = torch_trainer(train, test)
            floor = trainer_floor(args.build)
            for precision in ["float", "double"]:
                our_seconds, our_accuracy = our_trainer(args.build, paths, directory, 1, precision)
                versus_floor = f"; {our_seconds / floor:.2f}x the float floor" if floor and precision == "float" else ""
                rows.append((f"trainer 15k x 784, K 10, 20 epochs, 1 thread, {precision}", peer_seconds, our_seconds,
                             f"balanced accuracy {peer_accuracy:.3f} (peer, float) vs {our_accuracy:.3f} (ours){versus_floor}"))
        if "under" in args.only:
            rows += under_sampling(args.build, directory)
    machine_header(args.build)
    print(f"{'workload':<48} {'peer s':>9} {'ours s':>9} {'peer/ours':>10}  note")
    for name, peer, ours, note in rows:
        print(f"{name:<48} {peer:>9.4f} {ours:>9.4f} {peer / ours:>9.2f}x  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
