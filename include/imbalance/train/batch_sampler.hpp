#pragma once
/// @file
/// Mini-batch samplers for training loops: the indices of one epoch.
///
/// Kang, Xie, Rohrbach, Yan, Gordo, Feng, Kalantidis, "Decoupling Representation and Classifier for
/// Long-Tailed Recognition", ICLR 2020: a sample of class j is drawn with probability
///   p_j = n_j^q / sum_i n_i^q
/// (q = 1 instance-balanced, q = 0 class-balanced, q = 1/2 square-root), and progressively-balanced
/// sampling interpolates over epochs, p(t) = (1 - t/T) p_IB + (t/T) p_CB. Here t = epoch / (T - 1),
/// as the official code (ClassPrioritySampler: lam = linspace(0, 1, epochs)), so the last epoch is
/// fully class-balanced.
///  - Instance: a random permutation of all N indices (plain shuffling).
///  - ClassBalanced / SquareRoot / Power(q) / Progressive: N draws per epoch (epoch_size to
///    override), each a class from p, then a sample of that class uniformly, with replacement.
/// The official class-balanced sampler cycles without replacement through classes and samples;
/// the frequencies are the same, the iid draw is simpler to reason about and to test.

#include <algorithm>
#include <cmath>
#include <map>
#include <cstdint>
#include <limits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/class_counts.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// Instance-balanced, class-balanced, square-root, power q, or progressively balanced sampling.
enum class BatchSampling { Instance, ClassBalanced, SquareRoot, Power, Progressive };

/// Options of BatchSampler (see imbalance/train/batch_sampler.hpp for the formula, the paper and the defaults).
struct BatchSamplerOptions {
  /// The sampling scheme.
  BatchSampling sampling = BatchSampling::Instance;
  /// Exponent for BatchSampling::Power.
  double q = 1.0;
  /// Number of epochs T for BatchSampling::Progressive.
  long total_epochs = 1;
  /// Indices per epoch; 0 means N.
  Eigen::Index epoch_size = 0;
};

/// p_j = n_j^q / sum_i n_i^q over classes with n_j > 0 (empty classes get 0). Computed from
/// q log n_j relative to its maximum, so any finite q works (n^q alone overflows for q = 1e6 and
/// underflows for q = -2000).
template <class DC>
Eigen::VectorXd class_sampling_probabilities(const Eigen::DenseBase<DC>& class_counts, double q) {
  const char* function = "class_sampling_probabilities()";
  check_finite_scalar(function, "q", q);
  const Eigen::VectorXd n = class_counts_to_double(function, class_counts, false);
  if (!(n.maxCoeff() > 0)) detail::throw_invalid(function, ": class_counts must not all be zero");
  double top = -std::numeric_limits<double>::infinity();
  for (Eigen::Index j = 0; j < n.size(); ++j)
    if (n(j) > 0) top = std::max(top, q * std::log(n(j)));
  Eigen::VectorXd p(n.size());
  for (Eigen::Index j = 0; j < n.size(); ++j) p(j) = n(j) > 0 ? std::exp(q * std::log(n(j)) - top) : 0.0;
  return p / p.sum();
}

/// Mini-batch samplers for training loops. See imbalance/train/batch_sampler.hpp for the formula, the paper and the defaults.
class BatchSampler {
 public:
  /// @param labels training labels in [0, K); K is taken as max label + 1.
  /// @param options the sampling scheme and the epoch size.
  template <class DY>
  explicit BatchSampler(const Eigen::DenseBase<DY>& labels, BatchSamplerOptions options = {}) : options_(options) {
    const char* function = "BatchSampler::BatchSampler()";
    check_non_empty(function, "labels", labels.size());
    Eigen::Index k = 0;
    for (Eigen::Index i = 0; i < labels.size(); ++i) {
      if (labels.derived().coeff(i) < 0)
        detail::throw_out_of_range(function, ": labels[", i, "] = ", labels.derived().coeff(i), " is negative");
      k = std::max<Eigen::Index>(k, static_cast<Eigen::Index>(labels.derived().coeff(i)) + 1);
    }
    // One list per class up to the largest label: a label such as 2^31 - 1 must fail with a message.
    allocation_guard(function, "the per-class index lists (largest label + 1)", k, 1, sizeof(std::vector<Eigen::Index>),
                     [&] { members_.resize(static_cast<std::size_t>(k)); });
    for (Eigen::Index i = 0; i < labels.size(); ++i)
      members_[static_cast<std::size_t>(labels.derived().coeff(i))].push_back(i);
    counts_.resize(k);
    for (Eigen::Index j = 0; j < k; ++j) counts_(j) = static_cast<double>(members_[static_cast<std::size_t>(j)].size());
    if (options_.sampling == BatchSampling::Progressive && options_.total_epochs < 1)
      detail::throw_invalid(function, ": total_epochs must be >= 1 (got ", options_.total_epochs, ")");
    if (options_.sampling == BatchSampling::Power) check_finite_scalar(function, "q", options_.q);
    if (options_.epoch_size < 0) detail::throw_invalid(function, ": epoch_size must be >= 0 (got ", options_.epoch_size, ")");
    check_allocatable(function, "epoch_size", options_.epoch_size, 1, sizeof(Eigen::Index));
  }

  /// N, the number of labels it was built on.
  Eigen::Index num_samples() const noexcept {
    Eigen::Index n = 0;
    for (const auto& m : members_) n += static_cast<Eigen::Index>(m.size());
    return n;
  }

