#pragma once
/// @file
/// Post-hoc corrections and the classification report on tensors of logits (the `imbalance::torch`
/// CMake target): the tensor's memory is read in place when it is contiguous (matrix_view), and the
/// results come back as new tensors.
///
///   adjusted_logits(correction, Z)   correction.adjust(Z), e.g. z - tau log pi (PostHocLogitAdjustment)
///   adjusted_predictions(correction, Z)   its argmax per row (int64)
///   prior_corrected_logits(Z, train_prior, test_prior)   z + log q - log pi (label shift)
///   classification_report(Z, y, options)   the report of softmax(Z) (argmax predictions, scores)

#include <cstdint>

#include "imbalance/core/eigen.hpp"
#include <torch/types.h>

#include "imbalance/core/softmax.hpp"
#include "imbalance/libtorch/tensor.hpp"
#include "imbalance/metrics/classification_report.hpp"
#include "imbalance/posthoc/label_shift.hpp"

namespace imbalance::libtorch {

namespace detail {

// Calls f(view) with the contiguous logits seen as a float or double Eigen matrix.
template <class Function>
auto with_logits(const char* function, const torch::Tensor& logits, Function&& f) {
  const torch::Tensor z = contiguous_matrix(function, "logits", logits);
  return z.scalar_type() == torch::kDouble ? f(matrix_view<double>(z)) : f(matrix_view<float>(z));
}

}  // namespace detail

/// correction.adjust(logits) for a post-hoc correction of the library with adjust() (for example
/// PostHocLogitAdjustment), as a tensor of the logits' dtype.
template <class Correction>
torch::Tensor adjusted_logits(const Correction& correction, const torch::Tensor& logits) {
  return detail::with_logits("libtorch::adjusted_logits()", logits,
                             [&](const auto& z) { return to_tensor(correction.adjust(z)); });
}

/// correction.predict(logits), the corrected class of each row, as an int64 tensor.
template <class Correction>
torch::Tensor adjusted_predictions(const Correction& correction, const torch::Tensor& logits) {
  return detail::with_logits("libtorch::adjusted_predictions()", logits, [&](const auto& z) {
    return to_tensor_1d(correction.predict(z)).to(torch::kLong);
  });
}

/// Label-shift correction z + log q - log pi (imbalance/posthoc/label_shift.hpp) of a tensor of logits.
template <class DP, class DQ>
torch::Tensor prior_corrected_logits(const torch::Tensor& logits, const Eigen::DenseBase<DP>& train_prior,
                                     const Eigen::DenseBase<DQ>& test_prior) {
  return detail::with_logits("libtorch::prior_corrected_logits()", logits, [&](const auto& z) {
    return to_tensor(imbalance::prior_corrected_logits(z, train_prior, test_prior));
  });
}

/// The classification report (imbalance/metrics/classification_report.hpp) of softmax(logits)
/// against the labels: per-class and averaged metrics of the argmax, and the probability scores.
inline ClassificationReport classification_report(const torch::Tensor& logits, const torch::Tensor& labels,
                                                  const ClassificationReportOptions& options = {},
                                                  const CalibrationOptions& calibration_options = {}) {
  const char* function = "libtorch::classification_report()";
  const Eigen::VectorXi y = labels_vector(labels, function);
  return detail::with_logits(function, logits, [&](const auto& z) {
    if (y.size() != z.rows())
      imbalance::detail::throw_invalid(function, ": labels has ", y.size(), " entries, logits has ", z.rows(), " rows");
    const Eigen::MatrixXd probabilities = softmax_rows(z.template cast<double>());
    return classification_report_from_probabilities(probabilities, y, options, calibration_options);
  });
}

}  // namespace imbalance::libtorch
