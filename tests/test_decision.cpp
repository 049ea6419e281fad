#include <catch2/catch.hpp>

#include <imbalance/pipeline/decision.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/cross_entropy.hpp>

TEST_CASE("decision rules: post-hoc corrections as values", "[pipeline][decision]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 3;
  synthetic.dimension = 5;
  synthetic.n_max = 60;
  synthetic.imbalance_ratio = 6;
  synthetic.test_per_class = 10;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 41);
  imbalance::TrainerOptions options;
  options.epochs = 3;
  imbalance::SoftmaxClassifier model;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(3), options);
  const Eigen::VectorXd counts = data.train_counts.cast<double>();
  const Eigen::MatrixXd x = data.test_x;
  const imbalance::PostHocContext context{model, x, counts};

  const imbalance::PostHocCorrection none;
  CHECK(none.is_none());
  CHECK(none(context) == model.predict(x));
  const auto la = imbalance::posthoc_logit_adjustment(0.5);
  CHECK(la.name == "la");
  imbalance::PostHocLogitAdjustmentOptions half;
  half.tau = 0.5;
  CHECK(la(context) == imbalance::PostHocLogitAdjustment(counts, half).predict(model.logits(x)));
  CHECK(imbalance::posthoc_tau_norm(0.0)(context) ==
        imbalance::argmax_rows(imbalance::tau_normalized_logits(x, model.weights(), 0.0)));
  CHECK_THROWS_WITH(imbalance::posthoc_tau_norm(-1.0)(context), Catch::Contains("tau must be >= 0 (got -1)"));
  options.head = imbalance::HeadType::of<imbalance::CosineHead>();
  imbalance::SoftmaxClassifier cosine;
  cosine.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(3), options);
  CHECK_THROWS_WITH(imbalance::posthoc_tau_norm()({cosine, x, counts}),
                    Catch::Contains("post-hoc tau-norm needs the linear head, not the cosine one"));

  // The decision is one of the rules, the model's prediction by default.
  const imbalance::Decision decision;
  CHECK(std::get<imbalance::PostHocCorrection>(decision).is_none());
  CHECK(imbalance::TargetPrior::given(Eigen::Vector3d(1, 2, 3)).source == imbalance::TargetPrior::Source::Given);
}
