#pragma once
/// @file
/// Reading a labelled CSV file a block of rows at a time, for files larger than memory.
///
/// CsvChunkReader cuts the file into chunks of at most `chunk_rows` records (a quoted field's line
/// breaks stay inside its record) and parses each with read_csv() itself (the header, then the
/// chunk's lines), so every chunk is read exactly as read_csv would read those rows of the whole
/// file, and errors name the file's line numbers. Memory: one chunk's text and its parsed values,
/// whatever the file's size. rewind() starts again from the first row (a resampler that passes over
/// the file more than once). Categorical columns are not read in chunks: their codes depend on the
/// values of the whole file.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "imbalance/data/csv.hpp"

namespace imbalance {

/// Reads a labelled CSV file chunk by chunk. See imbalance/data/csv_stream.hpp.
class CsvChunkReader {
 public:
  /// Opens `path`. @throws imbalance::invalid_argument when it cannot be opened, when chunk_rows < 1,
  /// or when options name categorical columns.
  CsvChunkReader(std::string path, CsvReadOptions options = {}, Eigen::Index chunk_rows = 65536)
      : path_(std::move(path)), options_(std::move(options)), chunk_rows_(chunk_rows) {
    if (chunk_rows_ < 1) detail::throw_invalid("CsvChunkReader: chunk_rows must be >= 1 (got ", chunk_rows_, ")");
    if (!options_.categorical_columns.empty())
      detail::throw_invalid("CsvChunkReader: categorical columns ('", options_.categorical_columns.front(),
                            "') cannot be read in chunks (their codes depend on the whole file)");
    errno = 0;
    in_.open(path_, std::ios::binary);
    if (!in_) {
      const int cause = errno;
      detail::throw_invalid("CsvChunkReader: cannot open '", path_, "'", cause ? ": " : "", cause ? std::strerror(cause) : "");
    }
    rewind();
  }

  /// The path read.
  const std::string& path() const noexcept { return path_; }

  /// Starts again from the first data row.
  void rewind() {
    in_.clear();
    in_.seekg(0);
    lines_ = std::make_unique<detail::LineSource>(in_);
    header_text_.clear();
    line_number_ = 0;
    std::string_view line;
    // The header record (with its quoted line breaks, if any).
    while (lines_->next(line)) {
      ++line_number_;
      if (!header_text_.empty()) header_text_ += '\n';
      header_text_.append(line);
      if (!detail::inside_quotes(header_text_)) break;
    }
    header_lines_ = line_number_;
    if (header_text_.empty()) detail::throw_invalid(path_, ": no header row (the file is empty)");
  }

  /// The next chunk (at most chunk_rows rows) into `chunk`; false, with `chunk` untouched, at the
  /// end of the file. The first chunk of a file without data rows throws as read_csv does.
  bool next(CsvTable& chunk) {
    std::string text = header_text_;
    text += '\n';
    const std::size_t first_line = line_number_ + 1;
    Eigen::Index records = 0;
    std::size_t record_start = text.size();
    std::string_view line;
    while (records < chunk_rows_ && lines_->next(line)) {
      ++line_number_;
      text.append(line);
      text += '\n';
      // A record ends where its quotes are balanced; blank lines are not records.
      const std::string_view record(text.data() + record_start, text.size() - record_start);
      if (std::memchr(record.data(), '"', record.size()) != nullptr && detail::inside_quotes(std::string(record))) continue;
      if (!detail::trim_view(record.substr(0, record.size() - 1)).empty() &&
          detail::trim_view(record.substr(0, record.size() - 1)) != "\r")
        ++records;
      record_start = text.size();
    }
    if (records == 0) {
      if (!started_) {  // no data rows at all: read_csv's own error
        std::istringstream only_header(text);
        read_csv(only_header, path_, options_);
      }
      return false;
    }
    started_ = true;
    std::istringstream in(std::move(text));
    chunk = read_csv(in, path_, options_, first_line - header_lines_ - 1);
    return true;
  }

 private:
  std::string path_;
  CsvReadOptions options_;
  Eigen::Index chunk_rows_;
  std::ifstream in_;
  std::unique_ptr<detail::LineSource> lines_;
  std::string header_text_;
  std::size_t line_number_ = 0, header_lines_ = 0;
  bool started_ = false;
};

}  // namespace imbalance
