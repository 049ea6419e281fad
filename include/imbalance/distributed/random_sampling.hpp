#pragma once
/// @file
/// Random over- and under-sampling of sharded data over MPI ranks (the `imbalance::mpi` CMake
/// target), with imbalanced-learn's `sampling_strategy` resolved on the global class counts.
///
/// Shards are consecutive blocks of one global data set, in rank order. Every rank resolves the
/// strategy on the same global counts (GlobalClasses) and makes the same random draws from the same
/// seed as RandomOverSampler / RandomUnderSampler make in one process on the concatenated shards;
/// a draw names the k-th sample of a class in global order, and the rank that holds that sample
/// writes it. So each rank produces its exact share, no row moves between ranks, and the output of
/// all ranks, ordered by DistributedResampled::order, is the one-process output row for row (for
/// every number of ranks, a rank without any sample of a class included).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/distributed/class_counts.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/sampling/resampled.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"

namespace imbalance::distributed {

/// This rank's share of a distributed resampling.
struct DistributedResampled {
  /// This rank's output rows and labels; sample_indices: the local input row of each copied row;
  /// synthetic_base and synthetic_neighbor (SMOTE): global rows, numbered over the concatenated shards.
  Resampled<Eigen::MatrixXd> data;
  std::vector<std::int64_t> order;  ///< each output row's position in the one-process output
};

namespace detail {

// Checks the shard and the ranks' agreement on d; returns the shard's rows per class, in order.
template <class DX, class DY>
std::map<int, std::vector<Eigen::Index>> shard_classes(const Communicator& comm, const char* function,
                                                       const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) {
  std::map<int, std::vector<Eigen::Index>> members;
  comm.agree([&] {
    if (X.rows() != y.size())
      imbalance::detail::throw_invalid(function, ": X has ", X.rows(), " rows but y has ", y.size(), " labels");
    check_finite(function, "X", X);
    for (Eigen::Index i = 0; i < y.size(); ++i) members[static_cast<int>(y.derived().coeff(i))].push_back(i);
  });
  const std::int64_t d_low = comm.min(static_cast<std::int64_t>(X.cols()));
  const std::int64_t d_high = comm.max(static_cast<std::int64_t>(X.cols()));
  comm.agree([&] {
    if (d_low != d_high)
      imbalance::detail::throw_invalid(function, ": the ranks disagree on the number of features (from ", d_low,
                                       " to ", d_high, "); this rank has ", X.cols());
  });
  return members;
}

template <class DX, class DY>
DistributedResampled select_shard_rows(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                       const std::vector<Eigen::Index>& rows, std::int64_t first_row) {
  DistributedResampled out;
  out.data.X.resize(static_cast<Eigen::Index>(rows.size()), X.cols());
  out.data.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.data.X.row(static_cast<Eigen::Index>(i)) = X.derived().row(rows[i]).template cast<double>();
    out.data.y(static_cast<Eigen::Index>(i)) = static_cast<int>(y.derived().coeff(rows[i]));
    out.order.push_back(first_row + rows[i]);
  }
  out.data.sample_indices = rows;
  return out;
}

// What every distributed sampler starts from: the shard's rows per class, the global classes, the
// global row count and this shard's first global row, and the strategy resolved on the global
// counts (checked on every rank; `before` and `after` add a sampler's own checks around the
// resolution).
struct ShardPlan {
  std::map<int, std::vector<Eigen::Index>> members;
  GlobalClasses classes;
  std::int64_t total = 0, first_row = 0;
  ClassMap plan;
};

template <class DX, class DY>
ShardPlan plan_shard(const Communicator& comm, const char* function, const Eigen::DenseBase<DX>& X,
                     const Eigen::DenseBase<DY>& y, const SamplingStrategy& strategy, SamplerKind kind,
                     const std::function<void()>& before = {},
                     const std::function<void(const ClassMap&, const GlobalClasses&)>& after = {}) {
  auto members = shard_classes(comm, function, X, y);
  ShardPlan p{std::move(members), GlobalClasses(comm, y), comm.sum(static_cast<std::int64_t>(X.rows())),
              comm.exclusive_prefix_sum(static_cast<std::int64_t>(X.rows())), {}};
  comm.agree([&] {
    if (p.total == 0) imbalance::detail::throw_invalid(function, ": no rank holds any row");
    if (before) before();
    p.plan = strategy.resolve(p.classes.counts(), kind);
    if (after) after(p.plan, p.classes);
  });
  return p;
}

// Every row of the shard, as the first part of an over-sampler's output.
template <class DX, class DY>
DistributedResampled all_shard_rows(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                    std::int64_t first_row) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) rows[static_cast<std::size_t>(i)] = i;
  return select_shard_rows(X, y, rows, first_row);
}

}  // namespace detail

