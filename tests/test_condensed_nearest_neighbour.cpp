#include <catch2/catch.hpp>

#include <imbalance/under_sampling/condensed_nearest_neighbour.hpp>

#include <algorithm>

#include "support/sampling_data.hpp"

namespace {

// Whether every removed sample of `label` is classified as `label` by 1-NN over the kept samples of
// `label` and all of `minority` (ties of distance: the lower index).
bool kept_set_is_consistent(const test_support::LabelledPoints& data, const std::vector<Eigen::Index>& kept, int label,
                            int minority) {
  Eigen::MatrixXd reference(0, data.X.cols());
  std::vector<int> labels;
  std::vector<Eigen::Index> index;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
    const bool in = data.y(i) == minority || (data.y(i) == label && std::binary_search(kept.begin(), kept.end(), i));
    if (!in) continue;
    reference.conservativeResize(reference.rows() + 1, Eigen::NoChange);
    reference.row(reference.rows() - 1) = data.X.row(i);
    labels.push_back(data.y(i));
  }
  for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
    if (data.y(i) != label || std::binary_search(kept.begin(), kept.end(), i)) continue;
    const auto nn = test_support::brute_force_neighbors(reference, data.X.row(i), -1, 1);
    if (labels[static_cast<std::size_t>(nn[0])] != label) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("CondensedNearestNeighbour: the kept set classifies every removed sample correctly with 1-NN", "[sampling][cnn]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto data = test_support::labelled_points({400, 150, 40}, 2, seed, 1.5, 5);
    const auto out = imbalance::CondensedNearestNeighbour().fit_resample(data.X, data.y, seed);
    INFO("seed " << seed);
    const auto counts = imbalance::count_classes(out.y);
    CHECK(counts.at(2) == 40 + std::count(data.y.data() + 590, data.y.data() + data.y.size(), 2));  // minority kept
    CHECK(counts.at(0) < 200);  // condensed well below the original 400
    CHECK(kept_set_is_consistent(data, out.sample_indices, 0, 2));
    CHECK(kept_set_is_consistent(data, out.sample_indices, 1, 2));
    CHECK(std::is_sorted(out.sample_indices.begin(), out.sample_indices.end()));
    // Same seed, same result; the seed decides the first store.
    CHECK(imbalance::CondensedNearestNeighbour().fit_resample(data.X, data.y, seed).sample_indices == out.sample_indices);
  }
}

TEST_CASE("CondensedNearestNeighbour: with 3 neighbours every removed sample wins the 3-NN vote", "[sampling][cnn]") {
  const auto data = test_support::labelled_points({300, 60}, 3, 9, 1.0);
  imbalance::CondensedNearestNeighbourOptions options;
  options.n_neighbors = 3;
  options.n_seeds_S = 5;
  const auto out = imbalance::CondensedNearestNeighbour(options).fit_resample(data.X, data.y, 4);
  std::vector<Eigen::Index> reference_rows;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i)
    if (data.y(i) == 1 || std::binary_search(out.sample_indices.begin(), out.sample_indices.end(), i)) reference_rows.push_back(i);
  Eigen::MatrixXd reference(static_cast<Eigen::Index>(reference_rows.size()), data.X.cols());
  for (std::size_t r = 0; r < reference_rows.size(); ++r) reference.row(static_cast<Eigen::Index>(r)) = data.X.row(reference_rows[r]);
  for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
    if (data.y(i) != 0 || std::binary_search(out.sample_indices.begin(), out.sample_indices.end(), i)) continue;
    int same = 0;
    for (Eigen::Index j : test_support::brute_force_neighbors(reference, data.X.row(i), -1, 3))
      same += data.y(reference_rows[static_cast<std::size_t>(j)]) == 0;
    CHECK(same >= 2);
  }
}

TEST_CASE("CondensedNearestNeighbour: options are checked", "[sampling][cnn]") {
  using Catch::Matchers::Contains;
  imbalance::CondensedNearestNeighbourOptions options;
  options.n_seeds_S = 0;
  CHECK_THROWS_WITH(imbalance::CondensedNearestNeighbour(options), Contains("n_seeds_S must be >= 1 (got 0)"));
  options.n_seeds_S = 1;
  options.n_neighbors = 9;
  const auto data = test_support::labelled_points({30, 4}, 2, 9, 1.0);
  CHECK_THROWS_WITH(imbalance::CondensedNearestNeighbour(options).fit_resample(data.X, data.y, 1),
                    Contains("n_neighbors = 9 exceeds the store of class 0 (4 minority samples and 1 seeds)"));
}
