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
