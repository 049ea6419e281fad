#pragma once
/// @file
/// The library's mini-batch samplers as a libtorch sampler (torch::data::samplers::Sampler), for
/// torch::data::make_data_loader (the `imbalance::torch` CMake target).
///
/// Each reset() (the data loader calls it when an epoch begins) draws the next epoch's indices from
/// the wrapped sampler: BatchSampler (instance-, class-balanced, square-root, power q, progressively
/// balanced; Kang et al., ICLR 2020) with the epoch number, RepeatFactorSampler (LVIS) without;
/// next(b) hands them out b at a time. The generator is Rng seeded with `seed`: epoch e's indices are
/// those of sampler.epoch_indices(e, rng) after epochs 0..e-1 drew from the same rng, as in the
/// library's own trainer. save()/load() keep the epoch, the position, the indices and the generator.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <torch/data/samplers/base.h>
#include <torch/serialize/archive.h>
#include <torch/types.h>

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/train/batch_sampler.hpp"

namespace imbalance::libtorch {

/// A libtorch sampler over an epoch sampler of the library (BatchSampler or RepeatFactorSampler).
template <class EpochSampler = BatchSampler>
class TorchSampler : public torch::data::samplers::Sampler<> {
 public:
  /// Draws with Rng(seed); the first reset() (or next()) draws epoch `first_epoch`.
  explicit TorchSampler(EpochSampler sampler, std::uint64_t seed, long first_epoch = 0)
      : sampler_(std::move(sampler)), rng_(seed), next_epoch_(first_epoch) {
    if (first_epoch < 0)
      imbalance::detail::throw_invalid("libtorch::TorchSampler: first_epoch must be >= 0 (got ", first_epoch, ")");
  }

  /// Starts the next epoch. new_size, when given, must be the number of samples the sampler was
  /// built on (its labels fix the dataset).
  void reset(torch::optional<std::size_t> new_size = torch::nullopt) override {
    if (new_size && static_cast<Eigen::Index>(*new_size) != dataset_size())
      imbalance::detail::throw_invalid("libtorch::TorchSampler::reset(): new_size = ", *new_size,
                                       " but the sampler was built on ", dataset_size(), " samples");
    indices_ = draw(next_epoch_);
    epoch_ = next_epoch_++;
    position_ = 0;
  }

  /// The next batch_size indices of the epoch (fewer at its end; nullopt once it is exhausted).
  torch::optional<std::vector<std::size_t>> next(std::size_t batch_size) override {
    if (batch_size == 0) imbalance::detail::throw_invalid("libtorch::TorchSampler::next(): batch_size must be >= 1");
    if (epoch_ < 0) reset();
    if (position_ >= indices_.size()) return torch::nullopt;
    const std::size_t end = std::min(indices_.size(), position_ + batch_size);
    std::vector<std::size_t> batch(indices_.begin() + static_cast<std::ptrdiff_t>(position_),
                                   indices_.begin() + static_cast<std::ptrdiff_t>(end));
    position_ = end;
    return batch;
  }

  /// Writes the epoch, the position, the indices, the generator state and the dataset's size.
  void save(torch::serialize::OutputArchive& archive) const override {
    std::ostringstream state;
    state << rng_;
    archive.write("imbalance_epoch", torch::tensor(static_cast<std::int64_t>(epoch_)), true);
    archive.write("imbalance_next_epoch", torch::tensor(static_cast<std::int64_t>(next_epoch_)), true);
    archive.write("imbalance_position", torch::tensor(static_cast<std::int64_t>(position_)), true);
    std::vector<std::int64_t> indices(indices_.begin(), indices_.end());
    archive.write("imbalance_indices", torch::tensor(indices, torch::kLong), true);
    archive.write("imbalance_dataset_size", torch::tensor(static_cast<std::int64_t>(dataset_size())), true);
    archive.write("imbalance_rng", c10::IValue(state.str()));
  }

  /// Reads what save() wrote, all or nothing.
  /// @throws imbalance::invalid_argument if the state belongs to a dataset of another size, holds an
  ///         index beyond this sampler's dataset, a position beyond its indices or a negative epoch
  ///         (a checkpoint of another run); the sampler is then unchanged.
  void load(torch::serialize::InputArchive& archive) override {
    const char* function = "libtorch::TorchSampler::load()";
    torch::Tensor epoch, next_epoch, position, indices, size;
    archive.read("imbalance_epoch", epoch, true);
    archive.read("imbalance_next_epoch", next_epoch, true);
    archive.read("imbalance_position", position, true);
    archive.read("imbalance_indices", indices, true);
    const Eigen::Index n = dataset_size();
    if (archive.try_read("imbalance_dataset_size", size, true) && size.item<std::int64_t>() != n)
      imbalance::detail::throw_invalid(function, ": the state is of a dataset of ", size.item<std::int64_t>(),
                                       " samples, this sampler's has ", n);
    c10::IValue state;
    archive.read("imbalance_rng", state);
    std::istringstream in(state.toStringRef());
    Rng rng;
    in >> rng;
    if (!in) imbalance::detail::throw_invalid(function, ": the generator state does not parse");
    const torch::Tensor flat = indices.to(torch::kLong).contiguous();
    const std::int64_t* begin = flat.data_ptr<std::int64_t>();
    std::vector<std::size_t> loaded;
    loaded.reserve(static_cast<std::size_t>(flat.numel()));
    for (std::int64_t i = 0; i < flat.numel(); ++i) {
      if (begin[i] < 0 || begin[i] >= n)
        imbalance::detail::throw_invalid(function, ": index ", begin[i], " (entry ", i,
                                         " of the state) lies outside this sampler's dataset of ", n, " samples");
      loaded.push_back(static_cast<std::size_t>(begin[i]));
    }
    const std::int64_t e = epoch.item<std::int64_t>(), next = next_epoch.item<std::int64_t>(),
                       at = position.item<std::int64_t>();
    if (e < -1 || next < 0 || (e >= 0 && next != e + 1))
      imbalance::detail::throw_invalid(function, ": epoch ", e, " and next epoch ", next, " do not belong together");
    if (at < 0 || static_cast<std::size_t>(at) > loaded.size())
      imbalance::detail::throw_invalid(function, ": position ", at, " lies beyond the state's ", loaded.size(),
                                       " indices");
    rng_ = rng;
    epoch_ = static_cast<long>(e);
    next_epoch_ = static_cast<long>(next);
    position_ = static_cast<std::size_t>(at);
    indices_ = std::move(loaded);
  }

  /// The epoch being handed out (-1 before the first reset()).
  long epoch() const noexcept { return epoch_; }
  /// This epoch's indices.
  const std::vector<std::size_t>& indices() const noexcept { return indices_; }
  /// The wrapped sampler.
  const EpochSampler& sampler() const noexcept { return sampler_; }

 private:
  Eigen::Index dataset_size() const {
    if constexpr (std::is_same<EpochSampler, BatchSampler>::value)
      return sampler_.num_samples();
    else
      return sampler_.repeat_factors().size();
  }
  std::vector<std::size_t> draw(long epoch) {
    std::vector<Eigen::Index> drawn;
    if constexpr (std::is_same<EpochSampler, BatchSampler>::value)
      drawn = sampler_.epoch_indices(epoch, rng_);
    else
      drawn = sampler_.epoch_indices(rng_);
    return {drawn.begin(), drawn.end()};
  }

  EpochSampler sampler_;
  Rng rng_;
  long next_epoch_;
  long epoch_ = -1;
  std::vector<std::size_t> indices_;
  std::size_t position_ = 0;
};

}  // namespace imbalance::libtorch
