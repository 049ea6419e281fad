#pragma once
/// @file
/// A per-class parameter vector kept in double and float, so that const loss calls on either
/// scalar type read it without converting (and without allocating).

#include <type_traits>

#include "imbalance/core/eigen.hpp"

namespace imbalance::detail {

class ClassVector {
 public:
  ClassVector() = default;
  explicit ClassVector(const Eigen::VectorXd& values)
      : double_(values.transpose().array()), float_(values.transpose().array().cast<float>()) {}

  bool empty() const noexcept { return double_.size() == 0; }
  Eigen::Index size() const noexcept { return double_.size(); }
  Eigen::VectorXd to_vector() const { return double_.transpose().matrix(); }

  template <class Scalar>
  const Eigen::Array<Scalar, 1, Eigen::Dynamic>& get() const noexcept {
    static_assert(std::is_same<Scalar, double>::value || std::is_same<Scalar, float>::value,
                  "imbalance: losses support float and double logits");
    if constexpr (std::is_same<Scalar, double>::value)
      return double_;
    else
      return float_;
  }

 private:
  Eigen::Array<double, 1, Eigen::Dynamic> double_;
  Eigen::Array<float, 1, Eigen::Dynamic> float_;
};

}  // namespace imbalance::detail
