#pragma once
/// @file
/// A report bundling the imbalance-aware metrics of a classifier on a test set, in the spirit of
/// imbalanced-learn's classification_report_imbalanced: per class precision, recall, specificity,
/// F1, geometric mean sqrt(recall * specificity), index balanced accuracy
/// (1 + alpha (recall - specificity)) recall specificity with alpha = 0.1, support and (when given)
/// the training count; overall accuracy, balanced accuracy, macro and weighted F1, the multiclass
/// geometric mean, the support-weighted averages (imbalanced-learn's "avg / total"), many/medium/few
/// accuracy when training counts are given and calibration when probabilities are given.
/// imbalance/report.hpp formats it as text and JSON.

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "imbalance/core/argmax.hpp"
#include "imbalance/metrics/calibration.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/metrics/confusion_matrix.hpp"
#include "imbalance/metrics/shot_accuracy.hpp"

namespace imbalance {

struct ClassificationReportOptions {
  /// Names of the classes (default "0", "1", ...).
  std::vector<std::string> class_names;
  /// Training samples per class; enables the many/medium/few line and the train column.
  Eigen::VectorXd train_counts;
  ShotThresholds thresholds;
  /// alpha of the index balanced accuracy (imbalanced-learn's default).
  double iba_alpha = 0.1;
};

struct ClassificationReport {
  std::vector<std::string> class_names;
  ConfusionMatrix confusion;
  PerClassMetrics per_class;
  Eigen::VectorXd geometric_mean_per_class;  // sqrt(recall * specificity)
  Eigen::VectorXd iba_per_class;             // index balanced accuracy
  Eigen::VectorXd train_counts;              // empty when unknown
  double accuracy = 0, balanced_accuracy = 0, macro_f1 = 0, weighted_f1 = 0, geometric_mean = 0;
  /// Support-weighted averages of precision, recall, specificity, F1, per-class G-mean and IBA.
  double avg_precision = 0, avg_recall = 0, avg_specificity = 0, avg_f1 = 0, avg_geometric_mean = 0, avg_iba = 0;
  std::optional<ShotAccuracy> shots;
  std::optional<double> expected_calibration_error;

  Eigen::Index num_classes() const noexcept { return confusion.rows(); }
  Eigen::Index num_samples() const noexcept { return confusion.sum(); }
};

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

/// The report of the argmax of N x K probabilities, with the expected calibration error.
template <class DPr, class DT>
ClassificationReport classification_report_from_probabilities(const Eigen::DenseBase<DPr>& probabilities,
                                                              const Eigen::DenseBase<DT>& y_true,
                                                              const ClassificationReportOptions& options = {},
                                                              const CalibrationOptions& calibration_options = {}) {
  const double ece = expected_calibration_error(probabilities, y_true, calibration_options);  // validates
  const Eigen::VectorXi y_pred = argmax_rows(probabilities);
  ClassificationReport report = classification_report(y_true, y_pred, probabilities.cols(), options);
  report.expected_calibration_error = ece;
  return report;
}

}  // namespace imbalance
