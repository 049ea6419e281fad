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
/// Per-sample weights s_i multiply l_i and rho_i (the normaliser is unchanged).
///
/// Maxima, exponentials and sums are Eigen array expressions over contiguous memory (a row of
/// row-major logits, a column segment of column-major ones), vectorised, written straight into the
/// caller's gradient; the only scratch is a few fixed-size arrays on the stack.

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/reduction.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance::detail {

template <class S>
struct SoftmaxFamilyView {
  using Row = Eigen::Array<S, 1, Eigen::Dynamic>;
  const Row* scale = nullptr;          // c; null means all ones
  const Row* bias = nullptr;           // b; null means zero
  const Row* target_offset = nullptr;  // d; null means zero
  const Row* weights = nullptr;        // w; null means all ones
  const S* sample_weights = nullptr;   // s_i (N, contiguous); null means all ones
  bool focal = false;
  double gamma = 0;
  Reduction reduction = Reduction::Mean;
  Normalizer normalizer = Normalizer::WeightSum;
};

// Rows per block of the column-major path: long column segments vectorise well.
constexpr Eigen::Index kColumnBlockRows = 256;

// Called when a row's sum of z' is not finite: names the offending logit. A sum can overflow with
// every term finite; then nothing is thrown and the kernel carries on.
template <class S, class Z>
void throw_if_non_finite(const char* function, const Z& z, Eigen::Index row, const SoftmaxFamilyView<S>& view) {
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const double raw = static_cast<double>(z.coeff(row, j));
    if (!std::isfinite(raw)) throw_invalid(function, ": logits(", row, ", ", j, ") is not finite (", raw, ")");
    const S c = view.scale != nullptr ? (*view.scale)(j) : S(1);
    const S b = view.bias != nullptr ? (*view.bias)(j) : S(0);
    const S value = c * static_cast<S>(raw) + b;
    if (!std::isfinite(value))
      throw_invalid(function, ": logits(", row, ", ", j, ") = ", raw, " overflows once scaled by the loss (", value, ")");
  }
}

// Per-row finish shared by both storage orders: from the shift and the sum of exp(z' - shift), the
// loss l_i and the gradient row factor rho_i (normaliser included).
template <class S>
struct RowResult {
  S loss;
  S rho;
};
template <class S>
RowResult<S> finish_row(bool focal, S shift, S sum, S target, S weight, S gamma, S norm) {
  const S cross_entropy = std::max(S(0), shift + std::log(sum) - target);
  const S q = weight * cross_entropy;
  if (!focal) return {q, norm * weight};
  const S u = -std::expm1(-q);              // 1 - p_y^w
  const S ratio = u > S(0) ? q / u : S(1);  // q/u -> 1 as u -> 0
  const S modulator = gamma == S(0) ? S(1) : std::pow(u, gamma);
  return {modulator * q, norm * weight * modulator * (S(1) + gamma * (S(1) - u) * ratio)};
}

// c * z + b for a row or a column segment (an array expression, never evaluated into a temporary).
template <bool HasScale, bool HasBias, class Expr, class Scale, class Bias>
auto affine(const Expr& x, const Scale& scale, const Bias& bias) {
  if constexpr (HasScale && HasBias)
    return x * scale + bias;
  else if constexpr (HasScale)
    return x * scale;
  else if constexpr (HasBias)
    return x + bias;
  else
    return x;
}

