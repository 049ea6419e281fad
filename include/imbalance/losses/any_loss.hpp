#pragma once
/// @file
/// Any loss of the library (or a user's type with the same interface) behind one type, for code
/// that chooses the loss at run time: the method registry and the trainer's per-epoch losses.
///
/// AnyLoss copies the loss it is given and forwards num_classes() and value_and_gradient() on double
/// or float row-major logits (what the trainer produces in either precision) without converting or
/// allocating (AnyLoss::in<Scalar> builds the calls of one precision only, the trainer's choice); a block of rows of a row-major matrix binds directly. A loss that also reads the
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

  /// Any type with num_classes() and value_and_gradient(logits, labels, grad) (the library's losses),
  /// callable in double and float.
  template <class Loss, class = std::enable_if_t<!std::is_same<std::decay_t<Loss>, AnyLoss>::value>,
            class = decltype(std::declval<const std::decay_t<Loss>&>().num_classes())>
  AnyLoss(Loss loss)  // NOLINT: implicit, so that a loss can be returned where an AnyLoss is expected
      : AnyLoss(Slots<true, true>(), std::make_shared<const Loss>(std::move(loss))) {}

  /// The same, callable in Scalar arithmetic only (a call in the other precision throws): what the
  /// trainer builds, so that a program compiles the loss's kernel for the precision it trains in.
  template <class Scalar, class Loss>
  static AnyLoss in(Loss loss) {
    static_assert(std::is_same<Scalar, double>::value || std::is_same<Scalar, float>::value,
                  "AnyLoss::in<Scalar>: Scalar is double or float");
    if constexpr (std::is_same<std::decay_t<Loss>, AnyLoss>::value) {
      return loss;
    } else {
      constexpr bool is_double = std::is_same<Scalar, double>::value;
      return AnyLoss(Slots<is_double, !is_double>(), std::make_shared<const Loss>(std::move(loss)));
    }
  }

  /// K, the number of classes.
  Eigen::Index num_classes() const { return num_classes_; }
  /// Whether the loss takes per-sample weights (value_and_gradient(logits, labels, grad, weights)).
  bool accepts_sample_weights() const { return accepts_sample_weights_; }
  /// Whether the loss also reads the features the head classifies (the IB loss's ||h||_1).
  bool uses_features() const { return uses_features_; }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (same shape as logits).
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef grad) const {
    return model<double>().value_and_gradient(logits, labels, grad);
  }
  /// The same in float (the loss computes in float; the value is returned as double).
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, FloatGradientRef grad) const {
    return model<float>().value_and_gradient(logits, labels, grad);
  }
  /// The loss of per-sample weighted losses s_i l_i (the loss's own normaliser); throws for a loss
  /// without per-sample weights.
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef grad,
                            const WeightsRef& sample_weights) const {
    return model<double>().weighted(logits, labels, grad, sample_weights);
  }
  /// The same in float.
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, FloatGradientRef grad,
                            const FloatWeightsRef& sample_weights) const {
    return model<float>().weighted(logits, labels, grad, sample_weights);
  }
  /// The loss of (logits, labels) given the head's input features (N x F): dL/dlogits into grad and
  /// dL/dfeatures into grad_features (zero for a loss that does not read them).
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, const LogitsRef& features,
                            GradientRef grad, GradientRef grad_features) const {
    return model<double>().with_features(logits, labels, features, grad, grad_features);
  }
  /// The same in float.
  double value_and_gradient(const FloatLogitsRef& logits, const LabelsRef& labels, const FloatLogitsRef& features,
                            FloatGradientRef grad, FloatGradientRef grad_features) const {
    return model<float>().with_features(logits, labels, features, grad, grad_features);
  }

 private:
  template <class Scalar>
  using RowsOf = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // A user's loss written for double only still fits; asking it for float then throws.
  template <class Loss, class Logits, class Gradient, class = void>
  struct has_path : std::false_type {};
  template <class Loss, class Logits, class Gradient>
  struct has_path<Loss, Logits, Gradient,
                  std::void_t<decltype(std::declval<const Loss&>().value_and_gradient(
                      std::declval<const Logits&>(), std::declval<const LabelsRef&>(), std::declval<Gradient&>()))>>
      : std::true_type {};

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

  // The calls in one arithmetic.
  template <class Scalar>
  struct Concept {
    using In = Eigen::Ref<const RowsOf<Scalar>>;
    using Out = Eigen::Ref<RowsOf<Scalar>>;
    using Weights = Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>>;
    virtual ~Concept() = default;
    virtual double value_and_gradient(const In&, const LabelsRef&, Out&) const = 0;
    virtual double weighted(const In&, const LabelsRef&, Out&, const Weights&) const = 0;
    virtual double with_features(const In&, const LabelsRef&, const In&, Out&, Out&) const = 0;
  };
  template <class Loss, class Scalar>
  struct Model final : Concept<Scalar> {
    using typename Concept<Scalar>::In;
    using typename Concept<Scalar>::Out;
    using typename Concept<Scalar>::Weights;
    explicit Model(std::shared_ptr<const Loss> l) : loss(std::move(l)) {}
    double value_and_gradient(const In& logits, const LabelsRef& labels, Out& grad) const override {
      if constexpr (has_path<Loss, In, Out>::value)
        return static_cast<double>(loss->value_and_gradient(logits, labels, grad));
      else
        throw invalid_argument("AnyLoss: this loss has no value_and_gradient in this precision (float); train in double");
    }
    double weighted(const In& logits, const LabelsRef& labels, Out& grad, const Weights& weights) const override {
      if constexpr (has_weighted_path<Loss, In, Out, Weights>::value)
        return static_cast<double>(loss->value_and_gradient(logits, labels, grad, weights));
      else
        throw invalid_argument("AnyLoss: this loss takes no per-sample weights (in this precision)");
    }
    double with_features(const In& logits, const LabelsRef& labels, const In& features, Out& grad,
                         Out& grad_features) const override {
      if constexpr (has_feature_path<Loss, In, Out>::value) {
        return static_cast<double>(loss->value_and_gradient(logits, labels, features, grad, grad_features));
      } else {
        grad_features.setZero();
        return value_and_gradient(logits, labels, grad);
      }
    }
    std::shared_ptr<const Loss> loss;
  };

  template <bool Double, bool Float>
  struct Slots {};
  // Both arithmetics read the one copy of the loss.
  template <class Loss, bool Double, bool Float>
  AnyLoss(Slots<Double, Float>, const std::shared_ptr<const Loss>& loss)
      : num_classes_(loss->num_classes()),
        uses_features_(has_feature_path<Loss, LogitsRef, GradientRef>::value),
        accepts_sample_weights_(has_weighted_path<Loss, LogitsRef, GradientRef, WeightsRef>::value) {
    if constexpr (Double) double_ = std::make_shared<const Model<Loss, double>>(loss);
    if constexpr (Float) float_ = std::make_shared<const Model<Loss, float>>(loss);
  }

  template <class Scalar>
  const Concept<Scalar>& model() const {
    const Concept<Scalar>* m;
    if constexpr (std::is_same<Scalar, float>::value) m = float_.get(); else m = double_.get();
    if (!m)
      throw invalid_argument(std::is_same<Scalar, float>::value
                                 ? "AnyLoss: made for double arithmetic (AnyLoss::in<double>); called with float logits"
                                 : "AnyLoss: made for float arithmetic (AnyLoss::in<float>); called with double logits");
    return *m;
  }

  Eigen::Index num_classes_ = 0;
  bool uses_features_ = false;
  bool accepts_sample_weights_ = false;
  std::shared_ptr<const Concept<double>> double_;
  std::shared_ptr<const Concept<float>> float_;
};

}  // namespace imbalance
