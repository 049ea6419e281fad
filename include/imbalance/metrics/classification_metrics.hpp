#pragma once
/// @file
/// Imbalance-aware classification metrics from a confusion matrix, computed as scikit-learn 1.2
/// and imbalanced-learn 0.10 compute them.
///
/// Per class k (TP = C(k,k), FP = column sum - TP, FN = row sum - TP, TN = N - TP - FP - FN):
///   precision = TP / (TP + FP), recall (sensitivity) = TP / (TP + FN), specificity = TN / (TN + FP),
///   F1 = 2 P R / (P + R), support = TP + FN.
/// zero_division = 0: a ratio whose denominator is 0 is 0 (scikit-learn's zero_division=0).
/// "Present" classes are those occurring in y_true or y_pred (scikit-learn's default labels):
///  - balanced accuracy = mean recall over classes with support > 0 (balanced_accuracy_score);
///  - macro F1 = mean F1 over present classes; weighted F1 = sum_k support_k F1_k / N;
///  - geometric mean = (prod of recalls over present classes)^(1 / number of present classes), 0 as soon as one present
///    class has recall 0 (imbalanced-learn's geometric_mean_score, average='multiclass').

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/metrics/confusion_matrix.hpp"

namespace imbalance {

/// Per-class metrics, each a K-vector.
struct PerClassMetrics {
  Eigen::VectorXd precision;  ///< per class
  Eigen::VectorXd recall;  ///< per class
  Eigen::VectorXd specificity;  ///< per class
  Eigen::VectorXd f1;  ///< per class
  /// True samples of each class.
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> support;
  /// Whether class k occurs in y_true or y_pred.
  Eigen::Matrix<bool, Eigen::Dynamic, 1> present;
};

namespace detail {
inline double safe_ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}
}  // namespace detail

/// Per-class precision, recall, specificity, F1 and support of a confusion matrix.
inline PerClassMetrics per_class_metrics(const ConfusionMatrix& confusion) {
  detail::check_confusion("per_class_metrics()", confusion);
  const Eigen::Index k = confusion.rows();
  const double n = static_cast<double>(confusion.sum());
  PerClassMetrics m;
  m.precision.resize(k);
  m.recall.resize(k);
  m.specificity.resize(k);
  m.f1.resize(k);
  m.support = confusion.rowwise().sum();
  const Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> predicted = confusion.colwise().sum().transpose();
  m.present = (m.support.array() > 0 || predicted.array() > 0).matrix();
  for (Eigen::Index c = 0; c < k; ++c) {
    const double tp = static_cast<double>(confusion(c, c));
    const double fp = static_cast<double>(predicted(c)) - tp;
    const double fn = static_cast<double>(m.support(c)) - tp;
    const double tn = n - tp - fp - fn;
    m.precision(c) = detail::safe_ratio(tp, tp + fp);
    m.recall(c) = detail::safe_ratio(tp, tp + fn);
    m.specificity(c) = detail::safe_ratio(tn, tn + fp);
    m.f1(c) = detail::safe_ratio(2 * m.precision(c) * m.recall(c), m.precision(c) + m.recall(c));
  }
  return m;
}

/// Fraction of correct predictions.
inline double accuracy(const ConfusionMatrix& confusion) {
  detail::check_confusion("accuracy()", confusion);
  return static_cast<double>(confusion.trace()) / static_cast<double>(confusion.sum());
}

/// Mean recall over the classes with support > 0.
inline double balanced_accuracy(const ConfusionMatrix& confusion) {
  detail::check_confusion("balanced_accuracy()", confusion);
  double total = 0;
  Eigen::Index classes = 0;
  for (Eigen::Index c = 0; c < confusion.rows(); ++c) {
    const double support = static_cast<double>(confusion.row(c).sum());
    if (support == 0) continue;
    total += static_cast<double>(confusion(c, c)) / support;
    ++classes;
  }
  return total / static_cast<double>(classes);  // classes >= 1: the matrix is not empty
}

/// Mean F1 over present classes.
inline double macro_f1(const PerClassMetrics& m) {
  double total = 0;
  Eigen::Index classes = 0;
  for (Eigen::Index c = 0; c < m.f1.size(); ++c)
    if (m.present(c)) {
      total += m.f1(c);
      ++classes;
    }
  return classes > 0 ? total / static_cast<double>(classes) : 0.0;
}

/// Support-weighted mean F1.
inline double weighted_f1(const PerClassMetrics& m) {
  const double n = static_cast<double>(m.support.sum());
  return n > 0 ? m.f1.dot(m.support.cast<double>()) / n : 0.0;
}

/// Geometric mean of the recalls of present classes (imbalanced-learn's multiclass definition).
inline double geometric_mean(const PerClassMetrics& m) {
  double log_sum = 0;
  Eigen::Index classes = 0;
  for (Eigen::Index c = 0; c < m.recall.size(); ++c) {
    if (!m.present(c)) continue;
    if (m.recall(c) == 0) return 0.0;
    log_sum += std::log(m.recall(c));
    ++classes;
  }
  return classes > 0 ? std::exp(log_sum / static_cast<double>(classes)) : 0.0;
}

/// The same metrics straight from label vectors.
template <class DT, class DP>
double balanced_accuracy(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                         Eigen::Index num_classes) {
  return balanced_accuracy(confusion_matrix(y_true, y_pred, num_classes));
}

/// Share of correct predictions.
template <class DT, class DP>
double accuracy(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred, Eigen::Index num_classes) {
  return accuracy(confusion_matrix(y_true, y_pred, num_classes));
}

/// Geometric mean of the per-class recalls (imbalanced-learn's multiclass geometric_mean_score).
template <class DT, class DP>
double geometric_mean(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                      Eigen::Index num_classes) {
  return geometric_mean(per_class_metrics(confusion_matrix(y_true, y_pred, num_classes)));
}

/// Balanced accuracy as a metric object (y_true, y_pred, K) -> double: the default of the tuners.
struct BalancedAccuracyMetric {
  /// The metric of (y_true, y_pred).
  double operator()(const Eigen::VectorXi& y_true, const Eigen::VectorXi& y_pred, Eigen::Index num_classes) const {
    return balanced_accuracy(y_true, y_pred, num_classes);
  }
};

}  // namespace imbalance
