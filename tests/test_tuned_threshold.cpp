#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <imbalance/model_selection/tuned_threshold.hpp>

#include "support/reference.hpp"

namespace {
double tuned_recall(const Eigen::VectorXi& t, const Eigen::VectorXi& p, Eigen::Index k) {
  return imbalance::per_class_metrics(imbalance::confusion_matrix(t, p, k)).recall(1);
}
double tuned_specificity(const Eigen::VectorXi& t, const Eigen::VectorXi& p, Eigen::Index k) {
  return imbalance::per_class_metrics(imbalance::confusion_matrix(t, p, k)).recall(0);
}
double tuned_f1(const Eigen::VectorXi& t, const Eigen::VectorXi& p, Eigen::Index k) {
  return imbalance::per_class_metrics(imbalance::confusion_matrix(t, p, k)).f1(1);
}
void check_curve(const std::vector<double>& actual, const nlohmann::json& expected) {
  REQUIRE(actual.size() == expected.size());
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) worst = std::max(worst, std::abs(actual[i] - expected[i].get<double>()));
  CHECK(worst <= 1e-12);
}
}  // namespace

TEST_CASE("tuned threshold: the best threshold of scikit-learn 1.5's averaged interpolated curve",
          "[model_selection][threshold]") {
  const nlohmann::json reference = test_support::load_json("tuned_threshold.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    INFO("scores from " << c.at("response").get<std::string>());
    std::vector<imbalance::ValidationScores> folds;
    for (const auto& f : c.at("folds"))
      folds.push_back({test_support::to_labels(f.at("labels")), test_support::to_vector(f.at("scores"))});
    for (const auto& r : c.at("results")) {
      const std::string objective = r.at("objective").get<std::string>();
      INFO("objective " << objective);
      imbalance::TunedThreshold tuned;
      if (objective == "balanced_accuracy") {
        tuned = imbalance::tune_threshold(folds);
      } else if (objective == "f1") {
        tuned = imbalance::tune_threshold(folds, &tuned_f1);
      } else {
        tuned = imbalance::tune_threshold_constrained(folds, &tuned_recall, &tuned_specificity, r.at("minimum").get<double>());
        check_curve(tuned.constraint, r.at("constraint_curve"));
      }
      check_curve(tuned.thresholds, c.at("thresholds"));
      check_curve(tuned.objective, r.at("curve"));
      CHECK(tuned.best_index == r.at("best_index").get<std::size_t>());
      CHECK(tuned.threshold == Approx(r.at("best_threshold").get<double>()).margin(1e-12));
      CHECK(tuned.objective_score == Approx(r.at("best_score").get<double>()).margin(1e-12));
      ++checked;
    }
  }
  CHECK(checked == 6);
}

TEST_CASE("tuned threshold: cross-validation drives the caller's model, fixed threshold, errors",
          "[model_selection][threshold]") {
  // One feature, positives shifted by 1.5: a "model" that scores by the feature itself.
  std::mt19937_64 engine(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  const Eigen::Index n = 4000;
  Eigen::MatrixXd x(n, 1);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    y(i) = i % 10 == 0 ? 1 : 0;  // 10 % positives
    x(i, 0) = noise(engine) + 1.5 * y(i);
  }
  int calls = 0;
  const imbalance::FitAndScore identity = [&calls](const Eigen::MatrixXd& train, const Eigen::VectorXi& labels,
                                                   const Eigen::MatrixXd& validation) {
    ++calls;
    CHECK(train.rows() == labels.size());
    CHECK(train.rows() + validation.rows() == 4000);
    return Eigen::VectorXd(validation.col(0));
  };
  const imbalance::TunedThreshold tuned = imbalance::tune_threshold_cross_validated(x, y, identity);
  CHECK(calls == 5);
  // Balanced accuracy of two unit Gaussians 1.5 apart is maximal midway, at 0.75.
  CHECK(tuned.threshold == Approx(0.75).margin(0.3));
  CHECK(tuned.objective_score > 0.7);
  // Same seed, same folds, same bits.
  CHECK(imbalance::tune_threshold_cross_validated(x, y, identity).objective == tuned.objective);
  const imbalance::FixedThresholdClassifier fixed(tuned.threshold);
  const Eigen::VectorXi predicted = fixed.predict(x.col(0));
  for (Eigen::Index i = 0; i < n; ++i) CHECK(predicted(i) == (x(i, 0) >= tuned.threshold ? 1 : 0));

  std::vector<imbalance::ValidationScores> constant{{y, Eigen::VectorXd::Ones(n)}};
  CHECK_THROWS_WITH(imbalance::tune_threshold(constant), Catch::Contains("constant scores"));
  CHECK_THROWS_WITH(imbalance::tune_threshold(std::vector<imbalance::ValidationScores>{}), Catch::Contains("folds must not be empty"));
  std::vector<imbalance::ValidationScores> folds{{y, x.col(0)}};
  CHECK_THROWS_WITH(imbalance::tune_threshold_constrained(folds, &tuned_recall, &tuned_specificity, 1.5),
                    Catch::Contains("no threshold reaches the constraint minimum 1.5"));
  imbalance::ThresholdTuningOptions one_point;
  one_point.thresholds = 1;
  CHECK_THROWS_WITH(imbalance::tune_threshold(folds, imbalance::BalancedAccuracyMetric{}, one_point),
                    Catch::Contains("thresholds must be >= 2"));
  CHECK_THROWS_AS(imbalance::FixedThresholdClassifier(std::nan("")), std::invalid_argument);
}
