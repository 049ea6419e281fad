#include <catch2/catch.hpp>

#include <imbalance/detail/column_moments.hpp>

#include <cmath>
#include <vector>

TEST_CASE("column_moments: mean and std (ddof 0) without cancellation or overflow", "[detail][moments]") {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> X(5, 4);
  X << 1e8 + 0.001, 1e300, -1e-300, 7,  //
      1e8 + 0.002, -1e300, 2e-300, 7,   //
      1e8 + 0.003, 1e300, -3e-300, 7,   //
      1e8 + 0.004, -1e300, 4e-300, 7,   //
      1e8 + 0.005, 1.7976931348623157e308, 0, 7;
  const auto all = imbalance::detail::column_moments(X);
  CHECK(all.mean(0) == Approx(1e8 + 0.003).epsilon(1e-15));
  // 1e8 + 0.001 i is represented to about 1.5e-8: the moments of the stored values are within 1e-5.
  CHECK(all.standard_deviation(0) == Approx(0.001 * std::sqrt(2.0)).epsilon(1e-5));
  // The exact moments (rational arithmetic): the scale factor 2^1024 itself would be infinite.
  CHECK(all.standard_deviation(1) == Approx(7.1907725394492622e307).epsilon(1e-12));
  CHECK(all.mean(1) == Approx(3.5953862697246315e307).epsilon(1e-12));  // (1e300 + DBL_MAX) / 5
  CHECK(all.standard_deviation(2) > 0);
  CHECK(all.mean(3) == 7);
  CHECK(all.standard_deviation(3) == 0);
  // A subset of rows.
  const std::vector<Eigen::Index> rows{0, 2};
  const auto some = imbalance::detail::column_moments(X, &rows);
  CHECK(some.mean(1) == 1e300);
  CHECK(some.standard_deviation(1) == 0);
  CHECK(some.standard_deviation(0) == Approx(0.001).epsilon(1e-5));
}
