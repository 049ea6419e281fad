#pragma once
/// @file
/// Choosing the decision threshold of a binary classifier by cross-validation, as scikit-learn
/// 1.5's TunedThresholdClassifierCV does, and applying a fixed one (FixedThresholdClassifier).
///
/// Scores are any real numbers increasing with the positive class (probabilities or decision
/// values); a sample is predicted positive (label 1) iff score >= threshold. For each validation
/// fold f with scores s_f:
///   1. its own grid: `thresholds` (default 100) points linspace(min s_f, max s_f), and the metric
///      at every point;
///   2. the common grid: linspace(min over folds of min s_f, max over folds of max s_f);
///   3. each fold's curve is linearly interpolated onto the common grid (np.interp: constant beyond
///      its ends; grids computed with np.linspace's rounding) and the curves are averaged;
///   4. the threshold is the first maximum of the averaged curve.
/// Constrained form (e.g. "maximise recall subject to specificity >= 0.8"): the constraint metric
/// is averaged the same way and the maximum is taken over the grid points where it reaches the
/// minimum; no such point throws (the constraint is impossible on this data).
/// Metrics are callables metric(y_true, y_pred, 2) -> double (balanced accuracy by default).
///
/// tune_threshold_cross_validated runs the folds itself: stratified K-fold (default 5, seeded),
/// a callback fits the caller's model on the training rows and returns the scores of the
/// validation rows. As in scikit-learn (refit=True), the caller then refits on all the data.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/metrics/classification_metrics.hpp"
#include "imbalance/model_selection/stratified_split.hpp"

namespace imbalance {

/// Predicts 1 iff score >= threshold, for scores of any scale.
class FixedThresholdClassifier {
 public:
  /// Predicts class 1 where the score is >= threshold.
  explicit FixedThresholdClassifier(double threshold = 0.5) : threshold_(threshold) {
    check_finite_scalar("FixedThresholdClassifier", "threshold", threshold);
  }
  /// The decision threshold.
  double threshold() const noexcept { return threshold_; }

  /// 1 where the score is >= the threshold, else 0.
  template <class DS>
  Eigen::VectorXi predict(const Eigen::DenseBase<DS>& scores) const {
    const char* function = "FixedThresholdClassifier::predict()";
    if (scores.rows() != 1 && scores.cols() != 1)
      detail::throw_invalid(function, ": scores must be a vector (shape ", scores.rows(), "x", scores.cols(), ")");
    check_finite(function, "scores", scores);
    Eigen::VectorXi labels(scores.size());
    for (Eigen::Index i = 0; i < scores.size(); ++i)
      labels(i) = static_cast<double>(scores.derived().coeff(i)) >= threshold_ ? 1 : 0;
    return labels;
  }

 private:
  double threshold_;
};

/// Labels (0 or 1) and scores of one validation fold.
struct ValidationScores {
  /// Labels of the rows scored.
  Eigen::VectorXi labels;
  /// The class-1 scores of those rows.
  Eigen::VectorXd scores;
};

/// Options of ThresholdTuning (see imbalance/model_selection/tuned_threshold.hpp).
struct ThresholdTuningOptions {
  /// Points of each fold's grid and of the common grid (scikit-learn's thresholds, default 100).
  Eigen::Index thresholds = 100;
};

/// The tuning's curves and result.
struct TunedThreshold {
  std::vector<double> thresholds;  ///< the common grid
  std::vector<double> objective;   ///< averaged interpolated metric at each threshold
  std::vector<double> constraint;  ///< averaged constraint metric (empty without a constraint)
  /// Index of the chosen threshold (the first maximum).
  std::size_t best_index = 0;
  double threshold = 0;        ///< thresholds[best_index]
  double objective_score = 0;  ///< objective[best_index]
};

namespace detail {

inline double interpolate(double x, const std::vector<double>& xs, const std::vector<double>& ys) {
  if (x <= xs.front()) return ys.front();
  if (x >= xs.back()) return ys.back();
  const auto upper = static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
  const std::size_t lower = upper - 1;
  const double span = xs[upper] - xs[lower];
  // np.interp's formula: slope times offset from the lower point.
  return span > 0 ? ys[lower] + (ys[upper] - ys[lower]) / span * (x - xs[lower]) : ys[lower];
}

/// np.linspace(lo, hi, points): p * step + lo, the last point exactly hi (the same rounding).
inline std::vector<double> numpy_linspace(double lo, double hi, Eigen::Index points) {
  std::vector<double> grid(static_cast<std::size_t>(points));
  const double step = (hi - lo) / static_cast<double>(points - 1);
  for (std::size_t p = 0; p < grid.size(); ++p) grid[p] = static_cast<double>(p) * step + lo;
  grid.back() = hi;
  return grid;
}

inline void check_folds(const char* function, const std::vector<ValidationScores>& folds,
                        const ThresholdTuningOptions& options) {
  if (folds.empty()) throw_invalid(function, ": folds must not be empty");
  if (options.thresholds < 2) throw_invalid(function, ": thresholds must be >= 2 (got ", options.thresholds, ")");
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const auto& fold = folds[f];
    check_non_empty(function, "fold labels", fold.labels.size());
    check_same_length(function, "fold labels", fold.labels.size(), "fold scores", fold.scores.size());
    check_labels(function, "fold labels", fold.labels, 2);
    check_finite(function, "fold scores", fold.scores);
    if (fold.scores.minCoeff() == fold.scores.maxCoeff())
      throw_invalid(function, ": fold ", f, " has constant scores (", fold.scores(0),
                    "); the threshold cannot be optimised");
  }
}

/// Mean over folds of each fold's metric curve interpolated onto the common grid.
template <class Metric>
std::vector<double> averaged_curve(const std::vector<ValidationScores>& folds, const std::vector<double>& grid,
                                   Eigen::Index points, Metric& metric) {
  std::vector<double> mean(grid.size(), 0.0);
  for (const auto& fold : folds) {
    const double lo = fold.scores.minCoeff(), hi = fold.scores.maxCoeff();
    const std::vector<double> xs = numpy_linspace(lo, hi, points);
    std::vector<double> ys(xs.size());
    Eigen::VectorXi predicted(fold.scores.size());
    for (std::size_t p = 0; p < xs.size(); ++p) {
      for (Eigen::Index i = 0; i < fold.scores.size(); ++i) predicted(i) = fold.scores(i) >= xs[p] ? 1 : 0;
      ys[p] = metric(fold.labels, predicted, Eigen::Index{2});
    }
    for (std::size_t t = 0; t < grid.size(); ++t) mean[t] += interpolate(grid[t], xs, ys);
  }
  for (double& v : mean) v /= static_cast<double>(folds.size());
  return mean;
}

inline std::vector<double> common_grid(const std::vector<ValidationScores>& folds, Eigen::Index points) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& fold : folds) {
    lo = std::min(lo, fold.scores.minCoeff());
    hi = std::max(hi, fold.scores.maxCoeff());
  }
  return numpy_linspace(lo, hi, points);
}

}  // namespace detail

