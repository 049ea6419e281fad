#pragma once
/// @file
/// Dot-regression (DR) loss for a fixed ETF classifier.
///
/// Yang, Chen, Li, Xie, Lin, Tao. "Inducing Neural Collapse in Imbalanced Learning: Do We Really
/// Need a Learnable Classifier at the End of Deep Neural Network?", NeurIPS 2022 (official code:
/// NeuralCollapseApplications/ImbalancedLearning methods.py dot_loss with reg_dot_loss, produce_Ew).
/// Its input is the feature batch h (N x d) the ETF head classifies (normalised by the head), not
/// logits; M (d x K) is the fixed ETF (simplex_etf). Per batch, with U the number of distinct labels
/// and n_c the batch count of class c:
///   Ew_c = sqrt((N / U) / n_c) (1 for absent classes; all ones when given_ew is off),  W = M diag(Ew)
///   dot_i = h_i . W_{y_i},  H_i = max(||h_i||, 1e-8),  m_i = ||W_{y_i}||   (H and m are constants)
///   l_i = s_i (0.5 (dot_i - m_i H_i)^2 / H_i + reg_lambda ||h_i||),   L = sum_i l_i / N
///   dL/dh_i = s_i ((dot_i - m_i H_i) / H_i W_{y_i} + reg_lambda h_i / ||h_i||) / N
/// Ew depends on the batch's labels, so rows are coupled through the labels (not the values).
/// Paper vs code: the paper normalises by E_W E_H; the code divides by H_i and regresses onto
/// m_i H_i, which is followed here. Mixup (on in the official configs) is the caller's.
/// Defaults as the official code: given_ew = true, reg_lambda = 0 (0.01 in its ImageNet-LT config).
/// Each call allocates the batch's K class counts (the other losses allocate nothing).

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/loss_input.hpp"

namespace imbalance {

/// Options of DotRegressionLoss (see imbalance/losses/dot_regression.hpp for the formula, the paper and the defaults).
struct DotRegressionOptions {
  /// Scale the ETF's columns by the batch's Ew (the official GivenEw).
  bool given_ew = true;
  /// Weight of the feature-norm term.
  double reg_lambda = 0.0;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Dot-regression (DR) loss for a fixed ETF classifier. See imbalance/losses/dot_regression.hpp for the formula, the paper and the defaults.
class DotRegressionLoss {
 public:
  /// etf: d x K, the fixed classifier's class vectors as columns (finite).
  DotRegressionLoss(const Eigen::MatrixXd& etf, const DotRegressionOptions& options = {})
      : etf_(etf), options_(options) {
    const char* function = "DotRegressionLoss::DotRegressionLoss()";
    check_non_empty(function, "etf", etf.size());
    check_finite(function, "etf", etf);
    check_non_negative(function, "reg_lambda", options.reg_lambda);
    if (options.reduction == Reduction::None)
      detail::throw_invalid(function, ": reduction must be mean or sum (the loss's Ew couples the batch)");
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return etf_.cols(); }
  /// d, the feature dimension of the ETF.
  Eigen::Index num_features() const noexcept { return etf_.rows(); }
  /// The fixed ETF classifier M (d x K).
  const Eigen::MatrixXd& etf() const noexcept { return etf_; }

  /// Ew of a batch's labels (K).
  template <class DY>
  Eigen::VectorXd batch_scales(const Eigen::DenseBase<DY>& labels) const {
    check_labels("DotRegressionLoss::batch_scales()", "labels", labels, num_classes());
    Eigen::VectorXd scales = Eigen::VectorXd::Ones(num_classes());
    fill_scales(labels.derived(), scales);
    return scales;
  }

