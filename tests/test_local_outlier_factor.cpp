#include <catch2/catch.hpp>

#include <imbalance/noisy/local_outlier_factor.hpp>

#include "support/reference.hpp"

using imbalance::LocalOutlierFactorOptions;
using Catch::Contains;

namespace {

const nlohmann::json& lof_fixtures() {
  static const nlohmann::json fixtures = test_support::load_json("lof.json").at("fixtures");
  return fixtures;
}

// Element-wise relative error: the scores next to a group of identical rows are of order -1e9.
double lof_elementwise_relative(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  double worst = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a(i) - b(i)) / std::max(std::abs(b(i)), 1e-300));
  return worst;
}

}  // namespace

TEST_CASE("LOF scores, densities, k-distances and labels equal scikit-learn's on every fixture", "[noisy][lof]") {
  for (const auto& fixture : lof_fixtures()) {
    const Eigen::MatrixXd X = test_support::to_matrix(fixture.at("X"));
    for (const auto& run : fixture.at("runs")) {
      INFO(fixture.at("name").get<std::string>() << ", k = " << run.at("n_neighbors").get<long>());
      LocalOutlierFactorOptions o;
      o.n_neighbors = run.at("n_neighbors").get<Eigen::Index>();
      for (auto algorithm : {imbalance::NeighborAlgorithm::KDTree, imbalance::NeighborAlgorithm::BruteForce}) {
        o.neighbors = algorithm;
        const auto lof = imbalance::local_outlier_factor(X, o);
        CHECK(lof.n_neighbors == run.at("n_neighbors_effective").get<Eigen::Index>());
        CHECK(lof.offset == run.at("offset").get<double>());
        CHECK(lof_elementwise_relative(lof.negative_outlier_factor,
                                       test_support::to_vector(run.at("negative_outlier_factor"))) <= 1e-10);
        CHECK(lof_elementwise_relative(lof.local_reachability_density,
                                       test_support::to_vector(run.at("local_reachability_density"))) <= 1e-10);
        CHECK(lof_elementwise_relative(lof.k_distance, test_support::to_vector(run.at("k_distance"))) <= 1e-12);
        CHECK(lof.labels == test_support::to_labels(run.at("fit_predict")));
        CHECK((lof.labels.array() < 0).count() == run.at("n_outliers_predicted").get<long>());
      }
      // A float, column-major copy of X gives the same scores (the data are given to 6 decimals).
      const Eigen::MatrixXf as_float = X.cast<float>();
      o.neighbors = imbalance::NeighborAlgorithm::Auto;
      const auto lof_float = imbalance::local_outlier_factor(as_float, o);
      CHECK(lof_float.labels == test_support::to_labels(run.at("fit_predict")));
    }
  }
}

TEST_CASE("LOF with a contamination fraction: the offset is NumPy's percentile of the scores", "[noisy][lof]") {
  const auto& fixture = lof_fixtures().at(0);
  const Eigen::MatrixXd X = test_support::to_matrix(fixture.at("X"));
  const Eigen::VectorXd scores = test_support::to_vector(fixture.at("runs").at(0).at("negative_outlier_factor"));
  LocalOutlierFactorOptions o;
  o.n_neighbors = 5;
  o.contamination = 0.1;
  const auto lof = imbalance::local_outlier_factor(X, o);
  // 80 scores, 10th percentile: position 7.9 between the 8th and 9th smallest (NumPy's linear rule).
  std::vector<double> sorted(scores.data(), scores.data() + scores.size());
  std::sort(sorted.begin(), sorted.end());
  const double expected = sorted[7] + (sorted[8] - sorted[7]) * 0.9;
  CHECK(lof.offset == Approx(expected).epsilon(1e-12));
  CHECK((lof.labels.array() < 0).count() == 8);
}

TEST_CASE("LOF per-class filter: the inliers of each class's own LOF", "[noisy][lof]") {
  // Two fixtures stacked as two classes: each class is scored on its own rows only.
  const Eigen::MatrixXd a = test_support::to_matrix(lof_fixtures().at(0).at("X"));
  const Eigen::MatrixXd b = test_support::to_matrix(lof_fixtures().at(3).at("X")).leftCols(2);
  Eigen::MatrixXd X(a.rows() + b.rows() + 1, 2);
  X << a, b, Eigen::RowVector2d(0.5, 0.5);
  Eigen::VectorXi y(X.rows());
  y.head(a.rows()).setZero();
  y.segment(a.rows(), b.rows()).setOnes();
  y(X.rows() - 1) = 2;  // a class of one row: kept whole
  LocalOutlierFactorOptions o;
  o.n_neighbors = 5;
  const auto kept = imbalance::lof_inliers_per_class(X, y, 3, o);
  const auto la = imbalance::local_outlier_factor(a, o), lb = imbalance::local_outlier_factor(b, o);
  std::vector<Eigen::Index> expected;
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    if (la.labels(i) > 0) expected.push_back(i);
  for (Eigen::Index i = 0; i < b.rows(); ++i)
    if (lb.labels(i) > 0) expected.push_back(a.rows() + i);
  expected.push_back(X.rows() - 1);
  CHECK(kept == expected);
  CHECK(kept.size() < static_cast<std::size_t>(X.rows()));
  // The same filter as a cleaning resampler: those rows, in order, and the change per class.
  const auto cleaned = imbalance::LocalOutlierCleaner(o).fit_resample(X, y);
  CHECK(cleaned.sample_indices == expected);
  CHECK(cleaned.X.rows() == static_cast<Eigen::Index>(expected.size()));
  CHECK(cleaned.X.row(0) == X.row(expected[0]));
  CHECK((cleaned.y.array() == 2).count() == 1);
  imbalance::Rng rng(1);
  CHECK(imbalance::LocalOutlierCleaner(o).fit_resample(X, y, rng).sample_indices == expected);
  Eigen::VectorXi negative = y;
  negative(0) = -1;
  CHECK_THROWS_WITH(imbalance::LocalOutlierCleaner(o).fit_resample(X, negative),
                    Catch::Contains("y must hold class indices >= 0 (got -1)"));
}

TEST_CASE("LOF bad input", "[noisy][lof]") {
  LocalOutlierFactorOptions o;
  CHECK_THROWS_WITH(imbalance::local_outlier_factor(Eigen::MatrixXd::Zero(1, 3), o), Contains("X needs at least 2 rows (got 1)"));
  o.n_neighbors = 0;
  CHECK_THROWS_WITH(imbalance::local_outlier_factor(Eigen::MatrixXd::Zero(4, 3), o), Contains("options.n_neighbors must be >= 1 (got 0)"));
  o = LocalOutlierFactorOptions{};
  o.contamination = 0.75;
  CHECK_THROWS_WITH(imbalance::local_outlier_factor(Eigen::MatrixXd::Zero(4, 3), o), Contains("options.contamination must lie in (0, 0.5] (got 0.75)"));
  Eigen::MatrixXd bad = Eigen::MatrixXd::Zero(4, 3);
  bad(2, 1) = std::nan("");
  CHECK_THROWS_WITH(imbalance::local_outlier_factor(bad, LocalOutlierFactorOptions{}), Contains("X(2, 1) is not finite"));
  CHECK_THROWS_WITH(imbalance::lof_inliers_per_class(Eigen::MatrixXd::Zero(4, 3), Eigen::Vector4i(0, 1, 2, 3), 3),
                    Contains("y"));
}
