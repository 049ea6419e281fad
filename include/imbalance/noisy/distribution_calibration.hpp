#pragma once
/// @file
/// Gaussian class statistics with the tail classes calibrated from their nearest head classes, and
/// over-sampling from the calibrated Gaussians: the representation-calibration step of RCAL (Zhang,
/// Zhao, Yao, Yuan, Huang, "When Noisy Labels Meet Long Tail Dilemmas: A Representation Calibration
/// Method", ICCV 2023), built on distribution calibration (Yang, Liu, Xu, "Free Lunch for Few-shot
/// Learning: Distribution Calibration", ICLR 2021; official code ShuoYang-1998/Few_Shot_Distribution_
/// Calibration, distribution_calibration()).
///
/// Per class c: mean mu_c and covariance Sigma_c (unbiased, ddof 1, as np.cov). A class is a tail class
/// when its count is below `tail_threshold` (default: the median class count), a head class otherwise.
/// A tail class t borrows from the k head classes S whose means are nearest to mu_t (Euclidean; ties by
/// the lower label):
///   mu'_t    = (mu_t + sum_{i in S} mu_i) / (k + 1)
///   Sigma'_t = (1/k) sum_{i in S} Sigma_i + alpha * D
/// (calibrate_mean = false keeps mu_t: only the spread is borrowed) with D = 1 1^T (the official code adds the scalar alpha to every entry: Dispersion::EveryEntry) or
/// D = I (Dispersion::Diagonal, the paper's "degree of dispersion" read as isotropic).
/// CalibratedGaussianOverSampler then draws x = mu' + V sqrt(max(Lambda, 0)) z, z ~ N(0, I), with
/// Sigma' = V Lambda V^T (exact for a positive semi-definite Sigma'; the draws are the caller's
/// generator's), as many per class as imbalanced-learn's sampling_strategy asks; by default every
/// tail class up to the tail threshold (the synthetic features stand in for the tail's missing
/// samples without swamping its real ones; 'auto' would fill every class up to the majority). A head
/// class asked for is drawn from its own Gaussian.
/// tukey_transform (x^lambda, log x at lambda 0; the official lambda 0.5) makes non-negative features
/// (ReLU outputs) more Gaussian before the statistics are taken.
/// Defaults: k = 2 nearest heads, alpha = 0.21 (the official miniImageNet settings), EveryEntry.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "imbalance/core/eigen.hpp"
IMBALANCE_EIGEN_INCLUDE_BEGIN
#include <Eigen/Eigenvalues>
IMBALANCE_EIGEN_INCLUDE_END

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Per-class Gaussian statistics of features (K classes, d features).
struct ClassGaussians {
  Eigen::MatrixXd means;                     ///< K x d
  std::vector<Eigen::MatrixXd> covariances;  ///< K of d x d (zero for a class of one sample)
  Eigen::VectorXi counts;                    ///< K
  std::vector<bool> calibrated;              ///< K: whether the class was calibrated from head classes
  std::vector<std::vector<int>> borrowed_from;  ///< K: the head classes a calibrated class used
  Eigen::Index tail_threshold = 0;              ///< the count below which a class was calibrated
};

/// Means and unbiased covariances of every class of (X, y); every class needs a sample.
template <class DX, class DY>
ClassGaussians class_gaussians(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, Eigen::Index num_classes) {
  const char* function = "class_gaussians()";
  check_non_empty(function, "X", X.rows());
  check_same_length(function, "y", y.size(), "X", X.rows());
  check_labels(function, "y", y, num_classes);
  check_finite(function, "X", X);
  const Eigen::Index d = X.cols();
  ClassGaussians g;
  g.means = Eigen::MatrixXd::Zero(num_classes, d);
  g.counts = Eigen::VectorXi::Zero(num_classes);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const auto c = static_cast<Eigen::Index>(y.derived()(i));
    g.means.row(c) += X.derived().row(i).template cast<double>();
    ++g.counts(c);
  }
  for (Eigen::Index c = 0; c < num_classes; ++c) {
    if (g.counts(c) == 0)
      detail::throw_invalid(function, ": class ", detail::class_name(c), " has no sample (", num_classes,
                            " classes); its Gaussian is undefined");
    g.means.row(c) /= g.counts(c);
  }
  g.covariances.assign(static_cast<std::size_t>(num_classes), Eigen::MatrixXd::Zero(d, d));
  Eigen::RowVectorXd centred(d);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const auto c = static_cast<Eigen::Index>(y.derived()(i));
    centred = X.derived().row(i).template cast<double>() - g.means.row(c);
    g.covariances[static_cast<std::size_t>(c)].noalias() += centred.transpose() * centred;
  }
  for (Eigen::Index c = 0; c < num_classes; ++c)
    if (g.counts(c) > 1) g.covariances[static_cast<std::size_t>(c)] /= static_cast<double>(g.counts(c) - 1);
  g.calibrated.assign(static_cast<std::size_t>(num_classes), false);
  g.borrowed_from.assign(static_cast<std::size_t>(num_classes), {});
  return g;
}

