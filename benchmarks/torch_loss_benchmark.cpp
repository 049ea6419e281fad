// The libtorch adapter against the same losses written in tensor operations (libtorch's autograd),
// float32 on the CPU, one thread:
//  1. the loss alone, forward + backward on N x K logits, beside the floor measured in the same run
//     (a bare torch::softmax pass over the logits);
//  2. an epoch of the torch_long_tail example (MLP on the long-tailed digits, batch 32) with each
//     loss, beside the epoch with a loss that costs nothing (the mean of the logits): the MLP's share.
//
// Usage: imbalance-bench-torch [--digits PATH] [--repeats R]
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include "bench_util.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "torch/digits_mlp.hpp"

namespace {

namespace F = torch::nn::functional;

// The three losses in tensor operations, as a libtorch user writes them.
struct TensorLosses {
  torch::Tensor log_prior, margins, weights;
  TensorLosses(const Eigen::VectorXd& counts, const Eigen::VectorXd& class_weights) {
    const torch::Tensor n = imbalance::libtorch::to_tensor_1d(counts).to(torch::kFloat);
    log_prior = torch::log(n / n.sum() + 1e-12);
    margins = torch::pow(n, -0.25);
    margins = margins * 0.5 / margins.max();
    weights = imbalance::libtorch::to_tensor_1d(class_weights).to(torch::kFloat);
  }
  static torch::Tensor cross_entropy(const torch::Tensor& z, const torch::Tensor& y) { return F::cross_entropy(z, y); }
  torch::Tensor logit_adjusted(const torch::Tensor& z, const torch::Tensor& y) const {
    return F::cross_entropy(z + log_prior, y);
  }
  torch::Tensor ldam(const torch::Tensor& z, const torch::Tensor& y) const {
    const torch::Tensor shifted = 30.0 * (z - torch::one_hot(y, z.size(1)).to(z.scalar_type()) * margins.index_select(0, y).unsqueeze(1));
    return F::cross_entropy(shifted, y, F::CrossEntropyFuncOptions().weight(weights));
  }
};

template <class Loss>
double loss_ms(const torch::Tensor& logits, const torch::Tensor& labels, const Loss& loss, int repeats) {
  return 1e-6 * bench::best_ns(
                    [&] {
                      const torch::Tensor z = logits.detach().requires_grad_(true);
                      loss(z, labels).backward();
                      bench::do_not_optimize(z.grad().data_ptr<float>());
                    },
                    repeats);
}

}  // namespace

