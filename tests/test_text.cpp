#include <catch2/catch.hpp>

#include <imbalance/detail/text.hpp>

#include <string>

TEST_CASE("printable: valid UTF-8 unchanged, invalid bytes and control characters as hexadecimal escapes", "[detail][text]") {
  using imbalance::detail::printable;
  CHECK(printable("alpha") == "alpha");
  CHECK(printable("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");  // é € 😀
  CHECK(printable("\xFF\xFEok") == "\\xFF\\xFEok");                      // Latin-1 / stray bytes
  CHECK(printable("\x1B[31mred\x07") == "\\x1B[31mred\\x07");           // a terminal's escape code, BEL
  CHECK(printable("a\tb\nc") == "a\\x09b\\x0Ac");
  CHECK(printable("a\tb\nc", true) == "a\tb\nc");                        // messages keep their lines
  CHECK(printable("\xC2\x9B" "2J") == "\\xC2\\x9B2J");                     // C1 CSI
  CHECK(printable("\xC0\xAF") == "\\xC0\\xAF");                          // overlong '/'
  CHECK(printable("\xED\xA0\x80") == "\\xED\\xA0\\x80");                 // a surrogate
  CHECK(printable("\xE2\x82") == "\\xE2\\x82");                          // truncated
  CHECK(printable("\xEF\xBF\xBF") == "\\xEF\\xBF\\xBF");                 // U+FFFF, not allowed in XML
  CHECK(printable("") == "");
}
