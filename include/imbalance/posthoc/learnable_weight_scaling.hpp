#pragma once
/// @file
/// Learnable weight scaling (LWS).
///
/// Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition", ICLR 2020
/// (official code: facebookresearch/classifier-balancing, models/TauNormClassifier.py, cls_lws.yaml).
/// The trained classifier is frozen and only a per-class scale f_k is learnt on held-out data:
///   z_k = f_k (w_k . x + b_k)   (the bias is scaled too, as in the official code)
/// i.e. Z = Z0 diag(f) for the frozen model's logits Z0. f minimises a loss of this library; by the
/// chain rule dL/df_k = sum_i G_ik Z0_ik with G = dL/dZ from the loss's value_and_gradient.
/// The official code uses cross-entropy with class-balanced sampling; the default here is the
/// equivalent in expectation, cross-entropy weighted by the inverse class frequency of the held-out
/// labels. Optimiser: full-batch gradient descent with Armijo backtracking (deterministic), from f = 1.

#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/losses/cross_entropy.hpp"

namespace imbalance {

/// Options of LearnableWeightScaling (see imbalance/posthoc/learnable_weight_scaling.hpp for the formula, the paper and the defaults).
struct LearnableWeightScalingOptions {
  /// Iterations of the line-search optimiser at most.
  int max_iterations = 500;
  /// Stop when the loss decreases by less than this (relative) in one iteration.
  double tolerance = 1e-10;
  /// First step of the line search.
  double initial_step = 1.0;
};

/// Learnable weight scaling (LWS). See imbalance/posthoc/learnable_weight_scaling.hpp for the formula, the paper and the defaults.
class LearnableWeightScaling {
 public:
  /// Fits the scales on held-out base logits (N x K) and labels with `loss` (any loss of the library).
  template <class DZ, class DY, class Loss>
  static LearnableWeightScaling fit(const Eigen::DenseBase<DZ>& base_logits, const Eigen::DenseBase<DY>& labels,
                                    const Loss& loss, const LearnableWeightScalingOptions& options = {}) {
    const char* function = "LearnableWeightScaling::fit()";
    check_non_empty(function, "base_logits", base_logits.rows());
    check_finite(function, "base_logits", base_logits);
    check_same_length(function, "labels", labels.size(), "base_logits", base_logits.rows());
    if (options.max_iterations < 1)
      detail::throw_invalid(function, ": max_iterations must be >= 1 (got ", options.max_iterations, ")");
    check_positive(function, "initial_step", options.initial_step);
    const Eigen::MatrixXd z0 = base_logits.derived().template cast<double>();
    const Eigen::Index k = z0.cols();
    LearnableWeightScaling result;
    result.scales_ = Eigen::VectorXd::Ones(k);
    Eigen::MatrixXd z = z0, grad(z0.rows(), k);
    double value = loss.value_and_gradient(z, labels, grad);
    result.history_.push_back(value);
    double step = options.initial_step;
    for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
      const Eigen::VectorXd gradient = (grad.array() * z0.array()).colwise().sum().transpose();
      const double squared_norm = gradient.squaredNorm();
      if (squared_norm == 0) break;
      bool improved = false;
      for (int halving = 0; halving < 60; ++halving) {
        const Eigen::VectorXd candidate = result.scales_ - step * gradient;
        z = z0 * candidate.asDiagonal();
        const double candidate_value = loss.value(z, labels);
        if (candidate_value <= value - 1e-4 * step * squared_norm) {  // Armijo
          const double decrease = value - candidate_value;
          result.scales_ = candidate;
          value = loss.value_and_gradient(z, labels, grad);
          result.history_.push_back(value);
          improved = decrease > options.tolerance * std::max(1.0, std::abs(value));
          step *= 2;
          break;
        }
        step /= 2;
      }
      if (!improved) break;
    }
    return result;
  }

  /// Fits with cross-entropy weighted by the inverse class frequency of the held-out labels.
  template <class DZ, class DY>
  static LearnableWeightScaling fit(const Eigen::DenseBase<DZ>& base_logits, const Eigen::DenseBase<DY>& labels,
                                    const LearnableWeightScalingOptions& options = {}) {
    const ClassCounts counts = count_labels(labels, base_logits.cols());
    Eigen::VectorXd weights(counts.size());
    for (Eigen::Index c = 0; c < counts.size(); ++c)
      weights(c) = counts(c) > 0 ? 1.0 / static_cast<double>(counts(c)) : 1.0;
    weights *= static_cast<double>(counts.size()) / weights.sum();
    CrossEntropyOptions weighted;
    weighted.class_weights = weights;
    return fit(base_logits, labels, CrossEntropyLoss(base_logits.cols(), weighted), options);
  }

  /// The learnt f_k.
  const Eigen::VectorXd& scales() const noexcept { return scales_; }
  /// Loss after each accepted step (the first entry is at f = 1).
  const std::vector<double>& loss_history() const noexcept { return history_; }

  /// Z0 diag(f).
  template <class DZ>
  Eigen::MatrixXd logits(const Eigen::DenseBase<DZ>& base_logits) const {
    check_shape("LearnableWeightScaling::logits()", "base_logits", base_logits.rows(), base_logits.cols(), -1,
                scales_.size());
    return base_logits.derived().template cast<double>().matrix() * scales_.asDiagonal();
  }

 private:
  Eigen::VectorXd scales_;
  std::vector<double> history_;
};

}  // namespace imbalance
