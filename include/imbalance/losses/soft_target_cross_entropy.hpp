#pragma once
/// @file
/// Cross-entropy against soft targets: the loss of the weak-supervision methods whose targets are
/// distributions over the classes (PRODEN's and RECORDS' label confidences over a candidate set, soft
/// pseudo-labels). For targets T (N x K, entries >= 0; a row need not sum to 1) and per-sample weights s:
///   l_i = -sum_j T_ij log softmax(z_i)_j = (sum_j T_ij) lse(z_i) - T_i . z_i
///   L = (1/N) sum_i s_i l_i   (Mean: PyTorch's mean over the batch, masked rows included), or the sum
///   dL/dz_ij = s_i / N ((sum_k T_ik) softmax(z_i)_j - T_ij)
/// A one-hot T is the ordinary cross-entropy. The softmax-family kernel is label-based (one target
/// column per row); a soft target needs the whole row of T, hence this loop of its own, stable the
/// same way (every exponent <= 0). Defaults: Reduction::Mean.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/loss_input.hpp"

namespace imbalance {

/// Cross-entropy against soft targets. See imbalance/losses/soft_target_cross_entropy.hpp for the formula, the paper and the defaults.
class SoftTargetCrossEntropy {
 public:
  /// Built for num_classes classes.
  explicit SoftTargetCrossEntropy(Eigen::Index num_classes, Reduction reduction = Reduction::Mean)
      : num_classes_(num_classes), reduction_(reduction) {
    if (num_classes < 1)
      detail::throw_invalid("SoftTargetCrossEntropy::SoftTargetCrossEntropy(): num_classes must be >= 1 (got ",
                            num_classes, ")");
    if (reduction == Reduction::None)
      detail::throw_invalid("SoftTargetCrossEntropy::SoftTargetCrossEntropy(): reduction must be Mean or Sum");
  }
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return num_classes_; }

  /// The reduced loss of logits (N x K) and labels (N).
  template <class DZ, class DT>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets) const {
    using S = typename DZ::Scalar;
    return run<S>("SoftTargetCrossEntropy::value()", logits, targets, static_cast<const S*>(nullptr),
                  static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr));
  }
  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DT, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    const char* function = "SoftTargetCrossEntropy::value_and_gradient()";
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return run<S>(function, logits, targets, static_cast<const S*>(nullptr), &g);
  }
  /// With per-sample weights s (N, finite, >= 0).
  template <class DZ, class DT, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    const char* function = "SoftTargetCrossEntropy::value_and_gradient()";
    const detail::SampleWeights<S> s(function, sample_weights, logits.rows());
    DG& g = detail::prepare_output(function, "grad", grad, logits.rows(), logits.cols());
    return run<S>(function, logits, targets, s.data(), &g);
  }

 private:
  template <class S, class DZ, class DT, class G>
  S run(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets,
        const S* weights, G* grad) const {
    static_assert(std::is_floating_point<S>::value, "imbalance: logits must be float or double");
    const Eigen::Index n = logits.rows(), k = logits.cols();
    check_non_empty(function, "logits", n);
    check_shape(function, "logits", n, k, -1, num_classes_);
    check_shape(function, "targets", targets.rows(), targets.cols(), n, num_classes_);
    const auto& z = logits.derived();
    const auto& t = targets.derived();
    const S scale = reduction_ == Reduction::Mean ? S(1) / static_cast<S>(n) : S(1);
    S total = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      S peak = -std::numeric_limits<S>::infinity(), mass = 0, dot = 0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const S v = static_cast<S>(z.coeff(i, j)), target = static_cast<S>(t.coeff(i, j));
        if (!std::isfinite(v)) detail::throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", v, ")");
        if (!(target >= 0) || !std::isfinite(target))
          detail::throw_invalid(function, ": targets(", i, ", ", j, ") must be finite and >= 0 (got ", target, ")");
        peak = std::max(peak, v);
        mass += target;
        dot += target * v;
      }
      S sum = 0;
      for (Eigen::Index j = 0; j < k; ++j) sum += std::exp(static_cast<S>(z.coeff(i, j)) - peak);
      const S lse = peak + std::log(sum);
      const S weight = weights ? weights[i] : S(1);
      total += weight * (mass * lse - dot);
      if (grad) {
        const S factor = weight * scale;
        for (Eigen::Index j = 0; j < k; ++j)
          grad->coeffRef(i, j) = factor * (mass * std::exp(static_cast<S>(z.coeff(i, j)) - lse) -
                                           static_cast<S>(t.coeff(i, j)));
      }
    }
    return total * scale;
  }

  Eigen::Index num_classes_;
  Reduction reduction_;
};

}  // namespace imbalance
