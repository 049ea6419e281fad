#pragma once
/// @file
/// Eigen views of libtorch tensors, and Eigen results as tensors (the `imbalance::torch` CMake target).
///
/// A CPU float or double tensor of shape N x K that is contiguous is row-major N x K memory: the
/// library reads it in place through an Eigen::Map (no copy). A non-contiguous tensor (a transpose,
/// a strided slice) is copied once into contiguous memory by contiguous_matrix(); tensors on another
/// device, of another dtype or of another layout are refused with a message naming the argument.
/// Labels are copied into the library's int labels (N ints, next to N x K logits), since torch's
/// labels are int64 and the library's int.

#include <cstdint>
#include <limits>
#include <string>

#include "imbalance/core/eigen.hpp"
#include <torch/types.h>

#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/error.hpp"

namespace imbalance::libtorch {

/// Row-major dynamic matrix: the memory layout of a contiguous 2-D tensor.
template <class Scalar>
using RowMajorMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace detail {

inline std::string shape_of(const torch::Tensor& tensor) {
  std::string shape = "[";
  for (std::int64_t d = 0; d < tensor.dim(); ++d) shape += (d ? ", " : "") + std::to_string(tensor.size(d));
  return shape + "]";
}

// Defined, on the CPU, strided (dense), with `dims` dimensions.
inline void check_cpu_dense(const char* function, const char* argument, const torch::Tensor& tensor,
                            std::int64_t dims) {
  if (!tensor.defined()) imbalance::detail::throw_invalid(function, ": ", argument, " is an undefined tensor");
  if (!tensor.device().is_cpu())
    imbalance::detail::throw_invalid(function, ": ", argument, " is on device ", tensor.device().str(),
                                     "; the library computes on the CPU (move it with .cpu())");
  if (tensor.layout() != torch::kStrided)
    imbalance::detail::throw_invalid(function, ": ", argument, " is a sparse tensor; a dense (strided) one is needed");
  if (tensor.dim() != dims)
    imbalance::detail::throw_invalid(function, ": ", argument, " must have ", dims, " dimension",
                                     dims == 1 ? "" : "s", " (got shape ", shape_of(tensor), ")");
}

inline void check_floating(const char* function, const char* argument, const torch::Tensor& tensor) {
  const auto type = tensor.scalar_type();
  if (type != torch::kFloat && type != torch::kDouble)
    imbalance::detail::throw_invalid(function, ": ", argument, " has dtype ", torch::toString(type),
                                     "; the library computes in float32 or float64");
}

}  // namespace detail

/// The tensor itself when it is contiguous (no copy), otherwise its one contiguous copy; checked:
/// a 2-D float or double CPU tensor with `columns` columns (any number when columns < 0).
inline torch::Tensor contiguous_matrix(const char* function, const char* argument, const torch::Tensor& tensor,
                                       std::int64_t columns = -1) {
  detail::check_cpu_dense(function, argument, tensor, 2);
  detail::check_floating(function, argument, tensor);
  if (columns >= 0 && tensor.size(1) != columns)
    imbalance::detail::throw_invalid(function, ": ", argument, " has ", tensor.size(1), " columns, expected ",
                                     columns);
  return tensor.is_contiguous() ? tensor : tensor.contiguous();
}

/// Read-only Eigen view of a contiguous 2-D CPU tensor of Scalar (float or double): the tensor's own
/// memory, row-major. Throws when the tensor is not contiguous (use contiguous_matrix() first) or
/// its dtype is not Scalar.
template <class Scalar>
Eigen::Map<const RowMajorMatrix<Scalar>> matrix_view(const torch::Tensor& tensor) {
  const char* function = "libtorch::matrix_view()";
  detail::check_cpu_dense(function, "tensor", tensor, 2);
  if (tensor.scalar_type() != torch::CppTypeToScalarType<Scalar>::value)
    imbalance::detail::throw_invalid(function, ": tensor has dtype ", torch::toString(tensor.scalar_type()),
                                     ", the view asks for ", torch::toString(torch::CppTypeToScalarType<Scalar>::value));
  if (!tensor.is_contiguous())
    imbalance::detail::throw_invalid(function, ": tensor of shape ", detail::shape_of(tensor),
                                     " is not contiguous (call .contiguous() or contiguous_matrix())");
  return {tensor.data_ptr<Scalar>(), tensor.size(0), tensor.size(1)};
}

/// Writable Eigen view of a contiguous 2-D CPU tensor of Scalar (the same checks as matrix_view).
template <class Scalar>
Eigen::Map<RowMajorMatrix<Scalar>> mutable_matrix_view(torch::Tensor& tensor) {
  const auto view = matrix_view<Scalar>(tensor);
  return {const_cast<Scalar*>(view.data()), view.rows(), view.cols()};
}

/// The labels of a 1-D integer CPU tensor (int64 as torch makes them, or int32) as the library's int
/// labels; values outside int's range are refused (the losses check 0 <= y < K themselves).
inline Eigen::VectorXi labels_vector(const torch::Tensor& labels, const char* function = "libtorch::labels_vector()") {
  detail::check_cpu_dense(function, "labels", labels, 1);
  const auto type = labels.scalar_type();
  if (type != torch::kLong && type != torch::kInt)
    imbalance::detail::throw_invalid(function, ": labels has dtype ", torch::toString(type),
                                     "; class labels are int64 (torch::kLong) or int32");
  const torch::Tensor as_long = labels.to(torch::kLong).contiguous();
  const std::int64_t* values = as_long.data_ptr<std::int64_t>();
  Eigen::VectorXi out(labels.size(0));
  for (Eigen::Index i = 0; i < out.size(); ++i) {
    if (values[i] < std::numeric_limits<int>::min() || values[i] > std::numeric_limits<int>::max())
      imbalance::detail::throw_invalid(function, ": labels[", i, "] = ", values[i], " is outside int's range");
    out[i] = static_cast<int>(values[i]);
  }
  return out;
}

/// A 1-D CPU tensor of any real or integer dtype (class counts, priors, weights) as a double vector.
inline Eigen::VectorXd vector_of(const torch::Tensor& values, const char* argument = "values") {
  detail::check_cpu_dense("libtorch::vector_of()", argument, values, 1);
  const torch::Tensor as_double = values.to(torch::kDouble).contiguous();
  return Eigen::Map<const Eigen::VectorXd>(as_double.data_ptr<double>(), as_double.size(0));
}

/// n_k, the number of samples of each class 0..K-1 in a 1-D label tensor (what the losses are built
/// from); throws for a label outside [0, num_classes).
inline ClassCounts count_labels(const torch::Tensor& labels, Eigen::Index num_classes) {
  return imbalance::count_labels(labels_vector(labels, "libtorch::count_labels()"), num_classes);
}

/// A copy of an Eigen matrix as a new 2-D CPU tensor of its scalar type (float, double, int -> int32,
/// Eigen::Index -> int64), row-major contiguous.
template <class Derived>
torch::Tensor to_tensor(const Eigen::DenseBase<Derived>& matrix) {
  using Scalar = typename Derived::Scalar;
  torch::Tensor out = torch::empty({static_cast<std::int64_t>(matrix.rows()), static_cast<std::int64_t>(matrix.cols())},
                                   torch::TensorOptions().dtype(torch::CppTypeToScalarType<Scalar>::value));
  Eigen::Map<RowMajorMatrix<Scalar>>(out.data_ptr<Scalar>(), matrix.rows(), matrix.cols()) = matrix.derived();
  return out;
}

/// A copy of an Eigen vector as a new 1-D CPU tensor of its scalar type.
template <class Derived>
torch::Tensor to_tensor_1d(const Eigen::DenseBase<Derived>& vector) {
  using Scalar = typename Derived::Scalar;
  torch::Tensor out = torch::empty({static_cast<std::int64_t>(vector.size())},
                                   torch::TensorOptions().dtype(torch::CppTypeToScalarType<Scalar>::value));
  Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>>(out.data_ptr<Scalar>(), vector.size()) = vector.derived();
  return out;
}

}  // namespace imbalance::libtorch
