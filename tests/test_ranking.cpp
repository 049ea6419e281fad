#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <imbalance/metrics/ranking.hpp>

#include "support/reference.hpp"

namespace {
void check_sequence(const std::vector<double>& actual, const nlohmann::json& expected, bool first_is_infinite_marker) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double e = expected[i].get<double>();
    if (first_is_infinite_marker && e == 1e300) {
      CHECK(std::isinf(actual[i]));
      continue;
    }
    CHECK(std::abs(actual[i] - e) <= 1e-12);
  }
}

void check_roc(const imbalance::RocCurve& roc, const nlohmann::json& expected) {
  check_sequence(roc.false_positive_rate, expected.at("fpr"), false);
  check_sequence(roc.true_positive_rate, expected.at("tpr"), false);
  check_sequence(roc.thresholds, expected.at("thresholds"), true);
}

// P(score of a positive > score of a negative) + P(tie) / 2, over every pair: what the area means.
double pairwise_auc(const Eigen::VectorXi& y, const Eigen::VectorXd& s) {
  double wins = 0, pairs = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i)
    for (Eigen::Index j = 0; j < y.size(); ++j)
      if (y(i) == 1 && y(j) == 0) {
        wins += s(i) > s(j) ? 1.0 : s(i) == s(j) ? 0.5 : 0.0;
        pairs += 1;
      }
  return wins / pairs;
}
}  // namespace

TEST_CASE("ranking metrics: reproduce scikit-learn 1.2 on every reference case", "[metrics][ranking]") {
  const nlohmann::json reference = test_support::load_json("ranking_metrics.json");
  int binary = 0, multiclass = 0;
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y = test_support::to_labels(c.at("y_true"));
    const Eigen::MatrixXd scores = test_support::to_matrix(c.at("scores"));
    if (c.contains("binary")) {
      const auto& b = c.at("binary");
      const Eigen::VectorXd positive = scores.col(1);
      imbalance::RocCurveOptions legacy;
      legacy.first_threshold = imbalance::FirstRocThreshold::MaxScorePlusOne;  // scikit-learn 1.2
      check_roc(imbalance::roc_curve(y, positive, 1, legacy), b.at("roc_curve"));
      legacy.drop_intermediate = false;
      check_roc(imbalance::roc_curve(y, positive, 1, legacy), b.at("roc_curve_full"));
      // The default first threshold is +inf (scikit-learn 1.3+); the rest of the curve is the same.
      const imbalance::RocCurve modern = imbalance::roc_curve(y, positive);
      CHECK(std::isinf(modern.thresholds.front()));
      CHECK(modern.false_positive_rate == imbalance::roc_curve(y, positive, 1, {true, imbalance::FirstRocThreshold::MaxScorePlusOne}).false_positive_rate);
      CHECK(std::abs(imbalance::roc_auc(y, positive) - b.at("roc_auc").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::average_precision(y, positive) - b.at("average_precision").get<double>()) <= 1e-12);
      const imbalance::PrecisionRecallCurve pr = imbalance::precision_recall_curve(y, positive);
      check_sequence(pr.precision, b.at("pr_curve").at("precision"), false);
      check_sequence(pr.recall, b.at("pr_curve").at("recall"), false);
      check_sequence(pr.thresholds, b.at("pr_curve").at("thresholds"), false);
      ++binary;
    } else {
      const auto& m = c.at("multiclass");
      using imbalance::MulticlassAverage;
      CHECK(std::abs(imbalance::roc_auc_one_vs_rest(y, scores, MulticlassAverage::Macro) -
                     m.at("roc_auc_ovr_macro").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::roc_auc_one_vs_rest(y, scores, MulticlassAverage::Weighted) -
                     m.at("roc_auc_ovr_weighted").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::roc_auc_one_vs_one(y, scores, MulticlassAverage::Macro) -
                     m.at("roc_auc_ovo_macro").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::roc_auc_one_vs_one(y, scores, MulticlassAverage::Weighted) -
                     m.at("roc_auc_ovo_weighted").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::average_precision_one_vs_rest(y, scores, MulticlassAverage::Macro) -
                     m.at("average_precision_ovr_macro").get<double>()) <= 1e-12);
      CHECK(std::abs(imbalance::average_precision_one_vs_rest(y, scores, MulticlassAverage::Weighted) -
                     m.at("average_precision_ovr_weighted").get<double>()) <= 1e-12);
      ++multiclass;
    }
  }
  CHECK(binary == 2);
  CHECK(multiclass == 2);
}

