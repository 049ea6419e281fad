#include <catch2/catch.hpp>

#include <imbalance/under_sampling/near_miss.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

namespace {

imbalance::NearMissOptions near_miss_options(const nlohmann::json& params) {
  imbalance::NearMissOptions options;
  options.version = params.at("version").get<int>();
  options.n_neighbors = params.at("n_neighbors").get<Eigen::Index>();
  if (params.contains("n_neighbors_ver3")) options.n_neighbors_ver3 = params.at("n_neighbors_ver3").get<Eigen::Index>();
  options.sampling_strategy = imbalance::SamplingStrategy::parse(params.at("sampling_strategy").get<std::string>());
  return options;
}

// Version 2's score by the definition: every distance to the minority, sorted, the k largest summed.
std::vector<double> near_miss2_scores(const Eigen::MatrixXd& X, const std::vector<Eigen::Index>& queries,
                                      const std::vector<Eigen::Index>& minority, Eigen::Index k) {
  std::vector<double> scores;
  for (Eigen::Index q : queries) {
    std::vector<double> d;
    for (Eigen::Index m : minority) d.push_back((X.row(q) - X.row(m)).norm());
    std::sort(d.begin(), d.end());
    scores.push_back(std::accumulate(d.end() - std::min<std::ptrdiff_t>(k, static_cast<std::ptrdiff_t>(d.size())), d.end(), 0.0));
  }
  return scores;
}

}  // namespace

TEST_CASE("NearMiss: kept indices equal imbalanced-learn 0.10 on every fixture", "[sampling][near_miss]") {
  const auto cases = test_support::undersampling_cases("near_miss");
  REQUIRE(cases.size() == 8);
  for (const auto& c : cases) {
    INFO(c.fixture << " " << c.method);
    const auto out = imbalance::NearMiss(near_miss_options(c.params)).fit_resample(c.X, c.y);
    CHECK(out.sample_indices == c.expected);
    for (std::size_t r = 0; r < out.sample_indices.size(); ++r)
      CHECK(out.y(static_cast<Eigen::Index>(r)) == c.y(out.sample_indices[r]));
  }
}

TEST_CASE("NearMiss-2: the blocked farthest-neighbour sums equal the definition", "[sampling][near_miss]") {
  // More minority points than one tile (2048) and more queries than one block, offsets that make
  // the matrix-product form cancel badly, and duplicated points (ties).
  const auto data = test_support::labelled_points({700, 2300}, 5, 11, 0.3);
  Eigen::MatrixXd X = data.X.array() + 1e4;
  X.row(5) = X.row(6);
  std::vector<Eigen::Index> majority, minority;
  for (Eigen::Index i = 0; i < X.rows(); ++i) (data.y(i) == 0 ? majority : minority).push_back(i);
  for (Eigen::Index k : {1, 3, 40}) {
    INFO("k " << k);
    const auto queries = imbalance::detail::gather_rows(X, majority);
    const auto points = imbalance::detail::gather_rows(X, minority);
    const auto got = imbalance::detail::farthest_distance_sums(queries, points, k);
    const auto expected = near_miss2_scores(X, majority, minority, k);
    for (std::size_t q = 0; q < got.size(); ++q) CHECK(got[q] == Approx(expected[q]).epsilon(1e-13));
  }
  // k beyond the minority size sums every distance (imbalanced-learn's slice [-k:]).
  const auto small = imbalance::detail::gather_rows(X, std::vector<Eigen::Index>{minority.begin(), minority.begin() + 4});
  const auto all = imbalance::detail::farthest_distance_sums(imbalance::detail::gather_rows(X, majority), small, 10);
  CHECK(all[0] == Approx(near_miss2_scores(X, {majority[0]}, {minority.begin(), minority.begin() + 4}, 10)[0]).epsilon(1e-13));
}

TEST_CASE("NearMiss-2: magnitudes near the double range and coincident points", "[sampling][near_miss]") {
  Eigen::MatrixXd X(6, 2);
  X << 1e300, -1e300, 1.5e300, 1e300, -1e308, 0, -0.9e308, 1, 5, 5, 5, 5;
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 0, 0, 1, 1).finished();
  imbalance::NearMissOptions options;
  options.version = 2;
  options.n_neighbors = 1;
  const auto out = imbalance::NearMiss(options).fit_resample(X, y);
  // Distances to (5, 5): the two samples nearest to it stay.
  CHECK(out.sample_indices == std::vector<Eigen::Index>{0, 1, 4, 5});
}

TEST_CASE("NearMiss: the kept majority samples are those of smallest (v1, v2) or largest (v3) score", "[sampling][near_miss]") {
  const auto data = test_support::labelled_points({150, 60, 30}, 3, 5, 0.8);
  std::vector<Eigen::Index> minority;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i)
    if (data.y(i) == 2) minority.push_back(i);
  imbalance::NearMissOptions options;
  options.version = 2;
  const auto out = imbalance::NearMiss(options).fit_resample(data.X, data.y);
  CHECK(imbalance::count_classes(out.y) == imbalance::ClassMap{{0, 30}, {1, 30}, {2, 30}});
  // Every kept class-0 sample scores no more than every removed one.
  std::vector<Eigen::Index> class0;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i)
    if (data.y(i) == 0) class0.push_back(i);
  const auto scores = near_miss2_scores(data.X, class0, minority, 3);
  double worst_kept = -1, best_removed = 1e300;
  for (std::size_t r = 0; r < class0.size(); ++r) {
    if (std::binary_search(out.sample_indices.begin(), out.sample_indices.end(), class0[r]))
      worst_kept = std::max(worst_kept, scores[r]);
    else
      best_removed = std::min(best_removed, scores[r]);
  }
  CHECK(worst_kept <= best_removed);
}

TEST_CASE("NearMiss: bad options and too-small classes are refused with their values", "[sampling][near_miss]") {
  using Catch::Matchers::Contains;
  imbalance::NearMissOptions options;
  options.version = 4;
  CHECK_THROWS_WITH(imbalance::NearMiss(options), Contains("version must be 1, 2 or 3 (got 4)"));
  options.version = 3;
  options.n_neighbors_ver3 = 0;
  CHECK_THROWS_WITH(imbalance::NearMiss(options), Contains("n_neighbors_ver3 must be >= 1 (got 0)"));
  const auto data = test_support::labelled_points({40, 5}, 2, 3, 0.8);
  options = {};
  options.n_neighbors = 6;
  CHECK_THROWS_WITH(imbalance::NearMiss(options).fit_resample(data.X, data.y),
                    Contains("n_neighbors = 6 exceeds the 5 samples of the minority class 1"));
  options = {};
  options.version = 3;
  options.n_neighbors_ver3 = 41;
  CHECK_THROWS_WITH(imbalance::NearMiss(options).fit_resample(data.X, data.y),
                    Contains("n_neighbors_ver3 = 41 exceeds the 40 samples of class 0"));
}
