// The command-line tools under mpirun (imbalance::mpi): each rank reads its shard of the CSV data,
// the ranks agree on the columns and the classes, and every failure reaches every rank (rank 0
// prints it; every rank exits with status 1). Compiled when the CLI layer links MPI
// (IMBALANCE_CLI_MPI).
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <imbalance/data/csv.hpp>
#include <imbalance/distributed/class_counts.hpp>
#include <imbalance/distributed/communicator.hpp>
#include <imbalance/distributed/softmax_classifier.hpp>

#include "inputs.hpp"
#include "options.hpp"
#include "outputs.hpp"

namespace cli::mpi {

// Whether this process was started by an MPI launcher: the environment variables that Open MPI's
// mpirun/mpiexec, PMIx (prun, srun --mpi=pmix), MPICH's and Intel MPI's Hydra and PMI-2 set for
// every rank they start.
inline bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "PMI_FD", "MPI_LOCALNRANKS"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

// Whether argv asks for a distributed run (--distributed), read before the command line is parsed.
inline bool asks_distributed(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--distributed") == 0) return true;
  return false;
}

// MPI for the lifetime of a main (MPI_Init, MPI_Finalize), initialised only when the process was
// started by an MPI launcher or --distributed asks for it: Open MPI's start-up costs ~0.4 s and
// aborts the process where its runtime cannot start (no PATH, a small file-size limit), which a
// one-process run (even --help) must never pay. Without MPI_Init the tools run in one process.
class Session {
 public:
  Session(int& argc, char**& argv) : active_(launched_by_mpi() || asks_distributed(argc, argv)) {
    if (active_) MPI_Init(&argc, &argv);
  }
  ~Session() {
    if (active_) MPI_Finalize();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

 private:
  bool active_;
};

// A collective that waited past --mpi-timeout: this rank says so (a stopped rank may be rank 0, so
// every rank that waited prints) and ends the whole job; MPI_Finalize would wait for the stopped
// rank as well.
[[noreturn]] inline void abort_on_timeout(const char* tool, const imbalance::distributed::collective_timeout& e,
                                          std::ostream& err) {
  err << tool << ": " << e.what() << "; --mpi-timeout ended the run\n";
  err.flush();
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();  // MPI_Abort does not return
}

// The --mpi-timeout option of both tools.
inline void add_timeout_option(CLI::App& app, double& seconds) {
  add_real(app, "--mpi-timeout", seconds,
           "under MPI, the longest wait in seconds for the other ranks at any collective step before the whole run "
           "ends with an error (a stopped or hung rank would otherwise keep its peers waiting for ever); 0: no limit",
           0, 1e9);
}

// Whether MPI was initialised by the main (the in-process tests of the tools do not).
inline bool available() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  return initialized != 0;
}

// The number of ranks, 1 without MPI.
inline int world_size() {
  if (!available()) return 1;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// This rank's shard of `pattern`: with F files (sorted), the files [F rank / P, F (rank + 1) / P);
// with one file, its rows [N rank / P, N (rank + 1) / P). Either way the ranks' shards, in rank
// order, are the data in file order, whatever P. `what` names the option in messages.
struct Shard {
  imbalance::CsvTable table;
  std::string source;  // the file(s) it came from, for messages
  // Where its rows come from: rows [begin, next piece's begin) of the shard are the data rows
  // first_row + 1, ... of `file`.
  struct Piece {
    std::string file;
    std::size_t begin = 0, first_row = 0;
  };
  std::vector<Piece> pieces;

  // The shard's labels encoded; an unknown label is named with its file and data row.
  Eigen::VectorXi encode(const imbalance::LabelEncoder& encoder) const {
    Eigen::VectorXi out(static_cast<Eigen::Index>(table.labels.size()));
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      const std::size_t begin = pieces[p].begin, end = p + 1 < pieces.size() ? pieces[p + 1].begin : table.labels.size();
      const std::vector<std::string> labels(table.labels.begin() + static_cast<std::ptrdiff_t>(begin),
                                            table.labels.begin() + static_cast<std::ptrdiff_t>(end));
      out.segment(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin)) =
          encoder.encode(labels, pieces[p].file, pieces[p].first_row);
    }
    return out;
  }
};

