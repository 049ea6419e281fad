#pragma once
/// @file
/// The simplex equiangular tight frame (ETF): K unit vectors with equal pairwise angles, the
/// fixed classifier of Yang, Chen, Li, Xie, Lin, Tao. "Inducing Neural Collapse in Imbalanced
/// Learning: Do We Really Need a Learnable Classifier at the End of Deep Neural Network?",
/// NeurIPS 2022 (official code: NeuralCollapseApplications/ImbalancedLearning,
/// models/resnet_cifar.py ETF_Classifier).
///   M = sqrt(K / (K - 1)) P B^T   (d x K; columns are the class vectors)
///   M^T M = K/(K-1) I - 1/(K-1) 1 1^T      (unit norms, cosine -1/(K-1) between classes)
/// with B (K x (K-1)) an orthonormal basis of the complement of the all-ones vector and P
/// (d x (K-1)) random orthonormal columns (QR of a uniform matrix). The official code takes P
/// (d x K) from QR and multiplies by I - 11^T/K, which needs d >= K; this construction gives the
/// same Gram matrix and only needs d >= K - 1, the smallest dimension a simplex ETF exists in.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <Eigen/Core>
#include <Eigen/QR>

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// A d x K simplex ETF (K >= 2, d >= K - 1) drawn with a caller's generator.
template <class Engine, std::enable_if_t<!std::is_integral<Engine>::value, int> = 0>
Eigen::MatrixXd simplex_etf(Eigen::Index num_features, Eigen::Index num_classes, Engine& rng) {
  const char* function = "simplex_etf()";
  if (num_classes < 2) detail::throw_invalid(function, ": num_classes must be >= 2 (got ", num_classes, ")");
  if (num_features < num_classes - 1)
    detail::throw_invalid(function, ": a simplex ETF of ", num_classes, " classes needs num_features >= ",
                          num_classes - 1, " (K - 1), got ", num_features);
  const Eigen::Index k = num_classes, r = num_classes - 1;
  // B: orthonormal basis of 1^perp, the last K - 1 columns of the Q of [1 | I].
  Eigen::MatrixXd ones_first(k, k);
  ones_first.col(0).setOnes();
  ones_first.rightCols(k - 1) = Eigen::MatrixXd::Identity(k, k).leftCols(k - 1);
  const Eigen::MatrixXd q_full = Eigen::HouseholderQR<Eigen::MatrixXd>(ones_first).householderQ();
  const Eigen::MatrixXd basis = q_full.rightCols(r);
  Eigen::MatrixXd random(num_features, r);
  for (Eigen::Index j = 0; j < r; ++j)
    for (Eigen::Index i = 0; i < num_features; ++i) random(i, j) = uniform01(rng);
  const Eigen::MatrixXd p =
      Eigen::HouseholderQR<Eigen::MatrixXd>(random).householderQ() * Eigen::MatrixXd::Identity(num_features, r);
  return std::sqrt(static_cast<double>(k) / static_cast<double>(r)) * p * basis.transpose();
}

/// A d x K simplex ETF drawn from a seed.
inline Eigen::MatrixXd simplex_etf(Eigen::Index num_features, Eigen::Index num_classes, std::uint64_t seed) {
  Rng rng(seed);
  return simplex_etf(num_features, num_classes, rng);
}

}  // namespace imbalance
