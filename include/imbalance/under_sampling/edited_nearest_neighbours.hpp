#pragma once
/// @file
/// Edited nearest neighbours (ENN) cleaning.
///
/// Wilson, "Asymptotic Properties of Nearest Neighbor Rules Using Edited Data", IEEE Trans. SMC 2(3),
/// 1972; as imbalanced-learn 0.10 (under_sampling/_prototype_selection/_edited_nearest_neighbours.py).
/// For every sample of a targeted class (sampling_strategy, default 'auto' = every class but the
/// minority; SMOTEENN uses 'all'), its k nearest neighbours among all of X (self excluded):
///  - kind All (default): keep it only if all k neighbours share its class;
///  - kind Mode: keep it if the most frequent neighbour label (ties: the smallest label) is its class.
/// Samples of other classes are kept. Kept rows come out in their original order. Default k = 3.

#include <map>

#include "imbalance/core/eigen.hpp"

#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"

namespace imbalance {

/// Options of EditedNearestNeighbours (see imbalance/under_sampling/edited_nearest_neighbours.hpp for the formula, the paper and the defaults).
struct EditedNearestNeighboursOptions : ResamplerOptions {
  /// Remove a sample unless all of its neighbours are of its class (All), or unless most are (Mode).
  enum class Kind { All, Mode };
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 3;
  /// All or Mode.
  Kind kind = Kind::All;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Edited nearest neighbours (ENN) cleaning. See imbalance/under_sampling/edited_nearest_neighbours.hpp for the formula, the paper and the defaults.
class EditedNearestNeighbours : public detail::DeterministicResampler<EditedNearestNeighbours> {
 public:
  using detail::DeterministicResampler<EditedNearestNeighbours>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = EditedNearestNeighboursOptions;

  /// Built from the options.
  explicit EditedNearestNeighbours(EditedNearestNeighboursOptions options = {}) : options_(std::move(options)) {
    if (options_.n_neighbors < 1)
      detail::throw_invalid("EditedNearestNeighbours::EditedNearestNeighbours(): n_neighbors must be >= 1 (got ",
                            options_.n_neighbors, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const char* function = "EditedNearestNeighbours::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::Cleaning);
    const Eigen::Index k = options_.n_neighbors;
    if (k >= X.rows()) detail::throw_invalid(function, ": n_neighbors = ", k, " needs more than ", X.rows(), " samples");
    const NeighborIndices neighbors = NearestNeighbors(X, options_.neighbors).self_neighbors(k);
    std::vector<Eigen::Index> keep;
    std::map<int, Eigen::Index> votes;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const int label = static_cast<int>(y.derived().coeff(i));
      if (!targets.count(label)) {
        keep.push_back(i);
        continue;
      }
      bool kept;
      if (options_.kind == EditedNearestNeighboursOptions::Kind::All) {
        kept = true;
        for (Eigen::Index j = 0; j < k; ++j) kept = kept && static_cast<int>(y.derived().coeff(neighbors(i, j))) == label;
      } else {
        votes.clear();
        for (Eigen::Index j = 0; j < k; ++j) ++votes[static_cast<int>(y.derived().coeff(neighbors(i, j)))];
        int mode = votes.begin()->first;
        for (const auto& [candidate, count] : votes)
          if (count > votes[mode]) mode = candidate;  // strict: ties keep the smaller label
        kept = mode == label;
      }
      if (kept) keep.push_back(i);
    }
    return detail::select_rows(X, y, std::move(keep));
  }


 private:
  EditedNearestNeighboursOptions options_;
};

}  // namespace imbalance
