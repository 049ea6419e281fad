#include <catch2/catch.hpp>

#include <imbalance/core/class_counts.hpp>

#include <cmath>

using Catch::Contains;

TEST_CASE("class_counts: counting labels", "[core][class_counts]") {
  Eigen::VectorXi labels(7);
  labels << 2, 0, 0, 2, 2, 1, 2;
  const imbalance::ClassCounts counts = imbalance::count_labels(labels, 4);
  REQUIRE(counts.size() == 4);
  CHECK(counts(0) == 2);
  CHECK(counts(1) == 1);
  CHECK(counts(2) == 4);
  CHECK(counts(3) == 0);
  CHECK_THROWS_AS(imbalance::count_labels(labels, 2), imbalance::out_of_range);
  CHECK_THROWS_WITH(imbalance::count_labels(labels, 0), Contains("num_classes") && Contains("0"));
}

TEST_CASE("class_counts: priors and log-priors", "[core][class_counts]") {
  Eigen::VectorXi counts(3);
  counts << 6, 3, 1;
  const Eigen::VectorXd pi = imbalance::priors(counts);
  CHECK(pi(0) == Approx(0.6).epsilon(1e-15));
  CHECK(pi(2) == Approx(0.1).epsilon(1e-15));
  CHECK(pi.sum() == Approx(1.0));
  const Eigen::VectorXd log_pi = imbalance::log_priors(counts);
  CHECK(log_pi(1) == Approx(std::log(0.3)));
  const Eigen::VectorXd adjusted = imbalance::log_priors(counts, 2.0, 1e-12);
  CHECK(adjusted(1) == Approx(std::log(0.09 + 1e-12)));
  // Floating-point counts work as well.
  const Eigen::VectorXd counts_double = (Eigen::VectorXd(2) << 1.5, 0.5).finished();
  CHECK(imbalance::priors(counts_double)(0) == Approx(0.75));
}

TEST_CASE("class_counts: bad counts throw naming the entry", "[core][class_counts]") {
  Eigen::VectorXi counts(3);
  counts << 6, -3, 1;
  CHECK_THROWS_AS(imbalance::priors(counts), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::priors(counts), Contains("class_counts[1]") && Contains("-3"));
  CHECK_THROWS_WITH(imbalance::priors(Eigen::VectorXi::Zero(3)), Contains("all be zero"));
  CHECK_THROWS_WITH(imbalance::priors(Eigen::VectorXi()), Contains("class_counts") && Contains("empty"));
  CHECK_THROWS_WITH(imbalance::class_counts_to_double("L()", Eigen::VectorXi::Zero(2), true),
                    Contains("L()") && Contains("class_counts[0]") && Contains("> 0"));
  CHECK_THROWS_AS(imbalance::log_priors(Eigen::VectorXi::Ones(2), std::nan(""), 0.0), imbalance::invalid_argument);
}
