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
#include <memory>
#include <stdexcept>
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

namespace detail {

/// The approximate ring (SMOTEOptions::neighbors with the HNSW backend): each rank indexes its own
/// class-c rows (HNSW graphs), and the ranks' queries, not their points, travel around the ring with
/// their candidate lists: at each step a rank searches the visiting queries in its graphs, ranks
/// their k + 1 best by the exact L (ties to the lower class rank; never the query itself) and merges
/// them into the lists; after P steps the lists are home. Each query is searched in every rank's
/// graphs and the k best kept, as one process searches every shard's graph. Per rank: its rows, its
/// graphs and one passing block of queries with k candidates each.
template <class DX>
void approximate_ring(const Communicator& comm, const Eigen::DenseBase<DX>& X, const std::vector<Eigen::Index>& own,
                      std::int64_t start, std::int64_t first_row, const NeighborSearch& search, Eigen::Index k,
                      std::vector<long double>& best_distance, std::vector<std::int64_t>& best_rank,
                      std::vector<std::int64_t>& best_row, std::vector<double>& best_point) {
  const Eigen::Index d = X.cols(), held = static_cast<Eigen::Index>(own.size());
  const auto dd = static_cast<std::size_t>(d), kk = static_cast<std::size_t>(k);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> points(held, d);
  for (Eigen::Index i = 0; i < held; ++i) points.row(i) = X.derived().row(own[static_cast<std::size_t>(i)]).template cast<double>();
  std::unique_ptr<NearestNeighbors> index;
  if (held > 0) index = std::make_unique<NearestNeighbors>(points, search);
  // A query's record: its class rank, its candidate count, its coordinates, then k candidates of
  // (class rank, global row, coordinates), nearest first.
  const std::size_t slot = 2 + dd, record = 2 + dd + kk * slot;
  std::vector<double> passing(static_cast<std::size_t>(held) * record, 0.0);
  for (Eigen::Index q = 0; q < held; ++q) {
    double* r = passing.data() + static_cast<std::size_t>(q) * record;
    r[0] = static_cast<double>(start + q);
    std::copy(points.row(q).data(), points.row(q).data() + d, r + 2);
  }
  const int next = (comm.rank() + 1) % comm.size(), previous = (comm.rank() + comm.size() - 1) % comm.size();
  for (int step = 0; step < comm.size(); ++step) {
    const std::size_t visiting = passing.size() / record;
    if (visiting > 0 && index) {
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> queries(static_cast<Eigen::Index>(visiting), d);
      for (std::size_t q = 0; q < visiting; ++q)
        std::copy(passing.data() + q * record + 2, passing.data() + q * record + 2 + dd, queries.row(static_cast<Eigen::Index>(q)).data());
      const NeighborIndices found = index->query(queries, std::min<Eigen::Index>(k + 1, held));
      // Scratch reused by every query: no allocation per query.
      std::vector<std::pair<long double, std::int64_t>> merged;  // (L, class rank) of list + found
      std::vector<const double*> source;
      std::vector<double> list(kk * slot), fresh((kk + 1) * slot);
      std::vector<std::size_t> order;
      merged.reserve(2 * kk + 1);
      source.reserve(2 * kk + 1);
      order.reserve(2 * kk + 1);
      for (std::size_t q = 0; q < visiting; ++q) {
        double* r = passing.data() + q * record;
        const auto query_rank = static_cast<std::int64_t>(r[0]);
        const double* query = r + 2;
        auto count = static_cast<std::size_t>(r[1]);
        std::copy(r + 2 + dd, r + record, list.begin());
        merged.clear();
        source.clear();
        for (std::size_t c = 0; c < count; ++c) {
          const double* candidate = list.data() + c * slot;
          merged.emplace_back(exact_squared_distance(query, candidate + 2, d), static_cast<std::int64_t>(candidate[0]));
          source.push_back(candidate);
        }
        std::size_t added = 0;
        for (Eigen::Index j = 0; j < found.cols(); ++j) {
          const Eigen::Index i = found(static_cast<Eigen::Index>(q), j);
          if (start + i == query_rank) continue;  // never its own neighbour
          double* f = fresh.data() + added++ * slot;
          f[0] = static_cast<double>(start + i);
          f[1] = static_cast<double>(first_row + own[static_cast<std::size_t>(i)]);
          std::copy(points.row(i).data(), points.row(i).data() + d, f + 2);
          merged.emplace_back(exact_squared_distance(query, f + 2, d), start + i);
          source.push_back(f);
        }
        order.resize(merged.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return merged[a] < merged[b]; });
        count = std::min(kk, order.size());
        for (std::size_t c = 0; c < count; ++c)
          std::copy(source[order[c]], source[order[c]] + slot, r + 2 + dd + c * slot);
        r[1] = static_cast<double>(count);
      }
    }
    passing = comm.shift(passing, next, previous);  // P shifts: the lists come home
  }
  for (Eigen::Index q = 0; q < held; ++q) {
    const double* r = passing.data() + static_cast<std::size_t>(q) * record;
    const auto count = static_cast<std::size_t>(r[1]);
    if (count < kk)
      throw std::logic_error("imbalance::distributed::smote: fewer candidates than neighbours (a bug; please report)");
    const auto qi = static_cast<std::size_t>(q);
    for (std::size_t c = 0; c < kk; ++c) {
      const double* candidate = r + 2 + dd + c * slot;
      best_distance[qi * kk + c] = exact_squared_distance(r + 2, candidate + 2, d);
      best_rank[qi * kk + c] = static_cast<std::int64_t>(candidate[0]);
      best_row[qi * kk + c] = static_cast<std::int64_t>(candidate[1]);
      std::copy(candidate + 2, candidate + 2 + dd, best_point.data() + (qi * kk + c) * dd);
    }
  }
}

}  // namespace detail

/// SMOTE of the ranks' shards: exact neighbours by the ring of class blocks (SMOTEOptions'
/// exact algorithm is not used: the ring is exact by itself), or with the HNSW backend by the
/// approximate ring of queries (detail::approximate_ring). Same seed on every rank.
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
    if (options.neighbors.backend == NeighborBackend::Hnsw) {
      detail::approximate_ring(comm, X, own, start, first_row, options.neighbors, k, best_distance, best_rank, best_row, best_point);
      std::fill(found_count.begin(), found_count.end(), kk);
    }
    std::vector<double> passing = block;
    for (int step = 0; options.neighbors.backend == NeighborBackend::Exact && step < comm.size(); ++step) {
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
