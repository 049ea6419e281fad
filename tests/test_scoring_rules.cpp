#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/metrics/scoring_rules.hpp>

#include "support/reference.hpp"

TEST_CASE("scoring rules: log-loss and Brier score reproduce scikit-learn 1.2", "[metrics][scoring]") {
  const nlohmann::json reference = test_support::load_json("ranking_metrics.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y = test_support::to_labels(c.at("y_true"));
    const Eigen::MatrixXd p = test_support::to_matrix(c.at("scores"));
    CHECK(std::abs(imbalance::log_loss(y, p) - c.at("log_loss").get<double>()) <= 1e-12);
    if (c.contains("binary")) {
      CHECK(std::abs(imbalance::brier_score(y, p.col(1)) - c.at("binary").at("brier").get<double>()) <= 1e-12);
      CHECK(imbalance::multiclass_brier_score(y, p) == Approx(2 * imbalance::brier_score(y, p.col(1))).epsilon(1e-14));
    }
    // Row-major float probabilities: the same value to float rounding.
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> pf = p.cast<float>();
    const Eigen::MatrixXd pd = pf.cast<double>();
    CHECK(imbalance::log_loss(y, pf) == Approx(imbalance::log_loss(y, pd)).epsilon(1e-12));
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("scoring rules: a zero probability costs -log(eps), bad input throws", "[metrics][scoring]") {
  Eigen::MatrixXd p(2, 2);
  p << 1, 0, 0.5, 0.5;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 1, 0).finished();
  const double eps = std::numeric_limits<double>::epsilon();
  // Row 0: clipped to (1 - eps, eps), renormalised (sum 1): -log(eps); row 1: log 2.
  CHECK(imbalance::log_loss(y, p) == Approx((-std::log(eps) + std::log(2.0)) / 2).epsilon(1e-14));
  CHECK(std::isfinite(imbalance::log_loss(y, p, 1e-15)));
  CHECK_THROWS_WITH(imbalance::log_loss(y, p, 0.0), Catch::Contains("epsilon must lie in (0, 0.5)"));
  Eigen::MatrixXd not_probabilities = p;
  not_probabilities(1, 1) = 0.7;
  CHECK_THROWS_WITH(imbalance::log_loss(y, not_probabilities), Catch::Contains("sums to 1.2"));
  CHECK_THROWS_WITH(imbalance::brier_score(y, Eigen::Vector2d(0.5, 1.5)), Catch::Contains("positive_probability[1] = 1.5"));
  CHECK_THROWS_AS(imbalance::log_loss((Eigen::VectorXi(2) << 0, 2).finished(), p), std::out_of_range);
}
