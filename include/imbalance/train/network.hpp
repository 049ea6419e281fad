#pragma once
/// @file
/// The model the trainer fits, in the training arithmetic (double or float): an optional hidden ReLU
/// layer and a head, with the forward pass to what the loss reads and the hand-written backward pass.
/// The heads are types (LinearHead, CosineHead, EtfHead) behind one interface, HeadLayer: a new head
/// is one more type, and nothing that trains or evaluates a model switches on which head it is.
///
/// Forward of a batch X_b (b x d): with a hidden layer H = relu(X_b W1 + b1), else H = X_b; the head
/// maps H to its output (the logits, or for the ETF head the unit features the dot-regression loss
/// reads). Backward, from G = dL/d(output): the head's parameter gradients are sums over the batch
/// rows of outer products (dW = H^T G, db = 1^T G, ...). Those sums go through a GradientReduction:
/// in one process a GEMM (LocalReduction); across MPI ranks an exact all-reduce of each rank's rows
/// (imbalance/distributed/softmax_classifier.hpp), which is the only thing distributed training
/// changes. What follows a reduction (the cosine head's projection through W / ||w_j||) runs after it.
/// The formulas of each head are in its doc comment; the papers and defaults in classifier.hpp.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/heads/simplex_etf.hpp"
#include "imbalance/losses/dot_regression.hpp"
#include "imbalance/train/options.hpp"

namespace imbalance {

namespace detail {
/// A 64-bit engine behind one type, so that the training loop is compiled once per scalar type
/// whatever engine the caller passes; it forwards every draw, so the bits are the engine's.
class EngineRef {
 public:
  using result_type = std::uint64_t;
  template <class Engine>
  explicit EngineRef(Engine& engine)
      : state_(&engine), draw_([](void* state) { return static_cast<std::uint64_t>((*static_cast<Engine*>(state))()); }) {
    check_engine<Engine>();
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return draw_(state_); }

