#include <catch2/catch.hpp>

#include <imbalance/under_sampling/neighbourhood_cleaning_rule.hpp>

#include <map>
#include <set>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

using Version = imbalance::NeighbourhoodCleaningRuleOptions::Version;

TEST_CASE("NeighbourhoodCleaningRule: kept indices equal imbalanced-learn 0.10", "[sampling][ncr]") {
  const auto cases = test_support::undersampling_cases("neighbourhood_cleaning_rule");
  REQUIRE(cases.size() == 2);
  for (const auto& c : cases) {
    INFO(c.fixture);
    imbalance::NeighbourhoodCleaningRuleOptions options;
    options.version = Version::Imblearn010;
    options.n_neighbors = c.params.at("n_neighbors").get<Eigen::Index>();
    options.threshold_cleaning = c.params.at("threshold_cleaning").get<double>();
    CHECK(imbalance::NeighbourhoodCleaningRule(options).fit_resample(c.X, c.y).sample_indices == c.expected);
  }
}

TEST_CASE("NeighbourhoodCleaningRule: 0.12 semantics equal a direct implementation of the rule", "[sampling][ncr]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto data = test_support::labelled_points({200, 90, 40}, 2, seed, 1.0);
    const Eigen::Index k = 3;
    const auto out = imbalance::NeighbourhoodCleaningRule().fit_resample(data.X, data.y);
    // A1: ENN (mode) on classes 0 and 1.
    imbalance::EditedNearestNeighboursOptions enn;
    enn.kind = imbalance::EditedNearestNeighboursOptions::Kind::Mode;
    const auto kept_by_enn = imbalance::EditedNearestNeighbours(enn).fit_resample(data.X, data.y).sample_indices;
    std::set<Eigen::Index> removed;
    for (Eigen::Index i = 0; i < data.X.rows(); ++i)
      if (!std::binary_search(kept_by_enn.begin(), kept_by_enn.end(), i)) removed.insert(i);
    // A2: classes with more than 0.5 * 40 samples are cleaned around misclassified minority samples.
    for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
      if (data.y(i) != 2) continue;
      const auto nn = test_support::brute_force_neighbors(data.X, data.X.row(i), i, k);
      std::map<int, int> votes{{2, 1}};
      for (Eigen::Index j = 0; j < k - 1; ++j) ++votes[data.y(nn[static_cast<std::size_t>(j)])];
      int mode = votes.begin()->first;
      for (const auto& [label, count] : votes)
        if (count > votes[mode]) mode = label;
      if (mode == 2) continue;
      for (Eigen::Index j : nn)
        if (data.y(j) != 2) removed.insert(j);
    }
    std::vector<Eigen::Index> expected;
    for (Eigen::Index i = 0; i < data.X.rows(); ++i)
      if (!removed.count(i)) expected.push_back(i);
    INFO("seed " << seed);
    CHECK(out.sample_indices == expected);
  }
}

TEST_CASE("NeighbourhoodCleaningRule: options are checked", "[sampling][ncr]") {
  using Catch::Matchers::Contains;
  imbalance::NeighbourhoodCleaningRuleOptions options;
  options.threshold_cleaning = 1.5;
  CHECK_THROWS_WITH(imbalance::NeighbourhoodCleaningRule(options), Contains("threshold_cleaning must lie in [0, 1] (got 1.5)"));
}
