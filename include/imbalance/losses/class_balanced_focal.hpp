#pragma once
/// @file
/// Class-balanced sigmoid and focal losses, the official formulation.
///
/// Cui, Jia, Lin, Song, Belongie. "Class-Balanced Loss Based on Effective Number of Samples",
/// CVPR 2019 (official code: richardaecn/class-balanced-loss, src/cifar_main.py).
///   L = sum_{i,j} w_{y_i} M_ij BCE(z_ij, Y_ij) / N,   M = exp(-gamma softplus(s z)), s = 2Y - 1
/// (M = (1 - p_t)^gamma; gamma = 0 is the class-balanced sigmoid loss). w = class_balanced_weights
/// (counts, beta) unless class_weights are given. The weight of the sample's class multiplies all K
/// binary terms of the sample (the official code tiles it), which is not RetinaNet's per-class
/// alpha_t. The modulator is differentiated, as TensorFlow does in the official code. The official
/// code's exp(-z) form overflows for z < -88.7 in float32; this one goes through softplus.
/// Defaults as the official CIFAR scripts: beta = 0.9999, gamma = 1.0, Reduction::Mean (sum / N).

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/class_balanced_weights.hpp"
#include "imbalance/losses/sigmoid_loss.hpp"

namespace imbalance {

/// Options of ClassBalancedFocalLoss (see imbalance/losses/class_balanced_focal.hpp for the formula, the paper and the defaults).
struct ClassBalancedFocalOptions {
  /// beta of the effective number of samples (1 - beta^n) / (1 - beta).
  double beta = 0.9999;
  /// 0 gives the class-balanced sigmoid loss.
  double gamma = 1.0;
  /// Explicit w_k; when empty, class_balanced_weights(counts, beta).
  Eigen::VectorXd class_weights;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Class-balanced sigmoid and focal losses, the official formulation. See imbalance/losses/class_balanced_focal.hpp for the formula, the paper and the defaults.
class ClassBalancedFocalLoss : public SigmoidLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit ClassBalancedFocalLoss(const Eigen::DenseBase<Derived>& class_counts,
                                  const ClassBalancedFocalOptions& options = {})
      : SigmoidLoss("ClassBalancedFocalLoss", class_counts.size(), options.reduction) {
    const char* function = "ClassBalancedFocalLoss::ClassBalancedFocalLoss()";
    check_non_negative(function, "gamma", options.gamma);
    row_weights_ = options.class_weights.size() == 0
                       ? class_balanced_weights(class_counts, options.beta)
                       : detail::checked_class_weights(function, options.class_weights, class_counts.size());
    gamma_ = options.gamma;
    mean_over_elements_ = false;
  }

  /// The class weights w_k in use.
  const Eigen::VectorXd& class_weights() const noexcept { return row_weights_; }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<ClassBalancedFocalLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<ClassBalancedFocalLoss, float>)

}  // namespace imbalance
