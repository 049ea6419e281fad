#pragma once
/// @file
/// Tomek links cleaning.
///
/// Tomek, "Two Modifications of CNN", IEEE Trans. SMC 6(11), 1976; as imbalanced-learn 0.10
/// (under_sampling/_prototype_selection/_tomek_links.py). Samples i and j form a link when each is
/// the other's nearest neighbour (among all of X, self excluded by index; ties by lower index) and
/// their labels differ. Members of a link whose class is targeted by sampling_strategy (default
/// 'auto' = every class but the minority; SMOTETomek uses 'all') are removed. Kept rows come out in
/// their original order (imbalanced-learn groups them by class).

#include "imbalance/core/eigen.hpp"

#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"

namespace imbalance {

/// Options of TomekLinks (see imbalance/under_sampling/tomek_links.hpp for the formula, the paper and the defaults).
struct TomekLinksOptions : ResamplerOptions {
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Tomek links cleaning. See imbalance/under_sampling/tomek_links.hpp for the formula, the paper and the defaults.
class TomekLinks : public detail::DeterministicResampler<TomekLinks> {
 public:
  using detail::DeterministicResampler<TomekLinks>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = TomekLinksOptions;

  /// Built from the options.
  explicit TomekLinks(TomekLinksOptions options = {}) : options_(std::move(options)) {}

  /// Whether each sample belongs to a Tomek link (whatever its class).
  template <class DX, class DY>
  std::vector<bool> links(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    detail::class_rows("TomekLinks::links()", X, y);
    return find_links(X, y);
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const auto rows = detail::class_rows("TomekLinks::fit_resample()", X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::Cleaning);
    const std::vector<bool> in_link = find_links(X, y);
    std::vector<Eigen::Index> keep;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      if (!(in_link[static_cast<std::size_t>(i)] && targets.count(static_cast<int>(y.derived().coeff(i))))) keep.push_back(i);
    return detail::select_rows(X, y, std::move(keep));
  }

  /// Tomek links are deterministic; the engine is accepted for a uniform resampler interface.

 private:
  template <class DX, class DY>
  std::vector<bool> find_links(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const NeighborIndices nearest = NearestNeighbors(X, options_.neighbors).self_neighbors(1);
    std::vector<bool> in_link(static_cast<std::size_t>(X.rows()), false);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const Eigen::Index j = nearest(i, 0);
      if (nearest(j, 0) == i && y.derived().coeff(i) != y.derived().coeff(j)) in_link[static_cast<std::size_t>(i)] = true;
    }
    return in_link;
  }

  TomekLinksOptions options_;
};

}  // namespace imbalance
