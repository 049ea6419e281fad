#pragma once
/// @file
/// Row-wise softmax of N x K logits: p_ik = exp(z_ik - max_j z_ij) / sum_j exp(z_ij - max_j z_ij),
/// stable for any finite logits (the largest term is exp(0) = 1). Probabilities for reports,
/// calibration and label-shift estimation; the losses use their fused log-softmax kernel instead.

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Softmax of every row, in the logits' scalar type.
template <class DZ>
Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> softmax_rows(const Eigen::DenseBase<DZ>& logits) {
  check_finite("softmax_rows()", "logits", logits);
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> p = logits.derived();
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    p.row(i).array() = (p.row(i).array() - p.row(i).maxCoeff()).exp();
    p.row(i) /= p.row(i).sum();
  }
  return p;
}

}  // namespace imbalance
