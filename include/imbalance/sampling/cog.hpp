#pragma once
/// @file
/// COG: local decomposition for rare class analysis.
///
/// Wu, Xiong, Chen, "COG: local decomposition for rare class analysis", Data Mining and Knowledge
/// Discovery 20(2), 2010 (conference version KDD 2007). Large classes are split into sub-classes of
/// sizes comparable to the rare classes by k-means inside each class ("local clustering"); any
/// multiclass learner is trained on the sub-class labels; its predictions are mapped back to the
/// parent classes (scores: the max over a parent's sub-classes, or the sum for probabilities).
///  - clusters per class: explicit (COGOptions::clusters), or automatically
///    K_j = clamp(round(n_j / n_min), 1, max_clusters_per_class), so rare classes are not split.
///  - sub-class ids are ordered by parent label, then cluster: parent j's sub-classes are contiguous.
/// k-means uses k-means++ seeding from the caller's generator (see kmeans.hpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/kmeans.hpp"

namespace imbalance {

/// Options of COGDecomposition (see imbalance/sampling/cog.hpp for the formula, the paper and the defaults).
struct COGOptions {
  /// Explicit clusters per parent class (labels absent here are decided automatically).
  std::map<int, Eigen::Index> clusters;
  /// Clusters per class at most.
  Eigen::Index max_clusters_per_class = 10;
  /// Options of the k-means that splits a class.
  KMeansOptions kmeans;
};

/// How a class's score comes from its subclasses' scores: their maximum or their sum.
enum class ScoreAggregation { Max, Sum };

/// COG. See imbalance/sampling/cog.hpp for the formula, the paper and the defaults.
class COGDecomposition {
 public:
  /// Decomposes the classes of (X, y), labels in [0, K).
  template <class DX, class DY, class Engine>
  static COGDecomposition fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, Engine& rng,
                              const COGOptions& options = {}) {
    const char* function = "COGDecomposition::fit()";
    check_non_empty(function, "X", X.rows());
    check_same_length(function, "y", y.size(), "X", X.rows());
    check_finite(function, "X", X);
    if (options.max_clusters_per_class < 1)
      detail::throw_invalid(function, ": max_clusters_per_class must be >= 1 (got ", options.max_clusters_per_class, ")");
    Eigen::Index k = 0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      if (y.derived().coeff(i) < 0)
        detail::throw_out_of_range(function, ": y[", i, "] = ", y.derived().coeff(i), " is negative");
      k = std::max<Eigen::Index>(k, static_cast<Eigen::Index>(y.derived().coeff(i)) + 1);
    }
    std::vector<std::vector<Eigen::Index>> members(static_cast<std::size_t>(k));
    for (Eigen::Index i = 0; i < y.size(); ++i) members[static_cast<std::size_t>(y.derived().coeff(i))].push_back(i);
    std::size_t n_min = static_cast<std::size_t>(X.rows());
    for (const auto& m : members)
      if (!m.empty()) n_min = std::min(n_min, m.size());

