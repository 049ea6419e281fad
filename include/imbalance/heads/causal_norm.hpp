#pragma once
/// @file
/// The causal-norm classifier and TDE's inference (total direct effect).
///
/// Tang, Huang, Zhang. "Long-Tailed Classification by Keeping the Good and Removing the Bad
/// Momentum Causal Effect", NeurIPS 2020 (official code: KaihuaTang/Long-Tailed-Recognition.pytorch
/// classification/models/CausalNormClassifier.py). Features x (d) and class vectors w_j (columns of
/// the d x K weights) are split into `heads` equal chunks; per chunk h, with s = tau / heads:
///   x^_h = x_h / ||x_h||,   w~_{j,h} = w_{j,h} / (||w_{j,h}|| + gamma)
///   training logits:  z_j = s sum_h x^_h . w~_{j,h}
///   TDE (test):       z_j = s sum_h (x^_h - alpha cos(x^_h, c^_h) c^_h) . w~_{j,h}
/// where c is the moving average of the training features (FeatureMovingAverage) and c^_h its unit
/// chunks: the component of each feature along the momentum direction, the "bad" causal effect of
/// the head classes, is removed before classifying.
/// Defaults as the official code: heads = 2, tau = 16, alpha = 3, gamma = 1/32; momentum 0.9 of
/// the average (run_networks.py: c <- mu c + mean of the batch's features).

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Options of CausalNorm (see imbalance/heads/causal_norm.hpp for the formula, the paper and the defaults).
struct CausalNormOptions {
  /// Number of heads the feature and weight vectors are split into (multi-head normalisation).
  Eigen::Index heads = 2;
  /// Logit scale tau.
  double tau = 16.0;
  /// Strength alpha of the counterfactual (TDE) subtraction at test time.
  double alpha = 3.0;
  /// gamma of the normalisation ||w|| + gamma.
  double gamma = 1.0 / 32.0;
};

/// c <- momentum c + mean of a batch of features (the official embed_mean, started at zero).
class FeatureMovingAverage {
 public:
  /// A moving average of dimension `dimension`, updated as m <- momentum m + (1 - momentum) mean(batch).
  explicit FeatureMovingAverage(Eigen::Index dimension, double momentum = 0.9)
      : average_(Eigen::RowVectorXd::Zero(dimension)), momentum_(momentum) {
    check_in_range("FeatureMovingAverage::FeatureMovingAverage()", "momentum", momentum, 0, 1);
  }
  /// Folds a batch of features (rows) into the average.
  template <class DX>
  void update(const Eigen::DenseBase<DX>& batch) {
    const char* function = "FeatureMovingAverage::update()";
    check_non_empty(function, "batch", batch.rows());
    check_shape(function, "batch", batch.rows(), batch.cols(), -1, average_.size());
    check_finite(function, "batch", batch);
    average_ = momentum_ * average_ + batch.derived().template cast<double>().colwise().mean().matrix();
  }
  /// The current average.
  const Eigen::RowVectorXd& average() const noexcept { return average_; }

 private:
  Eigen::RowVectorXd average_;
  double momentum_;
};

namespace detail {
inline void check_causal_norm(const char* function, Eigen::Index d, const CausalNormOptions& o) {
  if (o.heads < 1 || d % o.heads != 0)
    throw_invalid(function, ": heads must be >= 1 and divide the feature dimension ", d, " (got ", o.heads, ")");
  check_positive(function, "tau", o.tau);
  check_finite_scalar(function, "alpha", o.alpha);
  check_non_negative(function, "gamma", o.gamma);
}

template <class DX, class DW>
Eigen::MatrixXd causal_norm(const char* function, const Eigen::DenseBase<DX>& features,
                            const Eigen::DenseBase<DW>& weights, const Eigen::RowVectorXd* average,
                            const CausalNormOptions& o) {
  check_non_empty(function, "features", features.rows());
  check_shape(function, "weights", weights.rows(), weights.cols(), features.cols(), -1);
  check_finite(function, "features", features);
  check_finite(function, "weights", weights);
  const Eigen::Index d = features.cols(), chunk = o.heads > 0 ? d / o.heads : 0;
  check_causal_norm(function, d, o);
  const double scale = o.tau / static_cast<double>(o.heads);
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(features.rows(), weights.cols());
  for (Eigen::Index h = 0; h < o.heads; ++h) {
    Eigen::MatrixXd w = weights.derived().template cast<double>().middleRows(h * chunk, chunk);
    for (Eigen::Index j = 0; j < w.cols(); ++j) w.col(j) /= w.col(j).norm() + o.gamma;
    Eigen::MatrixXd x = features.derived().template cast<double>().middleCols(h * chunk, chunk);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double norm = x.row(i).norm();
      if (norm > 0) x.row(i) /= norm;  // a zero chunk stays zero (the official code divides by 0)
    }
    if (average != nullptr) {
      const double norm = average->segment(h * chunk, chunk).norm();
      if (!(norm > 0))
        throw_invalid(function, ": moving_average is zero on head ", h, " (columns ", h * chunk, " to ",
                      (h + 1) * chunk - 1, "): it has no direction to remove");
      const Eigen::RowVectorXd c = average->segment(h * chunk, chunk) / norm;
      const Eigen::VectorXd cosines = x * c.transpose();  // x^ and c^ are unit vectors
      x -= o.alpha * cosines * c;
    }
    z += scale * x * w;
  }
  return z;
}
}  // namespace detail

/// Training-time logits of the causal-norm classifier (N x K); weights d x K.
template <class DX, class DW>
Eigen::MatrixXd causal_norm_logits(const Eigen::DenseBase<DX>& features, const Eigen::DenseBase<DW>& weights,
                                   const CausalNormOptions& options = {}) {
  return detail::causal_norm("causal_norm_logits()", features, weights, nullptr, options);
}

/// TDE logits (N x K): the causal-norm logits with each chunk's component along the moving-average
/// feature direction removed (alpha times its cosine).
template <class DX, class DW>
Eigen::MatrixXd tde_logits(const Eigen::DenseBase<DX>& features, const Eigen::DenseBase<DW>& weights,
                           const Eigen::RowVectorXd& moving_average, const CausalNormOptions& options = {}) {
  const char* function = "tde_logits()";
  check_shape(function, "moving_average", moving_average.rows(), moving_average.cols(), 1, features.cols());
  check_finite(function, "moving_average", moving_average);
  return detail::causal_norm(function, features, weights, &moving_average, options);
}

}  // namespace imbalance
