#pragma once
/// @file
/// The value difference metric (VDM) between samples of categorical features.
///
/// Stanfill & Waltz, "Toward Memory-Based Reasoning", CACM 29(12), 1986; as imbalanced-learn 0.10
/// (metrics/pairwise.py, ValueDifferenceMetric with its defaults k = 1, r = 2). Fitted on codes X
/// (N x d, category codes, categorical.hpp) and labels y with K classes:
///   p_f(v, c) = #{i : X_if = v, y_i = c} / #{i : X_if = v}     (0 for a code that never occurs),
///   delta_f(v, w) = sum_c |p_f(v, c) - p_f(w, c)|,
///   VDM(a, b) = sum_f delta_f(a_f, b_f)^2                       (no root, as imbalanced-learn).
/// The per-feature tables delta_f are computed once, so a distance costs d look-ups.

#include <cmath>
#include <map>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/neighbors/categorical.hpp"

namespace imbalance {

/// The value difference metric (VDM) between samples of categorical features. See imbalance/neighbors/value_difference_metric.hpp for the formula, the paper and the defaults.
class ValueDifferenceMetric {
 public:
  /// Fits the value difference tables of the categorical columns of X against the labels y.
  template <class DX, class DY>
  ValueDifferenceMetric(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) {
    const char* function = "ValueDifferenceMetric::ValueDifferenceMetric()";
    check_non_empty(function, "X", X.rows());
    check_same_length(function, "y", y.size(), "X", X.rows());
    check_finite(function, "X", X);
    std::map<int, int> class_index;
    for (Eigen::Index i = 0; i < y.size(); ++i) class_index.emplace(static_cast<int>(y.derived().coeff(i)), 0);
    int next = 0;
    for (auto& entry : class_index) entry.second = next++;
    const auto K = static_cast<Eigen::Index>(class_index.size());
    for (Eigen::Index f = 0; f < X.cols(); ++f) {
      const int values = detail::check_category_codes(function, X, f) + 1;
      Eigen::MatrixXd p = Eigen::MatrixXd::Zero(values, K);
      for (Eigen::Index i = 0; i < X.rows(); ++i)
        p(static_cast<Eigen::Index>(X.derived().coeff(i, f)), class_index.at(static_cast<int>(y.derived().coeff(i)))) += 1;
      for (Eigen::Index v = 0; v < values; ++v) {
        const double total = p.row(v).sum();
        if (total > 0) p.row(v) /= total;
      }
      Eigen::MatrixXd delta;
      if (values <= kTableLimit) {
        delta.resize(values, values);
        for (Eigen::Index v = 0; v < values; ++v)
          for (Eigen::Index w = 0; w < values; ++w) delta(v, w) = (p.row(v) - p.row(w)).cwiseAbs().sum();
      }
      probabilities_.push_back(std::move(p));
      deltas_.push_back(std::move(delta));
    }
  }

  /// The number of features.
  Eigen::Index features() const noexcept { return static_cast<Eigen::Index>(deltas_.size()); }
  /// p_f(v, c): rows are codes, columns the classes in ascending label order.
  const Eigen::MatrixXd& class_probabilities(Eigen::Index feature) const { return probabilities_.at(static_cast<std::size_t>(feature)); }
  /// delta_f(v, w) for all codes v, w of feature f (computed up to kTableLimit codes; empty above,
  /// where each look-up sums over the classes instead).
  const Eigen::MatrixXd& value_differences(Eigen::Index feature) const { return deltas_.at(static_cast<std::size_t>(feature)); }
  /// Categories per feature that the tables allow.
  static constexpr Eigen::Index kTableLimit = 1024;

  /// VDM(a, b) for two rows of codes of the fitted width (codes beyond the fitted ones count as
  /// never seen: probability 0).
  template <class DA, class DB>
  double distance(const Eigen::DenseBase<DA>& a, const Eigen::DenseBase<DB>& b) const {
    double sum = 0;
    for (Eigen::Index f = 0; f < features(); ++f) {
      const double d = delta(f, static_cast<Eigen::Index>(a.derived().coeff(f)), static_cast<Eigen::Index>(b.derived().coeff(f)));
      sum += d * d;
    }
    return sum;
  }

 private:
  double delta(Eigen::Index f, Eigen::Index v, Eigen::Index w) const {
    const Eigen::MatrixXd& table = deltas_[static_cast<std::size_t>(f)];
    if (v < table.rows() && w < table.rows()) return table(v, w);
    const Eigen::MatrixXd& p = probabilities_[static_cast<std::size_t>(f)];
    double sum = 0;  // a code never seen has probability 0 for every class
    for (Eigen::Index c = 0; c < p.cols(); ++c)
      sum += std::abs((v < p.rows() ? p(v, c) : 0.0) - (w < p.rows() ? p(w, c) : 0.0));
    return sum;
  }

  std::vector<Eigen::MatrixXd> probabilities_;
  std::vector<Eigen::MatrixXd> deltas_;
};

}  // namespace imbalance
