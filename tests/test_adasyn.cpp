#include <catch2/catch.hpp>

#include <imbalance/over_sampling/adasyn.hpp>

#include <cmath>

#include "support/sampling_data.hpp"

TEST_CASE("ADASYN: per-sample counts follow the density ratio of other-class neighbours", "[sampling][adasyn]") {
  const auto data = test_support::labelled_points({150, 30}, 2, 8, 1.2);
  const Eigen::Index k = 5, wanted = 120;
  // The definition: r_i = (other-class neighbours among the k nearest of all X) / k, g = rint(r / sum r * G).
  std::vector<Eigen::Index> minority;
  for (Eigen::Index i = 0; i < data.X.rows(); ++i)
    if (data.y(i) == 1) minority.push_back(i);
  std::vector<double> r;
  double total = 0;
  for (Eigen::Index i : minority) {
    int others = 0;
    for (Eigen::Index j : test_support::brute_force_neighbors(data.X, data.X.row(i), i, k)) others += data.y(j) != 1;
    r.push_back(others / static_cast<double>(k));
    total += r.back();
  }
  std::vector<Eigen::Index> expected;
  for (double ratio : r) expected.push_back(static_cast<Eigen::Index>(std::nearbyint(ratio / total * wanted)));
  const imbalance::ADASYN adasyn;
  CHECK(adasyn.generation_counts(data.X, data.y, 1, wanted) == expected);

  // fit_resample ('auto': G = 150 - 30 = 120) generates exactly g_i samples from sample i.
  const auto out = adasyn.fit_resample(data.X, data.y, 4);
  std::map<Eigen::Index, Eigen::Index> made;
  for (Eigen::Index base : out.synthetic_base) ++made[base];
  for (std::size_t i = 0; i < minority.size(); ++i) {
    const auto found = made.find(minority[i]);
    CHECK((found == made.end() ? 0 : found->second) == expected[i]);
  }
  // Harder samples (more other-class neighbours) get more: counts are monotone in r.
  for (std::size_t i = 0; i < r.size(); ++i)
    for (std::size_t j = 0; j < r.size(); ++j)
      if (r[i] > r[j]) CHECK(expected[i] >= expected[j]);
}

TEST_CASE("ADASYN: a class with no other-class neighbour throws", "[sampling][adasyn]") {
  const auto far = test_support::labelled_points({40, 10}, 2, 3, 50.0);
  CHECK_THROWS_WITH(imbalance::ADASYN().fit_resample(far.X, far.y, 1), Catch::Contains("use SMOTE"));
  const auto few = test_support::labelled_points({40, 3}, 2, 3);
  CHECK_THROWS_WITH(imbalance::ADASYN().fit_resample(few.X, few.y, 1), Catch::Contains("class 1 has 3 samples"));
}
