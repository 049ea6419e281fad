// TrainTool's definitions: compiled once into imbalance_cli, not in every file that drives the tool.
#include "train_tool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <type_traits>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include <imbalance/imbalance.hpp>
#include <imbalance/pipeline.hpp>
#include <imbalance/registry.hpp>
#include <imbalance/report.hpp>
#include <imbalance/report_html.hpp>
#if defined(IMBALANCE_CLI_MPI)
#include <imbalance/distributed/evaluation.hpp>
#include <imbalance/distributed/softmax_classifier.hpp>
#endif

#include "target_prior.hpp"

namespace cli {

TrainTool::TrainTool()
    : loss_(imbalance::loss_registry(), "ce"),
      resample_(imbalance::resampler_registry(), "none", "", "none"),
      sampler_(imbalance::batch_sampler_registry(), "instance", "sampler-"),
      schedule_(imbalance::schedule_registry(), "cosine", "schedule-"),
      head_(imbalance::head_registry(), "linear"),
      posthoc_(imbalance::posthoc_registry(), "none", "posthoc-"),
      stage2_(imbalance::stage2_registry(), "none", "stage2-") {
  lists_.add("losses", imbalance::loss_registry());
  lists_.add("resamplers", imbalance::resampler_registry());
  lists_.add("samplers", imbalance::batch_sampler_registry());
  lists_.add("schedules", imbalance::schedule_registry());
  lists_.add("heads", imbalance::head_registry());
  lists_.add("posthoc", imbalance::posthoc_registry());
  lists_.add("stage2", imbalance::stage2_registry());
}

void TrainTool::add_to(CLI::App& app) {
  app.description(
      "Train a softmax regression with an imbalance-aware loss on a labelled CSV file and report its\n"
      "imbalance-aware metrics on a test CSV file. Features are standardised on the training data.");
  app.add_option("--train", train_, "training CSV (header row, numeric features, one label column)");
  app.add_option("--test", test_, "test CSV with the same columns");
  app.add_option("--label-column", label_column_, "name of the label column (default: the last column)");
  loss_.add_to(app, "--loss", "loss");
  head_.add_to(app, "--head", "classifier head (linear and cosine train with any loss, etf with dot regression)");
  resample_.add_to(app, "--resample", "resample the training data first");
  sampler_.add_to(app, "--sampler", "mini-batch sampling");
  schedule_.add_to(app, "--schedule", "learning-rate schedule");
  posthoc_.add_to(app, "--posthoc", "post-hoc correction of the predictions");
  stage2_.add_to(app, "--stage2",
                 "decoupled learning: a second stage on the frozen representation (train it with --hidden)");
  hidden_option_ = add_integer<Eigen::Index>(app, "--hidden", options_.hidden_units,
                            "width of a hidden ReLU layer that learns a representation (0: none)", 0);
  add_real(app, "--hidden-weight-decay", options_.hidden_weight_decay, "L2 weight decay of the hidden layer", 0);
  add_integer<long>(app, "--epochs", epochs_, "training epochs", 1);
  add_integer<Eigen::Index>(app, "--batch-size", options_.batch_size, "mini-batch size", 1);
  add_real(app, "--lr", options_.learning_rate.base, "base learning rate (> 0)", 0);
  warmup_option_ = add_integer<long>(app, "--warmup", options_.learning_rate.warmup_epochs,
                    "epochs of linear learning-rate warm-up (default: the loss's paper's, 5 of 200 epochs for cb, "
                    "ldam and ldam-drw; none for the others)", 0);
  add_real(app, "--momentum", options_.momentum, "SGD momentum, in [0, 0.999] (1 or more never forgets a step)", 0, 0.999);
  add_real(app, "--weight-decay", options_.weight_decay, "L2 weight decay", 0);
  add_seed(app, "--seed", options_.seed, "seed of every random draw, 0 to 2^64-1 (same seed, same numbers)");
  precision_option_ = app.add_option("--precision", precision_,
                 "arithmetic of training: float (twice the vector width; same accuracy on the demo data) or "
                 "double")
      ->check(CLI::IsMember({"float", "double"}))
      ->capture_default_str();
  app.add_option("--json", json_,
                 "write the JSON summary (schema_version 3, the same keys in one process and distributed; README, "
                 "'The JSON summary'): the test metrics, train/validation/test rows, ranks, train_seconds, "
                 "final_loss, the head's weights, tuning, search, settings and the full report");
  add_real(app, "--validation-fraction", validation_fraction_,
           "hold out this fraction of every class of the training file (stratified, seeded) for tuning and "
           "--search; the model trains on the rest",
           0, 0.95);
  app.add_option("--tune", tune_,
                 "choose on the validation data: posthoc-tau (tau of post-hoc logit adjustment for balanced "
                 "accuracy), threshold (two classes: the decision threshold for balanced accuracy), temperature "
                 "(temperature scaling of the probabilities; predictions unchanged)")
      ->check(CLI::IsMember({"none", "posthoc-tau", "threshold", "temperature"}))
      ->capture_default_str();
  app.add_option("--target-prior", target_prior_,
                 "test prior for the label-shift correction z - log p_train + log q: train (no correction), "
                 "uniform, estimate (EM of Saerens et al. 2002 on the unlabelled test predictions) or FILE "
                 "(lines 'label,prior')")
      ->capture_default_str();
  app.add_flag("--search", search_,
               "choose the pipeline by cross-validation on the training file: resamplers, losses and their options, "
               "samplers, heads, hidden widths, stage 2, post-hoc corrections (the default space, or --search-space), "
               "ranked by mean balanced accuracy over stratified folds, chosen by the one-standard-error rule, refit "
               "on all training rows and scored once on the test file; methods named on the command line pin their "
               "part of the space");
  app.add_option("--search-strategy", search_strategy_,
                 "halving (successive halving over epochs of --search-budget random candidates), random (--search-budget "
                 "random candidates) or grid (every combination, method options at their defaults)")
      ->check(CLI::IsMember({"halving", "random", "grid"}))
      ->capture_default_str();
  add_integer<long>(app, "--search-budget", search_budget_,
                    "candidates drawn from the space, seeded by --seed (0: 40 for halving, 20 for random; grid: a seeded "
                    "random subset of this many, 0 all)",
                    0);
  app.add_option("--search-space", search_space_file_,
                 "JSON file of the space to search (README, 'Choosing a pipeline by cross-validation'): lists of "
                 "resamplers, losses, samplers, heads, hidden, stage2, posthoc, epochs; ranges of learning_rate, "
                 "weight_decay and of method options ('loss.focal.gamma'); keys left out keep the default space's");
  add_integer<int>(app, "--search-folds", search_folds_,
                   "folds of the search's stratified K-fold (0: automatic, every class at least 2 rows per fold)", 0);
  add_integer<int>(app, "--search-repeats", search_repeats_,
                   "repetitions of the K-fold split (0: automatic, more where the smallest class is small)", 0);
  add_integer<long>(app, "--search-min-epochs", search_min_epochs_,
                    "halving: the fewest epochs of a round (the last trains for --epochs, each earlier one for a third "
                    "of the next; 0: 1)", 0);
  app.add_option("--unlabeled", unlabeled_,
                 "unlabelled CSV with the training file's columns (its label column is ignored): self-training "
                 "with confidence-thresholded pseudo-labels, refreshed before every epoch");
  add_real(app, "--pseudo-threshold", threshold_, "confidence a pseudo-label needs to train (FixMatch's tau)", 0);
  add_real(app, "--unlabeled-weight", unlabeled_weight_, "weight of a pseudo-labelled sample's loss, in [0, 1000]", 0,
           1000);
  add_integer<long>(app, "--pseudo-warmup", pseudo_warmup_,
                    "epochs on the labelled rows before pseudo-labelling (-1: a third of the epochs)", -1);
  app.add_flag("--darp", darp_, "refine the pseudo-labels with DARP (Kim et al. 2020) before every epoch");
  app.add_option("--darp-solver", darp_solver_,
                 "official (the official code's 10 secant iterations: the class totals are met only roughly) or "
                 "converged (the exact solution of DARP's problem)")
      ->check(CLI::IsMember({"official", "converged"}))
      ->capture_default_str();
  app.add_option("--darp-target", darp_target_,
                 "DARP's unlabelled class distribution: labeled (the labelled one, scaled to the unlabelled rows) "
                 "or estimate (DARP's estimate from a supervised model's soft confusion on the validation rows; "
                 "needs --validation-fraction)")
      ->check(CLI::IsMember({"labeled", "estimate"}))
      ->capture_default_str();
  app.add_flag("--abc", abc_,
               "train ABC's auxiliary balanced classifier (Lee et al. 2021) on the labelled and unlabelled "
               "representation and predict with it");
  app.add_flag("--partial-labels", partial_labels_,
               "the training label column holds candidate sets such as 1|4|7 (partial labels): disambiguate them "
               "while training (--partial-method)");
  app.add_option("--partial-method", partial_method_,
                 "proden (Lv et al. 2020) or records (Hong et al. 2023: the model's own prior removed, also at "
                 "test time)")
      ->check(CLI::IsMember({"proden", "records"}))
      ->capture_default_str();
  add_integer<Eigen::Index>(app, "--clean-lof", clean_lof_,
                            "remove every class's local outliers before training (LOF with this many neighbours, "
                            "scikit-learn's rule; 0: off)", 0);
  app.add_flag("--calibrate-tail", calibrate_tail_,
               "add samples to the tail classes (below the median count) drawn from Gaussians calibrated from "
               "their nearest head classes (Free Lunch / RCAL), up to the median count");
  app.add_option("--report", report_html_, "write a self-contained HTML report with charts (FILE.html)");
  app.add_flag("-q,--quiet", quiet_, "no progress line");
#if defined(IMBALANCE_CLI_MPI)
  app.add_flag("--distributed", distributed_,
               "train on the shards of all MPI ranks as one data set (implied under mpirun -np P > 1): "
               "--train 'data/part-*.csv' gives rank r the r-th of P consecutive blocks of the sorted "
               "files (one file: of its rows), --test likewise; standardisation, class counts, the loss and the "
               "mini-batches are those of the whole data, the gradient is all-reduced every step, and the "
               "weights are the same bits for every number of ranks. Rank 0 prints the report and writes "
               "--json. Every loss, head, hidden layer, batch sampler and precision; the options of resampling, post-hoc correction, "
               "tuning, weak supervision and the HTML report are single-process only");
  mpi::add_timeout_option(app, mpi_timeout_);
#endif
  lists_.add_to(app);
}

int TrainTool::run(std::ostream& out, std::ostream& err) const {
  if (lists_.print_if_asked(out)) return 0;
#if defined(IMBALANCE_CLI_MPI)
  if (distributed_ || mpi::world_size() > 1) return run_distributed(out, err);
#endif
  try {
    return train_and_report(out, err);
  } catch (const std::exception& e) {
    err << "imbalance-train: " << message_text(e.what()) << "\n";
    return 1;
  }
}

int TrainTool::train_and_report(std::ostream& out, std::ostream& err) const {
  if (train_.empty() || test_.empty()) throw imbalance::invalid_argument("--train and --test are required");
  // Every choice is checked before any work; the JSON file is created first, so that a path that
  // cannot be written fails before training and a failure later leaves an existing file as it was.
  // The flags' point checks every method's option values first.
  const imbalance::SearchPoint flags = flag_point();
  (void)schedule_.values();
  (void)head_.values();
  check_outputs(input_paths(), output_paths());
  std::optional<imbalance::AtomicFile> json_file, html_file;
  if (!json_.empty()) json_file.emplace(json_);
  if (!report_html_.empty()) html_file.emplace(report_html_);
  const imbalance::CsvReadOptions csv{label_column_, ',', {}, {}, false};
  // Not const: their feature matrices are standardised in place (no second copy of the data).
  imbalance::CsvTable train = read_csv_pattern("--train", train_, csv);
  imbalance::CsvTable test = read_csv_pattern("--test", test_, csv);
  if (label_column_.empty()) check_default_label_column("--train", train_, train);
  const auto num_features = static_cast<Eigen::Index>(train.feature_names.size());
  const auto test_rows = static_cast<Eigen::Index>(test.labels.size());
  if (test.feature_names != train.feature_names)
    throw imbalance::invalid_argument(fmt::format("{} and {} have different feature columns: {}", train_, test_,
                                                  column_difference(train.feature_names, test.feature_names)));
  // Partial labels: every candidate of every set is a class name.
  std::vector<std::vector<std::string>> candidate_names;
  std::vector<std::string> class_names = train.labels;
  if (partial_labels_) {
    class_names.clear();
    for (std::size_t i = 0; i < train.labels.size(); ++i) {
      candidate_names.push_back(split_candidates(train.labels[i], i));
      class_names.insert(class_names.end(), candidate_names.back().begin(), candidate_names.back().end());
    }
  }
  const imbalance::LabelEncoder encoder(class_names);
  const std::vector<std::string> shown = printable(encoder.classes());  // labels as messages and reports show them
  const imbalance::ScopedClassNames names(shown);  // messages name labels as in the file
  if (encoder.num_classes() < 2)
    throw imbalance::invalid_argument(fmt::format("{}: the training data has a single class", train_));
  imbalance::TrainingData data;
  data.num_classes = encoder.num_classes();
  if (partial_labels_) {
    data.candidates = imbalance::CandidateMatrix::Zero(static_cast<Eigen::Index>(train.labels.size()), encoder.num_classes());
    for (std::size_t i = 0; i < candidate_names.size(); ++i)
      for (int c : encoder.encode(candidate_names[i], train_))
        data.candidates(static_cast<Eigen::Index>(i), c) = 1;
  } else {
    data.labels = encoder.encode(train.labels, train_);
  }
  const Eigen::VectorXi test_y = encoder.encode(test.labels, test_);
  const Eigen::Index k = encoder.num_classes();
  // Before any training: the prior file, and whether the model fits in memory at all.
  const Eigen::VectorXd file_prior = prior_is_file() ? read_target_prior(encoder) : Eigen::VectorXd();
  check_model_size(num_features, k, std::max<Eigen::Index>(static_cast<Eigen::Index>(train.labels.size()), test_rows));
  const double fraction = validation_fraction_;
  check_combination(fraction, k);
  // The space is read and checked before any work, once.
  const imbalance::SearchSpace space = search_ ? search_space() : imbalance::SearchSpace{};
  if (!unlabeled_.empty()) {
    imbalance::CsvReadOptions unlabeled_csv = csv;
    unlabeled_csv.empty_labels = true;  // its label column is ignored, empty cells included
    imbalance::CsvTable unlabeled = read_csv_pattern("--unlabeled", unlabeled_, unlabeled_csv);
    if (unlabeled.feature_names != train.feature_names)
      throw imbalance::invalid_argument(fmt::format("{} and {} have different feature columns: {}", train_, unlabeled_,
                                                    column_difference(train.feature_names, unlabeled.feature_names)));
    data.unlabeled = std::move(unlabeled.features);
  }
  const Eigen::Index unlabeled_rows = data.unlabeled.rows();
  data.features = std::move(train.features);  // no second copy of the data

  imbalance::SearchPoint choice = flags;
  nlohmann::json search_record(nullptr);
  std::string leaderboard, chart;
  const auto start = std::chrono::steady_clock::now();
  if (search_) choice = search(space, data, fraction, err, search_record, leaderboard, chart);
  // The single run, or the search's winner refit on all training rows: the same code and stream
  // as the single run of the printed command.
  const imbalance::TrainingPipeline pipeline(pipeline_options(choice, fraction, file_prior, err));
  imbalance::Rng rng(options_.seed);  // one stream: the validation split, the steps, then training
  const imbalance::FittedPipeline fitted = pipeline.fit(std::move(data), rng);
  const imbalance::SoftmaxClassifier& model = fitted.model();
  const Eigen::VectorXd& fit_counts = fitted.class_counts();
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Decisions on the test set: tuned on validation data only.
  fitted.standardize_in_place(test.features);
  const imbalance::PipelinePrediction prediction = fitted.predict_standardized(test.features);
  const Eigen::VectorXi& predicted = prediction.labels;
  const Eigen::MatrixXd& test_probabilities = prediction.probabilities;
  nlohmann::json tuning = {{"tune", tune_}, {"target_prior", printable(target_prior_)}};
  const imbalance::PipelineTuning& tuned = fitted.tuning();
  if (tuned.temperature) tuning["temperature"] = *tuned.temperature;
  if (prediction.target_prior.size() != 0)
    tuning["target_prior_values"] =
        std::vector<double>(prediction.target_prior.data(), prediction.target_prior.data() + prediction.target_prior.size());
  if (tuned.tau) tuning["tau"] = *tuned.tau;
  if (tuned.threshold) tuning["threshold"] = *tuned.threshold;
  if (tuned.validation_balanced_accuracy) tuning["validation_balanced_accuracy"] = *tuned.validation_balanced_accuracy;

  imbalance::ClassificationReportOptions report_options;
  report_options.class_names = shown;
  report_options.train_counts = fit_counts;
  const auto report = imbalance::classification_report_with_scores(test_y, predicted, test_probabilities, report_options);
  if (search_) out << leaderboard;
  std::string weak;
  if (!unlabeled_.empty())
    weak = fmt::format(", self-training on {} unlabelled rows{}{}", unlabeled_rows, darp_ ? " with DARP" : "",
                       abc_ ? ", ABC head" : "");
  if (partial_labels_) weak = fmt::format(", partial labels ({})", partial_method_);
  if (clean_lof_ > 0) {
    const auto& lof = fitted.step_rows().front().second;  // clean-lof is the one cleaning step
    weak += fmt::format(", LOF removed {} rows", lof.first - lof.second);
  }
  if (calibrate_tail_) weak += ", tails calibrated";
  out << fmt::format("{} on {} ({} train rows{}, {} features, {} classes, {} head{}{}{}), evaluated on {} ({} rows)\n",
                     search_ ? imbalance::describe_point(choice).name : choice.loss, printable(train_),
                     fitted.train_rows(),
                     fitted.validation_rows() > 0 ? fmt::format(" + {} validation rows", fitted.validation_rows())
                                                  : std::string(),
                     num_features, k, choice.head,
                     choice.hidden > 0 ? fmt::format(", hidden layer of {}", choice.hidden) : "",
                     choice.stage2 != "none" ? fmt::format(", stage 2 {}", choice.stage2) : "", weak, printable(test_),
                     test_rows);
  if (tune_ != "none" || target_prior_ != "train") out << "tuned on validation: " << describe(tuning) << "\n";
  out << "\n" << imbalance::format_report(report);

  const auto settings = run_settings(choice, fraction);
  if (html_file) {
    imbalance::HtmlReportOptions html;
    html.title = fmt::format("imbalance-train: {} on {}", choice.loss, train_);
    html.settings = settings;
    if (!chart.empty()) html.charts.push_back(chart);
    html_file->stream() << imbalance::html_report(report, html);
    html_file->commit();
  }
  if (json_file) {
    Summary summary{report, shown, model, fitted.history(), tuning, nlohmann::json(nullptr), settings};
    summary.train_rows = fitted.train_rows();
    summary.validation_rows = fitted.validation_rows();
    summary.train_seconds = train_seconds;
    summary.search = search_record;
    json_file->stream() << summary_json(summary).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    json_file->commit();
  }
  return 0;
}

#if defined(IMBALANCE_CLI_MPI)
int TrainTool::run_distributed(std::ostream& out, std::ostream& err) const {
  namespace dist = imbalance::distributed;
  if (!mpi::available()) {
    err << "imbalance-train: --distributed needs the program started through MPI (mpirun)\n";
    return 1;
  }
  const dist::Communicator comm(MPI_COMM_WORLD, mpi_timeout_);
  try {
    if (train_.empty() || test_.empty()) throw imbalance::invalid_argument("--train and --test are required");
    const auto refuse = [](bool given, const char* option) {
      if (given) throw imbalance::invalid_argument(fmt::format("{} does not run distributed", option));
    };
    refuse(resample_.name() != "none", "--resample");
    refuse(posthoc_.name() != "none", "--posthoc");
    refuse(stage2_.name() != "none", "--stage2");
    refuse(validation_fraction_ > 0 || tune_ != "none" || search_, "validation, --tune and --search");
    refuse(target_prior_ != "train", "--target-prior");
    refuse(!unlabeled_.empty() || partial_labels_ || clean_lof_ > 0 || calibrate_tail_, "weak supervision");
    refuse(!report_html_.empty(), "--report");
    const imbalance::SearchPoint choice = flag_point();
    (void)schedule_.values();
    std::optional<imbalance::AtomicFile> json_file;
    comm.agree([&] {
      if (comm.rank() != 0) return;
      check_outputs(input_paths(), output_paths());
      if (!json_.empty()) json_file.emplace(json_);
    });
    const imbalance::CsvReadOptions csv{label_column_, ',', {}, {}, false};
    const mpi::Shard train = mpi::read_shard(comm, "--train", train_, csv);
    const mpi::Shard test = mpi::read_shard(comm, "--test", test_, csv);
    comm.agree([&] {
      if (test.table.feature_names != train.table.feature_names)
        throw imbalance::invalid_argument(fmt::format("{} and {} have different feature columns: {}", train.source,
                                                      test.source,
                                                      column_difference(train.table.feature_names, test.table.feature_names)));
    });
    const imbalance::LabelEncoder encoder(mpi::global_classes(comm, train.table.labels));
    const std::vector<std::string> shown = printable(encoder.classes());
    const imbalance::ScopedClassNames names(shown);
    const Eigen::Index k = encoder.num_classes();
    Eigen::VectorXi train_y, test_y;
    comm.agree([&] {
      if (k < 2) throw imbalance::invalid_argument(fmt::format("{}: the training data has a single class", train_));
      train_y = train.encode(encoder);
      test_y = test.encode(encoder);
    });
    const Eigen::VectorXd counts = dist::global_class_counts(comm, train_y, k).cast<double>();
    const auto scaler = mpi::GlobalScaler::fit(comm, train.table.features);
    const Eigen::MatrixXd train_x = scaler.transform(train.table.features);
    const Eigen::MatrixXd test_x = scaler.transform(test.table.features);

    const imbalance::PipelineOptions pipeline = pipeline_options(choice, 0.0, Eigen::VectorXd(), err);
    imbalance::TrainerOptions options = pipeline.trainer;
    options.on_epoch = nullptr;
    const bool show = comm.rank() == 0 && !quiet_ && stderr_is_terminal();
    if (show)
      options.on_epoch = [&err](const imbalance::EpochInfo& info) {
        err << fmt::format("\repoch {}/{}  loss {:.4f}  lr {:.4g}   ", info.epoch + 1, info.epochs, info.mean_loss,
                           info.learning_rate);
        if (info.epoch + 1 == info.epochs) err << "\n";
        err.flush();
      };
    imbalance::LossForEpoch loss;
    comm.agree([&] { loss = pipeline.loss(counts); });
    imbalance::Rng rng(options_.seed);
    imbalance::SoftmaxClassifier model;
    const auto start = std::chrono::steady_clock::now();
    const dist::DistributedFit fit = float_arithmetic()
                                         ? dist::fit_distributed<float>(comm, model, train_x, train_y, loss, options, rng)
                                         : dist::fit_distributed<double>(comm, model, train_x, train_y, loss, options, rng);
    const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    imbalance::ClassificationReportOptions report_options;
    report_options.class_names = shown;
    report_options.train_counts = counts;
    Eigen::VectorXi predicted;
    Eigen::MatrixXd probabilities;
    comm.agree([&] {
      // Row by row: a row's logits do not depend on how many rows its rank holds.
      Eigen::MatrixXd logits(test_x.rows(), k);
      for (Eigen::Index i = 0; i < test_x.rows(); ++i) logits.row(i) = model.logits(test_x.row(i));
      predicted = imbalance::argmax_rows(logits);
      probabilities = imbalance::softmax_rows(logits);
    });
    const imbalance::ClassificationReport report =
        dist::classification_report_with_scores(comm, test_y, probabilities, report_options);
    if (comm.rank() != 0) return 0;
    out << fmt::format("{} on {} ranks ({} train rows, {} features, {} classes, linear head), evaluated on {} "
                       "({} rows)\n",
                       choice.loss, comm.size(), fit.total_rows, train_x.cols(), k, test_, report.num_samples());
    out << "\n" << imbalance::format_report(report);
    if (json_file) {
      const nlohmann::json tuning = {{"tune", tune_}, {"target_prior", printable(target_prior_)}};
      Summary summary{report, shown, model, fit.history, tuning, nlohmann::json(nullptr),
                      run_settings(choice, 0.0)};
      summary.train_rows = fit.total_rows;
      summary.ranks = comm.size();
      summary.train_seconds = train_seconds;
      json_file->stream() << summary_json(summary).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      json_file->commit();
    }
  } catch (const dist::collective_timeout& e) {
    mpi::abort_on_timeout("imbalance-train", e, err);
  } catch (const std::exception& e) {
    if (comm.rank() == 0) err << "imbalance-train: " << message_text(e.what()) << "\n";
    return 1;
  }
  return 0;
}
#endif

std::vector<NamedPath> TrainTool::input_paths() const {
  std::vector<NamedPath> inputs{{"--train", train_}, {"--test", test_}};
  if (!unlabeled_.empty()) inputs.push_back({"--unlabeled", unlabeled_});
  if (target_prior_ != "train" && target_prior_ != "uniform" && target_prior_ != "estimate")
    inputs.push_back({"--target-prior", target_prior_});
  return inputs;
}

nlohmann::json TrainTool::summary_json(const Summary& s) {
  const auto& report = s.report;
  auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json j;
  j["schema_version"] = summary_schema_version;
  j["classes"] = s.classes;
  j["balanced_accuracy"] = report.balanced_accuracy;
  j["accuracy"] = report.accuracy;
  j["macro_f1"] = report.macro_f1;
  j["geometric_mean"] = report.geometric_mean;
  j["per_class_recall"] = std::vector<double>(report.per_class.recall.data(),
                                              report.per_class.recall.data() + report.per_class.recall.size());
  j["many_shot"] = report.shots ? optional(report.shots->many) : nlohmann::json(nullptr);
  j["medium_shot"] = report.shots ? optional(report.shots->medium) : nlohmann::json(nullptr);
  j["few_shot"] = report.shots ? optional(report.shots->few) : nlohmann::json(nullptr);
  j["train_rows"] = s.train_rows;
  j["validation_rows"] = s.validation_rows;
  j["test_rows"] = report.num_samples();
  j["ranks"] = s.ranks;
  j["train_seconds"] = s.train_seconds;
  j["final_loss"] = s.history.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.history.back().mean_loss);
  // The trained head: W (F x K, column-major), then b; F = the features or the hidden width.
  const Eigen::MatrixXd& w = s.model.weights();
  const Eigen::RowVectorXd& b = s.model.bias();
  std::vector<double> weights(w.data(), w.data() + w.size());
  weights.insert(weights.end(), b.data(), b.data() + b.size());
  j["weights"] = weights;
  j["tuning"] = s.tuning;
  j["search"] = s.search;
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& [key, value] : s.settings) settings[key] = printable(value);  // paths: valid UTF-8
  j["settings"] = settings;
  j["report"] = imbalance::report_to_json(report);
  return j;
}

