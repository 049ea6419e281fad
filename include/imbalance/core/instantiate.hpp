#pragma once
/// @file
/// Header-only by default; a compiled target on request (fmt's model). IMBALANCE_EXTERN_TEMPLATE(
/// declaration) follows each heavy template of the library with its fixed arguments (the training
/// loop per scalar, the heads, AnyLoss over every built-in loss, the resampler registry):
///  - header-only (nothing defined): expands to nothing, every program compiles what it uses;
///  - IMBALANCE_COMPILED (set by linking the CMake target imbalance::compiled): an explicit
///    instantiation declaration, `extern template ...;`, so a program's files do not compile them;
///  - IMBALANCE_COMPILED_SOURCE (the sources of imbalance::compiled only): the explicit
///    instantiation definitions, `template ...;`.
/// The compiled library and its users must agree on Eigen's alignment (set by -march): a user built
/// for another vector width would free memory Eigen allocated with another alignment. The check
/// below turns that mismatch into a link error naming the alignment instead of a crash.

#include "imbalance/core/eigen.hpp"

#if defined(IMBALANCE_COMPILED_SOURCE)
/// An explicit instantiation definition (in imbalance::compiled).
#define IMBALANCE_EXTERN_TEMPLATE(...) template __VA_ARGS__;
#elif defined(IMBALANCE_COMPILED)
/// An explicit instantiation declaration (a program linking imbalance::compiled).
#define IMBALANCE_EXTERN_TEMPLATE(...) extern template __VA_ARGS__;
#else
/// Nothing (header-only).
#define IMBALANCE_EXTERN_TEMPLATE(...)
#endif

/// Non-template functions follow fmt's FMT_FUNC: declared in the header, defined there (inline)
/// when IMBALANCE_HEADER_DEFINITIONS is 1, else only in imbalance::compiled (IMBALANCE_FUNC empty).
/// IMBALANCE_CHECK_DEFINITIONS (with IMBALANCE_COMPILED; the header self-containment check only):
/// the definitions are parsed too, as inline functions, while the fixed instantiations stay extern.
#if defined(IMBALANCE_COMPILED) && !defined(IMBALANCE_COMPILED_SOURCE) && !defined(IMBALANCE_CHECK_DEFINITIONS)
/// 0: the non-template definitions are in imbalance::compiled.
#define IMBALANCE_HEADER_DEFINITIONS 0
#else
/// 1: the headers define the non-template functions.
#define IMBALANCE_HEADER_DEFINITIONS 1
#endif
#if defined(IMBALANCE_COMPILED_SOURCE) || (defined(IMBALANCE_COMPILED) && !defined(IMBALANCE_CHECK_DEFINITIONS))
/// Empty: one definition, in imbalance::compiled.
#define IMBALANCE_FUNC
#else
/// inline: defined in every file that includes the header.
#define IMBALANCE_FUNC inline
#endif

#define IMBALANCE_DETAIL_CAT2(a, b) a##b
#define IMBALANCE_DETAIL_CAT(a, b) IMBALANCE_DETAIL_CAT2(a, b)

#if defined(IMBALANCE_COMPILED_SOURCE) || defined(IMBALANCE_COMPILED)
namespace imbalance::abi {
/// Defined by imbalance::compiled for the Eigen alignment (bytes) it was built with.
extern const int IMBALANCE_DETAIL_CAT(compiled_with_eigen_max_align_bytes_, EIGEN_MAX_ALIGN_BYTES);
#if defined(IMBALANCE_COMPILED) && !defined(IMBALANCE_COMPILED_SOURCE)
// A use of the symbol: an unresolved reference at link time when the alignments differ.
inline const int* const compiled_abi_check =
    &IMBALANCE_DETAIL_CAT(compiled_with_eigen_max_align_bytes_, EIGEN_MAX_ALIGN_BYTES);
#endif
}  // namespace imbalance::abi
#endif
