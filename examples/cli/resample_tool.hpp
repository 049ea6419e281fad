// imbalance-resample as a reusable object: add_to(app) declares its command line (choices and
// options from the resampler registry), run() does the work. main() is three lines; the tests
// drive the same object.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

// Only what the class's declaration names: its definitions (resample_tool.cpp) include the rest.
#include <imbalance/data/csv.hpp>
#include <imbalance/registry/resamplers.hpp>
#include <imbalance/combine/streaming.hpp>

#include "inputs.hpp"
#include "method_choice.hpp"
#include "options.hpp"
#include "outputs.hpp"
#if defined(IMBALANCE_CLI_MPI)
#include "distributed.hpp"
#endif

namespace cli {

class ResampleTool {
 public:
  ResampleTool() : method_(imbalance::resampler_registry(), "smote") { lists_.add("resamplers", imbalance::resampler_registry()); }

  void add_to(CLI::App& app);

  /// Runs the tool: 0 on success, 1 after printing the error to err.
  int run(std::ostream& out, std::ostream& err) const;

 private:
#if defined(IMBALANCE_CLI_MPI)
  // Every check below either depends on the command line only (the same on every rank) or runs in
  // Communicator::agree, so a failure stops every rank and none waits for another.
  int run_distributed(std::ostream& out, std::ostream& err) const;
#endif

  // "label:count" targets name labels as they appear in the file; the library wants class indices.
  // --stream: the file read in chunks, never whole (random-over, random-under, smote).
  int run_stream(std::ostream& out, std::ostream& err) const;

  // The neighbour search the command line asks for (exact unless --neighbours hnsw).
  imbalance::NeighborSearch neighbor_search() const;

  static std::string strategy_in_classes(const std::string& text, const imbalance::LabelEncoder& encoder);

  static void print_counts(std::ostream& out, const imbalance::LabelEncoder& encoder, const Eigen::VectorXi& before,
                           const Eigen::VectorXi& after);

  static void print_count_table(std::ostream& out, const imbalance::LabelEncoder& encoder, const imbalance::ClassCounts& b,
                                const imbalance::ClassCounts& a);

  MethodChoice<imbalance::ResamplerFactory> method_;
  MethodLists lists_;
  std::string input_, output_ = "-", label_column_, strategy_ = "auto";
  std::vector<std::string> categorical_;
  std::uint64_t seed_ = 0;
  std::string neighbours_ = "exact";
  imbalance::HnswParameters hnsw_;
  std::vector<const CLI::Option*> hnsw_options_;  // given only with --neighbours hnsw
  bool stream_ = false;
  imbalance::StreamOptions stream_options_;
#if defined(IMBALANCE_CLI_MPI)
  bool distributed_ = false;  // --distributed (the flag exists only with MPI)
  double mpi_timeout_ = 0;
#endif
};

}  // namespace cli
