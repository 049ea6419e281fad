#include <catch2/catch.hpp>

#include <imbalance/report.hpp>

namespace {
imbalance::ClassificationReport small_report() {
  const Eigen::VectorXi y_true = (Eigen::VectorXi(6) << 0, 0, 0, 1, 1, 2).finished();
  const Eigen::VectorXi y_pred = (Eigen::VectorXi(6) << 0, 0, 1, 1, 1, 0).finished();
  imbalance::ClassificationReportOptions options;
  options.class_names = {"cat", "dog", "axolotl"};
  options.train_counts = (Eigen::VectorXd(3) << 150, 50, 5).finished();
  return imbalance::classification_report(y_true, y_pred, 3, options);
}
}  // namespace

TEST_CASE("report: text of a small hand-checked case", "[report]") {
  // Hand-checked: cat P = R = spe = 2/3, iba = 4/9; dog P 2/3, R 1, spe 3/4, F1 0.8, geo sqrt(.75),
  // iba 1.025 * 0.75; axolotl never predicted: P = R = F1 = 0, spe 1. Averages weighted 3:2:1.
  const std::string expected =
      "                pre     rec     spe      f1     geo     iba     sup   train\n"
      "\n"
      "        cat    0.67    0.67    0.67    0.67    0.67    0.44       3     150\n"
      "        dog    0.67    1.00    0.75    0.80    0.87    0.77       2      50\n"
      "    axolotl    0.00    0.00    1.00    0.00    0.00    0.00       1       5\n"
      "\n"
      "avg / total    0.56    0.67    0.75    0.60    0.62    0.48       6\n"
      "\n"
      "accuracy 0.6667 | balanced accuracy 0.5556 | macro F1 0.4889 | G-mean 0.0000\n"
      "many-shot 0.6667 (1 class) | medium-shot 1.0000 (1 class) | few-shot 0.0000 (1 class)\n"
      // scikit-learn / imbalanced-learn on the same labels print these four values.
      "MCC 0.4523 | kappa 0.4286 (linear 0.2500, quadratic 0.0000) | IBA(G-mean) 0.0000 | macro MAE 0.7778\n";
  CHECK(imbalance::format_report(small_report()) == expected);
}

TEST_CASE("report: JSON parses back to the same values", "[report]") {
  const auto report = small_report();
  const std::string text = imbalance::report_to_json(report).dump();
  const nlohmann::json j = nlohmann::json::parse(text);
  CHECK(j.at("balanced_accuracy").get<double>() == report.balanced_accuracy);
  CHECK(j.at("accuracy").get<double>() == report.accuracy);
  CHECK(j.at("geometric_mean").get<double>() == report.geometric_mean);
  CHECK(j.at("macro_f1").get<double>() == report.macro_f1);
  CHECK(j.at("many_shot").get<double>() == *report.shots->many);
  CHECK(j.at("few_shot").get<double>() == 0.0);
  CHECK(j.at("expected_calibration_error").is_null());
  CHECK(j.at("class_names").at(2).get<std::string>() == "axolotl");
  CHECK(j.at("matthews_correlation").get<double>() == report.matthews_correlation);
  CHECK(j.at("cohen_kappa").at("linear").get<double>() == *report.cohen_kappa_linear);
  CHECK(j.at("scores").is_null());
  for (Eigen::Index c = 0; c < 3; ++c) {
    const auto i = static_cast<std::size_t>(c);
    CHECK(j.at("recall").at(i).get<double>() == report.per_class.recall(c));
    CHECK(j.at("precision").at(i).get<double>() == report.per_class.precision(c));
    CHECK(j.at("specificity").at(i).get<double>() == report.per_class.specificity(c));
    CHECK(j.at("support").at(i).get<long long>() == report.per_class.support(c));
    for (Eigen::Index d = 0; d < 3; ++d)
      CHECK(j.at("confusion_matrix").at(i).at(static_cast<std::size_t>(d)).get<long long>() == report.confusion(c, d));
  }
}

TEST_CASE("report: scores of probabilities in text and JSON", "[report]") {
  Eigen::MatrixXd p(6, 2);
  p << 0.9, 0.1, 0.6, 0.4, 0.3, 0.7, 0.2, 0.8, 0.55, 0.45, 0.4, 0.6;
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 0, 1, 1, 1).finished();
  const auto report = imbalance::classification_report_from_probabilities(p, y);
  const std::string text = imbalance::format_report(report);
  // Positives score 0.8, 0.45, 0.6 against 0.1, 0.4, 0.7: 7 of 9 pairs ordered, AUC 7/9.
  CHECK_THAT(text, Catch::Contains("log-loss ") && Catch::Contains("| ROC-AUC 0.7778 |") && Catch::Contains("| Brier "));
  const nlohmann::json j = nlohmann::json::parse(imbalance::report_to_json(report).dump());
  const auto& s = j.at("scores");
  CHECK(s.at("roc_auc").get<double>() == *report.scores->roc_auc);
  CHECK(s.at("roc_curve").at("thresholds").at(0).is_null());  // +inf has no JSON spelling
  CHECK(s.at("roc_curve").at("fpr").size() == report.scores->roc_curve->false_positive_rate.size());
  CHECK(s.at("reliability_bins").size() == 15);
  CHECK(s.at("roc_auc_ovo_macro").is_null());
}
