// Trainer benchmark: seconds per epoch of SoftmaxClassifier::fit for N = 100,000, d = 64, K = 100,
// batch 256, one thread, in double and in float, beside the floors measured in the same run in the
// same precision: the two matrix products of each batch alone (Z = X_b W and dW = X_b^T G on the
// same shapes, with no loss and no update), and those plus a bare stable softmax.
//
// Then the trainer's process on the Fashion-MNIST-LT shape (N ~ 15,000 long-tailed rows (6,000 down to
// 60, ratio 100), d = 784, K = 10, batch 128, 20 epochs, float, one thread, cross-entropy): the
// standardisation and the whole fit (conversion to float included) beside the floor of its epochs,
// measured in the same run: a shuffled gather of every batch from the float rows and the two
// products per batch (nothing else), with the bytes and flops that floor moves.
//
// Usage: imbalance-bench-trainer [epochs]    (or `fashion`: the second table alone)
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

// The trainer's process on the Fashion-MNIST-LT shape, beside the floor of its epochs.
void fashion_mnist_lt_shape() {
  const long epochs = 20;
  const Eigen::Index batch = 128;
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 10;
  synthetic.dimension = 784;
  synthetic.n_max = 6000;
  synthetic.imbalance_ratio = 100;
  synthetic.separation = 3.0;
  synthetic.test_per_class = 300;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 3);
  const Eigen::Index n = data.train_x.rows(), d = data.train_x.cols(), k = synthetic.num_classes;
  using Rows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Seconds = std::chrono::duration<double>;
  fmt::print("\nThe trainer's process, Fashion-MNIST-LT shape: N = {} (6000 down to 60), d = {}, K = {}, batch {}, {} "
             "epochs, float, cross-entropy, one thread\n",
             n, d, k, batch, epochs);

  // Floor: what any mini-batch SGD epoch must do, nothing else: gather each batch of a shuffled
  // order from the float rows, Z = X_b W, dW = X_b^T Z.
  const Rows rows = data.train_x.cast<float>();
  Rows xb(batch, d), z(batch, k);
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(d, k, 1e-3f), dw(d, k);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  imbalance::Rng rng(1);
  const double floor_ns = bench::best_ns(
      [&] {
        for (long e = 0; e < epochs; ++e) {
          imbalance::shuffle(order.begin(), order.end(), rng);
          for (Eigen::Index start = 0; start < n; start += batch) {
            const Eigen::Index b = std::min(batch, n - start);
            for (Eigen::Index r = 0; r < b; ++r) xb.row(r) = rows.row(order[static_cast<std::size_t>(start + r)]);
            z.topRows(b).noalias() = xb.topRows(b) * w;
            dw.noalias() = xb.topRows(b).transpose() * z.topRows(b);
            w.col(0) += 1e-9f * dw.col(0);
          }
        }
        bench::do_not_optimize(w.data());
      },
      3);
  const double bytes = static_cast<double>(epochs) * static_cast<double>(n * d) * sizeof(float) * 2;  // gather: read + write
  const double flops = static_cast<double>(epochs) * 4.0 * static_cast<double>(n * d * k);

  double standardise_s = 1e300, fit_s = 1e300, epochs_s = 0, accuracy = 0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    auto t0 = std::chrono::steady_clock::now();
    const auto scaler = imbalance::Standardizer::fit(data.train_x);
    const Eigen::MatrixXd x = scaler.transform(data.train_x);
    auto t1 = std::chrono::steady_clock::now();
    imbalance::TrainerOptions options;
    options.epochs = epochs;
    options.batch_size = batch;
    options.learning_rate.base = 0.1;
    imbalance::SoftmaxClassifier model;
    const auto history = model.fit<float>(x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
    auto t2 = std::chrono::steady_clock::now();
    standardise_s = std::min(standardise_s, Seconds(t1 - t0).count());
    if (Seconds(t2 - t1).count() < fit_s) {
      fit_s = Seconds(t2 - t1).count();
      epochs_s = 0;
      for (const auto& e : history) epochs_s += e.seconds;
      accuracy = imbalance::balanced_accuracy(data.test_y, model.predict(scaler.transform(data.test_x)), k);
    }
  }
  const double floor_s = floor_ns * 1e-9;
  fmt::print("{:<58} {:>9} {:>8}\n", "", "seconds", "/floor");
  fmt::print("{:<58} {:>9.3f} {:>7.2f}x\n", "floor: shuffled batch gather + the two products per batch", floor_s, 1.0);
  fmt::print("{:<58} {:>9.3f} {:>7.2f}x\n", "fit: the 20 epochs alone (sum of EpochInfo::seconds)", epochs_s, epochs_s / floor_s);
  fmt::print("{:<58} {:>9.3f} {:>7.2f}x\n", "fit: the whole call (checks, one conversion to float)", fit_s, fit_s / floor_s);
  fmt::print("{:<58} {:>9.3f}\n", "Standardizer fit + transform (double)", standardise_s);
  fmt::print("floor moves {:.2f} GB ({:.1f} GB/s) and {:.2f} GFLOP ({:.1f} GFLOP/s); test balanced accuracy {:.3f}\n",
             bytes * 1e-9, bytes * 1e-9 / floor_s, flops * 1e-9, flops * 1e-9 / floor_s, accuracy);
}

