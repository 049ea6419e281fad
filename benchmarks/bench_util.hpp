#pragma once
// Timing helpers shared by the benchmarks: best-of-R wall time of a callable, in nanoseconds.

#include <algorithm>
#include <chrono>
#include <limits>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace bench {

template <class F>
double best_ns(F&& f, int repeats) {
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const auto stop = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(stop - start).count());
  }
  return best;
}

// Threads of the library's parallel loops from here on (no effect without OpenMP).
inline void set_threads(int threads) {
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

// Keeps a value alive so the optimiser cannot drop the work that produced it.
template <class T>
void do_not_optimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

}  // namespace bench
