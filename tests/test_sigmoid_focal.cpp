#include <catch2/catch.hpp>

#include <imbalance/losses/sigmoid_focal.hpp>

#include "support/loss_checks.hpp"

using imbalance::Reduction;
using imbalance::SigmoidFocalLoss;

TEST_CASE("SigmoidFocalLoss: reproduces the reference cases (torchvision)", "[losses][sigmoid_focal]") {
  const int checked = test_support::check_reference_cases("sigmoid_focal", [](const nlohmann::json& c) {
    const auto& o = c.at("options");
    return SigmoidFocalLoss(test_support::to_labels(c.at("class_counts")),
                            {o.at("alpha").get<double>(), o.at("gamma").get<double>(), test_support::reduction_of(c)});
  });
  CHECK(checked == 3);
}

TEST_CASE("SigmoidFocalLoss: gamma = 0 / alpha < 0 is binary cross-entropy with logits", "[losses][sigmoid_focal]") {
  const auto batch = test_support::random_batch(6, 4, 21);
  imbalance::SigmoidFocalOptions options;
  options.alpha = -1.0;
  options.gamma = 0.0;
  options.reduction = Reduction::Sum;
  const SigmoidFocalLoss loss(4, options);
  double expected = 0;
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 4; ++j) {
      const double z = batch.logits(i, j);
      const double t = batch.labels(i) == j ? 1.0 : 0.0;
      expected += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::abs(z)));
    }
  CHECK(loss.value(batch.logits, batch.labels) == Approx(expected).epsilon(1e-13));
}

TEST_CASE("SigmoidFocalLoss: gradient equals central finite differences", "[losses][sigmoid_focal]") {
  for (double gamma : {0.0, 0.5, 2.0})
    for (double alpha : {0.25, -1.0})
      test_support::check_finite_differences([gamma, alpha](const Eigen::VectorXi& counts, Reduction reduction) {
        return SigmoidFocalLoss(counts, {alpha, gamma, reduction});
      });
}

TEST_CASE("SigmoidFocalLoss: extreme logits stay finite", "[losses][sigmoid_focal]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return SigmoidFocalLoss(counts, {0.25, 2.0, reduction});
  });
}

TEST_CASE("SigmoidFocalLoss: bad options throw naming the argument", "[losses][sigmoid_focal]") {
  imbalance::SigmoidFocalOptions bad_gamma;
  bad_gamma.gamma = -2.0;
  CHECK_THROWS_WITH(SigmoidFocalLoss(3, bad_gamma), Catch::Contains("gamma"));
  imbalance::SigmoidFocalOptions bad_alpha;
  bad_alpha.alpha = 1.5;
  CHECK_THROWS_WITH(SigmoidFocalLoss(3, bad_alpha), Catch::Contains("alpha"));
}
