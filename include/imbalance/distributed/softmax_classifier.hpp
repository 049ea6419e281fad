#pragma once
/// @file
/// Data-parallel training over MPI ranks (the `imbalance::mpi` CMake target): the model's own SGD loop
/// (imbalance/train/sgd.hpp) on a ShardObjective, each rank holding a shard of the rows. Every head,
/// the hidden layer and both precisions train this way; only the objective differs from one process.
///
/// The shards are consecutive blocks of one global data set, in rank order (rank r holds global
/// rows first_r .. first_r + n_r - 1). Every rank draws the same initial parameters and the same epoch
/// order from the same seed, on the global labels (one all-gather of N ints), exactly as
/// SoftmaxClassifier::fit does in one process: the mini-batches are the ones a single process would
/// see. Per step, ShardObjective:
///   1. runs the network forward on the batch rows this rank holds, row by row (a row's bits do not
///      depend on how many rows a rank holds);
///   2. all-gathers the batch's outputs (B x K logits, or the ETF head's unit features), in batch
///      order, on every rank;
///   3. runs the loss on the whole batch on every rank (the same inputs, the same bits; batch-coupled
///      losses such as LADE and the weighted mean's normaliser see the whole batch): dL/dZ;
///   4. back-propagates its own rows, row by row; every parameter gradient is a sum over rows of
///      outer products, accumulated exactly in 128-bit fixed point on a grid all ranks agree on
///      (one all-reduce of the bounds), then one all-reduce of the integers (associative) and one
///      rounding give the same gradient on every rank, whatever the number of ranks (ExactReduction);
///   5. the loop applies the same SGD step on every rank.
/// So the trained parameters are the same bits for every number of ranks (P = 1 included); against
/// SoftmaxClassifier::fit on the whole data (GEMM gradients) they differ by rounding only.
/// Communication per step: the B x K outputs gathered, one small all-reduce of bounds, the 128-bit
/// gradient reduced (16 bytes per parameter); per epoch, N / B steps.
/// Scope: losses that read the head's features (IB), per-epoch targets (weak supervision) and the
/// per-epoch training accuracy are one-process features (refused with a message).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/losses/any_loss.hpp"
#include "imbalance/train/objective.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance::distributed {

/// Sums of doubles accumulated exactly in 128-bit fixed point on the grid 2^exponent, for sums whose
/// terms are bounded by `bound` in magnitude and number at most `terms` (the grid keeps the total
/// below 2^125). A term finer than the grid is truncated toward zero, the same way on every rank.
class ExactSum {
 public:
  /// size sums of at most `terms` terms each, every term |t| <= bound.
  ExactSum(Eigen::Index size, double bound, Eigen::Index terms) : sums_(static_cast<std::size_t>(size), 0) {
    int top = 0;
    const double reach = bound * static_cast<double>(std::max<Eigen::Index>(terms, 1));
    if (reach > 0 && std::isfinite(reach)) {
      std::frexp(reach, &top);  // reach < 2^top
      exponent_ = top - 125;
    }
    // 2^-exponent as a double when it is a normal number: a multiplication by it is exact (as
    // ldexp, which it replaces in the hot loop) unless the product leaves the normal range.
    if (exponent_ > -1000 && exponent_ < 1000) scale_ = std::ldexp(1.0, -exponent_);
  }
  /// Adds t to sum `index`.
  void add(Eigen::Index index, double t) { sums_[static_cast<std::size_t>(index)] += to_grid(t); }
  /// The sums as (low, high) 64-bit pairs, for Communicator::sum_int128.
  std::vector<std::int64_t> pairs() const {
    std::vector<std::int64_t> out(2 * sums_.size());
    for (std::size_t i = 0; i < sums_.size(); ++i) {
      out[2 * i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(sums_[i]));
      out[2 * i + 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<UInt128>(sums_[i]) >> 64));
    }
    return out;
  }
  /// Sum `index` of (low, high) pairs (after the all-reduce), rounded once to double.
  double value(const std::vector<std::int64_t>& pairs, Eigen::Index index) const { return value(pairs.data(), index); }
  /// The same from the first of this sum's pairs inside a larger all-reduced array.
  double value(const std::int64_t* pairs, Eigen::Index index) const {
    const auto i = static_cast<std::size_t>(index);
    const Int128 total = static_cast<Int128>(
        (static_cast<UInt128>(static_cast<std::uint64_t>(pairs[2 * i + 1])) << 64) | static_cast<std::uint64_t>(pairs[2 * i]));
    return std::ldexp(static_cast<double>(total), exponent_);
  }

 private:
  Int128 to_grid(double t) const {
    // Exact: a power-of-two scaling, below 2^125 by the grid's choice (a product that falls below 1,
    // subnormal or not, truncates to 0 either way).
    const double scaled = scale_ != 0 ? t * scale_ : std::ldexp(t, -exponent_);
    return static_cast<Int128>(scaled);  // truncation toward zero
  }
  std::vector<Int128> sums_;
  int exponent_ = 0;
  double scale_ = 0;
};

