#pragma once
/// @file
/// Neighbourhood cleaning rule (NCR).
///
/// Laurikkala, "Improving Identification of Difficult Small Classes by Balancing Class
/// Distribution", AIME 2001; as imbalanced-learn (under_sampling/_prototype_selection/
/// _neighbourhood_cleaning_rule.py), whose semantics changed in 0.12; both are offered. M is the
/// minority class (the smallest, ties: first seen in y), k = n_neighbors, neighbours are the k
/// nearest others in all of X (exact, neighbors.hpp). Removed: A1 ∪ A2, where
///  - A1: the samples ENN with kind Mode and k neighbours removes (same sampling_strategy);
///  - A2: the neighbours, of a class to clean, of every minority sample that the neighbourhood
///        "misclassifies". Classes to clean are the targeted classes (sampling_strategy, default
///        'auto') with more than threshold_cleaning * N samples (0.10) or threshold_cleaning * |M|
///        (0.12+).
///   Imbalanced-learn 0.12+ (Version::Current): a minority sample is misclassified when the k-NN
///   vote of the sample itself and its k-1 nearest others (scikit-learn's KNeighborsClassifier on
///   its own training point) is not M (ties: the smaller label).
///   Imbalanced-learn 0.10 (Version::Imblearn010): kind Mode: the vote of its k nearest others is not
///   M; kind All (0.10's default): 0.10 tests its neighbours' *labels* for being non-zero (np.all on
///   the labels rather than on "label == M"), so a minority sample counts as misclassified when one
///   of its neighbours has label 0. Reproduced for parity with 0.10; 0.12 removed kind_sel.
/// Kept rows come out in their original order. Defaults: Version::Current, n_neighbors = 3,
/// threshold_cleaning = 0.5, 'auto' (kind All applies to Imblearn010 only).

#include <algorithm>
#include <map>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/under_sampling/edited_nearest_neighbours.hpp"

namespace imbalance {

/// Options of NeighbourhoodCleaningRule (see imbalance/under_sampling/neighbourhood_cleaning_rule.hpp for the formula, the paper and the defaults).
struct NeighbourhoodCleaningRuleOptions : ResamplerOptions {
  /// The current imbalanced-learn rule, or version 0.10's.
  enum class Version { Current, Imblearn010 };
  /// Which rule.
  Version version = Version::Current;
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 3;
  /// Share of a class below which its neighbours are not cleaned (imbalanced-learn's threshold_cleaning).
  double threshold_cleaning = 0.5;
  /// Imblearn010 only: how the neighbourhood of a minority sample is judged.
  EditedNearestNeighboursOptions::Kind kind = EditedNearestNeighboursOptions::Kind::All;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Neighbourhood cleaning rule (NCR). See imbalance/under_sampling/neighbourhood_cleaning_rule.hpp for the formula, the paper and the defaults.
class NeighbourhoodCleaningRule : public detail::DeterministicResampler<NeighbourhoodCleaningRule> {
 public:
  using detail::DeterministicResampler<NeighbourhoodCleaningRule>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = NeighbourhoodCleaningRuleOptions;

  /// Built from the options.
  explicit NeighbourhoodCleaningRule(NeighbourhoodCleaningRuleOptions options = {}) : options_(std::move(options)) {
    const char* function = "NeighbourhoodCleaningRule::NeighbourhoodCleaningRule()";
    if (options_.n_neighbors < 1) detail::throw_invalid(function, ": n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
    if (!(options_.threshold_cleaning >= 0 && options_.threshold_cleaning <= 1))
      detail::throw_invalid(function, ": threshold_cleaning must lie in [0, 1] (got ", options_.threshold_cleaning, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const char* function = "NeighbourhoodCleaningRule::fit_resample()";
    using Version = NeighbourhoodCleaningRuleOptions::Version;
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap counts = detail::counts_of(rows);
    const ClassMap targets = options_.sampling_strategy.resolve(counts, SamplerKind::Cleaning);
    const Eigen::Index k = options_.n_neighbors;
    if (k >= X.rows()) detail::throw_invalid(function, ": n_neighbors = ", k, " needs more than ", X.rows(), " samples");
    const int minority = detail::first_minority(rows);
    const auto& minority_rows = rows.at(minority);
    std::vector<bool> removed(static_cast<std::size_t>(X.rows()), true);
    {  // A1: ENN (mode) removes; its kept rows stay candidates
      EditedNearestNeighboursOptions enn{{options_.sampling_strategy}, k, EditedNearestNeighboursOptions::Kind::Mode,
                                         options_.neighbors};
      for (Eigen::Index kept : EditedNearestNeighbours(enn).fit_resample(X, y).sample_indices)
        removed[static_cast<std::size_t>(kept)] = false;
    }
    const double reference = options_.version == Version::Current ? static_cast<double>(minority_rows.size())
                                                                   : static_cast<double>(X.rows());
    std::map<int, bool> to_clean;
    for (const auto& [label, n] : counts)
      to_clean[label] = targets.count(label) && static_cast<double>(n) > reference * options_.threshold_cleaning;
    const NeighborIndices neighbors = NearestNeighbors(X, options_.neighbors).self_neighbors(minority_rows, k);
    std::map<int, Eigen::Index> votes;
    auto label_of = [&](Eigen::Index i) { return static_cast<int>(y.derived().coeff(i)); };
    for (std::size_t r = 0; r < minority_rows.size(); ++r) {
      const auto q = static_cast<Eigen::Index>(r);
      bool misclassified;
      if (options_.version == Version::Imblearn010 && options_.kind == EditedNearestNeighboursOptions::Kind::All) {
        misclassified = false;  // 0.10: "not all neighbour labels are non-zero"
        for (Eigen::Index j = 0; j < k; ++j) misclassified = misclassified || label_of(neighbors(q, j)) == 0;
      } else {
        votes.clear();
        const bool with_self = options_.version == Version::Current;
        if (with_self) ++votes[minority];
        for (Eigen::Index j = 0; j < (with_self ? k - 1 : k); ++j) ++votes[label_of(neighbors(q, j))];
        int mode = votes.begin()->first;
        for (const auto& [candidate, count] : votes)
          if (count > votes[mode]) mode = candidate;  // ties: the smaller label
        misclassified = mode != minority;
      }
      if (!misclassified) continue;
      for (Eigen::Index j = 0; j < k; ++j)
        if (to_clean[label_of(neighbors(q, j))]) removed[static_cast<std::size_t>(neighbors(q, j))] = true;
    }
    std::vector<Eigen::Index> keep;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      if (!removed[static_cast<std::size_t>(i)]) keep.push_back(i);
    return detail::select_rows(X, y, std::move(keep));
  }

 private:
  NeighbourhoodCleaningRuleOptions options_;
};

}  // namespace imbalance
