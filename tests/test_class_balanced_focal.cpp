#include <catch2/catch.hpp>

#include <imbalance/losses/class_balanced_focal.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::ClassBalancedFocalLoss;
using imbalance::ClassBalancedFocalOptions;
using imbalance::Reduction;

namespace {
ClassBalancedFocalOptions cb_options(double beta, double gamma, Reduction reduction) {
  ClassBalancedFocalOptions options;
  options.beta = beta;
  options.gamma = gamma;
  options.reduction = reduction;
  return options;
}
}  // namespace

TEST_CASE("ClassBalancedFocalLoss: reproduces the reference cases (sigmoid and focal)", "[losses][cb_focal]") {
  int checked = 0;
  for (const char* name : {"cb_sigmoid", "cb_focal"}) {
    checked += test_support::check_reference_cases(name, [](const nlohmann::json& c) {
      const auto& o = c.at("options");
      // Built from beta: the weights must come out as the reference's.
      ClassBalancedFocalLoss loss(test_support::to_labels(c.at("class_counts")),
                                  cb_options(o.at("cb_beta"), o.value("gamma", 0.0), test_support::reduction_of(c)));
      CHECK(test_support::relative_error(loss.class_weights(), test_support::to_vector(o.at("class_weights"))) < 1e-12);
      return loss;
    });
  }
  CHECK(checked == 4);
}

TEST_CASE("ClassBalancedFocalLoss: gradient equals central finite differences", "[losses][cb_focal]") {
  for (double gamma : {0.0, 0.5, 1.0, 2.0})
    test_support::check_finite_differences([gamma](const Eigen::VectorXi& counts, Reduction reduction) {
      return ClassBalancedFocalLoss(counts, cb_options(0.999, gamma, reduction));
    });
}

TEST_CASE("ClassBalancedFocalLoss: logits below -88.7 stay exact in float (official code overflows there)",
          "[losses][cb_focal]") {
  Eigen::MatrixXf logits(1, 2);
  logits << -100.0f, 5.0f;
  const Eigen::VectorXi labels = (Eigen::VectorXi(1) << 0).finished();
  const ClassBalancedFocalLoss loss(Eigen::VectorXi::Ones(2), cb_options(0.0, 1.0, Reduction::Sum));
  Eigen::MatrixXf grad;
  const float value = loss.value_and_gradient(logits, labels, grad);
  // Target term: M = (1 - sigma(-100))^1 ~ 1, BCE = softplus(100) = 100; non-target: sigma(5) * softplus(5).
  const double expected = 100.0 + (1.0 / (1.0 + std::exp(-5.0))) * (5.0 + std::log1p(std::exp(-5.0)));
  CHECK(value == Approx(expected).epsilon(1e-6));
  CHECK(grad.allFinite());
  CHECK(grad(0, 0) == Approx(-1.0f).epsilon(1e-5));
}

TEST_CASE("ClassBalancedFocalLoss: extreme logits stay finite", "[losses][cb_focal]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return ClassBalancedFocalLoss(counts, cb_options(0.9999, 0.5, reduction));
  });
}

TEST_CASE("ClassBalancedFocalLoss: bad options throw naming the argument", "[losses][cb_focal]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(ClassBalancedFocalLoss(Eigen::VectorXi::Ones(3), cb_options(1.0, 1.0, Reduction::Mean)),
                    Contains("beta"));
  CHECK_THROWS_WITH(ClassBalancedFocalLoss(Eigen::VectorXi::Ones(3), cb_options(0.9, -1.0, Reduction::Mean)),
                    Contains("gamma"));
  CHECK_THROWS_WITH(ClassBalancedFocalLoss((Eigen::VectorXi(2) << 4, 0).finished()), Contains("class_counts[1]"));
}

TEST_CASE("ClassBalancedFocalLoss: per-sample weights (PyTorch float64 autograd)", "[losses][cb_focal]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "cb_focal")) {
    imbalance::ClassBalancedFocalOptions o;
    o.gamma = c.at("options").at("gamma");
    o.class_weights = test_support::to_vector(c.at("options").at("class_weights"));
    test_support::check_weighted_case(c, imbalance::ClassBalancedFocalLoss(test_support::to_vector(c.at("class_counts")), o));
  }
}
