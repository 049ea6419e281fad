#pragma once
/// @file
/// Choosing a resampler by name, as the command-line tools do:
/// smote, borderline-smote (kind 1), borderline-smote-2, adasyn, random-over, random-under, tomek,
/// enn, smote-tomek, smote-enn. ResamplerSettings carries the options they take.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "imbalance/sampling/adasyn.hpp"
#include "imbalance/sampling/borderline_smote.hpp"
#include "imbalance/sampling/combine.hpp"
#include "imbalance/sampling/edited_nearest_neighbours.hpp"
#include "imbalance/sampling/random_over_sampler.hpp"
#include "imbalance/sampling/random_under_sampler.hpp"
#include "imbalance/sampling/smote.hpp"
#include "imbalance/sampling/tomek_links.hpp"

namespace imbalance {

struct ResamplerSettings {
  SamplingStrategy sampling_strategy = SamplingStrategy::Named::Auto;
  /// SMOTE family's k (ADASYN's n_neighbors).
  Eigen::Index k_neighbors = 5;
  /// Borderline-SMOTE's m.
  Eigen::Index m_neighbors = 10;
  /// ENN's k.
  Eigen::Index enn_neighbors = 3;
  /// random-over: smoothed bootstrap when set.
  std::optional<double> shrinkage;
};

/// The names resample_by_name accepts.
inline const std::vector<std::string>& resampler_names() {
  static const std::vector<std::string> names = {"smote",        "borderline-smote", "borderline-smote-2", "adasyn",
                                                 "random-over",  "random-under",     "tomek",              "enn",
                                                 "smote-tomek",  "smote-enn"};
  return names;
}

/// Resamples (X, y) with the named method. @throws imbalance::invalid_argument for an unknown name.
template <class DX, class DY, class Engine>
Resampled<detail::ResampledMatrix<DX>> resample_by_name(const std::string& name, const ResamplerSettings& s,
                                                        const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                        Engine& rng) {
  const SMOTEOptions smote{s.sampling_strategy, s.k_neighbors, NeighborAlgorithm::Auto};
  if (name == "smote") return SMOTE(smote).fit_resample(X, y, rng);
  if (name == "borderline-smote" || name == "borderline-smote-2") {
    BorderlineSMOTEOptions options;
    options.sampling_strategy = s.sampling_strategy;
    options.k_neighbors = s.k_neighbors;
    options.m_neighbors = s.m_neighbors;
    options.kind = name == "borderline-smote" ? 1 : 2;
    return BorderlineSMOTE(options).fit_resample(X, y, rng);
  }
  if (name == "adasyn") return ADASYN({s.sampling_strategy, s.k_neighbors, NeighborAlgorithm::Auto}).fit_resample(X, y, rng);
  if (name == "random-over") return RandomOverSampler({s.sampling_strategy, s.shrinkage}).fit_resample(X, y, rng);
  if (name == "random-under") return RandomUnderSampler({s.sampling_strategy, false}).fit_resample(X, y, rng);
  if (name == "tomek") return TomekLinks({s.sampling_strategy, NeighborAlgorithm::Auto}).fit_resample(X, y);
  if (name == "enn") {
    EditedNearestNeighboursOptions options;
    options.sampling_strategy = s.sampling_strategy;
    options.n_neighbors = s.enn_neighbors;
    return EditedNearestNeighbours(options).fit_resample(X, y);
  }
  if (name == "smote-tomek") return SMOTETomek(smote).fit_resample(X, y, rng);
  if (name == "smote-enn") return SMOTEENN(smote).fit_resample(X, y, rng);
  std::string names;
  for (const auto& n : resampler_names()) names += (names.empty() ? "" : ", ") + n;
  detail::throw_invalid("resample_by_name(): method must be one of ", names, " (got \"", name, "\")");
}

}  // namespace imbalance
