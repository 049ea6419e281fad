#pragma once
/// @file
/// The resampler registry: every data-level resampler by name, with its options (defaults from its
/// options struct) and a factory that resamples (X, y) from a generator. The sampling_strategy, which
/// every resampler takes, comes in the context.
///
/// Over-samplers: smote, borderline-smote (kind 1), borderline-smote-2, adasyn, kmeans-smote,
/// svm-smote, smotenc, smoten, random-over. Under-samplers and cleaners: random-under, near-miss-1/2/3, cnn,
/// oss, tomek, enn, renn, all-knn, ncr (imbalanced-learn 0.12+), ncr-0.10, iht,
/// cluster-centroids, cluster-centroids-hard. Combinations: smote-tomek, smote-enn. Noisy long-tailed
/// data: clean-lof (per-class LOF outliers out), calibrate-tail (calibrated Gaussian tails). Categorical
/// columns (ResampleContext::categorical_features) are accepted by smotenc, smoten (every column
/// categorical) and the row-copying random-over (without shrinkage) and random-under; the others
/// measure distances on numbers and refuse them. Boolean options are 0/1 numbers.

#include <functional>
#include <string>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/instantiate.hpp"

#include "imbalance/combine/smote_then_clean.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/over_sampling/adasyn.hpp"
#include "imbalance/over_sampling/borderline_smote.hpp"
#include "imbalance/over_sampling/kmeans_smote.hpp"
#include "imbalance/over_sampling/random_over_sampler.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/over_sampling/smoten.hpp"
#include "imbalance/over_sampling/smotenc.hpp"
#include "imbalance/over_sampling/svm_smote.hpp"
#include "imbalance/noisy/distribution_calibration.hpp"
#include "imbalance/noisy/local_outlier_factor.hpp"
#include "imbalance/pipeline/resample_step.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/under_sampling/all_knn.hpp"
#include "imbalance/under_sampling/cluster_centroids.hpp"
#include "imbalance/under_sampling/condensed_nearest_neighbour.hpp"
#include "imbalance/under_sampling/edited_nearest_neighbours.hpp"
#include "imbalance/under_sampling/instance_hardness_threshold.hpp"
#include "imbalance/under_sampling/near_miss.hpp"
#include "imbalance/under_sampling/neighbourhood_cleaning_rule.hpp"
#include "imbalance/under_sampling/one_sided_selection.hpp"
#include "imbalance/under_sampling/random_under_sampler.hpp"
#include "imbalance/under_sampling/repeated_edited_nearest_neighbours.hpp"
#include "imbalance/under_sampling/tomek_links.hpp"

