#include <catch2/catch.hpp>

#include <imbalance/core/class_counts.hpp>
#include <imbalance/data/synthetic.hpp>

TEST_CASE("long_tailed_counts: exponential and step profiles", "[data][synthetic]") {
  const auto exponential = imbalance::long_tailed_counts(10, 5000, 100);
  const std::vector<Eigen::Index> cifar = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};  // CIFAR-10-LT
  for (std::size_t k = 0; k < cifar.size(); ++k) CHECK(exponential(static_cast<Eigen::Index>(k)) == cifar[k]);
  CHECK(exponential.sum() == 12406);
  const auto step = imbalance::long_tailed_counts(10, 500, 10, imbalance::ImbalanceProfile::Step);
  CHECK(step(4) == 500);
  CHECK(step(5) == 50);
  CHECK_THROWS_WITH(imbalance::long_tailed_counts(10, 500, 0.5), Catch::Contains("imbalance_ratio"));
}

TEST_CASE("make_synthetic_long_tailed: sizes, balanced test set, seeded", "[data][synthetic]") {
  imbalance::SyntheticOptions options;
  options.num_classes = 5;
  options.dimension = 4;
  options.n_max = 100;
  options.imbalance_ratio = 20;
  const auto a = imbalance::make_synthetic_long_tailed(options, 3);
  const auto b = imbalance::make_synthetic_long_tailed(options, 3);
  CHECK(a.train_x.rows() == a.train_counts.sum());
  CHECK(a.train_counts(4) == 5);
  CHECK((imbalance::count_labels(a.train_y, 5) - a.train_counts).cwiseAbs().maxCoeff() == 0);
  CHECK((imbalance::count_labels(a.test_y, 5).array() == 200).all());
  CHECK((a.train_x - b.train_x).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("long_tailed_subsample: a balanced set becomes exponential", "[data][synthetic]") {
  Eigen::VectorXi y(500);
  for (Eigen::Index i = 0; i < 500; ++i) y(i) = static_cast<int>(i % 5);
  imbalance::Rng rng(1);
  const auto keep = imbalance::long_tailed_subsample(y, 10, imbalance::ImbalanceProfile::Exponential, rng);
  Eigen::VectorXi kept(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i) kept(static_cast<Eigen::Index>(i)) = y(keep[i]);
  const auto counts = imbalance::count_labels(kept, 5);
  CHECK(counts(0) == 100);
  CHECK(counts(4) == 10);
  CHECK(std::is_sorted(keep.begin(), keep.end()));
}
