#pragma once
/// @file
/// Text from users' files made safe to show: labels and paths may hold invalid UTF-8 (a Latin-1
/// file), control characters, or a terminal's escape sequences. printable() keeps valid UTF-8
/// text and writes every invalid byte and every control character as the four characters \xHH,
/// so that the text is valid UTF-8 (JSON and XML accept it), well-formed in XHTML, and harmless on a
/// terminal; the same label always shows the same way.

#include <cstdint>
#include <string>

namespace imbalance::detail {

/// The length of the valid UTF-8 sequence at text[at] (1 to 4), or 0 when the bytes there are not
/// one (a stray continuation byte, a truncated, overlong or surrogate sequence, beyond U+10FFFF).
/// `code` receives the code point of a valid sequence.
inline std::size_t utf8_sequence(const std::string& text, std::size_t at, char32_t& code) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(at + i) & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

/// The `digits` lowest hexadecimal digits of value, most significant first, appended to out.
inline void append_hex(std::string& out, std::uint64_t value, int digits, bool upper = false) {
  const char* symbols = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += symbols[(value >> shift) & 0xF];
}

/// `text` with every invalid UTF-8 byte and every control character (C0, DEL, C1; also tab and
/// newline unless keep_newlines, which keeps '\n' and '\t' for multi-line messages) written as \xHH
/// (C1 characters by their UTF-8 bytes). Valid text without controls comes back unchanged.
inline std::string printable(const std::string& text, bool keep_newlines = false) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [&out](unsigned char b) {
    out += "\\x";
    append_hex(out, b, 2, true);
  };
  for (std::size_t at = 0; at < text.size();) {
    char32_t code = 0;
    const std::size_t length = utf8_sequence(text, at, code);
    if (length == 0) {
      hex(static_cast<unsigned char>(text[at]));
      ++at;
      continue;
    }
    const bool control = code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0) || code == 0xFFFE || code == 0xFFFF;
    if (control && !(keep_newlines && (code == '\n' || code == '\t'))) {
      for (std::size_t i = 0; i < length; ++i) hex(static_cast<unsigned char>(text[at + i]));
    } else {
      out.append(text, at, length);
    }
    at += length;
  }
  return out;
}

}  // namespace imbalance::detail
