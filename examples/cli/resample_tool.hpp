// imbalance-resample as a reusable object: add_to(app) declares its command line (choices and
// options from the resampler registry), run() does the work. main() is three lines; the tests
// drive the same object.
#pragma once

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>

#include "method_choice.hpp"
#include "options.hpp"

namespace cli {

class ResampleTool {
 public:
  ResampleTool() : method_(imbalance::resampler_registry(), "smote") { lists_.add("resamplers", imbalance::resampler_registry()); }

  void add_to(CLI::App& app) {
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
    lists_.add_to(app);
  }

  /// Runs the tool: 0 on success, 1 after printing the error to err.
  int run(std::ostream& out, std::ostream& err) const {
    if (lists_.print_if_asked(out)) return 0;
    try {
      if (input_.empty()) throw imbalance::invalid_argument("--input is required");
      const imbalance::OptionValues values = method_.values();  // refused before any work
      // The output is a temporary file until everything is written: a failure leaves the old file
      // (which may be the input itself) as it was, and a path that cannot be written fails first.
      std::optional<imbalance::AtomicFile> file;
      if (output_ != "-") file.emplace(output_);
      const imbalance::CsvTable table = imbalance::read_csv_file(input_, {label_column_, ',', categorical_, {}});
      const imbalance::LabelEncoder encoder(table.labels);
      const imbalance::ScopedClassNames names(encoder.classes());  // messages name labels as in the file
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
      report << fmt::format("{} on {} ({} rows, {} features, label '{}')\n", method_.name(), input_,
                            table.features.rows(), table.features.cols(), table.header[table.label_index]);
      print_counts(report, encoder, y, result.y);
    } catch (const std::exception& e) {
      err << "imbalance-resample: " << e.what() << "\n";
      return 1;
    }
    return 0;
  }

 private:
  // "label:count" targets name labels as they appear in the file; the library wants class indices.
  static std::string strategy_in_classes(const std::string& text, const imbalance::LabelEncoder& encoder) {
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

  static void print_counts(std::ostream& out, const imbalance::LabelEncoder& encoder, const Eigen::VectorXi& before,
                           const Eigen::VectorXi& after) {
    const imbalance::ClassCounts b = imbalance::count_labels(before, encoder.num_classes());
    const imbalance::ClassCounts a = imbalance::count_labels(after, encoder.num_classes());
    std::size_t width = 5;
    for (const auto& name : encoder.classes()) width = std::max(width, name.size());
    out << fmt::format("{:<{}} {:>9} {:>9}\n", "class", width, "before", "after");
    for (Eigen::Index k = 0; k < encoder.num_classes(); ++k)
      out << fmt::format("{:<{}} {:>9} {:>9}\n", encoder.classes()[static_cast<std::size_t>(k)], width, b(k), a(k));
    out << fmt::format("{:<{}} {:>9} {:>9}\n", "total", width, b.sum(), a.sum());
  }

  MethodChoice<imbalance::ResamplerFactory> method_;
  MethodLists lists_;
  std::string input_, output_ = "-", label_column_, strategy_ = "auto";
  std::vector<std::string> categorical_;
  std::uint64_t seed_ = 0;
};

}  // namespace cli
