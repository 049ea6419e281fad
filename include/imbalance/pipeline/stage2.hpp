#pragma once
/// @file
/// The second stage of decoupled learning (Kang, Xie, Rohrbach, Yan, Gordo, Feng, Kalantidis,
/// "Decoupling Representation and Classifier for Long-Tailed Recognition", ICLR 2020): a new
/// classifier on the representation a first-stage model learnt, which stays frozen. Each recipe is
/// a small value type callable on a Stage2Context; Stage2 holds any of them by name (the pipeline,
/// the registry's `--stage2` rows).
///
/// | recipe                      | classifier of the frozen features f(x)                        | defaults      |
/// |-----------------------------|---------------------------------------------------------------|---------------|
/// | ClassifierRetraining (cRT)  | a new linear head, class-balanced sampling, cross-entropy     | stage-1 epochs|
/// | TauNormalizedClassifier     | w_j / ||w_j||^tau, bias dropped (linear head only)            | tau 1         |
/// | WeightScaledClassifier (LWS)| f_j z_j, f learnt by inverse-frequency weighted CE            |               |
/// | NearestClassMeanClassifier  | nearest class mean of the centred, normalised features        | Euclidean     |
/// | CausalNormClassifier (TDE)  | causal-norm logits without the mean-feature direction (Tang et al. 2020) | alpha 3 |

#include <functional>
#include <string>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"
#include "imbalance/core/instantiate.hpp"
#include "imbalance/heads/causal_norm.hpp"
#include "imbalance/heads/nearest_class_mean.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/posthoc/learnable_weight_scaling.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/train/softmax_classifier.hpp"

namespace imbalance {

/// What a stage-2 recipe works from: the stage-1 model (its representation is frozen), its training
/// data and the options it was trained with.
struct Stage2Context {
  /// The first stage's model.
  const SoftmaxClassifier& model;
  /// The training features (as the stage-1 model takes them).
  const Eigen::MatrixXd& train_x;
  /// The training labels.
  const Eigen::VectorXi& train_y;
  /// The trainer's settings of stage 1.
  const TrainerOptions& trainer;
  /// The arithmetic stage 1 trained in (a re-trained head trains in it too).
  Precision precision = Precision::Double;
};

/// A stage-2 classifier: the logits (N x K) of input rows X (raw, as the stage-1 model takes them).
using Stage2Classifier = std::function<Eigen::MatrixXd(const Eigen::MatrixXd& X)>;

/// The stage-1 model's own classifier.
IMBALANCE_FUNC Stage2Classifier stage1_classifier(const SoftmaxClassifier& model);

/// cRT, classifier re-training (Kang et al. 2020): a linear head re-initialised and trained on the
/// frozen features with class-balanced sampling and cross-entropy; the other stage-1 options kept.
/// Default: the stage-1 epochs.
struct ClassifierRetraining {
  /// Epochs of the re-training; 0 = the stage-1 epochs.
  long epochs = 0;

  /// The stage-1 model with its head replaced by the re-trained one.
  IMBALANCE_FUNC Stage2Classifier operator()(const Stage2Context& c) const;
};

/// tau-normalised stage-1 classifier (Kang et al. 2020): w_j / ||w_j||^tau on the frozen features,
/// bias dropped; needs the linear head. Default tau 1.
struct TauNormalizedClassifier {
  /// Strength tau >= 0 (0: unchanged weights, 1: unit-length class vectors).
  double tau = TauNormalizationOptions{}.tau;

  /// The tau-normalised classifier of the stage-1 model.
  IMBALANCE_FUNC Stage2Classifier operator()(const Stage2Context& c) const;
};

/// LWS, learnable weight scaling (Kang et al. 2020): per-class factors of the stage-1 logits, learnt
/// with inverse-frequency weighted cross-entropy on the training rows.
struct WeightScaledClassifier {
  /// The stage-1 logits scaled by the learnt factors.
  IMBALANCE_FUNC Stage2Classifier operator()(const Stage2Context& c) const;
};

/// NCM (Kang et al. 2020): the nearest class mean of the centred, normalised frozen features.
/// Default metric: Euclidean.
struct NearestClassMeanClassifier {
  /// Euclidean or cosine distance to the class means.
  NearestClassMeanOptions::Metric metric = NearestClassMeanOptions::Metric::Euclidean;

