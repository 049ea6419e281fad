// Strict command-line numbers for the tools. CLI11 2.1 (Debian 12) clamps an integer that
// overflows (99999999999999999999 becomes 2^63 - 1), wraps "-1" into 2^64 - 1 for an unsigned
// option and reads "1e400" as infinity; these helpers read the whole text with std::from_chars and
// refuse anything outside the option's range, naming the option and the text.
#pragma once

#include <CLI/CLI.hpp>

#include <imbalance/data/csv.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <system_error>

namespace cli {

// "-k,--k-neighbors" -> "--k-neighbors": the name messages use.
inline std::string display_name(const std::string& names) { return names.substr(names.rfind(',') + 1); }

template <class Integer>
Integer parse_integer(const std::string& option, const std::string& text, Integer min, Integer max) {
  Integer value{};
  const char* first = text.data();
  const char* last = first + text.size();
  const auto result = std::from_chars(first, last, value);
  if (text.empty() || result.ec != std::errc() || result.ptr != last || value < min || value > max)
    throw CLI::ValidationError(option, "'" + text + "' is not a whole number in [" + std::to_string(min) + ", " +
                                           std::to_string(max) + "]");
  return value;
}

// The same strict, locale-free number reader as the CSV files (imbalance/data/csv.hpp).
inline double parse_real(const std::string& option, const std::string& text, double min, double max) {
  double value = 0;
  if (!imbalance::detail::parse_number(text, value) || value < min || value > max) {
    auto bound = [](double b) {
      return std::isinf(b) ? std::string(b < 0 ? "-inf" : "inf") : CLI::detail::to_string(b);
    };
    throw CLI::ValidationError(option, "'" + text + "' is not a finite number in [" + bound(min) + ", " + bound(max) + "]");
  }
  return value;
}

/// An integer option read strictly into `target` (its current value is the default shown).
template <class Integer>
CLI::Option* add_integer(CLI::App& app, const std::string& name, Integer& target, const std::string& help,
                         Integer min, Integer max = std::numeric_limits<Integer>::max()) {
  return app
      .add_option_function<std::string>(
          name, [&target, name = display_name(name), min, max](const std::string& text) { target = parse_integer(name, text, min, max); },
          help)
      ->default_str(std::to_string(target));
}

/// The same for an integer that has no default (unset unless given).
template <class Integer>
CLI::Option* add_optional_integer(CLI::App& app, const std::string& name, std::optional<Integer>& target,
                                  const std::string& help, Integer min, Integer max = std::numeric_limits<Integer>::max()) {
  return app.add_option_function<std::string>(
      name, [&target, name = display_name(name), min, max](const std::string& text) { target = parse_integer(name, text, min, max); }, help);
}

/// A finite real option read strictly into `target`.
inline CLI::Option* add_real(CLI::App& app, const std::string& name, double& target, const std::string& help,
                             double min, double max = std::numeric_limits<double>::infinity()) {
  return app
      .add_option_function<std::string>(
          name, [&target, name = display_name(name), min, max](const std::string& text) { target = parse_real(name, text, min, max); },
          help)
      ->default_str(CLI::detail::to_string(target));
}

/// The same for a real that has no default (unset unless given).
inline CLI::Option* add_optional_real(CLI::App& app, const std::string& name, std::optional<double>& target,
                                      const std::string& help, double min,
                                      double max = std::numeric_limits<double>::infinity()) {
  return app.add_option_function<std::string>(
      name, [&target, name = display_name(name), min, max](const std::string& text) { target = parse_real(name, text, min, max); }, help);
}

/// A seed: any whole number in [0, 2^64 - 1].
inline CLI::Option* add_seed(CLI::App& app, const std::string& name, std::uint64_t& target, const std::string& help) {
  return add_integer<std::uint64_t>(app, name, target, help, 0);
}

}  // namespace cli