void TrainTool::check_combination(double fraction, Eigen::Index k) const {
  const bool needs_validation = tune_ != "none";
  if (needs_validation && fraction <= 0)
    throw imbalance::invalid_argument(fmt::format("--tune {} needs validation data: give --validation-fraction > 0", tune_));
  if (tune_ == "threshold" && k != 2)
    throw imbalance::invalid_argument(fmt::format("--tune threshold needs two classes (the data has {})", k));
  if ((tune_ == "posthoc-tau" || tune_ == "threshold") && (posthoc_.name() != "none"))
    throw imbalance::invalid_argument(fmt::format("--tune {} replaces --posthoc {}: give one of them", tune_, posthoc_.name()));
  if (target_prior_ != "train" && ((posthoc_.name() != "none") || tune_ == "posthoc-tau" || tune_ == "threshold"))
    throw imbalance::invalid_argument(
        "--target-prior corrects the prior itself: combine it with --posthoc none and --tune none or temperature");
  if (stage2_.name() != "none" && posthoc_.name() != "none")
    throw imbalance::invalid_argument(fmt::format("--stage2 {} replaces the classifier that --posthoc {} would correct: "
                                                  "give one of them", stage2_.name(), posthoc_.name()));
  if (head_.name() == "etf" && loss_.name() != "ce")
    throw imbalance::invalid_argument(
        fmt::format("--head etf trains with the dot-regression loss of its fixed ETF, not --loss {}", loss_.name()));
  const bool semi = !unlabeled_.empty();
  if ((darp_ || abc_ || darp_target_ != "labeled") && !semi)
    throw imbalance::invalid_argument("--darp, --darp-target and --abc refine self-training: give --unlabeled FILE");
  if (darp_target_ == "estimate" && fraction <= 0)
    throw imbalance::invalid_argument("--darp-target estimate needs validation rows: give --validation-fraction > 0");
  if ((semi || partial_labels_) && (search_ || stage2_.name() != "none" || head_.name() == "etf"))
    throw imbalance::invalid_argument(fmt::format("{} trains one model with per-epoch targets: combine it without "
                                                  "--search, --stage2 and --head etf",
                                                  semi ? "--unlabeled" : "--partial-labels"));
  if ((abc_ || partial_labels_) && posthoc_.name() != "none")
    throw imbalance::invalid_argument(fmt::format("{} predicts with its own classifier: combine it with --posthoc none",
                                                  abc_ ? "--abc" : "--partial-labels"));
  if (partial_labels_ && (semi || resample_.chosen() || clean_lof_ > 0 || calibrate_tail_ || fraction > 0 ||
                          loss_.name() != "ce"))
    throw imbalance::invalid_argument("--partial-labels trains with the soft cross-entropy of its label confidences "
                                      "on all training rows: combine it without --unlabeled, --resample, --clean-lof, "
                                      "--calibrate-tail, --validation-fraction and with --loss ce");
  if (threshold_ > 1)
    throw imbalance::invalid_argument(fmt::format("--pseudo-threshold must lie in [0, 1] (got {})", threshold_));
  if (search_ && (tune_ == "posthoc-tau" || tune_ == "threshold" || target_prior_ != "train"))
    throw imbalance::invalid_argument("--search chooses the post-hoc correction itself: combine it with --tune none or "
                                      "temperature and --target-prior train");
  if (search_ && fraction > 0 && tune_ != "temperature")
    throw imbalance::invalid_argument("--search cross-validates on all training rows: --validation-fraction is for --tune "
                                      "temperature only there");
  if (!search_ && imbalance::loss_registry().at(loss_.name()).removes_prior) {
    // A loss that removes the prior, then a second correction of it (la + tau-norm, ...): refused.
    try {
      imbalance::check_method_combination(loss_.name(), head_.name(), stage2_.name(), posthoc_.name());
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      throw imbalance::invalid_argument(fmt::format("--loss {} with {}: {}", loss_.name(),
                                                    stage2_.name() != "none" ? "--stage2 " + stage2_.name()
                                                                             : "--posthoc " + posthoc_.name(),
                                                    what.substr(what.find(": ") + 2)));
    }
  }
}

