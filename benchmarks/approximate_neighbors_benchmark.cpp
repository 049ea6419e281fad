// Approximate (HNSW) against exact neighbour search, on the shapes of SMOTE (the k nearest inside the
// minority class) and ENN (the k nearest among all rows): build and search time of HNSW for every
// row, recall@k against the exact search on a sample of rows, and the exact search's time for that
// sample scaled to every row (its cost is linear in the number of queries for a fixed index, so the
// scaling is a measurement, not a model). The exact search is the float-GEMM brute force, the faster
// exact backend at d = 64 on this data (--exact-auto: let NeighborAlgorithm::Auto choose).
//
// Data ("latent"): two classes on 8 latent factors in d columns plus 10 % isotropic noise, the
// minority's factor means shifted by 1.5: real features have such a low intrinsic dimension.
// "isotropic": full-rank Gaussian classes (every direction equally spread), HNSW's worst case.
//
// Usage: imbalance-bench-approximate-neighbors [--rows N] [--dim d] [--minority share] [--k k]
//          [--sample q] [--seed s] [--isotropic] [--m M] [--ef-construction E] [--ef e] [--shard-size S]
//          [--exact-auto] [--shape smote|enn|both]
//        imbalance-bench-approximate-neighbors --csv PATH [--rows N] [--dim d] [--minority share] [--seed s]
//          [--isotropic]   (writes the same data as a labelled CSV, 4 decimals, label column 'y')
#include <fmt/core.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <imbalance/core/random.hpp>
#include <imbalance/neighbors/neighbors.hpp>

#include "bench_util.hpp"

namespace {

struct Settings {
  Eigen::Index rows = 200000, dim = 64, k = 5, sample = 2000;
  double minority = 0.25;
  std::uint64_t seed = 1;
  bool isotropic = false;
  std::string csv, shape = "both";
  imbalance::HnswParameters hnsw;
  imbalance::NeighborAlgorithm exact = imbalance::NeighborAlgorithm::BruteForce;
};

// Row i of the data set (labels: the first (1 - minority) n rows are class 0, the rest class 1);
// rows are generated one at a time from one generator, so the CSV and the in-memory copy agree.
class Generator {
 public:
  explicit Generator(const Settings& s) : s_(s), rng_(s.seed), loading_(kFactors, s.dim), z_(kFactors) {
    for (Eigen::Index i = 0; i < loading_.size(); ++i) loading_(i) = imbalance::standard_normal(rng_);
  }
  Eigen::Index majority() const { return s_.rows - static_cast<Eigen::Index>(static_cast<double>(s_.rows) * s_.minority); }
  void row(Eigen::Index i, double* out) {
    const double shift = i >= majority() ? 1.5 : 0.0;
    if (s_.isotropic) {
      for (Eigen::Index j = 0; j < s_.dim; ++j) out[j] = imbalance::standard_normal(rng_) + (j == 0 ? 3 * shift : 0.0);
      return;
    }
    for (Eigen::Index f = 0; f < kFactors; ++f) z_(f) = imbalance::standard_normal(rng_) + shift;
    for (Eigen::Index j = 0; j < s_.dim; ++j) out[j] = z_.dot(loading_.col(j)) + 0.1 * imbalance::standard_normal(rng_);
  }

