// imbalance-demo: the losses, samplers and post-hoc corrections of the library on long-tailed data.
//
// Trains a softmax regression with each method on synthetic long-tailed Gaussian data (IR 10 and
// 100) and on the UCI digits made long-tailed (IR 50, balanced test split), and prints balanced
// accuracy and many/medium/few-shot accuracy per method; * marks the best of each column.
//
// A second table per task (synthetic IR 100 and digits) trains ERM with a hidden layer and runs the
// decoupling recipes on its representation (cRT, tau-norm, LWS, NCM, TDE) and ETF + dot regression.
//
// A third part runs the weak-supervision methods on synthetic long-tailed data: semi-supervised
// (labelled + unlabelled with the same or another class distribution: self-training, DARP, ABC),
// partial labels at ambiguity q = 0.3 (PRODEN, RECORDS) and 20 % / 40 % symmetric label noise (LOF
// cleaning and tail calibration).
//
// Usage: imbalance-demo [--seeds N] [--epochs E] [--hidden H] [--digits PATH] [--no-digits] [--no-weak]
//                       [--weak-only]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>
#include <imbalance/registry.hpp>

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

// The trainer settings of every table: batch 128, lr 0.05 (cosine, one warm-up epoch), weight decay 5e-4.
imbalance::TrainerOptions demo_trainer(long epochs, std::uint64_t seed) {
  imbalance::TrainerOptions options;
  options.epochs = epochs;
  options.batch_size = 128;
  options.learning_rate.base = 0.05;
  options.learning_rate.warmup_epochs = 1;
  options.weight_decay = 5e-4;
  options.seed = seed;
  return options;
}

// Every method of the demo on one task; `seed` drives the trainer and the samplers.
std::vector<Result> run_methods(const Task& task, long epochs, std::uint64_t seed) {
  imbalance::TrainerOptions options = demo_trainer(epochs, seed);
  imbalance::LossContext context;
  context.class_counts = task.counts;
  context.epochs = epochs;
  std::vector<Result> results;
  // Losses by their registry names, each with its options struct's defaults.
  auto train = [&](const std::string& name, const std::string& loss, imbalance::HeadType head = imbalance::HeadType::of<imbalance::LinearHead>()) {
    imbalance::TrainerOptions with_head = options;
    with_head.head = head;
    imbalance::LossContext for_head = context;
    for_head.cosine_head = head == imbalance::HeadType::of<imbalance::CosineHead>();  // LDAM's s = 30 there
    imbalance::SoftmaxClassifier model;
    model.fit(task.train_x, task.train_y, imbalance::make_loss(loss, {}, for_head), with_head);
    results.push_back(evaluate(name, task.test_y, model.predict(task.test_x), task.counts));
    return model;
  };
  const auto erm = train("ERM (cross-entropy)", "ce");
  train("class-balanced CE", "cb");
  train("focal (gamma 1)", "focal");
  train("LDAM-DRW", "ldam-drw", imbalance::HeadType::of<imbalance::CosineHead>());  // the official code's cosine head
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
    imbalance::SoftmaxClassifier model;
    model.fit(resampled.X, resampled.y, imbalance::CrossEntropyLoss(task.counts.size()), options, rng);
    results.push_back(evaluate("ERM + SMOTE", task.test_y, model.predict(task.test_x), task.counts));
  }
  return results;
}