/// Runs the kernel: returns the reduced loss (for Reduction::None, the sum of the per-sample losses),
/// writes dL/dz into *grad (already N x K) when grad is not null and l_i into *per_sample (already N)
/// when per_sample is not null. Shapes, labels and options are validated by the caller; finiteness
/// is checked on the fly (a non-finite z' makes its row sum non-finite).
///
/// Row-major logits are processed row by row (each row contiguous); column-major logits in blocks
/// of kColumnBlockRows rows, column by column (each column segment contiguous).
template <bool HasScale, bool HasBias, class S, class Z, class Y, class G, class P>
double softmax_family_kernel(const char* function, const SoftmaxFamilyView<S>& view, const Z& z, const Y& labels,
                             G* grad, P* per_sample) {
  using Index = Eigen::Index;
  const Index n = z.rows();
  const Index k = z.cols();
  const auto* w = view.weights;
  const auto* d = view.target_offset;
  const auto* c = view.scale;
  const auto* bias = view.bias;

  S norm = 1;
  if (view.reduction == Reduction::Mean) {
    if (view.focal || view.normalizer == Normalizer::BatchSize || w == nullptr) {
      norm = static_cast<S>(1.0 / static_cast<double>(n));
    } else {
      double weight_sum = 0;
      for (Index i = 0; i < n; ++i) weight_sum += static_cast<double>((*w)(static_cast<Index>(labels.coeff(i))));
      norm = static_cast<S>(1.0 / weight_sum);  // weights are validated > 0
    }
  }
  const S gamma = static_cast<S>(view.gamma);
  // Below this, the shared shift (the max without LDAM's offset) exceeded the true row max by so
  // much that exp() lost its range: that row is redone with its exact max.
  const S tiny_sum = std::sqrt(std::numeric_limits<S>::min());
  auto transformed = [&](Index i, Index j) -> S {
    S v = z.coeff(i, j);
    if constexpr (HasScale) v *= (*c)(j);
    if constexpr (HasBias) v += (*bias)(j);
    return v;
  };
  auto with_offset = [&](Index i, Index j, Index y) -> S { return transformed(i, j) - (j == y ? (*d)(y) : S(0)); };
  auto exact_shift_and_sum = [&](Index i, Index y, S& shift, S& sum) {
    shift = -std::numeric_limits<S>::infinity();
    for (Index j = 0; j < k; ++j) shift = std::max(shift, with_offset(i, j, y));
    sum = 0;
    for (Index j = 0; j < k; ++j) sum += std::exp(with_offset(i, j, y) - shift);
  };
  auto weight_of = [&](Index y) -> S { return w != nullptr ? (*w)(y) : S(1); };
  auto scale_of = [&](Index j) -> S {
    if constexpr (HasScale) return (*c)(j);
    return S(1);
  };
  auto bias_of = [&](Index j) -> S {
    if constexpr (HasBias) return (*bias)(j);
    return S(0);
  };

  static const Eigen::Array<S, 1, Eigen::Dynamic> absent;  // stands in for a transform not used
  const auto& scale_row = HasScale ? *c : absent;
  const auto& bias_row = HasBias ? *bias : absent;
  // Rows are independent: chunks of rows run in parallel (detail/parallel.hpp) and their partial
  // losses are added in chunk order, so the result does not depend on the thread count.
  auto rows = [&](Index begin, Index end) -> double {
  double total = 0;
  if constexpr (Z::IsRowMajor) {
    for (Index i = begin; i < end; ++i) {
      const Index y = static_cast<Index>(labels.coeff(i));
      const auto t = affine<HasScale, HasBias>(z.row(i).array(), scale_row, bias_row);
      if (!std::isfinite(t.sum())) throw_if_non_finite(function, z, i, view);
      S shift = t.maxCoeff();
      const S target = d != nullptr ? with_offset(i, y, y) : transformed(i, y);
      S sum;
      if (grad != nullptr) {
        auto g = grad->row(i).array();
        g = (t - shift).exp();
        if (d != nullptr) {
          g(y) = std::exp(target - shift);
          sum = g.sum();
          if (sum < tiny_sum) {
            exact_shift_and_sum(i, y, shift, sum);
            g = (t - shift).exp();
            g(y) = std::exp(target - shift);
          }
        } else {
          sum = g.sum();
        }
      } else if (d == nullptr) {
        sum = (t - shift).exp().sum();
      } else {
        exact_shift_and_sum(i, y, shift, sum);
      }
      RowResult<S> r = finish_row(view.focal, shift, sum, target, weight_of(y), gamma, norm);
      if (view.sample_weights != nullptr) r = {r.loss * view.sample_weights[i], r.rho * view.sample_weights[i]};
      total += static_cast<double>(r.loss);
      if (per_sample != nullptr) per_sample->coeffRef(i) = r.loss;
      if (grad != nullptr) {
        auto g = grad->row(i).array();
        if constexpr (HasScale)
          g = g * (r.rho / sum) * scale_row;
        else
          g *= r.rho / sum;
        g(y) -= r.rho * scale_of(y);
      }
    }
  } else {
    Eigen::Array<S, kColumnBlockRows, 1> shift, sums, rho, row_total, target;
    for (Index i0 = begin; i0 < end; i0 += kColumnBlockRows) {
      const Index b = std::min<Index>(kColumnBlockRows, end - i0);
      // LDAM with a gradient: z' (target offset included) is first written into the gradient block
      // and the passes below run on it, vectorised and exact.
      const bool materialized = d != nullptr && grad != nullptr;
      if (materialized) {
        for (Index j = 0; j < k; ++j)
          grad->col(j).segment(i0, b).array() =
              affine<HasScale, HasBias>(z.col(j).segment(i0, b).array(), scale_of(j), bias_of(j));
        for (Index r = 0; r < b; ++r) {
          const Index y = static_cast<Index>(labels.coeff(i0 + r));
          grad->coeffRef(i0 + r, y) -= (*d)(y);
        }
      }
      // Pass 1: row max and row sum of z' (the sum catches a non-finite z').
      shift.head(b).setConstant(-std::numeric_limits<S>::infinity());
      row_total.head(b).setZero();
      for (Index j = 0; j < k; ++j) {
        if (materialized) {
          const auto column = grad->col(j).segment(i0, b).array();
          shift.head(b) = shift.head(b).max(column);
          row_total.head(b) += column;
        } else {
          const auto column = affine<HasScale, HasBias>(z.col(j).segment(i0, b).array(), scale_of(j), bias_of(j));
          shift.head(b) = shift.head(b).max(column);
          row_total.head(b) += column;
        }
      }
      for (Index r = 0; r < b; ++r) {
        if (!std::isfinite(row_total(r))) throw_if_non_finite(function, z, i0 + r, view);
        const Index y = static_cast<Index>(labels.coeff(i0 + r));
        target(r) = d != nullptr ? with_offset(i0 + r, y, y) : transformed(i0 + r, y);
      }
      // Pass 2: exponentials (into the gradient when there is one) and their row sums.
      sums.head(b).setZero();
      for (Index j = 0; j < k; ++j) {
        if (materialized) {
          auto g = grad->col(j).segment(i0, b).array();
          g = (g - shift.head(b)).exp();
          sums.head(b) += g;
        } else {
          const auto e =
              (affine<HasScale, HasBias>(z.col(j).segment(i0, b).array(), scale_of(j), bias_of(j)) - shift.head(b))
                  .exp();
          if (grad != nullptr) {
            auto g = grad->col(j).segment(i0, b).array();
            g = e;
            sums.head(b) += g;
          } else {
            sums.head(b) += e;
          }
        }
      }
      for (Index r = 0; r < b; ++r) {
        const Index i = i0 + r;
        const Index y = static_cast<Index>(labels.coeff(i));
        // Without a gradient buffer LDAM's offset is applied in scalar code, row by row (value() only).
        if (d != nullptr && !materialized) exact_shift_and_sum(i, y, shift(r), sums(r));
        RowResult<S> res = finish_row(view.focal, shift(r), sums(r), target(r), weight_of(y), gamma, norm);
        if (view.sample_weights != nullptr)
          res = {res.loss * view.sample_weights[i], res.rho * view.sample_weights[i]};
        total += static_cast<double>(res.loss);
        if (per_sample != nullptr) per_sample->coeffRef(i) = res.loss;
        rho(r) = res.rho;
      }
      // Pass 3: scale the exponentials into rho_i c_j (p_ij - Y_ij).
      if (grad != nullptr) {
        sums.head(b) = rho.head(b) / sums.head(b);
        for (Index j = 0; j < k; ++j) grad->col(j).segment(i0, b).array() *= sums.head(b) * scale_of(j);
        for (Index r = 0; r < b; ++r) {
          const Index y = static_cast<Index>(labels.coeff(i0 + r));
          grad->coeffRef(i0 + r, y) -= rho(r) * scale_of(y);
        }
      }
    }
  }
  return total;
  };
  // Per-row results do not depend on where chunks or column blocks start.
  return parallel_sum(n, rows_per_chunk(k, Index{1} << 16, kColumnBlockRows), rows) * static_cast<double>(norm);
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
