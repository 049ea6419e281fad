#include <catch2/catch.hpp>

#include <imbalance/under_sampling/one_sided_selection.hpp>

#include <algorithm>

#include "support/sampling_data.hpp"

TEST_CASE("OneSidedSelection: removes exactly the Tomek links of its condensed set", "[sampling][oss]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto data = test_support::labelled_points({300, 120, 40}, 2, seed, 1.2);
    const imbalance::OneSidedSelection oss;
    imbalance::Rng first(seed), second(seed);
    const std::vector<Eigen::Index> condensed = oss.condensed(data.X, data.y, first);
    const auto out = oss.fit_resample(data.X, data.y, second);
    INFO("seed " << seed);
    // The condensed set: seeds plus the samples 1-NN over (minority + seeds) gets wrong, so every
    // sample of a targeted class left out is classified correctly by 1-NN over the minority and the
    // condensed samples of its class.
    for (int label : {0, 1}) {
      std::vector<Eigen::Index> reference_rows;
      for (Eigen::Index i : condensed)
        if (data.y(i) == label || data.y(i) == 2) reference_rows.push_back(i);
      Eigen::MatrixXd reference(static_cast<Eigen::Index>(reference_rows.size()), 2);
      for (std::size_t r = 0; r < reference_rows.size(); ++r) reference.row(static_cast<Eigen::Index>(r)) = data.X.row(reference_rows[r]);
      for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
        if (data.y(i) != label || std::binary_search(condensed.begin(), condensed.end(), i)) continue;
        const auto nn = test_support::brute_force_neighbors(reference, data.X.row(i), -1, 1);
        CHECK(data.y(reference_rows[static_cast<std::size_t>(nn[0])]) == label);
      }
    }
    // Then the Tomek links of the condensed set, by the definition, lose their majority members.
    Eigen::MatrixXd C(static_cast<Eigen::Index>(condensed.size()), 2);
    for (std::size_t r = 0; r < condensed.size(); ++r) C.row(static_cast<Eigen::Index>(r)) = data.X.row(condensed[r]);
    std::vector<Eigen::Index> nearest;
    for (Eigen::Index r = 0; r < C.rows(); ++r) nearest.push_back(test_support::brute_force_neighbors(C, C.row(r), r, 1)[0]);
    std::vector<Eigen::Index> expected;
    int links = 0;
    for (std::size_t r = 0; r < condensed.size(); ++r) {
      const auto j = static_cast<std::size_t>(nearest[r]);
      const bool link = nearest[j] == static_cast<Eigen::Index>(r) && data.y(condensed[r]) != data.y(condensed[j]);
      links += link;
      if (!(link && data.y(condensed[r]) != 2)) expected.push_back(condensed[r]);
    }
    CHECK(links > 0);
    CHECK(out.sample_indices == expected);
  }
}
