#pragma once
/// @file
/// The one training loop of the library: mini-batch SGD over any Objective (objective.hpp), with the
/// update rule apart (MomentumUpdate) and hooks before and after every epoch. Its parts, as
/// ensmallen's SGD<UpdatePolicy>::Optimize(function, iterate, callbacks...):
///  - per epoch: the epoch's loss (a schedule: DRW changes it), the before-epoch hook (weak
///    supervision rewrites the targets there), the batch order (a shuffled permutation, or a
///    BatchSampler's draws on the current labels);
///  - per batch: the objective's value and gradient, the learning rate of the schedule
///    (lr_schedule.hpp), the update;
///  - after the epoch: the store hook (the model keeps the parameters), a divergence check (the mean
///    loss is not finite: stop with the rate of the last update), the evaluate hook, on_epoch.
/// A distributed run differs only in its Objective (whose gradient is all-reduced): every rank runs
/// this loop with the same seed and takes the same steps.
/// MomentumUpdate is PyTorch's torch.optim.SGD: v <- momentum v + (g + weight_decay theta),
/// theta <- theta - lr v, with weight_decay on the head's W and b (b only where the head trains one)
/// and hidden_weight_decay on W1 and b1.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/losses/any_loss.hpp"
#include "imbalance/train/batch_sampler.hpp"
#include "imbalance/train/network.hpp"
#include "imbalance/train/objective.hpp"
#include "imbalance/train/options.hpp"

namespace imbalance {

/// SGD with momentum and weight decay (PyTorch's torch.optim.SGD, dampening 0, not Nesterov).
template <class Scalar>
class MomentumUpdate {
 public:
  /// Velocities shaped like p (zero); the rates of TrainerOptions; head_bias: whether b is trained.
  MomentumUpdate(const NetworkParameters<Scalar>& p, const TrainerOptions& options, bool head_bias)
      : velocity_(p),
        momentum_(static_cast<Scalar>(options.momentum)),
        decay_(static_cast<Scalar>(options.weight_decay)),
        hidden_decay_(static_cast<Scalar>(options.hidden_weight_decay)),
        head_bias_(head_bias) {
    velocity_.set_trained_zero();
  }
  /// One step at learning rate `rate` with gradient g.
  void step(NetworkParameters<Scalar>& p, const NetworkParameters<Scalar>& g, double rate) {
    const auto lr = static_cast<Scalar>(rate);
    auto& v = velocity_;
    v.weights = momentum_ * v.weights + g.weights + decay_ * p.weights;
    p.weights -= lr * v.weights;
    if (head_bias_) {
      v.bias = momentum_ * v.bias + g.bias + decay_ * p.bias;
      p.bias -= lr * v.bias;
    }
    if (p.hidden_weights.size() != 0) {
      v.hidden_weights = momentum_ * v.hidden_weights + g.hidden_weights + hidden_decay_ * p.hidden_weights;
      p.hidden_weights -= lr * v.hidden_weights;
      v.hidden_bias = momentum_ * v.hidden_bias + g.hidden_bias + hidden_decay_ * p.hidden_bias;
      p.hidden_bias -= lr * v.hidden_bias;
    }
  }

