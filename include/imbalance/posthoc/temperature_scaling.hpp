#pragma once
/// @file
/// Temperature scaling: Guo, Pleiss, Sun, Weinberger, "On Calibration of Modern Neural Networks",
/// ICML 2017. One scalar T > 0 divides every logit; it is fitted on validation data by minimising
/// the mean negative log-likelihood
///   f(b) = (1/N) sum_i [logsumexp(b z_i) - b z_i,y_i],  b = 1/T,
/// which is convex in b with f'(b) = (1/N) sum_i (E_softmax(b z_i)[z] - z_i,y_i). The root of f' is
/// bracketed in [1/max_temperature, 1/min_temperature] (defaults 0.01 .. 100) and found by the
/// Illinois variant of regula falsi to |f'| <= 1e-12 (or a relative bracket width of 1e-14); if f'
/// keeps its sign over the bracket, the nearer end is returned (data the model already separates
/// perfectly would drive T to 0). The argmax, hence accuracy, is unchanged; only confidence moves.
/// The loss and its derivative come from the library's cross-entropy (one log-softmax kernel).

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/losses/cross_entropy.hpp"

namespace imbalance {

/// Options of TemperatureScaling (see imbalance/posthoc/temperature_scaling.hpp for the formula, the paper and the defaults).
struct TemperatureScalingOptions {
  double min_temperature = 0.01;  ///< lower end of the search interval
  double max_temperature = 100.0;  ///< upper end of the search interval
  /// Iterations of the search at most.
  Eigen::Index max_iterations = 200;
};

/// Temperature scaling. See imbalance/posthoc/temperature_scaling.hpp for the formula, the paper and the defaults.
class TemperatureScaling {
 public:
  /// A scaling by `temperature` (> 0).
  explicit TemperatureScaling(double temperature = 1.0) : temperature_(temperature) {
    if (!(std::isfinite(temperature) && temperature > 0))
      detail::throw_invalid("TemperatureScaling: temperature must be > 0 and finite (got ", temperature, ")");
  }

  /// Fits T on validation logits (N x K) and labels.
  template <class DZ, class DY>
  static TemperatureScaling fit(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                const TemperatureScalingOptions& options = {}) {
    const char* function = "TemperatureScaling::fit()";
    if (!(options.min_temperature > 0 && options.min_temperature < options.max_temperature &&
          std::isfinite(options.max_temperature)))
      detail::throw_invalid(function, ": need 0 < min_temperature < max_temperature < inf (got ", options.min_temperature,
                            ", ", options.max_temperature, ")");
    const Eigen::MatrixXd z = logits.derived().template cast<double>();
    const Eigen::VectorXi y = labels.derived().template cast<int>();
    const CrossEntropyLoss loss(z.cols());
    Eigen::MatrixXd scaled(z.rows(), z.cols()), gradient(z.rows(), z.cols());
    // f'(b) = sum_ik dL/dz'_ik z_ik with z' = b z (the mean cross-entropy's gradient).
    auto slope = [&](double b) {
      scaled = b * z;
      loss.value_and_gradient(scaled, y, gradient);  // validates shapes, labels, finiteness
      return gradient.cwiseProduct(z).sum();
    };
    double lo = 1.0 / options.max_temperature, hi = 1.0 / options.min_temperature;
    double f_lo = slope(lo), f_hi = slope(hi);
    if (f_lo >= 0) return TemperatureScaling(1.0 / lo);
    if (f_hi <= 0) return TemperatureScaling(1.0 / hi);
    int side = 0;
    double b = lo;
    for (Eigen::Index iteration = 0; iteration < options.max_iterations; ++iteration) {
      b = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
      const double f = slope(b);
      if (std::abs(f) <= 1e-12 || hi - lo <= 1e-14 * b) break;
      if (f < 0) {
        lo = b;
        f_lo = f;
        if (side == -1) f_hi /= 2;  // Illinois: halve the stale end
        side = -1;
      } else {
        hi = b;
        f_hi = f;
        if (side == 1) f_lo /= 2;
        side = 1;
      }
    }
    return TemperatureScaling(1.0 / b);
  }

  /// The temperature T.
  double temperature() const noexcept { return temperature_; }

  /// logits / T.
  template <class DZ>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> scaled_logits(const Eigen::DenseBase<DZ>& logits) const {
    check_finite("TemperatureScaling::scaled_logits()", "logits", logits);
    return logits.derived() / static_cast<typename DZ::Scalar>(temperature_);
  }

  /// softmax(z / T), row by row.
  template <class DZ>
  Eigen::MatrixXd probabilities(const Eigen::DenseBase<DZ>& logits) const {
    return softmax_rows(scaled_logits(logits).template cast<double>());
  }

 private:
  double temperature_;
};

}  // namespace imbalance
