#pragma once
/// @file
/// Deferred re-weighting (DRW), the schedule of LDAM-DRW.
///
/// Cao, Wei, Gaidon, Arechiga, Ma. "Learning Imbalanced Datasets with Label-Distribution-Aware
/// Margin Loss", NeurIPS 2019 (official code: kaidic/LDAM-DRW, cifar_train.py).
/// Epochs before `switch_epoch` train without class weights (all ones); from `switch_epoch` on, the
/// class-balanced weights with `beta` (imbalance/losses/class_balanced_weights.hpp). Defaults as the
/// official code: switch at epoch 160 (of 200), beta = 0.9999. Difference from the paper: the paper
/// re-weights by 1/n_k; the code (and this class) use class-balanced weights (kaidic/LDAM-DRW issue #19).

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/losses/class_balanced_weights.hpp"

namespace imbalance {

/// Options of DeferredReweighting (see imbalance/losses/deferred_reweighting.hpp for the formula, the paper and the defaults).
struct DeferredReweightingOptions {
  /// First epoch (0-based) that uses the class-balanced weights.
  long switch_epoch = 160;
  /// beta of the class-balanced weights after the switch.
  double beta = 0.9999;
};

/// Deferred re-weighting (DRW), the schedule of LDAM-DRW. See imbalance/losses/deferred_reweighting.hpp for the formula, the paper and the defaults.
class DeferredReweighting {
 public:
  /// Built from the training class counts n_k (K entries) and the options.
  template <class Derived>
  explicit DeferredReweighting(const Eigen::DenseBase<Derived>& class_counts, DeferredReweightingOptions options = {})
      : options_(options) {
    if (options.switch_epoch < 0)
      detail::throw_invalid("DeferredReweighting::DeferredReweighting(): switch_epoch must be >= 0 (got ",
                            options.switch_epoch, ")");
    late_weights_ = class_balanced_weights(class_counts, options.beta);
  }

  /// True from switch_epoch on.
  bool reweighting(long epoch) const noexcept { return epoch >= options_.switch_epoch; }

  /// The class weights for a 0-based epoch.
  Eigen::VectorXd weights(long epoch) const {
    if (epoch < 0) detail::throw_invalid("DeferredReweighting::weights(): epoch must be >= 0 (got ", epoch, ")");
    return reweighting(epoch) ? late_weights_ : Eigen::VectorXd::Ones(late_weights_.size());
  }

  /// The options it was built with.
  const DeferredReweightingOptions& options() const noexcept { return options_; }

 private:
  DeferredReweightingOptions options_;
  Eigen::VectorXd late_weights_;
};

}  // namespace imbalance
