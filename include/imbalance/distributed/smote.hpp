#pragma once
/// @file
/// Exact SMOTE of sharded data over MPI ranks (the `imbalance::mpi` CMake target).
///
/// Chawla, Bowyer, Hall, Kegelmeyer. "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 2002,
/// in imbalanced-learn's form (as imbalance::SMOTE): for a class c to receive m new samples, the k
/// nearest neighbours of each of its samples among all of its samples (not among one rank's shard),
/// then m draws of a (sample, neighbour) pair and a step u ~ U[0, 1): x_new = x + u (x_nn - x).
///
/// Neighbours by passing shards around a ring: each rank keeps the k best candidates of its own
/// class-c samples, in the order of (L(q, x), class rank) of the library's exact search (L the
/// squared distance summed in long double; ties to the lower class rank; a sample is never its own
/// neighbour), and the P - 1 other ranks' class-c blocks pass by it one ring step at a time (one
/// send and one receive of n_c / P rows per step). The candidates are exact, so the neighbour sets
/// are those of the whole class, and the same as SMOTE's in one process. The draws are the same on
/// every rank (same seed, SMOTE's order: every pair first, then every step); the rank that holds a
/// drawn sample writes the synthetic row, with the neighbour's coordinates it kept from the ring.
/// The output of all ranks ordered by DistributedResampled::order is SMOTE's output on the
/// concatenated shards, for every number of ranks. Memory per rank: its class-c rows, one passing
/// block, and k neighbour rows per own sample.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/distributed/class_counts.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/distributed/random_sampling.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"

