#pragma once
/// @file
/// Input handling that every loss shares (not API): validation of logits, labels and class
/// weights, the view of an Eigen array as a matrix, and the caller-owned output's size.

#include <cmath>
#include <type_traits>

#include <Eigen/Core>

#include "imbalance/core/checks.hpp"

namespace imbalance {

namespace detail {
// Validates optional class weights: empty, or K finite values > 0.
inline Eigen::VectorXd checked_class_weights(const char* function, const Eigen::VectorXd& weights,
                                             Eigen::Index num_classes) {
  if (weights.size() == 0) return weights;
  if (weights.size() != num_classes)
    throw_invalid(function, ": class_weights has length ", weights.size(), " but there are ", num_classes, " classes");
  for (Eigen::Index k = 0; k < weights.size(); ++k)
    if (!(std::isfinite(weights(k)) && weights(k) > 0))
      throw_invalid(function, ": class_weights[", k, "] must be finite and > 0 (got ", weights(k), ")");
  return weights;
}

// The kernels work on MatrixBase views; an Array argument is wrapped (no copy).
template <class Derived>
decltype(auto) as_matrix(const Eigen::DenseBase<Derived>& x) {
  if constexpr (std::is_base_of<Eigen::ArrayBase<Derived>, Derived>::value)
    return x.derived().matrix();
  else
    return (x.derived());
}

// The checks every loss runs on its input: float or double N x K logits (N > 0), N labels in [0, K).
template <class DZ, class DY>
void check_loss_input(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                      Eigen::Index num_classes) {
  static_assert(std::is_same<typename DZ::Scalar, double>::value || std::is_same<typename DZ::Scalar, float>::value,
                "imbalance: logits must be float or double");
  check_non_empty(function, "logits", logits.rows());
  check_shape(function, "logits", logits.rows(), logits.cols(), -1, num_classes);
  check_same_length(function, "labels", labels.size(), "logits", logits.rows());
  check_labels(function, "labels", labels, num_classes);
}

// Resizes a plain gradient matrix, or checks the shape of a non-resizable one (Map, Block).
template <class DG>
DG& prepare_output(const char* function, const char* argument, const Eigen::DenseBase<DG>& out_const,
                   Eigen::Index rows, Eigen::Index cols) {
  DG& out = const_cast<DG&>(out_const.derived());
  if (out.rows() == rows && out.cols() == cols) return out;
  if constexpr (std::is_base_of<Eigen::PlainObjectBase<DG>, DG>::value) {
    out.resize(rows, cols);
  } else {
    check_shape(function, argument, out.rows(), out.cols(), rows, cols);
  }
  return out;
}
}  // namespace detail

}  // namespace imbalance
