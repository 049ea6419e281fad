#pragma once
/// @file
/// Condensed nearest neighbour (CNN) under-sampling.
///
/// Hart, "The Condensed Nearest Neighbor Rule", IEEE Trans. Information Theory 14(3), 1968; as
/// imbalanced-learn 0.10 (under_sampling/_prototype_selection/_condensed_nearest_neighbour.py).
/// M is the minority class (the smallest, ties: first seen in y). For each class c targeted by
/// sampling_strategy (default 'auto' = every class but the minority), in ascending label order:
///   1. the store C starts as all of M plus n_seeds_S samples of c drawn uniformly with replacement;
///   2. the samples of c are visited in order; one not in C whose k-NN vote over C (k = n_neighbors,
///      ties of the vote: the smaller label; of distances: the lower index) is not c joins C.
/// The samples of c kept are those in C. Adding a sample of c to C can only add votes for c, so a
/// sample found correct stays correct: in the end every removed sample of c is classified correctly
/// by the kept samples of c and M (imbalanced-learn reaches the same by re-fitting after each
/// addition). Other classes are kept. Kept rows come out in their original order.
/// Differences from imbalanced-learn: the library's generator draws the seeds, so the kept set
/// follows the definition but not imbalanced-learn's random numbers. Cost: O(n_c * |C| * d) per
/// class (each addition updates the neighbour lists of the samples still to visit), memory O(n_c k).
/// Defaults: n_neighbors = 1, n_seeds_S = 1, 'auto'.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of CondensedNearestNeighbour (see imbalance/under_sampling/condensed_nearest_neighbour.hpp for the formula, the paper and the defaults).
struct CondensedNearestNeighbourOptions : ResamplerOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 1;
  Eigen::Index n_seeds_S = 1;  ///< NOLINT: imbalanced-learn's name
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

namespace detail {

/// The two-class k-NN vote of CNN and OSS: `same` of k votes for the own class; a tie goes to the
/// smaller label (scikit-learn's KNeighborsClassifier).
inline bool own_class_wins(Eigen::Index same, Eigen::Index k, int own, int other) {
  return 2 * same > k || (2 * same == k && own < other);
}

/// The k-NN vote between class c and the minority m (a list of (L, index, is_c) sorted by (L,
/// index)): c wins with more votes, ties go to the smaller label.
struct VoteList {
  struct Entry {
    long double distance;
    Eigen::Index index;
    bool same_class;
    bool operator<(const Entry& o) const { return distance < o.distance || (distance == o.distance && index < o.index); }
  };
  std::vector<Entry> entries;
  void offer(const Entry& e, Eigen::Index k) {
    if (static_cast<Eigen::Index>(entries.size()) == k && !(e < entries.back())) return;
    entries.insert(std::upper_bound(entries.begin(), entries.end(), e), e);
    if (static_cast<Eigen::Index>(entries.size()) > k) entries.pop_back();
  }
  bool votes_for_own_class(int own, int other) const {
    Eigen::Index same = 0;
    for (const Entry& e : entries) same += e.same_class;
    return own_class_wins(same, static_cast<Eigen::Index>(entries.size()), own, other);
  }
};

/// Seeds of CNN and OSS: n draws with replacement from [0, n_class), as sorted unique positions.
template <class Engine>
std::vector<Eigen::Index> draw_seeds(Eigen::Index n_class, Eigen::Index n, Engine& rng) {
  std::vector<Eigen::Index> seeds;
  for (Eigen::Index s = 0; s < n; ++s)
    seeds.push_back(static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n_class))));
  std::sort(seeds.begin(), seeds.end());
  seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
  return seeds;
}

