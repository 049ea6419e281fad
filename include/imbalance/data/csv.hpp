#pragma once
/// @file
/// Reading and writing labelled CSV files: a header row, numeric feature columns and one label
/// column (chosen by name; by default the last). Fields may be double-quoted (RFC 4180: "a,b", ""
/// for a quote, line breaks inside quotes are part of the field); blanks around a field are dropped
/// unless quoted; CRLF line ends, blank lines and a UTF-8 byte-order mark are accepted. Numbers are
/// read and written locale-independently (std::from_chars / std::to_chars, shortest round trip), so
/// write_csv writes exactly what read_csv reads back. Errors name the source, the line number and
/// the column, e.g. "train.csv:12: 'f3' = 'abc' is not a finite number".
///
/// Labels are kept as text and encoded by LabelEncoder: classes sorted numerically when every label
/// is a number (so "2" < "10"), otherwise lexicographically; class k is the k-th of them.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance {

/// Options of read_csv() and read_csv_file() (see imbalance/data/csv.hpp).
struct CsvReadOptions {
  /// Name of the label column; empty means the last column.
  std::string label_column;
  /// Field separator.
  char delimiter = ',';
  /// Names of categorical feature columns: read as text and stored as category codes 0, 1, ...
  /// (CsvTable::categories holds the text of each code).
  std::vector<std::string> categorical_columns;
  /// Categories fixed in advance, by column name (e.g. those of a training file, so that another
  /// file gets the same codes): a value outside them is an error. Columns not named here get the
  /// sorted distinct values of the file.
  std::map<std::string, std::vector<std::string>> categories;
  /// Accept empty label fields (read as empty text): for a file whose labels are ignored, such as
  /// unlabelled data with the training file's columns.
  bool empty_labels = false;
};

/// Reading and writing labelled CSV files. See imbalance/data/csv.hpp.
struct CsvTable {
  std::vector<std::string> header;         ///< all column names, in file order
  std::size_t label_index = 0;             ///< position of the label column in header
  std::vector<std::string> feature_names;  ///< header without the label column
  Eigen::MatrixXd features;                ///< rows x features (category codes in categorical columns)
  std::vector<std::string> labels;         ///< label text of each row
  /// Per feature column: the text of each category code (empty for a numeric column).
  std::vector<std::vector<std::string>> categories;

  /// Feature indices of the categorical columns, ascending.
  std::vector<Eigen::Index> categorical_features() const {
    std::vector<Eigen::Index> out;
    for (std::size_t j = 0; j < categories.size(); ++j)
      if (!categories[j].empty()) out.push_back(static_cast<Eigen::Index>(j));
    return out;
  }
};

namespace detail {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

inline std::string_view trim_view(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string trim(const std::string& s) { return std::string(trim_view(s)); }

// True while `record` ends inside a quoted field (an odd number of quote characters).
inline bool inside_quotes(const std::string& record) {
  return std::count(record.begin(), record.end(), '"') % 2 == 1;
}

// Splits one CSV record. Blanks outside quotes are dropped at both ends of a field (kept in the
// columns c with (*keep_blanks)[c]: a categorical column's text is written back as it was read);
// text between quotes is kept as it is.
inline void split_csv_record(const std::string& record, char delimiter, std::vector<std::string>& fields,
                             const std::vector<bool>* keep_blanks = nullptr) {
  fields.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  std::size_t keep = 0;  // field length up to the last quoted or non-blank character
  auto end_field = [&] {
    const bool keep_all = keep_blanks != nullptr && fields.size() < keep_blanks->size() && (*keep_blanks)[fields.size()];
    if (!keep_all || was_quoted) field.resize(keep);
    fields.push_back(was_quoted || keep_all ? field : trim(field));
    field.clear();
    was_quoted = false;
    keep = 0;
  };
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      keep = field.size();
    } else if (c == '"') {
      if (!was_quoted) field = trim(field);  // blanks before the opening quote
      quoted = was_quoted = true;
      keep = field.size();
    } else if (c == delimiter) {
      end_field();
    } else {
      field += c;
      if (c != ' ' && c != '\t') keep = field.size();
    }
  }
  end_field();
}

