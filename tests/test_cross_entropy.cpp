#include <catch2/catch.hpp>

#include <imbalance/losses/cross_entropy.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::CrossEntropyLoss;
using imbalance::CrossEntropyOptions;
using imbalance::Reduction;

TEST_CASE("CrossEntropyLoss: reproduces the reference cases (PyTorch / official CB normaliser)", "[losses][ce]") {
  const int checked = test_support::check_reference_cases("cross_entropy", [](const nlohmann::json& c) {
    CrossEntropyOptions options;
    options.reduction = test_support::reduction_of(c);
    const auto& o = c.at("options");
    if (o.contains("class_weights")) options.class_weights = test_support::to_vector(o.at("class_weights"));
    if (o.value("normalizer", std::string("weights")) == "batch") options.normalizer = imbalance::Normalizer::BatchSize;
    return CrossEntropyLoss(test_support::to_labels(c.at("class_counts")), options);
  });
  CHECK(checked == 7);
}

TEST_CASE("CrossEntropyLoss: gradient equals central finite differences", "[losses][ce]") {
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return CrossEntropyLoss(counts, {Eigen::VectorXd(), imbalance::Normalizer::WeightSum, reduction});
  });
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    const Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(counts.size(), 0.5, 2.0);
    return CrossEntropyLoss(counts, {weights, imbalance::Normalizer::WeightSum, reduction});
  });
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    const Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(counts.size(), 3.0, 0.25);
    return CrossEntropyLoss(counts, {weights, imbalance::Normalizer::BatchSize, reduction});
  });
}

TEST_CASE("CrossEntropyLoss: extreme logits stay finite", "[losses][ce]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return CrossEntropyLoss(counts, {Eigen::VectorXd::Ones(counts.size()) * 2.0, imbalance::Normalizer::WeightSum,
                                     reduction});
  });
}

TEST_CASE("CrossEntropyLoss: known value of a uniform prediction", "[losses][ce]") {
  const CrossEntropyLoss loss(4);
  const Eigen::MatrixXd logits = Eigen::MatrixXd::Zero(3, 4);
  const Eigen::VectorXi labels = (Eigen::VectorXi(3) << 0, 3, 1).finished();
  CHECK(loss.value(logits, labels) == Approx(std::log(4.0)).epsilon(1e-15));
  Eigen::MatrixXd grad;
  loss.value_and_gradient(logits, labels, grad);
  CHECK(grad(0, 0) == Approx((0.25 - 1.0) / 3));
  CHECK(grad(0, 1) == Approx(0.25 / 3));
}

TEST_CASE("CrossEntropyLoss: bad options throw naming the argument", "[losses][ce]") {
  using Catch::Contains;
  auto weighted = [](Eigen::VectorXd weights) {
    imbalance::CrossEntropyOptions options;
    options.class_weights = std::move(weights);
    return options;
  };
  CHECK_THROWS_WITH(CrossEntropyLoss(3, weighted(Eigen::VectorXd::Ones(2))),
                    Contains("class_weights has length 2") && Contains("3 classes"));
  CHECK_THROWS_WITH(CrossEntropyLoss(2, weighted((Eigen::VectorXd(2) << 1.0, -1.0).finished())),
                    Contains("class_weights[1]") && Contains("-1"));
  CHECK_THROWS_AS(CrossEntropyLoss(0), imbalance::invalid_argument);
  // Counts are validated even though only their number is used.
  CHECK_THROWS_WITH(CrossEntropyLoss((Eigen::VectorXi(3) << 10, -5, 2).finished()),
                    Contains("class_counts[1] must be >= 0") && Contains("-5"));
  CHECK_THROWS_WITH(CrossEntropyLoss(Eigen::VectorXd::Constant(2, std::nan(""))), Contains("class_counts[0]"));
}

TEST_CASE("CrossEntropyLoss: per-sample weights (PyTorch float64 autograd)", "[losses][ce]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "cross_entropy")) {
    imbalance::CrossEntropyOptions o;
    o.class_weights = test_support::to_vector(c.at("options").at("class_weights"));
    test_support::check_weighted_case(c, imbalance::CrossEntropyLoss(o.class_weights.size(), o));
  }
}
