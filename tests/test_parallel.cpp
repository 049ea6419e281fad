#include <catch2/catch.hpp>

#include <imbalance/detail/parallel.hpp>

#include <atomic>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <imbalance/data/csv.hpp>
#include <imbalance/losses/focal.hpp>
#include <imbalance/losses/ldam.hpp>
#include <imbalance/losses/softmax_loss.hpp>
#include <imbalance/neighbors/neighbors.hpp>
#include <imbalance/over_sampling/smote.hpp>

#include "support/sampling_data.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace {

// Runs f() once per thread count in {1, 2, 3} (only 1 without OpenMP) and returns the results.
template <class F>
auto results_per_thread_count(F f) {
  std::vector<decltype(f())> results;
#if defined(_OPENMP)
  const int saved = omp_get_max_threads();
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    results.push_back(f());
  }
  omp_set_num_threads(saved);
#else
  results.push_back(f());
#endif
  return results;
}

template <class Matrix>
bool same_bits(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(typename Matrix::Scalar) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("parallel_chunks: fixed chunks cover 0 .. n - 1 once, whatever the thread count", "[detail][parallel]") {
  for (Eigen::Index n : {0, 1, 7, 64, 1000}) {
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(n));
    std::vector<Eigen::Index> chunk_of(static_cast<std::size_t>(n), -1);
    imbalance::detail::parallel_chunks(n, 10, [&](Eigen::Index chunk, Eigen::Index begin, Eigen::Index end) {
      CHECK(begin == chunk * 10);
      for (Eigen::Index i = begin; i < end; ++i) {
        ++seen[static_cast<std::size_t>(i)];
        chunk_of[static_cast<std::size_t>(i)] = chunk;
      }
    });
    for (Eigen::Index i = 0; i < n; ++i) {
      CHECK(seen[static_cast<std::size_t>(i)].load() == 1);
      CHECK(chunk_of[static_cast<std::size_t>(i)] == i / 10);
    }
  }
}

TEST_CASE("parallel_sum: the same bits for 1, 2 and 3 threads", "[detail][parallel]") {
  // Terms of very different magnitudes: any change of summation order would show in the last bits.
  std::vector<double> terms(100000);
  for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = std::ldexp(1.0 + 1e-3 * static_cast<double>(i % 977), static_cast<int>(i % 60) - 30);
  const auto sums = results_per_thread_count([&] {
    return imbalance::detail::parallel_sum(static_cast<Eigen::Index>(terms.size()), 100, [&](Eigen::Index b, Eigen::Index e) {
      double s = 0;
      for (Eigen::Index i = b; i < e; ++i) s += terms[static_cast<std::size_t>(i)];
      return s;
    });
  });
  for (double s : sums) CHECK(std::memcmp(&s, &sums.front(), sizeof s) == 0);
}

