#pragma once
/// @file
/// The resamplers' toolkit (internal): input validation, rows per class, the plan's size checks,
/// synthetic rows written after the originals, selections of kept rows.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/sampling/resampled.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"

namespace imbalance {

namespace detail {

/// Validates X (N x d, finite, floating point) and y (N integer labels, at least two classes) and
/// returns the row indices of each class, in original order.
template <class DX, class DY>
std::map<int, std::vector<Eigen::Index>> class_rows(const char* function, const Eigen::DenseBase<DX>& X,
                                                    const Eigen::DenseBase<DY>& y) {
  static_assert(std::is_floating_point<typename DX::Scalar>::value, "imbalance: X must be float or double");
  static_assert(std::is_integral<typename DY::Scalar>::value, "imbalance: y must be an integer vector");
  check_non_empty(function, "X", X.rows());
  check_same_length(function, "y", y.size(), "X", X.rows());
  check_finite(function, "X", X);
  std::map<int, std::vector<Eigen::Index>> rows;
  for (Eigen::Index i = 0; i < y.size(); ++i) rows[static_cast<int>(y.derived().coeff(i))].push_back(i);
  if (rows.size() < 2)
    throw_invalid(function, ": y must contain at least 2 classes (got ", rows.size(), ": only class ",
                  class_name(rows.begin()->first), ")");
  return rows;
}

inline ClassMap counts_of(const std::map<int, std::vector<Eigen::Index>>& rows) {
  ClassMap counts;
  for (const auto& [label, list] : rows) counts[label] = static_cast<Eigen::Index>(list.size());
  return counts;
}

/// Samples added (> 0) or removed (< 0) per class from labels `before` to labels `after`.
template <class DB, class DA>
std::map<int, Eigen::Index> change_per_class(const Eigen::DenseBase<DB>& before, const Eigen::DenseBase<DA>& after) {
  const ClassMap counts_before = count_classes(before), counts_after = count_classes(after);
  std::map<int, Eigen::Index> change;
  for (const auto& [label, n] : counts_before) {
    const auto found = counts_after.find(label);
    const Eigen::Index now = found == counts_after.end() ? 0 : found->second;
    if (now != n) change[label] = now - n;
  }
  return change;
}

/// dest = x_base + step (x_neighbor - x_base), or (1 - step) x_base + step x_neighbor where the
/// first form overflows (the convex form cannot). One definition for every writer of SMOTE rows, so
/// they give the same bits (the streamed SMOTE's equals the in-memory one's).
template <class Dest, class DX>
void interpolate_row(Dest&& dest, const Eigen::DenseBase<DX>& X, Eigen::Index base, Eigen::Index neighbor, double step) {
  using S = typename DX::Scalar;
  const S u = static_cast<S>(step);
  dest = X.derived().row(base) + u * (X.derived().row(neighbor) - X.derived().row(base));
  if (!dest.allFinite()) dest = (S(1) - u) * X.derived().row(base) + u * X.derived().row(neighbor);
}

/// Writes the synthetic row x_base + step (x_neighbor - x_base) of class `label` at out row `row`
/// (after the X.rows() originals, see originals_with_room) and records its base and neighbour (the
/// SMOTE family's one way of making a sample). Different rows may be written concurrently. Where the
/// difference overflows (coordinates of opposite sign near the type's limit), the same point is
/// computed as (1 - step) x_base + step x_neighbor, which cannot.
template <class Out, class DX>
void write_synthetic(Out& out, Eigen::Index row, const Eigen::DenseBase<DX>& X, Eigen::Index base,
                     Eigen::Index neighbor, double step, int label) {
  interpolate_row(out.X.row(row), X, base, neighbor, step);
  out.y(row) = label;
  const auto slot = static_cast<std::size_t>(row - X.rows());
  out.synthetic_base[slot] = base;
  out.synthetic_neighbor[slot] = neighbor;
}

/// imbalanced-learn's "class_minority": the smallest class, ties broken by first appearance in y.
inline int first_minority(const std::map<int, std::vector<Eigen::Index>>& rows) {
  int minority = rows.begin()->first;
  for (const auto& [label, members] : rows) {
    const auto& best = rows.at(minority);
    if (members.size() < best.size() || (members.size() == best.size() && members.front() < best.front()))
      minority = label;
  }
  return minority;
}

/// The rows `rows` of X as a row-major double matrix.
template <class DX>
Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> gather_rows(const Eigen::DenseBase<DX>& X, const std::vector<Eigen::Index>& rows,
                                     std::size_t begin = 0, std::size_t end = std::size_t(-1)) {
  end = std::min(end, rows.size());
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out(static_cast<Eigen::Index>(end - begin), X.cols());
  for (std::size_t r = begin; r < end; ++r)
    out.row(static_cast<Eigen::Index>(r - begin)) = X.derived().row(rows[r]).template cast<double>();
  return out;
}

/// The engine overload of a resampler that draws nothing (the cleaners): fit_resample(X, y, rng)
/// is fit_resample(X, y), so that every resampler can be called the same way.
template <class Resampler>
class DeterministicResampler {
 public:
  template <class DX, class DY, class Engine>
  auto fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y, Engine&) const {
    return static_cast<const Resampler&>(*this).fit_resample(X, y);
  }
};

/// Copies the rows `keep` of X and y, in the given order.
template <class DX, class DY>
Resampled<ResampledMatrix<DX>> select_rows(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                           std::vector<Eigen::Index> keep) {
  Resampled<ResampledMatrix<DX>> out;
  out.X.resize(static_cast<Eigen::Index>(keep.size()), X.cols());
  out.y.resize(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t r = 0; r < keep.size(); ++r) {
    out.X.row(static_cast<Eigen::Index>(r)) = X.derived().row(keep[r]);
    out.y(static_cast<Eigen::Index>(r)) = static_cast<int>(y.derived().coeff(keep[r]));
  }
  out.change_per_class = change_per_class(y, out.y);
  out.sample_indices = std::move(keep);
  return out;
}

/// The number of synthetic rows a plan adds (its positive entries), checked for overflow.
inline Eigen::Index planned_rows(const char* function, const ClassMap& plan) {
  Eigen::Index extra = 0;
  for (const auto& entry : plan)
    if (entry.second > 0) extra = checked_add(function, "the number of samples to generate", extra, entry.second);
  return extra;
}

/// Refuses, before any work, a plan whose output (X's rows plus the planned ones) overflows or
/// cannot be addressed.
template <class DX>
void check_plan_size(const char* function, const Eigen::DenseBase<DX>& X, const ClassMap& plan) {
  const Eigen::Index total = checked_add(function, "the number of output rows", X.rows(), planned_rows(function, plan));
  check_allocatable(function, "the resampled data", total, X.cols() + 1, sizeof(typename DX::Scalar));
}

/// Starts an over-sampled output: the originals, with room for `extra` synthetic rows (and their
/// base/neighbour records when `records_pairs`). A size that overflows or cannot be allocated is
/// refused with a message, before any work.
template <class DX, class DY>
Resampled<ResampledMatrix<DX>> originals_with_room(const char* function, const Eigen::DenseBase<DX>& X,
                                                   const Eigen::DenseBase<DY>& y, Eigen::Index extra,
                                                   bool records_pairs) {
  Resampled<ResampledMatrix<DX>> out;
  const Eigen::Index total = checked_add(function, "the number of output rows", X.rows(), extra);
  allocation_guard(function, "the resampled data", total, X.cols() + 1, sizeof(typename DX::Scalar), [&] {
    out.X.resize(total, X.cols());
    out.y.resize(total);
    if (records_pairs) {  // every extra row is synthetic: write_synthetic fills its slot
      out.synthetic_base.resize(static_cast<std::size_t>(extra));
      out.synthetic_neighbor.resize(static_cast<std::size_t>(extra));
    }
  });
  out.X.topRows(X.rows()) = X.derived();
  out.y.head(X.rows()) = y.derived().template cast<int>();
  return out;
}

}  // namespace detail
}  // namespace imbalance
