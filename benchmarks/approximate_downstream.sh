#!/bin/sh
# The downstream effect of approximate neighbours: balanced accuracy of a model trained on data
# rebalanced by SMOTE with the exact search against the same with HNSW, on three data sets and
# seeds 1-3 (the seed of the resampling and of the training). Prints one table row per data set and
# seed, and the largest difference.
#
#   digits-lt   scikit-learn's digits (examples/data/digits.csv, 1797 x 64), long-tailed: digit c keeps
#               the first ceil(180 * 10^(-c/9)) of its rows for training, the others are the test set
#   latent      250,000 x 64, two classes on 8 latent factors (25 % minority), every 5th row tested
#   isotropic   100,000 x 32, two full-rank Gaussian classes (25 % minority): HNSW's hardest case
#
# Usage: benchmarks/approximate_downstream.sh BUILD_DIR [WORK_DIR]   (BUILD_DIR with the benchmarks:
# -DIMBALANCE_BUILD_BENCHMARKS=ON)
set -eu
build="${1:?usage: $0 BUILD_DIR [WORK_DIR]}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
resample="$build/examples/imbalance-resample"
train="$build/examples/imbalance-train"
generate="$build/benchmarks/imbalance-bench-approximate-neighbors"
digits="$(dirname "$0")/../examples/data/digits.csv"

# Splits $1 into $2 (training rows) and $3 (test rows): every 5th data row is a test row.
split_every_fifth() {
  awk -v train="$2" -v test="$3" 'NR == 1 { print > train; print > test; next }
                                  (NR - 2) % 5 == 4 { print > test; next } { print > train }' "$1"
}

awk -F, -v train="$work/digits-lt.train.csv" -v test="$work/digits-lt.test.csv" '
  NR == 1 { print > train; print > test; next }
  { c = $NF; seen[c]++; if (seen[c] <= int(180 * 10 ^ (-c / 9)) + 1) print > train; else print > test }' "$digits"
"$generate" --csv "$work/latent.csv" --rows 250000 --dim 64 --minority 0.25 --seed 11
split_every_fifth "$work/latent.csv" "$work/latent.train.csv" "$work/latent.test.csv"
"$generate" --csv "$work/isotropic.csv" --rows 100000 --dim 32 --minority 0.25 --seed 12 --isotropic
split_every_fifth "$work/isotropic.csv" "$work/isotropic.train.csv" "$work/isotropic.test.csv"

balanced_accuracy() {  # from imbalance-train's JSON summary
  sed -n 's/.*"balanced_accuracy": *\([0-9.eE+-]*\).*/\1/p' "$1" | head -n 1
}

echo "| data | seed | exact | HNSW | difference (points) |"
echo "|---|---|---|---|---|"
worst=0
for data in digits-lt latent isotropic; do
  for seed in 1 2 3; do
    for search in exact hnsw; do
      "$resample" -i "$work/$data.train.csv" -o "$work/$data.$search.csv" -m smote --seed "$seed" \
        --neighbours "$search" > /dev/null
      "$train" --train "$work/$data.$search.csv" --test "$work/$data.test.csv" --seed "$seed" \
        --json "$work/$data.$search.json" > /dev/null
    done
    exact=$(balanced_accuracy "$work/$data.exact.json")
    approximate=$(balanced_accuracy "$work/$data.hnsw.json")
    difference=$(awk -v a="$exact" -v b="$approximate" 'BEGIN { d = 100 * (b - a); printf "%+.2f", d }')
    worst=$(awk -v w="$worst" -v d="$difference" 'BEGIN { d = d < 0 ? -d : d; print (d > w ? d : w) }')
    printf '| %s | %s | %.4f | %.4f | %s |\n' "$data" "$seed" "$exact" "$approximate" "$difference"
  done
done
echo "largest |difference|: $worst points of balanced accuracy"
