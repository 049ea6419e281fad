// The resampler registry's built-in rows, compiled once for every tool and test of the project
// (they define IMBALANCE_RESAMPLER_REGISTRY_EXTERN; see imbalance/registry/resamplers.hpp).
#include <imbalance/registry/resamplers.hpp>

template imbalance::Registry<imbalance::ResamplerFactory> imbalance::detail::builtin_resamplers<void>();
