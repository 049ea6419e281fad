#include <catch2/catch.hpp>

#include <map>

#include <imbalance/model_selection/stratified_split.hpp>

TEST_CASE("stratified split: every class held out in proportion, seeded", "[model_selection]") {
  Eigen::VectorXi y(1000);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = i < 900 ? 0 : i < 990 ? 1 : i < 998 ? 2 : 3;  // 900/90/8/2
  imbalance::Rng rng(5);
  const auto split = imbalance::stratified_split(y, 0.2, rng);
  std::map<int, int> held, kept;
  for (auto i : split.validation) ++held[y(i)];
  for (auto i : split.train) ++kept[y(i)];
  CHECK(held[0] == 180);
  CHECK(held[1] == 18);
  CHECK(held[2] == 2);  // round(1.6)
  CHECK(held[3] == 1);  // round(0.4) = 0, but a class of two gives one
  CHECK(kept[3] == 1);
  CHECK(split.train.size() + split.validation.size() == 1000);
  CHECK(std::is_sorted(split.validation.begin(), split.validation.end()));
  imbalance::Rng again(5);
  CHECK(imbalance::stratified_split(y, 0.2, again).validation == split.validation);
  imbalance::Rng other(6);
  CHECK(imbalance::stratified_split(y, 0.2, other).validation != split.validation);
  CHECK_THROWS_WITH(imbalance::stratified_split(y, 1.0, rng), Catch::Contains("validation_fraction must lie in [0, 1)"));
  CHECK(imbalance::stratified_split(y, 0.0, rng).validation.empty());
}

TEST_CASE("stratified folds: each class spread evenly, fold indices partition the rows", "[model_selection]") {
  Eigen::VectorXi y(103);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = i % 7 == 0 ? 1 : 0;
  imbalance::Rng rng(1);
  const auto folds = imbalance::stratified_folds(y, 5, rng);
  for (int f = 0; f < 5; ++f) {
    const auto split = imbalance::fold_indices(folds, f);
    int positives = 0;
    for (auto i : split.validation) positives += y(i);
    CHECK(positives >= 2);  // 15 positives over 5 folds: 3 each
    CHECK(positives <= 3);
    CHECK(split.validation.size() >= 20);
    CHECK(split.validation.size() <= 21);
    CHECK(split.train.size() + split.validation.size() == 103);
  }
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, 2);
  CHECK(imbalance::select_rows(x, {3, 1}).row(0) == x.row(3));
  CHECK_THROWS_AS(imbalance::select_rows(x, {4}), std::out_of_range);
  CHECK_THROWS_WITH(imbalance::stratified_folds(y, 1, rng), Catch::Contains("folds must be >= 2"));
}