 private:
  NetworkParameters<Scalar> velocity_;
  Scalar momentum_, decay_, hidden_decay_;
  bool head_bias_;
};

/// The hooks of the loop (each may be empty).
template <class Scalar>
struct SgdHooks {
  /// Before every epoch (after its loss is drawn): may rewrite the targets (then checked by the hook).
  std::function<void(long epoch)> before_epoch;
  /// After every epoch: the parameters as they stand.
  std::function<void(const NetworkParameters<Scalar>&)> store;
  /// After every epoch that did not diverge: may fill more of the record.
  std::function<void(EpochInfo&)> evaluate;
};

/// Trains p by mini-batch SGD on `objective` (already prepared for `network`): options' epochs,
/// batch size, sampler, schedule and momentum; the loss of epoch e is loss_for_epoch(e) (K classes);
/// targets.labels drive the batch sampler (refreshed when before_epoch rewrites them). Every draw
/// comes from rng. `function` names the public call in messages.
template <class Scalar>
std::vector<EpochInfo> sgd(Objective<Scalar>& objective, const Network<Scalar>& network, NetworkParameters<Scalar>& p,
                           const std::function<AnyLoss(long)>& loss_for_epoch, EpochTargets& targets,
                           const TrainerOptions& options, detail::EngineRef rng, const SgdHooks<Scalar>& hooks,
                           const char* function, Eigen::Index k) {
  const Eigen::Index n = objective.rows();
  const Eigen::VectorXi& labels = targets.labels;
  std::optional<BatchSampler> sampler;
  if (options.sampler) sampler.emplace(labels, *options.sampler);
  const Eigen::Index batch = std::min(options.batch_size, n);
  NetworkParameters<Scalar> g = p;
  MomentumUpdate<Scalar> update(p, options, network.head().has_bias());

  std::vector<EpochInfo> history;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  TrainingStep step;
  step.function = function;  // step.rate: of the last update, what a divergence at an epoch's first step reports
  for (long epoch = 0; epoch < options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    step.epoch = epoch;
    const AnyLoss loss = loss_for_epoch(epoch);
    if (loss.num_classes() != k)
      detail::throw_invalid(function, ": the loss of epoch ", epoch, " has ", loss.num_classes(), " classes, not ", k);
    if (hooks.before_epoch) {
      hooks.before_epoch(epoch);
      if (options.sampler) sampler.emplace(labels, *options.sampler);
    }
    objective.begin_epoch(step, loss, targets);
    if (sampler) {
      order = sampler->epoch_indices(epoch, rng);
    } else {
      order.resize(static_cast<std::size_t>(n));
      for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
      shuffle(order.begin(), order.end(), rng);
    }
    const auto count = static_cast<Eigen::Index>(order.size());
    const long per_epoch = static_cast<long>(count / batch + (count % batch != 0));
    double loss_sum = 0;
    long iteration = 0;
    for (Eigen::Index start_row = 0; start_row < count; start_row += batch, ++iteration) {
      const Eigen::Index b = std::min(batch, count - start_row);
      step.iteration = iteration;
      loss_sum += objective.evaluate_with_gradient(network, p, order.data() + start_row, b, step, g);
      step.rate = options.learning_rate.rate(epoch, iteration, per_epoch, options.epochs);
      update.step(p, g, step.rate);
    }
    if (hooks.store) hooks.store(p);
    EpochInfo info;
    info.epoch = epoch;
    info.epochs = options.epochs;
    info.mean_loss = loss_sum / static_cast<double>(std::max<long>(1, iteration));
    info.learning_rate = step.rate;
    if (!std::isfinite(info.mean_loss))
      detail::throw_invalid(function, ": training diverged at epoch ", epoch, " (loss ", info.mean_loss,
                            "); lower the learning rate");
    if (hooks.evaluate) hooks.evaluate(info);
    info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.on_epoch) options.on_epoch(info);
    history.push_back(info);
  }
  return history;
}

IMBALANCE_EXTERN_TEMPLATE(class MomentumUpdate<double>)
IMBALANCE_EXTERN_TEMPLATE(class MomentumUpdate<float>)
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> sgd<double>(Objective<double>&, const Network<double>&,
                                                             NetworkParameters<double>&,
                                                             const std::function<AnyLoss(long)>&, EpochTargets&,
                                                             const TrainerOptions&, detail::EngineRef,
                                                             const SgdHooks<double>&, const char*, Eigen::Index))
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> sgd<float>(Objective<float>&, const Network<float>&,
                                                            NetworkParameters<float>&,
                                                            const std::function<AnyLoss(long)>&, EpochTargets&,
                                                            const TrainerOptions&, detail::EngineRef,
                                                            const SgdHooks<float>&, const char*, Eigen::Index))

}  // namespace imbalance
