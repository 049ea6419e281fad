#pragma once
/// @file
/// A file written in full or not at all, that never replaces what a path points at.
///
/// Writing straight to the destination truncates it first, so a failed write (disk full, a killed
/// process, an exception half-way) destroys what was there and leaves half a row, and writing the
/// input file over itself loses the input. AtomicFile writes to a new temporary file in the
/// destination's directory; commit() flushes and closes it, checks for errors and renames it over
/// the destination (atomic on POSIX file systems), keeping an existing destination's permissions.
/// Destroyed without commit, it removes the temporary file and leaves the destination untouched.
/// The temporary file is created by the constructor, so a path that cannot be written fails before
/// any long computation.
///
/// What the path names decides how it is written:
/// - a regular file, or nothing yet: the atomic replace above;
/// - a symbolic link (a chain of them): the atomic replace of the file it finally points at (created
///   if the link dangles); the link stays a link;
/// - a device, a FIFO or a socket, or a path through /proc (/dev/stdout, /dev/fd/N): written through,
///   as any program writes to it (opened by the constructor: a FIFO's open waits for its reader).
///   A rename would replace the device node itself (as root: /dev/null becomes a regular file).
///
/// A process stopped by a signal runs no destructor: a handler that calls
/// AtomicFile::remove_temporaries() (async-signal-safe) removes the temporaries of every AtomicFile
/// alive at that moment. The library installs no handler (a program owns its signals); the tools do.

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>  // std::remove, where POSIX unlink is not available
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>  // unlink (async-signal-safe, for remove_temporaries) and pathconf (NAME_MAX): files, not terminals
#define IMBALANCE_ATOMIC_FILE_POSIX 1
#endif

#include "imbalance/core/error.hpp"
#include "imbalance/detail/text.hpp"

namespace imbalance {

namespace detail {

/// The temporaries of the live AtomicFiles, for a signal handler: constant-initialised (no code
/// runs before main) and lock-free, so a handler may read them at any point.
inline constexpr int max_registered_temporaries = 256;
inline std::atomic<const char*> registered_temporaries[max_registered_temporaries];

inline bool starts_with_proc(const std::string& path) { return path.rfind("/proc/", 0) == 0; }

}  // namespace detail

/// A file written in full or not at all. See imbalance/data/atomic_file.hpp.
class AtomicFile {
 public:
  /// Opens `path` for writing: a temporary file beside the file `path` names (after its symbolic
  /// links), or the path itself when it is a device, FIFO, socket or /proc link.
  /// @throws imbalance::invalid_argument if path is empty or a directory, if its links loop, or if
  ///         it (or, for a regular file, its directory) cannot be written; the message says why.
  explicit AtomicFile(std::string path) : path_(std::move(path)) {
    namespace fs = std::filesystem;
    const char* function = "AtomicFile::AtomicFile()";
    if (path_.empty()) detail::throw_invalid(function, ": the output path is empty");
    std::error_code error;
    const fs::file_status status = fs::status(path_, error);  // after every link
    if (fs::is_directory(status)) detail::throw_invalid(function, ": '", path_, "' is a directory");
    bool through = fs::exists(status) && !fs::is_regular_file(status);
    const fs::path destination = through ? fs::path(path_) : final_target(path_, through);
    if (through) {
      errno = 0;
      stream_.open(path_, std::ios::binary | std::ios::out);
      if (!stream_) {
        const int cause = errno;
        detail::throw_invalid(function, ": cannot write '", path_, "': ", cause ? std::strerror(cause) : "open failed");
      }
      through_ = true;
      return;
    }
    destination_ = destination.string();
    const std::string name = temporary_name(destination, path_);
    std::random_device entropy;
    for (int attempt = 0; attempt < 16 && temporary_.empty(); ++attempt) {
      const std::uint64_t tag = (static_cast<std::uint64_t>(entropy()) << 32) ^ entropy();
      std::string file = name + ".tmp-";
      detail::append_hex(file, tag, 16);
      std::string candidate = (destination.parent_path() / file).string();
      if (!fs::exists(fs::symlink_status(candidate, error))) temporary_ = std::move(candidate);
    }
    if (temporary_.empty()) detail::throw_invalid(function, ": no free temporary name beside '", path_, "'");
    enroll();
    errno = 0;
    stream_.open(temporary_, std::ios::binary | std::ios::trunc | std::ios::out);
    if (!stream_) {
      const int cause = errno;
      withdraw();
      temporary_.clear();
      const fs::path directory = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
      detail::throw_invalid(function, ": cannot write '", path_, "': ",
                            cause ? std::strerror(cause) : "cannot create a file", " (a new file in '",
                            directory.string(), "')");
    }
  }

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  ~AtomicFile() {
    stream_.close();
    if (temporary_.empty()) return;
    withdraw();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }

