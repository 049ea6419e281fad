#pragma once
/// @file
/// Over-sampling followed by cleaning, as imbalanced-learn's combine module:
///  - SMOTETomek: SMOTE, then TomekLinks with sampling_strategy 'all' (Batista, Bazzan, Monard 2003);
///  - SMOTEENN: SMOTE, then EditedNearestNeighbours with sampling_strategy 'all' (Batista, Prati,
///    Monard 2004).
/// The SMOTE options (its sampling_strategy, k_neighbors) are the caller's; the cleaner's are
/// imbalanced-learn's defaults with 'all'. The output's synthetic records are dropped (rows were
/// removed after interpolation); change_per_class is against the input.

#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/seeded.hpp"
#include "imbalance/under_sampling/edited_nearest_neighbours.hpp"
#include "imbalance/under_sampling/tomek_links.hpp"

namespace imbalance {

namespace detail {
template <class Matrix, class DY>
void finish_combination(Resampled<Matrix>& out, const Eigen::DenseBase<DY>& y) {
  out.sample_indices.clear();
  out.synthetic_base.clear();
  out.synthetic_neighbor.clear();
  out.change_per_class = change_per_class(y, out.y);
}
}  // namespace detail

/// SMOTE followed by a cleaner (TomekLinks or EditedNearestNeighbours) targeting all classes.
template <class Cleaner>
class SMOTEThenClean : public detail::SeededResampler<SMOTEThenClean<Cleaner>> {
 public:
  using detail::SeededResampler<SMOTEThenClean<Cleaner>>::fit_resample;

  /// SMOTE with these options, then the cleaner with the matching neighbour settings.
  explicit SMOTEThenClean(SMOTEOptions smote = {}) : smote_(std::move(smote)), cleaner_(cleaner_for(smote_.options())) {}

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    auto over = smote_.fit_resample(X, y, rng);
    auto out = cleaner_.fit_resample(over.X, over.y);
    detail::finish_combination(out, y);
    return out;
  }

 private:
  static Cleaner cleaner_for(const SMOTEOptions& smote) {
    typename Cleaner::Options options;
    options.sampling_strategy = SamplingStrategy::Named::All;
    options.neighbors = smote.neighbors;
    return Cleaner(options);
  }
  SMOTE smote_;
  Cleaner cleaner_;
};

/// SMOTE, then Tomek links (imbalanced-learn's SMOTETomek).
using SMOTETomek = SMOTEThenClean<TomekLinks>;
/// SMOTE, then edited nearest neighbours (imbalanced-learn's SMOTEENN).
using SMOTEENN = SMOTEThenClean<EditedNearestNeighbours>;

}  // namespace imbalance
