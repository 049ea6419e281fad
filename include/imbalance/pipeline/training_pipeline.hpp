#pragma once
/// @file
/// The multi-stage recipe of learning from imbalanced data as one library object (imbalanced-learn's
/// Pipeline idea, resamplers then an estimator, carried through the long-tailed literature's stages):
///
///   1. validation split: a stratified, seeded fraction of every class held out for tuning;
///   2. standardisation on the training part (z-scores; applied to every later input);
///   3. cleaning steps (e.g. LocalOutlierCleaner), after which the class prior pi is measured: the
///      prior the loss, the post-hoc corrections and the label-shift correction remove;
///   4. resampling steps (e.g. CalibratedGaussianOverSampler, SMOTE);
///   5. training: supervised, self-training on unlabelled rows (optionally DARP and ABC's balanced
///      head), or partial labels (PRODEN / RECORDS);
///   6. stage 2 on the frozen representation (cRT, tau-norm, LWS, NCM, TDE: pipeline/stage2.hpp);
///   7. tuning on the validation rows (temperature; the tau of logit adjustment or the threshold);
///   8. the decision rule (pipeline/decision.hpp).
///
/// Every random draw comes from the one generator fit() is given, in this order: the split, the
/// steps, training. The combination rules are checked when the pipeline is built (a stage 2 with a
/// post-hoc correction, tuning without validation rows, partial labels with resampling, ... throw
/// imbalance::invalid_argument naming the fields), the data-dependent ones (a threshold needs two
/// classes) when fit() starts, before any work. Defaults: no validation rows, standardised, no
/// steps, the trainer's defaults in double, supervised, no stage 2, no tuning, the model's own
/// prediction.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/argmax.hpp"
#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/instantiate.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/data/standardizer.hpp"
#include "imbalance/model_selection/stratified_split.hpp"
#include "imbalance/model_selection/tuned_threshold.hpp"
#include "imbalance/partial/partial_labels.hpp"
#include "imbalance/pipeline/decision.hpp"
#include "imbalance/pipeline/resample_step.hpp"
#include "imbalance/pipeline/stage2.hpp"
#include "imbalance/posthoc/label_shift.hpp"
#include "imbalance/posthoc/temperature_scaling.hpp"
#include "imbalance/posthoc/tuning.hpp"
#include "imbalance/semi/auxiliary_balanced.hpp"
#include "imbalance/semi/darp.hpp"
#include "imbalance/semi/self_training.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// The loss of a training, built from the class counts it corrects (those after the cleaning
/// steps): a fixed loss or one per epoch (deferred re-weighting).
using LossForCounts = std::function<SoftmaxClassifier::LossSchedule(const Eigen::VectorXd& class_counts)>;

/// Self-training with confidence-thresholded pseudo-labels (FixMatch's rule), refreshed every epoch
/// (semi/self_training.hpp); the unlabelled rows come in TrainingData::unlabeled.
struct SelfTrainingStage {
  /// Threshold, weight, warm-up, DARP.
  SelfTrainingOptions options;
  /// DARP's unlabelled distribution estimated (darp_estimate_distribution) from a supervised model's
  /// soft confusion on the validation rows (needs them) instead of the labelled one.
  bool estimate_darp_target = false;
  /// ABC (Lee et al. 2021): a class-balanced auxiliary head on the representation predicts.
  std::optional<AuxiliaryBalancedOptions> abc;
};

/// Partial labels (partial/partial_labels.hpp); the candidate sets come in TrainingData::candidates.
struct PartialLabelStage {
  /// PRODEN or RECORDS.
  PartialLabelOptions options;
};

/// How stage 1 learns: from labels (std::monostate), with unlabelled rows, or from candidate sets.
using WeakSupervision = std::variant<std::monostate, SelfTrainingStage, PartialLabelStage>;