  /// The reduced loss of features h (N x d).
  template <class DH, class DY>
  typename DH::Scalar value(const Eigen::DenseBase<DH>& features, const Eigen::DenseBase<DY>& labels) const {
    using S = typename DH::Scalar;
    const char* function = "DotRegressionLoss::value()";
    validate(function, features, labels);
    return static_cast<S>(evaluate<S>(detail::as_matrix(features), labels.derived(), nullptr,
                                      static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr)));
  }
  /// The reduced loss and dL/dh written into grad (N x d).
  template <class DH, class DY, class DG>
  typename DH::Scalar value_and_gradient(const Eigen::DenseBase<DH>& features, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DH::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the features' scalar type");
    const char* function = "DotRegressionLoss::value_and_gradient()";
    validate(function, features, labels);
    DG& g = detail::prepare_output(function, "grad", grad, features.rows(), features.cols());
    return static_cast<S>(evaluate<S>(detail::as_matrix(features), labels.derived(), nullptr, &g));
  }
  /// The same with per-sample weights s_i (finite, >= 0; Mean keeps its normaliser N).
  template <class DH, class DY, class DG, class DW>
  typename DH::Scalar value_and_gradient(const Eigen::DenseBase<DH>& features, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DH::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the features' scalar type");
    const char* function = "DotRegressionLoss::value_and_gradient()";
    validate(function, features, labels);
    const detail::SampleWeights<S> s(function, sample_weights, features.rows());
    DG& g = detail::prepare_output(function, "grad", grad, features.rows(), features.cols());
    return static_cast<S>(evaluate<S>(detail::as_matrix(features), labels.derived(), s.data(), &g));
  }

 private:
  template <class DH, class DY>
  void validate(const char* function, const Eigen::DenseBase<DH>& features, const Eigen::DenseBase<DY>& labels) const {
    static_assert(std::is_same<typename DH::Scalar, double>::value || std::is_same<typename DH::Scalar, float>::value,
                  "imbalance: features must be float or double");
    check_non_empty(function, "features", features.rows());
    check_shape(function, "features", features.rows(), features.cols(), -1, num_features());
    check_same_length(function, "labels", labels.size(), "features", features.rows());
    check_labels(function, "labels", labels, num_classes());
    check_finite(function, "features", features);
  }

  template <class Y>
  void fill_scales(const Y& labels, Eigen::VectorXd& scales) const {
    if (!options_.given_ew) return;
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(num_classes());
    for (Eigen::Index i = 0; i < labels.size(); ++i) counts(static_cast<Eigen::Index>(labels.coeff(i))) += 1;
    const double distinct = static_cast<double>((counts.array() > 0).count());
    const double group = static_cast<double>(labels.size()) / distinct;
    for (Eigen::Index c = 0; c < num_classes(); ++c)
      if (counts(c) > 0) scales(c) = std::sqrt(group / counts(c));
  }

  template <class S, class H, class Y, class G>
  double evaluate(const H& h, const Y& labels, const S* sample_weights, G* grad) const {
    using Index = Eigen::Index;
    const Index n = h.rows(), d = h.cols();
    Eigen::VectorXd scales = Eigen::VectorXd::Ones(num_classes());
    fill_scales(labels, scales);
    const double norm = options_.reduction == Reduction::Mean ? 1.0 / static_cast<double>(n) : 1.0;
    double total = 0;
    for (Index i = 0; i < n; ++i) {
      const Index y = static_cast<Index>(labels.coeff(i));
      double dot = 0, squared = 0;
      for (Index f = 0; f < d; ++f) {
        const double v = static_cast<double>(h.coeff(i, f));
        dot += v * etf_(f, y);
        squared += v * v;
      }
      dot *= scales(y);
      const double length = std::sqrt(squared);
      const double big_h = std::max(length, 1e-8);
      const double target = scales(y) * etf_.col(y).norm() * big_h;
      const double s = sample_weights != nullptr ? static_cast<double>(sample_weights[i]) : 1.0;
      total += s * (0.5 * (dot - target) * (dot - target) / big_h + options_.reg_lambda * length);
      if (grad != nullptr) {
        const double along = norm * s * (dot - target) / big_h * scales(y);
        const double radial = length > 0 ? norm * s * options_.reg_lambda / length : 0.0;
        for (Index f = 0; f < d; ++f)
          grad->coeffRef(i, f) = static_cast<S>(along * etf_(f, y) + radial * static_cast<double>(h.coeff(i, f)));
      }
    }
    return total * norm;
  }

  Eigen::MatrixXd etf_;
  DotRegressionOptions options_;
};

}  // namespace imbalance
