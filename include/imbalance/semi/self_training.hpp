#pragma once
/// @file
/// Self-training on labelled + unlabelled features with confidence-thresholded pseudo-labels, optionally
/// refined by DARP: FixMatch's pseudo-labelling rule (Sohn et al., "FixMatch", NeurIPS 2020) as DARP's
/// official train_fix uses it, on given features (no augmentation: the weak and strong views coincide).
///
/// Before every epoch e the current model gives the unlabelled samples' class distributions
/// q = softmax(z); with DARP (from epoch `warmup_epochs` on) q is replaced by darp_refine(q, c), c the
/// unlabelled class totals (default: the labelled class distribution scaled to M, the official default
/// without --est). Each unlabelled sample then trains on y^ = argmax q with weight
/// unlabeled_weight * [max q >= threshold] (0 before warmup_epochs: supervised warm-up); labelled samples
/// on their labels with weight 1. Any loss that takes per-sample weights trains this way (the loss is
/// built by the caller, from the labelled class counts): every loss of the library but Seesaw in
/// training (its running class counts would count the masked samples) and IB once it reads the
/// features; those two are refused with a message. Batches are drawn from the union,
/// so labelled and unlabelled samples meet in proportion N : M (FixMatch draws mu B unlabelled per B
/// labelled; scale unlabeled_weight to change the balance).
/// Defaults: threshold 0.95 (FixMatch's tau), unlabeled_weight 1, no warm-up, no DARP.

#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/semi/darp.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// Options of SelfTrainingResult (see imbalance/semi/self_training.hpp for the formula, the paper and the defaults).
struct SelfTrainingOptions {
  double threshold = 0.95;      ///< tau: a pseudo-label trains when its confidence reaches it
  double unlabeled_weight = 1;  ///< lambda_u
  long warmup_epochs = 0;       ///< epochs on the labelled samples only
  bool darp = false;            ///< refine the pseudo-label distributions with DARP
  /// Options of DARP when it refines the pseudo-labels.
  DarpOptions darp_options;
  /// DARP's unlabelled class totals (K, summing to M); empty = the labelled distribution scaled to M.
  Eigen::VectorXd darp_target;
};

/// Self-training on labelled + unlabelled features with confidence-thresholded pseudo-labels, optionally refined by DARP. See imbalance/semi/self_training.hpp for the formula, the paper and the defaults.
struct SelfTrainingResult {
  /// Per-epoch training record (loss, learning rate, time).
  std::vector<EpochInfo> history;
  /// The last epoch's pseudo-label distributions (M x K; DARP-refined when DARP ran).
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> pseudo_distributions;
  Eigen::VectorXi pseudo_labels;  ///< argmax of pseudo_distributions
  Eigen::VectorXd confidence;     ///< max of pseudo_distributions
  Eigen::Index selected = 0;      ///< pseudo-labels at or above the threshold in the last epoch
};

/// Trains `model` by self-training (see the file comment) with `loss` on K = loss.num_classes()
/// classes; draws from rng (shuffling, and DARP draws nothing).
/// Trains in the arithmetic Scalar (default: labeled_X's scalar type, as SoftmaxClassifier::fit).
template <class Scalar = void, class DL, class DY, class DU, class Loss, class Engine>
SelfTrainingResult fit_self_training(SoftmaxClassifier& model, const Eigen::DenseBase<DL>& labeled_X,
                                     const Eigen::DenseBase<DY>& labeled_y, const Eigen::DenseBase<DU>& unlabeled_X,
                                     const Loss& loss, const TrainerOptions& trainer, const SelfTrainingOptions& options,
                                     Engine& rng) {
  const char* function = "fit_self_training()";
  check_non_empty(function, "labeled_X", labeled_X.rows());
  check_non_empty(function, "unlabeled_X", unlabeled_X.rows());
  check_same_length(function, "labeled_y", labeled_y.size(), "labeled_X", labeled_X.rows());
  check_shape(function, "unlabeled_X", unlabeled_X.rows(), unlabeled_X.cols(), -1, labeled_X.cols());
  if (!(options.threshold >= 0 && options.threshold <= 1))
    detail::throw_invalid(function, ": options.threshold must lie in [0, 1] (got ", options.threshold, ")");
  check_non_negative(function, "options.unlabeled_weight", options.unlabeled_weight);
  if (options.warmup_epochs < 0)
    detail::throw_invalid(function, ": options.warmup_epochs must be >= 0 (got ", options.warmup_epochs, ")");
  const Eigen::Index k = [&] {
    if constexpr (std::is_invocable<const Loss&, long>::value)
      return AnyLoss(loss(0)).num_classes();
    else
      return AnyLoss(loss).num_classes();
  }();
  check_labels(function, "labeled_y", labeled_y, k);
  const Eigen::Index n = labeled_X.rows(), m = unlabeled_X.rows();
  Eigen::VectorXd target = options.darp_target;
  if (options.darp) {
    if (target.size() == 0) {
      target = Eigen::VectorXd::Zero(k);
      for (Eigen::Index i = 0; i < n; ++i) target(labeled_y.derived()(i)) += 1;
      target *= static_cast<double>(m) / static_cast<double>(n);
    }
    detail::checked_targets(function, target, m, k);
    detail::check_darp_options(function, options.darp_options);
  }
  SoftmaxClassifier::RowMatrix x(n + m, labeled_X.cols());
  x.topRows(n) = labeled_X.derived().template cast<double>();
  x.bottomRows(m) = unlabeled_X.derived().template cast<double>();
  EpochTargets targets;
  targets.labels.resize(n + m);
  targets.labels.head(n) = labeled_y.derived().template cast<int>();
  targets.labels.tail(m).setZero();
  targets.sample_weights = Eigen::VectorXd::Ones(n + m);
  targets.sample_weights.tail(m).setZero();
  SelfTrainingResult result;
  const auto refresh = [&](long epoch, const SoftmaxClassifier& current, EpochTargets& t) {
    if (epoch < options.warmup_epochs) return;  // labelled samples only
    const auto z = current.logits(x.bottomRows(m));
    result.pseudo_distributions = softmax_rows(z);
    if (options.darp) result.pseudo_distributions = darp_refine(result.pseudo_distributions, target, options.darp_options).refined;
    result.pseudo_labels = argmax_rows(result.pseudo_distributions);
    result.confidence = result.pseudo_distributions.rowwise().maxCoeff();
    result.selected = 0;
    for (Eigen::Index u = 0; u < m; ++u) {
      const bool confident = result.confidence(u) >= options.threshold;
      result.selected += confident;
      t.labels(n + u) = result.pseudo_labels(u);
      t.sample_weights(n + u) = confident ? options.unlabeled_weight : 0.0;
    }
  };
  result.history = model.fit_with_targets<SoftmaxClassifier::Arithmetic<Scalar, DL>>(
      x, std::move(targets), loss, refresh, trainer, rng);
  return result;
}

}  // namespace imbalance
