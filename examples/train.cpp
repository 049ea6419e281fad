// imbalance-train: train a softmax regression with an imbalance-aware loss on a labelled CSV file
// and evaluate it on another.
//
//   imbalance-train --train train.csv --test test.csv --loss ldam-drw --epochs 100 --json out.json
//
// Features are standardised with the training statistics. The report (per-class precision,
// recall, specificity, F1, G-mean, support and training counts; balanced accuracy; many/medium/few)
// goes to standard output, the JSON summary to --json.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <algorithm>
#include <limits>
#include <optional>
#include <iostream>
#include <string>

#include <imbalance/imbalance.hpp>
#include <imbalance/report.hpp>

#include "cli_options.hpp"

namespace {

struct Settings {
  std::string train, test, label_column, loss = "ce", schedule = "cosine", resample = "none", sampler = "instance",
                                         posthoc = "none", json;
  double tau = 1.0, beta = 0.9999, max_margin = 0.5, scale = 30.0, posthoc_tau = 1.0;
  std::optional<double> gamma;
  long epochs = 100, warmup = 1;
  std::optional<long> drw_epoch;
  Eigen::Index batch_size = 128, k_neighbors = 5;
  double lr = 0.05, momentum = 0.9, weight_decay = 5e-4;
  std::uint64_t seed = 0;
  bool quiet = false;
};

// Names the columns that differ between two files' feature lists.
std::string column_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> only_a, only_b;
  for (const auto& name : a)
    if (std::find(b.begin(), b.end(), name) == b.end()) only_a.push_back("'" + name + "'");
  for (const auto& name : b)
    if (std::find(a.begin(), a.end(), name) == a.end()) only_b.push_back("'" + name + "'");
  if (only_a.empty() && only_b.empty()) return "the same feature columns in another order";
  std::string text;
  if (!only_a.empty()) text += fmt::format("only the first has {}", fmt::join(only_a, ", "));
  if (!only_b.empty()) text += fmt::format("{}only the second has {}", text.empty() ? "" : "; ", fmt::join(only_b, ", "));
  return text;
}

