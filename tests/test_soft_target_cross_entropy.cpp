#include <catch2/catch.hpp>

#include <imbalance/losses/soft_target_cross_entropy.hpp>

#include <imbalance/losses/cross_entropy.hpp>

#include "support/reference.hpp"
#include "support/wave2.hpp"

using imbalance::Reduction;
using imbalance::SoftTargetCrossEntropy;
using Catch::Contains;

TEST_CASE("Soft-target cross-entropy equals PyTorch's cross_entropy with probability targets", "[losses][soft_target]") {
  const auto cases = test_support::load_json("weak_supervision.json").at("soft_target_cross_entropy");
  REQUIRE(cases.size() == 6);
  for (const auto& c : cases) {
    INFO(c.at("name").get<std::string>());
    const test_support::RowMatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::MatrixXd t = test_support::to_matrix(c.at("targets"));
    const Eigen::VectorXd s = test_support::to_vector(c.at("sample_weights"));
    const SoftTargetCrossEntropy loss(z.cols(), c.at("reduction") == "mean" ? Reduction::Mean : Reduction::Sum);
    test_support::RowMatrixXd g(z.rows(), z.cols());
    CHECK(test_support::relative_error(loss.value(z, t), c.at("value").get<double>()) <= 1e-12);
    CHECK(test_support::relative_error(loss.value_and_gradient(z, t, g), c.at("value").get<double>()) <= 1e-12);
    CHECK(test_support::relative_error(g, test_support::to_matrix(c.at("gradient"))) <= 1e-12);
    Eigen::MatrixXd gw(z.rows(), z.cols());  // column-major gradient, weighted
    CHECK(test_support::relative_error(loss.value_and_gradient(Eigen::MatrixXd(z), t, gw, s),
                                       c.at("weighted_value").get<double>()) <= 1e-12);
    CHECK(test_support::relative_error(gw, test_support::to_matrix(c.at("weighted_gradient"))) <= 1e-12);
    // float
    Eigen::MatrixXf gf(z.rows(), z.cols());
    CHECK(test_support::relative_error(static_cast<double>(loss.value_and_gradient(z.cast<float>(), t.cast<float>(), gf)),
                                       c.at("value").get<double>()) <= 1e-5);
    CHECK(test_support::relative_error(gf, test_support::to_matrix(c.at("gradient"))) <= 1e-5);
  }
}

TEST_CASE("Soft-target cross-entropy: one-hot targets give the cross-entropy, finite differences", "[losses][soft_target]") {
  const test_support::RowMatrixXd z = test_support::random_logits(9, 5, 401);
  const Eigen::VectorXi y = test_support::random_labels(9, 5, 402);
  Eigen::MatrixXd onehot = Eigen::MatrixXd::Zero(9, 5);
  for (Eigen::Index i = 0; i < 9; ++i) onehot(i, y(i)) = 1;
  const SoftTargetCrossEntropy soft(5);
  const imbalance::CrossEntropyLoss ce(5);
  test_support::RowMatrixXd g1(9, 5), g2(9, 5);
  CHECK(soft.value_and_gradient(z, onehot, g1) == Approx(ce.value_and_gradient(z, y, g2)).epsilon(1e-14));
  CHECK((g1 - g2).cwiseAbs().maxCoeff() <= 1e-15);
  Eigen::MatrixXd t = Eigen::MatrixXd::Random(9, 5).cwiseAbs();
  const Eigen::VectorXd s = test_support::random_weights(9, 403);
  test_support::RowMatrixXd g(9, 5);
  soft.value_and_gradient(z, t, g, s);
  const double error = test_support::finite_difference_error(
      [&](const test_support::RowMatrixXd& x) {
        test_support::RowMatrixXd unused(9, 5);
        return soft.value_and_gradient(x, t, unused, s);
      },
      z, g);
  CHECK(error <= 1e-7);
}

TEST_CASE("Soft-target cross-entropy bad input", "[losses][soft_target]") {
  const SoftTargetCrossEntropy loss(3);
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3), t = Eigen::MatrixXd::Constant(2, 3, 1.0 / 3);
  t(1, 2) = -0.1;
  CHECK_THROWS_WITH(loss.value(z, t), Contains("targets(1, 2) must be finite and >= 0 (got -0.1"));
  CHECK_THROWS_WITH(loss.value(z, Eigen::MatrixXd::Zero(3, 3)), Contains("targets has shape 3x3 but 2x3"));
  CHECK_THROWS_WITH(SoftTargetCrossEntropy(3, Reduction::None), Contains("Mean or Sum"));
  z(0, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(loss.value(z, Eigen::MatrixXd::Zero(2, 3)), Contains("logits(0, 1) is not finite"));
}
