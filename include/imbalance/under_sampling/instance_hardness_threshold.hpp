#pragma once
/// @file
/// Instance hardness threshold (IHT) under-sampling.
///
/// Smith, Martinez & Giraud-Carrier, "An Instance Level Analysis of Data Complexity", Machine
/// Learning 95(2), 2014; as imbalanced-learn 0.10
/// (under_sampling/_prototype_selection/_instance_hardness_threshold.py). A classifier gives every
/// sample a cross-validated probability p_i of its own class (predicted by a model that did not
/// see it). For each class c targeted by sampling_strategy (default 'auto' = every class but the
/// minority) with n_c samples of which keep_c are to stay, the threshold is the percentile
/// 100 (1 - keep_c / n_c) of p over c (NumPy's default, linear interpolation between order
/// statistics), and the samples with p_i >= threshold are kept (ties can keep a few more than
/// keep_c, as in imbalanced-learn). Kept rows come out in their original order.
///
/// The classifier is any callback returning cross-validated probabilities (N x K, columns in
/// ascending label order). The default, in place of imbalanced-learn's random forest: the library's
/// softmax regression (train/softmax_classifier.hpp, cross-entropy, default trainer options) on
/// standardised features (fitted per fold), in stratified K-fold cross-validation with cv folds:
/// every class is shuffled and dealt to the folds in turn. Defaults: cv = 5, 'auto'.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/core/softmax.hpp"
#include "imbalance/data/standardizer.hpp"
#include "imbalance/detail/percentile.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/model_selection/stratified_split.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// Cross-validated class probabilities: given X (N x d), the classes of its rows (0 .. K-1) and a
/// seed, returns N x K probabilities, each row predicted by a model that did not train on it.
using CrossValidatedProbabilities =
    std::function<Eigen::MatrixXd(const Eigen::MatrixXd& X, const Eigen::VectorXi& classes, Eigen::Index num_classes,
                                  std::uint64_t seed)>;

/// The default of InstanceHardnessThreshold: softmax regression with `Loss` (built from the number
/// of classes) in stratified `folds`-fold cross-validation (see the file comment). A template, so
/// that the trainer is compiled only where it is used.
template <class Loss = CrossEntropyLoss>
CrossValidatedProbabilities softmax_regression_cross_validation(int folds = 5, TrainerOptions trainer = {}) {
  if (folds < 2) detail::throw_invalid("softmax_regression_cross_validation(): folds must be >= 2 (got ", folds, ")");
  return [folds, trainer](const Eigen::MatrixXd& X, const Eigen::VectorXi& classes, Eigen::Index num_classes,
                          std::uint64_t seed) {
    Rng rng(seed);
    const std::vector<int> fold = stratified_folds(classes, folds, rng);
    Eigen::MatrixXd probabilities(X.rows(), num_classes);
    const Loss loss(num_classes);
    for (int f = 0; f < folds; ++f) {
      std::vector<Eigen::Index> train, test;
      for (Eigen::Index i = 0; i < X.rows(); ++i) (fold[static_cast<std::size_t>(i)] == f ? test : train).push_back(i);
      if (test.empty()) continue;
      Eigen::MatrixXd x_train(static_cast<Eigen::Index>(train.size()), X.cols()), x_test(static_cast<Eigen::Index>(test.size()), X.cols());
      Eigen::VectorXi y_train(static_cast<Eigen::Index>(train.size()));
      for (std::size_t r = 0; r < train.size(); ++r) {
        x_train.row(static_cast<Eigen::Index>(r)) = X.row(train[r]);
        y_train(static_cast<Eigen::Index>(r)) = classes(train[r]);
      }
      for (std::size_t r = 0; r < test.size(); ++r) x_test.row(static_cast<Eigen::Index>(r)) = X.row(test[r]);
      const Standardizer scaler = Standardizer::fit(x_train);
      SoftmaxClassifier model;
      model.fit(scaler.transform(x_train), y_train, loss, trainer, rng);
      const auto logits = model.logits(scaler.transform(x_test));
      const Eigen::MatrixXd p = softmax_rows(logits);
      for (std::size_t r = 0; r < test.size(); ++r) probabilities.row(test[r]) = p.row(static_cast<Eigen::Index>(r));
    }
    return probabilities;
  };
}

