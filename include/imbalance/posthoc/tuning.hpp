#pragma once
/// @file
/// Choosing a post-hoc parameter on validation data: a grid of candidate values, the metric of
/// each (balanced accuracy by default; any callable metric(y_true, y_pred, K) -> double), and the
/// first best. The whole curve is returned, so it can be plotted or reported.
///  - tune_binary_threshold: the threshold of ThresholdClassifier; default grid 100 points from
///    min(eta) to max(eta), as scikit-learn's TunedThresholdClassifierCV.
///  - tune_logit_adjustment: tau of post-hoc logit adjustment; default grid linspace(0, 2, 21).
///  - tune_tau_normalization: tau of tau-normalisation; default grid linspace(0, 2, 21), as the
///    official decoupling script.
/// Each tuner also runs on validation folds (cross-validation: one model per fold, each scored on
/// the rows it did not train on): a candidate's score is the mean of its metric over the folds.
/// The binary threshold's cross-validated form is tune_threshold (model_selection/tuned_threshold.hpp),
/// which interpolates per-fold curves as scikit-learn does.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/posthoc/binary_threshold.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"

namespace imbalance {

/// Choosing a post-hoc parameter on validation data. See imbalance/posthoc/tuning.hpp for the formula, the paper and the defaults.
struct TuningCurve {
  std::vector<double> values;  ///< the candidates, in the order tried
  std::vector<double> scores;  ///< metric of each candidate
  std::size_t best_index = 0;  ///< first maximum
  /// The chosen candidate.
  double best_value = 0;
  /// Its metric.
  double best_score = 0;
};

namespace detail {
inline std::vector<double> linspace(double first, double last, std::size_t count) {
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i)
    out[i] = count == 1 ? first : first + (last - first) * static_cast<double>(i) / static_cast<double>(count - 1);
  return out;
}

template <class Evaluate>
TuningCurve tune(const char* function, const std::vector<double>& candidates, Evaluate evaluate) {
  if (candidates.empty()) throw_invalid(function, ": the grid of candidates must not be empty");
  TuningCurve curve;
  curve.values = candidates;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    check_finite_scalar(function, "candidate", candidates[i]);
    const double score = evaluate(candidates[i]);
    curve.scores.push_back(score);
    if (i == 0 || score > curve.best_score) {
      curve.best_score = score;
      curve.best_index = i;
    }
  }
  curve.best_value = curve.values[curve.best_index];
  return curve;
}

template <class Fold, class Score>
TuningCurve tune_on_folds(const char* function, const std::vector<double>& candidates, const std::vector<Fold>& folds,
                          Score score) {
  if (folds.empty()) throw_invalid(function, ": folds must not be empty");
  return tune(function, candidates, [&](double candidate) {
    double total = 0;
    for (const auto& fold : folds) total += score(candidate, fold);
    return total / static_cast<double>(folds.size());
  });
}

}  // namespace detail

/// Labels and N x K logits of one validation fold (from a model that did not train on those rows).
struct ValidationLogits {
  /// Labels of the fold.
  Eigen::VectorXi labels;
  /// N x K logits of the fold.
  Eigen::MatrixXd logits;
};

/// Labels, features (N x d) and the classifier weights (d x K) of one validation fold's model.
struct ValidationFeatures {
  /// Labels of the fold.
  Eigen::VectorXi labels;
  /// N x d features of the fold.
  Eigen::MatrixXd features;
  /// d x K classifier weights of the fold's model.
  Eigen::MatrixXd weights;
};

/// Tunes the threshold of a binary classifier on eta = P(y = 1 | x) for validation labels in {0, 1}.
template <class DS, class DY, class Metric = BalancedAccuracyMetric>
TuningCurve tune_binary_threshold(const Eigen::DenseBase<DS>& eta, const Eigen::DenseBase<DY>& y_true,
                                  std::vector<double> thresholds = {}, Metric metric = {}) {
  const char* function = "tune_binary_threshold()";
  detail::check_binary_probabilities(function, eta);
  check_same_length(function, "y_true", y_true.size(), "eta", eta.size());
  check_labels(function, "y_true", y_true, 2);
  if (thresholds.empty()) {
    const Eigen::ArrayXd values = eta.derived().template cast<double>();
    thresholds = detail::linspace(values.minCoeff(), values.maxCoeff(), 100);
  }
  for (double t : thresholds) check_in_range(function, "threshold", t, 0.0, 1.0);
  const Eigen::VectorXi truth = y_true.derived().template cast<int>();
  return detail::tune(function, thresholds, [&](double threshold) {
    return metric(truth, ThresholdClassifier(threshold).predict(eta), Eigen::Index{2});
  });
}

