#include <catch2/catch.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/heads/nearest_class_mean.hpp>
#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/registry/training.hpp>

TEST_CASE("training registries: samplers, schedules, heads and post-hoc corrections by name", "[registry][training]") {
  CHECK(!imbalance::batch_sampler_registry().at("instance").make({}, 10));
  const auto progressive = imbalance::batch_sampler_registry().at("progressive").make({}, 40);
  REQUIRE(progressive);
  CHECK(progressive->sampling == imbalance::BatchSampling::Progressive);
  CHECK(progressive->total_epochs == 40);
  imbalance::OptionValues q;
  q.set("q", 0.25);
  imbalance::batch_sampler_registry().check("power", q);
  CHECK(imbalance::batch_sampler_registry().at("power").make(q, 1)->q == 0.25);

  imbalance::LearningRateSchedule schedule;
  imbalance::schedule_registry().at("step").make({}, 200, schedule);
  CHECK(schedule.schedule == imbalance::Schedule::Step);
  CHECK(schedule.milestones == std::vector<long>{160, 180});  // LDAM-DRW's
  imbalance::schedule_registry().at("step").make({}, 7, schedule);
  CHECK(schedule.milestones == std::vector<long>{5, 6});

  CHECK(imbalance::head_registry().at("cosine").make({}) == imbalance::HeadType::of<imbalance::CosineHead>());

  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 3);
  imbalance::TrainerOptions options;
  options.epochs = 2;
  imbalance::SoftmaxClassifier model;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
  const Eigen::VectorXd counts = data.train_counts.cast<double>();
  const imbalance::PostHocContext context{model, data.test_x, counts};
  const Eigen::VectorXi plain = imbalance::posthoc_registry().at("none").make({}, context);
  CHECK((plain.array() == model.predict(data.test_x).array()).all());
  const Eigen::VectorXi adjusted = imbalance::posthoc_registry().at("la").make({}, context);
  CHECK((adjusted.array() == imbalance::PostHocLogitAdjustment(counts).predict(model.logits(data.test_x)).array()).all());
  options.head = imbalance::HeadType::of<imbalance::CosineHead>();
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
  CHECK_THROWS_WITH(imbalance::posthoc_registry().at("tau-norm").make({}, context), Catch::Contains("linear head"));
}

TEST_CASE("stage-2 registry: decoupled classifiers on a frozen hidden representation", "[registry][training]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 4;
  synthetic.dimension = 5;
  synthetic.n_max = 60;
  synthetic.imbalance_ratio = 10;
  synthetic.test_per_class = 10;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 17);
  imbalance::TrainerOptions options;
  options.hidden_units = 8;
  options.epochs = 5;
  imbalance::SoftmaxClassifier model;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), options);
  const Eigen::MatrixXd train_x = data.train_x;
  const Eigen::VectorXi train_y = data.train_y;
  const imbalance::Stage2Context context{model, train_x, train_y, options};
  const auto& registry = imbalance::stage2_registry();
  CHECK(registry.names() == std::vector<std::string>{"none", "crt", "tau-norm", "lws", "ncm", "ncm-cosine", "tde"});
  for (const auto& name : registry.names()) {
    INFO(name);
    const auto classifier = registry.at(name).make({}, context);
    const Eigen::MatrixXd z = classifier(data.test_x);
    CHECK(z.rows() == data.test_x.rows());
    CHECK(z.cols() == 4);
    CHECK(z.allFinite());
  }
  // none is the model itself; ncm is NearestClassMean on the learned features; the representation
  // stays frozen under cRT (its hidden layer is the stage-1 one).
  CHECK(registry.at("none").make({}, context)(data.test_x).isApprox(Eigen::MatrixXd(model.logits(data.test_x))));
  const auto ncm = imbalance::NearestClassMean::fit(model.features(train_x), train_y, 4);
  CHECK(registry.at("ncm").make({}, context)(data.test_x).isApprox(Eigen::MatrixXd(ncm.logits(model.features(data.test_x)))));
  imbalance::OptionValues tau;
  tau.set("tau", 0.0);  // tau 0: the unnormalised weights without bias
  const Eigen::MatrixXd expected = model.features(data.test_x) * model.weights();
  CHECK(registry.at("tau-norm").make(tau, context)(data.test_x).isApprox(expected));
  imbalance::TrainerOptions cosine = options;
  cosine.head = imbalance::HeadType::of<imbalance::CosineHead>();
  imbalance::SoftmaxClassifier cosine_model;
  cosine_model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), cosine);
  CHECK_THROWS_WITH(registry.at("tau-norm").make({}, {cosine_model, train_x, train_y, cosine}),
                    Catch::Contains("needs the linear head"));
  CHECK(imbalance::head_registry().at("etf").make({}) == imbalance::HeadType::of<imbalance::EtfHead>());
}

TEST_CASE("training registries: a named post-hoc correction or stage 2 as a pipeline's value", "[registry][training][pipeline]") {
  CHECK(imbalance::posthoc_correction("none", {}).is_none());
  imbalance::OptionValues tau;
  tau.set("tau", 0.5);
  const imbalance::PostHocCorrection la = imbalance::posthoc_correction("la", tau);
  CHECK(la.name == "la");
  CHECK(!la.is_none());
  CHECK_THROWS_WITH(imbalance::posthoc_correction("la", [] {
                      imbalance::OptionValues v;
                      v.set("alpha", 1.0);
                      return v;
                    }()),
                    Catch::Contains("takes no option 'alpha'"));
  const imbalance::Stage2 crt = imbalance::stage2_recipe("crt", {});
  CHECK(crt.name == "crt");
  CHECK(crt.fit);
  CHECK_THROWS_AS(imbalance::stage2_recipe("nope", {}), std::invalid_argument);
}