/// Options of InstanceHardnessThreshold (see imbalance/under_sampling/instance_hardness_threshold.hpp for the formula, the paper and the defaults).
struct InstanceHardnessThresholdOptions : ResamplerOptions {
  /// Folds of the default classifier's cross-validation (ignored with a custom classifier).
  int cv = 5;
  /// Cross-validated probabilities; empty means softmax_regression_cross_validation(cv).
  CrossValidatedProbabilities classifier;
};

/// Instance hardness threshold (IHT) under-sampling. See imbalance/under_sampling/instance_hardness_threshold.hpp for the formula, the paper and the defaults.
class InstanceHardnessThreshold : public detail::SeededResampler<InstanceHardnessThreshold> {
 public:
  using detail::SeededResampler<InstanceHardnessThreshold>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = InstanceHardnessThresholdOptions;

  /// Built from the options.
  explicit InstanceHardnessThreshold(InstanceHardnessThresholdOptions options = {}) : options_(std::move(options)) {
    if (options_.cv < 2)
      detail::throw_invalid("InstanceHardnessThreshold::InstanceHardnessThreshold(): cv must be >= 2 (got ", options_.cv, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "InstanceHardnessThreshold::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap counts = detail::counts_of(rows);
    const ClassMap targets = options_.sampling_strategy.resolve(counts, SamplerKind::UnderSampling);
    std::map<int, int> position;
    for (const auto& entry : counts) position.emplace(entry.first, static_cast<int>(position.size()));
    Eigen::VectorXi classes(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) classes(i) = position.at(static_cast<int>(y.derived().coeff(i)));
    const auto K = static_cast<Eigen::Index>(counts.size());
    if (!options_.classifier) {  // scikit-learn's StratifiedKFold rule: some class must fill every fold
      std::int64_t largest = 0;
      for (const auto& entry : counts) largest = std::max<std::int64_t>(largest, entry.second);
      if (largest < options_.cv)
        detail::throw_invalid(function, ": cv = ", options_.cv, " folds exceed the ", largest,
                              " samples of the largest class: give cv <= ", largest);
    }
    detail::check_engine<Engine>();
    const auto seed = static_cast<std::uint64_t>(rng());
    const CrossValidatedProbabilities classifier =
        options_.classifier ? options_.classifier : softmax_regression_cross_validation<>(options_.cv);
    const Eigen::MatrixXd probabilities = classifier(X.derived().template cast<double>(), classes, K, seed);
    check_shape(function, "the classifier's probabilities", probabilities.rows(), probabilities.cols(), X.rows(), K);
    check_finite(function, "the classifier's probabilities", probabilities);
    std::vector<Eigen::Index> keep;
    for (const auto& [label, members] : rows) {
      const auto target = targets.find(label);
      if (target == targets.end()) {
        keep.insert(keep.end(), members.begin(), members.end());
        continue;
      }
      std::vector<double> own;
      for (Eigen::Index i : members) own.push_back(probabilities(i, position.at(label)));
      const double q = (1.0 - static_cast<double>(target->second) / static_cast<double>(members.size())) * 100.0;
      const double threshold = detail::percentile_linear(own, q);
      for (std::size_t r = 0; r < members.size(); ++r)
        if (own[r] >= threshold) keep.push_back(members[r]);
    }
    std::sort(keep.begin(), keep.end());
    return detail::select_rows(X, y, std::move(keep));
  }

 private:
  InstanceHardnessThresholdOptions options_;
};

}  // namespace imbalance
