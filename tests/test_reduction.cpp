#include <catch2/catch.hpp>

#include <imbalance/core/reduction.hpp>

#include <string>

TEST_CASE("reduction: names round-trip", "[core][reduction]") {
  using imbalance::Reduction;
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum})
    CHECK(imbalance::parse_reduction(imbalance::to_string(r)) == r);
  CHECK(std::string(imbalance::to_string(Reduction::Mean)) == "mean");
}

TEST_CASE("reduction: unknown name throws naming the text", "[core][reduction]") {
  CHECK_THROWS_AS(imbalance::parse_reduction("average"), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::parse_reduction("average"), Catch::Contains("text") && Catch::Contains("average"));
}
