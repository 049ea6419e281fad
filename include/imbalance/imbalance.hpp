#pragma once
/// @file
/// Includes every public header of imbalance except imbalance/report.hpp (which needs fmt).

#include "imbalance/version.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/random.hpp"

#include "imbalance/losses/class_balanced_weights.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/softmax_loss.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/focal.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "imbalance/losses/balanced_softmax.hpp"
#include "imbalance/losses/vs.hpp"
#include "imbalance/losses/sigmoid_loss.hpp"
#include "imbalance/losses/sigmoid_focal.hpp"
#include "imbalance/losses/class_balanced_focal.hpp"

#include "imbalance/metrics/confusion_matrix.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/metrics/shot_accuracy.hpp"
#include "imbalance/metrics/top_k.hpp"
#include "imbalance/metrics/calibration.hpp"
#include "imbalance/metrics/classification_report.hpp"

#include "imbalance/posthoc/threshold_moving.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/posthoc/learnable_weight_scaling.hpp"
#include "imbalance/posthoc/binary_threshold.hpp"
#include "imbalance/posthoc/tuning.hpp"
