#pragma once
/// @file
/// Threshold-free metrics of scores: ROC and precision-recall curves, ROC-AUC and average
/// precision, computed as scikit-learn computes them (1.2; the first ROC threshold as in 1.3+ by
/// default, see FirstRocThreshold).
///
/// Binary (a score per sample, higher = more positive; positives are y_true == positive_label):
///  - the curve points are the distinct scores, highest first: at threshold t, TP(t) and FP(t)
///    count the positives and negatives with score >= t (tied scores enter together);
///  - roc_curve: FPR = FP / (number of negatives), TPR = TP / (number of positives), prefixed by (0, 0) at a threshold
///    above every score; drop_intermediate (default true) keeps only the corners (points where the
///    second difference of FP or TP is non-zero, plus both ends), which leaves the area unchanged;
///  - roc_auc = trapezoidal area under that curve (= P(score+ > score-) + P(tie) / 2);
///  - precision_recall_curve: precision = TP / (TP + FP), recall = TP / (number of positives), in order of
///    increasing threshold, then the point (precision 1, recall 0) without a threshold;
///  - average_precision = sum_n (R_n - R_(n-1)) P_n (no interpolation; Zhu 2004, scikit-learn).
/// Multi-class (N x K scores, columns = classes; every class must occur in y_true):
///  - one-vs-rest: the binary metric of column k against y_true == k, averaged over classes
///    (macro) or weighted by their support (weighted);
///  - one-vs-one (Hand & Till 2001): for each pair a < b, on the samples of a or b only, the mean
///    of AUC(a vs b by column a) and AUC(b vs a by column b); macro = mean over pairs, weighted =
///    weighted by the pair's prevalence (fraction of samples in a or b).
/// Undefined cases (no positive or no negative sample) throw rather than return NaN.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// The threshold of the ROC curve's first point (nothing predicted positive).
enum class FirstRocThreshold {
  Infinity,         ///< +inf, scikit-learn >= 1.3 (default)
  MaxScorePlusOne,  ///< highest score + 1, scikit-learn <= 1.2
};

/// Options of RocCurve (see imbalance/metrics/ranking.hpp for the formula, the paper and the defaults).
struct RocCurveOptions {
  /// Drop thresholds that do not change the curve's shape (scikit-learn's drop_intermediate).
  bool drop_intermediate = true;
  /// The first threshold: +infinity (scikit-learn >= 1.3) or max score + 1 (older).
  FirstRocThreshold first_threshold = FirstRocThreshold::Infinity;
};

/// Threshold-free metrics of scores. See imbalance/metrics/ranking.hpp for the formula, the paper and the defaults.
struct RocCurve {
  std::vector<double> false_positive_rate;  ///< FPR at each threshold
  std::vector<double> true_positive_rate;  ///< TPR at each threshold
  std::vector<double> thresholds;  ///< decreasing thresholds
};

/// Threshold-free metrics of scores. See imbalance/metrics/ranking.hpp for the formula, the paper and the defaults.
struct PrecisionRecallCurve {
  /// precision and recall have one more entry than thresholds (the final (1, 0) point).
  std::vector<double> precision;  ///< at each threshold, then 1
  std::vector<double> recall;  ///< at each threshold, then 0
  std::vector<double> thresholds;  ///< increasing thresholds
};

/// How per-class (or per-pair) binary scores are combined.
enum class MulticlassAverage { Macro, Weighted };

