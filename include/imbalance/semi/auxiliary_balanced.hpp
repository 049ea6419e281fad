#pragma once
/// @file
/// ABC: the auxiliary balanced classifier (Lee, Shin, Kim, "ABC: Auxiliary Balanced Classifier for
/// Class-imbalanced Semi-supervised Learning", NeurIPS 2021; official code LeeHyuck/ABC, ABCfix.py).
///
/// A second classifier on the representation, trained so that it sees every class about equally
/// often, and used for prediction. With n_c the labelled class counts and E the number of epochs, at
/// epoch e (per sample, a fresh Bernoulli draw every epoch):
///  - a labelled sample of class y trains with mask ~ Bernoulli(n_min / n_y) on its one-hot label;
///  - an unlabelled sample trains on its pseudo-label when max p >= threshold (p the head's own softmax,
///    y^ = argmax p), with mask ~ Bernoulli(1 - (e / E)(1 - n_min / n_y^)) (all of them early, the
///    balanced rate by the end). The official target is p itself, computed on a weakly augmented view
///    and fitted on strongly augmented ones. On given features the views coincide: a head fitted to
///    its own p (refreshed each epoch) gets almost no gradient from it, so the unlabelled data add
///    little and ABC's effect comes from its balanced labelled masks; Targets::Hard fits the one-hot
///    y^ instead (FixMatch's hard pseudo-label, which sharpens the head);
///  - loss: cross-entropy against those targets, averaged over the batch (ABCfix.py's abcloss +
///    abcloss1; one view here, the features being given).
/// On given features without a hidden layer the official heads share nothing (each trains on its own
/// pseudo-labels; the backbone is the identity), so fitting the ABC head alone on the features is the
/// official method; with a learned representation pass its features (SoftmaxClassifier::features of a
/// model trained by fit_self_training): the ABC head then trains on the frozen representation instead
/// of sharing its gradient with the backbone (a two-stage approximation).
/// Defaults: threshold 0.95 and soft targets (ABCfix.py).

#include <algorithm>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// Options of AuxiliaryBalanced (see imbalance/semi/auxiliary_balanced.hpp for the formula, the paper and the defaults).
struct AuxiliaryBalancedOptions {
  double threshold = 0.95;  ///< confidence of the head's own pseudo-label on unlabelled samples
  /// The unlabelled targets: Soft (the head's softmax p, as ABCfix.py) or Hard (one-hot y^); see the
  /// file comment for what each does without augmented views.
  enum class Targets { Soft, Hard };
  /// Soft (the official choice) or hard pseudo-label targets for the unlabelled rows.
  Targets targets = Targets::Soft;
};

/// Trains `head` (a SoftmaxClassifier; trainer options as for any fit, e.g. the linear head) as ABC's
/// balanced classifier on labelled features (N x F, labels in [0, K)) and unlabelled features (M x F).
/// Every class needs a labelled sample. Draws the masks and the batches from rng.
/// Trains in the arithmetic Scalar (default: the features' scalar type, as SoftmaxClassifier::fit).
template <class Scalar = void, class DL, class DY, class DU, class Engine>
std::vector<EpochInfo> fit_auxiliary_balanced(SoftmaxClassifier& head, const Eigen::DenseBase<DL>& labeled_features,
                                              const Eigen::DenseBase<DY>& labeled_y,
                                              const Eigen::DenseBase<DU>& unlabeled_features, Eigen::Index num_classes,
                                              const TrainerOptions& trainer, const AuxiliaryBalancedOptions& options,
                                              Engine& rng) {
  const char* function = "fit_auxiliary_balanced()";
  check_non_empty(function, "labeled_features", labeled_features.rows());
  check_same_length(function, "labeled_y", labeled_y.size(), "labeled_features", labeled_features.rows());
  check_shape(function, "unlabeled_features", unlabeled_features.rows(), unlabeled_features.cols(), -1,
              labeled_features.cols());
  check_labels(function, "labeled_y", labeled_y, num_classes);
  if (!(options.threshold >= 0 && options.threshold <= 1))
    detail::throw_invalid(function, ": options.threshold must lie in [0, 1] (got ", options.threshold, ")");
  const Eigen::Index n = labeled_features.rows(), m = unlabeled_features.rows(), k = num_classes;
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
  for (Eigen::Index i = 0; i < n; ++i) counts(labeled_y.derived()(i)) += 1;
  for (Eigen::Index c = 0; c < k; ++c)
    if (counts(c) == 0)
      detail::throw_invalid(function, ": class ", detail::class_name(c), " has no labelled sample; ABC's masks n_min/n_",
                            c, " need every class");
  const Eigen::VectorXd keep = counts.minCoeff() / counts.array();  // n_min / n_c
  SoftmaxClassifier::RowMatrix x(n + m, labeled_features.cols());
  x.topRows(n) = labeled_features.derived().template cast<double>();
  x.bottomRows(m) = unlabeled_features.derived().template cast<double>();
  EpochTargets targets;
  targets.labels.resize(n + m);
  targets.labels.head(n) = labeled_y.derived().template cast<int>();
  targets.labels.tail(m).setZero();
  targets.sample_weights = Eigen::VectorXd::Zero(n + m);
  targets.soft = SoftmaxClassifier::RowMatrix::Zero(n + m, k);
  for (Eigen::Index i = 0; i < n; ++i) targets.soft(i, labeled_y.derived()(i)) = 1;
  const double epochs = static_cast<double>(trainer.epochs);
  const auto refresh = [&](long epoch, const SoftmaxClassifier& current, EpochTargets& t) {
    for (Eigen::Index i = 0; i < n; ++i) t.sample_weights(i) = uniform01(rng) < keep(t.labels(i)) ? 1.0 : 0.0;
    const auto p = softmax_rows(current.logits(x.bottomRows(m)));
    const double progress = static_cast<double>(epoch) / epochs;
    for (Eigen::Index u = 0; u < m; ++u) {
      Eigen::Index best = 0;
      const double confidence = p.row(u).maxCoeff(&best);
      const double rate = 1 - progress * (1 - keep(best));
      const bool drawn = uniform01(rng) < rate;  // drawn for every sample: the stream does not depend on p
      if (options.targets == AuxiliaryBalancedOptions::Targets::Soft) {
        t.soft.row(n + u) = p.row(u);
      } else {
        t.soft.row(n + u).setZero();
        t.soft(n + u, best) = 1;
      }
      t.labels(n + u) = static_cast<int>(best);
      t.sample_weights(n + u) = confidence >= options.threshold && drawn ? 1.0 : 0.0;
    }
  };
  return head.fit_with_targets<SoftmaxClassifier::Arithmetic<Scalar, DL>>(
      x, std::move(targets), CrossEntropyLoss(k), refresh, trainer, rng);
}

}  // namespace imbalance
