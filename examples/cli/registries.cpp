// The resampler registry's built-in rows and the trainer's training loop, compiled once for every
// tool and test of the project (they define IMBALANCE_RESAMPLER_REGISTRY_EXTERN and
// IMBALANCE_TRAINER_EXTERN; see imbalance/registry/resamplers.hpp and imbalance/train/softmax_regression.hpp).
#include <imbalance/registry/resamplers.hpp>
#include <imbalance/train/softmax_regression.hpp>

template imbalance::Registry<imbalance::ResamplerFactory> imbalance::detail::builtin_resamplers<void>();
template std::vector<imbalance::EpochInfo> imbalance::SoftmaxRegression::train<double>(
    imbalance::TrainingRows<double>&, imbalance::EpochTargets&, const imbalance::EpochTargetsRefresh*,
    const imbalance::SoftmaxRegression::LossSchedule&, const imbalance::TrainerOptions&, imbalance::detail::EngineRef,
    Eigen::Index);
template std::vector<imbalance::EpochInfo> imbalance::SoftmaxRegression::train<float>(
    imbalance::TrainingRows<float>&, imbalance::EpochTargets&, const imbalance::EpochTargetsRefresh*,
    const imbalance::SoftmaxRegression::LossSchedule&, const imbalance::TrainerOptions&, imbalance::detail::EngineRef,
    Eigen::Index);
