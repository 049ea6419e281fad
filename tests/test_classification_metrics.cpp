#include <catch2/catch.hpp>

#include <imbalance/metrics/classification_metrics.hpp>

#include "support/reference.hpp"

namespace {
void check_vector(const Eigen::VectorXd& actual, const nlohmann::json& expected) {
  const Eigen::VectorXd e = test_support::to_vector(expected);
  REQUIRE(actual.size() == e.size());
  CHECK((actual - e).cwiseAbs().maxCoeff() <= 1e-12);
}
}  // namespace

TEST_CASE("classification metrics: reproduce scikit-learn 1.2 and imbalanced-learn 0.10", "[metrics]") {
  int checked = 0;
  const nlohmann::json reference = test_support::load_json("metrics.json");
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y_true = test_support::to_labels(c.at("y_true"));
    const Eigen::VectorXi y_pred = test_support::to_labels(c.at("y_pred"));
    const auto cm = imbalance::confusion_matrix(y_true, y_pred, c.at("num_classes").get<int>());
    const imbalance::PerClassMetrics m = imbalance::per_class_metrics(cm);
    check_vector(m.precision, c.at("precision"));
    check_vector(m.recall, c.at("recall"));
    check_vector(m.f1, c.at("f1"));
    check_vector(m.specificity, c.at("specificity"));
    check_vector(m.support.cast<double>(), c.at("support"));
    CHECK(std::abs(imbalance::accuracy(cm) - c.at("accuracy").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::balanced_accuracy(cm) - c.at("balanced_accuracy").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::macro_f1(m) - c.at("macro_f1").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::weighted_f1(m) - c.at("weighted_f1").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::geometric_mean(m) - c.at("geometric_mean").get<double>()) <= 1e-12);
    CHECK(imbalance::balanced_accuracy(y_true, y_pred, c.at("num_classes").get<int>()) == imbalance::balanced_accuracy(cm));
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("classification metrics: zero_division = 0 and absent classes", "[metrics]") {
  // Class 2 is never predicted (precision 0/0 -> 0), class 3 never occurs (left out of the macro
  // averages, as scikit-learn does without explicit labels).
  const Eigen::VectorXi y_true = (Eigen::VectorXi(5) << 0, 0, 1, 1, 2).finished();
  const Eigen::VectorXi y_pred = (Eigen::VectorXi(5) << 0, 1, 1, 1, 0).finished();
  const auto m = imbalance::per_class_metrics(imbalance::confusion_matrix(y_true, y_pred, 4));
  CHECK(m.precision(2) == 0.0);
  CHECK(m.recall(2) == 0.0);
  CHECK(m.f1(2) == 0.0);
  CHECK_FALSE(m.present(3));
  CHECK(m.specificity(3) == 1.0);
  // F1: class 0: P 1/2 R 1/2 -> 0.5; class 1: P 2/3 R 1 -> 0.8; class 2: 0.
  CHECK(imbalance::macro_f1(m) == Approx((0.5 + 0.8 + 0.0) / 3).epsilon(1e-15));
  CHECK(imbalance::geometric_mean(m) == 0.0);
  CHECK(imbalance::balanced_accuracy(y_true, y_pred, 4) == Approx((0.5 + 1.0 + 0.0) / 3).epsilon(1e-15));
}

TEST_CASE("classification metrics: a confusion matrix that is not K x K or is empty throws", "[metrics]") {
  CHECK_THROWS_WITH(imbalance::per_class_metrics(imbalance::ConfusionMatrix::Zero(3, 2)), Catch::Contains("3x2"));
  CHECK_THROWS_WITH(imbalance::accuracy(imbalance::ConfusionMatrix::Zero(3, 3)), Catch::Contains("empty"));
  imbalance::ConfusionMatrix negative = imbalance::ConfusionMatrix::Ones(2, 2);
  negative(0, 1) = -1;
  CHECK_THROWS_WITH(imbalance::balanced_accuracy(negative), Catch::Contains("negative"));
}
