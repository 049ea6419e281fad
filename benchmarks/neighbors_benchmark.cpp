// Exact k-nearest-neighbour benchmark: all 5-NN of N isotropic Gaussian points in d dimensions (the
// worst case for a k-d tree; default N = 20,000, d = 32) with the brute-force backend, against the
// floors measured in the same run: the bare matrix product of the same shapes, Q X^T for every
// (query, point) pair, in float (the product the search's first filter runs on) and in double, each
// the fastest of four tilings (blocks of 32 or 256 queries, tiles of 1024 or 4096 points; each tile
// reduced to its minimum so the product cannot be dropped); for 1 and 2 threads (query blocks in
// parallel, as the search does).
//
// Usage: imbalance-bench-neighbors [points] [dimension] [k]
#include <fmt/core.h>

#include <cstdlib>
#include <limits>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

int main(int argc, char** argv) {
  bench::print_machine();
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 20000;
  const Eigen::Index d = argc > 2 ? std::atol(argv[2]) : 32;
  const Eigen::Index k = argc > 3 ? std::atol(argv[3]) : 5;
  imbalance::Rng rng(11);
  Eigen::MatrixXd X(n, d);
  for (Eigen::Index i = 0; i < X.size(); ++i) X(i) = imbalance::standard_normal(rng);
  fmt::print("Exact {}-NN of {} isotropic Gaussian points in {} dimensions (brute force), seconds\n", k, n, d);
  fmt::print("{:>8} {:>10} {:>18} {:>8} {:>19} {:>8}\n", "threads", "search", "floor: float GEMM", "ratio",
             "floor: double GEMM", "ratio");
  imbalance::NeighborIndices first;
  for (int threads : {1, 2}) {
    bench::set_threads(threads);
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
    auto floor_ns = [&](auto scalar) {
      using Scalar = decltype(scalar);
      double best = std::numeric_limits<double>::infinity();
      for (Eigen::Index block : {32, 256})
        for (Eigen::Index tile : {1024, 4096}) {
          const double ns = bench::products_floor_ns<Scalar>(X, block, tile, false, 2);
          if (std::getenv("IMBALANCE_BENCH_VERBOSE"))
            fmt::print("  {} floor tiling {} x {}: {:.3f} s\n", sizeof(Scalar) == 4 ? "float" : "double", block, tile,
                       ns * 1e-9);
          best = std::min(best, ns);
        }
      return best;
    };
    const double float_ns = floor_ns(float{}), double_ns = floor_ns(double{});
    fmt::print("{:>8} {:>10.3f} {:>18.3f} {:>8.2f} {:>19.3f} {:>8.2f}\n", threads, search_ns * 1e-9, float_ns * 1e-9,
               search_ns / float_ns, double_ns * 1e-9, search_ns / double_ns);
  }
  return 0;
}
