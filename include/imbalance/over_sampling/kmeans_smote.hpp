#pragma once
/// @file
/// K-Means SMOTE: SMOTE inside clusters chosen by class balance and weighted by sparsity.
///
/// Douzas, Bacao & Last, "Improving imbalanced learning through a heuristic oversampling method
/// based on k-means and SMOTE", Information Sciences 465, 2018; as imbalanced-learn 0.10
/// (over_sampling/_smote/cluster.py). k-means (kmeans.hpp, the best of n_init runs) splits all of X
/// into n_clusters clusters. For each class c to over-sample (sampling_strategy, default 'auto'),
/// n_c new samples:
///   1. a cluster qualifies when the share of c in it is >= cluster_balance_threshold (default:
///      n_c / (sum of all classes' n) / 2) and it holds at least k_neighbors + 1 samples of c;
///   2. its sparsity is mean_dist^e / m, where m is its number of samples of c, mean_dist their mean
///      pairwise Euclidean distance and e = density_exponent (default: 0.16 log_1.6(m)^1.8);
///   3. the n_c samples are shared among qualifying clusters in proportion to sparsity (largest
///      remainders, so exactly n_c; imbalanced-learn rounds every share up and may add a few more);
///   4. inside each cluster, SMOTE (smote.hpp) on its samples of c with k_neighbors.
/// No qualifying cluster is an error that names the class and the thresholds. Mean distances are
/// summed pair by pair (no distance matrix). Differences from imbalanced-learn: full k-means in
/// place of MiniBatchKMeans, the library's generator. Defaults: n_clusters = 8, n_init = 3,
/// k_neighbors = 2, 'auto'.

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/kmeans.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of KMeansSMOTE (see imbalance/over_sampling/kmeans_smote.hpp for the formula, the paper and the defaults).
struct KMeansSMOTEOptions : ResamplerOptions {
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 2;
  /// Number of k-means clusters.
  Eigen::Index n_clusters = 8;
  /// k-means runs (the best inertia is kept).
  int n_init = 3;
  /// Minimum share of the class in a cluster; empty: n_c / (sum of all n) / 2.
  std::optional<double> cluster_balance_threshold;
  /// Exponent of the mean distance in the sparsity; empty: 0.16 log_1.6(m)^1.8.
  std::optional<double> density_exponent;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

namespace detail {
/// Mean Euclidean distance over ordered pairs of distinct rows (0 for one row).
template <class Points>
double mean_pairwise_distance(const Points& points) {
  const Eigen::Index m = points.rows();
  if (m < 2) return 0;
  std::vector<double> partial(static_cast<std::size_t>(m), 0.0);
  parallel_chunks(m, 64, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index i = begin; i < end; ++i)
      for (Eigen::Index j = i + 1; j < m; ++j)
        partial[static_cast<std::size_t>(i)] += exact_distance(points.row(i).data(), points.row(j).data(), points.cols());
  });
  double sum = 0;
  for (double p : partial) sum += p;
  return 2 * sum / (static_cast<double>(m) * static_cast<double>(m - 1));
}

/// Shares of `total` proportional to `weights` (>= 0, not all 0): floors, then the largest
/// remainders (ties: the earlier entry) get one more.
inline std::vector<Eigen::Index> apportion(Eigen::Index total, const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<Eigen::Index> shares(weights.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  Eigen::Index given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    shares[i] = std::min(total, static_cast<Eigen::Index>(std::floor(exact)));
    given += shares[i];
    remainders.emplace_back(exact - static_cast<double>(shares[i]), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t r = 0; given < total; r = (r + 1) % remainders.size(), ++given) ++shares[remainders[r].second];
  while (given > total) {  // rounding pushed the floors over: take back from the largest
    --*std::max_element(shares.begin(), shares.end());
    --given;
  }
  return shares;
}
}  // namespace detail

/// K-Means SMOTE. See imbalance/over_sampling/kmeans_smote.hpp for the formula, the paper and the defaults.
class KMeansSMOTE : public detail::SeededResampler<KMeansSMOTE> {
 public:
  using detail::SeededResampler<KMeansSMOTE>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = KMeansSMOTEOptions;

