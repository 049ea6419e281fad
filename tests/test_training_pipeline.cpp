#include <catch2/catch.hpp>

#include <imbalance/pipeline/training_pipeline.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/losses/logit_adjusted.hpp>
#include <imbalance/metrics/classification_metrics.hpp>
#include <imbalance/noisy/distribution_calibration.hpp>
#include <imbalance/noisy/local_outlier_factor.hpp>
#include <imbalance/over_sampling/smote.hpp>

namespace {

imbalance::Dataset pipeline_data(Eigen::Index classes = 4) {
  imbalance::SyntheticOptions o;
  o.num_classes = classes;
  o.dimension = 6;
  o.n_max = 120;
  o.imbalance_ratio = 10;
  o.test_per_class = 40;
  return imbalance::make_synthetic_long_tailed(o, std::uint64_t{5});
}

imbalance::LossForCounts cross_entropy_loss() {
  return [](const Eigen::VectorXd& counts) -> imbalance::SoftmaxClassifier::LossSchedule {
    const imbalance::CrossEntropyLoss loss(counts.size());
    return [loss](long) { return imbalance::AnyLoss(loss); };
  };
}

imbalance::PipelineOptions pipeline_options() {
  imbalance::PipelineOptions o;
  o.loss = cross_entropy_loss();
  o.trainer.epochs = 6;
  o.trainer.batch_size = 32;
  return o;
}

imbalance::TrainingData training_data(const imbalance::Dataset& d) {
  imbalance::TrainingData data;
  data.features = d.train_x;
  data.labels = d.train_y;
  data.num_classes = d.train_counts.size();
  return data;
}

}  // namespace

TEST_CASE("TrainingPipeline: the recipe composed by hand, bit for bit", "[pipeline]") {
  const auto d = pipeline_data();
  imbalance::PipelineOptions o = pipeline_options();
  o.validation_fraction = 0.25;
  imbalance::LocalOutlierFactorOptions lof;
  lof.n_neighbors = 10;
  o.cleaning = {imbalance::resample_step("clean-lof", imbalance::LocalOutlierCleaner(lof))};
  o.resampling = {imbalance::resample_step("calibrate-tail", imbalance::CalibratedGaussianOverSampler()),
                  imbalance::resample_step("smote", imbalance::SMOTE())};
  const imbalance::TrainingPipeline pipeline(o);
  imbalance::Rng rng(11);
  const imbalance::FittedPipeline fitted = pipeline.fit(training_data(d), rng);

  // By hand: split, standardise on the training part, clean, measure the prior, resample, train.
  imbalance::Rng by_hand(11);
  const auto split = imbalance::stratified_split(d.train_y, 0.25, by_hand);
  Eigen::MatrixXd x = imbalance::select_rows(d.train_x, split.train);
  Eigen::VectorXi y = imbalance::select_rows(d.train_y, split.train);
  const auto scaler = imbalance::Standardizer::fit(x);
  x = scaler.transform(x);
  const auto kept = imbalance::lof_inliers_per_class(x, y, 4, lof);
  x = imbalance::select_rows(x, kept);
  y = imbalance::select_rows(y, kept);
  const Eigen::VectorXd counts = imbalance::count_labels(y, 4).cast<double>();
  auto calibrated = imbalance::CalibratedGaussianOverSampler().fit_resample(x, y, by_hand);
  auto smoted = imbalance::SMOTE().fit_resample(calibrated.X, calibrated.y, by_hand);
  imbalance::SoftmaxClassifier model;
  model.fit<double>(smoted.X, smoted.y, imbalance::CrossEntropyLoss(4), o.trainer, by_hand);

  CHECK(fitted.class_counts() == counts);
  CHECK(fitted.train_rows() == smoted.X.rows());
  CHECK(fitted.validation_rows() == static_cast<Eigen::Index>(split.validation.size()));
  REQUIRE(fitted.step_rows().size() == 3);
  CHECK(fitted.step_rows()[0].first == "clean-lof");
  CHECK(fitted.step_rows()[0].second.second == static_cast<Eigen::Index>(kept.size()));
  CHECK(fitted.step_rows()[2].second.second == smoted.X.rows());
  CHECK(fitted.model().weights() == model.weights());
  const imbalance::PipelinePrediction p = fitted.predict(d.test_x);
  CHECK(p.logits == model.logits(scaler.transform(d.test_x)));
  CHECK(p.labels == model.predict(scaler.transform(d.test_x)));
  CHECK(p.probabilities.rowwise().sum().isOnes(1e-12));
  CHECK(p.target_prior.size() == 0);
  // The same seed, the same pipeline: the same bits.
  imbalance::Rng again(11);
  CHECK(pipeline.fit(training_data(d), again).model().weights() == model.weights());
}

