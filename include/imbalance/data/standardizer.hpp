#pragma once
/// @file
/// Feature standardisation fitted on training data: x' = (x - mean) / std per feature (std with
/// ddof 0, as scikit-learn's StandardScaler; a constant feature keeps std 1 so it maps to 0).

#include <Eigen/Core>

#include "imbalance/core/checks.hpp"

namespace imbalance {

class Standardizer {
 public:
  template <class DX>
  static Standardizer fit(const Eigen::DenseBase<DX>& X) {
    const char* function = "Standardizer::fit()";
    check_non_empty(function, "X", X.rows());
    check_finite(function, "X", X);
    Standardizer s;
    const Eigen::MatrixXd x = X.derived().template cast<double>();
    s.mean_ = x.colwise().mean();
    s.scale_ = ((x.rowwise() - s.mean_).array().square().colwise().mean()).sqrt().matrix();
    for (Eigen::Index j = 0; j < s.scale_.size(); ++j)
      if (!(s.scale_(j) > 0)) s.scale_(j) = 1.0;
    return s;
  }

  template <class DX>
  Eigen::MatrixXd transform(const Eigen::DenseBase<DX>& X) const {
    const char* function = "Standardizer::transform()";
    check_shape(function, "X", X.rows(), X.cols(), -1, mean_.size());
    check_finite(function, "X", X);
    return ((X.derived().template cast<double>().rowwise() - mean_).array().rowwise() / scale_.array()).matrix();
  }

  const Eigen::RowVectorXd& mean() const noexcept { return mean_; }
  const Eigen::RowVectorXd& scale() const noexcept { return scale_; }

 private:
  Eigen::RowVectorXd mean_, scale_;
};

}  // namespace imbalance
