#pragma once
/// @file
/// Random under-sampling.
///
/// As imbalanced-learn 0.10 (under_sampling/_prototype_selection/_random_under_sampler.py): for
/// every class c to under-sample (sampling_strategy, default 'auto' = every class but the minority),
/// keep n_c of its rows drawn uniformly without replacement (or with replacement). Other classes
/// are kept whole. Difference: the kept rows come out in their original order (imbalanced-learn
/// groups them by class).

#include <algorithm>
#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of RandomUnderSampler (see imbalance/under_sampling/random_under_sampler.hpp for the formula, the paper and the defaults).
struct RandomUnderSamplerOptions : ResamplerOptions {
  /// Draw with replacement.
  bool replacement = false;
};

/// Random under-sampling. See imbalance/under_sampling/random_under_sampler.hpp for the formula, the paper and the defaults.
class RandomUnderSampler : public detail::SeededResampler<RandomUnderSampler> {
 public:
  using detail::SeededResampler<RandomUnderSampler>::fit_resample;

  /// Built from the options.
  explicit RandomUnderSampler(RandomUnderSamplerOptions options = {}) : options_(std::move(options)) {}

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const auto rows = detail::class_rows("RandomUnderSampler::fit_resample()", X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::UnderSampling);
    std::vector<Eigen::Index> keep;
    for (const auto& [label, members] : rows) {
      const auto target = plan.find(label);
      if (target == plan.end()) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      const auto n = static_cast<std::size_t>(target->second);
      if (options_.replacement) {
        for (std::size_t s = 0; s < n; ++s) keep.push_back(members[uniform_index(rng, members.size())]);
      } else {
        // Partial Fisher-Yates: the first n of a uniformly random permutation.
        std::vector<Eigen::Index> pool = members;
        for (std::size_t s = 0; s < n; ++s) std::swap(pool[s], pool[s + uniform_index(rng, pool.size() - s)]);
        keep.insert(keep.end(), pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
      }
    }
    std::sort(keep.begin(), keep.end());
    return detail::select_rows(X, y, std::move(keep));
  }


 private:
  RandomUnderSamplerOptions options_;
};

}  // namespace imbalance
