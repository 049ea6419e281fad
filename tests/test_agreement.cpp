#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/metrics/agreement.hpp>

#include "support/reference.hpp"

TEST_CASE("agreement: MCC and Cohen's kappa reproduce scikit-learn 1.2", "[metrics][agreement]") {
  const nlohmann::json reference = test_support::load_json("ranking_metrics.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y = test_support::to_labels(c.at("y_true"));
    const Eigen::VectorXi y_pred = test_support::to_labels(c.at("y_pred"));
    const auto cm = imbalance::confusion_matrix(y, y_pred, c.at("num_classes").get<int>());
    CHECK(std::abs(imbalance::matthews_correlation(cm) - c.at("mcc").get<double>()) <= 1e-12);
    const auto& kappa = c.at("cohen_kappa");
    CHECK(std::abs(imbalance::cohen_kappa(cm) - kappa.at("none").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::cohen_kappa(cm, imbalance::KappaWeights::Linear) - kappa.at("linear").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::cohen_kappa(cm, imbalance::KappaWeights::Quadratic) - kappa.at("quadratic").get<double>()) <= 1e-12);
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("agreement: weights index the present classes, degenerate cases", "[metrics][agreement]") {
  // Classes 0 and 2 only: scikit-learn sees labels {0, 2} at ranks 0 and 1, so linear = none.
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 2, 2, 2, 0).finished();
  const Eigen::VectorXi p = (Eigen::VectorXi(6) << 0, 2, 2, 2, 0, 0).finished();
  CHECK(imbalance::cohen_kappa(y, p, 3, imbalance::KappaWeights::Linear) == Approx(imbalance::cohen_kappa(y, p, 3)));
  CHECK(imbalance::cohen_kappa(y, y, 3) == 1.0);
  CHECK(imbalance::matthews_correlation(y, y, 3) == 1.0);
  // Constant predictions: the MCC's denominator vanishes, scikit-learn's 0.
  CHECK(imbalance::matthews_correlation(y, Eigen::VectorXi::Zero(6), 3) == 0.0);
  CHECK_THROWS_WITH(imbalance::cohen_kappa(Eigen::VectorXi::Zero(3), Eigen::VectorXi::Zero(3), 2),
                    Catch::Contains("only one class"));
}
