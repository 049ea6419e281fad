#pragma once
/// @file
/// Training recipes: one call that builds a loss of the library from its name and settings (with
/// DRW's per-epoch weights and the cosine classifier where the official LDAM-DRW code uses them)
/// and trains a SoftmaxRegression with it. Shared by imbalance-demo and imbalance-train.
///
/// | name     | loss                                                     |
/// |----------|----------------------------------------------------------|
/// | ce       | cross-entropy (ERM)                                      |
/// | cb       | cross-entropy with class_balanced_weights(counts, beta)  |
/// | focal    | FocalLoss (gamma, default 1)                             |
/// | ldam     | LDAMLoss on the cosine classifier                        |
/// | ldam-drw | LDAMLoss with DeferredReweighting(beta) from drw_epoch   |
/// | la       | LogitAdjustedLoss (tau)                                  |
/// | vs       | VSLoss (gamma default 0.3, tau)                          |
/// | bs       | BalancedSoftmaxLoss                                      |

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "imbalance/losses/balanced_softmax.hpp"
#include "imbalance/losses/class_balanced_weights.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/focal.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "imbalance/losses/vs.hpp"
#include "imbalance/train/softmax_regression.hpp"

namespace imbalance {

enum class LossKind { CrossEntropy, ClassBalanced, Focal, LDAM, LDAMDRW, LogitAdjusted, VS, BalancedSoftmax };

struct LossSettings {
  double tau = 1.0;
  /// Focal's or VS's gamma; unset means the loss's default (focal 1, VS 0.3).
  std::optional<double> gamma;
  double beta = 0.9999;
  double max_margin = 0.5;
  double scale = 30.0;
  /// DRW switch epoch; unset means 80 % of the epochs (LDAM-DRW: 160 of 200).
  std::optional<long> drw_epoch;
};

inline LossKind parse_loss_kind(const std::string& name) {
  if (name == "ce") return LossKind::CrossEntropy;
  if (name == "cb") return LossKind::ClassBalanced;
  if (name == "focal") return LossKind::Focal;
  if (name == "ldam") return LossKind::LDAM;
  if (name == "ldam-drw") return LossKind::LDAMDRW;
  if (name == "la") return LossKind::LogitAdjusted;
  if (name == "vs") return LossKind::VS;
  if (name == "bs") return LossKind::BalancedSoftmax;
  detail::throw_invalid("parse_loss_kind(): loss must be one of ce, cb, focal, ldam, ldam-drw, la, vs, bs (got \"",
                        name, "\")");
}

/// Trains `model` on (X, y) with the named loss built from the training class counts.
template <class DX, class DY, class DC>
std::vector<EpochInfo> train_with_loss(SoftmaxRegression& model, const Eigen::DenseBase<DX>& X,
                                       const Eigen::DenseBase<DY>& y, const Eigen::DenseBase<DC>& class_counts,
                                       LossKind kind, const LossSettings& settings, TrainerOptions options) {
  const Eigen::VectorXd counts = class_counts.derived().template cast<double>();
  switch (kind) {
    case LossKind::CrossEntropy:
      return model.fit(X, y, CrossEntropyLoss(counts), options);
    case LossKind::ClassBalanced:
      return model.fit(
          X, y, CrossEntropyLoss(counts, {class_balanced_weights(counts, settings.beta), Normalizer::WeightSum, Reduction::Mean}),
          options);
    case LossKind::Focal:
      return model.fit(X, y, FocalLoss(counts, {settings.gamma.value_or(1.0), Eigen::VectorXd(), Reduction::Mean}),
                       options);
    case LossKind::LDAM:
    case LossKind::LDAMDRW: {
      options.normalized = true;
      LDAMOptions ldam;
      ldam.max_margin = settings.max_margin;
      ldam.scale = settings.scale;
      if (kind == LossKind::LDAM) return model.fit(X, y, LDAMLoss(counts, ldam), options);
      const long switch_epoch = settings.drw_epoch.value_or(options.epochs / 5 * 4 + options.epochs % 5 * 4 / 5);
      const DeferredReweighting drw(counts, {switch_epoch, settings.beta});
      return model.fit(
          X, y,
          [&](long epoch) {
            LDAMOptions with_weights = ldam;
            with_weights.class_weights = drw.weights(epoch);
            return LDAMLoss(counts, with_weights);
          },
          options);
    }
    case LossKind::LogitAdjusted:
      return model.fit(X, y, LogitAdjustedLoss(counts, {settings.tau, 1e-12, Reduction::Mean}), options);
    case LossKind::VS: {
      VSOptions vs;
      vs.gamma = settings.gamma.value_or(0.3);
      vs.tau = settings.tau;
      return model.fit(X, y, VSLoss(counts, vs), options);
    }
    case LossKind::BalancedSoftmax:
      return model.fit(X, y, BalancedSoftmaxLoss(counts), options);
  }
  return {};
}

}  // namespace imbalance
