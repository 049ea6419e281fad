#pragma once
/// @file
/// The parametric cross-entropy of which LA, VS, CDT and LDAM are special cases.
///
/// Kini, Paraskevas, Oymak, Thrampoulidis. "Label-Imbalanced and Group-Sensitive Classification
/// under Overparameterization", NeurIPS 2021, eq. (4):
///   z'_ij = Delta_j z_ij + iota_j - m_{y_i} [j == y_i]
///   l_i   = alpha_{y_i} (lse(z'_i) - z'_{i,y_i})
///   Mean: sum_i l_i / sum_i alpha_{y_i} (Normalizer::WeightSum, PyTorch's weighted mean) or / N
///   dL/dz_ij = norm alpha_{y_i} Delta_j (softmax(z'_i)_j - [j == y_i])
/// Delta (multiplicative, > 0), iota (additive, every logit) and alpha (class weights, > 0) are the
/// paper's; m (a margin on the target logit only) extends it to LDAM, whose target-only offset is
/// not a per-class iota. Special cases (the named constructors below build them from class counts):
///   LA:   Delta = 1, iota = tau log pi                 (Menon et al. 2021)
///   CDT:  Delta_j = (n_j / n_max)^gamma, iota = 0       (Ye et al. 2020)
///   VS:   Delta_j = (n_j / n_max)^gamma, iota = tau log pi
///   LDAM: Delta = s, m_j = s C n_j^{-1/4}               (Cao et al. 2019)
/// Defaults: every vector empty, meaning Delta = 1, iota = 0, m = 0, alpha = 1 (plain CE).

#include <cmath>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// Options of ParametricCrossEntropyLoss (see imbalance/losses/parametric_cross_entropy.hpp for the formula, the paper and the defaults).
struct ParametricCrossEntropyOptions {
  /// Delta_j, multiplicative, finite and > 0; empty means all ones.
  Eigen::VectorXd multiplicative;
  /// iota_j, additive on every logit, finite; empty means zero.
  Eigen::VectorXd additive;
  /// m_j, subtracted from the target logit of a sample of class j (after Delta), finite; empty: zero.
  Eigen::VectorXd target_margin;
  /// alpha_j, class weights, finite and > 0; empty means all ones.
  Eigen::VectorXd class_weights;
  /// Divisor of Reduction::Mean: the sum of the batch's class weights (PyTorch's weighted mean, the default) or the batch size.
  Normalizer normalizer = Normalizer::WeightSum;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// The parametric cross-entropy of which LA, VS, CDT and LDAM are special cases. See imbalance/losses/parametric_cross_entropy.hpp for the formula, the paper and the defaults.
class ParametricCrossEntropyLoss : public SoftmaxLoss {
 public:
  /// Built for num_classes classes from the four parameter vectors.
  ParametricCrossEntropyLoss(Eigen::Index num_classes, const ParametricCrossEntropyOptions& options)
      : SoftmaxLoss("ParametricCrossEntropyLoss", num_classes, options.reduction) {
    const char* function = "ParametricCrossEntropyLoss::ParametricCrossEntropyLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    if (options.multiplicative.size() != 0) {
      check_vector(function, "multiplicative", options.multiplicative, num_classes, true);
      scale_ = detail::ClassVector(options.multiplicative);
    }
    if (options.additive.size() != 0) {
      check_vector(function, "additive", options.additive, num_classes, false);
      bias_ = detail::ClassVector(options.additive);
    }
    if (options.target_margin.size() != 0) {
      check_vector(function, "target_margin", options.target_margin, num_classes, false);
      target_offset_ = detail::ClassVector(options.target_margin);
    }
    weights_ = detail::ClassVector(detail::checked_class_weights(function, options.class_weights, num_classes));
    normalizer_ = options.normalizer;
  }

