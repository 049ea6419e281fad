#pragma once
/// @file
/// imbalanced-learn 0.10's threshold metrics beyond the report's per-class table.
///  - sensitivity_specificity_support: per class sensitivity TP / (TP + FN), specificity
///    TN / (TN + FP) and support; macro = mean over the classes present in y_true or y_pred,
///    weighted = support-weighted mean (0 / 0 = 0 throughout, imbalanced-learn's zero division).
///  - geometric_mean_score(correction): (prod_k r_k)^(1/K') over the K' present classes, each zero
///    recall replaced by `correction` (0 = the plain multiclass G-mean: one zero recall gives 0).
///  - index balanced accuracy (Garcia, Mollineda, Sanchez 2009) over any metric M:
///      IBA_alpha(M) = (1 + alpha (sensitivity - specificity)) M^(squared ? 2 : 1),
///    sensitivity and specificity averaged as M averages (macro for the multiclass G-mean, as
///    make_index_balanced_accuracy does); defaults alpha = 0.1, squared = true.
///  - macro_averaged_mean_absolute_error (Baccianella, Esuli, Sebastiani 2009), for ordinal labels:
///    mean over the classes with support of the mean |y_true - y_pred| of that class's samples.
///    imbalanced-learn raises when a class occurs only in y_pred; such classes are skipped here.

#include <cmath>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/metrics/classification_metrics.hpp"

namespace imbalance {

/// imbalanced-learn 0.10's threshold metrics beyond the report's per-class table. See imbalance/metrics/sensitivity_specificity.hpp for the formula, the paper and the defaults.
struct SensitivitySpecificitySupport {
  Eigen::VectorXd sensitivity;  ///< per class
  Eigen::VectorXd specificity;  ///< per class
  /// True samples of each class.
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> support;
  Eigen::Matrix<bool, Eigen::Dynamic, 1> present;  ///< class occurs in y_true or y_pred
  double sensitivity_macro = 0;  ///< mean over classes
  double specificity_macro = 0;  ///< mean over classes
  double sensitivity_weighted = 0;  ///< support-weighted
  double specificity_weighted = 0;  ///< support-weighted
};

/// Per-class sensitivity and specificity, and their averages, of a confusion matrix.
inline SensitivitySpecificitySupport sensitivity_specificity_support(const ConfusionMatrix& confusion) {
  const PerClassMetrics m = per_class_metrics(confusion);  // validates
  SensitivitySpecificitySupport s;
  s.sensitivity = m.recall;
  s.specificity = m.specificity;
  s.support = m.support;
  s.present = m.present;
  double present = 0, total_support = 0;
  for (Eigen::Index k = 0; k < confusion.rows(); ++k) {
    const double w = static_cast<double>(m.support(k));
    if (m.present(k)) {
      s.sensitivity_macro += m.recall(k);
      s.specificity_macro += m.specificity(k);
      present += 1;
    }
    s.sensitivity_weighted += w * m.recall(k);
    s.specificity_weighted += w * m.specificity(k);
    total_support += w;
  }
  s.sensitivity_macro /= present;  // present >= 1: the matrix is not empty
  s.specificity_macro /= present;
  s.sensitivity_weighted = total_support > 0 ? s.sensitivity_weighted / total_support : 0.0;
  s.specificity_weighted = total_support > 0 ? s.specificity_weighted / total_support : 0.0;
  return s;
}

/// Multiclass geometric mean of the recalls, each zero recall replaced by `correction` (>= 0).
inline double geometric_mean_score(const ConfusionMatrix& confusion, double correction = 0.0) {
  if (!(correction >= 0 && correction <= 1))
    detail::throw_invalid("geometric_mean_score(): correction must lie in [0, 1] (got ", correction, ")");
  const PerClassMetrics m = per_class_metrics(confusion);
  double log_sum = 0;
  Eigen::Index classes = 0;
  for (Eigen::Index k = 0; k < m.recall.size(); ++k) {
    if (!m.present(k)) continue;
    const double r = m.recall(k) == 0 ? correction : m.recall(k);
    if (r == 0) return 0.0;
    log_sum += std::log(r);
    ++classes;
  }
  return std::exp(log_sum / static_cast<double>(classes));
}

/// The index balanced accuracy of a metric's value, given the averaged sensitivity and specificity.
inline double index_balanced_accuracy(double metric_value, double sensitivity, double specificity, double alpha = 0.1,
                                      bool squared = true) {
  check_finite_scalar("index_balanced_accuracy()", "alpha", alpha);
  check_finite_scalar("index_balanced_accuracy()", "metric_value", metric_value);
  return (1.0 + alpha * (sensitivity - specificity)) * (squared ? metric_value * metric_value : metric_value);
}

/// Which average of sensitivity and specificity the index balanced accuracy uses.
enum class DominanceAverage { Macro, Weighted };

/// make_index_balanced_accuracy: wraps metric(y_true, y_pred, K) -> double into its IBA, a metric of
/// the same signature (usable wherever the tuners take a metric).
template <class Metric>
auto make_index_balanced_accuracy(Metric metric, double alpha = 0.1, bool squared = true,
                                  DominanceAverage average = DominanceAverage::Macro) {
  check_finite_scalar("make_index_balanced_accuracy()", "alpha", alpha);
  return [metric = std::move(metric), alpha, squared, average](const Eigen::VectorXi& y_true,
                                                               const Eigen::VectorXi& y_pred,
                                                               Eigen::Index num_classes) {
    const auto s = sensitivity_specificity_support(confusion_matrix(y_true, y_pred, num_classes));
    const bool macro = average == DominanceAverage::Macro;
    return index_balanced_accuracy(metric(y_true, y_pred, num_classes),
                                   macro ? s.sensitivity_macro : s.sensitivity_weighted,
                                   macro ? s.specificity_macro : s.specificity_weighted, alpha, squared);
  };
}

/// The IBA of the multiclass geometric mean (imbalanced-learn's usual pairing; alpha 0.1, squared).
inline double index_balanced_geometric_mean(const ConfusionMatrix& confusion, double alpha = 0.1,
                                            bool squared = true) {
  const auto s = sensitivity_specificity_support(confusion);
  return index_balanced_accuracy(geometric_mean_score(confusion), s.sensitivity_macro, s.specificity_macro, alpha,
                                 squared);
}

/// Macro-averaged mean absolute error of ordinal labels 0..K-1.
inline double macro_averaged_mean_absolute_error(const ConfusionMatrix& confusion) {
  detail::check_confusion("macro_averaged_mean_absolute_error()", confusion);
  double total = 0;
  Eigen::Index classes = 0;
  for (Eigen::Index t = 0; t < confusion.rows(); ++t) {
    const double support = static_cast<double>(confusion.row(t).sum());
    if (support == 0) continue;
    double error = 0;
    for (Eigen::Index p = 0; p < confusion.cols(); ++p)
      error += static_cast<double>(confusion(t, p)) * static_cast<double>(t > p ? t - p : p - t);
    total += error / support;
    ++classes;
  }
  return total / static_cast<double>(classes);
}

}  // namespace imbalance