namespace imbalance::distributed {

/// SMOTE of the ranks' shards (SMOTEOptions' algorithm is not used: the ring search is exact by
/// itself). Same seed on every rank.
template <class DX, class DY, class Engine>
DistributedResampled smote(const Communicator& comm, const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                           const SMOTEOptions& options, Engine& rng) {
  const char* function = "distributed::smote()";
  const Eigen::Index d = X.cols(), k = options.k_neighbors;
  const detail::ShardPlan shard = detail::plan_shard(
      comm, function, X, y, options.sampling_strategy, SamplerKind::OverSampling,
      [&] {
        if (k < 1) imbalance::detail::throw_invalid(function, ": k_neighbors must be >= 1 (got ", k, ")");
      },
      [&](const ClassMap& plan, const GlobalClasses& classes) {
        for (const auto& [label, n] : plan)
          if (n > 0)
            imbalance::detail::check_class_size(function, label, static_cast<std::size_t>(classes.counts().at(label)),
                                                k, "k_neighbors");
      });
  const auto& [members, classes, total, first_row, plan] = shard;
  DistributedResampled out = detail::all_shard_rows(X, y, first_row);

  const int next = (comm.rank() + 1) % comm.size(), previous = (comm.rank() + comm.size() - 1) % comm.size();
  std::int64_t drawn_before = 0;  // synthetic rows of the classes before this one
  for (const auto& [label, n] : plan) {
    if (n <= 0) continue;
    const auto found = members.find(label);
    const std::vector<Eigen::Index> none;
    const std::vector<Eigen::Index>& own = found == members.end() ? none : found->second;
    const auto held = static_cast<Eigen::Index>(own.size());
    const std::int64_t start = classes.first_class_rank(label);
    // This rank's class-c block: class rank, global row, then d coordinates, per row (the ranks and
    // rows are below 2^53, exact in a double).
    std::vector<double> block;
    block.reserve(static_cast<std::size_t>(held * (d + 2)));
    for (Eigen::Index i = 0; i < held; ++i) {
      block.push_back(static_cast<double>(start + i));
      block.push_back(static_cast<double>(first_row + own[static_cast<std::size_t>(i)]));
      for (Eigen::Index j = 0; j < d; ++j) block.push_back(static_cast<double>(X.derived().coeff(own[static_cast<std::size_t>(i)], j)));
    }
    // The k best candidates of each own sample, sorted by (L, class rank): distances, class ranks
    // and coordinates in fixed slabs (no allocation per candidate).
    const auto kk = static_cast<std::size_t>(k), dd = static_cast<std::size_t>(d);
    std::vector<long double> best_distance(static_cast<std::size_t>(held) * kk);
    std::vector<std::int64_t> best_rank(static_cast<std::size_t>(held) * kk), best_row(static_cast<std::size_t>(held) * kk);
    std::vector<double> best_point(static_cast<std::size_t>(held) * kk * dd);
    std::vector<std::size_t> found_count(static_cast<std::size_t>(held), 0);
    const auto before = [](long double d1, std::int64_t r1, long double d2, std::int64_t r2) {
      return d1 < d2 || (d1 == d2 && r1 < r2);
    };
    std::vector<double> passing = block;
    for (int step = 0; step < comm.size(); ++step) {
      const std::size_t rows_passing = passing.size() / (dd + 2);
      for (Eigen::Index q = 0; q < held; ++q) {
        const auto qi = static_cast<std::size_t>(q);
        const double* query = block.data() + qi * (dd + 2) + 2;
        const auto query_rank = static_cast<std::int64_t>(start + q);
        long double* dist = best_distance.data() + qi * kk;
        std::int64_t* rank = best_rank.data() + qi * kk;
        std::int64_t* global = best_row.data() + qi * kk;
        double* coords = best_point.data() + qi * kk * dd;
        std::size_t& count = found_count[qi];
        for (std::size_t p = 0; p < rows_passing; ++p) {
          const double* point = passing.data() + p * (dd + 2);
          const auto point_rank = static_cast<std::int64_t>(point[0]);
          if (point_rank == query_rank) continue;  // never its own neighbour
          const long double distance = exact_squared_distance(query, point + 2, d);
          if (count == kk && !before(distance, point_rank, dist[kk - 1], rank[kk - 1])) continue;
          std::size_t at = 0;
          while (at < count && !before(distance, point_rank, dist[at], rank[at])) ++at;
          const std::size_t last = std::min(count, kk - 1);  // the slot the shift fills
          for (std::size_t m = last; m > at; --m) {
            dist[m] = dist[m - 1];
            rank[m] = rank[m - 1];
            global[m] = global[m - 1];
            std::copy(coords + (m - 1) * dd, coords + m * dd, coords + m * dd);
          }
          dist[at] = distance;
          rank[at] = point_rank;
          global[at] = static_cast<std::int64_t>(point[1]);
          std::copy(point + 2, point + 2 + d, coords + at * dd);
          count = std::min(count + 1, kk);
        }
      }
      if (step + 1 < comm.size()) passing = comm.shift(passing, next, previous);
    }
    // The draws, the same on every rank: pairs first, then steps (SMOTE's order).
    const auto class_size = static_cast<std::uint64_t>(classes.counts().at(label));
    std::vector<std::uint64_t> pairs(static_cast<std::size_t>(n));
    for (auto& p : pairs) p = uniform_index(rng, class_size * static_cast<std::uint64_t>(k));
    std::vector<double> steps(static_cast<std::size_t>(n));
    for (auto& u : steps) u = uniform01(rng);
    std::vector<Eigen::Index> written;  // the draws whose base this rank holds
    for (Eigen::Index s = 0; s < n; ++s) {
      const auto base_rank = static_cast<std::int64_t>(pairs[static_cast<std::size_t>(s)] / static_cast<std::uint64_t>(k));
      if (base_rank >= start && base_rank < start + held) written.push_back(s);
    }
    Eigen::Index row = out.data.X.rows();
    out.data.X.conservativeResize(row + static_cast<Eigen::Index>(written.size()), Eigen::NoChange);
    out.data.y.conservativeResize(row + static_cast<Eigen::Index>(written.size()));
    for (const Eigen::Index s : written) {
      const std::uint64_t p = pairs[static_cast<std::size_t>(s)];
      const auto local = static_cast<std::size_t>(static_cast<std::int64_t>(p / static_cast<std::uint64_t>(k)) - start);
      const auto slot = static_cast<std::size_t>(p % static_cast<std::uint64_t>(k));
      const double* neighbor = best_point.data() + (local * kk + slot) * dd;
      const Eigen::Index base_row = own[local];
      const double u = steps[static_cast<std::size_t>(s)];
      bool finite = true;
      for (Eigen::Index j = 0; j < d; ++j) {
        const double x = static_cast<double>(X.derived().coeff(base_row, j));
        out.data.X(row, j) = x + u * (neighbor[j] - x);
        finite = finite && std::isfinite(out.data.X(row, j));
      }
      if (!finite)  // x + u (x_nn - x) overflowed: the convex form cannot
        for (Eigen::Index j = 0; j < d; ++j)
          out.data.X(row, j) = (1.0 - u) * static_cast<double>(X.derived().coeff(base_row, j)) + u * neighbor[j];
      out.data.y(row) = label;
      out.data.synthetic_base.push_back(static_cast<Eigen::Index>(first_row + base_row));
      out.data.synthetic_neighbor.push_back(static_cast<Eigen::Index>(best_row[local * kk + slot]));
      out.order.push_back(total + drawn_before + s);
      ++row;
    }
    drawn_before += n;
  }
  if (drawn_before > 0) out.data.sample_indices.clear();  // Resampled's contract: copies only
  return out;
}

}  // namespace imbalance::distributed
