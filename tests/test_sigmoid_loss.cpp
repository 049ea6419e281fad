// The interface shared by the sigmoid focal family.
#include <catch2/catch.hpp>

#include <imbalance/losses/class_balanced_focal.hpp>
#include <imbalance/losses/sigmoid_focal.hpp>
#include <imbalance/losses/sigmoid_loss.hpp>

#include <limits>

#include "support/loss_checks.hpp"

using Catch::Contains;
using imbalance::Reduction;

TEST_CASE("SigmoidLoss: layouts agree and per_element sums to the Sum reduction", "[losses][interface]") {
  const auto batch = test_support::random_batch(35, 6, 31);
  const imbalance::SigmoidFocalLoss sum(6, {0.25, 1.5, Reduction::Sum});
  const imbalance::SigmoidFocalLoss mean(6, {0.25, 1.5, Reduction::Mean});
  const Eigen::MatrixXd elements = sum.per_element(batch.logits, batch.labels);
  const double total = sum.value(batch.logits, batch.labels);
  CHECK(total == Approx(elements.sum()).epsilon(1e-13));
  CHECK(mean.value(batch.logits, batch.labels) == Approx(total / (35 * 6)).epsilon(1e-13));
  test_support::RowMatrixXd g_row;
  Eigen::MatrixXd g_col;
  const Eigen::MatrixXd col = batch.logits;
  CHECK(sum.value_and_gradient(batch.logits, batch.labels, g_row) == Approx(total).epsilon(1e-13));
  CHECK(sum.value_and_gradient(col, batch.labels, g_col) == Approx(total).epsilon(1e-13));
  CHECK((g_row - g_col).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("SigmoidLoss: bad input throws the documented exception naming the argument", "[losses][interface]") {
  const imbalance::ClassBalancedFocalLoss loss((Eigen::VectorXi(3) << 50, 5, 1).finished());
  Eigen::MatrixXd logits = Eigen::MatrixXd::Random(4, 3);
  Eigen::VectorXi labels(4);
  labels << 0, 1, 2, 1;
  Eigen::MatrixXd grad;
  labels(3) = 5;
  CHECK_THROWS_AS(loss.value(logits, labels), imbalance::out_of_range);
  CHECK_THROWS_WITH(loss.value_and_gradient(logits, labels, grad),
                    Contains("ClassBalancedFocalLoss::value_and_gradient()") && Contains("labels[3] = 5"));
  labels(3) = 1;
  CHECK_THROWS_WITH(loss.value(logits, labels.head(2)), Contains("labels has length 2"));
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd::Zero(4, 2), labels), Contains("logits has shape 4x2"));
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd(0, 3), Eigen::VectorXi()), Contains("empty"));
  logits(2, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(loss.value_and_gradient(logits, labels, grad), Contains("logits(2, 0)") && Contains("inf"));
  logits(2, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(loss.value(logits, labels), Contains("logits(2, 0)"));
}
