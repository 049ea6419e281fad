#include <catch2/catch.hpp>

#include <imbalance/metrics/classification_metrics.hpp>
#include <imbalance/posthoc/logit_adjustment.hpp>

#include <limits>

#include "support/long_tailed_fixture.hpp"

TEST_CASE("PostHocLogitAdjustment: subtracts log(pi^tau + 1e-12)", "[posthoc][logit_adjustment]") {
  const Eigen::VectorXi counts = (Eigen::VectorXi(3) << 70, 20, 10).finished();
  const imbalance::PostHocLogitAdjustment adjustment(counts, {1.5, 1e-12});
  Eigen::MatrixXd z(1, 3);
  z << 1.0, 2.0, 3.0;
  const Eigen::MatrixXd adjusted = adjustment.adjust(z);
  CHECK(adjusted(0, 1) == Approx(2.0 - std::log(std::pow(0.2, 1.5) + 1e-12)).epsilon(1e-15));
  const Eigen::MatrixXf adjusted_float = adjustment.adjust(z.cast<float>());
  CHECK(adjusted_float(0, 2) == Approx(3.0 - std::log(std::pow(0.1, 1.5))).epsilon(1e-6));
}

TEST_CASE("PostHocLogitAdjustment: raises the balanced accuracy of a cross-entropy model on long-tailed data",
          "[posthoc][logit_adjustment]") {
  const auto fixture = test_support::long_tailed_fixture();
  const Eigen::MatrixXd logits = fixture.test_logits();
  Eigen::VectorXi plain(logits.rows());
  for (Eigen::Index i = 0; i < logits.rows(); ++i) logits.row(i).maxCoeff(&plain(i));
  const double before = imbalance::balanced_accuracy(fixture.test_y, plain, 5);
  const imbalance::PostHocLogitAdjustment adjustment(fixture.train_counts);
  const double after = imbalance::balanced_accuracy(fixture.test_y, adjustment.predict(logits), 5);
  INFO("balanced accuracy: plain " << before << ", adjusted " << after);
  CHECK(after > before + 0.05);
}

TEST_CASE("PostHocLogitAdjustment: bad input throws naming the argument", "[posthoc][logit_adjustment]") {
  using Catch::Contains;
  const Eigen::VectorXi counts = (Eigen::VectorXi(3) << 70, 20, 10).finished();
  CHECK_THROWS_WITH(imbalance::PostHocLogitAdjustment(counts, {std::numeric_limits<double>::infinity(), 1e-12}),
                    Contains("tau"));
  CHECK_THROWS_WITH(imbalance::PostHocLogitAdjustment((Eigen::VectorXi(2) << 5, 0).finished(), {1.0, 0.0}),
                    Contains("epsilon"));
  const imbalance::PostHocLogitAdjustment adjustment(counts);
  CHECK_THROWS_WITH(adjustment.predict(Eigen::MatrixXd::Zero(2, 4)), Contains("logits has shape 2x4"));
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3);
  z(1, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(adjustment.predict(z), Contains("logits(1, 0)"));
}
