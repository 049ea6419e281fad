#pragma once
/// @file
/// Label shift: the test prior q(y) differs from the training prior p(y) while p(x | y) stays.
///  - prior_corrected_logits: Bayes' rule gives q(y | x) ∝ p(y | x) q(y) / p(y), i.e. on logits
///      z'_k = z_k - log p_k + log q_k
///    (priors from counts or probabilities, normalised; every entry must be > 0).
///  - estimate_prior_em: Saerens, Latinne, Decaestecker, "Adjusting the Outputs of a Classifier to
///    New a Priori Probabilities: A Simple Procedure", Neural Computation 14(1), 2002. From the
///    posteriors p(k | x_i) of N unlabelled test samples under the training prior p:
///      q^(0) = p;  w_ik ∝ (q^(s)_k / p_k) p(k | x_i) (rows normalised);  q^(s+1)_k = (1/N) sum_i w_ik,
///    until the L1 change is below `tolerance` (default 1e-10) or `max_iterations` (1000). Each step
///    increases the test likelihood; the fixed point is its maximum. Needs calibrated posteriors.
///  - estimate_prior_bbse: black-box shift estimation, Lipton, Wang, Smola, "Detecting and
///    Correcting for Label Shift with Black Box Predictors", ICML 2018. On labelled validation data
///    (from the training distribution) C_ij = P(yhat = i, y = j); on the test predictions
///    mu_i = P(yhat = i); the importance weights w solve C w = mu (least squares when C is
///    singular), are clipped at 0, and q_j ∝ w_j P_val(y = j). Needs only hard predictions.

#include <algorithm>
#include <cmath>

#include "imbalance/core/eigen.hpp"
IMBALANCE_EIGEN_INCLUDE_BEGIN
#include <Eigen/QR>
IMBALANCE_EIGEN_INCLUDE_END

#include "imbalance/core/class_counts.hpp"
#include "imbalance/metrics/calibration.hpp"
#include "imbalance/metrics/confusion_matrix.hpp"

