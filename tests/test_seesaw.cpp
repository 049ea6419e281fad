#include <catch2/catch.hpp>

#include <imbalance/losses/seesaw.hpp>

#include "support/wave2.hpp"

using imbalance::Reduction;
using imbalance::SeesawLoss;
using imbalance::SeesawOptions;
using imbalance::SeesawState;
using Catch::Contains;

namespace {
SeesawLoss seesaw_from_case(const nlohmann::json& c) {
  SeesawOptions o;
  o.p = c.at("options").at("p");
  o.q = c.at("options").at("q");
  o.eps = c.at("options").at("eps");
  o.reduction = test_support::reduction_of(c);
  return SeesawLoss(static_cast<Eigen::Index>(c.at("class_counts").size()), o);
}
double expected_value(const nlohmann::json& c) {
  return c.contains("value") ? c.at("value").get<double>() : test_support::to_vector(c.at("per_sample")).sum();
}
}  // namespace

TEST_CASE("SeesawLoss: reproduces mmdetection's loss and count update, one step at a time", "[losses][seesaw]") {
  for (const auto& c : test_support::cases_of("losses_wave2.json", "seesaw")) {
    INFO("case " << c.at("name").get<std::string>());
    const SeesawLoss loss = seesaw_from_case(c);
    const Eigen::VectorXi y = test_support::to_labels(c.at("labels"));
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::VectorXd before = test_support::to_vector(c.at("options").at("cumulative_counts"));
    const Eigen::VectorXd after = test_support::to_vector(c.at("cumulative_counts_after"));
    SeesawState state(before);
    CHECK(test_support::relative_error(loss.value(z, y, state), expected_value(c)) <= 1e-10);
    CHECK(state.cumulative_counts() == before);  // value() leaves the state alone
    Eigen::MatrixXd grad;
    CHECK(test_support::relative_error(loss.value_and_gradient(z, y, grad, state), expected_value(c)) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    CHECK(state.cumulative_counts() == after);
    SeesawState float_state(before);
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> grad_float;
    CHECK(test_support::relative_error(loss.value_and_gradient(z.cast<float>(), y, grad_float, float_state),
                                       expected_value(c)) <= 1e-5);
    CHECK(test_support::relative_error(grad_float, test_support::to_matrix(c.at("gradient"))) <= 1e-5);
  }
}

TEST_CASE("SeesawLoss: three chained steps from the zero state carry the counts", "[losses][seesaw]") {
  SeesawState state(5);
  int steps = 0;
  for (const auto& c : test_support::cases_of("losses_wave2.json", "seesaw")) {
    if (c.at("name").get<std::string>().find("_from_zero") == std::string::npos) continue;
    INFO("case " << c.at("name").get<std::string>());
    CHECK(state.cumulative_counts() == test_support::to_vector(c.at("options").at("cumulative_counts")));
    Eigen::MatrixXd grad;
    const double value = seesaw_from_case(c).value_and_gradient(test_support::to_matrix(c.at("logits")),
                                                                test_support::to_labels(c.at("labels")), grad, state);
    CHECK(test_support::relative_error(value, expected_value(c)) <= 1e-10);
    ++steps;
  }
  CHECK(steps == 3);
}

TEST_CASE("SeesawLoss: finite differences with the factor held, sample weights, training adapter", "[losses][seesaw]") {
  const test_support::RowMatrixXd z = test_support::random_logits(12, 5, 11, 3.0);
  const Eigen::VectorXi y = test_support::random_labels(12, 5, 12);
  const Eigen::VectorXd s = test_support::random_weights(12, 13);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    SeesawOptions o;
    o.reduction = r;
    const SeesawLoss loss(5, o);
    const SeesawState start((Eigen::VectorXd(5) << 400, 120, 0, 30, 7).finished());
    SeesawState state = start;
    test_support::RowMatrixXd grad;
    const double value = loss.value_and_gradient(z, y, grad, s, state);
    // The seesaw factor is a constant of the step (the official detach): differentiate with the
    // factor frozen at z, i.e. the weighted CE on z + log S(z) with S from z.
    SeesawState frozen_counts = start;
    frozen_counts.add(y);
    auto frozen = [&](const test_support::RowMatrixXd& x) {
      double total = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        Eigen::ArrayXd row = x.row(i).transpose().array();
        const Eigen::ArrayXd original = z.row(i).transpose().array();
        const double lse = std::log((original - original.maxCoeff()).exp().sum()) + original.maxCoeff();
        const double py = std::exp(original(y(i)) - lse);
        for (Eigen::Index j = 0; j < 5; ++j) {
          if (j == y(i)) continue;
          const double cj = std::max(1.0, frozen_counts.cumulative_counts()(j));
          const double cy = std::max(1.0, frozen_counts.cumulative_counts()(y(i)));
          double factor = cj < cy ? std::pow(cj / cy, o.p) : 1.0;
          const double ratio = std::exp(original(j) - lse) / std::max(py, o.eps);
          if (ratio > 1) factor *= std::pow(ratio, o.q);
          row(j) += std::log(factor);
        }
        const double m = row.maxCoeff();
        total += s(i) * (m + std::log((row - m).exp().sum()) - row(y(i)));
      }
      return r == Reduction::Mean ? total / static_cast<double>(x.rows()) : total;
    };
    CHECK(value == Approx(frozen(z)).epsilon(1e-12));
    CHECK(test_support::finite_difference_error(frozen, z, grad) <= 1e-7);
  }
  imbalance::SeesawTrainingLoss adapter(5);
  test_support::RowMatrixXd grad;
  adapter.value_and_gradient(z, y, grad);
  adapter.value_and_gradient(z, y, grad);
  CHECK(adapter.state().cumulative_counts().sum() == 24);
}

TEST_CASE("SeesawLoss: bad input leaves the state unchanged", "[losses][seesaw]") {
  const SeesawLoss loss(3);
  SeesawState state(3);
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 2).finished();
  Eigen::MatrixXd g;
  z(1, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(loss.value_and_gradient(z, y, g, state), Contains("logits(1, 1)"));
  CHECK(state.cumulative_counts().sum() == 0);
  SeesawState wrong(4);
  CHECK_THROWS_WITH(loss.value_and_gradient(Eigen::MatrixXd::Zero(2, 3), y, g, wrong),
                    Contains("state has 4 classes but the loss has 3"));
  SeesawOptions bad;
  bad.eps = 0;
  CHECK_THROWS_WITH(SeesawLoss(3, bad), Contains("eps"));
  CHECK_THROWS_WITH(SeesawState((Eigen::VectorXd(2) << 1, -1).finished()), Contains("cumulative_counts[1]"));
}

TEST_CASE("SeesawLoss: per-sample weights (PyTorch float64 autograd)", "[losses][seesaw]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "seesaw")) {
    const SeesawLoss loss = seesaw_from_case(c);
    SeesawState state(test_support::to_vector(c.at("options").at("cumulative_counts")));
    Eigen::MatrixXd grad;
    const double value = loss.value_and_gradient(test_support::to_matrix(c.at("logits")), test_support::to_labels(c.at("labels")),
                                                 grad, test_support::to_vector(c.at("sample_weights")), state);
    CHECK(test_support::relative_error(value, c.at("value").get<double>()) <= 1e-10);
    CHECK(test_support::relative_error(grad, test_support::to_matrix(c.at("gradient"))) <= 1e-10);
    CHECK(state.cumulative_counts() == test_support::to_vector(c.at("cumulative_counts_after")));
  }
}
