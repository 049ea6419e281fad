// A registry-driven command-line choice: `--loss NAME` with every registered name, and one option
// per distinct option of the registry's methods (`--gamma`, or `--posthoc-tau` with a prefix), its
// help listing which methods take it and their defaults. The values go to the chosen method, which
// refuses an option it does not take; defaults stay those of the method's options struct.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>
#include <set>
#include <string>

#include <imbalance/registry/method.hpp>

#include "options.hpp"

namespace cli {

template <class Factory>
class MethodChoice {
 public:
  /// `none`, when not empty, is one more choice that means "no method" (e.g. --resample none).
  MethodChoice(const imbalance::Registry<Factory>& registry, std::string default_method, std::string option_prefix = "",
               std::string none = "")
      : registry_(registry), name_(std::move(default_method)), prefix_(std::move(option_prefix)), none_(std::move(none)) {}

  /// False when the `none` choice was made.
  bool chosen() const { return none_.empty() || name_ != none_; }

  /// Adds `flag` (e.g. "--loss") and the methods' options to app.
  void add_to(CLI::App& app, const std::string& flag, const std::string& what) {
    std::string help = what + ":";
    std::vector<std::string> names = registry_.names();
    if (!none_.empty()) {
      help += "\n  " + none_ + ": none";
      names.insert(names.begin(), none_);
    }
    for (const auto& method : registry_.methods()) help += "\n  " + method.name + ": " + method.help;
    flag_ = app.add_option(flag, name_, help)->check(CLI::IsMember(names))->capture_default_str();
    std::set<std::string> seen;
    for (const auto& method : registry_.methods())
      for (const auto& spec : method.options) {
        if (!seen.insert(spec.name).second) continue;
        // "smote, adasyn: <help> (default 5); vs: ..." -- methods with the same help and default together.
        std::vector<std::pair<std::string, std::string>> groups;  // (help and default, method names)
        for (const auto& user : registry_.methods())
          if (const imbalance::OptionSpec* s = user.option(spec.name)) {
            const std::string text = s->help + " (default " + s->default_text() + ")";
            auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == text; });
            if (group == groups.end())
              groups.emplace_back(text, user.name);
            else
              group->second += ", " + user.name;
          }
        std::string option_help;
        for (const auto& [text, users] : groups) option_help += (option_help.empty() ? "" : "; ") + users + ": " + text;
        const std::string option = "--" + prefix_ + spec.name;
        const auto alias = aliases_.find(spec.name);
        app.add_option_function<std::string>(
            alias == aliases_.end() ? option : alias->second + "," + option,
            [this, option, name = spec.name](const std::string& text) {
              given_[name] = parse_real(option, text, -std::numeric_limits<double>::infinity(),
                                        std::numeric_limits<double>::infinity());
            },
            option_help)
            ->type_name("NUMBER");
      }
  }

  /// A short form for an option, e.g. alias("k-neighbors", "-k"); before add_to.
  void alias(const std::string& option, const std::string& short_name) { aliases_[option] = short_name; }

  const std::string& name() const noexcept { return name_; }
  /// Whether the method was named on the command line (not left at its default).
  bool given() const { return flag_ != nullptr && flag_->count() > 0; }
  /// Whether any of the methods' options was given.
  bool options_given() const { return !given_.empty(); }
  void set_name(std::string name) { name_ = std::move(name); }

  /// The values given for the chosen method, checked against its options (range, whole numbers,
  /// and that it takes them at all). @throws imbalance::invalid_argument naming the option.
  imbalance::OptionValues values() const {
    imbalance::OptionValues values;
    for (const auto& [option, value] : given_) values.set(option, value);
    if (!chosen()) {
      if (!given_.empty())
        throw imbalance::invalid_argument("--" + prefix_ + given_.begin()->first + " was given, but no " +
                                          registry_.kind() + " was chosen");
      return values;
    }
    registry_.check(name_, values);
    return values;
  }

 private:
  const imbalance::Registry<Factory>& registry_;
  std::string name_, prefix_, none_;
  CLI::Option* flag_ = nullptr;
  std::map<std::string, double> given_;
  std::map<std::string, std::string> aliases_;
};

/// `--list-methods KIND`: prints the registered names of KIND, one per line, and exits.
class MethodLists {
 public:
  template <class Factory>
  void add(const std::string& kind, const imbalance::Registry<Factory>& registry) {
    lists_[kind] = registry.names();
  }
  void add_to(CLI::App& app) {
    std::vector<std::string> kinds;
    for (const auto& entry : lists_) kinds.push_back(entry.first);
    app.add_option("--list-methods", kind_, "print the names of one kind of method, one per line, and exit")
        ->check(CLI::IsMember(kinds));
  }
  /// True (after printing) when --list-methods was given.
  bool print_if_asked(std::ostream& out) const {
    if (kind_.empty()) return false;
    for (const auto& name : lists_.at(kind_)) out << name << "\n";
    return true;
  }

 private:
  std::map<std::string, std::vector<std::string>> lists_;
  std::string kind_;
};

}  // namespace cli
