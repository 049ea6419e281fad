#pragma once
/// @file
/// Post-hoc logit adjustment.
///
/// Menon, Jayasumana, Rawat, Jain, Veit, Kumar. "Long-Tail Learning via Logit Adjustment",
/// ICLR 2021 (official code: google-research/google-research logit_adjustment, mode 'posthoc').
/// A model trained with plain cross-entropy is corrected at test time:
///   z'_k = z_k - log(pi_k^tau + epsilon),   prediction = argmax_k z'_k
/// with the official defaults tau = 1, epsilon = 1e-12. It equals threshold-moving with the cost
/// matrix whose row sums are 1 / (pi_k^tau + epsilon) (see threshold_moving.hpp). Never combine with
/// LogitAdjustedLoss training (that would correct twice).

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"

namespace imbalance {

/// Options of PostHocLogitAdjustment (see imbalance/posthoc/logit_adjustment.hpp for the formula, the paper and the defaults).
struct PostHocLogitAdjustmentOptions {
  /// tau, the power of the priors.
  double tau = 1.0;
  /// epsilon added to pi^tau.
  double epsilon = 1e-12;
};

/// Post-hoc logit adjustment. See imbalance/posthoc/logit_adjustment.hpp for the formula, the paper and the defaults.
class PostHocLogitAdjustment {
 public:
  /// Built from the training class counts n_k.
  template <class DC>
  explicit PostHocLogitAdjustment(const Eigen::DenseBase<DC>& class_counts,
                                  const PostHocLogitAdjustmentOptions& options = {})
      : options_(options) {
    const char* function = "PostHocLogitAdjustment::PostHocLogitAdjustment()";
    check_finite_scalar(function, "tau", options.tau);
    check_non_negative(function, "epsilon", options.epsilon);
    adjustment_ = log_priors(class_counts, options.tau, options.epsilon);
    if (adjustment_.size() < 2) detail::throw_invalid(function, ": class_counts must have K >= 2 entries");
    if (!adjustment_.allFinite())
      detail::throw_invalid(function, ": log(pi^tau + epsilon) is not finite (an empty class needs epsilon > 0)");
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return adjustment_.size(); }
  /// log(pi_k^tau + epsilon), subtracted from every logit.
  const Eigen::VectorXd& adjustment() const noexcept { return adjustment_; }
  /// The options it was built with.
  const PostHocLogitAdjustmentOptions& options() const noexcept { return options_; }

  /// z - log(pi^tau + epsilon), N x K, in the logits' scalar type.
  template <class DZ>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> adjust(const Eigen::DenseBase<DZ>& logits) const {
    validate("PostHocLogitAdjustment::adjust()", logits);
    using S = typename DZ::Scalar;
    return (logits.derived().matrix().rowwise() - adjustment_.transpose().template cast<S>()).eval();
  }

  /// argmax of the adjusted logits (first maximum on ties).
  template <class DZ>
  Eigen::VectorXi predict(const Eigen::DenseBase<DZ>& logits) const {
    validate("PostHocLogitAdjustment::predict()", logits);
    return argmax_rows(logits.derived().template cast<double>().matrix().rowwise() - adjustment_.transpose());
  }

 private:
  template <class DZ>
  void validate(const char* function, const Eigen::DenseBase<DZ>& logits) const {
    check_non_empty(function, "logits", logits.rows());
    check_shape(function, "logits", logits.rows(), logits.cols(), -1, num_classes());
    check_finite(function, "logits", logits);
  }

  PostHocLogitAdjustmentOptions options_;
  Eigen::VectorXd adjustment_;
};

}  // namespace imbalance
