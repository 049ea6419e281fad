#include <catch2/catch.hpp>

#include <imbalance/losses/dot_regression.hpp>

#include "support/wave2.hpp"

using imbalance::DotRegressionLoss;
using imbalance::DotRegressionOptions;
using Catch::Contains;

TEST_CASE("DotRegressionLoss: reproduces the official reg_dot_loss with the batch's Ew", "[losses][dot_regression]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "dot_regression")) {
    INFO("case " << c.at("name").get<std::string>());
    DotRegressionOptions o;
    o.given_ew = c.at("options").at("given_ew");
    o.reg_lambda = c.at("options").at("reg_lam");
    const DotRegressionLoss loss(test_support::to_matrix(c.at("options").at("etf_matrix")), o);
    const Eigen::MatrixXd h = test_support::to_matrix(c.at("logits"));
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const double expected = c.at("value");
    CHECK(test_support::relative_error(loss.batch_scales(y), test_support::to_vector(c.at("ew"))) <= 1e-14);
    Eigen::MatrixXd grad;
    CHECK(test_support::relative_error(loss.value(h, y), expected) <= 1e-10);
    CHECK(test_support::relative_error(loss.value_and_gradient(h, y, grad), expected) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    test_support::RowMatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(h.cast<float>(), y, grad_float), expected) <= 1e-5);
    CHECK(test_support::relative_error(grad_float, test_support::to_matrix(c.at("gradient"))) <= 1e-5);
  }
}

TEST_CASE("DotRegressionLoss: finite differences with H and |W_y| held, sample weights", "[losses][dot_regression]") {
  const Eigen::MatrixXd etf = test_support::random_logits(6, 4, 51, 1.0);
  const test_support::RowMatrixXd h = test_support::random_logits(9, 6, 52, 0.5);
  const Eigen::VectorXi y = (Eigen::VectorXi(9) << 0, 0, 0, 0, 1, 1, 2, 0, 1).finished();  // class 3 absent
  const Eigen::VectorXd s = test_support::random_weights(9, 53);
  DotRegressionOptions o;
  o.reg_lambda = 0.01;
  const DotRegressionLoss loss(etf, o);
  test_support::RowMatrixXd grad;
  const double value = loss.value_and_gradient(h, y, grad, s);
  const Eigen::VectorXd ew = loss.batch_scales(y);
  CHECK(ew(3) == 1.0);
  CHECK(ew(0) == Approx(std::sqrt(3.0 / 5.0)));
  auto frozen = [&](const test_support::RowMatrixXd& x) {
    double total = 0;
    for (Eigen::Index i = 0; i < 9; ++i) {
      const Eigen::VectorXd w = ew(y(i)) * etf.col(y(i));
      const double big_h = h.row(i).norm();  // held at h
      const double dot = x.row(i).dot(w.transpose());
      total += s(i) * (0.5 * std::pow(dot - w.norm() * big_h, 2) / big_h + 0.01 * x.row(i).norm());
    }
    return total / 9.0;
  };
  CHECK(value == Approx(frozen(h)).epsilon(1e-12));
  CHECK(test_support::finite_difference_error(frozen, h, grad) <= 1e-7);
  o.reduction = imbalance::Reduction::Sum;  // the same terms without the division by N
  const DotRegressionLoss sum(etf, o);
  test_support::RowMatrixXd grad_sum;
  CHECK(sum.value_and_gradient(h, y, grad_sum, s) == Approx(9.0 * value).epsilon(1e-14));
  CHECK(test_support::finite_difference_error([&](const test_support::RowMatrixXd& x) { return 9.0 * frozen(x); }, h,
                                              grad_sum) <= 1e-7);
}

TEST_CASE("DotRegressionLoss: bad input", "[losses][dot_regression]") {
  const DotRegressionLoss loss(Eigen::MatrixXd::Identity(3, 3));
  Eigen::MatrixXd g;
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd::Zero(2, 4), Eigen::VectorXi::Zero(2)), Contains("features has shape 2x4"));
  CHECK_THROWS_WITH(loss.value(Eigen::MatrixXd::Zero(2, 3), (Eigen::VectorXi(2) << 0, 3).finished()), Contains("labels"));
  DotRegressionOptions o;
  o.reduction = imbalance::Reduction::None;
  CHECK_THROWS_WITH(DotRegressionLoss(Eigen::MatrixXd::Identity(3, 3), o), Contains("reduction must be mean or sum"));
}

TEST_CASE("DotRegressionLoss: per-sample weights (PyTorch float64 autograd)", "[losses][dot_regression]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "dot_regression")) {
    DotRegressionOptions o;
    o.reg_lambda = c.at("options").at("reg_lam");
    const DotRegressionLoss loss(test_support::to_matrix(c.at("options").at("etf_matrix")), o);
    Eigen::MatrixXd grad;
    const double value = loss.value_and_gradient(test_support::to_matrix(c.at("logits")), test_support::to_labels(c.at("labels")),
                                                 grad, test_support::to_vector(c.at("sample_weights")));
    CHECK(test_support::relative_error(value, c.at("value").get<double>()) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
  }
}
