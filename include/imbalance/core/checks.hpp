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
#include <algorithm>
#include <cstddef>
#include <limits>
#include <new>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

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

/// a + b for counts, or a throw naming what the sum counts when it would overflow.
inline Eigen::Index checked_add(const char* function, const char* what, Eigen::Index a, Eigen::Index b) {
  constexpr Eigen::Index max = std::numeric_limits<Eigen::Index>::max(), min = std::numeric_limits<Eigen::Index>::min();
  if ((b > 0 && a > max - b) || (b < 0 && a < min - b))
    detail::throw_invalid(function, ": ", what, " overflows (", a, " + ", b, " is outside [", min, ", ", max, "])");
  return a + b;
}

/// a * b for non-negative counts, or a throw naming what the product counts when it would overflow.
inline Eigen::Index checked_multiply(const char* function, const char* what, Eigen::Index a, Eigen::Index b) {
  constexpr Eigen::Index max = std::numeric_limits<Eigen::Index>::max();
  if (a < 0 || b < 0) detail::throw_invalid(function, ": ", what, " is negative (", a, " * ", b, ")");
  if (a != 0 && b > max / a)
    detail::throw_invalid(function, ": ", what, " overflows (", a, " * ", b, " exceeds ", max, ")");
  return a * b;
}

/// A double that must be a count (rounded towards zero), or a throw: the cast of a NaN or of a value
/// outside the integer range is undefined behaviour in C++, so it is never attempted.
inline Eigen::Index to_count(const char* function, const char* what, double value) {
  // 2^63 is exactly representable; every double below it converts.
  constexpr double limit = 9223372036854775808.0;
  if (!(std::isfinite(value) && value > -limit && value < limit))
    detail::throw_invalid(function, ": ", what, " (", value, ") is not a representable count");
  return static_cast<Eigen::Index>(value);
}

/// Throws unless an output of rows x cols values of `bytes_per_value` bytes can be addressed; the
/// allocation itself may still fail, which callers report through allocation_guard.
inline void check_allocatable(const char* function, const char* what, Eigen::Index rows, Eigen::Index cols,
                              std::size_t bytes_per_value) {
  if (rows < 0 || cols < 0) detail::throw_invalid(function, ": ", what, " has negative size ", rows, "x", cols);
  const Eigen::Index values = checked_multiply(function, what, rows, std::max<Eigen::Index>(cols, 1));
  const auto limit = static_cast<Eigen::Index>(static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max()) /
                                               bytes_per_value);
  if (values > limit)
    detail::throw_invalid(function, ": ", what, " would need ", rows, " x ", cols, " values, more than can be addressed");
}

/// Runs `allocate` and turns std::bad_alloc into an invalid_argument that says how much was asked.
template <class Allocate>
void allocation_guard(const char* function, const char* what, Eigen::Index rows, Eigen::Index cols,
                      std::size_t bytes_per_value, Allocate&& allocate) {
  check_allocatable(function, what, rows, cols, bytes_per_value);
  try {
    allocate();
  } catch (const std::bad_alloc&) {
    const double gib = static_cast<double>(rows) * static_cast<double>(std::max<Eigen::Index>(cols, 1)) *
                       static_cast<double>(bytes_per_value) / (1024.0 * 1024.0 * 1024.0);
    detail::throw_invalid(function, ": ", what, " of ", rows, " x ", cols, " values (", gib,
                          " GiB) cannot be allocated");
  }
}

}  // namespace imbalance
