#pragma once
// The tests' access to the trainer's backward pass (not part of the public class): the full-batch
// loss of a model's current parameters and its gradients, through the same Network the trainer
// runs, to be checked against finite differences; and setting every parameter.
#include <optional>

#include <imbalance/train/softmax_classifier.hpp>

namespace imbalance::detail {
struct ClassifierProbe {
  using RowMatrix = SoftmaxClassifier::RowMatrix;

  /// Loss of (X, y) and the gradients of the head (db is zero for the cosine head) and of the hidden
  /// layer (empty without one).
  template <class DX, class DY, class Loss>
  static double objective(const SoftmaxClassifier& model, const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                          const Loss& loss, Eigen::MatrixXd& grad_w, Eigen::RowVectorXd& grad_b,
                          Eigen::MatrixXd& grad_hidden_w, Eigen::RowVectorXd& grad_hidden_b) {
    const char* function = "ClassifierProbe::objective()";
    model.check_input(function, X);
    TrainingRows<double> x = X.derived().template cast<double>();
    Network<double> network(model.head_.make<double>(), model.params_.hidden_weights.cols());
    TrainerOptions options;
    options.etf_reg_lambda = model.etf_reg_lambda_;
    if (model.params_.etf.size() != 0) options.etf_dimension = model.params_.etf.rows();
    network.head().prepare(model.params_, options);
    const Eigen::Index k = model.num_classes();
    LocalObjective<double> objective(x);
    objective.prepare(network, x.rows(), network.head().output_width(k, options));
    EpochTargets targets;
    targets.labels = y.derived().template cast<int>();
    const AnyLoss any(loss);
    TrainingStep step;
    step.function = function;
    objective.begin_epoch(step, any, targets);
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(x.rows()));
    for (Eigen::Index i = 0; i < x.rows(); ++i) rows[static_cast<std::size_t>(i)] = i;
    NetworkParameters<double> g = model.params_;
    const double value = objective.evaluate_with_gradient(network, model.params_, rows.data(), x.rows(), step, g);
    grad_w = g.weights;
    grad_b = network.head().has_bias() ? Eigen::RowVectorXd(g.bias) : Eigen::RowVectorXd::Zero(g.weights.cols());
    grad_hidden_w = g.hidden_weights;
    grad_hidden_b = g.hidden_bias;
    return value;
  }
  template <class DX, class DY, class Loss>
  static double objective(const SoftmaxClassifier& model, const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                          const Loss& loss, Eigen::MatrixXd& grad_w, Eigen::RowVectorXd& grad_b) {
    Eigen::MatrixXd unused_w;
    Eigen::RowVectorXd unused_b;
    return objective(model, X, y, loss, grad_w, grad_b, unused_w, unused_b);
  }

  /// Sets every parameter: hidden layer (may be empty), head.
  static void set_all_parameters(SoftmaxClassifier& model, Eigen::MatrixXd hidden_weights,
                                 Eigen::RowVectorXd hidden_bias, Eigen::MatrixXd weights, Eigen::RowVectorXd bias) {
    model.params_.hidden_weights = std::move(hidden_weights);
    model.params_.hidden_bias = std::move(hidden_bias);
    model.params_.weights = std::move(weights);
    model.params_.bias = std::move(bias);
  }
};
}  // namespace imbalance::detail