  /// LA: iota = tau log pi (Menon et al. 2021; without the official code's 1e-12, which
  /// LogitAdjustedLoss keeps).
  template <class Derived>
  static ParametricCrossEntropyLoss logit_adjusted(const Eigen::DenseBase<Derived>& class_counts, double tau = 1.0) {
    const Eigen::VectorXd n = class_counts_to_double("ParametricCrossEntropyLoss::logit_adjusted()", class_counts, true);
    ParametricCrossEntropyOptions o;
    o.additive = tau * log_priors(n);
    return ParametricCrossEntropyLoss(n.size(), o);
  }
  /// CDT: Delta_j = (n_j / n_max)^gamma.
  template <class Derived>
  static ParametricCrossEntropyLoss cdt(const Eigen::DenseBase<Derived>& class_counts, double gamma = 0.3) {
    const Eigen::VectorXd n = class_counts_to_double("ParametricCrossEntropyLoss::cdt()", class_counts, true);
    ParametricCrossEntropyOptions o;
    o.multiplicative = (n / n.maxCoeff()).array().pow(gamma).matrix();
    return ParametricCrossEntropyLoss(n.size(), o);
  }
  /// VS: Delta_j = (n_j / n_max)^gamma and iota = tau log pi.
  template <class Derived>
  static ParametricCrossEntropyLoss vs(const Eigen::DenseBase<Derived>& class_counts, double gamma = 0.3,
                                       double tau = 1.0) {
    const Eigen::VectorXd n = class_counts_to_double("ParametricCrossEntropyLoss::vs()", class_counts, true);
    ParametricCrossEntropyOptions o;
    o.multiplicative = (n / n.maxCoeff()).array().pow(gamma).matrix();
    o.additive = tau * log_priors(n);
    return ParametricCrossEntropyLoss(n.size(), o);
  }
  /// LDAM: Delta = s, m_j = s max_margin n_j^{-1/4} / max_k n_k^{-1/4}.
  template <class Derived>
  static ParametricCrossEntropyLoss ldam(const Eigen::DenseBase<Derived>& class_counts, double max_margin = 0.5,
                                         double scale = 30.0) {
    const Eigen::VectorXd n = class_counts_to_double("ParametricCrossEntropyLoss::ldam()", class_counts, true);
    Eigen::VectorXd m = n.array().pow(-0.25).matrix();
    m *= max_margin / m.maxCoeff();
    ParametricCrossEntropyOptions o;
    o.multiplicative = Eigen::VectorXd::Constant(n.size(), scale);
    o.target_margin = scale * m;
    return ParametricCrossEntropyLoss(n.size(), o);
  }

  /// Delta_j (all ones when not given).
  Eigen::VectorXd multiplicative() const {
    return scale_.empty() ? Eigen::VectorXd::Ones(num_classes()) : scale_.to_vector();
  }
  /// iota_j (zero when not given).
  Eigen::VectorXd additive() const { return bias_.empty() ? Eigen::VectorXd::Zero(num_classes()) : bias_.to_vector(); }
  /// m_j (zero when not given).
  Eigen::VectorXd target_margin() const {
    return target_offset_.empty() ? Eigen::VectorXd::Zero(num_classes()) : target_offset_.to_vector();
  }

 private:
  static void check_vector(const char* function, const char* argument, const Eigen::VectorXd& v,
                           Eigen::Index num_classes, bool positive) {
    if (v.size() != num_classes)
      detail::throw_invalid(function, ": ", argument, " has length ", v.size(), " but there are ", num_classes,
                            " classes");
    for (Eigen::Index k = 0; k < v.size(); ++k)
      if (!std::isfinite(v(k)) || (positive && !(v(k) > 0)))
        detail::throw_invalid(function, ": ", argument, "[", k, "] must be finite", positive ? " and > 0" : "",
                              " (got ", v(k), ")");
  }
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<ParametricCrossEntropyLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<ParametricCrossEntropyLoss, float>)

}  // namespace imbalance