int main(int argc, char** argv) {
  bench::print_machine();
  std::string digits = IMBALANCE_TORCH_EXAMPLE_DIGITS;
  int repeats = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--digits") digits = argv[i + 1];
    else if (arg == "--repeats") repeats = std::atoi(argv[i + 1]);
  }
  if (repeats < 1) repeats = 1;
  torch::set_num_threads(1);
  bench::set_threads(1);

  // 1. The loss alone.
  const std::int64_t n = 4096, k = 1000;
  Eigen::VectorXd counts(k);
  for (std::int64_t j = 0; j < k; ++j) counts(j) = std::floor(5000.0 * std::pow(0.01, double(j) / double(k - 1)));
  const Eigen::VectorXd drw_weights = imbalance::DeferredReweighting(counts).weights(200);
  torch::manual_seed(0);
  const torch::Tensor logits = torch::randn({n, k});
  const torch::Tensor labels = torch::randint(0, k, {n}, torch::kLong);
  const TensorLosses tensor(counts, drw_weights);
  imbalance::LDAMOptions ldam_options;
  ldam_options.class_weights = drw_weights;
  const imbalance::libtorch::Loss ce{imbalance::CrossEntropyLoss(counts)};
  const imbalance::libtorch::Loss la{imbalance::LogitAdjustedLoss(counts)};
  const imbalance::libtorch::Loss ldam{imbalance::LDAMLoss(counts, ldam_options)};
  const double floor_ms = 1e-6 * bench::best_ns([&] { bench::do_not_optimize(torch::softmax(logits, 1).data_ptr<float>()); },
                                                repeats);
  fmt::print("loss forward + backward, N = {}, K = {}, float32, 1 thread, best of {} (ms)\n", n, k, repeats);
  fmt::print("{:<22} {:>9} {:>9} {:>9} {:>9}\n", "loss", "adapter", "tensor", "speed-up", "floor");
  const auto row = [&](const char* name, double ours, double theirs) {
    fmt::print("{:<22} {:>9.2f} {:>9.2f} {:>8.2f}x {:>9.2f}\n", name, ours, theirs, theirs / ours, floor_ms);
  };
  row("cross-entropy", loss_ms(logits, labels, ce, repeats), loss_ms(logits, labels, TensorLosses::cross_entropy, repeats));
  row("logit-adjusted", loss_ms(logits, labels, la, repeats),
      loss_ms(logits, labels, [&](const torch::Tensor& z, const torch::Tensor& y) { return tensor.logit_adjusted(z, y); }, repeats));
  row("LDAM-DRW (late epoch)", loss_ms(logits, labels, ldam, repeats),
      loss_ms(logits, labels, [&](const torch::Tensor& z, const torch::Tensor& y) { return tensor.ldam(z, y); }, repeats));
  fmt::print("floor: one torch::softmax pass over the logits (no gradient)\n\n");

  // The fixed cost per call: a mini-batch of the example's size.
  const torch::Tensor small_logits = torch::randn({32, 10});
  const torch::Tensor small_labels = torch::randint(0, 10, {32}, torch::kLong);
  const Eigen::VectorXd small_counts = Eigen::VectorXd::LinSpaced(10, 100, 2);
  const imbalance::libtorch::Loss small_ce{imbalance::CrossEntropyLoss(small_counts)};
  const double small_floor = 1e-3 * bench::best_ns([&] { bench::do_not_optimize(torch::softmax(small_logits, 1).data_ptr<float>()); },
                                                  100 * repeats);
  fmt::print("per call, N = 32, K = 10 (us): cross-entropy adapter {:.1f}, tensor {:.1f}, floor {:.1f}\n\n",
             1e3 * loss_ms(small_logits, small_labels, small_ce, 100 * repeats),
             1e3 * loss_ms(small_logits, small_labels, TensorLosses::cross_entropy, 100 * repeats), small_floor);

  // 2. An epoch of the example.
  const auto task = digits_example::make_digits_task(digits, 2000);
  digits_example::TrainSettings settings;
  settings.epochs = 30;
  settings.decay_epoch = 24;
  const Eigen::VectorXd digit_weights = imbalance::DeferredReweighting(task.counts).weights(200);
  const TensorLosses digit_tensor(task.counts, digit_weights);
  imbalance::LDAMOptions digit_ldam_options;
  digit_ldam_options.class_weights = digit_weights;
  const imbalance::libtorch::Loss digit_ce{imbalance::CrossEntropyLoss(task.counts)};
  const imbalance::libtorch::Loss digit_la{imbalance::LogitAdjustedLoss(task.counts)};
  const imbalance::libtorch::Loss digit_ldam{imbalance::LDAMLoss(task.counts, digit_ldam_options)};
  const auto epoch_ms = [&](bool cosine, const digits_example::EpochLossFunction& loss) {
    double best = 1e300;
    for (int r = 0; r < 9; ++r) best = std::min(best, 1e3 * digits_example::train_mlp(task, cosine, loss, settings, 0).second);
    return best;
  };
  using T = torch::Tensor;
  (void)epoch_ms(false, [](long, const T& z, const T&) { return z.mean(); });  // warm-up: first touch of the allocator
  const double mlp_floor = epoch_ms(false, [](long, const T& z, const T&) { return z.mean(); });
  fmt::print("an epoch of torch_long_tail (MLP 64-128-10, batch 32, {} rows), float32, 1 thread, best of 9 runs (ms)\n",
             task.train_y.size(0));
  fmt::print("{:<22} {:>9} {:>9} {:>9} {:>9}\n", "loss", "adapter", "tensor", "speed-up", "floor");
  const auto epoch_row = [&](const char* name, double ours, double theirs) {
    fmt::print("{:<22} {:>9.2f} {:>9.2f} {:>8.2f}x {:>9.2f}\n", name, ours, theirs, theirs / ours, mlp_floor);
  };
  epoch_row("cross-entropy", epoch_ms(false, [&](long, const T& z, const T& y) { return digit_ce(z, y); }),
            epoch_ms(false, [&](long, const T& z, const T& y) { return TensorLosses::cross_entropy(z, y); }));
  epoch_row("logit-adjusted", epoch_ms(false, [&](long, const T& z, const T& y) { return digit_la(z, y); }),
            epoch_ms(false, [&](long, const T& z, const T& y) { return digit_tensor.logit_adjusted(z, y); }));
  epoch_row("LDAM-DRW (late epoch)", epoch_ms(true, [&](long, const T& z, const T& y) { return digit_ldam(z, y); }),
            epoch_ms(true, [&](long, const T& z, const T& y) { return digit_tensor.ldam(z, y); }));
  fmt::print("floor: the same epoch with the mean of the logits as its loss (the MLP, sampler and optimiser alone)\n");
  return 0;
}
