#include <catch2/catch.hpp>

#include <cmath>

#include <imbalance/train/svm.hpp>

#include "support/reference.hpp"

TEST_CASE("SVC: support vectors and decision values equal scikit-learn's LIBSVM", "[train][svm]") {
  const auto reference = test_support::load_json("svm.json");
  for (const auto& f : reference.at("fixtures")) {
    INFO(f.at("name").get<std::string>());
    const Eigen::MatrixXd X = test_support::to_matrix(f.at("X"));
    const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
    imbalance::SVMOptions tight;
    tight.tolerance = 1e-10;
    imbalance::SVC svc(tight);
    svc.fit(X, y);
    CHECK(svc.gamma() == Approx(f.at("gamma").get<double>()).epsilon(1e-14));
    // At a tight tolerance both solvers sit at the dual optimum: the same support vectors.
    CHECK(svc.support() == f.at("support_tight").get<std::vector<Eigen::Index>>());
    if (f.contains("decision_tight")) {
      const Eigen::MatrixXd queries = test_support::to_matrix(f.at("queries"));
      for (Eigen::Index q = 0; q < queries.rows(); ++q)
        // scikit-learn's decision_function is -f for a binary problem (its first class is negative).
        CHECK(-svc.models()[0].decision(queries.row(q)) ==
              Approx(f.at("decision_tight").at(static_cast<std::size_t>(q)).get<double>()).margin(1e-6));
    }
    // At LIBSVM's default tolerance the two paths stop at different points near the optimum: the
    // sets may differ only in a few vectors whose multipliers are within the tolerance of 0.
    imbalance::SVC standard;
    standard.fit(X, y);
    const auto ours = standard.support();
    const auto theirs = f.at("support_default").get<std::vector<Eigen::Index>>();
    std::vector<Eigen::Index> differ;
    std::set_symmetric_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(), std::back_inserter(differ));
    CHECK(differ.size() <= theirs.size() / 20);
  }
}

TEST_CASE("SVC: KKT conditions hold at the tolerance, bad options", "[train][svm]") {
  using Catch::Matchers::Contains;
  Eigen::MatrixXd X(6, 1);
  X << 0, 1, 2, 3, 4, 5;
  const Eigen::VectorXi y = (Eigen::VectorXi(6) << 0, 0, 0, 1, 1, 1).finished();
  imbalance::SVMOptions linear;
  linear.kernel = imbalance::SVMOptions::Kernel::Linear;
  linear.C = 100;
  linear.tolerance = 1e-12;
  imbalance::SVC svc(linear);
  svc.fit(X, y);
  // Separable in 1-D: the maximal margin puts the boundary at 2.5 with support vectors 2 and 3.
  CHECK(svc.support() == std::vector<Eigen::Index>{2, 3});
  CHECK(svc.models()[0].decision(Eigen::RowVectorXd::Constant(1, 2.5)) == Approx(0).margin(1e-9));
  CHECK(svc.models()[0].decision(Eigen::RowVectorXd::Constant(1, 2.0)) == Approx(1).epsilon(1e-9));  // class 0 is +1
  imbalance::SVMOptions bad;
  bad.C = 0;
  CHECK_THROWS_WITH(imbalance::SVC(bad), Contains("C must be finite and > 0 (got 0)"));
}

TEST_CASE("SVC: scale-invariant RBF, at 1e160 as at 1 (issue 29)", "[train][svm]") {
  const auto reference = test_support::load_json("svm.json");
  for (const auto& f : reference.at("fixtures")) {
    INFO(f.at("name").get<std::string>());
    const Eigen::MatrixXd X = test_support::to_matrix(f.at("X"));
    const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
    const Eigen::MatrixXd huge = X.unaryExpr([](double v) { return std::ldexp(v, 531); });  // ~1e160
    imbalance::SVC plain, scaled;
    plain.fit(X, y);
    scaled.fit(huge, y);
    CHECK(scaled.support() == plain.support());
    CHECK_FALSE(scaled.support().empty());
    CHECK(scaled.models()[0].decision(huge.row(0)) == plain.models()[0].decision(X.row(0)));
    CHECK(scaled.gamma() == std::ldexp(plain.gamma(), -1062));
  }
}
