#pragma once
// Helpers for the second wave of losses (losses_wave2.json and losses_wave2_extra.json): the cases
// of one loss, and central finite differences of any value function.

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <imbalance/core/eigen.hpp>

#include "support/loss_checks.hpp"
#include "support/reference.hpp"

namespace test_support {

// The cases of `file` whose "loss" is `name` (at least one, or the test fails).
inline std::vector<nlohmann::json> cases_of(const std::string& file, const std::string& name) {
  static std::map<std::string, nlohmann::json> loaded;
  auto found = loaded.find(file);
  if (found == loaded.end()) found = loaded.emplace(file, load_json(file)).first;
  std::vector<nlohmann::json> out;
  for (const auto& c : found->second.at("cases"))
    if (c.at("loss") == name) out.push_back(c);
  REQUIRE(!out.empty());
  return out;
}

// Central differences of value(x) at x (any shape), compared with grad: max abs error, scaled by
// max(1, max |grad|).
inline double finite_difference_error(const std::function<double(const RowMatrixXd&)>& value, RowMatrixXd x,
                                      const RowMatrixXd& grad, double step = 1e-6) {
  double worst = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double original = x(i, j);
      const double h = step * std::max(1.0, std::abs(original));
      x(i, j) = original + h;
      const double plus = value(x);
      x(i, j) = original - h;
      const double minus = value(x);
      x(i, j) = original;
      worst = std::max(worst, std::abs((plus - minus) / (2 * h) - grad(i, j)));
    }
  return worst / std::max(1.0, grad.cwiseAbs().maxCoeff());
}

// Random logits N(0, scale^2) (row-major) and labels in [0, K).
inline RowMatrixXd random_logits(Eigen::Index n, Eigen::Index k, std::uint64_t seed, double scale = 2.0) {
  imbalance::Rng rng(seed);
  RowMatrixXd z(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) z(i, j) = scale * imbalance::standard_normal(rng);
  return z;
}
inline Eigen::VectorXi random_labels(Eigen::Index n, Eigen::Index k, std::uint64_t seed) {
  imbalance::Rng rng(seed);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = static_cast<int>(imbalance::uniform_index(rng, static_cast<std::uint64_t>(k)));
  return y;
}
inline Eigen::VectorXd random_weights(Eigen::Index n, std::uint64_t seed) {
  imbalance::Rng rng(seed);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) w(i) = 2.0 * imbalance::uniform01(rng);
  return w;
}

// A case of losses_wave2_extra.json with per-sample weights: value_and_gradient(z, y, grad, s) and
// value(z, y, s) to 1e-10 in double (both storage orders) and 1e-5 in float.
template <class Loss>
void check_weighted_case(const nlohmann::json& c, const Loss& loss) {
  INFO("case " << c.at("name").get<std::string>());
  const Eigen::MatrixXd z = to_matrix(c.at("logits"));
  const Eigen::VectorXi y = to_labels(c.at("labels"));
  const Eigen::VectorXd s = to_vector(c.at("sample_weights"));
  const double expected = c.at("value");
  const Eigen::MatrixXd expected_grad = to_matrix(c.at("gradient"));
  Eigen::MatrixXd grad;
  CHECK(relative_error(loss.value_and_gradient(z, y, grad, s), expected) <= 1e-10);
  CHECK(relative_error(grad, expected_grad) <= 1e-10);
  RowMatrixXd row_grad;
  CHECK(relative_error(loss.value_and_gradient(RowMatrixXd(z), y, row_grad, s), expected) <= 1e-10);
  CHECK(relative_error(row_grad, expected_grad) <= 1e-10);
  CHECK(relative_error(loss.value(z, y, s), expected) <= 1e-10);
  RowMatrixXf grad_float;
  const Eigen::VectorXf s_float = s.cast<float>();
  CHECK(relative_error(loss.value_and_gradient(z.cast<float>(), y, grad_float, s_float), expected) <= 1e-5);
  CHECK(relative_error(grad_float, expected_grad) <= 1e-5);
}

// A multi-label case (multi-hot "targets"), with sample weights when the case has them.
template <class Loss>
void check_multi_label_case(const nlohmann::json& c, const Loss& loss) {
  INFO("case " << c.at("name").get<std::string>());
  const Eigen::MatrixXd z = to_matrix(c.at("logits"));
  const Eigen::MatrixXd t = to_matrix(c.at("targets"));
  const double expected = c.at("value");
  const Eigen::MatrixXd expected_grad = to_matrix(c.at("gradient"));
  Eigen::MatrixXd grad;
  RowMatrixXf grad_float;
  if (c.contains("sample_weights")) {
    const Eigen::VectorXd s = to_vector(c.at("sample_weights"));
    CHECK(relative_error(loss.value_and_gradient_multi_label(z, t, grad, s), expected) <= 1e-10);
    CHECK(relative_error(loss.value_and_gradient_multi_label(z.cast<float>(), t, grad_float, s), expected) <= 1e-5);
  } else {
    CHECK(relative_error(loss.value_and_gradient_multi_label(z, t, grad), expected) <= 1e-10);
    CHECK(relative_error(loss.value_multi_label(z, t), expected) <= 1e-10);
    CHECK(relative_error(loss.value_and_gradient_multi_label(z.cast<float>(), t, grad_float), expected) <= 1e-5);
  }
  CHECK(relative_error(grad, expected_grad) <= 1e-10);
  CHECK(relative_error(grad_float, expected_grad) <= 1e-5);
}

}  // namespace test_support