/// Options of DistributionCalibration (see imbalance/noisy/distribution_calibration.hpp for the formula, the paper and the defaults).
struct DistributionCalibrationOptions {
  /// Which entries of a tail class's covariance are calibrated: all, or the diagonal only.
  enum class Dispersion { EveryEntry, Diagonal };
  Eigen::Index num_neighbors = 2;  ///< k: head classes a tail class borrows from
  double alpha = 0.21;             ///< added dispersion
  /// Which covariance entries are calibrated.
  Dispersion dispersion = Dispersion::EveryEntry;
  /// Classes with fewer samples are calibrated; 0 = the median class count.
  Eigen::Index tail_threshold = 0;
  /// Whether the mean is calibrated too (the official rule); false keeps a tail class's own mean and
  /// borrows only the spread.
  bool calibrate_mean = true;
};

/// The class statistics with every tail class calibrated (see the file comment).
/// @throws imbalance::invalid_argument when there are fewer than k head classes.
inline ClassGaussians calibrate_tail_gaussians(ClassGaussians g, const DistributionCalibrationOptions& options = {}) {
  const char* function = "calibrate_tail_gaussians()";
  const Eigen::Index k = g.means.rows();
  if (options.num_neighbors < 1)
    detail::throw_invalid(function, ": options.num_neighbors must be >= 1 (got ", options.num_neighbors, ")");
  check_non_negative(function, "options.alpha", options.alpha);
  if (options.tail_threshold < 0)
    detail::throw_invalid(function, ": options.tail_threshold must be >= 0 (got ", options.tail_threshold, ")");
  Eigen::Index threshold = options.tail_threshold;
  if (threshold == 0) {  // the median count (the mean of the two middle ones for an even K)
    std::vector<int> sorted(g.counts.data(), g.counts.data() + k);
    std::sort(sorted.begin(), sorted.end());
    const auto mid = static_cast<std::size_t>(k / 2);
    threshold = k % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid] + 1) / 2;
  }
  g.tail_threshold = threshold;
  std::vector<int> heads;
  for (Eigen::Index c = 0; c < k; ++c)
    if (g.counts(c) >= threshold) heads.push_back(static_cast<int>(c));
  const ClassGaussians original = g;
  for (Eigen::Index t = 0; t < k; ++t) {
    if (g.counts(t) >= threshold) continue;
    if (static_cast<Eigen::Index>(heads.size()) < options.num_neighbors)
      detail::throw_invalid(function, ": tail class ", detail::class_name(t), " needs ", options.num_neighbors,
                            " head classes (count >= ", threshold, ") to borrow from, but there are ", heads.size());
    std::vector<std::pair<double, int>> by_distance;
    for (int h : heads) by_distance.emplace_back((original.means.row(t) - original.means.row(h)).norm(), h);
    std::sort(by_distance.begin(), by_distance.end());
    Eigen::RowVectorXd mean = original.means.row(t);
    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(g.means.cols(), g.means.cols());
    std::vector<int> used;
    for (Eigen::Index s = 0; s < options.num_neighbors; ++s) {
      const int h = by_distance[static_cast<std::size_t>(s)].second;
      mean += original.means.row(h);
      covariance += original.covariances[static_cast<std::size_t>(h)];
      used.push_back(h);
    }
    mean /= static_cast<double>(options.num_neighbors + 1);
    covariance /= static_cast<double>(options.num_neighbors);
    if (options.dispersion == DistributionCalibrationOptions::Dispersion::EveryEntry)
      covariance.array() += options.alpha;
    else
      covariance.diagonal().array() += options.alpha;
    if (options.calibrate_mean) g.means.row(t) = mean;
    g.covariances[static_cast<std::size_t>(t)] = covariance;
    g.calibrated[static_cast<std::size_t>(t)] = true;
    g.borrowed_from[static_cast<std::size_t>(t)] = used;
  }
  return g;
}

