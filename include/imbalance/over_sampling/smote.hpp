#pragma once
/// @file
/// SMOTE: synthetic minority over-sampling.
///
/// Chawla, Bowyer, Hall, Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16,
/// 2002; as implemented by imbalanced-learn 0.10 (over_sampling/_smote/base.py). For every class c
/// to over-sample (sampling_strategy, default 'auto' = every class but the majority), in ascending
/// label order, n_c new samples:
///   1. the k nearest same-class neighbours of every sample of c (self excluded by index);
///   2. n_c draws of a (sample, neighbour) pair, uniform over all n_class * k pairs (with
///      replacement), then n_c steps u ~ U[0, 1);
///   3. x_new = x + u (x_nn - x): a point on the segment from the sample towards its neighbour.
/// Differences from imbalanced-learn: one engine serves the whole call (imbalanced-learn re-seeds
/// per class), and the draws use the library's portable generator, so counts and the geometry
/// match imbalanced-learn but not its random numbers. Defaults: k_neighbors = 5, 'auto'.

#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/detail/interpolation.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of SMOTE (see imbalance/over_sampling/smote.hpp for the formula, the paper and the defaults).
struct SMOTEOptions : ResamplerOptions {
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 5;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};


/// SMOTE. See imbalance/over_sampling/smote.hpp for the formula, the paper and the defaults.
class SMOTE : public detail::SeededResampler<SMOTE> {
 public:
  using detail::SeededResampler<SMOTE>::fit_resample;

  /// Built from the options.
  explicit SMOTE(SMOTEOptions options = {}) : options_(std::move(options)) {
    if (options_.k_neighbors < 1)
      detail::throw_invalid("SMOTE::SMOTE(): k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
  }

  /// The options it was built with.
  const SMOTEOptions& options() const noexcept { return options_; }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "SMOTE::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    for (const auto& [label, n] : plan)
      if (n > 0) detail::check_class_size(function, label, rows.at(label).size(), options_.k_neighbors, "k_neighbors");
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), true);
    Eigen::Index row = X.rows();
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const auto& members = rows.at(label);
      const NearestNeighbors nn(X, members, options_.neighbors);
      const NeighborIndices neighbors = nn.self_neighbors(options_.k_neighbors);
      std::vector<Eigen::Index> bases(members.size());
      for (std::size_t r = 0; r < bases.size(); ++r) bases[r] = static_cast<Eigen::Index>(r);
      detail::interpolate(out, row, X, label, members, bases, neighbors, n, rng);
      out.change_per_class[label] = n;
    }
    return out;
  }


 private:
  SMOTEOptions options_;
};

}  // namespace imbalance
