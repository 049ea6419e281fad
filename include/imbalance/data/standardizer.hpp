#pragma once
/// @file
/// Feature standardisation fitted on training data: x' = (x - mean) / std per feature (std with
/// ddof 0, as scikit-learn's StandardScaler; a constant feature keeps std 1 so it maps to 0). The
/// moments are computed stably for any finite data (detail/column_moments.hpp); a standardised value
/// beyond the double range is refused, never returned as infinity.

#include <cmath>
#include <utility>

#include <Eigen/Core>

#include "imbalance/core/checks.hpp"
#include "imbalance/detail/column_moments.hpp"

namespace imbalance {

/// Feature standardisation fitted on training data. See imbalance/data/standardizer.hpp.
class Standardizer {
 public:
  /// Fits the column means and standard deviations of X (N x d).
  template <class DX>
  static Standardizer fit(const Eigen::DenseBase<DX>& X) {
    const char* function = "Standardizer::fit()";
    check_non_empty(function, "X", X.rows());
    check_finite(function, "X", X);
    Standardizer s;
    detail::ColumnMoments moments = detail::column_moments(X);
    s.mean_ = std::move(moments.mean);
    s.scale_ = std::move(moments.standard_deviation);
    for (Eigen::Index j = 0; j < s.scale_.size(); ++j)
      if (!(s.scale_(j) > 0)) s.scale_(j) = 1.0;
    return s;
  }

  /// (X - mean) / scale, column by column.
  template <class DX>
  Eigen::MatrixXd transform(const Eigen::DenseBase<DX>& X) const {
    const char* function = "Standardizer::transform()";
    check_shape(function, "X", X.rows(), X.cols(), -1, mean_.size());
    check_finite(function, "X", X);
    // Halved, the difference cannot overflow; halving and doubling are exact in the normal range.
    Eigen::MatrixXd out(X.rows(), X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j)
      for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const double x = static_cast<double>(X.derived().coeff(i, j));
        out(i, j) = (x * 0.5 - mean_(j) * 0.5) / scale_(j) * 2;
        if (!std::isfinite(out(i, j)))
          detail::throw_invalid(function, ": X(", i, ", ", j, ") = ", x, " standardises beyond the double range (mean ",
                                mean_(j), ", scale ", scale_(j), ")");
      }
    return out;
  }

  /// The fitted column means.
  const Eigen::RowVectorXd& mean() const noexcept { return mean_; }
  /// The fitted column scales (standard deviations; 1 for a constant column).
  const Eigen::RowVectorXd& scale() const noexcept { return scale_; }

 private:
  Eigen::RowVectorXd mean_, scale_;
};

}  // namespace imbalance
