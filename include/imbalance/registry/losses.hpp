#pragma once
/// @file
/// The loss registry: every loss of the library by name, with its options (defaults from its
/// options struct) and a factory that builds it from the training class counts. A factory returns a
/// loss per epoch, so that schedules such as DRW are registered like any other loss.
///
/// | name     | loss                                                      | options                           |
/// |----------|-----------------------------------------------------------|-----------------------------------|
/// | ce       | cross-entropy (ERM)                                       |                                   |
/// | cb       | cross-entropy with class_balanced_weights(counts, beta)   | beta                              |
/// | focal    | FocalLoss                                                 | gamma                             |
/// | ldam     | LDAMLoss                                                  | max-margin, scale                 |
/// | ldam-drw | LDAMLoss with DeferredReweighting(beta) from drw-epoch    | max-margin, scale, beta, drw-epoch|
/// | la       | LogitAdjustedLoss                                         | tau                               |
/// | vs       | VSLoss                                                    | gamma, tau                        |
/// | bs       | BalancedSoftmaxLoss                                       |                                   |
/// | cdt      | ParametricCrossEntropyLoss::cdt (Delta = (n/n_max)^gamma)  | gamma                             |
/// | ldam-hinge | LDAMHingeLoss                                           | max-margin                        |
/// | eql      | EqualizationLoss (sigmoid EQL v1)                         | lambda                            |
/// | seesaw   | SeesawTrainingLoss (running counts of the run)            | p, q                              |
/// | ib       | CE, then InfluenceBalancedTrainingLoss from ib-epoch      | alpha, ib-epoch                   |
/// | lade     | LADELoss (PriorCE + batch regulariser)                    | alpha, lambda                     |
/// | db       | DistributionBalancedLoss on one-hot targets               | gamma, neg-scale                  |
///
/// LDAM's scale s defaults to the paper's 30 with the cosine head and to 1 with an unnormalised head
/// (LossContext::cosine_head). cb, ldam and ldam-drw carry their papers' warm-up (5 of 200 epochs,
/// Method::warmup_fraction); la, bs and lade remove the training prior from their logits
/// (Method::removes_prior: a second correction of it is refused). Searchable options carry the
/// ranges a model search draws them from (OptionSpec::search, registry/search_space.hpp).

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "imbalance/core/eigen.hpp"

#include "imbalance/losses/any_loss.hpp"
#include "imbalance/losses/balanced_softmax.hpp"
#include "imbalance/losses/class_balanced_weights.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/distribution_balanced.hpp"
#include "imbalance/losses/equalization.hpp"
#include "imbalance/losses/focal.hpp"
#include "imbalance/losses/influence_balanced.hpp"
#include "imbalance/losses/lade.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/ldam_hinge.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "imbalance/losses/parametric_cross_entropy.hpp"
#include "imbalance/losses/seesaw.hpp"
#include "imbalance/losses/vs.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/train/lr_schedule.hpp"

