#include <catch2/catch.hpp>

#include <imbalance/losses/logit_adjusted.hpp>
#include <imbalance/losses/vs.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::Reduction;
using imbalance::VSLoss;
using imbalance::VSOptions;

namespace {
VSOptions vs_options(double gamma, double tau, Eigen::VectorXd weights, Reduction reduction) {
  VSOptions options;
  options.gamma = gamma;
  options.tau = tau;
  options.class_weights = std::move(weights);
  options.reduction = reduction;
  return options;
}
}  // namespace

TEST_CASE("VSLoss: reproduces the reference cases", "[losses][vs]") {
  const int checked = test_support::check_reference_cases("vs", [](const nlohmann::json& c) {
    const auto& o = c.at("options");
    Eigen::VectorXd weights;
    if (o.contains("class_weights")) weights = test_support::to_vector(o.at("class_weights"));
    return VSLoss(test_support::to_labels(c.at("class_counts")),
                  vs_options(o.at("gamma"), o.at("tau"), weights, test_support::reduction_of(c)));
  });
  CHECK(checked == 3);
}

TEST_CASE("VSLoss: multiplicative adjustment matches the CIFAR-10-LT test vector (gamma 0.2)", "[losses][vs]") {
  Eigen::VectorXi counts(10);
  counts << 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50;
  const VSLoss loss(counts, vs_options(0.2, 1.0, Eigen::VectorXd(), Reduction::Mean));
  const Eigen::VectorXd expected =
      (Eigen::VectorXd(10) << 1.0, 0.9027, 0.8148, 0.7356, 0.6639, 0.5994, 0.5411, 0.4884, 0.4406, 0.3981).finished();
  CHECK((loss.multiplicative_adjustment() - expected).cwiseAbs().maxCoeff() < 5e-5);
  CHECK(loss.additive_adjustment()(0) == Approx(-0.9087).margin(5e-5));
}

TEST_CASE("VSLoss: gamma = 0 is the logit-adjusted loss", "[losses][vs]") {
  const auto batch = test_support::random_batch(15, 5, 8);
  const VSLoss vs(batch.counts, vs_options(0.0, 1.3, Eigen::VectorXd(), Reduction::Mean));
  imbalance::LogitAdjustedOptions no_epsilon;
  no_epsilon.tau = 1.3;
  no_epsilon.epsilon = 0.0;
  const imbalance::LogitAdjustedLoss la(batch.counts, no_epsilon);
  CHECK(vs.value(batch.logits, batch.labels) == Approx(la.value(batch.logits, batch.labels)).epsilon(1e-13));
}

TEST_CASE("VSLoss: gradient equals central finite differences", "[losses][vs]") {
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return VSLoss(counts, vs_options(0.3, 1.0, Eigen::VectorXd(), reduction));
  });
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return VSLoss(counts, vs_options(0.2, 1.2, Eigen::VectorXd::LinSpaced(counts.size(), 0.5, 4.0), reduction));
  });
}

TEST_CASE("VSLoss: extreme logits stay finite", "[losses][vs]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return VSLoss(counts, vs_options(0.3, 1.0, Eigen::VectorXd(), reduction));
  });
}

TEST_CASE("VSLoss: bad options throw naming the argument", "[losses][vs]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(VSLoss(Eigen::VectorXi::Ones(3), vs_options(-0.1, 1.0, Eigen::VectorXd(), Reduction::Mean)),
                    Contains("gamma"));
  CHECK_THROWS_WITH(VSLoss((Eigen::VectorXi(2) << 3, 0).finished()), Contains("class_counts[1]"));
  CHECK_THROWS_WITH(VSLoss(Eigen::VectorXi::Ones(3), vs_options(0.3, 1.0, Eigen::VectorXd::Ones(2), Reduction::Mean)),
                    Contains("class_weights"));
}

TEST_CASE("VSLoss: per-sample weights (PyTorch float64 autograd)", "[losses][vs]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "vs"))
    test_support::check_weighted_case(c, VSLoss(test_support::to_vector(c.at("class_counts")),
                                                vs_options(c.at("options").at("gamma"), c.at("options").at("tau"),
                                                           Eigen::VectorXd(), Reduction::Mean)));
}
