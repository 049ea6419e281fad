#include <catch2/catch.hpp>

#include <imbalance/data/standardizer.hpp>
#include <imbalance/data/synthetic.hpp>
#include <imbalance/metrics/classification_metrics.hpp>
#include <imbalance/posthoc/logit_adjustment.hpp>
#include <imbalance/train/recipes.hpp>

#include <map>

// The claim of the long-tailed literature, on a size that runs in about a second: on synthetic
// data with IR = 100, averaged over 3 seeds, each imbalance-aware method beats plain ERM's balanced
// accuracy by at least 5 points.
TEST_CASE("recipes: on IR = 100 data LA, Balanced Softmax, LDAM-DRW, VS and post-hoc LA beat ERM by 5 points",
          "[train][recipes]") {
  std::map<std::string, double> mean;
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    imbalance::SyntheticOptions synthetic;  // K 10, d 32, n_max 500, separation 3
    synthetic.imbalance_ratio = 100;
    const auto data = imbalance::make_synthetic_long_tailed(synthetic, 1000 + seed);
    const auto scaler = imbalance::Standardizer::fit(data.train_x);
    const Eigen::MatrixXd train = scaler.transform(data.train_x), test = scaler.transform(data.test_x);
    imbalance::TrainerOptions options;
    options.epochs = 100;
    options.learning_rate.base = 0.05;
    options.learning_rate.warmup_epochs = 1;
    options.seed = seed;
    options.progress = imbalance::Progress::Never;
    auto score = [&](imbalance::LossKind kind, bool posthoc = false) {
      imbalance::SoftmaxRegression model;
      imbalance::train_with_loss(model, train, data.train_y, data.train_counts, kind, {}, options);
      const Eigen::VectorXi predicted = posthoc ? imbalance::PostHocLogitAdjustment(data.train_counts).predict(model.logits(test))
                                                : model.predict(test);
      return imbalance::balanced_accuracy(data.test_y, predicted, 10) / 3.0;
    };
    mean["erm"] += score(imbalance::LossKind::CrossEntropy);
    mean["la"] += score(imbalance::LossKind::LogitAdjusted);
    mean["bs"] += score(imbalance::LossKind::BalancedSoftmax);
    mean["ldam-drw"] += score(imbalance::LossKind::LDAMDRW);
    mean["vs"] += score(imbalance::LossKind::VS);
    mean["posthoc"] += score(imbalance::LossKind::CrossEntropy, true);
  }
  for (const char* method : {"la", "bs", "ldam-drw", "vs", "posthoc"}) {
    INFO(method << ": " << mean[method] << " vs ERM " << mean["erm"]);
    CHECK(mean[method] >= mean["erm"] + 0.05);
  }
}

TEST_CASE("recipes: loss names parse and unknown names throw", "[train][recipes]") {
  CHECK(imbalance::parse_loss_kind("ldam-drw") == imbalance::LossKind::LDAMDRW);
  CHECK(imbalance::parse_loss_kind("bs") == imbalance::LossKind::BalancedSoftmax);
  CHECK_THROWS_WITH(imbalance::parse_loss_kind("hinge"), Catch::Contains("\"hinge\""));
}