/// The gradient reduction of a rank: the outer products of its rows accumulated exactly
/// (ExactSum) and all-reduced, so the sum is the same bits whatever rows each rank holds.
template <class Scalar>
class ExactReduction final : public GradientReduction<Scalar> {
 public:
  using typename GradientReduction<Scalar>::RowsRef;
  using typename GradientReduction<Scalar>::Matrix;
  using typename GradientReduction<Scalar>::RowVector;
  /// Over the ranks of comm.
  explicit ExactReduction(const Communicator& comm) : comm_(comm) {}
  /// Rows of the whole batch of the coming step (bounds the number of terms of every sum).
  void set_batch_rows(Eigen::Index rows) { batch_rows_ = rows; }
  void outer(const RowsRef& left, const RowsRef& right, Matrix& dst) override {
    terms_.push_back(Term{view(left), view(right), &dst, nullptr});
  }
  void column_sums(const RowsRef& right, RowVector& dst) override {
    terms_.push_back(Term{std::nullopt, view(right), nullptr, &dst});
  }
  void reduce() override {
    // One grid per sum, from the largest |term| of any rank.
    bounds_.resize(terms_.size());
    for (std::size_t t = 0; t < terms_.size(); ++t) {
      const Term& term = terms_[t];
      const double right = term.right.size() ? static_cast<double>(term.right.cwiseAbs().maxCoeff()) : 0.0;
      const double left = term.left ? (term.left->size() ? static_cast<double>(term.left->cwiseAbs().maxCoeff()) : 0.0) : 1.0;
      bounds_[t] = left * right;
    }
    comm_.max(bounds_);
    sums_.clear();
    pairs_.clear();
    for (std::size_t t = 0; t < terms_.size(); ++t) {
      const Term& term = terms_[t];
      const Eigen::Index m = term.right.cols();
      const Eigen::Index f = term.left ? term.left->cols() : 1;
      ExactSum sum(f * m, bounds_[t], batch_rows_);
      for (Eigen::Index r = 0; r < term.right.rows(); ++r)
        for (Eigen::Index j = 0; j < m; ++j) {
          const double g = static_cast<double>(term.right(r, j));
          if (!term.left) {
            sum.add(j, g);
            continue;
          }
          for (Eigen::Index i = 0; i < f; ++i) sum.add(j * f + i, static_cast<double>((*term.left)(r, i)) * g);
        }
      const std::vector<std::int64_t> mine = sum.pairs();
      pairs_.insert(pairs_.end(), mine.begin(), mine.end());
      sums_.push_back(std::move(sum));
    }
    comm_.sum_int128(pairs_);
    std::size_t offset = 0;
    for (std::size_t t = 0; t < terms_.size(); ++t) {
      const Term& term = terms_[t];
      const Eigen::Index size = term.right.cols() * (term.left ? term.left->cols() : 1);
      Scalar* out = term.matrix ? term.matrix->data() : term.vector->data();  // column-major: j * f + i
      for (Eigen::Index i = 0; i < size; ++i) out[i] = static_cast<Scalar>(sums_[t].value(pairs_.data() + offset, i));
      offset += 2 * static_cast<std::size_t>(size);
    }
    terms_.clear();
  }

