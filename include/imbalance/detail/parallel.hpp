#pragma once
/// @file
/// Deterministic parallel loops. The work [0, n) is cut into chunks of a fixed size that depends on
/// n and the caller's grain only, never on the number of threads; chunks run on OpenMP threads when
/// the consumer compiles with OpenMP (-fopenmp) and one after another otherwise. A reduction adds
/// the chunks' partial results in chunk order, so results are bit-identical for every thread count.
///
/// Exceptions thrown by a chunk are caught (an exception escaping an OpenMP region terminates the
/// program) and the one of the lowest failing chunk is rethrown on the calling thread, so the error
/// reported does not depend on the thread count either.

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <vector>

#include "imbalance/core/eigen.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace imbalance::detail {

/// Threads a parallel loop may use here: 1 without OpenMP or inside an enclosing parallel region.
inline int available_threads() noexcept {
#if defined(_OPENMP)
  return omp_in_parallel() ? 1 : omp_get_max_threads();
#else
  return 1;
#endif
}

/// Number of chunks of `grain` items covering [0, n).
inline Eigen::Index chunk_count(Eigen::Index n, Eigen::Index grain) noexcept {
  return n <= 0 ? 0 : (n + grain - 1) / grain;
}

/// Calls body(chunk, begin, end) for every chunk of `grain` items of [0, n), in parallel when
/// OpenMP is on. `body` must only write state owned by its chunk.
template <class Body>
void parallel_chunks(Eigen::Index n, Eigen::Index grain, Body&& body) {
  if (grain < 1) grain = 1;
  const Eigen::Index chunks = chunk_count(n, grain);
  auto run = [&](Eigen::Index c) { body(c, c * grain, std::min(n, (c + 1) * grain)); };
  if (chunks <= 1 || available_threads() <= 1) {
    for (Eigen::Index c = 0; c < chunks; ++c) run(c);
    return;
  }
#if defined(_OPENMP)
  std::exception_ptr first_error;
  Eigen::Index first_failed = chunks;
#pragma omp parallel for schedule(dynamic, 1)
  for (Eigen::Index c = 0; c < chunks; ++c) {
    Eigen::Index failed;
#pragma omp atomic read
    failed = first_failed;
    if (failed < c) continue;  // a lower chunk failed: its error is the one reported
    try {
      run(c);
    } catch (...) {
#pragma omp critical(imbalance_parallel_error)
      if (c < first_failed) {
        first_error = std::current_exception();
#pragma omp atomic write
        first_failed = c;
      }
    }
  }
  if (first_error) std::rethrow_exception(first_error);
#endif
}

/// Rows per chunk of a row kernel over `columns` columns: at least `min_elements` elements (a thread
/// costs more than it saves below that), rounded up to whole blocks of `block_rows`.
inline Eigen::Index rows_per_chunk(Eigen::Index columns, Eigen::Index min_elements, Eigen::Index block_rows) noexcept {
  const Eigen::Index rows = std::max<Eigen::Index>(1, min_elements / std::max<Eigen::Index>(columns, 1));
  return chunk_count(rows, block_rows) * block_rows;
}

/// Most chunks a reduction uses: its partial sums live on the stack (no allocation in a loss).
constexpr Eigen::Index kMaxReductionChunks = 64;

/// Sum of partial(begin, end) (a double) over chunks of [0, n) of at least `min_grain` items (more
/// when n needs over kMaxReductionChunks chunks), added in chunk order.
template <class Partial>
double parallel_sum(Eigen::Index n, Eigen::Index min_grain, Partial&& partial) {
  const Eigen::Index grain = std::max({min_grain, Eigen::Index{1}, chunk_count(n, kMaxReductionChunks)});
  std::array<double, kMaxReductionChunks> partials{};
  parallel_chunks(n, grain, [&](Eigen::Index c, Eigen::Index begin, Eigen::Index end) {
    partials[static_cast<std::size_t>(c)] = partial(begin, end);
  });
  double total = 0;
  for (Eigen::Index c = 0; c < chunk_count(n, grain); ++c) total += partials[static_cast<std::size_t>(c)];
  return total;
}

}  // namespace imbalance::detail
