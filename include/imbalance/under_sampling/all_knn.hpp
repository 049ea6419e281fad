#pragma once
/// @file
/// AllKNN cleaning.
///
/// Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE Trans. SMC 6(6), 1976; as
/// imbalanced-learn 0.10 (under_sampling/_prototype_selection/_edited_nearest_neighbours.py). ENN
/// (edited_nearest_neighbours.hpp) with 1, 2, ..., n_neighbors neighbours in turn, each pass on what
/// the previous one kept (its sampling_strategy resolved again on the remaining labels). After a
/// pass (whose result is kept) the passes stop when a class has disappeared or, unless
/// allow_minority, when a class other than the original minority (the smallest class, ties: first
/// seen in y) has fewer samples than the original minority had. Kept rows come out in their
/// original order. Defaults: n_neighbors = 3, kind All, allow_minority = false, 'auto'.

#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/under_sampling/repeated_edited_nearest_neighbours.hpp"

namespace imbalance {

/// Options of AllKNN (see imbalance/under_sampling/all_knn.hpp for the formula, the paper and the defaults).
struct AllKNNOptions : ResamplerOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 3;
  /// Which samples are removed: those whose neighbours are not all of their class (All), or not mostly (Mode).
  EditedNearestNeighboursOptions::Kind kind = EditedNearestNeighboursOptions::Kind::All;
  /// Keep going when a majority class falls below the original minority's count.
  bool allow_minority = false;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// AllKNN cleaning. See imbalance/under_sampling/all_knn.hpp for the formula, the paper and the defaults.
class AllKNN : public detail::DeterministicResampler<AllKNN> {
 public:
  using detail::DeterministicResampler<AllKNN>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = AllKNNOptions;

  /// Built from the options.
  explicit AllKNN(AllKNNOptions options = {}) : options_(std::move(options)) {
    if (options_.n_neighbors < 1)
      detail::throw_invalid("AllKNN::AllKNN(): n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const auto rows = detail::class_rows("AllKNN::fit_resample()", X, y);
    const int minority = detail::first_minority(rows);
    std::vector<Eigen::Index> all(static_cast<std::size_t>(X.rows()));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<Eigen::Index>(i);
    auto current = detail::select_rows(X, y, all);
    for (Eigen::Index k = 1; k <= options_.n_neighbors; ++k) {
      EditedNearestNeighboursOptions enn{{options_.sampling_strategy}, k, options_.kind, options_.neighbors};
      bool removed = false;
      if (!detail::edit_pass(current, enn, minority, static_cast<Eigen::Index>(rows.at(minority).size()), rows.size(),
                             !options_.allow_minority, removed))
        break;
    }
    current.change_per_class = detail::change_per_class(y, current.y);
    return current;
  }

 private:
  AllKNNOptions options_;
};

}  // namespace imbalance
