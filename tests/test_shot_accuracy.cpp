#include <catch2/catch.hpp>

#include <imbalance/metrics/shot_accuracy.hpp>

TEST_CASE("shot_accuracy: hand-checked many/medium/few", "[metrics][shots]") {
  // Training counts: classes 0, 1 many (> 100), 2 medium (exactly 100 and 20 are medium), 3 medium,
  // 4 few (< 20), 5 has no test sample (left out).
  const Eigen::VectorXd train = (Eigen::VectorXd(6) << 500, 101, 100, 20, 19, 3).finished();
  const Eigen::VectorXi y_true = (Eigen::VectorXi(10) << 0, 0, 1, 1, 2, 2, 3, 3, 4, 4).finished();
  const Eigen::VectorXi y_pred = (Eigen::VectorXi(10) << 0, 0, 1, 0, 2, 0, 0, 0, 4, 0).finished();
  const imbalance::ShotAccuracy s = imbalance::shot_accuracy(y_true, y_pred, train);
  // many: (1 + 0.5) / 2; medium: (0.5 + 0) / 2; few: 0.5.
  REQUIRE(s.many);
  REQUIRE(s.medium);
  REQUIRE(s.few);
  CHECK(*s.many == Approx(0.75).epsilon(1e-15));
  CHECK(*s.medium == Approx(0.25).epsilon(1e-15));
  CHECK(*s.few == Approx(0.5).epsilon(1e-15));
  CHECK(s.many_classes == 2);
  CHECK(s.medium_classes == 2);
  CHECK(s.few_classes == 1);
  // Custom thresholds: many > 400, few < 150.
  const imbalance::ShotAccuracy t = imbalance::shot_accuracy(y_true, y_pred, train, {400, 150});
  CHECK(*t.many == 1.0);
  CHECK(t.medium_classes == 0);
  CHECK_FALSE(t.medium.has_value());
  CHECK(*t.few == Approx((0.5 + 0.5 + 0 + 0.5) / 4).epsilon(1e-15));
}

TEST_CASE("shot_accuracy: bad input throws naming the argument", "[metrics][shots]") {
  using Catch::Contains;
  const Eigen::VectorXi y = (Eigen::VectorXi(3) << 0, 1, 2).finished();
  CHECK_THROWS_WITH(imbalance::shot_accuracy(y, y, (Eigen::VectorXd(3) << 5, -1, 2).finished()),
                    Contains("class_counts[1]"));
  CHECK_THROWS_WITH(imbalance::shot_accuracy(y, y, Eigen::VectorXd::Ones(3), {10, 50}), Contains("thresholds.few"));
  CHECK_THROWS_AS(imbalance::shot_accuracy(y, y, Eigen::VectorXd::Ones(2)), imbalance::out_of_range);
}
