#pragma once
// Timing helpers shared by the benchmarks: best-of-R wall time of a callable, in nanoseconds.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include <imbalance/core/eigen.hpp>

#include <imbalance/detail/parallel.hpp>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace bench {

// The vector instructions this build compiled for (the widest the -march flags enabled).
inline const char* build_isa() {
#if defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__AVX__)
  return "AVX";
#elif defined(__SSE2__) || defined(_M_X64)
  return "SSE2";
#elif defined(__ARM_NEON)
  return "NEON";
#else
  return "scalar";
#endif
}

// A field of /proc/cpuinfo's first processor ("model name", "flags"); empty where there is none.
inline std::string cpuinfo_field(const std::string& name) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, name.size(), name) == 0) {
      const std::size_t colon = line.find(':');
      return colon == std::string::npos ? std::string() : line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  return {};
}

// The widest vector unit the CPU itself has (which a build for another -march may not use).
inline std::string cpu_isa() {
  const std::string flags = " " + cpuinfo_field("flags") + " ";
  if (flags.find(" avx512f ") != std::string::npos) return "AVX-512";
  if (flags.find(" avx2 ") != std::string::npos) return "AVX2";
  if (flags.find(" avx ") != std::string::npos) return "AVX";
  if (flags.find(" sse2 ") != std::string::npos) return "SSE2";
  return "unknown";
}

// The machine and build a table was measured on: every benchmark prints it first, so that a number
// never travels without the CPU, the vector ISA and the compiler flags that produced it.
inline void print_machine(std::FILE* out = stdout) {
  std::string model = cpuinfo_field("model name");
  if (model.empty()) model = "unknown CPU";
#if defined(__clang__)
  const std::string compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = "GCC " __VERSION__;
#else
  const std::string compiler = "unknown compiler";
#endif
#if defined(IMBALANCE_BENCH_FLAGS)
  const char* flags = IMBALANCE_BENCH_FLAGS;
#else
  const char* flags = "(not recorded)";
#endif
#if defined(_OPENMP)
  const int threads = omp_get_max_threads();
#else
  const int threads = 1;
#endif
  std::fprintf(out, "machine: %s (CPU: %s; %d hardware threads available to OpenMP)\n", model.c_str(), cpu_isa().c_str(),
               threads);
  std::fprintf(out, "build:   %s vectors (Eigen: %s); %s; flags: %s\n\n", build_isa(), Eigen::SimdInstructionSetsInUse(),
               compiler.c_str(), flags);
}

template <class F>
double best_ns(F&& f, int repeats) {
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const auto stop = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(stop - start).count());
  }
  return best;
}

// Threads of the library's parallel loops from here on (no effect without OpenMP).
inline void set_threads(int threads) {
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

// Keeps a value alive so the optimiser cannot drop the work that produced it.
template <class T>
void do_not_optimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// The floor of an exact brute-force neighbour search: the bare products Q X^T of the rows of
// `points` (in Scalar) in blocks of `block` queries times tiles of `tile` points, each product's
// minimum taken (a cache-resident reduction, so the product cannot be dropped); query blocks in
// parallel. With `each_pair_once` (block == tile), only tiles at or after the query block: what a
// self-search that multiplies each pair of blocks once computes. Best of `repeats`, in ns.
template <class Scalar>
double products_floor_ns(const Eigen::MatrixXd& points, Eigen::Index block, Eigen::Index tile, bool each_pair_once,
                         int repeats) {
  using RowMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMatrix work = points.cast<Scalar>();
  const Eigen::Index n = work.rows(), blocks = (n + block - 1) / block;
  return best_ns(
      [&] {
        const double total = imbalance::detail::parallel_sum(blocks, 1, [&](Eigen::Index begin, Eigen::Index end) {
          RowMatrix products(block, std::min(tile, n));
          double sum = 0;  // of the products' minima
          for (Eigen::Index p = begin; p < end; ++p) {
            const Eigen::Index q0 = p * block, b = std::min(block, n - q0);
            for (Eigen::Index t0 = each_pair_once ? q0 : 0; t0 < n; t0 += tile) {
              const Eigen::Index t = std::min(tile, n - t0);
              products.topLeftCorner(b, t).noalias() = work.middleRows(q0, b) * work.middleRows(t0, t).transpose();
              sum += static_cast<double>(products.topLeftCorner(b, t).minCoeff());
            }
          }
          return sum;
        });
        do_not_optimize(total);
      },
      repeats);
}

}  // namespace bench
