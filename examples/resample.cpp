// imbalance-resample: rebalance a labelled CSV file with one of the library's resamplers.
//
//   imbalance-resample --input train.csv --output balanced.csv --method smote --k-neighbors 5
//
// The label column is chosen by name (--label-column, default: the last column). The output has
// the same header; original (or kept) rows come first, then synthetic rows grouped by class. Class
// counts before and after are printed (to stderr when the CSV goes to stdout). The methods and
// their options come from the resampler registry (imbalance/registry/resamplers.hpp).
#include <iostream>

#include "cli/process.hpp"
#include "cli/resample_tool.hpp"

int main(int argc, char** argv) {
  cli::keep_freed_memory();
  cli::remove_temporaries_on_signals();
#if defined(IMBALANCE_CLI_MPI)
  const cli::mpi::Session mpi(argc, argv);  // under mpirun: one rank of a distributed run (--distributed)
#endif
  CLI::App app;
  cli::ResampleTool tool;
  tool.add_to(app);
  CLI11_PARSE(app, argc, argv);
  return tool.run(std::cout, std::cerr);
}