/// Options of TrainingPipeline (see imbalance/pipeline/training_pipeline.hpp for the stages and the defaults).
struct PipelineOptions {
  /// Fraction of every class held out for tuning, in [0, 1).
  double validation_fraction = 0;
  /// Standardise the features on the training part.
  bool standardize = true;
  /// Steps after which the prior is measured.
  std::vector<ResampleStep> cleaning;
  /// Steps that change the prior the model sees, not the one its corrections remove.
  std::vector<ResampleStep> resampling;
  /// The loss (not used by partial labels, which train with the soft cross-entropy of their
  /// confidences); required otherwise.
  LossForCounts loss;
  /// The trainer's settings (head, hidden layer, schedule, batch sampler, seed).
  TrainerOptions trainer;
  /// The training arithmetic.
  Precision precision = Precision::Double;
  /// Supervised, self-training or partial labels.
  WeakSupervision weak;
  /// A second stage on the frozen representation.
  std::optional<Stage2> stage2;
  /// Temperature scaling of the probabilities, fitted on the validation rows (decisions unchanged).
  bool tune_temperature = false;
  /// The decision rule.
  Decision decision;
};

/// What a pipeline trains on. Labels are class indices in [0, num_classes).
struct TrainingData {
  /// Features, N x d (raw: the pipeline standardises them).
  Eigen::MatrixXd features;
  /// N labels (partial labels: empty; the candidate sets stand in for them).
  Eigen::VectorXi labels;
  /// K >= 2.
  Eigen::Index num_classes = 0;
  /// Self-training: the unlabelled rows, M x d.
  Eigen::MatrixXd unlabeled;
  /// Partial labels: N x K, 1 where a class is a candidate of a row.
  CandidateMatrix candidates;
};

/// The data after the split, standardisation and steps: what training sees.
struct PreparedData {
  /// Training features (standardised, cleaned, resampled).
  Eigen::MatrixXd train_x;
  /// Their labels.
  Eigen::VectorXi train_y;
  /// Validation features (standardised; empty without a split).
  Eigen::MatrixXd validation_x;
  /// Their labels.
  Eigen::VectorXi validation_y;
  /// Unlabelled rows (standardised).
  Eigen::MatrixXd unlabeled;
  /// Candidate sets of the training rows (partial labels).
  CandidateMatrix candidates;
  /// The class counts after the cleaning steps (the prior the corrections remove).
  Eigen::VectorXd class_counts;
  /// K.
  Eigen::Index num_classes = 0;
  /// The standardiser of the training part (identity scaling when standardize is off).
  std::optional<Standardizer> standardizer;
  /// Rows before and after each step, in order (cleaning then resampling).
  std::vector<std::pair<std::string, std::pair<Eigen::Index, Eigen::Index>>> step_rows;
};

/// The predictions of a fitted pipeline on some rows.
struct PipelinePrediction {
  /// Final logits (temperature-scaled and prior-corrected where the pipeline does so).
  Eigen::MatrixXd logits;
  /// softmax of the logits.
  Eigen::MatrixXd probabilities;
  /// Predicted classes.
  Eigen::VectorXi labels;
  /// The test prior q used by a TargetPrior decision (empty otherwise).
  Eigen::VectorXd target_prior;
};

/// What tuning chose on the validation rows.
struct PipelineTuning {
  std::optional<double> temperature;  ///< temperature scaling's T
  std::optional<double> tau;          ///< tuned logit adjustment's tau
  std::optional<double> threshold;    ///< tuned threshold on p_1
  std::optional<double> validation_balanced_accuracy;  ///< the tuned choice's validation score
};

/// A trained pipeline: raw rows in, decisions out.
class FittedPipeline {
 public:
  /// The stage-1 model (on standardised features).
  const SoftmaxClassifier& model() const { return model_; }
  /// The training record of the model that predicts.
  const std::vector<EpochInfo>& history() const { return history_; }
  /// The class counts the corrections remove (partial labels: those of the disambiguated labels).
  const Eigen::VectorXd& class_counts() const { return class_counts_; }
  /// Rows the model trained on (after the steps) and rows held out.
  Eigen::Index train_rows() const { return train_rows_; }
  /// Rows held out for tuning.
  Eigen::Index validation_rows() const { return validation_rows_; }
  /// Rows before and after each step.
  const std::vector<std::pair<std::string, std::pair<Eigen::Index, Eigen::Index>>>& step_rows() const { return step_rows_; }
  /// What tuning chose.
  const PipelineTuning& tuning() const { return tuning_; }
  /// Whether a classifier other than the stage-1 model's predicts (stage 2, ABC, RECORDS).
  bool replaces_classifier() const { return replaced_; }
  /// Seconds from the start of fit() to the end of training (tuning excluded).
  double train_seconds() const { return train_seconds_; }

