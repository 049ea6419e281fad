// imbalance-train as a reusable object: add_to(app) declares its command line (every choice and
// its options from the registries), run() trains, evaluates and reports. main() is three lines;
// the tests drive the same object.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

// Only what the class's declaration names: its definitions (train_tool.cpp) include the rest.
#include <imbalance/data/csv.hpp>
#include <imbalance/metrics/classification_report.hpp>
#include <imbalance/pipeline/training_pipeline.hpp>
#include <imbalance/registry/losses.hpp>
#include <imbalance/registry/resamplers.hpp>
#include <imbalance/registry/training.hpp>

#include "inputs.hpp"
#include "method_choice.hpp"
#if defined(IMBALANCE_CLI_MPI)
#include "distributed.hpp"
#endif
#include "options.hpp"
#include "outputs.hpp"

namespace cli {

class TrainTool {
 public:
  TrainTool();

  void add_to(CLI::App& app);

  /// Runs the tool: 0 on success, 1 after printing the error to err.
  int run(std::ostream& out, std::ostream& err) const;

 private:
  int train_and_report(std::ostream& out, std::ostream& err) const;

#if defined(IMBALANCE_CLI_MPI)
  // Training over the MPI ranks. The checks that depend on the command line only are the same on
  // every rank; everything else runs in Communicator::agree, so a failure stops every rank.
  int run_distributed(std::ostream& out, std::ostream& err) const;
#endif

  // The files the run reads and writes, for check_outputs.
  std::vector<NamedPath> input_paths() const;
  std::vector<NamedPath> output_paths() const { return {{"--json", json_}, {"--report", report_html_}}; }

  // What the --json summary says of a run, one process or distributed: the same keys either way
  // (README, "The JSON summary"; what a mode cannot know is null).
  struct Summary {
    const imbalance::ClassificationReport& report;
    const std::vector<std::string>& classes;
    const imbalance::SoftmaxClassifier& model;
    const std::vector<imbalance::EpochInfo>& history;
    nlohmann::json tuning, search;
    std::vector<std::pair<std::string, std::string>> settings;
    Eigen::Index train_rows = 0, validation_rows = 0;
    int ranks = 1;
    double train_seconds = 0;
  };

  static constexpr int summary_schema_version = 2;

  static nlohmann::json summary_json(const Summary& s);

  // One point of the search space (and the single run's choice).
  struct Choice {
    std::string loss;
    imbalance::OptionValues loss_values;
    std::string sampler;
    imbalance::OptionValues sampler_values;
    std::string posthoc;
    imbalance::OptionValues posthoc_values;
  };

  struct SearchRow {
    std::string loss, sampler, posthoc;
    double validation_balanced_accuracy;
  };

  // Option combinations that cannot mean anything are refused before any work.
  void check_combination(double fraction, Eigen::Index k) const;

  // --precision: the arithmetic every training of this run uses.
  imbalance::Precision precision() const;
  bool float_arithmetic() const { return precision() == imbalance::Precision::Float; }

  // The trainer's options of a choice (what stage 1 trains with).
  imbalance::TrainerOptions trainer_options(const Choice& choice) const;

  // The pipeline of a run: the flags as library objects (the combination rules of the flags were
  // checked by check_combination; the pipeline checks its own again when it is built).
  imbalance::PipelineOptions pipeline_options(const Choice& choice, double fraction, const Eigen::VectorXd& file_prior,
                                              const imbalance::OptionValues& resample_values,
                                              const imbalance::OptionValues& stage2_values, std::ostream& err) const;

  // The loss of a choice, built from the original prior of the training rows (which it corrects).
  imbalance::LossForEpoch loss_of(const Choice& choice, const Eigen::VectorXd& fit_counts) const;

  // The candidates of a partial label "a|b|c" (trimmed; at least one, none empty).
  std::vector<std::string> split_candidates(const std::string& text, std::size_t row) const;

  // Every loss x batch sampler (defaults), every post-hoc correction on the validation rows; the
  // ranking and the winner use validation data only. The candidates share one preparation (split,
  // standardisation, steps).
  std::vector<SearchRow> search(const imbalance::PipelineOptions& run, const imbalance::PreparedData& prepared,
                                imbalance::Rng& rng, std::ostream& err,
                                std::optional<imbalance::FittedPipeline>& winner, Choice& choice) const;

  static std::string format_search(const std::vector<SearchRow>& table);

  // The test prior q of --target-prior (see its help).
  bool prior_is_file() const;

  // The --target-prior file (target_prior.hpp), read before training.
  Eigen::VectorXd read_target_prior(const imbalance::LabelEncoder& encoder) const;

  // Refuses a model that cannot fit in this machine's memory before any work (--hidden 100000000
  // would otherwise fail with std::bad_alloc after minutes): its parameters three times (values,
  // momentum, gradient) and the hidden activations of the largest file.
  void check_model_size(Eigen::Index features, Eigen::Index k, Eigen::Index rows) const;

  static long double physical_memory();

  static std::string describe(const nlohmann::json& tuning);

  std::vector<std::pair<std::string, std::string>> run_settings(const Choice& choice, double fraction) const;

  static bool stderr_is_terminal();

  static void print_progress(std::ostream& err, const imbalance::EpochInfo& info);

  MethodChoice<imbalance::LossFactory> loss_;
  MethodChoice<imbalance::ResamplerFactory> resample_;
  MethodChoice<imbalance::BatchSamplerFactory> sampler_;
  MethodChoice<imbalance::ScheduleFactory> schedule_;
  MethodChoice<imbalance::HeadFactory> head_;
  MethodChoice<imbalance::PostHocFactory> posthoc_;
  MethodChoice<imbalance::Stage2Factory> stage2_;
  MethodLists lists_;
  std::string train_, test_, label_column_, json_, precision_ = "float", tune_ = "none", target_prior_ = "train",
      report_html_;
  double validation_fraction_ = 0;
  bool search_ = false;
  long search_budget_ = 0;
  long epochs_ = 100;
  imbalance::TrainerOptions options_ = [] {
    imbalance::TrainerOptions o;  // the library's defaults, but for these two
    o.learning_rate.base = 0.05;
    return o;
  }();
  bool quiet_ = false;
  CLI::Option* precision_option_ = nullptr;
  std::string unlabeled_, darp_solver_ = "converged", darp_target_ = "labeled", partial_method_ = "records";
  bool darp_ = false, abc_ = false, partial_labels_ = false, calibrate_tail_ = false;
  double threshold_ = 0.95, unlabeled_weight_ = 1.0;
  long pseudo_warmup_ = -1;
  Eigen::Index clean_lof_ = 0;
#if defined(IMBALANCE_CLI_MPI)
  bool distributed_ = false;  // --distributed (the flag exists only with MPI)
  double mpi_timeout_ = 0;
#endif
};

}  // namespace cli
