#pragma once
// Loading the reference files in tests/data (copied from the project's shared reference set; see
// tests/data/README.md for their provenance).

#include <fstream>
#include <stdexcept>
#include <string>

#include <imbalance/core/eigen.hpp>
#include <nlohmann/json.hpp>

namespace test_support {

inline nlohmann::json load_json(const std::string& file) {
  const std::string path = std::string(IMBALANCE_TEST_DATA_DIR) + "/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

inline Eigen::MatrixXd to_matrix(const nlohmann::json& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto k = static_cast<Eigen::Index>(rows.at(0).size());
  Eigen::MatrixXd m(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) m(i, j) = rows.at(static_cast<std::size_t>(i)).at(static_cast<std::size_t>(j));
  return m;
}

inline Eigen::VectorXd to_vector(const nlohmann::json& values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = values.at(static_cast<std::size_t>(i));
  return v;
}

inline Eigen::VectorXi to_labels(const nlohmann::json& values) {
  Eigen::VectorXi v(static_cast<Eigen::Index>(values.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = values.at(static_cast<std::size_t>(i)).get<int>();
  return v;
}

// Norm-wise relative error max|a - b| / max|b| (absolute when b is all zero).
template <class A, class B>
double relative_error(const Eigen::DenseBase<A>& a, const Eigen::DenseBase<B>& b) {
  const Eigen::ArrayXXd x = a.derived().template cast<double>().array();
  const Eigen::ArrayXXd y = b.derived().template cast<double>().array();
  const double scale = y.abs().maxCoeff();
  const double diff = (x - y).abs().maxCoeff();
  return scale > 0 ? diff / scale : diff;
}

inline double relative_error(double a, double b) { return b != 0 ? std::abs(a - b) / std::abs(b) : std::abs(a); }

}  // namespace test_support
