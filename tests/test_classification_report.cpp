#include <catch2/catch.hpp>

#include <imbalance/metrics/classification_report.hpp>

#include "support/reference.hpp"

TEST_CASE("classification_report: bundles the reference metrics", "[metrics][report]") {
  const auto c = test_support::load_json("metrics.json").at("cases").at(1);
  const int k = c.at("num_classes").get<int>();
  imbalance::ClassificationReportOptions options;
  options.train_counts = Eigen::VectorXd::LinSpaced(k, 500, 5);
  const auto report = imbalance::classification_report(test_support::to_labels(c.at("y_true")),
                                                       test_support::to_labels(c.at("y_pred")), k, options);
  CHECK(report.num_classes() == k);
  CHECK(report.num_samples() == 200);
  CHECK(std::abs(report.balanced_accuracy - c.at("balanced_accuracy").get<double>()) <= 1e-12);
  CHECK(std::abs(report.geometric_mean - c.at("geometric_mean").get<double>()) <= 1e-12);
  CHECK(std::abs(report.weighted_f1 - c.at("weighted_f1").get<double>()) <= 1e-12);
  CHECK(std::abs(report.avg_f1 - report.weighted_f1) <= 1e-15);
  REQUIRE(report.shots);
  CHECK(report.shots->many_classes + report.shots->medium_classes + report.shots->few_classes == k);
  for (Eigen::Index i = 0; i < k; ++i)
    CHECK(report.geometric_mean_per_class(i) ==
          Approx(std::sqrt(report.per_class.recall(i) * report.per_class.specificity(i))));
}

TEST_CASE("classification_report: from probabilities adds the ECE", "[metrics][report]") {
  Eigen::MatrixXd p(3, 2);
  p << 0.8, 0.2, 0.3, 0.7, 0.6, 0.4;
  const Eigen::VectorXi y = (Eigen::VectorXi(3) << 0, 1, 1).finished();
  const auto report = imbalance::classification_report_from_probabilities(p, y);
  REQUIRE(report.expected_calibration_error);
  CHECK(report.accuracy == Approx(2.0 / 3));
  CHECK(*report.expected_calibration_error ==
        Approx(imbalance::expected_calibration_error(p, y)).epsilon(1e-15));
}

TEST_CASE("classification_report: bad options throw naming the argument", "[metrics][report]") {
  const Eigen::VectorXi y = (Eigen::VectorXi(3) << 0, 1, 1).finished();
  imbalance::ClassificationReportOptions options;
  options.class_names = {"a"};
  CHECK_THROWS_WITH(imbalance::classification_report(y, y, 2, options), Catch::Contains("class_names has 1"));
  options.class_names.clear();
  options.train_counts = Eigen::VectorXd::Ones(3);
  CHECK_THROWS_WITH(imbalance::classification_report(y, y, 2, options), Catch::Contains("class_counts has length 3"));
}
