#pragma once
/// @file
/// Local outlier factor (Breunig, Kriegel, Ng, Sander, "LOF: Identifying Density-Based Local Outliers",
/// SIGMOD 2000) as scikit-learn's LocalOutlierFactor computes it on its training data (novelty=False,
/// Euclidean), and the per-class outlier filter RCAL applies to noisy long-tailed features before it
/// estimates class statistics (Zhang, Zhao, Yao, Yuan, Huang, "When Noisy Labels Meet Long Tail
/// Dilemmas: A Representation Calibration Method", ICCV 2023; see noisy/distribution_calibration.hpp).
///
/// With N_k(p) the k = min(n_neighbors, N - 1) nearest other rows of p (exactly k: ties by the lower
/// index, a row never its own neighbour, its duplicates are, at distance 0):
///   k_distance(p) = d(p, k-th neighbour)
///   lrd(p) = 1 / (mean_{o in N_k(p)} max(d(p, o), k_distance(o)) + 1e-10)
///   negative_outlier_factor(p) = -mean_{o in N_k(p)} lrd(o) / lrd(p)
/// and a row is an outlier (label -1) when its score is below the offset: -1.5 by default
/// (contamination 'auto'), or NumPy's percentile of the scores at 100 contamination. Scores near -1
/// are inliers. A group of more than k identical rows has mean reach-distance 0, hence lrd 1e10 (the
/// guard), and rows next to it get scores of order -1e9: scikit-learn's behaviour, kept.
/// Defaults: n_neighbors 20, contamination 'auto' (scikit-learn's).

#include <algorithm>
#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/detail/percentile.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"

namespace imbalance {

/// Options of LocalOutlierFactorResult (see imbalance/noisy/local_outlier_factor.hpp for the formula, the paper and the defaults).
struct LocalOutlierFactorOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 20;
  /// Expected fraction of outliers in (0, 0.5]; empty = 'auto' (offset -1.5).
  std::optional<double> contamination;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Local outlier factor (Breunig, Kriegel, Ng, Sander, "LOF. See imbalance/noisy/local_outlier_factor.hpp for the formula, the paper and the defaults.
struct LocalOutlierFactorResult {
  Eigen::VectorXd negative_outlier_factor;     ///< scikit-learn's negative_outlier_factor_
  Eigen::VectorXd local_reachability_density;  ///< its _lrd
  Eigen::VectorXd k_distance;                  ///< distance to the k-th neighbour
  Eigen::VectorXi labels;                      ///< fit_predict: +1 inlier, -1 outlier
  NeighborIndices neighbors;                   ///< N x k, nearest first
  /// Decision offset: a score below it is an outlier (scikit-learn's offset_).
  double offset = -1.5;
  Eigen::Index n_neighbors = 0;  ///< effective k = min(n_neighbors, N - 1)
};

/// LOF of every row of X (N x d, N >= 2, finite).
template <class DX>
LocalOutlierFactorResult local_outlier_factor(const Eigen::DenseBase<DX>& X,
                                              const LocalOutlierFactorOptions& options = {}) {
  const char* function = "local_outlier_factor()";
  if (options.n_neighbors < 1)
    detail::throw_invalid(function, ": options.n_neighbors must be >= 1 (got ", options.n_neighbors, ")");
  if (options.contamination && !(*options.contamination > 0 && *options.contamination <= 0.5))
    detail::throw_invalid(function, ": options.contamination must lie in (0, 0.5] (got ", *options.contamination, ")");
  if (X.rows() < 2) detail::throw_invalid(function, ": X needs at least 2 rows (got ", X.rows(), ")");
  check_finite(function, "X", X);
  const NearestNeighbors index(X, options.neighbors);
  const Eigen::Index n = index.size(), d = index.dimension();
  LocalOutlierFactorResult r;
  r.n_neighbors = std::min(options.n_neighbors, n - 1);
  const Eigen::Index k = r.n_neighbors;
  r.neighbors = index.self_neighbors(k);
  // Distances in the input's scale (the index may hold the points scaled by a power of two).
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> distance(n, k);
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> x = X.derived().template cast<double>();
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) distance(i, j) = exact_distance(x.row(i).data(), x.row(r.neighbors(i, j)).data(), d);
  r.k_distance = distance.col(k - 1);
  r.local_reachability_density.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double reach = 0;
    for (Eigen::Index j = 0; j < k; ++j) reach += std::max(distance(i, j), r.k_distance(r.neighbors(i, j)));
    r.local_reachability_density(i) = 1.0 / (reach / static_cast<double>(k) + 1e-10);
  }
  r.negative_outlier_factor.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double ratio = 0;
    for (Eigen::Index j = 0; j < k; ++j)
      ratio += r.local_reachability_density(r.neighbors(i, j)) / r.local_reachability_density(i);
    r.negative_outlier_factor(i) = -(ratio / static_cast<double>(k));
  }
  if (options.contamination) {
    std::vector<double> scores(r.negative_outlier_factor.data(), r.negative_outlier_factor.data() + n);
    r.offset = detail::percentile_linear(std::move(scores), 100.0 * *options.contamination);
  }
  r.labels = (r.negative_outlier_factor.array() < r.offset).select(Eigen::VectorXi::Constant(n, -1),
                                                                     Eigen::VectorXi::Constant(n, 1));
  return r;
}

