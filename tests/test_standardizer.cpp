#include <catch2/catch.hpp>

#include <imbalance/data/standardizer.hpp>

TEST_CASE("Standardizer: zero mean, unit std on train; constant features map to 0", "[data][standardizer]") {
  Eigen::MatrixXd X(4, 2);
  X << 1, 5, 2, 5, 3, 5, 4, 5;
  const auto s = imbalance::Standardizer::fit(X);
  const Eigen::MatrixXd Z = s.transform(X);
  CHECK(Z.col(0).mean() == Approx(0.0).margin(1e-15));
  CHECK(std::sqrt(Z.col(0).squaredNorm() / 4) == Approx(1.0));
  CHECK(Z.col(1).cwiseAbs().maxCoeff() == 0.0);
  CHECK_THROWS_WITH(s.transform(Eigen::MatrixXd::Zero(2, 3)), Catch::Contains("X has shape 2x3"));
}

TEST_CASE("Standardizer: large offsets and magnitudes near the double limit", "[data][standardizer]") {
  Eigen::MatrixXd X(20, 3);
  for (Eigen::Index i = 0; i < 20; ++i) {
    X(i, 0) = 1e8 + 0.001 * static_cast<double>(i);  // E[x^2] - E[x]^2 would cancel
    X(i, 1) = 1e300 * static_cast<double>(i - 10);   // x^2 would overflow
    X(i, 2) = 1e-300 * static_cast<double>(i);       // x^2 would underflow
  }
  const auto s = imbalance::Standardizer::fit(X);
  const double sd = std::sqrt((20.0 * 20.0 - 1.0) / 12.0);
  CHECK(s.scale()(0) == Approx(0.001 * sd).epsilon(1e-6));
  CHECK(s.scale()(1) == Approx(1e300 * sd).epsilon(1e-12));
  CHECK(s.scale()(2) == Approx(1e-300 * sd).epsilon(1e-12));
  CHECK(s.mean()(1) == Approx(-0.5e300).epsilon(1e-12));
  const Eigen::MatrixXd Z = s.transform(X);
  for (Eigen::Index j = 0; j < 3; ++j) {
    CHECK(Z.col(j).mean() == Approx(0.0).margin(1e-6));
    CHECK(std::sqrt(Z.col(j).squaredNorm() / 20) == Approx(1.0).epsilon(1e-6));
  }
  // Values whose standardised form exceeds the double range are refused, not returned as inf.
  Eigen::MatrixXd far(1, 3);
  far << 1e8, 1e300, 1e308;
  CHECK_THROWS_WITH(s.transform(far), Catch::Contains("X(0, 2) = ") && Catch::Contains("beyond the double range"));
}
