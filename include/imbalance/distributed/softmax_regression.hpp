#pragma once
/// @file
/// Data-parallel training of SoftmaxRegression's linear head over MPI ranks (the `imbalance::mpi`
/// CMake target): synchronous mini-batch SGD with momentum, each rank holding a shard of the rows.
///
/// The shards are consecutive blocks of one global data set, in rank order (rank r holds global
/// rows first_r .. first_r + n_r - 1). Every rank draws the same epoch order from the same seed, on
/// the global labels (one all-gather of N ints), exactly as SoftmaxRegression::fit does in one
/// process (a shuffled permutation, or the BatchSampler's draws): the mini-batches are the ones a
/// single process would see. Per step:
///   1. each rank computes the logits z_i = x_i W + b of the batch rows it holds (row by row, so a
///      row's bits do not depend on how many rows a rank holds);
///   2. one all-gather assembles the batch's B x K logits, in batch order, on every rank;
///   3. every rank runs the loss on the whole batch (the same inputs, the same bits; batch-coupled
///      losses such as LADE and the weighted mean's normaliser see the whole batch): dL/dZ;
///   4. each rank accumulates dW = sum_i x_i^T dz_i and db = sum_i dz_i over its rows exactly, in
///      128-bit fixed point on a grid every rank derives from max|x| (global, once) and max|dZ|;
///      one all-reduce of the integers (associative) and one rounding give the same gradient on
///      every rank, whatever the number of ranks;
///   5. every rank applies the same SGD step (momentum, weight decay, learning-rate schedule).
/// So the trained weights are the same bits for every number of ranks (P = 1 included); against
/// SoftmaxRegression::fit on the whole data (whose gradient is a double GEMM) they differ by
/// rounding only. Communication per step: (B K + 8 (d + 1) K) doubles' worth (the logits gathered,
/// the 128-bit gradient reduced); per epoch, N / B steps.
/// Scope: the linear head in double precision, without a hidden layer, per-sample weights or soft
/// targets (refused with a message).

