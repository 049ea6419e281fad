#pragma once
/// @file
/// ADASYN: adaptive synthetic sampling.
///
/// He, Bai, Garcia, Li, "ADASYN: Adaptive Synthetic Sampling Approach for Imbalanced Learning",
/// IJCNN 2008; as implemented by imbalanced-learn 0.10 (over_sampling/_adasyn.py). For each class c
/// to over-sample with G = n_c new samples:
///   r_i = (neighbours of another class among the k nearest of all X) / k,  r^_i = r_i / sum_j r_j,
///   g_i = rint(r^_i G)  (round half to even, so sum_i g_i may differ from G by rounding),
/// then g_i samples from sample i towards one of its k nearest same-class neighbours, chosen
/// uniformly, with a step u ~ U[0, 1). Draw order: all neighbour choices, then all steps; bases in
/// original order. Errors as imbalanced-learn: no neighbour of another class (sum r = 0), or
/// nothing to generate (sum g = 0). Defaults: n_neighbors = 5, 'auto'.

#include <cmath>
#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of ADASYN (see imbalance/over_sampling/adasyn.hpp for the formula, the paper and the defaults).
struct ADASYNOptions : ResamplerOptions {
  /// Number of nearest neighbours (imbalanced-learn's n_neighbors).
  Eigen::Index n_neighbors = 5;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// ADASYN. See imbalance/over_sampling/adasyn.hpp for the formula, the paper and the defaults.
class ADASYN : public detail::SeededResampler<ADASYN> {
 public:
  using detail::SeededResampler<ADASYN>::fit_resample;

  /// Built from the options.
  explicit ADASYN(ADASYNOptions options = {}) : options_(std::move(options)) {
    if (options_.n_neighbors < 1)
      detail::throw_invalid("ADASYN::ADASYN(): n_neighbors must be >= 1 (got ", options_.n_neighbors, ")");
  }

  /// g_i for every sample of class `label` (in original order) when G samples are wanted.
  template <class DX, class DY>
  std::vector<Eigen::Index> generation_counts(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, int label,
                                              Eigen::Index wanted) const {
    const auto rows = detail::class_rows("ADASYN::generation_counts()", X, y);
    const NearestNeighbors all(X, options_.neighbors);
    return counts(all, y, rows.at(label), label, wanted, "ADASYN::generation_counts()");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "ADASYN::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    if (options_.n_neighbors >= X.rows())
      detail::throw_invalid(function, ": n_neighbors = ", options_.n_neighbors, " needs more than ", X.rows(), " samples");
    detail::check_plan_size(function, X, plan);
    const NearestNeighbors all(X, options_.neighbors);
    std::map<int, std::vector<Eigen::Index>> per_sample;
    Eigen::Index extra = 0;
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      detail::check_class_size(function, label, rows.at(label).size(), options_.n_neighbors, "n_neighbors");
      per_sample[label] = counts(all, y, rows.at(label), label, n, function);
      for (Eigen::Index g : per_sample[label]) extra += g;
    }
    auto out = detail::originals_with_room(function, X, y, extra, true);
    Eigen::Index row = X.rows();
    for (const auto& [label, g] : per_sample) {
      const auto& members = rows.at(label);
      const NeighborIndices neighbors = NearestNeighbors(X, members, options_.neighbors).self_neighbors(options_.n_neighbors);
      Eigen::Index total = 0;
      for (Eigen::Index count : g) total += count;
      std::vector<std::uint64_t> columns(static_cast<std::size_t>(total));
      for (auto& c : columns) c = uniform_index(rng, static_cast<std::uint64_t>(options_.n_neighbors));
      std::vector<double> steps(static_cast<std::size_t>(total));
      for (auto& s : steps) s = uniform01(rng);
      std::size_t s = 0;
      for (std::size_t i = 0; i < g.size(); ++i)
        for (Eigen::Index repeat = 0; repeat < g[i]; ++repeat, ++s, ++row) {
          const Eigen::Index base = members[i];
          const Eigen::Index neighbor =
              members[static_cast<std::size_t>(neighbors(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(columns[s])))];
          detail::write_synthetic(out, row, X, base, neighbor, steps[s], label);
        }
      out.change_per_class[label] = total;
    }
    return out;
  }


 private:
  template <class DY>
  std::vector<Eigen::Index> counts(const NearestNeighbors& all, const Eigen::DenseBase<DY>& y,
                                   const std::vector<Eigen::Index>& members, int label, Eigen::Index wanted,
                                   const char* function) const {
    const Eigen::Index k = options_.n_neighbors;
    if (k >= all.size())
      detail::throw_invalid(function, ": n_neighbors = ", k, " needs more than ", all.size(), " samples");
    const NeighborIndices neighbors = all.self_neighbors(members, k);
    std::vector<double> ratio(members.size());
    double total = 0;
    for (std::size_t r = 0; r < members.size(); ++r) {
      Eigen::Index others = 0;
      for (Eigen::Index j = 0; j < k; ++j)
        others += static_cast<int>(y.derived().coeff(neighbors(static_cast<Eigen::Index>(r), j))) != label;
      ratio[r] = static_cast<double>(others) / static_cast<double>(k);
      total += ratio[r];
    }
    if (total == 0)
      detail::throw_invalid(function, ": no neighbour of class ", detail::class_name(label),
                            "'s samples belongs to another class; ADASYN cannot weight them (use SMOTE)");
    std::vector<Eigen::Index> g(members.size());
    Eigen::Index sum = 0;
    for (std::size_t r = 0; r < members.size(); ++r) {
      g[r] = to_count(function, "a sample's generation count", std::nearbyint(ratio[r] / total * static_cast<double>(wanted)));
      sum += g[r];
    }
    if (sum == 0)
      detail::throw_invalid(function, ": no sample of class ", detail::class_name(label), " would be generated (", wanted,
                            " wanted); ask for more samples");
    return g;
  }

  ADASYNOptions options_;
};

}  // namespace imbalance