// The decoupling recipes (Kang et al. 2020) on a learned representation, and ETF + dot regression
// (Yang et al. 2022): stage 1 is ERM with a hidden ReLU layer, stage 2 a method of the stage-2
// registry on its frozen features.
std::vector<Result> run_decoupling(const Task& task, long epochs, Eigen::Index hidden, std::uint64_t seed) {
  imbalance::TrainerOptions options = demo_trainer(epochs, seed);
  const imbalance::CrossEntropyLoss ce(task.counts.size());
  std::vector<Result> results;
  imbalance::SoftmaxClassifier linear;
  linear.fit(task.train_x, task.train_y, ce, options);
  results.push_back(evaluate("ERM, linear model", task.test_y, linear.predict(task.test_x), task.counts));
  imbalance::TrainerOptions deep = options;
  deep.hidden_units = hidden;
  deep.hidden_weight_decay = 5e-3;
  imbalance::SoftmaxClassifier model;
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
  etf.head = imbalance::HeadType::of<imbalance::EtfHead>();
  imbalance::SoftmaxClassifier etf_model;
  etf_model.fit(task.train_x, task.train_y, ce, etf);
  results.push_back(evaluate("ETF + DR, hidden layer", task.test_y, etf_model.predict(task.test_x), task.counts));
  return results;
}

// Semi-supervised: labelled long-tailed data (IR 20) and 4x as much unlabelled data, with the same
// profile or the reversed one (an unknown distribution, which DARP then estimates from a balanced
// labelled validation set of 100 per class, DARP's estimate_q_y). Pseudo-label rows are scored on
// the unlabelled set.
std::vector<Result> run_semi(long epochs, bool reversed, std::uint64_t seed) {
  imbalance::SyntheticOptions o;
  o.dimension = 16;
  o.separation = 4;
  o.n_max = 100;
  o.imbalance_ratio = 20;
  imbalance::SemiSupervisedOptions semi;
  semi.unlabeled_n_max = 400;
  semi.unlabeled_imbalance_ratio = 20;
  semi.unlabeled_reversed = reversed;
  semi.validation_per_class = 100;
  imbalance::Rng data_rng(3000 + seed);
  const auto data = imbalance::make_synthetic_semi_supervised(o, semi, data_rng);
  const auto& l = data.labeled;
  const Eigen::VectorXd counts = l.train_counts.cast<double>();
  const Eigen::Index k = o.num_classes, m = data.unlabeled_x.rows();
  const imbalance::TrainerOptions trainer = demo_trainer(epochs, seed);
  const imbalance::CrossEntropyLoss ce(k);
  std::vector<Result> results;
  imbalance::SoftmaxClassifier supervised;
  supervised.fit(l.train_x, l.train_y, ce, trainer);
  results.push_back(evaluate("supervised (labelled)", l.test_y, supervised.predict(l.test_x), counts));
  // DARP's target: the labelled distribution scaled to M, or estimated when the distribution differs.
  Eigen::VectorXd target = counts * static_cast<double>(m) / counts.sum();
  if (reversed) {
    const auto estimate = imbalance::darp_estimate_distribution(
        imbalance::softmax_rows(supervised.logits(data.validation_x)), data.validation_y,
        imbalance::softmax_rows(supervised.logits(data.unlabeled_x)));
    target = estimate.totals.cwiseMax(1.0);  // the official code rejects negative estimates; keep every class
    target *= static_cast<double>(m) / target.sum();
  }
  const Eigen::MatrixXd probabilities = imbalance::softmax_rows(supervised.logits(data.unlabeled_x));
  results.push_back(evaluate("pseudo-labels (unlab.)", data.unlabeled_y, imbalance::argmax_rows(probabilities), counts));
  results.push_back(evaluate("  + DARP (unlab.)", data.unlabeled_y,
                             imbalance::argmax_rows(imbalance::darp_refine(probabilities, target).refined), counts));
  imbalance::SelfTrainingOptions st;
  st.threshold = 0.7;
  st.warmup_epochs = epochs / 3;
  for (bool darp : {false, true}) {
    st.darp = darp;
    st.darp_target = target;
    st.darp_options.solver = imbalance::DarpSolver::Converged;
    imbalance::SoftmaxClassifier model;
    imbalance::Rng rng(seed);
    imbalance::fit_self_training(model, l.train_x, l.train_y, data.unlabeled_x, ce, trainer, st, rng);
    results.push_back(evaluate(darp ? "self-training + DARP" : "self-training", l.test_y, model.predict(l.test_x), counts));
  }
  imbalance::SoftmaxClassifier abc;
  imbalance::Rng rng(seed);
  imbalance::fit_auxiliary_balanced(abc, l.train_x, l.train_y, data.unlabeled_x, k, trainer,
                                    imbalance::AuxiliaryBalancedOptions{}, rng);
  results.push_back(evaluate("ABC head", l.test_y, abc.predict(l.test_x), counts));
  return results;
}