namespace imbalance {

/// What every resampler is given besides its own options.
struct ResampleContext : ResamplerOptions {
  /// Columns of X holding category codes (data/csv.hpp reads them from text).
  std::vector<Eigen::Index> categorical_features;
  /// The neighbour search of the neighbour-based resamplers (exact by default; HNSW approximate).
  NeighborSearch neighbors;
};

namespace detail {
/// Resamplers that search no Euclidean neighbours refuse a neighbour search other than the default,
/// rather than ignore it.
inline void refuse_neighbor_search(const ResampleContext& c, const char* name) {
  if (!c.neighbors.is_default())
    throw_invalid("resampler '", name, "' searches no Euclidean neighbours: a neighbour search (backend or algorithm) ",
                  "applies only to the neighbour-based resamplers");
}
}  // namespace detail

/// Resampled data in double, column-major.
using ResampledData = Resampled<Eigen::MatrixXd>;
/// Resamples (X, y) from option values and the context.
using ResamplerFactory = std::function<ResampledData(const OptionValues&, const ResampleContext&,
                                                     const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Rng& rng)>;
/// A registered resampler.
using ResamplerMethod = Method<ResamplerFactory>;

namespace detail {
/// The library's resamplers as registry rows. Declared here and defined below in header-only use
/// (fmt's FMT_FUNC model); with imbalance::compiled, only there (about two minutes of -O3 that a
/// program linking it does not compile).
IMBALANCE_FUNC Registry<ResamplerFactory> builtin_resamplers();
}  // namespace detail

#if IMBALANCE_HEADER_DEFINITIONS
IMBALANCE_FUNC Registry<ResamplerFactory> detail::builtin_resamplers() {
  using Matrix = Eigen::MatrixXd;
  Registry<ResamplerFactory> registry("resampler");
  // Methods for numeric features only refuse categorical columns before any work.
  auto add_numeric = [&registry](Method<ResamplerFactory> method) {
    method.make = [name = method.name, make = std::move(method.make)](const OptionValues& v, const ResampleContext& c,
                                                                      const Matrix& X, const Eigen::VectorXi& y,
                                                                      Rng& rng) {
      if (!c.categorical_features.empty())
        throw_invalid("resampler '", name, "' treats every column as a number; categorical columns need smotenc (mixed) or "
                      "smoten (all categorical)");
      return make(v, c, X, y, rng);
    };
    registry.add(std::move(method));
  };
  const SMOTEOptions smote;
  const BorderlineSMOTEOptions borderline;
  const ADASYNOptions adasyn;
  const EditedNearestNeighboursOptions enn;
  const auto k = OptionSpec::integer("k-neighbors", "neighbours of the SMOTE family (ADASYN's n_neighbors), >= 1",
                                     static_cast<double>(smote.k_neighbors), 1)
                     .searched(SearchRange::among({3, 5, 7}));
  auto smote_options = [](const OptionValues& v, const ResampleContext& c) {
    SMOTEOptions o;
    o.sampling_strategy = c.sampling_strategy;
    o.neighbors = c.neighbors;
    v.assign("k-neighbors", o.k_neighbors);
    return o;
  };
  add_numeric({"smote", "SMOTE (Chawla et al. 2002)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTE(smote_options(v, c)).fit_resample(X, y, rng); }});
  for (int kind : {1, 2}) {
    OptionSpec k_borderline = k;
    k_borderline.default_value = static_cast<double>(borderline.k_neighbors);
    add_numeric({kind == 1 ? "borderline-smote" : "borderline-smote-2",
                  kind == 1 ? "Borderline-SMOTE kind 1 (Han et al. 2005)" : "Borderline-SMOTE kind 2",
                  {k_borderline,
                   OptionSpec::integer("m-neighbors", "neighbours that classify danger samples (Borderline-SMOTE), >= 1",
                                       static_cast<double>(borderline.m_neighbors), 1)},
                  [kind](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                         const Eigen::VectorXi& y, Rng& rng) {
                    BorderlineSMOTEOptions o;
                    o.sampling_strategy = c.sampling_strategy;
                    o.neighbors = c.neighbors;
                    o.kind = kind;
                    v.assign("k-neighbors", o.k_neighbors);
                    v.assign("m-neighbors", o.m_neighbors);
                    return BorderlineSMOTE(o).fit_resample(X, y, rng);
                  }});
  }
  OptionSpec k_adasyn = k;
  k_adasyn.default_value = static_cast<double>(adasyn.n_neighbors);
  add_numeric({"adasyn", "ADASYN (He et al. 2008)", {k_adasyn},
                [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  ADASYNOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  o.neighbors = c.neighbors;
                  v.assign("k-neighbors", o.n_neighbors);
                  return ADASYN(o).fit_resample(X, y, rng);
                }});
  registry.add({"random-over", "random over-sampling; with shrinkage a smoothed bootstrap",
                {OptionSpec::real("shrinkage", "smoothed bootstrap with this shrinkage, >= 0", 0, 0)
                     .derived("none (plain copies)")},
                [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  if (!c.categorical_features.empty() && v.has("shrinkage"))
                    throw_invalid("resampler 'random-over': shrinkage perturbs every column, categorical columns too; "
                                  "without it, rows are copied and categories kept");
                  detail::refuse_neighbor_search(c, "random-over");
                  RandomOverSamplerOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  v.assign("shrinkage", o.shrinkage);
                  return RandomOverSampler(o).fit_resample(X, y, rng);
                }});
  registry.add({"random-under", "random under-sampling (without replacement, or with)",
                {OptionSpec::integer("replacement", "1: draw the kept rows with replacement (random-under)", 0, 0, 1)},
                [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                   Rng& rng) {
                  detail::refuse_neighbor_search(c, "random-under");
                  RandomUnderSamplerOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  long replacement = 0;
                  v.assign("replacement", replacement);
                  o.replacement = replacement != 0;
                  return RandomUnderSampler(o).fit_resample(X, y, rng);
                }});
  add_numeric({"tomek", "Tomek links removal (Tomek 1976)", {},
                [](const OptionValues&, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                   Rng&) {
                  TomekLinksOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  o.neighbors = c.neighbors;
                  return TomekLinks(o).fit_resample(X, y);
                }});
  const auto kind_mode = OptionSpec::integer(
      "kind-mode", "1: keep a sample whose most frequent neighbour label is its own (kind_sel='mode'); 0: only when all are",
      0, 0, 1);
  const auto kind_of = [](const OptionValues& v) {
    long mode = 0;
    v.assign("kind-mode", mode);
    return mode ? EditedNearestNeighboursOptions::Kind::Mode : EditedNearestNeighboursOptions::Kind::All;
  };
  add_numeric({"enn", "edited nearest neighbours (Wilson 1972)",
                {OptionSpec::integer("enn-neighbors", "neighbours of edited nearest neighbours, >= 1",
                                     static_cast<double>(enn.n_neighbors), 1),
                 kind_mode},
                [kind_of](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                          Rng&) {
                  EditedNearestNeighboursOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  o.neighbors = c.neighbors;
                  v.assign("enn-neighbors", o.n_neighbors);
                  o.kind = kind_of(v);
                  return EditedNearestNeighbours(o).fit_resample(X, y);
                }});
  add_numeric({"smote-tomek", "SMOTE, then Tomek links on all classes (Batista et al. 2003)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTETomek(smote_options(v, c)).fit_resample(X, y, rng); }});
  add_numeric({"smote-enn", "SMOTE, then ENN on all classes (Batista et al. 2004)", {k},
                [smote_options](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                                const Eigen::VectorXi& y, Rng& rng) { return SMOTEENN(smote_options(v, c)).fit_resample(X, y, rng); }});

  // imbalanced-learn's other under-samplers and cleaners.
  const auto n_neighbors = [](double default_value, const char* help) {
    return OptionSpec::integer("n-neighbors", help, default_value, 1);
  };
  for (int version : {1, 2, 3}) {
    std::vector<OptionSpec> specs{n_neighbors(3, version == 2 ? "farthest minority samples averaged (NearMiss), >= 1"
                                                              : "nearest minority samples averaged (NearMiss), >= 1")};
    if (version == 3)
      specs.push_back(OptionSpec::integer("n-neighbors-ver3", "neighbours of each minority sample pre-selected (NearMiss-3), >= 1", 3, 1));
    add_numeric({"near-miss-" + std::to_string(version), "NearMiss version " + std::to_string(version) + " (Zhang & Mani 2003)",
                 specs,
                 [version](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                           const Eigen::VectorXi& y, Rng&) {
                   NearMissOptions o;
                   o.sampling_strategy = c.sampling_strategy;
                   o.neighbors = c.neighbors;
                   o.version = version;
                   v.assign("n-neighbors", o.n_neighbors);
                   v.assign("n-neighbors-ver3", o.n_neighbors_ver3);
                   return NearMiss(o).fit_resample(X, y);
                 }});
  }
  const auto seeds = OptionSpec::integer("n-seeds", "samples of the class drawn into the first store (CNN, OSS), >= 1", 1, 1);
  add_numeric({"cnn", "condensed nearest neighbour (Hart 1968)", {n_neighbors(1, "neighbours voting (CNN, OSS), >= 1"), seeds},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 CondensedNearestNeighbourOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("n-neighbors", o.n_neighbors);
                 v.assign("n-seeds", o.n_seeds_S);
                 return CondensedNearestNeighbour(o).fit_resample(X, y, rng);
               }});
  add_numeric({"oss", "one-sided selection (Kubat & Matwin 1997)", {n_neighbors(1, "neighbours voting (CNN, OSS), >= 1"), seeds},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 OneSidedSelectionOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("n-neighbors", o.n_neighbors);
                 v.assign("n-seeds", o.n_seeds_S);
                 return OneSidedSelection(o).fit_resample(X, y, rng);
               }});
  add_numeric({"renn", "repeated edited nearest neighbours (Tomek 1976)",
               {n_neighbors(3, "neighbours of each ENN pass, >= 1"),
                OptionSpec::integer("max-iter", "most ENN passes (RENN), >= 1", 100, 1), kind_mode},
               [kind_of](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng&) {
                 RepeatedEditedNearestNeighboursOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("n-neighbors", o.n_neighbors);
                 v.assign("max-iter", o.max_iter);
                 o.kind = kind_of(v);
                 return RepeatedEditedNearestNeighbours(o).fit_resample(X, y);
               }});
  add_numeric({"all-knn", "AllKNN: ENN with 1, 2, ..., n neighbours (Tomek 1976)",
               {n_neighbors(3, "largest neighbourhood of the ENN passes (AllKNN), >= 1"),
                OptionSpec::integer("allow-minority", "1: go on when a class falls below the minority's size (AllKNN)", 0, 0, 1),
                kind_mode},
               [kind_of](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng&) {
                 AllKNNOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("n-neighbors", o.n_neighbors);
                 long allow = 0;
                 v.assign("allow-minority", allow);
                 o.allow_minority = allow != 0;
                 o.kind = kind_of(v);
                 return AllKNN(o).fit_resample(X, y);
               }});
  for (bool legacy : {false, true}) {
    std::vector<OptionSpec> specs{n_neighbors(3, "neighbours of the ENN step and of the minority samples (NCR), >= 1"),
                                  OptionSpec::real("threshold-cleaning", "a class is cleaned when larger than this share (NCR)", 0.5, 0, 1)};
    if (legacy) specs.push_back(kind_mode);
    add_numeric({legacy ? "ncr-0.10" : "ncr",
                 legacy ? "neighbourhood cleaning rule as imbalanced-learn 0.10 (threshold on N, kind_sel)"
                        : "neighbourhood cleaning rule (Laurikkala 2001), as imbalanced-learn 0.12+",
                 specs,
                 [legacy, kind_of](const OptionValues& v, const ResampleContext& c, const Matrix& X,
                                   const Eigen::VectorXi& y, Rng&) {
                   NeighbourhoodCleaningRuleOptions o;
                   o.sampling_strategy = c.sampling_strategy;
                   o.neighbors = c.neighbors;
                   o.version = legacy ? NeighbourhoodCleaningRuleOptions::Version::Imblearn010
                                      : NeighbourhoodCleaningRuleOptions::Version::Current;
                   v.assign("n-neighbors", o.n_neighbors);
                   v.assign("threshold-cleaning", o.threshold_cleaning);
                   o.kind = kind_of(v);
                   return NeighbourhoodCleaningRule(o).fit_resample(X, y);
                 }});
  }
  add_numeric({"iht", "instance hardness threshold (Smith et al. 2014), softmax regression in stratified K-fold",
               {OptionSpec::integer("cv", "cross-validation folds (IHT), >= 2", 5, 2)},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 detail::refuse_neighbor_search(c, "iht");
                 InstanceHardnessThresholdOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 v.assign("cv", o.cv);
                 return InstanceHardnessThreshold(o).fit_resample(X, y, rng);
               }});
  for (bool hard : {false, true}) {
    add_numeric({hard ? "cluster-centroids-hard" : "cluster-centroids",
                 hard ? "ClusterCentroids, voting 'hard': the sample nearest to each k-means centroid"
                      : "ClusterCentroids (Yen & Lee 2009): k-means centroids replace a class",
                 {OptionSpec::integer("n-init", "k-means runs, the best kept (ClusterCentroids, KMeansSMOTE), >= 1", 10, 1)},
                 [hard](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y,
                        Rng& rng) {
                   ClusterCentroidsOptions o;
                   o.sampling_strategy = c.sampling_strategy;
                   o.neighbors = c.neighbors;
                   o.voting = hard ? ClusterCentroidsOptions::Voting::Hard : ClusterCentroidsOptions::Voting::Soft;
                   v.assign("n-init", o.n_init);
                   return ClusterCentroids(o).fit_resample(X, y, rng);
                 }});
  }
  // The SMOTE family's other members.
  const KMeansSMOTEOptions kmeans_smote;
  OptionSpec k_kmeans = k;
  k_kmeans.default_value = static_cast<double>(kmeans_smote.k_neighbors);
  add_numeric({"kmeans-smote", "K-Means SMOTE (Douzas et al. 2018)",
               {k_kmeans, OptionSpec::integer("n-clusters", "k-means clusters (KMeansSMOTE), >= 1", 8, 1),
                OptionSpec::integer("n-init", "k-means runs, the best kept (ClusterCentroids, KMeansSMOTE), >= 1", 3, 1),
                OptionSpec::real("cluster-balance-threshold", "least share of the class in a cluster (KMeansSMOTE)", 0, 0, 1)
                    .derived("n_c / sum n / 2"),
                OptionSpec::real("density-exponent", "exponent of the mean distance in the sparsity (KMeansSMOTE)", 0, -1e300, 1e300)
                    .derived("0.16 log_1.6(m)^1.8")},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 KMeansSMOTEOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("k-neighbors", o.k_neighbors);
                 v.assign("n-clusters", o.n_clusters);
                 v.assign("n-init", o.n_init);
                 v.assign("cluster-balance-threshold", o.cluster_balance_threshold);
                 v.assign("density-exponent", o.density_exponent);
                 return KMeansSMOTE(o).fit_resample(X, y, rng);
               }});
  const SVMSMOTEOptions svm_smote;
  add_numeric({"svm-smote", "SVM-SMOTE (Nguyen et al. 2011): SMOTE from an RBF SVM's support vectors",
               {k, OptionSpec::integer("m-neighbors", "neighbours that classify danger samples (Borderline-SMOTE, SVM-SMOTE), >= 1",
                                       static_cast<double>(svm_smote.m_neighbors), 1),
                OptionSpec::real("out-step", "extrapolation step from safe support vectors (SVM-SMOTE), >= 0", svm_smote.out_step, 0)},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 SVMSMOTEOptions o;
                 o.sampling_strategy = c.sampling_strategy;
                 o.neighbors = c.neighbors;
                 v.assign("k-neighbors", o.k_neighbors);
                 v.assign("m-neighbors", o.m_neighbors);
                 v.assign("out-step", o.out_step);
                 return SVMSMOTE(o).fit_resample(X, y, rng);
               }});
  registry.add({"smotenc", "SMOTE-NC for continuous and categorical columns (Chawla et al. 2002)", {k},
                [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                  if (c.categorical_features.empty())
                    throw_invalid("resampler 'smotenc' needs categorical columns (none were named); use smote for numeric data");
                  SMOTENCOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  o.neighbors = c.neighbors;
                  o.categorical_features = c.categorical_features;
                  v.assign("k-neighbors", o.k_neighbors);
                  return SMOTENC(o).fit_resample(X, y, rng);
                }});
  registry.add({"smoten", "SMOTE-N for categorical columns only (Chawla et al. 2002)", {k},
                [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                  if (static_cast<Eigen::Index>(c.categorical_features.size()) != X.cols())
                    throw_invalid("resampler 'smoten' needs every feature column categorical (", c.categorical_features.size(),
                                  " of ", X.cols(), " are); use smotenc for mixed data");
                  detail::refuse_neighbor_search(c, "smoten");
                  SMOTENOptions o;
                  o.sampling_strategy = c.sampling_strategy;
                  v.assign("k-neighbors", o.k_neighbors);
                  return SMOTEN(o).fit_resample(X, y, rng);
                }});
  // Noisy long-tailed data (RCAL): outliers out of every class, Gaussian-calibrated tails.
  const LocalOutlierFactorOptions lof;
  add_numeric({"clean-lof", "remove every class's local outliers (LOF, scikit-learn's rule; Breunig et al. 2000)",
               {OptionSpec::integer("lof-neighbors", "neighbours of the local outlier factor (clean-lof), >= 1",
                                    static_cast<double>(lof.n_neighbors), 1)},
               [](const OptionValues& v, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng&) {
                 if (!c.sampling_strategy.is_auto())
                   throw_invalid("resampler 'clean-lof' cleans every class: its sampling_strategy must be 'auto'");
                 LocalOutlierFactorOptions o;
                 o.neighbors = c.neighbors;
                 v.assign("lof-neighbors", o.n_neighbors);
                 return LocalOutlierCleaner(o).fit_resample(X, y);
               }});
  add_numeric({"calibrate-tail",
               "draw tail classes (below the median count) from Gaussians calibrated from their nearest head classes, "
               "up to the median (Free Lunch / RCAL); another sampling_strategy than 'auto' sets the targets",
               {},
               [](const OptionValues&, const ResampleContext& c, const Matrix& X, const Eigen::VectorXi& y, Rng& rng) {
                 detail::refuse_neighbor_search(c, "calibrate-tail");
                 CalibratedGaussianOverSamplerOptions o;
                 if (!c.sampling_strategy.is_auto()) o.sampling_strategy = c.sampling_strategy;
                 return CalibratedGaussianOverSampler(o).fit_resample(X, y, rng);
               }});
  return registry;
}
#endif

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

/// The named resampler as a pipeline step: the values are checked now, the resampling runs in the
/// pipeline.
inline ResampleStep resampler_step(const std::string& name, const OptionValues& values,
                                   const ResampleContext& context = {}) {
  resampler_registry().check(name, values);
  return {name, [name, values, context](const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Rng& rng) {
            return resample(name, values, context, X, y, rng);
          }};
}

}  // namespace imbalance
