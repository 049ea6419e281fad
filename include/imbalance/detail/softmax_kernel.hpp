#pragma once
/// @file
/// The one stable log-softmax kernel behind every softmax-family loss.
///
/// Every such loss is cross-entropy on transformed logits
///   z'_ij = c_j z_ij + b_j - d_{y_i} [j == y_i]
/// with per-class scale c (LDAM's s, VS's (n_j/n_max)^gamma), bias b (tau log pi, log n) and target
/// offset d (LDAM's s m_y). With CE_i = lse(z'_i) - z'_{i,y_i} and q_i = w_{y_i} CE_i the per-sample
/// loss is l_i = q_i (cross-entropy) or l_i = (1 - e^{-q_i})^gamma q_i (the LDAM-DRW focal form), and
///   dL/dz_ij = rho_i c_j (softmax(z'_i)_j - [j == y_i])
/// where rho_i = norm w_{y_i} for cross-entropy and norm w_{y_i} u^gamma (1 + gamma (1 - u) q/u),
/// u = -expm1(-q), for focal (q/u -> 1 as u -> 0, so gamma < 1 never meets 0 * inf).
///
/// Rows are processed in blocks of kBlock: row maxima, exponentials and sums are Eigen array
/// expressions over the block (vectorised for both storage orders), written straight into the
/// caller's gradient; the only scratch is a few fixed-size arrays on the stack.

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"

