#pragma once
/// @file
/// Categorical features inside a numeric matrix: a categorical column holds category codes, the
/// non-negative integers 0, 1, 2, ... (data/csv.hpp reads text categories into such codes and
/// writes them back as the same text). Shared by SMOTENC and SMOTEN.

#include <algorithm>
#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"

namespace imbalance::detail {

/// The largest category code the samplers accept (codes index tables of this size).
constexpr double kMaxCategoryCode = 1 << 30;

/// Checks that column `column` of X holds category codes and returns the largest.
template <class DX>
int check_category_codes(const char* function, const Eigen::DenseBase<DX>& X, Eigen::Index column) {
  double largest = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const double v = static_cast<double>(X.derived().coeff(i, column));
    if (!(v >= 0 && v <= kMaxCategoryCode && std::floor(v) == v))
      throw_invalid(function, ": categorical column ", column, " holds ", v, " at row ", i,
                    "; categories must be integer codes 0, 1, 2, ... (at most ", kMaxCategoryCode, ")");
    largest = std::max(largest, v);
  }
  return static_cast<int>(largest);
}

}  // namespace imbalance::detail
