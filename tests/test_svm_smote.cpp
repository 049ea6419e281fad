#include <catch2/catch.hpp>

#include <imbalance/over_sampling/svm_smote.hpp>

#include <algorithm>

#include "support/reference.hpp"
#include "support/sampling_data.hpp"

TEST_CASE("SVMSMOTE: new samples from scikit-learn's support vectors, inside (danger) or outside (safe)", "[sampling][svm_smote]") {
  const auto reference = test_support::load_json("svm.json");
  for (const auto& f : reference.at("fixtures")) {
    INFO(f.at("name").get<std::string>());
    const Eigen::MatrixXd X = test_support::to_matrix(f.at("X"));
    const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
    imbalance::SVMSMOTEOptions options;
    options.svm.tolerance = 1e-10;
    const imbalance::SVMSMOTE sampler(options);
    const auto support = f.at("support_tight").get<std::vector<Eigen::Index>>();
    CHECK(sampler.support_vectors(X, y) == support);
    const auto out = sampler.fit_resample(X, y, 5);
    const auto counts = imbalance::count_classes(y);
    for (const auto& [label, n] : imbalance::count_classes(out.y)) CHECK(n == counts.at(0));  // exactly n_c
    int inside = 0, outside = 0;
    for (Eigen::Index s = X.rows(); s < out.X.rows(); ++s) {
      const Eigen::Index base = out.synthetic_base[static_cast<std::size_t>(s - X.rows())];
      const Eigen::Index nb = out.synthetic_neighbor[static_cast<std::size_t>(s - X.rows())];
      CHECK(std::binary_search(support.begin(), support.end(), base));
      CHECK(y(base) == out.y(s));
      CHECK(y(nb) == out.y(s));
      // The base's 5 nearest of its class.
      std::vector<Eigen::Index> same;
      for (Eigen::Index i = 0; i < X.rows(); ++i)
        if (y(i) == y(base)) same.push_back(i);
      Eigen::MatrixXd cls(static_cast<Eigen::Index>(same.size()), X.cols());
      for (std::size_t r = 0; r < same.size(); ++r) cls.row(static_cast<Eigen::Index>(r)) = X.row(same[r]);
      const auto position = std::lower_bound(same.begin(), same.end(), base) - same.begin();
      const auto nn = test_support::brute_force_neighbors(cls, X.row(base), position, 5);
      bool found = false;
      for (Eigen::Index j : nn) found = found || same[static_cast<std::size_t>(j)] == nb;
      CHECK(found);
      const Eigen::RowVectorXd span = X.row(nb) - X.row(base);
      const double t = (out.X.row(s) - X.row(base)).dot(span) / span.squaredNorm();
      CHECK((X.row(base) + t * span - out.X.row(s)).norm() < 1e-9);
      CHECK(t >= -0.5 - 1e-12);
      CHECK(t <= 1 + 1e-12);
      (t >= 0 ? inside : outside)++;
    }
    CHECK(inside + outside == out.X.rows() - X.rows());
  }
}

TEST_CASE("SVMSMOTE: Beta(10, 10) draws and options", "[sampling][svm_smote]") {
  using Catch::Matchers::Contains;
  imbalance::Rng rng(1);
  double sum = 0, squares = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double b = imbalance::beta_whole(10, 10, rng);
    sum += b;
    squares += b * b;
  }
  const double mean = sum / n, variance = squares / n - mean * mean;
  CHECK(mean == Approx(0.5).margin(0.005));
  CHECK(variance == Approx(0.25 / 21).epsilon(0.05));  // ab / ((a+b)^2 (a+b+1))
  imbalance::SVMSMOTEOptions options;
  options.out_step = -1;
  CHECK_THROWS_WITH(imbalance::SVMSMOTE(options), Contains("out_step must be finite and >= 0 (got -1)"));
}

TEST_CASE("SVMSMOTE: points near 1e160 keep their support vectors (issue 29)", "[sampling][svm_smote]") {
  const auto reference = test_support::load_json("svm.json");
  const auto& f = reference.at("fixtures").at(0);
  const Eigen::MatrixXd X = test_support::to_matrix(f.at("X"));
  const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
  const imbalance::SVMSMOTE sampler;
  const Eigen::MatrixXd huge = X * 1e160;
  CHECK(sampler.support_vectors(huge, y) == sampler.support_vectors(X, y));
  const auto out = sampler.fit_resample(huge, y, 5);
  CHECK(out.X.allFinite());
  CHECK(out.X.rows() > X.rows());
}
