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
  app.add_option("--neighbours", neighbours_,
                 "neighbour search of the neighbour-based methods: exact (k-d tree or brute force, the "
                 "default) or hnsw (approximate HNSW graphs, hnswlib: sub-quadratic, recall measured in the README)")
      ->check(CLI::IsMember({"exact", "hnsw"}))
      ->capture_default_str();
  hnsw_options_ = {
      add_integer(app, "--hnsw-m", hnsw_.M, "HNSW links per point and layer (2 M on layer 0)", 2, 1024),
      add_integer(app, "--hnsw-ef-construction", hnsw_.ef_construction, "HNSW candidate list while inserting", 1, 1 << 20),
      add_integer(app, "--hnsw-ef", hnsw_.ef, "HNSW candidate list of a query (at least k + 1 is used)", 1, 1 << 20),
      add_integer<Eigen::Index>(app, "--hnsw-shard-size", hnsw_.shard_size,
                                "points per HNSW graph; each is built by one thread, all are searched (the "
                                "result depends on this, never on the thread count)",
                                1),
      add_seed(app, "--hnsw-seed", hnsw_.seed, "seed of the HNSW layer draws")};
  app.add_flag("--stream", stream_,
               "read --input in chunks and write the output a block at a time, for files larger than memory "
               "(random-over, random-under, smote; the same output as without --stream): memory is one chunk, "
               "plus for smote the largest class to over-sample and its neighbour index");
  add_integer<Eigen::Index>(app, "--chunk-rows", stream_options_.chunk_rows, "rows per chunk read with --stream", 1);
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
  if (stream_) return run_stream(out, err);
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
    context.neighbors = neighbor_search();
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

int ResampleTool::run_stream(std::ostream& out, std::ostream& err) const {
  try {
    if (input_.empty()) throw imbalance::invalid_argument("--input is required");
    const std::string& method = method_.name();
    if (method != "random-over" && method != "random-under" && method != "smote")
      throw imbalance::invalid_argument(fmt::format(
          "--stream: resampler '{}' needs its data in memory; streamed are random-over, random-under and smote", method));
    if (!categorical_.empty()) throw imbalance::invalid_argument("--stream does not read categorical columns (--categorical)");
    const std::vector<std::string> inputs = input_files(input_);
    if (inputs.size() != 1 || inputs[0] == "-")
      throw imbalance::invalid_argument(fmt::format("--stream reads one file several times: --input '{}' must name one file", input_));
    const imbalance::OptionValues values = method_.values();
    imbalance::resampler_registry().check(method, values);
    check_outputs({{"--input", input_}}, {{"--output", rank_path(output_, 0)}}, inputs[0]);
    std::optional<imbalance::AtomicFile> file;
    if (output_ != "-") file.emplace(rank_path(output_, 0));
    std::ostream& target = file ? file->stream() : out;
    imbalance::StreamOptions stream = stream_options_;
    stream.csv.label_column = label_column_;
    const imbalance::StreamReport counted = imbalance::count_csv_classes(inputs[0], stream);
    const imbalance::ScopedClassNames names(printable(counted.encoder.classes()));
    const imbalance::SamplingStrategy strategy =
        imbalance::SamplingStrategy::parse(strategy_in_classes(strategy_, counted.encoder));
    const imbalance::NeighborSearch search = neighbor_search();
    imbalance::Rng rng(seed_);
    imbalance::StreamReport report;
    if (method == "smote") {
      imbalance::SMOTEOptions o;
      o.sampling_strategy = strategy;
      o.neighbors = search;
      values.assign("k-neighbors", o.k_neighbors);
      report = imbalance::stream_smote(inputs[0], target, o, stream, rng, &counted);
    } else {
      if (!search.is_default())
        throw imbalance::invalid_argument(fmt::format("resampler '{}' searches no neighbours (--neighbours)", method));
      if (method == "random-under") {
        imbalance::RandomUnderSamplerOptions o;
        o.sampling_strategy = strategy;
        long replacement = 0;
        values.assign("replacement", replacement);
        o.replacement = replacement != 0;
        report = imbalance::stream_random_under(inputs[0], target, o, stream, rng, &counted);
      } else {
        imbalance::RandomOverSamplerOptions o;
        o.sampling_strategy = strategy;
        if (values.has("shrinkage")) throw imbalance::invalid_argument("--stream: random-over's shrinkage is not streamed");
        report = imbalance::stream_random_over(inputs[0], target, o, stream, rng, &counted);
      }
    }
    if (file) file->commit();
    else if (!out.flush()) throw std::runtime_error("error writing to standard output");
    std::ostream& summary = file ? out : err;
    imbalance::ClassCounts before(counted.encoder.num_classes()), after(counted.encoder.num_classes());
    for (const auto& [label, n] : report.before) before(label) = n;
    for (const auto& [label, n] : report.after) after(label) = n;
    summary << fmt::format("{} on {} streamed ({} rows, {} features, label '{}', {} passes of {} rows)\n", method,
                           printable(input_), before.sum(), counted.header.size() - 1,
                           printable(counted.header[counted.label_index]), report.passes + 1, stream.chunk_rows);
    print_count_table(summary, counted.encoder, before, after);
  } catch (const std::exception& e) {
    err << "imbalance-resample: " << message_text(e.what()) << "\n";
    return 1;
  }
  return 0;
}

imbalance::NeighborSearch ResampleTool::neighbor_search() const {
  if (neighbours_ == "hnsw") {
    if (!imbalance::hnsw_available())
      throw imbalance::invalid_argument("--neighbours hnsw: this build has no hnswlib (Debian: libhnswlib-dev)");
    return imbalance::NeighborSearch::approximate(hnsw_);
  }
  for (const CLI::Option* option : hnsw_options_)
    if (option->count() > 0)
      throw imbalance::invalid_argument(fmt::format("{} applies to --neighbours hnsw (the search is '{}')",
                                                    option->get_name(), neighbours_));
  return {};
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
    const dist::DistributedResampled result = registry.at(method).make(values, comm, shard.table.features, y, strategy, neighbor_search(), rng);
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
