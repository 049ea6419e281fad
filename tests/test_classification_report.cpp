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

TEST_CASE("classification_report: the threshold-free and agreement metrics equal the references",
          "[metrics][report]") {
  const nlohmann::json reference = test_support::load_json("ranking_metrics.json");
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y = test_support::to_labels(c.at("y_true"));
    const Eigen::MatrixXd p = test_support::to_matrix(c.at("scores"));
    const auto report = imbalance::classification_report_from_probabilities(p, y);
    REQUIRE(report.scores);
    const auto& s = *report.scores;
    CHECK(std::abs(report.matthews_correlation - c.at("mcc").get<double>()) <= 1e-12);
    CHECK(std::abs(*report.cohen_kappa_quadratic - c.at("cohen_kappa").at("quadratic").get<double>()) <= 1e-12);
    CHECK(std::abs(report.sensitivity_macro - c.at("sensitivity_macro").get<double>()) <= 1e-12);
    CHECK(std::abs(report.avg_specificity - c.at("specificity_weighted").get<double>()) <= 1e-12);
    CHECK(std::abs(report.iba_geometric_mean - c.at("iba_gmean_alpha0.1_squared").get<double>()) <= 1e-12);
    CHECK(std::abs(report.macro_mae - c.at("macro_averaged_mae").get<double>()) <= 1e-12);
    CHECK(std::abs(s.log_loss - c.at("log_loss").get<double>()) <= 1e-12);
    REQUIRE(s.roc_auc);
    REQUIRE(s.average_precision);
    if (c.contains("binary")) {
      CHECK(std::abs(*s.roc_auc - c.at("binary").at("roc_auc").get<double>()) <= 1e-12);
      CHECK(std::abs(*s.brier - c.at("binary").at("brier").get<double>()) <= 1e-12);
      REQUIRE(s.roc_curve);
      CHECK(s.roc_curve->true_positive_rate.size() == c.at("binary").at("roc_curve").at("tpr").size());
    } else {
      CHECK(std::abs(*s.roc_auc - c.at("multiclass").at("roc_auc_ovr_macro").get<double>()) <= 1e-12);
      CHECK(std::abs(*s.roc_auc_ovo_weighted - c.at("multiclass").at("roc_auc_ovo_weighted").get<double>()) <= 1e-12);
      CHECK(std::abs(*s.average_precision_ovr_weighted -
                     c.at("multiclass").at("average_precision_ovr_weighted").get<double>()) <= 1e-12);
      CHECK_FALSE(s.roc_curve);
    }
  }
  // A class missing from y_true: the ranking metrics are left out, the rest is reported.
  Eigen::MatrixXd p(3, 3);
  p << 0.7, 0.2, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4;
  const auto partial = imbalance::classification_report_from_probabilities(p, (Eigen::VectorXi(3) << 0, 1, 1).finished());
  REQUIRE(partial.scores);
  CHECK_FALSE(partial.scores->roc_auc);
  CHECK(partial.scores->log_loss > 0);
}
