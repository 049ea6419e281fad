#pragma once
/// @file
/// Influence-balanced (IB) loss.
///
/// Park, Lim, Jeon, Choi, Kim. "Influence-Balanced Loss for Imbalanced Visual Classification",
/// ICCV 2021 (official code: pseulki/IB-Loss losses.py IBLoss, cifar_train.py). Besides the logits
/// the loss takes a_i = ||h_i||_1, the L1 norm of the sample's features (the input of the
/// classifier layer), which the official model returns next to the logits:
///   q_i = softmax(z_i)_{y_i},   g_i = sum_j |softmax(z_i)_j - Y_ij| = 2 (1 - q_i)
///   D_i = g_i a_i + eps,        l_i = s_i alpha w_{y_i} CE_i / D_i
///   L = sum_i l_i / N (the code's plain mean; Sum: no division)
/// The IB factor is differentiated as in the official code (it is not detached):
///   dL/dz_i = norm s_i alpha w_{y_i} / D_i (1 - 2 a_i q_i CE_i / D_i) (softmax(z_i) - e_{y_i})
///   dL/da_i = -norm s_i alpha w_{y_i} CE_i g_i / D_i^2
/// 1 - q_i is summed from the other classes' probabilities (no cancellation when q_i -> 1).
/// Defaults: alpha = 1000 (the official CIFAR script; the class default is 10000), eps = 0.001, no
/// class weights (the script uses IB-reweighting: w = (1/n) normalised to sum K). The official
/// recipe trains with plain CE first (start_ib_epoch); that schedule is the caller's.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/loss_input.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance {

/// Options of InfluenceBalancedLoss (see imbalance/losses/influence_balanced.hpp for the formula, the paper and the defaults).
struct InfluenceBalancedOptions {
  /// alpha, the loss's multiplier.
  double alpha = 1000.0;
  /// epsilon added to the influence g_i a_i.
  double epsilon = 1e-3;
  /// w_k; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Influence-balanced (IB) loss. See imbalance/losses/influence_balanced.hpp for the formula, the paper and the defaults.
class InfluenceBalancedLoss {
 public:
  /// Built for num_classes classes.
  explicit InfluenceBalancedLoss(Eigen::Index num_classes, const InfluenceBalancedOptions& options = {})
      : num_classes_(num_classes), options_(options) {
    const char* function = "InfluenceBalancedLoss::InfluenceBalancedLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    check_positive(function, "alpha", options.alpha);
    check_positive(function, "epsilon", options.epsilon);
    options_.class_weights = detail::checked_class_weights(function, options.class_weights, num_classes);
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return num_classes_; }
  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return options_.reduction; }

