// imbalance-train: train a softmax regression with an imbalance-aware loss on a labelled CSV file
// and evaluate it on another.
//
//   imbalance-train --train train.csv --test test.csv --loss ldam-drw --head linear --epochs 100 --json out.json
//
// Features are standardised with the training statistics. The report (per-class precision,
// recall, specificity, F1, G-mean, support and training counts; balanced accuracy; many/medium/few)
// goes to standard output, the JSON summary to --json. Every choice (--loss, --head, --resample,
// --sampler, --schedule, --posthoc) and its options come from the registries (imbalance/registry/).
#include <iostream>

#include "cli/process.hpp"
#include "cli/train_tool.hpp"

int main(int argc, char** argv) {
  cli::keep_freed_memory();
  cli::remove_temporaries_on_signals();
#if defined(IMBALANCE_CLI_MPI)
  const cli::mpi::Session mpi(argc, argv);  // under mpirun: one rank of a distributed run (--distributed)
#endif
  CLI::App app;
  cli::TrainTool tool;
  tool.add_to(app);
  CLI11_PARSE(app, argc, argv);
  return tool.run(std::cout, std::cerr);
}
