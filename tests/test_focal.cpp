#include <catch2/catch.hpp>

#include <imbalance/losses/focal.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::FocalLoss;
using imbalance::FocalOptions;
using imbalance::Reduction;

TEST_CASE("FocalLoss: reproduces the reference cases (LDAM-DRW form)", "[losses][focal]") {
  const int checked = test_support::check_reference_cases("softmax_focal", [](const nlohmann::json& c) {
    FocalOptions options;
    options.reduction = test_support::reduction_of(c);
    const auto& o = c.at("options");
    options.gamma = o.at("gamma").get<double>();
    if (o.contains("class_weights")) options.class_weights = test_support::to_vector(o.at("class_weights"));
    return FocalLoss(test_support::to_labels(c.at("class_counts")), options);
  });
  CHECK(checked == 4);
}

TEST_CASE("FocalLoss: gradient equals central finite differences / gamma in {0 / 0.5 / 1 / 2}", "[losses][focal]") {
  for (double gamma : {0.0, 0.5, 1.0, 2.0}) {
    INFO("gamma " << gamma);
    test_support::check_finite_differences([gamma](const Eigen::VectorXi& counts, Reduction reduction) {
      return FocalLoss(counts, {gamma, Eigen::VectorXd(), reduction});
    });
    test_support::check_finite_differences([gamma](const Eigen::VectorXi& counts, Reduction reduction) {
      return FocalLoss(counts, {gamma, Eigen::VectorXd::LinSpaced(counts.size(), 0.3, 2.5), reduction});
    });
  }
}

TEST_CASE("FocalLoss: gamma = 0 is the unweighted-normaliser cross-entropy", "[losses][focal]") {
  const auto batch = test_support::random_batch(9, 4, 5);
  imbalance::FocalOptions gamma_zero;
  gamma_zero.gamma = 0.0;
  const FocalLoss focal(batch.counts, gamma_zero);
  const Eigen::VectorXd ce = focal.per_sample(batch.logits, batch.labels);
  for (Eigen::Index i = 0; i < 9; ++i) {
    const auto row = batch.logits.row(i);
    const double lse = row.maxCoeff() + std::log((row.array() - row.maxCoeff()).exp().sum());
    CHECK(ce(i) == Approx(lse - row(batch.labels(i))).epsilon(1e-12));
  }
}

TEST_CASE("FocalLoss: gamma < 1 at a perfect prediction gives zero loss and gradient / no NaN", "[losses][focal]") {
  Eigen::MatrixXd logits = Eigen::MatrixXd::Constant(2, 3, -800.0);
  logits(0, 1) = 800.0;
  logits(1, 2) = 800.0;
  const Eigen::VectorXi labels = (Eigen::VectorXi(2) << 1, 2).finished();
  imbalance::FocalOptions half;
  half.gamma = 0.5;
  const FocalLoss loss(3, half);
  Eigen::MatrixXd grad;
  CHECK(loss.value_and_gradient(logits, labels, grad) == 0.0);
  CHECK(grad.allFinite());
  CHECK(grad.cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("FocalLoss: extreme logits stay finite", "[losses][focal]") {
  for (double gamma : {0.25, 2.0})
    test_support::check_extreme_logits([gamma](const Eigen::VectorXi& counts, Reduction reduction) {
      return FocalLoss(counts, {gamma, Eigen::VectorXd(), reduction});
    });
}

TEST_CASE("FocalLoss: negative gamma throws naming gamma", "[losses][focal]") {
  imbalance::FocalOptions negative;
  negative.gamma = -0.5;
  CHECK_THROWS_AS(FocalLoss(3, negative), imbalance::invalid_argument);
  CHECK_THROWS_WITH(FocalLoss(3, negative),
                    Catch::Contains("gamma") && Catch::Contains("-0.5"));
}

TEST_CASE("FocalLoss: per-sample weights (PyTorch float64 autograd)", "[losses][focal]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "softmax_focal")) {
    imbalance::FocalOptions o;
    o.gamma = c.at("options").at("gamma");
    o.class_weights = test_support::to_vector(c.at("options").at("class_weights"));
    test_support::check_weighted_case(c, imbalance::FocalLoss(o.class_weights.size(), o));
  }
}
