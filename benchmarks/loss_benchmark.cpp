// Loss benchmark: nanoseconds per logit of value_and_gradient for every loss, float and double,
// row- and column-major, N = 4096, K = 1000, one thread; beside the floor measured in the same run:
// a bare stable softmax pass writing the probabilities (a bare sigmoid pass for the sigmoid family),
// always on one thread.
//
// Usage: imbalance-bench-losses [N] [K] [repeats] [threads]
#include <fmt/core.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <imbalance/imbalance.hpp>

#include "bench_util.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace {

// The floor: max, exp, normalise, written as directly as Eigen allows; the faster of a whole-matrix
// pass and a row-by-row pass (each wins for one storage order).
template <class Matrix>
void softmax_floor(const Matrix& z, Matrix& out) {
  using S = typename Matrix::Scalar;
  if constexpr (Matrix::IsRowMajor) {
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const S m = z.row(i).maxCoeff();
      out.row(i) = (z.row(i).array() - m).exp().matrix();
      out.row(i) /= out.row(i).sum();
    }
  } else {
    const Eigen::Matrix<S, Eigen::Dynamic, 1> m = z.rowwise().maxCoeff();
    out = (z.colwise() - m).array().exp().matrix();
    const Eigen::Array<S, Eigen::Dynamic, 1> sums = out.rowwise().sum().array().inverse();
    out = out.array().colwise() * sums;
  }
}

template <class Matrix>
void sigmoid_floor(const Matrix& z, Matrix& out) {
  using S = typename Matrix::Scalar;
  out = (S(1) + (-z.array()).exp()).inverse().matrix();
}

struct Row {
  std::string loss, layout;
  double ns_per_logit, floor_ns_per_logit;
};

template <class Matrix, class Loss>
Row measure(const std::string& name, const std::string& layout, const Loss& loss, const Matrix& logits,
            const Eigen::VectorXi& labels, bool sigmoid_family, int repeats) {
  Matrix grad(logits.rows(), logits.cols());
  Matrix out(logits.rows(), logits.cols());
  const double logits_count = static_cast<double>(logits.size());
  const double loss_ns = bench::best_ns(
      [&] {
        const auto value = loss.value_and_gradient(logits, labels, grad);
        bench::do_not_optimize(value);
        bench::do_not_optimize(grad.data());
      },
      repeats);
  const double floor_ns = bench::best_ns(
      [&] {
        if (sigmoid_family)
          sigmoid_floor(logits, out);
        else
          softmax_floor(logits, out);
        bench::do_not_optimize(out.data());
      },
      repeats);
  return {name, layout, loss_ns / logits_count, floor_ns / logits_count};
}

template <class Matrix>
void run_layout(const std::string& layout, Eigen::Index n, Eigen::Index k, int repeats, std::vector<Row>& rows) {
  using S = typename Matrix::Scalar;
  imbalance::Rng rng(1234);
  Matrix logits(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) logits(i, j) = static_cast<S>(3.0 * imbalance::standard_normal(rng));
  Eigen::VectorXi labels(n);
  for (Eigen::Index i = 0; i < n; ++i) labels(i) = static_cast<int>(imbalance::uniform_index(rng, k));
  Eigen::VectorXd counts(k);
  for (Eigen::Index j = 0; j < k; ++j) counts(j) = std::floor(5000.0 * std::pow(0.01, double(j) / double(k - 1)));
  const Eigen::VectorXd cb = imbalance::class_balanced_weights(counts, 0.9999);

  rows.push_back(measure("CrossEntropyLoss", layout, imbalance::CrossEntropyLoss(counts), logits, labels, false, repeats));
  imbalance::CrossEntropyOptions weighted;
  weighted.class_weights = cb;
  rows.push_back(measure("CrossEntropyLoss (CB weights)", layout, imbalance::CrossEntropyLoss(counts, weighted), logits,
                         labels, false, repeats));
  rows.push_back(measure("FocalLoss (gamma 1)", layout, imbalance::FocalLoss(counts), logits, labels, false, repeats));
  // LDAM's s = 30 is meant for cosine logits in [-1, 1] (its official normalised linear layer); on
  // N(0, 9) logits s z would reach -1000 and exp() would spend its time in float denormals.
  imbalance::LDAMOptions ldam_drw;
  ldam_drw.class_weights = cb;
  const Matrix cosine_logits = (logits.array() / S(12)).max(S(-1)).min(S(1)).matrix();
  rows.push_back(measure("LDAMLoss (DRW, cosine logits)", layout, imbalance::LDAMLoss(counts, ldam_drw), cosine_logits,
                         labels, false, repeats));
  rows.push_back(measure("LogitAdjustedLoss", layout, imbalance::LogitAdjustedLoss(counts), logits, labels, false, repeats));
  rows.push_back(
      measure("BalancedSoftmaxLoss", layout, imbalance::BalancedSoftmaxLoss(counts), logits, labels, false, repeats));
  rows.push_back(measure("VSLoss", layout, imbalance::VSLoss(counts), logits, labels, false, repeats));
  rows.push_back(measure("SigmoidFocalLoss", layout, imbalance::SigmoidFocalLoss(counts), logits, labels, true, repeats));
  imbalance::ClassBalancedFocalOptions cb_sigmoid;
  cb_sigmoid.gamma = 0.0;
  rows.push_back(measure("ClassBalancedFocalLoss (gamma 0)", layout, imbalance::ClassBalancedFocalLoss(counts, cb_sigmoid),
                         logits, labels, true, repeats));
  rows.push_back(measure("ClassBalancedFocalLoss (gamma 1)", layout, imbalance::ClassBalancedFocalLoss(counts), logits,
                         labels, true, repeats));
}

}  // namespace

int main(int argc, char** argv) {
  bench::print_machine();
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 4096;
  const Eigen::Index k = argc > 2 ? std::atol(argv[2]) : 1000;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 7;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#endif
  using RowF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using RowD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  std::vector<Row> rows;
  run_layout<RowF>("float row-major", n, k, repeats, rows);
  run_layout<Eigen::MatrixXf>("float col-major", n, k, repeats, rows);
  run_layout<RowD>("double row-major", n, k, repeats, rows);
  run_layout<Eigen::MatrixXd>("double col-major", n, k, repeats, rows);

  fmt::print("value_and_gradient, N = {}, K = {}, {} thread(s), best of {} (ns per logit)\n", n, k, threads, repeats);
  fmt::print("{:<34} {:<17} {:>9} {:>9} {:>8} {:>10}\n", "loss", "layout", "loss", "floor", "ratio", "ms/batch");
  for (const Row& r : rows)
    fmt::print("{:<34} {:<17} {:>9.3f} {:>9.3f} {:>7.2f}x {:>10.2f}\n", r.loss, r.layout, r.ns_per_logit,
               r.floor_ns_per_logit, r.ns_per_logit / r.floor_ns_per_logit,
               r.ns_per_logit * static_cast<double>(n * k) * 1e-6);
  fmt::print("floor: a bare stable softmax pass writing probabilities (sigmoid pass for the sigmoid family)\n");
  return 0;
}
