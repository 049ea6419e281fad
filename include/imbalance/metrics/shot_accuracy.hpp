#pragma once
/// @file
/// Many/medium/few-shot accuracy, as the long-tailed literature reports it (Liu et al., "Large-Scale
/// Long-Tailed Recognition in an Open World", CVPR 2019; the shot_acc of
/// facebookresearch/classifier-balancing): classes are grouped by their *training* count,
///   many: n_k > many_threshold (100), few: n_k < few_threshold (20), medium: the rest,
/// and each group's accuracy is the mean per-class accuracy (recall) of its classes on the test set.
/// Classes without test samples are left out; a group without classes has no value (std::nullopt).

#include <optional>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/class_counts.hpp"
#include "imbalance/metrics/confusion_matrix.hpp"

namespace imbalance {

/// Many/medium/few-shot accuracy, as the long-tailed literature reports it (Liu et al., "Large-Scale Long-Tailed Recognition in an Open World", CVPR 2019; the shot_acc of facebookresearch/classifier-balancing). See imbalance/metrics/shot_accuracy.hpp for the formula, the paper and the defaults.
struct ShotThresholds {
  /// Many-shot: more than this many training samples.
  double many = 100;
  /// Few-shot: fewer than this many training samples.
  double few = 20;
};

/// Many/medium/few-shot accuracy, as the long-tailed literature reports it (Liu et al., "Large-Scale Long-Tailed Recognition in an Open World", CVPR 2019; the shot_acc of facebookresearch/classifier-balancing). See imbalance/metrics/shot_accuracy.hpp for the formula, the paper and the defaults.
struct ShotAccuracy {
  std::optional<double> many;  ///< accuracy over the many-shot classes (empty: no such class)
  std::optional<double> medium;  ///< over the medium-shot classes
  std::optional<double> few;  ///< over the few-shot classes
  /// Number of classes (with test samples) in each group.
  Eigen::Index many_classes = 0;  ///< number of many-shot classes
  Eigen::Index medium_classes = 0;  ///< number of medium-shot classes
  Eigen::Index few_classes = 0;  ///< number of few-shot classes
};

/// The shot group of a class by its training count.
enum class Shot { Many, Medium, Few };

/// The group of a class with `train_count` training samples.
inline Shot shot_of(double train_count, const ShotThresholds& thresholds = {}) {
  if (train_count > thresholds.many) return Shot::Many;
  if (train_count < thresholds.few) return Shot::Few;
  return Shot::Medium;
}

/// @throws imbalance::invalid_argument if train_counts does not have K entries, a count is negative,
///         or few > many.
template <class DC>
ShotAccuracy shot_accuracy(const ConfusionMatrix& confusion, const Eigen::DenseBase<DC>& train_counts,
                           const ShotThresholds& thresholds = {}) {
  const char* function = "shot_accuracy()";
  detail::check_confusion(function, confusion);
  const Eigen::VectorXd n = class_counts_to_double(function, train_counts, false);
  if (n.size() != confusion.rows())
    detail::throw_invalid(function, ": class_counts has length ", n.size(), " but there are ", confusion.rows(),
                          " classes");
  if (!(thresholds.few <= thresholds.many))
    detail::throw_invalid(function, ": thresholds.few (", thresholds.few, ") must be <= thresholds.many (",
                          thresholds.many, ")");
  double sums[3] = {0, 0, 0};
  Eigen::Index classes[3] = {0, 0, 0};
  for (Eigen::Index c = 0; c < confusion.rows(); ++c) {
    const double support = static_cast<double>(confusion.row(c).sum());
    if (support == 0) continue;
    const auto group = static_cast<int>(shot_of(n(c), thresholds));
    sums[group] += static_cast<double>(confusion(c, c)) / support;
    ++classes[group];
  }
  ShotAccuracy result;
  result.many_classes = classes[0];
  result.medium_classes = classes[1];
  result.few_classes = classes[2];
  if (classes[0] > 0) result.many = sums[0] / static_cast<double>(classes[0]);
  if (classes[1] > 0) result.medium = sums[1] / static_cast<double>(classes[1]);
  if (classes[2] > 0) result.few = sums[2] / static_cast<double>(classes[2]);
  return result;
}

/// Accuracy per shot group of the labels' classes (by the training counts).
template <class DT, class DP, class DC>
ShotAccuracy shot_accuracy(const Eigen::DenseBase<DT>& y_true, const Eigen::DenseBase<DP>& y_pred,
                           const Eigen::DenseBase<DC>& train_counts, const ShotThresholds& thresholds = {}) {
  return shot_accuracy(confusion_matrix(y_true, y_pred, train_counts.size()), train_counts, thresholds);
}

}  // namespace imbalance
