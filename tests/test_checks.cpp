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

TEST_CASE("checks: count arithmetic refuses overflow", "[core][checks]") {
  constexpr Eigen::Index max = std::numeric_limits<Eigen::Index>::max();
  CHECK(imbalance::checked_add("f()", "rows", 3, 4) == 7);
  CHECK(imbalance::checked_add("f()", "rows", max - 1, 1) == max);
  CHECK_THROWS_WITH(imbalance::checked_add("f()", "the number of rows", 6, max - 1),
                    Contains("f(): the number of rows overflows"));
  CHECK_THROWS_AS(imbalance::checked_add("f()", "rows", std::numeric_limits<Eigen::Index>::min(), -1),
                  imbalance::invalid_argument);
  CHECK(imbalance::checked_multiply("f()", "values", 1 << 20, 1 << 20) == Eigen::Index{1} << 40);
  CHECK_THROWS_WITH(imbalance::checked_multiply("f()", "values", Eigen::Index{1} << 32, Eigen::Index{1} << 31),
                    Contains("values overflows"));
  CHECK_THROWS_AS(imbalance::checked_multiply("f()", "values", -2, 3), imbalance::invalid_argument);
}

TEST_CASE("checks: a double becomes a count only when it is one", "[core][checks]") {
  CHECK(imbalance::to_count("f()", "keep", 12.9) == 12);
  CHECK(imbalance::to_count("f()", "keep", -3.5) == -3);
  CHECK(imbalance::to_count("f()", "keep", 9223372036854774784.0) == 9223372036854774784);
  CHECK_THROWS_WITH(imbalance::to_count("f()", "the number to keep", 1e300),
                    Contains("the number to keep (1.0000000000000001e+300) is not a representable count"));
  CHECK_THROWS_AS(imbalance::to_count("f()", "keep", 9223372036854775808.0), imbalance::invalid_argument);
  CHECK_THROWS_AS(imbalance::to_count("f()", "keep", std::nan("")), imbalance::invalid_argument);
  CHECK_THROWS_AS(imbalance::to_count("f()", "keep", -std::numeric_limits<double>::infinity()),
                  imbalance::invalid_argument);
}

TEST_CASE("checks: an allocation too large is refused with its size", "[core][checks]") {
  CHECK_NOTHROW(imbalance::check_allocatable("f()", "the output", 1000, 10, 8));
  CHECK_THROWS_WITH(imbalance::check_allocatable("f()", "the output", Eigen::Index{1} << 62, 4, 8),
                    Contains("the output") && Contains("overflows"));
  CHECK_THROWS_WITH(imbalance::check_allocatable("f()", "the output", Eigen::Index{1} << 60, 2, 8),
                    Contains("more than can be addressed"));
  bool ran = false;
  imbalance::allocation_guard("f()", "a buffer", 4, 4, 8, [&] { ran = true; });
  CHECK(ran);
  CHECK_THROWS_WITH(imbalance::allocation_guard("f()", "the resampled data", 100000000000, 2, 8,
                                                [] { throw std::bad_alloc(); }),
                    Contains("the resampled data of 100000000000 x 2 values") && Contains("GiB) cannot be allocated"));
}
