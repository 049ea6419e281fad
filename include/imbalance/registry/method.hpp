#pragma once
/// @file
/// The method registry's building blocks: a method's options (name, help, default taken from the
/// method's options struct, range), the values a caller gives for them, and a Registry that maps
/// names to methods. The registries of the library (losses.hpp, resamplers.hpp, training.hpp) fill
/// one each; the command-line tools build their choices, options and help texts from them, and the
/// tests run every registered method. Adding a method is its header, one row in its registry and
/// its tests. A program may add its own rows at run time (Registry::add).
///
/// Names are parsed here and only here: the algorithms themselves take option structs.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "imbalance/core/error.hpp"

namespace imbalance {

namespace detail {
// The shortest text that reads back as the same double (help texts, settings, reproducing commands).
inline std::string format_number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}
}  // namespace detail

/// Where a model search draws a number from (registry/search_space.hpp): one of `values` when it
/// lists any, else uniformly on [low, high], log-uniformly when `log` (then low > 0).
struct SearchRange {
  /// Smallest value.
  double low = 0;
  /// Largest value.
  double high = 0;
  /// Log-uniform instead of uniform.
  bool log = false;
  /// The values to choose among (replaces the interval when not empty).
  std::vector<double> values;

  /// A uniform or log-uniform interval.
  static SearchRange interval(double low, double high, bool log = false) { return {low, high, log, {}}; }
  /// A list of values.
  static SearchRange among(std::vector<double> values) { return {0, 0, false, std::move(values)}; }
  /// The smallest value it can draw.
  double smallest() const { return values.empty() ? low : *std::min_element(values.begin(), values.end()); }
  /// The largest value it can draw.
  double largest() const { return values.empty() ? high : *std::max_element(values.begin(), values.end()); }
  /// @throws imbalance::invalid_argument, naming `where`, for a non-finite bound or value, low > high, or
  /// a log interval that is not positive.
  void check(const std::string& where) const {
    for (double v : values)
      if (!std::isfinite(v)) detail::throw_invalid(where, ": every value must be finite (got ", v, ")");
    if (!values.empty()) return;
    if (!std::isfinite(low) || !std::isfinite(high) || low > high)
      detail::throw_invalid(where, ": needs finite low <= high (got [", low, ", ", high, "])");
    if (log && !(low > 0)) detail::throw_invalid(where, ": a log range needs low > 0 (got ", low, ")");
  }
};

/// One option of a registered method.
struct OptionSpec {
  /// Real-valued or whole-number option.
  enum class Kind { Real, Integer };
  /// Name on the command line, without the leading dashes (e.g. "gamma").
  std::string name;
  /// One line of help for --help.
  std::string help;
  /// Real or whole number.
  Kind kind = Kind::Real;
  /// The default: the value the method's options struct holds. Unset when the method derives the
  /// value when it is not given (then `derived_default` says how, e.g. "80 % of the epochs").
  std::optional<double> default_value;
  /// Text for a default that depends on other options (shown in --help instead of the number).
  std::string derived_default;
  /// Smallest accepted value.
  double min = -std::numeric_limits<double>::infinity();
  /// Largest accepted value.
  double max = std::numeric_limits<double>::infinity();
  /// Where a model search draws it from (empty: the search keeps the default).
  std::optional<SearchRange> search;

  /// A real-valued option with its default and range.
  static OptionSpec real(std::string name, std::string help, double default_value, double min,
                         double max = std::numeric_limits<double>::infinity()) {
    OptionSpec spec;
    spec.name = std::move(name);
    spec.help = std::move(help);
    spec.default_value = default_value;
    spec.min = min;
    spec.max = max;
    return spec;
  }
  /// A whole-number option with its default and range.
  static OptionSpec integer(std::string name, std::string help, double default_value, double min,
                            double max = 9007199254740992.0) {
    OptionSpec spec = real(std::move(name), std::move(help), default_value, min, max);
    spec.kind = Kind::Integer;
    return spec;
  }
  /// An option without a fixed default (the method derives it, or does without it when unset).
  OptionSpec& derived(std::string how) {
    default_value.reset();
    derived_default = std::move(how);
    return *this;
  }
  /// Makes the option searchable over `range` (registry/search_space.hpp).
  OptionSpec& searched(SearchRange range) {
    search = std::move(range);
    return *this;
  }
  /// The default as help text shows it (the shortest form that reads back the same).
  std::string default_text() const { return default_value ? detail::format_number(*default_value) : derived_default; }
};

/// The option values given for one method, by name. A method assigns only what was given and keeps
/// its options struct's defaults for the rest.
class OptionValues {
 public:
  /// Sets an option's value.
  void set(const std::string& name, double value) { values_[name] = value; }
  /// Whether the option was given.
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// Every given option and its value.
  const std::map<std::string, double>& all() const noexcept { return values_; }