 private:
  void* state_;
  std::uint64_t (*draw_)(void*);
};
}  // namespace detail

/// Row-major matrix in the training arithmetic (a batch is a block of its rows).
template <class Scalar>
using TrainingRows = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The parameters of the model (or their gradients, or SGD's velocities: the same shapes). Without
/// a hidden layer its matrices are empty; `etf` is the ETF head's fixed simplex (never trained).
template <class Scalar>
struct NetworkParameters {
  /// Column-major matrix of the scalar type.
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  /// Row vector of the scalar type.
  using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
  Matrix hidden_weights;   ///< W1, d x H
  RowVector hidden_bias;   ///< b1, H
  Matrix weights;          ///< the head's W, F x width
  RowVector bias;          ///< the head's b, width
  Matrix etf;              ///< ETF head: the fixed E x K simplex
  /// The same parameters in another arithmetic.
  template <class Other>
  NetworkParameters<Other> cast() const {
    NetworkParameters<Other> p;
    p.hidden_weights = hidden_weights.template cast<Other>();
    p.hidden_bias = hidden_bias.template cast<Other>();
    p.weights = weights.template cast<Other>();
    p.bias = bias.template cast<Other>();
    p.etf = etf.template cast<Other>();
    return p;
  }
  /// The trained parameters zeroed (etf kept).
  void set_trained_zero() {
    hidden_weights.setZero();
    hidden_bias.setZero();
    weights.setZero();
    bias.setZero();
  }
};

/// Where a batch step is, for the message of a divergence.
struct TrainingStep {
  const char* function = "";  ///< the public call that trains
  long epoch = 0;             ///< 0-based
  long iteration = 0;         ///< within the epoch
  double rate = 0;            ///< of the update before this step
};

/// The sums of outer products that make the parameter gradients (dst = L^T R, or the column sums
/// of R): computed at once in one process, or collected and reduced exactly over MPI ranks (then
/// `reduce` writes every destination).
template <class Scalar>
class GradientReduction {
 public:
  /// Read-only view of batch rows.
  using RowsRef = Eigen::Ref<const TrainingRows<Scalar>>;
  /// A gradient matrix.
  using Matrix = typename NetworkParameters<Scalar>::Matrix;
  /// A gradient row vector.
  using RowVector = typename NetworkParameters<Scalar>::RowVector;
  virtual ~GradientReduction() = default;
  /// dst = L^T R over the batch rows (L: b x F, R: b x M; dst: F x M).
  virtual void outer(const RowsRef& left, const RowsRef& right, Matrix& dst) = 0;
  /// dst = 1^T R.
  virtual void column_sums(const RowsRef& right, RowVector& dst) = 0;
  /// Completes every outer and column_sums of the step (their operands stay valid until then).
  virtual void reduce() {}
};

/// The reduction of one process: a GEMM per outer product.
template <class Scalar>
class LocalReduction final : public GradientReduction<Scalar> {
 public:
  using typename GradientReduction<Scalar>::RowsRef;
  using typename GradientReduction<Scalar>::Matrix;
  using typename GradientReduction<Scalar>::RowVector;
  void outer(const RowsRef& left, const RowsRef& right, Matrix& dst) override {
    dst.noalias() = left.transpose() * right;
  }
  void column_sums(const RowsRef& right, RowVector& dst) override { dst = right.colwise().sum(); }
};

/// Buffers of one batch, sized once per fit (no allocation in the batch loop).
template <class Scalar>
struct NetworkWorkspace {
  /// Batch rows.
  using Rows = TrainingRows<Scalar>;
  /// Per-row column.
  using Column = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  /// Head-sized matrix.
  using Matrix = typename NetworkParameters<Scalar>::Matrix;
  /// Head-sized row vector.
  using RowVector = typename NetworkParameters<Scalar>::RowVector;
  Rows pre;                 ///< X W1 + b1 (hidden layer)
  Rows act;                 ///< relu(pre): the head's features with a hidden layer
  Rows unit_features;       ///< cosine head: the features' rows at unit norm
  Rows projected;           ///< ETF head: U = F P + c
  Rows out;                 ///< what the loss reads (logits; ETF: U^)
  Rows grad_out;            ///< dL/d(out)
  Rows grad_features;       ///< dL/dF from the head
  Rows grad_loss_features;  ///< dL/dF from a loss that reads the features (IB)
  Column feature_norms;     ///< cosine head: ||F_i||
  Column projected_norms;   ///< ETF head: ||U_i||
  Column row_dots;          ///< scratch of the row normalisation's backward
  Matrix unit_w;            ///< cosine head: W^
  RowVector norms_w;        ///< cosine head: ||w_j||
  RowVector projection;     ///< scratch of the column normalisation's backward
  bool per_row = false;       ///< rows computed one by one (GradientReduction::per_row)
  bool check_finite = true;  ///< outputs checked in forward (a distributed objective checks them gathered)
  /// Sizes every buffer for batches of up to b rows (d inputs, H hidden units, output width, K).
  void resize(Eigen::Index b, Eigen::Index d, Eigen::Index hidden, Eigen::Index width) {
    if (hidden > 0) {
      pre.resize(b, hidden);
      act.resize(b, hidden);
    }
    const Eigen::Index features = hidden > 0 ? hidden : d;
    unit_features.resize(b, features);
    feature_norms.resize(b);
    projected.resize(b, width);
    projected_norms.resize(b);
    out.resize(b, width);
    grad_out.resize(b, width);
    grad_features.resize(b, features);
    grad_loss_features.resize(b, features);
    row_dots.resize(b);
  }
};

namespace detail {
// c = a b, as one GEMM or row by row (a row's bits independent of the other rows).
template <class A, class B, class C>
void multiply_rows(const A& a, const B& b, C&& c, bool per_row) {
  if (!per_row) {
    c.noalias() = a * b;
    return;
  }
  for (Eigen::Index r = 0; r < a.rows(); ++r) c.row(r).noalias() = a.row(r).lazyProduct(b);
}

// unit = rows of x scaled to unit norm (norms floored at 1e-12, as F.normalize), norms kept.
template <class X, class Norms, class Unit>
void unit_rows(const X& x, Norms&& norms, Unit&& unit) {
  using Scalar = typename X::Scalar;
  norms = x.rowwise().norm().cwiseMax(Scalar(1e-12));
  unit = x.array().colwise() / norms.array();
}

// Back-propagates dL/du^ (in grad) through u^ = u / ||u|| row by row: du = (g - u^ (u^ . g)) / ||u||.
template <class Unit, class Norms, class Dots, class Grad>
void through_row_normalization(const Unit& unit, const Norms& norms, Dots&& dots, Grad&& grad) {
  dots = (unit.array() * grad.array()).rowwise().sum();
  grad = ((grad - dots.asDiagonal() * unit).array().colwise() / norms.array()).matrix();
}

// Cosine classifier: the column norms of W and W^ = W / ||w_j||.
template <class Matrix, class RowVector>
void unit_columns(const Matrix& weights, RowVector& norms, Matrix& unit) {
  norms = weights.colwise().norm().cwiseMax(typename Matrix::Scalar(1e-12));
  unit = weights.array().rowwise() / norms.array();
}

// Back-propagates dL/dW^ (in grad) through W^ = W / ||w_j||: dW_j = (g_j - w^_j (w^_j . g_j)) / ||w_j||.
template <class Matrix, class RowVector>
void through_column_normalization(const Matrix& unit, const RowVector& norms, RowVector& projection, Matrix& grad) {
  projection = (unit.array() * grad.array()).colwise().sum();
  grad = ((grad - unit * projection.asDiagonal()).array().rowwise() / norms.array()).matrix();
}

// PyTorch's nn.Linear initialisation of an in -> out layer: weights (column by column), then the
// bias, uniform in +-1/sqrt(in).
template <class Engine>
void linear_layer_init(Eigen::Index in, Eigen::Index out, Engine& rng, Eigen::MatrixXd& weights,
                       Eigen::RowVectorXd& bias) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  weights.resize(in, out);
  for (Eigen::Index j = 0; j < out; ++j)
    for (Eigen::Index i = 0; i < in; ++i) weights(i, j) = uniform_real(rng, -bound, bound);
  bias.resize(out);
  for (Eigen::Index j = 0; j < out; ++j) bias(j) = uniform_real(rng, -bound, bound);
}

// Rows scaled to unit norm in place (rows of norm <= 1e-12 kept).
template <class Rows>
void normalize_rows(Rows& x) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const auto norm = x.row(i).norm();
    if (norm > 1e-12) x.row(i) /= norm;
  }
}

