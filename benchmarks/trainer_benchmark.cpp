// Trainer benchmark: seconds per epoch of SoftmaxRegression::fit for N = 100,000, d = 64, K = 100,
// batch 256, one thread, in double and in float, beside the floors measured in the same run in the
// same precision: the two matrix products of each batch alone (Z = X_b W and dW = X_b^T G on the
// same shapes, with no loss and no update), and those plus a bare stable softmax.
//
// Usage: imbalance-bench-trainer [epochs]
#include <fmt/core.h>

#include <cstdlib>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

int main(int argc, char** argv) {
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
  fmt::print("SoftmaxRegression::fit, N = {}, d = {}, K = {}, batch {}, one thread, best of {} epochs\n", n, d, k, batch,
             epochs);
  auto measure = [&](auto scalar, imbalance::Precision precision, const char* precision_name) {
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
    auto run = [&](const char* name, auto make_loss, imbalance::Head head) {
      imbalance::TrainerOptions options;
      options.epochs = epochs;
      options.batch_size = batch;
      options.head = head;
      options.precision = precision;
      imbalance::SoftmaxRegression model;
      const auto history = model.fit(X, y, make_loss, options);
      double best = 1e300;
      for (const auto& e : history) best = std::min(best, e.seconds);
      fmt::print("{:<34} {:>12.1f} {:>7.2f}x {:>17.2f}x\n", name, best * 1e3, best * 1e9 / floor_ns,
                 best * 1e9 / floor_softmax_ns);
    };
    run("CrossEntropyLoss", [&](long) { return imbalance::CrossEntropyLoss(counts); }, imbalance::Head::Linear);
    run("LogitAdjustedLoss", [&](long) { return imbalance::LogitAdjustedLoss(counts); }, imbalance::Head::Linear);
    run("LDAMLoss (cosine classifier)", [&](long) { return imbalance::LDAMLoss(counts); }, imbalance::Head::Cosine);
  };
  measure(double{}, imbalance::Precision::Double, "double");
  measure(float{}, imbalance::Precision::Float, "float");
  return 0;
}
