// The interface shared by every softmax-family loss: layouts, expressions, outputs, bad input.
#include <catch2/catch.hpp>

#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/losses/focal.hpp>
#include <imbalance/losses/ldam.hpp>
#include <imbalance/losses/softmax_loss.hpp>
#include <imbalance/losses/vs.hpp>

#include <limits>
#include <thread>
#include <vector>

#include "support/loss_checks.hpp"

using Catch::Contains;
using imbalance::Reduction;

TEST_CASE("SoftmaxLoss: every layout and expression gives the same numbers", "[losses][interface]") {
  const auto batch = test_support::random_batch(37, 9, 4);  // 37 rows: two full blocks and a partial one
  imbalance::VSOptions options;
  options.class_weights = Eigen::VectorXd::LinSpaced(9, 0.5, 3.0);
  const imbalance::VSLoss loss(batch.counts, options);
  test_support::RowMatrixXd reference_grad;
  const double reference = loss.value_and_gradient(batch.logits, batch.labels, reference_grad);

  const Eigen::MatrixXd col_major = batch.logits;
  Eigen::MatrixXd grad_col;
  CHECK(loss.value_and_gradient(col_major, batch.labels, grad_col) == Approx(reference).epsilon(1e-14));
  CHECK((grad_col - reference_grad).cwiseAbs().maxCoeff() < 1e-15);

  // An expression (evaluated lazily by the kernel), an Array, a Map and a block.
  test_support::RowMatrixXd grad_expr;
  CHECK(loss.value_and_gradient(col_major * 1.0, batch.labels, grad_expr) == Approx(reference).epsilon(1e-14));
  CHECK(loss.value(batch.logits.array(), batch.labels.array()) == Approx(reference).epsilon(1e-14));
  Eigen::MatrixXd big = Eigen::MatrixXd::Zero(40, 12);
  big.block(2, 1, 37, 9) = batch.logits;
  Eigen::MatrixXd grad_big = Eigen::MatrixXd::Zero(40, 12);
  auto grad_block = grad_big.block(2, 1, 37, 9);
  CHECK(loss.value_and_gradient(big.block(2, 1, 37, 9), batch.labels, grad_block) == Approx(reference).epsilon(1e-14));
  CHECK((grad_big.block(2, 1, 37, 9) - reference_grad).cwiseAbs().maxCoeff() < 1e-15);
  CHECK(grad_big(0, 0) == 0.0);
  Eigen::Map<const Eigen::MatrixXd> mapped(col_major.data(), 37, 9);
  CHECK(loss.value(mapped, batch.labels) == Approx(reference).epsilon(1e-14));
  // Labels of another integer type.
  const Eigen::Matrix<long, Eigen::Dynamic, 1> long_labels = batch.labels.cast<long>();
  CHECK(loss.value(batch.logits, long_labels) == Approx(reference).epsilon(1e-14));
}

TEST_CASE("SoftmaxLoss: per_sample / reductions and the per-sample output agree", "[losses][interface]") {
  const auto batch = test_support::random_batch(23, 4, 12);
  const Eigen::VectorXd weights = (Eigen::VectorXd(4) << 1.0, 2.0, 0.5, 4.0).finished();
  auto with = [&](Reduction reduction) {
    imbalance::CrossEntropyOptions options;
    options.class_weights = weights;
    options.reduction = reduction;
    return imbalance::CrossEntropyLoss(4, options);
  };
  const imbalance::CrossEntropyLoss mean = with(Reduction::Mean), sum = with(Reduction::Sum), none = with(Reduction::None);
  const Eigen::VectorXd per = none.per_sample(batch.logits, batch.labels);
  double weight_sum = 0;
  for (Eigen::Index i = 0; i < 23; ++i) weight_sum += weights(batch.labels(i));
  CHECK(sum.value(batch.logits, batch.labels) == Approx(per.sum()).epsilon(1e-14));
  CHECK(none.value(batch.logits, batch.labels) == Approx(per.sum()).epsilon(1e-14));
  CHECK(mean.value(batch.logits, batch.labels) == Approx(per.sum() / weight_sum).epsilon(1e-14));
  test_support::RowMatrixXd grad;
  Eigen::VectorXd per_out;
  none.value_gradient_and_per_sample(batch.logits, batch.labels, grad, per_out);
  CHECK((per_out - per).cwiseAbs().maxCoeff() < 1e-13);  // two summation orders of the same sums
}