inline Shard read_shard(const imbalance::distributed::Communicator& comm, const std::string& what,
                        const std::string& pattern, const imbalance::CsvReadOptions& csv) {
  Shard shard;
  comm.agree([&] {
    const std::vector<std::string> files = expand(pattern);
    if (files.size() > 1) {
      // A block of consecutive files per rank: in rank order, the files in their sorted order, so the
      // global row order does not depend on the number of ranks.
      const std::size_t files_begin = files.size() * static_cast<std::size_t>(comm.rank()) / static_cast<std::size_t>(comm.size());
      const std::size_t files_end = files.size() * static_cast<std::size_t>(comm.rank() + 1) / static_cast<std::size_t>(comm.size());
      for (std::size_t i = files_begin; i < files_end; ++i) {
        shard.pieces.push_back({files[i], shard.table.labels.size(), 0});
        append_table(shard.table, imbalance::read_csv_file(files[i], csv), shard.source, files[i]);
        shard.source += (shard.source.empty() ? "" : "+") + files[i];
      }
      if (shard.source.empty())
        throw imbalance::invalid_argument(fmt::format("{} '{}' matches {} files, fewer than the {} ranks: rank {} has no shard",
                                                      what, pattern, files.size(), comm.size(), comm.rank()));
    } else {
      imbalance::CsvTable all = imbalance::read_csv_file(files[0], csv);
      const auto n = static_cast<Eigen::Index>(all.labels.size());
      const Eigen::Index begin = n * comm.rank() / comm.size(), end = n * (comm.rank() + 1) / comm.size();
      shard.table = all;
      shard.table.features = all.features.middleRows(begin, end - begin);
      shard.table.labels.assign(all.labels.begin() + begin, all.labels.begin() + end);
      shard.source = fmt::format("{} rows {}..{}", files[0], begin, end);
      shard.pieces.push_back({files[0], 0, static_cast<std::size_t>(begin)});
    }
    if (shard.table.labels.empty())
      throw imbalance::invalid_argument(fmt::format("{}: the shard of rank {} ({}) has no rows", what, comm.rank(), shard.source));
  });
  // The ranks agree on the columns: compare every rank's header with rank 0's.
  std::string header;
  for (const auto& column : shard.table.header) header += column + '\n';
  header += "label=" + shard.table.header[shard.table.label_index];
  std::vector<int> sizes;
  const std::vector<char> all = comm.all_gather(std::vector<char>(header.begin(), header.end()), &sizes);
  const std::string first(all.begin(), all.begin() + sizes[0]);
  comm.agree([&] {
    if (header == first) return;
    // Rank 0's columns, to name what differs.
    std::vector<std::string> rank0;
    std::string name;
    for (char c : first) {
      if (c != '\n') {
        name.push_back(c);
        continue;
      }
      rank0.push_back(name);
      name.clear();
    }
    const std::string rank0_label = name.substr(name.find('=') + 1);
    rank0.erase(std::remove(rank0.begin(), rank0.end(), rank0_label), rank0.end());
    std::vector<std::string> mine = shard.table.header;
    mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(shard.table.label_index));
    const std::string label = shard.table.header[shard.table.label_index];
    throw imbalance::invalid_argument(fmt::format(
        "{}: the shard of rank {} ({}) has the columns {} with label column '{}', but rank 0's has different ones "
        "({}{}; every shard needs the same feature columns and label column)",
        what, comm.rank(), shard.source, fmt::join(shard.table.feature_names, ","), label,
        column_difference(mine, rank0, "this shard", "rank 0's"), label != rank0_label ? fmt::format("; rank 0's label column is '{}'", rank0_label) : ""));
  });
  return shard;
}

