#include <catch2/catch.hpp>

#include <imbalance/under_sampling/repeated_edited_nearest_neighbours.hpp>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

TEST_CASE("RepeatedEditedNearestNeighbours: kept indices equal imbalanced-learn 0.10", "[sampling][renn]") {
  const auto cases = test_support::undersampling_cases("repeated_edited_nearest_neighbours");
  REQUIRE(cases.size() == 2);
  for (const auto& c : cases) {
    INFO(c.fixture);
    imbalance::RepeatedEditedNearestNeighboursOptions options;
    options.n_neighbors = c.params.at("n_neighbors").get<Eigen::Index>();
    options.max_iter = c.params.at("max_iter").get<Eigen::Index>();
    const auto out = imbalance::RepeatedEditedNearestNeighbours(options).fit_resample(c.X, c.y);
    CHECK(out.sample_indices == c.expected);
    CHECK(out.X.rows() == static_cast<Eigen::Index>(c.expected.size()));
  }
}

TEST_CASE("RepeatedEditedNearestNeighbours: repeats ENN until it removes nothing", "[sampling][renn]") {
  const auto data = test_support::labelled_points({400, 300, 30}, 2, 3, 2.0);
  imbalance::RepeatedEditedNearestNeighboursOptions options;
  options.max_iter = 1;
  const auto once = imbalance::RepeatedEditedNearestNeighbours(options).fit_resample(data.X, data.y);
  const auto enn = imbalance::EditedNearestNeighbours().fit_resample(data.X, data.y);
  CHECK(once.sample_indices == enn.sample_indices);  // one pass is ENN
  options.max_iter = 100;
  const auto out = imbalance::RepeatedEditedNearestNeighbours(options).fit_resample(data.X, data.y);
  CHECK(out.y.size() < once.y.size());
  // Stopped because a further pass removes nothing, or by the class-size rule.
  const auto again = imbalance::EditedNearestNeighbours().fit_resample(out.X, out.y);
  const auto counts = imbalance::count_classes(out.y);
  const bool below = counts.at(0) < 30 || counts.at(1) < 30;
  CHECK((again.y.size() == out.y.size() || below));
  CHECK(out.change_per_class.at(0) == counts.at(0) - 400);
}

TEST_CASE("RepeatedEditedNearestNeighbours: options are checked", "[sampling][renn]") {
  using Catch::Matchers::Contains;
  imbalance::RepeatedEditedNearestNeighboursOptions options;
  options.max_iter = 0;
  CHECK_THROWS_WITH(imbalance::RepeatedEditedNearestNeighbours(options), Contains("max_iter must be >= 1 (got 0)"));
  options.max_iter = 3;
  options.n_neighbors = 0;
  CHECK_THROWS_WITH(imbalance::RepeatedEditedNearestNeighbours(options), Contains("n_neighbors must be >= 1 (got 0)"));
}