namespace imbalance::detail {

template <class S>
struct SoftmaxFamilyView {
  using Row = Eigen::Array<S, 1, Eigen::Dynamic>;
  const Row* scale = nullptr;          // c; null means all ones
  const Row* bias = nullptr;           // b; null means zero
  const Row* target_offset = nullptr;  // d; null means zero
  const Row* weights = nullptr;        // w; null means all ones
  bool focal = false;
  double gamma = 0;
  Reduction reduction = Reduction::Mean;
  Normalizer normalizer = Normalizer::WeightSum;
};

constexpr Eigen::Index kSoftmaxBlock = 16;

// z'_block = c * z_block + b as an expression (never evaluated into a temporary).
template <bool HasScale, bool HasBias, class Block, class Row>
auto transformed_block(const Block& zb, const Row* scale, const Row* bias) {
  if constexpr (HasScale && HasBias)
    return (zb.rowwise() * (*scale)).rowwise() + (*bias);
  else if constexpr (HasScale)
    return zb.rowwise() * (*scale);
  else if constexpr (HasBias)
    return zb.rowwise() + (*bias);
  else
    return zb;
}

// Called when a block's row sums of z' are not finite: names the offending logit. A sum can
// overflow with every term finite; then nothing is thrown and the kernel carries on.
template <class Z, class T>
void throw_if_non_finite(const char* function, const Z& z, const T& t, Eigen::Index first_row) {
  for (Eigen::Index r = 0; r < t.rows(); ++r)
    for (Eigen::Index j = 0; j < t.cols(); ++j) {
      const double raw = static_cast<double>(z.coeff(first_row + r, j));
      if (!std::isfinite(raw)) throw_invalid(function, ": logits(", first_row + r, ", ", j, ") is not finite (", raw, ")");
      const double value = static_cast<double>(t.coeff(r, j));
      if (!std::isfinite(value))
        throw_invalid(function, ": logits(", first_row + r, ", ", j, ") = ", raw,
                      " overflows once scaled by the loss (", value, ")");
    }
}

// Exact max and sum of exp for one row with a target offset: used for value() and when a block's
// shared shift (the max without the offset) lay so far above the true max that the sum underflowed.
template <class T, class S>
void exact_row_shift_and_sum(const T& t, Eigen::Index r, Eigen::Index label, S offset, S& shift, S& sum) {
  shift = -std::numeric_limits<S>::infinity();
  for (Eigen::Index j = 0; j < t.cols(); ++j) {
    const S v = t.coeff(r, j) - (j == label ? offset : S(0));
    shift = std::max(shift, v);
  }
  sum = 0;
  for (Eigen::Index j = 0; j < t.cols(); ++j) sum += std::exp(t.coeff(r, j) - (j == label ? offset : S(0)) - shift);
}

/// Runs the kernel: returns the reduced loss (for Reduction::None, the sum of the per-sample losses),
/// writes dL/dz into *grad (already N x K) when grad is not null and l_i into *per_sample (already N)
/// when per_sample is not null. Shapes, labels and options are validated by the caller; finiteness
/// is checked here, on the fly.
template <bool HasScale, bool HasBias, class S, class Z, class Y, class G, class P>
double softmax_family_kernel(const char* function, const SoftmaxFamilyView<S>& view, const Z& z, const Y& labels,
                             G* grad, P* per_sample) {
  using Index = Eigen::Index;
  const Index n = z.rows();
  const Index k = z.cols();
  const auto& w = view.weights;
  const auto& d = view.target_offset;

  double norm = 1.0;
  if (view.reduction == Reduction::Mean) {
    if (view.focal || view.normalizer == Normalizer::BatchSize || w == nullptr) {
      norm = 1.0 / static_cast<double>(n);
    } else {
      double weight_sum = 0;
      for (Index i = 0; i < n; ++i) weight_sum += static_cast<double>((*w)(static_cast<Index>(labels.coeff(i))));
      norm = 1.0 / weight_sum;  // weights are validated > 0, so weight_sum > 0
    }
  }
  const S gamma = static_cast<S>(view.gamma);
  // Below this the block's shared shift exceeded the true row max by so much that exp() lost range.
  const S tiny_sum = std::sqrt(std::numeric_limits<S>::min());

  double total = 0;
  Eigen::Array<S, kSoftmaxBlock, 1> shift, sums, scale_rows;
  for (Index i0 = 0; i0 < n; i0 += kSoftmaxBlock) {
    const Index b = std::min<Index>(kSoftmaxBlock, n - i0);
    const auto zb = z.middleRows(i0, b).array();
    const auto t = transformed_block<HasScale, HasBias>(zb, view.scale, view.bias);
    if (!t.rowwise().sum().allFinite()) throw_if_non_finite(function, z, t, i0);
    shift.head(b) = t.rowwise().maxCoeff();

    if (grad != nullptr) {
      auto gb = grad->middleRows(i0, b).array();
      gb = (t.colwise() - shift.head(b)).exp();
      if (d != nullptr) {
        for (Index r = 0; r < b; ++r) {
          const Index y = static_cast<Index>(labels.coeff(i0 + r));
          gb(r, y) = std::exp(t.coeff(r, y) - (*d)(y)-shift(r));
        }
      }
      sums.head(b) = gb.rowwise().sum();
      if (d != nullptr) {
        for (Index r = 0; r < b; ++r) {
          if (sums(r) >= tiny_sum) continue;
          const Index y = static_cast<Index>(labels.coeff(i0 + r));
          exact_row_shift_and_sum(t, r, y, (*d)(y), shift(r), sums(r));
          for (Index j = 0; j < k; ++j) gb(r, j) = std::exp(t.coeff(r, j) - (j == y ? (*d)(y) : S(0)) - shift(r));
        }
      }
    } else if (d == nullptr) {
      sums.head(b) = (t.colwise() - shift.head(b)).exp().rowwise().sum();
    } else {
      for (Index r = 0; r < b; ++r) {
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        exact_row_shift_and_sum(t, r, y, (*d)(y), shift(r), sums(r));
      }
    }

    for (Index r = 0; r < b; ++r) {
      const Index y = static_cast<Index>(labels.coeff(i0 + r));
      const S target = t.coeff(r, y) - (d != nullptr ? (*d)(y) : S(0));
      const S cross_entropy = std::max(S(0), shift(r) + std::log(sums(r)) - target);
      const S weight = w != nullptr ? (*w)(y) : S(1);
      const S q = weight * cross_entropy;
      S loss = q;
      S rho = weight;
      if (view.focal) {
        const S u = -std::expm1(-q);                      // 1 - p_y^w
        const S ratio = u > S(0) ? q / u : S(1);          // q/u -> 1 as u -> 0
        const S modulator = gamma == S(0) ? S(1) : std::pow(u, gamma);
        loss = modulator * q;
        rho = weight * modulator * (S(1) + gamma * (S(1) - u) * ratio);
      }
      total += static_cast<double>(loss);
      if (per_sample != nullptr) per_sample->coeffRef(i0 + r) = loss;
      scale_rows(r) = static_cast<S>(norm) * rho;
    }

    if (grad != nullptr) {
      auto gb = grad->middleRows(i0, b).array();
      // rho_i c_j (p_ij - Y_ij), with p = exp(z' - shift) / sum.
      if constexpr (HasScale)
        gb = (gb.colwise() * (scale_rows.head(b) / sums.head(b))).rowwise() * (*view.scale);
      else
        gb = gb.colwise() * (scale_rows.head(b) / sums.head(b));
      for (Index r = 0; r < b; ++r) {
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        gb(r, y) -= scale_rows(r) * (HasScale ? (*view.scale)(y) : S(1));
      }
    }
  }
  return total * norm;
}

/// Dispatches on which transforms are present, so the common cases skip the multiplications.
template <class S, class Z, class Y, class G, class P>
double run_softmax_family(const char* function, const SoftmaxFamilyView<S>& view, const Z& z, const Y& labels,
                          G* grad, P* per_sample) {
  const bool has_scale = view.scale != nullptr;
  const bool has_bias = view.bias != nullptr;
  if (has_scale && has_bias) return softmax_family_kernel<true, true>(function, view, z, labels, grad, per_sample);
  if (has_scale) return softmax_family_kernel<true, false>(function, view, z, labels, grad, per_sample);
  if (has_bias) return softmax_family_kernel<false, true>(function, view, z, labels, grad, per_sample);
  return softmax_family_kernel<false, false>(function, view, z, labels, grad, per_sample);
}

}  // namespace imbalance::detail