int run(const Settings& s) {
  // Created first: an output path that cannot be written fails before training, and a failure
  // later leaves an existing file as it was.
  std::optional<imbalance::AtomicFile> json_file;
  if (!s.json.empty()) json_file.emplace(s.json);
  const imbalance::CsvReadOptions csv{s.label_column, ','};
  const imbalance::CsvTable train = imbalance::read_csv_file(s.train, csv);
  const imbalance::CsvTable test = imbalance::read_csv_file(s.test, csv);
  if (test.feature_names != train.feature_names)
    throw imbalance::invalid_argument(fmt::format("{} and {} have different feature columns: {}", s.train, s.test,
                                                  column_difference(train.feature_names, test.feature_names)));
  const imbalance::LabelEncoder encoder(train.labels);
  const imbalance::ScopedClassNames names(encoder.classes());  // messages name labels as in the file
  if (encoder.num_classes() < 2)
    throw imbalance::invalid_argument(fmt::format("{}: the training data has a single class", s.train));
  const Eigen::VectorXi train_y = encoder.encode(train.labels, s.train);
  const Eigen::VectorXi test_y = encoder.encode(test.labels, s.test);
  const Eigen::Index k = encoder.num_classes();
  const imbalance::ClassCounts counts = imbalance::count_labels(train_y, k);
  for (Eigen::Index c = 0; c < k; ++c)
    if (counts(c) == 0) throw imbalance::invalid_argument("class '" + encoder.classes()[static_cast<std::size_t>(c)] + "' has no training sample");

  const auto scaler = imbalance::Standardizer::fit(train.features);
  const Eigen::MatrixXd train_x = scaler.transform(train.features);
  const Eigen::MatrixXd test_x = scaler.transform(test.features);

  imbalance::TrainerOptions options;
  options.epochs = s.epochs;
  options.batch_size = s.batch_size;
  options.learning_rate.base = s.lr;
  options.learning_rate.warmup_epochs = s.warmup;
  options.learning_rate.schedule = s.schedule == "step" ? imbalance::Schedule::Step : imbalance::Schedule::Cosine;
  // 80 % and 90 % of the epochs, without overflowing for any count of epochs.
  options.learning_rate.milestones = {s.epochs / 5 * 4 + s.epochs % 5 * 4 / 5, s.epochs / 10 * 9 + s.epochs % 10 * 9 / 10};
  options.momentum = s.momentum;
  options.weight_decay = s.weight_decay;
  options.seed = s.seed;
  options.progress = s.quiet ? imbalance::Progress::Never : imbalance::Progress::Auto;
  if (s.sampler != "instance") {
    imbalance::BatchSamplerOptions sampler;
    sampler.sampling = s.sampler == "class"  ? imbalance::BatchSampling::ClassBalanced
                       : s.sampler == "sqrt" ? imbalance::BatchSampling::SquareRoot
                                             : imbalance::BatchSampling::Progressive;
    sampler.total_epochs = s.epochs;
    options.sampler = sampler;
  }

  const auto start = std::chrono::steady_clock::now();
  if (s.resample != "none") {
    options.resample = s.resample;
    options.resample_settings.k_neighbors = s.k_neighbors;
  }
  imbalance::LossSettings loss;
  loss.tau = s.tau;
  loss.gamma = s.gamma;
  loss.beta = s.beta;
  loss.max_margin = s.max_margin;
  loss.scale = s.scale;
  loss.drw_epoch = s.drw_epoch;
  imbalance::SoftmaxRegression model;
  // The losses are built from the original training counts (the prior the model must correct).
  imbalance::train_with_loss(model, train_x, train_y, counts, imbalance::parse_loss_kind(s.loss), loss, options);
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Eigen::VectorXi predicted;
  if (s.posthoc == "la") {
    predicted = imbalance::PostHocLogitAdjustment(counts, {s.posthoc_tau, 1e-12}).predict(model.logits(test_x));
  } else if (s.posthoc == "tau-norm") {
    if (model.normalized())
      throw imbalance::invalid_argument("--posthoc tau-norm needs a linear classifier, not LDAM's cosine classifier");
    predicted = imbalance::argmax_rows(imbalance::tau_normalized_logits(test_x, model.weights(), s.posthoc_tau));
  } else {
    predicted = model.predict(test_x);
  }

  imbalance::ClassificationReportOptions report_options;
  report_options.class_names = encoder.classes();
  report_options.train_counts = counts.cast<double>();
  const auto report = imbalance::classification_report(test_y, predicted, k, report_options);
  std::cout << fmt::format("{} on {} ({} train rows, {} features, {} classes), evaluated on {} ({} rows)\n\n",
                           s.loss, s.train, train.features.rows(), train.features.cols(), k, s.test,
                           test.features.rows())
            << imbalance::format_report(report);

  if (!s.json.empty()) {
    nlohmann::json j;
    j["balanced_accuracy"] = report.balanced_accuracy;
    j["accuracy"] = report.accuracy;
    j["per_class_recall"] = std::vector<double>(report.per_class.recall.data(),
                                                report.per_class.recall.data() + report.per_class.recall.size());
    j["classes"] = encoder.classes();
    auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    j["many_shot"] = optional(report.shots->many);
    j["medium_shot"] = optional(report.shots->medium);
    j["few_shot"] = optional(report.shots->few);
    j["macro_f1"] = report.macro_f1;
    j["geometric_mean"] = report.geometric_mean;
    j["train_seconds"] = train_seconds;
    j["report"] = imbalance::report_to_json(report);
    j["settings"] = {{"loss", s.loss}, {"epochs", s.epochs}, {"batch_size", s.batch_size}, {"lr", s.lr},
                     {"seed", s.seed}, {"resample", s.resample}, {"sampler", s.sampler}, {"posthoc", s.posthoc}};
    json_file->stream() << j.dump(2) << "\n";
    json_file->commit();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  CLI::App app{"Train a softmax regression with an imbalance-aware loss on a labelled CSV file and report its\n"
               "imbalance-aware metrics on a test CSV file. Features are standardised on the training data."};
  app.add_option("--train", s.train, "training CSV (header row, numeric features, one label column)")
      ->required()->check(CLI::ExistingFile);
  app.add_option("--test", s.test, "test CSV with the same columns")->required()->check(CLI::ExistingFile);
  app.add_option("--label-column", s.label_column, "name of the label column (default: the last column)");
  app.add_option("--loss", s.loss,
                 "ce (ERM), cb (class-balanced CE), focal, ldam, ldam-drw, la (logit-adjusted), vs, bs (Balanced Softmax)")
      ->check(CLI::IsMember({"ce", "cb", "focal", "ldam", "ldam-drw", "la", "vs", "bs"}))->capture_default_str();
  const double lowest = -std::numeric_limits<double>::infinity();
  cli::add_real(app, "--tau", s.tau, "tau of la and vs", lowest);
  cli::add_optional_real(app, "--gamma", s.gamma, "gamma of focal (default 1) and vs (default 0.3), >= 0", 0);
  cli::add_real(app, "--beta", s.beta, "beta of cb and of ldam-drw's class-balanced weights, in [0, 1)", 0, 1);
  cli::add_real(app, "--max-margin", s.max_margin, "largest LDAM margin (> 0)", 0);
  cli::add_real(app, "--scale", s.scale, "LDAM logit scale s (> 0)", 0);
  cli::add_optional_integer<long>(app, "--drw-epoch", s.drw_epoch,
                                  "ldam-drw: first re-weighted epoch, >= 0 (default 80 % of --epochs)", 0);
  cli::add_integer<long>(app, "--epochs", s.epochs, "training epochs", 1);
  cli::add_integer<Eigen::Index>(app, "--batch-size", s.batch_size, "mini-batch size", 1);
  cli::add_real(app, "--lr", s.lr, "base learning rate (> 0)", 0);
  cli::add_integer<long>(app, "--warmup", s.warmup, "epochs of linear learning-rate warm-up", 0);
  cli::add_real(app, "--momentum", s.momentum, "SGD momentum", 0);
  cli::add_real(app, "--weight-decay", s.weight_decay, "L2 weight decay", 0);
  app.add_option("--schedule", s.schedule, "cosine, or step (x0.1 at 80 % and 90 % of the epochs)")
      ->check(CLI::IsMember({"cosine", "step"}))->capture_default_str();
  cli::add_seed(app, "--seed", s.seed, "seed of every random draw, 0 to 2^64-1 (same seed, same numbers)");
  std::vector<std::string> resamplers = imbalance::resampler_names();
  resamplers.insert(resamplers.begin(), "none");
  app.add_option("--resample", s.resample, "resample the training data first: none, " + [&] {
    std::string names;
    for (std::size_t i = 1; i < resamplers.size(); ++i) names += (i > 1 ? ", " : "") + resamplers[i];
    return names;
  }())->check(CLI::IsMember(resamplers))->capture_default_str();
  cli::add_integer<Eigen::Index>(app, "--k-neighbors", s.k_neighbors, "neighbours for --resample's SMOTE family", 1);
  app.add_option("--sampler", s.sampler, "mini-batch sampling: instance, class (balanced), sqrt, progressive")
      ->check(CLI::IsMember({"instance", "class", "sqrt", "progressive"}))->capture_default_str();
  app.add_option("--posthoc", s.posthoc, "post-hoc correction: none, la (logit adjustment), tau-norm")
      ->check(CLI::IsMember({"none", "la", "tau-norm"}))->capture_default_str();
  cli::add_real(app, "--posthoc-tau", s.posthoc_tau, "tau of --posthoc la or tau-norm", lowest);
  app.add_option("--json", s.json, "write a JSON summary (balanced_accuracy, accuracy, per_class_recall, "
                                   "many_shot, medium_shot, few_shot, train_seconds, the full report)");
  app.add_flag("-q,--quiet", s.quiet, "no progress line");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(s);
  } catch (const std::exception& e) {
    std::cerr << "imbalance-train: " << e.what() << "\n";
    return 1;
  }
}
