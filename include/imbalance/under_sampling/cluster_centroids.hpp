#pragma once
/// @file
/// ClusterCentroids: under-sampling by prototype generation.
///
/// Yen & Lee, "Cluster-based under-sampling approaches for imbalanced data distributions", Expert
/// Systems with Applications 36(3), 2009; as imbalanced-learn 0.10
/// (under_sampling/_prototype_generation/_cluster_centroids.py). For each class c targeted by
/// sampling_strategy (default 'auto' = every class but the minority) with keep_c samples to keep,
/// k-means with keep_c clusters (kmeans.hpp: k-means++ seeding and Lloyd iterations, the best of
/// n_init runs by inertia, as scikit-learn's KMeans) on the samples of c replaces them by
///  - Voting::Soft (default): the keep_c centroids (new points: sample_indices stays empty), or
///  - Voting::Hard: for each centroid the nearest sample of c (exact, neighbors.hpp; two centroids
///    may pick the same sample, which then appears twice, as in imbalanced-learn).
/// Output: the untargeted classes' rows in their original order, then (soft) the centroids class by
/// class in ascending label order, or (hard) the chosen rows with all others in original order.
/// Differences from imbalanced-learn: the library's k-means and generator (same algorithm, other
/// random numbers). Defaults: Soft, n_init = 10, max_iterations = 300.

#include <algorithm>
#include <limits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/kmeans.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of ClusterCentroids (see imbalance/under_sampling/cluster_centroids.hpp for the formula, the paper and the defaults).
struct ClusterCentroidsOptions : ResamplerOptions {
  /// How a centroid becomes a sample: the centroid itself (Soft) or its nearest sample (Hard).
  enum class Voting { Soft, Hard };
  /// Soft or hard voting.
  Voting voting = Voting::Soft;
  /// k-means runs per class; the lowest inertia wins.
  int n_init = 10;
  /// Lloyd iterations at most.
  Eigen::Index max_iterations = 300;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// ClusterCentroids. See imbalance/under_sampling/cluster_centroids.hpp for the formula, the paper and the defaults.
class ClusterCentroids : public detail::SeededResampler<ClusterCentroids> {
 public:
  using detail::SeededResampler<ClusterCentroids>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = ClusterCentroidsOptions;

  /// Built from the options.
  explicit ClusterCentroids(ClusterCentroidsOptions options = {}) : options_(std::move(options)) {
    const char* function = "ClusterCentroids::ClusterCentroids()";
    if (options_.n_init < 1) detail::throw_invalid(function, ": n_init must be >= 1 (got ", options_.n_init, ")");
    if (options_.max_iterations < 1)
      detail::throw_invalid(function, ": max_iterations must be >= 1 (got ", options_.max_iterations, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "ClusterCentroids::fit_resample()";
    using Scalar = typename DX::Scalar;
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::UnderSampling);
    KMeansOptions kmeans_options;
    kmeans_options.max_iterations = options_.max_iterations;
    std::vector<Eigen::Index> keep;          // copied rows
    std::vector<Eigen::MatrixXd> centroids;  // soft voting: per targeted class
    std::vector<int> centroid_labels;
    for (const auto& [label, members] : rows) {
      const auto target = targets.find(label);
      if (target == targets.end()) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      if (target->second == 0) continue;
      const auto points = detail::gather_rows(X, members);
      KMeansResult clusters = best_kmeans(points, target->second, options_.n_init, rng, kmeans_options);
      if (options_.voting == ClusterCentroidsOptions::Voting::Hard) {
        const NearestNeighbors nn(points, options_.neighbors);
        const NeighborIndices nearest = nn.query(clusters.centers, 1);
        for (Eigen::Index c = 0; c < nearest.rows(); ++c) keep.push_back(members[static_cast<std::size_t>(nearest(c, 0))]);
      } else {
        centroids.push_back(std::move(clusters.centers));
        centroid_labels.push_back(label);
      }
    }
    std::sort(keep.begin(), keep.end());
    auto out = detail::select_rows(X, y, keep);
    if (!centroids.empty()) {
      Eigen::Index extra = 0;
      for (const auto& c : centroids) extra += c.rows();
      const Eigen::Index first = out.X.rows();
      out.X.conservativeResize(first + extra, Eigen::NoChange);
      out.y.conservativeResize(first + extra);
      Eigen::Index row = first;
      for (std::size_t c = 0; c < centroids.size(); ++c) {
        out.X.middleRows(row, centroids[c].rows()) = centroids[c].template cast<Scalar>();
        out.y.segment(row, centroids[c].rows()).setConstant(centroid_labels[c]);
        row += centroids[c].rows();
      }
      out.sample_indices.clear();  // not every row is a copy
      out.change_per_class = detail::change_per_class(y, out.y);
    }
    return out;
  }

 private:
  ClusterCentroidsOptions options_;
};

}  // namespace imbalance