 private:
  static constexpr Eigen::Index kFactors = 8;
  const Settings& s_;
  imbalance::Rng rng_;
  Eigen::MatrixXd loading_;
  Eigen::VectorXd z_;
};

int write_csv(const Settings& s) {
  std::FILE* file = std::fopen(s.csv.c_str(), "wb");
  if (file == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", s.csv.c_str());
    return 1;
  }
  Generator generator(s);
  fmt::memory_buffer line;
  for (Eigen::Index j = 0; j < s.dim; ++j) fmt::format_to(std::back_inserter(line), "f{},", j);
  fmt::format_to(std::back_inserter(line), "y\n");
  std::vector<double> x(static_cast<std::size_t>(s.dim));
  for (Eigen::Index i = 0; i < s.rows; ++i) {
    generator.row(i, x.data());
    for (double v : x) fmt::format_to(std::back_inserter(line), "{:.4f},", v);
    fmt::format_to(std::back_inserter(line), "{}\n", i >= generator.majority() ? 1 : 0);
    if (line.size() > (std::size_t{1} << 20) || i + 1 == s.rows) {
      std::fwrite(line.data(), 1, line.size(), file);
      line.clear();
    }
  }
  return std::fclose(file) == 0 ? 0 : 1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One shape: the k nearest other rows of every row of `points`.
void measure(const char* shape, const Eigen::MatrixXd& points, const Settings& s) {
  using Clock = std::chrono::steady_clock;
  const Eigen::Index n = points.rows(), q = std::min(s.sample, n);
  std::vector<Eigen::Index> sample(static_cast<std::size_t>(q));
  for (Eigen::Index i = 0; i < q; ++i) sample[static_cast<std::size_t>(i)] = i * (n / q);

  auto start = Clock::now();
  const imbalance::NearestNeighbors approximate(points, imbalance::NeighborSearch::approximate(s.hnsw));
  const double build = seconds_since(start);
  start = Clock::now();
  const imbalance::NeighborIndices all = approximate.self_neighbors(s.k);
  const double search = seconds_since(start);

  start = Clock::now();
  const imbalance::NearestNeighbors exact(points, s.exact);
  const double exact_build = seconds_since(start);
  start = Clock::now();
  const imbalance::NeighborIndices truth = exact.self_neighbors(sample, s.k);
  const double exact_sample = seconds_since(start);
  Eigen::Index hits = 0;
  for (Eigen::Index r = 0; r < q; ++r)
    for (Eigen::Index j = 0; j < s.k; ++j)
      for (Eigen::Index l = 0; l < s.k; ++l) hits += truth(r, j) == all(sample[static_cast<std::size_t>(r)], l);
  const double recall = static_cast<double>(hits) / static_cast<double>(q * s.k);
  const double exact_all = exact_build + exact_sample * static_cast<double>(n) / static_cast<double>(q);
  // Floor: one pass converting the points to float, as the graphs' copies need.
  const double floor = bench::best_ns([&] { bench::do_not_optimize(points.cast<float>().eval().sum()); }, 3) * 1e-9;
  fmt::print("| {:<8} | {:>9} | {:>3} | {:>6} | {:>8.1f} | {:>8.1f} | {:>8.1f} | {:>6.4f} | {:>12.1f} | {:>7} | {:>6.1f}x | {:>7.3f} |\n",
             shape, n, points.cols(), approximate.shard_count(), build, search, build + search, recall, exact_all,
             exact.algorithm() == imbalance::NeighborAlgorithm::KDTree ? "kd-tree" : "brute", exact_all / (build + search),
             floor);
  std::fflush(stdout);
}

Eigen::Index integer_argument(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::fprintf(stderr, "%s needs a value\n", argv[i]);
    std::exit(2);
  }
  return std::strtoll(argv[++i], nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows") s.rows = integer_argument(i, argc, argv);
    else if (a == "--dim") s.dim = integer_argument(i, argc, argv);
    else if (a == "--k") s.k = integer_argument(i, argc, argv);
    else if (a == "--sample") s.sample = integer_argument(i, argc, argv);
    else if (a == "--seed") s.seed = static_cast<std::uint64_t>(integer_argument(i, argc, argv));
    else if (a == "--m") s.hnsw.M = static_cast<int>(integer_argument(i, argc, argv));
    else if (a == "--ef-construction") s.hnsw.ef_construction = static_cast<int>(integer_argument(i, argc, argv));
    else if (a == "--ef") s.hnsw.ef = static_cast<int>(integer_argument(i, argc, argv));
    else if (a == "--shard-size") s.hnsw.shard_size = integer_argument(i, argc, argv);
    else if (a == "--minority" && i + 1 < argc) s.minority = std::strtod(argv[++i], nullptr);
    else if (a == "--isotropic") s.isotropic = true;
    else if (a == "--exact-auto") s.exact = imbalance::NeighborAlgorithm::Auto;
    else if (a == "--csv" && i + 1 < argc) s.csv = argv[++i];
    else if (a == "--shape" && i + 1 < argc) s.shape = argv[++i];
    else {
      std::fprintf(stderr, "unknown argument %s (see the comment at the top of approximate_neighbors_benchmark.cpp)\n", argv[i]);
      return 2;
    }
  }
  if (s.rows < 10 || s.dim < 1 || s.k < 1 || s.sample < 1 || !(s.minority > 0 && s.minority < 1)) {
    std::fprintf(stderr, "impossible settings\n");
    return 2;
  }
  if (!s.csv.empty()) return write_csv(s);
  if (!imbalance::hnsw_available()) {
    std::fprintf(stderr, "this build has no hnswlib (Debian: libhnswlib-dev)\n");
    return 1;
  }
  bench::print_machine();
  Eigen::MatrixXd X(s.rows, s.dim);
  {
    Generator generator(s);
    std::vector<double> x(static_cast<std::size_t>(s.dim));
    for (Eigen::Index i = 0; i < s.rows; ++i) {
      generator.row(i, x.data());
      for (Eigen::Index j = 0; j < s.dim; ++j) X(i, j) = x[static_cast<std::size_t>(j)];
    }
  }
  const Eigen::Index majority = Generator(s).majority();
  fmt::print("data: {} ({} rows x {}, minority share {}, seed {}); k = {}; HNSW M = {}, ef_construction = {}, ef = {}, "
             "shard size {}; threads {}\n",
             s.isotropic ? "isotropic" : "latent, 8 factors", s.rows, s.dim, s.minority, s.seed, s.k, s.hnsw.M,
             s.hnsw.ef_construction, s.hnsw.ef, s.hnsw.shard_size, imbalance::detail::available_threads());
  fmt::print("recall@{} on {} sampled rows; exact time = its build + the sample's search x rows / sample\n\n", s.k,
             s.sample);
  fmt::print("| shape    |      rows | dim | graphs | build, s | search, s | HNSW, s | recall | exact (est), s | exact   | speed-up | floor, s |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  if (s.shape != "enn") measure("SMOTE", X.bottomRows(s.rows - majority), s);
  if (s.shape != "smote") measure("ENN", X, s);
  return 0;
}
