#pragma once
/// @file
/// Repeated edited nearest neighbours (RENN).
///
/// Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE Trans. SMC 6(6), 1976; as
/// imbalanced-learn 0.10 (under_sampling/_prototype_selection/_edited_nearest_neighbours.py). ENN
/// (edited_nearest_neighbours.hpp) is applied to what the previous pass kept, its sampling_strategy
/// resolved again on the remaining labels each pass, until a pass removes nothing, or max_iter
/// passes were made, or after a pass (whose result is kept) a class other than the original
/// minority has fewer samples than the original minority had, or a class has disappeared. The
/// minority is the smallest class, ties: the class seen first in y (imbalanced-learn's Counter).
/// Kept rows come out in their original order. Defaults: n_neighbors = 3, max_iter = 100, kind All,
/// 'auto'.

#include <map>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/under_sampling/edited_nearest_neighbours.hpp"

namespace imbalance {

/// Options of RepeatedEditedNearestNeighbours (see imbalance/under_sampling/repeated_edited_nearest_neighbours.hpp for the formula, the paper and the defaults).
struct RepeatedEditedNearestNeighboursOptions : ResamplerOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 3;
  /// Rounds of editing at most.
  Eigen::Index max_iter = 100;
  /// All or Mode.
  EditedNearestNeighboursOptions::Kind kind = EditedNearestNeighboursOptions::Kind::All;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

namespace detail {

/// One ENN pass on what `current` holds; returns false when the stopping rule of RENN / AllKNN
/// (a class other than the original minority below the original minority's count, or a class
/// gone) says to stop after it. `removed` tells whether the pass removed anything.
template <class Matrix>
bool edit_pass(Resampled<Matrix>& current, const EditedNearestNeighboursOptions& options, int minority,
               Eigen::Index minority_count, std::size_t class_count, bool check_minority, bool& removed) {
  Resampled<Matrix> next = EditedNearestNeighbours(options).fit_resample(current.X, current.y);
  removed = next.y.size() != current.y.size();
  for (auto& index : next.sample_indices) index = current.sample_indices[static_cast<std::size_t>(index)];
  current.X = std::move(next.X);
  current.y = std::move(next.y);
  current.sample_indices = std::move(next.sample_indices);
  const ClassMap counts = count_classes(current.y);
  bool below = false;
  for (const auto& [label, n] : counts)
    if (label != minority && n < minority_count) below = true;
  return !((check_minority && below) || counts.size() < class_count);
}

}  // namespace detail

/// Repeated edited nearest neighbours (RENN). See imbalance/under_sampling/repeated_edited_nearest_neighbours.hpp for the formula, the paper and the defaults.
class RepeatedEditedNearestNeighbours : public detail::DeterministicResampler<RepeatedEditedNearestNeighbours> {
 public:
  using detail::DeterministicResampler<RepeatedEditedNearestNeighbours>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = RepeatedEditedNearestNeighboursOptions;

  /// Built from the options.
  explicit RepeatedEditedNearestNeighbours(RepeatedEditedNearestNeighboursOptions options = {})
      : options_(std::move(options)) {
    const char* function = "RepeatedEditedNearestNeighbours::RepeatedEditedNearestNeighbours()";
    if (options_.n_neighbors < 1) detail::throw_invalid(function, ": n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
    if (options_.max_iter < 1) detail::throw_invalid(function, ": max_iter must be >= 1 (got ", options_.max_iter, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const auto rows = detail::class_rows("RepeatedEditedNearestNeighbours::fit_resample()", X, y);
    const int minority = detail::first_minority(rows);
    std::vector<Eigen::Index> all(static_cast<std::size_t>(X.rows()));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<Eigen::Index>(i);
    auto current = detail::select_rows(X, y, all);
    EditedNearestNeighboursOptions enn{{options_.sampling_strategy}, options_.n_neighbors, options_.kind, options_.neighbors};
    for (Eigen::Index pass = 0; pass < options_.max_iter; ++pass) {
      bool removed = false;
      const bool go_on = detail::edit_pass(current, enn, minority, static_cast<Eigen::Index>(rows.at(minority).size()),
                                           rows.size(), true, removed);
      if (!removed || !go_on) break;
    }
    current.change_per_class = detail::change_per_class(y, current.y);
    return current;
  }

 private:
  RepeatedEditedNearestNeighboursOptions options_;
};

}  // namespace imbalance
