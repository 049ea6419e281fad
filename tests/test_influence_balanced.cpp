#include <catch2/catch.hpp>

#include <imbalance/losses/influence_balanced.hpp>

#include "support/wave2.hpp"

using imbalance::InfluenceBalancedLoss;
using imbalance::InfluenceBalancedOptions;
using imbalance::Reduction;
using Catch::Contains;

TEST_CASE("InfluenceBalancedLoss: reproduces the official loss, its logits' and features' gradients", "[losses][ib]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "ib")) {
    INFO("case " << c.at("name").get<std::string>());
    InfluenceBalancedOptions o;
    o.alpha = c.at("options").at("alpha");
    o.epsilon = c.at("options").at("epsilon");
    if (!c.at("options").at("class_weights").is_null())
      o.class_weights = test_support::to_vector(c.at("options").at("class_weights"));
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const InfluenceBalancedLoss loss(z.cols(), o);
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const Eigen::VectorXd a = test_support::to_vector(c.at("features_l1"));
    const double expected = c.at("value");
    Eigen::MatrixXd grad;
    Eigen::VectorXd grad_a;
    CHECK(test_support::relative_error(loss.value(z, y, a), expected) <= 1e-10);
    CHECK(test_support::relative_error(loss.value_and_gradients(z, y, a, grad, grad_a, Eigen::VectorXd()), expected) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    CHECK(test_support::relative_error(grad_a, test_support::to_vector(c.at("gradient_features_l1"))) <= 1e-10);
    test_support::RowMatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(z.cast<float>(), y, a.cast<float>(), grad_float), expected) <= 1e-4);
    CHECK(test_support::relative_error(grad_float, test_support::to_matrix(c.at("gradient"))) <= 1e-4);
  }
}

TEST_CASE("InfluenceBalancedLoss: finite differences in the logits and the feature norms, every reduction",
          "[losses][ib]") {
  const test_support::RowMatrixXd z = test_support::random_logits(10, 4, 21);
  const Eigen::VectorXi y = test_support::random_labels(10, 4, 22);
  const Eigen::VectorXd s = test_support::random_weights(10, 23);
  Eigen::VectorXd a = 1.0 + test_support::random_weights(10, 24).array();
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    InfluenceBalancedOptions o;
    o.alpha = 10;
    o.class_weights = (Eigen::VectorXd(4) << 0.5, 1, 1.5, 2).finished();
    o.reduction = r;
    const InfluenceBalancedLoss loss(4, o);
    test_support::RowMatrixXd grad;
    Eigen::VectorXd grad_a;
    loss.value_and_gradients(z, y, a, grad, grad_a, s);
    auto value_of = [&](const test_support::RowMatrixXd& x, const Eigen::VectorXd& features) {
      Eigen::MatrixXd g;
      Eigen::VectorXd ga;
      return loss.value_and_gradients(x, y, features, g, ga, s);
    };
    CHECK(test_support::finite_difference_error([&](const test_support::RowMatrixXd& x) { return value_of(x, a); }, z,
                                                grad) <= 1e-6);
    CHECK(test_support::finite_difference_error(
              [&](const test_support::RowMatrixXd& x) { return value_of(z, x.transpose()); },
              test_support::RowMatrixXd(a.transpose()), test_support::RowMatrixXd(grad_a.transpose())) <= 1e-6);
  }
}

TEST_CASE("InfluenceBalancedLoss: bad input", "[losses][ib]") {
  const InfluenceBalancedLoss loss(3);
  const Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 2).finished();
  CHECK_THROWS_WITH(loss.value(z, y, Eigen::VectorXd::Ones(3)), Contains("features_l1 has length 3"));
  CHECK_THROWS_WITH(loss.value(z, y, (Eigen::VectorXd(2) << 1, -2).finished()), Contains("features_l1[1]"));
  InfluenceBalancedOptions o;
  o.alpha = 0;
  CHECK_THROWS_WITH(InfluenceBalancedLoss(3, o), Contains("alpha"));
}

TEST_CASE("InfluenceBalancedLoss: per-sample weights (PyTorch float64 autograd)", "[losses][ib]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "ib")) {
    InfluenceBalancedOptions o;
    o.class_weights = test_support::to_vector(c.at("options").at("class_weights"));
    const InfluenceBalancedLoss loss(o.class_weights.size(), o);
    Eigen::MatrixXd grad;
    Eigen::VectorXd grad_a;
    const double value = loss.value_and_gradients(test_support::to_matrix(c.at("logits")), test_support::to_labels(c.at("labels")),
                                                  test_support::to_vector(c.at("features_l1")), grad, grad_a,
                                                  test_support::to_vector(c.at("sample_weights")));
    CHECK(test_support::relative_error(value, c.at("value").get<double>()) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
  }
}