namespace imbalance {

/// What a loss factory is built from.
struct LossContext {
  /// n_k of the training data (the prior the loss corrects).
  Eigen::VectorXd class_counts;
  /// Training epochs (for schedules such as DRW).
  long epochs = 1;
  /// The head's logits are cosines in [-1, 1] (the cosine head). LDAM's scale s = 30 is the
  /// paper's stretch of such logits (the official code pairs LDAM with its NormedLinear head); an
  /// unnormalised head's logits need none, so s defaults to 1 there: with s = 30 a hidden layer and
  /// the linear head take 30-times steps and do not learn (balanced accuracy 26-38 % against 78-96 %
  /// with s = 1 or the cosine head, issue #31).
  bool cosine_head = false;
};

/// Epochs of linear learning-rate warm-up that a loss's paper trains with, for `epochs` epochs:
/// ceil(fraction x epochs), at least 1 when the fraction is positive (Method::warmup_fraction).
inline long paper_warmup_epochs(double fraction, long epochs) {
  if (!(fraction > 0) || epochs < 1) return 0;
  return std::max(1L, static_cast<long>(std::ceil(fraction * static_cast<double>(epochs))));
}

/// A loss for each 0-based epoch.
using LossForEpoch = std::function<AnyLoss(long epoch)>;
/// Builds a loss (per epoch) from option values and the training context.
using LossFactory = std::function<LossForEpoch(const OptionValues&, const LossContext&)>;
/// A registered loss.
using LossMethod = Method<LossFactory>;

namespace detail {

inline LossForEpoch fixed_loss(AnyLoss loss) {
  return [loss = std::move(loss)](long) { return loss; };
}

inline Registry<LossFactory> builtin_losses() {
  Registry<LossFactory> registry("loss");
  const ClassBalancedOptions cb;
  const FocalOptions focal;
  const LDAMOptions ldam;
  const DeferredReweightingOptions drw;
  const LogitAdjustedOptions la;
  const VSOptions vs;
  // Searchable ranges (registry/search_space.hpp) around each paper's default and its ablations.
  const auto beta = OptionSpec::real("beta", "beta of the class-balanced weights, in [0, 1)", cb.beta, 0, 1)
                        .searched(SearchRange::among({0.99, 0.999, 0.9999}));
  const auto max_margin = OptionSpec::real("max-margin", "largest LDAM margin C / n_min^(1/4)", ldam.max_margin, 0)
                              .searched(SearchRange::among({0.25, 0.5, 1.0}));
  const auto scale = OptionSpec::real("scale", "LDAM logit scale s", ldam.scale, 0)
                         .derived("30 with the cosine head (the paper's), 1 with an unnormalised head");
  // The warm-up of CB's and LDAM-DRW's training recipes: 5 of 200 epochs.
  constexpr double paper_warmup = 5.0 / 200.0;
  auto with_warmup = [](LossMethod method, double fraction) {
    method.warmup_fraction = fraction;
    return method;
  };
  auto removing_prior = [](LossMethod method) {
    method.removes_prior = true;
    return method;
  };
  registry.add({"ce", "cross-entropy (ERM)", {}, [](const OptionValues&, const LossContext& c) {
                  return fixed_loss(CrossEntropyLoss(c.class_counts));
                }});
  registry.add(with_warmup({"cb", "class-balanced cross-entropy (Cui et al. 2019)", {beta},
                [](const OptionValues& v, const LossContext& c) {
                  ClassBalancedOptions o;
                  v.assign("beta", o.beta);
                  CrossEntropyOptions ce;
                  ce.class_weights = class_balanced_weights(c.class_counts, o.beta);
                  return fixed_loss(CrossEntropyLoss(c.class_counts, ce));
                }}, paper_warmup));
  registry.add({"focal", "focal loss (Lin et al. 2017)",
                {OptionSpec::real("gamma", "focusing exponent of focal, >= 0", focal.gamma, 0)
                     .searched(SearchRange::among({0.5, 1.0, 2.0}))},
                [](const OptionValues& v, const LossContext& c) {
                  FocalOptions o;
                  v.assign("gamma", o.gamma);
                  return fixed_loss(FocalLoss(c.class_counts, o));
                }});
  registry.add(with_warmup({"ldam", "label-distribution-aware margin loss (Cao et al. 2019)", {max_margin, scale},
                [](const OptionValues& v, const LossContext& c) {
                  LDAMOptions o;
                  if (!c.cosine_head) o.scale = 1;
                  v.assign("max-margin", o.max_margin);
                  v.assign("scale", o.scale);
                  return fixed_loss(LDAMLoss(c.class_counts, o));
                }}, paper_warmup));
  OptionSpec drw_beta = beta;
  drw_beta.default_value = drw.beta;
  registry.add(with_warmup({"ldam-drw", "LDAM with deferred re-weighting (class-balanced weights from drw-epoch on)",
                {max_margin, scale, drw_beta,
                 OptionSpec::integer("drw-epoch", "first re-weighted epoch (0-based), >= 0", 0, 0)
                     .derived("80 % of the epochs (160 of 200 in the paper)")},
                [](const OptionValues& v, const LossContext& c) -> LossForEpoch {
                  LDAMOptions o;
                  if (!c.cosine_head) o.scale = 1;
                  v.assign("max-margin", o.max_margin);
                  v.assign("scale", o.scale);
                  DeferredReweightingOptions schedule;
                  schedule.switch_epoch = four_fifths(c.epochs);
                  v.assign("drw-epoch", schedule.switch_epoch);
                  v.assign("beta", schedule.beta);
                  const DeferredReweighting reweighting(c.class_counts, schedule);
                  const Eigen::VectorXd counts = c.class_counts;
                  return [o, reweighting, counts](long epoch) {
                    LDAMOptions with_weights = o;
                    with_weights.class_weights = reweighting.weights(epoch);
                    return AnyLoss(LDAMLoss(counts, with_weights));
                  };
                }}, paper_warmup));
  registry.add(removing_prior({"la", "logit-adjusted loss (Menon et al. 2021)",
                {OptionSpec::real("tau", "logit-adjustment strength tau", la.tau, -std::numeric_limits<double>::infinity())
                     .searched(SearchRange::among({0.5, 1.0, 1.5, 2.0}))},
                [](const OptionValues& v, const LossContext& c) {
                  LogitAdjustedOptions o;
                  v.assign("tau", o.tau);
                  return fixed_loss(LogitAdjustedLoss(c.class_counts, o));
                }}));
  registry.add({"vs", "vector-scaling loss (Kini et al. 2021)",
                {OptionSpec::real("gamma", "VS multiplicative exponent, >= 0", vs.gamma, 0)
                     .searched(SearchRange::among({0.1, 0.2, 0.3})),
                 OptionSpec::real("tau", "VS additive strength tau", vs.tau, -std::numeric_limits<double>::infinity())
                     .searched(SearchRange::among({0.5, 1.0, 1.5}))},
                [](const OptionValues& v, const LossContext& c) {
                  VSOptions o;
                  v.assign("gamma", o.gamma);
                  v.assign("tau", o.tau);
                  return fixed_loss(VSLoss(c.class_counts, o));
                }});
  registry.add(removing_prior({"bs", "Balanced Softmax (Ren et al. 2020)", {}, [](const OptionValues&, const LossContext& c) {
                  return fixed_loss(BalancedSoftmaxLoss(c.class_counts));
                }}));
  registry.add({"cdt", "class-dependent temperatures, VS with tau = 0 (Ye et al. 2020)",
                {OptionSpec::real("gamma", "CDT exponent, >= 0", vs.gamma, 0)},
                [](const OptionValues& v, const LossContext& c) {
                  double gamma = VSOptions().gamma;
                  v.assign("gamma", gamma);
                  return fixed_loss(ParametricCrossEntropyLoss::cdt(c.class_counts, gamma));
                }});
  const LDAMHingeOptions hinge;
  registry.add({"ldam-hinge", "LDAM's hinge form (Cao et al. 2019)",
                {OptionSpec::real("max-margin", "largest margin", hinge.max_margin, 0)},
                [](const OptionValues& v, const LossContext& c) {
                  LDAMHingeOptions o;
                  v.assign("max-margin", o.max_margin);
                  return fixed_loss(LDAMHingeLoss(c.class_counts, o));
                }});
  const EqualizationOptions eql;
  registry.add({"eql", "equalization loss v1, sigmoid form (Tan et al. 2020)",
                {OptionSpec::real("lambda", "frequency below which a class is a tail class", eql.lambda, 0)},
                [](const OptionValues& v, const LossContext& c) {
                  EqualizationOptions o;
                  v.assign("lambda", o.lambda);
                  return fixed_loss(EqualizationLoss(c.class_counts, o));
                }});
  const SeesawOptions seesaw;
  registry.add({"seesaw", "Seesaw loss with the run's running class counts (Wang et al. 2021)",
                {OptionSpec::real("p", "mitigation exponent", seesaw.p, 0),
                 OptionSpec::real("q", "compensation exponent", seesaw.q, 0)},
                [](const OptionValues& v, const LossContext& c) {
                  SeesawOptions o;
                  v.assign("p", o.p);
                  v.assign("q", o.q);
                  return fixed_loss(SeesawTrainingLoss(c.class_counts.size(), o));
                }});
  const InfluenceBalancedOptions ib;
  registry.add({"ib", "influence-balanced loss after a CE warm-up (Park et al. 2021)",
                {OptionSpec::real("alpha", "IB scale alpha, > 0", ib.alpha, 0),
                 OptionSpec::integer("ib-epoch", "first IB epoch (0-based); cross-entropy before", 0, 0)
                     .derived("half the epochs (the official 100 of 200)")},
                [](const OptionValues& v, const LossContext& c) -> LossForEpoch {
                  InfluenceBalancedOptions o;
                  v.assign("alpha", o.alpha);
                  long start = c.epochs / 2;
                  v.assign("ib-epoch", start);
                  const AnyLoss warm_up = CrossEntropyLoss(c.class_counts.size());
                  const AnyLoss influence = InfluenceBalancedTrainingLoss(c.class_counts.size(), o);
                  return [start, warm_up, influence](long epoch) { return epoch < start ? warm_up : influence; };
                }});
  const LADEOptions lade;
  registry.add(removing_prior({"lade", "LADE: PriorCE + the LADE regulariser (Hong et al. 2021)",
                {OptionSpec::real("alpha", "weight of the regulariser", lade.alpha, 0)
                     .searched(SearchRange::among({0.05, 0.1, 0.3})),
                 OptionSpec::real("lambda", "second-order weight (remine_lambda)", lade.lambda,
                                  -std::numeric_limits<double>::infinity())},
                [](const OptionValues& v, const LossContext& c) {
                  LADEOptions o;
                  v.assign("alpha", o.alpha);
                  v.assign("lambda", o.lambda);
                  return fixed_loss(LADELoss(c.class_counts, o));
                }}));
  const DistributionBalancedOptions db;
  registry.add({"db", "distribution-balanced loss on one-hot targets (Wu et al. 2020)",
                {OptionSpec::real("gamma", "focal exponent", db.gamma, 0),
                 OptionSpec::real("neg-scale", "NTR scale of the negatives, > 0", db.neg_scale, 0)},
                [](const OptionValues& v, const LossContext& c) {
                  DistributionBalancedOptions o;
                  v.assign("gamma", o.gamma);
                  v.assign("neg-scale", o.neg_scale);
                  return fixed_loss(DistributionBalancedLoss(c.class_counts, c.class_counts.sum(), o));
                }});
  return registry;
}

}  // namespace detail

/// The registry of losses, filled with the library's losses on first use; add() extends it.
inline Registry<LossFactory>& loss_registry() {
  static Registry<LossFactory> registry = detail::builtin_losses();
  return registry;
}

/// Builds the named loss: checks the values against its options, then calls its factory.
inline LossForEpoch make_loss(const std::string& name, const OptionValues& values, const LossContext& context) {
  const Registry<LossFactory>& registry = loss_registry();
  registry.check(name, values);
  return registry.at(name).make(values, context);
}

}  // namespace imbalance
