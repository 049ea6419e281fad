#pragma once
/// @file
/// The simplex equiangular tight frame (ETF): K unit vectors with equal pairwise angles, the
/// fixed classifier of Yang, Chen, Li, Xie, Lin, Tao. "Inducing Neural Collapse in Imbalanced
/// Learning: Do We Really Need a Learnable Classifier at the End of Deep Neural Network?",
/// NeurIPS 2022 (official code: NeuralCollapseApplications/ImbalancedLearning,
/// models/resnet_cifar.py ETF_Classifier).
///   M = sqrt(K / (K - 1)) P B^T   (d x K; columns are the class vectors)
///   M^T M = K/(K-1) I - 1/(K-1) 1 1^T      (unit norms, cosine -1/(K-1) between classes)
/// with B (K x (K-1)) the Helmert basis of the complement of the all-ones vector and P (d x (K-1))
/// random orthonormal columns (Gram-Schmidt of a uniform matrix). The official code takes P (d x K)
/// from a QR decomposition and multiplies by I - 11^T/K, which needs d >= K; this construction gives
/// the same Gram matrix and only needs d >= K - 1, the smallest dimension a simplex ETF exists in.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "imbalance/core/eigen.hpp"

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
  // B: the Helmert basis of 1^perp, column j = (1, ..., 1, -(j+1), 0, ...) / sqrt((j+1)(j+2)).
  Eigen::MatrixXd basis = Eigen::MatrixXd::Zero(k, r);
  for (Eigen::Index j = 0; j < r; ++j) {
    const double m = static_cast<double>(j + 1), scale = 1.0 / std::sqrt(m * (m + 1.0));
    basis.col(j).head(j + 1).setConstant(scale);
    basis(j + 1, j) = -m * scale;
  }
  // P: orthonormal columns from a uniform matrix, by modified Gram-Schmidt applied twice (columns
  // orthonormal to rounding; no QR decomposition to compile).
  Eigen::MatrixXd p(num_features, r);
  for (Eigen::Index j = 0; j < r; ++j)
    for (Eigen::Index i = 0; i < num_features; ++i) p(i, j) = uniform01(rng);
  for (int pass = 0; pass < 2; ++pass)
    for (Eigen::Index j = 0; j < r; ++j) {
      for (Eigen::Index i = 0; i < j; ++i) p.col(j) -= p.col(i).dot(p.col(j)) * p.col(i);
      const double norm = p.col(j).norm();
      if (!(norm > 1e-8)) detail::throw_invalid(function, ": the random directions were degenerate; draw again");
      p.col(j) /= norm;
    }
  return std::sqrt(static_cast<double>(k) / static_cast<double>(r)) * p * basis.transpose();
}

/// A d x K simplex ETF drawn from a seed (a template, so that a translation unit that never draws an
/// ETF does not compile the QR decompositions).
template <class Seed, std::enable_if_t<std::is_integral<Seed>::value, int> = 0>
Eigen::MatrixXd simplex_etf(Eigen::Index num_features, Eigen::Index num_classes, Seed seed) {
  Rng rng(static_cast<std::uint64_t>(seed));
  return simplex_etf(num_features, num_classes, rng);
}

}  // namespace imbalance
