#include <catch2/catch.hpp>

#include <imbalance/over_sampling/smote.hpp>

#include "support/reference.hpp"
#include "support/sampling_data.hpp"

using imbalance::SMOTE;
using imbalance::SMOTEOptions;

namespace {
// Checks that every synthetic row lies on the segment from its base towards its recorded
// neighbour, and that the neighbour is one of the base's k nearest same-class samples.
template <class Out>
void check_on_segments(const Out& out, const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Eigen::Index k,
                       double tolerance) {
  const Eigen::Index n = X.rows();
  REQUIRE(out.synthetic_base.size() == static_cast<std::size_t>(out.X.rows() - n));
  for (Eigen::Index r = n; r < out.X.rows(); ++r) {
    const auto s = static_cast<std::size_t>(r - n);
    const Eigen::Index base = out.synthetic_base[s], neighbor = out.synthetic_neighbor[s];
    REQUIRE(y(base) == out.y(r));
    REQUIRE(y(neighbor) == out.y(r));
    // Same-class k nearest neighbours of the base, by the definition.
    std::vector<Eigen::Index> same;
    for (Eigen::Index i = 0; i < n; ++i)
      if (y(i) == y(base)) same.push_back(i);
    Eigen::MatrixXd class_points(static_cast<Eigen::Index>(same.size()), X.cols());
    Eigen::Index self = -1;
    for (std::size_t i = 0; i < same.size(); ++i) {
      class_points.row(static_cast<Eigen::Index>(i)) = X.row(same[i]);
      if (same[i] == base) self = static_cast<Eigen::Index>(i);
    }
    const auto nearest = test_support::brute_force_neighbors(class_points, X.row(base), self, k);
    bool found = false;
    for (Eigen::Index j : nearest) found = found || same[static_cast<std::size_t>(j)] == neighbor;
    REQUIRE(found);
    const Eigen::RowVectorXd direction = X.row(neighbor) - X.row(base);
    const Eigen::RowVectorXd offset = out.X.row(r).template cast<double>() - X.row(base);
    if (direction.squaredNorm() == 0) {
      REQUIRE(offset.norm() <= tolerance);
      continue;
    }
    const double u = offset.dot(direction) / direction.squaredNorm();
    REQUIRE(u >= -tolerance);
    REQUIRE(u <= 1.0 + tolerance);
    REQUIRE((offset - u * direction).norm() <= tolerance * (1.0 + direction.norm()));
  }
}
}  // namespace

TEST_CASE("SMOTE: every synthetic sample lies on a segment to one of its k nearest same-class neighbours",
          "[sampling][smote]") {
  for (Eigen::Index d : {2, 20}) {
    const auto data = test_support::labelled_points({200, 40, 15, 9}, d, 5, 1.0, 6);
    for (Eigen::Index k : {1, 3, 5}) {
      INFO("d " << d << " k " << k);
      SMOTEOptions options;
      options.k_neighbors = k;
      const auto out = SMOTE(options).fit_resample(data.X, data.y, 42);
      check_on_segments(out, data.X, data.y, k, 1e-12);
      // Originals first and unchanged, then the synthetic rows grouped by ascending label.
      CHECK((out.X.topRows(data.X.rows()) - data.X).cwiseAbs().maxCoeff() == 0.0);
      for (Eigen::Index r = data.X.rows() + 1; r < out.X.rows(); ++r) CHECK(out.y(r - 1) <= out.y(r));
      const auto counts = imbalance::count_classes(out.y);
      for (const auto& entry : counts) CHECK(entry.second == counts.at(0));  // 'auto' balances to the majority
    }
  }
}

TEST_CASE("SMOTE: float and row-major inputs give the same geometry", "[sampling][smote]") {
  const auto data = test_support::labelled_points({60, 12}, 3, 9);
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> X = data.X.cast<float>();
  const auto out = SMOTE().fit_resample(X, data.y, 3);
  static_assert(decltype(out.X)::IsRowMajor, "output keeps the storage order");
  check_on_segments(out, X.cast<double>(), data.y, 5, 1e-5);
  CHECK(out.X.rows() == 120);
}

