#include <catch2/catch.hpp>

#include <imbalance/data/label_noise.hpp>

using imbalance::LabelNoise;
using Catch::Contains;

TEST_CASE("Label-noise transition matrices", "[data][label_noise]") {
  const Eigen::Vector4d counts(100, 50, 30, 20);
  const Eigen::MatrixXd s = imbalance::label_noise_transition(LabelNoise::Symmetric, 0.3, counts);
  CHECK(s(0, 0) == Approx(0.7));
  CHECK(s(0, 3) == Approx(0.1));
  const Eigen::MatrixXd p = imbalance::label_noise_transition(LabelNoise::Pair, 0.4, counts);
  CHECK(p(3, 0) == Approx(0.4));
  CHECK(p(3, 1) == 0.0);
  const Eigen::MatrixXd c = imbalance::label_noise_transition(LabelNoise::CountProportional, 0.2, counts);
  CHECK(c(3, 0) == Approx(0.2 * 100.0 / 180.0));
  CHECK(c(0, 1) == Approx(0.2 * 50.0 / 100.0));
  for (const Eigen::MatrixXd* t : {&s, &p, &c})
    CHECK((t->rowwise().sum().array() - 1.0).abs().maxCoeff() <= 1e-15);
  CHECK_THROWS_WITH(imbalance::label_noise_transition(LabelNoise::Symmetric, 1.5, counts), Contains("rate"));
  CHECK_THROWS_WITH(imbalance::label_noise_transition(LabelNoise::Symmetric, 0.1, Eigen::VectorXd::Ones(1)),
                    Contains(">= 2 classes (got 1)"));
}

TEST_CASE("Label-noise injection follows the transition matrix and is reproducible", "[data][label_noise]") {
  const Eigen::Index n = 120000;
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = static_cast<int>(i % 4 == 0 ? 0 : i % 3 + 1);
  for (auto kind : {LabelNoise::Symmetric, LabelNoise::Pair, LabelNoise::CountProportional}) {
    const Eigen::VectorXi noisy = imbalance::inject_label_noise(y, 4, kind, 0.35, std::uint64_t{5});
    CHECK(noisy == imbalance::inject_label_noise(y, 4, kind, 0.35, std::uint64_t{5}));
    Eigen::Vector4d counts = Eigen::Vector4d::Zero();
    for (Eigen::Index i = 0; i < n; ++i) counts(y(i)) += 1;
    const Eigen::MatrixXd t = imbalance::label_noise_transition(kind, 0.35, counts);
    Eigen::Matrix4d observed = Eigen::Matrix4d::Zero();
    for (Eigen::Index i = 0; i < n; ++i) observed(y(i), noisy(i)) += 1;
    for (int i = 0; i < 4; ++i) {
      observed.row(i) /= counts(i);
      // >= 20,000 samples per class: 4 standard errors of a frequency are below 0.014.
      CHECK((observed.row(i) - t.row(i)).cwiseAbs().maxCoeff() <= 0.014);
    }
  }
  CHECK(imbalance::inject_label_noise(y, 4, LabelNoise::Symmetric, 0.0, std::uint64_t{1}) == y);
  const Eigen::VectorXi shifted = imbalance::inject_label_noise(y, 4, LabelNoise::Pair, 1.0, std::uint64_t{1});
  CHECK((shifted.array() == (y.array() + 1).unaryExpr([](int v) { return v % 4; })).all());
}

TEST_CASE("Label-noise injection bad input", "[data][label_noise]") {
  Eigen::VectorXi y(3);
  y << 0, 1, 4;
  CHECK_THROWS_AS(imbalance::inject_label_noise(y, 3, LabelNoise::Symmetric, 0.2, std::uint64_t{1}), imbalance::out_of_range);
  Eigen::Matrix2d t;
  t << 0.5, 0.6, 0.0, 1.0;
  imbalance::Rng rng(1);
  y << 0, 1, 1;
  CHECK_THROWS_WITH(imbalance::inject_label_noise(y, t, rng), Contains("row 0 of transition sums to 1.1"));
  t << 1.2, -0.2, 0.0, 1.0;
  CHECK_THROWS_WITH(imbalance::inject_label_noise(y, t, rng), Contains("transition(0, 1) must be >= 0 (got -0.2"));
}
