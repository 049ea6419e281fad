#include <catch2/catch.hpp>

#include <imbalance/core/checks.hpp>

#include <limits>

using Catch::Contains;

TEST_CASE("checks: non-empty", "[core][checks]") {
  CHECK_NOTHROW(imbalance::check_non_empty("f()", "logits", 3));
  CHECK_THROWS_AS(imbalance::check_non_empty("f()", "logits", 0), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::check_non_empty("f()", "logits", 0), Contains("f()") && Contains("logits") &&
                                                                         Contains("size 0"));
}

TEST_CASE("checks: same length and shape", "[core][checks]") {
  CHECK_NOTHROW(imbalance::check_same_length("f()", "labels", 4, "logits", 4));
  CHECK_THROWS_WITH(imbalance::check_same_length("f()", "labels", 5, "logits", 4),
                    Contains("labels has length 5") && Contains("logits has length 4"));
  CHECK_NOTHROW(imbalance::check_shape("f()", "grad", 2, 3, 2, 3));
  CHECK_NOTHROW(imbalance::check_shape("f()", "grad", 2, 3, -1, 3));
  CHECK_THROWS_AS(imbalance::check_shape("f()", "grad", 2, 4, 2, 3), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::check_shape("f()", "grad", 2, 4, 2, 3), Contains("grad has shape 2x4 but 2x3"));
  CHECK_THROWS_WITH(imbalance::check_shape("f()", "X", 2, 4, -1, 3), Contains("anyx3"));
}

TEST_CASE("checks: finiteness names the first offending coefficient", "[core][checks]") {
  Eigen::MatrixXd m = Eigen::MatrixXd::Ones(3, 2);
  CHECK_NOTHROW(imbalance::check_finite("f()", "logits", m));
  m(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(imbalance::check_finite("f()", "logits", m), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::check_finite("f()", "logits", m), Contains("logits(2, 1)") && Contains("nan"));
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = Eigen::MatrixXf::Zero(2, 2);
  r(0, 1) = std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH(imbalance::check_finite("f()", "X", r), Contains("X(0, 1)") && Contains("inf"));
  // Expressions are accepted too.
  CHECK_THROWS_AS(imbalance::check_finite("f()", "expr", m * 2.0), imbalance::invalid_argument);
}

TEST_CASE("checks: labels in range", "[core][checks]") {
  Eigen::VectorXi labels(4);
  labels << 0, 1, 2, 1;
  CHECK_NOTHROW(imbalance::check_labels("f()", "labels", labels, 3));
  CHECK_THROWS_AS(imbalance::check_labels("f()", "labels", labels, 2), imbalance::out_of_range);
  CHECK_THROWS_WITH(imbalance::check_labels("f()", "labels", labels, 2),
                    Contains("labels[2] = 2") && Contains("[0, 2)"));
  labels(0) = -1;
  CHECK_THROWS_WITH(imbalance::check_labels("f()", "labels", labels, 3), Contains("labels[0] = -1"));
  Eigen::Matrix<long, Eigen::Dynamic, 1> long_labels = Eigen::Matrix<long, Eigen::Dynamic, 1>::Zero(3);
  CHECK_NOTHROW(imbalance::check_labels("f()", "y", long_labels, 1));
  Eigen::MatrixXi not_a_vector = Eigen::MatrixXi::Zero(2, 2);
  CHECK_THROWS_AS(imbalance::check_labels("f()", "y", not_a_vector, 3), imbalance::invalid_argument);
}

TEST_CASE("checks: scalar options", "[core][checks]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_NOTHROW(imbalance::check_positive("f()", "scale", 1e-9));
  CHECK_THROWS_WITH(imbalance::check_positive("f()", "scale", 0.0), Contains("scale") && Contains("got 0"));
  CHECK_THROWS_AS(imbalance::check_positive("f()", "scale", nan), imbalance::invalid_argument);
  CHECK_NOTHROW(imbalance::check_non_negative("f()", "gamma", 0.0));
  CHECK_THROWS_WITH(imbalance::check_non_negative("f()", "gamma", -0.5), Contains("gamma") && Contains("-0.5"));
  CHECK_THROWS_AS(imbalance::check_finite_scalar("f()", "tau", std::numeric_limits<double>::infinity()),
                  imbalance::invalid_argument);
  CHECK_NOTHROW(imbalance::check_in_range("f()", "beta", 0.5, 0.0, 1.0));
  CHECK_THROWS_WITH(imbalance::check_in_range("f()", "beta", 1.5, 0.0, 1.0), Contains("beta") && Contains("1.5"));
  CHECK_THROWS_AS(imbalance::check_in_range("f()", "beta", nan, 0.0, 1.0), imbalance::invalid_argument);
}
