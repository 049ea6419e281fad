#include <catch2/catch.hpp>

#include <imbalance/losses/balanced_softmax.hpp>
#include <imbalance/losses/logit_adjusted.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::BalancedSoftmaxLoss;
using imbalance::Reduction;

TEST_CASE("BalancedSoftmaxLoss: reproduces the reference case", "[losses][bs]") {
  const int checked = test_support::check_reference_cases("balanced_softmax", [](const nlohmann::json& c) {
    return BalancedSoftmaxLoss(test_support::to_labels(c.at("class_counts")), {test_support::reduction_of(c)});
  });
  CHECK(checked == 1);
}

TEST_CASE("BalancedSoftmaxLoss: equals the logit-adjusted loss with tau = 1 and no epsilon", "[losses][bs]") {
  const auto batch = test_support::random_batch(20, 7, 3);
  const BalancedSoftmaxLoss bs(batch.counts);
  imbalance::LogitAdjustedOptions no_epsilon;
  no_epsilon.tau = 1.0;
  no_epsilon.epsilon = 0.0;
  const imbalance::LogitAdjustedLoss la(batch.counts, no_epsilon);
  test_support::RowMatrixXd g1, g2;
  CHECK(bs.value_and_gradient(batch.logits, batch.labels, g1) ==
        Approx(la.value_and_gradient(batch.logits, batch.labels, g2)).epsilon(1e-13));
  CHECK((g1 - g2).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("BalancedSoftmaxLoss: gradient equals central finite differences", "[losses][bs]") {
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return BalancedSoftmaxLoss(counts, {reduction});
  });
}

TEST_CASE("BalancedSoftmaxLoss: extreme logits stay finite", "[losses][bs]") {
  test_support::check_extreme_logits(
      [](const Eigen::VectorXi& counts, Reduction reduction) { return BalancedSoftmaxLoss(counts, {reduction}); });
}

TEST_CASE("BalancedSoftmaxLoss: zero or missing counts throw", "[losses][bs]") {
  CHECK_THROWS_WITH(BalancedSoftmaxLoss((Eigen::VectorXi(3) << 5, 0, 1).finished()),
                    Catch::Contains("class_counts[1]") && Catch::Contains("> 0"));
  CHECK_THROWS_WITH(BalancedSoftmaxLoss(Eigen::VectorXd()), Catch::Contains("empty"));
}

TEST_CASE("BalancedSoftmaxLoss: per-sample weights (PyTorch float64 autograd)", "[losses][bs]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "balanced_softmax"))
    test_support::check_weighted_case(c, imbalance::BalancedSoftmaxLoss(test_support::to_vector(c.at("class_counts"))));
}
