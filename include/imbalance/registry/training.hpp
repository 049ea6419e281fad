#pragma once
/// @file
/// The registries of the trainer's choices: batch samplers, learning-rate schedules, heads and
/// post-hoc corrections, each by name with its options (defaults from the options structs).
///
/// | registry        | names                                           | options           |
/// |-----------------|-------------------------------------------------|-------------------|
/// | batch samplers  | instance, class, sqrt, power, progressive       | q (power)         |
/// | schedules       | cosine, step (x gamma at 80 % and 90 %), constant | gamma (step)    |
/// | heads           | linear, cosine                                  |                   |
/// | post-hoc        | none, la (logit adjustment), tau-norm           | tau               |

#include <functional>
#include <limits>
#include <optional>
#include <string>

#include <Eigen/Core>

#include "imbalance/core/argmax.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/sampling/batch_sampler.hpp"
#include "imbalance/train/lr_schedule.hpp"
#include "imbalance/train/softmax_regression.hpp"

namespace imbalance {

/// A batch sampler for `epochs` epochs; empty means plain shuffling.
using BatchSamplerFactory = std::function<std::optional<BatchSamplerOptions>(const OptionValues&, long epochs)>;
/// Sets the schedule of `schedule` (its base rate and warm-up are the caller's) for `epochs` epochs.
using ScheduleFactory = std::function<void(const OptionValues&, long epochs, LearningRateSchedule& schedule)>;
using HeadFactory = std::function<Head(const OptionValues&)>;

/// What a post-hoc correction is applied to: a trained model, the features to predict and the
/// training class counts.
struct PostHocContext {
  const SoftmaxRegression& model;
  const Eigen::MatrixXd& features;
  const Eigen::VectorXd& class_counts;
};
/// Predicted classes after the correction.
using PostHocFactory = std::function<Eigen::VectorXi(const OptionValues&, const PostHocContext&)>;

namespace detail {

inline Registry<BatchSamplerFactory> builtin_batch_samplers() {
  Registry<BatchSamplerFactory> registry("batch sampler");
  auto fixed = [](BatchSampling sampling) {
    return [sampling](const OptionValues&, long) -> std::optional<BatchSamplerOptions> {
      BatchSamplerOptions o;
      o.sampling = sampling;
      return o;
    };
  };
  registry.add({"instance", "a shuffled permutation per epoch (every sample once)", {},
                [](const OptionValues&, long) -> std::optional<BatchSamplerOptions> { return std::nullopt; }});
  registry.add({"class", "class-balanced: p_j = 1 / K", {}, fixed(BatchSampling::ClassBalanced)});
  registry.add({"sqrt", "square-root: p_j proportional to sqrt(n_j)", {}, fixed(BatchSampling::SquareRoot)});
  const BatchSamplerOptions defaults;
  registry.add({"power", "p_j proportional to n_j^q",
                {OptionSpec::real("q", "exponent q of the power sampler", defaults.q,
                                  -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, long) -> std::optional<BatchSamplerOptions> {
                  BatchSamplerOptions o;
                  o.sampling = BatchSampling::Power;
                  v.assign("q", o.q);
                  return o;
                }});
  registry.add({"progressive", "from instance- to class-balanced over the epochs (Kang et al. 2020)", {},
                [](const OptionValues&, long epochs) -> std::optional<BatchSamplerOptions> {
                  BatchSamplerOptions o;
                  o.sampling = BatchSampling::Progressive;
                  o.total_epochs = epochs;
                  return o;
                }});
  return registry;
}

inline Registry<ScheduleFactory> builtin_schedules() {
  Registry<ScheduleFactory> registry("schedule");
  registry.add({"cosine", "cosine decay after the warm-up", {},
                [](const OptionValues&, long, LearningRateSchedule& s) { s.schedule = Schedule::Cosine; }});
  const LearningRateSchedule defaults;
  registry.add({"step", "x gamma at 80 % and at 90 % of the epochs (LDAM-DRW's 160 and 180 of 200)",
                {OptionSpec::real("gamma", "factor of each step, > 0", defaults.gamma, 0)},
                [](const OptionValues& v, long epochs, LearningRateSchedule& s) {
                  s.schedule = Schedule::Step;
                  s.milestones = {four_fifths(epochs), nine_tenths(epochs)};
                  v.assign("gamma", s.gamma);
                }});
  registry.add({"constant", "the base rate throughout (after the warm-up)", {},
                [](const OptionValues&, long, LearningRateSchedule& s) { s.schedule = Schedule::Constant; }});
  return registry;
}

inline Registry<HeadFactory> builtin_heads() {
  Registry<HeadFactory> registry("head");
  registry.add({"linear", "Z = X W + b", {}, [](const OptionValues&) { return Head::Linear; }});
  registry.add({"cosine", "Z = X^ W^, unit rows and columns (LDAM-DRW's official NormedLinear)", {},
                [](const OptionValues&) { return Head::Cosine; }});
  return registry;
}

inline Registry<PostHocFactory> builtin_posthoc() {
  Registry<PostHocFactory> registry("post-hoc correction");
  registry.add({"none", "the model's own prediction", {},
                [](const OptionValues&, const PostHocContext& c) { return c.model.predict(c.features); }});
  const PostHocLogitAdjustmentOptions la;
  registry.add({"la", "post-hoc logit adjustment: argmax z - tau log pi (Menon et al. 2021)",
                {OptionSpec::real("tau", "strength tau", la.tau, -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const PostHocContext& c) {
                  PostHocLogitAdjustmentOptions o;
                  v.assign("tau", o.tau);
                  return PostHocLogitAdjustment(c.class_counts, o).predict(c.model.logits(c.features));
                }});
  const TauNormalizationOptions tau_norm;
  registry.add({"tau-norm", "tau-normalised linear classifier (Kang et al. 2020); needs the linear head",
                {OptionSpec::real("tau", "strength tau", tau_norm.tau, -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const PostHocContext& c) {
                  if (c.model.head() != Head::Linear)
                    throw_invalid("post-hoc tau-norm needs the linear head, not the cosine one");
                  TauNormalizationOptions o;
                  v.assign("tau", o.tau);
                  return argmax_rows(tau_normalized_logits(c.features, c.model.weights(), o.tau));
                }});
  return registry;
}

}  // namespace detail

/// The registries of the trainer's choices, filled on first use; add() extends them.
inline Registry<BatchSamplerFactory>& batch_sampler_registry() {
  static Registry<BatchSamplerFactory> registry = detail::builtin_batch_samplers();
  return registry;
}
inline Registry<ScheduleFactory>& schedule_registry() {
  static Registry<ScheduleFactory> registry = detail::builtin_schedules();
  return registry;
}
inline Registry<HeadFactory>& head_registry() {
  static Registry<HeadFactory> registry = detail::builtin_heads();
  return registry;
}
inline Registry<PostHocFactory>& posthoc_registry() {
  static Registry<PostHocFactory> registry = detail::builtin_posthoc();
  return registry;
}

}  // namespace imbalance