imbalance::Precision TrainTool::precision() const {
  return precision_ == "float" ? imbalance::Precision::Float : imbalance::Precision::Double;
}

imbalance::SearchPoint TrainTool::flag_point() const {
  imbalance::SearchPoint p;
  p.resampler = resample_.name();
  p.resampler_values = resample_.values();
  p.loss = loss_.name();
  p.loss_values = loss_.values();
  p.sampler = sampler_.name();
  p.sampler_values = sampler_.values();
  p.head = head_.name();
  p.hidden = static_cast<long>(options_.hidden_units);
  p.stage2 = stage2_.name();
  p.stage2_values = stage2_.values();
  p.posthoc = posthoc_.name();
  p.posthoc_values = posthoc_.values();
  p.epochs = epochs_;
  return p;
}

imbalance::SearchSpace TrainTool::flag_space() const {
  imbalance::SearchSpace space;
  space.schedule = schedule_.name();
  space.schedule_values = schedule_.values();
  space.paper_warmup = warmup_option_ == nullptr || warmup_option_->count() == 0;
  return space;
}

imbalance::PipelineOptions TrainTool::base_pipeline(double fraction) const {
  imbalance::PipelineOptions p;
  p.validation_fraction = fraction;
  if (clean_lof_ > 0) {
    imbalance::OptionValues lof;
    lof.set("lof-neighbors", static_cast<double>(clean_lof_));
    p.cleaning.push_back(imbalance::resampler_step("clean-lof", lof));
  }
  if (calibrate_tail_) p.resampling.push_back(imbalance::resampler_step("calibrate-tail", {}));
  p.trainer = options_;
  p.trainer.epochs = epochs_;
  p.precision = precision();
  if (partial_labels_) {
    imbalance::PartialLabelStage partial;
    partial.options.method =
        partial_method_ == "proden" ? imbalance::PartialLabelMethod::Proden : imbalance::PartialLabelMethod::Records;
    p.weak = partial;
  } else if (!unlabeled_.empty()) {
    imbalance::SelfTrainingStage st;
    st.options.threshold = threshold_;
    st.options.unlabeled_weight = unlabeled_weight_;
    st.options.warmup_epochs = pseudo_warmup_ < 0 ? epochs_ / 3 : pseudo_warmup_;
    st.options.darp = darp_;
    st.options.darp_options.solver =
        darp_solver_ == "official" ? imbalance::DarpSolver::Official : imbalance::DarpSolver::Converged;
    st.estimate_darp_target = darp_ && darp_target_ == "estimate";
    if (abc_) st.abc = imbalance::AuxiliaryBalancedOptions{threshold_};
    p.weak = st;
  }
  p.tune_temperature = tune_ == "temperature";
  return p;
}

