#pragma once
/// @file
/// The kernel behind the sigmoid (one-vs-all) focal family: per element of the one-hot target,
///   a = s z, s = 2t - 1,   ce = softplus(-a),   M = exp(-gamma softplus(a)) = (1 - p_t)^gamma
///   l = alpha_t r_i M ce,   dl/dz = -alpha_t r_i s M (sigma(-a) + gamma sigma(a) ce)
/// with r_i a per-row weight (the class-balanced w_{y_i}, or 1). Everything goes through
/// L = log1p(exp(-|z|)), so softplus never overflows: softplus(z) = max(z, 0) + L and
/// softplus(-z) = softplus(z) - z. Non-target elements are computed as Eigen array expressions over
/// blocks of rows; the one target element per row is masked (NaN in the scratch) and done in scalar
/// code, so no subtraction of a large wrong term ever happens.

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"

namespace imbalance::detail {

struct SigmoidFamilyParams {
  double alpha_positive = 1;  // alpha_t for t = 1
  double alpha_negative = 1;  // alpha_t for t = 0
  double gamma = 0;
  double norm = 1;  // normaliser applied to value and gradient
};

constexpr Eigen::Index kSigmoidBlock = 16;

// softplus(x) for a scalar, stable for any finite x.
template <class S>
S softplus(S x) {
  return std::max(x, S(0)) + std::log1p(std::exp(-std::abs(x)));
}

/// Returns the normalised loss sum; writes normalised gradients into *grad and unnormalised
/// per-element losses into *elements when not null. scratch is the gradient itself when it is
/// computed (grad == &scratch), otherwise a writable matrix of at least kSigmoidBlock x K.
template <class S, class Z, class Y, class W, class G, class E, class Scratch>
double sigmoid_family_kernel(const char* function, const SigmoidFamilyParams& params, const Z& z, const Y& labels,
                             const W* row_weights, G* grad, E* elements, Scratch& scratch) {
  using Index = Eigen::Index;
  const Index n = z.rows();
  const S alpha_pos = static_cast<S>(params.alpha_positive);
  const S alpha_neg = static_cast<S>(params.alpha_negative);
  const S gamma = static_cast<S>(params.gamma);
  const S norm = static_cast<S>(params.norm);
  const S nan = std::numeric_limits<S>::quiet_NaN();
  double total = 0;
  Eigen::Array<S, kSigmoidBlock, 1> row_scale;

  for (Index i0 = 0; i0 < n; i0 += kSigmoidBlock) {
    const Index b = std::min<Index>(kSigmoidBlock, n - i0);
    const auto zb = z.middleRows(i0, b).array();
    if (!zb.allFinite()) check_finite(function, "logits", z.middleRows(i0, b));
    auto lb = scratch.middleRows(grad != nullptr ? i0 : 0, b).array();
    lb = (-zb.abs()).exp().log1p();

    // Target elements in scalar code; mark them in the scratch.
    double block_total = 0;
    for (Index r = 0; r < b; ++r) {
      const Index y = static_cast<Index>(labels.coeff(i0 + r));
      const S x = zb(r, y);
      const S weight = row_weights != nullptr ? static_cast<S>((*row_weights)(y)) : S(1);
      row_scale(r) = weight;
      const S ce = softplus(-x);                 // -log sigma(x)
      const S sp = softplus(x);
      const S modulator = gamma == S(0) ? S(1) : std::exp(-gamma * sp);
      const S loss = alpha_pos * weight * modulator * ce;
      block_total += static_cast<double>(loss);
      if (elements != nullptr) elements->coeffRef(i0 + r, y) = loss;
      lb(r, y) = nan;
    }

    // Non-target elements: t = 0, a = -z, ce = softplus(z), M = exp(-gamma softplus(-z)).
    const auto sp = zb.max(S(0)) + lb;
    const auto mask = lb.isNaN();
    if (elements != nullptr) {
      auto eb = elements->middleRows(i0, b).array();
      for (Index r = 0; r < b; ++r) {
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        const S keep = eb(r, y);
        if (gamma == S(0))
          eb.row(r) = mask.row(r).select(S(0), alpha_neg * row_scale(r) * sp.row(r));
        else
          eb.row(r) = mask.row(r).select(S(0), alpha_neg * row_scale(r) * (-gamma * (sp.row(r) - zb.row(r))).exp() *
                                                   sp.row(r));
        eb(r, y) = keep;
        block_total += static_cast<double>(eb.row(r).sum() - keep);
      }
    } else if (gamma == S(0)) {
      block_total += static_cast<double>((mask.select(S(0), sp).colwise() * row_scale.head(b)).sum() * alpha_neg);
    } else {
      block_total += static_cast<double>(
          (mask.select(S(0), (-gamma * (sp - zb)).exp() * sp).colwise() * row_scale.head(b)).sum() * alpha_neg);
    }
    total += block_total;

    if (grad != nullptr) {
      auto& gb = lb;  // the scratch is the gradient; each element depends on its own entry only
      const auto sigma = (zb - sp).exp();  // sigma(z) = exp(-softplus(-z))
      if (gamma == S(0))
        gb = mask.select(S(0), (sigma.colwise() * row_scale.head(b)) * (alpha_neg * norm));
      else
        gb = mask.select(S(0), ((-gamma * (sp - zb)).exp() * (sigma + gamma * (S(1) - sigma) * sp)).colwise() *
                                   row_scale.head(b) * (alpha_neg * norm));
      for (Index r = 0; r < b; ++r) {
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        const S x = zb(r, y);
        const S ce = softplus(-x);
        const S sp_x = softplus(x);
        const S modulator = gamma == S(0) ? S(1) : std::exp(-gamma * sp_x);
        const S sigma_neg = std::exp(-sp_x);   // sigma(-x) = 1 - p_t
        const S sigma_pos = std::exp(-ce);     // sigma(x) = p_t
        gb(r, y) = -alpha_pos * row_scale(r) * norm * modulator * (sigma_neg + gamma * sigma_pos * ce);
      }
    }
  }
  return total * static_cast<double>(norm);
}

}  // namespace imbalance::detail
