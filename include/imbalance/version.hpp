#pragma once
/// @file
/// The library version. CMake reads the three macros below, so this is the single source of truth.

/// Major version.
#define IMBALANCE_VERSION_MAJOR 0
/// Minor version.
#define IMBALANCE_VERSION_MINOR 1
/// Patch version.
#define IMBALANCE_VERSION_PATCH 0

/// The version as one number: major * 10000 + minor * 100 + patch.
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
  /// Major version.
  static constexpr int major = IMBALANCE_VERSION_MAJOR;
  /// Minor version.
  static constexpr int minor = IMBALANCE_VERSION_MINOR;
  /// Patch version.
  static constexpr int patch = IMBALANCE_VERSION_PATCH;
  /// "major.minor.patch"
  static constexpr const char* string = IMBALANCE_VERSION_STRING;
};

}  // namespace imbalance