imbalance::PipelineOptions TrainTool::pipeline_options(const imbalance::SearchPoint& point, double fraction,
                                                       const Eigen::VectorXd& file_prior, std::ostream& err) const {
  imbalance::PipelineOptions p =
      imbalance::point_pipeline(point, base_pipeline(fraction), flag_space(), point.epochs ? *point.epochs : epochs_);
  if (partial_labels_) p.loss = nullptr;  // partial labels train with the soft cross-entropy of their confidences
  if (!quiet_ && stderr_is_terminal())
    p.trainer.on_epoch = [&err](const imbalance::EpochInfo& info) { print_progress(err, info); };
  if (target_prior_ == "uniform")
    p.decision = imbalance::TargetPrior::uniform();
  else if (target_prior_ == "estimate")
    p.decision = imbalance::TargetPrior::estimate();
  else if (prior_is_file())
    p.decision = imbalance::TargetPrior::given(file_prior);
  else if (tune_ == "posthoc-tau")
    p.decision = imbalance::LogitAdjustmentTuning{};
  else if (tune_ == "threshold")
    p.decision = imbalance::ThresholdTuning{};
  return p;
}

std::vector<std::string> TrainTool::split_candidates(const std::string& text, std::size_t row) const {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = text.find('|', start);
    std::string part = imbalance::detail::trim(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (part.empty())
      throw imbalance::invalid_argument(fmt::format("{}: row {} has an empty candidate in its label set '{}'", train_,
                                                    row + 1, text));
    out.push_back(std::move(part));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

namespace {
// A list of names or numbers of a --search-space file, or the default when the key is absent.
template <class T>
void read_list(const nlohmann::json& file, const char* key, std::vector<T>& target) {
  if (!file.contains(key)) return;
  const nlohmann::json& v = file.at(key);
  if (!v.is_array() || v.empty())
    throw imbalance::invalid_argument(fmt::format("--search-space: '{}' must be a non-empty list (got {})", key, v.dump()));
  target.clear();
  for (const auto& item : v) {
    if constexpr (std::is_same<T, std::string>::value) {
      if (!item.is_string())
        throw imbalance::invalid_argument(fmt::format("--search-space: '{}' lists names (got {})", key, item.dump()));
    } else {
      if (!item.is_number_integer())
        throw imbalance::invalid_argument(fmt::format("--search-space: '{}' lists whole numbers (got {})", key, item.dump()));
    }
    target.push_back(item.get<T>());
  }
}

// A range: a list of values, or {"low": a, "high": b, "log": true|false}.
imbalance::SearchRange read_range(const std::string& key, const nlohmann::json& v) {
  const std::string where = "--search-space: '" + key + "'";
  if (v.is_array()) {
    std::vector<double> values;
    for (const auto& item : v) {
      if (!item.is_number()) throw imbalance::invalid_argument(fmt::format("{} lists numbers (got {})", where, item.dump()));
      values.push_back(item.get<double>());
    }
    if (values.empty()) throw imbalance::invalid_argument(where + " is an empty list");
    return imbalance::SearchRange::among(values);
  }
  if (v.is_object()) {
    for (const auto& [name, value] : v.items())
      if (name != "low" && name != "high" && name != "log")
        throw imbalance::invalid_argument(fmt::format("{}: unknown key '{}' (low, high, log)", where, name));
    if (!v.contains("low") || !v.contains("high") || !v.at("low").is_number() || !v.at("high").is_number())
      throw imbalance::invalid_argument(where + " needs numbers 'low' and 'high'");
    const bool log = v.contains("log") && v.at("log").is_boolean() && v.at("log").get<bool>();
    imbalance::SearchRange range = imbalance::SearchRange::interval(v.at("low").get<double>(), v.at("high").get<double>(), log);
    range.check(where);
    return range;
  }
  throw imbalance::invalid_argument(fmt::format("{} must be a list of values or {{\"low\", \"high\", \"log\"}} (got {})",
                                                where, v.dump()));
}
}  // namespace

imbalance::SearchSpace TrainTool::search_space() const {
  imbalance::SearchSpace space = imbalance::default_search_space();
  if (!search_space_file_.empty()) {
    std::ifstream in(search_space_file_);
    if (!in) throw imbalance::invalid_argument(fmt::format("--search-space '{}' cannot be read", printable(search_space_file_)));
    nlohmann::json file;
    try {
      file = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw imbalance::invalid_argument(fmt::format("--search-space '{}' is not JSON: {}", printable(search_space_file_), e.what()));
    }
    if (!file.is_object())
      throw imbalance::invalid_argument("--search-space: the file must hold one JSON object");
    static const std::set<std::string> known = {"resamplers", "losses", "samplers", "heads", "hidden", "stage2",
                                                "posthoc", "epochs", "learning_rate", "weight_decay",
                                                "method_options", "ranges"};
    for (const auto& [key, value] : file.items())
      if (!known.count(key))
        throw imbalance::invalid_argument(fmt::format(
            "--search-space: unknown key '{}' (resamplers, losses, samplers, heads, hidden, stage2, posthoc, epochs, "
            "learning_rate, weight_decay, method_options, ranges)", key));
    read_list(file, "resamplers", space.resamplers);
    read_list(file, "losses", space.losses);
    read_list(file, "samplers", space.samplers);
    read_list(file, "heads", space.heads);
    read_list(file, "hidden", space.hidden);
    read_list(file, "stage2", space.stage2);
    read_list(file, "posthoc", space.posthoc);
    read_list(file, "epochs", space.epochs);
    if (file.contains("learning_rate")) space.learning_rate = read_range("learning_rate", file.at("learning_rate"));
    if (file.contains("weight_decay")) space.weight_decay = read_range("weight_decay", file.at("weight_decay"));
    if (file.contains("method_options")) {
      if (!file.at("method_options").is_boolean())
        throw imbalance::invalid_argument("--search-space: 'method_options' must be true or false");
      space.method_options = file.at("method_options").get<bool>();
    }
    if (file.contains("ranges")) {
      if (!file.at("ranges").is_object())
        throw imbalance::invalid_argument("--search-space: 'ranges' must map \"kind.method.option\" to a range");
      for (const auto& [key, value] : file.at("ranges").items()) space.ranges[key] = read_range("ranges." + key, value);
    }
  }
  // Methods named on the command line pin their part of the space (their options too).
  auto pin = [](std::vector<std::string>& list, const auto& choice) {
    if (choice.given()) list = {choice.name()};
  };
  pin(space.resamplers, resample_);
  pin(space.losses, loss_);
  pin(space.samplers, sampler_);
  pin(space.heads, head_);
  pin(space.stage2, stage2_);
  pin(space.posthoc, posthoc_);
  if (hidden_option_ != nullptr && hidden_option_->count() > 0) space.hidden = {static_cast<long>(options_.hidden_units)};
  const imbalance::SearchSpace shared = flag_space();
  space.schedule = shared.schedule;
  space.schedule_values = shared.schedule_values;
  space.paper_warmup = shared.paper_warmup;
  imbalance::check_search_space(space);
  return space;
}

imbalance::SearchPoint TrainTool::search(const imbalance::SearchSpace& space, const imbalance::TrainingData& data,
                                         double fraction, std::ostream& err, nlohmann::json& record,
                                         std::string& leaderboard, std::string& chart) const {
  const bool grid = search_strategy_ == "grid";
  const long budget = search_budget_ > 0 ? search_budget_ : (search_strategy_ == "halving" ? 40 : 20);
  std::vector<imbalance::SearchPoint> points = imbalance::search_space_points(space, grid ? 0 : budget, options_.seed);
  // Methods' option values given on the command line hold for every candidate of that method.
  for (auto& p : points) {
    if (p.resampler == resample_.name() && resample_.options_given()) p.resampler_values = resample_.values();
    if (p.loss == loss_.name() && loss_.options_given()) p.loss_values = loss_.values();
    if (p.sampler == sampler_.name() && sampler_.options_given()) p.sampler_values = sampler_.values();
    if (p.stage2 == stage2_.name() && stage2_.options_given()) p.stage2_values = stage2_.values();
    if (p.posthoc == posthoc_.name() && posthoc_.options_given()) p.posthoc_values = posthoc_.values();
  }
  const imbalance::PipelineOptions base = base_pipeline(fraction);
  std::vector<imbalance::SearchCandidate> candidates;
  for (const auto& p : points) candidates.push_back(imbalance::point_candidate(p, base, space));
  imbalance::SearchOptions so;
  so.strategy = search_strategy_ == "halving" ? imbalance::SearchStrategy::Halving
                : grid && search_budget_ > 0  ? imbalance::SearchStrategy::Random
                                              : imbalance::SearchStrategy::Grid;
  so.budget = grid ? search_budget_ : 0;  // random and halving drew their candidates already
  so.folds = search_folds_;
  so.repeats = search_repeats_;
  so.min_epochs = search_min_epochs_ > 0 ? search_min_epochs_ : 1;
  so.factor = 3;
  so.seed = options_.seed;
  so.refit = false;  // the winner is refit by the caller as the single run of its command
  if (!quiet_ && stderr_is_terminal())
    err << fmt::format("search: {} candidates ({}), cross-validated ...\n", candidates.size(), search_strategy_) << std::flush;
  const auto start = std::chrono::steady_clock::now();
  const imbalance::SearchResult result = imbalance::search_pipelines(candidates, data, so);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const imbalance::SearchPoint& winner = points[result.best_candidate()];

  // The leaderboard: the last round first (halving), then by mean; failures last.
  std::vector<std::size_t> order(result.scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&result](std::size_t a, std::size_t b) {
    const auto &x = result.scores[a], &y = result.scores[b];
    if (x.ok() != y.ok()) return x.ok();
    if (x.round != y.round) return x.round > y.round;
    return x.mean > y.mean;
  });
  nlohmann::json rows = nlohmann::json::array();
  std::size_t failures = 0;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const imbalance::CandidateScore& sc = result.scores[order[r]];
    const imbalance::SearchCandidate& c = candidates[sc.candidate];
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& [key, value] : c.settings) settings[key] = value;
    auto number = [&sc](double v) { return sc.ok() ? nlohmann::json(v) : nlohmann::json(nullptr); };
    rows.push_back({{"rank", r + 1}, {"name", c.name}, {"settings", settings}, {"complexity", c.complexity},
                    {"mean", number(sc.mean)}, {"sd", number(sc.sd)}, {"standard_error", number(sc.standard_error)},
                    {"fold_scores", sc.fold_scores}, {"epochs", sc.epochs}, {"round", sc.round},
                    {"seconds", sc.seconds}, {"chosen", order[r] == result.best},
                    {"failure", sc.ok() ? nlohmann::json(nullptr) : nlohmann::json(sc.failure)}});
    failures += sc.ok() ? 0 : 1;
  }
  const imbalance::CandidateScore& best = result.scores[result.best];
  const std::string command = reproducing_command(winner);
  const imbalance::SearchCandidate& chosen = candidates[best.candidate];
  nlohmann::json winner_settings = nlohmann::json::object();
  for (const auto& [key, value] : chosen.settings) winner_settings[key] = value;
  record = {{"strategy", search_strategy_},
            {"candidates", candidates.size()},
            {"evaluated", result.scores.size()},
            {"failed", failures},
            {"folds", result.folds},
            {"repeats", result.repeats},
            {"seed", options_.seed},
            {"seconds", seconds},
            {"selection", "one-standard-error rule: the simplest candidate whose mean is within one standard error of the best"},
            {"leaderboard", rows},
            {"winner", {{"name", chosen.name}, {"settings", winner_settings}, {"mean", best.mean}, {"sd", best.sd},
                        {"command", command}}}};

  std::string text = fmt::format(
      "search: {} over {} candidates ({} failed), {}-fold x {} stratified cross-validation on {} training rows, seed {}, "
      "{:.1f} s\n\n",
      search_strategy_, candidates.size(), failures, result.folds, result.repeats, data.labels.size(), options_.seed,
      seconds);
  text += fmt::format("{:>4}  {:>17}  {:>6}  {:>8}  {}\n", "rank", "CV bal. acc.", "epochs", "seconds", "candidate");
  const std::size_t shown = std::min<std::size_t>(10, order.size() - failures);
  for (std::size_t r = 0; r < shown; ++r) {
    const imbalance::CandidateScore& sc = result.scores[order[r]];
    text += fmt::format("{:>4}  {:>8.4f} ± {:<6.4f}  {:>6}  {:>8.1f}  {}{}\n", r + 1, sc.mean, sc.sd, sc.epochs, sc.seconds,
                        candidates[sc.candidate].name, order[r] == result.best ? "   <- chosen" : "");
  }
  if (order.size() - failures > shown) text += fmt::format("      ... {} more in the JSON (--json)\n", order.size() - failures - shown);
  for (std::size_t r = order.size() - failures, listed = 0; r < order.size() && listed < 3; ++r, ++listed) {
    const imbalance::CandidateScore& sc = result.scores[order[r]];
    text += fmt::format("failed: {}: {}\n", candidates[sc.candidate].name, message_text(sc.failure.c_str()));
  }
  text += fmt::format("\nchosen by the one-standard-error rule (the simplest candidate within one standard error of the best "
                      "mean): {} (CV {:.4f} ± {:.4f})\nreproduce: {}\n\nwinner refit on all training rows, scored once on "
                      "the test set:\n",
                      chosen.name, best.mean, best.sd, command);
  leaderboard = text;

  std::vector<imbalance::LeaderboardEntry> entries;
  for (std::size_t r = 0; r < order.size() - failures && r < 20; ++r) {
    const imbalance::CandidateScore& sc = result.scores[order[r]];
    entries.push_back({candidates[sc.candidate].name, sc.mean, sc.sd, order[r] == result.best});
  }
  chart = imbalance::leaderboard_chart(
      fmt::format("Model search: CV balanced accuracy (mean ± sd, {}-fold x {})", result.folds, result.repeats), entries);
  return winner;
}

