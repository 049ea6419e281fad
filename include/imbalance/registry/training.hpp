#pragma once
/// @file
/// The registries of the trainer's choices: batch samplers, learning-rate schedules, heads and
/// post-hoc corrections, each by name with its options (defaults from the options structs).
///
/// | registry        | names                                           | options           |
/// |-----------------|-------------------------------------------------|-------------------|
/// | batch samplers  | instance, class, sqrt, power, progressive       | q (power)         |
/// | schedules       | cosine, step (x gamma at 80 % and 90 %), constant | gamma (step)    |
/// | heads           | linear, cosine, etf                             |                   |
/// | post-hoc        | none, la (logit adjustment), tau-norm           | tau               |
/// | stage 2         | none, crt, tau-norm, lws, ncm, ncm-cosine, tde  | epochs, tau, alpha|

#include <functional>
#include <limits>
#include <optional>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/pipeline/decision.hpp"
#include "imbalance/pipeline/stage2.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/train/batch_sampler.hpp"
#include "imbalance/train/lr_schedule.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// A batch sampler for `epochs` epochs; empty means plain shuffling.
using BatchSamplerFactory = std::function<std::optional<BatchSamplerOptions>(const OptionValues&, long epochs)>;
/// Sets the schedule of `schedule` (its base rate and warm-up are the caller's) for `epochs` epochs.
using ScheduleFactory = std::function<void(const OptionValues&, long epochs, LearningRateSchedule& schedule)>;
/// Chooses the classifier head from option values.
using HeadFactory = std::function<HeadType(const OptionValues&)>;

/// Predicted classes after the correction (PostHocContext: pipeline/decision.hpp).
using PostHocFactory = std::function<Eigen::VectorXi(const OptionValues&, const PostHocContext&)>;
/// Builds the second stage from option values and the context (Stage2Context, Stage2Classifier and
/// the recipes: pipeline/stage2.hpp).
using Stage2Factory = std::function<Stage2Classifier(const OptionValues&, const Stage2Context&)>;

/// The named post-hoc correction as a pipeline's decision.
PostHocCorrection posthoc_correction(const std::string& name, const OptionValues& values);
/// The named stage-2 recipe as a pipeline's stage.
Stage2 stage2_recipe(const std::string& name, const OptionValues& values);

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
                                  -std::numeric_limits<double>::infinity())
                     .searched(SearchRange::among({0.25, 0.5, 0.75}))},
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
  registry.add({"linear", "Z = X W + b", {}, [](const OptionValues&) { return HeadType::of<LinearHead>(); }});
  registry.add({"cosine", "Z = X^ W^, unit rows and columns (LDAM-DRW's official NormedLinear)", {},
                [](const OptionValues&) { return HeadType::of<CosineHead>(); }});
  registry.add({"etf", "fixed simplex ETF behind a learnable projection, dot-regression loss (Yang et al. 2022)", {},
                [](const OptionValues&) { return HeadType::of<EtfHead>(); }});
  return registry;
}

inline Registry<PostHocFactory> builtin_posthoc() {
  Registry<PostHocFactory> registry("post-hoc correction");
  registry.add({"none", "the model's own prediction", {},
                [](const OptionValues&, const PostHocContext& c) { return c.model.predict(c.features); }});
  const PostHocLogitAdjustmentOptions la;
  registry.add({"la", "post-hoc logit adjustment: argmax z - tau log pi (Menon et al. 2021)",
                {OptionSpec::real("tau", "strength tau", la.tau, -std::numeric_limits<double>::infinity())
                     .searched(SearchRange::among({0.5, 1.0, 1.5}))},
                [](const OptionValues& v, const PostHocContext& c) {
                  PostHocLogitAdjustmentOptions o;
                  v.assign("tau", o.tau);
                  return posthoc_logit_adjustment(o.tau)(c);
                }});
  const TauNormalizationOptions tau_norm;
  registry.add({"tau-norm", "tau-normalised linear classifier (Kang et al. 2020); needs the linear head",
                {OptionSpec::real("tau", "strength tau, >= 0 (0: unchanged, 1: unit-length class vectors)", tau_norm.tau, 0)
                     .searched(SearchRange::among({0.5, 1.0}))},
                [](const OptionValues& v, const PostHocContext& c) {
                  TauNormalizationOptions o;
                  v.assign("tau", o.tau);
                  return posthoc_tau_norm(o.tau)(c);
                }});
  return registry;
}

