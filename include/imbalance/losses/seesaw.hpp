#pragma once
/// @file
/// Seesaw loss, with its running class counts as explicit state.
///
/// Wang, Zhang, Zang, Cao, Pang, Gong, Xiong, Loy, Lin. "Seesaw Loss for Long-Tailed Instance
/// Segmentation", CVPR 2021 (official code: open-mmlab/mmdetection mmdet/models/losses/seesaw_loss.py).
/// Each call first adds the batch's labels to the cumulative counts N (as the official forward()),
/// then, with C_j = max(N_j, 1) and p = softmax(z_i) held constant (the code's detach):
///   M_ij = (C_j / C_{y_i})^p   if C_j < C_{y_i}, else 1          (mitigation)
///   r_ij = p_ij / max(p_{i,y_i}, eps),  K_ij = r_ij^q if r_ij > 1, else 1   (compensation)
///   z'_ij = z_ij + (1 - Y_ij) log(M_ij K_ij),   l_i = s_i CE(z'_i, y_i)
///   dL/dz_i = norm s_i (softmax(z'_i) - e_{y_i})            (M K is a constant)
/// Mean: sum / N; Sum; None (per_sample). log r is computed in log space (z_j - z_y, or
/// z_j - lse(z_i) - log eps when p_y < eps), which is stable where the ratio of exponentials is not.
/// The official loss also has a background class and an objectness term (detection); not here.
/// Defaults as the official code: p = 0.8, q = 2.0, eps = 0.01.

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"
#include "imbalance/losses/any_loss.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/loss_input.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance {

/// Options of SeesawLoss (see imbalance/losses/seesaw.hpp for the formula, the paper and the defaults).
struct SeesawOptions {
  /// Mitigation exponent p (>= 0).
  double p = 0.8;
  /// Compensation exponent q (>= 0).
  double q = 2.0;
  /// Floor of the target probability in the compensation ratio (> 0).
  double eps = 1e-2;
  /// Reduction of the per-sample losses: Mean (the default), Sum, or None.
  Reduction reduction = Reduction::Mean;
};

/// The running label counts N_j of a Seesaw training run (the official `cum_samples` buffer).
class SeesawState {
 public:
  /// K zeros: the state of a run that has seen nothing.
  explicit SeesawState(Eigen::Index num_classes) : counts_(Eigen::VectorXd::Zero(checked(num_classes))) {}
  /// Given counts (finite, >= 0), e.g. to resume a run.
  explicit SeesawState(const Eigen::VectorXd& cumulative_counts) : counts_(cumulative_counts) {
    check_non_empty("SeesawState::SeesawState()", "cumulative_counts", counts_.size());
    for (Eigen::Index k = 0; k < counts_.size(); ++k)
      if (!(std::isfinite(counts_(k)) && counts_(k) >= 0))
        detail::throw_invalid("SeesawState::SeesawState(): cumulative_counts[", k, "] must be finite and >= 0 (got ",
                              counts_(k), ")");
  }
  /// The cumulative class counts N_j so far.
  const Eigen::VectorXd& cumulative_counts() const noexcept { return counts_; }
  /// Adds a batch's labels (checked to lie in [0, K)).
  template <class DY>
  void add(const Eigen::DenseBase<DY>& labels) {
    check_labels("SeesawState::add()", "labels", labels, counts_.size());
    for (Eigen::Index i = 0; i < labels.size(); ++i) counts_(static_cast<Eigen::Index>(labels.derived().coeff(i))) += 1;
  }

 private:
  static Eigen::Index checked(Eigen::Index k) {
    if (k < 1) detail::throw_invalid("SeesawState::SeesawState(): num_classes must be >= 1 (got ", k, ")");
    return k;
  }
  Eigen::VectorXd counts_;
};

