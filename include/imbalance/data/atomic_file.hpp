#pragma once
/// @file
/// A file written in full or not at all.
///
/// Writing straight to the destination truncates it first, so a failed write (disk full, a killed
/// process, an exception half-way) destroys what was there and leaves half a row, and writing the
/// input file over itself loses the input. AtomicFile writes to a new temporary file in the
/// destination's directory; commit() flushes and closes it, checks for errors and renames it over
/// the destination (atomic on POSIX file systems), keeping an existing destination's permissions.
/// Destroyed without commit, it removes the temporary file and leaves the destination untouched.
/// The temporary file is created by the constructor, so a path that cannot be written fails before
/// any long computation.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include "imbalance/core/error.hpp"

namespace imbalance {

/// A file written in full or not at all. See imbalance/data/atomic_file.hpp.
class AtomicFile {
 public:
  /// Creates the temporary file beside `path`.
  /// @throws imbalance::invalid_argument if path is empty, a directory, or its directory cannot be written.
  explicit AtomicFile(std::string path) : path_(std::move(path)) {
    namespace fs = std::filesystem;
    const char* function = "AtomicFile::AtomicFile()";
    if (path_.empty()) detail::throw_invalid(function, ": the output path is empty");
    std::error_code error;
    if (fs::is_directory(path_, error)) detail::throw_invalid(function, ": '", path_, "' is a directory");
    std::random_device entropy;
    for (int attempt = 0; attempt < 16 && temporary_.empty(); ++attempt) {
      const std::uint64_t tag = (static_cast<std::uint64_t>(entropy()) << 32) ^ entropy();
      std::string candidate = path_ + ".tmp-" + std::to_string(tag);
      if (!fs::exists(candidate, error)) temporary_ = std::move(candidate);
    }
    if (temporary_.empty()) detail::throw_invalid(function, ": no free temporary name beside '", path_, "'");
    stream_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!stream_) {
      temporary_.clear();
      detail::throw_invalid(function, ": cannot write '", path_, "' (its directory is missing or not writable)");
    }
  }

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  ~AtomicFile() {
    if (temporary_.empty()) return;
    stream_.close();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }

  /// Where the content goes.
  std::ostream& stream() noexcept { return stream_; }
  /// The destination path.
  const std::string& path() const noexcept { return path_; }

  /// Replaces the destination with what was written.
  /// @throws std::runtime_error if writing, closing or renaming failed (the destination is untouched).
  void commit() {
    namespace fs = std::filesystem;
    if (temporary_.empty()) throw std::runtime_error("AtomicFile::commit(): '" + path_ + "' was already committed");
    stream_.flush();
    const bool written = static_cast<bool>(stream_);
    stream_.close();
    if (!written || stream_.fail())
      throw std::runtime_error("AtomicFile::commit(): writing '" + path_ + "' failed (disk full?); it is unchanged");
    std::error_code error;
    const fs::file_status existing = fs::status(path_, error);
    if (!error && fs::exists(existing)) fs::permissions(temporary_, existing.permissions(), error);
    fs::rename(temporary_, path_, error);
    if (error)
      throw std::runtime_error("AtomicFile::commit(): cannot replace '" + path_ + "': " + error.message());
    temporary_.clear();
  }

 private:
  std::string path_, temporary_;
  std::ofstream stream_;
};

}  // namespace imbalance
