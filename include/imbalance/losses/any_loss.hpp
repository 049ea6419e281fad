#pragma once
/// @file
/// Any loss of the library (or a user's type with the same interface) behind one type, for code
/// that chooses the loss at run time: the method registry and the trainer's per-epoch losses.
///
/// AnyLoss copies the loss it is given and forwards num_classes() and value_and_gradient() on double
/// or float row-major logits (what the trainer produces in either precision) without converting or
/// allocating; a block of rows of a row-major matrix binds directly. A loss that also reads the
/// head's input features (InfluenceBalancedTrainingLoss) is reached through the five-argument call.

#include <memory>
#include <type_traits>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"

namespace imbalance {

/// Any loss of the library (or a user's type with the same interface) behind one type, for code that chooses the loss at run time. See imbalance/losses/any_loss.hpp for the formula, the paper and the defaults.
class AnyLoss {
 public:
  /// Double logits, row-major (the trainer's layout).
  using Logits = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  /// Read-only view of double logits (binds a row-major matrix or a block of its rows without copying).
  using LogitsRef = Eigen::Ref<const Logits>;
  /// Writable view of a double gradient.
  using GradientRef = Eigen::Ref<Logits>;
  /// Read-only view of int labels.
  using LabelsRef = Eigen::Ref<const Eigen::VectorXi>;
  /// Float logits, row-major.
  using FloatLogits = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  /// Read-only view of float logits.
  using FloatLogitsRef = Eigen::Ref<const FloatLogits>;
  /// Writable view of a float gradient.
  using FloatGradientRef = Eigen::Ref<FloatLogits>;
  /// Read-only view of double per-sample weights.
  using WeightsRef = Eigen::Ref<const Eigen::VectorXd>;
  /// Read-only view of float per-sample weights.
  using FloatWeightsRef = Eigen::Ref<const Eigen::VectorXf>;

  /// Any type with num_classes() and value_and_gradient(logits, labels, grad) (the library's losses).
  template <class Loss, class = std::enable_if_t<!std::is_same<std::decay_t<Loss>, AnyLoss>::value>,
            class = decltype(std::declval<const std::decay_t<Loss>&>().num_classes())>
  AnyLoss(Loss loss)  // NOLINT: implicit, so that a loss can be returned where an AnyLoss is expected
      : self_(std::make_shared<Model<Loss>>(std::move(loss))) {}

