#include <catch2/catch.hpp>

#include <imbalance/under_sampling/random_under_sampler.hpp>

#include "support/reference.hpp"
#include "support/sampling_data.hpp"

TEST_CASE("RandomUnderSampler: keeps the counts of every under-sampling reference case", "[sampling][rus]") {
  const nlohmann::json reference = test_support::load_json("sampling_strategy.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    if (c.at("kind") != "under-sampling") continue;
    std::vector<int> sizes;
    for (const auto& n : c.at("class_counts")) sizes.push_back(n.get<int>());
    const auto data = test_support::labelled_points(sizes, 2, 13);
    const auto& s = c.at("sampling_strategy");
    imbalance::RandomUnderSamplerOptions options;
    options.sampling_strategy = s.is_number() ? imbalance::SamplingStrategy::ratio(s.get<double>())
                                              : imbalance::SamplingStrategy::parse(s.get<std::string>());
    const auto out = imbalance::RandomUnderSampler(options).fit_resample(data.X, data.y, 5);
    const auto counts = imbalance::count_classes(out.y);
    for (std::size_t label = 0; label < sizes.size(); ++label) {
      const std::string key = std::to_string(label);
      const Eigen::Index expected =
          c.at("samples_per_class").contains(key) ? c.at("samples_per_class").at(key).get<Eigen::Index>() : sizes[label];
      CHECK(counts.at(static_cast<int>(label)) == expected);
    }
    // Kept rows are distinct, in original order, and copies of the input.
    for (std::size_t r = 1; r < out.sample_indices.size(); ++r) CHECK(out.sample_indices[r - 1] < out.sample_indices[r]);
    for (Eigen::Index r = 0; r < out.X.rows(); ++r)
      CHECK((out.X.row(r) - data.X.row(out.sample_indices[static_cast<std::size_t>(r)])).cwiseAbs().maxCoeff() == 0.0);
    ++checked;
  }
  CHECK(checked == 12);
}

TEST_CASE("RandomUnderSampler: draws are uniform and seeded", "[sampling][rus]") {
  const auto data = test_support::labelled_points({20, 5}, 2, 1);
  std::vector<int> kept(20, 0);
  imbalance::Rng rng(99);
  for (int trial = 0; trial < 4000; ++trial) {
    const auto out = imbalance::RandomUnderSampler().fit_resample(data.X, data.y, rng);
    for (Eigen::Index i : out.sample_indices)
      if (i < 20) ++kept[static_cast<std::size_t>(i)];
  }
  // Each majority row is kept with probability 5/20: 1000 of 4000 (sd ~ 27).
  for (int count : kept) CHECK(std::abs(count - 1000) < 140);
  const auto a = imbalance::RandomUnderSampler().fit_resample(data.X, data.y, 3);
  const auto b = imbalance::RandomUnderSampler().fit_resample(data.X, data.y, 3);
  CHECK(a.sample_indices == b.sample_indices);
}
