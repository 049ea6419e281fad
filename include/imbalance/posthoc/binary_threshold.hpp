#pragma once
/// @file
/// Binary decision rules on a probability estimate eta(x) = P(y = 1 | x).
///
///  - ThresholdClassifier: predict 1 iff eta >= threshold (scikit-learn's FixedThresholdClassifier
///    rule; default 0.5).
///  - PlugInClassifier: Menon, Narasimhan, Agarwal, Chawla, "On the Statistical Consistency of
///    Algorithms for Binary Classification under Class Imbalance", ICML 2013. The rule
///    sign(eta(x) - p) with p = P(y = 1) is optimal for balanced accuracy; the plug-in classifier
///    predicts 1 iff eta_hat(x) > p_hat, p_hat the positive rate of the training labels, and is
///    consistent for balanced accuracy.

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

namespace detail {
template <class DS>
void check_binary_probabilities(const char* function, const Eigen::DenseBase<DS>& eta) {
  check_non_empty(function, "eta", eta.size());
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double p = static_cast<double>(eta.derived().coeff(i));
    if (!(p >= 0.0 && p <= 1.0)) throw_invalid(function, ": eta[", i, "] must lie in [0, 1] (got ", p, ")");
  }
}
}  // namespace detail

/// Binary decision rules on a probability estimate eta(x) = P(y = 1 | x). See imbalance/posthoc/binary_threshold.hpp for the formula, the paper and the defaults.
class ThresholdClassifier {
 public:
  /// @throws imbalance::invalid_argument unless threshold lies in [0, 1].
  explicit ThresholdClassifier(double threshold = 0.5) : threshold_(threshold) {
    check_in_range("ThresholdClassifier::ThresholdClassifier()", "threshold", threshold, 0.0, 1.0);
  }
  /// The decision threshold.
  double threshold() const noexcept { return threshold_; }

  /// 1 where eta >= threshold, else 0.
  template <class DS>
  Eigen::VectorXi predict(const Eigen::DenseBase<DS>& eta) const {
    detail::check_binary_probabilities("ThresholdClassifier::predict()", eta);
    Eigen::VectorXi out(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) out(i) = static_cast<double>(eta.derived().coeff(i)) >= threshold_;
    return out;
  }

 private:
  double threshold_;
};

/// Binary decision rules on a probability estimate eta(x) = P(y = 1 | x). See imbalance/posthoc/binary_threshold.hpp for the formula, the paper and the defaults.
class PlugInClassifier {
 public:
  /// @param base_rate p_hat in [0, 1].
  explicit PlugInClassifier(double base_rate) : base_rate_(base_rate) {
    check_in_range("PlugInClassifier::PlugInClassifier()", "base_rate", base_rate, 0.0, 1.0);
  }

  /// p_hat = fraction of training labels equal to 1; labels must be 0 or 1.
  template <class DY>
  static PlugInClassifier from_labels(const Eigen::DenseBase<DY>& train_labels) {
    const char* function = "PlugInClassifier::from_labels()";
    check_non_empty(function, "train_labels", train_labels.size());
    check_labels(function, "train_labels", train_labels, 2);
    double positives = 0;
    for (Eigen::Index i = 0; i < train_labels.size(); ++i) positives += train_labels.derived().coeff(i) == 1;
    return PlugInClassifier(positives / static_cast<double>(train_labels.size()));
  }

  /// The base rate the threshold was chosen for.
  double base_rate() const noexcept { return base_rate_; }

  /// 1 where eta > p_hat, else 0.
  template <class DS>
  Eigen::VectorXi predict(const Eigen::DenseBase<DS>& eta) const {
    detail::check_binary_probabilities("PlugInClassifier::predict()", eta);
    Eigen::VectorXi out(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) out(i) = static_cast<double>(eta.derived().coeff(i)) > base_rate_;
    return out;
  }

 private:
  double base_rate_;
};

}  // namespace imbalance