/// Seesaw loss, with its running class counts as explicit state. See imbalance/losses/seesaw.hpp for the formula, the paper and the defaults.
class SeesawLoss {
 public:
  /// Built for num_classes classes.
  explicit SeesawLoss(Eigen::Index num_classes, const SeesawOptions& options = {})
      : num_classes_(num_classes), options_(options) {
    const char* function = "SeesawLoss::SeesawLoss()";
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    check_non_negative(function, "p", options.p);
    check_non_negative(function, "q", options.q);
    check_positive(function, "eps", options.eps);
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return num_classes_; }
  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return options_.reduction; }
  /// The options it was built with.
  const SeesawOptions& options() const noexcept { return options_; }

  /// One training step: adds the labels to state, then returns the reduced loss and writes dL/dz.
  /// The state is left unchanged when the input is refused.
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad, SeesawState& state) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name, logits, labels, state);
    DG& g = detail::prepare_output(gradient_name, "grad", grad, logits.rows(), logits.cols());
    state.add(labels);
    return static_cast<S>(evaluate<S>(detail::as_matrix(logits), labels.derived(), nullptr, state.cumulative_counts(), &g));
  }
  /// The same with per-sample weights s_i (finite, >= 0; Mean keeps its normaliser N).
  template <class DZ, class DY, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad, const Eigen::DenseBase<DW>& sample_weights,
                                         SeesawState& state) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name, logits, labels, state);
    const detail::SampleWeights<S> s(gradient_name, sample_weights, logits.rows());
    DG& g = detail::prepare_output(gradient_name, "grad", grad, logits.rows(), logits.cols());
    state.add(labels);
    return static_cast<S>(
        evaluate<S>(detail::as_matrix(logits), labels.derived(), s.data(), state.cumulative_counts(), &g));
  }
  /// The loss this step would report, without changing state (counts as after adding the labels).
  template <class DZ, class DY>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                            const SeesawState& state) const {
    using S = typename DZ::Scalar;
    validate(value_name, logits, labels, state);
    SeesawState after = state;
    after.add(labels);
    return static_cast<S>(evaluate<S>(detail::as_matrix(logits), labels.derived(), nullptr, after.cumulative_counts(),
                                      static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr)));
  }

 private:
  static constexpr const char* gradient_name = "SeesawLoss::value_and_gradient()";
  static constexpr const char* value_name = "SeesawLoss::value()";

  template <class DZ, class DY>
  void validate(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                const SeesawState& state) const {
    detail::check_loss_input(function, logits, labels, num_classes_);
    if (state.cumulative_counts().size() != num_classes_)
      detail::throw_invalid(function, ": state has ", state.cumulative_counts().size(), " classes but the loss has ",
                            num_classes_);
    // Before the state changes: a refused step leaves it as it was.
    check_finite(function, "logits", logits);
  }

  template <class S, class Z, class Y, class G>
  double evaluate(const Z& z, const Y& labels, const S* sample_weights, const Eigen::VectorXd& counts, G* grad) const {
    using Index = Eigen::Index;
    const Index k = z.cols();
    const S norm = static_cast<S>(options_.reduction == Reduction::Mean ? 1.0 / static_cast<double>(z.rows()) : 1.0);
    const S p = static_cast<S>(options_.p), q = static_cast<S>(options_.q);
    const S log_eps = static_cast<S>(std::log(options_.eps));
    auto rows = [&](Index begin, Index end) {
      double total = 0;
      for (Index i = begin; i < end; ++i) {
        const Index y = static_cast<Index>(labels.coeff(i));
        const S zy = static_cast<S>(z.coeff(i, y));
        S max_z = -std::numeric_limits<S>::infinity();
        for (Index j = 0; j < k; ++j) max_z = std::max(max_z, static_cast<S>(z.coeff(i, j)));
        S sum_z = 0;
        for (Index j = 0; j < k; ++j) sum_z += std::exp(static_cast<S>(z.coeff(i, j)) - max_z);
        const S log_py = zy - max_z - std::log(sum_z);
        // log r_ij = log p_ij - log max(p_iy, eps)
        const S log_denominator = log_py >= log_eps ? zy : max_z + std::log(sum_z) + log_eps;
        const double cy = std::max(counts(y), 1.0);
        const S log_cy = static_cast<S>(std::log(cy));
        auto adjusted = [&](Index j) -> S {
          const S zj = static_cast<S>(z.coeff(i, j));
          if (j == y) return zj;
          S shift = 0;
          const double cj = std::max(counts(j), 1.0);
          if (cj < cy) shift += p * (static_cast<S>(std::log(cj)) - log_cy);
          const S log_ratio_scores = zj - log_denominator;
          if (log_ratio_scores > 0) shift += q * log_ratio_scores;
          return zj + shift;
        };
        S shift = -std::numeric_limits<S>::infinity();
        for (Index j = 0; j < k; ++j) shift = std::max(shift, adjusted(j));
        S sum = 0;
        for (Index j = 0; j < k; ++j) sum += std::exp(adjusted(j) - shift);
        const S weight = sample_weights != nullptr ? sample_weights[i] : S(1);
        const S loss = std::max(S(0), shift + std::log(sum) - zy);
        total += static_cast<double>(weight * loss);
        if (grad != nullptr) {
          const S factor = norm * weight;
          for (Index j = 0; j < k; ++j) grad->coeffRef(i, j) = factor * std::exp(adjusted(j) - shift) / sum;
          grad->coeffRef(i, y) -= factor;
        }
      }
      return total;
    };
    return detail::parallel_sum(z.rows(), detail::rows_per_chunk(k, Index{1} << 14, 1), rows) *
           static_cast<double>(norm);
  }

  Eigen::Index num_classes_;
  SeesawOptions options_;
};

/// SeesawLoss and the state of one training run behind the interface of the other losses
/// (value_and_gradient(logits, labels, grad)), for the trainer and the loss registry. Copies share
/// the state (one run); not for concurrent calls.
class SeesawTrainingLoss {
 public:
  /// Built for num_classes classes.
  explicit SeesawTrainingLoss(Eigen::Index num_classes, const SeesawOptions& options = {})
      : loss_(num_classes, options), state_(std::make_shared<SeesawState>(num_classes)) {}

  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return loss_.num_classes(); }
  /// The shared running state (cumulative counts).
  const SeesawState& state() const noexcept { return *state_; }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    return loss_.value_and_gradient(logits, labels, grad, *state_);
  }

 private:
  SeesawLoss loss_;
  std::shared_ptr<SeesawState> state_;
};

// AnyLoss over this loss, compiled once in imbalance::compiled.
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<SeesawTrainingLoss, double>)
IMBALANCE_EXTERN_TEMPLATE(struct AnyLoss::Model<SeesawTrainingLoss, float>)

}  // namespace imbalance
