#include <catch2/catch.hpp>

#include <imbalance/core/argmax.hpp>

TEST_CASE("argmax_rows: the first maximum of each row", "[core][argmax]") {
  Eigen::MatrixXd scores(3, 3);
  scores << 0.1, 0.7, 0.2,
            0.5, 0.5, 0.1,   // tie: the first wins
           -3.0, -2.0, -1.0;
  const Eigen::VectorXi best = imbalance::argmax_rows(scores);
  CHECK(best(0) == 1);
  CHECK(best(1) == 0);
  CHECK(best(2) == 2);
  CHECK_THROWS_AS(imbalance::argmax_rows(Eigen::MatrixXd(2, 0)), imbalance::invalid_argument);
}
