#pragma once
// A small long-tailed fixture: K = 5 overlapping Gaussian classes in 2-D (means on a circle of
// radius 2, unit variance), training counts 500/150/50/15/5, a balanced test set of 200 per class,
// and a softmax regression trained on it with plain cross-entropy (full-batch gradient descent
// through CrossEntropyLoss::value_and_gradient). Its test logits are what post-hoc corrections repair.

#include <cmath>

#include <imbalance/core/eigen.hpp>
#include <imbalance/core/random.hpp>
#include <imbalance/losses/cross_entropy.hpp>

namespace test_support {

struct LongTailedFixture {
  Eigen::VectorXi train_counts;
  Eigen::MatrixXd train_x, test_x;
  Eigen::VectorXi train_y, test_y;
  Eigen::MatrixXd weights;  // d x K
  Eigen::RowVectorXd bias;  // K
  Eigen::MatrixXd test_logits() const { return (test_x * weights).rowwise() + bias; }
  Eigen::MatrixXd train_logits() const { return (train_x * weights).rowwise() + bias; }
};

inline void sample_class(imbalance::Rng& rng, int label, int count, int k, Eigen::MatrixXd& x, Eigen::VectorXi& y,
                         Eigen::Index& row) {
  const double angle = 2.0 * 3.14159265358979323846 * label / k;
  for (int s = 0; s < count; ++s, ++row) {
    x(row, 0) = 2.0 * std::cos(angle) + imbalance::standard_normal(rng);
    x(row, 1) = 2.0 * std::sin(angle) + imbalance::standard_normal(rng);
    y(row) = label;
  }
}

inline LongTailedFixture long_tailed_fixture(std::uint64_t seed = 2024) {
  const int k = 5;
  LongTailedFixture f;
  f.train_counts.resize(k);
  f.train_counts << 500, 150, 50, 15, 5;
  imbalance::Rng rng(seed);
  f.train_x.resize(f.train_counts.sum(), 2);
  f.train_y.resize(f.train_counts.sum());
  f.test_x.resize(200 * k, 2);
  f.test_y.resize(200 * k);
  Eigen::Index row = 0;
  for (int c = 0; c < k; ++c) sample_class(rng, c, f.train_counts(c), k, f.train_x, f.train_y, row);
  row = 0;
  for (int c = 0; c < k; ++c) sample_class(rng, c, 200, k, f.test_x, f.test_y, row);

  const imbalance::CrossEntropyLoss loss(k);
  f.weights = Eigen::MatrixXd::Zero(2, k);
  f.bias = Eigen::RowVectorXd::Zero(k);
  Eigen::MatrixXd grad;
  for (int iteration = 0; iteration < 400; ++iteration) {
    loss.value_and_gradient(f.train_logits(), f.train_y, grad);
    f.weights -= 0.5 * f.train_x.transpose() * grad;
    f.bias -= 0.5 * grad.colwise().sum();
  }
  return f;
}

}  // namespace test_support
