#include <catch2/catch.hpp>

#include <imbalance/losses/class_balanced_focal.hpp>
#include <imbalance/losses/sigmoid_focal.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

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

TEST_CASE("SigmoidFocalLoss: per-sample weights and multi-hot targets (PyTorch float64 autograd)",
          "[losses][sigmoid_focal]") {
  int multi_label = 0;
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "sigmoid_focal")) {
    imbalance::SigmoidFocalOptions o;
    o.alpha = c.at("options").at("alpha");
    o.gamma = c.at("options").at("gamma");
    o.reduction = test_support::reduction_of(c);
    const SigmoidFocalLoss loss(static_cast<Eigen::Index>(c.at("class_counts").size()), o);
    if (c.contains("targets")) {
      test_support::check_multi_label_case(c, loss);
      ++multi_label;
    } else {
      test_support::check_weighted_case(c, loss);
    }
  }
  CHECK(multi_label == 8);
}

TEST_CASE("SigmoidFocalLoss: multi-hot finite differences and bad targets", "[losses][sigmoid_focal]") {
  const test_support::RowMatrixXd z = test_support::random_logits(6, 4, 71);
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(6, 4);
  t(0, 1) = t(0, 2) = t(2, 3) = t(5, 0) = 1;  // rows with 0, 1 or 2 positives
  const Eigen::VectorXd s = test_support::random_weights(6, 72);
  const SigmoidFocalLoss loss(4);
  test_support::RowMatrixXd grad;
  loss.value_and_gradient_multi_label(z, t, grad, s);
  CHECK(test_support::finite_difference_error(
            [&](const test_support::RowMatrixXd& x) {
              test_support::RowMatrixXd g;
              return loss.value_and_gradient_multi_label(x, t, g, s);
            },
            z, grad) <= 1e-7);
  t(3, 3) = 2;
  CHECK_THROWS_WITH(loss.value_multi_label(z, t), Catch::Contains("targets(3, 3) must be 0 or 1 (got 2)"));
  const imbalance::ClassBalancedFocalLoss weighted((Eigen::VectorXd(4) << 10, 5, 2, 1).finished());
  CHECK_THROWS_WITH(weighted.value_multi_label(z, Eigen::MatrixXd::Zero(6, 4)), Catch::Contains("per-class weights"));
}
