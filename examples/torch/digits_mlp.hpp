#pragma once
// Shared by examples/torch_long_tail.cpp and benchmarks/bench_torch_loss.cpp: the UCI digits made
// long-tailed as imbalance-demo does (per class, a balanced third for testing; the other two thirds
// subsampled to an exponential profile with imbalance ratio 50 for training; standardised on the
// training rows), as tensors; a one-hidden-layer MLP with a linear or a normalised (cosine) head;
// the training loop of one method through the libtorch adapter, or with a loss written in tensor
// operations (the benchmark's comparison).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <imbalance/core/eigen.hpp>
#include <torch/torch.h>

#include "imbalance/core/random.hpp"
#include "imbalance/data/csv.hpp"
#include "imbalance/data/standardizer.hpp"
#include "imbalance/data/synthetic.hpp"
#include "imbalance/libtorch/loss.hpp"
#include "imbalance/libtorch/sampler.hpp"
#include "imbalance/libtorch/tensor.hpp"

namespace digits_example {

struct DigitsTask {
  torch::Tensor train_x, train_y, test_x, test_y;  // float32 features, int64 labels
  Eigen::VectorXd counts;                          // training counts n_k
};

inline DigitsTask make_digits_task(const std::string& path, std::uint64_t seed, double imbalance_ratio = 50.0) {
  const auto table = imbalance::read_csv_file(path, {"label", ',', {}, {}, false});
  const imbalance::LabelEncoder encoder(table.labels);
  const Eigen::VectorXi y = encoder.encode(table.labels, path);
  imbalance::Rng rng(seed);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(y.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) order[static_cast<std::size_t>(i)] = i;
  imbalance::shuffle(order.begin(), order.end(), rng);
  std::vector<Eigen::Index> pool, test;
  std::vector<int> seen(static_cast<std::size_t>(encoder.num_classes()), 0);
  for (Eigen::Index i : order) (seen[static_cast<std::size_t>(y(i))]++ % 3 != 2 ? pool : test).push_back(i);
  Eigen::VectorXi pool_y(static_cast<Eigen::Index>(pool.size()));
  for (std::size_t i = 0; i < pool.size(); ++i) pool_y(static_cast<Eigen::Index>(i)) = y(pool[i]);
  const auto keep = imbalance::long_tailed_subsample(pool_y, imbalance_ratio, imbalance::ImbalanceProfile::Exponential, rng);
  std::vector<Eigen::Index> train;
  for (Eigen::Index k : keep) train.push_back(pool[static_cast<std::size_t>(k)]);

  const auto rows = [&](const std::vector<Eigen::Index>& index) {
    Eigen::MatrixXd x(static_cast<Eigen::Index>(index.size()), table.features.cols());
    Eigen::VectorXi labels(static_cast<Eigen::Index>(index.size()));
    for (std::size_t i = 0; i < index.size(); ++i) {
      x.row(static_cast<Eigen::Index>(i)) = table.features.row(index[i]);
      labels(static_cast<Eigen::Index>(i)) = y(index[i]);
    }
    return std::make_pair(x, labels);
  };
  const auto [train_x, train_y] = rows(train);
  const auto [test_x, test_y] = rows(test);
  const auto scaler = imbalance::Standardizer::fit(train_x);
  DigitsTask task;
  task.train_x = imbalance::libtorch::to_tensor(scaler.transform(train_x).cast<float>());
  task.test_x = imbalance::libtorch::to_tensor(scaler.transform(test_x).cast<float>());
  task.train_y = imbalance::libtorch::to_tensor_1d(train_y).to(torch::kLong);
  task.test_y = imbalance::libtorch::to_tensor_1d(test_y).to(torch::kLong);
  task.counts = imbalance::count_labels(train_y, encoder.num_classes()).cast<double>();
  return task;
}

// LDAM-DRW's official head: cosine logits x/||x|| . w_k/||w_k||, initialised as its NormedLinear.
struct NormedLinearImpl : torch::nn::Module {
  NormedLinearImpl(std::int64_t in, std::int64_t out) {
    weight = register_parameter("weight", torch::empty({in, out}).uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(1))
        .mm(torch::nn::functional::normalize(weight, torch::nn::functional::NormalizeFuncOptions().dim(0)));
  }
  torch::Tensor weight;
};
TORCH_MODULE(NormedLinear);

struct MlpImpl : torch::nn::Module {
  MlpImpl(std::int64_t in, std::int64_t hidden, std::int64_t classes, bool cosine_head) : cosine(cosine_head) {
    body = register_module("body", torch::nn::Linear(in, hidden));
    if (cosine)
      normed = register_module("head", NormedLinear(hidden, classes));
    else
      linear = register_module("head", torch::nn::Linear(hidden, classes));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    const torch::Tensor h = torch::relu(body->forward(x));
    return cosine ? normed->forward(h) : linear->forward(h);
  }
  bool cosine;
  torch::nn::Linear body{nullptr}, linear{nullptr};
  NormedLinear normed{nullptr};
};
TORCH_MODULE(Mlp);

struct TrainSettings {
  long epochs = 60;
  std::int64_t hidden = 128;
  std::size_t batch_size = 32;
  double learning_rate = 0.05;
  double weight_decay = 5e-4;
  long decay_epoch = 48;  // learning rate x 0.1 from here on
};

// One epoch-level loss: the adapter's criterion (set_epoch, then criterion(logits, labels)), or any
// tensor-operation loss with the same signature.
using EpochLossFunction = std::function<torch::Tensor(long epoch, const torch::Tensor& logits, const torch::Tensor& labels)>;

// Trains a fresh MLP with instance-balanced mini-batches (the library's BatchSampler through the
// libtorch sampler); returns the model and the mean seconds per epoch.
inline std::pair<Mlp, double> train_mlp(const DigitsTask& task, bool cosine_head, const EpochLossFunction& loss,
                                        const TrainSettings& settings, std::uint64_t seed) {
  torch::manual_seed(seed);
  Mlp model(task.train_x.size(1), settings.hidden, task.counts.size(), cosine_head);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(settings.learning_rate)
                                                       .momentum(0.9)
                                                       .weight_decay(settings.weight_decay));
  imbalance::libtorch::TorchSampler<> sampler(
      imbalance::BatchSampler(imbalance::libtorch::labels_vector(task.train_y)), seed);
  const auto start = std::chrono::steady_clock::now();
  for (long epoch = 0; epoch < settings.epochs; ++epoch) {
    if (epoch == settings.decay_epoch)
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::SGDOptions&>(group.options()).lr(settings.learning_rate * 0.1);
    model->train();
    sampler.reset();
    while (auto batch = sampler.next(settings.batch_size)) {
      const torch::Tensor index = torch::tensor(std::vector<std::int64_t>(batch->begin(), batch->end()), torch::kLong);
      const torch::Tensor logits = model->forward(task.train_x.index_select(0, index));
      const torch::Tensor value = loss(epoch, logits, task.train_y.index_select(0, index));
      optimizer.zero_grad();
      value.backward();
      optimizer.step();
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {model, seconds / static_cast<double>(settings.epochs)};
}

}  // namespace digits_example