  /// Built from the options.
  explicit KMeansSMOTE(KMeansSMOTEOptions options = {}) : options_(std::move(options)) {
    const char* function = "KMeansSMOTE::KMeansSMOTE()";
    if (options_.k_neighbors < 1) detail::throw_invalid(function, ": k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
    if (options_.n_clusters < 1) detail::throw_invalid(function, ": n_clusters must be >= 1 (got ", options_.n_clusters, ")");
    if (options_.n_init < 1) detail::throw_invalid(function, ": n_init must be >= 1 (got ", options_.n_init, ")");
    if (options_.cluster_balance_threshold && !(*options_.cluster_balance_threshold >= 0 && *options_.cluster_balance_threshold <= 1))
      detail::throw_invalid(function, ": cluster_balance_threshold must lie in [0, 1] (got ", *options_.cluster_balance_threshold, ")");
    if (options_.density_exponent && !std::isfinite(*options_.density_exponent))
      detail::throw_invalid(function, ": density_exponent must be finite (got ", *options_.density_exponent, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "KMeansSMOTE::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    if (options_.n_clusters > X.rows())
      detail::throw_invalid(function, ": n_clusters = ", options_.n_clusters, " exceeds the ", X.rows(), " samples");
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), true);
    Eigen::Index total_planned = 0;
    for (const auto& entry : plan) total_planned += entry.second;
    if (total_planned == 0) return out;
    const KMeansResult clusters = best_kmeans(X.derived().template cast<double>(), options_.n_clusters, options_.n_init, rng);
    std::vector<std::vector<Eigen::Index>> cluster_rows(static_cast<std::size_t>(options_.n_clusters));
    for (Eigen::Index i = 0; i < X.rows(); ++i) cluster_rows[static_cast<std::size_t>(clusters.assignments(i))].push_back(i);
    Eigen::Index row = X.rows();
    const Eigen::Index k = options_.k_neighbors;
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const double threshold = options_.cluster_balance_threshold
                                   ? *options_.cluster_balance_threshold
                                   : static_cast<double>(n) / static_cast<double>(total_planned) / 2;
      std::vector<std::vector<Eigen::Index>> chosen;  // the class's samples in each qualifying cluster
      std::vector<double> sparsity;
      for (const auto& members : cluster_rows) {
        if (members.empty()) continue;
        std::vector<Eigen::Index> of_class;
        for (Eigen::Index i : members)
          if (static_cast<int>(y.derived().coeff(i)) == label) of_class.push_back(i);
        const double share = static_cast<double>(of_class.size()) / static_cast<double>(members.size());
        if (share < threshold || static_cast<Eigen::Index>(of_class.size()) < k + 1) continue;
        const auto m = static_cast<double>(of_class.size());
        const double exponent = options_.density_exponent ? *options_.density_exponent
                                                          : std::pow(std::log(m) / std::log(1.6), 1.8) * 0.16;
        sparsity.push_back(std::pow(detail::mean_pairwise_distance(detail::gather_rows(X, of_class)), exponent) / m);
        chosen.push_back(std::move(of_class));
      }
      if (chosen.empty())
        detail::throw_invalid(function, ": no cluster holds a share of class ", detail::class_name(label), " >= ", threshold,
                              " and at least k_neighbors + 1 = ", k + 1,
                              " of its samples; lower cluster_balance_threshold or change n_clusters (", options_.n_clusters, ")");
      double total_sparsity = 0;
      for (double s : sparsity) total_sparsity += s;
      if (!(total_sparsity > 0) || !std::isfinite(total_sparsity)) std::fill(sparsity.begin(), sparsity.end(), 1.0);
      const std::vector<Eigen::Index> shares = detail::apportion(n, sparsity);
      for (std::size_t c = 0; c < chosen.size(); ++c) {
        if (shares[c] == 0) continue;
        const NearestNeighbors nn(X, chosen[c], options_.neighbors);
        const NeighborIndices neighbors = nn.self_neighbors(k);
        std::vector<Eigen::Index> bases(chosen[c].size());
        for (std::size_t r = 0; r < bases.size(); ++r) bases[r] = static_cast<Eigen::Index>(r);
        detail::interpolate(out, row, X, label, chosen[c], bases, neighbors, shares[c], rng);
      }
      out.change_per_class[label] = n;
    }
    return out;
  }

 private:
  KMeansSMOTEOptions options_;
};

}  // namespace imbalance
