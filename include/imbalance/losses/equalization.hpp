#pragma once
/// @file
/// Equalization loss (EQL v1), the sigmoid form of the official code.
///
/// Tan, Wang, Li, Li, Ouyang, Yin, Yan. "Equalization Loss for Long-Tailed Object Recognition",
/// CVPR 2020 (official code: tztztztztz/eql.detectron2 projects/EQL/eql/fast_rcnn.py, the same in
/// tztztztztz/eqlv2 mmdet/models/losses/eql.py). With f_j the frequency of class j:
///   T_j = [f_j < lambda] (strict),   W_ij = 1 - T_j (1 - Y_ij)
///   L = sum_{i,j} s_i W_ij BCE(z_ij, Y_ij) / N
///   dL/dz_ij = s_i W_ij (sigma(z_ij) - Y_ij) / N
/// so a rare class gets no suppressing (negative) gradient from other classes' samples. Every sample
/// is foreground (E_i = 1: classification has no background class). The code divides by N whatever
/// its reduction says; here Sum does not divide and None gives row sums (per_sample).
/// Defaults: lambda = 0.00177 (the official LVIS value; choose it for the frequencies at hand),
/// f = class_counts / sum (the official code reads LVIS image frequencies instead; pass
/// class_frequency to use your own).

#include <cmath>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/core/class_counts.hpp"
#include "imbalance/detail/label_loss.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/detail/sigmoid_kernel.hpp"

namespace imbalance {

/// Options of EqualizationLoss (see imbalance/losses/equalization.hpp for the formula, the paper and the defaults).
struct EqualizationOptions {
  /// Frequency threshold lambda: classes with f_j < lambda are tail classes.
  double lambda = 0.00177;
  /// f_j; empty means class_counts / sum(class_counts).
  Eigen::VectorXd class_frequency;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// Equalization loss (EQL v1), the sigmoid form of the official code. See imbalance/losses/equalization.hpp for the formula, the paper and the defaults.
class EqualizationLoss : public detail::LabelLoss<EqualizationLoss> {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit EqualizationLoss(const Eigen::DenseBase<Derived>& class_counts, const EqualizationOptions& options = {})
      : LabelLoss("EqualizationLoss", class_counts.size()), reduction_(options.reduction) {
    const char* function = "EqualizationLoss::EqualizationLoss()";
    check_finite_scalar(function, "lambda", options.lambda);
    Eigen::VectorXd f;
    if (options.class_frequency.size() != 0) {
      class_counts_to_double(function, class_counts, false);
      if (options.class_frequency.size() != class_counts.size())
        detail::throw_invalid(function, ": class_frequency has length ", options.class_frequency.size(),
                              " but there are ", class_counts.size(), " classes");
      f = class_counts_to_double(function, options.class_frequency, false);
    } else {
      f = priors(class_counts);
    }
    tail_.resize(f.size());
    for (Eigen::Index j = 0; j < f.size(); ++j) tail_(j) = f(j) < options.lambda ? 1 : 0;
  }

  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return reduction_; }
  /// T_j: 1 for the classes below the frequency threshold.
  const Eigen::VectorXi& tail_classes() const noexcept { return tail_; }

  /// The unreduced losses l_i = sum_j W_ij BCE(z_ij, Y_ij).
  template <class DZ, class DY>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, 1> per_sample(const Eigen::DenseBase<DZ>& logits,
                                                                   const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    const char* function = "EqualizationLoss::per_sample()";
    detail::check_loss_input(function, logits, labels, num_classes_);
    Eigen::Matrix<S, Eigen::Dynamic, 1> out(logits.rows());
    const auto& z = detail::as_matrix(logits);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const Eigen::Index y = static_cast<Eigen::Index>(labels.derived().coeff(i));
      S sum = 0;
      for (Eigen::Index j = 0; j < z.cols(); ++j) sum += element<S>(function, z, i, j, y).loss;
      out(i) = sum;
    }
    return out;
  }

 private:
  friend class detail::LabelLoss<EqualizationLoss>;
  // W_ij BCE(z_ij, Y_ij) and its derivative.
  template <class S, class Z>
  detail::ElementLoss<S> element(const char* function, const Z& z, Eigen::Index i, Eigen::Index j,
                                 Eigen::Index y) const {
    const S x = static_cast<S>(z.coeff(i, j));
    if (!std::isfinite(x)) detail::throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", x, ")");
    if (j != y && tail_(j) != 0) return {S(0), S(0)};
    return detail::focal_binary_cross_entropy(x, j == y, S(0));
  }

  template <class S, class Z, class Y, class G>
  double evaluate(const char* function, const Z& z, const Y& labels, const S* sample_weights, G* grad) const {
    using Index = Eigen::Index;
    const S norm = static_cast<S>(detail::mean_normalizer(reduction_, z.rows()));
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        const Index y = static_cast<Index>(labels.coeff(i));
        const S weight = sample_weights != nullptr ? sample_weights[i] : S(1);
        S row_sum = 0;
        for (Index j = 0; j < z.cols(); ++j) {
          const detail::ElementLoss<S> e = element<S>(function, z, i, j, y);
          row_sum += e.loss;
          if (grad != nullptr) grad->coeffRef(i, j) = norm * weight * e.derivative;
        }
        total += static_cast<double>(weight * row_sum);
      }
      return total;
    };
    return detail::parallel_sum(z.rows(), detail::rows_per_chunk(z.cols(), Index{1} << 15, 1), rows) *
           static_cast<double>(norm);
  }

  Reduction reduction_;
  Eigen::VectorXi tail_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<EqualizationLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<EqualizationLoss, float>)

}  // namespace imbalance
