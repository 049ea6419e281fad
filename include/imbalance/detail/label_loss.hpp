#pragma once
/// @file
/// The public calls shared by the losses that are not a transform of the softmax kernel (hinge,
/// EQL, LADE, ...): value / value_and_gradient, with and without per-sample weights, on any dense
/// Eigen logits (float or double, either storage order). Not API.
///
/// Derived implements
///   template <class S, class Z, class Y, class G>
///   double evaluate(const char* function, const Z& logits, const Y& labels, const S* sample_weights,
///                   G* grad) const;
/// returning the reduced loss and writing dL/dz into *grad when grad is not null; input shapes,
/// labels and sample weights are checked here, finiteness of the logits by Derived.

#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/loss_input.hpp"

namespace imbalance::detail {

template <class Derived>
class LabelLoss {
 public:
  /// K, the number of classes (columns of the logits).
  Eigen::Index num_classes() const noexcept { return num_classes_; }

  /// The reduced loss.
  template <class DZ, class DY>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    check_loss_input(value_name_.c_str(), logits, labels, num_classes_);
    return static_cast<S>(self().template evaluate<S>(value_name_.c_str(), as_matrix(logits), labels.derived(),
                                                      static_cast<const S*>(nullptr), no_gradient<S>()));
  }
  /// The reduced loss of per-sample weighted losses (s_i finite, >= 0; Mean keeps its normaliser).
  template <class DZ, class DY, class DW>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                            const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    check_loss_input(value_name_.c_str(), logits, labels, num_classes_);
    const SampleWeights<S> s(value_name_.c_str(), sample_weights, logits.rows());
    return static_cast<S>(self().template evaluate<S>(value_name_.c_str(), as_matrix(logits), labels.derived(),
                                                      s.data(), no_gradient<S>()));
  }
  /// The reduced loss, and dL/dlogits written into grad (resized if plain and of another shape).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    check_loss_input(gradient_name_.c_str(), logits, labels, num_classes_);
    DG& g = prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(self().template evaluate<S>(gradient_name_.c_str(), as_matrix(logits), labels.derived(),
                                                      static_cast<const S*>(nullptr), &g));
  }
  /// value_and_gradient with per-sample weights.
  template <class DZ, class DY, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    check_loss_input(gradient_name_.c_str(), logits, labels, num_classes_);
    const SampleWeights<S> s(gradient_name_.c_str(), sample_weights, logits.rows());
    DG& g = prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(
        self().template evaluate<S>(gradient_name_.c_str(), as_matrix(logits), labels.derived(), s.data(), &g));
  }

 protected:
  LabelLoss(const std::string& name, Eigen::Index num_classes)
      : value_name_(name + "::value()"), gradient_name_(name + "::value_and_gradient()"), num_classes_(num_classes) {}

  template <class S>
  static Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>* no_gradient() noexcept {
    return nullptr;
  }

  std::string value_name_, gradient_name_;
  Eigen::Index num_classes_;

 private:
  const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

// The normaliser of Reduction::Mean over N rows (1 otherwise).
inline double mean_normalizer(Reduction reduction, Eigen::Index rows) noexcept {
  return reduction == Reduction::Mean ? 1.0 / static_cast<double>(rows) : 1.0;
}

}  // namespace imbalance::detail
