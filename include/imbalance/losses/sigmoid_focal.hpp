#pragma once
/// @file
/// Sigmoid focal loss, torchvision's form (torchvision.ops.sigmoid_focal_loss).
///
/// Lin, Goyal, Girshick, He, Dollár. "Focal Loss for Dense Object Detection", ICCV 2017.
/// Per element of the one-hot target t = e_{y_i}, with p = sigma(z):
///   p_t = p t + (1 - p)(1 - t),  alpha_t = alpha t + (1 - alpha)(1 - t)  (alpha < 0: alpha_t = 1)
///   l = alpha_t (1 - p_t)^gamma BCE(z, t)
///   Mean: sum / (N K) (torchvision's 'mean'); Sum: sum; None: per_element gives the N x K losses.
///   dl/dz = -alpha_t s M (1 - p_t + gamma p_t BCE), s = 2t - 1, M = (1 - p_t)^gamma
/// computed through softplus, so logits of any finite size are stable.
/// Defaults as torchvision: alpha = 0.25, gamma = 2 (torchvision's default reduction is 'none';
/// here it is Mean, like every loss of the library).

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/sigmoid_loss.hpp"

namespace imbalance {

/// Options of SigmoidFocalLoss (see imbalance/losses/sigmoid_focal.hpp for the formula, the paper and the defaults).
struct SigmoidFocalOptions {
  /// Weight of the positive (target) terms; negatives get 1 - alpha; alpha < 0 disables weighting.
  double alpha = 0.25;
  /// Focusing parameter gamma.
  double gamma = 2.0;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Sigmoid focal loss, torchvision's form (torchvision.ops.sigmoid_focal_loss). See imbalance/losses/sigmoid_focal.hpp for the formula, the paper and the defaults.
class SigmoidFocalLoss : public SigmoidLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit SigmoidFocalLoss(const Eigen::DenseBase<Derived>& class_counts, const SigmoidFocalOptions& options = {})
      : SigmoidFocalLoss(class_counts.size(), options) {}

  /// Built for num_classes classes.
  explicit SigmoidFocalLoss(Eigen::Index num_classes, const SigmoidFocalOptions& options = {})
      : SigmoidLoss("SigmoidFocalLoss", num_classes, options.reduction) {
    const char* function = "SigmoidFocalLoss::SigmoidFocalLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    check_non_negative(function, "gamma", options.gamma);
    check_finite_scalar(function, "alpha", options.alpha);
    if (options.alpha > 1) detail::throw_invalid(function, ": alpha must be <= 1 (got ", options.alpha, ")");
    if (options.alpha >= 0) {
      alpha_positive_ = options.alpha;
      alpha_negative_ = 1 - options.alpha;
    }
    gamma_ = options.gamma;
    mean_over_elements_ = true;
  }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<SigmoidFocalLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<SigmoidFocalLoss, float>)

}  // namespace imbalance
