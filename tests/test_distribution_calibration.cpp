#include <catch2/catch.hpp>

#include <imbalance/noisy/distribution_calibration.hpp>

#include "support/wave2.hpp"

using imbalance::CalibratedGaussianOverSampler;
using imbalance::CalibratedGaussianOverSamplerOptions;
using imbalance::DistributionCalibrationOptions;
using Catch::Contains;

namespace {

// Five classes on a line (class c centred at 10 c), counts 40, 30, 20, 4, 3: classes 3 and 4 are tails
// under the median threshold 20.
struct CalibrationData {
  test_support::RowMatrixXd X;
  Eigen::VectorXi y;
};

CalibrationData calibration_data() {
  const int counts[] = {40, 30, 20, 4, 3};
  const test_support::RowMatrixXd noise = test_support::random_logits(97, 3, 301, 1.0);
  CalibrationData d;
  d.X.resize(97, 3);
  d.y.resize(97);
  Eigen::Index row = 0;
  for (int c = 0; c < 5; ++c)
    for (int i = 0; i < counts[c]; ++i, ++row) {
      d.X.row(row) = noise.row(row) * (1.0 + c);
      d.X(row, 0) += 10.0 * c;
      d.y(row) = c;
    }
  return d;
}

}  // namespace

TEST_CASE("Class Gaussians: means and unbiased covariances per class", "[noisy][calibration]") {
  const auto d = calibration_data();
  const auto g = imbalance::class_gaussians(d.X, d.y, 5);
  Eigen::Index start = 0;
  for (int c = 0; c < 5; ++c) {
    const Eigen::Index n = g.counts(c);
    const Eigen::MatrixXd rows = d.X.middleRows(start, n);
    const Eigen::RowVectorXd mean = rows.colwise().mean();
    const Eigen::MatrixXd centred = rows.rowwise() - mean;
    const Eigen::MatrixXd covariance = centred.transpose() * centred / static_cast<double>(n - 1);
    CHECK((g.means.row(c) - mean).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK((g.covariances[static_cast<std::size_t>(c)] - covariance).cwiseAbs().maxCoeff() <= 1e-12);
    start += n;
  }
}

TEST_CASE("Distribution calibration: tail classes borrow the k nearest heads' statistics", "[noisy][calibration]") {
  const auto d = calibration_data();
  const auto g = imbalance::class_gaussians(d.X, d.y, 5);
  for (auto dispersion : {DistributionCalibrationOptions::Dispersion::EveryEntry,
                          DistributionCalibrationOptions::Dispersion::Diagonal}) {
    DistributionCalibrationOptions o;
    o.dispersion = dispersion;
    const auto c = imbalance::calibrate_tail_gaussians(g, o);
    // Heads (counts >= 20) untouched.
    for (int h = 0; h < 3; ++h) {
      CHECK_FALSE(c.calibrated[static_cast<std::size_t>(h)]);
      CHECK(c.means.row(h) == g.means.row(h));
    }
    // Class 3 (at x = 30) borrows classes 2 and 1; class 4 (at 40) too.
    for (int t = 3; t < 5; ++t) {
      CHECK(c.calibrated[static_cast<std::size_t>(t)]);
      CHECK(c.borrowed_from[static_cast<std::size_t>(t)] == std::vector<int>{2, 1});
      const Eigen::RowVectorXd mean = (g.means.row(t) + g.means.row(2) + g.means.row(1)) / 3.0;
      Eigen::MatrixXd covariance = (g.covariances[2] + g.covariances[1]) / 2.0;
      if (dispersion == DistributionCalibrationOptions::Dispersion::EveryEntry)
        covariance.array() += 0.21;
      else
        covariance.diagonal().array() += 0.21;
      CHECK((c.means.row(t) - mean).cwiseAbs().maxCoeff() <= 1e-12);
      CHECK((c.covariances[static_cast<std::size_t>(t)] - covariance).cwiseAbs().maxCoeff() <= 1e-12);
    }
  }
  DistributionCalibrationOptions o;
  o.num_neighbors = 4;
  CHECK_THROWS_WITH(imbalance::calibrate_tail_gaussians(g, o),
                    Contains("tail class 3 needs 4 head classes (count >= 20)") && Contains("there are 3"));
}

TEST_CASE("Calibrated Gaussian over-sampling: counts, reproducibility and the calibrated moments", "[noisy][calibration]") {
  const auto d = calibration_data();
  CalibratedGaussianOverSamplerOptions o;
  o.calibration.dispersion = DistributionCalibrationOptions::Dispersion::Diagonal;
  // Default: the tail classes (3 and 4) up to the tail threshold, the median count 20.
  const auto tails = CalibratedGaussianOverSampler(o).fit_resample(d.X, d.y, 7);
  CHECK(tails.X.rows() == 97 + 16 + 17);
  CHECK((tails.y.array() == 3).count() == 20);
  CHECK((tails.y.array() == 4).count() == 20);
  CHECK(tails.change_per_class == std::map<int, Eigen::Index>{{3, 16}, {4, 17}});
  o.sampling_strategy = imbalance::SamplingStrategy(imbalance::SamplingStrategy::Named::Auto);
  const CalibratedGaussianOverSampler sampler(o);
  const auto r = sampler.fit_resample(d.X, d.y, 7);
  // 'auto': every class up to 40.
  CHECK(r.X.rows() == 200);
  for (int c = 0; c < 5; ++c) CHECK((r.y.array() == c).count() == 40);
  CHECK(r.X.topRows(97) == d.X);
  const auto again = sampler.fit_resample(d.X, d.y, 7);
  CHECK(again.X == r.X);
  CHECK(sampler.fit_resample(d.X, d.y, 8).X != r.X);
  // Many draws of the tail class 4 match its calibrated mean and covariance.
  o.sampling_strategy = imbalance::SamplingStrategy::targets(imbalance::ClassMap{{4, 20003}});
  const auto big = CalibratedGaussianOverSampler(o).fit_resample(d.X, d.y, 11);
  const Eigen::MatrixXd drawn = big.X.bottomRows(20000);
  const auto calibrated = imbalance::calibrate_tail_gaussians(imbalance::class_gaussians(d.X, d.y, 5), o.calibration);
  const Eigen::RowVectorXd mean = drawn.colwise().mean();
  const Eigen::MatrixXd centred = drawn.rowwise() - mean;
  const Eigen::MatrixXd covariance = centred.transpose() * centred / 19999.0;
  const Eigen::MatrixXd& expected = calibrated.covariances[4];
  // 20,000 draws: the standard error of a mean is sqrt(var / 20000) < 0.03 here.
  CHECK((mean - calibrated.means.row(4)).cwiseAbs().maxCoeff() <= 0.05);
  CHECK((covariance - expected).cwiseAbs().maxCoeff() <= 0.05 * expected.cwiseAbs().maxCoeff());
}

TEST_CASE("Tukey transform and calibration bad input", "[noisy][calibration]") {
  Eigen::MatrixXd x(2, 2);
  x << 4, 9, 0, 1;
  const auto t = imbalance::tukey_transform(x);
  CHECK(t(0, 0) == 2.0);
  CHECK(t(0, 1) == 3.0);
  CHECK(t(1, 0) == 0.0);
  CHECK_THROWS_WITH(imbalance::tukey_transform(x, 0.0), Contains("X(1, 0) = 0 is outside the domain"));
  x(1, 1) = -1;
  CHECK_THROWS_WITH(imbalance::tukey_transform(x), Contains("X(1, 1) = -1"));
  Eigen::VectorXi y(2);
  y << 0, 0;
  CHECK_THROWS_WITH(imbalance::class_gaussians(x, y, 2), Contains("class 1 has no sample"));
}