  /// Standardised copies of raw rows.
  Eigen::MatrixXd standardized(const Eigen::MatrixXd& X) const {
    return standardizer_ ? standardizer_->transform(X) : X;
  }
  /// The classifier's logits of standardised rows, before temperature and decision rule.
  Eigen::MatrixXd classifier_logits(const Eigen::MatrixXd& standardized_x) const {
    return classifier_ ? classifier_(standardized_x) : Eigen::MatrixXd(model_.logits(standardized_x));
  }
  /// Standardises raw rows in place (no second copy of a large file).
  void standardize_in_place(Eigen::Ref<Eigen::MatrixXd> X) const {
    if (standardizer_) standardizer_->transform_in_place(X);
  }

  /// Logits, probabilities and decisions of raw rows X (N x d).
  PipelinePrediction predict(const Eigen::MatrixXd& X) const { return predict_standardized(standardized(X)); }

  /// As predict(), for rows already standardised by this pipeline.
  IMBALANCE_FUNC PipelinePrediction predict_standardized(const Eigen::MatrixXd& x) const;

  /// The same trained model with another post-hoc correction (e.g. the one a search chose); only
  /// for a pipeline whose decision is a post-hoc correction of the stage-1 model.
  IMBALANCE_FUNC FittedPipeline with_posthoc(PostHocCorrection correction) const;

 private:
  friend class TrainingPipeline;
  SoftmaxClassifier model_;
  std::vector<EpochInfo> history_;
  Eigen::VectorXd class_counts_;
  Stage2Classifier classifier_;  // empty: the model's own
  bool replaced_ = false;
  std::optional<Standardizer> standardizer_;
  std::optional<TemperatureScaling> temperature_;
  Decision decision_;
  PipelineTuning tuning_;
  Eigen::Index train_rows_ = 0, validation_rows_ = 0;
  std::vector<std::pair<std::string, std::pair<Eigen::Index, Eigen::Index>>> step_rows_;
  double train_seconds_ = 0;
};

/// The pipeline (see the file comment): built from its options, which it checks; fit() runs it.
class TrainingPipeline {
 public:
  /// Checks the combination of the options (see the file comment).
  /// @throws imbalance::invalid_argument naming the options that cannot go together.
  explicit TrainingPipeline(PipelineOptions options) : options_(std::move(options)) { check(); }

  /// The options.
  const PipelineOptions& options() const { return options_; }

  /// Split, standardise and run the steps (stages 1-4), drawing from rng.
  IMBALANCE_FUNC PreparedData prepare(TrainingData data, Rng& rng) const;

  /// Trains and tunes on prepared data (stages 5-8), drawing from rng; the data are left as they
  /// are (a search trains many candidates on one preparation).
  FittedPipeline fit_prepared(const PreparedData& data, Rng& rng) const {
    return train(data, rng, std::chrono::steady_clock::now());
  }

  /// The whole pipeline on training data.
  FittedPipeline fit(TrainingData data, Rng& rng) const {
    const auto start = std::chrono::steady_clock::now();
    return train(prepare(std::move(data), rng), rng, start);
  }

 private:
  IMBALANCE_FUNC void check() const;

  // Stages 5-8 in the arithmetic asked for; train_seconds counts from start.
  IMBALANCE_FUNC FittedPipeline train(const PreparedData& data, Rng& rng, std::chrono::steady_clock::time_point start) const;

  template <class Scalar>
  FittedPipeline fit_in(const PreparedData& data, Rng& rng, std::chrono::steady_clock::time_point start) const;

  PipelineOptions options_;
};


