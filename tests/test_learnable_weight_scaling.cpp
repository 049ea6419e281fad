#include <catch2/catch.hpp>

#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/metrics/classification_metrics.hpp>
#include <imbalance/posthoc/learnable_weight_scaling.hpp>

#include "support/long_tailed_fixture.hpp"

TEST_CASE("LearnableWeightScaling: the loss decreases monotonically and the gradient vanishes",
          "[posthoc][lws]") {
  const auto fixture = test_support::long_tailed_fixture();
  const Eigen::MatrixXd held_out = fixture.test_logits();
  const auto lws = imbalance::LearnableWeightScaling::fit(held_out, fixture.test_y);
  const auto& history = lws.loss_history();
  REQUIRE(history.size() > 2);
  for (std::size_t i = 1; i < history.size(); ++i) CHECK(history[i] <= history[i - 1]);
  // At the optimum dL/df = sum_i G_ik Z0_ik is ~0 (checked with the same default loss).
  const imbalance::ClassCounts counts = imbalance::count_labels(fixture.test_y, 5);
  Eigen::VectorXd w = counts.cast<double>().cwiseInverse();
  w *= 5.0 / w.sum();
  const imbalance::CrossEntropyLoss loss(5, {w, imbalance::Normalizer::WeightSum, imbalance::Reduction::Mean});
  Eigen::MatrixXd grad;
  loss.value_and_gradient(lws.logits(held_out), fixture.test_y, grad);
  const Eigen::VectorXd df = (grad.array() * held_out.array()).colwise().sum().transpose();
  CHECK(df.cwiseAbs().maxCoeff() < 1e-3);
  CHECK(history.back() < history.front());
}

TEST_CASE("LearnableWeightScaling: improves balanced accuracy on held-out long-tailed predictions",
          "[posthoc][lws]") {
  const auto fixture = test_support::long_tailed_fixture();
  const Eigen::MatrixXd logits = fixture.test_logits();
  const auto lws = imbalance::LearnableWeightScaling::fit(logits, fixture.test_y);
  auto argmax = [](const Eigen::MatrixXd& z) {
    Eigen::VectorXi out(z.rows());
    for (Eigen::Index i = 0; i < z.rows(); ++i) z.row(i).maxCoeff(&out(i));
    return out;
  };
  const double before = imbalance::balanced_accuracy(fixture.test_y, argmax(logits), 5);
  const double after = imbalance::balanced_accuracy(fixture.test_y, argmax(lws.logits(logits)), 5);
  INFO("before " << before << " after " << after);
  CHECK(after > before);
}

TEST_CASE("LearnableWeightScaling: bad input throws naming the argument", "[posthoc][lws]") {
  using Catch::Contains;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::LearnableWeightScaling::fit(Eigen::MatrixXd::Zero(3, 2), y),
                    Contains("labels has length 2"));
  CHECK_THROWS_WITH(imbalance::LearnableWeightScaling::fit(Eigen::MatrixXd::Zero(2, 2), y, {0, 1e-10, 1.0}),
                    Contains("max_iterations"));
}