// Diverged parameters show first as non-finite outputs: say so, not what the loss would say.
template <class Z>
void check_outputs_finite(const TrainingStep& step, const Z& z) {
  if (!z.allFinite())
    throw_invalid(step.function, ": training diverged at epoch ", step.epoch, ", iteration ", step.iteration,
                  ": the logits are no longer finite (after an update at learning rate ", step.rate,
                  "); lower the learning rate");
}
}  // namespace detail

/// A classifier head: maps the features F (the input rows, or the hidden layer's output) of a batch
/// to what the loss reads, and back-propagates. Implementations: LinearHead, CosineHead, EtfHead.
template <class Scalar>
class HeadLayer {
 public:
  /// Batch rows.
  using Rows = TrainingRows<Scalar>;
  /// Read-only view of batch rows.
  using RowsRef = Eigen::Ref<const Rows>;
  /// Parameters in this arithmetic.
  using Parameters = NetworkParameters<Scalar>;
  virtual ~HeadLayer() = default;
  /// Checks the options against K classes (function names the caller in the message).
  virtual void check(Eigen::Index /*k*/, const TrainerOptions&, const char* /*function*/) const {}
  /// Whether weights and bias alone define the head (SoftmaxClassifier::set_head).
  virtual bool set_by_weights() const { return true; }
  /// Whether the bias b is a trained parameter.
  virtual bool has_bias() const = 0;
  /// Whether fixed input rows (no hidden layer) are normalised once before training and prediction.
  virtual bool normalizes_input() const { return false; }
  /// Width of the output for K classes (what the loss reads).
  virtual Eigen::Index output_width(Eigen::Index k, const TrainerOptions&) const { return k; }
  /// Whether the head trains with a loss of its own (the given loss then only sets K).
  virtual bool has_own_loss() const { return false; }
  /// Draws the initial weights, bias (and etf) for F features and K classes.
  virtual void initialize(Eigen::Index f, Eigen::Index k, bool hidden, const TrainerOptions& options,
                          detail::EngineRef& rng, NetworkParameters<double>& p) const = 0;
  /// Called once per fit with the initial parameters (in double, as the model keeps them).
  virtual void prepare(const NetworkParameters<double>&, const TrainerOptions&) {}
  /// The batch output of features f into w.out (hidden: f is the hidden layer's output, else the
  /// prepared input rows).
  virtual void forward(const Parameters& p, const RowsRef& f, bool hidden, NetworkWorkspace<Scalar>& w,
                       const TrainingStep& step) const = 0;
  /// The head's own loss of the batch output (has_own_loss), dL/d(output) into grad.
  virtual double own_loss(const RowsRef&, const Eigen::Ref<const Eigen::VectorXi>&, Eigen::Ref<Rows>) const {
    return 0;
  }
  /// From w.grad_out: the parameter gradients through `reduce`, and when need_df dL/df into
  /// w.grad_features.
  virtual void backward(const Parameters& p, const RowsRef& f, bool hidden, bool need_df, NetworkWorkspace<Scalar>& w,
                        GradientReduction<Scalar>& reduce, Parameters& g) const = 0;
  /// What follows the reduction.
  virtual void finish(const Parameters&, NetworkWorkspace<Scalar>&, Parameters&) const {}
  /// Logits of features f (inference; normalize: f are not yet normalised where the head needs it).
  virtual Rows logits(const Parameters& p, Rows f, bool normalize) const = 0;
};

