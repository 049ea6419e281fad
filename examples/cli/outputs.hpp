// Output paths that never overwrite the tools' inputs or each other, checked before any work.
// AtomicFile makes each write all-or-nothing; this makes sure a complete write destroys nothing the
// user still needs: `--json train.csv` would replace the training data with JSON, `--json X
// --report X` would keep only the file written last.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <imbalance/core/error.hpp>

#include "inputs.hpp"

namespace cli {

// A file named by an option: `option` is how messages call it.
struct NamedPath {
  std::string option, path;
};

// The path a write to `path` ends at, for comparing outputs that may not exist yet: its existing
// part resolved (symbolic links, '.', '..'), the rest normalised.
inline std::string output_identity(const std::string& path) {
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(path, error);
  return error ? std::filesystem::path(path).lexically_normal().string() : resolved.string();
}

// Whether two paths name one existing file (after links; the same device and inode).
inline bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  const bool same = std::filesystem::equivalent(a, b, error);
  return !error && same;
}

// Whether writes to `path` go to a character device (/dev/null: any number of outputs may share it).
inline bool is_device(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_character_file(path, error);
}

// The input files a pattern names (the paths it matches; the path itself if it matches nothing, so
// that the check never hides the reader's own message).
inline std::vector<std::string> input_files(const std::string& pattern) {
  try {
    return expand(pattern);
  } catch (const imbalance::invalid_argument&) {
    return {pattern};
  }
}

// The first two ranks whose outputs resolve to one file (identities as output_identity gives them;
// an empty identity, a device, is never a collision), or none.
inline std::optional<std::pair<std::size_t, std::size_t>> colliding_ranks(const std::vector<std::string>& identities) {
  for (std::size_t a = 0; a < identities.size(); ++a)
    for (std::size_t b = a + 1; b < identities.size(); ++b)
      if (!identities[a].empty() && identities[a] == identities[b]) return std::make_pair(a, b);
  return std::nullopt;
}

// Refuses, before any work, an output that is one of the inputs (except `in_place`: the one input
// file the output may replace, as imbalance-resample -i data.csv -o data.csv does after reading it
// in full) or that another output also names. Standard output ('-') and character devices are
// never refused.
inline void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs,
                          const std::string& in_place = {}) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& out = outputs[i];
    if (out.path.empty() || out.path == "-" || is_device(out.path)) continue;
    for (const NamedPath& in : inputs)
      for (const std::string& file : input_files(in.path)) {
        if (!same_file(out.path, file)) continue;
        if (!in_place.empty() && same_file(file, in_place)) continue;
        throw imbalance::invalid_argument(fmt::format(
            "{} '{}' is the {} file '{}': writing it would destroy that input; choose another output path",
            out.option, out.path, in.option, file));
      }
    for (std::size_t j = 0; j < i; ++j) {
      const NamedPath& other = outputs[j];
      if (other.path.empty() || other.path == "-") continue;
      if (same_file(out.path, other.path) || output_identity(out.path) == output_identity(other.path))
        throw imbalance::invalid_argument(fmt::format(
            "{} '{}' and {} '{}' are the same file: one would replace the other; give each output its own path",
            other.option, other.path, out.option, out.path));
    }
  }
}

}  // namespace cli