/// Tukey's ladder of powers on non-negative features: x^lambda (lambda != 0) or log x (lambda = 0).
template <class DX>
Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> tukey_transform(const Eigen::DenseBase<DX>& X,
                                                                                       double lambda = 0.5) {
  const char* function = "tukey_transform()";
  check_finite_scalar(function, "lambda", lambda);
  check_finite(function, "X", X);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out = X.derived().template cast<double>();
  for (Eigen::Index i = 0; i < out.rows(); ++i)
    for (Eigen::Index j = 0; j < out.cols(); ++j) {
      const double v = out(i, j);
      if (v < 0 || (lambda <= 0 && v == 0))
        detail::throw_invalid(function, ": X(", i, ", ", j, ") = ", v, " is outside the domain of the transform (",
                              lambda <= 0 ? "x > 0" : "x >= 0", " for lambda ", lambda, ")");
      out(i, j) = lambda == 0 ? std::log(v) : std::pow(v, lambda);
    }
  return out;
}

/// Options of CalibratedGaussianOverSampler (see imbalance/noisy/distribution_calibration.hpp for the formula, the paper and the defaults).
struct CalibratedGaussianOverSamplerOptions {
  /// Empty: every calibrated (tail) class up to the tail threshold.
  std::optional<SamplingStrategy> sampling_strategy;
  /// How the tail Gaussians are calibrated.
  DistributionCalibrationOptions calibration;
};

/// Over-sampling from the per-class Gaussians, the tail ones calibrated (RCAL's feature sampling).
/// Output: the original rows, then the synthetic rows grouped by class in ascending label order (a
/// class's draws: one z vector of d normals per row, in order).
class CalibratedGaussianOverSampler : public detail::SeededResampler<CalibratedGaussianOverSampler> {
 public:
  using detail::SeededResampler<CalibratedGaussianOverSampler>::fit_resample;
  /// Built from the options.
  explicit CalibratedGaussianOverSampler(CalibratedGaussianOverSamplerOptions options = {})
      : options_(std::move(options)) {}

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    using S = typename DX::Scalar;
    const char* function = "CalibratedGaussianOverSampler::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    if (rows.begin()->first < 0)
      detail::throw_invalid(function, ": y must hold class indices >= 0 (got ", rows.begin()->first, ")");
    const Eigen::Index k = rows.rbegin()->first + 1;
    const ClassGaussians g = calibrate_tail_gaussians(class_gaussians(X, y, k), options_.calibration);
    ClassMap plan;
    if (options_.sampling_strategy) {
      plan = options_.sampling_strategy->resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    } else {
      for (const auto& [label, members] : rows)
        if (g.calibrated[static_cast<std::size_t>(label)])
          plan[label] = g.tail_threshold - static_cast<Eigen::Index>(members.size());
    }
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), false);
    Eigen::Index row = X.rows();
    const Eigen::Index d = X.cols();
    Eigen::VectorXd z(d);
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(g.covariances[static_cast<std::size_t>(label)]);
      const Eigen::MatrixXd factor = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
      for (Eigen::Index r = 0; r < n; ++r, ++row) {
        for (Eigen::Index j = 0; j < d; ++j) z(j) = standard_normal(rng);
        out.X.row(row) = (g.means.row(label).transpose() + factor * z).transpose().template cast<S>();
        if (!out.X.row(row).allFinite())
          detail::throw_invalid(function, ": a draw for class ", detail::class_name(label),
                                " is outside the range of the scalar type");
        out.y(row) = label;
      }
      out.change_per_class[label] = n;
    }
    return out;
  }

 private:
  CalibratedGaussianOverSamplerOptions options_;
};

}  // namespace imbalance
