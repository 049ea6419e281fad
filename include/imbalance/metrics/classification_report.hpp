#pragma once
/// @file
/// A report bundling the imbalance-aware metrics of a classifier on a test set, in the spirit of
/// imbalanced-learn's classification_report_imbalanced: per class precision, recall, specificity,
/// F1, geometric mean sqrt(recall * specificity), index balanced accuracy
/// (1 + alpha (recall - specificity)) recall specificity with alpha = 0.1, support and (when given)
/// the training count; overall accuracy, balanced accuracy, macro and weighted F1, the multiclass
/// geometric mean, the support-weighted averages (imbalanced-learn's "avg / total"), many/medium/few
/// accuracy when training counts are given; agreement beyond chance (MCC, Cohen's kappa unweighted,
/// linear and quadratic), macro/weighted sensitivity and specificity, the IBA of the multiclass
/// G-mean and the macro-averaged MAE; and, when probabilities are given, the threshold-free and
/// probabilistic scores (ScoreMetrics: log-loss, ROC-AUC and average precision -- binary, or
/// one-vs-rest and one-vs-one macro/weighted --, Brier score, ROC and PR curves for two classes,
/// the reliability bins).
/// imbalance/report.hpp formats it as text and JSON.

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/metrics/agreement.hpp"
#include "imbalance/metrics/calibration.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/metrics/confusion_matrix.hpp"
#include "imbalance/metrics/ranking.hpp"
#include "imbalance/metrics/scoring_rules.hpp"
#include "imbalance/metrics/sensitivity_specificity.hpp"
#include "imbalance/metrics/shot_accuracy.hpp"

namespace imbalance {

/// Options of ClassificationReport (see imbalance/metrics/classification_report.hpp for the formula, the paper and the defaults).
struct ClassificationReportOptions {
  /// Names of the classes (default "0", "1", ...).
  std::vector<std::string> class_names;
  /// Training samples per class; enables the many/medium/few line and the train column.
  Eigen::VectorXd train_counts;
  /// Training-count thresholds of the many/medium/few-shot split.
  ShotThresholds thresholds;
  /// alpha of the index balanced accuracy (imbalanced-learn's default).
  double iba_alpha = 0.1;
};

/// Metrics of the scores (probabilities) behind the predictions. Ranking metrics need every class
/// in y_true (and both classes for a binary problem); they are empty otherwise.
struct ScoreMetrics {
  /// Cross-entropy of the probabilities (scikit-learn's log_loss).
  double log_loss = 0;
  std::optional<double> brier;              ///< two classes: of the class-1 probability
  std::optional<double> multiclass_brier;   ///< sum over classes (Brier 1950)
  std::optional<double> roc_auc;            ///< two classes: binary; otherwise one-vs-rest macro
  std::optional<double> average_precision;  ///< two classes: binary; otherwise one-vs-rest macro
  std::optional<double> roc_auc_ovr_weighted;  ///< one-vs-rest, support-weighted
  std::optional<double> roc_auc_ovo_macro;  ///< one-vs-one, macro (Hand & Till)
  std::optional<double> roc_auc_ovo_weighted;  ///< one-vs-one, prevalence-weighted
  std::optional<double> average_precision_ovr_weighted;  ///< one-vs-rest, support-weighted
  std::optional<RocCurve> roc_curve;                      ///< two classes
  std::optional<PrecisionRecallCurve> precision_recall;  ///< two classes
  /// Reliability diagram and expected calibration error.
  Calibration calibration;
};

/// A report bundling the imbalance-aware metrics of a classifier on a test set, in the spirit of imbalanced-learn's classification_report_imbalanced. See imbalance/metrics/classification_report.hpp for the formula, the paper and the defaults.
struct ClassificationReport {
  /// Class names (empty: the indices).
  std::vector<std::string> class_names;
  /// K x K counts, rows true classes, columns predictions.
  ConfusionMatrix confusion;
  /// Per-class precision, recall, specificity, F1, support.
  PerClassMetrics per_class;
  Eigen::VectorXd geometric_mean_per_class;  ///< sqrt(recall * specificity)
  Eigen::VectorXd iba_per_class;             ///< index balanced accuracy
  Eigen::VectorXd train_counts;              ///< empty when unknown
  double accuracy = 0;  ///< share of correct predictions
  double balanced_accuracy = 0;  ///< mean per-class recall
  double macro_f1 = 0;  ///< mean per-class F1
  double weighted_f1 = 0;  ///< support-weighted F1
  double geometric_mean = 0;  ///< geometric mean of the per-class recalls
  /// Support-weighted averages of precision, recall, specificity, F1, per-class G-mean and IBA.
  double avg_precision = 0;  ///< support-weighted
  double avg_recall = 0;  ///< support-weighted
  double avg_specificity = 0;  ///< support-weighted
  double avg_f1 = 0;  ///< support-weighted
  double avg_geometric_mean = 0;  ///< support-weighted
  double avg_iba = 0;  ///< support-weighted
  /// Many/medium/few-shot accuracy (when training counts are given).
  std::optional<ShotAccuracy> shots;
  /// Expected calibration error (when probabilities are given).
  std::optional<double> expected_calibration_error;
  /// Matthews correlation coefficient.
  double matthews_correlation = 0;
  /// Cohen's kappa (none, linear, quadratic weights); empty when a single class occurs.
  std::optional<double> cohen_kappa;  ///< unweighted
  std::optional<double> cohen_kappa_linear;  ///< linear weights
  std::optional<double> cohen_kappa_quadratic;  ///< quadratic weights
  double sensitivity_macro = 0;  ///< mean per-class sensitivity (recall)
  double specificity_macro = 0;  ///< mean per-class specificity
  double iba_geometric_mean = 0;  ///< IBA (alpha, squared) of the multiclass G-mean
  double macro_mae = 0;           ///< macro-averaged mean absolute error of the labels as ordinals
  /// Metrics of the probabilities (when given).
  std::optional<ScoreMetrics> scores;

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return confusion.rows(); }
  /// N, the number of samples.
  Eigen::Index num_samples() const noexcept { return confusion.sum(); }
};

