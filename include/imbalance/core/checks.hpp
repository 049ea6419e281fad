#pragma once
/// @file
/// Input checks run before any kernel. Eigen's own assertions vanish under NDEBUG, so every public
/// entry point validates shapes, labels, finiteness and options itself and throws:
///  - imbalance::invalid_argument for shapes, emptiness, non-finite values and options;
///  - imbalance::out_of_range for labels outside [0, K).
/// The first argument of each check is the calling function ("FocalLoss::value()"), the second the
/// argument's name; both appear in the message together with the offending value.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <Eigen/Core>

#include "imbalance/core/error.hpp"

namespace imbalance {

/// Throws unless size > 0.
inline void check_non_empty(const char* function, const char* argument, Eigen::Index size) {
  if (size <= 0) detail::throw_invalid(function, ": ", argument, " must not be empty (size ", size, ")");
}

/// Throws unless two arguments have the same number of rows (samples).
inline void check_same_length(const char* function, const char* argument_a, Eigen::Index length_a,
                              const char* argument_b, Eigen::Index length_b) {
  if (length_a != length_b)
    detail::throw_invalid(function, ": ", argument_a, " has length ", length_a, " but ", argument_b, " has length ",
                          length_b);
}

/// Throws unless the matrix is rows x cols; a negative expected size means "any".
inline void check_shape(const char* function, const char* argument, Eigen::Index rows, Eigen::Index cols,
                        Eigen::Index expected_rows, Eigen::Index expected_cols) {
  const bool rows_ok = expected_rows < 0 || rows == expected_rows;
  const bool cols_ok = expected_cols < 0 || cols == expected_cols;
  if (!rows_ok || !cols_ok) {
    detail::throw_invalid(function, ": ", argument, " has shape ", rows, "x", cols, " but ",
                          expected_rows < 0 ? std::string("any") : std::to_string(expected_rows), "x",
                          expected_cols < 0 ? std::string("any") : std::to_string(expected_cols), " is required");
  }
}

/// Throws unless every coefficient is finite; names the first offending (row, col) and its value.
template <class Derived>
void check_finite(const char* function, const char* argument, const Eigen::DenseBase<Derived>& values) {
  if (values.derived().allFinite()) return;  // vectorised fast path; locate the culprit only on failure
  for (Eigen::Index j = 0; j < values.cols(); ++j)
    for (Eigen::Index i = 0; i < values.rows(); ++i) {
      const auto v = values.coeff(i, j);
      if (!std::isfinite(static_cast<double>(v)))
        detail::throw_invalid(function, ": ", argument, "(", i, ", ", j, ") is not finite (", v, ")");
    }
}

/// Throws imbalance::out_of_range unless every label lies in [0, num_classes).
template <class Derived>
void check_labels(const char* function, const char* argument, const Eigen::DenseBase<Derived>& labels,
                  Eigen::Index num_classes) {
  static_assert(std::is_integral<typename Derived::Scalar>::value,
                "imbalance: labels must be an Eigen vector of an integer type (e.g. Eigen::VectorXi)");
  if (labels.rows() != 1 && labels.cols() != 1 && labels.size() != 0)
    detail::throw_invalid(function, ": ", argument, " must be a vector (shape ", labels.rows(), "x", labels.cols(),
                          ")");
  for (Eigen::Index i = 0; i < labels.size(); ++i) {
    const auto label = static_cast<long long>(labels.derived().coeff(i));
    if (label < 0 || label >= static_cast<long long>(num_classes))
      detail::throw_out_of_range(function, ": ", argument, "[", i, "] = ", label, " is out of range [0, ",
                                 num_classes, ")");
  }
}

/// Throws unless value is finite.
inline void check_finite_scalar(const char* function, const char* argument, double value) {
  if (!std::isfinite(value)) detail::throw_invalid(function, ": ", argument, " must be finite (got ", value, ")");
}

/// Throws unless value is finite and > 0.
inline void check_positive(const char* function, const char* argument, double value) {
  if (!(std::isfinite(value) && value > 0))
    detail::throw_invalid(function, ": ", argument, " must be finite and > 0 (got ", value, ")");
}

/// Throws unless value is finite and >= 0.
inline void check_non_negative(const char* function, const char* argument, double value) {
  if (!(std::isfinite(value) && value >= 0))
    detail::throw_invalid(function, ": ", argument, " must be finite and >= 0 (got ", value, ")");
}

/// Throws unless lo <= value <= hi (and value is not NaN).
inline void check_in_range(const char* function, const char* argument, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    detail::throw_invalid(function, ": ", argument, " must lie in [", lo, ", ", hi, "] (got ", value, ")");
}

}  // namespace imbalance