TEST_CASE("TrainingPipeline: tuning on validation rows and the decision rules", "[pipeline]") {
  const auto d = pipeline_data();
  imbalance::PipelineOptions o = pipeline_options();
  o.validation_fraction = 0.3;
  o.decision = imbalance::LogitAdjustmentTuning{};
  o.tune_temperature = true;
  imbalance::Rng rng(3);
  const auto tuned = imbalance::TrainingPipeline(o).fit(training_data(d), rng);
  REQUIRE(tuned.tuning().tau);
  REQUIRE(tuned.tuning().temperature);
  CHECK(*tuned.tuning().tau >= 0);
  CHECK(*tuned.tuning().tau <= 2);
  CHECK(*tuned.tuning().temperature > 0);
  const auto p = tuned.predict(d.test_x);
  imbalance::PostHocLogitAdjustmentOptions la;
  la.tau = *tuned.tuning().tau;
  const Eigen::MatrixXd raw = tuned.classifier_logits(tuned.standardized(d.test_x)) / *tuned.tuning().temperature;
  CHECK(p.labels == imbalance::PostHocLogitAdjustment(tuned.class_counts(), la).predict(raw));

  // A uniform test prior: z - log pi + log(1/K).
  o.decision = imbalance::TargetPrior::uniform();
  o.tune_temperature = false;
  imbalance::Rng rng2(3);
  const auto shifted = imbalance::TrainingPipeline(o).fit(training_data(d), rng2);
  const auto q = shifted.predict(d.test_x);
  CHECK(q.target_prior.isApprox(Eigen::VectorXd::Constant(4, 0.25)));
  const Eigen::MatrixXd z = shifted.classifier_logits(shifted.standardized(d.test_x));
  CHECK(q.logits.isApprox(imbalance::prior_corrected_logits(z, shifted.class_counts(), q.target_prior)));

  // A post-hoc correction swapped on the trained model (what a search does).
  o.decision = imbalance::PostHocCorrection{};
  imbalance::Rng rng3(3);
  const auto plain = imbalance::TrainingPipeline(o).fit(training_data(d), rng3);
  const auto adjusted = plain.with_posthoc(imbalance::posthoc_logit_adjustment(1.0)).predict(d.test_x);
  CHECK(adjusted.labels == imbalance::PostHocLogitAdjustment(plain.class_counts()).predict(z));
  CHECK_THROWS_WITH(shifted.with_posthoc(imbalance::posthoc_logit_adjustment()), Catch::Contains("prior-corrected"));

  // Two classes: the threshold on p_1.
  const auto binary = pipeline_data(2);
  o.decision = imbalance::ThresholdTuning{};
  imbalance::Rng rng4(3);
  const auto thresholded = imbalance::TrainingPipeline(o).fit(training_data(binary), rng4);
  REQUIRE(thresholded.tuning().threshold);
  const auto b = thresholded.predict(binary.test_x);
  CHECK(b.labels == (b.probabilities.col(1).array() >= *thresholded.tuning().threshold).cast<int>().matrix());
  // ... which five classes refuse before any training.
  imbalance::Rng rng5(3);
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o).fit(training_data(d), rng5),
                    Catch::Contains("ThresholdTuning needs two classes (the data has 4)"));
}

