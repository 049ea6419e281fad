// imbalance-resample: rebalance a labelled CSV file with one of the library's resamplers.
//
//   imbalance-resample --input train.csv --output balanced.csv --method smote --k-neighbors 5
//
// The label column is chosen by name (--label-column, default: the last column). The output has
// the same header; original (or kept) rows come first, then synthetic rows grouped by class. Class
// counts before and after are printed (to stderr when the CSV goes to stdout).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>
#include <string>

#include <imbalance/imbalance.hpp>

#include "cli_options.hpp"

namespace {

struct Settings {
  std::string input, output = "-", label_column, method = "smote", strategy = "auto";
  Eigen::Index k_neighbors = 5, m_neighbors = 10, enn_neighbors = 3;
  std::uint64_t seed = 0;
  std::optional<double> shrinkage;
};

// "label:count" targets name labels as they appear in the file; the library wants class indices.
std::string strategy_in_classes(const std::string& text, const imbalance::LabelEncoder& encoder) {
  if (text.find(':') == std::string::npos) return text;
  std::string out, item;
  std::stringstream stream(text);
  while (std::getline(stream, item, ',')) {
    const auto colon = item.rfind(':');
    if (colon == std::string::npos) throw imbalance::invalid_argument("--sampling-strategy: '" + item + "' is not label:count");
    const std::string label = item.substr(0, colon);
    const auto& classes = encoder.classes();
    const auto found = std::find(classes.begin(), classes.end(), label);
    if (found == classes.end())
      throw imbalance::invalid_argument("--sampling-strategy names label '" + label + "', which the data does not have");
    out += (out.empty() ? "" : ",") + std::to_string(found - classes.begin()) + item.substr(colon);
  }
  return out;
}

imbalance::Resampled<Eigen::MatrixXd> resample(const Settings& s, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                                               const imbalance::LabelEncoder& encoder) {
  imbalance::ResamplerSettings settings;
  settings.sampling_strategy = imbalance::SamplingStrategy::parse(strategy_in_classes(s.strategy, encoder));
  settings.k_neighbors = s.k_neighbors;
  settings.m_neighbors = s.m_neighbors;
  settings.enn_neighbors = s.enn_neighbors;
  settings.shrinkage = s.shrinkage;
  imbalance::Rng rng(s.seed);
  return imbalance::resample_by_name(s.method, settings, X, y, rng);
}

void print_counts(std::ostream& out, const imbalance::LabelEncoder& encoder, const Eigen::VectorXi& before,
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

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  CLI::App app{
      "Rebalance a labelled CSV file (header row, numeric features, one label column).\n"
      "Methods follow imbalanced-learn 0.10; see the imbalance README for the details of each."};
  app.add_option("-i,--input", s.input, "CSV file to read")->required()->check(CLI::ExistingFile);
  app.add_option("-o,--output", s.output, "CSV file to write, '-' for standard output")->capture_default_str();
  app.add_option("--label-column", s.label_column, "name of the label column (default: the last column)");
  app.add_option("-m,--method", s.method,
                 "smote, borderline-smote (kind 1), borderline-smote-2, adasyn, random-over, random-under, tomek, "
                 "enn, smote-tomek or smote-enn")
      ->check(CLI::IsMember(imbalance::resampler_names()))
      ->capture_default_str();
  cli::add_integer<Eigen::Index>(app, "-k,--k-neighbors", s.k_neighbors,
                                 "neighbours for SMOTE, Borderline-SMOTE and ADASYN (n_neighbors)", 1);
  cli::add_integer<Eigen::Index>(app, "--m-neighbors", s.m_neighbors,
                                 "neighbours that classify danger samples (Borderline-SMOTE)", 1);
  cli::add_integer<Eigen::Index>(app, "--enn-neighbors", s.enn_neighbors, "neighbours of edited nearest neighbours (enn)", 1);
  app.add_option("-s,--sampling-strategy", s.strategy,
                 "auto, minority, majority, 'not minority', 'not majority', all, a ratio n_min/n_maj (binary "
                 "problems), or targets 'label:count,label:count' (labels as written in the file)")
      ->capture_default_str();
  cli::add_optional_real(app, "--shrinkage", s.shrinkage, "random-over only: smoothed bootstrap with this shrinkage (>= 0)", 0);
  cli::add_seed(app, "--seed", s.seed, "seed of the random generator, 0 to 2^64-1 (same seed, same output)");
  CLI11_PARSE(app, argc, argv);

  if (s.shrinkage && s.method != "random-over") {
    std::cerr << "imbalance-resample: --shrinkage applies to --method random-over only (got " << s.method << ")\n";
    return 2;
  }
  try {
    // The output is a temporary file until everything is written: a failure leaves the old file
    // (which may be the input itself) as it was, and a path that cannot be written fails first.
    std::optional<imbalance::AtomicFile> file;
    if (s.output != "-") file.emplace(s.output);
    const imbalance::CsvTable table = imbalance::read_csv_file(s.input, {s.label_column, ','});
    const imbalance::LabelEncoder encoder(table.labels);
    const imbalance::ScopedClassNames names(encoder.classes());  // messages name labels as in the file
    const Eigen::VectorXi y = encoder.encode(table.labels, s.input);
    const auto out = resample(s, table.features, y, encoder);
    std::ostream& report = file ? std::cout : std::cerr;
    if (file) {
      imbalance::write_csv(file->stream(), table.header, table.label_index, out.X, encoder.decode(out.y));
      file->commit();
    } else {
      imbalance::write_csv(std::cout, table.header, table.label_index, out.X, encoder.decode(out.y));
      if (!std::cout.flush()) throw std::runtime_error("error writing to standard output");
    }
    report << fmt::format("{} on {} ({} rows, {} features, label '{}')\n", s.method, s.input, table.features.rows(),
                          table.features.cols(), table.header[table.label_index]);
    print_counts(report, encoder, y, out.y);
  } catch (const std::exception& e) {
    std::cerr << "imbalance-resample: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
