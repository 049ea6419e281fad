#pragma once
/// @file
/// LDAM: label-distribution-aware margin loss.
///
/// Cao, Wei, Gaidon, Arechiga, Ma. "Learning Imbalanced Datasets with Label-Distribution-Aware
/// Margin Loss", NeurIPS 2019 (official code: kaidic/LDAM-DRW, losses.py LDAMLoss).
///   m_k = n_k^{-1/4},  m <- m * max_margin / max_j m_j      (the rarest class gets max_margin)
///   z'_ij = s (z_ij - m_{y_i} [j == y_i]),   L = weighted CE on z' (PyTorch weighted mean)
///   dL/dz_i = s w_{y_i} (softmax(z'_i) - e_{y_i}) / sum_k w_{y_k}
/// Defaults as the official code: max_margin = 0.5, scale s = 30, no class weights (set them to
/// DeferredReweighting::weights(epoch) for LDAM-DRW). The paper has no s; the official code applies
/// it because its logits are cosines in [-1, 1] (a normalised linear layer), so the effective
/// logit margin is s * m_y.

#include <cmath>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of LDAMLoss (see imbalance/losses/ldam.hpp for the formula, the paper and the defaults).
struct LDAMOptions {
  /// Margin of the rarest class (C in the paper is max_margin / max_k n_k^{-1/4}).
  double max_margin = 0.5;
  /// Logit scale s.
  double scale = 30.0;
  /// w_k; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Divisor of Reduction::Mean: the sum of the batch's class weights (PyTorch's weighted mean, the default) or the batch size.
  Normalizer normalizer = Normalizer::WeightSum;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// LDAM. See imbalance/losses/ldam.hpp for the formula, the paper and the defaults.
class LDAMLoss : public SoftmaxLoss {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit LDAMLoss(const Eigen::DenseBase<Derived>& class_counts, const LDAMOptions& options = {})
      : SoftmaxLoss("LDAMLoss", class_counts.size(), options.reduction) {
    const char* function = "LDAMLoss::LDAMLoss()";
    const Eigen::VectorXd n = class_counts_to_double(function, class_counts, true);
    check_non_negative(function, "max_margin", options.max_margin);
    check_positive(function, "scale", options.scale);
    margins_ = n.array().pow(-0.25).matrix();
    margins_ *= options.max_margin / margins_.maxCoeff();
    scale_ = detail::ClassVector(Eigen::VectorXd::Constant(n.size(), options.scale));
    target_offset_ = detail::ClassVector(options.scale * margins_);
    weights_ = detail::ClassVector(detail::checked_class_weights(function, options.class_weights, n.size()));
    normalizer_ = options.normalizer;
  }

  /// The per-class margins m_k (before scaling by s).
  const Eigen::VectorXd& margins() const noexcept { return margins_; }

 private:
  Eigen::VectorXd margins_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LDAMLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LDAMLoss, float>)

}  // namespace imbalance