  /// The class probabilities used in `epoch` (0-based).
  Eigen::VectorXd class_probabilities(long epoch) const {
    switch (options_.sampling) {
      case BatchSampling::Instance: return class_sampling_probabilities(counts_, 1.0);
      case BatchSampling::ClassBalanced: return class_sampling_probabilities(counts_, 0.0);
      case BatchSampling::SquareRoot: return class_sampling_probabilities(counts_, 0.5);
      case BatchSampling::Power: return class_sampling_probabilities(counts_, options_.q);
      case BatchSampling::Progressive: {
        if (epoch < 0) detail::throw_invalid("BatchSampler::class_probabilities(): epoch must be >= 0 (got ", epoch, ")");
        const double t = options_.total_epochs == 1
                             ? 1.0
                             : std::min(1.0, static_cast<double>(epoch) / static_cast<double>(options_.total_epochs - 1));
        return (1.0 - t) * class_sampling_probabilities(counts_, 1.0) + t * class_sampling_probabilities(counts_, 0.0);
      }
    }
    return {};
  }

  /// The indices of one epoch, drawn from rng.
  template <class Engine>
  std::vector<Eigen::Index> epoch_indices(long epoch, Engine& rng) const {
    const Eigen::Index n = num_samples();
    const Eigen::Index size = options_.epoch_size > 0 ? options_.epoch_size : n;
    std::vector<Eigen::Index> out;
    out.reserve(static_cast<std::size_t>(size));
    if (options_.sampling == BatchSampling::Instance && size == n) {
      for (const auto& m : members_) out.insert(out.end(), m.begin(), m.end());
      std::sort(out.begin(), out.end());
      shuffle(out.begin(), out.end(), rng);
      return out;
    }
    const Eigen::VectorXd p = class_probabilities(epoch);
    std::vector<double> cumulative(static_cast<std::size_t>(p.size()));
    double running = 0;
    for (Eigen::Index j = 0; j < p.size(); ++j) cumulative[static_cast<std::size_t>(j)] = running += p(j);
    for (Eigen::Index s = 0; s < size; ++s) {
      const double u = uniform01(rng) * running;
      auto j = static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      j = std::min(j, cumulative.size() - 1);
      while (members_[j].empty()) --j;  // only reachable through rounding at a zero-probability tail
      out.push_back(members_[j][uniform_index(rng, members_[j].size())]);
    }
    return out;
  }

 private:
  BatchSamplerOptions options_;
  std::vector<std::vector<Eigen::Index>> members_;
  Eigen::VectorXd counts_;
};

/// Repeat-factor sampling (Gupta, Dollár, Girshick, "LVIS", CVPR 2019, appendix B.2; detectron2's
/// RepeatFactorTrainingSampler), single-label form: r_c = max(1, sqrt(t / f_c)), f_c = n_c / N;
/// each epoch repeats sample i floor(r) + [u < frac(r)] times (stochastic rounding, u ~ U[0, 1)) and
/// shuffles. The epoch length varies; its expectation is sum_i r_{y_i}. LVIS uses t = 0.001.
class RepeatFactorSampler {
 public:
  /// Built from the labels and LVIS's threshold t.
  template <class DY>
  RepeatFactorSampler(const Eigen::DenseBase<DY>& labels, double threshold) {
    const char* function = "RepeatFactorSampler::RepeatFactorSampler()";
    check_non_empty(function, "labels", labels.size());
    check_positive(function, "threshold", threshold);
    std::map<long long, Eigen::Index> counts;
    for (Eigen::Index i = 0; i < labels.size(); ++i) ++counts[static_cast<long long>(labels.derived().coeff(i))];
    const double n = static_cast<double>(labels.size());
    factors_.resize(labels.size());
    double longest = 0;  // an upper bound on an epoch's length
    for (Eigen::Index i = 0; i < labels.size(); ++i) {
      const double frequency = static_cast<double>(counts[static_cast<long long>(labels.derived().coeff(i))]) / n;
      factors_(i) = std::max(1.0, std::sqrt(threshold / frequency));
      longest += std::ceil(factors_(i));
    }
    // Refused here, not at the first epoch: the repeat counts must be integers and the epoch fit in memory.
    if (!(longest < static_cast<double>(std::numeric_limits<std::ptrdiff_t>::max() / sizeof(Eigen::Index))))
      detail::throw_invalid(function, ": threshold ", threshold, " repeats samples up to ", factors_.maxCoeff(),
                            " times; an epoch of ", longest, " indices cannot be addressed");
    max_epoch_size_ = static_cast<Eigen::Index>(longest);
  }

  /// r_i for every sample.
  const Eigen::VectorXd& repeat_factors() const noexcept { return factors_; }

  /// One epoch's indices (the repeats, shuffled).
  template <class Engine>
  std::vector<Eigen::Index> epoch_indices(Engine& rng) const {
    std::vector<Eigen::Index> out;
    allocation_guard("RepeatFactorSampler::epoch_indices()", "an epoch", max_epoch_size_, 1, sizeof(Eigen::Index),
                     [&] { out.reserve(static_cast<std::size_t>(max_epoch_size_)); });
    for (Eigen::Index i = 0; i < factors_.size(); ++i) {
      const double whole = std::floor(factors_(i));
      const Eigen::Index repeats = static_cast<Eigen::Index>(whole) + (uniform01(rng) < factors_(i) - whole ? 1 : 0);
      for (Eigen::Index r = 0; r < repeats; ++r) out.push_back(i);
    }
    shuffle(out.begin(), out.end(), rng);
    return out;
  }

 private:
  Eigen::VectorXd factors_;
  Eigen::Index max_epoch_size_ = 0;
};

}  // namespace imbalance
