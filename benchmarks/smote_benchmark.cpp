// SMOTE benchmark: time and memory of SMOTE (k = 5, one thread) for minority sizes 10k, 50k, 200k
// and d = 8, 32, 128, beside the time of the neighbour search alone (the exact k-NN inside the
// minority class, which dominates). Data: a majority of 2x the minority size and a minority drawn
// from a Gaussian with a low-dimensional structure (4 latent factors plus 5 % isotropic noise), as
// real feature vectors have; `--isotropic` draws a full-rank isotropic Gaussian instead (the worst
// case for exact neighbour search).
//
// Usage: imbalance-bench-smote [--isotropic] [--max-work W]   (combinations with d > 16 whose
// brute-force work n^2 d exceeds W, default 2e12, are skipped and reported as such)
//        imbalance-bench-smote --memory N d   (one SMOTE of N points, a third of them minority, to
// 'auto' balance in a fresh process: peak RSS against the bytes of input plus output)
#include <fmt/core.h>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <imbalance/imbalance.hpp>
#include <imbalance/registry.hpp>

#include "bench_util.hpp"

namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

Eigen::MatrixXd make_points(Eigen::Index n, Eigen::Index d, bool isotropic, imbalance::Rng& rng) {
  Eigen::MatrixXd X(n, d);
  if (isotropic) {
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < d; ++j) X(i, j) = imbalance::standard_normal(rng);
    return X;
  }
  const Eigen::Index factors = 4;
  Eigen::MatrixXd loading(factors, d);
  for (Eigen::Index f = 0; f < factors; ++f)
    for (Eigen::Index j = 0; j < d; ++j) loading(f, j) = imbalance::standard_normal(rng);
  Eigen::RowVectorXd z(factors);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index f = 0; f < factors; ++f) z(f) = imbalance::standard_normal(rng);
    X.row(i) = z * loading;
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) += 0.05 * imbalance::standard_normal(rng);
  }
  return X;
}

}  // namespace

// One SMOTE of n points (2n/3 majority, n/3 minority, 4-factor data) to 'auto' balance: its time
// and the process's peak RSS beside the bytes of the input (X and y) and of the output.
int memory_run(Eigen::Index n, Eigen::Index d) {
  imbalance::Rng rng(7);
  const Eigen::Index minority = n / 3, majority = n - minority;
  Eigen::MatrixXd X(n, d);
  X.topRows(majority) = make_points(majority, d, false, rng).array() + 3.0;
  X.bottomRows(minority) = make_points(minority, d, false, rng);
  Eigen::VectorXi y(n);
  y.head(majority).setZero();
  y.tail(minority).setOnes();
  const long before_kb = peak_rss_kb();
  imbalance::Resampled<Eigen::MatrixXd> out;
  const double ns = bench::best_ns([&] { out = imbalance::SMOTE().fit_resample(X, y, 1); }, 1);
  const double input = static_cast<double>(X.size()) * 8 + static_cast<double>(y.size()) * 4;
  const double output = static_cast<double>(out.X.size()) * 8 + static_cast<double>(out.y.size()) * 4;
  const double peak = static_cast<double>(peak_rss_kb()) * 1024;
  constexpr double mib = 1 << 20;
  fmt::print("SMOTE of {} x {} ({} minority) to {} rows: {:.1f} s\n", n, d, minority, out.X.rows(), ns * 1e-9);
  fmt::print("input {:.0f} MiB + output {:.0f} MiB = {:.0f} MiB; peak RSS {:.0f} MiB ({:.0f} MiB before SMOTE) = {:.2f}x\n",
             input / mib, output / mib, (input + output) / mib, peak / mib, static_cast<double>(before_kb) / 1024,
             peak / (input + output));
  return 0;
}

int main(int argc, char** argv) {
  bench::print_machine();
  if (argc == 4 && std::strcmp(argv[1], "--memory") == 0) return memory_run(std::atol(argv[2]), std::atol(argv[3]));
  bool isotropic = false;
  double max_work = 2e12;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--isotropic") == 0) isotropic = true;
    if (std::strcmp(argv[a], "--max-work") == 0 && a + 1 < argc) max_work = std::atof(argv[++a]);
  }
  fmt::print("SMOTE, k = 5, one thread, {} data (times in seconds, memory in MiB)\n",
             isotropic ? "isotropic Gaussian" : "4-factor Gaussian");
  fmt::print("{:>9} {:>5} {:>12} {:>10} {:>10} {:>12} {:>13}\n", "minority", "d", "neighbours", "backend", "SMOTE",
             "output MiB", "peak RSS MiB");
  for (Eigen::Index n : {10000, 50000, 200000}) {
    for (Eigen::Index d : {8, 32, 128}) {
      const double work = static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(d);
      if (d > 16 && work > max_work) {
        fmt::print("{:>9} {:>5} {:>12} {:>10} {:>10} {:>12} {:>13}\n", n, d, "skipped", "-", "-", "-",
                   "(n^2 d > max-work)");
        continue;
      }
      imbalance::Rng rng(static_cast<std::uint64_t>(n + d));
      const Eigen::MatrixXd minority = make_points(n, d, isotropic, rng);
      Eigen::MatrixXd X(3 * n, d);
      X.topRows(2 * n) = make_points(2 * n, d, isotropic, rng).array() + 3.0;
      X.bottomRows(n) = minority;
      Eigen::VectorXi y(3 * n);
      y.head(2 * n).setZero();
      y.tail(n).setOnes();
      imbalance::NeighborIndices neighbors;
      imbalance::NeighborAlgorithm chosen = imbalance::NeighborAlgorithm::Auto;
      const double neighbor_ns = bench::best_ns(
          [&] {
            const imbalance::NearestNeighbors nn(minority);
            chosen = nn.algorithm();
            neighbors = nn.self_neighbors(5);
            bench::do_not_optimize(neighbors.data());
          },
          1);
      imbalance::Resampled<Eigen::MatrixXd> out;
      const double smote_ns = bench::best_ns(
          [&] {
            out = imbalance::SMOTE().fit_resample(X, y, 1);
            bench::do_not_optimize(out.X.data());
          },
          1);
      fmt::print("{:>9} {:>5} {:>12.3f} {:>10} {:>10.3f} {:>12.1f} {:>13.1f}\n", n, d, neighbor_ns * 1e-9,
                 chosen == imbalance::NeighborAlgorithm::KDTree ? "k-d tree" : "brute", smote_ns * 1e-9,
                 static_cast<double>(out.X.size()) * 8.0 / (1 << 20), static_cast<double>(peak_rss_kb()) / 1024.0);
    }
  }
  return 0;
}
