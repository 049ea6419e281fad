#pragma once
/// @file
/// Class counts n_k, priors pi_k = n_k / sum_j n_j, log-priors, and counting labels.

#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Counts of training samples per class, n_k (k = 0..K-1).
using ClassCounts = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>;

/// The label vector type used by the library's own outputs (samplers, data); inputs accept any
/// integer Eigen vector.
using Labels = Eigen::VectorXi;

/// Counts how often each label in [0, num_classes) occurs.
/// @throws imbalance::out_of_range for a label outside [0, num_classes);
///         imbalance::invalid_argument if num_classes < 1.
template <class Derived>
ClassCounts count_labels(const Eigen::DenseBase<Derived>& labels, Eigen::Index num_classes) {
  if (num_classes < 1) detail::throw_invalid("count_labels(): num_classes must be >= 1 (got ", num_classes, ")");
  check_labels("count_labels()", "labels", labels, num_classes);
  ClassCounts counts = ClassCounts::Zero(num_classes);
  for (Eigen::Index i = 0; i < labels.size(); ++i) ++counts(static_cast<Eigen::Index>(labels.derived().coeff(i)));
  return counts;
}

/// Validates class counts (non-empty, finite, >= 0, and > 0 when require_positive) and returns them
/// as doubles. Accepts integer or floating-point vectors.
template <class Derived>
Eigen::VectorXd class_counts_to_double(const char* function, const Eigen::DenseBase<Derived>& counts,
                                       bool require_positive) {
  if (counts.rows() != 1 && counts.cols() != 1 && counts.size() != 0)
    detail::throw_invalid(function, ": class_counts must be a vector (shape ", counts.rows(), "x", counts.cols(), ")");
  check_non_empty(function, "class_counts", counts.size());
  Eigen::VectorXd n(counts.size());
  for (Eigen::Index k = 0; k < counts.size(); ++k) {
    const double value = static_cast<double>(counts.derived().coeff(k));
    if (!std::isfinite(value) || value < 0 || (require_positive && value == 0))
      detail::throw_invalid(function, ": class_counts[", k, "] must be ", require_positive ? "> 0" : ">= 0",
                            " and finite (got ", value, ")");
    n(k) = value;
  }
  return n;
}

/// Priors pi_k = n_k / sum_j n_j.
/// @throws imbalance::invalid_argument if a count is negative or not finite, or all are zero.
template <class Derived>
Eigen::VectorXd priors(const Eigen::DenseBase<Derived>& counts) {
  Eigen::VectorXd n = class_counts_to_double("priors()", counts, false);
  const double total = n.sum();
  if (!(total > 0)) detail::throw_invalid("priors(): class_counts must not all be zero (sum ", total, ")");
  return n / total;
}

/// log pi_k. A class with n_k = 0 gets -infinity; use log_priors(counts, tau, epsilon) for the
/// official logit-adjustment convention log(pi^tau + epsilon).
template <class Derived>
Eigen::VectorXd log_priors(const Eigen::DenseBase<Derived>& counts) {
  return priors(counts).array().log().matrix();
}

/// log(pi_k^tau + epsilon), the form of google-research/logit_adjustment (epsilon = 1e-12 there).
template <class Derived>
Eigen::VectorXd log_priors(const Eigen::DenseBase<Derived>& counts, double tau, double epsilon) {
  check_finite_scalar("log_priors()", "tau", tau);
  check_non_negative("log_priors()", "epsilon", epsilon);
  return (priors(counts).array().pow(tau) + epsilon).log().matrix();
}

}  // namespace imbalance
