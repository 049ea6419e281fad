#pragma once
/// @file
/// The predicted class of each row of an N x K score matrix: the column of the row maximum, the
/// first one on ties (as numpy's argmax).

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// The index of the largest score of every row (the first one on ties), as int labels.
template <class DS>
Eigen::VectorXi argmax_rows(const Eigen::DenseBase<DS>& scores) {
  check_non_empty("argmax_rows()", "scores", scores.cols());
  Eigen::VectorXi out(scores.rows());
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    Eigen::Index best = 0;
    for (Eigen::Index j = 1; j < scores.cols(); ++j)
      if (scores.derived().coeff(i, j) > scores.derived().coeff(i, best)) best = j;
    out(i) = static_cast<int>(best);
  }
  return out;
}

}  // namespace imbalance
