#!/bin/sh
# Builds the libFuzzer harnesses with clang (AddressSanitizer + UndefinedBehaviorSanitizer) in
# ./build-fuzz and runs each for SECONDS (default 60) from the committed seed corpus:
#   tests/fuzz/run.sh            # 60 s per harness, as CI does
#   tests/fuzz/run.sh 3600 csv   # one harness for an hour
# New interesting inputs go to build-fuzz/corpus/<harness>/ (the committed seeds stay as they are);
# a crashing input is written to build-fuzz/crash-* and the script exits non-zero.
set -eu
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift 2>/dev/null || true
harnesses="${*:-csv sampling_strategy resample neighbors target_prior output_pattern}"

cmake/install_packages.sh cmake make clang libfuzzer-14-dev libeigen3-dev libnanoflann-dev libfmt-dev

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_COMPILER=clang++ -DIMBALANCE_WERROR=ON \
  -DIMBALANCE_BUILD_TESTS=OFF -DIMBALANCE_BUILD_EXAMPLES=OFF -DIMBALANCE_BUILD_BENCHMARKS=OFF \
  -DIMBALANCE_INSTALL=OFF -DIMBALANCE_BUILD_FUZZERS=ON -DIMBALANCE_OPENMP=OFF -DIMBALANCE_PYTHON=OFF >/dev/null
# One build of all requested harnesses, so that they compile in parallel.
targets=""
for h in $harnesses; do targets="$targets fuzz_$h"; done
if [ "$harnesses" = "csv sampling_strategy resample neighbors target_prior output_pattern" ]; then
  cmake --build "$build" --parallel "$(nproc)"
else
  # shellcheck disable=SC2086
  cmake --build "$build" --parallel "$(nproc)" --target $targets
fi
for h in $harnesses; do
  mkdir -p "$build/corpus/$h"
  echo "fuzz: $h for ${seconds} s"
  status=0
  ( cd "$build" && "./tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1 "corpus/$h" "../tests/fuzz/corpus/$h" ) >"$build/fuzz_$h.log" 2>&1 || status=$?
  tail -n 12 "$build/fuzz_$h.log"
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $h failed (status $status); the input is in $build/crash-* or the log $build/fuzz_$h.log" >&2
    exit 1
  fi
done
echo "fuzz: no crash in $harnesses"
