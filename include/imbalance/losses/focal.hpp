#pragma once
/// @file
/// Multi-class softmax focal loss, in the form of the LDAM-DRW official code (losses.py FocalLoss).
///
/// Lin, Goyal, Girshick, He, Dollár. "Focal Loss for Dense Object Detection", ICCV 2017; form of
/// Cao et al., NeurIPS 2019 (kaidic/LDAM-DRW).
///   q_i = w_{y_i} CE_i,   l_i = (1 - e^{-q_i})^gamma q_i,   Mean: sum_i l_i / N (plain mean, not / sum w)
///   dL/dz_i = (w_{y_i}/N) u^gamma (1 + gamma (1 - u) q_i / u) (softmax(z_i) - e_{y_i}),  u = 1 - e^{-q_i}
/// Difference from the paper: the class weight sits inside the modulator (e^{-q} = p_y^{w_y}), as
/// in the official code; without class weights both agree: (1 - p_y)^gamma CE.
/// gamma < 1 is stable (no 0 * inf at p_y -> 1). Defaults: gamma = 1 (the value cifar_train.py
/// uses; the class's own default is 0, plain CE), no class weights, Reduction::Mean.

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of FocalLoss (see imbalance/losses/focal.hpp for the formula, the paper and the defaults).
struct FocalOptions {
  /// gamma >= 0; 0 is cross-entropy.
  double gamma = 1.0;
  /// w_k; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Multi-class softmax focal loss, in the form of the LDAM-DRW official code (losses.py FocalLoss). See imbalance/losses/focal.hpp for the formula, the paper and the defaults.
class FocalLoss : public SoftmaxLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit FocalLoss(const Eigen::DenseBase<Derived>& class_counts, const FocalOptions& options = {})
      : FocalLoss(class_counts.size(), options) {}

  /// Built for num_classes classes.
  explicit FocalLoss(Eigen::Index num_classes, const FocalOptions& options = {})
      : SoftmaxLoss("FocalLoss", num_classes, options.reduction) {
    const char* function = "FocalLoss::FocalLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    check_non_negative(function, "gamma", options.gamma);
    weights_ = detail::ClassVector(detail::checked_class_weights(function, options.class_weights, num_classes));
    focal_ = true;
    gamma_ = options.gamma;
  }

  /// The focusing parameter gamma.
  double gamma() const noexcept { return gamma_; }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<FocalLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<FocalLoss, float>)

}  // namespace imbalance
