#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/data/standardizer.hpp>

TEST_CASE("Standardizer: zero mean, unit std on train, constant features map to 0", "[data][standardizer]") {
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

TEST_CASE("Standardizer: transform_in_place equals transform bit for bit, and names the value it refuses",
          "[data][standardizer]") {
  Eigen::MatrixXd X(37, 5);  // not a multiple of any vector width
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j)
      X(i, j) = std::sin(1.7 * static_cast<double>(i) + 0.3 * static_cast<double>(j)) * std::pow(10.0, static_cast<double>(j) - 2);
  const auto s = imbalance::Standardizer::fit(X);
  const Eigen::MatrixXd expected = s.transform(X);
  Eigen::MatrixXd in_place = X;
  s.transform_in_place(in_place);
  CHECK(in_place.cwiseEqual(expected).all());
  // A row-major expression and a block of a larger matrix give the same bits.
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = X;
  CHECK(s.transform(rows).cwiseEqual(expected).all());
  Eigen::MatrixXd wide = Eigen::MatrixXd::Zero(40, 5);
  wide.topRows(37) = X;
  CHECK(s.transform(wide.topRows(37)).cwiseEqual(expected).all());
  // The refused value is named as it was, although the matrix is overwritten column by column.
  Eigen::MatrixXd tiny_scale(3, 1);
  tiny_scale << 0, 1e-300, 2e-300;
  const auto t = imbalance::Standardizer::fit(tiny_scale);
  Eigen::MatrixXd far(2, 1);
  far << 0, 1e300;
  CHECK_THROWS_WITH(t.transform_in_place(far), Catch::Contains("X(1, 0) = 1.0000000000000001e+300 standardises beyond the double range"));
  Eigen::MatrixXd wrong_shape = Eigen::MatrixXd::Zero(2, 3);
  CHECK_THROWS_WITH(t.transform_in_place(wrong_shape), Catch::Contains("X has shape 2x3"));
}
