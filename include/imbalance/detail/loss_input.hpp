#pragma once
/// @file
/// Input handling that every loss shares (not API): validation of logits, labels and class
/// weights, the view of an Eigen array as a matrix, and the caller-owned output's size.

#include <cmath>
#include <type_traits>
#include <vector>

#include "imbalance/core/eigen.hpp"

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

// Multi-hot targets: float or double logits N x K (N > 0), targets N x K with every entry 0 or 1.
template <class DZ, class DT>
void check_multi_hot(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets,
                     Eigen::Index num_classes) {
  static_assert(std::is_same<typename DZ::Scalar, double>::value || std::is_same<typename DZ::Scalar, float>::value,
                "imbalance: logits must be float or double");
  check_non_empty(function, "logits", logits.rows());
  check_shape(function, "logits", logits.rows(), logits.cols(), -1, num_classes);
  check_shape(function, "targets", targets.rows(), targets.cols(), logits.rows(), num_classes);
  for (Eigen::Index i = 0; i < targets.rows(); ++i)
    for (Eigen::Index j = 0; j < targets.cols(); ++j) {
      const double t = static_cast<double>(targets.derived().coeff(i, j));
      if (t != 0 && t != 1) throw_invalid(function, ": targets(", i, ", ", j, ") must be 0 or 1 (got ", t, ")");
    }
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
// Per-sample weights s_i (or another non-negative per-sample input) as a contiguous array of the loss's scalar: the caller's own memory when it
// is a contiguous vector of that scalar (no copy, no allocation), otherwise a converted copy.
// Checked: N values, each finite and >= 0.
template <class S>
class SampleWeights {
 public:
  template <class DW>
  SampleWeights(const char* function, const Eigen::DenseBase<DW>& weights, Eigen::Index rows,
                const char* argument = "sample_weights") {
    check_same_length(function, argument, weights.size(), "logits", rows);
    using W = typename DW::Scalar;
    constexpr bool direct = std::is_same<W, S>::value && DW::IsVectorAtCompileTime &&
                            (int(Eigen::internal::traits<DW>::Flags) & Eigen::DirectAccessBit) != 0 &&
                            DW::InnerStrideAtCompileTime == 1;
    if constexpr (direct) {
      data_ = weights.derived().data();
    } else {
      copy_.resize(static_cast<std::size_t>(rows));
      for (Eigen::Index i = 0; i < rows; ++i) copy_[static_cast<std::size_t>(i)] = static_cast<S>(weights.derived().coeff(i));
      data_ = copy_.data();
    }
    for (Eigen::Index i = 0; i < rows; ++i)
      if (!(std::isfinite(static_cast<double>(data_[i])) && data_[i] >= S(0)))
        throw_invalid(function, ": ", argument, "[", i, "] must be finite and >= 0 (got ",
                      static_cast<double>(data_[i]), ")");
  }
  SampleWeights(const SampleWeights&) = delete;
  SampleWeights& operator=(const SampleWeights&) = delete;
  const S* data() const noexcept { return data_; }
  S operator[](Eigen::Index i) const noexcept { return data_[i]; }

 private:
  const S* data_ = nullptr;
  std::vector<S> copy_;
};
}  // namespace detail

}  // namespace imbalance