  /// The nearest-class-mean classifier of the frozen features.
  IMBALANCE_FUNC Stage2Classifier operator()(const Stage2Context& c) const;
};

/// TDE (Tang, Huang, Zhang, "Long-Tailed Classification by Keeping the Good and Removing the Bad
/// Momentum Causal Effect", NeurIPS 2020): causal-norm logits without the mean-feature direction;
/// linear or cosine head, one head group (any feature width). Default alpha: CausalNormOptions'.
struct CausalNormClassifier {
  /// Strength of the removed effect.
  double alpha = CausalNormOptions{}.alpha;

  /// The counterfactual (TDE) classifier of the stage-1 model.
  IMBALANCE_FUNC Stage2Classifier operator()(const Stage2Context& c) const;
};

/// Any stage-2 recipe with the name messages and reports give it: Stage2{"crt", ClassifierRetraining{}}.
struct Stage2 {
  /// The recipe's name (reports and messages).
  std::string name;
  /// Builds the stage-2 classifier from the stage-1 model.
  std::function<Stage2Classifier(const Stage2Context&)> fit;
};


#if IMBALANCE_HEADER_DEFINITIONS
// Out of line: a program linking imbalance::compiled compiles none of the recipes.
IMBALANCE_FUNC Stage2Classifier stage1_classifier(const SoftmaxClassifier& model) {
  return [model](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(model.logits(X)); };
}

IMBALANCE_FUNC Stage2Classifier ClassifierRetraining::operator()(const Stage2Context& c) const {
  if (epochs < 0) detail::throw_invalid("ClassifierRetraining: epochs must be >= 0 (got ", epochs, ")");
  TrainerOptions options = c.trainer;
  options.hidden_units = 0;
  options.head = HeadType::of<LinearHead>();
  BatchSamplerOptions balanced;
  balanced.sampling = BatchSampling::ClassBalanced;
  options.sampler = balanced;
  options.on_epoch = nullptr;
  if (epochs > 0) options.epochs = epochs;
  SoftmaxClassifier head;
  const CrossEntropyLoss loss(c.model.num_classes());
  if (c.precision == Precision::Float)
    head.fit<float>(c.model.features(c.train_x), c.train_y, loss, options);
  else
    head.fit<double>(c.model.features(c.train_x), c.train_y, loss, options);
  SoftmaxClassifier model = c.model;
  model.set_head(head.weights(), head.bias(), HeadType::of<LinearHead>());
  return stage1_classifier(model);
}

IMBALANCE_FUNC Stage2Classifier TauNormalizedClassifier::operator()(const Stage2Context& c) const {
  if (c.model.head() != HeadType::of<LinearHead>())
    detail::throw_invalid("stage 2 tau-norm needs the linear head (it rescales the linear classifier's vectors)");
  const SoftmaxClassifier model = c.model;
  const double strength = tau;
  return [model, strength](const Eigen::MatrixXd& X) {
    return tau_normalized_logits(model.features(X), model.weights(), strength);
  };
}

IMBALANCE_FUNC Stage2Classifier WeightScaledClassifier::operator()(const Stage2Context& c) const {
  const SoftmaxClassifier model = c.model;
  const auto scaling = LearnableWeightScaling::fit(model.logits(c.train_x), c.train_y);
  return [model, scaling](const Eigen::MatrixXd& X) { return scaling.logits(model.logits(X)); };
}

IMBALANCE_FUNC Stage2Classifier NearestClassMeanClassifier::operator()(const Stage2Context& c) const {
  const SoftmaxClassifier model = c.model;
  NearestClassMeanOptions o;
  o.metric = metric;
  const auto classifier = NearestClassMean::fit(model.features(c.train_x), c.train_y, model.num_classes(), o);
  return [model, classifier](const Eigen::MatrixXd& X) { return Eigen::MatrixXd(classifier.logits(model.features(X))); };
}

IMBALANCE_FUNC Stage2Classifier CausalNormClassifier::operator()(const Stage2Context& c) const {
  if (c.model.head() == HeadType::of<EtfHead>()) detail::throw_invalid("stage 2 tde needs a linear or cosine head, not etf");
  CausalNormOptions o;
  o.heads = 1;  // any feature width; the official 2 needs an even one
  o.alpha = alpha;
  const SoftmaxClassifier model = c.model;
  // The moving average of the training features points along their mean (only its direction
  // matters to TDE).
  const Eigen::RowVectorXd average = model.features(c.train_x).colwise().mean();
  return [model, o, average](const Eigen::MatrixXd& X) { return tde_logits(model.features(X), model.weights(), average, o); };
}
#endif

}  // namespace imbalance
