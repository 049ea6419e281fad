#pragma once
/// @file
/// Balanced Softmax cross-entropy.
///
/// Ren, Yu, Sheng, Ma, Zhao, Yi, Li. "Balanced Meta-Softmax for Long-Tailed Visual Recognition",
/// NeurIPS 2020 (official code: jiawei-ren/BalancedMetaSoftmax-Classification,
/// loss/BalancedSoftmaxLoss.py).
///   z'_ij = z_ij + log n_j,   L = mean_i CE(z'_i, y_i),   dL/dz = (softmax(Z') - Y) / N
/// Equal to the logit-adjusted loss with tau = 1 (softmax is shift-invariant). Counts must be > 0
/// (the official code would give a -inf logit). Default: Reduction::Mean.

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of BalancedSoftmaxLoss (see imbalance/losses/balanced_softmax.hpp for the formula, the paper and the defaults).
struct BalancedSoftmaxOptions {
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Balanced Softmax cross-entropy. See imbalance/losses/balanced_softmax.hpp for the formula, the paper and the defaults.
class BalancedSoftmaxLoss : public SoftmaxLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit BalancedSoftmaxLoss(const Eigen::DenseBase<Derived>& class_counts,
                               const BalancedSoftmaxOptions& options = {})
      : SoftmaxLoss("BalancedSoftmaxLoss", class_counts.size(), options.reduction) {
    const Eigen::VectorXd n = class_counts_to_double("BalancedSoftmaxLoss::BalancedSoftmaxLoss()", class_counts, true);
    bias_ = detail::ClassVector(n.array().log().matrix());
  }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<BalancedSoftmaxLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<BalancedSoftmaxLoss, float>)

}  // namespace imbalance
