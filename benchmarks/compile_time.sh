#!/bin/sh
# Compile cost of a small user program (issue 30): the 20-line program of benchmarks/compile/
# through the umbrella header and through per-concept headers, header-only and against the compiled
# target (imbalance::compiled, libimbalance.a of a build directory), beside the same program in
# Eigen alone (the floor a user compares with), each at -fsyntax-only and at -O2: wall seconds and
# the compiler's peak memory (GNU time). Every row compiles with the same flags (-march=native when
# the build directory's library was built so: a program must match the library's vector width).
# Each time is the least of REPEAT runs (default 3: a shared machine's noise only adds time).
# Prints the machine first.
#   [REPEAT=n] benchmarks/compile_time.sh [CXX [BUILD_DIR]]   (defaults: g++, build; run from anywhere)
set -eu
cd "$(dirname "$0")/.."
cxx="${1:-g++}"
build="${2:-build}"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (Debian: time)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
flags="-std=c++17 -fopenmp"
if grep -q '^IMBALANCE_NATIVE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then flags="$flags -march=native"; fi
library="$build/libimbalance.a"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
  "$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo SSE))"
echo "compiler: $("$cxx" --version | head -n 1); flags: $flags [-fsyntax-only | -O2]"
[ -f "$library" ] || echo "($library not built: the compiled rows are skipped; cmake --build $build --target imbalance_compiled)"
printf '%-26s %14s %14s %12s %12s\n' program "syntax-only s" "-O2 s" "-O2 peak MB" "vs Eigen"
least() { if [ -z "$1" ]; then echo "$2"; else awk -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; fi; }
base=""
for row in eigen headers umbrella headers+compiled umbrella+compiled; do
  program="${row%+compiled}"
  source="benchmarks/compile/program_$program.cpp"
  mode=""
  link=""
  if [ "$program" != "$row" ]; then
    [ -f "$library" ] || continue
    mode="-DIMBALANCE_COMPILED"
    link="$library"
  fi
  syntax=""
  o2=""
  peak=""
  run=0
  while [ "$run" -lt "${REPEAT:-3}" ]; do
    run=$((run + 1))
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %M' -o "$out/syntax" "$cxx" $flags $mode -fsyntax-only -Iinclude -I/usr/include/eigen3 "$source"
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %M' -o "$out/o2" "$cxx" $flags $mode -O2 -Iinclude -I/usr/include/eigen3 "$source" $link -o "$out/program"
    syntax=$(least "$syntax" "$(cut -d' ' -f1 "$out/syntax")")
    o2=$(least "$o2" "$(cut -d' ' -f1 "$out/o2")")
    peak=$(($(cut -d' ' -f2 "$out/o2") / 1024))
  done
  [ -n "$base" ] || base="$o2"
  ratio=$(awk -v a="$o2" -v b="$base" 'BEGIN { printf "%.1fx", a / b }')
  printf '%-26s %14s %14s %12s %12s\n' "$row" "$syntax" "$o2" "$peak" "$ratio"
  "$out/program" >/dev/null
done
