#pragma once
/// @file
/// What SGD minimises, batch by batch (ensmallen's separable function): an Objective evaluates the
/// loss of a batch of row indices under given parameters and writes the gradient. LocalObjective
/// holds the training rows of one process; the MPI objective (imbalance/distributed/
/// softmax_classifier.hpp) holds a shard and all-reduces. The loop (sgd.hpp) is the same for both.
///
/// LocalObjective's batch: gather the rows and their targets, forward through the Network, the loss
/// (the epoch's loss; with per-epoch soft targets SoftTargetCrossEntropy; a per-sample weighted loss
/// when the targets carry weights; the head's own loss for the ETF head; a loss that reads the head's
/// features, IB, gets them), backward, the gradients by GEMM.

#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/core/error.hpp"
#include "imbalance/losses/any_loss.hpp"
#include "imbalance/losses/soft_target_cross_entropy.hpp"
#include "imbalance/train/network.hpp"

namespace imbalance {

/// A separable objective over N rows, in Scalar arithmetic.
template <class Scalar>
class Objective {
 public:
  virtual ~Objective() = default;
  /// N, the rows batches index into.
  virtual Eigen::Index rows() const = 0;
  /// Once before training: sizes buffers for batches of up to `batch` rows, prepares the rows
  /// (e.g. the cosine head's normalised input).
  virtual void prepare(const Network<Scalar>& network, Eigen::Index batch, Eigen::Index width) = 0;
  /// Before every epoch: its loss and targets (labels of all N rows, optional weights, soft targets).
  virtual void begin_epoch(const TrainingStep& step, const AnyLoss& loss, const EpochTargets& targets) = 0;
  /// The loss of the batch rows batch[0..b) under p; its gradient into g (reduced, finished).
  virtual double evaluate_with_gradient(const Network<Scalar>& network, const NetworkParameters<Scalar>& p,
                                        const Eigen::Index* batch, Eigen::Index b, const TrainingStep& step,
                                        NetworkParameters<Scalar>& g) = 0;
};

namespace detail {
// The loss of a batch output z: the soft-target, weighted, feature-reading or plain call of the
// epoch's loss (or the head's own); dL/dz into gz, a feature-reading loss's dL/dfeatures into gf.
template <class Scalar, class Z, class Y, class F, class G, class GF, class W, class T>
double batch_loss(const HeadLayer<Scalar>& head, const AnyLoss& loss, const SoftTargetCrossEntropy* soft_loss,
                  const Z& z, const Y& y, const F& features, G&& gz, GF&& gf, const W* weights, const T* soft,
                  bool& loss_df) {
  if (head.has_own_loss()) return head.own_loss(z, y, gz);
  if (soft) {
    if (weights) return static_cast<double>(soft_loss->value_and_gradient(z, *soft, gz, *weights));
    return static_cast<double>(soft_loss->value_and_gradient(z, *soft, gz));
  }
  if (weights) {
    if (loss.uses_features())
      throw_invalid("SoftmaxClassifier::fit_with_targets(): a loss that reads the features (IB) takes no per-sample "
                    "weights");
    return loss.value_and_gradient(z, y, gz, *weights);
  }
  if (loss.uses_features()) {
    loss_df = true;
    return loss.value_and_gradient(z, y, features, gz, gf);
  }
  return loss.value_and_gradient(z, y, gz);
}
}  // namespace detail

/// The objective of the rows one process holds (x: N x d, already in the training arithmetic).
template <class Scalar>
class LocalObjective final : public Objective<Scalar> {
 public:
  /// Over the rows of x (kept by reference; prepare may normalise them in place).
  explicit LocalObjective(TrainingRows<Scalar>& x) : x_(x) {}
  Eigen::Index rows() const override { return x_.rows(); }
  void prepare(const Network<Scalar>& network, Eigen::Index batch, Eigen::Index width) override {
    if (network.normalizes_input()) detail::normalize_rows(x_);
    x_batch_.resize(batch, x_.cols());
    y_batch_.resize(batch);
    work_.resize(batch, x_.cols(), network.hidden_units(), width);
  }
  void begin_epoch(const TrainingStep& step, const AnyLoss& loss, const EpochTargets& targets) override {
    loss_ = &loss;
    targets_ = &targets;
    weighted_ = targets.sample_weights.size() != 0;
    soft_ = targets.soft.size() != 0;
    if (weighted_ && !soft_ && !loss.accepts_sample_weights())
      detail::throw_invalid(step.function, ": the loss of epoch ", step.epoch, " takes no per-sample weights");
    if (soft_ && !soft_loss_) soft_loss_.emplace(loss.num_classes());
    if (weighted_) sample_weights_.resize(x_batch_.rows());
    if (soft_) soft_targets_.resize(x_batch_.rows(), loss.num_classes());
  }
  double evaluate_with_gradient(const Network<Scalar>& network, const NetworkParameters<Scalar>& p,
                                const Eigen::Index* batch, Eigen::Index b, const TrainingStep& step,
                                NetworkParameters<Scalar>& g) override {
    for (Eigen::Index r = 0; r < b; ++r) {
      const Eigen::Index source = batch[r];
      x_batch_.row(r) = x_.row(source);
      y_batch_(r) = targets_->labels(source);
      if (weighted_) sample_weights_(r) = static_cast<Scalar>(targets_->sample_weights(source));
      if (soft_) soft_targets_.row(r) = targets_->soft.row(source).template cast<Scalar>();
    }
    const auto xb = x_batch_.topRows(b);
    network.forward(p, xb, work_, step);
    bool loss_df = false;
    // Views of the batch's weights and soft targets only where the targets carry them.
    std::optional<decltype(sample_weights_.head(b))> weights;
    std::optional<decltype(soft_targets_.topRows(b))> soft;
    if (weighted_) weights.emplace(sample_weights_.head(b));
    if (soft_) soft.emplace(soft_targets_.topRows(b));
    const double value = detail::batch_loss(
        network.head(), *loss_, soft_loss_ ? &*soft_loss_ : nullptr, work_.out.topRows(b), y_batch_.head(b),
        network.features(xb, work_), work_.grad_out.topRows(b), work_.grad_loss_features.topRows(b),
        weights ? &*weights : nullptr, soft ? &*soft : nullptr, loss_df);
    network.backward(p, xb, loss_df, work_, reduction_, g);
    reduction_.reduce();
    network.finish(p, work_, g);
    return value;
  }

 private:
  TrainingRows<Scalar>& x_;
  TrainingRows<Scalar> x_batch_, soft_targets_;
  Eigen::VectorXi y_batch_;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> sample_weights_;
  NetworkWorkspace<Scalar> work_;
  LocalReduction<Scalar> reduction_;
  const AnyLoss* loss_ = nullptr;
  const EpochTargets* targets_ = nullptr;
  std::optional<SoftTargetCrossEntropy> soft_loss_;
  bool weighted_ = false, soft_ = false;
};

IMBALANCE_EXTERN_TEMPLATE(class LocalObjective<double>)
IMBALANCE_EXTERN_TEMPLATE(class LocalObjective<float>)

}  // namespace imbalance
