#pragma once
/// @file
/// Synthetic long-tailed classification data, and turning a balanced data set long-tailed.
///
/// Class-size profiles, as the long-tailed literature builds CIFAR-LT (Cao et al. 2019, Cui et al.
/// 2019): with K classes, the largest n_max and imbalance ratio IR = n_max / n_min,
///  - exponential: n_k = floor(n_max IR^(-k / (K - 1)));
///  - step: the first ceil(K (1 - mu)) classes have n_max samples, the others floor(n_max / IR)
///    (mu = 0.5 by default).
/// The generator draws K Gaussian classes in d dimensions: class means mu_k ~ N(0, (s^2 / 2) I),
/// so two means are about s apart on average (s = `separation`), samples x ~ N(mu_k, I). Smaller s
/// means more overlap. The test set is balanced. Everything is drawn from one seeded generator.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// Shape of the class counts: exponential decay n_k = n_max rho^(-k/(K-1)), or a step (the first ceil((1 - step_mu) K) classes at n_max, the rest at n_max / rho).
enum class ImbalanceProfile { Exponential, Step };

/// Class sizes of a long-tailed profile.
inline ClassCounts long_tailed_counts(Eigen::Index num_classes, Eigen::Index n_max, double imbalance_ratio,
                                      ImbalanceProfile profile = ImbalanceProfile::Exponential, double step_mu = 0.5) {
  const char* function = "long_tailed_counts()";
  if (num_classes < 2) detail::throw_invalid(function, ": num_classes must be >= 2 (got ", num_classes, ")");
  if (n_max < 1) detail::throw_invalid(function, ": n_max must be >= 1 (got ", n_max, ")");
  if (!(std::isfinite(imbalance_ratio) && imbalance_ratio >= 1))
    detail::throw_invalid(function, ": imbalance_ratio must be finite and >= 1 (got ", imbalance_ratio, ")");
  check_in_range(function, "step_mu", step_mu, 0.0, 1.0);
  ClassCounts counts(num_classes);
  const auto many = static_cast<Eigen::Index>(std::ceil(static_cast<double>(num_classes) * (1.0 - step_mu)));
  for (Eigen::Index k = 0; k < num_classes; ++k) {
    double n;
    if (profile == ImbalanceProfile::Exponential)
      n = static_cast<double>(n_max) * std::pow(imbalance_ratio, -static_cast<double>(k) / static_cast<double>(num_classes - 1));
    else
      n = k < many ? static_cast<double>(n_max) : static_cast<double>(n_max) / imbalance_ratio;
    counts(k) = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(std::floor(n + 1e-9)));
  }
  return counts;
}

/// Options of Synthetic (see imbalance/data/synthetic.hpp).
struct SyntheticOptions {
  /// K, the number of classes.
  Eigen::Index num_classes = 10;
  /// d, the feature dimension.
  Eigen::Index dimension = 32;
  /// Training samples of the largest class.
  Eigen::Index n_max = 500;
  /// rho = n_max / n_min.
  double imbalance_ratio = 100;
  /// Shape of the training counts.
  ImbalanceProfile profile = ImbalanceProfile::Exponential;
  /// Share of the classes at n_max / rho in the step profile (Buda et al.'s mu).
  double step_mu = 0.5;
  /// Typical distance between class means (noise has unit variance per dimension).
  double separation = 3.0;
  /// Test samples per class (the test set is balanced).
  Eigen::Index test_per_class = 200;
};

/// Synthetic long-tailed classification data, and turning a balanced data set long-tailed. See imbalance/data/synthetic.hpp.
struct Dataset {
  Eigen::MatrixXd train_x;  ///< training features (N x d)
  Eigen::MatrixXd test_x;  ///< test features (balanced)
  Eigen::VectorXi train_y;  ///< training labels
  Eigen::VectorXi test_y;  ///< test labels
  /// n_k of the training set.
  ClassCounts train_counts;
};

