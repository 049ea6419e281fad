#pragma once
/// @file
/// The settings and records of training (imbalance/train/classifier.hpp trains with them): the
/// options of the model and of SGD, what is reported after each epoch, and the per-epoch targets
/// weak supervision rewrites. Defaults: 30 epochs, batch 128, lr 0.1 without warm-up (lr_schedule.hpp),
/// momentum 0.9, weight decay 5e-4, cosine schedule, linear head, no hidden layer, double.

#include <cstdint>
#include <functional>
#include <optional>

#include "imbalance/core/eigen.hpp"

#include "imbalance/train/batch_sampler.hpp"
#include "imbalance/train/lr_schedule.hpp"

namespace imbalance {

/// What the trainer reports after each epoch.
struct EpochInfo {
  long epoch = 0;            ///< 0-based
  /// Total epochs of the run.
  long epochs = 0;
  double mean_loss = 0;      ///< mean of the batch losses of the epoch
  double learning_rate = 0;  ///< at the epoch's last iteration
  /// Balanced accuracy on the training data (only with evaluate_each_epoch).
  std::optional<double> train_balanced_accuracy;
  /// Wall time of the epoch.
  double seconds = 0;
};

/// The classifier on top of the features.
enum class Head {
  Linear,  ///< Z = X W + b
  Cosine,  ///< Z = X^ W^ (unit rows and columns, no bias): LDAM-DRW's NormedLinear
  ETF      ///< Z = normalize(X P + c) M, M a fixed simplex ETF, trained with dot regression
};

/// The arithmetic of training.
enum class Precision { Double, Float };

/// Options of Trainer (see imbalance/train/softmax_regression.hpp for the formula, the paper and the defaults).
struct TrainerOptions {
  /// Training epochs.
  long epochs = 30;
  /// Mini-batch size.
  Eigen::Index batch_size = 128;
  /// The learning-rate schedule.
  LearningRateSchedule learning_rate;
  /// SGD momentum.
  double momentum = 0.9;
  /// L2 weight decay.
  double weight_decay = 5e-4;
  /// The classifier head.
  Head head = Head::Linear;
  /// Width of a hidden ReLU layer; 0 means none (the linear model).
  Eigen::Index hidden_units = 0;
  /// Weight decay of the hidden layer's W1 and b1.
  double hidden_weight_decay = 5e-4;
  /// Head::ETF: dimension E of the projection (>= K - 1); 0 means K.
  Eigen::Index etf_dimension = 0;
  /// Head::ETF: the dot-regression loss's feature-norm weight (the official reg_lam).
  double etf_reg_lambda = 0.0;
  /// Float or double arithmetic.
  Precision precision = Precision::Double;
  /// Batch sampling; empty means a shuffled permutation per epoch.
  std::optional<BatchSamplerOptions> sampler;
  /// Seed of the fit overloads that take no generator.
  std::uint64_t seed = 0;
  /// Fills EpochInfo::train_balanced_accuracy (one extra pass over the data per epoch).
  bool evaluate_each_epoch = false;
  /// Called after every epoch (progress display, early inspection); may throw to stop training.
  std::function<void(const EpochInfo&)> on_epoch;
};

/// The targets of the N training samples for one epoch, which fit_with_targets lets a hook rewrite
/// before every epoch (self-training's pseudo-labels, partial-label confidences):
///  - labels (N, in [0, K)): what the loss sees (and the batch sampler, if any, balances);
///  - sample_weights (N, finite, >= 0; empty = all 1): multiply each sample's loss (0 masks it, as
///    FixMatch's confidence mask: the batch mean still counts it);
///  - soft (N x K, finite, >= 0; empty = unused): when set, the loss is SoftTargetCrossEntropy against
///    these rows (the loss given to fit then only sets K).
struct EpochTargets {
  /// Labels of every row (rewritten by the epoch hook).
  Eigen::VectorXi labels;
  /// Per-sample weights (empty: 1).
  Eigen::VectorXd sample_weights;
  /// Soft targets, N x K (empty: the labels).
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> soft;
};

}  // namespace imbalance