std::string TrainTool::reproducing_command(const imbalance::SearchPoint& p) const {
  auto quoted = [](const std::string& text) {
    if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") ==
                             std::string::npos)
      return text;
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string cmd = "imbalance-train --train " + quoted(train_) + " --test " + quoted(test_);
  if (!label_column_.empty()) cmd += " --label-column " + quoted(label_column_);
  auto method = [&cmd](const char* flag, const std::string& name, const imbalance::OptionValues& values,
                       const std::string& prefix, const std::string& plain) {
    if (name == plain) return;
    cmd += std::string(" ") + flag + " " + name;
    for (const auto& [option, value] : values.all()) cmd += " --" + prefix + option + " " + imbalance::detail::format_number(value);
  };
  method("--resample", p.resampler, p.resampler_values, "", "none");
  method("--loss", p.loss, p.loss_values, "", "ce");
  method("--sampler", p.sampler, p.sampler_values, "sampler-", "instance");
  method("--head", p.head, {}, "", "linear");
  if (p.hidden > 0) cmd += " --hidden " + std::to_string(p.hidden);
  method("--stage2", p.stage2, p.stage2_values, "stage2-", "none");
  method("--posthoc", p.posthoc, p.posthoc_values, "posthoc-", "none");
  cmd += fmt::format(" --epochs {} --lr {} --weight-decay {}", p.epochs ? *p.epochs : epochs_,
                     imbalance::detail::format_number(p.learning_rate ? *p.learning_rate : options_.learning_rate.base),
                     imbalance::detail::format_number(p.weight_decay ? *p.weight_decay : options_.weight_decay));
  if (schedule_.name() != "cosine") cmd += " --schedule " + schedule_.name();
  const imbalance::OptionValues schedule_values = schedule_.values();
  for (const auto& [option, value] : schedule_values.all())
    cmd += " --schedule-" + option + " " + imbalance::detail::format_number(value);
  if (warmup_option_ != nullptr && warmup_option_->count() > 0) cmd += fmt::format(" --warmup {}", options_.learning_rate.warmup_epochs);
  const imbalance::TrainerOptions defaults = default_trainer();
  if (options_.batch_size != defaults.batch_size) cmd += fmt::format(" --batch-size {}", options_.batch_size);
  if (options_.momentum != defaults.momentum) cmd += " --momentum " + imbalance::detail::format_number(options_.momentum);
  if (options_.hidden_weight_decay != defaults.hidden_weight_decay)
    cmd += " --hidden-weight-decay " + imbalance::detail::format_number(options_.hidden_weight_decay);
  if (clean_lof_ > 0) cmd += fmt::format(" --clean-lof {}", clean_lof_);
  if (calibrate_tail_) cmd += " --calibrate-tail";
  if (validation_fraction_ > 0) cmd += " --validation-fraction " + imbalance::detail::format_number(validation_fraction_);
  if (tune_ != "none") cmd += " --tune " + tune_;
  cmd += fmt::format(" --precision {} --seed {}", precision_, options_.seed);
  return cmd;
}