// Refuses, on every rank, outputs of two ranks that resolve to one file (--output 'o/{rank}/../x.csv'
// would have every rank rename onto o/x.csv, the last one winning). Character devices (/dev/null)
// may be shared.
inline void check_distinct_outputs(const imbalance::distributed::Communicator& comm, const std::string& option,
                                   const std::string& path) {
  const std::string mine = is_device(path) ? std::string() : output_identity(path);
  std::vector<char> flat(mine.begin(), mine.end());
  flat.push_back('\0');
  const std::vector<char> all = comm.all_gather(flat);
  std::vector<std::string> paths;
  std::string current;
  for (char c : all) {
    if (c == '\0') {
      paths.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  comm.agree([&] {
    if (const auto pair = colliding_ranks(paths))
      throw imbalance::invalid_argument(fmt::format(
          "{} '{}': ranks {} and {} would both write '{}' (their paths resolve to one file); the pattern must "
          "give every rank its own file",
          option, printable(path), pair->first, pair->second, printable(paths[pair->first])));
  });
}

// The sorted union of every rank's label texts: the classes, the same on every rank.
inline std::vector<std::string> global_classes(const imbalance::distributed::Communicator& comm,
                                               const std::vector<std::string>& labels) {
  const std::set<std::string> mine(labels.begin(), labels.end());
  std::vector<char> flat;
  for (const auto& label : mine) {
    flat.insert(flat.end(), label.begin(), label.end());
    flat.push_back('\0');
  }
  const std::vector<char> all = comm.all_gather(flat);
  std::set<std::string> classes;
  std::string current;
  for (char c : all) {
    if (c == '\0') {
      classes.insert(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return {classes.begin(), classes.end()};
}

// Standardisation on the global column moments, exact (and so the same for every number of
// ranks) and right for columns of any finite magnitude, as imbalance::Standardizer in one process:
// each column is scaled by the power of two that brings its largest |x| (over all ranks) into
// [0.5, 1) (exact), so that every column gets its own fixed-point grid (a nanosecond timestamp
// beside a ratio loses nothing of the ratio) and no square can overflow; then mean = sum x / N and
// scale = sqrt(sum (x - mean)^2 / N) (1 for a constant column), both sums in 128-bit fixed point,
// both scaled back (exact).
struct GlobalScaler {
  Eigen::RowVectorXd mean, scale;

  static GlobalScaler fit(const imbalance::distributed::Communicator& comm, const Eigen::MatrixXd& x) {
    using imbalance::distributed::ExactSum;
    const Eigen::Index d = x.cols();
    const std::int64_t n = comm.sum(static_cast<std::int64_t>(x.rows()));
    std::vector<double> largest(static_cast<std::size_t>(d), 0.0);
    for (Eigen::Index j = 0; j < d; ++j)
      if (x.rows() > 0) largest[static_cast<std::size_t>(j)] = x.col(j).cwiseAbs().maxCoeff();
    comm.max(largest);
    std::vector<int> exponent(static_cast<std::size_t>(d), 0);
    for (Eigen::Index j = 0; j < d; ++j)
      if (largest[static_cast<std::size_t>(j)] > 0) std::frexp(largest[static_cast<std::size_t>(j)], &exponent[static_cast<std::size_t>(j)]);
    // ldexp, not a product: 2^-exponent itself may lie outside the double range.
    const auto scaled = [&](Eigen::Index i, Eigen::Index j) { return std::ldexp(x(i, j), -exponent[static_cast<std::size_t>(j)]); };
    ExactSum sums(d, 1.0, static_cast<Eigen::Index>(n));  // |scaled| < 1
    for (Eigen::Index j = 0; j < d; ++j)
      for (Eigen::Index i = 0; i < x.rows(); ++i) sums.add(j, scaled(i, j));
    std::vector<std::int64_t> pairs = sums.pairs();
    comm.sum_int128(pairs);
    Eigen::RowVectorXd scaled_mean(d);
    for (Eigen::Index j = 0; j < d; ++j) scaled_mean(j) = sums.value(pairs, j) / static_cast<double>(n);
    ExactSum squares(d, 4.0, static_cast<Eigen::Index>(n));  // |scaled - mean| < 2
    for (Eigen::Index j = 0; j < d; ++j)
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const double deviation = scaled(i, j) - scaled_mean(j);
        squares.add(j, deviation * deviation);
      }
    pairs = squares.pairs();
    comm.sum_int128(pairs);
    GlobalScaler s;
    s.mean.resize(d);
    s.scale.resize(d);
    for (Eigen::Index j = 0; j < d; ++j) {
      const int e = exponent[static_cast<std::size_t>(j)];
      s.mean(j) = std::ldexp(scaled_mean(j), e);
      s.scale(j) = std::ldexp(std::sqrt(squares.value(pairs, j) / static_cast<double>(n)), e);
      if (!(s.scale(j) > 0)) s.scale(j) = 1.0;
    }
    return s;
  }

  Eigen::MatrixXd transform(const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd out(x.rows(), x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      for (Eigen::Index i = 0; i < x.rows(); ++i) out(i, j) = (x(i, j) * 0.5 - mean(j) * 0.5) / scale(j) * 2;
    return out;
  }
};

}  // namespace cli::mpi
