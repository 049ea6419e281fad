#!/usr/bin/env python3
"""#31's acceptance of the model search: on each data set of make_data.py and seeds 1-3, the test
balanced accuracy of `imbalance-train --search` (defaults: the default space, successive halving,
cross-validation on the training file) against the best configuration found by hand on the test
set (an oracle: the best mean over the seeds of a hand grid, scored on the test set itself).

usage: acceptance.py IMBALANCE_TRAIN DATA_DIR_PREFIX [--sets=a,b] [--extra="search flags"] [--hand-only|--search-only]
  DATA_DIR_PREFIX: make_data.py's OUTDIR for seed s is PREFIX + s (e.g. /tmp/sd -> /tmp/sd1, /tmp/sd2, /tmp/sd3)
"""
import itertools, json, os, subprocess, sys, tempfile, time

SEEDS = [1, 2, 3]
SETS = ["digits-lt", "cancer-imb", "wine-imb", "synth-lt"]
# The hand grid: the methods a practitioner tries first, with their papers' defaults.
HAND = []
for loss, hidden, resample, sampler in itertools.product(
        ["ce", "cb", "focal", "ldam-drw", "la", "bs", "vs", "lade"], [0, 128], ["none", "random-over", "smote"],
        ["instance", "class"]):
    HAND.append(["--loss", loss, "--hidden", str(hidden), "--resample", resample, "--sampler", sampler])
for hidden in [0, 128]:
    HAND.append(["--loss", "ce", "--hidden", str(hidden), "--posthoc", "la"])
    HAND.append(["--loss", "ce", "--hidden", str(hidden), "--resample", "random-over", "--posthoc", "la"])


def run(tool, args):
    with tempfile.NamedTemporaryFile(suffix=".json") as j:
        t = time.time()
        p = subprocess.run([tool] + args + ["-q", "--json", j.name], capture_output=True, text=True)
        if p.returncode != 0:
            return None, time.time() - t, p.stderr.strip()
        return json.load(open(j.name)), time.time() - t, ""


def main():
    tool, prefix = sys.argv[1], sys.argv[2]
    sets = SETS
    extra = []
    for a in sys.argv[3:]:
        if a.startswith("--sets="):
            sets = a.split("=", 1)[1].split(",")
        if a.startswith("--extra="):
            extra = a.split("=", 1)[1].split()
    do_hand = "--search-only" not in sys.argv
    do_search = "--hand-only" not in sys.argv
    results = {}
    for name in sets:
        files = {s: [f"{prefix}{s}/{name}-train.csv", f"{prefix}{s}/{name}-test.csv"] for s in SEEDS}
        row = {}
        if do_search:
            scores, times, winners = [], [], []
            for s in SEEDS:
                j, t, err = run(tool, ["--train", files[s][0], "--test", files[s][1], "--search", "--seed", str(s)] + extra)
                if j is None:
                    print(f"{name} seed {s}: search failed: {err}", flush=True)
                    scores.append(float("nan"))
                    continue
                scores.append(j["balanced_accuracy"])
                times.append(t)
                winners.append(j["search"]["winner"]["name"])
                print(f"{name} seed {s}: search {j['balanced_accuracy']:.4f} in {t:.1f} s: {winners[-1]}", flush=True)
            row["search"] = scores
            row["search_seconds"] = times
            row["winners"] = winners
        if do_hand:
            best, best_cfg, best_scores = -1, None, None
            table = []
            for cfg in HAND:
                scores = []
                for s in SEEDS:
                    j, _, _ = run(tool, ["--train", files[s][0], "--test", files[s][1], "--seed", str(s)] + cfg)
                    scores.append(j["balanced_accuracy"] if j else 0.0)
                table.append(scores)
                mean = sum(scores) / len(scores)
                if mean > best:
                    best, best_cfg, best_scores = mean, cfg, scores
            row["hand"] = best_scores
            row["hand_config"] = " ".join(best_cfg)
            # How well a hand choice generalises: chosen on the test sets of two seeds, scored on the third.
            loso = []
            for held in range(len(SEEDS)):
                pick = max(range(len(HAND)), key=lambda c: sum(v for i, v in enumerate(table[c]) if i != held))
                loso.append(table[pick][held])
            row["hand_leave_one_seed_out"] = loso
            print(f"{name}: best by hand on test {best:.4f}: {' '.join(best_cfg)} {best_scores}; chosen on the other "
                  f"seeds' test sets: {sum(loso) / len(loso):.4f} {loso}", flush=True)
        results[name] = row
    print()
    print(f"{'data set':<12} {'search (seeds 1-3)':<28} {'mean':>7} {'hand on test':>13} {'difference':>11} "
          f"{'hand, other seeds':>18}")
    for name, row in results.items():
        if "search" in row and "hand" in row:
            m = sum(row["search"]) / 3
            h = sum(row["hand"]) / 3
            o = sum(row["hand_leave_one_seed_out"]) / 3
            print(f"{name:<12} {' '.join(f'{v:.4f}' for v in row['search']):<28} {m:7.4f} {h:13.4f} {100 * (m - h):+10.2f} pt"
                  f" {o:18.4f}")
    json.dump(results, sys.stdout if False else open(os.environ.get("ACCEPTANCE_JSON", "/dev/null"), "w"), indent=1)


if __name__ == "__main__":
    main()
