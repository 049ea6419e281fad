#pragma once
/// @file
/// Nearest-class-mean (NCM) classifier on learned features, the decoupling paper's non-parametric
/// stage 2 (Kang et al. "Decoupling Representation and Classifier for Long-Tailed Recognition",
/// ICLR 2020; official code facebookresearch/classifier-balancing models/KNNClassifier.py, defaults
/// feat_type 'cl2n', dist_type 'l2'). With mu the mean training feature:
///   x~ = (x - mu) / ||x - mu||            (centred and L2-normalised; Normalization::None skips it)
///   c_j = mean of x~ over the training samples of class j (not re-normalised)
///   Euclidean: logit_j = -||x~ - c_j||^2          Cosine: logit_j = x~ . c_j / (||x~|| ||c_j||)
/// Every class has the same say whatever its count: the classifier is not biased by the prior.
/// Defaults: Normalization::CenterAndNormalize, Metric::Euclidean.

#include <algorithm>
#include <cmath>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Options of NearestClassMean (see imbalance/heads/nearest_class_mean.hpp for the formula, the paper and the defaults).
struct NearestClassMeanOptions {
  /// Distance to the class means.
  enum class Metric { Euclidean, Cosine };
  /// Feature normalisation before the distance: centre on the training mean and scale to unit norm, or none.
  enum class Normalization { CenterAndNormalize, None };
  /// Distance used.
  Metric metric = Metric::Euclidean;
  /// Normalisation used.
  Normalization normalization = Normalization::CenterAndNormalize;
};

/// Nearest-class-mean (NCM) classifier on learned features, the decoupling paper's non-parametric stage 2 (Kang et al. See imbalance/heads/nearest_class_mean.hpp for the formula, the paper and the defaults.
class NearestClassMean {
 public:
  /// Row-major double matrix.
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// Fits the centroids of K classes on training features (N x d) and labels; every class needs a
  /// sample (an empty class has no mean).
  template <class DX, class DY>
  static NearestClassMean fit(const Eigen::DenseBase<DX>& features, const Eigen::DenseBase<DY>& labels,
                              Eigen::Index num_classes, const NearestClassMeanOptions& options = {}) {
    const char* function = "NearestClassMean::fit()";
    check_non_empty(function, "features", features.rows());
    check_same_length(function, "labels", labels.size(), "features", features.rows());
    if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
    check_labels(function, "labels", labels, num_classes);
    check_finite(function, "features", features);
    NearestClassMean model;
    model.options_ = options;
    const RowMatrix x = features.derived().template cast<double>();
    model.mean_ = options.normalization == NearestClassMeanOptions::Normalization::CenterAndNormalize
                      ? Eigen::RowVectorXd(x.colwise().mean())
                      : Eigen::RowVectorXd::Zero(x.cols());
    const RowMatrix t = model.transform(x);
    model.centroids_ = RowMatrix::Zero(num_classes, x.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(num_classes);
    for (Eigen::Index i = 0; i < t.rows(); ++i) {
      const auto c = static_cast<Eigen::Index>(labels.derived().coeff(i));
      model.centroids_.row(c) += t.row(i);
      counts(c) += 1;
    }
    for (Eigen::Index c = 0; c < num_classes; ++c) {
      if (counts(c) == 0)
        detail::throw_invalid(function, ": class ", c, " has no training sample (its mean is undefined)");
      model.centroids_.row(c) /= counts(c);
    }
    return model;
  }

  /// Logits (N x K): minus the squared distances, or the cosines, to the class means.
  template <class DX>
  RowMatrix logits(const Eigen::DenseBase<DX>& features) const {
    const char* function = "NearestClassMean::logits()";
    check_shape(function, "features", features.rows(), features.cols(), -1, centroids_.cols());
    check_finite(function, "features", features);
    const RowMatrix t = transform(features.derived().template cast<double>());
    if (options_.metric == NearestClassMeanOptions::Metric::Cosine) {
      const Eigen::VectorXd norms = t.rowwise().norm().cwiseMax(1e-12);
      const Eigen::VectorXd centroid_norms = centroids_.rowwise().norm().cwiseMax(1e-12);
      RowMatrix z = t * centroids_.transpose();
      z = norms.cwiseInverse().asDiagonal() * z * centroid_norms.cwiseInverse().asDiagonal();
      return z;
    }
    // -||t - c||^2 = 2 t.c - ||t||^2 - ||c||^2
    RowMatrix z = 2.0 * t * centroids_.transpose();
    z.colwise() -= t.rowwise().squaredNorm();
    z.rowwise() -= centroids_.rowwise().squaredNorm().transpose();
    return z;
  }

  /// The class of the nearest mean of every row of features.
  template <class DX>
  Eigen::VectorXi predict(const Eigen::DenseBase<DX>& features) const {
    return argmax_rows(logits(features));
  }

  /// c_j as rows (K x d), in the transformed space.
  const RowMatrix& centroids() const noexcept { return centroids_; }
  /// mu (zero without centring).
  const Eigen::RowVectorXd& mean() const noexcept { return mean_; }

 private:
  RowMatrix transform(RowMatrix x) const {
    if (options_.normalization == NearestClassMeanOptions::Normalization::None) return x;
    x.rowwise() -= mean_;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double norm = x.row(i).norm();
      if (norm > 0) x.row(i) /= norm;
    }
    return x;
  }

  NearestClassMeanOptions options_;
  Eigen::RowVectorXd mean_;
  RowMatrix centroids_;
};

}  // namespace imbalance
