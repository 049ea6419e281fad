#pragma once
/// @file
/// Borderline-SMOTE, kinds 1 and 2.
///
/// Han, Wang, Mao, "Borderline-SMOTE: A New Over-Sampling Method in Imbalanced Data Sets Learning",
/// ICIC 2005; as implemented by imbalanced-learn >= 0.12 (over_sampling/_smote/filter.py). For each
/// class c to over-sample, the m nearest neighbours of its samples among all of X (self excluded)
/// classify each sample: "danger" when m/2 <= (neighbours of another class) < m. Only danger
/// samples are used as bases; a class without danger samples is left as it is (as imbalanced-learn
/// does; change_per_class then shows it).
///  - kind 1: neighbours are the k nearest same-class samples; x_new = x + u (x_nn - x), u ~ U[0,1).
///  - kind 2: neighbours are the k nearest samples of any class; when the neighbour belongs to
///    another class the step is additionally multiplied by v ~ U[0, 0.5), so the new point stays
///    nearer the danger sample.
/// Differences: imbalanced-learn 0.10.0's kind 2 (a Beta(10,10) split with a neighbour-index bug,
/// fixed in 0.12) is not reproduced. Draw order per class: pair indices, steps, then one v per
/// cross-class pair in output order. Defaults as imbalanced-learn: k_neighbors = 5, m_neighbors = 10,
/// kind 1, 'auto'.

#include <cstdint>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of BorderlineSMOTE (see imbalance/over_sampling/borderline_smote.hpp for the formula, the paper and the defaults).
struct BorderlineSMOTEOptions : ResamplerOptions {
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 5;
  /// Number of nearest neighbours that decide whether a sample is in danger (imbalanced-learn's m_neighbors).
  Eigen::Index m_neighbors = 10;
  /// 1 or 2.
  int kind = 1;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Borderline-SMOTE, kinds 1 and 2. See imbalance/over_sampling/borderline_smote.hpp for the formula, the paper and the defaults.
class BorderlineSMOTE : public detail::SeededResampler<BorderlineSMOTE> {
 public:
  using detail::SeededResampler<BorderlineSMOTE>::fit_resample;

  /// Built from the options.
  explicit BorderlineSMOTE(BorderlineSMOTEOptions options = {}) : options_(std::move(options)) {
    const char* function = "BorderlineSMOTE::BorderlineSMOTE()";
    if (options_.k_neighbors < 1) detail::throw_invalid(function, ": k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
    if (options_.m_neighbors < 1) detail::throw_invalid(function, ": m_neighbors must be >= 1 (got ", options_.m_neighbors, ")");
    if (options_.kind != 1 && options_.kind != 2)
      detail::throw_invalid(function, ": kind must be 1 or 2 (got ", options_.kind, ")");
  }

  /// Danger samples (input row indices) of class `label`: m/2 <= other-class neighbours < m.
  template <class DX, class DY>
  std::vector<Eigen::Index> danger_rows(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, int label) const {
    const auto rows = detail::class_rows("BorderlineSMOTE::danger_rows()", X, y);
    const NearestNeighbors all(X, options_.neighbors);
    return danger(all, y, rows.at(label), label);
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "BorderlineSMOTE::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    if (options_.m_neighbors >= X.rows())
      detail::throw_invalid(function, ": m_neighbors = ", options_.m_neighbors, " needs more than ", X.rows(), " samples");
    if (options_.kind == 2 && options_.k_neighbors >= X.rows())
      detail::throw_invalid(function, ": k_neighbors = ", options_.k_neighbors, " needs more than ", X.rows(), " samples");
    for (const auto& [label, n] : plan)
      if (n > 0 && options_.kind == 1)
        detail::check_class_size(function, label, rows.at(label).size(), options_.k_neighbors, "k_neighbors");
    detail::check_plan_size(function, X, plan);
    const NearestNeighbors all(X, options_.neighbors);
    // Count first, then fill: skipped classes add nothing.
    std::map<int, std::vector<Eigen::Index>> dangers;
    Eigen::Index extra = 0;
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      dangers[label] = danger(all, y, rows.at(label), label);
      if (!dangers[label].empty()) extra += n;
    }
    auto out = detail::originals_with_room(function, X, y, extra, true);
    Eigen::Index row = X.rows();
    for (const auto& [label, n] : plan) {
      if (n <= 0 || dangers[label].empty()) continue;
      const auto& members = rows.at(label);
      const auto& danger_list = dangers[label];
      if (options_.kind == 1) {
        std::vector<Eigen::Index> bases;  // danger samples as positions in members (both are sorted)
        for (std::size_t r = 0, d = 0; r < members.size() && d < danger_list.size(); ++r)
          if (danger_list[d] == members[r]) {
            bases.push_back(static_cast<Eigen::Index>(r));
            ++d;
          }
        const NearestNeighbors nn(X, members, options_.neighbors);
        const NeighborIndices neighbors = nn.self_neighbors(bases, options_.k_neighbors);
        detail::interpolate(out, row, X, label, members, bases, neighbors, n, rng);
      } else {
        const NeighborIndices neighbors = all.self_neighbors(danger_list, options_.k_neighbors);
        const auto k = static_cast<std::uint64_t>(options_.k_neighbors);
        std::vector<std::uint64_t> pairs(static_cast<std::size_t>(n));
        for (auto& p : pairs) p = uniform_index(rng, danger_list.size() * k);
        std::vector<double> steps(static_cast<std::size_t>(n));
        for (auto& s : steps) s = uniform01(rng);
        for (Eigen::Index s = 0; s < n; ++s, ++row) {
          const std::uint64_t p = pairs[static_cast<std::size_t>(s)];
          const Eigen::Index base = danger_list[p / k];
          const Eigen::Index neighbor = neighbors(static_cast<Eigen::Index>(p / k), static_cast<Eigen::Index>(p % k));
          double step = steps[static_cast<std::size_t>(s)];
          if (static_cast<int>(y.derived().coeff(neighbor)) != label) step *= 0.5 * uniform01(rng);
          detail::write_synthetic(out, row, X, base, neighbor, step, label);
        }
      }
      out.change_per_class[label] = n;
    }
    return out;
  }


 private:
  template <class DY>
  std::vector<Eigen::Index> danger(const NearestNeighbors& all, const Eigen::DenseBase<DY>& y,
                                   const std::vector<Eigen::Index>& members, int label) const {
    const NeighborIndices neighbors = all.self_neighbors(members, options_.m_neighbors);
    std::vector<Eigen::Index> out;
    const Eigen::Index m = options_.m_neighbors;
    for (std::size_t r = 0; r < members.size(); ++r) {
      Eigen::Index others = 0;
      for (Eigen::Index j = 0; j < m; ++j)
        others += static_cast<int>(y.derived().coeff(neighbors(static_cast<Eigen::Index>(r), j))) != label;
      if (2 * others >= m && others < m) out.push_back(members[r]);
    }
    return out;
  }

  BorderlineSMOTEOptions options_;
};

}  // namespace imbalance
