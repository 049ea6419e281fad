#pragma once
/// @file
/// Resampling a CSV file larger than memory: random under-sampling, random over-sampling and SMOTE
/// read the file in chunks (CsvChunkReader) and write the output a block at a time, with the bytes
/// the in-memory run writes (read_csv, the resampler, write_csv) for the same seed.
///
/// How, and what stays in memory (besides one chunk of `chunk_rows` rows):
///  - every method first counts the classes in one pass (the sampling strategy needs the counts);
///  - random under-sampling (with or without replacement): the draws of the in-memory sampler, made
///    on the positions of the rows inside their class (the partial Fisher-Yates shuffle kept as the
///    positions it moved), then one pass writing the kept rows in file order: 2 passes, 8-16 bytes
///    per drawn row;
///  - random over-sampling (copies; the smoothed bootstrap needs whole columns and is refused): one
///    pass copies the file, then the drawn copies are gathered in draw order, `gather_rows` at a time
///    (one pass each): 8 bytes per drawn row plus the gathered block;
///  - SMOTE: one pass copies the file; then per class to over-sample, one pass loads that class (its
///    rows, the neighbour index over them, and 16 bytes per synthetic row for the draws), and the
///    synthetic rows are written a block at a time: memory is that of the largest class to
///    over-sample, not of the file. With the HNSW backend (SMOTEOptions::neighbors) the index is
///    sub-quadratic to build and search.
/// Categorical columns are not streamed (their codes depend on the whole file).

#include <algorithm>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/data/csv_stream.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/random_over_sampler.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"
#include "imbalance/under_sampling/random_under_sampler.hpp"

