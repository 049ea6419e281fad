// Cleaner benchmark: Tomek links (the exact 1-NN of every sample among all of them) on data shaped
// like Fashion-MNIST (default 60,000 x 784, 10 classes of 6,000), pixel-like: a shared mean image in
// [0, 1]^d, a class offset, 30 shared latent factors and noise (images have a low intrinsic
// dimension), with classes that overlap, so that links exist.
// Floor measured in the same run: the bare float matrix product of every (query, point) pair in
// the search's tiling (blocks of 256 queries, tiles of 256 points, each reduced to its minimum),
// the one product the brute force cannot avoid, on the same threads.
//
// Usage: imbalance-bench-cleaners [points] [dimension] [threads]
#include <fmt/core.h>

#include <cstdlib>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

int main(int argc, char** argv) {
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
  options.algorithm = imbalance::NeighborAlgorithm::BruteForce;
  std::vector<bool> links;
  const double tomek_ns = bench::best_ns([&] { links = imbalance::TomekLinks(options).links(X, y); }, 1);
  std::size_t in_links = 0;
  for (bool b : links) in_links += b;

  using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMatrix work = X.cast<float>();
  const Eigen::Index block = 256, tile = 256;
  const double floor_ns = bench::best_ns(
      [&] {
        const double total = imbalance::detail::parallel_sum(n, 4 * block, [&](Eigen::Index begin, Eigen::Index end) {
          RowMatrix products(block, std::min(tile, n));
          double sum = 0;
          for (Eigen::Index q0 = begin; q0 < end; q0 += block) {
            const Eigen::Index b = std::min(block, end - q0);
            for (Eigen::Index t0 = 0; t0 < n; t0 += tile) {
              const Eigen::Index t = std::min(tile, n - t0);
              products.topLeftCorner(b, t).noalias() = work.middleRows(q0, b) * work.middleRows(t0, t).transpose();
              sum += static_cast<double>(products.topLeftCorner(b, t).minCoeff());
            }
          }
          return sum;
        });
        bench::do_not_optimize(total);
      },
      1);
  fmt::print("{:<40} {:>10.1f}\n", "TomekLinks::links (brute force)", tomek_ns * 1e-9);
  fmt::print("{:<40} {:>10.1f}\n", "floor: float products of all pairs", floor_ns * 1e-9);
  fmt::print("{:<40} {:>10.2f}\n", "ratio", tomek_ns / floor_ns);
  fmt::print("samples in links: {}\n", in_links);
  return 0;
}
