// CSV benchmark: write_csv and read_csv of N rows x d standard-normal features plus a label (default
// the SMOTE workload of issue 12: 60,000 x 32), in MB/s of CSV text, in memory (a string stream, so
// the disk is not measured). Floors measured in the same run: std::to_chars of every number into one
// buffer (the writer's formatting alone) and std::from_chars of every number from the written text
// (the reader's parsing alone, fields found by a plain scan), on one thread; the reader and writer
// on 1 and 2 threads.
//
// Usage: imbalance-bench-csv [rows] [features]
#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

int main(int argc, char** argv) {
  bench::print_machine();
  const Eigen::Index rows = argc > 1 ? std::atol(argv[1]) : 60000;
  const Eigen::Index d = argc > 2 ? std::atol(argv[2]) : 32;
  imbalance::Rng rng(7);
  Eigen::MatrixXd X(rows, d);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) = imbalance::standard_normal(rng);
  std::vector<std::string> header, labels(static_cast<std::size_t>(rows));
  for (Eigen::Index j = 0; j < d; ++j) header.push_back("f" + std::to_string(j));
  header.push_back("label");
  for (Eigen::Index i = 0; i < rows; ++i) labels[static_cast<std::size_t>(i)] = i % 3 == 0 ? "minority" : "majority";

  std::string text;
  imbalance::CsvTable table;
  double write_ns[2], read_ns[2];
  for (int threads : {1, 2}) {
    bench::set_threads(threads);
    write_ns[threads - 1] = bench::best_ns(
        [&] {
          std::ostringstream out;
          imbalance::write_csv(out, header, header.size() - 1, X, labels);
          text = std::move(out).str();
        },
        5);
    read_ns[threads - 1] = bench::best_ns(
        [&] {
          std::istringstream in(text);
          table = imbalance::read_csv(in, "benchmark");
          bench::do_not_optimize(table.features.data());
        },
        5);
    if (!(table.features.array() == X.array()).all()) {
      fmt::print(stderr, "round trip failed\n");
      return 1;
    }
  }
  const double megabytes = static_cast<double>(text.size()) / 1e6;
  // Floors: formatting alone and parsing alone.
  std::string buffer(text.size() + 64, '\0');
  const double to_chars_ns = bench::best_ns(
      [&] {
        char* p = buffer.data();
        char* const end = buffer.data() + buffer.size();
        for (Eigen::Index i = 0; i < rows; ++i)
          for (Eigen::Index j = 0; j < d; ++j) {
            p = std::to_chars(p, end, X(i, j)).ptr;
            *p++ = ',';
          }
        bench::do_not_optimize(p);
      },
      3);
  Eigen::MatrixXd parsed(rows, d);
  const double from_chars_ns = bench::best_ns(
      [&] {
        const char* p = text.data() + text.find('\n') + 1;
        const char* const end = text.data() + text.size();
        for (Eigen::Index i = 0; i < rows; ++i) {
          for (Eigen::Index j = 0; j < d; ++j) p = std::from_chars(p, end, parsed(i, j)).ptr + 1;
          p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))) + 1;
        }
        bench::do_not_optimize(parsed.data());
      },
      3);

  fmt::print("CSV, {} rows x {} features + label, {:.1f} MB of text, in memory\n", rows, d, megabytes);
  fmt::print("{:<34} {:>10} {:>10}\n", "", "seconds", "MB/s");
  auto row = [&](const char* name, double ns) { fmt::print("{:<34} {:>10.3f} {:>10.0f}\n", name, ns * 1e-9, megabytes / (ns * 1e-9)); };
  row("write_csv, 1 thread", write_ns[0]);
  row("write_csv, 2 threads", write_ns[1]);
  row("floor: std::to_chars of every cell", to_chars_ns);
  row("read_csv, 1 thread", read_ns[0]);
  row("read_csv, 2 threads", read_ns[1]);
  row("floor: std::from_chars of every cell", from_chars_ns);
  return 0;
}
