#pragma once
/// @file
/// SVM-SMOTE: SMOTE from the support vectors of an SVM.
///
/// Nguyen, Cooper & Kamei, "Borderline over-sampling for imbalanced data classification", IJKESDP
/// 3(1), 2011; as imbalanced-learn 0.10 (over_sampling/_smote/filter.py, SVMSMOTE). An SVC
/// (train/svm.hpp: RBF, C = 1, gamma 'scale', as scikit-learn's default SVC) is fitted on all of
/// (X, y). For each class c to over-sample (sampling_strategy, default 'auto'), n_c new samples:
///   1. the support vectors of class c; among their m_neighbors nearest samples of all of X (self
///      excluded), n_other of another class: noise when n_other = m (dropped), danger when
///      m/2 <= n_other < m, safe otherwise;
///   2. f ~ Beta(10, 10) and n_d = floor(f (n_c + 1)) samples made from danger vectors, the other
///      n_c - n_d from safe ones (all n_c from one kind when the other is empty; imbalanced-learn
///      then makes fewer than n_c);
///   3. a sample: a (support vector, neighbour) pair drawn uniformly among its k_neighbors nearest
///      samples of c (self excluded), u ~ U[0, 1); danger: x + u (x_nn - x) (interpolation); safe:
///      x - out_step u (x_nn - x) (extrapolation away from the neighbour).
/// The SVM's support vectors are those of the exact dual optimum up to the solver's tolerance;
/// tests compare them with scikit-learn's. No usable support vector for a class is an error.
/// Draw order per class: f (two Gamma(10) variates, each a sum of 10 exponentials), the danger
/// pairs, the danger steps, the safe pairs, the safe steps. Defaults: k_neighbors = 5,
/// m_neighbors = 10, out_step = 0.5, 'auto'.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"
#include "imbalance/train/svm.hpp"

namespace imbalance {

/// Options of SVMSMOTE (see imbalance/over_sampling/svm_smote.hpp for the formula, the paper and the defaults).
struct SVMSMOTEOptions : ResamplerOptions {
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 5;
  /// Number of nearest neighbours that decide whether a sample is in danger (imbalanced-learn's m_neighbors).
  Eigen::Index m_neighbors = 10;
  /// Step of the extrapolation away from the border.
  double out_step = 0.5;
  /// Options of the SVM that finds the support vectors.
  SVMOptions svm;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// Beta(a, b) for whole a, b >= 1: G_a / (G_a + G_b), each Gamma a sum of exponentials.
template <class Engine>
double beta_whole(int a, int b, Engine& rng) {
  auto gamma = [&](int shape) {
    double sum = 0;
    for (int i = 0; i < shape; ++i) sum -= std::log(1.0 - uniform01(rng));  // 1 - u in (0, 1]
    return sum;
  };
  const double x = gamma(a), y = gamma(b);
  return x / (x + y);
}

/// SVM-SMOTE. See imbalance/over_sampling/svm_smote.hpp for the formula, the paper and the defaults.
class SVMSMOTE : public detail::SeededResampler<SVMSMOTE> {
 public:
  using detail::SeededResampler<SVMSMOTE>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = SVMSMOTEOptions;

