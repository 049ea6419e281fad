#pragma once
/// @file
/// Proper scoring rules of predicted probabilities, as scikit-learn 1.2 computes them.
///  - brier_score (binary): (1/N) sum_i (p_i - [y_i = positive])^2, p_i the probability of the
///    positive class (brier_score_loss). multiclass_brier_score: (1/N) sum_i sum_k (p_ik - [y_i = k])^2
///    (Brier 1950; twice the binary value for K = 2).
///  - log_loss: (1/N) sum_i -log q_i,y_i with q = p clipped to [eps, 1 - eps] and each row divided by
///    its sum (scikit-learn's clip-then-renormalise; eps defaults to the double machine epsilon,
///    scikit-learn's eps="auto" for float64), so a zero probability costs -log(eps), not infinity.

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/metrics/calibration.hpp"

namespace imbalance {

/// Brier score of the probabilities of the positive class; positives are y_true == positive_label.
template <class DY, class DP>
double brier_score(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DP>& positive_probability,
                   long long positive_label = 1) {
  const char* function = "brier_score()";
  check_non_empty(function, "y_true", y_true.size());
  check_same_length(function, "y_true", y_true.size(), "positive_probability", positive_probability.size());
  if (positive_probability.rows() != 1 && positive_probability.cols() != 1)
    detail::throw_invalid(function, ": positive_probability must be a vector (shape ", positive_probability.rows(),
                          "x", positive_probability.cols(), ")");
  check_finite(function, "positive_probability", positive_probability);
  double sum = 0;
  for (Eigen::Index i = 0; i < y_true.size(); ++i) {
    const double p = static_cast<double>(positive_probability.derived().coeff(i));
    if (p < 0 || p > 1)
      detail::throw_invalid(function, ": positive_probability[", i, "] = ", p, " is not a probability");
    const double target = static_cast<long long>(y_true.derived().coeff(i)) == positive_label ? 1.0 : 0.0;
    sum += (p - target) * (p - target);
  }
  return sum / static_cast<double>(y_true.size());
}

/// Multi-class Brier score of N x K probabilities.
template <class DY, class DP>
double multiclass_brier_score(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DP>& probabilities,
                              double tolerance = 1e-6) {
  const char* function = "multiclass_brier_score()";
  check_probabilities(function, probabilities, tolerance);
  check_same_length(function, "y_true", y_true.size(), "probabilities", probabilities.rows());
  check_labels(function, "y_true", y_true, probabilities.cols());
  double sum = 0;
  for (Eigen::Index i = 0; i < probabilities.rows(); ++i)
    for (Eigen::Index k = 0; k < probabilities.cols(); ++k) {
      const double d = static_cast<double>(probabilities.derived().coeff(i, k)) -
                       (y_true.derived().coeff(i) == k ? 1.0 : 0.0);
      sum += d * d;
    }
  return sum / static_cast<double>(probabilities.rows());
}

/// Mean negative log-likelihood of N x K probabilities (see the file comment for eps).
template <class DY, class DP>
double log_loss(const Eigen::DenseBase<DY>& y_true, const Eigen::DenseBase<DP>& probabilities,
                double epsilon = std::numeric_limits<double>::epsilon(), double tolerance = 1e-6) {
  const char* function = "log_loss()";
  if (!(epsilon > 0 && epsilon < 0.5)) detail::throw_invalid(function, ": epsilon must lie in (0, 0.5) (got ", epsilon, ")");
  check_probabilities(function, probabilities, tolerance);
  check_same_length(function, "y_true", y_true.size(), "probabilities", probabilities.rows());
  check_labels(function, "y_true", y_true, probabilities.cols());
  double sum = 0;
  for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
    double row = 0;
    for (Eigen::Index k = 0; k < probabilities.cols(); ++k)
      row += std::clamp(static_cast<double>(probabilities.derived().coeff(i, k)), epsilon, 1 - epsilon);
    const double p_true = std::clamp(
        static_cast<double>(probabilities.derived().coeff(i, static_cast<Eigen::Index>(y_true.derived().coeff(i)))),
        epsilon, 1 - epsilon);
    sum -= std::log(p_true / row);
  }
  return sum / static_cast<double>(probabilities.rows());
}

}  // namespace imbalance