namespace imbalance {

/// How a streamed resampler reads and writes (see imbalance/combine/streaming.hpp).
struct StreamOptions {
  /// Label column and delimiter of the input (categorical columns are refused).
  CsvReadOptions csv;
  /// Rows per chunk read, >= 1.
  Eigen::Index chunk_rows = 65536;
  /// Rows gathered per pass (random over-sampling's copies) and synthetic rows per written block, >= 1.
  Eigen::Index gather_rows = 262144;
};

/// What a streamed resampling did: the file's columns, its classes and their counts before and after.
struct StreamReport {
  std::vector<std::string> header;  ///< the input's columns
  std::size_t label_index = 0;      ///< position of the label column
  LabelEncoder encoder;             ///< label text <-> class, as LabelEncoder of the whole file's labels
  ClassMap before;                  ///< class -> count in the input
  ClassMap after;                   ///< class -> count in the output
  Eigen::Index passes = 0;          ///< passes over the input file
};

namespace detail {

// Pass 1: the columns and the class counts of the file.
inline StreamReport count_chunks(CsvChunkReader& reader) {
  StreamReport report;
  std::map<std::string, Eigen::Index> counts;
  CsvTable chunk;
  reader.rewind();
  while (reader.next(chunk)) {
    if (report.header.empty()) {
      report.header = chunk.header;
      report.label_index = chunk.label_index;
    }
    for (const auto& label : chunk.labels) ++counts[label];
  }
  std::vector<std::string> distinct;
  for (const auto& entry : counts) distinct.push_back(entry.first);
  report.encoder = LabelEncoder(distinct);
  for (const auto& [label, n] : counts) report.before[report.encoder.encode({label})(0)] = n;
  report.after = report.before;
  report.passes = 1;
  return report;
}

// Calls visit(chunk, classes) for every chunk of the file (one pass).
template <class Visit>
void stream_pass(CsvChunkReader& reader, StreamReport& report, Visit&& visit) {
  CsvTable chunk;
  reader.rewind();
  while (reader.next(chunk)) visit(chunk, report.encoder.encode(chunk.labels, reader.path()));
  ++report.passes;
}

// Copies the whole file to out (header and rows, as write_csv writes them).
inline void stream_copy(CsvChunkReader& reader, StreamReport& report, std::ostream& out, const StreamOptions& options) {
  write_csv_header(out, report.header, options.csv.delimiter);
  stream_pass(reader, report, [&](const CsvTable& chunk, const Eigen::VectorXi&) {
    write_csv_rows(out, report.header, report.label_index, chunk.features, chunk.labels, {}, options.csv.delimiter);
  });
}

// Writes the rows of `block` whose entries of `take` are set, each `take` times.
inline void write_taken(std::ostream& out, const StreamReport& report, const CsvTable& block,
                        const std::vector<Eigen::Index>& take, char delimiter) {
  Eigen::Index rows = 0;
  for (Eigen::Index t : take) rows += t;
  Eigen::MatrixXd X(rows, block.features.cols());
  std::vector<std::string> labels;
  labels.reserve(static_cast<std::size_t>(rows));
  Eigen::Index row = 0;
  for (std::size_t i = 0; i < take.size(); ++i)
    for (Eigen::Index t = 0; t < take[i]; ++t) {
      X.row(row++) = block.features.row(static_cast<Eigen::Index>(i));
      labels.push_back(block.labels[i]);
    }
  write_csv_rows(out, report.header, report.label_index, X, labels, {}, delimiter);
}

inline void check_stream_options(const char* function, const StreamOptions& options) {
  if (options.chunk_rows < 1) throw_invalid(function, ": chunk_rows must be >= 1 (got ", options.chunk_rows, ")");
  if (options.gather_rows < 1) throw_invalid(function, ": gather_rows must be >= 1 (got ", options.gather_rows, ")");
}

// The counts given by the caller (checked to be of this file's columns) or counted now.
inline StreamReport counts_for(CsvChunkReader& reader, const StreamReport* counted) {
  if (counted == nullptr) return count_chunks(reader);
  StreamReport report = *counted;
  report.after = report.before;
  report.passes = 0;
  return report;
}

}  // namespace detail

/// The columns, classes and class counts of the CSV file `input` (one pass): what a sampling
/// strategy that names labels needs before resampling; pass it to a stream_ function as `counted`
/// to spare it the counting pass.
inline StreamReport count_csv_classes(const std::string& input, const StreamOptions& stream = {}) {
  detail::check_stream_options("count_csv_classes()", stream);
  CsvChunkReader reader(input, stream.csv, stream.chunk_rows);
  return detail::count_chunks(reader);
}

/// RandomUnderSampler on the CSV file `input`, written to `out` as CSV (header included): the same
/// bytes as reading the whole file, RandomUnderSampler(options).fit_resample and write_csv, for the
/// same generator state. Two passes over the file (one with `counted`, the file's counts from
/// count_csv_classes(); the same for the other stream_ functions).
template <class Engine>
StreamReport stream_random_under(const std::string& input, std::ostream& out, const RandomUnderSamplerOptions& options,
                                 const StreamOptions& stream, Engine& rng, const StreamReport* counted = nullptr) {
  detail::check_stream_options("stream_random_under()", stream);
  CsvChunkReader reader(input, stream.csv, stream.chunk_rows);
  StreamReport report = detail::counts_for(reader, counted);
  const ClassMap plan = options.sampling_strategy.resolve(report.before, SamplerKind::UnderSampling);
  // Per class with a target: how often each position inside the class is kept (sorted positions;
  // the in-memory sampler sorts the kept row indices, so copies of a row are adjacent).
  std::map<int, std::vector<Eigen::Index>> kept;
  for (const auto& [label, m] : report.before) {
    const auto target = plan.find(label);
    if (target == plan.end()) continue;
    const auto n = static_cast<std::size_t>(target->second);
    const auto size = static_cast<std::uint64_t>(m);
    std::vector<Eigen::Index>& positions = kept[label];
    if (options.replacement) {
      for (std::size_t s = 0; s < n; ++s) positions.push_back(static_cast<Eigen::Index>(uniform_index(rng, size)));
    } else {
      // The partial Fisher-Yates shuffle of positions 0..m-1, holding only the moved entries.
      std::unordered_map<std::uint64_t, std::uint64_t> moved;
      auto at = [&](std::uint64_t i) {
        const auto found = moved.find(i);
        return found == moved.end() ? i : found->second;
      };
      for (std::uint64_t s = 0; s < n; ++s) {
        const std::uint64_t t = s + uniform_index(rng, size - s);
        const std::uint64_t a = at(s), b = at(t);
        moved[s] = b;
        moved[t] = a;
      }
      for (std::uint64_t s = 0; s < n; ++s) positions.push_back(static_cast<Eigen::Index>(at(s)));
    }
    std::sort(positions.begin(), positions.end());
    report.after[label] = static_cast<Eigen::Index>(n);
  }
  write_csv_header(out, report.header, stream.csv.delimiter);
  std::map<int, Eigen::Index> seen;  // rows of each class passed so far
  std::map<int, std::size_t> next;   // first kept position not yet written, per class
  std::vector<Eigen::Index> take;
  detail::stream_pass(reader, report, [&](const CsvTable& chunk, const Eigen::VectorXi& classes) {
    take.assign(chunk.labels.size(), 0);
    for (Eigen::Index i = 0; i < classes.size(); ++i) {
      const int label = classes(i);
      const Eigen::Index position = seen[label]++;
      const auto found = kept.find(label);
      if (found == kept.end()) {
        take[static_cast<std::size_t>(i)] = 1;
        continue;
      }
      std::size_t& k = next[label];
      while (k < found->second.size() && found->second[k] == position) {
        ++take[static_cast<std::size_t>(i)];
        ++k;
      }
    }
    detail::write_taken(out, report, chunk, take, stream.csv.delimiter);
  });
  return report;
}

/// RandomOverSampler (copies, no shrinkage) on the CSV file `input`, written to `out`: the same
/// bytes as the in-memory run for the same generator state. 2 + ceil(copies / gather_rows) passes.
template <class Engine>
StreamReport stream_random_over(const std::string& input, std::ostream& out, const RandomOverSamplerOptions& options,
                                const StreamOptions& stream, Engine& rng, const StreamReport* counted = nullptr) {
  const char* function = "stream_random_over()";
  detail::check_stream_options(function, stream);
  if (options.shrinkage)
    detail::throw_invalid(function, ": shrinkage (the smoothed bootstrap) needs each class's column spreads and is not streamed");
  CsvChunkReader reader(input, stream.csv, stream.chunk_rows);
  StreamReport report = detail::counts_for(reader, counted);
  const ClassMap plan = options.sampling_strategy.resolve(report.before, SamplerKind::OverSampling);
  // The draws, in the in-memory order: per class, positions inside the class.
  std::vector<std::pair<int, Eigen::Index>> copies;
  for (const auto& [label, n] : plan) {
    if (n <= 0) continue;
    const auto size = static_cast<std::uint64_t>(report.before.at(label));
    for (Eigen::Index s = 0; s < n; ++s) copies.emplace_back(label, static_cast<Eigen::Index>(uniform_index(rng, size)));
    report.after[label] += n;
  }
  detail::stream_copy(reader, report, out, stream);
  for (std::size_t first = 0; first < copies.size(); first += static_cast<std::size_t>(stream.gather_rows)) {
    const std::size_t last = std::min(copies.size(), first + static_cast<std::size_t>(stream.gather_rows));
    // The block's draws per class, by position: each row read once, copied to every slot that drew it.
    std::map<int, std::vector<std::pair<Eigen::Index, Eigen::Index>>> wanted;  // class -> (position, slot)
    for (std::size_t i = first; i < last; ++i)
      wanted[copies[i].first].emplace_back(copies[i].second, static_cast<Eigen::Index>(i - first));
    for (auto& entry : wanted) std::sort(entry.second.begin(), entry.second.end());
    CsvTable block;
    block.labels.resize(last - first);
    std::map<int, Eigen::Index> seen;
    std::map<int, std::size_t> cursor;
    detail::stream_pass(reader, report, [&](const CsvTable& chunk, const Eigen::VectorXi& classes) {
      if (block.features.cols() != chunk.features.cols())
        block.features.resize(static_cast<Eigen::Index>(last - first), chunk.features.cols());
      for (Eigen::Index i = 0; i < classes.size(); ++i) {
        const Eigen::Index position = seen[classes(i)]++;
        const auto found = wanted.find(classes(i));
        if (found == wanted.end()) continue;
        std::size_t& c = cursor[classes(i)];
        for (; c < found->second.size() && found->second[c].first == position; ++c) {
          block.features.row(found->second[c].second) = chunk.features.row(i);
          block.labels[static_cast<std::size_t>(found->second[c].second)] = chunk.labels[static_cast<std::size_t>(i)];
        }
      }
    });
    write_csv_rows(out, report.header, report.label_index, block.features, block.labels, {}, stream.csv.delimiter);
  }
  return report;
}

/// SMOTE on the CSV file `input`, written to `out`: the same bytes as the in-memory run for the same
/// generator state and options (the exact backend, or HNSW with the same parameters). Memory: the
/// largest class to over-sample and its neighbour index (see the file's comment).
template <class Engine>
StreamReport stream_smote(const std::string& input, std::ostream& out, const SMOTEOptions& options,
                          const StreamOptions& stream, Engine& rng, const StreamReport* counted = nullptr) {
  const char* function = "stream_smote()";
  detail::check_stream_options(function, stream);
  static_cast<void>(SMOTE(options));  // refuses impossible options before any pass
  CsvChunkReader reader(input, stream.csv, stream.chunk_rows);
  StreamReport report = detail::counts_for(reader, counted);
  const ClassMap plan = options.sampling_strategy.resolve(report.before, SamplerKind::OverSampling);
  const Eigen::Index k = options.k_neighbors;
  for (const auto& [label, n] : plan)
    if (n > 0) detail::check_class_size(function, label, static_cast<std::size_t>(report.before.at(label)), k, "k_neighbors");
  detail::stream_copy(reader, report, out, stream);
  for (const auto& entry : plan) {
    const int label = entry.first;  // named copies: lambdas below capture them (C++17 cannot capture bindings)
    const Eigen::Index n = entry.second;
    if (n <= 0) continue;
    // The class's rows, in file order (as the in-memory sampler indexes them).
    Eigen::MatrixXd members(report.before.at(label), 0);
    const std::string& label_text = report.encoder.classes()[static_cast<std::size_t>(label)];
    Eigen::Index filled = 0;
    detail::stream_pass(reader, report, [&](const CsvTable& chunk, const Eigen::VectorXi& classes) {
      if (members.cols() != chunk.features.cols()) members.resize(members.rows(), chunk.features.cols());
      for (Eigen::Index i = 0; i < classes.size(); ++i)
        if (classes(i) == label) members.row(filled++) = chunk.features.row(i);
    });
    NeighborIndices neighbors;
    {
      const NearestNeighbors nn(members, options.neighbors);
      neighbors = nn.self_neighbors(k);
    }
    // SMOTE's draws for the class (detail::interpolate's order: every pair, then every step).
    const auto kk = static_cast<std::uint64_t>(k);
    std::vector<std::uint64_t> pairs(static_cast<std::size_t>(n));
    for (auto& p : pairs) p = uniform_index(rng, static_cast<std::uint64_t>(members.rows()) * kk);
    std::vector<double> steps(static_cast<std::size_t>(n));
    for (auto& u : steps) u = uniform01(rng);
    Eigen::MatrixXd block;
    std::vector<std::string> labels;
    for (Eigen::Index first = 0; first < n; first += stream.gather_rows) {
      const Eigen::Index rows = std::min(stream.gather_rows, n - first);
      block.resize(rows, members.cols());
      labels.assign(static_cast<std::size_t>(rows), label_text);
      detail::parallel_chunks(rows, 4096, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index r = begin; r < end; ++r) {
          const std::uint64_t p = pairs[static_cast<std::size_t>(first + r)];
          const auto base = static_cast<Eigen::Index>(p / kk);
          detail::interpolate_row(block.row(r), members, base, neighbors(base, static_cast<Eigen::Index>(p % kk)),
                                  steps[static_cast<std::size_t>(first + r)]);
        }
      });
      write_csv_rows(out, report.header, report.label_index, block, labels, {}, stream.csv.delimiter);
    }
    report.after[label] += n;
  }
  return report;
}

}  // namespace imbalance
