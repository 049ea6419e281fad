#pragma once
/// @file
/// SoftmaxClassifier: a classifier whose logits feed the library's softmax-family losses — a head
/// (linear: multinomial logistic regression; cosine; ETF) on the raw features or on an optional
/// hidden ReLU layer — trained by mini-batch SGD with momentum on any loss of the library (through
/// its value_and_gradient; gradients back-propagated by hand, no autodiff). Called
/// SoftmaxRegression before it had hidden layers and heads; that name stays as a deprecated alias.
///
/// Heads (TrainerOptions::head, a HeadType): LinearHead, logits Z = X W + 1 b^T (W: d x K, b: K),
/// or CosineHead, the cosine classifier of LDAM-DRW's official code (NormedLinear): Z = X^ W^ with
/// rows of X and columns of W scaled to unit norm and no bias (LDAM's scale s multiplies these cosines inside the loss). Every
/// loss trains with either head; on tabular data LDAM usually does better on the linear one.
/// Backward, for G = dL/dZ of a batch: dW = X^T G, db = sum_i G_i; for the cosine classifier
/// dW_j = (I - w^_j w^_j^T) (X^^T G)_j / ||w_j||.
/// Optional hidden layer (TrainerOptions::hidden_units > 0): H = relu(X W1 + b1) is learned and the
/// head classifies H (the representation a two-stage recipe freezes: features(), set_head()).
/// Backward: dH = G W^T (through the row normalisation for the cosine head), dA = dH o [A > 0],
/// dW1 = X^T dA, db1 = sum_i dA_i; W1 and b1 start as PyTorch's nn.Linear (uniform +-1/sqrt(d)),
/// the head then as well (a zero head would pass no gradient to W1).
/// EtfHead: a learnable projection U = F P + c of the head's input F, rows normalised to U^, and
/// the fixed simplex ETF M (simplex_etf): Z = U^ M. It trains with the dot-regression loss on U^
/// (Yang et al. 2022; the loss given to fit only sets K), dU = (I - u^ u^^T) dU^ / ||u||.
/// SGD as PyTorch: v <- momentum v + (g + weight_decay theta), theta <- theta - lr v (weight decay
/// on W and b). Learning rate: cosine or step schedule with linear warm-up (lr_schedule.hpp).
/// Batches: a shuffled permutation per epoch, or a BatchSampler (class-balanced, square-root,
/// progressive). The loss may change per epoch (DRW): fit takes a callable epoch -> loss. Data-level
/// resampling happens before fit (pass the same generator to both for one reproducible stream);
/// progress is reported through the on_epoch callback (the trainer never prints).
/// Deterministic for a seed or a caller's generator: every draw goes through the library's portable
/// generator. The arithmetic is a compile-time choice, fit<float>(...) or fit<double>(...), by default
/// X's scalar type (PyTorch's dtype): float trains in float end to end (features, parameters,
/// logits, the loss and its gradient: twice the SIMD width and half the memory traffic of double);
/// only the arithmetic a fit call uses is compiled. The trained parameters are kept as double. Defaults: 30 epochs, batch 128, lr 0.1 without
/// warm-up (lr_schedule.hpp), momentum 0.9, weight decay 5e-4, cosine schedule, linear head.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/losses/any_loss.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/train/network.hpp"
#include "imbalance/train/objective.hpp"
#include "imbalance/train/options.hpp"
#include "imbalance/train/sgd.hpp"

namespace imbalance {

class SoftmaxClassifier;
/// Called before every epoch with the model as it stands (initialised, before epoch 0).
using EpochTargetsRefresh = std::function<void(long epoch, const SoftmaxClassifier& model, EpochTargets& targets)>;

namespace detail {
struct ClassifierProbe;  // the tests' access to the backward pass (tests/classifier_probe.hpp)
}  // namespace detail

/// Multinomial logistic regression trained by mini-batch SGD with momentum, on any loss of the library (through its value_and_gradient; gradients back-propagated by hand, no autodiff). See imbalance/train/softmax_classifier.hpp for the formula, the paper and the defaults.
class SoftmaxClassifier {
 public:
  /// Row-major double matrix.
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  SoftmaxClassifier() = default;

