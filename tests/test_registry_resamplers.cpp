#include <catch2/catch.hpp>

#include <imbalance/registry/resamplers.hpp>

#include "support/sampling_data.hpp"

using Catch::Contains;

TEST_CASE("resampler registry: every row equals its class with the same options and generator",
          "[registry][resamplers]") {
  const auto data = test_support::labelled_points({60, 20, 12}, 3, 21, 1.0, 4);
  const auto& registry = imbalance::resampler_registry();
  const auto names = registry.names();  // the built-in ones first; a test elsewhere may add more
  REQUIRE(names.size() >= 10);
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 10) ==
        std::vector<std::string>{"smote", "borderline-smote", "borderline-smote-2", "adasyn", "random-over",
                                 "random-under", "tomek", "enn", "smote-tomek", "smote-enn"});
  for (const auto& method : registry.methods()) {
    if (method.name == "duplicate-first") continue;  // test_cli_tools.cpp's
    INFO(method.name);
    imbalance::Rng rng(3);
    const auto out = imbalance::resample(method.name, {}, {}, data.X, data.y, rng);
    CHECK(out.X.rows() == out.y.size());
    CHECK(out.X.allFinite());
  }
  imbalance::OptionValues k;
  k.set("k-neighbors", 3);
  imbalance::ResampleContext context;
  context.sampling_strategy = imbalance::SamplingStrategy::parse("not majority");
  imbalance::Rng a(7), b(7);
  const auto via_registry = imbalance::resample("smote", k, context, data.X, data.y, a);
  imbalance::SMOTEOptions options;
  options.k_neighbors = 3;
  options.sampling_strategy = context.sampling_strategy;
  const auto direct = imbalance::SMOTE(options).fit_resample(data.X, data.y, b);
  CHECK((via_registry.X - direct.X).cwiseAbs().maxCoeff() == 0.0);
  CHECK(*registry.at("borderline-smote").option("m-neighbors")->default_value ==
        static_cast<double>(imbalance::BorderlineSMOTEOptions().m_neighbors));
  imbalance::OptionValues shrinkage;
  shrinkage.set("shrinkage", 0.5);
  imbalance::Rng c(1);
  CHECK(imbalance::resample("random-over", shrinkage, {}, data.X, data.y, c).sample_indices.empty());  // perturbed
  CHECK_THROWS_WITH(imbalance::resample("tomek", k, {}, data.X, data.y, c),
                    Contains("resampler 'tomek' takes no option 'k-neighbors'"));
}
