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
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/heads/causal_norm.hpp"
#include "imbalance/heads/nearest_class_mean.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/posthoc/learnable_weight_scaling.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/train/batch_sampler.hpp"
#include "imbalance/train/lr_schedule.hpp"
#include "imbalance/train/softmax_regression.hpp"

namespace imbalance {

/// A batch sampler for `epochs` epochs; empty means plain shuffling.
using BatchSamplerFactory = std::function<std::optional<BatchSamplerOptions>(const OptionValues&, long epochs)>;
/// Sets the schedule of `schedule` (its base rate and warm-up are the caller's) for `epochs` epochs.
using ScheduleFactory = std::function<void(const OptionValues&, long epochs, LearningRateSchedule& schedule)>;
/// Chooses the classifier head from option values.
using HeadFactory = std::function<HeadType(const OptionValues&)>;

/// What a post-hoc correction is applied to: a trained model, the features to predict and the
/// training class counts.
struct PostHocContext {
  /// The trained model.
  const SoftmaxRegression& model;
  /// The training features.
  const Eigen::MatrixXd& features;
  /// The training class counts.
  const Eigen::VectorXd& class_counts;
};
/// Predicted classes after the correction.
using PostHocFactory = std::function<Eigen::VectorXi(const OptionValues&, const PostHocContext&)>;

/// What a stage-2 recipe of decoupled learning (Kang et al. 2020) works from: the stage-1 model (its
/// representation is frozen), its training data and the options it was trained with.
struct Stage2Context {
  /// The first stage's model.
  const SoftmaxRegression& model;
  /// The training features.
  const Eigen::MatrixXd& train_x;
  /// The training labels.
  const Eigen::VectorXi& train_y;
  /// The trainer's settings.
  const TrainerOptions& trainer;
  /// The arithmetic stage 1 trained in (a re-trained head trains in it too).
  Precision precision = Precision::Double;
};
/// The stage-2 classifier: logits (N x K) of input rows X (raw, as the stage-1 model takes them).
using Stage2Classifier = std::function<Eigen::MatrixXd(const Eigen::MatrixXd& X)>;
/// Builds the second stage from option values and the context.
using Stage2Factory = std::function<Stage2Classifier(const OptionValues&, const Stage2Context&)>;

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
                {OptionSpec::real("tau", "strength tau", la.tau, -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const PostHocContext& c) {
                  PostHocLogitAdjustmentOptions o;
                  v.assign("tau", o.tau);
                  return PostHocLogitAdjustment(c.class_counts, o).predict(c.model.logits(c.features));
                }});
  const TauNormalizationOptions tau_norm;
  registry.add({"tau-norm", "tau-normalised linear classifier (Kang et al. 2020); needs the linear head",
                {OptionSpec::real("tau", "strength tau, >= 0 (0: unchanged, 1: unit-length class vectors)", tau_norm.tau, 0)},
                [](const OptionValues& v, const PostHocContext& c) {
                  if (c.model.head() != HeadType::of<LinearHead>())
                    throw_invalid("post-hoc tau-norm needs the linear head, not the cosine one");
                  TauNormalizationOptions o;
                  v.assign("tau", o.tau);
                  return argmax_rows(tau_normalized_logits(c.features, c.model.weights(), o.tau));
                }});
  return registry;
}

// cRT (Kang et al. 2020): a linear head re-initialised and trained on the frozen features with
// class-balanced sampling and cross-entropy, the other stage-1 options kept.
template <class Model>
Model retrained_head(const OptionValues& v, const Stage2Context& c) {
  TrainerOptions options = c.trainer;
  options.hidden_units = 0;
  options.head = HeadType::of<LinearHead>();
  BatchSamplerOptions balanced;
  balanced.sampling = BatchSampling::ClassBalanced;
  options.sampler = balanced;
  options.on_epoch = nullptr;
  v.assign("epochs", options.epochs);
  Model head;
  const CrossEntropyLoss loss(c.model.num_classes());
  if (c.precision == Precision::Float)
    head.template fit<float>(c.model.features(c.train_x), c.train_y, loss, options);
  else
    head.template fit<double>(c.model.features(c.train_x), c.train_y, loss, options);
  return head;
}

