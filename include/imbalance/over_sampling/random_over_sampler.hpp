#pragma once
/// @file
/// Random over-sampling, optionally as a smoothed bootstrap.
///
/// As imbalanced-learn 0.10 (over_sampling/_random_over_sampler.py): for every class c to
/// over-sample (sampling_strategy, default 'auto'), n_c rows of c drawn uniformly with replacement.
/// With `shrinkage` (Menardi & Torelli, "Training and assessing classification rules with
/// imbalanced data", DMKD 2014), each drawn row is perturbed by Gaussian noise:
///   x_new = x + z * shrinkage * h * std_c,   z ~ N(0, I),   h = (4 / ((d + 2) N))^(1 / (d + 4))
/// with N the number of rows of X and std_c the per-feature standard deviation (ddof 0) of class c
/// (computed stably for any finite data: detail/column_moments.hpp).
/// Draw order per class: all row indices, then the noise row by row. Default: no shrinkage.

#include <cmath>
#include <cstdint>
#include <optional>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/detail/column_moments.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of RandomOverSampler (see imbalance/over_sampling/random_over_sampler.hpp for the formula, the paper and the defaults).
struct RandomOverSamplerOptions : ResamplerOptions {
  /// Smoothed bootstrap when set (>= 0).
  std::optional<double> shrinkage;
};

/// Random over-sampling, optionally as a smoothed bootstrap. See imbalance/over_sampling/random_over_sampler.hpp for the formula, the paper and the defaults.
class RandomOverSampler : public detail::SeededResampler<RandomOverSampler> {
 public:
  using detail::SeededResampler<RandomOverSampler>::fit_resample;

  /// Built from the options.
  explicit RandomOverSampler(RandomOverSamplerOptions options = {}) : options_(std::move(options)) {
    if (options_.shrinkage && !(std::isfinite(*options_.shrinkage) && *options_.shrinkage >= 0))
      detail::throw_invalid("RandomOverSampler::RandomOverSampler(): shrinkage must be finite and >= 0 (got ",
                            *options_.shrinkage, ")");
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    using S = typename DX::Scalar;
    const char* function = "RandomOverSampler::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), false);
    for (Eigen::Index i = 0; i < X.rows(); ++i) out.sample_indices.push_back(i);
    const double d = static_cast<double>(X.cols());
    const double h = std::pow(4.0 / ((d + 2.0) * static_cast<double>(X.rows())), 1.0 / (d + 4.0));
    Eigen::Index row = X.rows();
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const auto& members = rows.at(label);
      std::vector<Eigen::Index> picks(static_cast<std::size_t>(n));
      for (auto& p : picks) p = members[uniform_index(rng, members.size())];
      Eigen::RowVectorXd noise_scale;
      if (options_.shrinkage)
        noise_scale = detail::column_moments(X, &members).standard_deviation * (*options_.shrinkage * h);
      for (Eigen::Index p : picks) {
        out.X.row(row) = X.derived().row(p);
        if (options_.shrinkage)
          for (Eigen::Index j = 0; j < X.cols(); ++j) {
            out.X(row, j) += static_cast<S>(standard_normal(rng) * noise_scale(j));
            if (!std::isfinite(static_cast<double>(out.X(row, j))))
              detail::throw_invalid(function, ": shrinkage ", *options_.shrinkage, " perturbs feature ", j,
                                    " of a sample of class ", detail::class_name(label), " (", X.derived().coeff(p, j),
                                    ") beyond the range of the scalar type");
          }
        out.y(row) = label;
        ++row;
      }
      if (options_.shrinkage) {
        out.synthetic_base.insert(out.synthetic_base.end(), picks.begin(), picks.end());
      } else {
        out.sample_indices.insert(out.sample_indices.end(), picks.begin(), picks.end());
      }
      out.change_per_class[label] = n;
    }
    if (options_.shrinkage) out.sample_indices.clear();  // perturbed rows are not copies
    return out;
  }


 private:
  RandomOverSamplerOptions options_;
};

}  // namespace imbalance
