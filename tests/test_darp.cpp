#include <catch2/catch.hpp>

#include <imbalance/semi/darp.hpp>

#include "support/reference.hpp"

using imbalance::DarpOptions;
using imbalance::DarpSolver;
using Catch::Contains;

namespace {

using DarpRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

const nlohmann::json& darp_cases() {
  static const nlohmann::json cases = test_support::load_json("darp.json").at("cases");
  return cases;
}

DarpOptions official_options(const nlohmann::json& c) {
  DarpOptions o;
  o.alpha = c.at("alpha").get<double>();
  o.iterations = c.at("iter_T").get<long>();
  o.secant_tolerance = c.at("th").get<double>();
  o.secant_iterations = c.at("num_newton").get<long>();
  return o;
}

double darp_max_abs(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).cwiseAbs().maxCoeff(); }

}  // namespace

TEST_CASE("DARP estimate_pseudo and the solver input equal the official code on every reference case", "[semi][darp]") {
  for (const auto& c : darp_cases()) {
    INFO(c.at("name").get<std::string>());
    const Eigen::MatrixXd probs = test_support::to_matrix(c.at("probs"));
    const Eigen::VectorXd target = test_support::to_vector(c.at("target"));
    const auto& expected = c.at("estimate_pseudo");
    const auto e = imbalance::darp_estimate_pseudo(probs, target, c.at("alpha").get<double>());
    CHECK(e.num_selected == test_support::to_labels(expected.at("num_selected")));
    CHECK(darp_max_abs(e.pseudo_labels, test_support::to_matrix(expected.at("pseudo_labels"))) == 0.0);
    CHECK(test_support::relative_error(e.selected_mass, test_support::to_vector(expected.at("k_probs"))) <= 1e-14);
    CHECK(test_support::relative_error(e.weights, test_support::to_vector(expected.at("weights"))) <= 1e-14);
    const DarpRows input = imbalance::darp_solver_input(probs, e);
    CHECK(darp_max_abs(input, test_support::to_matrix(c.at("opt_input"))) <= 1e-15);
  }
}

TEST_CASE("DARP Official solver reproduces the official refined pseudo-labels and trace to 1e-8", "[semi][darp]") {
  for (const auto& c : darp_cases()) {
    INFO(c.at("name").get<std::string>());
    const Eigen::MatrixXd probs = test_support::to_matrix(c.at("probs"));
    const Eigen::VectorXd target = test_support::to_vector(c.at("target"));
    DarpOptions o = official_options(c);
    o.record_trace = true;
    const auto r = imbalance::darp_refine(probs, target, o);
    CHECK(darp_max_abs(r.refined, test_support::to_matrix(c.at("refined"))) <= 1e-8);
    // The residuals the official output has (columns off their targets), reported, not hidden.
    const auto& residuals = c.at("residuals");
    CHECK(r.max_column_deviation == Approx(residuals.at("col_sum_max_abs_dev").get<double>()).epsilon(1e-6));
    CHECK(r.max_row_deviation <= 1e-14);
    // Same branch decisions: nu after every outer iteration and SciPy's step counts.
    const auto& trace = c.at("trace");
    REQUIRE(r.nu_trace.size() == trace.size());
    for (std::size_t t = 0; t < trace.size(); ++t) {
      CHECK(test_support::relative_error(r.nu_trace[t], test_support::to_vector(trace[t].at("nu"))) <= 1e-9);
      const Eigen::VectorXi steps = test_support::to_labels(trace[t].at("secant_iterations"));
      for (Eigen::Index j = 0; j < steps.size(); ++j)
        CHECK(r.secant_steps_trace[t][static_cast<std::size_t>(j)] == steps(j));
    }
  }
}

TEST_CASE("DARP Converged solver equals the tight official solution and meets both constraints to 1e-8", "[semi][darp]") {
  for (const auto& c : darp_cases()) {
    INFO(c.at("name").get<std::string>());
    const Eigen::MatrixXd probs = test_support::to_matrix(c.at("probs"));
    const Eigen::VectorXd target = test_support::to_vector(c.at("target"));
    DarpOptions o = official_options(c);
    o.solver = DarpSolver::Converged;
    const auto r = imbalance::darp_refine(probs, target, o);
    const Eigen::VectorXd rows = r.refined.rowwise().sum(), columns = r.refined.colwise().sum().transpose();
    CHECK((rows.array() - 1.0).abs().maxCoeff() <= 1e-8);
    CHECK((columns - target).cwiseAbs().maxCoeff() <= 1e-8);
    CHECK(r.max_column_deviation <= 1e-10);
    CHECK((r.refined.array() >= 0).all());
    const auto& tight = c.at("tight");
    if (tight.contains("refined")) {
      CHECK(darp_max_abs(r.refined, test_support::to_matrix(tight.at("refined"))) <= 1e-8);
    } else {
      // The edge case: the official solver raises at th 1e-10; the Converged one reaches every target,
      // the tail column included (the Official one leaves it near 0).
      CHECK(c.at("edge").get<bool>());
      CHECK(columns(columns.size() - 1) == Approx(target(target.size() - 1)).margin(1e-8));
    }
  }
}

