#include <catch2/catch.hpp>

#include <imbalance/sampling/sampling_strategy.hpp>

#include "support/reference.hpp"

TEST_CASE("SamplingStrategy: resolves every case of imbalanced-learn 0.10's check_sampling_strategy",
          "[sampling][strategy]") {
  const nlohmann::json reference = test_support::load_json("sampling_strategy.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    imbalance::ClassMap counts;
    for (std::size_t i = 0; i < c.at("class_counts").size(); ++i)
      counts[static_cast<int>(i)] = c.at("class_counts").at(i).get<Eigen::Index>();
    const auto& s = c.at("sampling_strategy");
    const imbalance::SamplingStrategy strategy = s.is_number() ? imbalance::SamplingStrategy::ratio(s.get<double>())
                                                               : imbalance::SamplingStrategy::parse(s.get<std::string>());
    const auto kind = c.at("kind") == "over-sampling" ? imbalance::SamplerKind::OverSampling
                                                      : imbalance::SamplerKind::UnderSampling;
    imbalance::ClassMap expected;
    for (const auto& [label, n] : c.at("samples_per_class").items()) expected[std::stoi(label)] = n.get<Eigen::Index>();
    INFO("counts " << c.at("class_counts").dump() << " " << c.at("kind").get<std::string>() << " " << s.dump());
    CHECK(strategy.resolve(counts, kind) == expected);
    ++checked;
  }
  CHECK(checked == 22);
}

TEST_CASE("SamplingStrategy: minority for over-sampling, explicit targets and parsing", "[sampling][strategy]") {
  const imbalance::ClassMap counts{{0, 20}, {1, 10}, {2, 10}};
  using imbalance::SamplerKind;
  // Ties go to the smallest label: minority is 1.
  CHECK(imbalance::SamplingStrategy::parse("minority").resolve(counts, SamplerKind::OverSampling) ==
        imbalance::ClassMap{{1, 10}});
  CHECK(imbalance::SamplingStrategy::parse("1:15,2:30").resolve(counts, SamplerKind::OverSampling) ==
        imbalance::ClassMap{{1, 5}, {2, 20}});
  CHECK(imbalance::SamplingStrategy::parse("0:12").resolve(counts, SamplerKind::UnderSampling) ==
        imbalance::ClassMap{{0, 12}});
  CHECK(imbalance::SamplingStrategy::parse("not-majority").resolve(counts, SamplerKind::Cleaning).size() == 2);
}

TEST_CASE("SamplingStrategy: impossible strategies throw naming the problem", "[sampling][strategy]") {
  using Catch::Contains;
  using imbalance::SamplerKind;
  using imbalance::SamplingStrategy;
  const imbalance::ClassMap binary{{0, 7}, {1, 100}};
  const imbalance::ClassMap multi{{0, 20}, {1, 10}, {2, 10}};
  CHECK_THROWS_WITH(SamplingStrategy::ratio(0.05).resolve(binary, SamplerKind::OverSampling),
                    Contains("ratio 0.05") && Contains("remove samples"));
  CHECK_THROWS_WITH(SamplingStrategy::ratio(0.05).resolve(binary, SamplerKind::UnderSampling), Contains("would keep 140"));
  CHECK_THROWS_WITH(SamplingStrategy::ratio(1.5).resolve(binary, SamplerKind::OverSampling), Contains("(0, 1]"));
  CHECK_THROWS_WITH(SamplingStrategy::ratio(0.5).resolve(multi, SamplerKind::OverSampling), Contains("binary"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("minority").resolve(multi, SamplerKind::UnderSampling), Contains("minority"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("majority").resolve(multi, SamplerKind::OverSampling), Contains("majority"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("5:10").resolve(multi, SamplerKind::OverSampling), Contains("class 5"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("0:5").resolve(multi, SamplerKind::OverSampling), Contains("fewer"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:50").resolve(multi, SamplerKind::UnderSampling), Contains("only 10"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("auto").resolve({{3, 9}}, SamplerKind::OverSampling),
                    Contains("at least 2 classes"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("most"), Contains("\"most\""));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:x"), Contains("1:x"));
}

TEST_CASE("SamplingStrategy: values outside the integer ranges are refused, never wrapped", "[sampling][strategy]") {
  using Catch::Contains;
  using imbalance::SamplerKind;
  using imbalance::SamplingStrategy;
  // 4294967297 = 2^32 + 1 would wrap to label 1 in an int.
  CHECK_THROWS_WITH(SamplingStrategy::parse("4294967297:10"), Contains("outside the range of int"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:99999999999999999999"), Contains("not label:count"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:-5"), Contains("count must be >= 0"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1: 5"), Contains("not label:count"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:5,1:6"), Contains("names class 1 twice"));
  CHECK_THROWS_WITH(SamplingStrategy::parse("1e999"), Contains("\"1e999\""));
  CHECK_THROWS_WITH(SamplingStrategy::targets({{0, -5}}), Contains("count of class 0 must be >= 0 (got -5)"));
  const imbalance::ClassMap binary{{0, 7}, {1, 100}};
  // int(7 / 1e-300) does not fit any integer: refused as too many to keep, not cast.
  CHECK_THROWS_WITH(SamplingStrategy::ratio(1e-300).resolve(binary, SamplerKind::UnderSampling),
                    Contains("would keep") && Contains("which has only 100"));
  CHECK_THROWS_WITH(SamplingStrategy::ratio(1e-300).resolve(binary, SamplerKind::OverSampling),
                    Contains("remove samples"));
  // imbalanced-learn truncates: int(7 / 0.0699) = 100 is allowed.
  CHECK(SamplingStrategy::ratio(0.0699).resolve(binary, SamplerKind::UnderSampling).at(1) == 100);
  const auto huge = SamplingStrategy::parse("1:9223372036854775807").resolve(binary, SamplerKind::OverSampling);
  CHECK(huge.at(1) == 9223372036854775807 - 100);
  const imbalance::ScopedClassNames names({"common", "rare"});
  CHECK_THROWS_WITH(SamplingStrategy::parse("1:500").resolve(binary, SamplerKind::UnderSampling),
                    Contains("class 'rare', which has only 100"));
}
