#include <catch2/catch.hpp>

#include <imbalance/under_sampling/cluster_centroids.hpp>

#include <algorithm>
#include <cmath>

#include "support/sampling_data.hpp"

using Voting = imbalance::ClusterCentroidsOptions::Voting;

TEST_CASE("ClusterCentroids: soft voting replaces a class by k-means centroids, a Lloyd fixed point", "[sampling][cluster_centroids]") {
  const auto data = test_support::labelled_points({200, 80, 25}, 3, 6, 1.5);
  const auto out = imbalance::ClusterCentroids().fit_resample(data.X, data.y, 5);
  CHECK(imbalance::count_classes(out.y) == imbalance::ClassMap{{0, 25}, {1, 25}, {2, 25}});
  CHECK(out.sample_indices.empty());
  // The 25 minority rows come first, unchanged; then 25 centroids of class 0, then of class 1.
  for (Eigen::Index r = 0; r < 25; ++r) CHECK(out.X.row(r) == data.X.row(280 + r));
  for (int label : {0, 1}) {
    const Eigen::Index first = label == 0 ? 25 : 50;
    const Eigen::MatrixXd centres = out.X.middleRows(first, 25);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(25, 3);
    Eigen::VectorXd sizes = Eigen::VectorXd::Zero(25);
    for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
      if (data.y(i) != label) continue;
      Eigen::Index best = 0;
      (centres.rowwise() - data.X.row(i)).rowwise().squaredNorm().minCoeff(&best);
      sums.row(best) += data.X.row(i);
      sizes(best) += 1;
    }
    for (Eigen::Index c = 0; c < 25; ++c) {
      REQUIRE(sizes(c) > 0);
      CHECK((sums.row(c) / sizes(c) - centres.row(c)).norm() < 1e-12);
    }
  }
}

TEST_CASE("ClusterCentroids: hard voting keeps the sample nearest to each centroid", "[sampling][cluster_centroids]") {
  const auto data = test_support::labelled_points({150, 30}, 2, 2, 1.5);
  imbalance::ClusterCentroidsOptions options;
  const auto soft = imbalance::ClusterCentroids(options).fit_resample(data.X, data.y, 9);
  options.voting = Voting::Hard;
  const auto hard = imbalance::ClusterCentroids(options).fit_resample(data.X, data.y, 9);
  REQUIRE(hard.sample_indices.size() == 60);
  std::vector<Eigen::Index> expected;
  for (Eigen::Index i = 150; i < 180; ++i) expected.push_back(i);
  for (Eigen::Index c = 30; c < 60; ++c) {  // same seed, same centroids
    Eigen::Index best = 0;
    (data.X.topRows(150).rowwise() - soft.X.row(c)).rowwise().squaredNorm().minCoeff(&best);
    expected.push_back(best);
  }
  std::sort(expected.begin(), expected.end());
  CHECK(hard.sample_indices == expected);
}

TEST_CASE("ClusterCentroids: options are checked", "[sampling][cluster_centroids]") {
  using Catch::Matchers::Contains;
  imbalance::ClusterCentroidsOptions options;
  options.n_init = 0;
  CHECK_THROWS_WITH(imbalance::ClusterCentroids(options), Contains("n_init must be >= 1 (got 0)"));
}

TEST_CASE("ClusterCentroids: hard voting at 1e160 keeps the representatives it keeps at 1 (issue 29)",
          "[sampling][cluster_centroids]") {
  const auto data = test_support::labelled_points({150, 30}, 2, 2, 1.5);
  imbalance::ClusterCentroidsOptions options;
  options.voting = Voting::Hard;
  const auto plain = imbalance::ClusterCentroids(options).fit_resample(data.X, data.y, 9);
  // Scaled by a power of two (~1e160): bit for bit the same representatives.
  const Eigen::MatrixXd scaled = data.X.unaryExpr([](double v) { return std::ldexp(v, 531); });
  CHECK(imbalance::ClusterCentroids(options).fit_resample(scaled, data.y, 9).sample_indices == plain.sample_indices);
  // By 1e160 (rounded products): representatives, not the class's first rows as overflowing
  // squared distances once gave.
  const auto huge = imbalance::ClusterCentroids(options).fit_resample(data.X * 1e160, data.y, 9);
  std::vector<Eigen::Index> first_rows;
  for (Eigen::Index i = 0; i < 30; ++i) first_rows.push_back(i);
  CHECK_FALSE(std::includes(huge.sample_indices.begin(), huge.sample_indices.end(), first_rows.begin(), first_rows.end()));
}