TEST_CASE("DARP on the official pseudo-labels directly and the edge case's documented result", "[semi][darp]") {
  for (const auto& c : darp_cases()) {
    INFO(c.at("name").get<std::string>());
    const Eigen::MatrixXd probs = test_support::to_matrix(c.at("probs"));
    const Eigen::VectorXd target = test_support::to_vector(c.at("target"));
    const auto& direct = c.at("opt_solver_direct");
    if (direct.contains("refined")) {
      const auto r = imbalance::darp_solve(probs, target, official_options(c));
      CHECK(darp_max_abs(r.refined, test_support::to_matrix(direct.at("refined"))) <= 1e-8);
    } else {
      // A near one-hot row has entropy <= 0 with the official +1e-6: refused with the row named.
      CHECK_THROWS_WITH(imbalance::darp_solve(probs, target, official_options(c)), Contains("entropy") && Contains("row "));
    }
    if (c.at("edge").get<bool>()) {
      const auto r = imbalance::darp_refine(probs, target, official_options(c));
      CHECK(r.max_column_deviation > 0.39);  // reported: the tail column stays near 0 instead of 0.4
    }
  }
}

TEST_CASE("DARP estimate of the unlabelled distribution inverts the soft confusion matrix", "[semi][darp]") {
  // Validation posteriors from a known confusion: with C the column-normalised soft confusion,
  // unlabelled posteriors built as C times the true totals give those totals back.
  const Eigen::Index k = 3;
  DarpRows validation(6, k);
  validation << 0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1, 0.1, 0.2, 0.7, 0.2, 0.1, 0.7;
  Eigen::VectorXi labels(6);
  labels << 0, 0, 1, 1, 2, 2;
  Eigen::MatrixXd confusion(k, k);
  confusion << 0.7, 0.15, 0.15, 0.2, 0.75, 0.15, 0.1, 0.1, 0.7;
  // Dynamic sizes: GCC 12's -Warray-bounds misreads vectorised copies of fixed 3-vectors.
  Eigen::VectorXd totals(3);
  totals << 50, 30, 20;
  // 100 unlabelled rows whose column sums are confusion * totals.
  const Eigen::VectorXd expected_columns = confusion * totals;
  DarpRows unlabeled(100, k);
  for (Eigen::Index r = 0; r < 100; ++r) unlabeled.row(r) = expected_columns.transpose() / 100.0;
  const auto estimate = imbalance::darp_estimate_distribution(validation, labels, unlabeled);
  CHECK(test_support::relative_error(estimate.totals, totals) <= 1e-12);
  CHECK(estimate.condition > 1);
  Eigen::VectorXi missing(6);
  missing << 0, 0, 1, 1, 1, 1;
  CHECK_THROWS_WITH(imbalance::darp_estimate_distribution(validation, missing, unlabeled),
                    Contains("class 2") && Contains("no validation sample"));
}

TEST_CASE("DARP bad input: targets, negative confidences, options", "[semi][darp]") {
  DarpRows probs(4, 2);
  probs << 0.7, 0.3, 0.4, 0.6, 0.5, 0.5, 0.9, 0.1;
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, Eigen::Vector2d(2, 1)),
                    Contains("target must sum to the number of samples 4") && Contains("got 3"));
  Eigen::VectorXd three(3);
  three << 2, 1, 1;
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, three), Contains("target has shape 3x1"));
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, Eigen::Vector2d(5, -1)), Contains("target[1] must be >= 0"));
  DarpRows negative = probs;
  negative(2, 0) = -0.5;
  negative(2, 1) = 1.5;
  CHECK_THROWS_WITH(imbalance::darp_refine(negative, Eigen::Vector2d(2, 2)),
                    Contains("probs(2, 0) is a negative confidence (-0.5)"));
  DarpRows unnormalised = probs;
  unnormalised(1, 1) = 0.9;
  CHECK_THROWS_WITH(imbalance::darp_refine(unnormalised, Eigen::Vector2d(2, 2)), Contains("row 1 of probs sums to 1.3"));
  DarpOptions o;
  o.alpha = 0;
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, Eigen::Vector2d(2, 2), o), Contains("alpha"));
  o = DarpOptions{};
  o.iterations = 0;
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, Eigen::Vector2d(2, 2), o), Contains("options.iterations"));
  o = DarpOptions{};
  o.solver = DarpSolver::Converged;
  CHECK_THROWS_WITH(imbalance::darp_refine(probs, Eigen::Vector2d(4, 0), o), Contains("target[1] is 0"));
  // float pseudo-labels and a column-major input work and agree with double
  const Eigen::MatrixXf as_float = probs.cast<float>();
  const auto rf = imbalance::darp_refine(as_float, Eigen::Vector2f(2.5f, 1.5f), o);
  const auto rd = imbalance::darp_refine(as_float.cast<double>(), Eigen::Vector2d(2.5, 1.5), o);
  CHECK(darp_max_abs(rf.refined, rd.refined) == 0.0);
}
