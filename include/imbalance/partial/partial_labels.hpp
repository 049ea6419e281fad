#pragma once
/// @file
/// Learning from partial labels (each sample comes with a candidate set of classes that holds its
/// true one) under class imbalance:
///  - PRODEN (Lv, Xu, Feng, Niu, Geng, Sugiyama, "Progressive Identification of True Labels for
///    Partial-Label Learning", ICML 2020): train with cross-entropy against label confidences w
///    (initially uniform over the candidates) and re-estimate them from the model,
///      w_ij = S_ij p_ij / sum_k S_ik p_ik,   p = softmax(z),   S the 0/1 candidate matrix;
///  - RECORDS (Hong, Yao, Zhang, Zhang, Wang, Zhang, "Long-Tailed Partial Label Learning via Dynamic
///    Rebalancing", ICLR 2023; official code MediaBrain-SJTU/RECORDS-LTPLL, utils/utils_loss.py): the
///    same update on logits corrected by the model's own class prior,
///      w_ij = S_ij p'_ij / sum_k S_ik p'_ik,   p' = softmax(z - log(prior + 1e-9)),
///      prior = softmax(head(mean feature)),
///    the head applied to the (moving-average) mean of the representation; at test time the same
///    correction, records_debiased_logits. The official code updates per batch with a per-batch moving
///    average (momentum 0.9); here the confidences are re-estimated before every epoch from the whole
///    training set (its mean feature, averaged over epochs with prior_momentum, default 0: the
///    current mean), the official CORR loss's KL term is the soft cross-entropy (same gradient) and its
///    extra -log(1 - p) penalty on non-candidates is left out (the targets are zero there already).
/// make_partial_labels draws candidate sets for experiments: the true label, and every other class
/// independently with probability q (the uniform generation both papers use).
/// Defaults: PartialLabelMethod::Records, prior_momentum 0.

#include <cmath>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// N x K 0/1 candidate sets, row-major.
using CandidateMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The 0/1 candidate matrix (N x K) of candidate lists; every set non-empty, labels in [0, K).
inline CandidateMatrix candidate_matrix(const std::vector<std::vector<int>>& sets, Eigen::Index num_classes) {
  const char* function = "candidate_matrix()";
  if (num_classes < 1) detail::throw_invalid(function, ": num_classes must be >= 1 (got ", num_classes, ")");
  CandidateMatrix s = CandidateMatrix::Zero(static_cast<Eigen::Index>(sets.size()), num_classes);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (sets[i].empty()) detail::throw_invalid(function, ": the candidate set of sample ", i, " is empty");
    for (int c : sets[i]) {
      if (c < 0 || c >= num_classes)
        throw out_of_range(detail::concat(function, ": candidate ", c, " of sample ", i, " is out of range [0, ",
                                          num_classes, ")"));
      s(static_cast<Eigen::Index>(i), c) = 1;
    }
  }
  return s;
}

namespace detail {
template <class DS>
void check_candidates(const char* function, const Eigen::DenseBase<DS>& s) {
  check_non_empty(function, "candidates", s.rows());
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    bool any = false;
    for (Eigen::Index j = 0; j < s.cols(); ++j) {
      const double v = static_cast<double>(s.derived().coeff(i, j));
      if (v != 0 && v != 1)
        throw_invalid(function, ": candidates(", i, ", ", j, ") must be 0 or 1 (got ", v, ")");
      any = any || v == 1;
    }
    if (!any) throw_invalid(function, ": the candidate set of sample ", i, " is empty");
  }
}

// RECORDS' correction z - log(prior + 1e-9), shared by the confidence update and test time.
inline void subtract_log_prior(const char* function, const Eigen::VectorXd& prior, CandidateMatrix& z) {
  check_shape(function, "prior", prior.size(), 1, z.cols(), 1);
  for (Eigen::Index j = 0; j < prior.size(); ++j)
    if (!(prior(j) >= 0 && std::isfinite(prior(j))))
      throw_invalid(function, ": prior[", j, "] must be finite and >= 0 (got ", prior(j), ")");
  z.rowwise() -= (prior.array() + 1e-9).log().matrix().transpose();
}
}  // namespace detail

/// Confidences uniform over each candidate set.
template <class DS>
CandidateMatrix uniform_confidences(const Eigen::DenseBase<DS>& candidates) {
  detail::check_candidates("uniform_confidences()", candidates);
  CandidateMatrix w = candidates.derived().template cast<double>();
  for (Eigen::Index i = 0; i < w.rows(); ++i) w.row(i) /= w.row(i).sum();
  return w;
}

/// Confidences from logits (N x K) restricted to the candidates: S o softmax(z - log(prior + 1e-9)),
/// rows normalised; an empty `prior` means none (PRODEN).
template <class DS, class DZ>
CandidateMatrix partial_label_confidences(const Eigen::DenseBase<DS>& candidates, const Eigen::DenseBase<DZ>& logits,
                                          const Eigen::VectorXd& prior = Eigen::VectorXd()) {
  const char* function = "partial_label_confidences()";
  detail::check_candidates(function, candidates);
  check_shape(function, "logits", logits.rows(), logits.cols(), candidates.rows(), candidates.cols());
  check_finite(function, "logits", logits);
  CandidateMatrix z = logits.derived().template cast<double>();
  if (prior.size() != 0) detail::subtract_log_prior(function, prior, z);
  CandidateMatrix w = softmax_rows(z);
  for (Eigen::Index i = 0; i < w.rows(); ++i) {
    w.row(i) = w.row(i).cwiseProduct(candidates.derived().row(i).template cast<double>());
    const double sum = w.row(i).sum();
    if (sum > 0) {
      w.row(i) /= sum;
    } else {  // every candidate's probability underflowed: uniform over the candidates
      w.row(i) = candidates.derived().row(i).template cast<double>();
      w.row(i) /= w.row(i).sum();
    }
  }
  return w;
}