    COGDecomposition cog;
    cog.subclass_labels_.resize(X.rows());
    cog.first_subclass_.assign(static_cast<std::size_t>(k) + 1, 0);
    for (Eigen::Index parent = 0; parent < k; ++parent) {
      const auto& rows = members[static_cast<std::size_t>(parent)];
      cog.first_subclass_[static_cast<std::size_t>(parent)] = static_cast<Eigen::Index>(cog.parent_of_.size());
      if (rows.empty()) continue;  // a label absent from y gets no sub-class
      Eigen::Index clusters;
      const auto explicit_count = options.clusters.find(static_cast<int>(parent));
      if (explicit_count != options.clusters.end()) {
        clusters = explicit_count->second;
        if (clusters < 1 || clusters > static_cast<Eigen::Index>(rows.size()))
          detail::throw_invalid(function, ": clusters for class ", parent, " must lie in [1, ", rows.size(), "] (got ",
                                clusters, ")");
      } else {
        clusters = static_cast<Eigen::Index>(std::lround(static_cast<double>(rows.size()) / static_cast<double>(n_min)));
        clusters = std::clamp<Eigen::Index>(clusters, 1, options.max_clusters_per_class);
      }
      const Eigen::Index first = static_cast<Eigen::Index>(cog.parent_of_.size());
      for (Eigen::Index c = 0; c < clusters; ++c) cog.parent_of_.push_back(static_cast<int>(parent));
      if (clusters == 1) {
        for (Eigen::Index r : rows) cog.subclass_labels_(r) = static_cast<int>(first);
        continue;
      }
      Eigen::MatrixXd points(static_cast<Eigen::Index>(rows.size()), X.cols());
      for (std::size_t r = 0; r < rows.size(); ++r)
        points.row(static_cast<Eigen::Index>(r)) = X.derived().row(rows[r]).template cast<double>();
      const KMeansResult clustering = kmeans(points, clusters, rng, options.kmeans);
      for (std::size_t r = 0; r < rows.size(); ++r)
        cog.subclass_labels_(rows[r]) = static_cast<int>(first + clustering.assignments(static_cast<Eigen::Index>(r)));
    }
    cog.first_subclass_[static_cast<std::size_t>(k)] = static_cast<Eigen::Index>(cog.parent_of_.size());
    cog.num_classes_ = k;
    return cog;
  }

  /// The sub-class label of every training sample (train the learner on these).
  const Eigen::VectorXi& subclass_labels() const noexcept { return subclass_labels_; }
  /// The number of subclasses.
  Eigen::Index num_subclasses() const noexcept { return static_cast<Eigen::Index>(parent_of_.size()); }
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return num_classes_; }
  /// parent_of()[s]: the parent class of sub-class s.
  const std::vector<int>& parent_of() const noexcept { return parent_of_; }

  /// Parent class of every sub-class prediction.
  template <class DP>
  Eigen::VectorXi to_parent(const Eigen::DenseBase<DP>& subclass_predictions) const {
    check_labels("COGDecomposition::to_parent()", "subclass_predictions", subclass_predictions, num_subclasses());
    Eigen::VectorXi out(subclass_predictions.size());
    for (Eigen::Index i = 0; i < out.size(); ++i)
      out(i) = parent_of_[static_cast<std::size_t>(subclass_predictions.derived().coeff(i))];
    return out;
  }

  /// N x K parent scores from N x S sub-class scores: the max (decision values, logits) or the sum
  /// (probabilities) over each parent's sub-classes. A parent without sub-classes scores -inf (Max)
  /// or 0 (Sum).
  template <class DS>
  Eigen::MatrixXd parent_scores(const Eigen::DenseBase<DS>& subclass_scores, ScoreAggregation aggregation) const {
    const char* function = "COGDecomposition::parent_scores()";
    check_shape(function, "subclass_scores", subclass_scores.rows(), subclass_scores.cols(), -1, num_subclasses());
    check_finite(function, "subclass_scores", subclass_scores);
    Eigen::MatrixXd out(subclass_scores.rows(), num_classes_);
    for (Eigen::Index parent = 0; parent < num_classes_; ++parent) {
      const Eigen::Index first = first_subclass_[static_cast<std::size_t>(parent)];
      const Eigen::Index count = first_subclass_[static_cast<std::size_t>(parent) + 1] - first;
      if (count == 0) {
        out.col(parent).setConstant(aggregation == ScoreAggregation::Max ? -std::numeric_limits<double>::infinity() : 0.0);
        continue;
      }
      const auto block = subclass_scores.derived().middleCols(first, count).template cast<double>();
      if (aggregation == ScoreAggregation::Max)
        out.col(parent) = block.rowwise().maxCoeff();
      else
        out.col(parent) = block.rowwise().sum();
    }
    return out;
  }

 private:
  Eigen::VectorXi subclass_labels_;
  std::vector<int> parent_of_;
  std::vector<Eigen::Index> first_subclass_;
  Eigen::Index num_classes_ = 0;
};

}  // namespace imbalance