TEST_CASE("parallel_chunks: the error of the lowest failing chunk reaches the caller", "[detail][parallel]") {
  const auto messages = results_per_thread_count([] {
    try {
      imbalance::detail::parallel_chunks(1000, 10, [](Eigen::Index chunk, Eigen::Index, Eigen::Index) {
        if (chunk == 31 || chunk == 77) throw std::invalid_argument("chunk " + std::to_string(chunk));
      });
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  });
  for (const auto& m : messages) CHECK(m == "chunk 31");
}

TEST_CASE("Thread-count invariance: softmax-family losses, value and gradient", "[detail][parallel][losses]") {
  using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Index n = 3000, k = 100;  // several chunks of rows
  imbalance::Rng rng(5);
  Eigen::MatrixXd logits(n, k);
  for (Eigen::Index i = 0; i < logits.size(); ++i) logits(i) = 3 * imbalance::standard_normal(rng);
  Eigen::VectorXi labels(n), counts = Eigen::VectorXi::Zero(k);
  for (Eigen::Index i = 0; i < n; ++i) {
    labels(i) = static_cast<int>((i * 37) % k);  // every class present
    ++counts(labels(i));
  }
  const imbalance::LDAMLoss ldam(counts);
  const imbalance::FocalLoss focal(counts);
  const RowMatrixXf logits_float = logits.cast<float>();
  const auto runs = results_per_thread_count([&] {
    Eigen::MatrixXd grad(n, k), grad_focal(n, k);
    RowMatrixXf grad_float(n, k);
    const double v = ldam.value_and_gradient(logits, labels, grad);
    const double vf = ldam.value_and_gradient(logits_float, labels, grad_float);
    const double v_focal = focal.value_and_gradient(logits, labels, grad_focal);
    return std::make_tuple(v, vf, v_focal, grad, grad_float, grad_focal);
  });
  for (const auto& r : runs) {
    CHECK(std::get<0>(r) == std::get<0>(runs.front()));
    CHECK(std::get<1>(r) == std::get<1>(runs.front()));
    CHECK(std::get<2>(r) == std::get<2>(runs.front()));
    CHECK(same_bits(std::get<3>(r), std::get<3>(runs.front())));
    CHECK(same_bits(std::get<4>(r), std::get<4>(runs.front())));
    CHECK(same_bits(std::get<5>(r), std::get<5>(runs.front())));
  }
}

TEST_CASE("Thread-count invariance: neighbour search (both backends) and SMOTE", "[detail][parallel][sampling]") {
  const auto points = test_support::labelled_points({900, 300}, 20, 9, 1.0, 30);
  for (auto algorithm : {imbalance::NeighborAlgorithm::KDTree, imbalance::NeighborAlgorithm::BruteForce}) {
    const imbalance::NearestNeighbors nn(points.X, algorithm);
    const auto found = results_per_thread_count([&] { return nn.self_neighbors(5); });
    for (const auto& f : found) CHECK((f.array() == found.front().array()).all());
  }
  // d >= 256: the self-search by pairs of blocks (three blocks: two rounds of pairs and a bye).
  const auto wide = test_support::labelled_points({600, 100}, 256, 10, 1.0, 30);
  const imbalance::NearestNeighbors paired(wide.X, imbalance::NeighborAlgorithm::BruteForce);
  const auto found = results_per_thread_count([&] { return paired.self_neighbors(3); });
  for (const auto& f : found) CHECK((f.array() == found.front().array()).all());
  imbalance::SMOTEOptions options;
  options.neighbors = imbalance::NeighborAlgorithm::BruteForce;
  const imbalance::SMOTE smote(options);
  const auto resampled = results_per_thread_count([&] { return smote.fit_resample(points.X, points.y, 42); });
  for (const auto& r : resampled) {
    CHECK(same_bits(r.X, resampled.front().X));
    CHECK((r.y.array() == resampled.front().y.array()).all());
    CHECK(r.synthetic_base == resampled.front().synthetic_base);
    CHECK(r.synthetic_neighbor == resampled.front().synthetic_neighbor);
  }
}

TEST_CASE("read_csv and write_csv: the same bytes and rows for 1, 2 and 3 threads", "[detail][parallel]") {
  // About 13 MB: two parallel blocks of about 26 pieces.
  const auto data = test_support::labelled_points({150000, 30000}, 6, 41);
  std::vector<std::string> labels;
  for (Eigen::Index i = 0; i < data.y.size(); ++i) labels.push_back(data.y(i) ? "minority" : "majority");
  const std::vector<std::string> header{"a", "b", "c", "label", "d", "e", "f"};
  const auto written = results_per_thread_count([&] {
    std::ostringstream out;
    imbalance::write_csv(out, header, 3, data.X, labels);
    return out.str();
  });
  for (const auto& text : written) CHECK(text == written.front());
  const auto read = results_per_thread_count([&] {
    std::istringstream in(written.front());
    return imbalance::read_csv(in, "threads.csv", {"label", ',', {}, {}, false});
  });
  for (const auto& table : read) {
    CHECK(same_bits(table.features, data.X));
    CHECK(table.labels == labels);
  }
}
