#pragma once
/// @file
/// LDAM-HG: the hinge form of the label-distribution-aware margin loss.
///
/// Cao, Wei, Gaidon, Arechiga, Ma. "Learning Imbalanced Datasets with Label-Distribution-Aware
/// Margin Loss", NeurIPS 2019, eq. (10) (the official code kaidic/LDAM-DRW implements only the
/// cross-entropy form; its margins are reused here):
///   Delta_k = max_margin n_k^{-1/4} / max_j n_j^{-1/4}
///   l_i = s_i max(max_{j != y_i} z_ij - z_{i,y_i} + Delta_{y_i}, 0)
///   dl_i/dz_i = s_i (e_{j*} - e_{y_i}) when the hinge is active (> 0), else 0, j* the first
///   largest non-target logit (a subgradient at ties and at the kink)
/// Mean: sum / N; Sum: sum; None: the gradient of the sum (per_sample gives the l_i).
/// Defaults: max_margin = 0.5 (the official CE form's), no logit scale (the paper's hinge has none).

#include <cmath>
#include <limits>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/core/class_counts.hpp"
#include "imbalance/detail/label_loss.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance {

/// Options of LDAMHingeLoss (see imbalance/losses/ldam_hinge.hpp for the formula, the paper and the defaults).
struct LDAMHingeOptions {
  /// Margin of the rarest class.
  double max_margin = 0.5;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// LDAM-HG. See imbalance/losses/ldam_hinge.hpp for the formula, the paper and the defaults.
class LDAMHingeLoss : public detail::LabelLoss<LDAMHingeLoss> {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit LDAMHingeLoss(const Eigen::DenseBase<Derived>& class_counts, const LDAMHingeOptions& options = {})
      : LabelLoss("LDAMHingeLoss", class_counts.size()), reduction_(options.reduction) {
    const char* function = "LDAMHingeLoss::LDAMHingeLoss()";
    const Eigen::VectorXd n = class_counts_to_double(function, class_counts, true);
    if (n.size() < 2) detail::throw_invalid(function, ": a hinge needs >= 2 classes (got ", n.size(), ")");
    check_non_negative(function, "max_margin", options.max_margin);
    margins_ = n.array().pow(-0.25).matrix();
    margins_ *= options.max_margin / margins_.maxCoeff();
  }

  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return reduction_; }
  /// Delta_k.
  const Eigen::VectorXd& margins() const noexcept { return margins_; }

  /// The unreduced losses l_i (without sample weights).
  template <class DZ, class DY>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, 1> per_sample(const Eigen::DenseBase<DZ>& logits,
                                                                   const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    const char* function = "LDAMHingeLoss::per_sample()";
    detail::check_loss_input(function, logits, labels, num_classes_);
    Eigen::Matrix<S, Eigen::Dynamic, 1> out(logits.rows());
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      out(i) = row<S>(function, detail::as_matrix(logits), i, static_cast<Eigen::Index>(labels.derived().coeff(i))).loss;
    return out;
  }

 private:
  friend class detail::LabelLoss<LDAMHingeLoss>;
  template <class S>
  struct RowHinge {
    S loss;
    Eigen::Index rival;  // j*, or -1 when the hinge is inactive
  };
  template <class S, class Z>
  RowHinge<S> row(const char* function, const Z& z, Eigen::Index i, Eigen::Index y) const {
    S rival_value = -std::numeric_limits<S>::infinity();
    Eigen::Index rival = -1;
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
      const S v = static_cast<S>(z.coeff(i, j));
      if (!std::isfinite(v)) detail::throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", v, ")");
      if (j != y && v > rival_value) {
        rival_value = v;
        rival = j;
      }
    }
    const S margin = rival_value - static_cast<S>(z.coeff(i, y)) + static_cast<S>(margins_(y));
    if (margin > S(0)) return {margin, rival};
    return {S(0), -1};
  }

  template <class S, class Z, class Y, class G>
  double evaluate(const char* function, const Z& z, const Y& labels, const S* sample_weights, G* grad) const {
    using Index = Eigen::Index;
    const S norm = static_cast<S>(detail::mean_normalizer(reduction_, z.rows()));
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        const Index y = static_cast<Index>(labels.coeff(i));
        const RowHinge<S> h = row<S>(function, z, i, y);
        const S weight = sample_weights != nullptr ? sample_weights[i] : S(1);
        total += static_cast<double>(weight * h.loss);
        if (grad != nullptr) {
          grad->row(i).setZero();
          if (h.rival >= 0) {
            grad->coeffRef(i, h.rival) = norm * weight;
            grad->coeffRef(i, y) = -norm * weight;
          }
        }
      }
      return total;
    };
    return detail::parallel_sum(z.rows(), detail::rows_per_chunk(z.cols(), Index{1} << 15, 1), rows) *
           static_cast<double>(norm);
  }

  Reduction reduction_;
  Eigen::VectorXd margins_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LDAMHingeLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LDAMHingeLoss, float>)

}  // namespace imbalance
