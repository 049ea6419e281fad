// A libtorch MLP on the UCI digits made long-tailed (imbalance ratio 50, balanced test third),
// trained with cross-entropy, the logit-adjusted loss and LDAM-DRW through the library's libtorch
// adapter (imbalance::libtorch::Loss), plus the post-hoc logit adjustment of the cross-entropy
// model; evaluated with the library's classification report. Means over --seeds runs.
//
// Usage: torch_long_tail [--digits PATH] [--seeds N] [--epochs E]
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "imbalance/libtorch/evaluation.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/report.hpp"
#include "torch/digits_mlp.hpp"

namespace {

struct Row {
  std::string name;
  double accuracy = 0, balanced_accuracy = 0, macro_f1 = 0, tail_recall = 0, seconds_per_epoch = 0;
};

// Recall of the three rarest training classes, averaged.
double tail_recall(const imbalance::ClassificationReport& report, const Eigen::VectorXd& counts) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(counts.size()));
  for (Eigen::Index k = 0; k < counts.size(); ++k) order[static_cast<std::size_t>(k)] = k;
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return counts(a) < counts(b); });
  double sum = 0;
  for (std::size_t i = 0; i < 3; ++i) sum += report.per_class.recall(order[i]);
  return sum / 3.0;
}

void add(Row& row, const imbalance::ClassificationReport& report, const Eigen::VectorXd& counts, double seconds, int seeds) {
  row.accuracy += report.accuracy / seeds;
  row.balanced_accuracy += report.balanced_accuracy / seeds;
  row.macro_f1 += report.macro_f1 / seeds;
  row.tail_recall += tail_recall(report, counts) / seeds;
  row.seconds_per_epoch += seconds / seeds;
}

}  // namespace

int main(int argc, char** argv) {
  std::string digits = IMBALANCE_TORCH_EXAMPLE_DIGITS;
  int seeds = 3;
  digits_example::TrainSettings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 < argc && arg == "--digits") digits = argv[++i];
    else if (i + 1 < argc && arg == "--seeds") seeds = std::atoi(argv[++i]);
    else if (i + 1 < argc && arg == "--epochs") settings.epochs = std::atol(argv[++i]);
    else {
      std::cerr << "usage: torch_long_tail [--digits PATH] [--seeds N] [--epochs E]\n";
      return 2;
    }
  }
  if (seeds < 1 || settings.epochs < 1) {
    std::cerr << "torch_long_tail: --seeds and --epochs must be >= 1\n";
    return 2;
  }
  settings.decay_epoch = settings.epochs * 4 / 5;
  torch::set_num_threads(1);  // small batches: one thread is the fastest and makes runs repeatable

  std::vector<Row> rows{{"cross-entropy"}, {"CE + post-hoc logit adjustment"}, {"logit-adjusted loss (tau 1)"},
                        {"LDAM-DRW (cosine head)"}};
  imbalance::ClassificationReport last_ldam;
  Eigen::VectorXd counts;
  try {
    for (int s = 0; s < seeds; ++s) {
      const auto task = digits_example::make_digits_task(digits, 2000 + static_cast<std::uint64_t>(s));
      counts = task.counts;
      if (s == 0) {
        fmt::print("training counts per class (IR 50):");
        for (Eigen::Index k = 0; k < counts.size(); ++k) fmt::print(" {}", counts(k));
        fmt::print("; {} test rows\n\n", task.test_y.size(0));
      }
      const auto seed = static_cast<std::uint64_t>(s);
      const auto evaluate = [&](digits_example::Mlp& model, const torch::Tensor* adjusted = nullptr) {
        torch::NoGradGuard no_grad;
        model->eval();
        const torch::Tensor logits = adjusted ? *adjusted : model->forward(task.test_x);
        imbalance::ClassificationReportOptions options;
        options.train_counts = task.counts;
        return imbalance::libtorch::classification_report(logits, task.test_y, options);
      };

      imbalance::libtorch::Loss ce{imbalance::CrossEntropyLoss(task.counts)};
      auto [ce_model, ce_time] = digits_example::train_mlp(
          task, false, [&](long, const torch::Tensor& z, const torch::Tensor& y) { return ce(z, y); }, settings, seed);
      add(rows[0], evaluate(ce_model), task.counts, ce_time, seeds);
      {
        torch::NoGradGuard no_grad;
        ce_model->eval();
        const imbalance::PostHocLogitAdjustment adjustment(task.counts);
        const torch::Tensor adjusted = imbalance::libtorch::adjusted_logits(adjustment, ce_model->forward(task.test_x));
        add(rows[1], evaluate(ce_model, &adjusted), task.counts, ce_time, seeds);
      }

      imbalance::libtorch::Loss la{imbalance::LogitAdjustedLoss(task.counts)};
      auto [la_model, la_time] = digits_example::train_mlp(
          task, false, [&](long, const torch::Tensor& z, const torch::Tensor& y) { return la(z, y); }, settings, seed);
      add(rows[2], evaluate(la_model), task.counts, la_time, seeds);

      imbalance::DeferredReweightingOptions drw_options;
      drw_options.switch_epoch = settings.epochs * 3 / 4;  // the official 160 of 200
      const imbalance::DeferredReweighting drw(task.counts, drw_options);
      imbalance::libtorch::Loss ldam_drw([&](long epoch) {
        imbalance::LDAMOptions o;
        o.class_weights = drw.weights(epoch);
        return imbalance::AnyLoss(imbalance::LDAMLoss(task.counts, o));
      });
      auto [ldam_model, ldam_time] = digits_example::train_mlp(
          task, true,
          [&](long epoch, const torch::Tensor& z, const torch::Tensor& y) {
            ldam_drw.set_epoch(epoch);
            return ldam_drw(z, y);
          },
          settings, seed);
      {
        // The cosine logits times the loss's scale s = 30: the same argmax, probabilities on the scale trained.
        torch::NoGradGuard no_grad;
        ldam_model->eval();
        const torch::Tensor scaled = 30.0 * ldam_model->forward(task.test_x);
        last_ldam = evaluate(ldam_model, &scaled);
      }
      add(rows[3], last_ldam, task.counts, ldam_time, seeds);
    }
  } catch (const std::exception& error) {
    std::cerr << "torch_long_tail: " << error.what() << "\n";
    return 1;
  }

  fmt::print("MLP 64-{}-10, SGD momentum 0.9, lr {} (x0.1 at epoch {}), batch {}, {} epochs; mean of {} seed{}\n",
             settings.hidden, settings.learning_rate, settings.decay_epoch, settings.batch_size, settings.epochs, seeds,
             seeds == 1 ? "" : "s");
  fmt::print("{:<32} {:>9} {:>9} {:>9} {:>12} {:>10}\n", "method", "accuracy", "bal. acc", "macro F1",
             "tail recall", "ms/epoch");
  for (const Row& row : rows)
    fmt::print("{:<32} {:>9.3f} {:>9.3f} {:>9.3f} {:>12.3f} {:>10.1f}\n", row.name, row.accuracy, row.balanced_accuracy,
               row.macro_f1, row.tail_recall, 1e3 * row.seconds_per_epoch);
  fmt::print("(tail recall: mean recall of the 3 rarest training classes)\n\nLDAM-DRW, last seed:\n{}",
             imbalance::format_report(last_ldam));
  return 0;
}