  /// The head's weights: F x K (the ETF head: the projection, F x E), F = d or the hidden width.
  const Eigen::MatrixXd& weights() const noexcept { return params_.weights; }
  /// The head's bias b.
  const Eigen::RowVectorXd& bias() const noexcept { return params_.bias; }
  /// The head of the trained (or set) parameters.
  const HeadType& head() const noexcept { return head_; }
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return params_.etf.size() != 0 ? params_.etf.cols() : params_.weights.cols(); }
  /// The hidden layer (d x H and H), empty without one.
  bool has_hidden_layer() const noexcept { return params_.hidden_weights.size() != 0; }
  /// The hidden layer's weights.
  const Eigen::MatrixXd& hidden_weights() const noexcept { return params_.hidden_weights; }
  /// The hidden layer's bias.
  const Eigen::RowVectorXd& hidden_bias() const noexcept { return params_.hidden_bias; }
  /// The ETF head: the fixed E x K simplex ETF.
  const Eigen::MatrixXd& etf() const noexcept { return params_.etf; }

  /// Sets the parameters of a model without hidden layer (d x K weights, K bias).
  void set_parameters(Eigen::MatrixXd weights, Eigen::RowVectorXd bias, HeadType head = {}) {
    params_.hidden_weights.resize(0, 0);
    params_.hidden_bias.resize(0);
    set_head(std::move(weights), std::move(bias), head);
  }

  /// Replaces the head (F x K weights and K bias, F the width of features()), keeping the hidden
  /// layer: how a re-trained classifier (cRT) is put on a frozen representation.
  void set_head(Eigen::MatrixXd weights, Eigen::RowVectorXd bias, HeadType head = {}) {
    const char* function = "SoftmaxClassifier::set_head()";
    check_non_empty(function, "weights", weights.size());
    check_shape(function, "bias", bias.rows(), bias.cols(), 1, weights.cols());
    if (!head.make<double>()->set_by_weights())
      detail::throw_invalid(function, ": the ", head.name(), " head is only made by fit()");
    if (has_hidden_layer()) check_shape(function, "weights", weights.rows(), weights.cols(), params_.hidden_weights.cols(), -1);
    check_finite(function, "weights", weights);
    check_finite(function, "bias", bias);
    params_.weights = std::move(weights);
    params_.bias = std::move(bias);
    head_ = std::move(head);
    params_.etf.resize(0, 0);
  }

  /// The arithmetic of a fit: Scalar (float or double) when the caller names it (fit<float>(...)),
  /// otherwise X's scalar type: float for float X, double for any other.
  template <class Scalar, class DX>
  using Arithmetic = std::conditional_t<
      std::is_void<Scalar>::value,
      std::conditional_t<std::is_same<typename DX::Scalar, float>::value, float, double>, Scalar>;