bool TrainTool::prior_is_file() const {
  return target_prior_ != "train" && target_prior_ != "uniform" && target_prior_ != "estimate";
}

Eigen::VectorXd TrainTool::read_target_prior(const imbalance::LabelEncoder& encoder) const {
  const std::string name = printable(target_prior_);
  std::error_code error;
  if (std::filesystem::is_directory(target_prior_, error))
    throw imbalance::invalid_argument(fmt::format("--target-prior '{}' is a directory, not a file of 'label,prior' lines", name));
  std::ifstream file(target_prior_);
  if (!file)
    throw imbalance::invalid_argument(fmt::format(
        "--target-prior '{}' is neither train, uniform, estimate nor a readable file", name));
  return parse_target_prior(file, encoder.classes(), name);
}

void TrainTool::check_model_size(Eigen::Index features, Eigen::Index k, Eigen::Index rows) const {
  const long double h = static_cast<long double>(options_.hidden_units);
  const long double width = h > 0 ? h : static_cast<long double>(k);
  const long double parameters = h > 0 ? static_cast<long double>(features) * h + h + h * static_cast<long double>(k) + k
                                       : static_cast<long double>(features) * k + k;
  const long double bytes = 8.0L * (3 * parameters + static_cast<long double>(rows) * width);
  const long double available = physical_memory();
  if (available > 0 && bytes > available)
    throw imbalance::invalid_argument(fmt::format(
        "--hidden {}: the model needs {:.1f} GiB ({} features x {} hidden units and its head, three copies, and the "
        "activations of {} rows), more than this machine's {:.1f} GiB of memory",
        options_.hidden_units, static_cast<double>(bytes / (1L << 30)), features, options_.hidden_units, rows,
        static_cast<double>(available / (1L << 30))));
}