/// The threshold maximising the fold-averaged metric (see the file comment).
template <class Metric = BalancedAccuracyMetric>
TunedThreshold tune_threshold(const std::vector<ValidationScores>& folds, Metric metric = {},
                              const ThresholdTuningOptions& options = {}) {
  detail::check_folds("tune_threshold()", folds, options);
  TunedThreshold result;
  result.thresholds = detail::common_grid(folds, options.thresholds);
  result.objective = detail::averaged_curve(folds, result.thresholds, options.thresholds, metric);
  result.best_index = static_cast<std::size_t>(std::max_element(result.objective.begin(), result.objective.end()) -
                                               result.objective.begin());
  result.threshold = result.thresholds[result.best_index];
  result.objective_score = result.objective[result.best_index];
  return result;
}

/// The threshold maximising the objective among those whose averaged constraint metric is at
/// least `minimum` (e.g. recall subject to specificity >= 0.8).
template <class Metric, class ConstraintMetric>
TunedThreshold tune_threshold_constrained(const std::vector<ValidationScores>& folds, Metric objective,
                                          ConstraintMetric constraint, double minimum,
                                          const ThresholdTuningOptions& options = {}) {
  const char* function = "tune_threshold_constrained()";
  detail::check_folds(function, folds, options);
  check_finite_scalar(function, "minimum", minimum);
  TunedThreshold result;
  result.thresholds = detail::common_grid(folds, options.thresholds);
  result.objective = detail::averaged_curve(folds, result.thresholds, options.thresholds, objective);
  result.constraint = detail::averaged_curve(folds, result.thresholds, options.thresholds, constraint);
  bool found = false;
  for (std::size_t t = 0; t < result.thresholds.size(); ++t)
    if (result.constraint[t] >= minimum && (!found || result.objective[t] > result.objective_score)) {
      found = true;
      result.best_index = t;
      result.objective_score = result.objective[t];
    }
  if (!found)
    detail::throw_invalid(function, ": no threshold reaches the constraint minimum ", minimum, " (its best is ",
                          *std::max_element(result.constraint.begin(), result.constraint.end()), ")");
  result.threshold = result.thresholds[result.best_index];
  return result;
}

/// Fits the caller's model on the training rows of a fold and returns scores of the validation rows.
using FitAndScore = std::function<Eigen::VectorXd(const Eigen::MatrixXd& train_features, const Eigen::VectorXi& train_labels,
                                                  const Eigen::MatrixXd& validation_features)>;

/// Validation scores of every fold of a stratified K-fold split (labels 0 or 1).
template <class DX>
std::vector<ValidationScores> cross_validated_scores(const Eigen::DenseBase<DX>& features, const Eigen::VectorXi& labels,
                                                     const FitAndScore& fit_and_score, int folds, std::uint64_t seed) {
  const char* function = "cross_validated_scores()";
  check_same_length(function, "labels", labels.size(), "features", features.rows());
  check_labels(function, "labels", labels, 2);
  if (!fit_and_score) detail::throw_invalid(function, ": fit_and_score must be callable");
  Rng rng(seed);
  const std::vector<int> assignment = stratified_folds(labels, folds, rng);
  const Eigen::MatrixXd x = features.derived().template cast<double>();
  std::vector<ValidationScores> out;
  for (int f = 0; f < folds; ++f) {
    const TrainValidationIndices split = fold_indices(assignment, f);
    if (split.validation.empty()) continue;
    ValidationScores fold{select_rows(labels, split.validation), {}};
    fold.scores = fit_and_score(select_rows(x, split.train), select_rows(labels, split.train),
                                select_rows(x, split.validation));
    check_same_length(function, "fit_and_score's scores", fold.scores.size(), "validation rows",
                      static_cast<Eigen::Index>(split.validation.size()));
    out.push_back(std::move(fold));
  }
  return out;
}

/// TunedThresholdClassifierCV: cross-validated scores, then tune_threshold.
template <class DX, class Metric = BalancedAccuracyMetric>
TunedThreshold tune_threshold_cross_validated(const Eigen::DenseBase<DX>& features, const Eigen::VectorXi& labels,
                                              const FitAndScore& fit_and_score, Metric metric = {}, int folds = 5,
                                              std::uint64_t seed = 0, const ThresholdTuningOptions& options = {}) {
  return tune_threshold(cross_validated_scores(features, labels, fit_and_score, folds, seed), metric, options);
}

}  // namespace imbalance
