#include <catch2/catch.hpp>

#include <imbalance/losses/ldam.hpp>
#include <imbalance/losses/parametric_cross_entropy.hpp>
#include <imbalance/losses/vs.hpp>

#include "support/wave2.hpp"

using imbalance::ParametricCrossEntropyLoss;
using imbalance::ParametricCrossEntropyOptions;
using Catch::Contains;

TEST_CASE("ParametricCrossEntropyLoss: reproduces CE(alpha, Delta, iota, m) (PyTorch float64 autograd)",
          "[losses][parametric_ce]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "parametric_ce")) {
    INFO("case " << c.at("name").get<std::string>());
    const auto& o = c.at("options");
    ParametricCrossEntropyOptions p;
    p.multiplicative = test_support::to_vector(o.at("multiplicative"));
    p.additive = test_support::to_vector(o.at("additive"));
    p.target_margin = test_support::to_vector(o.at("target_margin"));
    p.class_weights = test_support::to_vector(o.at("class_weights"));
    p.normalizer = o.at("normalizer") == "batch_size" ? imbalance::Normalizer::BatchSize : imbalance::Normalizer::WeightSum;
    p.reduction = test_support::reduction_of(c);
    const ParametricCrossEntropyLoss loss(p.multiplicative.size(), p);
    if (c.contains("sample_weights")) {
      test_support::check_weighted_case(c, loss);
    } else {
      const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
      const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
      Eigen::MatrixXd grad;
      CHECK(test_support::relative_error(loss.value_and_gradient(z, y, grad), c.at("value").get<double>()) <= 1e-10);
      CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    }
  }
}

TEST_CASE("ParametricCrossEntropyLoss: LA, VS, CDT and LDAM are special cases", "[losses][parametric_ce]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(5) << 1000, 300, 90, 20, 4).finished();
  const test_support::RowMatrixXd z = test_support::random_logits(11, 5, 81);
  const Eigen::VectorXi y = test_support::random_labels(11, 5, 82);
  test_support::RowMatrixXd g1, g2;
  auto same = [&](const auto& a, const auto& b) {
    CHECK(a.value_and_gradient(z, y, g1) == Approx(b.value_and_gradient(z, y, g2)).epsilon(1e-14));
    CHECK((g1 - g2).cwiseAbs().maxCoeff() <= 1e-15);
  };
  imbalance::VSOptions vs;
  vs.gamma = 0.2;
  vs.tau = 1.2;
  same(ParametricCrossEntropyLoss::vs(counts, 0.2, 1.2), imbalance::VSLoss(counts, vs));
  vs.tau = 0;
  same(ParametricCrossEntropyLoss::cdt(counts, 0.2), imbalance::VSLoss(counts, vs));
  vs.gamma = 0;
  vs.tau = 0.7;
  same(ParametricCrossEntropyLoss::logit_adjusted(counts, 0.7), imbalance::VSLoss(counts, vs));
  imbalance::LDAMOptions ldam;
  ldam.max_margin = 0.4;
  ldam.scale = 10;
  same(ParametricCrossEntropyLoss::ldam(counts, 0.4, 10), imbalance::LDAMLoss(counts, ldam));
}

TEST_CASE("ParametricCrossEntropyLoss: finite differences, bad options", "[losses][parametric_ce]") {
  ParametricCrossEntropyOptions p;
  p.multiplicative = (Eigen::VectorXd(3) << 1.5, 0.5, 2).finished();
  p.target_margin = (Eigen::VectorXd(3) << 0.1, 0.5, 1).finished();
  test_support::check_finite_differences([&](const Eigen::VectorXi& counts, imbalance::Reduction r) {
    ParametricCrossEntropyOptions o;
    o.multiplicative = Eigen::VectorXd::LinSpaced(counts.size(), 0.5, 1.5);
    o.additive = Eigen::VectorXd::LinSpaced(counts.size(), -1, 1);
    o.target_margin = Eigen::VectorXd::LinSpaced(counts.size(), 0.2, 0.6);
    o.class_weights = Eigen::VectorXd::LinSpaced(counts.size(), 2, 0.5);
    o.reduction = r;
    return ParametricCrossEntropyLoss(counts.size(), o);
  });
  p.multiplicative(1) = 0;
  CHECK_THROWS_WITH(ParametricCrossEntropyLoss(3, p), Contains("multiplicative[1] must be finite and > 0 (got 0)"));
  p.multiplicative(1) = 1;
  p.additive = Eigen::VectorXd::Zero(2);
  CHECK_THROWS_WITH(ParametricCrossEntropyLoss(3, p), Contains("additive has length 2 but there are 3 classes"));
}
