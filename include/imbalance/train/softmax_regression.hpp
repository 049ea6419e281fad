#pragma once
/// @file
/// Multinomial logistic regression trained by mini-batch SGD with momentum, on any loss of the
/// library (through its value_and_gradient; gradients back-propagated by hand, no autodiff).
///
/// Heads: Head::Linear, logits Z = X W + 1 b^T (W: d x K, b: K), or Head::Cosine, the cosine
/// classifier of LDAM-DRW's official code (NormedLinear): Z = X^ W^ with rows of X and columns of W
/// scaled to unit norm and no bias (LDAM's scale s multiplies these cosines inside the loss). Every
/// loss trains with either head; on tabular data LDAM usually does better on the linear one.
/// Backward, for G = dL/dZ of a batch: dW = X^T G, db = sum_i G_i; for the cosine classifier
/// dW_j = (I - w^_j w^_j^T) (X^^T G)_j / ||w_j||.
/// SGD as PyTorch: v <- momentum v + (g + weight_decay theta), theta <- theta - lr v (weight decay
/// on W and b). Learning rate: cosine or step schedule with linear warm-up (lr_schedule.hpp).
/// Batches: a shuffled permutation per epoch, or a BatchSampler (class-balanced, square-root,
/// progressive). The loss may change per epoch (DRW): fit takes a callable epoch -> loss. Data-level
/// resampling happens before fit (pass the same generator to both for one reproducible stream);
/// progress is reported through the on_epoch callback (the trainer never prints).
/// Deterministic for a seed or a caller's generator: every draw goes through the library's portable
/// generator. Precision::Float trains in float end to end (features, parameters, logits, the loss
/// and its gradient: twice the SIMD width and half the memory traffic of double); the trained
/// parameters are then kept as double. Defaults: 30 epochs, batch 128, lr 0.1 without warm-up
/// (lr_schedule.hpp), momentum 0.9, weight decay 5e-4, cosine schedule, linear head, double.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/sampling/batch_sampler.hpp"
#include "imbalance/train/lr_schedule.hpp"

namespace imbalance {

/// What the trainer reports after each epoch.
struct EpochInfo {
  long epoch = 0;            // 0-based
  long epochs = 0;
  double mean_loss = 0;      // mean of the batch losses of the epoch
  double learning_rate = 0;  // at the epoch's last iteration
  /// Balanced accuracy on the training data (only with evaluate_each_epoch).
  std::optional<double> train_balanced_accuracy;
  double seconds = 0;
};

/// The classifier on top of the features.
enum class Head {
  Linear,  ///< Z = X W + b
  Cosine   ///< Z = X^ W^ (unit rows and columns, no bias): LDAM-DRW's NormedLinear
};

/// The arithmetic of training.
enum class Precision { Double, Float };

struct TrainerOptions {
  long epochs = 30;
  Eigen::Index batch_size = 128;
  LearningRateSchedule learning_rate;
  double momentum = 0.9;
  double weight_decay = 5e-4;
  Head head = Head::Linear;
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

class SoftmaxRegression {
 public:
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  SoftmaxRegression() = default;

  const Eigen::MatrixXd& weights() const noexcept { return weights_; }
  const Eigen::RowVectorXd& bias() const noexcept { return bias_; }
  /// The head of the trained (or set) parameters.
  Head head() const noexcept { return normalized_ ? Head::Cosine : Head::Linear; }
  Eigen::Index num_classes() const noexcept { return weights_.cols(); }

  /// Sets the parameters directly (d x K weights, K bias).
  void set_parameters(Eigen::MatrixXd weights, Eigen::RowVectorXd bias, Head head = Head::Linear) {
    const char* function = "SoftmaxRegression::set_parameters()";
    check_non_empty(function, "weights", weights.size());
    check_shape(function, "bias", bias.rows(), bias.cols(), 1, weights.cols());
    weights_ = std::move(weights);
    bias_ = std::move(bias);
    normalized_ = head == Head::Cosine;
  }

  /// Trains on (X, y) with a fixed loss, or with loss_for_epoch(epoch), a loss per epoch (e.g. DRW's
  /// weights switch); draws from a generator seeded with options.seed.
  template <class DX, class DY, class Loss>
  std::vector<EpochInfo> fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                             const TrainerOptions& options = {}) {
    Rng rng(options.seed);
    return fit(X, y, loss, options, rng);
  }

  /// The same, drawing from the caller's generator (e.g. the one that resampled the data).
  template <class DX, class DY, class Loss, class Engine>
  std::vector<EpochInfo> fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                             const TrainerOptions& options, Engine& rng) {
    if constexpr (std::is_invocable<const Loss&, long>::value)
      return fit_epochs(X, y, loss, options, rng);
    else
      return fit_epochs(X, y, [&loss](long) -> const Loss& { return loss; }, options, rng);
  }