long double TrainTool::physical_memory() {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) return static_cast<long double>(pages) * static_cast<long double>(page);
#endif
  return 0;
}

std::string TrainTool::describe(const nlohmann::json& tuning) {
  std::string text;
  for (const auto& [key, value] : tuning.items()) {
    if (!text.empty()) text += ", ";
    text += key + " " + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return text;
}

std::vector<std::pair<std::string, std::string>> TrainTool::run_settings(const imbalance::SearchPoint& choice,
                                                                        double fraction) const {
  return {{"train", train_},
          {"test", test_},
          {"loss", choice.loss},
          {"head", choice.head},
          {"hidden", std::to_string(choice.hidden)},
          {"stage2", choice.stage2},
          {"resample", choice.resampler},
          {"sampler", choice.sampler},
          {"schedule", schedule_.name()},
          {"posthoc", choice.posthoc},
          {"epochs", std::to_string(epochs_)},
          {"batch_size", std::to_string(options_.batch_size)},
          {"lr", fmt::format("{}", options_.learning_rate.base)},
          {"seed", std::to_string(options_.seed)},
          {"precision", precision_},
          {"validation_fraction", fmt::format("{}", fraction)},
          {"tune", tune_},
          {"target_prior", printable(target_prior_)},
          {"search", search_ ? "yes" : "no"},
          {"unlabeled", unlabeled_},
          {"darp", darp_ ? darp_solver_ + ", target " + darp_target_ : "no"},
          {"abc", abc_ ? "yes" : "no"},
          {"partial_labels", partial_labels_ ? partial_method_ : "no"},
          {"clean_lof", std::to_string(clean_lof_)},
          {"calibrate_tail", calibrate_tail_ ? "yes" : "no"}};
}

bool TrainTool::stderr_is_terminal() {
#if defined(__unix__) || defined(__APPLE__)
  return isatty(fileno(stderr)) != 0;
#else
  return false;
#endif
}

void TrainTool::print_progress(std::ostream& err, const imbalance::EpochInfo& info) {
  // Loss, rate and time only: a training accuracy would cost a pass over the whole data per epoch.
  err << fmt::format("\repoch {}/{}  loss {:.4f}  lr {:.4g}  {:.2f} s   ", info.epoch + 1, info.epochs, info.mean_loss,
                     info.learning_rate, info.seconds);
  if (info.epoch + 1 == info.epochs) err << "\n";
  err.flush();
}

}  // namespace cli
