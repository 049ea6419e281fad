#include <catch2/catch.hpp>

#include <imbalance/over_sampling/kmeans_smote.hpp>

#include <algorithm>

#include "support/sampling_data.hpp"

TEST_CASE("KMeansSMOTE: new samples lie on segments between same-class samples of one cluster", "[sampling][kmeans_smote]") {
  const auto data = test_support::labelled_points({300, 60}, 2, 3, 2.5);
  imbalance::KMeansSMOTEOptions options;
  options.n_clusters = 4;
  const auto out = imbalance::KMeansSMOTE(options).fit_resample(data.X, data.y, 11);
  CHECK(imbalance::count_classes(out.y) == imbalance::ClassMap{{0, 300}, {1, 300}});  // exactly n_c
  for (Eigen::Index s = 360; s < out.X.rows(); ++s) {
    const Eigen::Index base = out.synthetic_base[static_cast<std::size_t>(s - 360)];
    const Eigen::Index nb = out.synthetic_neighbor[static_cast<std::size_t>(s - 360)];
    CHECK(data.y(base) == 1);
    CHECK(data.y(nb) == 1);
    const Eigen::RowVectorXd span = data.X.row(nb) - data.X.row(base);
    const double t = (out.X.row(s) - data.X.row(base)).dot(span) / span.squaredNorm();
    CHECK(t >= 0);
    CHECK(t <= 1);
    CHECK((data.X.row(base) + t * span - out.X.row(s)).norm() < 1e-9);
  }
  CHECK(imbalance::KMeansSMOTE(options).fit_resample(data.X, data.y, 11).X == out.X);
}

TEST_CASE("KMeansSMOTE: shares follow sparsity exactly, no qualifying cluster is an error", "[sampling][kmeans_smote]") {
  CHECK(imbalance::detail::apportion(10, {1, 1, 1}) == std::vector<Eigen::Index>{4, 3, 3});
  CHECK(imbalance::detail::apportion(7, {0.5, 0.25, 0.25}) == std::vector<Eigen::Index>{3, 2, 2});
  CHECK(imbalance::detail::apportion(5, {0, 2}) == std::vector<Eigen::Index>{0, 5});
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> square(4, 2);
  square << 0, 0, 1, 0, 0, 1, 1, 1;
  CHECK(imbalance::detail::mean_pairwise_distance(square) == Approx((4 + 2 * std::sqrt(2.0)) / 6));
  using Catch::Matchers::Contains;
  const auto data = test_support::labelled_points({300, 6}, 2, 3, 0.0);
  imbalance::KMeansSMOTEOptions options;
  options.cluster_balance_threshold = 0.9;
  CHECK_THROWS_WITH(imbalance::KMeansSMOTE(options).fit_resample(data.X, data.y, 1),
                    Contains("no cluster holds a share of class 1 >= 0.9"));
}

TEST_CASE("KMeansSMOTE: points near 1e160 resample as points near 1 (issue 29)", "[sampling][kmeans_smote]") {
  const auto data = test_support::labelled_points({300, 60}, 2, 3, 2.5);
  imbalance::KMeansSMOTEOptions options;
  options.n_clusters = 4;
  const auto plain = imbalance::KMeansSMOTE(options).fit_resample(data.X, data.y, 11);
  const auto huge = imbalance::KMeansSMOTE(options).fit_resample(data.X * 1e160, data.y, 11);
  CHECK(imbalance::count_classes(huge.y) == imbalance::ClassMap{{0, 300}, {1, 300}});
  CHECK(huge.synthetic_base == plain.synthetic_base);
  CHECK(huge.X.allFinite());
}
