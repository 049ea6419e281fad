#pragma once
/// @file
/// Exception types thrown on bad input, and the message builder they share.
///
/// Every message has the form "<function>: <argument> <what is wrong> (<offending value>)", e.g.
/// "FocalLoss::value(): labels[3] = 7 is out of range [0, 5)".

#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "imbalance/detail/text.hpp"

namespace imbalance {

/// Thrown for shape mismatches, non-finite values, empty inputs and impossible options.
class invalid_argument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Thrown for a label outside [0, K). Derives from std::out_of_range (not from
/// std::invalid_argument: a type deriving from both would make `catch (const std::exception&)`
/// ambiguous and therefore never match).
class out_of_range : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

/// Names of the classes 0..K-1 for error messages, in force on this thread while the object
/// lives. A tool that encodes text labels as class indices puts the text in scope, and the
/// library's messages then name "class 'tiny'" where they would say "class 2". Scopes nest.
class ScopedClassNames {
 public:
  /// Names the classes (label i is names[i]) in the messages of errors thrown while this object lives.
  explicit ScopedClassNames(std::vector<std::string> names) : names_(std::move(names)), previous_(current()) {
    current() = &names_;
  }
  ~ScopedClassNames() { current() = previous_; }
  ScopedClassNames(const ScopedClassNames&) = delete;
  ScopedClassNames& operator=(const ScopedClassNames&) = delete;

  /// The names in force on this thread, or nullptr.
  static const std::vector<std::string>*& current() {
    static thread_local const std::vector<std::string>* names = nullptr;
    return names;
  }

 private:
  std::vector<std::string> names_;
  const std::vector<std::string>* previous_;
};

namespace detail {

/// A class label in a message: its name in quotes where ScopedClassNames gives one, else the number.
struct ClassName {
  long long label;
};
inline std::ostream& operator<<(std::ostream& out, ClassName c) {
  const std::vector<std::string>* names = ScopedClassNames::current();
  if (names && c.label >= 0 && c.label < static_cast<long long>(names->size()))
    return out << "'" << (*names)[static_cast<std::size_t>(c.label)] << "'";
  return out << c.label;
}
inline ClassName class_name(long long label) { return {label}; }

/// Streams every argument into one string (core headers do not depend on fmt). The text user data
/// may carry is shown safely (detail::printable, keeping newlines and tabs): NUL, which would cut
/// what() short, CR, which would overwrite the line, a terminal's escape codes and invalid UTF-8
/// appear as \xHH.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  out.precision(17);
  (out << ... << parts);
  return printable(out.str(), true);
}

template <class... Parts>
[[noreturn]] void throw_invalid(const Parts&... parts) {
  throw ::imbalance::invalid_argument(concat(parts...));
}

template <class... Parts>
[[noreturn]] void throw_out_of_range(const Parts&... parts) {
  throw ::imbalance::out_of_range(concat(parts...));
}

}  // namespace detail
}  // namespace imbalance