// A finite double in the whole of `text` (blanks around it allowed), locale-independent.
inline bool parse_number(std::string_view text, double& value) {
  const std::string_view t = trim_view(text);
  const char* first = t.data();
  const char* last = first + t.size();
  if (first != last && *first == '+') {  // from_chars takes no '+'; "+-1" stays invalid
    ++first;
    if (first == last || *first == '-' || *first == '+') return false;
  }
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
}

// A field that would not read back as it is needs quotes: delimiter, quote, line breaks, blanks at
// either end (which an unquoted field loses), or a leading UTF-8 byte-order mark (which the reader
// drops at the start of a file).
inline bool needs_quotes(const std::string& field, char delimiter) {
  const bool blank_edge = !field.empty() && (is_blank(field.front()) || is_blank(field.back()));
  const bool starts_with_bom = field.compare(0, 3, "\xEF\xBB\xBF") == 0;
  if (blank_edge || starts_with_bom) return true;
  for (char c : field)
    if (c == '"' || c == '\n' || c == '\r' || c == delimiter) return true;
  return false;
}

// The field, quoted when it needs to be ("" for a quote inside).
inline std::string quote_csv(const std::string& field, char delimiter) {
  if (!needs_quotes(field, delimiter)) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Splits a record without quotes in place: views into `text`, blanks around each field dropped
// (kept in the columns c with (*keep_blanks)[c]).
inline void split_plain_record(std::string_view text, char delimiter, std::vector<std::string_view>& fields,
                               const std::vector<bool>* keep_blanks = nullptr) {
  fields.clear();
  for (;;) {
    const void* cut = std::memchr(text.data(), delimiter, text.size());
    const std::size_t length =
        cut == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(cut) - text.data());
    const bool keep = keep_blanks != nullptr && fields.size() < keep_blanks->size() && (*keep_blanks)[fields.size()];
    fields.push_back(keep ? text.substr(0, length) : trim_view(text.substr(0, length)));
    if (cut == nullptr) break;
    text.remove_prefix(length + 1);
  }
}

// Data lines are parsed in blocks of at least kCsvParallelBlock bytes, cut into pieces of about
// kCsvPiece bytes that run in parallel (large enough that a thread's start-up cost is noise).
constexpr std::size_t kCsvParallelBlock = std::size_t{8} << 20;
constexpr std::size_t kCsvPiece = std::size_t{512} << 10;

// The data rows parsed so far: feature values row after row (0 in categorical columns), the label
// text of each row, and with categorical columns their text row after row and each row's line.
struct CsvRows {
  std::vector<double> values;
  std::vector<std::string> labels;
  std::vector<std::string> categories;
  std::vector<std::size_t> lines;
};

// Appends the record `fields` (from line `line_number` of `source`) to `rows`.
// `categorical` flags the categorical columns of the header (empty: none).
inline void append_csv_row(const std::vector<std::string_view>& fields, const std::vector<std::string>& header,
                           std::size_t label_index, const std::vector<bool>& categorical, const std::string& source,
                           std::size_t line_number, CsvRows& rows, bool empty_labels = false) {
  if (fields.size() != header.size())
    throw_invalid(source, ":", line_number, ": row has ", fields.size(), " fields, the header has ", header.size());
  for (std::size_t c = 0; c < fields.size(); ++c) {
    if (c == label_index) {
      if (fields[c].empty() && !empty_labels) throw_invalid(source, ":", line_number, ": the label ('", header[c], "') is empty");
      rows.labels.emplace_back(fields[c]);
      continue;
    }
    if (!categorical.empty() && categorical[c]) {
      rows.categories.emplace_back(fields[c]);
      rows.values.push_back(0);
      continue;
    }
    double value = 0;
    if (!parse_number(fields[c], value))
      throw_invalid(source, ":", line_number, ": '", header[c], "' = '", std::string(fields[c]),
                    "' is not a finite number", categorical.empty() ? " (name the column as categorical if it holds categories)" : "");
    rows.values.push_back(value);
  }
  if (!categorical.empty()) rows.lines.push_back(line_number);
}

