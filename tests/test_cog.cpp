#include <catch2/catch.hpp>

#include <imbalance/core/class_counts.hpp>
#include <imbalance/sampling/cog.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("COGDecomposition: splits large classes into contiguous sub-classes and maps back", "[sampling][cog]") {
  const auto data = test_support::labelled_points({300, 100, 50}, 2, 7, 3.0);
  imbalance::Rng rng(1);
  const auto cog = imbalance::COGDecomposition::fit(data.X, data.y, rng);
  // Automatic: round(300 / 50) = 6, round(100 / 50) = 2, 1.
  CHECK(cog.num_subclasses() == 9);
  CHECK(cog.parent_of() == std::vector<int>{0, 0, 0, 0, 0, 0, 1, 1, 2});
  CHECK((cog.to_parent(cog.subclass_labels()).array() == data.y.array()).all());
  const auto counts = imbalance::count_labels(cog.subclass_labels(), 9);
  CHECK(counts.minCoeff() > 0);
  // Scores: max and sum over each parent's sub-classes.
  Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(1, 9);
  scores << 0.1, 0.05, 0.05, 0.1, 0.1, 0.1, 0.2, 0.2, 0.1;
  const Eigen::MatrixXd summed = cog.parent_scores(scores, imbalance::ScoreAggregation::Sum);
  CHECK(summed(0, 0) == Approx(0.5));
  CHECK(summed(0, 1) == Approx(0.4));
  const Eigen::MatrixXd maxed = cog.parent_scores(scores, imbalance::ScoreAggregation::Max);
  CHECK(maxed(0, 1) == 0.2);
  CHECK(maxed(0, 2) == 0.1);
}

TEST_CASE("COGDecomposition: explicit clusters and bad input", "[sampling][cog]") {
  const auto data = test_support::labelled_points({60, 20}, 2, 7);
  imbalance::Rng rng(2);
  imbalance::COGOptions options;
  options.clusters[0] = 3;
  const auto cog = imbalance::COGDecomposition::fit(data.X, data.y, rng, options);
  CHECK(cog.num_subclasses() == 4);
  options.clusters[0] = 100;
  CHECK_THROWS_WITH(imbalance::COGDecomposition::fit(data.X, data.y, rng, options), Catch::Contains("clusters for class 0"));
  CHECK_THROWS_AS(cog.to_parent((Eigen::VectorXi(1) << 4).finished()), imbalance::out_of_range);
  CHECK_THROWS_WITH(cog.parent_scores(Eigen::MatrixXd::Zero(2, 3), imbalance::ScoreAggregation::Max),
                    Catch::Contains("subclass_scores has shape 2x3"));
}