  /// Where the content goes.
  std::ostream& stream() noexcept { return stream_; }
  /// The destination path, as given.
  const std::string& path() const noexcept { return path_; }
  /// Whether the path is written through (a device, FIFO, socket or /proc link) rather than replaced.
  bool writes_through() const noexcept { return through_; }

  /// Replaces the destination with what was written (written through: flushes and closes it).
  /// @throws std::runtime_error if writing, closing or renaming failed (a replaced destination is
  ///         then untouched).
  void commit() {
    namespace fs = std::filesystem;
    if (committed_) throw std::runtime_error("AtomicFile::commit(): '" + path_ + "' was already committed");
    stream_.flush();
    const bool written = static_cast<bool>(stream_);
    stream_.close();
    if (!written || stream_.fail()) {
      if (through_) throw std::runtime_error("AtomicFile::commit(): writing '" + path_ + "' failed");
      throw std::runtime_error("AtomicFile::commit(): writing '" + path_ + "' failed (disk full?); it is unchanged");
    }
    committed_ = true;
    if (through_) return;
    std::error_code error;
    const fs::file_status existing = fs::status(destination_, error);
    if (!error && fs::exists(existing)) fs::permissions(temporary_, existing.permissions(), error);
    fs::rename(temporary_, destination_, error);
    if (error)
      throw std::runtime_error("AtomicFile::commit(): cannot replace '" + path_ + "': " + error.message());
    withdraw();
    temporary_.clear();
  }

  /// Removes the temporary file of every AtomicFile alive in the process (at most 256 at a time are
  /// known). Async-signal-safe: for a handler of SIGINT, SIGTERM, SIGHUP or SIGXFSZ, after which
  /// the process ends without destructors.
  static void remove_temporaries() noexcept {
    for (auto& slot : detail::registered_temporaries) {
      const char* path = slot.load(std::memory_order_acquire);
      if (path == nullptr) continue;
#if defined(IMBALANCE_ATOMIC_FILE_POSIX)
      ::unlink(path);
#else
      std::remove(path);
#endif
    }
  }

 private:
  // The file a chain of symbolic links ends at (the path itself when it is no link); `through`
  // becomes true when the chain passes through /proc (a descriptor's link such as /dev/stdout,
  // whose target is no path to rename onto).
  static std::filesystem::path final_target(const std::string& path, bool& through) {
    namespace fs = std::filesystem;
    fs::path current = path;
    for (int hop = 0; hop < 40; ++hop) {
      std::error_code error;
      if (!fs::is_symlink(fs::symlink_status(current, error)) || error) return current;
      if (detail::starts_with_proc(current.string())) {
        through = true;
        return path;
      }
      const fs::path target = fs::read_symlink(current, error);
      if (error) return current;
      // Relative to the link's directory, resolved by the kernel (no lexical '..' folding).
      current = target.is_absolute() ? target : current.parent_path() / target;
      if (detail::starts_with_proc(current.string())) {
        through = true;
        return path;
      }
    }
    detail::throw_invalid("AtomicFile::AtomicFile(): '", path, "': too many levels of symbolic links");
  }

  // The longest file name the destination's directory takes.
  static std::size_t name_limit(const std::filesystem::path& destination) {
#if defined(IMBALANCE_ATOMIC_FILE_POSIX)
    const std::string directory = destination.parent_path().empty() ? "." : destination.parent_path().string();
    const long max_name = ::pathconf(directory.c_str(), _PC_NAME_MAX);
    if (max_name > 32) return static_cast<std::size_t>(max_name);
#else
    (void)destination;
#endif
    return 255;
  }

  // The destination's name, shortened so that name + ".tmp-" + 16 hex digits fits the directory's
  // longest file name (a name near the limit is still writable); a name beyond it is refused.
  static std::string temporary_name(const std::filesystem::path& destination, const std::string& path) {
    std::string name = destination.filename().string();
    const std::size_t limit = name_limit(destination), suffix = 5 + 16;
    if (name.size() > limit)
      detail::throw_invalid("AtomicFile::AtomicFile(): cannot write '", path, "': file name too long (", name.size(),
                            " bytes; its directory takes at most ", limit, ")");
    if (name.size() + suffix > limit) name.resize(limit - suffix);
    return name;
  }

  void enroll() noexcept {
    for (auto& slot : detail::registered_temporaries) {
      const char* expected = nullptr;
      if (slot.compare_exchange_strong(expected, temporary_.c_str(), std::memory_order_acq_rel)) return;
    }
  }
  void withdraw() noexcept {
    for (auto& slot : detail::registered_temporaries) {
      const char* expected = temporary_.c_str();
      if (slot.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) return;
    }
  }

  std::string path_, destination_, temporary_;
  std::ofstream stream_;
  bool through_ = false, committed_ = false;
};

}  // namespace imbalance