/// RCAL's cleaning step: LOF within each class of (X, y) (K classes), and the rows that are inliers
/// of their class, in increasing order. A class with fewer than 2 rows has no neighbourhood and is
/// kept whole; a class is never emptied (if every row were an outlier, which the 'auto' offset
/// cannot produce, the class is kept whole).
template <class DX, class DY>
std::vector<Eigen::Index> lof_inliers_per_class(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                Eigen::Index num_classes, const LocalOutlierFactorOptions& options = {}) {
  const char* function = "lof_inliers_per_class()";
  check_non_empty(function, "X", X.rows());
  check_same_length(function, "y", y.size(), "X", X.rows());
  check_labels(function, "y", y, num_classes);
  check_finite(function, "X", X);
  std::vector<std::vector<Eigen::Index>> rows(static_cast<std::size_t>(num_classes));
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    rows[static_cast<std::size_t>(y.derived()(i))].push_back(i);
  std::vector<char> keep(static_cast<std::size_t>(X.rows()), 1);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> block;
  for (const auto& members : rows) {
    if (members.size() < 2) continue;
    block.resize(static_cast<Eigen::Index>(members.size()), X.cols());
    for (std::size_t r = 0; r < members.size(); ++r)
      block.row(static_cast<Eigen::Index>(r)) = X.derived().row(members[r]).template cast<double>();
    const auto lof = local_outlier_factor(block, options);
    if ((lof.labels.array() < 0).all()) continue;
    for (std::size_t r = 0; r < members.size(); ++r)
      if (lof.labels(static_cast<Eigen::Index>(r)) < 0) keep[static_cast<std::size_t>(members[r])] = 0;
  }
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    if (keep[static_cast<std::size_t>(i)]) kept.push_back(i);
  return kept;
}

/// The per-class LOF filter as a cleaning resampler (the resampler registry's "clean-lof"): every
/// class's local outliers removed (lof_inliers_per_class; a class of one row kept whole), the rest
/// kept in input order. Labels are class indices >= 0. Default: LocalOutlierFactorOptions' (20
/// neighbours, contamination 'auto').
class LocalOutlierCleaner : public detail::DeterministicResampler<LocalOutlierCleaner> {
 public:
  using detail::DeterministicResampler<LocalOutlierCleaner>::fit_resample;
  /// A cleaner with these LOF options.
  explicit LocalOutlierCleaner(LocalOutlierFactorOptions options = {}) : options_(options) {}

  /// The inliers of every class of (X, y).
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const char* function = "LocalOutlierCleaner::fit_resample()";
    check_non_empty(function, "y", y.size());
    const auto smallest = y.derived().minCoeff();
    if (smallest < 0) detail::throw_invalid(function, ": y must hold class indices >= 0 (got ", smallest, ")");
    const Eigen::Index num_classes = static_cast<Eigen::Index>(y.derived().maxCoeff()) + 1;
    return detail::select_rows(X, y, lof_inliers_per_class(X, y, num_classes, options_));
  }

 private:
  LocalOutlierFactorOptions options_;
};

}  // namespace imbalance
