// NearMiss-2 benchmark: memory and time of the under-sampler whose score needs the distance from
// every majority sample to every minority sample (imbalanced-learn asks scikit-learn for all
// n_min neighbours of each majority sample: two n_maj x n_min arrays of 8-byte entries).
// Default: 200,000 x 64 Gaussian points, 2 classes, 10 % minority, one class offset.
// Printed: the run's time and the process's peak RSS beside the input's bytes and the bytes of the
// two arrays imbalanced-learn would build; the floor measured in the same run is the bare double
// matrix product of every (majority, minority) pair in the same 128 x 2048 tiles, each product
// reduced to its maximum.
//
// Usage: imbalance-bench-near-miss [points] [dimension] [threads] [minority share]
#include <fmt/core.h>
#include <sys/resource.h>

#include <cstdlib>

#include <imbalance/imbalance.hpp>
#include <imbalance/registry.hpp>

#include "bench_util.hpp"

namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  bench::print_machine();
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 200000;
  const Eigen::Index d = argc > 2 ? std::atol(argv[2]) : 64;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const double share = argc > 4 ? std::atof(argv[4]) : 0.1;
  bench::set_threads(threads);
  imbalance::Rng rng(3);
  Eigen::MatrixXd X(n, d);
  Eigen::VectorXi y(n);
  const auto n_min = static_cast<Eigen::Index>(static_cast<double>(n) * share);
  for (Eigen::Index i = 0; i < n; ++i) {
    y(i) = i < n - n_min ? 0 : 1;
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) = imbalance::standard_normal(rng) + (j == 0 ? 1.5 * y(i) : 0.0);
  }
  const double mib = 1024.0 * 1024.0;
  const long before_kb = peak_rss_kb();
  fmt::print("NearMiss-2, {} x {} ({} majority, {} minority), {} thread(s)\n", n, d, n - n_min, n_min, threads);
  imbalance::NearMissOptions options;
  options.version = 2;
  imbalance::Resampled<Eigen::MatrixXd> out;
  const double run_ns = bench::best_ns([&] { out = imbalance::NearMiss(options).fit_resample(X, y); }, 1);
  const double peak = static_cast<double>(peak_rss_kb()) * 1024;

  // Floor: the products of every (majority, minority) pair, in the sampler's tiles.
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMatrix majority = X.topRows(n - n_min), minority = X.bottomRows(n_min);
  const Eigen::Index block = 128, tile = 2048, blocks = (majority.rows() + block - 1) / block;
  const double floor_ns = bench::best_ns(
      [&] {
        const double total = imbalance::detail::parallel_sum(blocks, 1, [&](Eigen::Index begin, Eigen::Index end) {
          RowMatrix products(block, tile);
          double sum = 0;
          for (Eigen::Index p = begin; p < end; ++p) {
            const Eigen::Index q0 = p * block, b = std::min(block, majority.rows() - q0);
            for (Eigen::Index t0 = 0; t0 < n_min; t0 += tile) {
              const Eigen::Index t = std::min(tile, n_min - t0);
              products.topLeftCorner(b, t).noalias() = majority.middleRows(q0, b) * minority.middleRows(t0, t).transpose();
              sum += products.topLeftCorner(b, t).maxCoeff();
            }
          }
          return sum;
        });
        bench::do_not_optimize(total);
      },
      1);
  const double input = static_cast<double>(n) * static_cast<double>(d + 1) * 8;
  const double imblearn = 2.0 * static_cast<double>(n - n_min) * static_cast<double>(n_min) * 8;
  fmt::print("{:<44} {:>10.2f} s\n", "NearMiss(version 2).fit_resample", run_ns * 1e-9);
  fmt::print("{:<44} {:>10.2f} s {:>6.2f}x\n", "floor: double products of all pairs", floor_ns * 1e-9, run_ns / floor_ns);
  fmt::print("peak RSS {:.0f} MiB ({:.0f} MiB before NearMiss; input {:.0f} MiB); imbalanced-learn's two n_maj x n_min "
             "arrays: {:.1f} GiB\n",
             peak / mib, static_cast<double>(before_kb) / 1024, input / mib, imblearn / mib / 1024);
  fmt::print("kept: {} rows\n", out.y.size());
  return 0;
}
