#pragma once
/// @file
/// Per-column mean and standard deviation (ddof 0) that stay right for every finite input.
///
/// E[x^2] - E[x]^2 cancels (a constant offset of 1e8 leaves no variance of 1e-3 steps) and
/// overflows (x^2 beyond 1.8e308 for |x| > 1.3e154). Here each column is scaled by the power of two
/// that brings its largest magnitude into [0.5, 1) (exact), the mean is computed with one
/// correction pass and the variance from deviations (two passes), and both are scaled back (exact).

#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

namespace imbalance::detail {

struct ColumnMoments {
  Eigen::RowVectorXd mean, standard_deviation;
};

/// Moments of the rows `rows` of X (every row when rows is null). X must be finite, rows non-empty.
template <class DX>
ColumnMoments column_moments(const Eigen::DenseBase<DX>& X, const std::vector<Eigen::Index>* rows = nullptr) {
  const Eigen::Index n = rows ? static_cast<Eigen::Index>(rows->size()) : X.rows();
  auto row_of = [&](Eigen::Index r) { return rows ? (*rows)[static_cast<std::size_t>(r)] : r; };
  ColumnMoments out{Eigen::RowVectorXd(X.cols()), Eigen::RowVectorXd(X.cols())};
  const double count = static_cast<double>(n);
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    double largest = 0;
    if (rows) {
      for (Eigen::Index r = 0; r < n; ++r)
        largest = std::max(largest, std::abs(static_cast<double>(X.derived().coeff(row_of(r), j))));
    } else {
      largest = X.derived().col(j).template cast<double>().cwiseAbs().maxCoeff();
    }
    int exponent = 0;
    if (largest > 0) std::frexp(largest, &exponent);
    double mean = 0, squares = 0;
    if (!rows && exponent >= -1021 && exponent <= 1021) {
      // A whole column, vectorised: with 2^-exponent a normal double, x * 2^-exponent is the same
      // correctly rounded value as ldexp(x, -exponent). Eigen's sums keep several partial sums
      // (a tree, no less accurate than one running sum).
      const double factor = std::ldexp(1.0, -exponent);
      const auto scaled = X.derived().col(j).template cast<double>().array() * factor;
      mean = scaled.sum() / count;
      mean += (scaled - mean).sum() / count;
      squares = (scaled - mean).square().sum();
    } else {
      // ldexp, not a product: 2^exponent itself may lie outside the double range (2^1024, 2^1074).
      auto scaled = [&](Eigen::Index r) { return std::ldexp(static_cast<double>(X.derived().coeff(row_of(r), j)), -exponent); };
      double sum = 0;
      for (Eigen::Index r = 0; r < n; ++r) sum += scaled(r);
      double correction = 0;
      mean = sum / count;
      for (Eigen::Index r = 0; r < n; ++r) correction += scaled(r) - mean;
      mean += correction / count;
      for (Eigen::Index r = 0; r < n; ++r) {
        const double deviation = scaled(r) - mean;
        squares += deviation * deviation;
      }
    }
    out.mean(j) = std::ldexp(mean, exponent);
    out.standard_deviation(j) = std::ldexp(std::sqrt(squares / count), exponent);
  }
  return out;
}

}  // namespace imbalance::detail