/// RECORDS' test-time correction: z - log(prior + 1e-9) on every row.
template <class DZ>
CandidateMatrix records_debiased_logits(const Eigen::DenseBase<DZ>& logits, const Eigen::VectorXd& prior) {
  const char* function = "records_debiased_logits()";
  check_finite(function, "logits", logits);
  CandidateMatrix z = logits.derived().template cast<double>();
  detail::subtract_log_prior(function, prior, z);
  return z;
}

/// Candidate sets for experiments: the true label of each sample and every other class with
/// probability q (one uniform per (sample, other class), in row order).
template <class DY, class Engine>
CandidateMatrix make_partial_labels(const Eigen::DenseBase<DY>& y, Eigen::Index num_classes, double q, Engine& rng) {
  const char* function = "make_partial_labels()";
  check_in_range(function, "q", q, 0.0, 1.0);
  check_labels(function, "y", y, num_classes);
  CandidateMatrix s = CandidateMatrix::Zero(y.size(), num_classes);
  for (Eigen::Index i = 0; i < y.size(); ++i)
    for (Eigen::Index j = 0; j < num_classes; ++j)
      s(i, j) = j == static_cast<Eigen::Index>(y.derived()(i)) ? 1.0 : (uniform01(rng) < q ? 1.0 : 0.0);
  return s;
}

/// The confidence update: PRODEN (Lv et al., ICML 2020) or RECORDS (Hong et al., ICML 2023).
enum class PartialLabelMethod { Proden, Records };

/// Options of PartialLabelResult (see imbalance/partial/partial_labels.hpp for the formula, the paper and the defaults).
struct PartialLabelOptions {
  /// The confidence update used.
  PartialLabelMethod method = PartialLabelMethod::Records;
  /// RECORDS: the mean feature is m * previous + (1 - m) * current, once per epoch.
  double prior_momentum = 0.0;
};

/// Learning from partial labels (each sample comes with a candidate set of classes that holds its true one) under class imbalance. See imbalance/partial/partial_labels.hpp for the formula, the paper and the defaults.
struct PartialLabelResult {
  /// Per-epoch training record (loss, learning rate, time).
  std::vector<EpochInfo> history;
  CandidateMatrix confidences;  ///< the last epoch's label confidences (N x K)
  Eigen::VectorXd prior;        ///< RECORDS: the model's class prior at the last update (empty for PRODEN)
};

/// Trains `model` on features X (N x d) with candidate sets (N x K, 0/1) by PRODEN or RECORDS; the
/// confidences start uniform and are re-estimated before every epoch after the first.
/// Trains in the arithmetic Scalar (default: X's scalar type, as SoftmaxClassifier::fit).
template <class Scalar = void, class DX, class DS, class Engine>
PartialLabelResult fit_partial_labels(SoftmaxClassifier& model, const Eigen::DenseBase<DX>& X,
                                      const Eigen::DenseBase<DS>& candidates, const TrainerOptions& trainer,
                                      const PartialLabelOptions& options, Engine& rng) {
  const char* function = "fit_partial_labels()";
  detail::check_candidates(function, candidates);
  check_same_length(function, "candidates", candidates.rows(), "X", X.rows());
  check_in_range(function, "options.prior_momentum", options.prior_momentum, 0.0, 1.0);
  if (options.prior_momentum == 1.0)
    detail::throw_invalid(function, ": options.prior_momentum must be < 1 (1 would never update the prior)");
  const Eigen::Index k = candidates.cols();
  const SoftmaxClassifier::RowMatrix x = X.derived().template cast<double>();
  const CandidateMatrix s = candidates.derived().template cast<double>();
  EpochTargets targets;
  targets.soft = uniform_confidences(s);
  targets.labels = argmax_rows(targets.soft);
  PartialLabelResult result;
  Eigen::RowVectorXd mean_feature;
  const auto refresh = [&](long epoch, const SoftmaxClassifier& current, EpochTargets& t) {
    if (epoch == 0) return;
    const auto z = current.logits(x);
    if (options.method == PartialLabelMethod::Records) {
      const Eigen::RowVectorXd mean = current.features(x).colwise().mean();
      mean_feature = mean_feature.size() == 0 ? mean
                                              : Eigen::RowVectorXd(options.prior_momentum * mean_feature +
                                                                   (1 - options.prior_momentum) * mean);
      result.prior = softmax_rows(current.head_logits(mean_feature)).row(0).transpose();
    }
    t.soft = partial_label_confidences(s, z, result.prior);
    t.labels = argmax_rows(t.soft);
  };
  result.history = model.fit_with_targets<SoftmaxClassifier::Arithmetic<Scalar, DX>>(
      x, std::move(targets), CrossEntropyLoss(k), refresh, trainer, rng);
  // The confidences (and prior) of the trained model.
  EpochTargets final_targets;
  refresh(1, model, final_targets);
  result.confidences = std::move(final_targets.soft);
  return result;
}

}  // namespace imbalance
