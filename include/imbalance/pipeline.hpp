#pragma once
/// @file
/// The training pipeline: validation split, standardisation, cleaning and resampling steps,
/// training (supervised or weakly supervised), stage 2, tuning and the decision rule as library
/// objects a program composes (pipeline/training_pipeline.hpp). Kept out of imbalance/imbalance.hpp:
/// it compiles the trainer in both arithmetics and every weak-supervision method.

#include "imbalance/pipeline/decision.hpp"
#include "imbalance/pipeline/resample_step.hpp"
#include "imbalance/pipeline/search.hpp"
#include "imbalance/pipeline/stage2.hpp"
#include "imbalance/pipeline/training_pipeline.hpp"
