#pragma once
/// @file
/// SMOTE-N: SMOTE for categorical features only.
///
/// Chawla, Bowyer, Hall, Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16,
/// 2002, section 6.2; as imbalanced-learn 0.10 (over_sampling/_smote/base.py, SMOTEN). Every column
/// of X holds category codes (categorical.hpp). The value difference metric (VDM,
/// value_difference_metric.hpp) is fitted on all of (X, y). For each class c to over-sample
/// (sampling_strategy, default 'auto' = every class but the majority), n_c new samples:
///   1. the neighbourhood of a sample: itself and its k nearest other samples of c by VDM (ties: the
///      lower index; imbalanced-learn takes the k + 1 nearest of a precomputed matrix, which holds
///      the sample itself first unless a duplicate wins the tie);
///   2. n_c base samples drawn uniformly with replacement;
///   3. the new sample takes, column by column, the most frequent code of its base's neighbourhood
///      (ties: the smallest code, as scipy's mode).
/// Identical rows are grouped, so the search costs O(U^2 d) for U distinct rows of c, with memory
/// O(U) per thread. Differences from imbalanced-learn: the library's generator. Defaults:
/// k_neighbors = 5, 'auto'.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/categorical.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/neighbors/value_difference_metric.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of SMOTEN (see imbalance/over_sampling/smoten.hpp for the formula, the paper and the defaults).
struct SMOTENOptions : ResamplerOptions {
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 5;
};

namespace detail {

/// The k nearest other rows of every row of `codes` (n x d) by VDM, ties by the lower row: as
/// NearestNeighbors::self_neighbors, with identical rows grouped.
template <class Codes>
NeighborIndices vdm_self_neighbors(const ValueDifferenceMetric& vdm, const Codes& codes, Eigen::Index k) {
  const Eigen::Index n = codes.rows();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  auto row_less = [&](Eigen::Index a, Eigen::Index b) {
    for (Eigen::Index j = 0; j < codes.cols(); ++j)
      if (codes(a, j) != codes(b, j)) return codes(a, j) < codes(b, j);
    return a < b;
  };
  std::sort(order.begin(), order.end(), row_less);
  std::vector<std::vector<Eigen::Index>> groups;  // members of each distinct row, ascending
  for (std::size_t r = 0; r < order.size(); ++r) {
    if (r == 0 || codes.row(order[r]) != codes.row(order[r - 1])) groups.emplace_back();
    groups.back().push_back(order[r]);
  }
  const auto U = static_cast<Eigen::Index>(groups.size());
  NeighborIndices out(n, k);
  parallel_chunks(U, 16, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    std::vector<std::pair<double, Eigen::Index>> by_distance(static_cast<std::size_t>(U));  // (VDM, first member)
    std::vector<Eigen::Index> group_of_first;
    std::vector<std::pair<double, Eigen::Index>> nearest;
    for (Eigen::Index g = begin; g < end; ++g) {
      const auto rep = codes.row(groups[static_cast<std::size_t>(g)][0]);
      for (Eigen::Index h = 0; h < U; ++h)
        by_distance[static_cast<std::size_t>(h)] = {vdm.distance(rep, codes.row(groups[static_cast<std::size_t>(h)][0])), h};
      std::sort(by_distance.begin(), by_distance.end(), [&](const auto& a, const auto& b) {
        return a.first < b.first ||
               (a.first == b.first && groups[static_cast<std::size_t>(a.second)][0] < groups[static_cast<std::size_t>(b.second)][0]);
      });
      // Members in (distance, index) order: the first k + 1 of each group suffice.
      nearest.clear();
      Eigen::Index gathered = 0;
      for (std::size_t r = 0; r < by_distance.size(); ++r) {
        if (gathered >= k + 1 && by_distance[r].first > nearest.back().first) break;
        const auto& members = groups[static_cast<std::size_t>(by_distance[r].second)];
        const std::size_t take = std::min(members.size(), static_cast<std::size_t>(k + 1));
        for (std::size_t m = 0; m < take; ++m) nearest.emplace_back(by_distance[r].first, members[m]);
        gathered += static_cast<Eigen::Index>(take);
        std::sort(nearest.begin(), nearest.end());
      }
      for (Eigen::Index i : groups[static_cast<std::size_t>(g)]) {
        Eigen::Index j = 0;
        for (const auto& candidate : nearest) {
          if (j == k) break;
          if (candidate.second != i) out(i, j++) = candidate.second;
        }
      }
    }
  });
  return out;
}

}  // namespace detail

/// SMOTE-N. See imbalance/over_sampling/smoten.hpp for the formula, the paper and the defaults.
class SMOTEN : public detail::SeededResampler<SMOTEN> {
 public:
  using detail::SeededResampler<SMOTEN>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = SMOTENOptions;

  /// Built from the options.
  explicit SMOTEN(SMOTENOptions options = {}) : options_(std::move(options)) {
    if (options_.k_neighbors < 1)
      detail::throw_invalid("SMOTEN::SMOTEN(): k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "SMOTEN::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    std::vector<int> categories;
    for (Eigen::Index c = 0; c < X.cols(); ++c) categories.push_back(detail::check_category_codes(function, X, c) + 1);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    const Eigen::Index k = options_.k_neighbors;
    for (const auto& [label, n] : plan)
      if (n > 0) detail::check_class_size(function, label, rows.at(label).size(), k, "k_neighbors");
    const ValueDifferenceMetric vdm(X, y);
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), false);
    Eigen::Index row = X.rows();
    std::vector<Eigen::Index> votes;
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const auto& members = rows.at(label);
      const auto codes = detail::gather_rows(X, members);
      const NeighborIndices neighbors = detail::vdm_self_neighbors(vdm, codes, k);
      std::vector<std::uint64_t> bases(static_cast<std::size_t>(n));
      for (auto& b : bases) b = uniform_index(rng, members.size());
      for (Eigen::Index s = 0; s < n; ++s) {
        const auto base = static_cast<Eigen::Index>(bases[static_cast<std::size_t>(s)]);
        for (Eigen::Index f = 0; f < X.cols(); ++f) {
          votes.assign(static_cast<std::size_t>(categories[static_cast<std::size_t>(f)]), 0);
          ++votes[static_cast<std::size_t>(codes(base, f))];
          for (Eigen::Index j = 0; j < k; ++j) ++votes[static_cast<std::size_t>(codes(neighbors(base, j), f))];
          out.X(row + s, f) = static_cast<typename DX::Scalar>(std::max_element(votes.begin(), votes.end()) - votes.begin());
        }
        out.y(row + s) = label;
      }
      row += n;
      out.change_per_class[label] = n;
    }
    return out;
  }

 private:
  SMOTENOptions options_;
};

}  // namespace imbalance
