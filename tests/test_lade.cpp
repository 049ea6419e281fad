#include <catch2/catch.hpp>

#include <imbalance/losses/lade.hpp>

#include "support/wave2.hpp"

using imbalance::LADELoss;
using imbalance::LADEOptions;
using Catch::Contains;

TEST_CASE("LADELoss: reproduces the official PriorCE + LADE regulariser, batch-coupled gradient included",
          "[losses][lade]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "lade")) {
    INFO("case " << c.at("name").get<std::string>());
    LADEOptions o;
    o.alpha = c.at("options").at("alpha");
    o.lambda = c.at("options").at("remine_lambda");
    o.prior_ce_weight = c.at("options").at("prior_ce_weight");
    const LADELoss loss(test_support::to_vector(c.at("class_counts")), o);
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const double expected = c.at("value");
    const Eigen::MatrixXd expected_grad = test_support::to_matrix(c.at("gradient"));
    Eigen::MatrixXd grad;
    CHECK(test_support::relative_error(loss.value(z, y), expected) <= 1e-10);
    CHECK(test_support::relative_error(loss.value_and_gradient(z, y, grad), expected) <= 1e-10);
    CHECK(test_support::relative_error(grad, expected_grad) <= 1e-10);
    test_support::RowMatrixXd row_grad;
    loss.value_and_gradient(test_support::RowMatrixXd(z), y, row_grad);
    CHECK(test_support::relative_error(row_grad, expected_grad) <= 1e-10);
    Eigen::MatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(z.cast<float>(), y, grad_float), expected) <= 1e-5);
    CHECK(test_support::relative_error(grad_float, expected_grad) <= 1e-5);
    // Unit sample weights are the official loss.
    CHECK(test_support::relative_error(loss.value(z, y, Eigen::VectorXd::Ones(z.rows())), expected) <= 1e-14);
  }
}

TEST_CASE("LADELoss: finite differences with sample weights and an absent class", "[losses][lade]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(5) << 500, 200, 50, 10, 2).finished();
  LADEOptions o;
  o.lambda = 0.5;
  const LADELoss loss(counts, o);
  const test_support::RowMatrixXd z = test_support::random_logits(14, 5, 31);
  Eigen::VectorXi y = test_support::random_labels(14, 5, 32);
  y = (y.array() == 4).select(3, y);  // class 4 absent from the batch
  const Eigen::VectorXd s = test_support::random_weights(14, 33);
  test_support::RowMatrixXd grad;
  loss.value_and_gradient(z, y, grad, s);
  CHECK(test_support::finite_difference_error([&](const test_support::RowMatrixXd& x) { return loss.value(x, y, s); },
                                              z, grad) <= 1e-7);
  // Rows are coupled: moving one row's logits changes another row's gradient.
  test_support::RowMatrixXd moved = z, grad_moved;
  moved(0, 2) += 1.0;
  loss.value_and_gradient(moved, y, grad_moved);
  loss.value_and_gradient(z, y, grad);
  CHECK(grad_moved.row(5) != grad.row(5));
}

TEST_CASE("LADELoss: bad input", "[losses][lade]") {
  const LADELoss loss((Eigen::VectorXd(3) << 10, 5, 1).finished());
  const Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 2).finished();
  CHECK_THROWS_WITH(loss.value(z, y, Eigen::VectorXd::Zero(2)), Contains("sample_weights must not all be zero"));
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd::Zero(2, 4), y), Contains("logits has shape 2x4"));
  LADEOptions o;
  o.alpha = -1;
  CHECK_THROWS_WITH(LADELoss((Eigen::VectorXd(3) << 10, 5, 1).finished(), o), Contains("alpha"));
}

TEST_CASE("LADELoss: per-sample weights (PyTorch float64 autograd of the weighted estimates)", "[losses][lade]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "lade"))
    test_support::check_weighted_case(c, LADELoss(test_support::to_vector(c.at("class_counts"))));
}
