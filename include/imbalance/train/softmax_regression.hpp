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
/// Optional hidden layer (TrainerOptions::hidden_units > 0): H = relu(X W1 + b1) is learned and the
/// head classifies H (the representation a two-stage recipe freezes: features(), set_head()).
/// Backward: dH = G W^T (through the row normalisation for the cosine head), dA = dH o [A > 0],
/// dW1 = X^T dA, db1 = sum_i dA_i; W1 and b1 start as PyTorch's nn.Linear (uniform +-1/sqrt(d)),
/// the head then as well (a zero head would pass no gradient to W1).
/// Head::ETF: a learnable projection U = F P + c of the head's input F, rows normalised to U^, and
/// the fixed simplex ETF M (simplex_etf): Z = U^ M. It trains with the dot-regression loss on U^
/// (Yang et al. 2022; the loss given to fit only sets K), dU = (I - u^ u^^T) dU^ / ||u||.
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

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/heads/simplex_etf.hpp"
#include "imbalance/losses/any_loss.hpp"
#include "imbalance/losses/dot_regression.hpp"
#include "imbalance/losses/soft_target_cross_entropy.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/sampling/batch_sampler.hpp"
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

class SoftmaxRegression;
/// Called before every epoch with the model as it stands (initialised, before epoch 0).
using EpochTargetsRefresh = std::function<void(long epoch, const SoftmaxRegression& model, EpochTargets& targets)>;

/// Multinomial logistic regression trained by mini-batch SGD with momentum, on any loss of the library (through its value_and_gradient; gradients back-propagated by hand, no autodiff). See imbalance/train/softmax_regression.hpp for the formula, the paper and the defaults.
class SoftmaxRegression {
 public:
  /// Row-major double matrix.
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  SoftmaxRegression() = default;