// Partial labels: the demo's synthetic task (IR 100); every other class joins a candidate set with
// probability q = 0.3. RECORDS predicts with its prior-corrected logits.
std::vector<Result> run_partial(long epochs, std::uint64_t seed) {
  imbalance::SyntheticOptions o;  // the demo's synthetic defaults
  const auto data = imbalance::make_synthetic_long_tailed(o, static_cast<std::uint64_t>(4000 + seed));
  const Eigen::VectorXd counts = data.train_counts.cast<double>();
  imbalance::Rng candidate_rng(5000 + seed);
  const auto candidates = imbalance::make_partial_labels(data.train_y, o.num_classes, 0.3, candidate_rng);
  const imbalance::TrainerOptions trainer = demo_trainer(epochs, seed);
  std::vector<Result> results;
  imbalance::SoftmaxClassifier oracle;
  oracle.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(o.num_classes), trainer);
  results.push_back(evaluate("true labels (reference)", data.test_y, oracle.predict(data.test_x), counts));
  for (auto method : {imbalance::PartialLabelMethod::Proden, imbalance::PartialLabelMethod::Records}) {
    imbalance::PartialLabelOptions p;
    p.method = method;
    imbalance::SoftmaxClassifier model;
    imbalance::Rng rng(seed);
    const auto r = imbalance::fit_partial_labels(model, data.train_x, candidates, trainer, p, rng);
    Eigen::MatrixXd z = model.logits(data.test_x);
    if (method == imbalance::PartialLabelMethod::Records) z = imbalance::records_debiased_logits(z, r.prior);
    results.push_back(evaluate(method == imbalance::PartialLabelMethod::Records ? "RECORDS" : "PRODEN", data.test_y,
                               imbalance::argmax_rows(z), counts));
  }
  return results;
}

