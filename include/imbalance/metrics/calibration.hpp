#pragma once
/// @file
/// Calibration of predicted probabilities.
///
/// Expected calibration error (Guo, Pleiss, Sun, Weinberger, "On Calibration of Modern Neural
/// Networks", ICML 2017), with B equal-width bins over (0, 1] (default 15): sample i falls in bin b
/// when b/B < confidence_i <= (b+1)/B, confidence_i = max_k p_ik (a confidence of exactly 0 joins the
/// first bin), and
///   ECE = sum_b (n_b / N) |accuracy_b - mean confidence_b|.
/// Also the per-class mean predicted probability (1/N) sum_i p_ik, to compare with class frequencies.
/// Probabilities must be >= 0 and each row must sum to 1 within `tolerance` (default 1e-6).

#include <algorithm>
#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Options of Calibration (see imbalance/metrics/calibration.hpp for the formula, the paper and the defaults).
struct CalibrationOptions {
  /// Equal-width confidence bins.
  Eigen::Index bins = 15;
  /// Tolerance of the check that probability rows sum to 1.
  double tolerance = 1e-6;
};

/// One bin of a reliability diagram.
struct CalibrationBin {
  double lower;  ///< lower edge of the bin
  double upper;  ///< upper edge of the bin
  /// Samples whose confidence falls in the bin.
  Eigen::Index count;
  double accuracy;  ///< accuracy of those samples (0 when count == 0)
  double confidence;  ///< their mean confidence (0 when count == 0)
};

/// Calibration of predicted probabilities. See imbalance/metrics/calibration.hpp for the formula, the paper and the defaults.
struct Calibration {
  /// ECE: sum over bins of (count / N) |accuracy - confidence|.
  double expected_calibration_error;
  /// max_b |accuracy_b - confidence_b| over non-empty bins (maximum calibration error).
  double maximum_calibration_error;
  /// The reliability diagram's bins.
  std::vector<CalibrationBin> bins;
};

/// Throws unless probabilities is a non-empty N x K (K >= 2) matrix of finite values >= 0 whose rows
/// sum to 1 within tolerance.
template <class DP>
void check_probabilities(const char* function, const Eigen::DenseBase<DP>& probabilities, double tolerance) {
  check_non_empty(function, "probabilities", probabilities.rows());
  if (probabilities.cols() < 2)
    detail::throw_invalid(function, ": probabilities must have K >= 2 columns (got ", probabilities.cols(), ")");
  check_finite(function, "probabilities", probabilities);
  for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
    double row_sum = 0;
    for (Eigen::Index j = 0; j < probabilities.cols(); ++j) {
      const double p = static_cast<double>(probabilities.derived().coeff(i, j));
      if (p < 0) detail::throw_invalid(function, ": probabilities(", i, ", ", j, ") is negative (", p, ")");
      row_sum += p;
    }
    if (std::abs(row_sum - 1.0) > tolerance)
      detail::throw_invalid(function, ": probabilities row ", i, " sums to ", row_sum, ", not 1 (tolerance ",
                            tolerance, ")");
  }
}

/// Expected (and maximum) calibration error with its reliability bins.
template <class DP, class DY>
Calibration calibration(const Eigen::DenseBase<DP>& probabilities, const Eigen::DenseBase<DY>& y_true,
                        const CalibrationOptions& options = {}) {
  const char* function = "calibration()";
  if (options.bins < 1) detail::throw_invalid(function, ": bins must be >= 1 (got ", options.bins, ")");
  check_probabilities(function, probabilities, options.tolerance);
  check_same_length(function, "y_true", y_true.size(), "probabilities", probabilities.rows());
  check_labels(function, "y_true", y_true, probabilities.cols());
  const Eigen::Index bins = options.bins;
  std::vector<double> correct(static_cast<std::size_t>(bins), 0.0), confidence(static_cast<std::size_t>(bins), 0.0);
  std::vector<Eigen::Index> counts(static_cast<std::size_t>(bins), 0);
  for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
    Eigen::Index predicted = 0;
    double top = static_cast<double>(probabilities.derived().coeff(i, 0));
    for (Eigen::Index j = 1; j < probabilities.cols(); ++j) {
      const double p = static_cast<double>(probabilities.derived().coeff(i, j));
      if (p > top) {
        top = p;
        predicted = j;
      }
    }
    // Bin b holds (b/B, (b+1)/B]; the comparisons use the same bounds the bins report.
    Eigen::Index b = static_cast<Eigen::Index>(std::ceil(top * static_cast<double>(bins))) - 1;
    b = std::min<Eigen::Index>(std::max<Eigen::Index>(b, 0), bins - 1);
    while (b > 0 && top <= static_cast<double>(b) / static_cast<double>(bins)) --b;
    while (b + 1 < bins && top > static_cast<double>(b + 1) / static_cast<double>(bins)) ++b;
    const auto slot = static_cast<std::size_t>(b);
    ++counts[slot];
    confidence[slot] += top;
    correct[slot] += predicted == static_cast<Eigen::Index>(y_true.derived().coeff(i)) ? 1.0 : 0.0;
  }
  Calibration result{0.0, 0.0, {}};
  const double n = static_cast<double>(probabilities.rows());
  for (Eigen::Index b = 0; b < bins; ++b) {
    const auto slot = static_cast<std::size_t>(b);
    CalibrationBin bin{static_cast<double>(b) / static_cast<double>(bins),
                       static_cast<double>(b + 1) / static_cast<double>(bins), counts[slot], 0.0, 0.0};
    if (bin.count > 0) {
      bin.accuracy = correct[slot] / static_cast<double>(bin.count);
      bin.confidence = confidence[slot] / static_cast<double>(bin.count);
      const double gap = std::abs(bin.accuracy - bin.confidence);
      result.expected_calibration_error += static_cast<double>(bin.count) / n * gap;
      result.maximum_calibration_error = std::max(result.maximum_calibration_error, gap);
    }
    result.bins.push_back(bin);
  }
  return result;
}

/// The expected calibration error of N x K probabilities against the labels.
template <class DP, class DY>
double expected_calibration_error(const Eigen::DenseBase<DP>& probabilities, const Eigen::DenseBase<DY>& y_true,
                                  const CalibrationOptions& options = {}) {
  return calibration(probabilities, y_true, options).expected_calibration_error;
}

/// (1/N) sum_i p_ik for every class k.
template <class DP>
Eigen::VectorXd mean_predicted_probability(const Eigen::DenseBase<DP>& probabilities, double tolerance = 1e-6) {
  check_probabilities("mean_predicted_probability()", probabilities, tolerance);
  return probabilities.derived().template cast<double>().colwise().mean().transpose();
}

}  // namespace imbalance