TEST_CASE("TrainingPipeline: stage 2, self-training with ABC, partial labels", "[pipeline][train]") {
  const auto d = pipeline_data();
  imbalance::PipelineOptions o = pipeline_options();
  o.trainer.hidden_units = 8;
  o.stage2 = imbalance::Stage2{"crt", imbalance::ClassifierRetraining{3}};
  imbalance::Rng rng(4);
  const auto decoupled = imbalance::TrainingPipeline(o).fit(training_data(d), rng);
  CHECK(decoupled.replaces_classifier());
  const auto p = decoupled.predict(d.test_x);
  CHECK(p.labels == imbalance::argmax_rows(p.logits));
  CHECK(imbalance::balanced_accuracy(d.test_y, p.labels, 4) > 0.5);

  imbalance::PipelineOptions semi = pipeline_options();
  imbalance::SelfTrainingStage st;
  st.options.threshold = 0.9;
  st.abc = imbalance::AuxiliaryBalancedOptions{};
  semi.weak = st;
  imbalance::TrainingData data = training_data(d);
  data.unlabeled = d.test_x.topRows(60);
  imbalance::Rng rng2(4);
  const auto abc = imbalance::TrainingPipeline(semi).fit(data, rng2);
  CHECK(abc.replaces_classifier());
  CHECK(abc.predict(d.test_x).labels.size() == d.test_x.rows());

  imbalance::PipelineOptions partial = pipeline_options();
  partial.loss = nullptr;  // partial labels train with their own soft cross-entropy
  partial.weak = imbalance::PartialLabelStage{};
  partial.trainer.epochs = 20;
  imbalance::TrainingData sets = training_data(d);
  imbalance::Rng draw(9);
  sets.candidates = imbalance::make_partial_labels(d.train_y, 4, 0.2, draw);
  sets.labels.resize(0);
  imbalance::Rng rng3(4);
  const auto records = imbalance::TrainingPipeline(partial).fit(sets, rng3);
  CHECK(records.replaces_classifier());  // RECORDS removes the model's own prior
  // Candidate sets with 20 % false positives cost little against the true labels' training.
  imbalance::PipelineOptions supervised = pipeline_options();
  supervised.trainer.epochs = 20;
  imbalance::Rng rng4(4);
  const double truth = imbalance::balanced_accuracy(
      d.test_y, imbalance::TrainingPipeline(supervised).fit(training_data(d), rng4).predict(d.test_x).labels, 4);
  const double partial_score = imbalance::balanced_accuracy(d.test_y, records.predict(d.test_x).labels, 4);
  INFO("partial labels " << partial_score << ", true labels " << truth);
  CHECK(partial_score > 0.4);  // chance: 0.25
  CHECK(partial_score > truth - 0.1);
}

TEST_CASE("TrainingPipeline: combinations that cannot mean anything throw when it is built", "[pipeline]") {
  using Catch::Contains;
  imbalance::PipelineOptions o = pipeline_options();
  o.stage2 = imbalance::Stage2{"lws", imbalance::WeightScaledClassifier{}};
  o.decision = imbalance::posthoc_logit_adjustment();
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("stage2 lws replaces the classifier that post-hoc la"));
  o = pipeline_options();
  o.decision = imbalance::LogitAdjustmentTuning{};
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("needs validation rows: validation_fraction > 0"));
  o.decision = imbalance::PostHocCorrection{};
  o.tune_temperature = true;
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("tune_temperature needs validation rows"));
  o = pipeline_options();
  o.weak = imbalance::PartialLabelStage{};
  o.resampling = {imbalance::resample_step("smote", imbalance::SMOTE())};
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("without cleaning, resampling and validation_fraction"));
  o = pipeline_options();
  o.weak = imbalance::SelfTrainingStage{};
  o.stage2 = imbalance::Stage2{"ncm", imbalance::NearestClassMeanClassifier{}};
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("self-training trains one model with per-epoch targets"));
  o = pipeline_options();
  imbalance::SelfTrainingStage st;
  st.options.darp = true;
  st.estimate_darp_target = true;
  o.weak = st;
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("estimate_darp_target needs validation rows"));
  o = pipeline_options();
  o.loss = nullptr;
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("loss is empty"));
  o = pipeline_options();
  o.validation_fraction = 1;
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(o), Contains("validation_fraction must lie in [0, 1) (got 1)"));

  // Data that does not match: checked before any work.
  const auto d = pipeline_data();
  imbalance::TrainingData data = training_data(d);
  data.labels(0) = 7;
  imbalance::Rng rng(1);
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(pipeline_options()).fit(data, rng),
                    Contains("TrainingPipeline::prepare(): labels[0] = 7 is out of range [0, 4)"));
  data = training_data(d);
  data.num_classes = 1;
  CHECK_THROWS_WITH(imbalance::TrainingPipeline(pipeline_options()).fit(data, rng), Contains("num_classes must be >= 2 (got 1)"));
}
