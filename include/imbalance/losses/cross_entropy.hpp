#pragma once
/// @file
/// Softmax cross-entropy with optional class weights.
///
///   l_i = w_{y_i} (lse(z_i) - z_{i,y_i})
///   Mean: sum_i l_i / sum_i w_{y_i}   (Normalizer::WeightSum, PyTorch's weighted mean; the default)
///         sum_i l_i / N               (Normalizer::BatchSize, the official class-balanced TF code)
///   dL/dz_i = norm w_{y_i} (softmax(z_i) - e_{y_i})
/// Class-balanced cross-entropy (Cui et al., CVPR 2019) is this loss with
/// class_weights = class_balanced_weights(counts, beta).
/// Defaults: no class weights, Normalizer::WeightSum, Reduction::Mean.

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of CrossEntropyLoss (see imbalance/losses/cross_entropy.hpp for the formula, the paper and the defaults).
struct CrossEntropyOptions {
  /// w_k; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Divisor of Reduction::Mean: the sum of the batch's class weights (PyTorch's weighted mean, the default) or the batch size.
  Normalizer normalizer = Normalizer::WeightSum;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Softmax cross-entropy with optional class weights. See imbalance/losses/cross_entropy.hpp for the formula, the paper and the defaults.
class CrossEntropyLoss : public SoftmaxLoss {
 public:
  /// Only the number of classes is taken from class_counts (which must still be valid counts).
  template <class Derived>
  explicit CrossEntropyLoss(const Eigen::DenseBase<Derived>& class_counts, const CrossEntropyOptions& options = {})
      : CrossEntropyLoss(
            class_counts_to_double("CrossEntropyLoss::CrossEntropyLoss()", class_counts, false).size(), options) {}

  /// Built for num_classes classes.
  explicit CrossEntropyLoss(Eigen::Index num_classes, const CrossEntropyOptions& options = {})
      : SoftmaxLoss("CrossEntropyLoss", num_classes, options.reduction) {
    const char* function = "CrossEntropyLoss::CrossEntropyLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    weights_ = detail::ClassVector(detail::checked_class_weights(function, options.class_weights, num_classes));
    normalizer_ = options.normalizer;
  }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<CrossEntropyLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<CrossEntropyLoss, float>)

}  // namespace imbalance
