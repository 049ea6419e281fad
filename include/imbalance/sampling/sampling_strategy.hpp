#pragma once
/// @file
/// imbalanced-learn's `sampling_strategy`, resolved to per-class numbers exactly as
/// imblearn/utils/_validation.py (0.10) does: for over-samplers the number of samples to *add*, for
/// under-samplers the number to *keep*, for cleaning samplers the targeted classes (their value is
/// unused). Classes are the labels present in y, in ascending order; "majority" and "minority" are
/// the first (smallest) label with the largest / smallest count.
///
/// | strategy       | over-sampling: add                 | under-sampling: keep          |
/// |----------------|------------------------------------|-------------------------------|
/// | auto           | = not majority                     | = not minority                |
/// | minority       | {min: n_maj - n_min}               | error                         |
/// | majority       | error                              | {maj: n_min}                  |
/// | not minority   | {c != min: n_maj - n_c}            | {c != min: n_min}             |
/// | not majority   | {c != maj: n_maj - n_c}            | {c != maj: n_min}             |
/// | all            | {c: n_maj - n_c}                   | {c: n_min}                    |
/// | ratio a (binary only) | {c != maj: int(a n_maj - n_c)}, error if <= 0 | {c != min: int(n_min / a)}, error if > n_c |
/// | explicit {c: n}| {c: n - n_c}, error if n < n_c     | {c: n}, error if n > n_c      |
/// (imbalanced-learn 0.10.0 wrongly rejects 'minority' for over-samplers; 0.10.1 fixed it, and so
/// does this implementation.)

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <string>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// What the resampler does: over-sample, under-sample, or clean.
enum class SamplerKind { OverSampling, UnderSampling, Cleaning };

/// Class label -> count.
using ClassMap = std::map<int, Eigen::Index>;

