#include <catch2/catch.hpp>

#include <imbalance/sampling/neighbors.hpp>

#include "support/sampling_data.hpp"

using imbalance::NearestNeighbors;
using imbalance::NeighborAlgorithm;

TEST_CASE("NearestNeighbors: both backends equal the definition, with duplicates and ties", "[sampling][neighbors]") {
  for (Eigen::Index d : {1, 3, 20}) {
    // 300 points with 40 exact duplicates; d = 1 on a coarse grid makes distance ties common.
    auto points = test_support::labelled_points({150, 110}, d, 17 + static_cast<std::uint64_t>(d), 1.0, 40);
    if (d == 1) points.X = (points.X.array() * 2).round();
    for (NeighborAlgorithm algorithm : {NeighborAlgorithm::KDTree, NeighborAlgorithm::BruteForce}) {
      INFO("d " << d << " algorithm " << static_cast<int>(algorithm));
      const NearestNeighbors nn(points.X, algorithm);
      const imbalance::NeighborIndices self = nn.self_neighbors(7);
      const imbalance::NeighborIndices external = nn.query(points.X.topRows(25), 7);
      for (Eigen::Index i = 0; i < points.X.rows(); ++i) {
        const auto expected = test_support::brute_force_neighbors(points.X, points.X.row(i), i, 7);
        for (Eigen::Index j = 0; j < 7; ++j) REQUIRE(self(i, j) == expected[static_cast<std::size_t>(j)]);
      }
      for (Eigen::Index i = 0; i < 25; ++i) {
        const auto expected = test_support::brute_force_neighbors(points.X, points.X.row(i), -1, 7);
        for (Eigen::Index j = 0; j < 7; ++j) REQUIRE(external(i, j) == expected[static_cast<std::size_t>(j)]);
        CHECK(external(i, 0) <= i);  // the point itself or an identical, lower-indexed copy
      }
    }
  }
}

TEST_CASE("NearestNeighbors: a point is not its own neighbour even among identical points", "[sampling][neighbors]") {
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(4, 2);  // all identical
  for (NeighborAlgorithm algorithm : {NeighborAlgorithm::KDTree, NeighborAlgorithm::BruteForce}) {
    const imbalance::NeighborIndices nn = NearestNeighbors(X, algorithm).self_neighbors(3);
    for (Eigen::Index i = 0; i < 4; ++i) {
      std::vector<Eigen::Index> expected;
      for (Eigen::Index j = 0; j < 4; ++j)
        if (j != i) expected.push_back(j);
      for (Eigen::Index j = 0; j < 3; ++j) CHECK(nn(i, j) == expected[static_cast<std::size_t>(j)]);
    }
  }
}

TEST_CASE("NearestNeighbors: Auto picks the k-d tree at low dimension and a measured backend above",
          "[sampling][neighbors]") {
  CHECK(NearestNeighbors(Eigen::MatrixXd::Random(10, 8)).algorithm() == NeighborAlgorithm::KDTree);
  CHECK(NearestNeighbors(Eigen::MatrixXd::Random(10, 32)).algorithm() == NeighborAlgorithm::BruteForce);
  // Whichever backend Auto measures as faster, the answer is the exact one.
  const auto points = test_support::labelled_points({400}, 24, 3);
  const NearestNeighbors automatic(points.X);
  CHECK(automatic.algorithm() != NeighborAlgorithm::Auto);
  const imbalance::NeighborIndices a = automatic.self_neighbors(4);
  const imbalance::NeighborIndices b = NearestNeighbors(points.X, NeighborAlgorithm::BruteForce).self_neighbors(4);
  CHECK((a.array() == b.array()).all());
}

TEST_CASE("NearestNeighbors: bad input throws naming the argument", "[sampling][neighbors]") {
  using Catch::Contains;
  const NearestNeighbors nn(Eigen::MatrixXd::Random(5, 2));
  CHECK_THROWS_WITH(nn.self_neighbors(5), Contains("k must lie in [1, 4]"));
  CHECK_THROWS_WITH(nn.query(Eigen::MatrixXd::Random(2, 3), 2), Contains("queries has shape 2x3"));
  Eigen::MatrixXd bad = Eigen::MatrixXd::Random(5, 2);
  bad(3, 1) = std::nan("");
  CHECK_THROWS_WITH(NearestNeighbors(bad), Contains("points(3, 1)"));
  CHECK_THROWS_WITH(NearestNeighbors(Eigen::MatrixXd(0, 2)), Contains("empty"));
}

TEST_CASE("NearestNeighbors: indexing a subset of rows equals indexing the extracted rows", "[sampling][neighbors]") {
  const auto points = test_support::labelled_points({60, 40}, 3, 8, 1.0, 5);
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < points.X.rows(); ++i)
    if (points.y(i) == 1) rows.push_back(i);
  Eigen::MatrixXd extracted(static_cast<Eigen::Index>(rows.size()), 3);
  for (std::size_t r = 0; r < rows.size(); ++r) extracted.row(static_cast<Eigen::Index>(r)) = points.X.row(rows[r]);
  const imbalance::NeighborIndices a = NearestNeighbors(points.X, rows).self_neighbors(4);
  const imbalance::NeighborIndices b = NearestNeighbors(extracted).self_neighbors(4);
  CHECK((a.array() == b.array()).all());
  CHECK_THROWS_WITH(NearestNeighbors(points.X, std::vector<Eigen::Index>{0, 500}), Catch::Contains("row 500"));
}
