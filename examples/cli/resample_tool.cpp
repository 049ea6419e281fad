// ResampleTool's definitions: compiled once into imbalance_cli, not in every file that drives the tool.
#include "resample_tool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>

#include <imbalance/imbalance.hpp>
#include <imbalance/registry.hpp>
#if defined(IMBALANCE_CLI_MPI)
#include <imbalance/distributed/resamplers.hpp>
#endif

namespace cli {

void ResampleTool::add_to(CLI::App& app) {
  app.description(
      "Rebalance a labelled CSV file (header row, numeric features, one label column; categorical\n"
      "feature columns named by --categorical).\n"
      "Methods follow imbalanced-learn 0.10; see the imbalance README for the details of each.");
  app.add_option("-i,--input", input_, "CSV file to read");
  app.add_option("-o,--output", output_, "CSV file to write, '-' for standard output")->capture_default_str();
  app.add_option("--label-column", label_column_, "name of the label column (default: the last column)");
  app.add_option("--categorical", categorical_,
                 "names of categorical feature columns, read as text and written back as the same text "
                 "(methods smotenc, smoten)")
      ->delimiter(',')
      ->type_name("COL,COL");
  method_.alias("k-neighbors", "-k");
  method_.add_to(app, "-m,--method", "resampler");
  app.add_option("-s,--sampling-strategy", strategy_,
                 "auto, minority, majority, 'not minority', 'not majority', all, a ratio n_min/n_maj (binary "
                 "problems), or targets 'label:count,label:count' (labels as written in the file)")
      ->capture_default_str();
  add_seed(app, "--seed", seed_, "seed of the random generator, 0 to 2^64-1 (same seed, same output)");
#if defined(IMBALANCE_CLI_MPI)
  app.add_flag("--distributed", distributed_,
               "resample the shards of all MPI ranks as one data set (implied under mpirun -np P > 1): "
               "--input 'data/part-*.csv' gives rank r the r-th of P consecutive blocks of the sorted "
               "files (one file: of its rows); each rank writes its output to --output with '{rank}' replaced by its "
               "rank; the sampling strategy sees the global class counts. Methods: random-over, "
               "random-under, smote (the same rows as one process on the concatenated shards)");
  mpi::add_timeout_option(app, mpi_timeout_);
#endif
  lists_.add_to(app);
}

int ResampleTool::run(std::ostream& out, std::ostream& err) const {
  if (lists_.print_if_asked(out)) return 0;
#if defined(IMBALANCE_CLI_MPI)
  if (distributed_ || mpi::world_size() > 1) return run_distributed(out, err);
#endif
  try {
    if (input_.empty()) throw imbalance::invalid_argument("--input is required");
    const imbalance::OptionValues values = method_.values();  // refused before any work
    // The output is a temporary file until everything is written: a failure leaves the old file
    // (which may be the input itself) as it was, and a path that cannot be written fails first.
    // One process is rank 0 of one: '{rank}' in --output and a pattern in --input mean what they mean
    // under mpirun.
    // In place (-o the input file) is safe: the input is read in full before the output replaces
    // it. Not so one file of several (a pattern): the others' rows would go into it.
    const std::vector<std::string> inputs = input_files(input_);
    check_outputs({{"--input", input_}}, {{"--output", rank_path(output_, 0)}}, inputs.size() == 1 ? inputs[0] : "");
    std::optional<imbalance::AtomicFile> file;
    if (output_ != "-") file.emplace(rank_path(output_, 0));
    const imbalance::CsvTable table = read_csv_pattern("--input", input_, {label_column_, ',', categorical_, {}, false});
    if (label_column_.empty()) check_default_label_column("--input", input_, table);
    const imbalance::LabelEncoder encoder(table.labels);
    const imbalance::ScopedClassNames names(printable(encoder.classes()));  // messages name labels as in the file
    const Eigen::VectorXi y = encoder.encode(table.labels, input_);
    imbalance::ResampleContext context;
    context.sampling_strategy = imbalance::SamplingStrategy::parse(strategy_in_classes(strategy_, encoder));
    context.categorical_features = table.categorical_features();
    imbalance::Rng rng(seed_);
    const auto result = imbalance::resample(method_.name(), values, context, table.features, y, rng);
    std::ostream& report = file ? out : err;
    if (file) {
      imbalance::write_csv(file->stream(), table.header, table.label_index, result.X, encoder.decode(result.y),
                           table.categories);
      file->commit();
    } else {
      imbalance::write_csv(out, table.header, table.label_index, result.X, encoder.decode(result.y), table.categories);
      if (!out.flush()) throw std::runtime_error("error writing to standard output");
    }
    report << fmt::format("{} on {} ({} rows, {} features, label '{}')\n", method_.name(), printable(input_),
                          table.features.rows(), table.features.cols(), printable(table.header[table.label_index]));
    print_counts(report, encoder, y, result.y);
  } catch (const std::exception& e) {
    err << "imbalance-resample: " << message_text(e.what()) << "\n";
    return 1;
  }
  return 0;
}

#if defined(IMBALANCE_CLI_MPI)
int ResampleTool::run_distributed(std::ostream& out, std::ostream& err) const {
  namespace dist = imbalance::distributed;
  if (!mpi::available()) {
    err << "imbalance-resample: --distributed needs the program started through MPI (mpirun)\n";
    return 1;
  }
  const dist::Communicator comm(MPI_COMM_WORLD, mpi_timeout_);
  try {
    if (input_.empty()) throw imbalance::invalid_argument("--input is required");
    const std::string& method = method_.name();
    const auto& registry = dist::resampler_registry();
    if (!registry.contains(method))
      throw imbalance::invalid_argument(fmt::format("resampler '{}' does not run distributed: under MPI, --method is {}",
                                                    method, registry.joined_names()));
    if (!categorical_.empty()) throw imbalance::invalid_argument("--categorical does not run distributed");
    if (comm.size() > 1 && output_.find("{rank}") == std::string::npos)
      throw imbalance::invalid_argument(fmt::format(
          "--output '{}' must contain '{{rank}}' with {} ranks: each rank writes its own file", output_, comm.size()));
    const imbalance::OptionValues values = method_.values();
    registry.check(method, values);  // e.g. random-over's shrinkage: not over MPI
    // No rank's output may be an input (another rank's shard, or rows of the one file that other
    // ranks read), and no two ranks' outputs one file: the ranks compare their resolved paths.
    const std::string my_output = rank_path(output_, comm.rank());
    comm.agree([&] {
      const std::vector<std::string> inputs = input_files(input_);
      check_outputs({{"--input", input_}}, {{"--output", my_output}},
                    comm.size() == 1 && inputs.size() == 1 ? inputs[0] : "");
    });
    if (output_ != "-") mpi::check_distinct_outputs(comm, "--output", my_output);
    std::optional<imbalance::AtomicFile> file;
    comm.agree([&] {
      if (output_ != "-") file.emplace(my_output);
    });
    const mpi::Shard shard = mpi::read_shard(comm, "--input", input_, {label_column_, ',', {}, {}, false});
    const imbalance::LabelEncoder encoder(mpi::global_classes(comm, shard.table.labels));
    const imbalance::ScopedClassNames names(printable(encoder.classes()));
    Eigen::VectorXi y;
    imbalance::SamplingStrategy strategy;
    comm.agree([&] {
      y = shard.encode(encoder);
      strategy = imbalance::SamplingStrategy::parse(strategy_in_classes(strategy_, encoder));
    });
    imbalance::Rng rng(seed_);
    const dist::DistributedResampled result = registry.at(method).make(values, comm, shard.table.features, y, strategy, rng);
    comm.agree([&] {
      std::ostream& target = file ? file->stream() : out;
      imbalance::write_csv(target, shard.table.header, shard.table.label_index, result.data.X,
                           encoder.decode(result.data.y), shard.table.categories);
      if (file) file->commit();
      else if (!out.flush()) throw std::runtime_error("error writing to standard output");
    });
    const imbalance::ClassCounts before = dist::global_class_counts(comm, y, encoder.num_classes());
    const imbalance::ClassCounts after = dist::global_class_counts(comm, result.data.y, encoder.num_classes());
    if (comm.rank() == 0) {
      std::ostream& report = file ? out : err;
      report << fmt::format("{} on {} ranks ({} rows, {} features, label '{}'), each rank's rows in {}\n", method,
                            comm.size(), before.sum(), shard.table.features.cols(),
                            printable(shard.table.header[shard.table.label_index]), printable(output_));
      print_count_table(report, encoder, before, after);
    }
  } catch (const dist::collective_timeout& e) {
    mpi::abort_on_timeout("imbalance-resample", e, err);
  } catch (const std::exception& e) {
    if (comm.rank() == 0) err << "imbalance-resample: " << message_text(e.what()) << "\n";
    return 1;
  }
  return 0;
}
#endif

std::string ResampleTool::strategy_in_classes(const std::string& text, const imbalance::LabelEncoder& encoder) {
  if (text.find(':') == std::string::npos) return text;
  std::string out, item;
  std::stringstream stream(text);
  while (std::getline(stream, item, ',')) {
    const auto colon = item.rfind(':');
    if (colon == std::string::npos)
      throw imbalance::invalid_argument("--sampling-strategy: '" + item + "' is not label:count");
    const std::string label = item.substr(0, colon);
    const auto& classes = encoder.classes();
    const auto found = std::find(classes.begin(), classes.end(), label);
    if (found == classes.end())
      throw imbalance::invalid_argument("--sampling-strategy names label '" + label + "', which the data does not have");
    out += (out.empty() ? "" : ",") + std::to_string(found - classes.begin()) + item.substr(colon);
  }
  return out;
}

void ResampleTool::print_counts(std::ostream& out, const imbalance::LabelEncoder& encoder, const Eigen::VectorXi& before,
                         const Eigen::VectorXi& after) {
  print_count_table(out, encoder, imbalance::count_labels(before, encoder.num_classes()),
                    imbalance::count_labels(after, encoder.num_classes()));
}

void ResampleTool::print_count_table(std::ostream& out, const imbalance::LabelEncoder& encoder, const imbalance::ClassCounts& b,
                              const imbalance::ClassCounts& a) {
  std::size_t width = 5;
  const std::vector<std::string> shown = printable(encoder.classes());
  for (const auto& name : shown) width = std::max(width, name.size());
  out << fmt::format("{:<{}} {:>9} {:>9}\n", "class", width, "before", "after");
  for (Eigen::Index k = 0; k < encoder.num_classes(); ++k)
    out << fmt::format("{:<{}} {:>9} {:>9}\n", shown[static_cast<std::size_t>(k)], width, b(k), a(k));
  out << fmt::format("{:<{}} {:>9} {:>9}\n", "total", width, b.sum(), a.sum());
}

}  // namespace cli