#if IMBALANCE_HEADER_DEFINITIONS
// Out of line: a program linking imbalance::compiled compiles none of the pipeline's stages.
IMBALANCE_FUNC PipelinePrediction FittedPipeline::predict_standardized(const Eigen::MatrixXd& x) const {
  PipelinePrediction out;
  out.logits = classifier_logits(x);
  if (temperature_) out.logits = temperature_->scaled_logits(out.logits);
  if (const auto* prior = std::get_if<TargetPrior>(&decision_)) {
    const Eigen::Index k = class_counts_.size();
    if (prior->source == TargetPrior::Source::Uniform)
      out.target_prior = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
    else if (prior->source == TargetPrior::Source::Estimate)  // a class driven to 0 keeps 1e-12: its logit stays finite
      out.target_prior = estimate_prior_em(softmax_rows(out.logits), class_counts_).prior.cwiseMax(1e-12);
    else
      out.target_prior = prior->prior;
    out.logits = prior_corrected_logits(out.logits, class_counts_, out.target_prior);
    out.labels = argmax_rows(out.logits);
  } else if (std::holds_alternative<LogitAdjustmentTuning>(decision_)) {
    PostHocLogitAdjustmentOptions la;
    la.tau = *tuning_.tau;
    out.logits = PostHocLogitAdjustment(class_counts_, la).adjust(out.logits);
    out.labels = argmax_rows(out.logits);
  } else if (std::holds_alternative<ThresholdTuning>(decision_)) {
    out.probabilities = softmax_rows(out.logits);  // the threshold leaves the logits as they are
    out.labels = FixedThresholdClassifier(*tuning_.threshold).predict(out.probabilities.col(1));
  } else if (replaced_) {
    out.labels = argmax_rows(out.logits);
  } else {
    out.labels = std::get<PostHocCorrection>(decision_)({model_, x, class_counts_});
  }
  if (out.probabilities.size() == 0) out.probabilities = softmax_rows(out.logits);
  return out;
}

IMBALANCE_FUNC FittedPipeline FittedPipeline::with_posthoc(PostHocCorrection correction) const {
  if (replaced_ || !std::holds_alternative<PostHocCorrection>(decision_))
    detail::throw_invalid("FittedPipeline::with_posthoc(): the pipeline decides by ",
                          replaced_ ? "a classifier that replaces the stage-1 model" : "a tuned or prior-corrected rule",
                          ", not by a post-hoc correction of its model");
  FittedPipeline copy = *this;
  copy.decision_ = std::move(correction);
  return copy;
}

IMBALANCE_FUNC PreparedData TrainingPipeline::prepare(TrainingData data, Rng& rng) const {
  const char* function = "TrainingPipeline::prepare()";
  const bool partial = std::holds_alternative<PartialLabelStage>(options_.weak);
  const Eigen::Index k = data.num_classes;
  if (k < 2) detail::throw_invalid(function, ": num_classes must be >= 2 (got ", k, ")");
  check_non_empty(function, "features", data.features.rows());
  if (partial) {
    check_shape(function, "candidates", data.candidates.rows(), data.candidates.cols(), data.features.rows(), k);
    data.labels = argmax_rows(uniform_confidences(data.candidates));  // replaced by training
  } else {
    check_same_length(function, "labels", data.labels.size(), "features", data.features.rows());
    check_labels(function, "labels", data.labels, k);
  }
  const bool semi = std::holds_alternative<SelfTrainingStage>(options_.weak);
  if (semi) check_non_empty(function, "unlabeled", data.unlabeled.rows());
  if (std::holds_alternative<ThresholdTuning>(options_.decision) && k != 2)
    detail::throw_invalid(function, ": decision ThresholdTuning needs two classes (the data has ", k, ")");
  PreparedData out;
  out.num_classes = k;
  if (options_.validation_fraction > 0) {
    const TrainValidationIndices split = stratified_split(data.labels, options_.validation_fraction, rng);
    out.train_x = select_rows(data.features, split.train);
    out.validation_x = select_rows(data.features, split.validation);
    out.validation_y = select_rows(data.labels, split.validation);
    out.train_y = select_rows(data.labels, split.train);
  } else {
    out.train_x = std::move(data.features);
    out.train_y = std::move(data.labels);
  }
  data.features.resize(0, 0);
  if (options_.standardize) {
    out.standardizer = Standardizer::fit(out.train_x);
    out.standardizer->transform_in_place(out.train_x);
    if (out.validation_x.rows() > 0) out.standardizer->transform_in_place(out.validation_x);
    if (semi) out.unlabeled = out.standardizer->transform(data.unlabeled);
  } else if (semi) {
    out.unlabeled = std::move(data.unlabeled);
  }
  out.candidates = std::move(data.candidates);
  auto run = [&out, &rng](const ResampleStep& step) {
    const Eigen::Index before = out.train_x.rows();
    Resampled<Eigen::MatrixXd> resampled = step.resample(out.train_x, out.train_y, rng);
    out.train_x = std::move(resampled.X);
    out.train_y = std::move(resampled.y);
    out.step_rows.push_back({step.name, {before, out.train_x.rows()}});
  };
  for (const ResampleStep& step : options_.cleaning) run(step);
  out.class_counts = count_labels(out.train_y, k).cast<double>();
  for (const ResampleStep& step : options_.resampling) run(step);
  return out;
}

