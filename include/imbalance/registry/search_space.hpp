#pragma once
/// @file
/// The method space of a model search, declared by the registries: which resamplers, losses, batch
/// samplers, heads, hidden widths, stage-2 recipes and post-hoc corrections it combines, each
/// method's searchable options with their ranges (OptionSpec::search in the registries, overridable
/// here), and the trainer's learning rate, weight decay and epochs. search_space_candidates() turns
/// a space into the SearchCandidates of search_pipelines (pipeline/search.hpp):
///
///  - grid (count = 0): every combination of the lists, method options at their defaults (or at
///    the value a range of one value pins), every listed value of the trainer's numbers;
///  - random (count = n): n distinct combinations drawn with a seeded generator — each list
///    uniformly, each searchable option from its range (uniform, log-uniform or a list of values),
///    the trainer's numbers likewise (Bergstra & Bengio 2012).
///
/// Combinations that cannot mean anything are left out of both (check_method_combination): a
/// stage 2 with a post-hoc correction; the ETF head with a loss other than ce; tau-normalisation
/// without the linear head; and a correction of the stage-1 classifier for the training prior
/// (post-hoc la or tau-norm, stage-2 tau-norm) after a loss whose logits already remove it
/// (Method::removes_prior: la, bs, lade): the prior would be removed twice.
///
/// Complexity of a candidate (the one-standard-error rule's tie-break): the number of stages that
/// differ from plain training (a resampler, a loss other than ce, a sampler other than instance, a
/// head other than linear, a hidden layer, a stage 2, a post-hoc correction).
///
/// Defaults (default_search_space): resamplers none, random-over, smote; losses ce, cb, focal, ldam-drw,
/// la, bs, vs, lade; samplers instance, class, sqrt; the linear head; no hidden layer or 128 units;
/// no stage 2; post-hoc none or la; the base's learning rate, weight decay and epochs; method
/// options drawn from their ranges.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "imbalance/core/error.hpp"
#include "imbalance/core/random.hpp"
#include "imbalance/pipeline/search.hpp"
#include "imbalance/pipeline/training_pipeline.hpp"
#include "imbalance/registry/losses.hpp"
#include "imbalance/registry/method.hpp"
#include "imbalance/registry/resamplers.hpp"
#include "imbalance/registry/training.hpp"

