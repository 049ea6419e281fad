#include <catch2/catch.hpp>

#include <imbalance/under_sampling/edited_nearest_neighbours.hpp>

#include <map>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

using Kind = imbalance::EditedNearestNeighboursOptions::Kind;

TEST_CASE("EditedNearestNeighbours: removals equal a brute-force implementation of the definition",
          "[sampling][enn]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto data = test_support::labelled_points({100, 50, 30}, 2, seed, 1.0, 8);
    for (Kind kind : {Kind::All, Kind::Mode}) {
      for (Eigen::Index k : {1, 3, 5}) {
        imbalance::EditedNearestNeighboursOptions options;
        options.kind = kind;
        options.n_neighbors = k;
        const auto out = imbalance::EditedNearestNeighbours(options).fit_resample(data.X, data.y);
        std::vector<Eigen::Index> expected;
        for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
          if (data.y(i) == 2) {  // the minority is not targeted by 'auto'
            expected.push_back(i);
            continue;
          }
          const auto nearest = test_support::brute_force_neighbors(data.X, data.X.row(i), i, k);
          std::map<int, int> votes;
          for (Eigen::Index j : nearest) ++votes[data.y(j)];
          bool keep;
          if (kind == Kind::All) {
            keep = votes.size() == 1 && votes.begin()->first == data.y(i);
          } else {
            int best = -1, best_votes = -1;
            for (const auto& [label, count] : votes)
              if (count > best_votes) {
                best = label;
                best_votes = count;
              }
            keep = best == data.y(i);
          }
          if (keep) expected.push_back(i);
        }
        INFO("seed " << seed << " kind " << static_cast<int>(kind) << " k " << k);
        CHECK(out.sample_indices == expected);
        CHECK(out.X.rows() < data.X.rows());
      }
    }
  }
}

TEST_CASE("EditedNearestNeighbours: bad options throw", "[sampling][enn]") {
  const auto data = test_support::labelled_points({3, 2}, 2, 1);
  imbalance::EditedNearestNeighboursOptions options;
  options.n_neighbors = 5;
  CHECK_THROWS_WITH(imbalance::EditedNearestNeighbours(options).fit_resample(data.X, data.y),
                    Catch::Contains("n_neighbors = 5"));
  options.n_neighbors = 0;
  CHECK_THROWS_AS(imbalance::EditedNearestNeighbours(options), imbalance::invalid_argument);
}

TEST_CASE("EditedNearestNeighbours: coordinates whose squared distances exceed the double range", "[sampling][enn]") {
  // The reproduction of a crash: 1e200^2 overflows a double.
  Eigen::MatrixXd X(2, 1);
  X << 1e200, 7.625;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  imbalance::EditedNearestNeighboursOptions options;
  options.n_neighbors = 1;
  options.sampling_strategy = imbalance::SamplingStrategy::Named::All;
  const auto out = imbalance::EditedNearestNeighbours(options).fit_resample(X, y);
  CHECK(out.X.rows() == 0);  // each sample's only neighbour has the other class
  Eigen::MatrixXd wide(6, 2);
  wide << 1e300, 0, 1.1e300, 0, -1e300, 1e300, -1.1e300, 1e300, 0, -1e308, 1, -1e308;
  const Eigen::VectorXi labels = (Eigen::VectorXi(6) << 0, 0, 1, 1, 0, 1).finished();
  const auto kept = imbalance::EditedNearestNeighbours(options).fit_resample(wide, labels);
  CHECK(kept.sample_indices == std::vector<Eigen::Index>{0, 1, 2, 3});
}

TEST_CASE("EditedNearestNeighbours: kept indices equal imbalanced-learn 0.10 (kind all and mode)", "[sampling][enn]") {
  const auto cases = test_support::undersampling_cases("edited_nearest_neighbours");
  REQUIRE(cases.size() == 4);
  for (const auto& c : cases) {
    INFO(c.fixture << " " << c.method);
    imbalance::EditedNearestNeighboursOptions options;
    options.n_neighbors = c.params.at("n_neighbors").get<Eigen::Index>();
    options.kind = c.params.at("kind_sel") == "mode" ? imbalance::EditedNearestNeighboursOptions::Kind::Mode
                                                     : imbalance::EditedNearestNeighboursOptions::Kind::All;
    CHECK(imbalance::EditedNearestNeighbours(options).fit_resample(c.X, c.y).sample_indices == c.expected);
  }
}
