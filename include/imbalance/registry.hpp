#pragma once
/// @file
/// The name registry: every method of the library reached by name with its typed options (losses,
/// resamplers, heads, batch samplers, schedules, post-hoc corrections, stage-2 recipes), for
/// command lines, configuration files and model searches (the method space: registry/search_space.hpp).
/// Kept out of imbalance/imbalance.hpp:
/// its rows instantiate every method (imbalance::compiled holds them compiled once).

#include "imbalance/registry/losses.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/registry/resamplers.hpp"
#include "imbalance/registry/search_space.hpp"
#include "imbalance/registry/training.hpp"
