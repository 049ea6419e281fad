#pragma once
// Helpers for the second wave of losses (losses_wave2.json and losses_wave2_extra.json): the cases
// of one loss, and central finite differences of any value function.

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

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

}  // namespace test_support
