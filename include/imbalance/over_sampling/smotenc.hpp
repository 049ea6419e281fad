#pragma once
/// @file
/// SMOTE-NC: SMOTE for mixed continuous and categorical features.
///
/// Chawla, Bowyer, Hall, Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16,
/// 2002, section 6.1; as imbalanced-learn 0.10 (over_sampling/_smote/base.py, SMOTENC). The columns
/// `categorical_features` hold category codes (categorical.hpp); the others are continuous.
///  - Penalty: Med = the median, over the continuous columns, of the minority class's standard
///    deviation (population, ddof = 0; the minority is the smallest class, ties: first seen in y,
///    whatever class is being over-sampled). Distances are Euclidean on the continuous columns plus
///    a one-hot encoding of each categorical column scaled by Med / 2, so two samples whose
///    categories differ in m columns are sqrt(sum_cont (a - b)^2 + m Med^2 / 2) apart (imbalanced-
///    learn's encoding; the paper adds Med^2 per differing column).
///  - For each class c to over-sample (sampling_strategy, default 'auto'), as SMOTE (smote.hpp): the
///    k nearest same-class neighbours of each sample under that distance (exact, neighbors.hpp), n_c
///    (sample, neighbour) pairs drawn uniformly, then n_c steps u ~ U[0, 1); the continuous part is
///    x + u (x_nn - x), and each categorical column takes the value most frequent among the k
///    neighbours of the sample (the sample itself not counted), ties drawn uniformly (imbalanced-
///    learn permutes the tied columns at random).
/// Draw order: all pairs, all steps, then the tie draws sample by sample. Differences from
/// imbalanced-learn: the library's generator. Defaults: k_neighbors = 5, 'auto'.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/random.hpp"
#include "imbalance/neighbors/categorical.hpp"
#include "imbalance/neighbors/neighbors.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/sampling/detail/toolkit.hpp"
#include "imbalance/sampling/seeded.hpp"

namespace imbalance {

/// Options of SMOTENC (see imbalance/over_sampling/smotenc.hpp for the formula, the paper and the defaults).
struct SMOTENCOptions : ResamplerOptions {
  /// Column indices of the categorical features (at least one, not all columns).
  std::vector<Eigen::Index> categorical_features;
  /// Number of nearest neighbours of a sample to interpolate towards (imbalanced-learn's k_neighbors).
  Eigen::Index k_neighbors = 5;
  /// Nearest-neighbour search: exact (k-d tree or brute force, the same neighbours) by default, or approximate (HNSW).
  NeighborSearch neighbors;
};

/// SMOTE-NC. See imbalance/over_sampling/smotenc.hpp for the formula, the paper and the defaults.
class SMOTENC : public detail::SeededResampler<SMOTENC> {
 public:
  using detail::SeededResampler<SMOTENC>::fit_resample;
  /// The options type (for generic code and the method registry).
  using Options = SMOTENCOptions;

  /// Built from the options (which name the categorical columns).
  explicit SMOTENC(SMOTENCOptions options) : options_(std::move(options)) {
    const char* function = "SMOTENC::SMOTENC()";
    if (options_.k_neighbors < 1) detail::throw_invalid(function, ": k_neighbors must be >= 1 (got ", options_.k_neighbors, ")");
    if (options_.categorical_features.empty())
      detail::throw_invalid(function, ": categorical_features is empty; use SMOTE for continuous features only");
    std::sort(options_.categorical_features.begin(), options_.categorical_features.end());
    for (std::size_t i = 0; i < options_.categorical_features.size(); ++i) {
      if (options_.categorical_features[i] < 0)
        detail::throw_invalid(function, ": categorical_features holds ", options_.categorical_features[i], ", not a column index");
      if (i > 0 && options_.categorical_features[i] == options_.categorical_features[i - 1])
        detail::throw_invalid(function, ": categorical_features names column ", options_.categorical_features[i], " twice");
    }
  }

  /// The categorical penalty Med of (X, y): the median of the minority class's standard deviations
  /// over the continuous columns.
  template <class DX, class DY>
  double median_std(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) const {
    const char* function = "SMOTENC::median_std()";
    const auto rows = detail::class_rows(function, X, y);
    return penalty(X, rows, continuous_columns(function, X.cols()));
  }

