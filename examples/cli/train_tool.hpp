// imbalance-train as a reusable object: add_to(app) declares its command line (every choice and
// its options from the registries), run() trains, evaluates and reports. main() is three lines;
// the tests drive the same object.
#pragma once

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include <imbalance/imbalance.hpp>
#include <imbalance/registry/losses.hpp>
#include <imbalance/registry/resamplers.hpp>
#include <imbalance/registry/training.hpp>
#include <imbalance/report.hpp>

#include "method_choice.hpp"
#include "options.hpp"

namespace cli {

// Names the columns that differ between two files' feature lists.
inline std::string column_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
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

class TrainTool {
 public:
  TrainTool()
      : loss_(imbalance::loss_registry(), "ce"),
        resample_(imbalance::resampler_registry(), "none", "", "none"),
        sampler_(imbalance::batch_sampler_registry(), "instance", "sampler-"),
        schedule_(imbalance::schedule_registry(), "cosine", "schedule-"),
        head_(imbalance::head_registry(), "linear"),
        posthoc_(imbalance::posthoc_registry(), "none", "posthoc-") {
    lists_.add("losses", imbalance::loss_registry());
    lists_.add("resamplers", imbalance::resampler_registry());
    lists_.add("samplers", imbalance::batch_sampler_registry());
    lists_.add("schedules", imbalance::schedule_registry());
    lists_.add("heads", imbalance::head_registry());
    lists_.add("posthoc", imbalance::posthoc_registry());
  }

  void add_to(CLI::App& app) {
    app.description(
        "Train a softmax regression with an imbalance-aware loss on a labelled CSV file and report its\n"
        "imbalance-aware metrics on a test CSV file. Features are standardised on the training data.");
    app.add_option("--train", train_, "training CSV (header row, numeric features, one label column)");
    app.add_option("--test", test_, "test CSV with the same columns");
    app.add_option("--label-column", label_column_, "name of the label column (default: the last column)");
    loss_.add_to(app, "--loss", "loss");
    head_.add_to(app, "--head", "classifier head (any loss trains with either)");
    resample_.add_to(app, "--resample", "resample the training data first");
    sampler_.add_to(app, "--sampler", "mini-batch sampling");
    schedule_.add_to(app, "--schedule", "learning-rate schedule");
    posthoc_.add_to(app, "--posthoc", "post-hoc correction of the predictions");
    add_integer<long>(app, "--epochs", epochs_, "training epochs", 1);
    add_integer<Eigen::Index>(app, "--batch-size", options_.batch_size, "mini-batch size", 1);
    add_real(app, "--lr", options_.learning_rate.base, "base learning rate (> 0)", 0);
    add_integer<long>(app, "--warmup", options_.learning_rate.warmup_epochs,
                      "epochs of linear learning-rate warm-up (the library's default)", 0);
    add_real(app, "--momentum", options_.momentum, "SGD momentum", 0);
    add_real(app, "--weight-decay", options_.weight_decay, "L2 weight decay", 0);
    add_seed(app, "--seed", options_.seed, "seed of every random draw, 0 to 2^64-1 (same seed, same numbers)");
    app.add_option("--precision", precision_,
                   "arithmetic of training: float (twice the vector width; same accuracy on the demo data) or "
                   "double")
        ->check(CLI::IsMember({"float", "double"}))
        ->capture_default_str();
    app.add_option("--json", json_,
                   "write a JSON summary (balanced_accuracy, accuracy, per_class_recall, many_shot, medium_shot, "
                   "few_shot, train_seconds, the full report)");
    app.add_flag("-q,--quiet", quiet_, "no progress line");
    lists_.add_to(app);
  }

  /// Runs the tool: 0 on success, 1 after printing the error to err.
  int run(std::ostream& out, std::ostream& err) const {
    if (lists_.print_if_asked(out)) return 0;
    try {
      return train_and_report(out, err);
    } catch (const std::exception& e) {
      err << "imbalance-train: " << e.what() << "\n";
      return 1;
    }
  }