  /// Trains on (X, y) with a fixed loss, or with loss_for_epoch(epoch), a loss per epoch (e.g. DRW's
  /// weights switch); draws from a generator seeded with options.seed. Only the arithmetic of the
  /// fit (Arithmetic) is compiled.
  template <class Scalar = void, class DX, class DY, class Loss>
  std::vector<EpochInfo> fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                             const TrainerOptions& options = {}) {
    Rng rng(options.seed);
    return fit<Scalar>(X, y, loss, options, rng);
  }

  /// The same, drawing from the caller's generator (e.g. the one that resampled the data).
  template <class Scalar = void, class DX, class DY, class Loss, class Engine>
  std::vector<EpochInfo> fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, const Loss& loss,
                             const TrainerOptions& options, Engine& rng) {
    using S = Arithmetic<Scalar, DX>;
    return fit_epochs<S>(X, y, schedule<S>(loss), options, rng);
  }

  /// Trains on X with targets that `refresh` may rewrite before every epoch (see EpochTargets); the
  /// loss (fixed or per epoch, as for fit) must take per-sample weights when targets carry them.
  /// Not with a head that trains with a loss of its own (the ETF head's dot regression).
  template <class Scalar = void, class DX, class Loss, class Engine>
  std::vector<EpochInfo> fit_with_targets(const Eigen::DenseBase<DX>& X, EpochTargets targets, const Loss& loss,
                                          const EpochTargetsRefresh& refresh, const TrainerOptions& options,
                                          Engine& rng) {
    using S = Arithmetic<Scalar, DX>;
    return fit_epochs<S>(X, targets.labels, schedule<S>(loss), options, rng, &targets, &refresh);
  }

  /// A loss per epoch behind one type.
  using LossSchedule = std::function<AnyLoss(long)>;

 private:
  // Every loss trains through AnyLoss (one virtual call per batch): the training loop is then
  // compiled once per scalar type, whatever the losses a program trains with; the loss's kernel only
  // in the arithmetic of training.
  template <class Scalar, class Loss>
  static LossSchedule schedule(const Loss& loss) {
    if constexpr (std::is_invocable<const Loss&, long>::value) {
      return [&loss](long epoch) { return AnyLoss::in<Scalar>(loss(epoch)); };
    } else {
      const AnyLoss fixed = AnyLoss::in<Scalar>(loss);
      return [fixed](long) { return fixed; };
    }
  }

  template <class Scalar, class DX, class DY, class Engine>
  std::vector<EpochInfo> fit_epochs(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                    const LossSchedule& loss_for_epoch, const TrainerOptions& options, Engine& rng,
                                    EpochTargets* given_targets = nullptr, const EpochTargetsRefresh* refresh = nullptr) {
    const char* function = "SoftmaxClassifier::fit()";
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
    EpochTargets own;
    EpochTargets& targets = given_targets ? *given_targets : own;
    if (!given_targets) targets.labels = y.derived().template cast<int>();
    check_targets(function, targets, X.rows(), k, -1);
    // The one copy of the data: X converted straight to the training arithmetic, row-major (a batch
    // is then a gather of contiguous rows).
    static_assert(std::is_same<Scalar, double>::value || std::is_same<Scalar, float>::value,
                  "SoftmaxClassifier trains in double or float");
    TrainingRows<Scalar> x = training_rows<Scalar>(X);
    return train<Scalar>(x, targets, refresh, loss_for_epoch, options, detail::EngineRef(rng), k);
  }

 public:
  /// Trains on any Objective (a distributed one: imbalance/distributed/softmax_classifier.hpp) with
  /// the model's own loop: initialises the parameters for d inputs and K classes from rng, prepares
  /// the objective, runs sgd(). targets.labels (N) drive the batch sampler; refresh, when set,
  /// rewrites the targets before every epoch. The caller has validated the options and labels.
  template <class Scalar>
  std::vector<EpochInfo> fit_objective(Objective<Scalar>& objective, Eigen::Index d, Eigen::Index k,
                                       EpochTargets& targets, const EpochTargetsRefresh* refresh,
                                       const LossSchedule& loss_for_epoch, const TrainerOptions& options,
                                       detail::EngineRef rng, SgdHooks<Scalar> hooks, const char* function) {
    Network<Scalar> network(options.head.make<Scalar>(), options.hidden_units);
    network.head().check(k, options, function);
    if (refresh && network.head().has_own_loss())
      detail::throw_invalid(function, ": the ", options.head.name(), " head trains with a loss of its own; per-epoch "
                            "targets need a head without one (linear, cosine)");
    initialize(d, k, options, network.head(), rng);
    NetworkParameters<Scalar> p = params_.template cast<Scalar>();
    network.head().prepare(params_, options);
    objective.prepare(network, std::min(options.batch_size, objective.rows()), network.head().output_width(k, options));
    if (refresh && *refresh)
      hooks.before_epoch = [this, &targets, refresh, function, k, n = objective.rows()](long epoch) {
        (*refresh)(epoch, *this, targets);
        check_targets(function, targets, n, k, epoch);
      };
    hooks.store = [this](const NetworkParameters<Scalar>& trained) { store(trained); };
    return sgd(objective, network, p, loss_for_epoch, targets, options, rng, hooks, function, k);
  }

 private:
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

  // The loop on the training copy x of the data (normalised in place for the cosine head).
  template <class Scalar>
  std::vector<EpochInfo> train(TrainingRows<Scalar>& x, EpochTargets& targets, const EpochTargetsRefresh* refresh,
                               const LossSchedule& loss_for_epoch, const TrainerOptions& options,
                               detail::EngineRef rng, Eigen::Index k);

 public:
  /// Logits (N x K) of the trained model.
  template <class DX>
  RowMatrix logits(const Eigen::DenseBase<DX>& X) const {
    const char* function = "SoftmaxClassifier::logits()";
    check_input(function, X);
    RowMatrix x = X.derived().template cast<double>();
    if (!has_hidden_layer() && head_.make<double>()->normalizes_input()) detail::normalize_rows(x);
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
    check_input("SoftmaxClassifier::features()", X);
    RowMatrix x = X.derived().template cast<double>();
    if (!has_hidden_layer()) return x;
    RowMatrix h = x * params_.hidden_weights;
    h.rowwise() += params_.hidden_bias;
    return h.cwiseMax(0.0);
  }

  /// Logits of the head alone on representation rows F (N x the width of features()), e.g. RECORDS'
  /// prior from the mean feature.
  template <class DF>
  RowMatrix head_logits(const Eigen::DenseBase<DF>& F) const {
    const char* function = "SoftmaxClassifier::head_logits()";
    if (params_.weights.size() == 0) detail::throw_invalid(function, ": the model is not trained");
    check_shape(function, "F", F.rows(), F.cols(), -1, params_.weights.rows());
    check_finite(function, "F", F);
    return head_.make<double>()->logits(params_, F.derived().template cast<double>(), true);
  }

 private:
  friend struct detail::ClassifierProbe;

  template <class DX>
  void check_input(const char* function, const Eigen::DenseBase<DX>& X) const {
    if (params_.weights.size() == 0) detail::throw_invalid(function, ": the model is not trained");
    check_shape(function, "X", X.rows(), X.cols(), -1,
                has_hidden_layer() ? params_.hidden_weights.rows() : params_.weights.rows());
    check_finite(function, "X", X);
  }

  // The hidden layer as PyTorch's nn.Linear, then the head's parameters.
  template <class Scalar>
  void initialize(Eigen::Index d, Eigen::Index k, const TrainerOptions& options, const HeadLayer<Scalar>& head,
                  detail::EngineRef& rng) {
    const Eigen::Index hidden = options.hidden_units;
    params_ = NetworkParameters<double>();
    head_ = options.head;
    etf_reg_lambda_ = options.etf_reg_lambda;
    if (hidden > 0) detail::linear_layer_init(d, hidden, rng, params_.hidden_weights, params_.hidden_bias);
    head.initialize(hidden > 0 ? hidden : d, k, hidden > 0, options, rng, params_);
  }

  template <class Scalar>
  void store(const NetworkParameters<Scalar>& p) {
    params_.hidden_weights = p.hidden_weights.template cast<double>();
    params_.hidden_bias = p.hidden_bias.template cast<double>();
    params_.weights = p.weights.template cast<double>();
    params_.bias = p.bias.template cast<double>();
  }

  // Logits of prepared input (for the cosine head without hidden layer: unit rows).
  IMBALANCE_FUNC RowMatrix prepared_logits(const RowMatrix& x) const;

  NetworkParameters<double> params_;
  HeadType head_;
  double etf_reg_lambda_ = 0;
};