/// The linear head: Z = F W + 1 b^T. Backward: dW = F^T G, db = 1^T G, dF = G W^T. Initial W, b: zero
/// without a hidden layer (the problem is convex), else PyTorch's nn.Linear (uniform +-1/sqrt(F)).
template <class Scalar>
class LinearHead final : public HeadLayer<Scalar> {
 public:
  /// Its name (HeadType::name).
  static constexpr const char* type_name = "linear";
  using typename HeadLayer<Scalar>::Rows;
  using typename HeadLayer<Scalar>::RowsRef;
  using typename HeadLayer<Scalar>::Parameters;
  bool has_bias() const override { return true; }
  void initialize(Eigen::Index f, Eigen::Index k, bool hidden, const TrainerOptions&, detail::EngineRef& rng,
                  NetworkParameters<double>& p) const override {
    if (hidden) {
      detail::linear_layer_init(f, k, rng, p.weights, p.bias);
      return;
    }
    p.weights = Eigen::MatrixXd::Zero(f, k);
    p.bias = Eigen::RowVectorXd::Zero(k);
  }
  void forward(const Parameters& p, const RowsRef& f, bool, NetworkWorkspace<Scalar>& w,
               const TrainingStep& step) const override {
    auto z = w.out.topRows(f.rows());
    detail::multiply_rows(f, p.weights, z, w.per_row);
    z.rowwise() += p.bias;
    if (w.check_finite) detail::check_outputs_finite(step, z);
  }
  void backward(const Parameters& p, const RowsRef& f, bool, bool need_df, NetworkWorkspace<Scalar>& w,
                GradientReduction<Scalar>& reduce, Parameters& g) const override {
    const Eigen::Index b = f.rows();
    reduce.outer(f, w.grad_out.topRows(b), g.weights);
    reduce.column_sums(w.grad_out.topRows(b), g.bias);
    if (need_df) detail::multiply_rows(w.grad_out.topRows(b), p.weights.transpose(), w.grad_features.topRows(b), w.per_row);
  }
  Rows logits(const Parameters& p, Rows f, bool) const override {
    Rows z = f * p.weights;
    z.rowwise() += p.bias;
    return z;
  }
};

