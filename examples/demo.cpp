// imbalance-demo: the losses, samplers and post-hoc corrections of the library on long-tailed data.
//
// Trains a softmax regression with each method on synthetic long-tailed Gaussian data (IR 10 and
// 100) and on the UCI digits made long-tailed (IR 50, balanced test split), and prints balanced
// accuracy and many/medium/few-shot accuracy per method; * marks the best of each column.
//
// A second table per task (synthetic IR 100 and digits) trains ERM with a hidden layer and runs the
// decoupling recipes on its representation (cRT, tau-norm, LWS, NCM, TDE) and ETF + dot regression.
//
// Usage: imbalance-demo [--seeds N] [--epochs E] [--hidden H] [--digits PATH] [--no-digits]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>
#include <imbalance/registry/losses.hpp>
#include <imbalance/registry/resamplers.hpp>
#include <imbalance/registry/training.hpp>

#include "cli/options.hpp"

namespace {

struct Result {
  std::string method;
  double balanced = 0, many = 0, medium = 0, few = 0;
  bool has_many = false, has_medium = false, has_few = false;
};

struct Task {
  Eigen::MatrixXd train_x, test_x;
  Eigen::VectorXi train_y, test_y;
  Eigen::VectorXd counts;
};

Result evaluate(const std::string& method, const Eigen::VectorXi& truth, const Eigen::VectorXi& predicted,
                const Eigen::VectorXd& counts) {
  const auto cm = imbalance::confusion_matrix(truth, predicted, counts.size());
  const auto shots = imbalance::shot_accuracy(cm, counts);
  Result r{method, imbalance::balanced_accuracy(cm)};
  if (shots.many) r.many = *shots.many, r.has_many = true;
  if (shots.medium) r.medium = *shots.medium, r.has_medium = true;
  if (shots.few) r.few = *shots.few, r.has_few = true;
  return r;
}

// Every method of the demo on one task; `seed` drives the trainer and the samplers.
std::vector<Result> run_methods(const Task& task, long epochs, std::uint64_t seed) {
  imbalance::TrainerOptions options;
  options.epochs = epochs;
  options.batch_size = 128;
  options.learning_rate.base = 0.05;
  options.learning_rate.warmup_epochs = 1;
  options.weight_decay = 5e-4;
  options.seed = seed;
  imbalance::LossContext context;
  context.class_counts = task.counts;
  context.epochs = epochs;
  std::vector<Result> results;
  // Losses by their registry names, each with its options struct's defaults.
  auto train = [&](const std::string& name, const std::string& loss, imbalance::Head head = imbalance::Head::Linear) {
    imbalance::TrainerOptions with_head = options;
    with_head.head = head;
    imbalance::SoftmaxRegression model;
    model.fit(task.train_x, task.train_y, imbalance::make_loss(loss, {}, context), with_head);
    results.push_back(evaluate(name, task.test_y, model.predict(task.test_x), task.counts));
    return model;
  };
  const auto erm = train("ERM (cross-entropy)", "ce");
  train("class-balanced CE", "cb");
  train("focal (gamma 1)", "focal");
  train("LDAM-DRW", "ldam-drw", imbalance::Head::Cosine);  // the official code's cosine head
  train("logit-adjusted loss", "la");
  train("VS loss", "vs");
  train("Balanced Softmax", "bs");
  const imbalance::PostHocLogitAdjustment adjustment(task.counts);
  results.push_back(evaluate("ERM + post-hoc LA", task.test_y, adjustment.predict(erm.logits(task.test_x)), task.counts));
  {
    // SMOTE first, then training, from one generator. k = 3, or fewer when a class is tiny (SMOTE
    // needs k < class size).
    imbalance::Rng rng(seed);
    imbalance::OptionValues smote;
    smote.set("k-neighbors", static_cast<double>(std::max<Eigen::Index>(
                                 1, std::min<Eigen::Index>(3, static_cast<Eigen::Index>(task.counts.minCoeff()) - 1))));
    const auto resampled = imbalance::resample("smote", smote, {}, task.train_x, task.train_y, rng);
    imbalance::SoftmaxRegression model;
    model.fit(resampled.X, resampled.y, imbalance::CrossEntropyLoss(task.counts.size()), options, rng);
    results.push_back(evaluate("ERM + SMOTE", task.test_y, model.predict(task.test_x), task.counts));
  }
  return results;
}

// The decoupling recipes (Kang et al. 2020) on a learned representation, and ETF + dot regression
// (Yang et al. 2022): stage 1 is ERM with a hidden ReLU layer, stage 2 a method of the stage-2
// registry on its frozen features.
std::vector<Result> run_decoupling(const Task& task, long epochs, Eigen::Index hidden, std::uint64_t seed) {
  imbalance::TrainerOptions options;
  options.epochs = epochs;
  options.batch_size = 128;
  options.learning_rate.base = 0.05;
  options.learning_rate.warmup_epochs = 1;
  options.weight_decay = 5e-4;
  options.seed = seed;
  const imbalance::CrossEntropyLoss ce(task.counts.size());
  std::vector<Result> results;
  imbalance::SoftmaxRegression linear;
  linear.fit(task.train_x, task.train_y, ce, options);
  results.push_back(evaluate("ERM, linear model", task.test_y, linear.predict(task.test_x), task.counts));
  imbalance::TrainerOptions deep = options;
  deep.hidden_units = hidden;
  deep.hidden_weight_decay = 5e-3;
  imbalance::SoftmaxRegression model;
  model.fit(task.train_x, task.train_y, ce, deep);
  results.push_back(evaluate(fmt::format("ERM, hidden layer {}", hidden), task.test_y, model.predict(task.test_x),
                             task.counts));
  const Eigen::MatrixXd train_x = task.train_x;
  const Eigen::VectorXi train_y = task.train_y;
  const std::pair<const char*, const char*> stages[] = {{"crt", "+ cRT"},           {"tau-norm", "+ tau-norm (tau 1)"},
                                                        {"lws", "+ LWS"},           {"ncm", "+ NCM"},
                                                        {"ncm-cosine", "+ NCM (cosine)"}, {"tde", "+ TDE"}};
  for (const auto& [name, label] : stages) {
    const auto classifier = imbalance::stage2_registry().at(name).make({}, {model, train_x, train_y, deep});
    results.push_back(evaluate(label, task.test_y, imbalance::argmax_rows(classifier(task.test_x)), task.counts));
  }
  imbalance::TrainerOptions etf = deep;
  etf.head = imbalance::Head::ETF;
  imbalance::SoftmaxRegression etf_model;
  etf_model.fit(task.train_x, task.train_y, ce, etf);
  results.push_back(evaluate("ETF + DR, hidden layer", task.test_y, etf_model.predict(task.test_x), task.counts));
  return results;
}

std::vector<Result> average(const std::vector<std::vector<Result>>& runs) {
  std::vector<Result> mean = runs.front();
  for (std::size_t m = 0; m < mean.size(); ++m) {
    Result& r = mean[m];
    r.balanced = r.many = r.medium = r.few = 0;
    for (const auto& run : runs) {
      r.balanced += run[m].balanced / static_cast<double>(runs.size());
      r.many += run[m].many / static_cast<double>(runs.size());
      r.medium += run[m].medium / static_cast<double>(runs.size());
      r.few += run[m].few / static_cast<double>(runs.size());
    }
  }
  return mean;
}

void print_table(const std::string& title, const std::vector<Result>& results) {
  auto best = [&](auto field) {
    double b = -1;
    for (const auto& r : results) b = std::max(b, field(r));
    return b;
  };
  const double best_balanced = best([](const Result& r) { return r.balanced; });
  const double best_many = best([](const Result& r) { return r.many; });
  const double best_medium = best([](const Result& r) { return r.medium; });
  const double best_few = best([](const Result& r) { return r.few; });
  auto cell = [](bool present, double value, double top) {
    if (!present) return fmt::format("{:>10}", "-");
    return fmt::format("{:>9.1f}{}", 100 * value, value >= top - 1e-12 ? "*" : " ");
  };
  fmt::print("\n{}\n", title);
  fmt::print("{:<24} {:>10} {:>10} {:>10} {:>10}\n", "method", "bal. acc", "many", "medium", "few");
  for (const auto& r : results)
    fmt::print("{:<24} {} {} {} {}\n", r.method, cell(true, r.balanced, best_balanced),
               cell(r.has_many, r.many, best_many), cell(r.has_medium, r.medium, best_medium),
               cell(r.has_few, r.few, best_few));
}

Task standardized(Task task) {
  const auto scaler = imbalance::Standardizer::fit(task.train_x);
  task.train_x = scaler.transform(task.train_x);
  task.test_x = scaler.transform(task.test_x);
  return task;
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 3;
  long epochs = 100;
  std::string digits = IMBALANCE_DEMO_DIGITS;
  bool no_digits = false;
  Eigen::Index hidden = 512;
  CLI::App app{"Train a softmax regression with each method of the library on long-tailed data and print\n"
               "balanced and many/medium/few-shot accuracy (mean over seeds)."};
  cli::add_integer(app, "--seeds", seeds, "number of seeds to average over", 1, 1000);
  cli::add_integer(app, "--epochs", epochs, "training epochs", 1L, 1000000L);
  app.add_option("--digits", digits, "the digits CSV (label column 'label')")->check(CLI::ExistingFile)->capture_default_str();
  app.add_flag("--no-digits", no_digits, "skip the digits task");
  cli::add_integer(app, "--hidden", hidden, "hidden width of the decoupled-learning table (0: no such table)",
                   Eigen::Index{0}, Eigen::Index{100000});
  CLI11_PARSE(app, argc, argv);
  if (no_digits) digits.clear();
  try {
    fmt::print("imbalance {} demo: softmax regression, {} epochs, mean of {} seeds; accuracy in %\n",
               imbalance::version::string, epochs, seeds);
    fmt::print("many/medium/few: classes with > 100, 20-100, < 20 training samples\n");
    for (double ratio : {10.0, 100.0}) {
      std::vector<std::vector<Result>> runs, decoupled;
      imbalance::SyntheticOptions synthetic;
      synthetic.imbalance_ratio = ratio;
      for (int s = 0; s < seeds; ++s) {
        const auto data = imbalance::make_synthetic_long_tailed(synthetic, static_cast<std::uint64_t>(1000 + s));
        Task task{data.train_x, data.test_x, data.train_y, data.test_y, data.train_counts.cast<double>()};
        runs.push_back(run_methods(standardized(task), epochs, static_cast<std::uint64_t>(s)));
        if (ratio == 100.0 && hidden > 0)
          decoupled.push_back(run_decoupling(standardized(task), epochs, hidden, static_cast<std::uint64_t>(s)));
      }
      const std::string title = fmt::format("Synthetic long-tailed data: K = {}, d = {}, n_max = {}, IR = {:g} "
                                            "(exponential), balanced test set of {} per class",
                                            synthetic.num_classes, synthetic.dimension, synthetic.n_max, ratio,
                                            synthetic.test_per_class);
      print_table(title, average(runs));
      if (!decoupled.empty()) print_table(title + ": decoupled learning", average(decoupled));
    }
    if (!digits.empty()) {
      const auto table = imbalance::read_csv_file(digits, {"label", ',', {}, {}});
      const imbalance::LabelEncoder encoder(table.labels);
      const Eigen::VectorXi y = encoder.encode(table.labels, digits);
      std::vector<std::vector<Result>> runs, decoupled;
      for (int s = 0; s < seeds; ++s) {
        // A balanced third per class for testing, the other two thirds made long-tailed (IR 50) for training.
        imbalance::Rng rng(static_cast<std::uint64_t>(2000 + s));
        std::vector<Eigen::Index> order(static_cast<std::size_t>(y.size()));
        for (Eigen::Index i = 0; i < y.size(); ++i) order[static_cast<std::size_t>(i)] = i;
        imbalance::shuffle(order.begin(), order.end(), rng);
        std::vector<Eigen::Index> pool, test;
        std::vector<int> seen(static_cast<std::size_t>(encoder.num_classes()), 0);
        for (Eigen::Index i : order) (seen[static_cast<std::size_t>(y(i))]++ % 3 != 2 ? pool : test).push_back(i);
        Eigen::VectorXi pool_y(static_cast<Eigen::Index>(pool.size()));
        for (std::size_t i = 0; i < pool.size(); ++i) pool_y(static_cast<Eigen::Index>(i)) = y(pool[i]);
        const auto keep = imbalance::long_tailed_subsample(pool_y, 50.0, imbalance::ImbalanceProfile::Exponential, rng);
        Task task;
        task.train_x.resize(static_cast<Eigen::Index>(keep.size()), table.features.cols());
        task.train_y.resize(static_cast<Eigen::Index>(keep.size()));
        for (std::size_t i = 0; i < keep.size(); ++i) {
          task.train_x.row(static_cast<Eigen::Index>(i)) = table.features.row(pool[static_cast<std::size_t>(keep[i])]);
          task.train_y(static_cast<Eigen::Index>(i)) = y(pool[static_cast<std::size_t>(keep[i])]);
        }
        task.test_x.resize(static_cast<Eigen::Index>(test.size()), table.features.cols());
        task.test_y.resize(static_cast<Eigen::Index>(test.size()));
        for (std::size_t i = 0; i < test.size(); ++i) {
          task.test_x.row(static_cast<Eigen::Index>(i)) = table.features.row(test[i]);
          task.test_y(static_cast<Eigen::Index>(i)) = y(test[i]);
        }
        task.counts = imbalance::count_labels(task.train_y, encoder.num_classes()).cast<double>();
        if (s == 0)
          fmt::print("\ndigits training counts (IR 50): {}\n", fmt::join(std::vector<double>(task.counts.data(),
                                                                     task.counts.data() + task.counts.size()), " "));
        runs.push_back(run_methods(standardized(task), epochs, static_cast<std::uint64_t>(s)));
        if (hidden > 0) decoupled.push_back(run_decoupling(standardized(task), epochs, hidden, static_cast<std::uint64_t>(s)));
      }
      const std::string title = "UCI digits (8x8, 10 classes), train made long-tailed with IR = 50, balanced test third";
      print_table(title, average(runs));
      if (!decoupled.empty()) print_table(title + ": decoupled learning", average(decoupled));
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "imbalance-demo: {}\n", e.what());
    return 1;
  }
  return 0;
}