#if IMBALANCE_HEADER_DEFINITIONS
IMBALANCE_FUNC SoftmaxClassifier::RowMatrix SoftmaxClassifier::prepared_logits(const RowMatrix& x) const {
  const auto head = head_.make<double>();
  if (!has_hidden_layer()) return head->logits(params_, x, false);
  RowMatrix f = x * params_.hidden_weights;
  f.rowwise() += params_.hidden_bias;
  return head->logits(params_, f.cwiseMax(0.0), true);
}
#endif

template <class Scalar>
std::vector<EpochInfo> SoftmaxClassifier::train(TrainingRows<Scalar>& x, EpochTargets& targets,
                                                const EpochTargetsRefresh* refresh, const LossSchedule& loss_for_epoch,
                                                const TrainerOptions& options, detail::EngineRef rng, Eigen::Index k) {
  LocalObjective<Scalar> objective(x);
  SgdHooks<Scalar> hooks;
  if (options.evaluate_each_epoch)
    hooks.evaluate = [this, &x, &targets, k](EpochInfo& info) {
      info.train_balanced_accuracy = balanced_accuracy(targets.labels, argmax_rows(prepared_logits(x.template cast<double>())), k);
    };
  return fit_objective(objective, x.cols(), k, targets, refresh, loss_for_epoch, options, rng, std::move(hooks),
                       "SoftmaxClassifier::fit()");
}

IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::train<double>(
    TrainingRows<double>&, EpochTargets&, const EpochTargetsRefresh*, const SoftmaxClassifier::LossSchedule&,
    const TrainerOptions&, detail::EngineRef, Eigen::Index))
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::train<float>(
    TrainingRows<float>&, EpochTargets&, const EpochTargetsRefresh*, const SoftmaxClassifier::LossSchedule&,
    const TrainerOptions&, detail::EngineRef, Eigen::Index))
// The entry points for the most common data types: double matrices and int labels.
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::fit_epochs<double, Eigen::MatrixXd, Eigen::VectorXi, Rng>(
    const Eigen::DenseBase<Eigen::MatrixXd>&, const Eigen::DenseBase<Eigen::VectorXi>&,
    const SoftmaxClassifier::LossSchedule&, const TrainerOptions&, Rng&, EpochTargets*, const EpochTargetsRefresh*))
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::fit_epochs<float, Eigen::MatrixXd, Eigen::VectorXi, Rng>(
    const Eigen::DenseBase<Eigen::MatrixXd>&, const Eigen::DenseBase<Eigen::VectorXi>&,
    const SoftmaxClassifier::LossSchedule&, const TrainerOptions&, Rng&, EpochTargets*, const EpochTargetsRefresh*))
IMBALANCE_EXTERN_TEMPLATE(SoftmaxClassifier::RowMatrix SoftmaxClassifier::logits<Eigen::MatrixXd>(
    const Eigen::DenseBase<Eigen::MatrixXd>&) const)
IMBALANCE_EXTERN_TEMPLATE(Eigen::VectorXi SoftmaxClassifier::predict<Eigen::MatrixXd>(
    const Eigen::DenseBase<Eigen::MatrixXd>&) const)
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::fit_objective<double>(
    Objective<double>&, Eigen::Index, Eigen::Index, EpochTargets&, const EpochTargetsRefresh*,
    const SoftmaxClassifier::LossSchedule&, const TrainerOptions&, detail::EngineRef, SgdHooks<double>, const char*))
IMBALANCE_EXTERN_TEMPLATE(std::vector<EpochInfo> SoftmaxClassifier::fit_objective<float>(
    Objective<float>&, Eigen::Index, Eigen::Index, EpochTargets&, const EpochTargetsRefresh*,
    const SoftmaxClassifier::LossSchedule&, const TrainerOptions&, detail::EngineRef, SgdHooks<float>, const char*))

/// @cond
// The former name (before the hidden layer and the heads made it more than a regression); kept out
// of the API reference, whose parser does not read an attribute there.
using SoftmaxRegression [[deprecated("imbalance::SoftmaxRegression is now imbalance::SoftmaxClassifier")]] = SoftmaxClassifier;
/// @endcond

}  // namespace imbalance
