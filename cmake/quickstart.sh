#!/bin/sh
# The README's quick start: `cmake/quickstart.sh demo` or `cmake/quickstart.sh test`.
# Installs the missing Debian packages (as root, or through sudo), configures a Release build in
# ./build (or $IMBALANCE_BUILD_DIR) for this machine's vector units (IMBALANCE_NATIVE: it builds and
# runs on the same machine), then builds and runs the demo, or builds everything and runs the whole
# test suite. A second run only rebuilds what changed. Any error stops it (non-zero exit).
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

cmake/install_packages.sh cmake make g++ libeigen3-dev libfmt-dev catch2 libnanoflann-dev libcli11-dev \
  nlohmann-json3-dev libxml2-utils pkgconf libopenmpi-dev openmpi-bin \
  pybind11-dev python3-dev python3-numpy python3-scipy python3-sklearn python3-imblearn python3-pandas python3-pytest \
  libhnswlib-dev

build="${IMBALANCE_BUILD_DIR:-build}"
jobs="$(nproc 2>/dev/null || echo 2)"
# The test build leaves the benchmarks out (they are timed by hand, not by tests, and CI's time on
# 2 cores is better spent on its other builds; DEVELOPERS.md): configure with -DIMBALANCE_BUILD_BENCHMARKS=ON to build them.
benchmarks=OFF
[ "$1" = test ] || benchmarks=ON
# Warnings stay warnings here: a compiler we have not met (or a new one) must not stop a user's
# build. Only CI's own builds make warnings fatal (DEVELOPERS.md); this line switches that off
# explicitly, so that an old ./build configured by CI's settings does not carry it over.
# The Python package is built for Debian's interpreter, whose numpy, scikit-learn and
# imbalanced-learn were installed above (another python3 first on PATH may lack them).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DIMBALANCE_WERROR=OFF -DIMBALANCE_NATIVE=ON \
  -DIMBALANCE_BUILD_BENCHMARKS="$benchmarks" -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
if [ "$1" = demo ]; then
  cmake --build "$build" --parallel "$jobs" --target imbalance-demo
  "$build/examples/imbalance-demo"
else
  cmake --build "$build" --parallel "$jobs"
  ctest --test-dir "$build" --output-on-failure --parallel "$jobs"
fi