// Parses `text`, whole lines without quotes whose first is line `first_line`, into `rows`; `lines`
// (the line breaks in text, or an estimate) sizes the buffers once instead of growing them.
inline void parse_plain_lines(std::string_view text, std::size_t first_line, char delimiter,
                              const std::vector<std::string>& header, std::size_t label_index,
                              const std::vector<bool>& categorical, const std::string& source, CsvRows& rows,
                              std::size_t lines = 0, bool empty_labels = false) {
  rows.values.reserve(rows.values.size() + (lines + 1) * (header.size() - 1));
  rows.labels.reserve(rows.labels.size() + lines + 1);
  std::vector<std::string_view> fields;
  std::size_t line_number = first_line;
  while (!text.empty()) {
    const void* nl = std::memchr(text.data(), '\n', text.size());
    const std::size_t length =
        nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
    std::string_view line = text.substr(0, length);
    text.remove_prefix(nl == nullptr ? length : length + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF
    if (!trim_view(line).empty()) {
      split_plain_record(line, delimiter, fields, categorical.empty() ? nullptr : &categorical);
      append_csv_row(fields, header, label_index, categorical, source, line_number, rows, empty_labels);
    }
    ++line_number;
  }
}

// Lines of a stream, read in large blocks (no per-line allocation); a line stays valid until the
// next call. The line break is not part of the line.
class LineSource {
 public:
  explicit LineSource(std::istream& in) : in_(in), buffer_(kBlock, '\0') {}

  bool next(std::string_view& line) {
    for (;;) {
      const char* start = buffer_.data() + begin_;
      if (const void* nl = std::memchr(start, '\n', end_ - begin_)) {
        const std::size_t length = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
        line = std::string_view(start, length);
        begin_ += length + 1;
        return true;
      }
      if (eof_) {  // a last line without a line break
        if (begin_ == end_) return false;
        line = std::string_view(start, end_ - begin_);
        begin_ = end_;
        return true;
      }
      refill();
    }
  }

  /// Whole lines (each ending in a line break, or at the end of the input) starting at the next
  /// line, at least `min_bytes` of them unless the input ends first; not consumed (see consume()).
  /// Valid until the next call. Empty at the end of the input.
  std::string_view peek_lines(std::size_t min_bytes) {
    for (;;) {
      const std::string_view unread(buffer_.data() + begin_, end_ - begin_);
      if (eof_) return unread;
      if (unread.size() >= min_bytes) {
        const std::size_t last = unread.rfind('\n');
        if (last != std::string_view::npos) return unread.substr(0, last + 1);
      }
      refill();
    }
  }

  /// Skips `bytes` of what peek_lines() returned.
  void consume(std::size_t bytes) noexcept { begin_ += std::min(bytes, end_ - begin_); }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  // Moves the unread tail to the front and reads more after it (growing for a very long line).
  void refill() {
    const std::size_t tail = end_ - begin_;
    if (begin_ > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, tail);
    begin_ = 0;
    end_ = tail;
    if (buffer_.size() - end_ < kBlock / 2) buffer_.resize(buffer_.size() * 2);
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
    end_ += static_cast<std::size_t>(in_.gcount());
    if (!in_) eof_ = true;
  }

  std::istream& in_;
  std::string buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
};

}  // namespace detail

