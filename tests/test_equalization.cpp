#include <catch2/catch.hpp>

#include <imbalance/losses/equalization.hpp>

#include "support/wave2.hpp"

using imbalance::EqualizationLoss;
using imbalance::EqualizationOptions;
using imbalance::Reduction;
using Catch::Contains;

namespace {
EqualizationLoss eql_from_case(const nlohmann::json& c) {
  EqualizationOptions o;
  o.lambda = c.at("options").at("lambda");
  o.class_frequency = test_support::to_vector(c.at("options").at("class_frequency"));
  o.reduction = test_support::reduction_of(c);
  return EqualizationLoss(test_support::to_vector(c.at("class_counts")), o);
}
}  // namespace

TEST_CASE("EqualizationLoss: reproduces the official sigmoid EQL (mean, sum, none)", "[losses][eql]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "eql")) {
    INFO("case " << c.at("name").get<std::string>());
    const EqualizationLoss loss = eql_from_case(c);
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::MatrixXd expected_grad = test_support::to_matrix(c.at("gradient"));
    const double expected = c.contains("value") ? c.at("value").get<double>()
                                                : test_support::to_vector(c.at("per_sample")).sum();
    Eigen::MatrixXd grad;
    CHECK(test_support::relative_error(loss.value_and_gradient(z, y, grad), expected) <= 1e-10);
    CHECK(test_support::relative_error(grad, expected_grad) <= 1e-10);
    test_support::RowMatrixXd row_grad;
    CHECK(test_support::relative_error(loss.value_and_gradient(test_support::RowMatrixXd(z), y, row_grad), expected) <= 1e-10);
    CHECK(test_support::relative_error(row_grad, expected_grad) <= 1e-10);
    Eigen::MatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(z.cast<float>(), y, grad_float), expected) <= 1e-5);
    CHECK(test_support::relative_error(grad_float, expected_grad) <= 1e-5);
    if (c.contains("per_sample"))
      CHECK(test_support::relative_error(loss.per_sample(z, y), test_support::to_vector(c.at("per_sample"))) <= 1e-10);
  }
}

TEST_CASE("EqualizationLoss: tail classes get no suppressing gradient, finite differences", "[losses][eql]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(4) << 900, 80, 15, 5).finished();
  EqualizationOptions o;
  o.lambda = 0.02;  // frequencies 0.9, 0.08, 0.015, 0.005: classes 2 and 3 are tail classes
  const EqualizationLoss loss(counts, o);
  CHECK(loss.tail_classes() == (Eigen::VectorXi(4) << 0, 0, 1, 1).finished());
  const test_support::RowMatrixXd z = test_support::random_logits(9, 4, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(9) << 0, 1, 2, 3, 0, 0, 1, 2, 0).finished();
  test_support::RowMatrixXd grad;
  loss.value_and_gradient(z, y, grad);
  for (Eigen::Index i = 0; i < 9; ++i)
    for (Eigen::Index j = 2; j < 4; ++j)
      if (y(i) != j) CHECK(grad(i, j) == 0.0);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    EqualizationOptions ro = o;
    ro.reduction = r;
    const EqualizationLoss l(counts, ro);
    const Eigen::VectorXd s = test_support::random_weights(9, 5);
    test_support::RowMatrixXd g;
    l.value_and_gradient(z, y, g, s);
    CHECK(test_support::finite_difference_error([&](const test_support::RowMatrixXd& x) { return l.value(x, y, s); },
                                                z, g) <= 1e-7);
  }
}

TEST_CASE("EqualizationLoss: bad input", "[losses][eql]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(3) << 10, 5, 1).finished();
  EqualizationOptions o;
  o.class_frequency = Eigen::VectorXd::Ones(2);
  CHECK_THROWS_WITH(EqualizationLoss(counts, o), Contains("class_frequency has length 2 but there are 3 classes"));
  const EqualizationLoss loss(counts);
  const Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 2).finished();
  Eigen::MatrixXd g;
  CHECK_THROWS_WITH(loss.value_and_gradient(z, y, g, Eigen::VectorXd::Ones(3)),
                    Contains("sample_weights has length 3"));
  CHECK_THROWS_WITH(loss.value_and_gradient(z, y, g, (Eigen::VectorXd(2) << 1, -0.5).finished()),
                    Contains("sample_weights[1] must be finite and >= 0 (got -0.5)"));
}

TEST_CASE("EqualizationLoss: per-sample weights (PyTorch float64 autograd)", "[losses][eql]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "eql")) test_support::check_weighted_case(c, eql_from_case(c));
}
