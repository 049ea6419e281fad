#pragma once
/// @file
/// Exception types thrown on bad input, and the message builder they share.
///
/// Every message has the form "<function>: <argument> <what is wrong> (<offending value>)", e.g.
/// "FocalLoss::value(): labels[3] = 7 is out of range [0, 5)".

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

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

namespace detail {

/// Streams every argument into one string; core headers do not depend on fmt.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  out.precision(17);
  (out << ... << parts);
  return out.str();
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