TEST_CASE("SMOTE: per-class output counts follow every over-sampling case of the reference", "[sampling][smote]") {
  const nlohmann::json reference = test_support::load_json("sampling_strategy.json");
  int checked = 0;
  for (const auto& c : reference.at("cases")) {
    if (c.at("kind") != "over-sampling") continue;
    std::vector<int> sizes;
    for (const auto& n : c.at("class_counts")) sizes.push_back(n.get<int>());
    const auto data = test_support::labelled_points(sizes, 3, 11);
    const auto& s = c.at("sampling_strategy");
    SMOTEOptions options;
    options.sampling_strategy = s.is_number() ? imbalance::SamplingStrategy::ratio(s.get<double>())
                                              : imbalance::SamplingStrategy::parse(s.get<std::string>());
    options.k_neighbors = 3;
    const auto out = SMOTE(options).fit_resample(data.X, data.y, 1);
    const auto counts = imbalance::count_classes(out.y);
    for (std::size_t label = 0; label < sizes.size(); ++label) {
      const std::string key = std::to_string(label);
      const Eigen::Index added = c.at("samples_per_class").contains(key) ? c.at("samples_per_class").at(key).get<Eigen::Index>() : 0;
      INFO("case " << c.at("class_counts").dump() << " " << s.dump() << " class " << label);
      CHECK(counts.at(static_cast<int>(label)) == sizes[label] + added);
    }
    ++checked;
  }
  CHECK(checked == 10);
}

TEST_CASE("SMOTE: the same seed gives identical output and another seed another", "[sampling][smote]") {
  const auto data = test_support::labelled_points({80, 20, 10}, 4, 2);
  const auto a = SMOTE().fit_resample(data.X, data.y, 123);
  const auto b = SMOTE().fit_resample(data.X, data.y, 123);
  imbalance::Rng rng(123);
  const auto c = SMOTE().fit_resample(data.X, data.y, rng);
  const auto other = SMOTE().fit_resample(data.X, data.y, 124);
  CHECK((a.X - b.X).cwiseAbs().maxCoeff() == 0.0);
  CHECK((a.X - c.X).cwiseAbs().maxCoeff() == 0.0);
  CHECK((a.y.array() == b.y.array()).all());
  CHECK((a.X - other.X).cwiseAbs().maxCoeff() > 0.0);
}

TEST_CASE("SMOTE: bad input throws the documented exception", "[sampling][smote]") {
  using Catch::Contains;
  auto data = test_support::labelled_points({30, 5}, 2, 4);
  SMOTEOptions options;
  options.k_neighbors = 5;
  CHECK_THROWS_WITH(SMOTE(options).fit_resample(data.X, data.y, 1),
                    Contains("class 1 has 5 samples") && Contains("k_neighbors = 5"));
  const auto single = test_support::labelled_points({30, 1}, 2, 4);
  CHECK_THROWS_WITH(SMOTE().fit_resample(single.X, single.y, 1), Contains("class 1 has 1 sample;"));
  CHECK_THROWS_WITH(SMOTE().fit_resample(data.X, Eigen::VectorXi::Zero(35), 1), Contains("at least 2 classes"));
  CHECK_THROWS_WITH(SMOTE().fit_resample(data.X, data.y.head(30), 1), Contains("y has length 30"));
  options.k_neighbors = 3;
  options.sampling_strategy = imbalance::SamplingStrategy::ratio(0.1);
  CHECK_THROWS_WITH(SMOTE(options).fit_resample(data.X, data.y, 1), Contains("ratio 0.1"));
  data.X(7, 1) = std::nan("");
  CHECK_THROWS_AS(SMOTE().fit_resample(data.X, data.y, 1), imbalance::invalid_argument);
  CHECK_THROWS_WITH(SMOTE().fit_resample(data.X, data.y, 1), Contains("X(7, 1)"));
  SMOTEOptions zero;
  zero.k_neighbors = 0;
  CHECK_THROWS_WITH(SMOTE(zero),
                    Contains("k_neighbors"));
}

TEST_CASE("SMOTE: coordinates whose squared distances exceed the double range", "[sampling][smote]") {
  // The reproduction of a crash: (1e154 - -1e154)^2 overflows a double.
  Eigen::MatrixXd X(5, 1);
  X << 0, 1, 2, 1e154, -1e154;
  const Eigen::VectorXi y = (Eigen::VectorXi(5) << 0, 0, 0, 1, 1).finished();
  imbalance::SMOTEOptions one;
  one.k_neighbors = 1;
  const auto out = imbalance::SMOTE(one).fit_resample(X, y, 4);
  REQUIRE(out.X.rows() == 6);
  CHECK(out.X.allFinite());
  CHECK(out.y(5) == 1);
  CHECK(std::abs(out.X(5, 0)) <= 1e154);
  CHECK(((out.synthetic_base[0] == 3 && out.synthetic_neighbor[0] == 4) ||
         (out.synthetic_base[0] == 4 && out.synthetic_neighbor[0] == 3)));
  // Neighbours 3.4e308 apart: x + u (x_nn - x) would overflow; the point is still on the segment.
  X(3, 0) = 1.7e308;
  X(4, 0) = -1.7e308;
  const auto extreme = imbalance::SMOTE(one).fit_resample(X, y, 4);
  REQUIRE(extreme.X.rows() == 6);
  CHECK(std::isfinite(extreme.X(5, 0)));
  CHECK(std::abs(extreme.X(5, 0)) <= 1.7e308);
}