// Label noise: K = 10 Gaussian classes in d = 8 (separation 6), IR 20, symmetric noise at 20 % and
// 40 %; LOF (k = 20, per class) removes outliers, then the tail classes are filled up to the median
// count from their calibrated Gaussians (Free Lunch / RCAL).
std::vector<Result> run_noisy(long epochs, std::uint64_t seed) {
  imbalance::SyntheticOptions o;
  o.dimension = 8;
  o.separation = 6;
  o.imbalance_ratio = 20;
  const auto data = imbalance::make_synthetic_long_tailed(o, static_cast<std::uint64_t>(6000 + seed));
  const Eigen::VectorXd counts = data.train_counts.cast<double>();
  const imbalance::TrainerOptions trainer = demo_trainer(epochs, seed);
  const imbalance::CrossEntropyLoss ce(o.num_classes);
  std::vector<Result> results;
  imbalance::SoftmaxClassifier clean;
  clean.fit(data.train_x, data.train_y, ce, trainer);
  results.push_back(evaluate("clean labels (reference)", data.test_y, clean.predict(data.test_x), counts));
  for (double rate : {0.2, 0.4}) {
    imbalance::Rng noise_rng(7000 + seed);
    const Eigen::VectorXi noisy =
        imbalance::inject_label_noise(data.train_y, o.num_classes, imbalance::LabelNoise::Symmetric, rate, noise_rng);
    const std::string tag = fmt::format("{:.0f}% noise", 100 * rate);
    imbalance::SoftmaxClassifier plain;
    plain.fit(data.train_x, noisy, ce, trainer);
    results.push_back(evaluate(tag + ": plain", data.test_y, plain.predict(data.test_x), counts));
    imbalance::LocalOutlierFactorOptions lof;
    lof.n_neighbors = 20;
    const auto kept = imbalance::lof_inliers_per_class(data.train_x, noisy, o.num_classes, lof);
    Eigen::MatrixXd x(static_cast<Eigen::Index>(kept.size()), data.train_x.cols());
    Eigen::VectorXi y(x.rows());
    for (std::size_t i = 0; i < kept.size(); ++i) {
      x.row(static_cast<Eigen::Index>(i)) = data.train_x.row(kept[i]);
      y(static_cast<Eigen::Index>(i)) = noisy(kept[i]);
    }
    imbalance::SoftmaxClassifier cleaned;
    cleaned.fit(x, y, ce, trainer);
    results.push_back(evaluate(tag + ": LOF", data.test_y, cleaned.predict(data.test_x), counts));
    const auto calibrated =
        imbalance::CalibratedGaussianOverSampler().fit_resample(x, y, static_cast<std::uint64_t>(seed));
    imbalance::SoftmaxClassifier model;
    model.fit(calibrated.X, calibrated.y, ce, trainer);
    results.push_back(evaluate(tag + ": LOF + calib.", data.test_y, model.predict(data.test_x), counts));
  }
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
  bool no_digits = false, no_weak = false, weak_only = false;
  Eigen::Index hidden = 512;
  CLI::App app{"Train a softmax regression with each method of the library on long-tailed data and print\n"
               "balanced and many/medium/few-shot accuracy (mean over seeds)."};
  cli::add_integer(app, "--seeds", seeds, "number of seeds to average over", 1, 1000);
  cli::add_integer(app, "--epochs", epochs, "training epochs", 1L, 1000000L);
  app.add_option("--digits", digits, "the digits CSV (label column 'label')")->check(CLI::ExistingFile)->capture_default_str();
  app.add_flag("--no-digits", no_digits, "skip the digits task");
  app.add_flag("--no-weak", no_weak, "skip the weak-supervision tables");
  app.add_flag("--weak-only", weak_only, "only the weak-supervision tables");
  cli::add_integer(app, "--hidden", hidden, "hidden width of the decoupled-learning table (0: no such table)",
                   Eigen::Index{0}, Eigen::Index{100000});
  CLI11_PARSE(app, argc, argv);
  if (no_digits) digits.clear();
  try {
    fmt::print("imbalance {} demo: softmax regression, {} epochs, mean of {} seeds; accuracy in %\n",
               imbalance::version::string, epochs, seeds);
    fmt::print("many/medium/few: classes with > 100, 20-100, < 20 training samples\n");
    for (double ratio : {10.0, 100.0}) {
      if (weak_only) break;
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
    if (!digits.empty() && !weak_only) {
      const auto table = imbalance::read_csv_file(digits, {"label", ',', {}, {}, false});
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
    if (!no_weak) {
      std::vector<std::vector<Result>> same, other, partial, noisy;
      for (int s = 0; s < seeds; ++s) {
        const auto seed = static_cast<std::uint64_t>(s);
        same.push_back(run_semi(epochs, false, seed));
        other.push_back(run_semi(epochs, true, seed));
        partial.push_back(run_partial(epochs, seed));
        noisy.push_back(run_noisy(epochs, seed));
      }
      const std::string semi = "Semi-supervised: K = 10, d = 16, labelled n_max = 100, IR = 20, unlabelled n_max = 400, ";
      print_table(semi + "IR = 20 (same profile; self-training tau 0.7, DARP converged)", average(same));
      print_table(semi + "reversed profile (DARP's target estimated on a validation set)", average(other));
      print_table("Partial labels: the synthetic IR 100 task, candidate sets at q = 0.3", average(partial));
      print_table("Label noise: K = 10, d = 8, IR = 20, symmetric noise; LOF k = 20, tails calibrated", average(noisy));
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "imbalance-demo: {}\n", e.what());
    return 1;
  }
  return 0;
}
