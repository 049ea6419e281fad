#pragma once
/// @file
/// SMOTE's interpolation between a sample and a same-class neighbour (internal), shared by SMOTE,
/// its variants and the distributed SMOTE; the class-size check of a neighbour search.

#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"

namespace imbalance {

namespace detail {
// Appends n interpolated samples of class `label` at out row `row`: base rows drawn from
// `bases` (indices into `class_rows`), neighbours from `neighbors` (rows aligned with bases, entries
// indices into class_rows). Draw order: all pair indices, then all steps.
template <class Out, class DX, class Engine>
void interpolate(Out& out, Eigen::Index& row, const Eigen::DenseBase<DX>& X, int label,
                 const std::vector<Eigen::Index>& class_rows, const std::vector<Eigen::Index>& bases,
                 const NeighborIndices& neighbors, Eigen::Index n, Engine& rng) {
  const auto k = static_cast<std::uint64_t>(neighbors.cols());
  // Every draw first, in the documented order, then the rows in parallel: the output is the same
  // for every thread count.
  std::vector<std::uint64_t> pairs(static_cast<std::size_t>(n));
  for (auto& p : pairs) p = uniform_index(rng, static_cast<std::uint64_t>(bases.size()) * k);
  std::vector<double> steps(static_cast<std::size_t>(n));
  for (auto& u : steps) u = uniform01(rng);
  const Eigen::Index first = row;
  parallel_chunks(n, 4096, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index s = begin; s < end; ++s) {
      const std::uint64_t p = pairs[static_cast<std::size_t>(s)];
      const Eigen::Index base = class_rows[static_cast<std::size_t>(bases[p / k])];
      const Eigen::Index neighbor = class_rows[static_cast<std::size_t>(
          neighbors(static_cast<Eigen::Index>(p / k), static_cast<Eigen::Index>(p % k)))];
      write_synthetic(out, first + s, X, base, neighbor, steps[static_cast<std::size_t>(s)], label);
    }
  });
  row += n;
}

inline void check_class_size(const char* function, int label, std::size_t size, Eigen::Index k, const char* option) {
  if (static_cast<Eigen::Index>(size) <= k)
    throw_invalid(function, ": class ", class_name(label), " has ", size, " sample", size == 1 ? "" : "s", "; ", option, " = ", k,
                  " needs more than ", k, " samples (the sample itself and its neighbours)");
}
}  // namespace detail
}  // namespace imbalance
