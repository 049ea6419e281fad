#pragma once
/// @file
/// Any loss of the library as a libtorch autograd function (the `imbalance::torch` CMake target).
///
///   forward:  L = loss.value_and_gradient(Z, y, G)   on the logits tensor's own memory (Z is N x K)
///   backward: dL_total/dZ = G * dL_total/dL           (G = dL/dZ, stored by forward; no second pass)
/// Tensors: CPU, float32 or float64 (the loss computes in the logits' precision); a contiguous
/// logits tensor is read in place, a non-contiguous one is copied once (contiguous_matrix()). The
/// gradient is written straight into the tensor autograd returns. Labels are int64 or int32.
/// The value is the loss's reduced value (for Reduction::None, the sum of the per-sample losses,
/// whose gradient it is), a 0-dim tensor of the logits' dtype.
///
/// Once differentiable by design: the gradient is exact and has no derivative of its own. A backward
/// with create_graph=true (a gradient penalty L + lambda ||dL/dz||^2) gets gradients that raise
/// "trying to differentiate twice" when something is differentiated through them, as PyTorch's
/// once_differentiable functions do, instead of contributing a silent zero.
///
/// Schedules: Loss::set_epoch(e) rebuilds the loss from a per-epoch function (DRW: the class weights
/// switch at an epoch; LDAM-DRW is LDAMLoss with DeferredReweighting::weights(e)), as the library's
/// own trainer does, so that a normal libtorch loop needs one call per epoch.

#include <functional>
#include <utility>

#include "imbalance/core/eigen.hpp"
#include <torch/autograd.h>
#include <torch/csrc/autograd/functions/basic_ops.h>

#include "imbalance/core/error.hpp"
#include "imbalance/libtorch/tensor.hpp"
#include "imbalance/losses/any_loss.hpp"

namespace imbalance::libtorch {

namespace detail {

// value_and_gradient of `loss` on contiguous logits z (and features h when given) into g (and gh).
inline double run_loss(const AnyLoss& loss, const torch::Tensor& z, const Eigen::VectorXi& y, torch::Tensor& g,
                       const torch::Tensor* sample_weights, const torch::Tensor* h, torch::Tensor* gh) {
  const auto dispatch = [&](auto zero) -> double {
    using S = decltype(zero);
    const auto logits = matrix_view<S>(z);
    auto grad = mutable_matrix_view<S>(g);
    if (h != nullptr) {
      auto grad_features = mutable_matrix_view<S>(*gh);
      return loss.value_and_gradient(logits, y, matrix_view<S>(*h), grad, grad_features);
    }
    if (sample_weights != nullptr) {
      const torch::Tensor w = sample_weights->to(z.scalar_type()).contiguous();
      const Eigen::Map<const Eigen::Matrix<S, Eigen::Dynamic, 1>> weights(w.data_ptr<S>(), w.size(0));
      return loss.value_and_gradient(logits, y, grad, weights);
    }
    return loss.value_and_gradient(logits, y, grad);
  };
  return z.scalar_type() == torch::kDouble ? dispatch(double{}) : dispatch(float{});
}

inline Eigen::VectorXi checked_labels(const char* function, const torch::Tensor& labels, const torch::Tensor& z) {
  Eigen::VectorXi y = labels_vector(labels, function);
  if (y.size() != z.size(0))
    imbalance::detail::throw_invalid(function, ": labels has ", y.size(), " entries, logits has ", z.size(0), " rows");
  return y;
}

// The stored gradient times the incoming scalar; as it is for the usual loss.backward() (incoming 1),
// saving a pass over N x K. Autograd never writes into a gradient it does not own alone (this node
// still holds it), so the stored one stays intact for a retained graph's second backward.
inline torch::Tensor scaled(const torch::Tensor& gradient, const torch::Tensor& incoming) {
  if (!incoming.defined() || incoming.item<double>() == 1.0) return gradient;
  return gradient * incoming;
}

// The gradients a backward returns, marked once-differentiable: with grad mode on (a backward with
// create_graph=true) each defined one becomes an alias whose derivative is an error node, as
// torch.autograd.function.once_differentiable does; otherwise (the usual backward) unchanged.
inline torch::autograd::variable_list once_differentiable(torch::autograd::variable_list gradients) {
  if (!torch::GradMode::is_enabled()) return gradients;
  torch::autograd::variable_list defined;
  for (const auto& g : gradients)
    if (g.defined()) defined.push_back(g.detach().requires_grad_(true));
  auto error = std::make_shared<torch::autograd::DelayedError>(
      "trying to differentiate twice an imbalance::libtorch loss (its gradient is exact, its second derivative is "
      "outside this adapter's contract: no gradient penalty or Hessian through it)",
      static_cast<int>(defined.size()));
  torch::autograd::variable_list wrapped = (*error)(std::move(defined));
  std::size_t next = 0;
  for (auto& g : gradients)
    if (g.defined()) g = wrapped[next++];
  return gradients;
}

}  // namespace detail

/// The autograd node of a reduced library loss on (logits, labels): forward runs
/// value_and_gradient once and keeps dL/dlogits; backward scales it by the incoming gradient.
struct LossFunction : torch::autograd::Function<LossFunction> {
  /// Runs the loss on the logits tensor's memory, keeps dL/dlogits, returns L as a 0-dim tensor.
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& logits,
                               const torch::Tensor& labels, const AnyLoss& loss) {
    const char* function = "libtorch::LossFunction::forward()";
    const torch::Tensor z = contiguous_matrix(function, "logits", logits, loss.num_classes());
    const Eigen::VectorXi y = detail::checked_labels(function, labels, z);
    torch::Tensor gradient = torch::empty_like(z);
    const double value = detail::run_loss(loss, z, y, gradient, nullptr, nullptr, nullptr);
    context->saved_data["gradient"] = gradient;
    return torch::scalar_tensor(value, z.options());
  }
  /// dL/dlogits times the incoming gradient; none for the labels and the loss.
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 torch::autograd::variable_list incoming) {
    return detail::once_differentiable(
        {detail::scaled(context->saved_data["gradient"].toTensor(), incoming[0]), torch::Tensor(), torch::Tensor()});
  }
};

