#pragma once
/// @file
/// The resampler registry: every data-level resampler by name, with its options (defaults from its
/// options struct) and a factory that resamples (X, y) from a generator. The sampling_strategy, which
/// every resampler takes, comes in the context.
///
/// smote, borderline-smote (kind 1), borderline-smote-2, adasyn, random-over, random-under, tomek,
/// enn, smote-tomek, smote-enn; options k-neighbors, m-neighbors, enn-neighbors, shrinkage.

#include <functional>
#include <string>

#include <Eigen/Core>

#include "imbalance/core/random.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/sampling/adasyn.hpp"
#include "imbalance/sampling/borderline_smote.hpp"
#include "imbalance/sampling/combine.hpp"
#include "imbalance/sampling/edited_nearest_neighbours.hpp"
#include "imbalance/sampling/random_over_sampler.hpp"
#include "imbalance/sampling/random_under_sampler.hpp"
#include "imbalance/sampling/smote.hpp"
#include "imbalance/sampling/tomek_links.hpp"

namespace imbalance {

/// What every resampler is given besides its own options.
struct ResampleContext {
  SamplingStrategy sampling_strategy = SamplingStrategy::Named::Auto;
};

using ResampledData = Resampled<Eigen::MatrixXd>;
using ResamplerFactory = std::function<ResampledData(const OptionValues&, const ResampleContext&,
                                                     const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Rng& rng)>;
using ResamplerMethod = Method<ResamplerFactory>;

namespace detail {

inline Registry<ResamplerFactory> builtin_resamplers() {
  Registry<ResamplerFactory> registry("resampler");
  const SMOTEOptions smote;
  const BorderlineSMOTEOptions borderline;
  const ADASYNOptions adasyn;
  const EditedNearestNeighboursOptions enn;
  const auto k = OptionSpec::integer("k-neighbors", "neighbours of the SMOTE family (ADASYN's n_neighbors), >= 1",
                                     static_cast<double>(smote.k_neighbors), 1);
  auto smote_options = [](const OptionValues& v, const ResampleContext& c) {
    SMOTEOptions o;
    o.sampling_strategy = c.sampling_strategy;
    v.assign("k-neighbors", o.k_neighbors);
    return o;
  };
  registry.add({"smote", "SMOTE (Chawla et al. 2002)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTE(smote_options(v, c)).fit_resample(X, y, rng); }});
  for (int kind : {1, 2}) {
    OptionSpec k_borderline = k;
    k_borderline.default_value = static_cast<double>(borderline.k_neighbors);
    registry.add({kind == 1 ? "borderline-smote" : "borderline-smote-2",
                  kind == 1 ? "Borderline-SMOTE kind 1 (Han et al. 2005)" : "Borderline-SMOTE kind 2",
                  {k_borderline,
                   OptionSpec::integer("m-neighbors", "neighbours that classify danger samples (Borderline-SMOTE), >= 1",
                                       static_cast<double>(borderline.m_neighbors), 1)},
                  [kind](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X,
                         const Eigen::VectorXi& y, Rng& rng) {
                    BorderlineSMOTEOptions o;
                    o.sampling_strategy = c.sampling_strategy;
                    o.kind = kind;
                    v.assign("k-neighbors", o.k_neighbors);
                    v.assign("m-neighbors", o.m_neighbors);
                    return BorderlineSMOTE(o).fit_resample(X, y, rng);
                  }});
  }
  OptionSpec k_adasyn = k;
  k_adasyn.default_value = static_cast<double>(adasyn.n_neighbors);
  registry.add({"adasyn", "ADASYN (He et al. 2008)", {k_adasyn},
                [](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  ADASYNOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  v.assign("k-neighbors", o.n_neighbors);
                  return ADASYN(o).fit_resample(X, y, rng);
                }});
  registry.add({"random-over", "random over-sampling; with shrinkage a smoothed bootstrap",
                {OptionSpec::real("shrinkage", "smoothed bootstrap with this shrinkage, >= 0", 0, 0)
                     .derived("none (plain copies)")},
                [](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  RandomOverSamplerOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  v.assign("shrinkage", o.shrinkage);
                  return RandomOverSampler(o).fit_resample(X, y, rng);
                }});
  registry.add({"random-under", "random under-sampling (without replacement)", {},
                [](const OptionValues&, const ResampleContext& c, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  RandomUnderSamplerOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  return RandomUnderSampler(o).fit_resample(X, y, rng);
                }});
  registry.add({"tomek", "Tomek links removal (Tomek 1976)", {},
                [](const OptionValues&, const ResampleContext& c, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   Rng&) {
                  TomekLinksOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  return TomekLinks(o).fit_resample(X, y);
                }});
  registry.add({"enn", "edited nearest neighbours (Wilson 1972)",
                {OptionSpec::integer("enn-neighbors", "neighbours of edited nearest neighbours, >= 1",
                                     static_cast<double>(enn.n_neighbors), 1)},
                [](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   Rng&) {
                  EditedNearestNeighboursOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  v.assign("enn-neighbors", o.n_neighbors);
                  return EditedNearestNeighbours(o).fit_resample(X, y);
                }});
  registry.add({"smote-tomek", "SMOTE, then Tomek links on all classes (Batista et al. 2003)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTETomek(smote_options(v, c)).fit_resample(X, y, rng); }});
  registry.add({"smote-enn", "SMOTE, then ENN on all classes (Batista et al. 2004)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Eigen::MatrixXd& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTEENN(smote_options(v, c)).fit_resample(X, y, rng); }});
  return registry;
}

}  // namespace detail

/// The registry of resamplers, filled with the library's resamplers on first use; add() extends it.
inline Registry<ResamplerFactory>& resampler_registry() {
  static Registry<ResamplerFactory> registry = detail::builtin_resamplers();
  return registry;
}

/// Resamples (X, y) with the named resampler: checks the values against its options first.
inline ResampledData resample(const std::string& name, const OptionValues& values, const ResampleContext& context,
                              const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Rng& rng) {
  const Registry<ResamplerFactory>& registry = resampler_registry();
  registry.check(name, values);
  return registry.at(name).make(values, context, X, y, rng);
}

}  // namespace imbalance
