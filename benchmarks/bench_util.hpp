#pragma once
// Timing helpers shared by the benchmarks: best-of-R wall time of a callable, in nanoseconds.

#include <algorithm>
#include <chrono>
#include <limits>

#include <Eigen/Core>

#include <imbalance/detail/parallel.hpp>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace bench {

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
