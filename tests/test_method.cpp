#include <catch2/catch.hpp>

#include <imbalance/registry/method.hpp>

#include <functional>

using Catch::Contains;

namespace {
using Factory = std::function<double(const imbalance::OptionValues&)>;
}

TEST_CASE("Registry: add, find, list and refuse", "[registry]") {
  imbalance::Registry<Factory> registry("widget");
  registry.add({"double", "twice the value", {imbalance::OptionSpec::real("value", "the value", 1.5, 0, 10)},
                [](const imbalance::OptionValues& v) {
                  double value = 1.5;
                  v.assign("value", value);
                  return 2 * value;
                }});
  registry.add({"count", "a count", {imbalance::OptionSpec::integer("n", "how many", 3, 1)},
                [](const imbalance::OptionValues& v) {
                  long n = 3;
                  v.assign("n", n);
                  return static_cast<double>(n);
                }});
  CHECK(registry.names() == std::vector<std::string>{"double", "count"});
  CHECK(registry.at("double").make({}) == 3.0);
  imbalance::OptionValues values;
  values.set("value", 4);
  registry.check("double", values);
  CHECK(registry.at("double").make(values) == 8.0);
  CHECK_THROWS_WITH(registry.at("triple"), Contains("widget must be one of double, count (got 'triple')"));
  CHECK_THROWS_WITH(registry.add({"double", "again", {}, [](const imbalance::OptionValues&) { return 0.0; }}),
                    Contains("'double' is already registered"));
  CHECK_THROWS_WITH(registry.add({"", "nameless", {}, [](const imbalance::OptionValues&) { return 0.0; }}),
                    Contains("needs a name"));
  CHECK_THROWS_WITH(registry.add({"empty", "no factory", {}, Factory()}), Contains("has no factory"));
  values.set("value", 11);
  CHECK_THROWS_WITH(registry.check("double", values), Contains("option 'value' must lie in [0, 10] (got 11)"));
  CHECK_THROWS_WITH(registry.check("count", values), Contains("widget 'count' takes no option 'value' (double do)"));
  imbalance::OptionValues fraction;
  fraction.set("n", 2.5);
  CHECK_THROWS_WITH(registry.check("count", fraction), Contains("must be a whole number (got 2.5)"));
}

TEST_CASE("OptionSpec: defaults shown as help text, derived defaults", "[registry]") {
  const auto fixed = imbalance::OptionSpec::real("gamma", "exponent", 0.3, 0);
  CHECK(fixed.default_text() == "0.3");
  auto derived = imbalance::OptionSpec::integer("drw-epoch", "switch", 0, 0).derived("80 % of the epochs");
  CHECK(!derived.default_value);
  CHECK(derived.default_text() == "80 % of the epochs");
  std::optional<double> shrinkage;
  imbalance::OptionValues values;
  values.assign("shrinkage", shrinkage);
  CHECK(!shrinkage);
  values.set("shrinkage", 0.5);
  values.assign("shrinkage", shrinkage);
  CHECK(shrinkage == 0.5);
}
