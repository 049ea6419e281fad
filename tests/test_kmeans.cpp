#include <catch2/catch.hpp>

#include <imbalance/sampling/kmeans.hpp>

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
