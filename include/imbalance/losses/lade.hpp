#pragma once
/// @file
/// LADE: label-distribution-disentangling loss (PriorCE + its batch regulariser).
///
/// Hong, Han, Choi, Kim, Chang, Lee. "Disentangling Label Distribution for Long-tailed Visual
/// Recognition", CVPR 2021 (official code: hyperconnect/LADE loss/PriorCELoss.py, loss/LADELoss.py,
/// combined as run_networks.py does). With pi = class_counts / sum and per-sample weights s_i (1
/// when not given):
///   PriorCE = sum_i s_i CE(z_i + log(pi + 1e-9), y_i) / N
///   n_c = sum_{i: y_i = c} s_i,   first_c = sum_{i: y_i = c} s_i z_ic / (n_c + 1e-8)
///   second_c = log sum_i s_i exp(z_ic - log(pi_c + 1e-9) + log(1/K + 1e-9)) - log sum_i s_i
///   R = -sum_c pi_c (first_c - second_c - lambda second_c^2)
///   L = w_ce PriorCE + alpha R
/// R couples the rows of the batch (a log-sum-exp over the batch per class), so the gradient of row
/// i depends on every row: with Q_ic = s_i exp(z_ic) / sum_k s_k exp(z_kc),
///   dR/dz_ic = -pi_c (s_i Y_ic / (n_c + 1e-8) - (1 + 2 lambda second_c) Q_ic).
/// The loss is defined on the whole batch only (no per-sample losses, Reduction is always the mean
/// above). With s = 1 it is the official loss; the weighted estimates are this library's extension.
/// Defaults: alpha = 0.1 (main.py --alpha), lambda = 0.1 (config/CIFAR100_LT/lade.yaml
/// remine_lambda; the README's CIFAR-100 command uses 0.01, ImageNet-LT 0.5), w_ce = 1.

#include <algorithm>
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

/// Options of LADELoss (see imbalance/losses/lade.hpp for the formula, the paper and the defaults).
struct LADEOptions {
  /// Weight alpha of the regulariser R.
  double alpha = 0.1;
  /// lambda of the second-order term (the official remine_lambda).
  double lambda = 0.1;
  /// Weight of the PriorCE term.
  double prior_ce_weight = 1.0;
};

/// LADE. See imbalance/losses/lade.hpp for the formula, the paper and the defaults.
class LADELoss : public detail::LabelLoss<LADELoss> {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit LADELoss(const Eigen::DenseBase<Derived>& class_counts, const LADEOptions& options = {})
      : LabelLoss("LADELoss", class_counts.size()), options_(options) {
    const char* function = "LADELoss::LADELoss()";
    prior_ = priors(class_counts_to_double(function, class_counts, false));
    check_non_negative(function, "alpha", options.alpha);
    check_finite_scalar(function, "lambda", options.lambda);
    check_non_negative(function, "prior_ce_weight", options.prior_ce_weight);
    log_prior_ = (prior_.array() + 1e-9).log().matrix();
  }

  /// pi.
  const Eigen::VectorXd& prior() const noexcept { return prior_; }
  /// The options it was built with.
  const LADEOptions& options() const noexcept { return options_; }

 private:
  friend class detail::LabelLoss<LADELoss>;

  template <class S, class Z, class Y, class G>
  double evaluate(const char* function, const Z& z, const Y& labels, const S* sample_weights, G* grad) const {
    using Index = Eigen::Index;
    const Index n = z.rows(), k = z.cols();
    check_finite(function, "logits", z);
    auto weight_of = [&](Index i) -> S { return sample_weights != nullptr ? sample_weights[i] : S(1); };
    double weight_total = 0;
    for (Index i = 0; i < n; ++i) weight_total += static_cast<double>(weight_of(i));
    if (!(weight_total > 0))
      detail::throw_invalid(function, ": sample_weights must not all be zero (LADE's batch estimates divide by them)");
    const double log_weight_total = std::log(weight_total);
    const double log_balanced = std::log(1.0 / static_cast<double>(k) + 1e-9);
    const double alpha = options_.alpha, lambda = options_.lambda;
    // The regulariser, column by column (its gradient column is written straight into grad).
    auto columns = [&](Index begin, Index end) {
      double r = 0;
      for (Index c = begin; c < end; ++c) {
        double shift = -std::numeric_limits<double>::infinity();
        for (Index i = 0; i < n; ++i)
          if (weight_of(i) > S(0)) shift = std::max(shift, static_cast<double>(z.coeff(i, c)));
        double sum = 0, first = 0, count = 0;
        for (Index i = 0; i < n; ++i) {
          const double s = static_cast<double>(weight_of(i)), v = static_cast<double>(z.coeff(i, c));
          sum += s * std::exp(v - shift);
          if (static_cast<Index>(labels.coeff(i)) == c) {
            first += s * v;
            count += s;
          }
        }
        const double lse = shift + std::log(sum);
        first /= count + 1e-8;
        const double second = lse - log_prior_(c) + log_balanced - log_weight_total;
        r -= prior_(c) * (first - second - lambda * second * second);
        if (grad != nullptr) {
          const double target = 1.0 / (count + 1e-8), spread = 1.0 + 2.0 * lambda * second;
          for (Index i = 0; i < n; ++i) {
            const double s = static_cast<double>(weight_of(i));
            const double q = s * std::exp(static_cast<double>(z.coeff(i, c)) - lse);
            const double y = static_cast<Index>(labels.coeff(i)) == c ? s * target : 0.0;
            grad->coeffRef(i, c) = static_cast<S>(-alpha * prior_(c) * (y - spread * q));
          }
        }
      }
      return r;
    };
    const double regulariser = detail::parallel_sum(k, detail::rows_per_chunk(n, Index{1} << 14, 1), columns);
    // PriorCE, row by row, added onto the regulariser's gradient.
    const S ce_scale = static_cast<S>(options_.prior_ce_weight / static_cast<double>(n));
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        const Index y = static_cast<Index>(labels.coeff(i));
        S shift = -std::numeric_limits<S>::infinity();
        for (Index j = 0; j < k; ++j) shift = std::max(shift, static_cast<S>(z.coeff(i, j)) + prior_of<S>(j));
        S sum = 0;
        for (Index j = 0; j < k; ++j) sum += std::exp(static_cast<S>(z.coeff(i, j)) + prior_of<S>(j) - shift);
        const S ce = std::max(S(0), shift + std::log(sum) - static_cast<S>(z.coeff(i, y)) - prior_of<S>(y));
        total += static_cast<double>(weight_of(i) * ce);
        if (grad != nullptr) {
          const S factor = ce_scale * weight_of(i);
          for (Index j = 0; j < k; ++j)
            grad->coeffRef(i, j) += factor * std::exp(static_cast<S>(z.coeff(i, j)) + prior_of<S>(j) - shift) / sum;
          grad->coeffRef(i, y) -= factor;
        }
      }
      return total;
    };
    const double prior_ce = detail::parallel_sum(n, detail::rows_per_chunk(k, Index{1} << 14, 1), rows);
    return options_.prior_ce_weight * prior_ce / static_cast<double>(n) + alpha * regulariser;
  }

  template <class S>
  S prior_of(Eigen::Index j) const noexcept {
    return static_cast<S>(log_prior_(j));
  }

  LADEOptions options_;
  Eigen::VectorXd prior_, log_prior_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LADELoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<LADELoss, float>)

}  // namespace imbalance
