#pragma once
/// @file
/// tau-normalisation of a linear classifier.
///
/// Kang, Xie, Rohrbach, Yan, Gordo, Feng, Kalantidis. "Decoupling Representation and Classifier for
/// Long-Tailed Recognition", ICLR 2020 (official code: facebookresearch/classifier-balancing,
/// tau_norm.py). Each class's weight vector is rescaled,
///   w~_k = w_k / ||w_k||_2^tau,
/// and the logits become x . w~_k with the bias dropped, as the official code does. tau = 0 leaves W
/// unchanged, tau = 1 normalises every class vector to unit length; the official script sweeps tau
/// over linspace(0, 2, 21) and picks it on validation data (see tuning.hpp).
/// Weights are d x K with one column per class (the layout of this library's trainer); pass the
/// transpose of a PyTorch nn.Linear weight (K x d).

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// tau of the normalisation; 1 (unit-length class vectors) is the middle of the official sweep.
struct TauNormalizationOptions {
  /// tau, the power of the weight norms.
  double tau = 1.0;
};

/// W~ = W diag(||w_k||^-tau). A zero column stays zero.
template <class DW>
Eigen::MatrixXd tau_normalize(const Eigen::DenseBase<DW>& weights, double tau) {
  const char* function = "tau_normalize()";
  check_finite_scalar(function, "tau", tau);
  check_non_empty(function, "weights", weights.size());
  check_finite(function, "weights", weights);
  Eigen::MatrixXd out = weights.derived().template cast<double>();
  for (Eigen::Index k = 0; k < out.cols(); ++k) {
    const double norm = out.col(k).norm();
    if (norm > 0) out.col(k) /= std::pow(norm, tau);
  }
  return out;
}

/// Logits X W~ of the tau-normalised classifier (N x K, no bias).
template <class DX, class DW>
Eigen::MatrixXd tau_normalized_logits(const Eigen::DenseBase<DX>& features, const Eigen::DenseBase<DW>& weights,
                                      double tau) {
  const char* function = "tau_normalized_logits()";
  check_non_empty(function, "features", features.rows());
  check_shape(function, "weights", weights.rows(), weights.cols(), features.cols(), -1);
  check_finite(function, "features", features);
  return features.derived().template cast<double>().matrix() * tau_normalize(weights, tau);
}

}  // namespace imbalance
