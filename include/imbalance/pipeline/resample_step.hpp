#pragma once
/// @file
/// One data step of a pipeline: any resampler (cleaner, over- or under-sampler) as a value with a
/// name. resample_step(name, resampler) wraps every resampler of the library (and a user's) that has
/// `fit_resample(X, y, rng)` or, for the deterministic ones, `fit_resample(X, y)`:
///
///     ResampleStep smote = resample_step("smote", SMOTE());
///     ResampleStep lof = resample_step("clean-lof", LocalOutlierCleaner());

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/sampling/resampled.hpp"

namespace imbalance {

/// A named resampling of (X, y) in double precision, drawing from the caller's generator.
struct ResampleStep {
  /// The step's name (reports and messages).
  std::string name;
  /// The resampled rows.
  std::function<Resampled<Eigen::MatrixXd>(const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Rng& rng)> resample;
};

namespace detail {
template <class R, class = void>
struct takes_generator : std::false_type {};
template <class R>
struct takes_generator<R, std::void_t<decltype(std::declval<const R&>().fit_resample(
                              std::declval<const Eigen::MatrixXd&>(), std::declval<const Eigen::VectorXi&>(),
                              std::declval<Rng&>()))>> : std::true_type {};
}  // namespace detail

/// A step that runs `resampler.fit_resample` (with the pipeline's generator when it takes one).
template <class Resampler>
ResampleStep resample_step(std::string name, Resampler resampler) {
  return {std::move(name), [resampler = std::move(resampler)](const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                                                              Rng& rng) -> Resampled<Eigen::MatrixXd> {
            if constexpr (detail::takes_generator<Resampler>::value) {
              return resampler.fit_resample(X, y, rng);
            } else {
              (void)rng;
              return resampler.fit_resample(X, y);
            }
          }};
}

}  // namespace imbalance