  /// The head's weights: F x K (Head::ETF: the projection, F x E), F = d or the hidden width.
  const Eigen::MatrixXd& weights() const noexcept { return weights_; }
  /// The head's bias b.
  const Eigen::RowVectorXd& bias() const noexcept { return bias_; }
  /// The head of the trained (or set) parameters.
  Head head() const noexcept { return head_; }
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return head_ == Head::ETF ? etf_.cols() : weights_.cols(); }
  /// The hidden layer (d x H and H), empty without one.
  bool has_hidden_layer() const noexcept { return hidden_weights_.size() != 0; }
  /// The hidden layer's weights.
  const Eigen::MatrixXd& hidden_weights() const noexcept { return hidden_weights_; }
  /// The hidden layer's bias.
  const Eigen::RowVectorXd& hidden_bias() const noexcept { return hidden_bias_; }
  /// Head::ETF: the fixed E x K simplex ETF.
  const Eigen::MatrixXd& etf() const noexcept { return etf_; }

  /// Sets the parameters of a model without hidden layer (d x K weights, K bias).
  void set_parameters(Eigen::MatrixXd weights, Eigen::RowVectorXd bias, Head head = Head::Linear) {
    hidden_weights_.resize(0, 0);
    hidden_bias_.resize(0);
    set_head(std::move(weights), std::move(bias), head);
  }

  /// Replaces the head (F x K weights and K bias, F the width of features()), keeping the hidden
  /// layer: how a re-trained classifier (cRT) is put on a frozen representation.
  void set_head(Eigen::MatrixXd weights, Eigen::RowVectorXd bias, Head head = Head::Linear) {
    const char* function = "SoftmaxRegression::set_head()";
    check_non_empty(function, "weights", weights.size());
    check_shape(function, "bias", bias.rows(), bias.cols(), 1, weights.cols());
    if (head == Head::ETF) detail::throw_invalid(function, ": an ETF head is only made by fit()");
    if (has_hidden_layer()) check_shape(function, "weights", weights.rows(), weights.cols(), hidden_weights_.cols(), -1);
    check_finite(function, "weights", weights);
    check_finite(function, "bias", bias);
    weights_ = std::move(weights);
    bias_ = std::move(bias);
    head_ = head;
    etf_.resize(0, 0);
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
    // Every loss trains through AnyLoss (one virtual call per batch): the training loop is then
    // compiled once per scalar type, whatever the losses a program trains with.
    if constexpr (std::is_invocable<const Loss&, long>::value) {
      const LossSchedule schedule = [&loss](long epoch) { return AnyLoss(loss(epoch)); };
      return fit_epochs(X, y, schedule, options, rng);
    } else {
      const AnyLoss fixed(loss);
      const LossSchedule schedule = [fixed](long) { return fixed; };
      return fit_epochs(X, y, schedule, options, rng);
    }
  }

  /// Trains on X with targets that `refresh` may rewrite before every epoch (see EpochTargets); the
  /// loss (fixed or per epoch, as for fit) must take per-sample weights when targets carry them.
  /// Not with Head::ETF (its loss is the dot regression of the features).
  template <class DX, class Loss, class Engine>
  std::vector<EpochInfo> fit_with_targets(const Eigen::DenseBase<DX>& X, EpochTargets targets, const Loss& loss,
                                          const EpochTargetsRefresh& refresh, const TrainerOptions& options,
                                          Engine& rng) {
    if (options.head == Head::ETF)
      detail::throw_invalid("SoftmaxRegression::fit_with_targets(): the ETF head trains with its own dot-regression "
                            "loss; per-epoch targets need Head::Linear or Head::Cosine");
    LossSchedule schedule;
    if constexpr (std::is_invocable<const Loss&, long>::value) {
      schedule = [&loss](long epoch) { return AnyLoss(loss(epoch)); };
    } else {
      const AnyLoss fixed(loss);
      schedule = [fixed](long) { return fixed; };
    }
    return fit_epochs(X, targets.labels, schedule, options, rng, &targets, &refresh);
  }

 private:
  // Parameters in the training arithmetic.
  template <class Scalar>
  struct Parameters {
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    Matrix hidden_weights, weights, etf;
    RowVector hidden_bias, bias;
  };
  // Their gradients (same shapes).
  template <class Scalar>
  using Gradients = Parameters<Scalar>;

  // Buffers of one batch, sized once per fit (no allocation in the batch loop).
  template <class Scalar>
  struct Workspace {
    using Rows = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    using Column = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    Rows pre, act, unit_act, projected, unit_projected, logits, grad, grad_unit, grad_features, grad_loss_features;
    Column act_norms, projected_norms, row_dots;
    Matrix unit_w;
    RowVector norms_w, projection;
    // The batch's per-sample weights and soft targets (fit_with_targets), used when the flags are set.
    Column sample_weights;
    Rows soft_targets;
    bool weighted = false, soft = false;
    const SoftTargetCrossEntropy* soft_loss = nullptr;
    void resize(Eigen::Index b, Eigen::Index d, Eigen::Index hidden, Eigen::Index width, Eigen::Index k) {
      sample_weights.resize(b);
      soft_targets.resize(b, k);
      if (hidden > 0) {
        pre.resize(b, hidden);
        act.resize(b, hidden);
        unit_act.resize(b, hidden);
        act_norms.resize(b);
      }
      const Eigen::Index features = hidden > 0 ? hidden : d;
      projected.resize(b, width);
      unit_projected.resize(b, width);
      projected_norms.resize(b);
      grad_unit.resize(b, width);
      logits.resize(b, k);
      grad.resize(b, k);
      grad_features.resize(b, features);
      grad_loss_features.resize(b, features);
      row_dots.resize(b);
    }
  };

  using LossSchedule = std::function<AnyLoss(long)>;
  // The training copy of the data.
  template <class Scalar>
  using TrainingRows = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  template <class DX, class DY, class Engine>
  std::vector<EpochInfo> fit_epochs(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                    const LossSchedule& loss_for_epoch, const TrainerOptions& options, Engine& rng,
                                    EpochTargets* given_targets = nullptr, const EpochTargetsRefresh* refresh = nullptr) {
    const char* function = "SoftmaxRegression::fit()";
    check_non_empty(function, "X", X.rows());
    check_same_length(function, "y", y.size(), "X", X.rows());
    check_finite(function, "X", X);
    if (options.epochs < 1) detail::throw_invalid(function, ": epochs must be >= 1 (got ", options.epochs, ")");
    if (options.batch_size < 1) detail::throw_invalid(function, ": batch_size must be >= 1 (got ", options.batch_size, ")");
    if (options.hidden_units < 0)
      detail::throw_invalid(function, ": hidden_units must be >= 0 (got ", options.hidden_units, ")");
    check_non_negative(function, "momentum", options.momentum);
    check_non_negative(function, "weight_decay", options.weight_decay);
    check_non_negative(function, "hidden_weight_decay", options.hidden_weight_decay);
    check_non_negative(function, "etf_reg_lambda", options.etf_reg_lambda);
    options.learning_rate.validate(function);
    const Eigen::Index k = loss_for_epoch(0).num_classes();
    check_labels(function, "y", y, k);
    if (options.head == Head::ETF) {
      if (k < 2) detail::throw_invalid(function, ": the ETF head needs >= 2 classes (got ", k, ")");
      const Eigen::Index e = options.etf_dimension == 0 ? k : options.etf_dimension;
      if (e < k - 1)
        detail::throw_invalid(function, ": etf_dimension must be >= K - 1 = ", k - 1, " (a simplex ETF of ", k,
                              " classes needs that many dimensions), got ", options.etf_dimension);
    }
    EpochTargets own;
    EpochTargets& targets = given_targets ? *given_targets : own;
    if (!given_targets) targets.labels = y.derived().template cast<int>();
    check_targets(function, targets, X.rows(), k, -1);
    // The one copy of the data: X converted straight to the training arithmetic, row-major (a batch
    // is then a gather of contiguous rows).
    if (options.precision == Precision::Float) {
      TrainingRows<float> x = training_rows<float>(X);
      return train<float>(x, targets, refresh, loss_for_epoch, options, rng, k);
    }
    TrainingRows<double> x = training_rows<double>(X);
    return train<double>(x, targets, refresh, loss_for_epoch, options, rng, k);
  }

  // X as row-major Scalar rows. From a column-major matrix, a plain assignment reads X with a stride
  // of N for every element (a cache miss each: 0.2 s for 15k x 784); blocks of 32 rows keep the
  // source lines they touch in cache (the same values, ~10x faster).
  template <class Scalar, class DX>
  static TrainingRows<Scalar> training_rows(const Eigen::DenseBase<DX>& X) {
    TrainingRows<Scalar> x(X.rows(), X.cols());
    if constexpr (static_cast<bool>(DX::Flags & Eigen::RowMajorBit)) {
      x = X.derived().template cast<Scalar>();
    } else {
      constexpr Eigen::Index block = 32;
      for (Eigen::Index i = 0; i < X.rows(); i += block) {
        const Eigen::Index b = std::min(block, X.rows() - i);
        x.middleRows(i, b) = X.derived().middleRows(i, b).template cast<Scalar>();
      }
    }
    return x;
  }

  static void check_targets(const char* function, const EpochTargets& t, Eigen::Index n, Eigen::Index k, long epoch) {
    const std::string where = epoch < 0 ? std::string("targets") : "the targets refreshed for epoch " + std::to_string(epoch);
    if (t.labels.size() != n)
      detail::throw_invalid(function, ": ", where, ": labels has length ", t.labels.size(), ", not ", n);
    check_labels(function, "targets.labels", t.labels, k);
    if (t.sample_weights.size() != 0) {
      if (t.sample_weights.size() != n)
        detail::throw_invalid(function, ": ", where, ": sample_weights has length ", t.sample_weights.size(), ", not ", n);
      for (Eigen::Index i = 0; i < n; ++i)
        if (!(std::isfinite(t.sample_weights(i)) && t.sample_weights(i) >= 0))
          detail::throw_invalid(function, ": ", where, ": sample_weights[", i, "] must be finite and >= 0 (got ",
                                t.sample_weights(i), ")");
    }
    if (t.soft.size() != 0) {
      if (t.soft.rows() != n || t.soft.cols() != k)
        detail::throw_invalid(function, ": ", where, ": soft has shape ", t.soft.rows(), "x", t.soft.cols(), ", not ",
                              n, "x", k);
      if (!t.soft.allFinite() || (t.soft.array() < 0).any())
        detail::throw_invalid(function, ": ", where, ": soft targets must be finite and >= 0");
    }
  }

  // The training loop in Scalar arithmetic on x, the training copy of the data (which it may
  // normalise in place); the parameters are copied into the model after every epoch (what on_epoch
  // and the caller see).
  template <class Scalar, class Engine>
  std::vector<EpochInfo> train(TrainingRows<Scalar>& x, EpochTargets& targets, const EpochTargetsRefresh* refresh,
                               const LossSchedule& loss_for_epoch, const TrainerOptions& options, Engine& rng,
                               Eigen::Index k);

  // One batch: the loss of (xb, yb) under p, and its gradients into g. xb is the (prepared) input.
  template <class Scalar, class XB, class YB, class Loss>
  double forward_backward(const char* function, long epoch, long iteration, double rate, const Parameters<Scalar>& p,
                          const XB& xb, const YB& yb, const Loss& loss,
                          const std::optional<DotRegressionLoss>& dot_regression, Workspace<Scalar>& w,
                          Gradients<Scalar>& g) const {
    const Eigen::Index b = xb.rows();
    if (p.hidden_weights.size() == 0)
      return head_step(function, epoch, iteration, rate, p, xb, false, yb, loss, dot_regression, w, g);
    auto pre = w.pre.topRows(b);
    auto act = w.act.topRows(b);
    pre.noalias() = xb * p.hidden_weights;
    pre.rowwise() += p.hidden_bias;
    act = pre.cwiseMax(Scalar(0));
    const double value = head_step(function, epoch, iteration, rate, p, act, true, yb, loss, dot_regression, w, g);
    // dA = dH o [A > 0]
    auto df = w.grad_features.topRows(b);
    df = (pre.array() > Scalar(0)).select(df, Scalar(0));
    g.hidden_weights.noalias() = xb.transpose() * df;
    g.hidden_bias = df.colwise().sum();
    return value;
  }

  // The head on features f (b x F): the loss, the head's gradients into g and, when need_df,
  // dL/df into w.grad_features.
  template <class Scalar, class F, class YB, class Loss>
  double head_step(const char* function, long epoch, long iteration, double rate, const Parameters<Scalar>& p,
                   const F& f, bool need_df, const YB& yb, const Loss& loss,
                   const std::optional<DotRegressionLoss>& dot_regression, Workspace<Scalar>& w,
                   Gradients<Scalar>& g) const {
    const Eigen::Index b = f.rows();
    auto zb = w.logits.topRows(b);
    auto gb = w.grad.topRows(b);
    auto df = w.grad_features.topRows(b);
    bool loss_df = false;  // whether the loss wrote dL/df of its own (IB) into w.grad_loss_features
    double value = 0;
    if (head_ == Head::ETF) {
      auto u = w.projected.topRows(b);
      auto unit = w.unit_projected.topRows(b);
      auto norms = w.projected_norms.head(b);
      u.noalias() = f * p.weights;
      u.rowwise() += p.bias;
      check_logits(function, epoch, iteration, rate, u);
      unit_rows(u, norms, unit);
      auto du = w.grad_unit.topRows(b);
      value = static_cast<double>(dot_regression->value_and_gradient(unit, yb, du));
      through_row_normalization(unit, norms, w.row_dots.head(b), du);
      g.weights.noalias() = f.transpose() * du;
      g.bias = du.colwise().sum();
      if (need_df) df.noalias() = du * p.weights.transpose();
      return value;
    }
    if (head_ == Head::Cosine) {
      unit_weights(p.weights, w.norms_w, w.unit_w);
      if (need_df) {  // hidden features: normalised per batch, and back-propagated through
        auto unit = w.unit_act.topRows(b);
        unit_rows(f, w.act_norms.head(b), unit);
        zb.noalias() = unit * w.unit_w;
        check_logits(function, epoch, iteration, rate, zb);
        value = loss_value(loss, zb, yb, f, gb, w, loss_df);
        g.weights.noalias() = unit.transpose() * gb;
        df.noalias() = gb * w.unit_w.transpose();
        through_row_normalization(unit, w.act_norms.head(b), w.row_dots.head(b), df);
      } else {  // fixed input rows, normalised once before training
        zb.noalias() = f * w.unit_w;
        check_logits(function, epoch, iteration, rate, zb);
        value = loss_value(loss, zb, yb, f, gb, w, loss_df);
        g.weights.noalias() = f.transpose() * gb;
      }
      through_normalization(w.unit_w, w.norms_w, w.projection, g.weights);
    } else {
      zb.noalias() = f * p.weights;
      zb.rowwise() += p.bias;
      check_logits(function, epoch, iteration, rate, zb);
      value = loss_value(loss, zb, yb, f, gb, w, loss_df);
      g.weights.noalias() = f.transpose() * gb;
      g.bias = gb.colwise().sum();
      if (need_df) df.noalias() = gb * p.weights.transpose();
    }
    if (need_df && loss_df) df += w.grad_loss_features.topRows(b);
    return value;
  }

  // The loss of a batch; a loss that reads the head's input features also gets them (the IB loss),
  // its dL/dfeatures then in w.grad_loss_features (have_df set).
  template <class Loss, class Z, class YB, class F, class G, class Scalar>
  static double loss_value(const Loss& loss, const Z& zb, const YB& yb, const F& features, G& gb,
                           Workspace<Scalar>& w, bool& have_df) {
    const Eigen::Index b = zb.rows();
    auto gf = w.grad_loss_features.topRows(b);
    if constexpr (std::is_same<std::decay_t<Loss>, AnyLoss>::value) {
      if (w.soft) {
        if (w.weighted)
          return static_cast<double>(w.soft_loss->value_and_gradient(zb, w.soft_targets.topRows(b), gb, w.sample_weights.head(b)));
        return static_cast<double>(w.soft_loss->value_and_gradient(zb, w.soft_targets.topRows(b), gb));
      }
      if (w.weighted) {
        if (loss.uses_features())
          detail::throw_invalid("SoftmaxRegression::fit_with_targets(): a loss that reads the features (IB) takes no "
                                "per-sample weights");
        return loss.value_and_gradient(zb, yb, gb, w.sample_weights.head(b));
      }
      if (loss.uses_features()) {
        have_df = true;
        return loss.value_and_gradient(zb, yb, features, gb, gf);
      }
    } else if constexpr (reads_features<Loss, Z, YB, F, G, decltype(gf)>::value) {
      have_df = true;
      return static_cast<double>(loss.value_and_gradient(zb, yb, features, gb, gf));
    }
    return static_cast<double>(loss.value_and_gradient(zb, yb, gb));
  }

  // Whether a (non-AnyLoss) loss takes the head's input features: value_and_gradient(z, y, h, g, gh).
  template <class Loss, class Z, class YB, class F, class G, class GF, class = void>
  struct reads_features : std::false_type {};
  template <class Loss, class Z, class YB, class F, class G, class GF>
  struct reads_features<Loss, Z, YB, F, G, GF,
                        std::void_t<decltype(std::declval<const Loss&>().value_and_gradient(
                            std::declval<const Z&>(), std::declval<const YB&>(), std::declval<const F&>(),
                            std::declval<G&>(), std::declval<GF&>()))>> : std::true_type {};

  // Diverged parameters show first as non-finite logits: say so, not what the loss would say.
  template <class Z>
  static void check_logits(const char* function, long epoch, long iteration, double rate, const Z& z) {
    if (!z.allFinite())
      detail::throw_invalid(function, ": training diverged at epoch ", epoch, ", iteration ", iteration,
                            ": the logits are no longer finite (after an update at learning rate ", rate,
                            "); lower the learning rate");
  }

 public:
  /// Logits (N x K) of the trained model.
  template <class DX>
  RowMatrix logits(const Eigen::DenseBase<DX>& X) const {
    const char* function = "SoftmaxRegression::logits()";
    check_input(function, X);
    RowMatrix x = X.derived().template cast<double>();
    if (head_ == Head::Cosine && !has_hidden_layer()) normalize_rows(x);
    return prepared_logits(x);
  }

  /// The predicted class of every row of X.
  template <class DX>
  Eigen::VectorXi predict(const Eigen::DenseBase<DX>& X) const {
    return argmax_rows(logits(X));
  }

  /// The representation the head classifies: relu(X W1 + b1) with a hidden layer, X itself without.
  template <class DX>
  RowMatrix features(const Eigen::DenseBase<DX>& X) const {
    check_input("SoftmaxRegression::features()", X);
    RowMatrix x = X.derived().template cast<double>();
    if (!has_hidden_layer()) return x;
    RowMatrix h = x * hidden_weights_;
    h.rowwise() += hidden_bias_;
    return h.cwiseMax(0.0);
  }

  /// Logits of the head alone on representation rows F (N x the width of features()), e.g. RECORDS'
  /// prior from the mean feature.
  template <class DF>
  RowMatrix head_logits(const Eigen::DenseBase<DF>& F) const {
    const char* function = "SoftmaxRegression::head_logits()";
    if (weights_.size() == 0) detail::throw_invalid(function, ": the model is not trained");
    check_shape(function, "F", F.rows(), F.cols(), -1, weights_.rows());
    check_finite(function, "F", F);
    return head_part(F.derived().template cast<double>(), true);
  }

  /// Full-batch loss of the current parameters on (X, y), with dL/dW and dL/db of the head (db is
  /// zero for the cosine classifier). Used to check the hand-written backward pass against finite
  /// differences.
  template <class DX, class DY, class Loss>
  double objective(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                   Eigen::MatrixXd& grad_w, Eigen::RowVectorXd& grad_b) const {
    Eigen::MatrixXd unused_w;
    Eigen::RowVectorXd unused_b;
    return objective(X, y, loss, grad_w, grad_b, unused_w, unused_b);
  }

  /// The same with the hidden layer's gradients dL/dW1 and dL/db1 (empty without a hidden layer).
  template <class DX, class DY, class Loss>
  double objective(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                   Eigen::MatrixXd& grad_w, Eigen::RowVectorXd& grad_b, Eigen::MatrixXd& grad_hidden_w,
                   Eigen::RowVectorXd& grad_hidden_b) const {
    const char* function = "SoftmaxRegression::objective()";
    check_input(function, X);
    RowMatrix x = X.derived().template cast<double>();
    if (head_ == Head::Cosine && !has_hidden_layer()) normalize_rows(x);
    const Eigen::VectorXi labels = y.derived().template cast<int>();
    const AnyLoss any(loss);
    const Parameters<double> p = parameters<double>();
    Gradients<double> g = p;
    Workspace<double> w;
    w.resize(x.rows(), x.cols(), hidden_weights_.cols(), weights_.cols(), num_classes());
    std::optional<DotRegressionLoss> dot_regression;
    if (head_ == Head::ETF) dot_regression.emplace(etf_, dot_regression_options_);
    // The batch types of training (a block of rows, a segment of labels): one compiled backward pass.
    const double value = forward_backward(function, 0, 0, 0.0, p, x.topRows(x.rows()), labels.head(labels.size()), any,
                                          dot_regression, w, g);
    if (head_ == Head::Cosine) g.bias.setZero();
    grad_w = g.weights;
    grad_b = head_ == Head::Cosine ? Eigen::RowVectorXd::Zero(weights_.cols()) : Eigen::RowVectorXd(g.bias);
    grad_hidden_w = g.hidden_weights;
    grad_hidden_b = g.hidden_bias;
    return value;
  }

  /// Sets every parameter (for checks of the backward pass): hidden layer (may be empty), head.
  void set_all_parameters(Eigen::MatrixXd hidden_weights, Eigen::RowVectorXd hidden_bias, Eigen::MatrixXd weights,
                          Eigen::RowVectorXd bias) {
    const char* function = "SoftmaxRegression::set_all_parameters()";
    check_shape(function, "hidden_bias", hidden_bias.rows(), hidden_bias.cols(), 1, hidden_weights.cols());
    check_shape(function, "weights", weights.rows(), weights.cols(),
                hidden_weights.size() != 0 ? hidden_weights.cols() : weights.rows(), -1);
    check_shape(function, "bias", bias.rows(), bias.cols(), 1, weights.cols());
    if (head_ == Head::ETF) check_shape(function, "weights", weights.rows(), weights.cols(), -1, etf_.rows());
    hidden_weights_ = std::move(hidden_weights);
    hidden_bias_ = std::move(hidden_bias);
    weights_ = std::move(weights);
    bias_ = std::move(bias);
  }

 private:
  template <class DX>
  void check_input(const char* function, const Eigen::DenseBase<DX>& X) const {
    if (weights_.size() == 0) detail::throw_invalid(function, ": the model is not trained");
    check_shape(function, "X", X.rows(), X.cols(), -1, has_hidden_layer() ? hidden_weights_.rows() : weights_.rows());
    check_finite(function, "X", X);
  }

  template <class Rows>
  static void normalize_rows(Rows& x) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const auto norm = x.row(i).norm();
      if (norm > 1e-12) x.row(i) /= norm;
    }
  }

  // unit = rows of x scaled to unit norm (norms floored at 1e-12, as F.normalize), norms kept.
  template <class X, class Norms, class Unit>
  static void unit_rows(const X& x, Norms&& norms, Unit&& unit) {
    using Scalar = typename X::Scalar;
    norms = x.rowwise().norm().cwiseMax(Scalar(1e-12));
    unit = x.array().colwise() / norms.array();
  }

  // Back-propagates dL/du^ (in grad) through u^ = u / ||u|| row by row:
  // du = (g - u^ (u^ . g)) / ||u||. `dots` is scratch.
  template <class Unit, class Norms, class Dots, class Grad>
  static void through_row_normalization(const Unit& unit, const Norms& norms, Dots&& dots, Grad&& grad) {
    dots = (unit.array() * grad.array()).rowwise().sum();
    grad = ((grad - dots.asDiagonal() * unit).array().colwise() / norms.array()).matrix();
  }

  template <class Engine>
  void initialize(Eigen::Index d, Eigen::Index k, const TrainerOptions& options, Engine& rng) {
    const Eigen::Index hidden = options.hidden_units;
    hidden_weights_.resize(0, 0);
    hidden_bias_.resize(0);
    etf_.resize(0, 0);
    if (hidden > 0) {
      // PyTorch's nn.Linear initialisation: weights and bias uniform in +-1/sqrt(fan_in).
      const double bound = 1.0 / std::sqrt(static_cast<double>(d));
      hidden_weights_.resize(d, hidden);
      for (Eigen::Index j = 0; j < hidden; ++j)
        for (Eigen::Index i = 0; i < d; ++i) hidden_weights_(i, j) = uniform_real(rng, -bound, bound);
      hidden_bias_.resize(hidden);
      for (Eigen::Index j = 0; j < hidden; ++j) hidden_bias_(j) = uniform_real(rng, -bound, bound);
    }
    const Eigen::Index f = hidden > 0 ? hidden : d;
    const Eigen::Index width = head_ == Head::ETF ? (options.etf_dimension == 0 ? k : options.etf_dimension) : k;
    if (head_ == Head::ETF) {
      etf_ = simplex_etf(width, k, rng);
      dot_regression_options_ = DotRegressionOptions();
      dot_regression_options_.reg_lambda = options.etf_reg_lambda;
    }
    bias_ = Eigen::RowVectorXd::Zero(width);
    if (head_ == Head::Cosine) {
      // NormedLinear's init: uniform(-1, 1) columns scaled to unit norm (a zero W has no direction).
      weights_.resize(f, k);
      for (Eigen::Index j = 0; j < k; ++j)
        for (Eigen::Index i = 0; i < f; ++i) weights_(i, j) = uniform_real(rng, -1.0, 1.0);
      Eigen::RowVectorXd norms;
      Eigen::MatrixXd unit;
      unit_weights(weights_, norms, unit);
      weights_ = unit;
    } else if (hidden > 0 || head_ == Head::ETF) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(f));
      weights_.resize(f, width);
      for (Eigen::Index j = 0; j < width; ++j)
        for (Eigen::Index i = 0; i < f; ++i) weights_(i, j) = uniform_real(rng, -bound, bound);
      for (Eigen::Index j = 0; j < width; ++j) bias_(j) = uniform_real(rng, -bound, bound);
    } else {
      weights_ = Eigen::MatrixXd::Zero(d, k);  // the problem is convex: start at the origin
    }
  }

  template <class Scalar>
  Parameters<Scalar> parameters() const {
    Parameters<Scalar> p;
    p.hidden_weights = hidden_weights_.cast<Scalar>();
    p.hidden_bias = hidden_bias_.cast<Scalar>();
    p.weights = weights_.cast<Scalar>();
    p.bias = bias_.cast<Scalar>();
    p.etf = etf_.cast<Scalar>();
    return p;
  }
  template <class Scalar>
  static void set_zero(Parameters<Scalar>& p) {
    p.hidden_weights.setZero();
    p.hidden_bias.setZero();
    p.weights.setZero();
    p.bias.setZero();
  }
  template <class Scalar>
  void store(const Parameters<Scalar>& p) {
    hidden_weights_ = p.hidden_weights.template cast<double>();
    hidden_bias_ = p.hidden_bias.template cast<double>();
    weights_ = p.weights.template cast<double>();
    bias_ = p.bias.template cast<double>();
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

  // Logits of prepared input (for the cosine head without hidden layer: unit rows).
  RowMatrix prepared_logits(const RowMatrix& x) const {
    if (!has_hidden_layer()) return head_part(x, false);
    RowMatrix f = x * hidden_weights_;
    f.rowwise() += hidden_bias_;
    return head_part(f.cwiseMax(0.0), true);
  }

  // The head on features f; the cosine head normalises them when normalize (else they already are).
  RowMatrix head_part(RowMatrix f, bool normalize) const {
    if (head_ == Head::Cosine) {
      if (normalize) normalize_rows(f);
      Eigen::RowVectorXd norms;
      Eigen::MatrixXd unit;
      unit_weights(weights_, norms, unit);
      return f * unit;
    }
    RowMatrix z = f * weights_;
    z.rowwise() += bias_;
    if (head_ == Head::ETF) {
      Eigen::VectorXd norms;
      RowMatrix unit(z.rows(), z.cols());
      unit_rows(z, norms, unit);
      return unit * etf_;
    }
    return z;
  }

  Eigen::MatrixXd hidden_weights_;
  Eigen::RowVectorXd hidden_bias_;
  Eigen::MatrixXd weights_;
  Eigen::RowVectorXd bias_;
  Eigen::MatrixXd etf_;
  Head head_ = Head::Linear;
  DotRegressionOptions dot_regression_options_;
};