namespace detail {

/// TP and FP at each distinct score, highest score first (scikit-learn's _binary_clf_curve).
struct BinaryCurveCounts {
  std::vector<double> true_positives, false_positives, thresholds;
};

inline BinaryCurveCounts binary_curve_counts(const char* function, const std::vector<double>& scores,
                                             const std::vector<char>& positive) {
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  BinaryCurveCounts counts;
  double tp = 0;
  for (std::size_t r = 0; r < n; ++r) {
    tp += positive[order[r]] ? 1.0 : 0.0;
    // Only the last sample of a run of tied scores closes a point.
    if (r + 1 == n || scores[order[r + 1]] != scores[order[r]]) {
      counts.true_positives.push_back(tp);
      counts.false_positives.push_back(static_cast<double>(r + 1) - tp);
      counts.thresholds.push_back(scores[order[r]]);
    }
  }
  if (tp == 0) throw_invalid(function, ": y_true has no positive sample, the curve is undefined");
  return counts;
}

/// Scores as doubles and whether each sample is positive: what every binary metric starts from.
struct BinaryInputs {
  std::vector<double> scores;
  std::vector<char> positive;
};

template <class DY, class DS>
BinaryInputs binary_inputs(const char* function, const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                           long long positive_label) {
  static_assert(std::is_integral<typename DY::Scalar>::value,
                "imbalance: labels must be an Eigen vector of an integer type (e.g. Eigen::VectorXi)");
  check_non_empty(function, "y_true", y_true.size());
  check_same_length(function, "y_true", y_true.size(), "scores", scores.size());
  if (scores.rows() != 1 && scores.cols() != 1)
    throw_invalid(function, ": scores must be a vector (shape ", scores.rows(), "x", scores.cols(), ")");
  check_finite(function, "scores", scores);
  const auto n = static_cast<std::size_t>(scores.size());
  BinaryInputs in{std::vector<double>(n), std::vector<char>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    in.scores[i] = static_cast<double>(scores.derived().coeff(static_cast<Eigen::Index>(i)));
    in.positive[i] = static_cast<long long>(y_true.derived().coeff(static_cast<Eigen::Index>(i))) == positive_label;
  }
  return in;
}

inline RocCurve roc_from_counts(const char* function, const BinaryCurveCounts& c, const RocCurveOptions& options) {
  const std::size_t m = c.thresholds.size();
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < m; ++i) {
    const bool corner = !options.drop_intermediate || m <= 2 || i == 0 || i + 1 == m ||
                        c.false_positives[i + 1] - 2 * c.false_positives[i] + c.false_positives[i - 1] != 0 ||
                        c.true_positives[i + 1] - 2 * c.true_positives[i] + c.true_positives[i - 1] != 0;
    if (corner) keep.push_back(i);
  }
  const double positives = c.true_positives.back(), negatives = c.false_positives.back();
  if (negatives == 0) throw_invalid(function, ": y_true has no negative sample, the false positive rate is undefined");
  RocCurve roc;
  roc.false_positive_rate.push_back(0.0);
  roc.true_positive_rate.push_back(0.0);
  roc.thresholds.push_back(options.first_threshold == FirstRocThreshold::Infinity
                               ? std::numeric_limits<double>::infinity()
                               : c.thresholds.front() + 1);
  for (std::size_t i : keep) {
    roc.false_positive_rate.push_back(c.false_positives[i] / negatives);
    roc.true_positive_rate.push_back(c.true_positives[i] / positives);
    roc.thresholds.push_back(c.thresholds[i]);
  }
  return roc;
}

inline double trapezoid_area(const std::vector<double>& x, const std::vector<double>& y) {
  double area = 0;
  for (std::size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
  return area;
}

inline PrecisionRecallCurve precision_recall_from_counts(const BinaryCurveCounts& c) {
  const std::size_t m = c.thresholds.size();
  PrecisionRecallCurve pr;
  const double positives = c.true_positives.back();
  for (std::size_t r = m; r-- > 0;) {
    const double predicted = c.true_positives[r] + c.false_positives[r];
    pr.precision.push_back(predicted != 0 ? c.true_positives[r] / predicted : 0.0);
    pr.recall.push_back(c.true_positives[r] / positives);
    pr.thresholds.push_back(c.thresholds[r]);
  }
  pr.precision.push_back(1.0);
  pr.recall.push_back(0.0);
  return pr;
}

inline double average_precision_from_curve(const PrecisionRecallCurve& pr) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < pr.recall.size(); ++i) sum += (pr.recall[i + 1] - pr.recall[i]) * pr.precision[i];
  return -sum;
}

inline double binary_roc_auc_of(const char* function, const std::vector<double>& scores,
                                const std::vector<char>& positive) {
  const RocCurve roc = roc_from_counts(function, binary_curve_counts(function, scores, positive), {});
  return trapezoid_area(roc.false_positive_rate, roc.true_positive_rate);
}

inline double binary_average_precision_of(const char* function, const std::vector<double>& scores,
                                          const std::vector<char>& positive) {
  return average_precision_from_curve(precision_recall_from_counts(binary_curve_counts(function, scores, positive)));
}

/// Validates multi-class scores and returns the per-class supports (every class must occur).
template <class DY, class DS>
std::vector<double> multiclass_inputs(const char* function, const Eigen::DenseBase<DY>& y_true,
                                      const Eigen::DenseBase<DS>& scores) {
  check_non_empty(function, "y_true", y_true.size());
  check_same_length(function, "y_true", y_true.size(), "scores", scores.rows());
  if (scores.cols() < 2) throw_invalid(function, ": scores must have K >= 2 columns (got ", scores.cols(), ")");
  check_finite(function, "scores", scores);
  check_labels(function, "y_true", y_true, scores.cols());
  std::vector<double> support(static_cast<std::size_t>(scores.cols()), 0.0);
  for (Eigen::Index i = 0; i < y_true.size(); ++i) support[static_cast<std::size_t>(y_true.derived().coeff(i))] += 1;
  for (std::size_t k = 0; k < support.size(); ++k)
    if (support[k] == 0)
      throw_invalid(function, ": class ", class_name(static_cast<long long>(k)),
                    " does not occur in y_true; the one-vs-rest score of its column is undefined");
  return support;
}

