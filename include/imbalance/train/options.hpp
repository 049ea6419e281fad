#pragma once
/// @file
/// The settings and records of training (imbalance/train/classifier.hpp trains with them): the
/// options of the model and of SGD, what is reported after each epoch, and the per-epoch targets
/// weak supervision rewrites. Defaults: 30 epochs, batch 128, lr 0.1 without warm-up (lr_schedule.hpp),
/// momentum 0.9, weight decay 5e-4, cosine schedule, linear head, no hidden layer, double.

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

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

template <class Scalar>
class HeadLayer;
template <class Scalar>
class LinearHead;

/// Which classifier head a fit builds on top of the features: a value made from a head layer
/// template, HeadType::of<CosineHead>() (LinearHead, CosineHead, EtfHead in
/// imbalance/train/network.hpp). A new head is one HeadLayer type with a static type_name, nothing
/// to register or switch on. Default: the linear head, made only in the arithmetic a fit uses (a
/// named head compiles its layer in float and double). Heads compare equal by name.
class HeadType {
 public:
  /// The linear head.
  HeadType() = default;
  /// The head layer template Layer<Scalar>: a HeadLayer<Scalar> with a default constructor and a
  /// static type_name.
  template <template <class> class Layer>
  static HeadType of() {
    HeadType type;
    type.name_ = Layer<double>::type_name;
    type.make_double_ = [] { return std::unique_ptr<HeadLayer<double>>(std::make_unique<Layer<double>>()); };
    type.make_float_ = [] { return std::unique_ptr<HeadLayer<float>>(std::make_unique<Layer<float>>()); };
    return type;
  }
  /// A new layer of this head in Scalar (float or double) arithmetic.
  template <class Scalar>
  std::unique_ptr<HeadLayer<Scalar>> make() const {
    std::unique_ptr<HeadLayer<Scalar>> (*maker)();
    if constexpr (std::is_same<Scalar, float>::value) maker = make_float_; else maker = make_double_;
    if (maker) return maker();
    return std::make_unique<LinearHead<Scalar>>();
  }
  /// Its name ("linear", "cosine", "etf", or a user's).
  const char* name() const noexcept { return name_; }
  /// The same head.
  friend bool operator==(const HeadType& a, const HeadType& b) { return std::strcmp(a.name_, b.name_) == 0; }
  /// Another head.
  friend bool operator!=(const HeadType& a, const HeadType& b) { return !(a == b); }

 private:
  const char* name_ = "linear";
  std::unique_ptr<HeadLayer<double>> (*make_double_)() = nullptr;
  std::unique_ptr<HeadLayer<float>> (*make_float_)() = nullptr;
};

/// The arithmetic of training where code chooses it at run time (the registry's recipes, the
/// command-line tools); library calls choose it by type (SoftmaxClassifier::fit<float>).
enum class Precision { Double, Float };

/// Options of Trainer (see imbalance/train/softmax_classifier.hpp for the formula, the paper and the defaults).
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
  HeadType head;
  /// Width of a hidden ReLU layer; 0 means none (the linear model).
  Eigen::Index hidden_units = 0;
  /// Weight decay of the hidden layer's W1 and b1.
  double hidden_weight_decay = 5e-4;
  /// The ETF head: dimension E of the projection (>= K - 1); 0 means K.
  Eigen::Index etf_dimension = 0;
  /// The ETF head: the dot-regression loss's feature-norm weight (the official reg_lam).
  double etf_reg_lambda = 0.0;
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
