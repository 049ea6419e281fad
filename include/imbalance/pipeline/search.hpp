#pragma once
/// @file
/// Model search over training pipelines, chosen on cross-validated scores and refit on all rows
/// (scikit-learn's GridSearchCV / RandomizedSearchCV / HalvingRandomSearchCV with refit=True).
///
///  - Cross-validation: repeated stratified K-fold on the training rows (stratified_folds), the same
///    folds for every candidate (paired scores). Defaults from the smallest class n_min (at least 2
///    rows): K = clamp(n_min / 2, 2, 5), so every class has at least 2 rows in every validation fold
///    whenever n_min >= 4; repeats = clamp(ceil(20 / n_min), 1, 5), so the smallest class is
///    validated about 20 times when it is small.
///  - Score: balanced accuracy of the fitted pipeline's decisions on the held-out fold; a candidate
///    scores the mean over its folds, with the sample standard deviation and standard error
///    sd / sqrt(folds x repeats).
///  - Robust: a candidate whose training throws (diverges, an option its data cannot take) is
///    recorded with the message and scores nothing; the search goes on. Only if every candidate
///    fails does the search throw, naming the first failure.
///  - Selection (the one-standard-error rule): the best mean m* with standard error s*; among the
///    candidates whose mean is >= m* - s*, the one of least complexity (SearchCandidate::complexity),
///    then the higher mean, then the earlier candidate.
///  - Strategies: every candidate (grid); a seeded random subset of `budget` candidates; successive
///    halving (Jamieson & Talwalkar 2016; scikit-learn's HalvingRandomSearchCV) with epochs as the
///    resource: rounds of n, ceil(n / factor), ... candidates, as many as keep at least `factor`
///    candidates in the last round (so that the choice still compares several); the last round
///    trains for the candidates' own epochs, each earlier one for 1 / factor of the next (at least
///    min_epochs); the best ceil(1 / factor) of a round (by mean) go on. A candidate's final score
///    is the one of its last round, and the choice is made among the candidates of the last round.
///  - Determinism: fold assignments and every training draw from generators seeded by (seed,
///    repeat) and (seed, round, fold) — the same stream for every candidate on a fold (common random
///    numbers: two candidates differ by their settings only) — so the scores and the choice are the
///    same bits for every thread count; candidates are trained in parallel (one per OpenMP chunk).
///  - Refit: the chosen candidate's pipeline trained on all training rows (refit = false: none).
///
/// Defaults: grid, automatic folds and repeats, seed 0, refit on.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/error.hpp"
#include "imbalance/core/instantiate.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/detail/parallel.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/model_selection/stratified_split.hpp"
#include "imbalance/pipeline/training_pipeline.hpp"

