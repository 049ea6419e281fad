#pragma once
/// @file
/// How a pipeline turns its classifier's logits into decisions: one of four rules, as one type, so
/// that two rules that would both move the decision (a post-hoc correction and a tuned threshold,
/// say) cannot be asked for at once.
///
/// | Decision              | predicted class                                                    |
/// |-----------------------|--------------------------------------------------------------------|
/// | PostHocCorrection     | the model's own argmax (default), or a correction such as post-hoc |
/// |                       | logit adjustment argmax z - tau log pi (Menon et al. 2021) or      |
/// |                       | tau-normalisation (Kang et al. 2020)                               |
/// | LogitAdjustmentTuning | argmax z - tau log pi, tau chosen on validation rows for balanced  |
/// |                       | accuracy (grid 0, 0.1, ..., 2)                                     |
/// | ThresholdTuning       | two classes: p_1 >= t, t chosen on validation rows for balanced    |
/// |                       | accuracy                                                           |
/// | TargetPrior           | argmax z - log pi_train + log q (label shift; q uniform, given, or |
/// |                       | estimated by EM on the predicted rows, Saerens et al. 2002)        |

#include <functional>
#include <string>
#include <utility>
#include <variant>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/instantiate.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// What a post-hoc correction is applied to: a trained model, the features to predict and the
/// training class counts.
struct PostHocContext {
  /// The trained model.
  const SoftmaxClassifier& model;
  /// The features to predict (as the model takes them).
  const Eigen::MatrixXd& features;
  /// The training class counts (the prior the correction removes).
  const Eigen::VectorXd& class_counts;
};

/// A post-hoc correction of a trained model's predictions, with its name. Default: none (the
/// model's own prediction).
struct PostHocCorrection {
  /// The correction's name (reports and messages).
  std::string name = "none";
  /// Predicted classes; empty = the model's own prediction.
  std::function<Eigen::VectorXi(const PostHocContext&)> predict;

  /// Whether this is the model's own prediction.
  bool is_none() const { return !predict; }
  /// The corrected predictions.
  Eigen::VectorXi operator()(const PostHocContext& c) const { return predict ? predict(c) : c.model.predict(c.features); }
};

/// Post-hoc logit adjustment argmax_j z_j - tau log pi_j (Menon et al. 2021). Default tau 1.
IMBALANCE_FUNC PostHocCorrection posthoc_logit_adjustment(double tau = PostHocLogitAdjustmentOptions{}.tau);

/// tau-normalised linear classifier argmax_j x w_j / ||w_j||^tau, bias dropped (Kang et al. 2020);
/// needs the linear head. Default tau 1.
IMBALANCE_FUNC PostHocCorrection posthoc_tau_norm(double tau = TauNormalizationOptions{}.tau);

/// Post-hoc logit adjustment with tau chosen on the validation rows (needs them).
struct LogitAdjustmentTuning {};

/// Two classes: the decision threshold on p_1 chosen on the validation rows (needs them).
struct ThresholdTuning {};

/// Label-shift correction to a test prior q: z - log pi_train + log q.
struct TargetPrior {
  /// Where q comes from.
  enum class Source {
    Uniform,   ///< 1 / K
    Estimate,  ///< EM (Saerens et al. 2002) on the softmax of the rows being predicted
    Given      ///< `prior`
  };
  /// Where q comes from.
  Source source = Source::Uniform;
  /// q when given (K positive numbers; normalised by the correction).
  Eigen::VectorXd prior;

  /// q = 1 / K.
  static TargetPrior uniform() { return {Source::Uniform, {}}; }
  /// q estimated on the rows being predicted.
  static TargetPrior estimate() { return {Source::Estimate, {}}; }
  /// A given q.
  static TargetPrior given(Eigen::VectorXd q) { return {Source::Given, std::move(q)}; }
};

/// The decision rule of a pipeline (see the file comment). Default: the model's own prediction.
using Decision = std::variant<PostHocCorrection, LogitAdjustmentTuning, ThresholdTuning, TargetPrior>;


#if IMBALANCE_HEADER_DEFINITIONS
// Out of line: a program linking imbalance::compiled compiles neither correction.
IMBALANCE_FUNC PostHocCorrection posthoc_logit_adjustment(double tau) {
  return {"la", [tau](const PostHocContext& c) {
            PostHocLogitAdjustmentOptions o;
            o.tau = tau;
            return PostHocLogitAdjustment(c.class_counts, o).predict(c.model.logits(c.features));
          }};
}

IMBALANCE_FUNC PostHocCorrection posthoc_tau_norm(double tau) {
  return {"tau-norm", [tau](const PostHocContext& c) {
            if (c.model.head() != HeadType::of<LinearHead>())
              detail::throw_invalid("post-hoc tau-norm needs the linear head, not the ", c.model.head().name(), " one");
            if (!(tau >= 0)) detail::throw_invalid("post-hoc tau-norm: tau must be >= 0 (got ", tau, ")");
            return Eigen::VectorXi(argmax_rows(tau_normalized_logits(c.features, c.model.weights(), tau)));
          }};
}
#endif

}  // namespace imbalance
