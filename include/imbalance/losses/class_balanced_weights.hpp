#pragma once
/// @file
/// Class-balanced weights from the effective number of samples.
///
/// Cui, Jia, Lin, Song, Belongie. "Class-Balanced Loss Based on Effective Number of Samples",
/// CVPR 2019 (official code: richardaecn/class-balanced-loss).
///   E_k = (1 - beta^{n_k}) / (1 - beta),   w_k = 1 / E_k,   then w <- K w / sum_j w_j
/// so that the weights sum to K (mean weight 1). beta = 0 gives w = 1; beta -> 1 gives w ∝ 1/n_k.
/// Official defaults: beta = 0.9999 on CIFAR, 0.999 on ImageNet/iNaturalist.

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"

namespace imbalance {

/// The class-balanced loss's one parameter, with the official CIFAR default.
struct ClassBalancedOptions {
  /// beta of the effective number of samples.
  double beta = 0.9999;
};

/// Class-balanced weights (1 - beta) / (1 - beta^{n_k}), normalised to sum to K.
/// @param class_counts n_k > 0 for every class
/// @param beta in [0, 1)
/// @throws imbalance::invalid_argument for beta outside [0, 1) or a count that is not > 0.
template <class Derived>
Eigen::VectorXd class_balanced_weights(const Eigen::DenseBase<Derived>& class_counts, double beta) {
  const char* function = "class_balanced_weights()";
  if (!(beta >= 0.0 && beta < 1.0)) detail::throw_invalid(function, ": beta must lie in [0, 1) (got ", beta, ")");
  const Eigen::VectorXd n = class_counts_to_double(function, class_counts, true);
  Eigen::VectorXd weights(n.size());
  for (Eigen::Index k = 0; k < n.size(); ++k) {
    // 1 - beta^n computed as -expm1(n log beta): no cancellation for beta near 1.
    const double one_minus_power = beta == 0.0 ? 1.0 : -std::expm1(n(k) * std::log(beta));
    weights(k) = (1.0 - beta) / one_minus_power;
  }
  return weights * (static_cast<double>(n.size()) / weights.sum());
}

}  // namespace imbalance
