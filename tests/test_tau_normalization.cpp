#include <catch2/catch.hpp>

#include <imbalance/posthoc/tau_normalization.hpp>

#include <limits>

TEST_CASE("tau_normalize: w_k / ||w_k||^tau per class column", "[posthoc][tau_norm]") {
  Eigen::MatrixXd w(2, 3);
  w << 3, 0, 1,
       4, 0, 0;  // norms 5, 0, 1
  const Eigen::MatrixXd unit = imbalance::tau_normalize(w, 1.0);
  CHECK(unit(0, 0) == Approx(0.6));
  CHECK(unit(1, 0) == Approx(0.8));
  CHECK(unit.col(1).norm() == 0.0);  // a zero column stays zero
  CHECK(unit(0, 2) == 1.0);
  const Eigen::MatrixXd half = imbalance::tau_normalize(w, 0.5);
  CHECK(half.col(0).norm() == Approx(std::sqrt(5.0)));
  CHECK((imbalance::tau_normalize(w, 0.0) - w).cwiseAbs().maxCoeff() == 0.0);
  Eigen::MatrixXd x(1, 2);
  x << 1, 1;
  const Eigen::MatrixXd logits = imbalance::tau_normalized_logits(x, w, 1.0);
  CHECK(logits(0, 0) == Approx(1.4));
}

TEST_CASE("tau_normalize: bad input throws naming the argument", "[posthoc][tau_norm]") {
  using Catch::Contains;
  Eigen::MatrixXd w = Eigen::MatrixXd::Ones(2, 3);
  CHECK_THROWS_WITH(imbalance::tau_normalize(w, std::nan("")), Contains("tau"));
  CHECK_THROWS_WITH(imbalance::tau_normalized_logits(Eigen::MatrixXd::Ones(4, 3), w, 1.0),
                    Contains("weights has shape 2x3"));
  w(1, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(imbalance::tau_normalize(w, 1.0), Contains("weights(1, 1)"));
}