IMBALANCE_FUNC void TrainingPipeline::check() const {
  const char* function = "TrainingPipeline";
  const PipelineOptions& o = options_;
  if (!(o.validation_fraction >= 0 && o.validation_fraction < 1))
    detail::throw_invalid(function, ": validation_fraction must lie in [0, 1) (got ", o.validation_fraction, ")");
  for (const auto* steps : {&o.cleaning, &o.resampling})
    for (const ResampleStep& step : *steps)
      if (!step.resample) detail::throw_invalid(function, ": resample step '", step.name, "' has no function");
  const bool partial = std::holds_alternative<PartialLabelStage>(o.weak);
  const bool semi = std::holds_alternative<SelfTrainingStage>(o.weak);
  const auto* posthoc = std::get_if<PostHocCorrection>(&o.decision);
  const bool corrects = posthoc && !posthoc->is_none();
  const bool tunes = std::holds_alternative<LogitAdjustmentTuning>(o.decision) ||
                     std::holds_alternative<ThresholdTuning>(o.decision);
  if ((tunes || o.tune_temperature) && o.validation_fraction <= 0)
    detail::throw_invalid(function, ": ", o.tune_temperature ? "tune_temperature" : "a tuned decision",
                          " needs validation rows: validation_fraction > 0");
  if (!partial && !o.loss) detail::throw_invalid(function, ": loss is empty (only partial labels train without one)");
  if (o.stage2 && !o.stage2->fit) detail::throw_invalid(function, ": stage2 '", o.stage2->name, "' has no function");
  if (o.stage2 && corrects)
    detail::throw_invalid(function, ": stage2 ", o.stage2->name, " replaces the classifier that post-hoc ", posthoc->name,
                          " would correct: give one of them");
  if ((semi || partial) && (o.stage2 || o.trainer.head == HeadType::of<EtfHead>()))
    detail::throw_invalid(function, ": ", semi ? "self-training" : "partial labels",
                          " trains one model with per-epoch targets: combine it without stage2 and the etf head");
  if (semi) {
    const auto& st = std::get<SelfTrainingStage>(o.weak);
    if (st.estimate_darp_target && !st.options.darp)
      detail::throw_invalid(function, ": estimate_darp_target refines DARP: set options.darp");
    if (st.estimate_darp_target && o.validation_fraction <= 0)
      detail::throw_invalid(function, ": estimate_darp_target needs validation rows: validation_fraction > 0");
    if (!(st.options.threshold >= 0 && st.options.threshold <= 1))
      detail::throw_invalid(function, ": self-training threshold must lie in [0, 1] (got ", st.options.threshold, ")");
    if (st.abc && corrects)
      detail::throw_invalid(function, ": ABC predicts with its own classifier: combine it with no post-hoc ", posthoc->name);
  }
  if (partial) {
    if (corrects)
      detail::throw_invalid(function, ": partial labels predict with their own classifier: combine them with no post-hoc ",
                            posthoc->name);
    if (!o.cleaning.empty() || !o.resampling.empty() || o.validation_fraction > 0)
      detail::throw_invalid(function, ": partial labels train with the soft cross-entropy of their label confidences on "
                                      "all training rows: combine them without cleaning, resampling and validation_fraction");
  }
}