/// Reads a labelled CSV from a stream; `source` names it in error messages. `skipped_lines`: lines
/// of the file left out between the header and the rest of `in` (a chunk of a larger file, as
/// CsvChunkReader reads), so that errors name the file's line numbers.
/// @throws imbalance::invalid_argument on a missing header or label column, a ragged row, a
///         non-numeric or non-finite feature, an empty label, or no data rows.
///
/// Speed: the stream is read in large blocks and a record without quotes is split in place (views
/// into the block, numbers parsed by std::from_chars): no allocation per field. Blocks of lines
/// without quotes are parsed in parallel when OpenMP is on; the result and the error reported (the
/// first in the file) are the same for every thread count.
inline CsvTable read_csv(std::istream& in, const std::string& source, const CsvReadOptions& options = {},
                         std::size_t skipped_lines = 0) {
  CsvTable table;
  detail::LineSource lines(in);
  std::string_view line;
  std::size_t line_number = 0;
  std::vector<std::string_view> fields;  // views into the block or into `owned`
  std::vector<std::string> owned;        // fields of a record with quotes
  std::string record;
  const char delimiter = options.delimiter;
  // A record is one line, or several while a quoted field is open (its line breaks are kept).
  const std::vector<bool>* keep_blanks = nullptr;  // the header's names are trimmed; a categorical column's text is not
  auto next_record = [&]() -> bool {
    while (lines.next(line)) {
      ++line_number;
      if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 BOM
      std::string_view text = line;
      const bool has_quotes = std::memchr(line.data(), '"', line.size()) != nullptr;
      if (has_quotes) {
        record.assign(line);
        const std::size_t first_line = line_number;
        while (detail::inside_quotes(record)) {  // the line break belongs to the quoted field
          if (!lines.next(line)) detail::throw_invalid(source, ":", first_line, ": unterminated quoted field");
          ++line_number;
          record += '\n';
          record.append(line);
        }
        text = record;
      }
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);  // CRLF
      if (detail::trim_view(text).empty()) continue;
      fields.clear();
      if (has_quotes) {  // the general splitter (quotes, escaped quotes, kept blanks)
        detail::split_csv_record(record.substr(0, text.size()), delimiter, owned, keep_blanks);
        for (const auto& f : owned) fields.emplace_back(f);
      } else {
        detail::split_plain_record(text, delimiter, fields, keep_blanks);
      }
      return true;
    }
    return false;
  };
  if (!next_record()) detail::throw_invalid(source, ": no header row (the file is empty)");
  table.header.assign(fields.begin(), fields.end());
  line_number += skipped_lines;
  if (table.header.size() < 2)
    detail::throw_invalid(source, ":", line_number, ": the header needs a label column and at least one feature (got ",
                          table.header.size(), " column)");
  if (options.label_column.empty()) {
    table.label_index = table.header.size() - 1;
  } else {
    const auto found = std::find(table.header.begin(), table.header.end(), options.label_column);
    if (found == table.header.end()) {
      std::string columns;
      for (const auto& name : table.header) columns += (columns.empty() ? "" : ", ") + name;
      detail::throw_invalid(source, ": label column '", options.label_column, "' is not in the header (columns: ",
                            columns, ")");
    }
    if (std::find(found + 1, table.header.end(), options.label_column) != table.header.end())
      detail::throw_invalid(source, ": label column '", options.label_column,
                            "' appears more than once in the header; rename one of them");
    table.label_index = static_cast<std::size_t>(found - table.header.begin());
  }
  for (std::size_t c = 0; c < table.header.size(); ++c)
    if (c != table.label_index) table.feature_names.push_back(table.header[c]);
  std::vector<bool> categorical;  // per header column; empty when no column is categorical
  if (!options.categorical_columns.empty()) {
    categorical.assign(table.header.size(), false);
    for (const auto& name : options.categorical_columns) {
      const auto found = std::find(table.header.begin(), table.header.end(), name);
      if (found == table.header.end()) {
        std::string columns;
        for (const auto& column : table.header) columns += (columns.empty() ? "" : ", ") + column;
        detail::throw_invalid(source, ": categorical column '", name, "' is not in the header (columns: ", columns, ")");
      }
      const auto c = static_cast<std::size_t>(found - table.header.begin());
      if (c == table.label_index)
        detail::throw_invalid(source, ": '", name, "' is the label column; it cannot also be a categorical feature");
      if (categorical[c]) detail::throw_invalid(source, ": categorical column '", name, "' is named twice");
      categorical[c] = true;
    }
  }
  if (!categorical.empty()) keep_blanks = &categorical;
  for (const auto& entry : options.categories)
    if (std::find(options.categorical_columns.begin(), options.categorical_columns.end(), entry.first) ==
        options.categorical_columns.end())
      detail::throw_invalid(source, ": categories are given for '", entry.first,
                            "', which is not among the categorical columns");

  // Data rows: blocks of whole lines without quotes are cut into pieces at line breaks and parsed
  // in parallel (each piece knows its first line number, so errors name the right line and the
  // first error in the file is the one reported); from the first quote on, record by record.
  std::vector<detail::CsvRows> parsed;  // in file order; copied into the matrix once, at the end
  for (;;) {
    const std::string_view block = lines.peek_lines(detail::kCsvParallelBlock);
    if (block.empty() || std::memchr(block.data(), '"', block.size()) != nullptr) break;
    const auto pieces = static_cast<Eigen::Index>((block.size() + detail::kCsvPiece - 1) / detail::kCsvPiece);
    std::vector<std::string_view> piece_text(static_cast<std::size_t>(pieces));
    std::vector<std::size_t> piece_line(static_cast<std::size_t>(pieces)), piece_lines(static_cast<std::size_t>(pieces));
    std::size_t begin = 0;
    for (Eigen::Index p = 0; p < pieces; ++p) {  // cut after the line break at or past each mark
      std::size_t end = block.size();
      if (p + 1 < pieces) {
        const std::size_t nl = block.find('\n', std::max(begin, static_cast<std::size_t>(p + 1) * detail::kCsvPiece - 1));
        end = nl == std::string_view::npos ? block.size() : nl + 1;
      }
      piece_text[static_cast<std::size_t>(p)] = block.substr(begin, end - begin);
      piece_line[static_cast<std::size_t>(p)] = line_number + 1;
      piece_lines[static_cast<std::size_t>(p)] = static_cast<std::size_t>(
          std::count(block.begin() + static_cast<std::ptrdiff_t>(begin), block.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
      line_number += piece_lines[static_cast<std::size_t>(p)];
      begin = end;
    }
    if (block.back() != '\n') ++line_number;  // the last line of the input, without a line break
    const std::size_t first = parsed.size();
    parsed.resize(first + static_cast<std::size_t>(pieces));
    detail::parallel_chunks(pieces, 1, [&](Eigen::Index p, Eigen::Index, Eigen::Index) {
      const auto i = static_cast<std::size_t>(p);
      detail::parse_plain_lines(piece_text[i], piece_line[i], delimiter, table.header, table.label_index, categorical,
                                source, parsed[first + i], piece_lines[i], options.empty_labels);
    });
    lines.consume(block.size());
  }
  parsed.emplace_back();
  while (next_record())
    detail::append_csv_row(fields, table.header, table.label_index, categorical, source, line_number, parsed.back(),
                           options.empty_labels);
  std::size_t row_count = 0;
  for (const auto& piece : parsed) row_count += piece.labels.size();
  if (row_count == 0) detail::throw_invalid(source, ": no data rows after the header");
  const auto cols = static_cast<Eigen::Index>(table.feature_names.size());
  table.categories.assign(table.feature_names.size(), {});
  // Categorical columns: codes in the order of the given categories, or of the sorted values.
  std::vector<Eigen::Index> categorical_features;  // feature index of each categorical column, in header order
  for (std::size_t c = 0, feature = 0; c < categorical.size(); ++c) {
    if (c == table.label_index) continue;
    if (categorical[c]) categorical_features.push_back(static_cast<Eigen::Index>(feature));
    ++feature;
  }
  std::vector<std::map<std::string, double>> code_of(categorical_features.size());
  for (std::size_t q = 0; q < categorical_features.size(); ++q) {
    const std::string& name = table.feature_names[static_cast<std::size_t>(categorical_features[q])];
    std::vector<std::string>& names = table.categories[static_cast<std::size_t>(categorical_features[q])];
    const auto given = options.categories.find(name);
    if (given != options.categories.end()) {
      names = given->second;
    } else {
      for (const auto& piece : parsed)
        for (std::size_t r = q; r < piece.categories.size(); r += categorical_features.size()) code_of[q].emplace(piece.categories[r], 0);
      for (const auto& entry : code_of[q]) names.push_back(entry.first);
    }
    code_of[q].clear();
    for (std::size_t v = 0; v < names.size(); ++v)
      if (!code_of[q].emplace(names[v], static_cast<double>(v)).second)
        detail::throw_invalid(source, ": the categories given for '", name, "' hold '", names[v], "' twice");
    if (names.empty()) detail::throw_invalid(source, ": no categories are given for '", name, "'");
  }
  for (auto& piece : parsed) {  // codes into the parsed values
    const std::size_t per_row = categorical_features.size();
    for (std::size_t r = 0; per_row > 0 && r < piece.labels.size(); ++r)
      for (std::size_t q = 0; q < per_row; ++q) {
        const std::string& text = piece.categories[r * per_row + q];
        const auto code = code_of[q].find(text);
        if (code == code_of[q].end()) {
          const auto& names = table.categories[static_cast<std::size_t>(categorical_features[q])];
          std::string known;
          for (std::size_t v = 0; v < names.size() && v < 20; ++v) known += (v ? ", '" : "'") + names[v] + "'";
          detail::throw_invalid(source, ":", piece.lines[r], ": '", table.feature_names[static_cast<std::size_t>(categorical_features[q])],
                                "' = '", text, "' is not one of the given categories (", known,
                                names.size() > 20 ? ", ..." : "", ")");
        }
        piece.values[r * static_cast<std::size_t>(cols) + static_cast<std::size_t>(categorical_features[q])] = code->second;
      }
  }
  table.features.resize(static_cast<Eigen::Index>(row_count), cols);
  table.labels.reserve(row_count);
  Eigen::Index row = 0;
  for (auto& piece : parsed) {
    const auto n = static_cast<Eigen::Index>(piece.labels.size());
    table.features.middleRows(row, n) =
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(piece.values.data(), n, cols);
    row += n;
    std::move(piece.labels.begin(), piece.labels.end(), std::back_inserter(table.labels));
    piece = detail::CsvRows();  // free as we go
  }
  return table;
}

/// Reads a labelled CSV file.
inline CsvTable read_csv_file(const std::string& path, const CsvReadOptions& options = {}) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))  // opens on Linux, then reads as an empty file
    detail::throw_invalid("read_csv_file(): '", path, "' is a directory, not a CSV file");
  errno = 0;
  std::ifstream in(path);
  if (!in) {
    const int cause = errno;
    detail::throw_invalid("read_csv_file(): cannot open '", path, "'", cause ? ": " : "", cause ? std::strerror(cause) : "");
  }
  return read_csv(in, path, options);
}

