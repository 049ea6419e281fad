#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <imbalance/posthoc/temperature_scaling.hpp>

namespace {
double mean_nll(const Eigen::MatrixXd& z, const Eigen::VectorXi& y, double t) {
  double total = 0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const Eigen::RowVectorXd s = z.row(i) / t;
    const double m = s.maxCoeff();
    total += m + std::log((s.array() - m).exp().sum()) - s(y(i));
  }
  return total / static_cast<double>(z.rows());
}
}  // namespace

TEST_CASE("temperature scaling: recovers the temperature of over-confident logits", "[posthoc][temperature]") {
  // Calibrated logits (exact log-posteriors of Gaussian classes), then multiplied by 3.
  std::mt19937_64 engine(9);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_int_distribution<int> label(0, 3);
  const Eigen::Index n = 20000;
  Eigen::MatrixXd z(n, 4);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    y(i) = label(engine);
    const double x = 1.2 * y(i) + noise(engine);
    for (int k = 0; k < 4; ++k) z(i, k) = -0.5 * (x - 1.2 * k) * (x - 1.2 * k);
  }
  const imbalance::TemperatureScaling fitted = imbalance::TemperatureScaling::fit(3.0 * z, y);
  CHECK(fitted.temperature() == Approx(3.0).epsilon(0.05));
  // A minimum: the NLL is higher a little either side.
  const Eigen::MatrixXd hot = 3.0 * z;
  const double t = fitted.temperature();
  CHECK(mean_nll(hot, y, t) < mean_nll(hot, y, t * 1.001));
  CHECK(mean_nll(hot, y, t) < mean_nll(hot, y, t / 1.001));
  const Eigen::MatrixXd p = fitted.probabilities(hot);
  CHECK((p.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);
  CHECK((fitted.scaled_logits(hot) - hot / t).cwiseAbs().maxCoeff() == 0);
  // Float row-major logits fit to the same temperature (float rounding).
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> hot_f = hot.cast<float>();
  CHECK(imbalance::TemperatureScaling::fit(hot_f, y).temperature() == Approx(t).epsilon(1e-4));
}

TEST_CASE("temperature scaling: bounds and errors", "[posthoc][temperature]") {
  // Perfectly separated, correct predictions: the NLL falls forever as T -> 0; the bound stops it.
  Eigen::MatrixXd z(2, 2);
  z << 1, 0, 0, 1;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  imbalance::TemperatureScalingOptions options;
  CHECK(imbalance::TemperatureScaling::fit(z, y, options).temperature() == Approx(options.min_temperature));
  options.min_temperature = 2;
  options.max_temperature = 1;
  CHECK_THROWS_WITH(imbalance::TemperatureScaling::fit(z, y, options), Catch::Contains("min_temperature < max_temperature"));
  CHECK_THROWS_WITH(imbalance::TemperatureScaling(0.0), Catch::Contains("temperature must be > 0"));
  CHECK_THROWS_AS(imbalance::TemperatureScaling::fit(z, (Eigen::VectorXi(2) << 0, 2).finished()), std::out_of_range);
}
