#include <catch2/catch.hpp>

#include <imbalance/registry/resamplers.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

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
    if (method.name == "smotenc" || method.name == "smoten") continue;  // categorical data: below
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

TEST_CASE("resampler registry: categorical columns reach smotenc and smoten, and only the methods that keep them",
          "[registry][resamplers]") {
  // Column 1 holds category codes 0..2.
  auto data = test_support::labelled_points({60, 20, 12}, 3, 5, 1.0);
  for (Eigen::Index i = 0; i < data.X.rows(); ++i) data.X(i, 1) = static_cast<double>(i % 3);
  imbalance::ResampleContext context;
  context.categorical_features = {1};
  imbalance::Rng a(2), b(2);
  const auto via_registry = imbalance::resample("smotenc", {}, context, data.X, data.y, a);
  imbalance::SMOTENCOptions options;
  options.categorical_features = {1};
  CHECK(via_registry.X == imbalance::SMOTENC(options).fit_resample(data.X, data.y, b).X);
  for (Eigen::Index i = 0; i < via_registry.X.rows(); ++i) CHECK(via_registry.X(i, 1) == std::floor(via_registry.X(i, 1)));
  CHECK(imbalance::resample("random-under", {}, context, data.X, data.y, a).y.size() == 36);
  CHECK_THROWS_WITH(imbalance::resample("near-miss-1", {}, context, data.X, data.y, a),
                    Contains("resampler 'near-miss-1' treats every column as a number"));
  CHECK_THROWS_WITH(imbalance::resample("smoten", {}, context, data.X, data.y, a),
                    Contains("needs every feature column categorical (1 of 3 are)"));
  context.categorical_features = {0, 1, 2};
  Eigen::MatrixXd codes = data.X.array().abs().floor();
  CHECK(imbalance::resample("smoten", {}, context, codes, data.y, a).y.size() == 180);
  CHECK_THROWS_WITH(imbalance::resample("smotenc", {}, {}, data.X, data.y, a), Contains("needs categorical columns"));
}

TEST_CASE("resampler registry: LOF cleaning and tail calibration are rows too, and rows are pipeline steps",
          "[registry][resamplers][pipeline]") {
  const auto data = test_support::labelled_points({60, 20, 12}, 3, 23, 1.0, 4);
  imbalance::OptionValues lof;
  lof.set("lof-neighbors", 5);
  imbalance::Rng a(2), b(2);
  imbalance::LocalOutlierFactorOptions options;
  options.n_neighbors = 5;
  CHECK(imbalance::resample("clean-lof", lof, {}, data.X, data.y, a).sample_indices ==
        imbalance::LocalOutlierCleaner(options).fit_resample(data.X, data.y).sample_indices);
  const auto calibrated = imbalance::resample("calibrate-tail", {}, {}, data.X, data.y, a);
  CHECK(calibrated.X == imbalance::CalibratedGaussianOverSampler().fit_resample(data.X, data.y, b).X);
  imbalance::ResampleContext minority;
  minority.sampling_strategy = imbalance::SamplingStrategy::Named::Minority;
  CHECK_THROWS_WITH(imbalance::resample("clean-lof", {}, minority, data.X, data.y, a),
                    Contains("'clean-lof' cleans every class: its sampling_strategy must be 'auto'"));

  const imbalance::ResampleStep step = imbalance::resampler_step("smote", {});
  CHECK(step.name == "smote");
  imbalance::Rng c(5), d(5);
  CHECK(step.resample(data.X, data.y, c).X == imbalance::SMOTE().fit_resample(data.X, data.y, d).X);
  CHECK_THROWS_WITH(imbalance::resampler_step("tomek", lof), Contains("resampler 'tomek' takes no option 'lof-neighbors'"));
}

TEST_CASE("resampler registry: random-under's replacement option draws as the class does", "[registry][resamplers]") {
  const auto data = test_support::labelled_points({60, 20, 12}, 3, 7, 1.0);
  imbalance::OptionValues with;
  with.set("replacement", 1);
  imbalance::Rng a(9), b(9);
  const auto via_registry = imbalance::resample("random-under", with, {}, data.X, data.y, a);
  imbalance::RandomUnderSamplerOptions options;
  options.replacement = true;
  const auto direct = imbalance::RandomUnderSampler(options).fit_resample(data.X, data.y, b);
  CHECK(via_registry.sample_indices == direct.sample_indices);
  CHECK(via_registry.y.size() == 36);
  imbalance::OptionValues bad;
  bad.set("replacement", 2);
  CHECK_THROWS_WITH(imbalance::resample("random-under", bad, {}, data.X, data.y, a), Contains("replacement"));
}

TEST_CASE("resampler registry: the HNSW search reaches every neighbour-based resampler, the same bytes for 1 and 2 threads",
          "[registry][resamplers][hnsw]") {
  if (!imbalance::hnsw_available()) return;
  const auto data = test_support::labelled_points({300, 90, 60}, 6, 23, 1.0, 4);
  imbalance::HnswParameters p;
  p.shard_size = 128;  // several graphs per class
  imbalance::ResampleContext approximate;
  approximate.neighbors = imbalance::NeighborSearch::approximate(p);
  const std::vector<std::string> refusing{"random-over", "random-under", "iht", "calibrate-tail"};
  for (const auto& method : imbalance::resampler_registry().methods()) {
    if (method.name == "duplicate-first" || method.name == "smotenc" || method.name == "smoten") continue;
    INFO(method.name);
    if (std::find(refusing.begin(), refusing.end(), method.name) != refusing.end()) {
      imbalance::Rng rng(3);
      CHECK_THROWS_WITH(imbalance::resample(method.name, {}, approximate, data.X, data.y, rng),
                        Contains("searches no Euclidean neighbours"));
      continue;
    }
    std::vector<imbalance::ResampledData> runs;
#if defined(_OPENMP)
    const int saved = omp_get_max_threads();
    for (int threads : {1, 2}) {
      omp_set_num_threads(threads);
#endif
      imbalance::Rng rng(3);
      runs.push_back(imbalance::resample(method.name, {}, approximate, data.X, data.y, rng));
#if defined(_OPENMP)
    }
    omp_set_num_threads(saved);
#endif
    for (const auto& run : runs) {
      CHECK(run.X.rows() == run.y.size());
      CHECK(run.X.allFinite());
      CHECK(run.y == runs[0].y);
      CHECK(std::memcmp(run.X.data(), runs[0].X.data(), sizeof(double) * static_cast<std::size_t>(run.X.size())) == 0);
    }
    // On separated clusters the graphs find the exact neighbours: the same output as the exact search.
    imbalance::Rng rng(3);
    const auto exact = imbalance::resample(method.name, {}, {}, data.X, data.y, rng);
    CHECK(exact.y == runs[0].y);
    CHECK(exact.X == runs[0].X);
  }
}