 private:
  int train_and_report(std::ostream& out, std::ostream& err) const {
    if (train_.empty() || test_.empty()) throw imbalance::invalid_argument("--train and --test are required");
    // Every choice is checked before any work; the JSON file is created first, so that a path that
    // cannot be written fails before training and a failure later leaves an existing file as it was.
    const imbalance::OptionValues loss_values = loss_.values(), resample_values = resample_.values(),
                                  sampler_values = sampler_.values(), schedule_values = schedule_.values(),
                                  head_values = head_.values(), posthoc_values = posthoc_.values();
    std::optional<imbalance::AtomicFile> json_file;
    if (!json_.empty()) json_file.emplace(json_);
    const imbalance::CsvReadOptions csv{label_column_, ',', {}, {}};
    const imbalance::CsvTable train = imbalance::read_csv_file(train_, csv);
    const imbalance::CsvTable test = imbalance::read_csv_file(test_, csv);
    if (test.feature_names != train.feature_names)
      throw imbalance::invalid_argument(fmt::format("{} and {} have different feature columns: {}", train_, test_,
                                                    column_difference(train.feature_names, test.feature_names)));
    const imbalance::LabelEncoder encoder(train.labels);
    const imbalance::ScopedClassNames names(encoder.classes());  // messages name labels as in the file
    if (encoder.num_classes() < 2)
      throw imbalance::invalid_argument(fmt::format("{}: the training data has a single class", train_));
    Eigen::VectorXi train_y = encoder.encode(train.labels, train_);
    const Eigen::VectorXi test_y = encoder.encode(test.labels, test_);
    const Eigen::Index k = encoder.num_classes();
    const imbalance::ClassCounts counts = imbalance::count_labels(train_y, k);
    const auto scaler = imbalance::Standardizer::fit(train.features);
    Eigen::MatrixXd train_x = scaler.transform(train.features);
    const Eigen::MatrixXd test_x = scaler.transform(test.features);

    const auto start = std::chrono::steady_clock::now();
    imbalance::Rng rng(options_.seed);  // one stream: resampling, then training
    if (resample_.chosen()) {
      auto resampled = imbalance::resample(resample_.name(), resample_values, {}, train_x, train_y, rng);
      train_x = std::move(resampled.X);
      train_y = std::move(resampled.y);
    }
    imbalance::TrainerOptions options = options_;
    options.epochs = epochs_;
    options.precision = precision_ == "float" ? imbalance::Precision::Float : imbalance::Precision::Double;
    imbalance::schedule_registry().at(schedule_.name()).make(schedule_values, epochs_, options.learning_rate);
    options.sampler = imbalance::batch_sampler_registry().at(sampler_.name()).make(sampler_values, epochs_);
    options.head = imbalance::head_registry().at(head_.name()).make(head_values);
    const bool show = !quiet_ && stderr_is_terminal();
    options.evaluate_each_epoch = show;
    if (show) options.on_epoch = [&err](const imbalance::EpochInfo& info) { print_progress(err, info); };
    imbalance::LossContext context;
    context.class_counts = counts.cast<double>();  // the original prior, which the loss corrects
    context.epochs = epochs_;
    const imbalance::LossForEpoch loss = imbalance::make_loss(loss_.name(), loss_values, context);
    imbalance::SoftmaxRegression model;
    model.fit(train_x, train_y, loss, options, rng);
    const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const Eigen::VectorXd prior = counts.cast<double>();
    const Eigen::VectorXi predicted =
        imbalance::posthoc_registry().at(posthoc_.name()).make(posthoc_values, {model, test_x, prior});
    imbalance::ClassificationReportOptions report_options;
    report_options.class_names = encoder.classes();
    report_options.train_counts = prior;
    const auto report = imbalance::classification_report(test_y, predicted, k, report_options);
    out << fmt::format("{} on {} ({} train rows, {} features, {} classes, {} head), evaluated on {} ({} rows)\n\n",
                       loss_.name(), train_, train.features.rows(), train.features.cols(), k, head_.name(), test_,
                       test.features.rows())
        << imbalance::format_report(report);
    if (json_file) {
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
      j["settings"] = {{"loss", loss_.name()},     {"head", head_.name()},       {"epochs", epochs_},
                       {"batch_size", options_.batch_size}, {"lr", options_.learning_rate.base},
                       {"seed", options_.seed},     {"resample", resample_.name()}, {"sampler", sampler_.name()},
                       {"schedule", schedule_.name()}, {"posthoc", posthoc_.name()}, {"precision", precision_}};
      json_file->stream() << j.dump(2) << "\n";
      json_file->commit();
    }
    return 0;
  }

  static bool stderr_is_terminal() {
#if defined(__unix__) || defined(__APPLE__)
    return isatty(fileno(stderr)) != 0;
#else
    return false;
#endif
  }

  static void print_progress(std::ostream& err, const imbalance::EpochInfo& info) {
    err << fmt::format("\repoch {}/{}  loss {:.4f}  train balanced accuracy {:.4f}  lr {:.4g}   ", info.epoch + 1,
                       info.epochs, info.mean_loss, info.train_balanced_accuracy.value_or(0.0), info.learning_rate);
    if (info.epoch + 1 == info.epochs) err << "\n";
    err.flush();
  }

  MethodChoice<imbalance::LossFactory> loss_;
  MethodChoice<imbalance::ResamplerFactory> resample_;
  MethodChoice<imbalance::BatchSamplerFactory> sampler_;
  MethodChoice<imbalance::ScheduleFactory> schedule_;
  MethodChoice<imbalance::HeadFactory> head_;
  MethodChoice<imbalance::PostHocFactory> posthoc_;
  MethodLists lists_;
  std::string train_, test_, label_column_, json_, precision_ = "float";
  long epochs_ = 100;
  imbalance::TrainerOptions options_ = [] {
    imbalance::TrainerOptions o;  // the library's defaults, but for these two
    o.learning_rate.base = 0.05;
    return o;
  }();
  bool quiet_ = false;
};

}  // namespace cli
