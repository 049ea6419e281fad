#pragma once
/// @file
/// NumPy's percentile (method 'linear'), which imbalanced-learn and scikit-learn use for thresholds.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace imbalance {
namespace detail {

/// NumPy's percentile (method 'linear') of non-empty `values` at q in [0, 100].
inline double percentile_linear(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q / 100 * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double t = position - static_cast<double>(below), a = values[below], b = values[above];
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;  // NumPy's _lerp
}

}  // namespace detail
}  // namespace imbalance
