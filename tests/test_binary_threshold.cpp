#include <catch2/catch.hpp>

#include <imbalance/core/random.hpp>
#include <imbalance/metrics/classification_metrics.hpp>
#include <imbalance/posthoc/binary_threshold.hpp>

#include <cmath>

#include <imbalance/core/eigen.hpp>
IMBALANCE_EIGEN_INCLUDE_BEGIN
#include <Eigen/LU>
IMBALANCE_EIGEN_INCLUDE_END

namespace {
// x | y=1 ~ N(mu, 1), x | y=0 ~ N(-mu, 1), P(y = 1) = p. The Bayes rule for balanced accuracy,
// eta(x) > p, is x > 0, with balanced accuracy Phi(mu).
struct Sample {
  Eigen::VectorXd x;
  Eigen::VectorXi y;
};
Sample draw(std::size_t n, double p, double mu, imbalance::Rng& rng) {
  Sample s{Eigen::VectorXd(static_cast<Eigen::Index>(n)), Eigen::VectorXi(static_cast<Eigen::Index>(n))};
  for (Eigen::Index i = 0; i < s.x.size(); ++i) {
    s.y(i) = imbalance::uniform01(rng) < p;
    s.x(i) = (s.y(i) ? mu : -mu) + imbalance::standard_normal(rng);
  }
  return s;
}

// eta_hat(x) = sigma(a x + b) by Newton's method on the logistic log-likelihood.
Eigen::Vector2d fit_logistic(const Sample& s) {
  Eigen::Vector2d theta = Eigen::Vector2d::Zero();
  for (int iteration = 0; iteration < 50; ++iteration) {
    Eigen::Vector2d gradient = Eigen::Vector2d::Zero();
    Eigen::Matrix2d hessian = Eigen::Matrix2d::Identity() * 1e-9;
    for (Eigen::Index i = 0; i < s.x.size(); ++i) {
      const Eigen::Vector2d f(s.x(i), 1.0);
      const double q = 1.0 / (1.0 + std::exp(-theta.dot(f)));
      gradient += (q - s.y(i)) * f;
      hessian += q * (1 - q) * f * f.transpose();
    }
    theta -= hessian.inverse() * gradient;  // 2 x 2
  }
  return theta;
}

Eigen::VectorXd eta_hat(const Eigen::Vector2d& theta, const Eigen::VectorXd& x) {
  return (1.0 / (1.0 + (-(theta(0) * x.array() + theta(1))).exp())).matrix();
}
}  // namespace

TEST_CASE("PlugInClassifier: balanced accuracy approaches the Bayes-optimal Phi(mu) as n grows",
          "[posthoc][plug_in]") {
  const double p = 0.1, mu = 1.0;
  const double bayes = 0.5 * std::erfc(-mu / std::sqrt(2.0));  // Phi(1) = 0.8413
  imbalance::Rng rng(77);
  const Sample test = draw(200000, p, mu, rng);
  std::vector<double> gaps;
  for (std::size_t n : {200u, 2000u, 50000u}) {
    const Sample train = draw(n, p, mu, rng);
    const auto plug_in = imbalance::PlugInClassifier::from_labels(train.y);
    const Eigen::VectorXd eta = eta_hat(fit_logistic(train), test.x);
    const double ba = imbalance::balanced_accuracy(test.y, plug_in.predict(eta), 2);
    const double naive = imbalance::balanced_accuracy(test.y, imbalance::ThresholdClassifier(0.5).predict(eta), 2);
    INFO("n " << n << ": plug-in " << ba << ", threshold 0.5 " << naive << ", Bayes " << bayes);
    CHECK(ba > naive);  // the 0.5 threshold is far from optimal under imbalance
    gaps.push_back(bayes - ba);
  }
  // Tolerance: within 0.005 of the Bayes rule at n = 50,000 (test sampling sd ~ 0.002).
  CHECK(std::abs(gaps.back()) < 0.005);
  CHECK(gaps.back() <= gaps.front() + 0.002);
}

TEST_CASE("ThresholdClassifier and PlugInClassifier: rules at the boundary", "[posthoc][plug_in]") {
  const Eigen::VectorXd eta = (Eigen::VectorXd(3) << 0.2, 0.5, 0.7).finished();
  const Eigen::VectorXi fixed = imbalance::ThresholdClassifier(0.5).predict(eta);
  CHECK(fixed(1) == 1);  // >= goes to the positive class (scikit-learn)
  const Eigen::VectorXi plug = imbalance::PlugInClassifier(0.5).predict(eta);
  CHECK(plug(1) == 0);  // strictly greater than p_hat
  const Eigen::VectorXi labels = (Eigen::VectorXi(4) << 0, 1, 0, 0).finished();
  CHECK(imbalance::PlugInClassifier::from_labels(labels).base_rate() == 0.25);
}

TEST_CASE("binary thresholds: thresholds outside [0, 1] and bad eta throw", "[posthoc][plug_in]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(imbalance::ThresholdClassifier(1.5), Contains("threshold") && Contains("1.5"));
  CHECK_THROWS_WITH(imbalance::ThresholdClassifier(-0.1), Contains("threshold"));
  CHECK_THROWS_WITH(imbalance::PlugInClassifier(std::nan("")), Contains("base_rate"));
  CHECK_THROWS_WITH(imbalance::ThresholdClassifier().predict((Eigen::VectorXd(2) << 0.2, 1.2).finished()),
                    Contains("eta[1]"));
  CHECK_THROWS_AS(imbalance::PlugInClassifier::from_labels((Eigen::VectorXi(2) << 0, 2).finished()),
                  imbalance::out_of_range);
}
