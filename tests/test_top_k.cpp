#include <catch2/catch.hpp>

#include <imbalance/metrics/top_k.hpp>

#include <limits>

TEST_CASE("top_k_accuracy: hand-checked ranks and ties", "[metrics][top_k]") {
  Eigen::MatrixXd scores(4, 3);
  scores << 0.1, 0.7, 0.2,   // label 2: rank 2
      0.5, 0.3, 0.2,         // label 0: rank 1
      0.2, 0.2, 0.6,         // label 1: rank 2 (tie with class 0 counts in its favour)
      0.1, 0.3, 0.6;         // label 0: rank 3
  const Eigen::VectorXi y = (Eigen::VectorXi(4) << 2, 0, 1, 0).finished();
  CHECK(imbalance::top_k_accuracy(scores, y, 1) == 0.25);
  CHECK(imbalance::top_k_accuracy(scores, y, 2) == 0.75);
  CHECK(imbalance::top_k_accuracy(scores, y, 3) == 1.0);
}

TEST_CASE("top_k_accuracy: bad input throws naming the argument", "[metrics][top_k]") {
  using Catch::Contains;
  Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::top_k_accuracy(scores, y, 4), Contains("k must lie in [1, 3]"));
  CHECK_THROWS_WITH(imbalance::top_k_accuracy(scores, y.head(1), 1), Contains("y_true has length 1"));
  CHECK_THROWS_AS(imbalance::top_k_accuracy(scores, (Eigen::VectorXi(2) << 0, 3).finished(), 1),
                  imbalance::out_of_range);
  scores(1, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(imbalance::top_k_accuracy(scores, y, 1), Contains("scores(1, 1)"));
  CHECK_THROWS_WITH(imbalance::top_k_accuracy(Eigen::MatrixXd::Zero(2, 1), y, 1), Contains("K >= 2"));
}