inline Registry<Stage2Factory> builtin_stage2() {
  Registry<Stage2Factory> registry("stage-2 classifier");
  registry.add({"none", "the stage-1 classifier", {},
                [](const OptionValues&, const Stage2Context& c) { return stage1_classifier(c.model); }});
  registry.add({"crt", "classifier re-training: a new linear head on the frozen features, class-balanced sampling",
                {OptionSpec::integer("epochs", "epochs of the re-training, >= 1", 0, 1).derived("the stage-1 epochs")},
                [](const OptionValues& v, const Stage2Context& c) {
                  ClassifierRetraining recipe;
                  v.assign("epochs", recipe.epochs);
                  return recipe(c);
                }});
  const TauNormalizationOptions tau_norm;
  registry.add({"tau-norm", "tau-normalised stage-1 classifier, bias dropped; needs the linear head",
                {OptionSpec::real("tau", "strength tau, >= 0 (0: unchanged, 1: unit-length class vectors)", tau_norm.tau, 0)
                     .searched(SearchRange::among({0.5, 1.0}))},
                [](const OptionValues& v, const Stage2Context& c) {
                  TauNormalizedClassifier recipe;
                  v.assign("tau", recipe.tau);
                  return recipe(c);
                }});
  registry.add({"lws", "learnable weight scaling of the stage-1 logits, inverse-frequency weighted CE", {},
                [](const OptionValues&, const Stage2Context& c) { return WeightScaledClassifier{}(c); }});
  registry.add({"ncm", "nearest class mean of the centred, normalised features (Euclidean)", {},
                [](const OptionValues&, const Stage2Context& c) {
                  return NearestClassMeanClassifier{NearestClassMeanOptions::Metric::Euclidean}(c);
                }});
  registry.add({"ncm-cosine", "nearest class mean of the centred, normalised features (cosine)", {},
                [](const OptionValues&, const Stage2Context& c) {
                  return NearestClassMeanClassifier{NearestClassMeanOptions::Metric::Cosine}(c);
                }});
  const CausalNormOptions causal;
  registry.add({"tde", "TDE: causal-norm logits without the mean-feature direction (Tang et al. 2020); linear or "
                       "cosine head",
                {OptionSpec::real("alpha", "strength of the removed effect", causal.alpha,
                                  -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const Stage2Context& c) {
                  CausalNormClassifier recipe;
                  v.assign("alpha", recipe.alpha);
                  return recipe(c);
                }});
  return registry;
}

}  // namespace detail

/// The registries of the trainer's choices, filled on first use; add() extends them.
inline Registry<BatchSamplerFactory>& batch_sampler_registry() {
  static Registry<BatchSamplerFactory> registry = detail::builtin_batch_samplers();
  return registry;
}
/// The learning-rate schedules by name.
inline Registry<ScheduleFactory>& schedule_registry() {
  static Registry<ScheduleFactory> registry = detail::builtin_schedules();
  return registry;
}
/// The classifier heads by name.
inline Registry<HeadFactory>& head_registry() {
  static Registry<HeadFactory> registry = detail::builtin_heads();
  return registry;
}
/// The post-hoc corrections by name.
inline Registry<PostHocFactory>& posthoc_registry() {
  static Registry<PostHocFactory> registry = detail::builtin_posthoc();
  return registry;
}
/// The stage-2 recipes of decoupled learning by name.
inline Registry<Stage2Factory>& stage2_registry() {
  static Registry<Stage2Factory> registry = detail::builtin_stage2();
  return registry;
}

inline PostHocCorrection posthoc_correction(const std::string& name, const OptionValues& values) {
  const Registry<PostHocFactory>& registry = posthoc_registry();
  registry.check(name, values);
  if (name == "none") return {};
  return {name, [make = registry.at(name).make, values](const PostHocContext& c) { return make(values, c); }};
}

inline Stage2 stage2_recipe(const std::string& name, const OptionValues& values) {
  const Registry<Stage2Factory>& registry = stage2_registry();
  registry.check(name, values);
  return {name, [make = registry.at(name).make, values](const Stage2Context& c) { return make(values, c); }};
}

}  // namespace imbalance
