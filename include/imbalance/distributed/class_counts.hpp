#pragma once
/// @file
/// Global class counts from per-rank labels (the `imbalance::mpi` CMake target).
///
/// Class counts are sums, so one all-reduce (or one all-gather of the ranks' distinct labels and
/// their counts) gives every rank the counts of the whole data set: every loss, DRW schedule and
/// sampling strategy then sees the global distribution, whatever the shards hold. A rank may hold
/// no sample of a class, or no sample at all.
///
/// GlobalClasses also keeps each rank's count of every class: the k-th sample of class c in global
/// order (shards are consecutive blocks of the global rows, in rank order) lives on the rank whose
/// prefix of class-c counts covers k, which is how the distributed samplers draw from a class
/// without moving its rows.

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/class_counts.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"

namespace imbalance::distributed {

/// K for labels 0..K-1 spread over the ranks: the largest label on any rank + 1. Throws on every
/// rank (distributed_error) if a rank holds a negative label or no rank holds any label.
template <class DY>
Eigen::Index global_num_classes(const Communicator& comm, const Eigen::DenseBase<DY>& local_labels) {
  std::int64_t largest = -1;
  comm.agree([&] {
    for (Eigen::Index i = 0; i < local_labels.size(); ++i) {
      const auto label = static_cast<std::int64_t>(local_labels.derived().coeff(i));
      if (label < 0)
        imbalance::detail::throw_invalid("global_num_classes(): labels[", i, "] = ", label, " is negative");
      largest = std::max(largest, label);
    }
  });
  largest = comm.max(largest);
  if (largest < 0) imbalance::detail::throw_invalid("global_num_classes(): no rank holds any label");
  return static_cast<Eigen::Index>(largest + 1);
}

/// n_k over all ranks for labels in [0, num_classes): one all-reduce of K integers. Throws on every
/// rank if a rank holds a label outside the range.
template <class DY>
ClassCounts global_class_counts(const Communicator& comm, const Eigen::DenseBase<DY>& local_labels,
                                Eigen::Index num_classes) {
  ClassCounts local;
  comm.agree([&] { local = count_labels(local_labels, num_classes); });
  std::vector<std::int64_t> sums(local.data(), local.data() + local.size());
  comm.sum(sums);
  return Eigen::Map<const ClassCounts>(sums.data(), num_classes);
}

/// The classes of labelled shards: every label present on some rank, its global count, and each
/// rank's count (what the distributed samplers need to find the k-th sample of a class).
class GlobalClasses {
 public:
  /// One all-gather of each rank's distinct labels and their counts.
  template <class DY>
  GlobalClasses(const Communicator& comm, const Eigen::DenseBase<DY>& local_labels) : ranks_(comm.size()) {
    std::map<int, std::int64_t> mine;
    for (Eigen::Index i = 0; i < local_labels.size(); ++i) ++mine[static_cast<int>(local_labels.derived().coeff(i))];
    std::vector<std::int64_t> flat;
    for (const auto& [label, count] : mine) {
      flat.push_back(static_cast<std::int64_t>(label));
      flat.push_back(count);
    }
    std::vector<int> sizes;
    const std::vector<std::int64_t> all = comm.all_gather(flat, &sizes);
    std::map<int, std::vector<std::int64_t>> table;  // label -> count per rank
    std::size_t at = 0;
    for (int r = 0; r < ranks_; ++r)
      for (int j = 0; j < sizes[static_cast<std::size_t>(r)]; j += 2, at += 2) {
        auto& per_rank = table[static_cast<int>(all[at])];
        per_rank.resize(static_cast<std::size_t>(ranks_), 0);
        per_rank[static_cast<std::size_t>(r)] = all[at + 1];
      }
    for (auto& [label, per_rank] : table) {
      std::int64_t total = 0;
      for (std::int64_t c : per_rank) total += c;
      counts_[label] = static_cast<Eigen::Index>(total);
      per_rank_[label] = std::move(per_rank);
    }
    rank_ = comm.rank();
  }

  /// Global count of every label present on some rank (imbalanced-learn's Counter(y)).
  const ClassMap& counts() const noexcept { return counts_; }
  /// How many samples of `label` rank r holds.
  std::int64_t count_on(int label, int rank) const {
    return per_rank_.at(label)[static_cast<std::size_t>(rank)];
  }
  /// The class rank (position in global order among the samples of `label`) of this rank's first
  /// sample of `label`: the sum of the counts on the ranks before it.
  std::int64_t first_class_rank(int label) const {
    const auto& per_rank = per_rank_.at(label);
    std::int64_t before = 0;
    for (int r = 0; r < rank_; ++r) before += per_rank[static_cast<std::size_t>(r)];
    return before;
  }
  /// The number of ranks.
  int ranks() const noexcept { return ranks_; }

 private:
  ClassMap counts_;
  std::map<int, std::vector<std::int64_t>> per_rank_;
  int ranks_ = 1, rank_ = 0;
};

}  // namespace imbalance::distributed
