#pragma once
/// @file
/// The interface every softmax-family loss shares (cross-entropy, focal, LDAM, logit-adjusted,
/// Balanced Softmax, VS). The concrete losses only configure the transform of the shared kernel
/// (imbalance/detail/softmax_kernel.hpp); this class validates input and runs it.
///
/// Interface (all calls are const and thread-safe; no mutable scratch):
///  - `value(logits, labels)`: the reduced loss (Reduction::None: the sum of per-sample losses, the
///    objective whose gradient value_and_gradient writes);
///  - `value_and_gradient(logits, labels, grad)`: the same, and dL/dlogits written into `grad`,
///    resized when it is a resizable matrix of another shape; with a correctly sized gradient no heap
///    memory is allocated;
///  - `value(logits, labels, sample_weights)`, `value_and_gradient(logits, labels, grad,
///    sample_weights)`: per-sample weights s_i (N, finite, >= 0) multiply each l_i, and Mean keeps
///    the loss's normaliser: L = sum_i s_i l_i / normaliser (no copy when s is a contiguous vector
///    of the logits' scalar);
///  - `value_gradient_and_per_sample(logits, labels, grad, per_sample)`: also the l_i;
///  - `per_sample(logits, labels[, out])`: the unreduced losses l_i.
/// logits: N x K, any dense Eigen matrix or array expression, float or double, row- or column-major
/// (row-major is the fast path). labels: N integers in [0, K).
/// @throws imbalance::invalid_argument on empty batch, shape mismatch, non-finite logits;
///         imbalance::out_of_range on a label outside [0, K).

#include <string>
#include <type_traits>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/class_vector.hpp"
#include "imbalance/detail/loss_input.hpp"
#include "imbalance/detail/softmax_kernel.hpp"

namespace imbalance {


/// The interface every softmax-family loss shares (cross-entropy, focal, LDAM, logit-adjusted, Balanced Softmax, VS). See imbalance/losses/softmax_loss.hpp for the formula, the paper and the defaults.
class SoftmaxLoss {
 public:
  /// K, the number of classes (columns of the logits).
  Eigen::Index num_classes() const noexcept { return num_classes_; }
  /// The reduction of the per-sample losses.
  Reduction reduction() const noexcept { return reduction_; }
  /// The class weights w_k in use (all ones when none were given).
  Eigen::VectorXd class_weights() const {
    return weights_.empty() ? Eigen::VectorXd::Ones(num_classes_) : weights_.to_vector();
  }

