#pragma once
/// @file
/// Eigen as the library includes it: every header of the library takes <Eigen/Core> (and Eigen's
/// other modules) through this file, so that one known compiler false positive is silenced where
/// it arises and nowhere else.
///
/// GCC 12 warns "'__Y' may be used uninitialized" (-Wmaybe-uninitialized, and -Wuninitialized)
/// inside its own AVX/AVX-512 intrinsics (the `__m512d __Y = __Y;` of _mm512_undefined_pd, reached
/// through Eigen's packet reductions and matrix-vector products) whenever -march selects AVX-512
/// (x86-64-v4, -march=native on most Xeons since 2017 and AMD Zen 4): GCC bug 105593, fixed in
/// GCC 13. The warning is reported through the inlining stack, so a diagnostic pragma around the
/// inclusion of Eigen covers every kernel Eigen instantiates, while the library's and the user's own
/// code keep the warning. The pragma applies only where Eigen is first included through the
/// library (a program that includes <Eigen/Core> before any imbalance header gets Eigen's warnings
/// as Eigen gives them), and GCC 12 does not keep diagnostic pragmas in a precompiled header (do not
/// precompile this file with GCC 12 in an AVX-512 build with -Werror; the project's tests do not).
/// Other compilers and GCC versions see Eigen unchanged.

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
/// Opens the region in which Eigen is included (GCC 12: its AVX-512 false positives ignored).
#define IMBALANCE_EIGEN_INCLUDE_BEGIN                                   \
  _Pragma("GCC diagnostic push")                                        \
  _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")           \
  _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")
/// Closes the region opened by IMBALANCE_EIGEN_INCLUDE_BEGIN.
#define IMBALANCE_EIGEN_INCLUDE_END _Pragma("GCC diagnostic pop")
#else
#define IMBALANCE_EIGEN_INCLUDE_BEGIN
#define IMBALANCE_EIGEN_INCLUDE_END
#endif

IMBALANCE_EIGEN_INCLUDE_BEGIN
#include <Eigen/Core>
IMBALANCE_EIGEN_INCLUDE_END