/// Writes the header row of a CSV file (the first thing write_csv writes).
inline void write_csv_header(std::ostream& out, const std::vector<std::string>& header, char delimiter = ',') {
  std::string header_line;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) header_line += delimiter;
    header_line += detail::quote_csv(header[c], delimiter);
  }
  header_line += '\n';
  out.write(header_line.data(), static_cast<std::streamsize>(header_line.size()));
}

namespace detail {
// write_csv's checks, then the header (with_header) and the rows.
template <class DX>
void write_csv_table(std::ostream& out, const std::vector<std::string>& header, std::size_t label_index,
                     const Eigen::DenseBase<DX>& features, const std::vector<std::string>& labels,
                     const std::vector<std::vector<std::string>>& categories, char delimiter, bool with_header) {
  const char* function = "write_csv()";
  if (!categories.empty() && categories.size() != static_cast<std::size_t>(features.cols()))
    detail::throw_invalid(function, ": categories has ", categories.size(), " entries for ", features.cols(), " features");
  for (std::size_t j = 0; j < categories.size(); ++j) {
    if (categories[j].empty()) continue;
    for (Eigen::Index r = 0; r < features.rows(); ++r) {
      const double code = static_cast<double>(features.derived().coeff(r, static_cast<Eigen::Index>(j)));
      if (!(code >= 0 && code < static_cast<double>(categories[j].size()) && std::floor(code) == code))
        detail::throw_invalid(function, ": row ", r, " holds ", code, " in categorical column ", j, ", not a code of its ",
                              categories[j].size(), " categories");
    }
  }
  if (header.size() != static_cast<std::size_t>(features.cols()) + 1 || label_index >= header.size())
    detail::throw_invalid(function, ": header has ", header.size(), " columns for ", features.cols(),
                          " features and a label (label_index ", label_index, ")");
  if (labels.size() != static_cast<std::size_t>(features.rows()))
    detail::throw_invalid(function, ": labels has length ", labels.size(), " but features has ", features.rows(), " rows");
  check_finite(function, "features", features);  // CSV holds finite numbers only; checked before writing
  for (std::size_t r = 0; r < labels.size(); ++r)
    if (labels[r].empty()) detail::throw_invalid(function, ": labels[", r, "] is empty (read_csv refuses empty labels)");
  auto category_text = [&](Eigen::Index r, Eigen::Index feature) -> const std::string* {
    if (categories.empty() || categories[static_cast<std::size_t>(feature)].empty()) return nullptr;
    return &categories[static_cast<std::size_t>(feature)][static_cast<std::size_t>(features.derived().coeff(r, feature))];
  };
  if (with_header) write_csv_header(out, header, delimiter);
  // Rows are formatted with std::to_chars (no allocation per number or label) into one buffer per piece of
  // kRowsPerPiece rows, the pieces of a wave in parallel, and written in row order: the bytes do
  // not depend on the thread count and memory stays at one wave of text.
  constexpr Eigen::Index kRowsPerPiece = 2048, kPiecesPerWave = 16;
  std::vector<std::string> pieces(static_cast<std::size_t>(kPiecesPerWave));
  const Eigen::Index rows = features.rows();
  for (Eigen::Index wave = 0; wave < rows; wave += kRowsPerPiece * kPiecesPerWave) {
    const Eigen::Index wave_rows = std::min(rows - wave, kRowsPerPiece * kPiecesPerWave);
    detail::parallel_chunks(wave_rows, kRowsPerPiece, [&](Eigen::Index p, Eigen::Index begin, Eigen::Index end) {
      // Written through a pointer into a buffer sized for the longest possible text (a double
      // takes at most 24 characters, a quoted label at most twice its length plus 2).
      std::size_t longest = 0;
      for (Eigen::Index r = wave + begin; r < wave + end; ++r) {
        longest += 2 * labels[static_cast<std::size_t>(r)].size() + 2 + header.size() * 25;
        for (Eigen::Index j = 0; !categories.empty() && j < features.cols(); ++j)
          if (const std::string* text = category_text(r, j)) longest += 2 * text->size() + 2;
      }
      std::string& buffer = pieces[static_cast<std::size_t>(p)];
      buffer.resize(longest);
      char* out_ptr = buffer.data();
      char* const out_end = buffer.data() + buffer.size();
      for (Eigen::Index r = wave + begin; r < wave + end; ++r) {
        Eigen::Index feature = 0;
        for (std::size_t c = 0; c < header.size(); ++c) {
          if (c) *out_ptr++ = delimiter;
          if (c == label_index) {
            const std::string& label = labels[static_cast<std::size_t>(r)];
            if (detail::needs_quotes(label, delimiter)) {
              const std::string quoted = detail::quote_csv(label, delimiter);
              out_ptr = std::copy(quoted.begin(), quoted.end(), out_ptr);
            } else {
              out_ptr = std::copy(label.begin(), label.end(), out_ptr);
            }
          } else if (const std::string* text = category_text(r, feature)) {
            ++feature;
            if (detail::needs_quotes(*text, delimiter) || text->empty()) {
              const std::string quoted = detail::quote_csv(*text, delimiter);
              out_ptr = std::copy(quoted.begin(), quoted.end(), out_ptr);
            } else {
              out_ptr = std::copy(text->begin(), text->end(), out_ptr);
            }
          } else {
            out_ptr = std::to_chars(out_ptr, out_end, static_cast<double>(features.derived().coeff(r, feature++))).ptr;
          }
        }
        *out_ptr++ = '\n';
      }
      buffer.resize(static_cast<std::size_t>(out_ptr - buffer.data()));
    });
    for (Eigen::Index p = 0; p < detail::chunk_count(wave_rows, kRowsPerPiece); ++p)
      out.write(pieces[static_cast<std::size_t>(p)].data(),
                static_cast<std::streamsize>(pieces[static_cast<std::size_t>(p)].size()));
  }
}
}  // namespace detail

