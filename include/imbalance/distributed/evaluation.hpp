#pragma once
/// @file
/// Evaluation of sharded predictions over MPI ranks (the `imbalance::mpi` CMake target).
///
/// A confusion matrix is a sum of per-rank confusion matrices: one all-reduce of K x K integers
/// gives every rank the global matrix, and every metric of the classification report that the
/// predictions determine (per-class precision, recall, specificity, F1, G-mean, IBA, balanced
/// accuracy, MCC, kappa, shot accuracies) follows from it exactly as in one process. The score
/// metrics (ROC-AUC, average precision, log-loss, calibration) need the scores of every sample in one
/// order: classification_report_with_scores gathers them (N x K doubles on every rank).

#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/distributed/communicator.hpp"
#include "imbalance/metrics/classification_report.hpp"
#include "imbalance/metrics/confusion_matrix.hpp"

namespace imbalance::distributed {

/// The K x K confusion matrix of all ranks' (y_true, y_pred): one all-reduce. Throws on every rank
/// if a rank's labels are outside [0, num_classes) or its vectors differ in length.
template <class DT, class DP>
ConfusionMatrix global_confusion_matrix(const Communicator& comm, const Eigen::DenseBase<DT>& y_true,
                                        const Eigen::DenseBase<DP>& y_pred, Eigen::Index num_classes) {
  ConfusionMatrix local;
  comm.agree([&] { local = confusion_matrix(y_true, y_pred, num_classes); });
  std::vector<std::int64_t> sums(local.data(), local.data() + local.size());
  comm.sum(sums);
  return Eigen::Map<const ConfusionMatrix>(sums.data(), num_classes, num_classes);
}

/// The classification report of all ranks' predictions, the same on every rank (options may carry
/// the global training counts for the shot accuracies).
template <class DT, class DP>
ClassificationReport classification_report(const Communicator& comm, const Eigen::DenseBase<DT>& y_true,
                                           const Eigen::DenseBase<DP>& y_pred, Eigen::Index num_classes,
                                           const ClassificationReportOptions& options = {}) {
  const ConfusionMatrix confusion = global_confusion_matrix(comm, y_true, y_pred, num_classes);
  ClassificationReport report;
  comm.agree([&] { report = imbalance::classification_report(confusion, options); });
  return report;
}

/// The report with the score metrics: the argmax of every rank's N_r x K probabilities, and the
/// probabilities and labels of all ranks gathered in rank order (the global sample order).
template <class DT, class DPr>
ClassificationReport classification_report_with_scores(const Communicator& comm, const Eigen::DenseBase<DT>& y_true,
                                                       const Eigen::DenseBase<DPr>& probabilities,
                                                       const ClassificationReportOptions& options = {},
                                                       const CalibrationOptions& calibration_options = {}) {
  const char* function = "distributed::classification_report_with_scores()";
  std::vector<int> labels;
  std::vector<double> scores;
  comm.agree([&] {
    if (y_true.size() != probabilities.rows())
      imbalance::detail::throw_invalid(function, ": y_true has ", y_true.size(), " labels but probabilities has ",
                                       probabilities.rows(), " rows");
    for (Eigen::Index i = 0; i < y_true.size(); ++i) labels.push_back(static_cast<int>(y_true.derived().coeff(i)));
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i)
      for (Eigen::Index j = 0; j < probabilities.cols(); ++j)
        scores.push_back(static_cast<double>(probabilities.derived().coeff(i, j)));
  });
  const std::int64_t k_low = comm.min(static_cast<std::int64_t>(probabilities.cols()));
  const std::int64_t k_high = comm.max(static_cast<std::int64_t>(probabilities.cols()));
  comm.agree([&] {
    if (k_low != k_high)
      imbalance::detail::throw_invalid(function, ": the ranks disagree on the number of classes (from ", k_low,
                                       " to ", k_high, ")");
  });
  const std::vector<int> all_labels = comm.all_gather(labels);
  const std::vector<double> all_scores = comm.all_gather(scores);
  const auto n = static_cast<Eigen::Index>(all_labels.size());
  const Eigen::Map<const Eigen::VectorXi> y(all_labels.data(), n);
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> p(
      all_scores.data(), n, static_cast<Eigen::Index>(k_high));
  ClassificationReport report;
  comm.agree([&] { report = classification_report_from_probabilities(p, y, options, calibration_options); });
  return report;
}

}  // namespace imbalance::distributed