#include <algorithm>
#include <chrono>
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
#include "imbalance/sampling/batch_sampler.hpp"
#include "imbalance/train/softmax_regression.hpp"

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
  double value(const std::vector<std::int64_t>& pairs, Eigen::Index index) const {
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

/// What fit_distributed returns besides the model: the per-epoch record, the same on every rank.
struct DistributedFit {
  std::vector<EpochInfo> history;  ///< as SoftmaxRegression::fit's
  std::int64_t total_rows = 0;     ///< N, the rows of all shards
  std::int64_t first_row = 0;      ///< this rank's first global row
};

/// Trains `model`'s linear head on the union of the ranks' shards (local_x: n_r x d, local_y: n_r
/// labels in [0, K)), with loss_for_epoch(e) at epoch e and generator `rng` (every rank must pass
/// the same seed). Every rank ends with the same model. Bad input on any rank (shapes, labels,
/// non-finite values, ranks that disagree on d, options outside the scope) throws distributed_error
/// on every rank.
template <class DX, class DY, class Engine>
DistributedFit fit_distributed(const Communicator& comm, SoftmaxRegression& model, const Eigen::DenseBase<DX>& local_x,
                               const Eigen::DenseBase<DY>& local_y,
                               const std::function<AnyLoss(long)>& loss_for_epoch, const TrainerOptions& options,
                               Engine& rng) {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const char* function = "fit_distributed()";
  RowMatrix x;
  std::vector<int> labels;
  Eigen::Index k = 0;
  comm.agree([&] {
    if (options.head != Head::Linear)
      imbalance::detail::throw_invalid(function, ": only the linear head trains distributed");
    if (options.hidden_units != 0)
      imbalance::detail::throw_invalid(function, ": a hidden layer does not train distributed (hidden_units = ",
                                       options.hidden_units, ")");
    if (options.precision != Precision::Double)
      imbalance::detail::throw_invalid(function, ": distributed training computes in double precision");
    if (options.batch_size < 1)
      imbalance::detail::throw_invalid(function, ": batch_size must be >= 1 (got ", options.batch_size, ")");
    if (options.epochs < 0) imbalance::detail::throw_invalid(function, ": epochs must be >= 0 (got ", options.epochs, ")");
    check_non_negative(function, "momentum", options.momentum);
    check_non_negative(function, "weight_decay", options.weight_decay);
    options.learning_rate.validate(function);
    if (!loss_for_epoch) imbalance::detail::throw_invalid(function, ": loss_for_epoch is empty");
    k = loss_for_epoch(0).num_classes();
    if (local_x.rows() != local_y.size())
      imbalance::detail::throw_invalid(function, ": local_x has ", local_x.rows(), " rows but local_y has ",
                                       local_y.size(), " labels");
    check_finite(function, "local_x", local_x);
    x = local_x.derived().template cast<double>();
    labels.resize(static_cast<std::size_t>(local_y.size()));
    for (Eigen::Index i = 0; i < local_y.size(); ++i) {
      const auto label = static_cast<long long>(local_y.derived().coeff(i));
      if (label < 0 || label >= k)
        imbalance::detail::throw_invalid(function, ": local_y[", i, "] = ", label, " is outside [0, ", k,
                                         ") (the loss has ", k, " classes)");
      labels[static_cast<std::size_t>(i)] = static_cast<int>(label);
    }
  });
  const std::int64_t d_low = comm.min(static_cast<std::int64_t>(x.cols()));
  const std::int64_t d_high = comm.max(static_cast<std::int64_t>(x.cols()));
  comm.agree([&] {
    if (d_low != d_high)
      imbalance::detail::throw_invalid(function, ": the ranks disagree on the number of features (from ", d_low,
                                       " to ", d_high, "); this rank has ", x.cols());
  });
  const Eigen::Index d = x.cols();

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
  const auto owner = [&](std::int64_t global) {
    return static_cast<int>(std::upper_bound(first.begin(), first.end(), global) - first.begin()) - 1;
  };
  const double x_bound = comm.max(x.size() ? x.cwiseAbs().maxCoeff() : 0.0);

  const Eigen::Index n = static_cast<Eigen::Index>(result.total_rows);
  const Eigen::Map<const Eigen::VectorXi> y(all_labels.data(), n);
  std::optional<BatchSampler> sampler;
  if (options.sampler) sampler.emplace(y, *options.sampler);
  const Eigen::Index batch = std::min(options.batch_size, n);

  Eigen::MatrixXd weights = Eigen::MatrixXd::Zero(d, k), velocity_w = Eigen::MatrixXd::Zero(d, k);
  Eigen::RowVectorXd bias = Eigen::RowVectorXd::Zero(k), velocity_b = Eigen::RowVectorXd::Zero(k);
  Eigen::MatrixXd grad_w(d, k);
  Eigen::RowVectorXd grad_b(k);
  RowMatrix z(batch, k), dz(batch, k);
  Eigen::VectorXi y_batch(batch);
  std::vector<double> mine;
  std::vector<int> counts(static_cast<std::size_t>(comm.size())), offsets(static_cast<std::size_t>(comm.size()));
  std::vector<double> gathered;
  std::vector<int> taken(static_cast<std::size_t>(comm.size()));
  std::vector<Eigen::Index> order;

  for (long epoch = 0; epoch < options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    AnyLoss loss = loss_for_epoch(epoch);
    comm.agree([&] {
      if (loss.num_classes() != k)
        imbalance::detail::throw_invalid(function, ": the loss of epoch ", epoch, " has ", loss.num_classes(),
                                         " classes, not ", k);
    });
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
      // 1. The logits of this rank's rows of the batch, in batch order.
      mine.clear();
      std::fill(counts.begin(), counts.end(), 0);
      for (Eigen::Index r = 0; r < b; ++r) {
        const auto global = static_cast<std::int64_t>(order[static_cast<std::size_t>(start_row + r)]);
        const int o = owner(global);
        counts[static_cast<std::size_t>(o)] += static_cast<int>(k);
        y_batch(r) = y(static_cast<Eigen::Index>(global));
        if (o != comm.rank()) continue;
        const Eigen::Index local = static_cast<Eigen::Index>(global - result.first_row);
        for (Eigen::Index j = 0; j < k; ++j) mine.push_back(x.row(local).dot(weights.col(j)) + bias(j));
      }
      // 2. The batch's logits on every rank.
      int total = 0;
      for (int r = 0; r < comm.size(); ++r) {
        offsets[static_cast<std::size_t>(r)] = total;
        total += counts[static_cast<std::size_t>(r)];
      }
      gathered.resize(static_cast<std::size_t>(total));
      comm.all_gather_known(mine.data(), static_cast<int>(mine.size()), gathered.data(), counts.data(), offsets.data());
      std::fill(taken.begin(), taken.end(), 0);
      for (Eigen::Index r = 0; r < b; ++r) {
        const int o = owner(static_cast<std::int64_t>(order[static_cast<std::size_t>(start_row + r)]));
        const int at = offsets[static_cast<std::size_t>(o)] + taken[static_cast<std::size_t>(o)];
        for (Eigen::Index j = 0; j < k; ++j) z(r, j) = gathered[static_cast<std::size_t>(at + j)];
        taken[static_cast<std::size_t>(o)] += static_cast<int>(k);
      }
      // 3. The loss of the whole batch, the same on every rank.
      if (!z.topRows(b).allFinite())
        imbalance::detail::throw_invalid(function, ": training diverged at epoch ", epoch, ", iteration ", iteration,
                                         " (non-finite logits); lower the learning rate");
      auto zb = z.topRows(b);
      auto gb = dz.topRows(b);
      loss_sum += loss.value_and_gradient(zb, y_batch.head(b), gb);
      // 4. The exact gradient of this rank's rows, summed over the ranks.
      const double dz_bound = gb.cwiseAbs().maxCoeff();
      ExactSum weight_sum(d * k, x_bound * dz_bound, b), bias_sum(k, dz_bound, b);
      for (Eigen::Index r = 0; r < b; ++r) {
        const auto global = static_cast<std::int64_t>(order[static_cast<std::size_t>(start_row + r)]);
        if (owner(global) != comm.rank()) continue;
        const Eigen::Index local = static_cast<Eigen::Index>(global - result.first_row);
        for (Eigen::Index j = 0; j < k; ++j) {
          const double g = gb(r, j);
          bias_sum.add(j, g);
          for (Eigen::Index i = 0; i < d; ++i) weight_sum.add(j * d + i, x(local, i) * g);
        }
      }
      std::vector<std::int64_t> w_pairs = weight_sum.pairs(), b_pairs = bias_sum.pairs();
      comm.sum_int128(w_pairs);
      comm.sum_int128(b_pairs);
      for (Eigen::Index j = 0; j < k; ++j) {
        grad_b(j) = bias_sum.value(b_pairs, j);
        for (Eigen::Index i = 0; i < d; ++i) grad_w(i, j) = weight_sum.value(w_pairs, j * d + i);
      }
      // 5. The SGD step, as SoftmaxRegression::fit takes it.
      rate = options.learning_rate.rate(epoch, iteration, per_epoch, options.epochs);
      velocity_w = options.momentum * velocity_w + grad_w + options.weight_decay * weights;
      weights -= rate * velocity_w;
      velocity_b = options.momentum * velocity_b + grad_b + options.weight_decay * bias;
      bias -= rate * velocity_b;
    }
    EpochInfo info;
    info.epoch = epoch;
    info.epochs = options.epochs;
    info.mean_loss = loss_sum / static_cast<double>(std::max<long>(1, iteration));
    info.learning_rate = rate;
    info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.on_epoch) options.on_epoch(info);
    result.history.push_back(info);
  }
  model.set_parameters(weights, bias, Head::Linear);
  return result;
}

/// The same with one loss for every epoch.
template <class DX, class DY, class Engine>
DistributedFit fit_distributed(const Communicator& comm, SoftmaxRegression& model, const Eigen::DenseBase<DX>& local_x,
                               const Eigen::DenseBase<DY>& local_y, const AnyLoss& loss, const TrainerOptions& options,
                               Engine& rng) {
  return fit_distributed(comm, model, local_x, local_y, std::function<AnyLoss(long)>([loss](long) { return loss; }),
                         options, rng);
}

}  // namespace imbalance::distributed
