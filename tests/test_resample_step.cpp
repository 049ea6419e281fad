#include <catch2/catch.hpp>

#include <imbalance/pipeline/resample_step.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/over_sampling/smote.hpp>
#include <imbalance/under_sampling/tomek_links.hpp>

TEST_CASE("resample steps: any resampler, with or without the generator", "[pipeline][resample_step]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 3;
  synthetic.dimension = 4;
  synthetic.n_max = 50;
  synthetic.imbalance_ratio = 5;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 51);
  const Eigen::MatrixXd X = data.train_x;
  const Eigen::VectorXi y = data.train_y;

  const imbalance::ResampleStep smote = imbalance::resample_step("smote", imbalance::SMOTE());
  CHECK(smote.name == "smote");
  imbalance::Rng a(7), b(7);
  const auto stepped = smote.resample(X, y, a);
  const auto direct = imbalance::SMOTE().fit_resample(X, y, b);
  CHECK(stepped.X == direct.X);
  CHECK(stepped.y == direct.y);
  CHECK(a() == b());  // the step drew exactly what the resampler draws

  const imbalance::ResampleStep tomek = imbalance::resample_step("tomek", imbalance::TomekLinks());
  imbalance::Rng c(7), d(7);
  CHECK(tomek.resample(X, y, c).sample_indices == imbalance::TomekLinks().fit_resample(X, y).sample_indices);
  CHECK(c() == d());  // a deterministic step draws nothing
}