  /// Built from the options.
  explicit SVMSMOTE(SVMSMOTEOptions options = {}) : options_(std::move(options)) {
    const char* function = "SVMSMOTE::SVMSMOTE()";
    if (options_.k_neighbors < 1) detail::throw_invalid(function, ": k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
    if (options_.m_neighbors < 1) detail::throw_invalid(function, ": m_neighbors must be >= 1 (got ", options_.m_neighbors, ")");
    if (!(options_.out_step >= 0) || !std::isfinite(options_.out_step))
      detail::throw_invalid(function, ": out_step must be finite and >= 0 (got ", options_.out_step, ")");
    SVC{options_.svm};  // checks the SVM's options now
  }

  /// The support vectors of the fitted SVC (ascending), as fit_resample uses them.
  template <class DX, class DY>
  std::vector<Eigen::Index> support_vectors(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    detail::class_rows("SVMSMOTE::support_vectors()", X, y);
    return SVC(options_.svm).fit(X, y).support();
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "SVMSMOTE::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    const Eigen::Index k = options_.k_neighbors, m = options_.m_neighbors;
    for (const auto& [label, n] : plan)
      if (n > 0) detail::check_class_size(function, label, rows.at(label).size(), k, "k_neighbors");
    if (m >= X.rows()) detail::throw_invalid(function, ": m_neighbors = ", m, " needs more than ", X.rows(), " samples");
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), true);
    if (detail::planned_rows(function, plan) == 0) return out;
    const std::vector<Eigen::Index> support = SVC(options_.svm).fit(X, y).support();
    const NearestNeighbors all(X, options_.neighbors);
    Eigen::Index row = X.rows();
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const auto& members = rows.at(label);
      std::vector<Eigen::Index> vectors;  // support vectors of the class, as positions in members
      for (Eigen::Index s : support)
        if (static_cast<int>(y.derived().coeff(s)) == label)
          vectors.push_back(static_cast<Eigen::Index>(std::lower_bound(members.begin(), members.end(), s) - members.begin()));
      std::vector<Eigen::Index> danger, safe;
      if (!vectors.empty()) {
        std::vector<Eigen::Index> global;
        for (Eigen::Index v : vectors) global.push_back(members[static_cast<std::size_t>(v)]);
        const NeighborIndices around = all.self_neighbors(global, m);
        for (std::size_t r = 0; r < vectors.size(); ++r) {
          Eigen::Index other = 0;
          for (Eigen::Index j = 0; j < m; ++j)
            other += static_cast<int>(y.derived().coeff(around(static_cast<Eigen::Index>(r), j))) != label;
          if (other == m) continue;  // noise
          (2 * other >= m ? danger : safe).push_back(vectors[r]);
        }
      }
      if (danger.empty() && safe.empty())
        detail::throw_invalid(function, ": class ", detail::class_name(label), " has no support vector that is not noise (",
                              vectors.size(), " support vectors, all surrounded by other classes)");
      const double fraction = beta_whole(10, 10, rng);
      Eigen::Index from_danger = static_cast<Eigen::Index>(fraction * static_cast<double>(n + 1));
      from_danger = std::min(from_danger, n);
      if (danger.empty()) from_danger = 0;
      if (safe.empty()) from_danger = n;
      const NearestNeighbors same_class(X, members, options_.neighbors);
      const NeighborIndices neighbors = same_class.self_neighbors(k);
      make(out, row, X, label, members, danger, neighbors, from_danger, 1.0, rng);
      make(out, row, X, label, members, safe, neighbors, n - from_danger, -options_.out_step, rng);
      out.change_per_class[label] = n;
    }
    return out;
  }

 private:
  // `count` samples from (base, neighbour) pairs of `bases` (positions in members): all pairs, then
  // all steps u, the sample x + scale u (x_nn - x).
  template <class Out, class DX, class Engine>
  static void make(Out& out, Eigen::Index& row, const Eigen::DenseBase<DX>& X, int label,
                   const std::vector<Eigen::Index>& members, const std::vector<Eigen::Index>& bases,
                   const NeighborIndices& neighbors, Eigen::Index count, double scale, Engine& rng) {
    if (count <= 0) return;
    const auto k = static_cast<std::uint64_t>(neighbors.cols());
    std::vector<std::uint64_t> pairs(static_cast<std::size_t>(count));
    for (auto& p : pairs) p = uniform_index(rng, static_cast<std::uint64_t>(bases.size()) * k);
    std::vector<double> steps(static_cast<std::size_t>(count));
    for (auto& u : steps) u = scale * uniform01(rng);
    for (Eigen::Index s = 0; s < count; ++s) {
      const std::uint64_t p = pairs[static_cast<std::size_t>(s)];
      const Eigen::Index base = bases[p / k];
      const Eigen::Index neighbor = neighbors(base, static_cast<Eigen::Index>(p % k));
      detail::write_synthetic(out, row + s, X, members[static_cast<std::size_t>(base)],
                              members[static_cast<std::size_t>(neighbor)], steps[static_cast<std::size_t>(s)], label);
    }
    row += count;
  }

  SVMSMOTEOptions options_;
};

}  // namespace imbalance