 private:
  using View = Eigen::Map<const TrainingRows<Scalar>, 0, Eigen::OuterStride<>>;
  static View view(const RowsRef& rows) {
    return View(rows.data(), rows.rows(), rows.cols(), Eigen::OuterStride<>(rows.outerStride()));
  }
  struct Term {
    std::optional<View> left;  // empty: column sums
    View right;
    Matrix* matrix;
    RowVector* vector;
  };
  const Communicator& comm_;
  Eigen::Index batch_rows_ = 1;
  std::vector<Term> terms_;
  std::vector<double> bounds_;
  std::vector<ExactSum> sums_;
  std::vector<std::int64_t> pairs_;
};

/// The objective of a rank's shard of a global data set (see the file comment): forward of its own
/// rows, the batch's outputs gathered, the loss on the whole batch, backward of its own rows, the
/// gradient reduced exactly.
template <class Scalar>
class ShardObjective final : public Objective<Scalar> {
 public:
  /// x: this rank's rows (kept by reference; prepare may normalise them), rows first_row.. of the
  /// global set whose shard boundaries are `first` (P + 1 offsets).
  ShardObjective(const Communicator& comm, TrainingRows<Scalar>& x, std::vector<std::int64_t> first)
      : comm_(comm), x_(x), first_(std::move(first)), reduction_(comm) {}
  Eigen::Index rows() const override { return static_cast<Eigen::Index>(first_.back()); }
  void prepare(const Network<Scalar>& network, Eigen::Index batch, Eigen::Index width) override {
    if (network.normalizes_input()) imbalance::detail::normalize_rows(x_);
    x_batch_.resize(batch, x_.cols());
    y_batch_.resize(batch);
    own_.resize(static_cast<std::size_t>(batch));
    out_.resize(batch, width);
    grad_.resize(batch, width);
    work_.resize(batch, x_.cols(), network.hidden_units(), width);
    work_.per_row = true;
    work_.check_finite = false;
    width_ = width;
    counts_.resize(static_cast<std::size_t>(comm_.size()));
    offsets_.resize(static_cast<std::size_t>(comm_.size()));
    taken_.resize(static_cast<std::size_t>(comm_.size()));
  }
  void begin_epoch(const TrainingStep& step, const AnyLoss& loss, const EpochTargets& targets) override {
    if (loss.uses_features())
      imbalance::detail::throw_invalid(step.function, ": the loss of epoch ", step.epoch,
                                       " reads the head's features (IB), which does not train distributed");
    loss_ = &loss;
    labels_ = &targets.labels;
  }
  double evaluate_with_gradient(const Network<Scalar>& network, const NetworkParameters<Scalar>& p,
                                const Eigen::Index* batch, Eigen::Index b, const TrainingStep& step,
                                NetworkParameters<Scalar>& g) override {
    // 1. This rank's rows of the batch, in batch order, forward.
    const std::int64_t mine_first = first_[static_cast<std::size_t>(comm_.rank())];
    std::fill(counts_.begin(), counts_.end(), 0);
    Eigen::Index m = 0;
    for (Eigen::Index r = 0; r < b; ++r) {
      const auto global = static_cast<std::int64_t>(batch[r]);
      const int o = owner(global);
      counts_[static_cast<std::size_t>(o)] += static_cast<int>(width_);
      y_batch_(r) = (*labels_)(static_cast<Eigen::Index>(global));
      if (o != comm_.rank()) continue;
      x_batch_.row(m) = x_.row(static_cast<Eigen::Index>(global - mine_first));
      own_[static_cast<std::size_t>(m++)] = r;
    }
    const auto xb = x_batch_.topRows(m);
    network.forward(p, xb, work_, step);
    // 2. The batch's outputs on every rank (non-finite ones are found after the gather, by all).
    mine_.resize(static_cast<std::size_t>(m * width_));
    for (Eigen::Index r = 0; r < m; ++r)
      for (Eigen::Index j = 0; j < width_; ++j) mine_[static_cast<std::size_t>(r * width_ + j)] = static_cast<double>(work_.out(r, j));
    int total = 0;
    for (std::size_t r = 0; r < counts_.size(); ++r) {
      offsets_[r] = total;
      total += counts_[r];
    }
    gathered_.resize(static_cast<std::size_t>(total));
    comm_.all_gather_known(mine_.data(), static_cast<int>(mine_.size()), gathered_.data(), counts_.data(), offsets_.data());
    std::fill(taken_.begin(), taken_.end(), 0);
    for (Eigen::Index r = 0; r < b; ++r) {
      const auto o = static_cast<std::size_t>(owner(static_cast<std::int64_t>(batch[r])));
      const int at = offsets_[o] + taken_[o];
      for (Eigen::Index j = 0; j < width_; ++j) out_(r, j) = static_cast<Scalar>(gathered_[static_cast<std::size_t>(at + j)]);
      taken_[o] += static_cast<int>(width_);
    }
    imbalance::detail::check_outputs_finite(step, out_.topRows(b));
    // 3. The loss of the whole batch, the same on every rank.
    bool loss_df = false;
    const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>* no_weights = nullptr;
    const TrainingRows<Scalar>* no_soft = nullptr;
    const double value = imbalance::detail::batch_loss(network.head(), *loss_, nullptr, out_.topRows(b), y_batch_.head(b),
                                                       out_.topRows(b), grad_.topRows(b), grad_.topRows(b), no_weights,
                                                       no_soft, loss_df);
    // 4. Backward of this rank's rows; the exact sums over all ranks.
    for (Eigen::Index r = 0; r < m; ++r) work_.grad_out.row(r) = grad_.row(own_[static_cast<std::size_t>(r)]);
    reduction_.set_batch_rows(b);
    network.backward(p, xb, false, work_, reduction_, g);
    reduction_.reduce();
    network.finish(p, work_, g);
    return value;
  }

