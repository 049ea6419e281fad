// The same program written with Eigen alone (issue 30's yardstick): Gaussian long-tailed data, a
// softmax regression trained by mini-batch SGD on the focal loss (gamma 2) for 5 epochs,
// predictions, balanced accuracy.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include <Eigen/Core>

int main() {
  const int K = 10, d = 32, n_max = 500;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd means = Eigen::MatrixXd::NullaryExpr(K, d, [&] { return 0.35 * normal(rng); });
  std::vector<int> counts(K);
  for (int k = 0; k < K; ++k) counts[k] = std::max(1, static_cast<int>(n_max * std::pow(0.01, k / (K - 1.0))));
  const int n = std::accumulate(counts.begin(), counts.end(), 0);
  Eigen::MatrixXd X(n, d), T(100 * K, d);
  Eigen::VectorXi y(n), t(100 * K);
  for (int k = 0, r = 0, s = 0; k < K; ++k) {
    for (int i = 0; i < counts[k]; ++i, ++r) X.row(r) = means.row(k) + Eigen::RowVectorXd::NullaryExpr(d, [&] { return normal(rng); }), y(r) = k;
    for (int i = 0; i < 100; ++i, ++s) T.row(s) = means.row(k) + Eigen::RowVectorXd::NullaryExpr(d, [&] { return normal(rng); }), t(s) = k;
  }
  Eigen::MatrixXd W = Eigen::MatrixXd::Zero(d, K);
  Eigen::RowVectorXd b = Eigen::RowVectorXd::Zero(K);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (int epoch = 0; epoch < 5; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (int start = 0; start < n; start += 128) {
      const int m = std::min(128, n - start);
      Eigen::MatrixXd xb(m, d), G(m, K);
      for (int i = 0; i < m; ++i) xb.row(i) = X.row(order[start + i]);
      Eigen::MatrixXd Z = (xb * W).rowwise() + b;
      for (int i = 0; i < m; ++i) {
        Eigen::RowVectorXd p = (Z.row(i).array() - Z.row(i).maxCoeff()).exp();
        p /= p.sum();
        const int c = y(order[start + i]);
        const double pt = p(c), lg = std::log(pt), g = 2.0;
        // d/dz of -(1 - p_t)^g log p_t
        const double a = g * std::pow(1 - pt, g - 1) * pt * lg - std::pow(1 - pt, g);
        Eigen::RowVectorXd onehot = Eigen::RowVectorXd::Zero(K);
        onehot(c) = 1;
        G.row(i) = a * (onehot - p) / m;  // dp_t/dz = p_t (onehot - p)
      }
      W -= 0.1 * xb.transpose() * G;
      b -= 0.1 * G.colwise().sum();
    }
  }
  Eigen::MatrixXd Z = (T * W).rowwise() + b;
  std::vector<int> hit(K, 0);
  for (int i = 0; i < T.rows(); ++i) {
    Eigen::Index best;
    Z.row(i).maxCoeff(&best);
    hit[t(i)] += best == t(i);
  }
  double score = 0;
  for (int k = 0; k < K; ++k) score += hit[k] / 100.0 / K;
  std::printf("balanced accuracy %.4f\n", score);
  return 0;
}
