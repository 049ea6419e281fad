#include <catch2/catch.hpp>

#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/losses/logit_adjusted.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::LogitAdjustedLoss;
using imbalance::LogitAdjustedOptions;
using imbalance::Reduction;

TEST_CASE("LogitAdjustedLoss: reproduces the reference cases", "[losses][la]") {
  const int checked = test_support::check_reference_cases("logit_adjusted", [](const nlohmann::json& c) {
    LogitAdjustedOptions options;
    options.tau = c.at("options").at("tau").get<double>();
    options.reduction = test_support::reduction_of(c);
    return LogitAdjustedLoss(test_support::to_labels(c.at("class_counts")), options);
  });
  CHECK(checked == 3);
}

TEST_CASE("LogitAdjustedLoss: equals cross-entropy on z + log(pi^tau + 1e-12)", "[losses][la]") {
  const auto batch = test_support::random_batch(11, 6, 17);
  imbalance::LogitAdjustedOptions options;
  options.tau = 1.7;
  options.epsilon = 1e-12;
  const LogitAdjustedLoss loss(batch.counts, options);
  const Eigen::VectorXd pi = batch.counts.cast<double>() / batch.counts.sum();
  const Eigen::RowVectorXd shift = (pi.array().pow(1.7) + 1e-12).log().matrix().transpose();
  const test_support::RowMatrixXd shifted = batch.logits.rowwise() + shift;
  const imbalance::CrossEntropyLoss ce(batch.counts.size());
  CHECK(loss.value(batch.logits, batch.labels) == Approx(ce.value(shifted, batch.labels)).epsilon(1e-13));
}

TEST_CASE("LogitAdjustedLoss: gradient equals central finite differences", "[losses][la]") {
  for (double tau : {0.0, 1.0, 2.5})
    test_support::check_finite_differences([tau](const Eigen::VectorXi& counts, Reduction reduction) {
      return LogitAdjustedLoss(counts, {tau, 1e-12, reduction});
    });
}

TEST_CASE("LogitAdjustedLoss: extreme logits stay finite", "[losses][la]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return LogitAdjustedLoss(counts, {1.0, 1e-12, reduction});
  });
}

TEST_CASE("LogitAdjustedLoss: bad options throw naming the argument", "[losses][la]") {
  using Catch::Contains;
  const Eigen::VectorXi counts = (Eigen::VectorXi(3) << 5, 0, 1).finished();
  CHECK_NOTHROW(LogitAdjustedLoss(counts));  // epsilon keeps an empty class finite
  imbalance::LogitAdjustedOptions no_epsilon;
  no_epsilon.tau = 1.0;
  no_epsilon.epsilon = 0.0;
  CHECK_THROWS_WITH(LogitAdjustedLoss(counts, no_epsilon), Contains("class_counts[1]"));
  imbalance::LogitAdjustedOptions nan_tau;
  nan_tau.tau = std::nan("");
  nan_tau.epsilon = 1e-12;
  CHECK_THROWS_WITH(LogitAdjustedLoss(counts, nan_tau), Contains("tau"));
  CHECK_THROWS_WITH(LogitAdjustedLoss((Eigen::VectorXi(2) << 1, -2).finished()), Contains("class_counts[1]"));
}

TEST_CASE("LogitAdjustedLoss: per-sample weights (PyTorch float64 autograd)", "[losses][la]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "logit_adjusted")) {
    imbalance::LogitAdjustedOptions o;
    o.tau = c.at("options").at("tau");
    test_support::check_weighted_case(c, imbalance::LogitAdjustedLoss(test_support::to_vector(c.at("class_counts")), o));
  }
}
