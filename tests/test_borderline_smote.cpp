#include <catch2/catch.hpp>

#include <imbalance/over_sampling/borderline_smote.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("BorderlineSMOTE: danger samples follow the definition and are the only bases", "[sampling][borderline]") {
  const auto data = test_support::labelled_points({200, 40}, 2, 6, 1.5);
  const Eigen::Index m = 10;
  std::vector<Eigen::Index> expected;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i) {
    if (data.y(i) != 1) continue;
    int others = 0;
    for (Eigen::Index j : test_support::brute_force_neighbors(data.X, data.X.row(i), i, m)) others += data.y(j) != 1;
    if (2 * others >= m && others < m) expected.push_back(i);
  }
  REQUIRE_FALSE(expected.empty());
  for (int kind : {1, 2}) {
    imbalance::BorderlineSMOTEOptions options;
    options.kind = kind;
    const imbalance::BorderlineSMOTE smote(options);
    CHECK(smote.danger_rows(data.X, data.y, 1) == expected);
    const auto out = smote.fit_resample(data.X, data.y, 8);
    CHECK(imbalance::count_classes(out.y).at(1) == 200);
    for (std::size_t s = 0; s < out.synthetic_base.size(); ++s) {
      CHECK(std::binary_search(expected.begin(), expected.end(), out.synthetic_base[s]));
      const Eigen::Index base = out.synthetic_base[s], neighbor = out.synthetic_neighbor[s];
      const Eigen::RowVectorXd direction = data.X.row(neighbor) - data.X.row(base);
      const Eigen::RowVectorXd offset = out.X.row(data.X.rows() + static_cast<Eigen::Index>(s)) - data.X.row(base);
      const double u = direction.squaredNorm() > 0 ? offset.dot(direction) / direction.squaredNorm() : 0.0;
      CHECK((offset - u * direction).norm() < 1e-12);
      if (kind == 1) {
        CHECK(data.y(neighbor) == 1);
        CHECK(u <= 1.0);
      } else if (data.y(neighbor) != 1) {
        CHECK(u < 0.5);  // towards another class: at most half way
      }
      CHECK(u >= 0.0);
    }
  }
}

TEST_CASE("BorderlineSMOTE: a class without danger samples is left as it is", "[sampling][borderline]") {
  const auto far = test_support::labelled_points({60, 20}, 2, 2, 40.0);
  const auto out = imbalance::BorderlineSMOTE().fit_resample(far.X, far.y, 1);
  CHECK(out.X.rows() == 80);
  CHECK(out.change_per_class.empty());
  imbalance::BorderlineSMOTEOptions kind_three;
  kind_three.kind = 3;
  CHECK_THROWS_WITH(imbalance::BorderlineSMOTE(kind_three),
                    Catch::Contains("kind"));
}