/// For each of `queries` (rows of X), its k nearest among `minority_rows` as vote lists.
template <class DX>
std::vector<VoteList> minority_vote_lists(const Eigen::DenseBase<DX>& X, const std::vector<Eigen::Index>& queries,
                                          const std::vector<Eigen::Index>& minority_rows, Eigen::Index k,
                                          const NeighborSearch& neighbors, bool same_class) {
  std::vector<VoteList> lists(queries.size());
  const Eigen::Index km = std::min<Eigen::Index>(k, static_cast<Eigen::Index>(minority_rows.size()));
  const NearestNeighbors nn(X, minority_rows, neighbors);
  constexpr std::size_t kQueryRows = 8192;
  for (std::size_t begin = 0; begin < queries.size(); begin += kQueryRows) {
    const auto block = gather_rows(X, queries, begin, begin + kQueryRows);
    const NeighborIndices near = nn.query(block, km);
    for (Eigen::Index q = 0; q < block.rows(); ++q)
      for (Eigen::Index j = 0; j < km; ++j)
        lists[begin + static_cast<std::size_t>(q)].offer(
            {exact_squared_distance(block.row(q).data(), nn.points().row(near(q, j)).data(), X.cols()),
             minority_rows[static_cast<std::size_t>(near(q, j))], same_class},
            k);
  }
  return lists;
}

}  // namespace detail

/// Condensed nearest neighbour (CNN) under-sampling. See imbalance/under_sampling/condensed_nearest_neighbour.hpp for the formula, the paper and the defaults.
class CondensedNearestNeighbour : public detail::SeededResampler<CondensedNearestNeighbour> {
 public:
  using detail::SeededResampler<CondensedNearestNeighbour>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = CondensedNearestNeighbourOptions;

  /// Built from the options.
  explicit CondensedNearestNeighbour(CondensedNearestNeighbourOptions options = {}) : options_(std::move(options)) {
    const char* function = "CondensedNearestNeighbour::CondensedNearestNeighbour()";
    if (options_.n_neighbors < 1) detail::throw_invalid(function, ": n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
    if (options_.n_seeds_S < 1) detail::throw_invalid(function, ": n_seeds_S must be >= 1 (got ", options_.n_seeds_S, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "CondensedNearestNeighbour::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap targets = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::UnderSampling);
    const int minority = detail::first_minority(rows);
    const auto& minority_rows = rows.at(minority);
    const Eigen::Index k = options_.n_neighbors;
    const Eigen::Index d = X.cols();
    std::vector<Eigen::Index> keep;
    for (const auto& entry : rows) {
      const int label = entry.first;
      const std::vector<Eigen::Index>& members = entry.second;  // captured below (not a structured binding)
      if (!targets.count(label)) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      const auto n = static_cast<Eigen::Index>(members.size());
      const std::vector<Eigen::Index> seeds = detail::draw_seeds(n, options_.n_seeds_S, rng);
      if (static_cast<Eigen::Index>(minority_rows.size() + seeds.size()) < k)
        detail::throw_invalid(function, ": n_neighbors = ", k, " exceeds the store of class ", detail::class_name(label),
                              " (", minority_rows.size(), " minority samples and ", seeds.size(), " seeds)");
      std::vector<detail::VoteList> lists =
          detail::minority_vote_lists(X, members, minority_rows, k, options_.neighbors, label == minority);
      std::vector<bool> stored(members.size(), false);
      const auto cached = detail::gather_rows(X, members);  // the class as contiguous doubles
      auto add = [&](Eigen::Index p, Eigen::Index from) {   // p joins the store: update the lists still needed
        stored[static_cast<std::size_t>(p)] = true;
        detail::parallel_chunks(n - from, 2048, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
          for (Eigen::Index s = from + begin; s < from + end; ++s)
            lists[static_cast<std::size_t>(s)].offer(
                {exact_squared_distance(cached.row(s).data(), cached.row(p).data(), d), members[static_cast<std::size_t>(p)], true}, k);
        });
      };
      for (Eigen::Index seed : seeds) add(seed, 0);
      for (Eigen::Index s = 0; s < n; ++s) {
        if (stored[static_cast<std::size_t>(s)]) continue;
        if (!lists[static_cast<std::size_t>(s)].votes_for_own_class(label, minority)) add(s, s + 1);
      }
      for (Eigen::Index s = 0; s < n; ++s)
        if (stored[static_cast<std::size_t>(s)]) keep.push_back(members[static_cast<std::size_t>(s)]);
    }
    std::sort(keep.begin(), keep.end());
    return detail::select_rows(X, y, std::move(keep));
  }

 private:
  CondensedNearestNeighbourOptions options_;
};

}  // namespace imbalance
