#pragma once
/// @file
/// Reading and writing labelled CSV files: a header row, numeric feature columns and one label
/// column (chosen by name; by default the last). Fields may be double-quoted ("a,b", "" for a
/// quote); CRLF line ends and blank lines are accepted. Errors name the source, the line number and
/// the column, e.g. "train.csv:12: 'f3' = 'abc' is not a number".
///
/// Labels are kept as text and encoded by LabelEncoder: classes sorted numerically when every label
/// is a number (so "2" < "10"), otherwise lexicographically; class k is the k-th of them.

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "imbalance/core/error.hpp"

namespace imbalance {

struct CsvReadOptions {
  /// Name of the label column; empty means the last column.
  std::string label_column;
  char delimiter = ',';
};

struct CsvTable {
  std::vector<std::string> header;         // all column names, in file order
  std::size_t label_index = 0;             // position of the label column in header
  std::vector<std::string> feature_names;  // header without the label column
  Eigen::MatrixXd features;                // rows x features
  std::vector<std::string> labels;         // label text of each row
};

namespace detail {

// Splits one CSV record; returns false on an unterminated quote.
inline bool split_csv_line(const std::string& line, char delimiter, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return !quoted;
}

inline std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

inline bool parse_number(const std::string& text, double& value) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  errno = 0;
  char* end = nullptr;
  value = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && errno != ERANGE && std::isfinite(value);
}

// The shortest %g form that reads back to the same double.
inline std::string shortest_double(double value) {
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

inline std::string quote_csv(const std::string& field, char delimiter) {
  if (field.find_first_of(std::string("\"\n") + delimiter) == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace detail

/// Reads a labelled CSV from a stream; `source` names it in error messages.
/// @throws imbalance::invalid_argument on a missing header or label column, a ragged row, a
///         non-numeric or non-finite feature, an empty label, or no data rows.
inline CsvTable read_csv(std::istream& in, const std::string& source, const CsvReadOptions& options = {}) {
  CsvTable table;
  std::string line;
  std::size_t line_number = 0;
  std::vector<std::string> fields;
  auto next_record = [&]() -> bool {
    while (std::getline(in, line)) {
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (detail::trim(line).empty()) continue;
      if (!detail::split_csv_line(line, options.delimiter, fields))
        detail::throw_invalid(source, ":", line_number, ": unterminated quoted field");
      return true;
    }
    return false;
  };
  if (!next_record()) detail::throw_invalid(source, ": no header row (the file is empty)");
  for (auto& name : fields) table.header.push_back(detail::trim(name));
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
    table.label_index = static_cast<std::size_t>(found - table.header.begin());
  }
  for (std::size_t c = 0; c < table.header.size(); ++c)
    if (c != table.label_index) table.feature_names.push_back(table.header[c]);

  std::vector<double> values;
  while (next_record()) {
    if (fields.size() != table.header.size())
      detail::throw_invalid(source, ":", line_number, ": row has ", fields.size(), " fields, the header has ",
                            table.header.size());
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (c == table.label_index) {
        const std::string label = detail::trim(fields[c]);
        if (label.empty()) detail::throw_invalid(source, ":", line_number, ": the label ('", table.header[c], "') is empty");
        table.labels.push_back(label);
        continue;
      }
      double value = 0;
      if (!detail::parse_number(fields[c], value))
        detail::throw_invalid(source, ":", line_number, ": '", table.header[c], "' = '", fields[c],
                              "' is not a finite number");
      values.push_back(value);
    }
  }
  if (table.labels.empty()) detail::throw_invalid(source, ": no data rows after the header");
  const auto rows = static_cast<Eigen::Index>(table.labels.size());
  const auto cols = static_cast<Eigen::Index>(table.feature_names.size());
  table.features = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), rows, cols);
  return table;
}

/// Reads a labelled CSV file.
inline CsvTable read_csv_file(const std::string& path, const CsvReadOptions& options = {}) {
  std::ifstream in(path);
  if (!in) detail::throw_invalid("read_csv_file(): cannot open '", path, "'");
  return read_csv(in, path, options);
}

/// Writes features and label text as CSV with `header` (label column at label_index), numbers in
/// their shortest round-trip form.
template <class DX>
void write_csv(std::ostream& out, const std::vector<std::string>& header, std::size_t label_index,
               const Eigen::DenseBase<DX>& features, const std::vector<std::string>& labels, char delimiter = ',') {
  const char* function = "write_csv()";
  if (header.size() != static_cast<std::size_t>(features.cols()) + 1 || label_index >= header.size())
    detail::throw_invalid(function, ": header has ", header.size(), " columns for ", features.cols(),
                          " features and a label (label_index ", label_index, ")");
  if (labels.size() != static_cast<std::size_t>(features.rows()))
    detail::throw_invalid(function, ": labels has length ", labels.size(), " but features has ", features.rows(), " rows");
  for (std::size_t c = 0; c < header.size(); ++c) out << (c ? std::string(1, delimiter) : "") << detail::quote_csv(header[c], delimiter);
  out << '\n';
  for (Eigen::Index r = 0; r < features.rows(); ++r) {
    Eigen::Index feature = 0;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (c) out << delimiter;
      if (c == label_index)
        out << detail::quote_csv(labels[static_cast<std::size_t>(r)], delimiter);
      else
        out << detail::shortest_double(static_cast<double>(features.derived().coeff(r, feature++)));
    }
    out << '\n';
  }
}

/// Maps label text to classes 0..K-1 (sorted numerically when all labels are numbers).
class LabelEncoder {
 public:
  LabelEncoder() = default;
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
  Eigen::Index num_classes() const noexcept { return static_cast<Eigen::Index>(classes_.size()); }

  /// Encodes label text; `source` names the data in the error for a label never seen at fit time.
  Eigen::VectorXi encode(const std::vector<std::string>& labels, const std::string& source = "labels") const {
    Eigen::VectorXi out(static_cast<Eigen::Index>(labels.size()));
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const auto found = index_.find(labels[i]);
      if (found == index_.end())
        detail::throw_invalid("LabelEncoder::encode(): ", source, " row ", i + 1, " has label '", labels[i],
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