/// imbalanced-learn's `sampling_strategy`, resolved to per-class numbers exactly as imblearn/utils/_validation.py (0.10) does. See imbalance/sampling/sampling_strategy.hpp for the formula, the paper and the defaults.
class SamplingStrategy {
  // A whole decimal integer, optional sign, nothing else (no blanks, no overflow).
  static bool parse_integer(const std::string& text, long long& value) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return false;
    char* end = nullptr;
    errno = 0;
    value = std::strtoll(text.c_str(), &end, 10);
    return end == text.c_str() + text.size() && errno != ERANGE;
  }

 public:
  /// imbalanced-learn's named strategies.
  enum class Named { Auto, Minority, Majority, NotMinority, NotMajority, All };

  SamplingStrategy() = default;
  /// Whether this is 'auto' (the default).
  bool is_auto() const noexcept { return kind_ == Kind::Named && named_ == Named::Auto; }
  /// A named strategy.
  SamplingStrategy(Named named) : kind_(Kind::Named), named_(named) {}  // NOLINT: implicit on purpose
  /// A float ratio (binary problems only): n_minority / n_majority after resampling.
  static SamplingStrategy ratio(double value) {
    SamplingStrategy s;
    s.kind_ = Kind::Ratio;
    s.ratio_ = value;
    return s;
  }
  /// Explicit per-class targets: the wanted count after over-sampling, or the count to keep.
  /// @throws imbalance::invalid_argument for a negative count.
  static SamplingStrategy targets(ClassMap targets) {
    for (const auto& [label, count] : targets)
      if (count < 0)
        detail::throw_invalid("SamplingStrategy::targets(): the count of class ", detail::class_name(label),
                              " must be >= 0 (got ", count, ")");
    SamplingStrategy s;
    s.kind_ = Kind::Targets;
    s.targets_ = std::move(targets);
    return s;
  }

  /// Parses "auto", "minority", "majority", "not minority", "not majority", "all", a number such as
  /// "0.5", or explicit targets "label:count,label:count" (e.g. "1:300,2:300").
  static SamplingStrategy parse(const std::string& text) {
    const char* function = "SamplingStrategy::parse()";
    if (text == "auto") return Named::Auto;
    if (text == "minority") return Named::Minority;
    if (text == "majority") return Named::Majority;
    if (text == "not minority" || text == "not-minority") return Named::NotMinority;
    if (text == "not majority" || text == "not-majority") return Named::NotMajority;
    if (text == "all") return Named::All;
    if (text.find(':') != std::string::npos) {
      ClassMap map;
      std::stringstream stream(text);
      std::string item;
      while (std::getline(stream, item, ',')) {
        const auto colon = item.find(':');
        long long label = 0, count = 0;
        if (colon == std::string::npos || !parse_integer(item.substr(0, colon), label) ||
            !parse_integer(item.substr(colon + 1), count))
          detail::throw_invalid(function, ": sampling_strategy entry \"", item, "\" is not label:count (two integers)");
        if (label < std::numeric_limits<int>::min() || label > std::numeric_limits<int>::max())
          detail::throw_invalid(function, ": sampling_strategy entry \"", item, "\": the label ", label,
                                " is outside the range of int");
        if (count < 0)
          detail::throw_invalid(function, ": sampling_strategy entry \"", item, "\": the count must be >= 0");
        if (!map.emplace(static_cast<int>(label), static_cast<Eigen::Index>(count)).second)
          detail::throw_invalid(function, ": sampling_strategy names class ", detail::class_name(label), " twice (\"",
                                text, "\")");
      }
      if (map.empty()) detail::throw_invalid(function, ": sampling_strategy \"", text, "\" names no class");
      return targets(map);
    }
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || errno == ERANGE || std::isspace(static_cast<unsigned char>(text[0])))
      detail::throw_invalid(function, ": sampling_strategy \"", text,
                            "\" is not auto, minority, majority, not minority, not majority, all, a ratio or "
                            "label:count pairs");
    return ratio(value);
  }

  /// Resolves against the class counts of y (label -> count, only present labels).
  ClassMap resolve(const ClassMap& counts, SamplerKind sampler) const {
    const char* function = "SamplingStrategy::resolve()";
    if (counts.size() < 2)
      detail::throw_invalid(function, ": y must contain at least 2 classes (got ", counts.size(), ")");
    int majority = counts.begin()->first, minority = counts.begin()->first;
    for (const auto& [label, n] : counts) {
      if (n > counts.at(majority)) majority = label;
      if (n < counts.at(minority)) minority = label;
    }
    const Eigen::Index n_max = counts.at(majority), n_min = counts.at(minority);
    ClassMap out;
    const bool over = sampler == SamplerKind::OverSampling;
    switch (kind_) {
      case Kind::Named: {
        Named named = named_;
        if (named == Named::Auto) named = over ? Named::NotMajority : Named::NotMinority;
        if (named == Named::Minority && sampler != SamplerKind::OverSampling)
          detail::throw_invalid(function, ": sampling_strategy 'minority' cannot be used with under-sampling or cleaning");
        if (named == Named::Majority && over)
          detail::throw_invalid(function, ": sampling_strategy 'majority' cannot be used with over-sampling");
        for (const auto& [label, n] : counts) {
          const bool take = named == Named::All || (named == Named::Minority && label == minority) ||
                            (named == Named::Majority && label == majority) ||
                            (named == Named::NotMinority && label != minority) ||
                            (named == Named::NotMajority && label != majority);
          if (take) out[label] = over ? n_max - n : n_min;
        }
        return out;
      }
      case Kind::Ratio: {
        if (sampler == SamplerKind::Cleaning)
          detail::throw_invalid(function, ": a float sampling_strategy cannot be used with cleaning samplers");
        if (counts.size() != 2)
          detail::throw_invalid(function, ": a float sampling_strategy (", ratio_, ") needs a binary problem, y has ",
                                counts.size(), " classes");
        if (!(ratio_ > 0 && ratio_ <= 1))
          detail::throw_invalid(function, ": sampling_strategy ratio must lie in (0, 1] (got ", ratio_, ")");
        for (const auto& [label, n] : counts) {
          if (over && label != majority) {
            const Eigen::Index add =
                to_count(function, "the number of samples to add", static_cast<double>(n_max) * ratio_ - static_cast<double>(n));
            if (add <= 0)
              detail::throw_invalid(function, ": sampling_strategy ratio ", ratio_,
                                    " would remove samples from the minority class ", detail::class_name(label), " (", n,
                                    " of ", n_max, ")");
            out[label] = add;
          } else if (!over && label != minority) {
            const double keep_exact = static_cast<double>(n_min) / ratio_;
            // int(n_min / ratio) > n, decided before the cast (1e-300 would overflow it).
            const Eigen::Index keep = keep_exact >= static_cast<double>(n) + 1
                                          ? n + 1
                                          : to_count(function, "the number of samples to keep", keep_exact);
            if (keep > n)
              detail::throw_invalid(function, ": sampling_strategy ratio ", ratio_, " would keep ", std::floor(keep_exact),
                                    " samples of class ", detail::class_name(label), ", which has only ", n);
            out[label] = keep;
          }
        }
        return out;
      }
      case Kind::Targets: {
        for (const auto& [label, target] : targets_) {
          const auto found = counts.find(label);
          if (found == counts.end())
            detail::throw_invalid(function, ": sampling_strategy names class ", detail::class_name(label), ", which is not in y");
          if (over && target < found->second)
            detail::throw_invalid(function, ": sampling_strategy asks for ", target, " samples of class ", detail::class_name(label),
                                  ", fewer than its ", found->second, " (over-sampling cannot remove samples)");
          if (sampler == SamplerKind::UnderSampling && target > found->second)
            detail::throw_invalid(function, ": sampling_strategy asks to keep ", target, " samples of class ", detail::class_name(label),
                                  ", which has only ", found->second);
          out[label] = over ? target - found->second : target;
        }
        return out;
      }
    }
    return out;
  }

 private:
  enum class Kind { Named, Ratio, Targets };
  Kind kind_ = Kind::Named;
  Named named_ = Named::Auto;
  double ratio_ = 0;
  ClassMap targets_;
};

/// What the options of every resampler share (imbalanced-learn's BaseSampler): which classes to
/// resample, to how many samples. Default: 'auto' (over-samplers: every class but the majority;
/// under-samplers: every class but the minority).
struct ResamplerOptions {
  /// Which classes to resample, to how many samples (imbalanced-learn's sampling_strategy).
  SamplingStrategy sampling_strategy = SamplingStrategy::Named::Auto;
};

/// Label -> count of an integer label vector (any labels, sorted).
template <class DY>
ClassMap count_classes(const Eigen::DenseBase<DY>& y) {
  static_assert(std::is_integral<typename DY::Scalar>::value, "imbalance: labels must be integers");
  ClassMap counts;
  for (Eigen::Index i = 0; i < y.size(); ++i) ++counts[static_cast<int>(y.derived().coeff(i))];
  return counts;
}

}  // namespace imbalance
