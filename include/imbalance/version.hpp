#pragma once
/// @file
/// The library version. CMake reads the three macros below, so this is the single source of truth.

#define IMBALANCE_VERSION_MAJOR 0
#define IMBALANCE_VERSION_MINOR 1
#define IMBALANCE_VERSION_PATCH 0

#define IMBALANCE_VERSION (IMBALANCE_VERSION_MAJOR * 10000 + IMBALANCE_VERSION_MINOR * 100 + IMBALANCE_VERSION_PATCH)

#define IMBALANCE_DETAIL_STRINGIFY_(x) #x
#define IMBALANCE_DETAIL_STRINGIFY(x) IMBALANCE_DETAIL_STRINGIFY_(x)
/// "major.minor.patch", built from the three macros.
#define IMBALANCE_VERSION_STRING                                                                        \
  IMBALANCE_DETAIL_STRINGIFY(IMBALANCE_VERSION_MAJOR) "." IMBALANCE_DETAIL_STRINGIFY(IMBALANCE_VERSION_MINOR) "." \
      IMBALANCE_DETAIL_STRINGIFY(IMBALANCE_VERSION_PATCH)

namespace imbalance {

/// Compile-time version of the headers in use.
struct version {
  static constexpr int major = IMBALANCE_VERSION_MAJOR;
  static constexpr int minor = IMBALANCE_VERSION_MINOR;
  static constexpr int patch = IMBALANCE_VERSION_PATCH;
  /// "major.minor.patch"
  static constexpr const char* string = IMBALANCE_VERSION_STRING;
};

}  // namespace imbalance