TEST_CASE("SoftmaxLoss: bad input throws the documented exception naming the argument", "[losses][interface]") {
  const imbalance::LDAMLoss loss((Eigen::VectorXi(3) << 100, 10, 1).finished());
  Eigen::MatrixXd logits = Eigen::MatrixXd::Random(4, 3);
  Eigen::VectorXi labels(4);
  labels << 0, 1, 2, 1;
  Eigen::MatrixXd grad;

  labels(2) = 3;
  CHECK_THROWS_AS(loss.value(logits, labels), imbalance::out_of_range);
  CHECK_THROWS_AS(loss.value(logits, labels), std::out_of_range);
  CHECK_THROWS_WITH(loss.value_and_gradient(logits, labels, grad),
                    Contains("LDAMLoss::value_and_gradient()") && Contains("labels[2] = 3") && Contains("[0, 3)"));
  labels(2) = -1;
  CHECK_THROWS_WITH(loss.value(logits, labels), Contains("labels[2] = -1"));
  labels(2) = 2;

  const Eigen::VectorXi short_labels = labels.head(3);
  CHECK_THROWS_AS(loss.value(logits, short_labels), imbalance::invalid_argument);
  CHECK_THROWS_WITH(loss.value(logits, short_labels), Contains("labels has length 3") && Contains("logits has length 4"));
  const Eigen::MatrixXd wrong_k = Eigen::MatrixXd::Zero(4, 5);
  CHECK_THROWS_WITH(loss.value(wrong_k, labels), Contains("logits has shape 4x5") && Contains("anyx3"));
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd(0, 3), Eigen::VectorXi()), Contains("logits must not be empty"));

  logits(1, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(loss.value(logits, labels), imbalance::invalid_argument);
  CHECK_THROWS_WITH(loss.value_and_gradient(logits, labels, grad), Contains("logits(1, 2)") && Contains("nan"));
  logits(1, 2) = -std::numeric_limits<double>::infinity();  // not the row max: still caught
  CHECK_THROWS_WITH(loss.value(logits, labels), Contains("logits(1, 2)") && Contains("inf"));
  logits(1, 2) = 1e307;  // finite, but s = 30 makes it overflow
  CHECK_THROWS_WITH(loss.value(logits, labels), Contains("logits(1, 2)") && Contains("overflows"));
  logits(1, 2) = 0.5;

  Eigen::MatrixXd storage(4, 4);
  Eigen::Map<Eigen::MatrixXd> wrong_grad(storage.data(), 4, 4);
  CHECK_THROWS_WITH(loss.value_and_gradient(logits, labels, wrong_grad), Contains("grad has shape 4x4"));
  Eigen::MatrixXd resizable(1, 1);
  CHECK_NOTHROW(loss.value_and_gradient(logits, labels, resizable));
  CHECK(resizable.rows() == 4);
}

TEST_CASE("SoftmaxLoss: const calls are thread-safe (no mutable scratch)", "[losses][interface]") {
  const auto batch = test_support::random_batch(64, 10, 2);
  imbalance::FocalOptions half;
  half.gamma = 0.5;
  const imbalance::FocalLoss loss(batch.counts, half);
  test_support::RowMatrixXd expected;
  const double value = loss.value_and_gradient(batch.logits, batch.labels, expected);
  std::vector<double> values(4);
  std::vector<test_support::RowMatrixXd> grads(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int repeat = 0; repeat < 50; ++repeat) values[t] = loss.value_and_gradient(batch.logits, batch.labels, grads[t]);
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < 4; ++t) {
    CHECK(values[t] == value);
    CHECK((grads[t] - expected).cwiseAbs().maxCoeff() == 0.0);
  }
}
