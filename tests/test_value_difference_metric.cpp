#include <catch2/catch.hpp>

#include <imbalance/neighbors/value_difference_metric.hpp>

#include "support/reference.hpp"

TEST_CASE("ValueDifferenceMetric: class probabilities and distances equal imbalanced-learn 0.10", "[sampling][vdm]") {
  const auto reference = test_support::load_json("categorical_smote.json");
  for (const auto& f : reference.at("smoten")) {
    INFO(f.at("name").get<std::string>());
    const Eigen::MatrixXd codes = test_support::to_matrix(f.at("codes"));
    const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
    const imbalance::ValueDifferenceMetric vdm(codes, y);
    REQUIRE(vdm.features() == codes.cols());
    for (Eigen::Index j = 0; j < codes.cols(); ++j) {
      const Eigen::MatrixXd expected = test_support::to_matrix(f.at("proba_per_class").at(static_cast<std::size_t>(j)));
      CHECK(test_support::relative_error(vdm.class_probabilities(j), expected) < 1e-15);
    }
    for (const auto& [label, matrix] : f.at("pairwise_per_class").items()) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < y.size(); ++i)
        if (y(i) == std::stoi(label)) rows.push_back(i);
      const Eigen::MatrixXd expected = test_support::to_matrix(matrix);
      Eigen::MatrixXd got(expected.rows(), expected.cols());
      for (std::size_t a = 0; a < rows.size(); ++a)
        for (std::size_t b = 0; b < rows.size(); ++b)
          got(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = vdm.distance(codes.row(rows[a]), codes.row(rows[b]));
      CHECK(test_support::relative_error(got, expected) < 1e-14);
    }
  }
}

TEST_CASE("ValueDifferenceMetric: codes must be category codes", "[sampling][vdm]") {
  using Catch::Matchers::Contains;
  Eigen::MatrixXd X(3, 1);
  X << 0, 1.5, 2;
  CHECK_THROWS_WITH(imbalance::ValueDifferenceMetric(X, Eigen::VectorXi::Zero(3)),
                    Contains("categorical column 0 holds 1.5 at row 1"));
}
