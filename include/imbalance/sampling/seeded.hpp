#pragma once
/// @file
/// The seed form of fit_resample shared by the random resamplers: fit_resample(X, y, seed) runs
/// fit_resample(X, y, rng) with rng = imbalance::Rng(seed). A resampler derives from
/// SeededResampler<Itself> and brings the overload in with `using SeededResampler<...>::fit_resample`.

#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"

namespace imbalance::detail {

template <class Resampler>
class SeededResampler {
 public:
  template <class DX, class DY>
  auto fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, std::uint64_t seed) const {
    Rng rng(seed);
    return static_cast<const Resampler&>(*this).fit_resample(X, y, rng);
  }
};

}  // namespace imbalance::detail
