#include <catch2/catch.hpp>

#include <imbalance/losses/ldam_hinge.hpp>

#include "support/wave2.hpp"

using imbalance::LDAMHingeLoss;
using imbalance::LDAMHingeOptions;
using imbalance::Reduction;
using Catch::Contains;

TEST_CASE("LDAMHingeLoss: reproduces the paper's hinge with the official margins", "[losses][ldam_hinge]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "ldam_hinge")) {
    INFO("case " << c.at("name").get<std::string>());
    LDAMHingeOptions o;
    o.max_margin = c.at("options").at("max_margin");
    o.reduction = test_support::reduction_of(c);
    const LDAMHingeLoss loss(test_support::to_vector(c.at("class_counts")), o);
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const double expected = c.contains("value") ? c.at("value").get<double>()
                                                : test_support::to_vector(c.at("per_sample")).sum();
    for (int storage = 0; storage < 2; ++storage) {
      test_support::RowMatrixXd grad;
      const double value = storage == 0 ? loss.value_and_gradient(z, y, grad)
                                        : loss.value_and_gradient(test_support::RowMatrixXd(z), y, grad);
      CHECK(test_support::relative_error(value, expected) <= 1e-10);
      CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    }
    if (c.contains("per_sample"))
      CHECK(test_support::relative_error(loss.per_sample(z, y), test_support::to_vector(c.at("per_sample"))) <= 1e-10);
    Eigen::MatrixXf grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(z.cast<float>(), y, grad_float), expected) <= 1e-5);
  }
}

TEST_CASE("LDAMHingeLoss: finite differences away from the kinks, sample weights", "[losses][ldam_hinge]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(4) << 800, 100, 20, 5).finished();
  // Logits on a coarse grid plus distinct offsets: no ties, no margin within the step of 0.
  test_support::RowMatrixXd z(8, 4);
  for (Eigen::Index i = 0; i < 8; ++i)
    for (Eigen::Index j = 0; j < 4; ++j) z(i, j) = 0.37 * static_cast<double>((i * 5 + j * 3) % 7) + 0.011 * static_cast<double>(j);
  const Eigen::VectorXi y = (Eigen::VectorXi(8) << 0, 1, 2, 3, 3, 2, 1, 0).finished();
  const Eigen::VectorXd s = test_support::random_weights(8, 41);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    LDAMHingeOptions o;
    o.reduction = r;
    const LDAMHingeLoss loss(counts, o);
    test_support::RowMatrixXd grad;
    loss.value_and_gradient(z, y, grad, s);
    CHECK(grad.cwiseAbs().sum() > 0);
    CHECK(test_support::finite_difference_error([&](const test_support::RowMatrixXd& x) { return loss.value(x, y, s); },
                                                z, grad) <= 1e-7);
  }
  CHECK(LDAMHingeLoss(counts).margins().maxCoeff() == Approx(0.5));
}

TEST_CASE("LDAMHingeLoss: bad input", "[losses][ldam_hinge]") {
  CHECK_THROWS_WITH(LDAMHingeLoss((Eigen::VectorXd(1) << 3).finished()), Contains(">= 2 classes"));
  LDAMHingeOptions o;
  o.max_margin = -1;
  CHECK_THROWS_WITH(LDAMHingeLoss((Eigen::VectorXd(2) << 3, 1).finished(), o), Contains("max_margin"));
  const LDAMHingeLoss loss((Eigen::VectorXd(2) << 3, 1).finished());
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(1, 2);
  z(0, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(loss.value(z, Eigen::VectorXi::Zero(1)), Contains("logits(0, 0) is not finite"));
}

TEST_CASE("LDAMHingeLoss: per-sample weights (PyTorch float64 autograd)", "[losses][ldam_hinge]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "ldam_hinge"))
    test_support::check_weighted_case(c, LDAMHingeLoss(test_support::to_vector(c.at("class_counts"))));
}
