#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/neighbors/kmeans.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("kmeans: finds well separated clusters and is seeded", "[sampling][kmeans]") {
  const auto data = test_support::labelled_points({100, 100, 100}, 2, 3, 20.0);
  imbalance::Rng a(5), b(5);
  const auto first = imbalance::kmeans(data.X, 3, a);
  const auto second = imbalance::kmeans(data.X, 3, b);
  CHECK((first.assignments.array() == second.assignments.array()).all());
  // Each true cluster maps to one k-means cluster.
  for (int c = 0; c < 3; ++c)
    for (Eigen::Index i = 0; i < 300; ++i)
      if (data.y(i) == c) CHECK(first.assignments(i) == first.assignments(c * 100));
  CHECK(first.inertia < 300 * 2 * 1.3);  // ~ N d sigma^2
  CHECK_THROWS_WITH(imbalance::kmeans(data.X, 301, a), Catch::Contains("k must lie in [1, 300]"));
}

TEST_CASE("kmeans: scale-invariant, at 1e160 as at 1 (issue 29)", "[sampling][kmeans]") {
  const auto data = test_support::labelled_points({100, 100, 100}, 2, 3, 20.0);
  const Eigen::MatrixXd huge = data.X.unaryExpr([](double v) { return std::ldexp(v, 531); });  // ~1e160
  imbalance::Rng a(8), b(8);
  const auto plain = imbalance::kmeans(data.X, 3, a);
  const auto scaled = imbalance::kmeans(huge, 3, b);
  // A power of two: bit for bit the same clustering, the centres scaled.
  CHECK((plain.assignments.array() == scaled.assignments.array()).all());
  CHECK(scaled.centers == plain.centers.unaryExpr([](double v) { return std::ldexp(v, 531); }));
  CHECK(scaled.scaled_inertia == plain.scaled_inertia);
  CHECK(std::isinf(scaled.inertia));  // ~1e321: beyond the double range, said as inf
  // And by 1e160 (rounded products): the same three clusters.
  imbalance::Rng c(8);
  const auto decimal = imbalance::kmeans(data.X * 1e160, 3, c);
  for (int k = 0; k < 3; ++k)
    for (Eigen::Index i = 0; i < 300; ++i)
      if (data.y(i) == k) CHECK(decimal.assignments(i) == decimal.assignments(k * 100));
}
