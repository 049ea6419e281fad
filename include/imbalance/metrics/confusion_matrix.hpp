#pragma once
/// @file
/// Confusion matrix: C(i, j) = number of samples of true class i predicted as class j
/// (scikit-learn's convention: rows are true classes, columns predictions).

#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// K x K counts: rows are true classes, columns predictions.
using ConfusionMatrix = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic>;

namespace detail {
// Validation shared by every metric on (y_true, y_pred, K).
template <class DT, class DP>
void check_predictions(const char* function, const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                       Eigen::Index num_classes) {
  if (num_classes < 2) throw_invalid(function, ": num_classes must be >= 2 (got ", num_classes, ")");
  check_non_empty(function, "y_true", y_true.size());
  check_same_length(function, "y_pred", y_pred.size(), "y_true", y_true.size());
  check_labels(function, "y_true", y_true, num_classes);
  check_labels(function, "y_pred", y_pred, num_classes);
}
}  // namespace detail

/// K x K confusion matrix of integer label vectors with values in [0, num_classes).
/// @throws imbalance::invalid_argument for num_classes < 2, empty input or a length mismatch;
///         imbalance::out_of_range for a label outside [0, num_classes).
template <class DT, class DP>
ConfusionMatrix confusion_matrix(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                                 Eigen::Index num_classes) {
  detail::check_predictions("confusion_matrix()", y_true, y_pred, num_classes);
  ConfusionMatrix counts = ConfusionMatrix::Zero(num_classes, num_classes);
  for (Eigen::Index i = 0; i < y_true.size(); ++i)
    ++counts(static_cast<Eigen::Index>(y_true.derived().coeff(i)), static_cast<Eigen::Index>(y_pred.derived().coeff(i)));
  return counts;
}

namespace detail {
inline void check_confusion(const char* function, const ConfusionMatrix& cm) {
  if (cm.rows() != cm.cols() || cm.rows() < 2)
    throw_invalid(function, ": confusion must be K x K with K >= 2 (shape ", cm.rows(), "x", cm.cols(), ")");
  if ((cm.array() < 0).any()) throw_invalid(function, ": confusion has a negative count");
  if (cm.sum() == 0) throw_invalid(function, ": confusion must not be empty (all counts are 0)");
}
}  // namespace detail

}  // namespace imbalance
