#pragma once
/// @file
/// One-sided selection (OSS) under-sampling.
///
/// Kubat & Matwin, "Addressing the Curse of Imbalanced Training Sets: One-Sided Selection",
/// ICML 1997; as imbalanced-learn 0.10 (under_sampling/_prototype_selection/_one_sided_selection.py).
/// M is the minority class (the smallest, ties: first seen in y). For each class c targeted by
/// sampling_strategy (default 'auto' = every class but the minority):
///   1. the store C = M plus n_seeds_S samples of c drawn uniformly with replacement;
///   2. every other sample of c is classified once by the k-NN vote over C (k = n_neighbors; ties
///      of the vote: the smaller label); the misclassified ones join the kept set with the seeds.
/// Untargeted classes are kept whole. Then Tomek links (tomek_links.hpp) are found in the kept set,
/// and their members of targeted classes removed. condensed() returns the kept set before that
/// step. Kept rows come out in their original order. Differences from imbalanced-learn: the
/// library's generator draws the seeds. Defaults: n_neighbors = 1, n_seeds_S = 1, 'auto'.

#include <algorithm>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/under_sampling/condensed_nearest_neighbour.hpp"
#include "imbalance/under_sampling/tomek_links.hpp"

namespace imbalance {

/// Options of OneSidedSelection (see imbalance/under_sampling/one_sided_selection.hpp for the formula, the paper and the defaults).
struct OneSidedSelectionOptions : ResamplerOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 1;
  Eigen::Index n_seeds_S = 1;  ///< NOLINT: imbalanced-learn's name
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// One-sided selection (OSS) under-sampling. See imbalance/under_sampling/one_sided_selection.hpp for the formula, the paper and the defaults.
class OneSidedSelection : public detail::SeededResampler<OneSidedSelection> {
 public:
  using detail::SeededResampler<OneSidedSelection>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = OneSidedSelectionOptions;

  /// Built from the options.
  explicit OneSidedSelection(OneSidedSelectionOptions options = {}) : options_(std::move(options)) {
    const char* function = "OneSidedSelection::OneSidedSelection()";
    if (options_.n_neighbors < 1) detail::throw_invalid(function, ": n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
    if (options_.n_seeds_S < 1) detail::throw_invalid(function, ": n_seeds_S must be >= 1 (got ", options_.n_seeds_S, ")");
  }

  /// The kept rows before the Tomek-link step (sorted): step 2's result with the untargeted classes.
  template <class DX, class DY, class Engine>
  std::vector<Eigen::Index> condensed(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, Engine& rng) const {
    return condense("OneSidedSelection::condensed()", X, y, rng);
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "OneSidedSelection::fit_resample()";
    const std::vector<Eigen::Index> kept = condense(function, X, y, rng);
    const ClassMap targets =
        options_.sampling_strategy.resolve(detail::counts_of(detail::class_rows(function, X, y)), SamplerKind::UnderSampling);
    const auto subset = detail::select_rows(X, y, kept);
    std::vector<Eigen::Index> keep;
    const ClassMap left = count_classes(subset.y);
    if (left.size() < 2) {  // no pair of classes left to link
      keep = kept;
    } else {
      TomekLinksOptions tomek;
      tomek.neighbors = options_.neighbors;
      const std::vector<bool> in_link = TomekLinks(tomek).links(subset.X, subset.y);
      for (std::size_t r = 0; r < kept.size(); ++r)
        if (!(in_link[r] && targets.count(subset.y(static_cast<Eigen::Index>(r))))) keep.push_back(kept[r]);
    }
    return detail::select_rows(X, y, std::move(keep));
  }

 private:
  template <class DX, class DY, class Engine>
  std::vector<Eigen::Index> condense(const char* function, const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                     Engine& rng) const {
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::UnderSampling);
    const int minority = detail::first_minority(rows);
    const auto& minority_rows = rows.at(minority);
    const Eigen::Index k = options_.n_neighbors;
    std::vector<Eigen::Index> keep;
    for (const auto& [label, members] : rows) {
      if (!targets.count(label)) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      const std::vector<Eigen::Index> seeds = detail::draw_seeds(static_cast<Eigen::Index>(members.size()), options_.n_seeds_S, rng);
      std::vector<Eigen::Index> store = minority_rows, others;
      for (Eigen::Index s : seeds) store.push_back(members[static_cast<std::size_t>(s)]);
      if (static_cast<Eigen::Index>(store.size()) < k)
        detail::throw_invalid(function, ": n_neighbors = ", k, " exceeds the store of class ", detail::class_name(label),
                              " (", minority_rows.size(), " minority samples and ", seeds.size(), " seeds)");
      for (std::size_t r = 0, s = 0; r < members.size(); ++r) {
        if (s < seeds.size() && seeds[s] == static_cast<Eigen::Index>(r)) {
          keep.push_back(members[r]);
          ++s;
        } else {
          others.push_back(members[r]);
        }
      }
      if (others.empty()) continue;
      const NearestNeighbors nn(X, store, options_.neighbors);
      constexpr std::size_t kQueryRows = 8192;
      for (std::size_t begin = 0; begin < others.size(); begin += kQueryRows) {
        const auto block = detail::gather_rows(X, others, begin, begin + kQueryRows);
        const NeighborIndices near = nn.query(block, k);
        for (Eigen::Index q = 0; q < block.rows(); ++q) {
          Eigen::Index same = 0;
          for (Eigen::Index j = 0; j < k; ++j)
            same += static_cast<int>(y.derived().coeff(store[static_cast<std::size_t>(near(q, j))])) == label;
          if (!detail::own_class_wins(same, k, label, minority)) keep.push_back(others[begin + static_cast<std::size_t>(q)]);
        }
      }
    }
    std::sort(keep.begin(), keep.end());
    return keep;
  }

  OneSidedSelectionOptions options_;
};

}  // namespace imbalance
