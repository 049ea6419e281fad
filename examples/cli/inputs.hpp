// Input files of the tools: a path or a glob pattern of shards ('data/part-*.csv'). One process
// reads every file the pattern matches, in sorted order, as one table; under MPI each rank reads its
// block of them (distributed.hpp). Either way the rows are the data in file order, so a pattern means
// the same data with or without MPI, at one rank as at many.
#pragma once

#include <glob.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <imbalance/data/csv.hpp>
#include <imbalance/detail/text.hpp>

namespace cli {

// Names the columns that differ between two files' feature lists.
inline std::string column_difference(const std::vector<std::string>& a, const std::vector<std::string>& b,
                                     const std::string& first = "the first", const std::string& second = "the second") {
  std::vector<std::string> only_a, only_b;
  for (const auto& name : a)
    if (std::find(b.begin(), b.end(), name) == b.end()) only_a.push_back("'" + name + "'");
  for (const auto& name : b)
    if (std::find(a.begin(), a.end(), name) == a.end()) only_b.push_back("'" + name + "'");
  if (only_a.empty() && only_b.empty()) return "the same feature columns in another order";
  std::string text;
  if (!only_a.empty()) text += fmt::format("only {} has {}", first, fmt::join(only_a, ", "));
  if (!only_b.empty()) text += fmt::format("{}only {} has {}", text.empty() ? "" : "; ", second, fmt::join(only_b, ", "));
  return text;
}

// Whether `text` is a glob pattern (has a wildcard) rather than a plain path.
inline bool is_pattern(const std::string& text) { return text.find_first_of("*?[") != std::string::npos; }

// The sorted paths a glob pattern matches (a path without wildcards: itself).
inline std::vector<std::string> expand(const std::string& pattern) {
  if (!is_pattern(pattern)) return {pattern};
  glob_t found{};
  const int status = ::glob(pattern.c_str(), 0, nullptr, &found);
  std::vector<std::string> paths;
  if (status == 0)
    for (std::size_t i = 0; i < found.gl_pathc; ++i) paths.emplace_back(found.gl_pathv[i]);
  globfree(&found);
  if (paths.empty()) throw imbalance::invalid_argument(fmt::format("'{}' matches no file", pattern));
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Appends `part` (read from `path`) to `table`, which holds the files before it (named by `source`).
inline void append_table(imbalance::CsvTable& table, imbalance::CsvTable part, const std::string& source,
                         const std::string& path) {
  if (table.header.empty()) {
    table = std::move(part);
    return;
  }
  if (part.header != table.header || part.label_index != table.label_index)
    throw imbalance::invalid_argument(fmt::format("{} and {} have different columns", source, path));
  const Eigen::Index rows = table.features.rows();
  table.features.conservativeResize(rows + part.features.rows(), Eigen::NoChange);
  table.features.bottomRows(part.features.rows()) = part.features;
  table.labels.insert(table.labels.end(), part.labels.begin(), part.labels.end());
}

// Every file `pattern` matches, in sorted order, as one table; `source` receives what messages call
// it. Categorical columns code their categories per file, so they take a single file.
inline imbalance::CsvTable read_csv_pattern(const std::string& what, const std::string& pattern,
                                            const imbalance::CsvReadOptions& csv, std::string* source = nullptr) {
  const std::vector<std::string> files = expand(pattern);
  if (files.size() > 1 && !csv.categorical_columns.empty())
    throw imbalance::invalid_argument(fmt::format("{} '{}' matches {} files: categorical columns take a single file",
                                                  what, pattern, files.size()));
  imbalance::CsvTable table;
  std::string name;
  for (const auto& path : files) {
    append_table(table, imbalance::read_csv_file(path, csv), name, path);
    name += (name.empty() ? "" : "+") + path;
  }
  if (source) *source = files.size() > 1 ? pattern : files[0];
  return table;
}

// Labels and paths as the tools show them (messages, reports, the JSON summary): invalid UTF-8 and
// control characters (a terminal's escape codes) as \xHH (imbalance/detail/text.hpp).
inline std::string printable(const std::string& text) { return imbalance::detail::printable(text); }
inline std::vector<std::string> printable(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(printable(text));
  return out;
}
// An error message for the terminal: as printable(), keeping its newlines.
inline std::string message_text(const char* what) { return imbalance::detail::printable(what, true); }

// Without --label-column the last column is the label. A last column of numbers that are not all
// whole (a feature, as in a file that has no label column) is refused rather than taken as
// thousands of classes.
inline void check_default_label_column(const std::string& what, const std::string& pattern, const imbalance::CsvTable& table) {
  std::size_t fractional = 0;
  std::string example;
  for (const auto& label : table.labels) {
    double value = 0;
    if (!imbalance::detail::parse_number(label, value)) return;  // text labels
    if (value != std::floor(value) && fractional++ == 0) example = label;
  }
  if (fractional > 0)
    throw imbalance::invalid_argument(fmt::format(
        "{} '{}': the label column is the last one by default, but '{}' holds fractional numbers such as '{}' (a "
        "feature?): name the label column with --label-column",
        what, printable(pattern), printable(table.header[table.label_index]), printable(example)));
}

// The path of rank `rank`'s output: the pattern with every "{rank}" replaced by the rank (one
// process is rank 0, as under mpirun -np 1).
inline std::string rank_path(const std::string& pattern, int rank) {
  std::string path = pattern;
  for (std::size_t at = path.find("{rank}"); at != std::string::npos; at = path.find("{rank}"))
    path.replace(at, 6, std::to_string(rank));
  return path;
}

}  // namespace cli