/// The cosine head, the cosine classifier of LDAM-DRW's official code (NormedLinear): Z = F^ W^ with
/// the rows of F and the columns of W scaled to unit norm and no bias (LDAM's scale s multiplies
/// these cosines inside the loss). Backward: dW_j = (I - w^_j w^_j^T) (F^^T G)_j / ||w_j||, and with
/// a hidden layer dF through the row normalisation. Initial W: uniform(-1, 1) columns scaled to unit
/// norm. Without a hidden layer the input rows are normalised once.
template <class Scalar>
class CosineHead final : public HeadLayer<Scalar> {
 public:
  /// Its name (HeadType::name).
  static constexpr const char* type_name = "cosine";
  using typename HeadLayer<Scalar>::Rows;
  using typename HeadLayer<Scalar>::RowsRef;
  using typename HeadLayer<Scalar>::Parameters;
  bool has_bias() const override { return false; }
  bool normalizes_input() const override { return true; }
  void initialize(Eigen::Index f, Eigen::Index k, bool, const TrainerOptions&, detail::EngineRef& rng,
                  NetworkParameters<double>& p) const override {
    p.bias = Eigen::RowVectorXd::Zero(k);
    p.weights.resize(f, k);
    for (Eigen::Index j = 0; j < k; ++j)
      for (Eigen::Index i = 0; i < f; ++i) p.weights(i, j) = uniform_real(rng, -1.0, 1.0);
    Eigen::RowVectorXd norms;
    Eigen::MatrixXd unit;
    detail::unit_columns(p.weights, norms, unit);
    p.weights = unit;
  }
  void forward(const Parameters& p, const RowsRef& f, bool hidden, NetworkWorkspace<Scalar>& w,
               const TrainingStep& step) const override {
    const Eigen::Index b = f.rows();
    detail::unit_columns(p.weights, w.norms_w, w.unit_w);
    auto z = w.out.topRows(b);
    if (hidden) {  // hidden features: normalised per batch, and back-propagated through
      auto unit = w.unit_features.topRows(b);
      detail::unit_rows(f, w.feature_norms.head(b), unit);
      detail::multiply_rows(unit, w.unit_w, z, w.per_row);
    } else {  // fixed input rows, normalised once before training
      detail::multiply_rows(f, w.unit_w, z, w.per_row);
    }
    if (w.check_finite) detail::check_outputs_finite(step, z);
  }
  void backward(const Parameters&, const RowsRef& f, bool hidden, bool need_df, NetworkWorkspace<Scalar>& w,
                GradientReduction<Scalar>& reduce, Parameters& g) const override {
    const Eigen::Index b = f.rows();
    auto gb = w.grad_out.topRows(b);
    if (!hidden) {
      reduce.outer(f, gb, g.weights);
      return;
    }
    auto unit = w.unit_features.topRows(b);
    reduce.outer(unit, gb, g.weights);
    if (!need_df) return;
    auto df = w.grad_features.topRows(b);
    detail::multiply_rows(gb, w.unit_w.transpose(), df, w.per_row);
    detail::through_row_normalization(unit, w.feature_norms.head(b), w.row_dots.head(b), df);
  }
  void finish(const Parameters&, NetworkWorkspace<Scalar>& w, Parameters& g) const override {
    detail::through_column_normalization(w.unit_w, w.norms_w, w.projection, g.weights);
  }
  Rows logits(const Parameters& p, Rows f, bool normalize) const override {
    if (normalize) detail::normalize_rows(f);
    typename Parameters::RowVector norms;
    typename Parameters::Matrix unit;
    detail::unit_columns(p.weights, norms, unit);
    return f * unit;
  }
};

