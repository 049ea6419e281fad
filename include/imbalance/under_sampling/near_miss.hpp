#pragma once
/// @file
/// NearMiss under-sampling, versions 1, 2 and 3.
///
/// Zhang & Mani, "kNN Approach to Unbalanced Data Distributions: A Case Study Involving
/// Information Extraction", ICML 2003 workshop; as imbalanced-learn 0.10
/// (under_sampling/_prototype_selection/_nearmiss.py). Let M be the minority class (the smallest
/// count; ties: the class seen first in y, as imbalanced-learn's Counter) and dist the Euclidean
/// distance. For each class c targeted by sampling_strategy (default 'auto' = every class but the
/// minority), n_c = the number to keep:
///  - version 1: score(x) = sum of dist to the k = n_neighbors nearest samples of M; keep the n_c
///    samples of c with the smallest scores;
///  - version 2: score(x) = sum of dist to the k *farthest* samples of M; keep the n_c smallest;
///  - version 3: first the n_neighbors_ver3 nearest samples of c of every sample of M (their union
///    U); then score(x) of version 1 for x in U, keeping the n_c *largest* (U may hold fewer than n_c
///    samples: all of U is kept, as imbalanced-learn does after its warning).
/// Sums add the k distances in ascending order; ties of scores keep the earlier sample (Python's
/// stable sort). Distances are sqrt(L) of the exact neighbour search's contract (neighbors.hpp),
/// so neighbour sets and ranks are exact.
///
/// Memory: version 2 needs every distance from c to M (imbalanced-learn builds the n_c x n_M
/// matrix: over 500 GB on 2.4M x 804); here blocks of 128 queries meet tiles of 2048 minority
/// samples in a matrix product with a proven error bound, a query keeps only the points that bound
/// cannot exclude from its k farthest, and those are re-ranked exactly: memory is the data plus
/// one 128 x 2048 tile per thread.
/// Defaults: version 1, n_neighbors = 3, n_neighbors_ver3 = 3, 'auto'.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"