 private:
  template <class DX, class DY, class LossForEpoch, class Engine>
  std::vector<EpochInfo> fit_epochs(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                    const LossForEpoch& loss_for_epoch, const TrainerOptions& options, Engine& rng) {
    const char* function = "SoftmaxRegression::fit()";
    check_non_empty(function, "X", X.rows());
    check_same_length(function, "y", y.size(), "X", X.rows());
    check_finite(function, "X", X);
    if (options.epochs < 1) detail::throw_invalid(function, ": epochs must be >= 1 (got ", options.epochs, ")");
    if (options.batch_size < 1) detail::throw_invalid(function, ": batch_size must be >= 1 (got ", options.batch_size, ")");
    check_non_negative(function, "momentum", options.momentum);
    check_non_negative(function, "weight_decay", options.weight_decay);
    options.learning_rate.validate(function);
    const Eigen::Index k = loss_for_epoch(0).num_classes();
    check_labels(function, "y", y, k);
    if (options.precision == Precision::Float) return train<float>(X, y, loss_for_epoch, options, rng, k);
    return train<double>(X, y, loss_for_epoch, options, rng, k);
  }

  // The training loop in Scalar arithmetic; the parameters are copied into weights_ and bias_ after
  // every epoch (what on_epoch and the caller see).
  template <class Scalar, class DX, class DY, class LossForEpoch, class Engine>
  std::vector<EpochInfo> train(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                               const LossForEpoch& loss_for_epoch, const TrainerOptions& options, Engine& rng,
                               Eigen::Index k) {
    using Rows = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    const char* function = "SoftmaxRegression::fit()";
    Rows x = X.derived().template cast<Scalar>();
    const Eigen::VectorXi labels = y.derived().template cast<int>();
    const Eigen::Index n = x.rows(), d = x.cols();
    normalized_ = options.head == Head::Cosine;
    if (normalized_) normalize_rows(x);
    initialize(d, k, rng);
    Matrix weights = weights_.cast<Scalar>();
    RowVector bias = bias_.cast<Scalar>();
    const auto momentum = static_cast<Scalar>(options.momentum), decay = static_cast<Scalar>(options.weight_decay);

    std::optional<BatchSampler> sampler;
    if (options.sampler) sampler.emplace(labels, *options.sampler);
    const Eigen::Index batch = std::min(options.batch_size, n);
    // Buffers sized once: no allocation inside the epoch loop but the epoch's index list.
    Rows x_batch(batch, d), logits(batch, k), grad(batch, k);
    Eigen::VectorXi y_batch(batch);
    Matrix grad_w(d, k), velocity_w = Matrix::Zero(d, k);
    RowVector grad_b(k), velocity_b = RowVector::Zero(k);
    Matrix unit_w(d, k);
    RowVector norms_w(k), projection(k);

    std::vector<EpochInfo> history;
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    for (long epoch = 0; epoch < options.epochs; ++epoch) {
      const auto start = std::chrono::steady_clock::now();
      const auto& loss = loss_for_epoch(epoch);
      if (loss.num_classes() != k)
        detail::throw_invalid(function, ": the loss of epoch ", epoch, " has ", loss.num_classes(), " classes, not ", k);
      if (sampler) {
        order = sampler->epoch_indices(epoch, rng);
      } else {
        order.resize(static_cast<std::size_t>(n));
        for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
        shuffle(order.begin(), order.end(), rng);
      }
      const auto count = static_cast<Eigen::Index>(order.size());
      const long per_epoch = static_cast<long>(count / batch + (count % batch != 0));
      double loss_sum = 0, rate = 0;
      long iteration = 0;
      for (Eigen::Index start_row = 0; start_row < count; start_row += batch, ++iteration) {
        const Eigen::Index b = std::min(batch, count - start_row);
        for (Eigen::Index r = 0; r < b; ++r) {
          const Eigen::Index source = order[static_cast<std::size_t>(start_row + r)];
          x_batch.row(r) = x.row(source);
          y_batch(r) = labels(source);
        }
        auto xb = x_batch.topRows(b);
        auto zb = logits.topRows(b);
        auto gb = grad.topRows(b);
        if (normalized_) {
          unit_weights(weights, norms_w, unit_w);
          zb.noalias() = xb * unit_w;
        } else {
          zb.noalias() = xb * weights;
          zb.rowwise() += bias;
        }
        // Diverged parameters show first as non-finite logits: say so, not what the loss would say.
        if (!zb.allFinite())
          detail::throw_invalid(function, ": training diverged at epoch ", epoch, ", iteration ", iteration,
                                ": the logits are no longer finite (learning rate ", rate,
                                "); lower the learning rate");
        loss_sum += static_cast<double>(loss.value_and_gradient(zb, y_batch.head(b), gb));
        grad_w.noalias() = xb.transpose() * gb;
        if (normalized_) {
          through_normalization(unit_w, norms_w, projection, grad_w);
        } else {
          grad_b = gb.colwise().sum();
        }
        rate = options.learning_rate.rate(epoch, iteration, per_epoch, options.epochs);
        const auto step = static_cast<Scalar>(rate);
        velocity_w = momentum * velocity_w + grad_w + decay * weights;
        weights -= step * velocity_w;
        if (!normalized_) {
          velocity_b = momentum * velocity_b + grad_b + decay * bias;
          bias -= step * velocity_b;
        }
      }
      weights_ = weights.template cast<double>();
      bias_ = bias.template cast<double>();
      EpochInfo info;
      info.epoch = epoch;
      info.epochs = options.epochs;
      info.mean_loss = loss_sum / static_cast<double>(std::max<long>(1, iteration));
      info.learning_rate = rate;
      if (!std::isfinite(info.mean_loss))
        detail::throw_invalid(function, ": training diverged at epoch ", epoch, " (loss ", info.mean_loss,
                              "); lower the learning rate");
      if (options.evaluate_each_epoch)
        info.train_balanced_accuracy = balanced_accuracy(labels, argmax_rows(logits_of(x, weights, bias)), k);
      info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (options.on_epoch) options.on_epoch(info);
      history.push_back(info);
    }
    return history;
  }

