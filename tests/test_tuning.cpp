#include <catch2/catch.hpp>

#include <imbalance/posthoc/tuning.hpp>

#include <algorithm>

#include "support/long_tailed_fixture.hpp"

TEST_CASE("tune_logit_adjustment: returns the best tau of its curve and beats tau = 0", "[posthoc][tuning]") {
  const auto fixture = test_support::long_tailed_fixture();
  const Eigen::MatrixXd logits = fixture.test_logits();
  const imbalance::TuningCurve curve = imbalance::tune_logit_adjustment(logits, fixture.test_y, fixture.train_counts);
  REQUIRE(curve.values.size() == 21);
  REQUIRE(curve.scores.size() == 21);
  CHECK(curve.values.front() == 0.0);
  CHECK(curve.values.back() == 2.0);
  const double best = *std::max_element(curve.scores.begin(), curve.scores.end());
  CHECK(curve.best_score == best);
  CHECK(curve.scores[curve.best_index] == best);
  CHECK(curve.best_value == curve.values[curve.best_index]);
  CHECK(std::find(curve.scores.begin(), curve.scores.end(), best) - curve.scores.begin() ==
        static_cast<std::ptrdiff_t>(curve.best_index));  // first maximum
  CHECK(curve.best_score > curve.scores.front() + 0.05);  // tau = 0 is the uncorrected model
  CHECK(curve.best_value > 0.0);
}

TEST_CASE("tune_tau_normalization and tune_binary_threshold: curves with a custom metric", "[posthoc][tuning]") {
  const auto fixture = test_support::long_tailed_fixture();
  const auto curve = imbalance::tune_tau_normalization(fixture.test_x, fixture.weights, fixture.test_y);
  CHECK(curve.scores.size() == 21);
  CHECK(curve.best_score == *std::max_element(curve.scores.begin(), curve.scores.end()));

  // Binary: eta = sigmoid-like scores; accuracy as a custom metric.
  const Eigen::VectorXd eta = (Eigen::VectorXd(6) << 0.1, 0.2, 0.3, 0.6, 0.8, 0.9).finished();
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 1, 1, 1, 1).finished();
  auto accuracy = [](const Eigen::VectorXi& t, const Eigen::VectorXi& p, Eigen::Index) {
    return (t.array() == p.array()).cast<double>().mean();
  };
  const auto binary = imbalance::tune_binary_threshold(eta, y, {0.15, 0.25, 0.5, 0.7}, accuracy);
  CHECK(binary.best_value == 0.25);
  CHECK(binary.best_score == 1.0);
  const auto default_grid = imbalance::tune_binary_threshold(eta, y);
  CHECK(default_grid.values.size() == 100);
  CHECK(default_grid.values.front() == 0.1);
  CHECK(default_grid.best_score == 1.0);
}

TEST_CASE("tuning: bad grids and input throw naming the argument", "[posthoc][tuning]") {
  using Catch::Contains;
  const Eigen::VectorXd eta = (Eigen::VectorXd(2) << 0.1, 0.9).finished();
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::tune_binary_threshold(eta, y, {0.5, 1.5}), Contains("threshold") && Contains("1.5"));
  const Eigen::MatrixXd logits = Eigen::MatrixXd::Zero(2, 3);
  CHECK_THROWS_WITH(imbalance::tune_logit_adjustment(logits, y, Eigen::VectorXi::Ones(3), std::vector<double>{}),
                    Contains("must not be empty"));
  CHECK_THROWS_WITH(imbalance::tune_logit_adjustment(logits, y, Eigen::VectorXi::Ones(3), {std::nan("")}),
                    Contains("candidate"));
}

TEST_CASE("tuning on validation folds: the mean of the folds' curves", "[posthoc][tuning]") {
  const auto fixture = test_support::long_tailed_fixture();
  const Eigen::MatrixXd logits = fixture.test_logits();
  // Three folds of the test rows (every third row): each fold's curve, then the fold-averaged one.
  std::vector<imbalance::ValidationLogits> folds(3);
  std::vector<imbalance::ValidationFeatures> feature_folds(3);
  for (int f = 0; f < 3; ++f) {
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = f; i < logits.rows(); i += 3) rows.push_back(i);
    folds[static_cast<std::size_t>(f)].labels = fixture.test_y(rows);
    folds[static_cast<std::size_t>(f)].logits = logits(rows, Eigen::all);
    feature_folds[static_cast<std::size_t>(f)] = {fixture.test_y(rows), fixture.test_x(rows, Eigen::all), fixture.weights};
  }
  const auto averaged = imbalance::tune_logit_adjustment(folds, fixture.train_counts);
  const auto averaged_tau = imbalance::tune_tau_normalization(feature_folds);
  REQUIRE(averaged.scores.size() == 21);
  for (std::size_t c = 0; c < averaged.scores.size(); ++c) {
    double la = 0, tn = 0;
    for (int f = 0; f < 3; ++f) {
      const auto& fold = folds[static_cast<std::size_t>(f)];
      la += imbalance::tune_logit_adjustment(fold.logits, fold.labels, fixture.train_counts).scores[c];
      const auto& ff = feature_folds[static_cast<std::size_t>(f)];
      tn += imbalance::tune_tau_normalization(ff.features, ff.weights, ff.labels).scores[c];
    }
    CHECK(averaged.scores[c] == Approx(la / 3).epsilon(1e-15));
    CHECK(averaged_tau.scores[c] == Approx(tn / 3).epsilon(1e-15));
  }
  CHECK(averaged.best_score == *std::max_element(averaged.scores.begin(), averaged.scores.end()));
  CHECK_THROWS_WITH(imbalance::tune_logit_adjustment(std::vector<imbalance::ValidationLogits>{}, fixture.train_counts),
                    Catch::Contains("folds must not be empty"));
}
