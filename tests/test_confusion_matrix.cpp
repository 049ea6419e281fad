#include <catch2/catch.hpp>

#include <imbalance/metrics/confusion_matrix.hpp>

#include "support/reference.hpp"

TEST_CASE("confusion_matrix: equals scikit-learn's on every reference case", "[metrics][confusion]") {
  const nlohmann::json reference = test_support::load_json("metrics.json");
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const auto cm = imbalance::confusion_matrix(test_support::to_labels(c.at("y_true")),
                                                test_support::to_labels(c.at("y_pred")), c.at("num_classes").get<int>());
    const Eigen::MatrixXd expected = test_support::to_matrix(c.at("confusion_matrix"));
    CHECK((cm.cast<double>() - expected).cwiseAbs().maxCoeff() == 0.0);
  }
}

TEST_CASE("confusion_matrix: bad input throws naming the argument", "[metrics][confusion]") {
  using Catch::Contains;
  const Eigen::VectorXi a = (Eigen::VectorXi(3) << 0, 1, 2).finished();
  const Eigen::VectorXi b = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::confusion_matrix(a, b, 3), Contains("y_pred has length 2") && Contains("y_true"));
  CHECK_THROWS_AS(imbalance::confusion_matrix(a, a, 2), imbalance::out_of_range);
  CHECK_THROWS_WITH(imbalance::confusion_matrix(a, a, 2), Contains("y_true[2] = 2"));
  CHECK_THROWS_WITH(imbalance::confusion_matrix(a, a, 1), Contains("num_classes") && Contains("1"));
  CHECK_THROWS_WITH(imbalance::confusion_matrix(Eigen::VectorXi(), Eigen::VectorXi(), 3), Contains("y_true") &&
                                                                                                Contains("empty"));
}