  /// K, the number of classes.
  Eigen::Index num_classes() const { return self_->num_classes(); }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (same shape as logits).
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef grad) const {
    return self_->value_and_gradient(logits, labels, grad);
  }
  /// The same in float (the loss computes in float; the value is returned as double).
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, FloatGradientRef grad) const {
    return self_->value_and_gradient(logits, labels, grad);
  }

  /// Whether the loss takes per-sample weights (value_and_gradient(logits, labels, grad, weights)).
  bool accepts_sample_weights() const { return self_->accepts_sample_weights(); }
  /// The loss of per-sample weighted losses s_i l_i (the loss's own normaliser); throws for a loss
  /// without per-sample weights.
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef grad,
                            const WeightsRef& sample_weights) const {
    return self_->value_and_gradient(logits, labels, grad, sample_weights);
  }
  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, FloatGradientRef grad,
                            const FloatWeightsRef& sample_weights) const {
    return self_->value_and_gradient(logits, labels, grad, sample_weights);
  }

  /// Whether the loss also reads the features the head classifies (the IB loss's ||h||_1).
  bool uses_features() const { return self_->uses_features(); }
  /// The loss of (logits, labels) given the head's input features (N x F): dL/dlogits into grad and
  /// dL/dfeatures into grad_features (zero for a loss that does not read them).
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, const LogitsRef& features,
                            GradientRef grad, GradientRef grad_features) const {
    return self_->value_and_gradient(logits, labels, features, grad, grad_features);
  }
  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, const FloatLogitsRef& features,
                            FloatGradientRef grad, FloatGradientRef grad_features) const {
    return self_->value_and_gradient(logits, labels, features, grad, grad_features);
  }

 private:
  // A user's loss written for double only still fits; asking it for float then throws.
  template <class Loss, class = void>
  struct has_float_path : std::false_type {};
  template <class Loss>
  struct has_float_path<Loss, std::void_t<decltype(std::declval<const Loss&>().value_and_gradient(
                                  std::declval<const FloatLogitsRef&>(), std::declval<const LabelsRef&>(),
                                  std::declval<FloatGradientRef&>()))>> : std::true_type {};

  template <class Loss, class Logits, class Gradient, class Weights, class = void>
  struct has_weighted_path : std::false_type {};
  template <class Loss, class Logits, class Gradient, class Weights>
  struct has_weighted_path<Loss, Logits, Gradient, Weights,
                           std::void_t<decltype(std::declval<const Loss&>().value_and_gradient(
                               std::declval<const Logits&>(), std::declval<const LabelsRef&>(),
                               std::declval<Gradient&>(), std::declval<const Weights&>()))>> : std::true_type {};

  template <class Loss, class Features, class Gradient, class = void>
  struct has_feature_path : std::false_type {};
  template <class Loss, class Features, class Gradient>
  struct has_feature_path<Loss, Features, Gradient,
                          std::void_t<decltype(std::declval<const Loss&>().value_and_gradient(
                              std::declval<const Features&>(), std::declval<const LabelsRef&>(),
                              std::declval<const Features&>(), std::declval<Gradient&>(),
                              std::declval<Gradient&>()))>> : std::true_type {};

  struct Concept {
    virtual ~Concept() = default;
    virtual Eigen::Index num_classes() const = 0;
    virtual bool uses_features() const = 0;
    virtual bool accepts_sample_weights() const = 0;
    virtual double value_and_gradient(const LogitsRef&, const LabelsRef&, GradientRef&, const WeightsRef&) const = 0;
    virtual double value_and_gradient(const FloatLogitsRef&, const LabelsRef&, FloatGradientRef&,
                                      const FloatWeightsRef&) const = 0;
    virtual double value_and_gradient(const LogitsRef&, const LabelsRef&, GradientRef&) const = 0;
    virtual double value_and_gradient(const FloatLogitsRef&, const LabelsRef&, FloatGradientRef&) const = 0;
    virtual double value_and_gradient(const LogitsRef&, const LabelsRef&, const LogitsRef&, GradientRef&,
                                      GradientRef&) const = 0;
    virtual double value_and_gradient(const FloatLogitsRef&, const LabelsRef&, const FloatLogitsRef&,
                                      FloatGradientRef&, FloatGradientRef&) const = 0;
  };
  template <class Loss>
  struct Model final : Concept {
    explicit Model(Loss l) : loss(std::move(l)) {}
    Eigen::Index num_classes() const override { return loss.num_classes(); }
    double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef& grad) const override {
      return static_cast<double>(loss.value_and_gradient(logits, labels, grad));
    }
    double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels,
                              FloatGradientRef& grad) const override {
      if constexpr (has_float_path<Loss>::value)
        return static_cast<double>(loss.value_and_gradient(logits, labels, grad));
      else
        throw invalid_argument("AnyLoss: this loss has no float value_and_gradient; train in double precision");
    }
    bool accepts_sample_weights() const override {
      return has_weighted_path<Loss, LogitsRef, GradientRef, WeightsRef>::value;
    }
    double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef& grad,
                              const WeightsRef& weights) const override {
      return weighted(logits, labels, grad, weights);
    }
    double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, FloatGradientRef& grad,
                              const FloatWeightsRef& weights) const override {
      return weighted(logits, labels, grad, weights);
    }
    template <class Z, class G, class W>
    double weighted(const Z& logits, const LabelsRef& labels, G& grad, const W& weights) const {
      if constexpr (has_weighted_path<Loss, Z, G, W>::value)
        return static_cast<double>(loss.value_and_gradient(logits, labels, grad, weights));
      else
        throw invalid_argument("AnyLoss: this loss takes no per-sample weights (in this precision)");
    }
    bool uses_features() const override { return has_feature_path<Loss, LogitsRef, GradientRef>::value; }
    double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, const LogitsRef& features,
                              GradientRef& grad, GradientRef& grad_features) const override {
      return with_features(logits, labels, features, grad, grad_features);
    }
    double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, const FloatLogitsRef& features,
                              FloatGradientRef& grad, FloatGradientRef& grad_features) const override {
      return with_features(logits, labels, features, grad, grad_features);
    }
    template <class Z, class G>
    double with_features(const Z& logits, const LabelsRef& labels, const Z& features, G& grad, G& grad_features) const {
      if constexpr (has_feature_path<Loss, Z, G>::value) {
        return static_cast<double>(loss.value_and_gradient(logits, labels, features, grad, grad_features));
      } else {
        grad_features.setZero();
        return value_and_gradient(logits, labels, grad);
      }
    }
    Loss loss;
  };
  std::shared_ptr<const Concept> self_;  // immutable once built: copies share it
};

}  // namespace imbalance