/// The ETF head (Yang et al. 2022, "Inducing neural collapse in imbalanced learning"): a learnable
/// projection U = F P + 1 c^T, rows normalised to U^, and the fixed simplex ETF M (simplex_etf):
/// Z = U^ M. It trains with the dot-regression loss on U^ (its own loss: the loss given to fit only
/// sets K); dU = (I - u^ u^^T) dU^ / ||u||, dP = F^T dU, dc = 1^T dU. Projection width E
/// (TrainerOptions::etf_dimension, 0 = K, >= K - 1); P and c start as nn.Linear.
template <class Scalar>
class EtfHead final : public HeadLayer<Scalar> {
 public:
  /// Its name (HeadType::name).
  static constexpr const char* type_name = "etf";
  using typename HeadLayer<Scalar>::Rows;
  using typename HeadLayer<Scalar>::RowsRef;
  using typename HeadLayer<Scalar>::Parameters;
  void check(Eigen::Index k, const TrainerOptions& options, const char* function) const override {
    if (k < 2) detail::throw_invalid(function, ": the ETF head needs >= 2 classes (got ", k, ")");
    if (options.etf_dimension != 0 && options.etf_dimension < k - 1)
      detail::throw_invalid(function, ": etf_dimension must be >= K - 1 = ", k - 1, " (a simplex ETF of ", k,
                            " classes needs that many dimensions), got ", options.etf_dimension);
  }
  bool set_by_weights() const override { return false; }
  bool has_bias() const override { return true; }
  bool has_own_loss() const override { return true; }
  Eigen::Index output_width(Eigen::Index k, const TrainerOptions& options) const override {
    return options.etf_dimension == 0 ? k : options.etf_dimension;
  }
  void initialize(Eigen::Index f, Eigen::Index k, bool, const TrainerOptions& options, detail::EngineRef& rng,
                  NetworkParameters<double>& p) const override {
    const Eigen::Index width = output_width(k, options);
    p.etf = simplex_etf(width, k, rng);
    detail::linear_layer_init(f, width, rng, p.weights, p.bias);
  }
  void prepare(const NetworkParameters<double>& p, const TrainerOptions& options) override {
    DotRegressionOptions o;
    o.reg_lambda = options.etf_reg_lambda;
    loss_.emplace(p.etf, o);
  }
  void forward(const Parameters& p, const RowsRef& f, bool, NetworkWorkspace<Scalar>& w,
               const TrainingStep& step) const override {
    const Eigen::Index b = f.rows();
    auto u = w.projected.topRows(b);
    detail::multiply_rows(f, p.weights, u, w.per_row);
    u.rowwise() += p.bias;
    if (w.check_finite) detail::check_outputs_finite(step, u);
    detail::unit_rows(u, w.projected_norms.head(b), w.out.topRows(b));
  }
  double own_loss(const RowsRef& out, const Eigen::Ref<const Eigen::VectorXi>& labels,
                  Eigen::Ref<Rows> grad) const override {
    return static_cast<double>(loss_->value_and_gradient(out, labels, grad));
  }
  void backward(const Parameters& p, const RowsRef& f, bool, bool need_df, NetworkWorkspace<Scalar>& w,
                GradientReduction<Scalar>& reduce, Parameters& g) const override {
    const Eigen::Index b = f.rows();
    auto du = w.grad_out.topRows(b);
    detail::through_row_normalization(w.out.topRows(b), w.projected_norms.head(b), w.row_dots.head(b), du);
    reduce.outer(f, du, g.weights);
    reduce.column_sums(du, g.bias);
    if (need_df) detail::multiply_rows(du, p.weights.transpose(), w.grad_features.topRows(b), w.per_row);
  }
  Rows logits(const Parameters& p, Rows f, bool) const override {
    Rows z = f * p.weights;
    z.rowwise() += p.bias;
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> norms;
    Rows unit(z.rows(), z.cols());
    detail::unit_rows(z, norms, unit);
    return unit * p.etf;
  }

 private:
  std::optional<DotRegressionLoss> loss_;
};

