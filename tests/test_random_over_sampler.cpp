#include <catch2/catch.hpp>

#include <imbalance/sampling/random_over_sampler.hpp>

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
  CHECK_THROWS_WITH(imbalance::RandomOverSampler({imbalance::SamplingStrategy::Named::Auto, -1.0}),
                    Catch::Contains("shrinkage"));
}