/// Writes features and label text as CSV with `header` (label column at label_index), numbers in
/// their shortest round-trip form; a feature column with categories (CsvTable::categories: the text
/// of each code, empty for a numeric column) is written as the text of its codes.
template <class DX>
void write_csv(std::ostream& out, const std::vector<std::string>& header, std::size_t label_index,
               const Eigen::DenseBase<DX>& features, const std::vector<std::string>& labels,
               const std::vector<std::vector<std::string>>& categories, char delimiter = ',') {
  detail::write_csv_table(out, header, label_index, features, labels, categories, delimiter, true);
}

/// Writes the data rows as write_csv() does, without the header: a file written a block of rows
/// at a time (write_csv_header, then write_csv_rows per block) has exactly write_csv's bytes.
template <class DX>
void write_csv_rows(std::ostream& out, const std::vector<std::string>& header, std::size_t label_index,
                    const Eigen::DenseBase<DX>& features, const std::vector<std::string>& labels,
                    const std::vector<std::vector<std::string>>& categories = {}, char delimiter = ',') {
  detail::write_csv_table(out, header, label_index, features, labels, categories, delimiter, false);
}

/// Writes numeric features and label text (no categorical columns).
template <class DX>
void write_csv(std::ostream& out, const std::vector<std::string>& header, std::size_t label_index,
               const Eigen::DenseBase<DX>& features, const std::vector<std::string>& labels, char delimiter = ',') {
  write_csv(out, header, label_index, features, labels, {}, delimiter);
}