namespace detail {
// The class means of the generator (its first draws).
template <class Engine>
Eigen::MatrixXd synthetic_means(const char* function, const SyntheticOptions& options, Engine& rng) {
  if (options.dimension < 1) throw_invalid(function, ": dimension must be >= 1 (got ", options.dimension, ")");
  if (options.test_per_class < 1)
    throw_invalid(function, ": test_per_class must be >= 1 (got ", options.test_per_class, ")");
  check_positive(function, "separation", options.separation);
  const Eigen::Index k = options.num_classes, d = options.dimension;
  Eigen::MatrixXd means(k, d);
  const double mean_scale = options.separation / std::sqrt(2.0 * static_cast<double>(d));
  for (Eigen::Index c = 0; c < k; ++c)
    for (Eigen::Index j = 0; j < d; ++j) means(c, j) = mean_scale * standard_normal(rng);
  return means;
}

// counts(c) samples x ~ N(means_c, I) of every class c, in class order.
template <class Engine>
void synthetic_draw(const Eigen::MatrixXd& means, const ClassCounts& counts, Eigen::MatrixXd& x, Eigen::VectorXi& y,
                    Engine& rng) {
  const Eigen::Index d = means.cols();
  x.resize(counts.sum(), d);
  y.resize(counts.sum());
  Eigen::Index row = 0;
  for (Eigen::Index c = 0; c < means.rows(); ++c)
    for (Eigen::Index s = 0; s < counts(c); ++s, ++row) {
      for (Eigen::Index j = 0; j < d; ++j) x(row, j) = means(c, j) + standard_normal(rng);
      y(row) = static_cast<int>(c);
    }
}
}  // namespace detail

/// A long-tailed training set and a balanced test set drawn from Gaussian classes around random means, with the caller's generator.
template <class Engine, std::enable_if_t<!std::is_integral<Engine>::value, int> = 0>
Dataset make_synthetic_long_tailed(const SyntheticOptions& options, Engine& rng) {
  const char* function = "make_synthetic_long_tailed()";
  Dataset data;
  data.train_counts = long_tailed_counts(options.num_classes, options.n_max, options.imbalance_ratio, options.profile,
                                         options.step_mu);
  const Eigen::MatrixXd means = detail::synthetic_means(function, options, rng);
  detail::synthetic_draw(means, data.train_counts, data.train_x, data.train_y, rng);
  detail::synthetic_draw(means, ClassCounts::Constant(options.num_classes, options.test_per_class), data.test_x,
                         data.test_y, rng);
  return data;
}

/// The unlabelled part of a semi-supervised task (DARP's and ABC's CIFAR-LT settings: the labelled
/// set long-tailed with ratio IR_l, the unlabelled set with its own ratio, possibly reversed).
struct SemiSupervisedOptions {
  Eigen::Index unlabeled_n_max = 2000;    ///< size of the unlabelled set's largest class
  double unlabeled_imbalance_ratio = 100;  ///< 1 = balanced
  bool unlabeled_reversed = false;         ///< the unlabelled profile runs the other way (tail classes first)
  /// A balanced labelled validation set (e.g. for darp_estimate_distribution); 0 = none.
  Eigen::Index validation_per_class = 0;
};

/// Synthetic long-tailed classification data, and turning a balanced data set long-tailed. See imbalance/data/synthetic.hpp.
struct SemiSupervisedDataset {
  Dataset labeled;  ///< labelled training set (train_*) and the balanced test set (test_*)
  /// Unlabelled features (their labels are hidden).
  Eigen::MatrixXd unlabeled_x;
  Eigen::VectorXi unlabeled_y;  ///< the truth, for evaluation only
  /// The hidden class counts of the unlabelled rows (for evaluation only).
  ClassCounts unlabeled_counts;
  /// Labelled validation features (for DARP's distribution estimate and tuning).
  Eigen::MatrixXd validation_x;
  /// Labels of the validation rows.
  Eigen::VectorXi validation_y;
};

