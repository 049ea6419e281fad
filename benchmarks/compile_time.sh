#!/bin/sh
# Compile cost of a small user program (issue 30): the 20-line program of benchmarks/compile/
# through the umbrella header and through per-concept headers, beside the same program in Eigen
# alone (the floor a user compares with), each at -fsyntax-only and at -O2: wall seconds and the
# compiler's peak memory (GNU time). Prints the machine first.
#   benchmarks/compile_time.sh [CXX]      (default g++; run from anywhere)
set -eu
cd "$(dirname "$0")/.."
cxx="${1:-g++}"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (Debian: time)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
  "$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo SSE))"
echo "compiler: $("$cxx" --version | head -n 1); flags: -std=c++17 [-fsyntax-only | -O2]"
printf '%-26s %14s %14s %12s %12s\n' program "syntax-only s" "-O2 s" "-O2 peak MB" "vs Eigen"
base=""
for program in eigen headers umbrella; do
  source="benchmarks/compile/program_$program.cpp"
  /usr/bin/time -f '%e %M' -o "$out/syntax" "$cxx" -std=c++17 -fsyntax-only -Iinclude -I/usr/include/eigen3 "$source"
  /usr/bin/time -f '%e %M' -o "$out/o2" "$cxx" -std=c++17 -O2 -Iinclude -I/usr/include/eigen3 "$source" -o "$out/$program"
  syntax=$(cut -d' ' -f1 "$out/syntax")
  o2=$(cut -d' ' -f1 "$out/o2")
  peak=$(($(cut -d' ' -f2 "$out/o2") / 1024))
  [ -n "$base" ] || base="$o2"
  ratio=$(awk -v a="$o2" -v b="$base" 'BEGIN { printf "%.1fx", a / b }')
  printf '%-26s %14s %14s %12s %12s\n' "$program" "$syntax" "$o2" "$peak" "$ratio"
  "$out/$program" >/dev/null
done
