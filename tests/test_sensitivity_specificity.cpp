#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/metrics/sensitivity_specificity.hpp>

#include "support/reference.hpp"

TEST_CASE("sensitivity and specificity: reproduce imbalanced-learn 0.10", "[metrics][imblearn]") {
  const nlohmann::json reference = test_support::load_json("ranking_metrics.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXi y = test_support::to_labels(c.at("y_true"));
    const Eigen::VectorXi y_pred = test_support::to_labels(c.at("y_pred"));
    const int k = c.at("num_classes").get<int>();
    const auto cm = imbalance::confusion_matrix(y, y_pred, k);
    const auto s = imbalance::sensitivity_specificity_support(cm);
    const auto& e = c.at("sensitivity_specificity_support");
    CHECK((s.sensitivity - test_support::to_vector(e.at("sensitivity"))).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK((s.specificity - test_support::to_vector(e.at("specificity"))).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK((s.support.cast<double>() - test_support::to_vector(e.at("support"))).cwiseAbs().maxCoeff() == 0);
    CHECK(std::abs(s.sensitivity_macro - c.at("sensitivity_macro").get<double>()) <= 1e-12);
    CHECK(std::abs(s.specificity_macro - c.at("specificity_macro").get<double>()) <= 1e-12);
    CHECK(std::abs(s.sensitivity_weighted - c.at("sensitivity_weighted").get<double>()) <= 1e-12);
    CHECK(std::abs(s.specificity_weighted - c.at("specificity_weighted").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::index_balanced_geometric_mean(cm) - c.at("iba_gmean_alpha0.1_squared").get<double>()) <= 1e-12);
    // The generic wrapper over any metric gives the same number.
    const auto iba = imbalance::make_index_balanced_accuracy(
        [](const Eigen::VectorXi& t, const Eigen::VectorXi& p, Eigen::Index classes) {
          return imbalance::geometric_mean_score(imbalance::confusion_matrix(t, p, classes));
        });
    CHECK(iba(y, y_pred, k) == imbalance::index_balanced_geometric_mean(cm));
    CHECK(std::abs(imbalance::geometric_mean_score(cm, 0.001) - c.at("geometric_mean_correction0.001").get<double>()) <= 1e-12);
    CHECK(std::abs(imbalance::macro_averaged_mean_absolute_error(cm) - c.at("macro_averaged_mae").get<double>()) <= 1e-12);
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("sensitivity and specificity: the correction replaces zero recalls only", "[metrics][imblearn]") {
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 1, 1, 2, 2).finished();
  const Eigen::VectorXi p = (Eigen::VectorXi(6) << 0, 0, 1, 0, 0, 0).finished();  // class 2 never found
  const auto cm = imbalance::confusion_matrix(y, p, 3);
  CHECK(imbalance::geometric_mean_score(cm) == 0.0);
  CHECK(imbalance::geometric_mean_score(cm, 0.01) == Approx(std::cbrt(1.0 * 0.5 * 0.01)).epsilon(1e-14));
  CHECK_THROWS_WITH(imbalance::geometric_mean_score(cm, -1), Catch::Contains("correction must lie in [0, 1]"));
  // MAE of ordinal classes: class 1 misses by 1 once in 2, class 2 by 2 twice.
  CHECK(imbalance::macro_averaged_mean_absolute_error(cm) == Approx((0 + 0.5 + 2) / 3.0));
  CHECK(imbalance::index_balanced_accuracy(0.5, 0.8, 0.6, 0.1, false) == Approx(1.02 * 0.5));
}