  /// Assigns the option's value to `target` (a double, an integer or an optional of either) when
  /// it was given.
  template <class T>
  void assign(const std::string& name, T& target) const {
    const auto found = values_.find(name);
    if (found == values_.end()) return;
    if constexpr (std::is_floating_point<T>::value)
      target = static_cast<T>(found->second);
    else if constexpr (std::is_integral<T>::value)
      target = static_cast<T>(found->second);  // checked integral and in range by Registry::check
    else
      target = static_cast<typename T::value_type>(found->second);
  }

 private:
  std::map<std::string, double> values_;
};

/// A named method: its help, its options and the factory that builds it from option values.
template <class Factory>
struct Method {
  /// The name it is chosen by.
  std::string name;
  /// One line of help.
  std::string help;
  /// The options it takes.
  std::vector<OptionSpec> options;
  /// Builds it from option values (and a context).
  Factory make;
  /// Whether the model it trains already removes the training prior from its logits (la, bs,
  /// lade): a second correction for the prior (post-hoc la or tau-norm, stage-2 tau-norm) is refused
  /// (check_method_combination, registry/search_space.hpp).
  bool removes_prior = false;
  /// The linear learning-rate warm-up its paper trains with, as a fraction of the epochs (0: none;
  /// cb, ldam, ldam-drw: 5 of 200). Callers apply it when the user gives no warm-up of their own.
  double warmup_fraction = 0;

  /// The option called option_name, or nullptr.
  const OptionSpec* option(const std::string& option_name) const {
    for (const auto& spec : options)
      if (spec.name == option_name) return &spec;
    return nullptr;
  }
};

/// Name -> method, in registration order.
template <class Factory>
class Registry {
 public:
  /// `kind` names the registry in messages ("loss", "resampler", ...).
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  /// Adds a method. @throws imbalance::invalid_argument for an empty or taken name, or no factory.
  void add(Method<Factory> method) {
    const std::string function = "Registry<" + kind_ + ">::add()";
    if (method.name.empty()) detail::throw_invalid(function, ": a ", kind_, " needs a name");
    if (contains(method.name)) detail::throw_invalid(function, ": ", kind_, " '", method.name, "' is already registered");
    if (!method.make) detail::throw_invalid(function, ": ", kind_, " '", method.name, "' has no factory");
    methods_.push_back(std::move(method));
  }

  /// Whether a method of that name is registered.
  bool contains(const std::string& name) const {
    for (const auto& m : methods_)
      if (m.name == name) return true;
    return false;
  }

  /// @throws imbalance::invalid_argument naming the known methods when `name` is not one.
  const Method<Factory>& at(const std::string& name) const {
    for (const auto& m : methods_)
      if (m.name == name) return m;
    detail::throw_invalid(kind_, " must be one of ", joined_names(), " (got '", name, "')");
  }

  /// The registered names, in registration order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& m : methods_) out.push_back(m.name);
    return out;
  }
  /// The registered methods.
  const std::vector<Method<Factory>>& methods() const noexcept { return methods_; }
  /// What the registry holds (for messages: "loss", "resampler", ...).
  const std::string& kind() const noexcept { return kind_; }

  /// Checks values for method `name`: each names one of its options, lies in its range, and is
  /// whole for an integer option. @throws imbalance::invalid_argument naming the option.
  void check(const std::string& name, const OptionValues& values) const {
    const Method<Factory>& method = at(name);
    for (const auto& [option, value] : values.all()) {
      const OptionSpec* spec = method.option(option);
      if (!spec) {
        std::string users;
        for (const auto& m : methods_)
          if (m.option(option)) users += (users.empty() ? "" : ", ") + m.name;
        detail::throw_invalid(kind_, " '", name, "' takes no option '", option, "'",
                              users.empty() ? std::string() : " (" + users + " do)");
      }
      if (!(value >= spec->min && value <= spec->max) || !std::isfinite(value))
        detail::throw_invalid(kind_, " '", name, "': option '", option, "' must lie in [", spec->min, ", ", spec->max,
                              "] (got ", value, ")");
      if (spec->kind == OptionSpec::Kind::Integer && value != std::floor(value))
        detail::throw_invalid(kind_, " '", name, "': option '", option, "' must be a whole number (got ", value, ")");
    }
  }

  /// The names joined with ", " (for messages).
  std::string joined_names() const {
    std::string out;
    for (const auto& m : methods_) out += (out.empty() ? "" : ", ") + m.name;
    return out;
  }

 private:
  std::string kind_;
  std::vector<Method<Factory>> methods_;
};

}  // namespace imbalance