 private:
  int owner(std::int64_t global) const {
    return static_cast<int>(std::upper_bound(first_.begin(), first_.end(), global) - first_.begin()) - 1;
  }
  const Communicator& comm_;
  TrainingRows<Scalar>& x_;
  std::vector<std::int64_t> first_;
  ExactReduction<Scalar> reduction_;
  TrainingRows<Scalar> x_batch_, out_, grad_;
  Eigen::VectorXi y_batch_;
  std::vector<Eigen::Index> own_;
  NetworkWorkspace<Scalar> work_;
  Eigen::Index width_ = 0;
  std::vector<int> counts_, offsets_, taken_;
  std::vector<double> mine_, gathered_;
  const AnyLoss* loss_ = nullptr;
  const Eigen::VectorXi* labels_ = nullptr;
};

/// What fit_distributed returns besides the model: the per-epoch record, the same on every rank.
struct DistributedFit {
  std::vector<EpochInfo> history;  ///< as SoftmaxClassifier::fit's
  std::int64_t total_rows = 0;     ///< N, the rows of all shards
  std::int64_t first_row = 0;      ///< this rank's first global row
};

/// Trains `model` on the union of the ranks' shards (local_x: n_r x d, local_y: n_r labels in
/// [0, K)), with loss_for_epoch(e) at epoch e and generator `rng` (every rank must pass the same
/// seed), in the arithmetic Scalar (default: local_x's, as SoftmaxClassifier::fit), with any head and hidden layer. Every rank ends with the same model.
/// Bad input on any rank (shapes, labels, non-finite values, ranks that disagree on d, options
/// outside the scope) throws distributed_error on every rank.
template <class Scalar = void, class DX, class DY, class Engine>
DistributedFit fit_distributed(const Communicator& comm, SoftmaxClassifier& model, const Eigen::DenseBase<DX>& local_x,
                               const Eigen::DenseBase<DY>& local_y,
                               const std::function<AnyLoss(long)>& loss_for_epoch, const TrainerOptions& options,
                               Engine& rng) {
  const char* function = "fit_distributed()";
  std::vector<int> labels;
  Eigen::Index k = 0;
  comm.agree([&] {
    if (options.epochs < 1) imbalance::detail::throw_invalid(function, ": epochs must be >= 1 (got ", options.epochs, ")");
    if (options.batch_size < 1)
      imbalance::detail::throw_invalid(function, ": batch_size must be >= 1 (got ", options.batch_size, ")");
    if (options.hidden_units < 0)
      imbalance::detail::throw_invalid(function, ": hidden_units must be >= 0 (got ", options.hidden_units, ")");
    if (options.evaluate_each_epoch)
      imbalance::detail::throw_invalid(function, ": evaluate_each_epoch is not available in distributed training");
    check_non_negative(function, "momentum", options.momentum);
    check_non_negative(function, "weight_decay", options.weight_decay);
    check_non_negative(function, "hidden_weight_decay", options.hidden_weight_decay);
    check_non_negative(function, "etf_reg_lambda", options.etf_reg_lambda);
    options.learning_rate.validate(function);
    if (!loss_for_epoch) imbalance::detail::throw_invalid(function, ": loss_for_epoch is empty");
    k = loss_for_epoch(0).num_classes();
    options.head.make<double>()->check(k, options, function);
    if (local_x.rows() != local_y.size())
      imbalance::detail::throw_invalid(function, ": local_x has ", local_x.rows(), " rows but local_y has ",
                                       local_y.size(), " labels");
    check_finite(function, "local_x", local_x);
    labels.resize(static_cast<std::size_t>(local_y.size()));
    for (Eigen::Index i = 0; i < local_y.size(); ++i) {
      const auto label = static_cast<long long>(local_y.derived().coeff(i));
      if (label < 0 || label >= k)
        imbalance::detail::throw_invalid(function, ": local_y[", i, "] = ", label, " is outside [0, ", k,
                                         ") (the loss has ", k, " classes)");
      labels[static_cast<std::size_t>(i)] = static_cast<int>(label);
    }
  });
  const std::int64_t d_low = comm.min(static_cast<std::int64_t>(local_x.cols()));
  const std::int64_t d_high = comm.max(static_cast<std::int64_t>(local_x.cols()));
  comm.agree([&] {
    if (d_low != d_high)
      imbalance::detail::throw_invalid(function, ": the ranks disagree on the number of features (from ", d_low,
                                       " to ", d_high, "); this rank has ", local_x.cols());
  });

  DistributedFit result;
  std::vector<int> shard_sizes;
  const std::vector<int> all_labels = comm.all_gather(labels, &shard_sizes);
  result.total_rows = static_cast<std::int64_t>(all_labels.size());
  comm.agree([&] {
    if (result.total_rows == 0) imbalance::detail::throw_invalid(function, ": no rank holds any row");
  });
  std::vector<std::int64_t> first(static_cast<std::size_t>(comm.size()) + 1, 0);  // shard boundaries
  for (int r = 0; r < comm.size(); ++r)
    first[static_cast<std::size_t>(r) + 1] = first[static_cast<std::size_t>(r)] + shard_sizes[static_cast<std::size_t>(r)];
  result.first_row = first[static_cast<std::size_t>(comm.rank())];
  EpochTargets targets;
  targets.labels = Eigen::Map<const Eigen::VectorXi>(all_labels.data(), static_cast<Eigen::Index>(all_labels.size()));

  using S = SoftmaxClassifier::Arithmetic<Scalar, DX>;
  TrainingRows<S> x = local_x.derived().template cast<S>();
  ShardObjective<S> objective(comm, x, first);
  // An error inside the loop (a divergence, a loss that refuses) is the same on every rank: every
  // rank evaluates the same gathered batch.
  result.history = model.fit_objective(objective, x.cols(), k, targets, nullptr, loss_for_epoch, options,
                                       imbalance::detail::EngineRef(rng), SgdHooks<S>(), function);
  return result;
}
/// The same with one loss for every epoch.
template <class Scalar = void, class DX, class DY, class Engine>
DistributedFit fit_distributed(const Communicator& comm, SoftmaxClassifier& model, const Eigen::DenseBase<DX>& local_x,
                               const Eigen::DenseBase<DY>& local_y, const AnyLoss& loss, const TrainerOptions& options,
                               Engine& rng) {
  return fit_distributed<Scalar>(comm, model, local_x, local_y, std::function<AnyLoss(long)>([loss](long) { return loss; }),
                         options, rng);
}

}  // namespace imbalance::distributed
