#include <catch2/catch.hpp>

#include <imbalance/under_sampling/tomek_links.hpp>

#include "support/sampling_data.hpp"
#include "support/undersampling_fixture.hpp"

TEST_CASE("TomekLinks: removals equal a brute-force implementation of the definition", "[sampling][tomek]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto data = test_support::labelled_points({120, 40, 25}, 3, seed, 0.8, 10);
    for (const char* strategy : {"auto", "all", "majority"}) {
      INFO("seed " << seed << " strategy " << strategy);
      imbalance::TomekLinksOptions options;
      options.sampling_strategy = imbalance::SamplingStrategy::parse(strategy);
      const auto out = imbalance::TomekLinks(options).fit_resample(data.X, data.y);
      const auto targets = options.sampling_strategy.resolve(imbalance::count_classes(data.y),
                                                             imbalance::SamplerKind::Cleaning);
      std::vector<Eigen::Index> nearest(static_cast<std::size_t>(data.X.rows()));
      for (Eigen::Index i = 0; i < data.X.rows(); ++i)
        nearest[static_cast<std::size_t>(i)] = test_support::brute_force_neighbors(data.X, data.X.row(i), i, 1)[0];
      std::vector<Eigen::Index> expected;
      int links = 0;
      for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
        const Eigen::Index j = nearest[static_cast<std::size_t>(i)];
        const bool link = nearest[static_cast<std::size_t>(j)] == i && data.y(i) != data.y(j);
        links += link;
        if (!(link && targets.count(data.y(i)))) expected.push_back(i);
      }
      CHECK(links > 0);  // the data do have links
      CHECK(out.sample_indices == expected);
    }
  }
}

TEST_CASE("TomekLinks: coordinates whose squared distances exceed the double range", "[sampling][tomek]") {
  Eigen::MatrixXd X(5, 2);
  X << 1e300, 1e300, 1.5e300, 1e300, -1e308, 0, -0.9e308, 0, 5, 5;
  const Eigen::VectorXi y = (Eigen::VectorXi(5) << 0, 1, 0, 0, 0).finished();
  const auto out = imbalance::TomekLinks().fit_resample(X, y);
  // 0 and 1 are each other's nearest neighbours with different labels: the majority member goes.
  CHECK(out.sample_indices == std::vector<Eigen::Index>{1, 2, 3, 4});
}

TEST_CASE("TomekLinks: kept indices equal imbalanced-learn 0.10", "[sampling][tomek]") {
  const auto cases = test_support::undersampling_cases("tomek_links");
  REQUIRE(cases.size() == 2);
  for (const auto& c : cases) {
    INFO(c.fixture);
    CHECK(imbalance::TomekLinks().fit_resample(c.X, c.y).sample_indices == c.expected);
  }
}