  /// The reduced loss of logits (N x K) and labels (N).
  template <class DZ, class DY>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    using S = typename DZ::Scalar;
    validate(value_name_.c_str(), logits, labels);
    return static_cast<S>(run<S>(value_name_.c_str(), detail::as_matrix(logits), labels.derived(),
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr),
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, 1>*>(nullptr)));
  }

  /// The reduced loss of (logits, labels); dL/dlogits into grad (N x K, caller-owned, not allocated).
  template <class DZ, class DY, class DG>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name_.c_str(), logits, labels);
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(run<S>(gradient_name_.c_str(), detail::as_matrix(logits), labels.derived(), &g,
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, 1>*>(nullptr)));
  }

  /// The reduced loss of per-sample weighted losses s_i l_i (s_i finite, >= 0; Mean keeps the
  /// loss's own normaliser, i.e. it equals (s * l).sum() / normaliser).
  template <class DZ, class DY, class DW>
  typename DZ::Scalar value(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                            const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    validate(value_name_.c_str(), logits, labels);
    const detail::SampleWeights<S> s(value_name_.c_str(), sample_weights, logits.rows());
    return static_cast<S>(run<S>(value_name_.c_str(), detail::as_matrix(logits), labels.derived(),
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr),
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, 1>*>(nullptr), s.data()));
  }

  /// value_and_gradient of the per-sample weighted loss (see value(logits, labels, sample_weights)).
  template <class DZ, class DY, class DG, class DW>
  typename DZ::Scalar value_and_gradient(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                                         const Eigen::DenseBase<DG>& grad,
                                         const Eigen::DenseBase<DW>& sample_weights) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    validate(gradient_name_.c_str(), logits, labels);
    const detail::SampleWeights<S> s(gradient_name_.c_str(), sample_weights, logits.rows());
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    return static_cast<S>(run<S>(gradient_name_.c_str(), detail::as_matrix(logits), labels.derived(), &g,
                                 static_cast<Eigen::Matrix<S, Eigen::Dynamic, 1>*>(nullptr), s.data()));
  }

  /// value_and_gradient that also writes the per-sample losses l_i into per_sample (N).
  template <class DZ, class DY, class DG, class DP>
  typename DZ::Scalar value_gradient_and_per_sample(const Eigen::DenseBase<DZ>& logits,
                                                    const Eigen::DenseBase<DY>& labels, const Eigen::DenseBase<DG>& grad,
                                                    const Eigen::DenseBase<DP>& per_sample) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DG::Scalar>::value, "imbalance: grad must have the logits' scalar type");
    static_assert(std::is_same<S, typename DP::Scalar>::value,
                  "imbalance: per_sample must have the logits' scalar type");
    validate(gradient_name_.c_str(), logits, labels);
    DG& g = detail::prepare_output(gradient_name_.c_str(), "grad", grad, logits.rows(), logits.cols());
    DP& p = detail::prepare_output(gradient_name_.c_str(), "per_sample", per_sample, logits.rows(), 1);
    return static_cast<S>(run<S>(gradient_name_.c_str(), detail::as_matrix(logits), labels.derived(), &g, &p));
  }

  /// Writes the unreduced losses l_i into out (N).
  template <class DZ, class DY, class DP>
  void per_sample(const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels,
                  const Eigen::DenseBase<DP>& out) const {
    using S = typename DZ::Scalar;
    static_assert(std::is_same<S, typename DP::Scalar>::value, "imbalance: out must have the logits' scalar type");
    validate(per_sample_name_.c_str(), logits, labels);
    DP& p = detail::prepare_output(per_sample_name_.c_str(), "out", out, logits.rows(), 1);
    run<S>(per_sample_name_.c_str(), detail::as_matrix(logits), labels.derived(),
           static_cast<Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>*>(nullptr), &p);
  }

  /// The unreduced losses l_i.
  template <class DZ, class DY>
  Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, 1> per_sample(const Eigen::DenseBase<DZ>& logits,
                                                                   const Eigen::DenseBase<DY>& labels) const {
    Eigen::Matrix<typename DZ::Scalar, Eigen::Dynamic, 1> out(logits.rows());
    per_sample(logits, labels, out);
    return out;
  }

 protected:
  /// For the derived losses: their name (in messages), K and the reduction.
  SoftmaxLoss(const std::string& name, Eigen::Index num_classes, Reduction reduction)
      : value_name_(name + "::value()"),
        gradient_name_(name + "::value_and_gradient()"),
        per_sample_name_(name + "::per_sample()"),
        num_classes_(num_classes),
        reduction_(reduction) {}

  detail::ClassVector scale_;  ///< multiplicative Delta_j (empty: 1)
  detail::ClassVector bias_;  ///< additive offset on every logit (empty: 0)
  detail::ClassVector target_offset_;  ///< margin subtracted from the target logit (empty: 0)
  detail::ClassVector weights_;  ///< class weights w_y (empty: 1)
  /// Focal modulation on.
  bool focal_ = false;
  /// Focusing parameter of the focal modulation.
  double gamma_ = 0;
  /// Divisor of Reduction::Mean.
  Normalizer normalizer_ = Normalizer::WeightSum;

 private:
  template <class DZ, class DY>
  void validate(const char* function, const Eigen::DenseBase<DZ>& logits, const Eigen::DenseBase<DY>& labels) const {
    detail::check_loss_input(function, logits, labels, num_classes_);
  }

  template <class S, class Z, class Y, class G, class P>
  double run(const char* function, const Z& logits, const Y& labels, G* grad, P* per_sample,
             const S* sample_weights = nullptr) const {
    detail::SoftmaxFamilyView<S> view;
    view.sample_weights = sample_weights;
    if (!scale_.empty()) view.scale = &scale_.get<S>();
    if (!bias_.empty()) view.bias = &bias_.get<S>();
    if (!target_offset_.empty()) view.target_offset = &target_offset_.get<S>();
    if (!weights_.empty()) view.weights = &weights_.get<S>();
    view.focal = focal_;
    view.gamma = gamma_;
    view.reduction = reduction_;
    view.normalizer = normalizer_;
    return detail::run_softmax_family(function, view, logits, labels, grad, per_sample);
  }

  std::string value_name_, gradient_name_, per_sample_name_;
  Eigen::Index num_classes_;
  Reduction reduction_;
};

}  // namespace imbalance
