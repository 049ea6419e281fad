#include <catch2/catch.hpp>

#include <imbalance/losses/distribution_balanced.hpp>

#include "support/wave2.hpp"

using imbalance::DistributionBalancedLoss;
using imbalance::DistributionBalancedOptions;
using imbalance::Reduction;
using Catch::Contains;

namespace {
DistributionBalancedOptions db_options(const nlohmann::json& o) {
  DistributionBalancedOptions d;
  d.focal = o.at("focal");
  d.gamma = o.at("gamma");
  d.balance_param = o.at("balance_param");
  d.neg_scale = o.at("neg_scale");
  d.init_bias = o.at("init_bias");
  d.map_alpha = o.at("map_alpha");
  d.map_beta = o.at("map_beta");
  d.map_gamma = o.at("map_gamma");
  d.loss_weight = o.at("loss_weight");
  return d;
}
}  // namespace

TEST_CASE("DistributionBalancedLoss: reproduces the official ResampleLoss (rebalance + NTR + focal)",
          "[losses][distribution_balanced]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "distribution_balanced")) {
    INFO("case " << c.at("name").get<std::string>());
    const DistributionBalancedLoss loss(test_support::to_vector(c.at("class_counts")),
                                        c.at("options").at("train_num").get<double>(), db_options(c.at("options")));
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::MatrixXd t = test_support::to_matrix(c.at("targets"));
    const double expected = c.at("value");
    Eigen::MatrixXd grad;
    CHECK(test_support::relative_error(loss.value_multi_label(z, t), expected) <= 1e-10);
    CHECK(test_support::relative_error(loss.value_and_gradient_multi_label(z, t, grad), expected) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    test_support::RowMatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient_multi_label(z.cast<float>(), t, grad_float), expected) <= 1e-5);
    CHECK(test_support::relative_error(grad_float, test_support::to_matrix(c.at("gradient"))) <= 1e-5);
  }
}

TEST_CASE("DistributionBalancedLoss: single labels are one-hot targets, finite differences", "[losses][distribution_balanced]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(4) << 300, 90, 20, 4).finished();
  const test_support::RowMatrixXd z = test_support::random_logits(7, 4, 61);
  const Eigen::VectorXi y = test_support::random_labels(7, 4, 62);
  const Eigen::VectorXd s = test_support::random_weights(7, 63);
  Eigen::MatrixXd one_hot = Eigen::MatrixXd::Zero(7, 4);
  for (Eigen::Index i = 0; i < 7; ++i) one_hot(i, y(i)) = 1;
  for (bool focal : {true, false})
    for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
      DistributionBalancedOptions o;
      o.focal = focal;
      o.reduction = r;
      const DistributionBalancedLoss loss(counts, 500, o);
      test_support::RowMatrixXd grad, grad_multi;
      CHECK(loss.value_and_gradient(z, y, grad, s) ==
            Approx(loss.value_and_gradient_multi_label(z, one_hot, grad_multi, s)).epsilon(1e-15));
      CHECK(grad == grad_multi);
      Eigen::MatrixXd multi = one_hot;
      multi(0, (y(0) + 1) % 4) = 1;  // a second positive label
      loss.value_and_gradient_multi_label(z, multi, grad_multi, s);
      CHECK(test_support::finite_difference_error(
                [&](const test_support::RowMatrixXd& x) {
                  test_support::RowMatrixXd g;
                  return loss.value_and_gradient_multi_label(x, multi, g, s);
                },
                z, grad_multi) <= 1e-7);
    }
}

TEST_CASE("DistributionBalancedLoss: bad input", "[losses][distribution_balanced]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(3) << 30, 9, 2).finished();
  CHECK_THROWS_WITH(DistributionBalancedLoss(counts, 30), Contains("num_samples must exceed every class count"));
  const DistributionBalancedLoss loss(counts, 40);
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(2, 3);
  t(0, 1) = 1;
  CHECK_THROWS_WITH(loss.value_multi_label(Eigen::MatrixXd::Zero(2, 3), t), Contains("targets row 1 has no positive label"));
  t(1, 2) = 0.5;
  CHECK_THROWS_WITH(loss.value_multi_label(Eigen::MatrixXd::Zero(2, 3), t), Contains("targets(1, 2) must be 0 or 1 (got 0.5)"));
  CHECK_THROWS_WITH(loss.value_multi_label(Eigen::MatrixXd::Zero(2, 3), Eigen::MatrixXd::Ones(3, 3)),
                    Contains("targets has shape 3x3 but 2x3 is required"));
}

TEST_CASE("DistributionBalancedLoss: multi-hot targets with per-sample weights (PyTorch float64 autograd)",
          "[losses][distribution_balanced]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "distribution_balanced"))
    test_support::check_multi_label_case(c, DistributionBalancedLoss(test_support::to_vector(c.at("class_counts")),
                                                                     c.at("options").at("train_num").get<double>(),
                                                                     db_options(c.at("options"))));
}
