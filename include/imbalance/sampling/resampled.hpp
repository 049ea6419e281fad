#pragma once
/// @file
/// What the resamplers return (their shared input validation and per-class bookkeeping:
/// imbalance/sampling/detail/toolkit.hpp).
///
/// Output order (all resamplers): the original rows, or those kept, in their original order, then
/// the synthetic rows grouped by class in ascending label order.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"

namespace imbalance {

namespace detail {
// The matrix type of a resampled X: X's scalar type and storage order.
template <class DX>
using ResampledMatrix =
    Eigen::Matrix<typename DX::Scalar, Eigen::Dynamic, Eigen::Dynamic,
                  (DX::IsRowMajor && DX::ColsAtCompileTime != 1) ? Eigen::RowMajor : Eigen::ColMajor>;
}  // namespace detail

/// A resampled data set. X keeps the input's scalar type and storage order.
template <class Matrix>
struct Resampled {
  /// The output rows.
  Matrix X;
  /// Their labels.
  Eigen::VectorXi y;
  /// When every output row is a copy of an input row (under-sampling, cleaning, random
  /// over-sampling without shrinkage): the input row of each output row. Empty otherwise.
  std::vector<Eigen::Index> sample_indices;
  /// For each synthetic (interpolated) row, in output order: the input rows it was made from
  /// (SMOTE family: base sample and neighbour). Empty for selectors.
  std::vector<Eigen::Index> synthetic_base;  ///< the base input row of each synthetic row
  std::vector<Eigen::Index> synthetic_neighbor;  ///< the neighbour it was interpolated towards
  /// Samples added (> 0) or removed (< 0) per class.
  std::map<int, Eigen::Index> change_per_class;
};

}  // namespace imbalance
