#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/core/softmax.hpp>

TEST_CASE("softmax_rows: stable, rows sum to one, any layout and scalar", "[core][softmax]") {
  Eigen::MatrixXd z(3, 3);
  z << 1, 2, 3, 1000, 1000, 999, -1e4, 0, -1e4;
  const Eigen::MatrixXd p = imbalance::softmax_rows(z);
  CHECK((p.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-15);
  const double e = std::exp(1.0);
  CHECK(p(0, 2) == Approx(e * e / (1 + e + e * e)).epsilon(1e-15));
  CHECK(p(1, 0) == Approx(e / (2 * e + 1)).epsilon(1e-15));  // no overflow at 1000
  CHECK(p(2, 1) == 1.0);
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> zf = z.cast<float>();
  const Eigen::MatrixXf pf = imbalance::softmax_rows(zf);
  CHECK((pf.cast<double>() - p).cwiseAbs().maxCoeff() < 1e-6);
  z(0, 0) = std::nan("");
  CHECK_THROWS_WITH(imbalance::softmax_rows(z), Catch::Contains("logits(0, 0) is not finite"));
}
