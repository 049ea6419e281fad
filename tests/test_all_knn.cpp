#include <catch2/catch.hpp>

#include <imbalance/under_sampling/all_knn.hpp>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

TEST_CASE("AllKNN: kept indices equal imbalanced-learn 0.10, with and without allow_minority", "[sampling][all_knn]") {
  const auto cases = test_support::undersampling_cases("all_knn");
  REQUIRE(cases.size() == 4);
  for (const auto& c : cases) {
    INFO(c.fixture << " " << c.method);
    imbalance::AllKNNOptions options;
    options.n_neighbors = c.params.at("n_neighbors").get<Eigen::Index>();
    options.allow_minority = c.params.at("allow_minority").get<bool>();
    CHECK(imbalance::AllKNN(options).fit_resample(c.X, c.y).sample_indices == c.expected);
  }
}

TEST_CASE("AllKNN: one neighbour is ENN with one neighbour, more neighbours remove more", "[sampling][all_knn]") {
  const auto data = test_support::labelled_points({300, 200, 20}, 3, 8, 1.5);
  imbalance::AllKNNOptions options;
  options.n_neighbors = 1;
  imbalance::EditedNearestNeighboursOptions enn;
  enn.n_neighbors = 1;
  CHECK(imbalance::AllKNN(options).fit_resample(data.X, data.y).sample_indices ==
        imbalance::EditedNearestNeighbours(enn).fit_resample(data.X, data.y).sample_indices);
  options.n_neighbors = 5;
  options.allow_minority = true;
  const auto five = imbalance::AllKNN(options).fit_resample(data.X, data.y);
  CHECK(five.y.size() < imbalance::AllKNN(imbalance::AllKNNOptions{{}, 1, {}, true, {}}).fit_resample(data.X, data.y).y.size());
  CHECK(five.change_per_class.count(2) == 0);  // 'auto' leaves the minority alone
}
