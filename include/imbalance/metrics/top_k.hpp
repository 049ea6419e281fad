#pragma once
/// @file
/// Top-k accuracy from an N x K score (or probability) matrix: sample i counts as correct when
/// fewer than k classes score strictly higher than its true class (ties count in its favour).

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// @throws imbalance::invalid_argument on empty or non-finite scores, a length mismatch, K < 2 or
///         k outside [1, K]; imbalance::out_of_range for a label outside [0, K).
template <class DS, class DY>
double top_k_accuracy(const Eigen::DenseBase<DS>& scores, const Eigen::DenseBase<DY>& y_true, Eigen::Index k) {
  const char* function = "top_k_accuracy()";
  check_non_empty(function, "scores", scores.rows());
  if (scores.cols() < 2) detail::throw_invalid(function, ": scores must have K >= 2 columns (got ", scores.cols(), ")");
  check_same_length(function, "y_true", y_true.size(), "scores", scores.rows());
  check_labels(function, "y_true", y_true, scores.cols());
  check_finite(function, "scores", scores);
  if (k < 1 || k > scores.cols())
    detail::throw_invalid(function, ": k must lie in [1, ", scores.cols(), "] (got ", k, ")");
  Eigen::Index hits = 0;
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    const auto y = static_cast<Eigen::Index>(y_true.derived().coeff(i));
    const auto target = scores.derived().coeff(i, y);
    Eigen::Index higher = 0;
    for (Eigen::Index j = 0; j < scores.cols(); ++j) higher += scores.derived().coeff(i, j) > target;
    hits += higher < k;
  }
  return static_cast<double>(hits) / static_cast<double>(scores.rows());
}

}  // namespace imbalance
