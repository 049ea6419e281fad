#include <catch2/catch.hpp>

#include <imbalance/losses/any_loss.hpp>
#include <imbalance/losses/ldam.hpp>
#include <imbalance/losses/vs.hpp>

TEST_CASE("AnyLoss: forwards value and gradient unchanged, also on blocks of rows", "[losses][any]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(3) << 50, 10, 2).finished();
  const imbalance::LDAMLoss ldam(counts);
  const imbalance::AnyLoss any = ldam;
  CHECK(any.num_classes() == 3);
  imbalance::AnyLoss::Logits logits(4, 3);
  logits << 0.2, -1, 3, 1, 1, 1, -2, 0.5, 0, 4, -4, 1;
  const Eigen::VectorXi labels = (Eigen::VectorXi(4) << 2, 0, 1, 2).finished();
  imbalance::AnyLoss::Logits g(4, 3), expected(4, 3);
  CHECK(any.value_and_gradient(logits, labels, g) == ldam.value_and_gradient(logits, labels, expected));
  CHECK((g - expected).cwiseAbs().maxCoeff() == 0.0);
  // The first two rows, as the trainer passes a partial batch.
  imbalance::AnyLoss::Logits g2 = imbalance::AnyLoss::Logits::Zero(4, 3), expected2(2, 3);
  const double partial = any.value_and_gradient(logits.topRows(2), labels.head(2), g2.topRows(2));
  CHECK(partial == ldam.value_and_gradient(logits.topRows(2), labels.head(2), expected2));
  CHECK((g2.topRows(2) - expected2).cwiseAbs().maxCoeff() == 0.0);
  CHECK(g2.bottomRows(2).cwiseAbs().maxCoeff() == 0.0);
  // Copies share the loss; another loss behind the same type.
  imbalance::AnyLoss copy = any;
  copy = imbalance::VSLoss(counts);
  CHECK(copy.value_and_gradient(logits, labels, g) == imbalance::VSLoss(counts).value_and_gradient(logits, labels, expected));
  CHECK_THROWS_AS(any.value_and_gradient(logits, labels, g.leftCols(2)), imbalance::invalid_argument);
}
