#include "imbalance/libtorch/sampler.hpp"

#include <catch2/catch.hpp>
#include <torch/torch.h>

namespace lt = imbalance::libtorch;

namespace {
Eigen::VectorXi torch_sampler_labels() {
  Eigen::VectorXi y(40);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = i < 30 ? 0 : (i < 37 ? 1 : 2);
  return y;
}
}  // namespace

TEST_CASE("libtorch TorchSampler: the library sampler's epochs, batch by batch", "[libtorch][sampler]") {
  imbalance::BatchSamplerOptions o;
  o.sampling = imbalance::BatchSampling::Progressive;
  o.total_epochs = 3;
  const imbalance::BatchSampler sampler(torch_sampler_labels(), o);
  lt::TorchSampler<> torch_sampler(sampler, 42);
  imbalance::Rng rng(42);
  for (long epoch = 0; epoch < 3; ++epoch) {
    torch_sampler.reset();
    CHECK(torch_sampler.epoch() == epoch);
    const std::vector<Eigen::Index> expected = sampler.epoch_indices(epoch, rng);
    std::vector<std::size_t> seen;
    while (auto batch = torch_sampler.next(16)) {
      CHECK(batch->size() <= 16);
      seen.insert(seen.end(), batch->begin(), batch->end());
    }
    CHECK(seen == std::vector<std::size_t>(expected.begin(), expected.end()));
  }
  CHECK_THROWS_WITH(torch_sampler.reset(39), Catch::Contains("built on 40 samples"));
  CHECK_THROWS_WITH(torch_sampler.next(0), Catch::Contains("batch_size must be >= 1"));
}

TEST_CASE("libtorch TorchSampler: drives a libtorch data loader, and saves and loads its state", "[libtorch][sampler]") {
  imbalance::BatchSamplerOptions o;
  o.sampling = imbalance::BatchSampling::ClassBalanced;
  const Eigen::VectorXi y = torch_sampler_labels();
  const imbalance::BatchSampler sampler(y, o);
  auto dataset = torch::data::datasets::TensorDataset(torch::arange(40, torch::kLong).unsqueeze(1))
                     .map(torch::data::transforms::Stack<torch::data::TensorExample>());
  auto loader = torch::data::make_data_loader(std::move(dataset), lt::TorchSampler<>(sampler, 5),
                                              torch::data::DataLoaderOptions().batch_size(8));
  imbalance::Rng rng(5);
  for (long epoch = 0; epoch < 2; ++epoch) {
    const std::vector<Eigen::Index> expected = sampler.epoch_indices(epoch, rng);
    std::vector<std::int64_t> seen;
    for (const auto& batch : *loader)
      for (std::int64_t i = 0; i < batch.data.size(0); ++i) seen.push_back(batch.data[i][0].item<std::int64_t>());
    CHECK(seen == std::vector<std::int64_t>(expected.begin(), expected.end()));
  }

  lt::TorchSampler<> a(sampler, 9);
  a.reset();
  (void)a.next(10);
  torch::serialize::OutputArchive out;
  a.save(out);
  std::stringstream buffer;
  out.save_to(buffer);
  torch::serialize::InputArchive in;
  in.load_from(buffer);
  lt::TorchSampler<> b(sampler, 1);
  b.load(in);
  CHECK(b.epoch() == 0);
  CHECK(b.next(100) == a.next(100));  // the rest of the epoch
  a.reset();
  b.reset();
  CHECK(a.indices() == b.indices());  // and the generator goes on identically
}

TEST_CASE("libtorch TorchSampler: refuses another dataset's state, and stays as it was", "[libtorch][sampler]") {
  const Eigen::VectorXi y40 = torch_sampler_labels();  // 40 samples
  Eigen::VectorXi y10(10);
  y10 << 0, 0, 0, 0, 0, 0, 1, 1, 1, 2;
  lt::TorchSampler<> big(imbalance::BatchSampler(y40, {}), 3);
  big.reset();
  torch::serialize::OutputArchive out;
  big.save(out);
  std::stringstream buffer;
  out.save_to(buffer);
  lt::TorchSampler<> small(imbalance::BatchSampler(y10, {}), 4);
  small.reset();
  const std::vector<std::size_t> before = small.indices();
  torch::serialize::InputArchive in;
  in.load_from(buffer);
  CHECK_THROWS_WITH(small.load(in), Catch::Contains("a dataset of 40 samples, this sampler's has 10"));
  CHECK(small.indices() == before);
  CHECK(small.epoch() == 0);

  // A state without the size (an older checkpoint) is still checked index by index.
  torch::serialize::OutputArchive old;
  old.write("imbalance_epoch", torch::tensor(std::int64_t{0}), true);
  old.write("imbalance_next_epoch", torch::tensor(std::int64_t{1}), true);
  old.write("imbalance_position", torch::tensor(std::int64_t{0}), true);
  old.write("imbalance_indices", torch::tensor(std::vector<std::int64_t>{3, 39, 1}, torch::kLong), true);
  std::ostringstream generator;
  generator << imbalance::Rng(1);
  old.write("imbalance_rng", c10::IValue(generator.str()));
  std::stringstream old_buffer;
  old.save_to(old_buffer);
  torch::serialize::InputArchive old_in;
  old_in.load_from(old_buffer);
  CHECK_THROWS_WITH(small.load(old_in), Catch::Contains("index 39 (entry 1 of the state) lies outside"));
  CHECK(small.indices() == before);
}

TEST_CASE("libtorch TorchSampler: repeat-factor sampling", "[libtorch][sampler]") {
  const imbalance::RepeatFactorSampler sampler(torch_sampler_labels(), 0.3);
  lt::TorchSampler<imbalance::RepeatFactorSampler> torch_sampler(sampler, 3);
  imbalance::Rng rng(3);
  const std::vector<Eigen::Index> expected = sampler.epoch_indices(rng);
  const auto batch = torch_sampler.next(1000);
  REQUIRE(batch);
  CHECK(*batch == std::vector<std::size_t>(expected.begin(), expected.end()));
  CHECK_FALSE(torch_sampler.next(1000));
}
