#pragma once
/// @file
/// How a per-sample loss is reduced to the value a loss returns.

#include <string>
#include <string_view>

#include "imbalance/core/error.hpp"

namespace imbalance {

/// Reduction of per-sample losses l_i.
///  - None: the per-sample vector; gradients are those of sum_i l_i.
///  - Mean: the loss's own normaliser (1/N, or PyTorch's 1/sum_i w_{y_i} for weighted losses).
///  - Sum:  sum_i l_i.
enum class Reduction { None, Mean, Sum };

/// What a weighted Reduction::Mean divides by.
///  - WeightSum: sum_i w_{y_i}, PyTorch's weighted mean (CrossEntropyLoss(weight=w), reduction='mean');
///    equal to N when there are no class weights.
///  - BatchSize: N, the official class-balanced TensorFlow code (SUM_BY_NONZERO_WEIGHTS with all
///    weights > 0).
enum class Normalizer { WeightSum, BatchSize };

/// "none", "mean" or "sum".
inline const char* to_string(Reduction r) noexcept {
  switch (r) {
    case Reduction::None: return "none";
    case Reduction::Mean: return "mean";
    case Reduction::Sum: return "sum";
  }
  return "unknown";
}

/// Parses "none", "mean" or "sum"; throws imbalance::invalid_argument otherwise.
inline Reduction parse_reduction(std::string_view text) {
  if (text == "none") return Reduction::None;
  if (text == "mean") return Reduction::Mean;
  if (text == "sum") return Reduction::Sum;
  detail::throw_invalid("parse_reduction(): text must be one of none, mean, sum (got \"", std::string(text),
                        "\")");
}

}  // namespace imbalance
