#include <catch2/catch.hpp>

#include <imbalance/train/batch_sampler.hpp>

#include <cmath>

namespace {
Eigen::VectorXi long_tailed_labels() {
  const std::vector<int> counts = {800, 300, 100, 40, 10};
  Eigen::VectorXi y(1250);
  Eigen::Index row = 0;
  for (std::size_t c = 0; c < counts.size(); ++c)
    for (int s = 0; s < counts[c]; ++s) y(row++) = static_cast<int>(c);
  return y;
}

Eigen::VectorXd frequencies(const imbalance::BatchSampler& sampler, const Eigen::VectorXi& y, long epoch, int epochs,
                            imbalance::Rng& rng) {
  Eigen::VectorXd f = Eigen::VectorXd::Zero(5);
  double total = 0;
  for (int e = 0; e < epochs; ++e)
    for (Eigen::Index i : sampler.epoch_indices(epoch, rng)) {
      f(y(i)) += 1;
      total += 1;
    }
  return f / total;
}
}  // namespace

TEST_CASE("BatchSampler: empirical class frequencies match p_j proportional to n_j^q", "[sampling][batch]") {
  const Eigen::VectorXi y = long_tailed_labels();
  const Eigen::VectorXd n = (Eigen::VectorXd(5) << 800, 300, 100, 40, 10).finished();
  imbalance::Rng rng(31);
  for (auto [sampling, q] : std::vector<std::pair<imbalance::BatchSampling, double>>{
           {imbalance::BatchSampling::Instance, 1.0},
           {imbalance::BatchSampling::ClassBalanced, 0.0},
           {imbalance::BatchSampling::SquareRoot, 0.5},
           {imbalance::BatchSampling::Power, 0.25}}) {
    imbalance::BatchSamplerOptions options;
    options.sampling = sampling;
    options.q = q;
    const imbalance::BatchSampler sampler(y, options);
    const Eigen::VectorXd expected = n.array().pow(q).matrix() / n.array().pow(q).sum();
    // 200 epochs x 1250 draws: sd of each frequency <= sqrt(0.25 / 250000) = 0.001. Tolerance 0.005.
    const Eigen::VectorXd f = frequencies(sampler, y, 0, 200, rng);
    INFO("q " << q);
    CHECK((f - expected).cwiseAbs().maxCoeff() < 0.005);
    CHECK((sampler.class_probabilities(0) - expected).cwiseAbs().maxCoeff() < 1e-15);
  }
}

TEST_CASE("BatchSampler: progressive goes from instance- to class-balanced", "[sampling][batch]") {
  const Eigen::VectorXi y = long_tailed_labels();
  imbalance::BatchSamplerOptions options;
  options.sampling = imbalance::BatchSampling::Progressive;
  options.total_epochs = 11;
  const imbalance::BatchSampler sampler(y, options);
  const Eigen::VectorXd instance = imbalance::class_sampling_probabilities(Eigen::VectorXd(
      (Eigen::VectorXd(5) << 800, 300, 100, 40, 10).finished()), 1.0);
  CHECK((sampler.class_probabilities(0) - instance).cwiseAbs().maxCoeff() < 1e-15);
  CHECK((sampler.class_probabilities(10).array() - 0.2).abs().maxCoeff() < 1e-15);  // the last epoch
  CHECK((sampler.class_probabilities(5) - (0.5 * instance + Eigen::VectorXd::Constant(5, 0.1))).cwiseAbs().maxCoeff() < 1e-15);
  imbalance::Rng rng(4);
  const Eigen::VectorXd f = frequencies(sampler, y, 10, 200, rng);
  CHECK((f.array() - 0.2).abs().maxCoeff() < 0.005);
}

TEST_CASE("BatchSampler: instance sampling is a seeded permutation of the epoch", "[sampling][batch]") {
  const Eigen::VectorXi y = long_tailed_labels();
  const imbalance::BatchSampler sampler(y);
  imbalance::Rng a(8), b(8);
  const auto first = sampler.epoch_indices(0, a);
  CHECK(first == sampler.epoch_indices(0, b));
  std::vector<Eigen::Index> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == static_cast<Eigen::Index>(i));
}

TEST_CASE("RepeatFactorSampler: r_c = max(1, sqrt(t / f_c)) with stochastic rounding", "[sampling][batch]") {
  const Eigen::VectorXi y = long_tailed_labels();
  const double t = 0.1;
  const imbalance::RepeatFactorSampler sampler(y, t);
  CHECK(sampler.repeat_factors()(0) == 1.0);                                // f = 0.64
  CHECK(sampler.repeat_factors()(1249) == Approx(std::sqrt(0.1 / 0.008)));  // f = 10 / 1250
  imbalance::Rng rng(6);
  double expected_total = sampler.repeat_factors().sum(), total = 0;
  Eigen::VectorXd seen = Eigen::VectorXd::Zero(5);
  const int epochs = 300;
  for (int e = 0; e < epochs; ++e)
    for (Eigen::Index i : sampler.epoch_indices(rng)) {
      seen(y(i)) += 1;
      total += 1;
    }
  CHECK(total / epochs == Approx(expected_total).epsilon(0.01));
  CHECK(seen(4) / epochs == Approx(10 * std::sqrt(0.1 / 0.008)).epsilon(0.03));
  CHECK_THROWS_WITH(imbalance::RepeatFactorSampler(y, 0.0), Catch::Contains("threshold"));
}

TEST_CASE("BatchSampler: any finite power q gives probabilities, extreme ones concentrate", "[sampling][batch]") {
  const Eigen::VectorXi counts = (Eigen::VectorXi(3) << 50, 10, 5).finished();
  const Eigen::VectorXd high = imbalance::class_sampling_probabilities(counts, 1e6);
  CHECK(high.allFinite());
  CHECK(high(0) == 1.0);
  const Eigen::VectorXd low = imbalance::class_sampling_probabilities(counts, -2000);
  CHECK(low(2) == 1.0);
  CHECK(low(0) == 0.0);
  CHECK(imbalance::class_sampling_probabilities(counts, 0.5).sum() == Approx(1.0));
  Eigen::VectorXi y(65);
  y << Eigen::VectorXi::Zero(50), Eigen::VectorXi::Ones(10), Eigen::VectorXi::Constant(5, 2);
  imbalance::Rng rng(3);
  imbalance::BatchSamplerOptions power;
  power.sampling = imbalance::BatchSampling::Power;
  power.q = -2000;
  const auto epoch = imbalance::BatchSampler(y, power).epoch_indices(0, rng);
  for (Eigen::Index index : epoch) CHECK(y(index) == 2);
}

TEST_CASE("RepeatFactorSampler: a threshold that repeats beyond any epoch size is refused", "[sampling][batch]") {
  Eigen::VectorXi y(4);
  y << 0, 0, 0, 1;
  CHECK_THROWS_WITH(imbalance::RepeatFactorSampler(y, 1e300), Catch::Contains("threshold") && Catch::Contains("cannot be addressed"));
  imbalance::Rng rng(1);
  const auto epoch = imbalance::RepeatFactorSampler(y, 16.0).epoch_indices(rng);  // r_1 = sqrt(64) = 8
  CHECK(std::count(epoch.begin(), epoch.end(), 3) == 8);
}