/// The report of a confusion matrix (and the training counts in options, for the shot accuracies).
inline ClassificationReport classification_report(const ConfusionMatrix& confusion,
                                                  const ClassificationReportOptions& options = {}) {
  const char* function = "classification_report()";
  detail::check_confusion(function, confusion);
  const Eigen::Index k = confusion.rows();
  ClassificationReport report;
  report.confusion = confusion;
  if (options.class_names.empty()) {
    for (Eigen::Index c = 0; c < k; ++c) report.class_names.push_back(std::to_string(c));
  } else if (static_cast<Eigen::Index>(options.class_names.size()) != k) {
    detail::throw_invalid(function, ": class_names has ", options.class_names.size(), " entries but there are ", k,
                          " classes");
  } else {
    report.class_names = options.class_names;
  }
  report.per_class = per_class_metrics(confusion);
  const auto& m = report.per_class;
  report.geometric_mean_per_class = (m.recall.array() * m.specificity.array()).sqrt().matrix();
  report.iba_per_class =
      ((1.0 + options.iba_alpha * (m.recall - m.specificity).array()) * m.recall.array() * m.specificity.array())
          .matrix();
  report.accuracy = accuracy(confusion);
  report.balanced_accuracy = balanced_accuracy(confusion);
  report.macro_f1 = macro_f1(m);
  report.weighted_f1 = weighted_f1(m);
  report.geometric_mean = geometric_mean(m);
  const Eigen::VectorXd weights = m.support.cast<double>() / static_cast<double>(m.support.sum());
  report.avg_precision = m.precision.dot(weights);
  report.avg_recall = m.recall.dot(weights);
  report.avg_specificity = m.specificity.dot(weights);
  report.avg_f1 = m.f1.dot(weights);
  report.avg_geometric_mean = report.geometric_mean_per_class.dot(weights);
  report.avg_iba = report.iba_per_class.dot(weights);
  report.matthews_correlation = matthews_correlation(confusion);
  if ((m.present.array()).count() >= 2) {
    report.cohen_kappa = cohen_kappa(confusion, KappaWeights::None);
    report.cohen_kappa_linear = cohen_kappa(confusion, KappaWeights::Linear);
    report.cohen_kappa_quadratic = cohen_kappa(confusion, KappaWeights::Quadratic);
  }
  const SensitivitySpecificitySupport sss = sensitivity_specificity_support(confusion);
  report.sensitivity_macro = sss.sensitivity_macro;
  report.specificity_macro = sss.specificity_macro;
  report.iba_geometric_mean = index_balanced_geometric_mean(confusion, options.iba_alpha, true);
  report.macro_mae = macro_averaged_mean_absolute_error(confusion);
  if (options.train_counts.size() > 0) {
    report.shots = shot_accuracy(confusion, options.train_counts, options.thresholds);
    report.train_counts = options.train_counts;
  }
  return report;
}