/// Labelled long-tailed training data, unlabelled data from the same class Gaussians with its own
/// profile, a balanced test set and, if asked, a balanced validation set. Draw order: means,
/// labelled, unlabelled, test, validation.
template <class Engine>
SemiSupervisedDataset make_synthetic_semi_supervised(const SyntheticOptions& options,
                                                     const SemiSupervisedOptions& semi, Engine& rng) {
  const char* function = "make_synthetic_semi_supervised()";
  SemiSupervisedDataset data;
  data.labeled.train_counts = long_tailed_counts(options.num_classes, options.n_max, options.imbalance_ratio,
                                                 options.profile, options.step_mu);
  data.unlabeled_counts = long_tailed_counts(options.num_classes, semi.unlabeled_n_max, semi.unlabeled_imbalance_ratio,
                                             options.profile, options.step_mu);
  if (semi.unlabeled_reversed) data.unlabeled_counts.reverseInPlace();
  const Eigen::MatrixXd means = detail::synthetic_means(function, options, rng);
  detail::synthetic_draw(means, data.labeled.train_counts, data.labeled.train_x, data.labeled.train_y, rng);
  detail::synthetic_draw(means, data.unlabeled_counts, data.unlabeled_x, data.unlabeled_y, rng);
  detail::synthetic_draw(means, ClassCounts::Constant(options.num_classes, options.test_per_class), data.labeled.test_x,
                         data.labeled.test_y, rng);
  if (semi.validation_per_class < 0)
    detail::throw_invalid(function, ": validation_per_class must be >= 0 (got ", semi.validation_per_class, ")");
  if (semi.validation_per_class > 0)
    detail::synthetic_draw(means, ClassCounts::Constant(options.num_classes, semi.validation_per_class),
                           data.validation_x, data.validation_y, rng);
  return data;
}

/// The same with a generator seeded by `seed`.
IMBALANCE_FUNC Dataset make_synthetic_long_tailed(const SyntheticOptions& options, std::uint64_t seed);
#if IMBALANCE_HEADER_DEFINITIONS
IMBALANCE_FUNC Dataset make_synthetic_long_tailed(const SyntheticOptions& options, std::uint64_t seed) {
  Rng rng(seed);
  return make_synthetic_long_tailed(options, rng);
}
#endif
IMBALANCE_EXTERN_TEMPLATE(Dataset make_synthetic_long_tailed<Rng>(const SyntheticOptions&, Rng&))

/// Row indices that make (balanced) labels y long-tailed: n_max = the smallest class size, counts
/// from long_tailed_counts, rows drawn without replacement and returned in their original order.
template <class DY, class Engine>
std::vector<Eigen::Index> long_tailed_subsample(const Eigen::DenseBase<DY>& y, double imbalance_ratio,
                                                ImbalanceProfile profile, Engine& rng, double step_mu = 0.5) {
  const char* function = "long_tailed_subsample()";
  check_non_empty(function, "y", y.size());
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y.derived().coeff(i) < 0) detail::throw_out_of_range(function, ": y[", i, "] = ", y.derived().coeff(i), " is negative");
    k = std::max<Eigen::Index>(k, static_cast<Eigen::Index>(y.derived().coeff(i)) + 1);
  }
  std::vector<std::vector<Eigen::Index>> members;
  allocation_guard(function, "the per-class index lists (largest label + 1)", k, 1, sizeof(std::vector<Eigen::Index>),
                   [&] { members.resize(static_cast<std::size_t>(k)); });
  for (Eigen::Index i = 0; i < y.size(); ++i) members[static_cast<std::size_t>(y.derived().coeff(i))].push_back(i);
  std::size_t smallest = static_cast<std::size_t>(y.size());
  for (const auto& m : members) {
    if (m.empty()) detail::throw_invalid(function, ": every label in [0, ", k, ") needs samples");
    smallest = std::min(smallest, m.size());
  }
  const ClassCounts counts =
      long_tailed_counts(k, static_cast<Eigen::Index>(smallest), imbalance_ratio, profile, step_mu);
  std::vector<Eigen::Index> keep;
  for (std::size_t c = 0; c < members.size(); ++c) {
    std::vector<Eigen::Index> pool = members[c];
    const auto n = static_cast<std::size_t>(counts(static_cast<Eigen::Index>(c)));
    for (std::size_t s = 0; s < n; ++s) std::swap(pool[s], pool[s + uniform_index(rng, pool.size() - s)]);
    keep.insert(keep.end(), pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
  }
  std::sort(keep.begin(), keep.end());
  return keep;
}

}  // namespace imbalance
