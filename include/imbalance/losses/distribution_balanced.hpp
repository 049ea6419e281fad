#pragma once
/// @file
/// Distribution-balanced (DB) loss for multi-label classification.
///
/// Wu, Huang, Huang, Lin, Wang. "Distribution-Balanced Loss for Multi-Label Classification in
/// Long-Tailed Datasets", ECCV 2020 (official code: wutong16/DistributionBalancedLoss
/// mllt/models/losses/resample_loss.py ResampleLoss with reweight_func='rebalance'). n_k is the number
/// of training samples containing class k, n_total the number of training samples, T the multi-hot
/// targets (N x K). Per element (i, k):
///   re-balanced weighting:  r_ik = (1/n_k) / sum_l T_il / n_l,
///                           w_ik = sigmoid(map_beta (r_ik - map_gamma)) + map_alpha
///   negative-tolerant regularisation (NTR):  b_k = -log(n_total / n_k - 1) init_bias / lambda,
///                           z'_ik = (z_ik + b_k) lambda, w'_ik = w_ik / lambda  for T_ik = 0,
///                           z'_ik = z_ik + b_k,          w'_ik = w_ik           for T_ik = 1
///   l_ik = s_i loss_weight balance_param w'_ik (1 - p_t)^gamma BCE(z'_ik, T_ik)   (focal on;
///          p_t = exp(-BCE) is differentiated as in the code)
///   l_ik = s_i loss_weight w'_ik BCE(z'_ik, T_ik)                                 (focal off)
///   L = sum_ik l_ik / (N K)  (the official mean over all elements; Sum: no division)
///   dL/dz_ik = norm s_i loss_weight [balance_param] w'_ik c_ik dfocal(z'_ik)/dz', c = lambda or 1
/// A row needs a positive label (r divides by it). value/value_and_gradient take single labels (a
/// one-hot row), the *_multi_label calls multi-hot targets.
/// Defaults: the official COCO-MLT configuration (configs/coco/LT_resnet50_pfc_DB.py): focal on,
/// gamma = 2, balance_param = 2, lambda (neg_scale) = 2, init_bias = 0.05, map_alpha = 0.1,
/// map_beta = 10, map_gamma = 0.2, loss_weight = 1. (The class's own defaults differ: neg_scale 5,
/// init_bias 0.1, map 10 / 0.2 / 0.1; its VOC config uses neg_scale 5, map_gamma 0.3.)

#include <cmath>
#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/core/class_counts.hpp"
#include "imbalance/detail/loss_input.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/detail/sigmoid_kernel.hpp"

namespace imbalance {

/// Options of DistributionBalancedLoss (see imbalance/losses/distribution_balanced.hpp for the formula, the paper and the defaults).
struct DistributionBalancedOptions {
  /// Focal modulation (1 - p_t)^gamma on (the official configurations' choice).
  bool focal = true;
  /// Focusing parameter gamma.
  double gamma = 2.0;
  /// Multiplier of the focal term (balance_param).
  double balance_param = 2.0;
  /// lambda, the NTR scale of the negatives' logits (the official neg_scale), > 0.
  double neg_scale = 2.0;
  /// The NTR bias factor (the official neg_bias / init_bias), >= 0.
  double init_bias = 0.05;
  /// map_alpha: offset of the re-balanced weight.
  double map_alpha = 0.1;
  /// map_beta: slope of the re-balanced weight's sigmoid.
  double map_beta = 10.0;
  /// map_gamma: centre of the re-balanced weight's sigmoid.
  double map_gamma = 0.2;
  /// Overall multiplier of the loss.
  double loss_weight = 1.0;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Distribution-balanced (DB) loss for multi-label classification. See imbalance/losses/distribution_balanced.hpp for the formula, the paper and the defaults.
class DistributionBalancedLoss {
 public:
  /// class_counts: n_k > 0, training samples containing class k; num_samples: n_total > every n_k.
  template <class Derived>
  DistributionBalancedLoss(const Eigen::DenseBase<Derived>& class_counts, double num_samples,
                           const DistributionBalancedOptions& options = {})
      : options_(options) {
    const char* function = "DistributionBalancedLoss::DistributionBalancedLoss()";
    const Eigen::VectorXd n = class_counts_to_double(function, class_counts, true);
    check_finite_scalar(function, "num_samples", num_samples);
    for (Eigen::Index k = 0; k < n.size(); ++k)
      if (!(num_samples > n(k)))
        detail::throw_invalid(function, ": num_samples must exceed every class count (the NTR bias is -log(",
                              "num_samples / n_k - 1)); got num_samples ", num_samples, " and class_counts[", k,
                              "] = ", n(k));
    check_non_negative(function, "gamma", options.gamma);
    check_non_negative(function, "balance_param", options.balance_param);
    check_positive(function, "neg_scale", options.neg_scale);
    check_non_negative(function, "init_bias", options.init_bias);
    check_finite_scalar(function, "map_alpha", options.map_alpha);
    check_finite_scalar(function, "map_beta", options.map_beta);
    check_finite_scalar(function, "map_gamma", options.map_gamma);
    check_non_negative(function, "loss_weight", options.loss_weight);
    if (options.reduction == Reduction::None)
      detail::throw_invalid(function, ": reduction must be mean or sum");
    inverse_counts_ = n.cwiseInverse();
    bias_ = -((num_samples * inverse_counts_).array() - 1.0).log().matrix() * (options.init_bias / options.neg_scale);
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return inverse_counts_.size(); }
  /// b_k, the NTR bias.
  const Eigen::VectorXd& bias() const noexcept { return bias_; }