/// The same with per-sample weights s_i (the loss's own normaliser; no gradient to the weights).
struct WeightedLossFunction : torch::autograd::Function<WeightedLossFunction> {
  /// Runs the loss with per-sample weights; keeps dL/dlogits, returns L.
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& logits,
                               const torch::Tensor& labels, const torch::Tensor& sample_weights, const AnyLoss& loss) {
    const char* function = "libtorch::WeightedLossFunction::forward()";
    const torch::Tensor z = contiguous_matrix(function, "logits", logits, loss.num_classes());
    const Eigen::VectorXi y = detail::checked_labels(function, labels, z);
    detail::check_cpu_dense(function, "sample_weights", sample_weights, 1);
    detail::check_floating(function, "sample_weights", sample_weights);
    if (sample_weights.size(0) != z.size(0))
      imbalance::detail::throw_invalid(function, ": sample_weights has ", sample_weights.size(0),
                                       " entries, logits has ", z.size(0), " rows");
    if (!loss.accepts_sample_weights())
      imbalance::detail::throw_invalid(function, ": this loss takes no per-sample weights");
    torch::Tensor gradient = torch::empty_like(z);
    const double value = detail::run_loss(loss, z, y, gradient, &sample_weights, nullptr, nullptr);
    context->saved_data["gradient"] = gradient;
    return torch::scalar_tensor(value, z.options());
  }
  /// dL/dlogits times the incoming gradient; none for the labels, weights and loss.
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 torch::autograd::variable_list incoming) {
    return detail::once_differentiable({detail::scaled(context->saved_data["gradient"].toTensor(), incoming[0]),
                                        torch::Tensor(), torch::Tensor(), torch::Tensor()});
  }
};