  /// The reduced loss; features_l1: a_i >= 0 (N).
  template <class DZ, class DY, class DA>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                            const Eigen::DenseBase<DA>& features_l1) const {
    using S = typename DZ::Scalar;
    using M = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    using V = Eigen::Matrix<S, Eigen::Dynamic, 1>;
    const char* function = "InfluenceBalancedLoss::value()";
    validate(function, logits, labels);
    const detail::SampleWeights<S> a(function, features_l1, logits.rows(), "features_l1");
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), labels.derived(), a, nullptr,
                                      static_cast<M*>(nullptr), static_cast<V*>(nullptr)));
  }

  /// The reduced loss and dL/dz (the features' gradient is not needed when a_i are constants).
  template <class DZ, class DY, class DA, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DA>& features_l1,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    const char* function = "InfluenceBalancedLoss::value_and_gradient()";
    validate(function, logits, labels);
    const detail::SampleWeights<S> a(function, features_l1, logits.rows(), "features_l1");
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), labels.derived(), a, nullptr, &g,
                                      static_cast<Eigen::Matrix<S, Eigen::Dynamic, 1>*>(nullptr)));
  }

  /// The reduced loss, dL/dz into grad (N x K) and dL/da into grad_features_l1 (N), with optional
  /// per-sample weights s_i (pass an empty vector for none).
  template <class DZ, class DY, class DA, class DG, class DGA, class DW>
  typename DZ::Scalar value_and_gradients(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                          const Eigen::DenseBase<DA>& features_l1, const Eigen::DenseBase<DG>& grad,
                                          const Eigen::DenseBase<DGA>& grad_features_l1,
                                          const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    static_assert(std::is_same<S, typename DGA::Scalar>::value,
                  "imbalance: grad_features_l1 must have the logits' scalar type");
    const char* function = "InfluenceBalancedLoss::value_and_gradients()";
    validate(function, logits, labels);
    const detail::SampleWeights<S> a(function, features_l1, logits.rows(), "features_l1");
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    DGA& ga = detail::prepare_output(function, "grad_features_l1", grad_features_l1, logits.rows(), 1);
    if (sample_weights.size() == 0)
      return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), labels.derived(), a, nullptr, &g, &ga));
    const detail::SampleWeights<S> s(function, sample_weights, logits.rows());
    return static_cast<S>(evaluate<S>(function, detail::as_matrix(logits), labels.derived(), a, s.data(), &g, &ga));
  }

 private:
  template <class DZ, class DY>
  void validate(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    detail::check_loss_input(function, logits, labels, num_classes_);
  }

  template <class S, class Z, class Y, class G, class GA>
  double evaluate(const char* function, const Z& z, const Y& labels, const detail::SampleWeights<S>& a,
                  const S* sample_weights, G* grad, GA* grad_a) const {
    using Index = Eigen::Index;
    const Index k = z.cols();
    const S norm = static_cast<S>(options_.reduction == Reduction::Mean ? 1.0 / static_cast<double>(z.rows()) : 1.0);
    const S alpha = static_cast<S>(options_.alpha), eps = static_cast<S>(options_.epsilon);
    const bool weighted = options_.class_weights.size() != 0;
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        const Index y = static_cast<Index>(labels.coeff(i));
        S shift = -std::numeric_limits<S>::infinity();
        for (Index j = 0; j < k; ++j) {
          const S v = static_cast<S>(z.coeff(i, j));
          if (!std::isfinite(v)) detail::throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", v, ")");
          shift = std::max(shift, v);
        }
        S sum = 0, others = 0;
        for (Index j = 0; j < k; ++j) {
          const S e = std::exp(static_cast<S>(z.coeff(i, j)) - shift);
          sum += e;
          if (j != y) others += e;
        }
        const S ce = std::max(S(0), shift + std::log(sum) - static_cast<S>(z.coeff(i, y)));
        const S one_minus_q = others / sum;
        const S q = S(1) - one_minus_q;
        const S g = S(2) * one_minus_q;
        const S d = g * a[i] + eps;
        const S w = (weighted ? static_cast<S>(options_.class_weights(y)) : S(1)) *
                    (sample_weights != nullptr ? sample_weights[i] : S(1));
        const S loss = alpha * w * ce / d;
        total += static_cast<double>(loss);
        if (grad != nullptr) {
          const S factor = norm * alpha * w / d * (S(1) - S(2) * a[i] * q * ce / d);
          for (Index j = 0; j < k; ++j) grad->coeffRef(i, j) = factor * std::exp(static_cast<S>(z.coeff(i, j)) - shift) / sum;
          grad->coeffRef(i, y) = -factor * one_minus_q;
        }
        if (grad_a != nullptr) grad_a->coeffRef(i) = -norm * loss * g / d;
      }
      return total;
    };
    return detail::parallel_sum(z.rows(), detail::rows_per_chunk(k, Index{1} << 14, 1), rows) *
           static_cast<double>(norm);
  }

  Eigen::Index num_classes_;
  InfluenceBalancedOptions options_;
};

/// The IB loss for a trainer: reads a_i = ||h_i||_1 from the head's input features h and returns
/// dL/dh = dL/da_i sign(h_i) with the logits' gradient (the official model back-propagates into
/// the features through a). Use it through AnyLoss's feature call; without features it refuses.
class InfluenceBalancedTrainingLoss {
 public:
  /// Built for num_classes classes.
  explicit InfluenceBalancedTrainingLoss(Eigen::Index num_classes, const InfluenceBalancedOptions& options = {})
      : loss_(num_classes, options) {}

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return loss_.num_classes(); }
  /// The loss it wraps.
  const InfluenceBalancedLoss& loss() const noexcept { return loss_; }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>&, const Eigen::DenseBase<DY>&,
                                         const Eigen::DenseBase<DG>&) const {
    detail::throw_invalid("InfluenceBalancedTrainingLoss::value_and_gradient(): the IB loss needs the features the ",
                          "head classifies (call it with features and grad_features)");
  }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DH, class DG, class DGH>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DH>& features, const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DGH>& grad_features) const {
    using S = typename DZ::Scalar;
    const char* function = "InfluenceBalancedTrainingLoss::value_and_gradient()";
    check_same_length(function, "features", features.rows(), "logits", logits.rows());
    DGH& gh = detail::prepare_output(function, "grad_features", grad_features, features.rows(), features.cols());
    const Eigen::Matrix<S, Eigen::Dynamic, 1> a = features.derived().array().abs().rowwise().sum().matrix();
    Eigen::Matrix<S, Eigen::Dynamic, 1> grad_a(a.size());
    const S value = loss_.value_and_gradients(logits, labels, a, grad, grad_a, Eigen::Matrix<S, Eigen::Dynamic, 1>());
    gh = grad_a.asDiagonal() * features.derived().array().sign().matrix();
    return value;
  }

 private:
  InfluenceBalancedLoss loss_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<InfluenceBalancedTrainingLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<InfluenceBalancedTrainingLoss, float>)

}  // namespace imbalance
