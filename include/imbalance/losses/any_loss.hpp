#pragma once
/// @file
/// Any loss of the library (or a user's type with the same interface) behind one type, for code
/// that chooses the loss at run time: the method registry and the trainer's per-epoch losses.
///
/// AnyLoss copies the loss it is given and forwards num_classes() and value_and_gradient() on double
/// row-major logits (what the trainer produces) without converting or allocating; a block of rows of
/// a row-major matrix binds directly.

#include <memory>
#include <utility>

#include <Eigen/Core>

namespace imbalance {

class AnyLoss {
 public:
  using Logits = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using LogitsRef = Eigen::Ref<const Logits>;
  using GradientRef = Eigen::Ref<Logits>;
  using LabelsRef = Eigen::Ref<const Eigen::VectorXi>;

  /// Any type with num_classes() and value_and_gradient(logits, labels, grad) (the library's losses).
  template <class Loss, class = std::enable_if_t<!std::is_same<std::decay_t<Loss>, AnyLoss>::value>>
  AnyLoss(Loss loss)  // NOLINT: implicit, so that a loss can be returned where an AnyLoss is expected
      : self_(std::make_shared<Model<Loss>>(std::move(loss))) {}

  Eigen::Index num_classes() const { return self_->num_classes(); }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (same shape as logits).
  double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef grad) const {
    return self_->value_and_gradient(logits, labels, grad);
  }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual Eigen::Index num_classes() const = 0;
    virtual double value_and_gradient(const LogitsRef&, const LabelsRef&, GradientRef&) const = 0;
  };
  template <class Loss>
  struct Model final : Concept {
    explicit Model(Loss l) : loss(std::move(l)) {}
    Eigen::Index num_classes() const override { return loss.num_classes(); }
    double value_and_gradient(const LogitsRef& logits, const LabelsRef& labels, GradientRef& grad) const override {
      return static_cast<double>(loss.value_and_gradient(logits, labels, grad));
    }
    Loss loss;
  };
  std::shared_ptr<const Concept> self_;  // immutable once built: copies share it
};

}  // namespace imbalance