namespace imbalance {

/// Where a model search looks; see the file comment. Names are registry names; "none" is no
/// resampler, no stage 2, no post-hoc correction.
struct SearchSpace {
  /// Resamplers of the training rows ("none": none).
  std::vector<std::string> resamplers = {"none", "random-over", "smote"};
  /// Losses.
  std::vector<std::string> losses = {"ce", "cb", "focal", "ldam-drw", "la", "bs", "vs", "lade"};
  /// Batch samplers.
  std::vector<std::string> samplers = {"instance", "class", "sqrt"};
  /// Classifier heads.
  std::vector<std::string> heads = {"linear"};
  /// Hidden ReLU widths (0: no hidden layer).
  std::vector<long> hidden = {0, 128};
  /// Stage-2 recipes ("none": the stage-1 classifier).
  std::vector<std::string> stage2 = {"none"};
  /// Post-hoc corrections ("none": the model's own prediction).
  std::vector<std::string> posthoc = {"none", "la"};
  /// Draw each chosen method's searchable options (random draws); false keeps their defaults.
  bool method_options = true;
  /// Ranges that replace a registry's, keyed "kind.method.option" with kind one of resample, loss,
  /// sampler, stage2, posthoc (e.g. "loss.focal.gamma"); a range of one value pins the option.
  std::map<std::string, SearchRange> ranges;
  /// The learning rate (empty: the base's).
  std::optional<SearchRange> learning_rate;
  /// The weight decay (empty: the base's).
  std::optional<SearchRange> weight_decay;
  /// Epochs (empty: the base's). Successive halving uses the epochs as its resource.
  std::vector<long> epochs;
  /// The learning-rate schedule (registry name and options), rebuilt for each candidate's epochs.
  std::string schedule = "cosine";
  /// Options of the schedule.
  OptionValues schedule_values;
  /// Give a loss the warm-up its paper trains with (Method::warmup_fraction) when the base has no
  /// warm-up of its own.
  bool paper_warmup = true;
};

/// The library's default space (see the file comment).
inline SearchSpace default_search_space() { return SearchSpace{}; }

/// One point of a SearchSpace: the methods, their option values and the trainer's numbers.
struct SearchPoint {
  /// Resampler ("none": none).
  std::string resampler = "none";
  /// Its option values.
  OptionValues resampler_values;
  /// Loss.
  std::string loss = "ce";
  /// Its option values.
  OptionValues loss_values;
  /// Batch sampler.
  std::string sampler = "instance";
  /// Its option values.
  OptionValues sampler_values;
  /// Head.
  std::string head = "linear";
  /// Hidden width (0: none).
  long hidden = 0;
  /// Stage 2 ("none": none).
  std::string stage2 = "none";
  /// Its option values.
  OptionValues stage2_values;
  /// Post-hoc correction ("none": none).
  std::string posthoc = "none";
  /// Its option values.
  OptionValues posthoc_values;
  /// Learning rate (empty: the base's).
  std::optional<double> learning_rate;
  /// Weight decay (empty: the base's).
  std::optional<double> weight_decay;
  /// Epochs (empty: the base's).
  std::optional<long> epochs;
};

/// Checks that the methods of a point can go together (see the file comment).
/// @throws imbalance::invalid_argument naming the methods that cannot.
inline void check_method_combination(const std::string& loss, const std::string& head, const std::string& stage2,
                                     const std::string& posthoc) {
  const char* function = "check_method_combination()";
  if (stage2 != "none" && posthoc != "none")
    detail::throw_invalid(function, ": stage 2 '", stage2, "' replaces the classifier that post-hoc '", posthoc,
                          "' would correct");
  if (head == "etf" && loss != "ce")
    detail::throw_invalid(function, ": the etf head trains with its dot-regression loss, not loss '", loss, "'");
  if ((posthoc == "tau-norm" || stage2 == "tau-norm") && head != "linear")
    detail::throw_invalid(function, ": tau-norm needs the linear head: it re-scales its class vectors (head '", head, "')");
  const bool corrects_head = posthoc == "la" || posthoc == "tau-norm" || stage2 == "tau-norm";
  if (corrects_head && loss_registry().contains(loss) && loss_registry().at(loss).removes_prior)
    detail::throw_invalid(function, ": loss '", loss, "' already removes the training prior from its logits; ",
                          stage2 == "tau-norm" ? "stage 2 'tau-norm'" : "post-hoc '" + posthoc + "'",
                          " would remove it a second time (combine it with a loss that does not, e.g. ce, or without the "
                          "correction)");
}

namespace detail {

// The range a search draws `kind.method.option` from: the space's, else the registry's; none when
// the option is not searchable.
inline std::optional<SearchRange> option_range(const SearchSpace& space, const std::string& kind, const std::string& method,
                                               const OptionSpec& spec) {
  const auto found = space.ranges.find(kind + "." + method + "." + spec.name);
  if (found != space.ranges.end()) return found->second;
  return spec.search;
}

inline double draw_in(const SearchRange& range, Rng& rng) {
  if (!range.values.empty())
    return range.values[static_cast<std::size_t>(uniform_index(rng, static_cast<std::uint64_t>(range.values.size())))];
  const double u = uniform01(rng);
  if (range.log) return std::exp(std::log(range.low) + u * (std::log(range.high) - std::log(range.low)));
  return range.low + u * (range.high - range.low);
}

// Every range key names a method option of its registry (a typo would silently search nothing).
template <class Factory>
void check_range_keys(const SearchSpace& space, const std::string& kind, const Registry<Factory>& registry) {
  for (const auto& [key, range] : space.ranges) {
    if (key.compare(0, kind.size() + 1, kind + ".") != 0) continue;
    const std::string rest = key.substr(kind.size() + 1);
    const std::size_t dot = rest.rfind('.');
    const std::string method = dot == std::string::npos ? rest : rest.substr(0, dot);
    if (dot == std::string::npos || !registry.contains(method) || !registry.at(method).option(rest.substr(dot + 1)))
      throw_invalid("SearchSpace::ranges: '", key, "' names no option of a ", registry.kind(), " (kind.method.option)");
    range.check("SearchSpace::ranges['" + key + "']");
  }
}

template <class Factory>
void check_names(const std::vector<std::string>& names, const char* what, const Registry<Factory>& registry,
                 bool allow_none) {
  if (names.empty()) throw_invalid("SearchSpace::", what, " is empty");
  for (const std::string& name : names)
    if (!(allow_none && name == "none")) (void)registry.at(name);
}

// Draws the searchable options of `method` (or keeps the defaults).
template <class Factory>
OptionValues draw_options(const SearchSpace& space, const std::string& kind, const Registry<Factory>& registry,
                          const std::string& method, Rng& rng) {
  OptionValues values;
  if (!space.method_options || method == "none") return values;
  for (const OptionSpec& spec : registry.at(method).options) {
    const std::optional<SearchRange> range = option_range(space, kind, method, spec);
    if (!range) continue;
    double v = draw_in(*range, rng);
    if (spec.kind == OptionSpec::Kind::Integer) v = std::round(v);
    values.set(spec.name, std::min(spec.max, std::max(spec.min, v)));
  }
  return values;
}

// The options of `method` the space pins (a range of one value), for the grid: the others keep
// their defaults there.
template <class Factory>
OptionValues pinned_options(const SearchSpace& space, const std::string& kind, const Registry<Factory>& registry,
                            const std::string& method) {
  OptionValues values;
  if (method == "none") return values;
  for (const OptionSpec& spec : registry.at(method).options) {
    const auto found = space.ranges.find(kind + "." + method + "." + spec.name);
    if (found == space.ranges.end()) continue;
    const SearchRange& range = found->second;
    if (range.smallest() != range.largest()) continue;
    double v = range.smallest();
    if (spec.kind == OptionSpec::Kind::Integer) v = std::round(v);
    values.set(spec.name, std::min(spec.max, std::max(spec.min, v)));
  }
  return values;
}

inline std::string option_text(const OptionValues& values) {
  std::string out;
  for (const auto& [name, value] : values.all()) out += (out.empty() ? "(" : ", ") + name + "=" + detail::format_number(value);
  return out.empty() ? out : out + ")";
}

// The grid's values of a trainer number: the listed values, else low, the (log-)midpoint and high.
inline std::vector<std::optional<double>> grid_values(const std::optional<SearchRange>& range) {
  if (!range) return {std::nullopt};
  std::vector<std::optional<double>> out;
  if (!range->values.empty()) {
    for (double v : range->values) out.emplace_back(v);
    return out;
  }
  const double mid = range->log ? std::sqrt(range->low * range->high) : 0.5 * (range->low + range->high);
  for (double v : {range->low, mid, range->high})
    if (out.empty() || *out.back() != v) out.emplace_back(v);
  return out;
}

}  // namespace detail

/// Checks a space: every name registered, no list empty, ranges valid and naming real options,
/// widths and epochs positive. @throws imbalance::invalid_argument naming the field and the value.
inline void check_search_space(const SearchSpace& space) {
  detail::check_names(space.resamplers, "resamplers", resampler_registry(), true);
  detail::check_names(space.losses, "losses", loss_registry(), false);
  detail::check_names(space.samplers, "samplers", batch_sampler_registry(), false);
  detail::check_names(space.heads, "heads", head_registry(), false);
  detail::check_names(space.stage2, "stage2", stage2_registry(), true);
  detail::check_names(space.posthoc, "posthoc", posthoc_registry(), true);
  (void)schedule_registry().at(space.schedule);
  schedule_registry().check(space.schedule, space.schedule_values);
  if (space.hidden.empty()) detail::throw_invalid("SearchSpace::hidden is empty (0: no hidden layer)");
  for (long h : space.hidden)
    if (h < 0) detail::throw_invalid("SearchSpace::hidden: a width must be >= 0 (got ", h, ")");
  for (long e : space.epochs)
    if (e < 1) detail::throw_invalid("SearchSpace::epochs: epochs must be >= 1 (got ", e, ")");
  for (const auto& [key, range] : space.ranges) {
    const std::string kind = key.substr(0, key.find('.'));
    if (kind != "resample" && kind != "loss" && kind != "sampler" && kind != "stage2" && kind != "posthoc")
      detail::throw_invalid("SearchSpace::ranges: '", key,
                            "' must start with resample., loss., sampler., stage2. or posthoc. (kind.method.option)");
  }
  detail::check_range_keys(space, "resample", resampler_registry());
  detail::check_range_keys(space, "loss", loss_registry());
  detail::check_range_keys(space, "sampler", batch_sampler_registry());
  detail::check_range_keys(space, "stage2", stage2_registry());
  detail::check_range_keys(space, "posthoc", posthoc_registry());
  if (space.learning_rate) {
    space.learning_rate->check("SearchSpace::learning_rate");
    if (!(space.learning_rate->smallest() > 0))
      detail::throw_invalid("SearchSpace::learning_rate must be > 0 (got ", space.learning_rate->smallest(), ")");
  }
  if (space.weight_decay) {
    space.weight_decay->check("SearchSpace::weight_decay");
    if (space.weight_decay->smallest() < 0)
      detail::throw_invalid("SearchSpace::weight_decay must be >= 0 (got ", space.weight_decay->smallest(), ")");
  }
}

/// A point's name, settings and complexity (as SearchCandidate holds them).
inline SearchCandidate describe_point(const SearchPoint& p) {
  SearchCandidate c;
  auto add = [&c](const std::string& key, const std::string& method, const OptionValues& values) {
    c.settings.emplace_back(key, method);
    for (const auto& [name, value] : values.all()) c.settings.emplace_back(key + "." + name, detail::format_number(value));
  };
  add("resample", p.resampler, p.resampler_values);
  add("loss", p.loss, p.loss_values);
  add("sampler", p.sampler, p.sampler_values);
  c.settings.emplace_back("head", p.head);
  c.settings.emplace_back("hidden", std::to_string(p.hidden));
  add("stage2", p.stage2, p.stage2_values);
  add("posthoc", p.posthoc, p.posthoc_values);
  if (p.learning_rate) c.settings.emplace_back("lr", detail::format_number(*p.learning_rate));
  if (p.weight_decay) c.settings.emplace_back("weight_decay", detail::format_number(*p.weight_decay));
  if (p.epochs) c.settings.emplace_back("epochs", std::to_string(*p.epochs));
  std::string name = p.loss + detail::option_text(p.loss_values);
  if (p.resampler != "none") name = p.resampler + detail::option_text(p.resampler_values) + " + " + name;
  if (p.sampler != "instance") name += " + " + p.sampler + detail::option_text(p.sampler_values) + " sampling";
  if (p.head != "linear") name += " + " + p.head + " head";
  if (p.hidden > 0) name += " + hidden " + std::to_string(p.hidden);
  if (p.stage2 != "none") name += " + stage2 " + p.stage2 + detail::option_text(p.stage2_values);
  if (p.posthoc != "none") name += " + posthoc " + p.posthoc + detail::option_text(p.posthoc_values);
  if (p.learning_rate) name += " lr " + detail::format_number(*p.learning_rate);
  if (p.weight_decay) name += " wd " + detail::format_number(*p.weight_decay);
  if (p.epochs) name += " " + std::to_string(*p.epochs) + " epochs";
  c.name = std::move(name);
  c.complexity = (p.resampler != "none") + (p.loss != "ce") + (p.sampler != "instance") + (p.head != "linear") +
                 (p.hidden > 0) + (p.stage2 != "none") + (p.posthoc != "none");
  return c;
}

/// The pipeline of a point: `base` (standardisation, validation fraction, cleaning and resampling
/// steps, precision, weak supervision, temperature; the trainer's batch size, momentum, warm-up,
/// seed) with the point's methods and numbers for `epochs` epochs: its resampler after the base's
/// steps, the loss built for those epochs (LDAM's scale for the head: LossContext::cosine_head),
/// the space's schedule rebuilt for them, the loss's paper warm-up when the base has none
/// (SearchSpace::paper_warmup), the point's post-hoc correction as the decision.
/// @throws imbalance::invalid_argument for methods that cannot go together or bad option values.
inline PipelineOptions point_pipeline(const SearchPoint& p, const PipelineOptions& base, const SearchSpace& space,
                                      long epochs) {
  check_method_combination(p.loss, p.head, p.stage2, p.posthoc);
  PipelineOptions o = base;
  if (p.resampler != "none") o.resampling.push_back(resampler_step(p.resampler, p.resampler_values));
  loss_registry().check(p.loss, p.loss_values);
  o.loss = [loss = p.loss, values = p.loss_values, epochs, cosine = p.head == "cosine"](const Eigen::VectorXd& counts) {
    LossContext context;
    context.class_counts = counts;
    context.epochs = epochs;
    context.cosine_head = cosine;
    return make_loss(loss, values, context);
  };
  o.trainer.epochs = epochs;
  schedule_registry().check(space.schedule, space.schedule_values);
  schedule_registry().at(space.schedule).make(space.schedule_values, epochs, o.trainer.learning_rate);
  if (space.paper_warmup && o.trainer.learning_rate.warmup_epochs == 0)
    o.trainer.learning_rate.warmup_epochs = paper_warmup_epochs(loss_registry().at(p.loss).warmup_fraction, epochs);
  if (p.learning_rate) o.trainer.learning_rate.base = *p.learning_rate;
  if (p.weight_decay) o.trainer.weight_decay = *p.weight_decay;
  batch_sampler_registry().check(p.sampler, p.sampler_values);
  o.trainer.sampler = batch_sampler_registry().at(p.sampler).make(p.sampler_values, epochs);
  head_registry().check(p.head, {});
  o.trainer.head = head_registry().at(p.head).make({});
  o.trainer.hidden_units = p.hidden;
  o.stage2.reset();
  if (p.stage2 != "none") o.stage2 = stage2_recipe(p.stage2, p.stage2_values);
  o.decision = posthoc_correction(p.posthoc, p.posthoc_values);
  return o;
}

/// The point as a search candidate on `base`: described, its pipeline, and the same pipeline at
/// fewer epochs for successive halving (the loss's and the schedule's epochs follow).
inline SearchCandidate point_candidate(const SearchPoint& p, const PipelineOptions& base, const SearchSpace& space) {
  SearchCandidate c = describe_point(p);
  const long epochs = p.epochs ? *p.epochs : base.trainer.epochs;
  c.options = point_pipeline(p, base, space, epochs);
  c.at_epochs = [p, base, space](long e) { return point_pipeline(p, base, space, e); };
  return c;
}

/// The points of a space (see the file comment): the grid when count is 0, else `count` distinct
/// random points (fewer when the space holds fewer), drawn from `seed`. Invalid combinations
/// (check_method_combination) are left out.
/// @throws imbalance::invalid_argument for a bad space (check_search_space) or one whose every
/// combination is invalid.
inline std::vector<SearchPoint> search_space_points(const SearchSpace& space, long count, std::uint64_t seed) {
  const char* function = "search_space_points()";
  check_search_space(space);
  if (count < 0) detail::throw_invalid(function, ": count must be >= 0 (got ", count, ")");
  auto valid = [](const SearchPoint& p) {
    try {
      check_method_combination(p.loss, p.head, p.stage2, p.posthoc);
      return true;
    } catch (const std::invalid_argument&) {
      return false;
    }
  };
  std::vector<SearchPoint> points;
  const std::vector<std::optional<double>> rates = detail::grid_values(space.learning_rate),
                                           decays = detail::grid_values(space.weight_decay);
  std::vector<std::optional<long>> epochs;
  for (long e : space.epochs) epochs.emplace_back(e);
  if (epochs.empty()) epochs.emplace_back(std::nullopt);
  if (count == 0) {
    for (const auto& resampler : space.resamplers)
      for (const auto& loss : space.losses)
        for (const auto& sampler : space.samplers)
          for (const auto& head : space.heads)
            for (long hidden : space.hidden)
              for (const auto& stage2 : space.stage2)
                for (const auto& posthoc : space.posthoc)
                  for (const auto& rate : rates)
                    for (const auto& decay : decays)
                      for (const auto& e : epochs) {
                        SearchPoint p;
                        p.resampler = resampler;
                        p.loss = loss;
                        p.sampler = sampler;
                        p.head = head;
                        p.hidden = hidden;
                        p.stage2 = stage2;
                        p.posthoc = posthoc;
                        p.learning_rate = rate;
                        p.weight_decay = decay;
                        p.epochs = e;
                        p.resampler_values = detail::pinned_options(space, "resample", resampler_registry(), resampler);
                        p.loss_values = detail::pinned_options(space, "loss", loss_registry(), loss);
                        p.sampler_values = detail::pinned_options(space, "sampler", batch_sampler_registry(), sampler);
                        p.stage2_values = detail::pinned_options(space, "stage2", stage2_registry(), stage2);
                        p.posthoc_values = detail::pinned_options(space, "posthoc", posthoc_registry(), posthoc);
                        if (valid(p)) points.push_back(std::move(p));
                      }
  } else {
    Rng rng(seed);
    auto pick = [&rng](const auto& list) -> const auto& {
      return list[static_cast<std::size_t>(uniform_index(rng, static_cast<std::uint64_t>(list.size())))];
    };
    std::set<std::string> seen;
    // Rejection of invalid and repeated draws, bounded: a small space yields fewer points.
    for (long attempt = 0; static_cast<long>(points.size()) < count && attempt < 50 * count + 1000; ++attempt) {
      SearchPoint p;
      p.resampler = pick(space.resamplers);
      p.loss = pick(space.losses);
      p.sampler = pick(space.samplers);
      p.head = pick(space.heads);
      p.hidden = pick(space.hidden);
      p.stage2 = pick(space.stage2);
      p.posthoc = pick(space.posthoc);
      p.resampler_values = detail::draw_options(space, "resample", resampler_registry(), p.resampler, rng);
      p.loss_values = detail::draw_options(space, "loss", loss_registry(), p.loss, rng);
      p.sampler_values = detail::draw_options(space, "sampler", batch_sampler_registry(), p.sampler, rng);
      p.stage2_values = detail::draw_options(space, "stage2", stage2_registry(), p.stage2, rng);
      p.posthoc_values = detail::draw_options(space, "posthoc", posthoc_registry(), p.posthoc, rng);
      if (space.learning_rate) p.learning_rate = detail::draw_in(*space.learning_rate, rng);
      if (space.weight_decay) p.weight_decay = detail::draw_in(*space.weight_decay, rng);
      p.epochs = pick(epochs);
      if (!valid(p) || !seen.insert(describe_point(p).name).second) continue;
      points.push_back(std::move(p));
    }
  }
  if (points.empty())
    detail::throw_invalid(function, ": every combination of the space is invalid (see check_method_combination)");
  return points;
}

/// The candidates of search_space_points on `base` (see point_candidate).
inline std::vector<SearchCandidate> search_space_candidates(const SearchSpace& space, const PipelineOptions& base,
                                                            long count, std::uint64_t seed) {
  std::vector<SearchCandidate> out;
  for (const SearchPoint& p : search_space_points(space, count, seed)) out.push_back(point_candidate(p, base, space));
  return out;
}

}  // namespace imbalance