TEST_CASE("ranking metrics: the area is the pairwise win rate, ties counted half", "[metrics][ranking]") {
  std::mt19937_64 engine(7);
  std::uniform_int_distribution<int> level(0, 9), coin(0, 1);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::Index n = 30 + trial;
    Eigen::VectorXi y(n);
    Eigen::VectorXd s(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      y(i) = coin(engine);
      s(i) = 0.1 * level(engine) + 0.05 * y(i) * level(engine);  // few levels: many ties
    }
    y(0) = 0;
    y(1) = 1;
    CHECK(imbalance::roc_auc(y, s) == Approx(pairwise_auc(y, s)).epsilon(1e-13));
    // float scores, a row vector and a strided view give the same value.
    const Eigen::VectorXf f = s.cast<float>();
    CHECK(imbalance::roc_auc(y, f) == Approx(pairwise_auc(y, f.cast<double>())).epsilon(1e-13));
    Eigen::MatrixXd two(n, 2);
    two.col(0) = -s;
    two.col(1) = s;
    CHECK(imbalance::roc_auc(y, two.col(1).transpose()) == imbalance::roc_auc(y, s));
    // Labels as classes 3 and 5 with positive_label 5.
    const Eigen::VectorXi relabelled = (y.array() * 2 + 3).matrix();
    CHECK(imbalance::average_precision(relabelled, s, 5) == imbalance::average_precision(y, s));
  }
}

TEST_CASE("ranking metrics: undefined cases throw, naming the argument", "[metrics][ranking]") {
  const Eigen::VectorXi all_negative = Eigen::VectorXi::Zero(4);
  const Eigen::VectorXd s = Eigen::VectorXd::LinSpaced(4, 0, 1);
  CHECK_THROWS_WITH(imbalance::roc_auc(all_negative, s), Catch::Contains("no positive sample"));
  CHECK_THROWS_WITH(imbalance::roc_curve(Eigen::VectorXi::Ones(4), s), Catch::Contains("no negative sample"));
  CHECK_THROWS_WITH(imbalance::average_precision(all_negative, s), Catch::Contains("no positive sample"));
  Eigen::VectorXd bad = s;
  bad(2) = std::nan("");
  const Eigen::VectorXi y = (Eigen::VectorXi(4) << 0, 1, 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::roc_auc(y, bad), Catch::Contains("scores(2, 0) is not finite"));
  CHECK_THROWS_WITH(imbalance::roc_auc(y, Eigen::VectorXd::Zero(3)), Catch::Contains("y_true has length 4"));
  Eigen::MatrixXd p(4, 3);
  p << 0.2, 0.3, 0.5, 0.6, 0.2, 0.2, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4;
  const Eigen::VectorXi missing_class = (Eigen::VectorXi(4) << 0, 1, 0, 1).finished();
  CHECK_THROWS_WITH(imbalance::roc_auc_one_vs_rest(missing_class, p), Catch::Contains("class 2 does not occur"));
  CHECK_THROWS_AS(imbalance::roc_auc_one_vs_one(missing_class, p), std::invalid_argument);
  // A perfect ranking has area 1 and average precision 1 in every view.
  const Eigen::VectorXi ordered = (Eigen::VectorXi(4) << 0, 1, 2, 2).finished();
  CHECK(imbalance::roc_auc_one_vs_rest(ordered, p) < 1.0);
  Eigen::MatrixXd perfect = Eigen::MatrixXd::Zero(4, 3);
  for (int i = 0; i < 4; ++i) perfect(i, ordered(i)) = 1;
  CHECK(imbalance::roc_auc_one_vs_one(ordered, perfect) == 1.0);
  CHECK(imbalance::average_precision_one_vs_rest(ordered, perfect, imbalance::MulticlassAverage::Weighted) == 1.0);
}
