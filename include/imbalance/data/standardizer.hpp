#pragma once
/// @file
/// Feature standardisation fitted on training data: x' = (x - mean) / std per feature (std with
/// ddof 0, as scikit-learn's StandardScaler; a constant feature keeps std 1 so it maps to 0). The
/// moments are computed stably for any finite data (detail/column_moments.hpp); a standardised value
/// beyond the double range is refused, never returned as infinity.

#include <cmath>
#include <utility>

#include "imbalance/core/eigen.hpp"

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
    Eigen::MatrixXd out(X.rows(), X.cols());
    apply(function, X, out);
    return out;
  }

  /// The same in place: X (N x d, double) becomes (X - mean) / scale, without a second N x d matrix.
  void transform_in_place(Eigen::Ref<Eigen::MatrixXd> X) const {
    const char* function = "Standardizer::transform_in_place()";
    check_shape(function, "X", X.rows(), X.cols(), -1, mean_.size());
    check_finite(function, "X", X);
    apply(function, X, X);
  }

  /// The fitted column means.
  const Eigen::RowVectorXd& mean() const noexcept { return mean_; }
  /// The fitted column scales (standard deviations; 1 for a constant column).
  const Eigen::RowVectorXd& scale() const noexcept { return scale_; }

 private:
  // out = (X - mean) / scale. Halved, the difference cannot overflow; halving and doubling are exact
  // in the normal range. Whole columns at a time, vectorised (IEEE division gives the same bits in
  // every lane width); a column is checked before it is written, so that in place the message can
  // still name the value that standardises beyond the double range.
  template <class DX, class Out>
  void apply(const char* function, const Eigen::DenseBase<DX>& X, Out& out) const {
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      const double half_mean = mean_(j) * 0.5, scale = scale_(j);
      const auto column = (X.derived().col(j).template cast<double>().array() * 0.5 - half_mean) / scale * 2;
      if (!column.isFinite().all())
        for (Eigen::Index i = 0; i < X.rows(); ++i)
          if (!std::isfinite(column(i)))
            detail::throw_invalid(function, ": X(", i, ", ", j, ") = ", static_cast<double>(X.derived().coeff(i, j)),
                                  " standardises beyond the double range (mean ", mean_(j), ", scale ", scale_(j), ")");
      out.col(j) = column.matrix();
    }
  }

  Eigen::RowVectorXd mean_, scale_;
};

}  // namespace imbalance
