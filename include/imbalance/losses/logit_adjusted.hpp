#pragma once
/// @file
/// Logit-adjusted cross-entropy.
///
/// Menon, Jayasumana, Rawat, Jain, Veit, Kumar. "Long-Tail Learning via Logit Adjustment",
/// ICLR 2021 (official code: google-research/google-research logit_adjustment, utils.py).
///   z'_ij = z_ij + log(pi_j^tau + 1e-12),   pi = n / sum n,   L = mean_i CE(z'_i, y_i)
///   dL/dz = (softmax(Z') - Y) / N
/// Defaults as the official code: tau = 1, epsilon = 1e-12 (added after the power, so an empty
/// class does not give -infinity). Training adds tau log pi; the post-hoc variant subtracts it at
/// test time instead: never both.

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of LogitAdjustedLoss (see imbalance/losses/logit_adjusted.hpp for the formula, the paper and the defaults).
struct LogitAdjustedOptions {
  /// tau, the power of the priors.
  double tau = 1.0;
  /// epsilon added to pi^tau (so that an empty class does not give -infinity).
  double epsilon = 1e-12;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Logit-adjusted cross-entropy. See imbalance/losses/logit_adjusted.hpp for the formula, the paper and the defaults.
class LogitAdjustedLoss : public SoftmaxLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit LogitAdjustedLoss(const Eigen::DenseBase<Derived>& class_counts, const LogitAdjustedOptions& options = {})
      : SoftmaxLoss("LogitAdjustedLoss", class_counts.size(), options.reduction) {
    const char* function = "LogitAdjustedLoss::LogitAdjustedLoss()";
    check_finite_scalar(function, "tau", options.tau);
    check_non_negative(function, "epsilon", options.epsilon);
    const Eigen::VectorXd n = class_counts_to_double(function, class_counts, options.epsilon == 0.0);
    if (!(n.sum() > 0)) detail::throw_invalid(function, ": class_counts must not all be zero");
    const Eigen::VectorXd adjustment = log_priors(n, options.tau, options.epsilon);
    if (!adjustment.allFinite())
      detail::throw_invalid(function, ": tau = ", options.tau, " makes log(pi^tau + epsilon) non-finite");
    bias_ = detail::ClassVector(adjustment);
  }

  /// The additive adjustment log(pi_j^tau + epsilon).
  Eigen::VectorXd adjustment() const { return bias_.to_vector(); }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LogitAdjustedLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LogitAdjustedLoss, float>)

}  // namespace imbalance