  /// Single-label: the reduced loss with T the one-hot rows of the labels.
  template <class DZ, class DY>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    const char* function = "DistributionBalancedLoss::value()";
    detail::check_loss_input(function, logits, labels, num_classes());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), OneHot<DY>{labels.derived()}, nullptr,
                                      no_gradient<S>()));
  }
  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    const char* function = "DistributionBalancedLoss::value_and_gradient()";
    detail::check_loss_input(function, logits, labels, num_classes());
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), OneHot<DY>{labels.derived()}, nullptr, &g));
  }
  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    const char* function = "DistributionBalancedLoss::value_and_gradient()";
    detail::check_loss_input(function, logits, labels, num_classes());
    const detail::SampleWeights<S> s(function, sample_weights, logits.rows());
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(
        evaluate<S>(function, detail::as_matrix(logits), OneHot<DY>{labels.derived()}, s.data(), &g));
  }

  /// Multi-label: the reduced loss on multi-hot targets (N x K, entries 0 or 1, >= 1 positive a row).
  template <class DZ, class DT>
  typename DZ::Scalar value_multi_label(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets) const {
    using S = typename DZ::Scalar;
    const char* function = "DistributionBalancedLoss::value_multi_label()";
    detail::check_multi_hot(function, logits, targets, num_classes());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), targets.derived(), nullptr, no_gradient<S>()));
  }
  /// The reduced loss of logits (N x K) against multi-hot targets (N x K); dL/dlogits into grad (N x K, caller-owned).
  template <class DZ, class DT, class DG>
  typename DZ::Scalar value_and_gradient_multi_label(const Eigen::DenseBase<DZ>& logits,
                                                     const Eigen::DenseBase<DT>& targets,
                                                     const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    const char* function = "DistributionBalancedLoss::value_and_gradient_multi_label()";
    detail::check_multi_hot(function, logits, targets, num_classes());
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), targets.derived(), nullptr, &g));
  }
  /// The reduced loss of logits (N x K) against multi-hot targets (N x K); dL/dlogits into grad (N x K, caller-owned).
  template <class DZ, class DT, class DG, class DW>
  typename DZ::Scalar value_and_gradient_multi_label(const Eigen::DenseBase<DZ>& logits,
                                                     const Eigen::DenseBase<DT>& targets,
                                                     const Eigen::DenseBase<DG>& grad,
                                                     const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    const char* function = "DistributionBalancedLoss::value_and_gradient_multi_label()";
    detail::check_multi_hot(function, logits, targets, num_classes());
    const detail::SampleWeights<S> s(function, sample_weights, logits.rows());
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), targets.derived(), s.data(), &g));
  }

 private:
  // The one-hot rows of labels, read like a multi-hot matrix.
  template <class DY>
  struct OneHot {
    const DY& labels;
    bool coeff(Eigen::Index i, Eigen::Index j) const { return static_cast<Eigen::Index>(labels.coeff(i)) == j; }
  };

  template <class S>
  static Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>* no_gradient() noexcept {
    return nullptr;
  }

  template <class S, class Z, class T, class G>
  double evaluate(const char* function, const Z& z, const T& targets, const S* sample_weights, G* grad) const {
    using Index = Eigen::Index;
    const Index n = z.rows(), k = z.cols();
    const DistributionBalancedOptions& o = options_;
    const double norm = o.reduction == Reduction::Mean ? 1.0 / (static_cast<double>(n) * static_cast<double>(k)) : 1.0;
    const double scale = o.loss_weight * (o.focal ? o.balance_param : 1.0);
    const S gamma = static_cast<S>(o.focal ? o.gamma : 0.0);
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        double repeat = 0;
        for (Index j = 0; j < k; ++j)
          if (targets.coeff(i, j) != 0) repeat += inverse_counts_(j);
        if (!(repeat > 0))
          detail::throw_invalid(function, ": targets row ", i, " has no positive label (the re-balanced weight ",
                                "divides by the row's label frequencies)");
        const double s = sample_weights != nullptr ? static_cast<double>(sample_weights[i]) : 1.0;
        double row_total = 0;
        for (Index j = 0; j < k; ++j) {
          const double raw = static_cast<double>(z.coeff(i, j));
          if (!std::isfinite(raw)) detail::throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", raw, ")");
          const bool positive = targets.coeff(i, j) != 0;
          const double r = inverse_counts_(j) / repeat;
          double w = 1.0 / (1.0 + std::exp(-o.map_beta * (r - o.map_gamma))) + o.map_alpha;
          const double c = positive ? 1.0 : o.neg_scale;
          if (!positive) w /= o.neg_scale;
          const S shifted = static_cast<S>((raw + bias_(j)) * c);
          const detail::ElementLoss<S> e = detail::focal_binary_cross_entropy(shifted, positive, gamma);
          const double factor = s * scale * w;
          row_total += factor * static_cast<double>(e.loss);
          if (grad != nullptr) grad->coeffRef(i, j) = static_cast<S>(norm * factor * c * static_cast<double>(e.derivative));
        }
        total += row_total;
      }
      return total;
    };
    return detail::parallel_sum(n, detail::rows_per_chunk(k, Index{1} << 14, 1), rows) * norm;
  }

  DistributionBalancedOptions options_;
  Eigen::VectorXd inverse_counts_, bias_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<DistributionBalancedLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<DistributionBalancedLoss, float>)

}  // namespace imbalance
