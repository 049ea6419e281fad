#pragma once
/// @file
/// Stratified splits of labelled samples, seeded (same seed, same split on every platform).
///  - stratified_folds: K-fold assignment. Each class's samples are shuffled and dealt to folds
///    0, 1, ..., K-1, 0, ..., the next class continuing where the previous one stopped, so every
///    fold holds each class's samples to within one and fold sizes differ by at most one
///    (with fewer samples than folds, some folds are empty).
///  - stratified_split: a train/validation split holding out round(f n_c) samples of every class
///    c (half rounded up), but never all of them: a class keeps at least one training sample, and
///    a class of at least two samples gives at least one to validation when f > 0. Indices come
///    out in increasing order.
///  - fold_indices: the training and validation rows of one fold of an assignment.

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// Fold of every sample (0 .. folds-1).
template <class Engine>
std::vector<int> stratified_folds(const Eigen::VectorXi& classes, int folds, Engine& rng) {
  if (folds < 2) detail::throw_invalid("stratified_folds(): folds must be >= 2 (got ", folds, ")");
  std::vector<int> fold(static_cast<std::size_t>(classes.size()), 0);
  std::map<int, std::vector<Eigen::Index>> members;
  for (Eigen::Index i = 0; i < classes.size(); ++i) members[classes(i)].push_back(i);
  int next = 0;
  for (auto& entry : members) {
    shuffle(entry.second.begin(), entry.second.end(), rng);
    for (Eigen::Index i : entry.second) {
      fold[static_cast<std::size_t>(i)] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/// Stratified splits of labelled samples, seeded (same seed, same split on every platform). See imbalance/model_selection/stratified_split.hpp.
struct TrainValidationIndices {
  std::vector<Eigen::Index> train;  ///< row indices of the training part
  std::vector<Eigen::Index> validation;  ///< row indices of the validation part
};

/// The rows of fold `fold` (validation) and of every other fold (train).
inline TrainValidationIndices fold_indices(const std::vector<int>& assignment, int fold) {
  TrainValidationIndices split;
  for (std::size_t i = 0; i < assignment.size(); ++i)
    (assignment[i] == fold ? split.validation : split.train).push_back(static_cast<Eigen::Index>(i));
  return split;
}

/// A stratified train/validation split holding out `validation_fraction` of every class.
template <class Engine>
TrainValidationIndices stratified_split(const Eigen::VectorXi& classes, double validation_fraction, Engine& rng) {
  const char* function = "stratified_split()";
  if (!(validation_fraction >= 0 && validation_fraction < 1))
    detail::throw_invalid(function, ": validation_fraction must lie in [0, 1) (got ", validation_fraction, ")");
  check_non_empty(function, "classes", classes.size());
  std::map<int, std::vector<Eigen::Index>> members;
  for (Eigen::Index i = 0; i < classes.size(); ++i) members[classes(i)].push_back(i);
  TrainValidationIndices split;
  for (auto& entry : members) {
    auto& rows = entry.second;
    shuffle(rows.begin(), rows.end(), rng);
    const auto n = static_cast<double>(rows.size());
    auto held = static_cast<std::size_t>(std::floor(validation_fraction * n + 0.5));
    if (validation_fraction > 0 && rows.size() >= 2) held = std::max<std::size_t>(held, 1);
    held = std::min(held, rows.size() - 1);
    split.validation.insert(split.validation.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(held));
    split.train.insert(split.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(held), rows.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

/// Rows of a matrix (or entries of a vector) in the given order.
template <class Derived>
Eigen::Matrix<typename Derived::Scalar, Eigen::Dynamic, Derived::ColsAtCompileTime == 1 ? 1 : Eigen::Dynamic>
select_rows(const Eigen::DenseBase<Derived>& data, const std::vector<Eigen::Index>& rows) {
  Eigen::Matrix<typename Derived::Scalar, Eigen::Dynamic, Derived::ColsAtCompileTime == 1 ? 1 : Eigen::Dynamic> out(
      static_cast<Eigen::Index>(rows.size()), data.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r] < 0 || rows[r] >= data.rows())
      detail::throw_out_of_range("select_rows(): row ", rows[r], " is out of range [0, ", data.rows(), ")");
    out.row(static_cast<Eigen::Index>(r)) = data.derived().row(rows[r]);
  }
  return out;
}

}  // namespace imbalance
