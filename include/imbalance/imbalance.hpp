#pragma once
/// @file
/// Includes every public header of imbalance except imbalance/report.hpp (which needs fmt).

#include "imbalance/version.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/random.hpp"