namespace imbalance {

/// One point of a search space: a pipeline with its settings as reports print them.
struct SearchCandidate {
  /// A short name (reports and messages).
  std::string name;
  /// The settings that make it this candidate, as (option, value) pairs (reports, JSON).
  std::vector<std::pair<std::string, std::string>> settings;
  /// Tie-break of the one-standard-error rule: lower is simpler (e.g. the number of settings that
  /// differ from the defaults).
  double complexity = 0;
  /// The pipeline (its trainer's epochs are the full resource of successive halving).
  PipelineOptions options;
  /// Halving: the candidate trained for fewer epochs. Empty: `options` with trainer.epochs
  /// replaced; set it when the loss's schedule depends on the epochs (e.g. DRW's switch).
  std::function<PipelineOptions(long epochs)> at_epochs;
};

/// How candidates are chosen for evaluation.
enum class SearchStrategy {
  Grid,    ///< every candidate
  Random,  ///< a seeded random subset of SearchOptions::budget candidates
  Halving  ///< successive halving with epochs as the resource
};

/// Options of search_pipelines (see imbalance/pipeline/search.hpp for the rules and defaults).
struct SearchOptions {
  /// Grid, random or successive halving.
  SearchStrategy strategy = SearchStrategy::Grid;
  /// Random: the number of candidates evaluated (0 = all); halving: the number it starts with (0 = all).
  long budget = 0;
  /// Folds K (0 = automatic, >= 2 otherwise).
  int folds = 0;
  /// Repetitions of the K-fold split (0 = automatic, >= 1 otherwise).
  int repeats = 0;
  /// Halving: the fewest epochs of a round (>= 1).
  long min_epochs = 1;
  /// Halving: the fraction kept and the growth of the epochs per round (>= 2).
  long factor = 3;
  /// Seed of the folds, the random subset and every training.
  std::uint64_t seed = 0;
  /// Train the chosen candidate on all rows.
  bool refit = true;
};

/// A candidate's cross-validated record.
struct CandidateScore {
  /// Index in the candidate list.
  std::size_t candidate = 0;
  /// Epochs it trained for in its last round (halving), else its own.
  long epochs = 0;
  /// Balanced accuracy on every validation fold (repeat-major); empty when it failed.
  std::vector<double> fold_scores;
  /// Mean of the fold scores (NaN when it failed).
  double mean = std::numeric_limits<double>::quiet_NaN();
  /// Sample standard deviation of the fold scores (0 for one fold; NaN when it failed).
  double sd = std::numeric_limits<double>::quiet_NaN();
  /// sd / sqrt(folds): the standard error of the mean (NaN when it failed).
  double standard_error = std::numeric_limits<double>::quiet_NaN();
  /// Seconds of training and scoring (all folds; summed over rounds).
  double seconds = 0;
  /// Halving: the last round it took part in (0-based); 0 otherwise.
  int round = 0;
  /// Why it failed (the exception's message); empty when it scored.
  std::string failure;
  /// Whether it scored.
  bool ok() const { return failure.empty(); }
};

/// What a search found.
struct SearchResult {
  /// Folds K used.
  int folds = 0;
  /// Repetitions of the K-fold split used.
  int repeats = 0;
  /// One record per evaluated candidate, in candidate order.
  std::vector<CandidateScore> scores;
  /// Position in `scores` of the chosen candidate.
  std::size_t best = 0;
  /// The chosen candidate's pipeline fitted on all rows (empty without refit).
  std::optional<FittedPipeline> model;
  /// The chosen candidate's index in the candidate list.
  std::size_t best_candidate() const { return scores[best].candidate; }
};

/// The automatic folds and repeats for class counts (see the file comment); throws when a class
/// has fewer than 2 rows.
IMBALANCE_FUNC std::pair<int, int> default_cross_validation(const Eigen::VectorXi& labels, Eigen::Index num_classes);

/// Cross-validates the candidates on `data` by `options` (see the file comment), chooses one by the
/// one-standard-error rule and refits it on all rows.
/// @throws imbalance::invalid_argument for an empty list, partial-label candidates (their rows
/// have no labels to score), bad options or a class of fewer than 2 rows; when every candidate fails.
IMBALANCE_FUNC SearchResult search_pipelines(const std::vector<SearchCandidate>& candidates, const TrainingData& data,
                                             const SearchOptions& options = {});

namespace detail {
// A generator of its own for every (seed, a, b, c): splitmix64 of the combined words, so a
// training's draws depend on what it is, not on the thread or the order it ran in.
inline Rng search_rng(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  auto mix = [](std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  return Rng(mix(mix(mix(mix(seed) ^ a) ^ b) ^ c));
}
}  // namespace detail

#if IMBALANCE_HEADER_DEFINITIONS
namespace detail {
// The rows of `data` at `rows` (labels, features; unlabelled rows kept whole).
inline TrainingData search_subset(const TrainingData& data, const std::vector<Eigen::Index>& rows) {
  TrainingData out;
  out.features = imbalance::select_rows(data.features, rows);
  out.labels = imbalance::select_rows(data.labels, rows);
  out.num_classes = data.num_classes;
  out.unlabeled = data.unlabeled;
  return out;
}

// Mean, sample sd and standard error of the fold scores.
inline void search_summarise(CandidateScore& s) {
  const auto n = static_cast<double>(s.fold_scores.size());
  double sum = 0;
  for (double v : s.fold_scores) sum += v;
  s.mean = sum / n;
  double squares = 0;
  for (double v : s.fold_scores) squares += (v - s.mean) * (v - s.mean);
  s.sd = s.fold_scores.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  s.standard_error = s.sd / std::sqrt(n);
}
}  // namespace detail

IMBALANCE_FUNC std::pair<int, int> default_cross_validation(const Eigen::VectorXi& labels, Eigen::Index num_classes) {
  const char* function = "default_cross_validation()";
  check_labels(function, "labels", labels, num_classes);
  const Eigen::VectorXi counts = count_labels(labels, num_classes).cast<int>();
  Eigen::Index smallest = 0;
  const int n_min = counts.minCoeff(&smallest);
  if (n_min < 2)
    detail::throw_invalid(function, ": class ", smallest, " has ", n_min,
                          " labelled rows; cross-validation needs at least 2 of every class");
  const int folds = std::min(5, std::max(2, n_min / 2));
  const int repeats = std::min(5, std::max(1, (20 + n_min - 1) / n_min));
  return {folds, repeats};
}

IMBALANCE_FUNC SearchResult search_pipelines(const std::vector<SearchCandidate>& candidates, const TrainingData& data,
                                             const SearchOptions& options) {
  const char* function = "search_pipelines()";
  if (candidates.empty()) detail::throw_invalid(function, ": candidates is empty");
  for (const SearchCandidate& c : candidates)
    if (std::holds_alternative<PartialLabelStage>(c.options.weak))
      detail::throw_invalid(function, ": candidate '", c.name,
                            "' learns from partial labels, which leave no labels to score a fold by");
  if (options.folds == 1 || options.folds < 0) detail::throw_invalid(function, ": folds must be 0 or >= 2 (got ", options.folds, ")");
  if (options.repeats < 0) detail::throw_invalid(function, ": repeats must be >= 0 (got ", options.repeats, ")");
  if (options.budget < 0) detail::throw_invalid(function, ": budget must be >= 0 (got ", options.budget, ")");
  if (options.strategy == SearchStrategy::Halving) {
    if (options.min_epochs < 1) detail::throw_invalid(function, ": min_epochs must be >= 1 (got ", options.min_epochs, ")");
    if (options.factor < 2) detail::throw_invalid(function, ": factor must be >= 2 (got ", options.factor, ")");
  }
  check_non_empty(function, "features", data.features.rows());
  check_same_length(function, "labels", data.labels.size(), "features", data.features.rows());

  SearchResult result;
  const auto automatic = default_cross_validation(data.labels, data.num_classes);
  result.folds = options.folds > 0 ? options.folds : automatic.first;
  result.repeats = options.repeats > 0 ? options.repeats : automatic.second;

  // The same folds for every candidate.
  std::vector<std::vector<TrainingData>> train(static_cast<std::size_t>(result.repeats));
  std::vector<std::vector<TrainingData>> held(static_cast<std::size_t>(result.repeats));  // validation rows, copied once
  for (int r = 0; r < result.repeats; ++r) {
    Rng rng = detail::search_rng(options.seed, 1, static_cast<std::uint64_t>(r), 0);
    const std::vector<int> assignment = stratified_folds(data.labels, result.folds, rng);
    for (int f = 0; f < result.folds; ++f) {
      const TrainValidationIndices split = fold_indices(assignment, f);
      train[static_cast<std::size_t>(r)].push_back(detail::search_subset(data, split.train));
      held[static_cast<std::size_t>(r)].push_back(detail::search_subset(data, split.validation));
    }
  }

  // The candidates evaluated first: all, or a seeded random subset.
  std::vector<std::size_t> active(candidates.size());
  for (std::size_t i = 0; i < active.size(); ++i) active[i] = i;
  const auto n = static_cast<long>(candidates.size());
  if (options.strategy != SearchStrategy::Grid && options.budget > 0 && options.budget < n) {
    Rng rng = detail::search_rng(options.seed, 2, 0, 0);
    shuffle(active.begin(), active.end(), rng);
    active.resize(static_cast<std::size_t>(options.budget));
    std::sort(active.begin(), active.end());
  }

  std::vector<CandidateScore> record(candidates.size());
  std::vector<char> evaluated(candidates.size(), 0);
  const bool halving = options.strategy == SearchStrategy::Halving;
  // Halving's rounds, planned up front: n, ceil(n / factor), ... candidates while a round keeps at
  // least `factor` of them (so the last round still compares several), the last round at the full
  // epochs and each earlier one at 1 / factor of the next (at least min_epochs).
  long full = 0;  // the largest epochs a candidate asks for
  for (std::size_t i : active) full = std::max(full, candidates[i].options.trainer.epochs);
  int rounds = 1;
  if (halving) {
    const auto factor = static_cast<std::size_t>(options.factor);
    for (std::size_t m = active.size(); (m + factor - 1) / factor >= factor; m = (m + factor - 1) / factor) ++rounds;
  }
  auto round_epochs = [&](int round) {
    long e = full;
    for (int r = round; r < rounds - 1; ++r) e = (e + options.factor - 1) / options.factor;
    return std::min(full, std::max(options.min_epochs, e));
  };
  // The caller's class names, in force on every worker thread too: a failure's message is the
  // same text whichever thread trained the candidate.
  const std::vector<std::string>* class_names = ScopedClassNames::current();
  for (int round = 0;; ++round) {
    const long epochs = round_epochs(round);
    // One candidate per chunk (the same work for every thread count); each
    // writes only its own record.
    detail::parallel_chunks(static_cast<Eigen::Index>(active.size()), 1, [&](Eigen::Index, Eigen::Index a, Eigen::Index) {
      const std::size_t i = active[static_cast<std::size_t>(a)];
      std::optional<ScopedClassNames> names;
      if (class_names != nullptr && ScopedClassNames::current() != class_names) names.emplace(*class_names);
      CandidateScore s;
      s.candidate = i;
      s.round = round;
      s.seconds = record[i].seconds;
      const SearchCandidate& candidate = candidates[i];
      const long own = candidate.options.trainer.epochs;
      s.epochs = halving ? std::min(own, epochs) : own;
      const auto start = std::chrono::steady_clock::now();
      try {
        PipelineOptions o = candidate.options;
        if (s.epochs != own) {
          if (candidate.at_epochs)
            o = candidate.at_epochs(s.epochs);
          else
            o.trainer.epochs = s.epochs;
        }
        const TrainingPipeline pipeline(std::move(o));
        for (int r = 0; r < result.repeats; ++r)
          for (int f = 0; f < result.folds; ++f) {
            // Common random numbers: every candidate of a round draws the same stream on a fold,
            // so two candidates differ by their settings only.
            Rng rng = detail::search_rng(options.seed, 3, static_cast<std::uint64_t>(round),
                                         static_cast<std::uint64_t>(r * result.folds + f));
            const TrainingData& validation = held[static_cast<std::size_t>(r)][static_cast<std::size_t>(f)];
            const FittedPipeline fitted = pipeline.fit(train[static_cast<std::size_t>(r)][static_cast<std::size_t>(f)], rng);
            const Eigen::VectorXi predicted = fitted.predict(validation.features).labels;
            s.fold_scores.push_back(balanced_accuracy(validation.labels, predicted, data.num_classes));
          }
        detail::search_summarise(s);
      } catch (const std::exception& e) {
        s.fold_scores.clear();
        s.failure = e.what();
      }
      s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      record[i] = std::move(s);
      evaluated[i] = 1;
    });
    if (!halving || round + 1 >= rounds) break;
    // The best ceil(1 / factor) go on, ranked by mean; failures drop out.
    std::vector<std::size_t> ranked;
    for (std::size_t i : active)
      if (record[i].ok()) ranked.push_back(i);
    if (ranked.empty()) break;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&record](std::size_t x, std::size_t y) { return record[x].mean > record[y].mean; });
    const auto factor = static_cast<std::size_t>(options.factor);
    ranked.resize(std::min(ranked.size(), (active.size() + factor - 1) / factor));
    std::sort(ranked.begin(), ranked.end());
    active = std::move(ranked);
  }

  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (evaluated[i]) result.scores.push_back(record[i]);
  // The choice: among the candidates that scored in the last round anyone scored in (halving: a
  // round in which every candidate failed falls back to the one before).
  int last = -1;
  for (const CandidateScore& s : result.scores)
    if (s.ok()) last = std::max(last, s.round);
  auto eligible = [last](const CandidateScore& s) { return s.ok() && s.round == last; };
  std::optional<std::size_t> top;
  for (std::size_t p = 0; p < result.scores.size(); ++p)
    if (eligible(result.scores[p]) && (!top || result.scores[p].mean > result.scores[*top].mean)) top = p;
  if (!top) {
    const auto failed = std::find_if(result.scores.begin(), result.scores.end(), [](const CandidateScore& s) { return !s.ok(); });
    detail::throw_invalid(function, ": every candidate failed; the first, '", candidates[failed->candidate].name, "': ",
                          failed->failure);
  }
  const double floor = result.scores[*top].mean - result.scores[*top].standard_error;
  std::size_t best = *top;
  for (std::size_t p = 0; p < result.scores.size(); ++p) {
    const CandidateScore& s = result.scores[p];
    if (!eligible(s) || s.mean < floor) continue;
    const double c = candidates[s.candidate].complexity, b = candidates[result.scores[best].candidate].complexity;
    if (c < b || (c == b && s.mean > result.scores[best].mean)) best = p;
  }
  result.best = best;
  if (options.refit) {
    Rng rng = detail::search_rng(options.seed, 0, 0, 1);
    result.model = TrainingPipeline(candidates[result.scores[best].candidate].options).fit(data, rng);
  }
  return result;
}
#endif

}  // namespace imbalance
