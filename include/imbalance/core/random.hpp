#pragma once
/// @file
/// Portable random draws. The standard engines are fully specified, but the algorithms of
/// std::uniform_*_distribution, std::normal_distribution and std::shuffle are implementation-defined
/// ([rand.dist.general]), so the same seed gives different numbers with libstdc++ and libc++. Every
/// random routine of the library draws through these helpers from a 64-bit engine's raw output
/// instead, so a seed gives the same bits everywhere.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>

#include "imbalance/core/error.hpp"

namespace imbalance {

/// The library's default engine; any engine producing full 64-bit words can be passed instead.
using Rng = std::mt19937_64;

namespace detail {
template <class Engine>
constexpr void check_engine() {
  static_assert(Engine::min() == 0 && Engine::max() == std::numeric_limits<std::uint64_t>::max(),
                "imbalance: random helpers need an engine returning uniform 64-bit words (e.g. std::mt19937_64)");
}
}  // namespace detail

/// Uniform double in [0, 1): the top 53 bits of one engine word times 2^-53.
template <class Engine>
double uniform01(Engine& engine) {
  detail::check_engine<Engine>();
  return static_cast<double>(static_cast<std::uint64_t>(engine()) >> 11) * 0x1.0p-53;
}

/// Uniform double in [low, high).
template <class Engine>
double uniform_real(Engine& engine, double low, double high) {
  return low + (high - low) * uniform01(engine);
}

/// Unbiased uniform integer in [0, bound): rejection of the (2^64 mod bound) lowest words, then modulo.
/// @throws imbalance::invalid_argument if bound == 0.
template <class Engine>
std::uint64_t uniform_index(Engine& engine, std::uint64_t bound) {
  detail::check_engine<Engine>();
  if (bound == 0) detail::throw_invalid("uniform_index(): bound must be > 0 (got 0)");
  const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    const std::uint64_t word = engine();
    if (word >= threshold) return word % bound;
  }
}

/// Standard normal draw by the Box-Muller transform (one pair of words per draw, the cosine branch;
/// the sine branch is discarded so that no hidden state is kept between calls).
template <class Engine>
double standard_normal(Engine& engine) {
  const double u1 = 1.0 - uniform01(engine);  // (0, 1]: log is finite
  const double u2 = uniform01(engine);
  constexpr double two_pi = 6.283185307179586476925286766559;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

/// Fisher-Yates shuffle of [first, last) with uniform_index (std::shuffle is not portable).
template <class RandomIt, class Engine>
void shuffle(RandomIt first, RandomIt last, Engine& engine) {
  const auto n = static_cast<std::uint64_t>(last - first);
  for (std::uint64_t i = n; i > 1; --i) {
    const std::uint64_t j = uniform_index(engine, i);
    using std::swap;
    swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
  }
}

}  // namespace imbalance
