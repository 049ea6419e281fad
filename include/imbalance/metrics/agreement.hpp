#pragma once
/// @file
/// Agreement between true and predicted labels beyond chance, from a confusion matrix C (rows =
/// true, columns = predicted), as scikit-learn 1.2 computes them.
///  - Matthews correlation coefficient (multi-class form, Gorodkin 2004), with t = row sums,
///    p = column sums, c = trace, s = N:
///      MCC = (c s - t.p) / sqrt((s^2 - p.p)(s^2 - t.t)),  0 when a factor of the denominator is 0.
///  - Cohen's kappa (Cohen 1960; weighted, Cohen 1968) over the classes present in y_true or
///    y_pred, indexed by their rank among those (scikit-learn's label set): E = outer(p, t) / N,
///      kappa = 1 - sum(W .* C) / sum(W .* E),
///    W = 1 - I (none), |i - j| (linear) or (i - j)^2 (quadratic).

#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/metrics/confusion_matrix.hpp"

namespace imbalance {

/// Weights of Cohen's kappa: unweighted, |i - j|, or (i - j)^2.
enum class KappaWeights { None, Linear, Quadratic };

/// Matthews correlation coefficient.
inline double matthews_correlation(const ConfusionMatrix& confusion) {
  detail::check_confusion("matthews_correlation()", confusion);
  const Eigen::VectorXd t = confusion.rowwise().sum().cast<double>();
  const Eigen::VectorXd p = confusion.colwise().sum().transpose().cast<double>();
  const double c = static_cast<double>(confusion.trace()), s = t.sum();
  const double covariance = c * s - t.dot(p);
  const double predicted_variance = s * s - p.dot(p), true_variance = s * s - t.dot(t);
  if (predicted_variance * true_variance == 0) return 0.0;
  return covariance / std::sqrt(true_variance * predicted_variance);
}

/// Cohen's kappa with the given disagreement weights.
inline double cohen_kappa(const ConfusionMatrix& confusion, KappaWeights weights = KappaWeights::None) {
  detail::check_confusion("cohen_kappa()", confusion);
  std::vector<Eigen::Index> present;
  for (Eigen::Index k = 0; k < confusion.rows(); ++k)
    if (confusion.row(k).sum() > 0 || confusion.col(k).sum() > 0) present.push_back(k);
  const auto m = static_cast<Eigen::Index>(present.size());
  Eigen::MatrixXd c(m, m);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < m; ++j)
      c(i, j) = static_cast<double>(confusion(present[static_cast<std::size_t>(i)], present[static_cast<std::size_t>(j)]));
  const Eigen::VectorXd column_sums = c.colwise().sum().transpose(), row_sums = c.rowwise().sum();
  const Eigen::MatrixXd expected = column_sums * row_sums.transpose() / column_sums.sum();
  double observed_disagreement = 0, expected_disagreement = 0;
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < m; ++j) {
      const double d = static_cast<double>(i - j);
      const double w = weights == KappaWeights::None ? (i == j ? 0.0 : 1.0)
                       : weights == KappaWeights::Linear ? std::abs(d)
                                                         : d * d;
      observed_disagreement += w * c(i, j);
      expected_disagreement += w * expected(i, j);
    }
  // One present class: no disagreement is possible; scikit-learn returns NaN, kappa is undefined.
  if (expected_disagreement == 0)
    detail::throw_invalid("cohen_kappa(): kappa is undefined when only one class occurs in y_true and y_pred");
  return 1.0 - observed_disagreement / expected_disagreement;
}

/// Matthews correlation coefficient of two label vectors (scikit-learn's matthews_corrcoef).
template <class DT, class DP>
double matthews_correlation(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                            Eigen::Index num_classes) {
  return matthews_correlation(confusion_matrix(y_true, y_pred, num_classes));
}

/// Cohen's kappa of two label vectors (scikit-learn's cohen_kappa_score).
template <class DT, class DP>
double cohen_kappa(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred, Eigen::Index num_classes,
                   KappaWeights weights = KappaWeights::None) {
  return cohen_kappa(confusion_matrix(y_true, y_pred, num_classes), weights);
}

}  // namespace imbalance