  /// Resamples the features X (N x d) and labels y (N) as configured: the output rows, their labels and where they came from.
  template <class DX, class DY, class Engine>
  Resampled<detail::ResampledMatrix<DX>> fit_resample(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y,
                                                      Engine& rng) const {
    const char* function = "SMOTENC::fit_resample()";
    const auto rows = detail::class_rows(function, X, y);
    const std::vector<Eigen::Index> continuous = continuous_columns(function, X.cols());
    const auto& categorical = options_.categorical_features;
    std::vector<int> categories;  // per categorical column: largest code + 1
    for (Eigen::Index c : categorical) categories.push_back(detail::check_category_codes(function, X, c) + 1);
    const ClassMap plan = options_.sampling_strategy.resolve(detail::counts_of(rows), SamplerKind::OverSampling);
    for (const auto& [label, n] : plan)
      if (n > 0) detail::check_class_size(function, label, rows.at(label).size(), options_.k_neighbors, "k_neighbors");
    const double med = penalty(X, rows, continuous);
    // One-hot offsets: the categories present in all of X, in code order.
    std::vector<std::vector<Eigen::Index>> one_hot(categorical.size());
    Eigen::Index encoded_columns = static_cast<Eigen::Index>(continuous.size());
    for (std::size_t f = 0; f < categorical.size(); ++f) {
      std::vector<bool> present(static_cast<std::size_t>(categories[f]), false);
      for (Eigen::Index i = 0; i < X.rows(); ++i)
        present[static_cast<std::size_t>(X.derived().coeff(i, categorical[f]))] = true;
      one_hot[f].assign(present.size(), -1);
      for (std::size_t v = 0; v < present.size(); ++v)
        if (present[v]) one_hot[f][v] = encoded_columns++;
    }
    auto out = detail::originals_with_room(function, X, y, detail::planned_rows(function, plan), true);
    Eigen::Index row = X.rows();
    const auto k = options_.k_neighbors;
    std::vector<Eigen::Index> votes;
    std::vector<std::size_t> tied;
    for (const auto& [label, n] : plan) {
      if (n <= 0) continue;
      const auto& members = rows.at(label);
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> encoded =
          Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(members.size()), encoded_columns);
      for (std::size_t r = 0; r < members.size(); ++r) {
        const auto i = static_cast<Eigen::Index>(r);
        for (std::size_t j = 0; j < continuous.size(); ++j)
          encoded(i, static_cast<Eigen::Index>(j)) = static_cast<double>(X.derived().coeff(members[r], continuous[j]));
        for (std::size_t f = 0; f < categorical.size(); ++f)
          encoded(i, one_hot[f][static_cast<std::size_t>(X.derived().coeff(members[r], categorical[f]))]) = med / 2;
      }
      const NeighborIndices neighbors = NearestNeighbors(encoded, options_.neighbors).self_neighbors(k);
      std::vector<Eigen::Index> bases(members.size());
      for (std::size_t r = 0; r < bases.size(); ++r) bases[r] = static_cast<Eigen::Index>(r);
      const Eigen::Index first = row;
      detail::interpolate(out, row, X, label, members, bases, neighbors, n, rng);
      // Categorical columns: the most frequent value among the base's k neighbours.
      for (Eigen::Index s = first; s < row; ++s) {
        const auto slot = static_cast<std::size_t>(s - X.rows());
        const Eigen::Index base = out.synthetic_base[slot];
        const auto position = static_cast<Eigen::Index>(
            std::lower_bound(members.begin(), members.end(), base) - members.begin());
        for (std::size_t f = 0; f < categorical.size(); ++f) {
          votes.assign(static_cast<std::size_t>(categories[f]), 0);
          for (Eigen::Index j = 0; j < k; ++j)
            ++votes[static_cast<std::size_t>(
                X.derived().coeff(members[static_cast<std::size_t>(neighbors(position, j))], categorical[f]))];
          const Eigen::Index most = *std::max_element(votes.begin(), votes.end());
          tied.clear();
          for (std::size_t v = 0; v < votes.size(); ++v)
            if (votes[v] == most) tied.push_back(v);
          const std::size_t pick = tied.size() == 1 ? tied[0] : tied[uniform_index(rng, tied.size())];
          out.X(s, categorical[f]) = static_cast<typename DX::Scalar>(pick);
        }
      }
      out.change_per_class[label] = n;
    }
    return out;
  }

 private:
  std::vector<Eigen::Index> continuous_columns(const char* function, Eigen::Index columns) const {
    for (Eigen::Index c : options_.categorical_features)
      if (c >= columns)
        detail::throw_invalid(function, ": categorical_features holds column ", c, ", but X has ", columns, " columns");
    std::vector<Eigen::Index> continuous;
    for (Eigen::Index c = 0; c < columns; ++c)
      if (!std::binary_search(options_.categorical_features.begin(), options_.categorical_features.end(), c))
        continuous.push_back(c);
    if (continuous.empty())
      detail::throw_invalid(function, ": every column is categorical; SMOTENC needs continuous features (use SMOTEN)");
    return continuous;
  }

  template <class DX>
  static double penalty(const Eigen::DenseBase<DX>& X, const std::map<int, std::vector<Eigen::Index>>& rows,
                        const std::vector<Eigen::Index>& continuous) {
    const auto& minority = rows.at(detail::first_minority(rows));
    const auto m = static_cast<double>(minority.size());
    std::vector<double> deviations;
    for (Eigen::Index c : continuous) {  // NumPy's var: mean first, then the mean squared deviation
      double mean = 0, sum = 0;
      for (Eigen::Index i : minority) mean += static_cast<double>(X.derived().coeff(i, c));
      mean /= m;
      for (Eigen::Index i : minority) {
        const double diff = static_cast<double>(X.derived().coeff(i, c)) - mean;
        sum += diff * diff;
      }
      deviations.push_back(std::sqrt(sum / m));
    }
    std::sort(deviations.begin(), deviations.end());
    const std::size_t half = deviations.size() / 2;
    return deviations.size() % 2 ? deviations[half] : (deviations[half - 1] + deviations[half]) / 2;
  }

  SMOTENCOptions options_;
};

}  // namespace imbalance
