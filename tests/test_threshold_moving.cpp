#include <catch2/catch.hpp>

#include <imbalance/posthoc/logit_adjustment.hpp>
#include <imbalance/posthoc/threshold_moving.hpp>

#include <limits>

#include "support/loss_checks.hpp"

namespace {
Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& z) {
  Eigen::MatrixXd p = (z.colwise() - z.rowwise().maxCoeff()).array().exp().matrix();
  return p.array().colwise() / p.rowwise().sum().array();
}
}  // namespace

TEST_CASE("ThresholdMoving: post-hoc logit adjustment equals threshold-moving with the prior cost matrix",
          "[posthoc][threshold_moving]") {
  for (double tau : {0.5, 1.0, 2.0}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      INFO("tau " << tau << " seed " << seed);
      const auto batch = test_support::random_batch(500, 7, seed);
      const imbalance::PostHocLogitAdjustment adjustment(batch.counts, {tau, 0.0});
      const imbalance::ThresholdMoving moving(imbalance::prior_cost_matrix(batch.counts, tau));
      const Eigen::MatrixXd logits = batch.logits;
      const Eigen::VectorXi by_adjustment = adjustment.predict(logits);
      const Eigen::VectorXi by_moving = moving.predict(softmax_rows(logits));
      CHECK((by_adjustment.array() == by_moving.array()).all());
      // And with the official epsilon on both sides.
      const imbalance::PostHocLogitAdjustment adjustment_eps(batch.counts, {tau, 1e-12});
      const imbalance::ThresholdMoving moving_eps(imbalance::prior_cost_matrix(batch.counts, tau, 1e-12));
      CHECK((adjustment_eps.predict(logits).array() == moving_eps.predict(softmax_rows(logits)).array()).all());
    }
  }
}

TEST_CASE("ThresholdMoving: rescaled probabilities are renormalised and the cost matrix has the stated rows",
          "[posthoc][threshold_moving]") {
  const Eigen::VectorXi counts = (Eigen::VectorXi(3) << 80, 15, 5).finished();
  const Eigen::MatrixXd cost = imbalance::prior_cost_matrix(counts, 1.0);
  CHECK(cost(0, 0) == 0.0);
  CHECK(cost.row(0).sum() == Approx(1.0 / 0.8));
  CHECK(cost.row(2).sum() == Approx(std::exp(-std::log(0.05))));
  Eigen::MatrixXd p(2, 3);
  p << 0.6, 0.32, 0.08, 0.9, 0.05, 0.05;
  const imbalance::ThresholdMoving moving(cost);
  const Eigen::MatrixXd rescaled = moving.probabilities(p);
  CHECK(rescaled.row(0).sum() == Approx(1.0));
  // Row 0: 0.6/0.8 = 0.75, 0.32/0.15 = 2.13, 0.08/0.05 = 1.6.
  CHECK(moving.predict(p)(0) == 1);
  CHECK(moving.predict(p)(1) == 0);  // 1.125 vs 0.333 vs 1
}

TEST_CASE("ThresholdMoving: bad cost matrices and probabilities throw naming the argument",
          "[posthoc][threshold_moving]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(imbalance::ThresholdMoving(Eigen::MatrixXd::Ones(2, 3)), Contains("cost must be K x K") &&
                                                                                 Contains("2x3"));
  Eigen::MatrixXd negative = Eigen::MatrixXd::Ones(3, 3);
  negative(1, 2) = -0.5;
  CHECK_THROWS_WITH(imbalance::ThresholdMoving(negative), Contains("cost(1, 2) is negative"));
  negative(1, 2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(imbalance::ThresholdMoving(negative), Contains("cost(1, 2)") && Contains("finite"));
  CHECK_THROWS_WITH(imbalance::ThresholdMoving(Eigen::MatrixXd::Zero(3, 3)), Contains("all zero"));
  const imbalance::ThresholdMoving moving(Eigen::MatrixXd::Ones(3, 3));
  CHECK_THROWS_WITH(moving.predict(Eigen::MatrixXd::Constant(2, 3, 0.5)), Contains("sums to 1.5"));
  CHECK_THROWS_WITH(moving.predict(Eigen::MatrixXd::Constant(2, 2, 0.5)), Contains("anyx3"));
  CHECK_THROWS_WITH(imbalance::prior_cost_matrix(Eigen::VectorXi::Ones(3), std::nan("")), Contains("tau"));
  CHECK_THROWS_WITH(imbalance::prior_cost_matrix((Eigen::VectorXi(2) << 4, 0).finished(), 1.0),
                    Contains("infinite cost"));
}
