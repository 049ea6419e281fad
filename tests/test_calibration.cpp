#include <catch2/catch.hpp>

#include <imbalance/metrics/calibration.hpp>

TEST_CASE("calibration: hand-checked ECE with 5 bins", "[metrics][calibration]") {
  // Confidences 0.9 (correct), 0.9 (wrong), 0.6 (correct), 0.55 (correct), 0.5 (wrong, bin (0.4, 0.6]).
  Eigen::MatrixXd p(5, 2);
  p << 0.9, 0.1, 0.9, 0.1, 0.4, 0.6, 0.45, 0.55, 0.5, 0.5;
  const Eigen::VectorXi y = (Eigen::VectorXi(5) << 0, 1, 1, 1, 1).finished();
  // The tie 0.5/0.5 predicts class 0 (first maximum): wrong for label 1.
  const imbalance::Calibration cal = imbalance::calibration(p, y, {5, 1e-9});
  // Bin (0.8, 1]: n 2, acc 0.5, conf 0.9 -> gap 0.4; bin (0.4, 0.6]: n 3 (0.6, 0.55, 0.5), acc 2/3,
  // conf 0.55 -> gap 0.11667. ECE = 2/5 * 0.4 + 3/5 * 0.116667 = 0.23.
  CHECK(cal.bins.size() == 5);
  CHECK(cal.bins[4].count == 2);
  CHECK(cal.bins[2].count == 3);
  CHECK(cal.expected_calibration_error == Approx(0.23).epsilon(1e-12));
  CHECK(cal.maximum_calibration_error == Approx(0.4).epsilon(1e-12));
  CHECK(imbalance::expected_calibration_error(p, y, {5, 1e-9}) == cal.expected_calibration_error);
}

TEST_CASE("calibration: perfectly calibrated and default 15 bins", "[metrics][calibration]") {
  Eigen::MatrixXd p(4, 2);
  p << 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0;
  const Eigen::VectorXi y = (Eigen::VectorXi(4) << 0, 1, 0, 1).finished();
  const imbalance::Calibration cal = imbalance::calibration(p, y);
  CHECK(cal.bins.size() == 15);
  CHECK(cal.expected_calibration_error == 0.0);
  CHECK(imbalance::mean_predicted_probability(p)(0) == 0.5);
}

TEST_CASE("calibration: probabilities that are negative or do not sum to 1 throw", "[metrics][calibration]") {
  using Catch::Contains;
  Eigen::MatrixXd p(2, 2);
  p << 0.7, 0.3, 1.2, -0.2;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::calibration(p, y), Contains("probabilities(1, 1) is negative"));
  p.row(1) << 0.5, 0.4;
  CHECK_THROWS_WITH(imbalance::calibration(p, y), Contains("row 1 sums to 0.9"));
  CHECK_THROWS_WITH(imbalance::mean_predicted_probability(p), Contains("row 1"));
  p.row(1) << 0.5, 0.5;
  CHECK_THROWS_WITH(imbalance::calibration(p, y, {0, 1e-6}), Contains("bins"));
  CHECK_THROWS_AS(imbalance::calibration(p, (Eigen::VectorXi(2) << 0, 2).finished()), imbalance::out_of_range);
  CHECK_THROWS_WITH(imbalance::calibration(Eigen::MatrixXd(0, 2), Eigen::VectorXi()), Contains("empty"));
}