template <class Binary, class DY, class DS>
double one_vs_rest(const char* function, const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                   MulticlassAverage average, Binary binary) {
  const std::vector<double> support = multiclass_inputs(function, y_true, scores);
  const auto n = static_cast<std::size_t>(y_true.size());
  std::vector<double> column(n);
  std::vector<char> positive(n);
  double total = 0, weight_total = 0;
  for (Eigen::Index k = 0; k < scores.cols(); ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      column[i] = static_cast<double>(scores.derived().coeff(static_cast<Eigen::Index>(i), k));
      positive[i] = y_true.derived().coeff(static_cast<Eigen::Index>(i)) == k;
    }
    const double w = average == MulticlassAverage::Weighted ? support[static_cast<std::size_t>(k)] : 1.0;
    total += w * binary(function, column, positive);
    weight_total += w;
  }
  return total / weight_total;
}

}  // namespace detail

/// ROC curve of binary scores; positives are y_true == positive_label.
template <class DY, class DS>
RocCurve roc_curve(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores, long long positive_label = 1,
                   const RocCurveOptions& options = {}) {
  const char* function = "roc_curve()";
  const detail::BinaryInputs in = detail::binary_inputs(function, y_true, scores, positive_label);
  return detail::roc_from_counts(function, detail::binary_curve_counts(function, in.scores, in.positive), options);
}

/// Area under the ROC curve of binary scores.
template <class DY, class DS>
double roc_auc(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores, long long positive_label = 1) {
  const char* function = "roc_auc()";
  const detail::BinaryInputs in = detail::binary_inputs(function, y_true, scores, positive_label);
  return detail::binary_roc_auc_of(function, in.scores, in.positive);
}

/// Precision-recall curve of binary scores.
template <class DY, class DS>
PrecisionRecallCurve precision_recall_curve(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                                            long long positive_label = 1) {
  const char* function = "precision_recall_curve()";
  const detail::BinaryInputs in = detail::binary_inputs(function, y_true, scores, positive_label);
  return detail::precision_recall_from_counts(detail::binary_curve_counts(function, in.scores, in.positive));
}

/// Average precision of binary scores.
template <class DY, class DS>
double average_precision(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                         long long positive_label = 1) {
  const char* function = "average_precision()";
  const detail::BinaryInputs in = detail::binary_inputs(function, y_true, scores, positive_label);
  return detail::binary_average_precision_of(function, in.scores, in.positive);
}

/// One-vs-rest ROC-AUC of N x K scores.
template <class DY, class DS>
double roc_auc_one_vs_rest(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                           MulticlassAverage average = MulticlassAverage::Macro) {
  return detail::one_vs_rest("roc_auc_one_vs_rest()", y_true, scores, average, &detail::binary_roc_auc_of);
}

/// One-vs-rest average precision of N x K scores.
template <class DY, class DS>
double average_precision_one_vs_rest(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                                     MulticlassAverage average = MulticlassAverage::Macro) {
  return detail::one_vs_rest("average_precision_one_vs_rest()", y_true, scores, average,
                             &detail::binary_average_precision_of);
}

/// One-vs-one ROC-AUC of N x K scores (Hand & Till 2001).
template <class DY, class DS>
double roc_auc_one_vs_one(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DS>& scores,
                          MulticlassAverage average = MulticlassAverage::Macro) {
  const char* function = "roc_auc_one_vs_one()";
  detail::multiclass_inputs(function, y_true, scores);
  const Eigen::Index k = scores.cols(), n = y_true.size();
  std::vector<double> column_a, column_b;
  std::vector<char> is_a, is_b;
  double total = 0, weight_total = 0;
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = a + 1; b < k; ++b) {
      column_a.clear();
      column_b.clear();
      is_a.clear();
      is_b.clear();
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto y = static_cast<Eigen::Index>(y_true.derived().coeff(i));
        if (y != a && y != b) continue;
        column_a.push_back(static_cast<double>(scores.derived().coeff(i, a)));
        column_b.push_back(static_cast<double>(scores.derived().coeff(i, b)));
        is_a.push_back(y == a);
        is_b.push_back(y == b);
      }
      const double pair = (detail::binary_roc_auc_of(function, column_a, is_a) +
                           detail::binary_roc_auc_of(function, column_b, is_b)) / 2;
      const double w = average == MulticlassAverage::Weighted
                           ? static_cast<double>(column_a.size()) / static_cast<double>(n)
                           : 1.0;
      total += w * pair;
      weight_total += w;
    }
  return total / weight_total;
}

}  // namespace imbalance
