#include <catch2/catch.hpp>

#include <imbalance/over_sampling/random_over_sampler.hpp>
#include <imbalance/sampling/seeded.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("SeededResampler: fit_resample(X, y, seed) equals fit_resample with Rng(seed)", "[sampling][seeded]") {
  const auto data = test_support::labelled_points({30, 7}, 2, 4);
  imbalance::Rng rng(77);
  const auto by_engine = imbalance::RandomOverSampler().fit_resample(data.X, data.y, rng);
  const auto by_seed = imbalance::RandomOverSampler().fit_resample(data.X, data.y, std::uint64_t{77});
  CHECK(by_engine.sample_indices == by_seed.sample_indices);
  const std::uint64_t seed = 77;  // an lvalue seed picks the seed overload too
  CHECK(imbalance::RandomOverSampler().fit_resample(data.X, data.y, seed).sample_indices == by_seed.sample_indices);
}