/// The same for a loss that also reads the head's input features (the IB loss's ||h||_1):
/// gradients to the logits and to the features.
struct FeatureLossFunction : torch::autograd::Function<FeatureLossFunction> {
  /// Runs the loss on logits and features; keeps both gradients, returns L.
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& logits,
                               const torch::Tensor& features, const torch::Tensor& labels, const AnyLoss& loss) {
    const char* function = "libtorch::FeatureLossFunction::forward()";
    const torch::Tensor z = contiguous_matrix(function, "logits", logits, loss.num_classes());
    const torch::Tensor h = contiguous_matrix(function, "features", features);
    if (h.size(0) != z.size(0) || h.scalar_type() != z.scalar_type())
      imbalance::detail::throw_invalid(function, ": features (", detail::shape_of(h), ", ",
                                       torch::toString(h.scalar_type()), ") must have the logits' rows and dtype (",
                                       detail::shape_of(z), ", ", torch::toString(z.scalar_type()), ")");
    const Eigen::VectorXi y = detail::checked_labels(function, labels, z);
    torch::Tensor gradient = torch::empty_like(z);
    torch::Tensor feature_gradient = torch::empty_like(h);
    const double value = detail::run_loss(loss, z, y, gradient, nullptr, &h, &feature_gradient);
    context->saved_data["gradient"] = gradient;
    context->saved_data["feature_gradient"] = feature_gradient;
    return torch::scalar_tensor(value, z.options());
  }
  /// dL/dlogits and dL/dfeatures times the incoming gradient.
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 torch::autograd::variable_list incoming) {
    return detail::once_differentiable({detail::scaled(context->saved_data["gradient"].toTensor(), incoming[0]),
                                        detail::scaled(context->saved_data["feature_gradient"].toTensor(), incoming[0]),
                                        torch::Tensor(), torch::Tensor()});
  }
};

/// A criterion for libtorch training loops: `Loss criterion(LDAMLoss(counts)); auto l = criterion(z, y);
/// l.backward();`. Holds a fixed loss, or a schedule epoch -> loss that set_epoch() applies.
class Loss {
 public:
  /// The loss of the library at every epoch (any type AnyLoss takes).
  explicit Loss(AnyLoss loss) : loss_(std::move(loss)) {}
  /// loss_for_epoch(e) at epoch e (set_epoch); starts at epoch 0.
  explicit Loss(std::function<AnyLoss(long)> loss_for_epoch)
      : schedule_(std::move(loss_for_epoch)), loss_(checked_schedule(schedule_)(0)) {}

  /// The reduced loss of logits (N x K) and labels (N); differentiable in the logits.
  torch::Tensor operator()(const torch::Tensor& logits, const torch::Tensor& labels) const {
    return LossFunction::apply(logits, labels, loss_);
  }
  /// The loss of per-sample weighted losses s_i l_i (for losses that take per-sample weights).
  torch::Tensor operator()(const torch::Tensor& logits, const torch::Tensor& labels,
                           const torch::Tensor& sample_weights) const {
    return WeightedLossFunction::apply(logits, labels, sample_weights, loss_);
  }
  /// The loss given the head's input features too; differentiable in the logits and the features.
  torch::Tensor with_features(const torch::Tensor& logits, const torch::Tensor& features,
                              const torch::Tensor& labels) const {
    return FeatureLossFunction::apply(logits, features, labels, loss_);
  }

  /// Moves to epoch e: the schedule's loss for e (a fixed loss stays as it is).
  void set_epoch(long epoch) {
    if (epoch < 0) imbalance::detail::throw_invalid("libtorch::Loss::set_epoch(): epoch must be >= 0 (got ", epoch, ")");
    if (schedule_) loss_ = schedule_(epoch);
  }
  /// Replaces the loss (and drops a schedule).
  void set_loss(AnyLoss loss) {
    schedule_ = nullptr;
    loss_ = std::move(loss);
  }
  /// The loss in use.
  const AnyLoss& loss() const noexcept { return loss_; }
  /// K, the number of logits per sample.
  Eigen::Index num_classes() const { return loss_.num_classes(); }

 private:
  static const std::function<AnyLoss(long)>& checked_schedule(const std::function<AnyLoss(long)>& schedule) {
    if (!schedule) imbalance::detail::throw_invalid("libtorch::Loss::Loss(): loss_for_epoch is empty");
    return schedule;
  }
  std::function<AnyLoss(long)> schedule_;
  AnyLoss loss_;
};

}  // namespace imbalance::libtorch