namespace imbalance {

/// Options of NearMiss (see imbalance/under_sampling/near_miss.hpp for the formula, the paper and the defaults).
struct NearMissOptions : ResamplerOptions {
  /// NearMiss version: 1, 2 or 3.
  int version = 1;
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 3;
  /// Version 3's first step: neighbours of each minority sample in the class to under-sample.
  Eigen::Index n_neighbors_ver3 = 3;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

namespace detail {

/// For every row of `queries`, the sum of the distances (sqrt of the exact L) to its min(k, m)
/// farthest rows of `points` (m rows), added in ascending order. Exact: a matrix product on
/// centred, power-of-two-scaled copies gives each distance up to a proven bound, a query keeps the
/// points whose upper bound reaches its k-th largest lower bound, and those are ranked by L.
template <class Points>
std::vector<double> farthest_distance_sums(const Points& queries, const Points& points, Eigen::Index k) {
  const Eigen::Index d = points.cols(), m = points.rows(), nq = queries.rows();
  const Eigen::Index kk = std::min(k, m);
  std::vector<double> sums(static_cast<std::size_t>(nq), 0.0);
  if (nq == 0 || kk == 0) return sums;
  // Centre (per column, the midpoint of the points' range: no overflow) and a power-of-two scale
  // that brings every centred coordinate into [-1, 1].
  const Eigen::RowVectorXd centre = points.colwise().minCoeff() / 2 + points.colwise().maxCoeff() / 2;
  double half_extent = 0;  // max |x/2 - c/2| cannot overflow
  const Eigen::RowVectorXd half_centre = centre / 2;
  for (const Points* set : {&points, &queries})
    for (Eigen::Index i = 0; i < set->rows(); ++i)
      half_extent = std::max(half_extent, (set->row(i) / 2 - half_centre).cwiseAbs().maxCoeff());
  int exponent = 0;
  std::frexp(half_extent, &exponent);  // half_extent < 2^exponent
  const double scale = half_extent > 0 ? std::ldexp(1.0, -(exponent + 1)) : 1.0;  // extent * scale <= 1
  auto scaled = [&](const Points& set, Eigen::Index begin, Eigen::Index count) {
    Points out(count, d);
    for (Eigen::Index i = 0; i < count; ++i)
      for (Eigen::Index j = 0; j < d; ++j) {
        const double x = set(begin + i, j), c = centre(j);
        out(i, j) = scale <= 1 ? x * scale - c * scale : (x - c) * scale;
      }
    return out;
  };
  const Points scaled_points = scaled(points, 0, m);
  const Eigen::VectorXd point_norms = scaled_points.rowwise().squaredNorm();
  // |D~ - D| <= (2 gamma_{d+2} + 5u)(|a|^2 + |b|^2) with a margin (D~ = |a|^2 + |b|^2 - 2 a.b in
  // double, centring rounded once per coordinate), plus an absolute term for underflow.
  const double u = std::numeric_limits<double>::epsilon() / 2;
  const double gamma = static_cast<double>(d + 2) * u / (1 - static_cast<double>(d + 2) * u);
  const double relative = 1.01 * (2 * gamma + 5 * u);
  const double absolute = static_cast<double>(d + 2) * std::ldexp(1.0, -1000);
  constexpr Eigen::Index kBlock = 128, kTile = 2048;
  parallel_chunks(nq, kBlock, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    const Points block = scaled(queries, begin, end - begin);
    const Eigen::VectorXd block_norms = block.rowwise().squaredNorm();
    struct Candidate {
      double upper;
      Eigen::Index index;
    };
    std::vector<std::vector<Candidate>> candidates(static_cast<std::size_t>(end - begin));
    std::vector<std::priority_queue<double, std::vector<double>, std::greater<double>>> lowest(candidates.size());
    std::vector<double> threshold(candidates.size(), -std::numeric_limits<double>::infinity());
    Eigen::MatrixXd products;
    for (Eigen::Index t = 0; t < m; t += kTile) {
      const Eigen::Index width = std::min(kTile, m - t);
      products.noalias() = block * scaled_points.middleRows(t, width).transpose();
      for (Eigen::Index q = 0; q < end - begin; ++q) {
        auto& list = candidates[static_cast<std::size_t>(q)];
        auto& heap = lowest[static_cast<std::size_t>(q)];
        double& floor = threshold[static_cast<std::size_t>(q)];
        for (Eigen::Index j = 0; j < width; ++j) {
          const double norms = block_norms(q) + point_norms(t + j);
          const double approx = norms - 2 * products(q, j);
          const double error = relative * norms + absolute;
          if (approx + error < floor) continue;
          list.push_back({approx + error, t + j});
          if (static_cast<Eigen::Index>(heap.size()) < kk) {
            heap.push(approx - error);
          } else if (approx - error > heap.top()) {
            heap.pop();
            heap.push(approx - error);
          }
          if (static_cast<Eigen::Index>(heap.size()) == kk) floor = heap.top();
        }
        if (static_cast<Eigen::Index>(list.size()) > 4 * kk + 256)
          list.erase(std::remove_if(list.begin(), list.end(), [&](const Candidate& c) { return c.upper < floor; }),
                     list.end());
      }
    }
    std::vector<std::pair<long double, Eigen::Index>> exact;
    for (Eigen::Index q = 0; q < end - begin; ++q) {
      exact.clear();
      const double* query = queries.row(begin + q).data();
      for (const Candidate& c : candidates[static_cast<std::size_t>(q)]) {
        if (c.upper < threshold[static_cast<std::size_t>(q)]) continue;
        exact.emplace_back(exact_squared_distance(query, points.row(c.index).data(), d), c.index);
      }
      std::sort(exact.begin(), exact.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      double sum = 0;
      for (Eigen::Index r = kk - 1; r >= 0; --r)
        sum += static_cast<double>(std::sqrt(exact[static_cast<std::size_t>(r)].first));
      sums[static_cast<std::size_t>(begin + q)] = sum;
    }
  });
  return sums;
}

/// For every row of `queries`, the sum of the distances to its k nearest indexed points of `nn`,
/// added nearest first.
template <class Points>
std::vector<double> nearest_distance_sums(const NearestNeighbors& nn, const Points& queries, Eigen::Index k) {
  const NeighborIndices nearest = nn.query(queries, k);
  std::vector<double> sums(static_cast<std::size_t>(queries.rows()), 0.0);
  for (Eigen::Index q = 0; q < queries.rows(); ++q)
    for (Eigen::Index j = 0; j < k; ++j)
      sums[static_cast<std::size_t>(q)] +=
          exact_distance(queries.row(q).data(), nn.points().row(nearest(q, j)).data(), nn.dimension());
  return sums;
}

/// The positions of the `count` smallest (or largest) scores, ties in position order.
inline std::vector<Eigen::Index> select_by_score(const std::vector<double>& scores, Eigen::Index count, bool largest) {
  std::vector<Eigen::Index> order(scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    const double sa = scores[static_cast<std::size_t>(a)], sb = scores[static_cast<std::size_t>(b)];
    return largest ? sa > sb : sa < sb;
  });
  order.resize(std::min(order.size(), static_cast<std::size_t>(std::max<Eigen::Index>(count, 0))));
  return order;
}

}  // namespace detail

/// NearMiss under-sampling, versions 1, 2 and 3. See imbalance/under_sampling/near_miss.hpp for the formula, the paper and the defaults.
class NearMiss : public detail::DeterministicResampler<NearMiss> {
 public:
  using detail::DeterministicResampler<NearMiss>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = NearMissOptions;