/// Maps label text to classes 0..K-1 (sorted numerically when all labels are numbers).
class LabelEncoder {
 public:
  LabelEncoder() = default;
  /// The sorted distinct labels become classes 0..K-1.
  explicit LabelEncoder(const std::vector<std::string>& labels) {
    std::vector<std::string> unique(labels.begin(), labels.end());
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    bool numeric = true;
    std::map<std::string, double> value;
    for (const auto& label : unique) {
      double v = 0;
      numeric = numeric && detail::parse_number(label, v);
      value[label] = v;
    }
    if (numeric)
      std::stable_sort(unique.begin(), unique.end(),
                       [&](const std::string& a, const std::string& b) { return value[a] < value[b]; });
    classes_ = unique;
    for (std::size_t k = 0; k < classes_.size(); ++k) index_[classes_[k]] = static_cast<int>(k);
  }

  /// Class names in class order.
  const std::vector<std::string>& classes() const noexcept { return classes_; }
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return static_cast<Eigen::Index>(classes_.size()); }

  /// Encodes label text; `source` names the data in the error for a label never seen at fit time,
  /// whose labels[0] is its data row first_row + 1 (a shard of a larger file).
  Eigen::VectorXi encode(const std::vector<std::string>& labels, const std::string& source = "labels",
                         std::size_t first_row = 0) const {
    Eigen::VectorXi out(static_cast<Eigen::Index>(labels.size()));
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const auto found = index_.find(labels[i]);
      if (found == index_.end())
        detail::throw_invalid("LabelEncoder::encode(): ", source, " row ", first_row + i + 1, " has label '", labels[i],
                              "', which the training data does not have");
      out(static_cast<Eigen::Index>(i)) = found->second;
    }
    return out;
  }

  /// Label text of classes.
  template <class DY>
  std::vector<std::string> decode(const Eigen::DenseBase<DY>& classes) const {
    std::vector<std::string> out;
    for (Eigen::Index i = 0; i < classes.size(); ++i) {
      const auto k = static_cast<long long>(classes.derived().coeff(i));
      if (k < 0 || k >= static_cast<long long>(classes_.size()))
        detail::throw_out_of_range("LabelEncoder::decode(): classes[", i, "] = ", k, " is out of range [0, ",
                                   classes_.size(), ")");
      out.push_back(classes_[static_cast<std::size_t>(k)]);
    }
    return out;
  }

 private:
  std::vector<std::string> classes_;
  std::map<std::string, int> index_;
};

}  // namespace imbalance
