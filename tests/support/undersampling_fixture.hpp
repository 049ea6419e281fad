#pragma once
// imbalanced-learn 0.10's kept indices on tests/data/undersampling.json: one call per sampler entry.

#include <functional>
#include <string>
#include <vector>

#include <imbalance/core/eigen.hpp>
#include <nlohmann/json.hpp>

#include "support/reference.hpp"

namespace test_support {

struct UndersamplingCase {
  std::string fixture, method;
  nlohmann::json params;
  Eigen::MatrixXd X;
  Eigen::VectorXi y;
  std::vector<Eigen::Index> expected;  // sorted
};

// Every sampler entry whose method name starts with `prefix`.
inline std::vector<UndersamplingCase> undersampling_cases(const std::string& prefix) {
  static const nlohmann::json reference = load_json("undersampling.json");
  std::vector<UndersamplingCase> cases;
  for (const auto& fixture : reference.at("fixtures"))
    for (const auto& sampler : fixture.at("samplers")) {
      const std::string method = sampler.at("method");
      if (method.rfind(prefix, 0) != 0) continue;
      UndersamplingCase c{fixture.at("name"), method, sampler.at("params"), to_matrix(fixture.at("X")),
                          to_labels(fixture.at("y")), {}};
      for (const auto& i : sampler.at("sample_indices")) c.expected.push_back(i.get<Eigen::Index>());
      cases.push_back(std::move(c));
    }
  return cases;
}

}  // namespace test_support