/// An optional hidden ReLU layer and a head, in Scalar arithmetic: H = relu(X W1 + b1) (or H = X),
/// then the head. Backward of the hidden layer: dA = dH o [A > 0], dW1 = X^T dA, db1 = 1^T dA.
template <class Scalar>
class Network {
 public:
  /// Batch rows.
  using RowsRef = Eigen::Ref<const TrainingRows<Scalar>>;
  /// Parameters in this arithmetic.
  using Parameters = NetworkParameters<Scalar>;
  /// A network with the given head and a hidden layer of hidden_units (0: none).
  Network(std::unique_ptr<HeadLayer<Scalar>> head, Eigen::Index hidden_units)
      : head_(std::move(head)), hidden_units_(hidden_units), hidden_(hidden_units > 0) {}
  /// The head.
  const HeadLayer<Scalar>& head() const { return *head_; }
  /// The head, mutable (HeadLayer::prepare).
  HeadLayer<Scalar>& head() { return *head_; }
  /// Whether there is a hidden layer.
  bool hidden() const { return hidden_; }
  /// Its width H (0: none).
  Eigen::Index hidden_units() const { return hidden_units_; }
  /// Whether the input rows are normalised once before training and prediction.
  bool normalizes_input() const { return !hidden_ && head_->normalizes_input(); }

  /// The batch output (what the loss reads) into w.out.topRows(b).
  void forward(const Parameters& p, const RowsRef& xb, NetworkWorkspace<Scalar>& w, const TrainingStep& step) const {
    if (!hidden_) {
      head_->forward(p, xb, false, w, step);
      return;
    }
    const Eigen::Index b = xb.rows();
    auto pre = w.pre.topRows(b);
    auto act = w.act.topRows(b);
    detail::multiply_rows(xb, p.hidden_weights, pre, w.per_row);
    pre.rowwise() += p.hidden_bias;
    act = pre.cwiseMax(Scalar(0));
    head_->forward(p, act, true, w, step);
  }

  /// The head's input of the batch (the features a loss such as IB reads).
  RowsRef features(const RowsRef& xb, NetworkWorkspace<Scalar>& w) const {
    if (!hidden_) return xb;
    return w.act.topRows(xb.rows());
  }

  /// From w.grad_out (and, when loss_df, the loss's own dL/dfeatures in w.grad_loss_features): the
  /// gradients through `reduce` (their reduction and the head's finish are the caller's next steps).
  void backward(const Parameters& p, const RowsRef& xb, bool loss_df, NetworkWorkspace<Scalar>& w,
                GradientReduction<Scalar>& reduce, Parameters& g) const {
    const Eigen::Index b = xb.rows();
    head_->backward(p, features(xb, w), hidden_, hidden_, w, reduce, g);
    if (!hidden_) return;
    auto df = w.grad_features.topRows(b);
    if (loss_df) df += w.grad_loss_features.topRows(b);
    df = (w.pre.topRows(b).array() > Scalar(0)).select(df, Scalar(0));
    reduce.outer(xb, df, g.hidden_weights);
    reduce.column_sums(df, g.hidden_bias);
  }

  /// What follows the reduction of a step's gradients.
  void finish(const Parameters& p, NetworkWorkspace<Scalar>& w, Parameters& g) const { head_->finish(p, w, g); }

 private:
  std::unique_ptr<HeadLayer<Scalar>> head_;
  Eigen::Index hidden_units_;
  bool hidden_;
};

IMBALANCE_EXTERN_TEMPLATE(class LinearHead<double>)
IMBALANCE_EXTERN_TEMPLATE(class LinearHead<float>)
IMBALANCE_EXTERN_TEMPLATE(class CosineHead<double>)
IMBALANCE_EXTERN_TEMPLATE(class CosineHead<float>)
IMBALANCE_EXTERN_TEMPLATE(class EtfHead<double>)
IMBALANCE_EXTERN_TEMPLATE(class EtfHead<float>)
IMBALANCE_EXTERN_TEMPLATE(class Network<double>)
IMBALANCE_EXTERN_TEMPLATE(class Network<float>)

}  // namespace imbalance