  /// Built from the options.
  explicit NearMiss(NearMissOptions options = {}) : options_(std::move(options)) {
    const char* function = "NearMiss::NearMiss()";
    if (options_.version < 1 || options_.version > 3)
      detail::throw_invalid(function, ": version must be 1, 2 or 3 (got ", options_.version, ")");
    if (options_.n_neighbors < 1) detail::throw_invalid(function, ": n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
    if (options_.n_neighbors_ver3 < 1)
      detail::throw_invalid(function, ": n_neighbors_ver3 must be >= 1 (got ", options_.n_neighbors_ver3, ")");
  }

  /// The options it was built with.
  const NearMissOptions& options() const noexcept { return options_; }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const char* function = "NearMiss::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::UnderSampling);
    const int minority = detail::first_minority(rows);
    const auto& minority_rows = rows.at(minority);
    const auto n_minority = static_cast<Eigen::Index>(minority_rows.size());
    const Eigen::Index k = options_.n_neighbors;
    if (options_.version != 2 && k > n_minority)
      detail::throw_invalid(function, ": n_neighbors = ", k, " exceeds the ", n_minority,
                            " samples of the minority class ", detail::class_name(minority));
    const NearestNeighbors minority_nn(X, minority_rows, options_.neighbors);
    std::vector<Eigen::Index> keep;
    for (const auto& [label, members] : rows) {
      const auto target = targets.find(label);
      if (target == targets.end()) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      for (Eigen::Index position : select(X, members, minority_nn, target->second, label))
        keep.push_back(members[static_cast<std::size_t>(position)]);
    }
    std::sort(keep.begin(), keep.end());
    return detail::select_rows(X, y, std::move(keep));
  }

 private:
  // Positions in `members` (the samples of class `label`) to keep.
  template <class DX>
  std::vector<Eigen::Index> select(const Eigen::DenseBase<DX>& X, const std::vector<Eigen::Index>& members,
                                   const NearestNeighbors& minority_nn, Eigen::Index keep, int label) const {
    const Eigen::Index k = options_.n_neighbors;
    constexpr std::size_t kQueryRows = 8192;  // queries copied per pass (bounded memory)
    if (options_.version == 1 || options_.version == 2) {
      std::vector<double> scores;
      scores.reserve(members.size());
      for (std::size_t begin = 0; begin < members.size(); begin += kQueryRows) {
        const NearestNeighbors::Points queries = detail::gather_rows(X, members, begin, begin + kQueryRows);
        const std::vector<double> part = options_.version == 1
                                             ? detail::nearest_distance_sums(minority_nn, queries, k)
                                             : detail::farthest_distance_sums(queries, minority_nn.points(), k);
        scores.insert(scores.end(), part.begin(), part.end());
      }
      return detail::select_by_score(scores, keep, false);
    }
    const auto n_class = static_cast<Eigen::Index>(members.size());
    if (options_.n_neighbors_ver3 > n_class)
      detail::throw_invalid("NearMiss::fit_resample(): n_neighbors_ver3 = ", options_.n_neighbors_ver3, " exceeds the ",
                            n_class, " samples of class ", detail::class_name(label));
    const NearestNeighbors class_nn(X, members, options_.neighbors);
    const NeighborIndices near_minority = class_nn.query(minority_nn.points(), options_.n_neighbors_ver3);
    std::vector<Eigen::Index> candidates(near_minority.data(), near_minority.data() + near_minority.size());
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<double> scores;
    scores.reserve(candidates.size());
    for (std::size_t begin = 0; begin < candidates.size(); begin += kQueryRows) {
      const std::size_t end = std::min(candidates.size(), begin + kQueryRows);
      NearestNeighbors::Points queries(static_cast<Eigen::Index>(end - begin), X.cols());
      for (std::size_t r = begin; r < end; ++r)
        queries.row(static_cast<Eigen::Index>(r - begin)) = class_nn.points().row(candidates[r]);
      const std::vector<double> part = detail::nearest_distance_sums(minority_nn, queries, k);
      scores.insert(scores.end(), part.begin(), part.end());
    }
    std::vector<Eigen::Index> chosen = detail::select_by_score(scores, keep, true);
    for (Eigen::Index& position : chosen) position = candidates[static_cast<std::size_t>(position)];
    return chosen;
  }

  NearMissOptions options_;
};

}  // namespace imbalance
