#pragma once
/// @file
/// VS loss: vector-scaling cross-entropy (multiplicative and additive logit adjustment).
///
/// Kini, Paraskevas, Oymak, Thrampoulidis. "Label-Imbalanced and Group-Sensitive Classification
/// under Overparameterization", NeurIPS 2021 (official code: orparask/VS-Loss, losses.py VSLoss).
///   Delta_j = (n_j / n_max)^gamma,   iota_j = tau log pi_j
///   z'_ij = Delta_j z_ij + iota_j,   L = weighted CE on z' (PyTorch weighted mean)
///   dL/dz_ij = w_{y_i} Delta_j (softmax(z'_i)_j - Y_ij) / sum_k w_{y_k}
/// Defaults as the official code: gamma = 0.3, tau = 1.0, no class weights. gamma = 0 is the
/// logit-adjusted loss (without its epsilon), tau = 0 is CDT. The code's `Delta_list` is the
/// reciprocal of the paper's Delta; this class follows the paper's (equivalent) notation.

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of VSLoss (see imbalance/losses/vs.hpp for the formula, the paper and the defaults).
struct VSOptions {
  /// gamma of the multiplicative factor Delta_j = (n_j / n_max)^gamma.
  double gamma = 0.3;
  /// tau of the additive term tau log pi_j.
  double tau = 1.0;
  /// w_k; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Divisor of Reduction::Mean: the sum of the batch's class weights (PyTorch's weighted mean, the default) or the batch size.
  Normalizer normalizer = Normalizer::WeightSum;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// VS loss. See imbalance/losses/vs.hpp for the formula, the paper and the defaults.
class VSLoss : public SoftmaxLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit VSLoss(const Eigen::DenseBase<Derived>& class_counts, const VSOptions& options = {})
      : SoftmaxLoss("VSLoss", class_counts.size(), options.reduction) {
    const char* function = "VSLoss::VSLoss()";
    check_non_negative(function, "gamma", options.gamma);
    check_finite_scalar(function, "tau", options.tau);
    const Eigen::VectorXd n = class_counts_to_double(function, class_counts, true);
    const Eigen::VectorXd multiplicative = (n / n.maxCoeff()).array().pow(options.gamma).matrix();
    const Eigen::VectorXd additive = options.tau * log_priors(n);
    scale_ = detail::ClassVector(multiplicative);
    bias_ = detail::ClassVector(additive);
    weights_ = detail::ClassVector(detail::checked_class_weights(function, options.class_weights, n.size()));
    normalizer_ = options.normalizer;
  }

  /// Delta_j = (n_j / n_max)^gamma.
  Eigen::VectorXd multiplicative_adjustment() const { return scale_.to_vector(); }
  /// iota_j = tau log pi_j.
  Eigen::VectorXd additive_adjustment() const { return bias_.to_vector(); }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<VSLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<VSLoss, float>)

}  // namespace imbalance
