#include <catch2/catch.hpp>

#include <imbalance/over_sampling/random_over_sampler.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("RandomOverSampler: copies rows of the class with replacement", "[sampling][ros]") {
  const auto data = test_support::labelled_points({50, 10, 30, 5}, 3, 1);
  const auto out = imbalance::RandomOverSampler().fit_resample(data.X, data.y, 7);
  const auto counts = imbalance::count_classes(out.y);
  for (const auto& entry : counts) CHECK(entry.second == 50);
  REQUIRE(out.sample_indices.size() == static_cast<std::size_t>(out.X.rows()));
  for (Eigen::Index r = 0; r < out.X.rows(); ++r) {
    const Eigen::Index source = out.sample_indices[static_cast<std::size_t>(r)];
    CHECK((out.X.row(r) - data.X.row(source)).cwiseAbs().maxCoeff() == 0.0);
    CHECK(out.y(r) == data.y(source));
  }
  CHECK(out.change_per_class.at(3) == 45);
}

TEST_CASE("RandomOverSampler: the smoothed bootstrap perturbs with the stated bandwidth", "[sampling][ros]") {
  const auto data = test_support::labelled_points({4000, 2000}, 2, 3, 2.0);
  imbalance::RandomOverSamplerOptions options;
  options.shrinkage = 1.0;
  const auto out = imbalance::RandomOverSampler(options).fit_resample(data.X, data.y, 9);
  CHECK(out.sample_indices.empty());
  REQUIRE(out.synthetic_base.size() == 2000);
  // Noise sd = shrinkage * h * std_c with h = (4 / ((d + 2) N))^(1 / (d + 4)); the class std is ~1.
  const double h = std::pow(4.0 / (4.0 * 6000.0), 1.0 / 6.0);
  Eigen::MatrixXd noise(2000, 2);
  for (Eigen::Index r = 0; r < 2000; ++r)
    noise.row(r) = out.X.row(6000 + r) - data.X.row(out.synthetic_base[static_cast<std::size_t>(r)]);
  const Eigen::RowVectorXd sd = (noise.colwise().squaredNorm() / 2000.0).cwiseSqrt();
  CHECK(sd(0) == Approx(h).epsilon(0.08));
  CHECK(sd(1) == Approx(h).epsilon(0.08));
  imbalance::RandomOverSamplerOptions negative;
  negative.shrinkage = -1.0;
  CHECK_THROWS_WITH(imbalance::RandomOverSampler(negative),
                    Catch::Contains("shrinkage"));
}

TEST_CASE("RandomOverSampler: the smoothed bootstrap is right for large offsets and magnitudes", "[sampling][ros]") {
  // Class 1: 1e8 + 0.001 i (E[x^2] - E[x]^2 cancels to 0) and 1e200 i (x^2 overflows).
  Eigen::MatrixXd X(60, 2);
  Eigen::VectorXi y(60);
  for (Eigen::Index i = 0; i < 60; ++i) {
    y(i) = i < 40 ? 0 : 1;
    X(i, 0) = 1e8 + 0.001 * static_cast<double>(i % 20);
    X(i, 1) = 1e200 * static_cast<double>(i % 20 + 1);
  }
  imbalance::RandomOverSamplerOptions options;
  options.shrinkage = 1.0;
  const auto out = imbalance::RandomOverSampler(options).fit_resample(X, y, 3);
  REQUIRE(out.X.rows() == 80);
  CHECK(out.X.allFinite());
  const double h = std::pow(4.0 / (4.0 * 60.0), 1.0 / 6.0);
  const double sd0 = 0.001 * std::sqrt((20.0 * 20.0 - 1.0) / 12.0), sd1 = 1e200 * std::sqrt((20.0 * 20.0 - 1.0) / 12.0);
  Eigen::RowVectorXd largest = Eigen::RowVectorXd::Zero(2);
  for (Eigen::Index r = 60; r < 80; ++r) {
    const Eigen::Index base = out.synthetic_base[static_cast<std::size_t>(r - 60)];
    largest(0) = std::max(largest(0), std::abs(out.X(r, 0) - X(base, 0)) / (h * sd0));
    largest(1) = std::max(largest(1), std::abs(out.X(r, 1) - X(base, 1)) / (h * sd1));
  }
  // 20 standard normal draws: the largest is well inside (0.3, 5) standard deviations.
  CHECK(largest(0) > 0.3);
  CHECK(largest(0) < 5);
  CHECK(largest(1) > 0.3);
  CHECK(largest(1) < 5);
}

TEST_CASE("RandomOverSampler: impossible sizes and overflowing noise are refused with a message", "[sampling][ros]") {
  const auto data = test_support::labelled_points({6, 3}, 1, 2);
  using imbalance::SamplingStrategy;
  auto targets = [](const char* text) {
    imbalance::RandomOverSamplerOptions options;
    options.sampling_strategy = SamplingStrategy::parse(text);
    return imbalance::RandomOverSampler(options);
  };
  CHECK_THROWS_WITH(targets("1:9223372036854775807").fit_resample(data.X, data.y, 1),
                    Catch::Contains("the number of output rows overflows"));
  CHECK_THROWS_WITH(targets("1:1152921504606846976").fit_resample(data.X, data.y, 1),
                    Catch::Contains("resampled data") && Catch::Contains("more than can be addressed"));
  Eigen::MatrixXd X = data.X;
  X(6, 0) = 1e308;
  X(7, 0) = -1e308;
  imbalance::RandomOverSamplerOptions huge;
  huge.shrinkage = 1e300;
  CHECK_THROWS_WITH(imbalance::RandomOverSampler(huge).fit_resample(X, data.y, 1),
                    Catch::Contains("shrinkage") && Catch::Contains("beyond the range"));
}