/// Random over-sampling (imbalanced-learn's RandomOverSampler without shrinkage) of the ranks'
/// shards: every original row stays where it is; the copies of a class's drawn samples are written
/// by the ranks that hold them. Same seed on every rank.
template <class DX, class DY, class Engine>
DistributedResampled random_over_sample(const Communicator& comm, const Eigen::DenseBase<DX>& X,
                                        const Eigen::DenseBase<DY>& y, const SamplingStrategy& strategy, Engine& rng) {
  const detail::ShardPlan shard =
      detail::plan_shard(comm, "distributed::random_over_sample()", X, y, strategy, SamplerKind::OverSampling);
  const auto& [members, classes, total, first_row, plan] = shard;
  DistributedResampled out = detail::all_shard_rows(X, y, first_row);
  std::vector<Eigen::Index> copies;
  std::vector<std::int64_t> copy_order;
  std::int64_t drawn = 0;
  for (const auto& [label, n] : plan) {
    if (n <= 0) continue;
    const auto class_size = static_cast<std::size_t>(classes.counts().at(label));
    const std::int64_t start = classes.first_class_rank(label), held = classes.count_on(label, comm.rank());
    for (Eigen::Index s = 0; s < n; ++s, ++drawn) {
      const auto k = static_cast<std::int64_t>(uniform_index(rng, class_size));
      if (k < start || k >= start + held) continue;
      copies.push_back(members.at(label)[static_cast<std::size_t>(k - start)]);
      copy_order.push_back(total + drawn);
    }
  }
  const Eigen::Index originals = out.data.X.rows();
  out.data.X.conservativeResize(originals + static_cast<Eigen::Index>(copies.size()), Eigen::NoChange);
  out.data.y.conservativeResize(originals + static_cast<Eigen::Index>(copies.size()));
  for (std::size_t i = 0; i < copies.size(); ++i) {
    out.data.X.row(originals + static_cast<Eigen::Index>(i)) = X.derived().row(copies[i]).template cast<double>();
    out.data.y(originals + static_cast<Eigen::Index>(i)) = static_cast<int>(y.derived().coeff(copies[i]));
    out.data.sample_indices.push_back(copies[i]);
    out.order.push_back(copy_order[i]);
  }
  return out;
}

/// Random under-sampling (imbalanced-learn's RandomUnderSampler) of the ranks' shards: each rank
/// keeps its rows among the drawn ones, in their original order. Same seed on every rank.
template <class DX, class DY, class Engine>
DistributedResampled random_under_sample(const Communicator& comm, const Eigen::DenseBase<DX>& X,
                                         const Eigen::DenseBase<DY>& y, const SamplingStrategy& strategy,
                                         bool replacement, Engine& rng) {
  const detail::ShardPlan shard =
      detail::plan_shard(comm, "distributed::random_under_sample()", X, y, strategy, SamplerKind::UnderSampling);
  const auto& [members, classes, total, first_row, plan] = shard;
  std::vector<Eigen::Index> keep;
  for (const auto& [label, class_count] : classes.counts()) {
    const std::int64_t start = classes.first_class_rank(label), held = classes.count_on(label, comm.rank());
    const auto mine = members.find(label);
    const auto target = plan.find(label);
    if (target == plan.end()) {
      if (mine != members.end()) keep.insert(keep.end(), mine->second.begin(), mine->second.end());
      continue;
    }
    const auto n = static_cast<std::size_t>(target->second);
    const auto class_size = static_cast<std::size_t>(class_count);
    const auto take = [&](std::int64_t k) {
      if (k >= start && k < start + held) keep.push_back(mine->second[static_cast<std::size_t>(k - start)]);
    };
    if (replacement) {
      for (std::size_t s = 0; s < n; ++s) take(static_cast<std::int64_t>(uniform_index(rng, class_size)));
    } else {
      // The same partial Fisher-Yates as RandomUnderSampler, on the class ranks 0..n_c-1.
      std::vector<std::int64_t> pool(class_size);
      for (std::size_t i = 0; i < class_size; ++i) pool[i] = static_cast<std::int64_t>(i);
      for (std::size_t s = 0; s < n; ++s) std::swap(pool[s], pool[s + uniform_index(rng, pool.size() - s)]);
      for (std::size_t s = 0; s < n; ++s) take(pool[s]);
    }
  }
  std::sort(keep.begin(), keep.end());
  return detail::select_shard_rows(X, y, keep, first_row);
}

}  // namespace imbalance::distributed
