#pragma once
/// @file
/// Label-noise injection for experiments with noisy long-tailed labels: each label y is replaced by a
/// draw from row y of a noise transition matrix T (K x K, rows sum to 1), T_ij = P(noisy j | clean i).
/// Kinds (rate r):
///  - Symmetric: T_ii = 1 - r, T_ij = r / (K - 1) (flipped uniformly to another class);
///  - Pair (asymmetric, class-dependent): T_ii = 1 - r, T_i,(i+1 mod K) = r (Han et al., "Co-teaching",
///    NeurIPS 2018);
///  - CountProportional: T_ii = 1 - r, T_ij = r n_j / sum_{l != i} n_l with n the clean class counts: a
///    flip goes to a frequent class more often, the long-tailed noise of Wei et al., "Robust Long-Tailed
///    Learning under Label Noise" (arXiv 2108.11569, 2021).
/// Draw order: one uniform per sample, in order (inverse CDF of its row of T): same seed, same labels.

#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// How clean labels are corrupted at rate r: Symmetric (uniformly to another class), Pair (to the next class), CountProportional (to class j in proportion to n_j).
enum class LabelNoise { Symmetric, Pair, CountProportional };

/// The transition matrix of a noise kind at rate r in [0, 1] for K >= 2 classes with clean counts
/// `counts` (used by CountProportional only; every other class must then have a sample).
template <class DC>
Eigen::MatrixXd label_noise_transition(LabelNoise kind, double rate, const Eigen::DenseBase<DC>& counts) {
  const char* function = "label_noise_transition()";
  const Eigen::Index k = counts.size();
  if (k < 2) detail::throw_invalid(function, ": label noise needs >= 2 classes (got ", k, ")");
  check_in_range(function, "rate", rate, 0.0, 1.0);
  const Eigen::VectorXd n = counts.derived().template cast<double>();
  check_finite(function, "counts", n);
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    t(i, i) = 1 - rate;
    if (kind == LabelNoise::Symmetric) {
      for (Eigen::Index j = 0; j < k; ++j)
        if (j != i) t(i, j) = rate / static_cast<double>(k - 1);
    } else if (kind == LabelNoise::Pair) {
      t(i, (i + 1) % k) = rate;
    } else {
      const double others = n.sum() - n(i);
      if (!(others > 0))
        detail::throw_invalid(function, ": count-proportional noise from class ", detail::class_name(i),
                              " needs another class with samples");
      for (Eigen::Index j = 0; j < k; ++j) {
        if (n(j) < 0) detail::throw_invalid(function, ": counts[", j, "] must be >= 0 (got ", n(j), ")");
        if (j != i) t(i, j) = rate * n(j) / others;
      }
    }
  }
  return t;
}

/// Labels y (in [0, K), K = transition.rows()) with each one redrawn from its row of `transition`.
template <class DY, class DT, class Engine>
Eigen::VectorXi inject_label_noise(const Eigen::DenseBase<DY>& y, const Eigen::DenseBase<DT>& transition, Engine& rng) {
  const char* function = "inject_label_noise()";
  const Eigen::Index k = transition.rows();
  check_shape(function, "transition", transition.rows(), transition.cols(), k, k);
  const Eigen::MatrixXd t = transition.derived().template cast<double>();
  check_finite(function, "transition", t);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j < k; ++j)
      if (t(i, j) < 0)
        detail::throw_invalid(function, ": transition(", i, ", ", j, ") must be >= 0 (got ", t(i, j), ")");
    if (std::abs(t.row(i).sum() - 1.0) > 1e-9)
      detail::throw_invalid(function, ": row ", i, " of transition sums to ", t.row(i).sum(), ", not 1");
  }
  check_labels(function, "y", y, k);
  Eigen::VectorXi noisy(y.size());
  for (Eigen::Index s = 0; s < y.size(); ++s) {
    const auto clean = static_cast<Eigen::Index>(y.derived()(s));
    const double u = uniform01(rng);
    double cumulative = 0;
    Eigen::Index drawn = clean;
    for (Eigen::Index j = 0; j < k; ++j) {
      cumulative += t(clean, j);
      if (t(clean, j) > 0 && u < cumulative) {
        drawn = j;
        break;
      }
      if (t(clean, j) > 0) drawn = j;  // rounding: u beyond the last cumulative takes the last class with mass
    }
    noisy(s) = static_cast<int>(drawn);
  }
  return noisy;
}

/// The same for a noise kind at `rate`, with the transition built from the counts of y over K classes.
template <class DY, class Engine>
Eigen::VectorXi inject_label_noise(const Eigen::DenseBase<DY>& y, Eigen::Index num_classes, LabelNoise kind,
                                   double rate, Engine& rng) {
  check_labels("inject_label_noise()", "y", y, num_classes);
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(num_classes);
  for (Eigen::Index s = 0; s < y.size(); ++s) counts(static_cast<Eigen::Index>(y.derived()(s))) += 1;
  return inject_label_noise(y, label_noise_transition(kind, rate, counts), rng);
}

/// Seed form.
template <class DY>
Eigen::VectorXi inject_label_noise(const Eigen::DenseBase<DY>& y, Eigen::Index num_classes, LabelNoise kind,
                                   double rate, std::uint64_t seed) {
  Rng rng(seed);
  return inject_label_noise(y, num_classes, kind, rate, rng);
}

}  // namespace imbalance