int main(int argc, char** argv) {
  bench::print_machine();
  if (argc > 1 && std::string(argv[1]) == "fashion") {
    bench::set_threads(1);
    fashion_mnist_lt_shape();
    return 0;
  }
  const long epochs = argc > 1 ? std::atol(argv[1]) : 3;
  const Eigen::Index n = 100000, d = 64, k = 100, batch = 256;
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = k;
  synthetic.dimension = d;
  synthetic.n_max = 3000;
  synthetic.imbalance_ratio = 100;
  synthetic.test_per_class = 1;
  auto data = imbalance::make_synthetic_long_tailed(synthetic, 1);
  // Exactly N rows: repeat the long-tailed training set.
  Eigen::MatrixXd X(n, d);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X.row(i) = data.train_x.row(i % data.train_x.rows());
    y(i) = data.train_y(i % data.train_x.rows());
  }
  const imbalance::ClassCounts counts = imbalance::count_labels(y, k);

  bench::set_threads(1);
  const Eigen::Index batches = (n + batch - 1) / batch;
  fmt::print("SoftmaxClassifier::fit, N = {}, d = {}, K = {}, batch {}, one thread, best of {} epochs\n", n, d, k, batch,
             epochs);
  auto measure = [&](auto scalar, const char* precision_name) {
    using Scalar = decltype(scalar);
    using RowMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    RowMatrix xb = X.topRows(batch).cast<Scalar>(), z(batch, k), g = RowMatrix::Random(batch, k);
    Matrix w = Matrix::Random(d, k), dw(d, k);
    const double floor_ns = bench::best_ns(
        [&] {
          for (Eigen::Index b = 0; b < batches; ++b) {
            z.noalias() = xb * w;
            dw.noalias() = xb.transpose() * g;
          }
          bench::do_not_optimize(z.data());
          bench::do_not_optimize(dw.data());
        },
        3);
    // The products plus a bare stable softmax of each batch's logits (what any softmax-family loss
    // must at least do), to show how much of the rest is the trainer's.
    const double floor_softmax_ns = bench::best_ns(
        [&] {
          for (Eigen::Index b = 0; b < batches; ++b) {
            z.noalias() = xb * w;
            for (Eigen::Index i = 0; i < batch; ++i) {
              const Scalar m = z.row(i).maxCoeff();
              g.row(i) = (z.row(i).array() - m).exp().matrix();
              g.row(i) /= g.row(i).sum();
            }
            dw.noalias() = xb.transpose() * g;
          }
          bench::do_not_optimize(dw.data());
        },
        3);
    fmt::print("\n{}: floor (the two products per batch alone) {:.1f} ms per epoch, products + bare softmax {:.1f} ms\n",
               precision_name, floor_ns * 1e-6, floor_softmax_ns * 1e-6);
    fmt::print("{:<34} {:>12} {:>8} {:>18}\n", "loss", "ms/epoch", "ratio", "vs +softmax floor");
    auto run = [&](const char* name, auto make_loss, imbalance::HeadType head) {
      imbalance::TrainerOptions options;
      options.epochs = epochs;
      options.batch_size = batch;
      options.head = head;
      imbalance::SoftmaxClassifier model;
      const auto history = model.fit<Scalar>(X, y, make_loss, options);
      double best = 1e300;
      for (const auto& e : history) best = std::min(best, e.seconds);
      fmt::print("{:<34} {:>12.1f} {:>7.2f}x {:>17.2f}x\n", name, best * 1e3, best * 1e9 / floor_ns,
                 best * 1e9 / floor_softmax_ns);
    };
    run("CrossEntropyLoss", [&](long) { return imbalance::CrossEntropyLoss(counts); }, imbalance::HeadType::of<imbalance::LinearHead>());
    run("LogitAdjustedLoss", [&](long) { return imbalance::LogitAdjustedLoss(counts); }, imbalance::HeadType::of<imbalance::LinearHead>());
    run("LDAMLoss (cosine classifier)", [&](long) { return imbalance::LDAMLoss(counts); }, imbalance::HeadType::of<imbalance::CosineHead>());
  };
  measure(double{}, "double");
  measure(float{}, "float");
  fashion_mnist_lt_shape();
  return 0;
}