 public:
  /// Logits (N x K) of the trained model.
  template <class DX>
  RowMatrix logits(const Eigen::DenseBase<DX>& X) const {
    const char* function = "SoftmaxRegression::logits()";
    if (weights_.size() == 0) detail::throw_invalid(function, ": the model is not trained");
    check_shape(function, "X", X.rows(), X.cols(), -1, weights_.rows());
    check_finite(function, "X", X);
    RowMatrix x = X.derived().template cast<double>();
    if (normalized_) normalize_rows(x);
    return prepared_logits(x);
  }

  template <class DX>
  Eigen::VectorXi predict(const Eigen::DenseBase<DX>& X) const {
    return argmax_rows(logits(X));
  }

  /// Full-batch loss of the current parameters on (X, y), with dL/dW and dL/db (db is zero for the
  /// cosine classifier). Used to check the hand-written backward pass against finite differences.
  template <class DX, class DY, class Loss>
  double objective(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                   Eigen::MatrixXd& grad_w, Eigen::RowVectorXd& grad_b) const {
    RowMatrix x = X.derived().template cast<double>();
    if (normalized_) normalize_rows(x);
    RowMatrix z = prepared_logits(x), g(z.rows(), z.cols());
    const double value = static_cast<double>(loss.value_and_gradient(z, y, g));
    grad_w = x.transpose() * g;
    grad_b = normalized_ ? Eigen::RowVectorXd::Zero(g.cols()) : Eigen::RowVectorXd(g.colwise().sum());
    if (normalized_) {
      Eigen::RowVectorXd norms, projection;
      Eigen::MatrixXd unit;
      unit_weights(weights_, norms, unit);
      through_normalization(unit, norms, projection, grad_w);
    }
    return value;
  }

 private:
  template <class Rows>
  static void normalize_rows(Rows& x) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const auto norm = x.row(i).norm();
      if (norm > 1e-12) x.row(i) /= norm;
    }
  }

  template <class Engine>
  void initialize(Eigen::Index d, Eigen::Index k, Engine& rng) {
    bias_ = Eigen::RowVectorXd::Zero(k);
    if (!normalized_) {
      weights_ = Eigen::MatrixXd::Zero(d, k);  // the problem is convex: start at the origin
      return;
    }
    // NormedLinear's init: uniform(-1, 1) columns scaled to unit norm (a zero W has no direction).
    weights_.resize(d, k);
    for (Eigen::Index j = 0; j < k; ++j)
      for (Eigen::Index i = 0; i < d; ++i) weights_(i, j) = uniform_real(rng, -1.0, 1.0);
    Eigen::RowVectorXd norms;
    Eigen::MatrixXd unit;
    unit_weights(weights_, norms, unit);
    weights_ = unit;
  }

  // Cosine classifier: the column norms of W and W^ = W / ||w_j|| (into caller-owned buffers).
  template <class Matrix, class RowVector>
  static void unit_weights(const Matrix& weights, RowVector& norms, Matrix& unit) {
    norms = weights.colwise().norm().cwiseMax(typename Matrix::Scalar(1e-12));
    unit = weights.array().rowwise() / norms.array();
  }

  // Back-propagates dL/dW^ (in grad) through W^ = W / ||w_j||:
  // dW_j = (g_j - w^_j (w^_j . g_j)) / ||w_j||. `projection` is scratch.
  template <class Matrix, class RowVector>
  static void through_normalization(const Matrix& unit, const RowVector& norms, RowVector& projection, Matrix& grad) {
    projection = (unit.array() * grad.array()).colwise().sum();
    grad = ((grad - unit * projection.asDiagonal()).array().rowwise() / norms.array()).matrix();
  }

  // Logits of prepared (for the cosine head: unit-row) features under the given parameters.
  template <class Rows, class Matrix, class RowVector>
  Rows logits_of(const Rows& x, const Matrix& weights, const RowVector& bias) const {
    if (normalized_) {
      RowVector norms;
      Matrix unit;
      unit_weights(weights, norms, unit);
      return x * unit;
    }
    Rows z = x * weights;
    z.rowwise() += bias;
    return z;
  }

  RowMatrix prepared_logits(const RowMatrix& x) const { return logits_of(x, weights_, bias_); }

  Eigen::MatrixXd weights_;
  Eigen::RowVectorXd bias_;
  bool normalized_ = false;
};

}  // namespace imbalance
