#pragma once
/// @file
/// The interface of the sigmoid (one-vs-all) focal family: torchvision's sigmoid focal loss and the
/// official class-balanced sigmoid / focal losses. Same calls as SoftmaxLoss (value,
/// value_and_gradient), plus per_element (the N x K unreduced losses, torchvision's 'none' output).
/// A label y_i is turned into the one-hot row e_{y_i}; the *_multi_label calls take multi-hot
/// targets instead (multi-label classification), and every call takes optional per-sample weights.

#include <string>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/sigmoid_kernel.hpp"
#include "imbalance/losses/softmax_loss.hpp"

namespace imbalance {

/// The interface of the sigmoid (one-vs-all) focal family. See imbalance/losses/sigmoid_loss.hpp for the formula, the paper and the defaults.
class SigmoidLoss {
 public:
  /// K, the number of classes.
  Eigen::Index num_classes() const noexcept { return num_classes_; }
  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return reduction_; }

  /// The reduced loss (Reduction::None: the sum of all elements).
  template <class DZ, class DY>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    validate(value_name_.c_str(), logits, labels);
    using Unused = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    return static_cast<S>(detail::sigmoid_family_kernel<S>(
        value_name_.c_str(), params(logits.rows()), detail::as_matrix(logits), labels.derived(), row_weights_ptr(),
        static_cast<Unused*>(nullptr), static_cast<Unused*>(nullptr)));
  }

  /// The reduced loss, and its gradient written into grad (resized if plain and of another shape).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name_.c_str(), logits, labels);
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(detail::sigmoid_family_kernel<S>(
        gradient_name_.c_str(), params(logits.rows()), detail::as_matrix(logits), labels.derived(), row_weights_ptr(), &g,
        static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr)));
  }

  /// The reduced loss with per-sample weights s_i (N, finite, >= 0) multiplying every element of
  /// row i; Mean keeps its normaliser.
  template <class DZ, class DY, class DW>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                            const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    validate(value_name_.c_str(), logits, labels);
    const detail::SampleWeights<S> s(value_name_.c_str(), sample_weights, logits.rows());
    using Unused = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    return static_cast<S>(detail::sigmoid_family_kernel<S>(
        value_name_.c_str(), params(logits.rows()), detail::as_matrix(logits), labels.derived(), row_weights_ptr(),
        static_cast<Unused*>(nullptr), static_cast<Unused*>(nullptr), s.data()));
  }

  /// value_and_gradient with per-sample weights (see value(logits, labels, sample_weights)).
  template <class DZ, class DY, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name_.c_str(), logits, labels);
    const detail::SampleWeights<S> s(gradient_name_.c_str(), sample_weights, logits.rows());
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(detail::sigmoid_family_kernel<S>(
        gradient_name_.c_str(), params(logits.rows()), detail::as_matrix(logits), labels.derived(), row_weights_ptr(),
        &g, static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr), s.data()));
  }

  /// Multi-label: the reduced loss on multi-hot targets T (N x K, every entry 0 or 1), each element a
  /// binary focal term; rows may have any number of positives. Not for class-weighted losses, whose
  /// weight belongs to a single label.
  template <class DZ, class DT>
  typename DZ::Scalar value_multi_label(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets) const {
    using S = typename DZ::Scalar;
    return multi_label<S>(value_name_.c_str(), logits, targets, nullptr,
                          static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr));
  }
  /// Multi-label value and gradient (see value_multi_label).
  template <class DZ, class DT, class DG>
  typename DZ::Scalar value_and_gradient_multi_label(const Eigen::DenseBase<DZ>& logits,
                                                     const Eigen::DenseBase<DT>& targets,
                                                     const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return multi_label<S>(gradient_name_.c_str(), logits, targets, nullptr, &g);
  }
  /// Multi-label value and gradient with per-sample weights s_i.
  template <class DZ, class DT, class DG, class DW>
  typename DZ::Scalar value_and_gradient_multi_label(const Eigen::DenseBase<DZ>& logits,
                                                     const Eigen::DenseBase<DT>& targets,
                                                     const Eigen::DenseBase<DG>& grad,
                                                     const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    check_same_length(gradient_name_.c_str(), "targets", targets.rows(), "logits", logits.rows());
    const detail::SampleWeights<S> s(gradient_name_.c_str(), sample_weights, logits.rows());
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return multi_label<S>(gradient_name_.c_str(), logits, targets, s.data(), &g);
  }

  /// Writes the unreduced per-element losses (N x K) into out.
  template <class DZ, class DY, class DE>
  void per_element(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                   const Eigen::DenseBase<DE>& out) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DE::Scalar>::value, "imbalance: out must have the logits' scalar type");
    validate(per_element_name_.c_str(), logits, labels);
    DE& e = detail::prepare_output(per_element_name_.c_str(), "out", out, logits.rows(), logits.cols());
    detail::SigmoidFamilyParams p = params(logits.rows());
    p.norm = 1;
    detail::sigmoid_family_kernel<S>(per_element_name_.c_str(), p, detail::as_matrix(logits), labels.derived(),
                                     row_weights_ptr(), static_cast<DE*>(nullptr), &e);
  }

  /// The unreduced N x K element losses (torchvision's reduction 'none').
  template <class DZ, class DY>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> per_element(
      const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, Eigen::Dynamic> out(logits.rows(), logits.cols());
    per_element(logits, labels, out);
    return out;
  }

 protected:
  /// For the derived losses: their name (in messages), K and the reduction.
  SigmoidLoss(const std::string& name, Eigen::Index num_classes, Reduction reduction)
      : value_name_(name + "::value()"),
        gradient_name_(name + "::value_and_gradient()"),
        per_element_name_(name + "::per_element()"),
        num_classes_(num_classes),
        reduction_(reduction) {}

  double alpha_positive_ = 1;  ///< weight of the positive (target) elements
  double alpha_negative_ = 1;  ///< weight of the negative elements
  double gamma_ = 0;  ///< focusing parameter
  bool mean_over_elements_ = true;  ///< Mean divides by N*K (torchvision) or by N (class-balanced code)
  Eigen::VectorXd row_weights_;     ///< w_{y_i} per class; empty means 1

 private:
  const Eigen::VectorXd* row_weights_ptr() const noexcept {
    return row_weights_.size() == 0 ? nullptr : &row_weights_;
  }

  detail::SigmoidFamilyParams params(Eigen::Index rows) const {
    detail::SigmoidFamilyParams p;
    p.alpha_positive = alpha_positive_;
    p.alpha_negative = alpha_negative_;
    p.gamma = gamma_;
    if (reduction_ == Reduction::Mean)
      p.norm = 1.0 / (static_cast<double>(rows) * (mean_over_elements_ ? static_cast<double>(num_classes_) : 1.0));
    return p;
  }

  template <class S, class DZ, class DT, class G>
  S multi_label(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DT>& targets,
                const S* sample_weights, G* grad) const {
    static_assert(std::is_same<S, typename DZ::Scalar>::value, "imbalance: internal scalar mismatch");
    if (row_weights_.size() != 0)
      detail::throw_invalid(function, ": multi-hot targets are not supported by a loss with per-class weights of the "
                                      "label (they need one label per sample)");
    detail::check_multi_hot(function, logits, targets, num_classes_);
    return static_cast<S>(detail::sigmoid_multi_label_kernel<S>(function, params(logits.rows()),
                                                                detail::as_matrix(logits), targets.derived(),
                                                                sample_weights, grad));
  }

  template <class DZ, class DY>
  void validate(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    detail::check_loss_input(function, logits, labels, num_classes_);
  }

  std::string value_name_, gradient_name_, per_element_name_;
  Eigen::Index num_classes_;
  Reduction reduction_;
};

}  // namespace imbalance
