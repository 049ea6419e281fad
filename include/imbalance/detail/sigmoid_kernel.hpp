#pragma once
/// @file
/// The kernel behind the sigmoid (one-vs-all) focal family: per element of the one-hot target,
///   a = s z, s = 2t - 1,   ce = softplus(-a),   M = exp(-gamma softplus(a)) = (1 - p_t)^gamma
///   l = alpha_t r_i M ce,   dl/dz = -alpha_t r_i s M (sigma(-a) + gamma sigma(a) ce)
/// with r_i a per-row weight (the class-balanced w_{y_i}, or 1, times a per-sample weight s_i). Everything goes through
/// log1p(exp(-|z|)), so softplus never overflows: softplus(z) = max(z, 0) + log1p(exp(-|z|)) and
/// softplus(-z) = softplus(z) - z.

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance::detail {

struct SigmoidFamilyParams {
  double alpha_positive = 1;  // alpha_t for t = 1
  double alpha_negative = 1;  // alpha_t for t = 0
  double gamma = 0;
  double norm = 1;  // normaliser applied to value and gradient
};

constexpr Eigen::Index kSigmoidBlock = 16;  // rows per block
constexpr Eigen::Index kSigmoidTile = 64;   // columns per tile: two tiles of scratch on the stack

// softplus(x) for a scalar, stable for any finite x.
template <class S>
S softplus(S x) {
  return std::max(x, S(0)) + std::log1p(std::exp(-std::abs(x)));
}

/// Returns the normalised loss sum; writes normalised gradients into *grad and unnormalised
/// per-element losses into *elements when not null. Allocates nothing.
///
/// One fused pass per tile of 16 rows x 64 columns, every element treated as a non-target first:
/// e = exp(-|z|) is the only exponential of the cross-entropy part, since softplus(z) =
/// max(z, 0) + log1p(e), sigma(z) = [z >= 0 ? 1 : e] / (1 + e) and sigma(-z) = [z >= 0 ? e : 1] /
/// (1 + e); with gamma > 0 one more, M = exp(-gamma softplus(-z)), shared by value and gradient
/// (dl/dz = M sigma(z) + gamma sigma(-z) l for l = M softplus(z)). The one target element per row
/// is then redone in scalar code: its tile loss is zeroed before the sum (never subtracted) and its
/// gradient overwritten. Blocks of rows run in parallel with a fixed partition (detail/parallel.hpp).
template <class S, class Z, class Y, class W, class G, class E>
double sigmoid_family_kernel(const char* function, const SigmoidFamilyParams& params, const Z& z, const Y& labels,
                             const W* row_weights, G* grad, E* elements, const S* sample_weights = nullptr) {
  using Index = Eigen::Index;
  constexpr int kOrder = Z::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor;
  using Tile = Eigen::Array<S, kSigmoidBlock, kSigmoidTile, kOrder>;
  const Index n = z.rows(), k = z.cols();
  const S alpha_pos = static_cast<S>(params.alpha_positive);
  const S alpha_neg = static_cast<S>(params.alpha_negative);
  const S gamma = static_cast<S>(params.gamma);
  const S norm = static_cast<S>(params.norm);

  auto rows = [&](Index begin, Index end) -> double {
    double total = 0;
    Eigen::Array<S, kSigmoidBlock, 1> row_scale, grad_scale;
    Tile e_tile, loss_tile;
    for (Index i0 = begin; i0 < end; i0 += kSigmoidBlock) {
      const Index b = std::min<Index>(kSigmoidBlock, end - i0);
      if (!z.middleRows(i0, b).allFinite()) check_finite(function, "logits", z.middleRows(i0, b));
      for (Index r = 0; r < b; ++r) {
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        row_scale(r) = alpha_neg * (row_weights != nullptr ? static_cast<S>((*row_weights)(y)) : S(1)) *
                       (sample_weights != nullptr ? sample_weights[i0 + r] : S(1));
      }
      grad_scale.head(b) = row_scale.head(b) * norm;
      double block_total = 0;
      for (Index c0 = 0; c0 < k; c0 += kSigmoidTile) {
        const Index t = std::min<Index>(kSigmoidTile, k - c0);
        const auto zt = z.block(i0, c0, b, t).array();
        auto e = e_tile.topLeftCorner(b, t);
        auto l = loss_tile.topLeftCorner(b, t);
        e = (-zt.abs()).exp();
        l = zt.max(S(0)) + e.log1p();  // softplus(z): a non-target's cross-entropy
        const auto sigma = (zt >= S(0)).select(S(1), e) / (S(1) + e);
        const auto sigma_neg = (zt >= S(0)).select(e, S(1)) / (S(1) + e);
        if (grad != nullptr) {
          auto g = grad->block(i0, c0, b, t).array();
          if (gamma == S(0)) {
            g = sigma.colwise() * grad_scale.head(b);
          } else {
            g = (-gamma * (l - zt)).exp();  // M
            l = g * l;
            g = (g * sigma + gamma * sigma_neg * l).colwise() * grad_scale.head(b);
          }
        } else if (gamma != S(0)) {
          l = (-gamma * (l - zt)).exp() * l;
        }
        l.colwise() *= row_scale.head(b);
        // Target elements (t = 1) of this tile, in scalar code.
        for (Index r = 0; r < b; ++r) {
          const Index y = static_cast<Index>(labels.coeff(i0 + r));
          if (y < c0 || y >= c0 + t) continue;
          const S x = zt(r, y - c0);
          const S weight = (row_weights != nullptr ? static_cast<S>((*row_weights)(y)) : S(1)) *
                           (sample_weights != nullptr ? sample_weights[i0 + r] : S(1));
          const S ce = softplus(-x);  // -log sigma(x)
          const S sp_x = softplus(x);
          const S modulator = gamma == S(0) ? S(1) : std::exp(-gamma * sp_x);
          const S loss = alpha_pos * weight * modulator * ce;
          block_total += static_cast<double>(loss);
          l(r, y - c0) = S(0);
          if (elements != nullptr) elements->coeffRef(i0 + r, y) = loss;
          if (grad != nullptr) {
            const S sigma_x_neg = std::exp(-sp_x);  // sigma(-x) = 1 - p_t
            const S sigma_x = std::exp(-ce);        // sigma(x) = p_t
            grad->coeffRef(i0 + r, y) = -alpha_pos * weight * norm * modulator * (sigma_x_neg + gamma * sigma_x * ce);
          }
        }
        block_total += static_cast<double>(l.sum());
        if (elements != nullptr) {
          for (Index r = 0; r < b; ++r) {  // keep the target elements just written
            const Index y = static_cast<Index>(labels.coeff(i0 + r));
            if (y >= c0 && y < c0 + t) l(r, y - c0) = elements->coeff(i0 + r, y);
          }
          elements->block(i0, c0, b, t).array() = l;
        }
      }
      total += block_total;
    }
    return total;
  };
  return parallel_sum(n, rows_per_chunk(k, Index{1} << 15, kSigmoidBlock), rows) * static_cast<double>(norm);
}

/// One element of binary focal cross-entropy on target t in {0, 1} (gamma = 0: plain BCE):
/// a = s z (s = 2t - 1), loss = exp(-gamma softplus(a)) softplus(-a) = (1 - p_t)^gamma BCE and
/// dloss/dz = -s M (sigma(-a) + gamma sigma(a) BCE). p_t = exp(-BCE) is differentiated, as in
/// torchvision and the distribution-balanced loss's code.
template <class S>
struct ElementLoss {
  S loss;
  S derivative;
};
template <class S>
ElementLoss<S> focal_binary_cross_entropy(S z, bool positive, S gamma) {
  const S a = positive ? z : -z;
  const S ce = softplus(-a);
  const S sp = softplus(a);
  const S modulator = gamma == S(0) ? S(1) : std::exp(-gamma * sp);
  const S sigma_neg = std::exp(-sp);  // sigma(-a) = 1 - p_t
  const S sigma_pos = std::exp(-ce);  // sigma(a) = p_t
  const S sign = positive ? S(1) : S(-1);
  return {modulator * ce, -sign * modulator * (sigma_neg + gamma * sigma_pos * ce)};
}

/// The sigmoid focal family on multi-hot targets T (N x K, entries 0 or 1): element (i, j) costs
/// alpha_t s_i (1 - p_t)^gamma BCE(z_ij, T_ij). Returns the normalised sum, writes the normalised
/// gradient when grad is not null. Rows run in parallel with a fixed partition.
template <class S, class Z, class T, class G>
double sigmoid_multi_label_kernel(const char* function, const SigmoidFamilyParams& params, const Z& z,
                                  const T& targets, const S* sample_weights, G* grad) {
  using Index = Eigen::Index;
  const Index n = z.rows(), k = z.cols();
  const S gamma = static_cast<S>(params.gamma), norm = static_cast<S>(params.norm);
  auto rows = [&](Index begin, Index end) -> double {
    double total = 0;
    for (Index i = begin; i < end; ++i) {
      const S row_weight = sample_weights != nullptr ? sample_weights[i] : S(1);
      for (Index j = 0; j < k; ++j) {
        const S x = static_cast<S>(z.coeff(i, j));
        if (!std::isfinite(x)) throw_invalid(function, ": logits(", i, ", ", j, ") is not finite (", x, ")");
        const bool positive = targets.coeff(i, j) != 0;
        const S weight = row_weight * static_cast<S>(positive ? params.alpha_positive : params.alpha_negative);
        const ElementLoss<S> e = focal_binary_cross_entropy(x, positive, gamma);
        total += static_cast<double>(weight * e.loss);
        if (grad != nullptr) grad->coeffRef(i, j) = norm * weight * e.derivative;
      }
    }
    return total;
  };
  return parallel_sum(n, rows_per_chunk(k, Index{1} << 15, 1), rows) * static_cast<double>(norm);
}

}  // namespace imbalance::detail