/// Tunes tau of post-hoc logit adjustment on validation logits (N x K).
template <class DZ, class DY, class DC, class Metric = BalancedAccuracyMetric>
TuningCurve tune_logit_adjustment(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& y_true,
                                  const Eigen::DenseBase<DC>& class_counts,
                                  std::vector<double> taus = detail::linspace(0.0, 2.0, 21), Metric metric = {},
                                  double epsilon = PostHocLogitAdjustmentOptions().epsilon) {
  const char* function = "tune_logit_adjustment()";
  check_same_length(function, "y_true", y_true.size(), "logits", logits.rows());
  check_labels(function, "y_true", y_true, logits.cols());
  const Eigen::VectorXi truth = y_true.derived().template cast<int>();
  return detail::tune(function, taus, [&](double tau) {
    PostHocLogitAdjustmentOptions options;
    options.tau = tau;
    options.epsilon = epsilon;
    const PostHocLogitAdjustment adjustment(class_counts, options);
    return metric(truth, adjustment.predict(logits), logits.cols());
  });
}

/// Tunes tau of tau-normalisation: features N x d, weights d x K (bias dropped).
template <class DX, class DW, class DY, class Metric = BalancedAccuracyMetric>
TuningCurve tune_tau_normalization(const Eigen::DenseBase<DX>& features, const Eigen::DenseBase<DW>& weights,
                                   const Eigen::DenseBase<DY>& y_true,
                                   std::vector<double> taus = detail::linspace(0.0, 2.0, 21), Metric metric = {}) {
  const char* function = "tune_tau_normalization()";
  check_same_length(function, "y_true", y_true.size(), "features", features.rows());
  check_labels(function, "y_true", y_true, weights.cols());
  const Eigen::VectorXi truth = y_true.derived().template cast<int>();
  return detail::tune(function, taus, [&](double tau) {
    return metric(truth, argmax_rows(tau_normalized_logits(features, weights, tau)), weights.cols());
  });
}

/// tau of post-hoc logit adjustment by the mean metric over validation folds; class_counts are
/// the training counts (one prior for every fold: the folds' training parts share it up to rounding).
template <class DC, class Metric = BalancedAccuracyMetric>
TuningCurve tune_logit_adjustment(const std::vector<ValidationLogits>& folds, const Eigen::DenseBase<DC>& class_counts,
                                  std::vector<double> taus = detail::linspace(0.0, 2.0, 21), Metric metric = {},
                                  double epsilon = PostHocLogitAdjustmentOptions().epsilon) {
  const char* function = "tune_logit_adjustment()";
  for (const auto& fold : folds) {
    check_same_length(function, "fold labels", fold.labels.size(), "fold logits", fold.logits.rows());
    check_labels(function, "fold labels", fold.labels, fold.logits.cols());
  }
  return detail::tune_on_folds(function, taus, folds, [&](double tau, const ValidationLogits& fold) {
    PostHocLogitAdjustmentOptions options;
    options.tau = tau;
    options.epsilon = epsilon;
    return metric(fold.labels, PostHocLogitAdjustment(class_counts, options).predict(fold.logits), fold.logits.cols());
  });
}

/// tau of tau-normalisation by the mean metric over validation folds (each with its own weights).
template <class Metric = BalancedAccuracyMetric>
TuningCurve tune_tau_normalization(const std::vector<ValidationFeatures>& folds,
                                   std::vector<double> taus = detail::linspace(0.0, 2.0, 21), Metric metric = {}) {
  const char* function = "tune_tau_normalization()";
  for (const auto& fold : folds) {
    check_same_length(function, "fold labels", fold.labels.size(), "fold features", fold.features.rows());
    check_labels(function, "fold labels", fold.labels, fold.weights.cols());
  }
  return detail::tune_on_folds(function, taus, folds, [&](double tau, const ValidationFeatures& fold) {
    return metric(fold.labels, argmax_rows(tau_normalized_logits(fold.features, fold.weights, tau)), fold.weights.cols());
  });
}

}  // namespace imbalance
