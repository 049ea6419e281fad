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
#include <imbalance/registry/search_space.hpp>
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

  static constexpr int summary_schema_version = 3;

  static nlohmann::json summary_json(const Summary& s);

  // The methods and numbers the flags choose: the single run is this point of the method space,
  // and a search's winner is trained as the point it found (the same code, so the printed command
  // reproduces it).
  imbalance::SearchPoint flag_point() const;

  // What every point of this run shares: the schedule, the warm-up rule.
  imbalance::SearchSpace flag_space() const;

  // --search: the space (the default, or --search-space FILE), narrowed to the methods named on
  // the command line.
  imbalance::SearchSpace search_space() const;

  // The cross-validated search over `space` (search_space(), read once; library: search_pipelines);
  // returns the winner's point.
  imbalance::SearchPoint search(const imbalance::SearchSpace& space, const imbalance::TrainingData& data, double fraction,
                                std::ostream& err, nlohmann::json& record, std::string& leaderboard,
                                std::string& chart) const;

  // The command line that trains `point` as a single run.
  std::string reproducing_command(const imbalance::SearchPoint& point) const;

  // Option combinations that cannot mean anything are refused before any work.
  void check_combination(double fraction, Eigen::Index k) const;

  // --precision: the arithmetic every training of this run uses.
  imbalance::Precision precision() const;
  bool float_arithmetic() const { return precision() == imbalance::Precision::Float; }

  // What every candidate shares: validation, cleaning, tail calibration, precision, the trainer's
  // numbers, weak supervision, temperature.
  imbalance::PipelineOptions base_pipeline(double fraction) const;

  // The pipeline of a point: the flags as library objects (the combination rules of the flags were
  // checked by check_combination; the pipeline checks its own again when it is built).
  imbalance::PipelineOptions pipeline_options(const imbalance::SearchPoint& point, double fraction,
                                              const Eigen::VectorXd& file_prior, std::ostream& err) const;

  // The candidates of a partial label "a|b|c" (trimmed; at least one, none empty).
  std::vector<std::string> split_candidates(const std::string& text, std::size_t row) const;

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

  std::vector<std::pair<std::string, std::string>> run_settings(const imbalance::SearchPoint& point, double fraction) const;

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
  std::string search_strategy_ = "halving", search_space_file_;
  int search_folds_ = 0, search_repeats_ = 0;
  long search_min_epochs_ = 0;
  CLI::Option* warmup_option_ = nullptr;
  CLI::Option* hidden_option_ = nullptr;
  long epochs_ = 100;
  // The library's defaults, but for the base learning rate (the reproducing command prints what differs).
  static imbalance::TrainerOptions default_trainer() {
    imbalance::TrainerOptions o;
    o.learning_rate.base = 0.05;
    return o;
  }
  imbalance::TrainerOptions options_ = default_trainer();
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
