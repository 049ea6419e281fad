#include <catch2/catch.hpp>

#include <imbalance/data/synthetic.hpp>
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

  CHECK(imbalance::head_registry().at("cosine").make({}) == imbalance::Head::Cosine);

  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 3);
  imbalance::TrainerOptions options;
  options.epochs = 2;
  imbalance::SoftmaxRegression model;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
  const Eigen::VectorXd counts = data.train_counts.cast<double>();
  const imbalance::PostHocContext context{model, data.test_x, counts};
  const Eigen::VectorXi plain = imbalance::posthoc_registry().at("none").make({}, context);
  CHECK((plain.array() == model.predict(data.test_x).array()).all());
  const Eigen::VectorXi adjusted = imbalance::posthoc_registry().at("la").make({}, context);
  CHECK((adjusted.array() == imbalance::PostHocLogitAdjustment(counts).predict(model.logits(data.test_x)).array()).all());
  options.head = imbalance::Head::Cosine;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
  CHECK_THROWS_WITH(imbalance::posthoc_registry().at("tau-norm").make({}, context), Catch::Contains("linear head"));
}
