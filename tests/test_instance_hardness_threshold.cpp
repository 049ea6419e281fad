#include <catch2/catch.hpp>

#include <imbalance/under_sampling/instance_hardness_threshold.hpp>

#include <algorithm>

#include "support/sampling_data.hpp"

TEST_CASE("InstanceHardnessThreshold: keeps the samples at or above NumPy's linear percentile", "[sampling][iht]") {
  // Class 0: 10 samples with known own-class probabilities; class 1 (minority): 4 samples.
  const std::vector<double> p0{0.9, 0.1, 0.5, 0.7, 0.3, 0.95, 0.2, 0.6, 0.8, 0.4};
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(14, 1);
  Eigen::VectorXi y(14);
  for (Eigen::Index i = 0; i < 14; ++i) {
    X(i, 0) = static_cast<double>(i);
    y(i) = i < 10 ? 0 : 1;
  }
  imbalance::InstanceHardnessThresholdOptions options;
  options.classifier = [&](const Eigen::MatrixXd& x, const Eigen::VectorXi& classes, Eigen::Index K, std::uint64_t) {
    Eigen::MatrixXd p(x.rows(), K);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double own = classes(i) == 0 ? p0[static_cast<std::size_t>(i)] : 0.5;
      p(i, classes(i)) = own;
      p(i, 1 - classes(i)) = 1 - own;
    }
    return p;
  };
  // Keep 4 of 10: percentile 60 of the sorted values at position 5.4: 0.6 + 0.4 (0.7 - 0.6) = 0.64.
  const auto out = imbalance::InstanceHardnessThreshold(options).fit_resample(X, y, 1);
  CHECK(out.sample_indices == std::vector<Eigen::Index>{0, 3, 5, 8, 10, 11, 12, 13});
  CHECK(imbalance::detail::percentile_linear(p0, 60) == Approx(0.64).epsilon(1e-15));
  CHECK(imbalance::detail::percentile_linear(p0, 0) == 0.1);
  CHECK(imbalance::detail::percentile_linear(p0, 100) == 0.95);
}

TEST_CASE("InstanceHardnessThreshold: the default softmax regression drops the hardest majority samples", "[sampling][iht]") {
  const auto data = test_support::labelled_points({300, 60}, 2, 4, 2.0);
  const auto out = imbalance::InstanceHardnessThreshold().fit_resample(data.X, data.y, 7);
  const auto counts = imbalance::count_classes(out.y);
  CHECK(counts.at(1) == 60);
  CHECK(counts.at(0) >= 60);
  CHECK(counts.at(0) <= 62);  // ties only
  // Class 0 sits at x0 ~ 0 and class 1 at x0 ~ 2: the removed class-0 samples lie nearer class 1.
  double kept = 0, removed = 0;
  for (Eigen::Index i = 0; i < 300; ++i)
    (std::binary_search(out.sample_indices.begin(), out.sample_indices.end(), i) ? kept : removed) += data.X(i, 0);
  CHECK(kept / static_cast<double>(counts.at(0)) < removed / static_cast<double>(300 - counts.at(0)));
  CHECK(imbalance::InstanceHardnessThreshold().fit_resample(data.X, data.y, 7).sample_indices == out.sample_indices);
}

TEST_CASE("InstanceHardnessThreshold: stratified folds and bad classifiers", "[sampling][iht]") {
  using Catch::Matchers::Contains;
  Eigen::VectorXi classes(23);
  for (Eigen::Index i = 0; i < 23; ++i) classes(i) = i < 15 ? 0 : 1;
  imbalance::Rng rng(3);
  const auto folds = imbalance::stratified_folds(classes, 5, rng);
  for (int f = 0; f < 5; ++f) {
    int zeros = 0, ones = 0;
    for (Eigen::Index i = 0; i < 23; ++i)
      if (folds[static_cast<std::size_t>(i)] == f) (classes(i) == 0 ? zeros : ones)++;
    CHECK(zeros == 3);
    CHECK((ones == 1 || ones == 2));
  }
  imbalance::InstanceHardnessThresholdOptions options;
  options.cv = 1;
  CHECK_THROWS_WITH(imbalance::InstanceHardnessThreshold(options), Contains("cv must be >= 2 (got 1)"));
  options.cv = 5;
  options.classifier = [](const Eigen::MatrixXd& x, const Eigen::VectorXi&, Eigen::Index, std::uint64_t) {
    return Eigen::MatrixXd::Constant(x.rows(), 3, 0.5);
  };
  const auto data = test_support::labelled_points({30, 10}, 2, 4, 2.0);
  CHECK_THROWS_WITH(imbalance::InstanceHardnessThreshold(options).fit_resample(data.X, data.y, 1),
                    Contains("the classifier's probabilities has shape 40x3 but 40x2"));
}

TEST_CASE("InstanceHardnessThreshold: more folds than the largest class has samples is refused", "[sampling][iht]") {
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(30, 2);
  Eigen::VectorXi y(30);
  for (Eigen::Index i = 0; i < 30; ++i) y(i) = i < 15 ? 0 : 1;
  imbalance::InstanceHardnessThresholdOptions options;
  options.cv = 1000;
  CHECK_THROWS_WITH(imbalance::InstanceHardnessThreshold(options).fit_resample(X, y, 1),
                    Catch::Contains("cv = 1000 folds exceed the 15 samples of the largest class"));
  options.cv = 15;  // scikit-learn's limit: allowed
  CHECK_NOTHROW(imbalance::InstanceHardnessThreshold(options).fit_resample(X, y, 1));
}

