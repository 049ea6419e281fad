#include <catch2/catch.hpp>

#include <imbalance/core/error.hpp>

#include <string>

TEST_CASE("error: invalid_argument derives from std::invalid_argument and keeps its message", "[core][error]") {
  try {
    imbalance::detail::throw_invalid("f()", ": ", "x", " bad (", 42, ")");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "f(): x bad (42)");
    CHECK(dynamic_cast<const imbalance::invalid_argument*>(&e) != nullptr);
  }
}

TEST_CASE("error: out_of_range derives from std::out_of_range and is catchable as std::exception", "[core][error]") {
  bool caught = false;
  try {
    imbalance::detail::throw_out_of_range("g()", ": labels[2] = ", -1);
  } catch (const std::exception& e) {  // must not be ambiguous
    caught = true;
    CHECK(std::string(e.what()) == "g(): labels[2] = -1");
    CHECK(dynamic_cast<const std::out_of_range*>(&e) != nullptr);
  }
  CHECK(caught);
}

TEST_CASE("error: concat prints doubles with full precision", "[core][error]") {
  CHECK(imbalance::detail::concat(0.1) == "0.10000000000000001");
  CHECK(imbalance::detail::concat("a", 1, 'b', 2.5) == "a1b2.5");
}

TEST_CASE("error: control characters in user text are shown escaped, never cut the message", "[core][error]") {
  const std::string label("a\0b\rc", 5);
  try {
    imbalance::detail::throw_invalid("f(): label '", label, "' is unknown");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "f(): label 'a\\x00b\\x0Dc' is unknown");
  }
  CHECK(imbalance::detail::concat("tab\there\nline") == "tab\there\nline");
  // A terminal's escape code and invalid UTF-8 (a Latin-1 label) too; valid UTF-8 stays.
  CHECK(imbalance::detail::concat("x\xFFy\x1B[0m caf\xC3\xA9") == "x\\xFFy\\x1B[0m caf\xC3\xA9");
}

TEST_CASE("error: ScopedClassNames makes messages name classes as the user wrote them", "[core][error]") {
  using imbalance::detail::class_name;
  CHECK(imbalance::detail::concat("class ", class_name(2)) == "class 2");
  {
    const imbalance::ScopedClassNames names({"cat", "dog", "tiny"});
    CHECK(imbalance::detail::concat("class ", class_name(2)) == "class 'tiny'");
    CHECK(imbalance::detail::concat("class ", class_name(7)) == "class 7");  // outside the names: the number
    {
      const imbalance::ScopedClassNames inner({"x", "y"});
      CHECK(imbalance::detail::concat(class_name(1)) == "'y'");
    }
    CHECK(imbalance::detail::concat(class_name(1)) == "'dog'");
  }
  CHECK(imbalance::detail::concat(class_name(1)) == "1");
}