// A template (instantiated for void only) whose factories use the model through a type that depends
// on the template parameter: including this header then compiles none of the stage-2 recipes (they
// train and fit models: tens of seconds of -O3 compile time), only calling stage2_registry() does.
template <class Void = void>
Registry<Stage2Factory> builtin_stage2() {
  using Model = std::conditional_t<std::is_void<Void>::value, SoftmaxRegression, Void>;
  Registry<Stage2Factory> registry("stage-2 classifier");
  registry.add({"none", "the stage-1 classifier", {}, [](const OptionValues&, const Stage2Context& c) -> Stage2Classifier {
                  const Model model = c.model;
                  return [model](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(model.logits(X)); };
                }});
  registry.add({"crt", "classifier re-training: a new linear head on the frozen features, class-balanced sampling",
                {OptionSpec::integer("epochs", "epochs of the re-training, >= 1", 0, 1).derived("the stage-1 epochs")},
                [](const OptionValues& v, const Stage2Context& c) -> Stage2Classifier {
                  Model model = c.model;
                  const Model head = retrained_head<Model>(v, c);
                  model.set_head(head.weights(), head.bias(), HeadType::of<LinearHead>());
                  return [model](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(model.logits(X)); };
                }});
  const TauNormalizationOptions tau_norm;
  registry.add({"tau-norm", "tau-normalised stage-1 classifier, bias dropped; needs the linear head",
                {OptionSpec::real("tau", "strength tau, >= 0 (0: unchanged, 1: unit-length class vectors)", tau_norm.tau, 0)},
                [](const OptionValues& v, const Stage2Context& c) -> Stage2Classifier {
                  if (c.model.head() != HeadType::of<LinearHead>())
                    throw_invalid("stage 2 tau-norm needs the linear head (it rescales the linear classifier's vectors)");
                  TauNormalizationOptions o;
                  v.assign("tau", o.tau);
                  const Model model = c.model;
                  return [model, o](const Eigen::MatrixXd& X) {
                    return tau_normalized_logits(model.features(X), model.weights(), o.tau);
                  };
                }});
  registry.add({"lws", "learnable weight scaling of the stage-1 logits, inverse-frequency weighted CE", {},
                [](const OptionValues&, const Stage2Context& c) -> Stage2Classifier {
                  const Model model = c.model;
                  const auto scaling = LearnableWeightScaling::fit(model.logits(c.train_x), c.train_y);
                  return [model, scaling](const Eigen::MatrixXd& X) { return scaling.logits(model.logits(X)); };
                }});
  auto ncm = [](NearestClassMeanOptions::Metric metric) {
    return [metric](const OptionValues&, const Stage2Context& c) -> Stage2Classifier {
      const Model model = c.model;
      NearestClassMeanOptions o;
      o.metric = metric;
      const auto classifier = NearestClassMean::fit(model.features(c.train_x), c.train_y, model.num_classes(), o);
      return [model, classifier](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(classifier.logits(model.features(X))); };
    };
  };
  registry.add({"ncm", "nearest class mean of the centred, normalised features (Euclidean)", {},
                ncm(NearestClassMeanOptions::Metric::Euclidean)});
  registry.add({"ncm-cosine", "nearest class mean of the centred, normalised features (cosine)", {},
                ncm(NearestClassMeanOptions::Metric::Cosine)});
  const CausalNormOptions causal;
  registry.add({"tde", "TDE: causal-norm logits without the mean-feature direction (Tang et al. 2020); linear or "
                       "cosine head",
                {OptionSpec::real("alpha", "strength of the removed effect", causal.alpha,
                                  -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const Stage2Context& c) -> Stage2Classifier {
                  if (c.model.head() == HeadType::of<EtfHead>()) throw_invalid("stage 2 tde needs a linear or cosine head, not etf");
                  CausalNormOptions o;
                  o.heads = 1;  // any feature width; the official 2 needs an even one
                  v.assign("alpha", o.alpha);
                  const Model model = c.model;
                  // The moving average of the training features points along their mean (only its
                  // direction matters to TDE).
                  const Eigen::RowVectorXd average = model.features(c.train_x).colwise().mean();
                  return [model, o, average](const Eigen::MatrixXd& X) {
                    return tde_logits(model.features(X), model.weights(), average, o);
                  };
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
/// (A template only so that merely including this header compiles none of the stage-2 recipes; call
/// it as stage2_registry().)
template <class Void = void>
Registry<Stage2Factory>& stage2_registry() {
  static Registry<Stage2Factory> registry = detail::builtin_stage2<Void>();
  return registry;
}

}  // namespace imbalance
