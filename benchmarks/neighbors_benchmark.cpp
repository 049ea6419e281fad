// Exact k-nearest-neighbour benchmark: all 5-NN of N isotropic Gaussian points in d dimensions (the
// worst case for a k-d tree; default N = 20,000, d = 32) with the brute-force backend, against the
// floor measured in the same run: the bare matrix product of the same shapes, |q|^2 + |x|^2 - 2 q.x
// for every (query, point) pair, computed in blocks of 256 queries against all points (Eigen's
// product at its most efficient) and reduced to each query's minimum so it cannot be dropped; for
// 1 and 2 threads (query blocks in parallel, as the search does).
//
// Usage: imbalance-bench-neighbors [points] [dimension] [k]
#include <fmt/core.h>

#include <cstdlib>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace {

void set_threads(int threads) {
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

// The floor (see the top of the file).
double bare_product_ns(const Eigen::MatrixXd& points) {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMatrix work = points;
  const Eigen::VectorXd norms = work.rowwise().squaredNorm();
  const Eigen::Index n = work.rows(), block = 256;
  return bench::best_ns(
      [&] {
        const double total = imbalance::detail::parallel_sum(n, block, [&](Eigen::Index begin, Eigen::Index end) {
          RowMatrix products(end - begin, n);
          products.noalias() = work.middleRows(begin, end - begin) * work.transpose();
          return ((-2 * products).array().rowwise() + norms.transpose().array()).rowwise().minCoeff().sum();
        });
        bench::do_not_optimize(total);
      },
      2);
}

}  // namespace

int main(int argc, char** argv) {
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 20000;
  const Eigen::Index d = argc > 2 ? std::atol(argv[2]) : 32;
  const Eigen::Index k = argc > 3 ? std::atol(argv[3]) : 5;
  imbalance::Rng rng(11);
  Eigen::MatrixXd X(n, d);
  for (Eigen::Index i = 0; i < X.size(); ++i) X(i) = imbalance::standard_normal(rng);
  fmt::print("Exact {}-NN of {} isotropic Gaussian points in {} dimensions (brute force), seconds\n", k, n, d);
  fmt::print("{:>8} {:>12} {:>14} {:>8}\n", "threads", "search", "floor: GEMM", "ratio");
  imbalance::NeighborIndices first;
  for (int threads : {1, 2}) {
    set_threads(threads);
    imbalance::NeighborIndices found;
    const double search_ns = bench::best_ns(
        [&] {
          const imbalance::NearestNeighbors nn(X, imbalance::NeighborAlgorithm::BruteForce);
          found = nn.self_neighbors(k);
        },
        2);
    if (threads == 1) first = found;
    if (!(found.array() == first.array()).all()) {
      fmt::print(stderr, "different neighbours with {} threads\n", threads);
      return 1;
    }
    const double floor_ns = bare_product_ns(X);
    fmt::print("{:>8} {:>12.3f} {:>14.3f} {:>8.2f}\n", threads, search_ns * 1e-9, floor_ns * 1e-9, search_ns / floor_ns);
  }
  return 0;
}
