// Cleaner benchmark: Tomek links (the exact 1-NN of every sample among all of them) on data shaped
// like Fashion-MNIST (default 60,000 x 784, 10 classes of 6,000), pixel-like: a shared mean image in
// [0, 1]^d, a class offset, 30 shared latent factors and noise (images have a low intrinsic
// dimension), with classes that overlap, so that links exist.
// Floors measured in the same run, on the same threads: the bare float matrix products of every
// pair of blocks of 256 points computed once (what the self-search by pairs of blocks computes), and
// of every (query, point) pair (what a search query by query computes), each product reduced to its
// minimum so that it cannot be dropped.
//
// Usage: imbalance-bench-cleaners [points] [dimension] [threads]
#include <fmt/core.h>

#include <cstdlib>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

int main(int argc, char** argv) {
  bench::print_machine();
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 60000;
  const Eigen::Index d = argc > 2 ? std::atol(argv[2]) : 784;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const Eigen::Index classes = 10, factors = 30;
  bench::set_threads(threads);
  imbalance::Rng rng(5);
  Eigen::MatrixXd means(classes, d), loading(factors, d);
  Eigen::RowVectorXd image(d);
  for (Eigen::Index j = 0; j < d; ++j) image(j) = imbalance::uniform01(rng);
  for (Eigen::Index c = 0; c < classes; ++c)
    for (Eigen::Index j = 0; j < d; ++j) means(c, j) = image(j) + 0.004 * imbalance::standard_normal(rng);
  for (Eigen::Index i = 0; i < loading.size(); ++i) loading(i) = 0.05 * imbalance::standard_normal(rng);
  Eigen::MatrixXd X(n, d);
  Eigen::VectorXi y(n);
  Eigen::RowVectorXd z(factors);
  for (Eigen::Index i = 0; i < n; ++i) {
    y(i) = static_cast<int>(i % classes);
    for (Eigen::Index f = 0; f < factors; ++f) z(f) = imbalance::standard_normal(rng);
    X.row(i) = means.row(y(i)) + z * loading;
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) += 0.05 * imbalance::standard_normal(rng);
  }
  fmt::print("Tomek links, {} x {} ({} classes, pixel-like), {} thread(s), seconds\n", n, d, classes, threads);
  imbalance::TomekLinksOptions options;
  options.neighbors = imbalance::NeighborAlgorithm::BruteForce;
  std::vector<bool> links;
  const double tomek_ns = bench::best_ns([&] { links = imbalance::TomekLinks(options).links(X, y); }, 1);
  std::size_t in_links = 0;
  for (bool b : links) in_links += b;

  const double once_ns = bench::products_floor_ns<float>(X, 256, 256, true, 1),
               all_ns = bench::products_floor_ns<float>(X, 256, 256, false, 1);
  fmt::print("{:<40} {:>10.1f}\n", "TomekLinks::links (brute force)", tomek_ns * 1e-9);
  fmt::print("{:<40} {:>10.1f} {:>8.2f}x\n", "floor: float products, each pair once", once_ns * 1e-9, tomek_ns / once_ns);
  fmt::print("{:<40} {:>10.1f} {:>8.2f}x\n", "floor: float products, every pair", all_ns * 1e-9, tomek_ns / all_ns);
  fmt::print("samples in links: {}\n", in_links);
  return 0;
}
