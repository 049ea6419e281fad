#pragma once
/// @file
/// Learning-rate schedules with linear warm-up, evaluated per iteration.
///  - Cosine: lr(t) = base 0.5 (1 + cos(pi (t - w) / (T - w))) after the warm-up;
///  - Step: lr = base gamma^(number of milestones <= epoch) after the warm-up (LDAM-DRW: x0.01 at
///    epoch 160, x0.0001 at 180 of 200, i.e. gamma 0.1 at both).
/// Warm-up: lr(t) = base (t + 1) / w for the first w iterations (w = warmup_epochs x iterations per
/// epoch), as LDAM-DRW's linear warm-up over its first 5 epochs.

#include <cmath>
#include <vector>

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Cosine annealing, step decay, or a constant rate.
enum class Schedule { Cosine, Step, Constant };

namespace detail {
/// floor(epochs * 4 / 5) and floor(epochs * 9 / 10) without overflow: LDAM-DRW's 160 and 180 of 200
/// (its DRW switch and step milestones).
inline long four_fifths(long epochs) { return epochs / 5 * 4 + epochs % 5 * 4 / 5; }
inline long nine_tenths(long epochs) { return epochs / 10 * 9 + epochs % 10 * 9 / 10; }
}  // namespace detail

/// Learning-rate schedules with linear warm-up, evaluated per iteration. See imbalance/train/lr_schedule.hpp for the formula, the paper and the defaults.
struct LearningRateSchedule {
  /// The schedule's shape.
  Schedule schedule = Schedule::Cosine;
  /// Base learning rate.
  double base = 0.1;
  /// Epochs of linear warm-up: lr = base (t + 1) / w over the first w iterations.
  long warmup_epochs = 0;
  /// Step schedule: epochs (0-based) at which the rate is multiplied by gamma.
  std::vector<long> milestones;
  /// Step decay factor.
  double gamma = 0.1;

  /// Throws for impossible settings, naming `function`.
  void validate(const char* function) const {
    check_positive(function, "learning_rate", base);
    if (warmup_epochs < 0) detail::throw_invalid(function, ": warmup_epochs must be >= 0 (got ", warmup_epochs, ")");
    check_positive(function, "step_gamma", gamma);
  }

  /// The rate of iteration `iteration` (0-based) of epoch `epoch`, with `per_epoch` iterations per
  /// epoch and `epochs` epochs in all.
  double rate(long epoch, long iteration, long per_epoch, long epochs) const {
    const double t = static_cast<double>(epoch) * static_cast<double>(per_epoch) + static_cast<double>(iteration);
    const double warmup = static_cast<double>(warmup_epochs) * static_cast<double>(per_epoch);
    if (t < warmup) return base * (t + 1.0) / warmup;
    switch (schedule) {
      case Schedule::Constant: return base;
      case Schedule::Step: {
        double rate = base;
        for (long m : milestones)
          if (epoch >= m) rate *= gamma;
        return rate;
      }
      case Schedule::Cosine: {
        const double total = static_cast<double>(epochs) * static_cast<double>(per_epoch);
        if (total <= warmup) return base;
        return base * 0.5 * (1.0 + std::cos(3.14159265358979323846 * (t - warmup) / (total - warmup)));
      }
    }
    return base;
  }
};

}  // namespace imbalance
