#pragma once
/// @file
/// Exception types thrown on bad input, and the message builder they share.
///
/// Every message has the form "<function>: <argument> <what is wrong> (<offending value>)", e.g.
/// "FocalLoss::value(): labels[3] = 7 is out of range [0, 5)".

#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
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
/// One piece of an error message, formatted as an std::ostream with precision 17 writes it. The
/// common types convert without a template, so that the hundreds of distinct messages of the
/// library share one formatter instead of instantiating a stream per message signature.
class MessagePart {
 public:
  MessagePart(const char* text) : data_(text ? text : "(null)"), size_(std::strlen(data_)) {}  // NOLINT: implicit
  MessagePart(const std::string& text) : data_(text.data()), size_(text.size()) {}  // NOLINT: NULs kept
  MessagePart(char c) : own_(1, c) {}                                 // NOLINT
  MessagePart(signed char c) : own_(1, static_cast<char>(c)) {}       // NOLINT
  MessagePart(unsigned char c) : own_(1, static_cast<char>(c)) {}     // NOLINT
  MessagePart(bool b) : own_(b ? "1" : "0") {}                        // NOLINT
  MessagePart(int v) : own_(std::to_string(v)) {}                     // NOLINT
  MessagePart(long v) : own_(std::to_string(v)) {}                    // NOLINT
  MessagePart(long long v) : own_(std::to_string(v)) {}               // NOLINT
  MessagePart(unsigned v) : own_(std::to_string(v)) {}                // NOLINT
  MessagePart(unsigned long v) : own_(std::to_string(v)) {}           // NOLINT
  MessagePart(unsigned long long v) : own_(std::to_string(v)) {}      // NOLINT
  MessagePart(double v) : own_(format(v)) {}                          // NOLINT
  MessagePart(float v) : own_(format(v)) {}                           // NOLINT
  MessagePart(ClassName c) : own_(format(c)) {}                       // NOLINT
  /// Any other type with an operator<<.
  template <class T, class = std::enable_if_t<!std::is_arithmetic<T>::value && !std::is_array<T>::value &&
                                               !std::is_pointer<T>::value>>
  MessagePart(const T& value) : own_(format(value)) {}  // NOLINT
  /// Appends the formatted text to out.
  void append_to(std::string& out) const {
    if (data_)
      out.append(data_, size_);
    else
      out += own_;
  }

 private:
  template <class T>
  static std::string format(const T& value) {
    std::ostringstream out;
    out.precision(17);
    out << value;
    return out.str();
  }
  std::string own_;
  const char* data_ = nullptr;  // a caller's text, not copied (it outlives the message's making)
  std::size_t size_ = 0;
};

/// The message of the parts, made printable (control characters escaped, newlines kept).
inline std::string message(std::initializer_list<MessagePart> parts) {
  std::string text;
  for (const MessagePart& part : parts) part.append_to(text);
  return printable(text, true);
}

template <class... Parts>
std::string concat(const Parts&... parts) {
  return message({MessagePart(parts)...});
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