namespace imbalance {

namespace detail {
template <class DP>
Eigen::VectorXd positive_prior(const char* function, const char* argument, const Eigen::DenseBase<DP>& prior) {
  if (prior.rows() != 1 && prior.cols() != 1)
    throw_invalid(function, ": ", argument, " must be a vector (shape ", prior.rows(), "x", prior.cols(), ")");
  check_non_empty(function, argument, prior.size());
  Eigen::VectorXd p(prior.size());
  for (Eigen::Index k = 0; k < prior.size(); ++k) {
    p(k) = static_cast<double>(prior.derived().coeff(k));
    if (!(std::isfinite(p(k)) && p(k) > 0))
      throw_invalid(function, ": ", argument, "[", k, "] must be > 0 and finite (got ", p(k), ")");
  }
  return p / p.sum();
}
}  // namespace detail

/// z - log p_train + log q_target for every row of N x K logits.
template <class DZ, class DP, class DQ>
Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> prior_corrected_logits(
    const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DP>& train_prior, const Eigen::DenseBase<DQ>& target_prior) {
  const char* function = "prior_corrected_logits()";
  const Eigen::VectorXd p = detail::positive_prior(function, "train_prior", train_prior);
  const Eigen::VectorXd q = detail::positive_prior(function, "target_prior", target_prior);
  check_same_length(function, "train_prior", p.size(), "target_prior", q.size());
  check_shape(function, "logits", logits.rows(), logits.cols(), -1, p.size());
  check_finite(function, "logits", logits);
  using Scalar = typename DZ::Scalar;
  const Eigen::Matrix<Scalar, 1, Eigen::Dynamic> shift = (q.array().log() - p.array().log()).matrix().transpose().template cast<Scalar>();
  return logits.derived().rowwise() + shift;
}

/// Options of PriorEstimation (see imbalance/posthoc/label_shift.hpp for the formula, the paper and the defaults).
struct PriorEstimationOptions {
  /// EM iterations at most.
  Eigen::Index max_iterations = 1000;
  double tolerance = 1e-10;  ///< on the L1 change of the prior between iterations
};

/// Label shift. See imbalance/posthoc/label_shift.hpp for the formula, the paper and the defaults.
struct PriorEstimate {
  Eigen::VectorXd prior;        ///< the estimated test prior q (sums to 1)
  Eigen::Index iterations = 0;  ///< EM steps taken (0 for BBSE)
  /// Whether EM met its tolerance.
  bool converged = true;
};

/// EM estimate of the test prior from test posteriors (N x K, rows sum to 1) under train_prior.
template <class DP, class DQ>
PriorEstimate estimate_prior_em(const Eigen::DenseBase<DP>& test_probabilities, const Eigen::DenseBase<DQ>& train_prior,
                                const PriorEstimationOptions& options = {}) {
  const char* function = "estimate_prior_em()";
  check_probabilities(function, test_probabilities, 1e-6);
  const Eigen::VectorXd p = detail::positive_prior(function, "train_prior", train_prior);
  check_shape(function, "test_probabilities", test_probabilities.rows(), test_probabilities.cols(), -1, p.size());
  if (options.max_iterations < 1)
    detail::throw_invalid(function, ": max_iterations must be >= 1 (got ", options.max_iterations, ")");
  if (!(options.tolerance >= 0)) detail::throw_invalid(function, ": tolerance must be >= 0 (got ", options.tolerance, ")");
  const Eigen::MatrixXd posterior = test_probabilities.derived().template cast<double>();
  const auto n = static_cast<double>(posterior.rows());
  PriorEstimate estimate{p, 0, false};
  Eigen::VectorXd next(p.size());
  Eigen::RowVectorXd w(p.size());
  while (estimate.iterations < options.max_iterations) {
    const Eigen::RowVectorXd ratio = (estimate.prior.array() / p.array()).matrix().transpose();
    next.setZero();
    for (Eigen::Index i = 0; i < posterior.rows(); ++i) {
      w = posterior.row(i).cwiseProduct(ratio);
      const double total = w.sum();
      // A row with all its mass on classes whose prior fell to 0 keeps its posterior.
      if (total > 0) next += w.transpose() / total;
      else next += posterior.row(i).transpose();
    }
    next /= n;
    ++estimate.iterations;
    const double change = (next - estimate.prior).cwiseAbs().sum();
    estimate.prior = next;
    if (change <= options.tolerance) {
      estimate.converged = true;
      break;
    }
  }
  return estimate;
}

/// BBSE estimate of the test prior from hard predictions (labels 0 .. K-1).
template <class DV, class DW, class DT>
PriorEstimate estimate_prior_bbse(const Eigen::DenseBase<DV>& validation_labels,
                                  const Eigen::DenseBase<DW>& validation_predictions,
                                  const Eigen::DenseBase<DT>& test_predictions, Eigen::Index num_classes) {
  const char* function = "estimate_prior_bbse()";
  const ConfusionMatrix confusion = confusion_matrix(validation_labels, validation_predictions, num_classes);
  check_non_empty(function, "test_predictions", test_predictions.size());
  check_labels(function, "test_predictions", test_predictions, num_classes);
  const auto n_val = static_cast<double>(validation_labels.size());
  // C_ij = P(yhat = i, y = j): the transpose of the (true, predicted) confusion matrix.
  const Eigen::MatrixXd joint = confusion.transpose().cast<double>() / n_val;
  Eigen::VectorXd mu = Eigen::VectorXd::Zero(num_classes);
  for (Eigen::Index i = 0; i < test_predictions.size(); ++i) mu(static_cast<Eigen::Index>(test_predictions.derived().coeff(i))) += 1;
  mu /= static_cast<double>(test_predictions.size());
  const Eigen::VectorXd weights = joint.completeOrthogonalDecomposition().solve(mu).cwiseMax(0.0);
  const Eigen::VectorXd validation_prior = joint.colwise().sum().transpose();
  Eigen::VectorXd q = weights.cwiseProduct(validation_prior);
  if (!(q.sum() > 0))
    detail::throw_invalid(function, ": the estimated importance weights are all zero; the validation confusion matrix "
                          "does not explain the test predictions");
  return {q / q.sum(), 0, true};
}

}  // namespace imbalance