/// The report of predictions y_pred against y_true (labels in [0, num_classes)).
template <class DT, class DP>
ClassificationReport classification_report(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                                           Eigen::Index num_classes,
                                           const ClassificationReportOptions& options = {}) {
  return classification_report(confusion_matrix(y_true, y_pred, num_classes), options);
}

/// The report of predictions y_pred (the caller's decision rule: a tuned threshold, a post-hoc
/// correction) with the scores of the N x K probabilities behind them (ScoreMetrics).
template <class DT, class DP, class DPr>
ClassificationReport classification_report_with_scores(const Eigen::DenseBase<DT>& y_true,
                                                       const Eigen::DenseBase<DP>& y_pred,
                                                       const Eigen::DenseBase<DPr>& probabilities,
                                                       const ClassificationReportOptions& options = {},
                                                       const CalibrationOptions& calibration_options = {}) {
  ScoreMetrics scores;
  scores.calibration = calibration(probabilities, y_true, calibration_options);  // validates
  ClassificationReport report = classification_report(y_true, y_pred, probabilities.cols(), options);
  report.expected_calibration_error = scores.calibration.expected_calibration_error;
  const Eigen::MatrixXd p = probabilities.derived().template cast<double>();
  const Eigen::VectorXi y = y_true.derived().template cast<int>();
  scores.log_loss = log_loss(y, p, std::numeric_limits<double>::epsilon(), calibration_options.tolerance);
  scores.multiclass_brier = multiclass_brier_score(y, p, calibration_options.tolerance);
  const bool every_class = (report.per_class.support.array() > 0).all();
  if (p.cols() == 2) {
    scores.brier = brier_score(y, p.col(1));
    if (every_class) {
      scores.roc_auc = roc_auc(y, p.col(1));
      scores.average_precision = average_precision(y, p.col(1));
      scores.roc_curve = roc_curve(y, p.col(1));
      scores.precision_recall = precision_recall_curve(y, p.col(1));
    }
  } else if (every_class) {
    scores.roc_auc = roc_auc_one_vs_rest(y, p, MulticlassAverage::Macro);
    scores.roc_auc_ovr_weighted = roc_auc_one_vs_rest(y, p, MulticlassAverage::Weighted);
    scores.roc_auc_ovo_macro = roc_auc_one_vs_one(y, p, MulticlassAverage::Macro);
    scores.roc_auc_ovo_weighted = roc_auc_one_vs_one(y, p, MulticlassAverage::Weighted);
    scores.average_precision = average_precision_one_vs_rest(y, p, MulticlassAverage::Macro);
    scores.average_precision_ovr_weighted = average_precision_one_vs_rest(y, p, MulticlassAverage::Weighted);
  }
  report.scores = std::move(scores);
  return report;
}

/// The report of the argmax of N x K probabilities, with their scores (expected calibration error,
/// log-loss, ROC-AUC, ...).
template <class DPr, class DT>
ClassificationReport classification_report_from_probabilities(const Eigen::DenseBase<DPr>& probabilities,
                                                              const Eigen::DenseBase<DT>& y_true,
                                                              const ClassificationReportOptions& options = {},
                                                              const CalibrationOptions& calibration_options = {}) {
  check_probabilities("classification_report_from_probabilities()", probabilities, calibration_options.tolerance);
  return classification_report_with_scores(y_true, argmax_rows(probabilities), probabilities, options,
                                           calibration_options);
}

}  // namespace imbalance