template <class Scalar, class Engine>
std::vector<EpochInfo> SoftmaxRegression::train(TrainingRows<Scalar>& x, EpochTargets& targets,
                                                const EpochTargetsRefresh* refresh, const LossSchedule& loss_for_epoch,
                                                const TrainerOptions& options, Engine& rng, Eigen::Index k) {
  using Rows = TrainingRows<Scalar>;
  const char* function = "SoftmaxRegression::fit()";
  const Eigen::Index n = x.rows(), d = x.cols();
  head_ = options.head;
  const Eigen::Index hidden = options.hidden_units;
  // Without a hidden layer the cosine head's input rows are fixed: normalised once.
  if (head_ == Head::Cosine && hidden == 0) normalize_rows(x);
  initialize(d, k, options, rng);
  Parameters<Scalar> p = parameters<Scalar>();
  Gradients<Scalar> g = p, velocity = p;
  set_zero(velocity);
  const auto momentum = static_cast<Scalar>(options.momentum), decay = static_cast<Scalar>(options.weight_decay);
  const auto hidden_decay = static_cast<Scalar>(options.hidden_weight_decay);
  std::optional<DotRegressionLoss> dot_regression;
  if (head_ == Head::ETF) {
    DotRegressionOptions o;
    o.reg_lambda = options.etf_reg_lambda;
    dot_regression.emplace(etf_, o);
  }

  const Eigen::VectorXi& labels = targets.labels;
  std::optional<BatchSampler> sampler;
  if (options.sampler) sampler.emplace(labels, *options.sampler);
  const Eigen::Index batch = std::min(options.batch_size, n);
  Rows x_batch(batch, d);
  Eigen::VectorXi y_batch(batch);
  Workspace<Scalar> work;
  work.resize(batch, d, hidden, weights_.cols(), k);
  std::optional<SoftTargetCrossEntropy> soft_loss;

  std::vector<EpochInfo> history;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  double rate = 0;  // of the last update: what a divergence at an epoch's first step reports
  for (long epoch = 0; epoch < options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const auto& loss = loss_for_epoch(epoch);
    if (loss.num_classes() != k)
      detail::throw_invalid(function, ": the loss of epoch ", epoch, " has ", loss.num_classes(), " classes, not ", k);
    if (refresh && *refresh) {
      (*refresh)(epoch, *this, targets);
      check_targets(function, targets, n, k, epoch);
      if (options.sampler) sampler.emplace(labels, *options.sampler);
    }
    work.weighted = targets.sample_weights.size() != 0;
    work.soft = targets.soft.size() != 0;
    if (work.weighted && !work.soft && !loss.accepts_sample_weights())
      detail::throw_invalid(function, ": the loss of epoch ", epoch, " takes no per-sample weights");
    if (work.soft && !soft_loss) soft_loss.emplace(k);
    work.soft_loss = soft_loss ? &*soft_loss : nullptr;
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
      for (Eigen::Index r = 0; r < b; ++r) {
        const Eigen::Index source = order[static_cast<std::size_t>(start_row + r)];
        x_batch.row(r) = x.row(source);
        y_batch(r) = labels(source);
        if (work.weighted) work.sample_weights(r) = static_cast<Scalar>(targets.sample_weights(source));
        if (work.soft) work.soft_targets.row(r) = targets.soft.row(source).template cast<Scalar>();
      }
      loss_sum += forward_backward(function, epoch, iteration, rate, p, x_batch.topRows(b), y_batch.head(b), loss,
                                   dot_regression, work, g);
      rate = options.learning_rate.rate(epoch, iteration, per_epoch, options.epochs);
      const auto step = static_cast<Scalar>(rate);
      velocity.weights = momentum * velocity.weights + g.weights + decay * p.weights;
      p.weights -= step * velocity.weights;
      if (head_ != Head::Cosine) {
        velocity.bias = momentum * velocity.bias + g.bias + decay * p.bias;
        p.bias -= step * velocity.bias;
      }
      if (hidden > 0) {
        velocity.hidden_weights = momentum * velocity.hidden_weights + g.hidden_weights + hidden_decay * p.hidden_weights;
        p.hidden_weights -= step * velocity.hidden_weights;
        velocity.hidden_bias = momentum * velocity.hidden_bias + g.hidden_bias + hidden_decay * p.hidden_bias;
        p.hidden_bias -= step * velocity.hidden_bias;
      }
    }
    store(p);
    EpochInfo info;
    info.epoch = epoch;
    info.epochs = options.epochs;
    info.mean_loss = loss_sum / static_cast<double>(std::max<long>(1, iteration));
    info.learning_rate = rate;
    if (!std::isfinite(info.mean_loss))
      detail::throw_invalid(function, ": training diverged at epoch ", epoch, " (loss ", info.mean_loss,
                            "); lower the learning rate");
    if (options.evaluate_each_epoch)
      info.train_balanced_accuracy = balanced_accuracy(labels, argmax_rows(prepared_logits(x.template cast<double>())), k);
    info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.on_epoch) options.on_epoch(info);
    history.push_back(info);
  }
  return history;
}

// A program whose many translation units train can compile the training loop once: define
// IMBALANCE_TRAINER_EXTERN in all of them and instantiate it in one (the project's command-line
// layer does, examples/cli/registries.cpp): train<float> and train<double> with imbalance::Rng are
// most of the -O3 compile time of a file that calls fit (about 50 s of 70).
#if defined(IMBALANCE_TRAINER_EXTERN)
extern template std::vector<EpochInfo> SoftmaxRegression::train<double, Rng>(
    SoftmaxRegression::TrainingRows<double>&, EpochTargets&, const EpochTargetsRefresh*, const SoftmaxRegression::LossSchedule&,
    const TrainerOptions&, Rng&, Eigen::Index);
extern template std::vector<EpochInfo> SoftmaxRegression::train<float, Rng>(
    SoftmaxRegression::TrainingRows<float>&, EpochTargets&, const EpochTargetsRefresh*, const SoftmaxRegression::LossSchedule&,
    const TrainerOptions&, Rng&, Eigen::Index);
#endif

}  // namespace imbalance
