#pragma once
/// @file
/// Threshold-moving with a cost matrix.
///
/// Zhou & Liu, "Training Cost-Sensitive Neural Networks with Methods Addressing the Class Imbalance
/// Problem", IEEE TKDE 18(1), 2006. With Cost[k][k'] the cost of predicting k' for true class k
/// (Cost[k][k] = 0 in the paper) and Cost[k] = sum_k' Cost[k][k'], a trained model's probabilities
/// are rescaled and renormalised,
///   p*_k = p_k Cost[k] / sum_j p_j Cost[j],   prediction = argmax_k p*_k (first maximum on ties),
/// which moves the decision threshold towards the expensive (rare) classes.
/// `prior_cost_matrix(counts, tau)` builds the matrix whose row sums are exp(-tau log pi_k) =
/// pi_k^-tau (tau = 1: the prior correction p(y|x) / pi_y, which post-hoc logit adjustment equals).

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/metrics/calibration.hpp"

namespace imbalance {

/// K x K costs with zero diagonal and every off-diagonal entry of row k equal to
/// 1 / ((K - 1) (pi_k^tau + epsilon)), so that row k sums to 1 / (pi_k^tau + epsilon)
/// (= exp(-tau log pi_k) for epsilon = 0).
template <class DC>
Eigen::MatrixXd prior_cost_matrix(const Eigen::DenseBase<DC>& class_counts, double tau, double epsilon = 0.0) {
  const char* function = "prior_cost_matrix()";
  check_finite_scalar(function, "tau", tau);
  check_non_negative(function, "epsilon", epsilon);
  const Eigen::VectorXd pi = priors(class_counts);
  const Eigen::Index k = pi.size();
  if (k < 2) detail::throw_invalid(function, ": class_counts must have K >= 2 entries (got ", k, ")");
  Eigen::MatrixXd cost(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    const double row_sum = 1.0 / (std::pow(pi(i), tau) + epsilon);
    if (!std::isfinite(row_sum))
      detail::throw_invalid(function, ": class ", i, " has prior ", pi(i), ", which gives an infinite cost (tau ", tau,
                            ", epsilon ", epsilon, ")");
    cost.row(i).setConstant(row_sum / static_cast<double>(k - 1));
    cost(i, i) = 0.0;
  }
  return cost;
}

/// Threshold-moving with a cost matrix. See imbalance/posthoc/threshold_moving.hpp for the formula, the paper and the defaults.
class ThresholdMoving {
 public:
  /// @param cost K x K, finite, >= 0, with at least one positive row sum.
  template <class DM>
  explicit ThresholdMoving(const Eigen::DenseBase<DM>& cost) {
    const char* function = "ThresholdMoving::ThresholdMoving()";
    if (cost.rows() != cost.cols() || cost.rows() < 2)
      detail::throw_invalid(function, ": cost must be K x K with K >= 2 (shape ", cost.rows(), "x", cost.cols(), ")");
    check_finite(function, "cost", cost);
    for (Eigen::Index i = 0; i < cost.rows(); ++i)
      for (Eigen::Index j = 0; j < cost.cols(); ++j)
        if (cost.derived().coeff(i, j) < 0)
          detail::throw_invalid(function, ": cost(", i, ", ", j, ") is negative (", cost.derived().coeff(i, j), ")");
    row_costs_ = cost.derived().template cast<double>().rowwise().sum();
    if (!(row_costs_.maxCoeff() > 0)) detail::throw_invalid(function, ": cost is all zero");
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return row_costs_.size(); }
  /// Cost[k] = sum_k' Cost[k][k'].
  const Eigen::VectorXd& class_costs() const noexcept { return row_costs_; }

  /// The rescaled, renormalised probabilities p*_k (N x K). Rows whose rescaled mass is 0 (all
  /// probability on zero-cost classes) keep their original probabilities.
  template <class DP>
  Eigen::MatrixXd probabilities(const Eigen::DenseBase<DP>& probabilities, double tolerance = 1e-6) const {
    validate("ThresholdMoving::probabilities()", probabilities, tolerance);
    Eigen::MatrixXd out = probabilities.derived().template cast<double>();
    out = out * row_costs_.asDiagonal();
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      const double mass = out.row(i).sum();
      if (mass > 0)
        out.row(i) /= mass;
      else
        out.row(i) = probabilities.derived().row(i).template cast<double>();
    }
    return out;
  }

  /// argmax_k p_k Cost[k] (the normaliser does not change the argmax).
  template <class DP>
  Eigen::VectorXi predict(const Eigen::DenseBase<DP>& probabilities, double tolerance = 1e-6) const {
    validate("ThresholdMoving::predict()", probabilities, tolerance);
    return argmax_rows(probabilities.derived().template cast<double>().matrix() * row_costs_.asDiagonal());
  }

 private:
  template <class DP>
  void validate(const char* function, const Eigen::DenseBase<DP>& probabilities, double tolerance) const {
    check_probabilities(function, probabilities, tolerance);
    check_shape(function, "probabilities", probabilities.rows(), probabilities.cols(), -1, num_classes());
  }

  Eigen::VectorXd row_costs_;
};

}  // namespace imbalance
