#pragma once
/// @file
/// The resamplers that run over MPI ranks, by name: the one dispatch from a name to a distributed
/// resampler (the command line's `--method` under mpirun). Each row has the name and the options of
/// the one-process row it reproduces (registry/resamplers.hpp): random-over (plain copies, no
/// shrinkage), random-under (without replacement) and smote (k-neighbors); the sampling_strategy
/// is resolved on the global class counts. A name the registry lacks does not run distributed.

#include <functional>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/distributed/random_sampling.hpp"
#include "imbalance/distributed/smote.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/sampling/sampling_strategy.hpp"

namespace imbalance::distributed {

/// Resamples this rank's shard (X, y) as part of the whole data: option values, the communicator,
/// the sampling strategy, the neighbour search (smote: exact ring or HNSW) and a generator seeded
/// alike on every rank.
using ResamplerFactory = std::function<DistributedResampled(const OptionValues&, const Communicator&,
                                                            const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                                                            const SamplingStrategy& strategy,
                                                            const NeighborSearch& neighbors, Rng& rng)>;

namespace detail {

inline void refuse_neighbor_search(const char* name, const NeighborSearch& neighbors) {
  if (!neighbors.is_default())
    imbalance::detail::throw_invalid("distributed resampler '", name, "' searches no neighbours: a neighbour search ",
                                     "applies to smote");
}

inline Registry<ResamplerFactory> builtin_resamplers() {
  Registry<ResamplerFactory> registry("distributed resampler");
  registry.add({"random-over", "random over-sampling of the whole data (plain copies)", {},
                [](const OptionValues&, const Communicator& comm, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   const SamplingStrategy& strategy, const NeighborSearch& neighbors, Rng& rng) {
                  refuse_neighbor_search("random-over", neighbors);
                  return random_over_sample(comm, X, y, strategy, rng);
                }});
  registry.add({"random-under", "random under-sampling of the whole data (without replacement)", {},
                [](const OptionValues&, const Communicator& comm, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   const SamplingStrategy& strategy, const NeighborSearch& neighbors, Rng& rng) {
                  refuse_neighbor_search("random-under", neighbors);
                  return random_under_sample(comm, X, y, strategy, false, rng);
                }});
  const SMOTEOptions smote_defaults;
  registry.add({"smote", "SMOTE with the neighbours of the whole data (a ring over the ranks; exact, or HNSW)",
                {OptionSpec::integer("k-neighbors", "neighbours of the SMOTE family (ADASYN's n_neighbors), >= 1",
                                     static_cast<double>(smote_defaults.k_neighbors), 1)},
                [](const OptionValues& v, const Communicator& comm, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                   const SamplingStrategy& strategy, const NeighborSearch& neighbors, Rng& rng) {
                  SMOTEOptions o;
                  o.sampling_strategy = strategy;
                  o.neighbors = neighbors;
                  v.assign("k-neighbors", o.k_neighbors);
                  return smote(comm, X, y, o, rng);
                }});
  return registry;
}

}  // namespace detail

/// The distributed resamplers by name, filled on first use; add() extends them.
inline Registry<ResamplerFactory>& resampler_registry() {
  static Registry<ResamplerFactory> registry = detail::builtin_resamplers();
  return registry;
}

}  // namespace imbalance::distributed