template <class Scalar>
FittedPipeline TrainingPipeline::fit_in(const PreparedData& data, Rng& rng, std::chrono::steady_clock::time_point start) const {
  const PipelineOptions& o = options_;
  const Eigen::Index k = data.num_classes;
  FittedPipeline fitted;
  Eigen::VectorXi train_y = data.train_y;  // partial labels: the disambiguated labels after training
  Eigen::VectorXd counts = data.class_counts;
  Eigen::VectorXd prior;  // RECORDS' estimate of the model's class prior
  SoftmaxClassifier& model = fitted.model_;
  if (const auto* partial = std::get_if<PartialLabelStage>(&o.weak)) {
    const PartialLabelResult result =
        fit_partial_labels<Scalar>(model, data.train_x, data.candidates, o.trainer, partial->options, rng);
    prior = result.prior;  // RECORDS' (empty for PRODEN)
    fitted.history_ = result.history;
    train_y = argmax_rows(result.confidences);
    counts = count_labels(train_y, k).cast<double>();  // the disambiguated labels' prior
  } else if (const auto* semi = std::get_if<SelfTrainingStage>(&o.weak)) {
    const auto loss = o.loss(counts);
    SelfTrainingOptions st = semi->options;
    if (semi->estimate_darp_target) {
      SoftmaxClassifier supervised;
      supervised.fit<Scalar>(data.train_x, train_y, loss, o.trainer, rng);
      const auto estimate = darp_estimate_distribution(softmax_rows(supervised.logits(data.validation_x)), data.validation_y,
                                                       softmax_rows(supervised.logits(data.unlabeled)));
      // DARP's official code rejects an estimate with a negative entry; here every class keeps >= 1 row.
      st.darp_target = estimate.totals.cwiseMax(1.0);
      st.darp_target *= static_cast<double>(data.unlabeled.rows()) / st.darp_target.sum();
    }
    fitted.history_ = fit_self_training<Scalar>(model, data.train_x, train_y, data.unlabeled, loss, o.trainer, st, rng).history;
  } else {
    fitted.history_ = model.fit<Scalar>(data.train_x, train_y, o.loss(counts), o.trainer, rng);
  }
  const auto* semi = std::get_if<SelfTrainingStage>(&o.weak);
  if (semi && semi->abc) {
    TrainerOptions options = o.trainer;
    options.hidden_units = 0;  // a head on the model's representation
    options.on_epoch = nullptr;
    SoftmaxClassifier head;
    fit_auxiliary_balanced<Scalar>(head, model.features(data.train_x), train_y, model.features(data.unlabeled), k,
                                   options, *semi->abc, rng);
    fitted.classifier_ = [model, head](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(head.logits(model.features(X))); };
    fitted.replaced_ = true;
  }
  if (prior.size() != 0) {  // RECORDS: the model's own prior removed at test time
    fitted.classifier_ = [model, prior](const Eigen::MatrixXd& X) {
      return Eigen::MatrixXd(records_debiased_logits(model.logits(X), prior));
    };
    fitted.replaced_ = true;
  }
  if (o.stage2) {
    TrainerOptions stage1 = o.trainer;
    stage1.on_epoch = nullptr;
    fitted.classifier_ = o.stage2->fit({model, data.train_x, train_y, stage1, o.precision});
    fitted.replaced_ = true;
  }
  fitted.train_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Tuning on the validation rows only.
  if (o.tune_temperature) {
    fitted.temperature_ = TemperatureScaling::fit(fitted.classifier_logits(data.validation_x), data.validation_y);
    fitted.tuning_.temperature = fitted.temperature_->temperature();
  }
  if (std::holds_alternative<LogitAdjustmentTuning>(o.decision)) {
    const TuningCurve curve = tune_logit_adjustment(fitted.classifier_logits(data.validation_x), data.validation_y, counts);
    fitted.tuning_.tau = curve.best_value;
    fitted.tuning_.validation_balanced_accuracy = curve.best_score;
  } else if (std::holds_alternative<ThresholdTuning>(o.decision)) {
    const Eigen::MatrixXd validation_p = softmax_rows(fitted.classifier_logits(data.validation_x));
    const auto tuned = tune_threshold({{data.validation_y, validation_p.col(1)}});
    fitted.tuning_.threshold = tuned.threshold;
    fitted.tuning_.validation_balanced_accuracy = tuned.objective_score;
  }
  fitted.decision_ = o.decision;
  fitted.class_counts_ = std::move(counts);
  fitted.standardizer_ = data.standardizer;
  fitted.train_rows_ = data.train_x.rows();
  fitted.validation_rows_ = data.validation_y.size();
  fitted.step_rows_ = data.step_rows;
  return fitted;
}

IMBALANCE_FUNC FittedPipeline TrainingPipeline::train(const PreparedData& data, Rng& rng,
                                                  std::chrono::steady_clock::time_point start) const {
  return options_.precision == Precision::Float ? fit_in<float>(data, rng, start) : fit_in<double>(data, rng, start);
}
#endif

}  // namespace imbalance
