#include <catch2/catch.hpp>

#include <imbalance/core/random.hpp>
#include <imbalance/neighbors/neighbors.hpp>

#include <limits>
#include <random>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "support/sampling_data.hpp"

using imbalance::NearestNeighbors;
using imbalance::NeighborAlgorithm;

TEST_CASE("NearestNeighbors: both backends equal the definition, with duplicates and ties", "[sampling][neighbors]") {
  for (Eigen::Index d : {1, 3, 20}) {
    // 300 points with 40 exact duplicates; d = 1 on a coarse grid makes distance ties common.
    auto points = test_support::labelled_points({150, 110}, d, 17 + static_cast<std::uint64_t>(d), 1.0, 40);
    if (d == 1) points.X = (points.X.array() * 2).round();
    for (NeighborAlgorithm algorithm : {NeighborAlgorithm::KDTree, NeighborAlgorithm::BruteForce}) {
      INFO("d " << d << " algorithm " << static_cast<int>(algorithm));
      const NearestNeighbors nn(points.X, algorithm);
      const imbalance::NeighborIndices self = nn.self_neighbors(7);
      const imbalance::NeighborIndices external = nn.query(points.X.topRows(25), 7);
      for (Eigen::Index i = 0; i < points.X.rows(); ++i) {
        const auto expected = test_support::brute_force_neighbors(points.X, points.X.row(i), i, 7);
        for (Eigen::Index j = 0; j < 7; ++j) REQUIRE(self(i, j) == expected[static_cast<std::size_t>(j)]);
      }
      for (Eigen::Index i = 0; i < 25; ++i) {
        const auto expected = test_support::brute_force_neighbors(points.X, points.X.row(i), -1, 7);
        for (Eigen::Index j = 0; j < 7; ++j) REQUIRE(external(i, j) == expected[static_cast<std::size_t>(j)]);
        CHECK(external(i, 0) <= i);  // the point itself or an identical, lower-indexed copy
      }
    }
  }
}

TEST_CASE("NearestNeighbors: a point is not its own neighbour even among identical points", "[sampling][neighbors]") {
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(4, 2);  // all identical
  for (NeighborAlgorithm algorithm : {NeighborAlgorithm::KDTree, NeighborAlgorithm::BruteForce}) {
    const imbalance::NeighborIndices nn = NearestNeighbors(X, algorithm).self_neighbors(3);
    for (Eigen::Index i = 0; i < 4; ++i) {
      std::vector<Eigen::Index> expected;
      for (Eigen::Index j = 0; j < 4; ++j)
        if (j != i) expected.push_back(j);
      for (Eigen::Index j = 0; j < 3; ++j) CHECK(nn(i, j) == expected[static_cast<std::size_t>(j)]);
    }
  }
}

TEST_CASE("NearestNeighbors: Auto picks the k-d tree at low dimension and a measured backend above",
          "[sampling][neighbors]") {
  CHECK(NearestNeighbors(Eigen::MatrixXd::Random(10, 4)).algorithm() == NeighborAlgorithm::KDTree);
  CHECK(NearestNeighbors(Eigen::MatrixXd::Random(10, 8)).algorithm() == NeighborAlgorithm::BruteForce);  // too few to time
  CHECK(NearestNeighbors(Eigen::MatrixXd::Random(10, 32)).algorithm() == NeighborAlgorithm::BruteForce);
  // Whichever backend Auto measures as faster, the answer is the exact one.
  const auto points = test_support::labelled_points({400}, 24, 3);
  const NearestNeighbors automatic(points.X);
  CHECK(automatic.algorithm() != NeighborAlgorithm::Auto);
  const imbalance::NeighborIndices a = automatic.self_neighbors(4);
  const imbalance::NeighborIndices b = NearestNeighbors(points.X, NeighborAlgorithm::BruteForce).self_neighbors(4);
  CHECK((a.array() == b.array()).all());
}

TEST_CASE("NearestNeighbors: bad input throws naming the argument", "[sampling][neighbors]") {
  using Catch::Contains;
  const NearestNeighbors nn(Eigen::MatrixXd::Random(5, 2));
  CHECK_THROWS_WITH(nn.self_neighbors(5), Contains("k must lie in [1, 4]"));
  CHECK_THROWS_WITH(nn.query(Eigen::MatrixXd::Random(2, 3), 2), Contains("queries has shape 2x3"));
  Eigen::MatrixXd bad = Eigen::MatrixXd::Random(5, 2);
  bad(3, 1) = std::nan("");
  CHECK_THROWS_WITH(NearestNeighbors(bad), Contains("points(3, 1)"));
  CHECK_THROWS_WITH(NearestNeighbors(Eigen::MatrixXd(0, 2)), Contains("empty"));
}

TEST_CASE("NearestNeighbors: indexing a subset of rows equals indexing the extracted rows", "[sampling][neighbors]") {
  const auto points = test_support::labelled_points({60, 40}, 3, 8, 1.0, 5);
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < points.X.rows(); ++i)
    if (points.y(i) == 1) rows.push_back(i);
  Eigen::MatrixXd extracted(static_cast<Eigen::Index>(rows.size()), 3);
  for (std::size_t r = 0; r < rows.size(); ++r) extracted.row(static_cast<Eigen::Index>(r)) = points.X.row(rows[r]);
  const imbalance::NeighborIndices a = NearestNeighbors(points.X, rows).self_neighbors(4);
  const imbalance::NeighborIndices b = NearestNeighbors(extracted).self_neighbors(4);
  CHECK((a.array() == b.array()).all());
  CHECK_THROWS_WITH(NearestNeighbors(points.X, std::vector<Eigen::Index>{0, 500}), Catch::Contains("row 500"));
}

namespace {

// Both backends, self and external queries, against the long double definition.
void require_exact(const Eigen::MatrixXd& X, const Eigen::MatrixXd& queries, Eigen::Index k) {
  for (NeighborAlgorithm algorithm : {NeighborAlgorithm::KDTree, NeighborAlgorithm::BruteForce}) {
    INFO("algorithm " << static_cast<int>(algorithm) << " k " << k);
    const NearestNeighbors nn(X, algorithm);
    const imbalance::NeighborIndices self = nn.self_neighbors(k);
    std::size_t wrong = 0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const auto expected = test_support::brute_force_neighbors(X, X.row(i), i, k);
      for (Eigen::Index j = 0; j < k; ++j) wrong += self(i, j) != expected[static_cast<std::size_t>(j)];
    }
    const imbalance::NeighborIndices external = nn.query(queries, k);
    for (Eigen::Index i = 0; i < queries.rows(); ++i) {
      const auto expected = test_support::brute_force_neighbors(X, queries.row(i), -1, k);
      for (Eigen::Index j = 0; j < k; ++j) wrong += external(i, j) != expected[static_cast<std::size_t>(j)];
    }
    CHECK(wrong == 0);
  }
}

Eigen::MatrixXd gaussian(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  return test_support::labelled_points({static_cast<int>(n)}, d, seed).X;
}

}  // namespace

TEST_CASE("NearestNeighbors: exact under a large common offset (no cancellation)", "[sampling][neighbors][exact]") {
  // 200 points, 20 features, 1e4 +- 1e-6: |q|^2 + |x|^2 - 2 q.x alone gets most neighbours wrong.
  const Eigen::MatrixXd X = (gaussian(200, 20, 5) * 1e-6).array() + 1e4;
  require_exact(X, X.topRows(10).array() + 3e-7, 5);
  // Two far-apart tight clusters: centring on the mean cannot remove both offsets.
  Eigen::MatrixXd two = gaussian(150, 20, 6) * 1e-4;
  two.bottomRows(75).array() += 1e8;
  require_exact(two, two.middleRows(70, 10), 4);
}

TEST_CASE("NearestNeighbors: exact with duplicates, ties and magnitudes up to 1e150", "[sampling][neighbors][exact]") {
  imbalance::Rng rng(11);
  for (Eigen::Index d : {1, 4, 24}) {
    // Magnitudes 10^U(-150, 150) with random signs, then 30 duplicated rows and integer-grid ties.
    Eigen::MatrixXd X(130, d);
    for (Eigen::Index i = 0; i < 100; ++i)
      for (Eigen::Index j = 0; j < d; ++j)
        X(i, j) = (imbalance::uniform_index(rng, 2) ? 1.0 : -1.0) *
                  std::pow(10.0, -150.0 + 300.0 * imbalance::uniform01(rng));
    for (Eigen::Index i = 100; i < 115; ++i) X.row(i) = X.row(static_cast<Eigen::Index>(imbalance::uniform_index(rng, 100)));
    for (Eigen::Index i = 115; i < 130; ++i)
      for (Eigen::Index j = 0; j < d; ++j) X(i, j) = static_cast<double>(imbalance::uniform_index(rng, 3));
    for (Eigen::Index k : {1, 3, 8}) require_exact(X, X.bottomRows(20), k);
  }
}

TEST_CASE("NearestNeighbors: exact where double distances overflow or underflow", "[sampling][neighbors][exact]") {
  // Squared distances of these exceed the double range (~1.8e308) or fall below it (1e-600).
  Eigen::MatrixXd huge(6, 2);
  huge << 1e200, 0, 7.625, 0, -1e308, 1e308, 1e154, 3, -1e154, 3, 1e154, 2.5;
  require_exact(huge, huge.array() * 0.5, 1);
  require_exact(huge, huge, 5);
  const Eigen::MatrixXd tiny = gaussian(60, 3, 9) * 1e-300;
  require_exact(tiny, tiny.topRows(5), 4);
  // Subnormal coordinates next to ordinary ones.
  Eigen::MatrixXd mixed = gaussian(60, 3, 10);
  mixed.col(1) *= 1e-310;
  require_exact(mixed, mixed.topRows(5), 3);
  // A query far outside the indexed points' range.
  Eigen::MatrixXd far(2, 3);
  far << 1e300, -1e300, 5, -1e-300, 0, 1e308;
  require_exact(gaussian(40, 3, 12), far, 3);
}

TEST_CASE("NearestNeighbors: many identical points keep memory bounded and ties by index",
          "[sampling][neighbors][exact]") {
  Eigen::MatrixXd X = Eigen::MatrixXd::Constant(1200, 20, 1e4);
  X.bottomRows(200) = gaussian(200, 20, 13);
  require_exact(X, X.middleRows(990, 20), 6);
}

TEST_CASE("NearestNeighbors: exact where float candidate distances cannot tell neighbours apart",
          "[sampling][neighbors][exact]") {
  // 300 points on rays from a centre point, at radii 1 + j 1e-11 in shuffled order: every squared
  // distance to the centre agrees in float, so the float products only shortlist and the double
  // and long double stages must rank them.
  imbalance::Rng rng(21);
  const Eigen::Index n = 300, d = 40;
  Eigen::MatrixXd X(n + 1, d);
  X.row(0) = gaussian(1, d, 22).row(0) * 3;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index j = 0; j < n; ++j) order[static_cast<std::size_t>(j)] = j;
  imbalance::shuffle(order.begin(), order.end(), rng);
  const Eigen::MatrixXd directions = gaussian(n, d, 23);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double radius = 1 + 1e-11 * static_cast<double>(order[static_cast<std::size_t>(j)]);
    X.row(j + 1) = X.row(0) + directions.row(j).normalized() * radius;
  }
  require_exact(X, X.topRows(3), 9);
  const imbalance::NeighborIndices nearest = NearestNeighbors(X, NeighborAlgorithm::BruteForce).self_neighbors(9);
  for (Eigen::Index j = 0; j < 9; ++j) CHECK(order[static_cast<std::size_t>(nearest(0, j) - 1)] == j);
}

TEST_CASE("NearestNeighbors: exact at high dimension (the wide product tiling), with duplicates",
          "[sampling][neighbors][exact]") {
  // d = 260 takes the 256 x 256 tiling; 600 points span three tiles and three query blocks. The
  // brute force only (a k-d tree at this dimension is a slow scan), against the definition on every
  // fifth point and on outside queries.
  Eigen::MatrixXd X = gaussian(600, 260, 31);
  X.middleRows(500, 50) = X.topRows(50);                    // exact duplicates
  X.bottomRows(50) = X.middleRows(100, 50).array() + 1e-9;  // near-duplicates below float resolution
  const Eigen::MatrixXd queries = X.middleRows(250, 20).array() * 0.5;
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < X.rows(); i += 5) rows.push_back(i);
  const NearestNeighbors nn(X, NeighborAlgorithm::BruteForce);
  const imbalance::NeighborIndices self = nn.self_neighbors(rows, 5), external = nn.query(queries, 5);
  std::size_t wrong = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto expected = test_support::brute_force_neighbors(X, X.row(rows[r]), rows[r], 5);
    for (Eigen::Index j = 0; j < 5; ++j) wrong += self(static_cast<Eigen::Index>(r), j) != expected[static_cast<std::size_t>(j)];
  }
  for (Eigen::Index i = 0; i < queries.rows(); ++i) {
    const auto expected = test_support::brute_force_neighbors(X, queries.row(i), -1, 5);
    for (Eigen::Index j = 0; j < 5; ++j) wrong += external(i, j) != expected[static_cast<std::size_t>(j)];
  }
  CHECK(wrong == 0);
}

TEST_CASE("NearestNeighbors: the self-search by pairs of blocks equals the search query by query",
          "[sampling][neighbors][exact]") {
  // d >= 256 and at least two blocks of 256: self_neighbors(k) multiplies each pair of blocks once
  // (three blocks: one sits out each round); self_neighbors(rows, k) goes query by query.
  Eigen::MatrixXd X = gaussian(700, 256, 41);
  X.middleRows(500, 60) = X.topRows(60);                          // duplicates across blocks
  X.middleRows(560, 60) = X.middleRows(300, 60).array() + 1e-10;  // below float resolution
  X.bottomRows(80).setConstant(0.25);                             // one big tie
  std::vector<Eigen::Index> all(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) all[static_cast<std::size_t>(i)] = i;
  const NearestNeighbors nn(X, NeighborAlgorithm::BruteForce);
  for (Eigen::Index k : {1, 4, 90}) {
    const imbalance::NeighborIndices paired = nn.self_neighbors(k), single = nn.self_neighbors(all, k);
    CHECK((paired.array() == single.array()).all());
    // and against the definition on a few points of each kind
    for (Eigen::Index i : {0, 310, 500, 565, 650}) {
      const auto expected = test_support::brute_force_neighbors(X, X.row(i), i, k);
      for (Eigen::Index j = 0; j < k; ++j) CHECK(paired(i, j) == expected[static_cast<std::size_t>(j)]);
    }
  }
}

namespace {

// Points on a few latent factors plus noise (as real features are): n x d.
Eigen::MatrixXd hnsw_latent_points(Eigen::Index n, Eigen::Index d, Eigen::Index factors, std::uint64_t seed) {
  imbalance::Rng rng(seed);
  
  Eigen::MatrixXd loadings(factors, d), scores(n, factors), noise(n, d);
  for (Eigen::Index i = 0; i < loadings.size(); ++i) loadings(i) = imbalance::standard_normal(rng);
  for (Eigen::Index i = 0; i < scores.size(); ++i) scores(i) = imbalance::standard_normal(rng);
  for (Eigen::Index i = 0; i < noise.size(); ++i) noise(i) = 0.05 * imbalance::standard_normal(rng);
  return scores * loadings + noise;
}

// Share of the exact neighbours found by the approximate search, row by row.
double hnsw_recall(const imbalance::NeighborIndices& exact, const imbalance::NeighborIndices& approximate) {
  Eigen::Index hits = 0;
  for (Eigen::Index i = 0; i < exact.rows(); ++i)
    for (Eigen::Index j = 0; j < exact.cols(); ++j)
      for (Eigen::Index l = 0; l < approximate.cols(); ++l) hits += exact(i, j) == approximate(i, l);
  return static_cast<double>(hits) / static_cast<double>(exact.size());
}

imbalance::NeighborSearch hnsw_search(Eigen::Index shard_size) {
  imbalance::HnswParameters p;
  p.shard_size = shard_size;
  return imbalance::NeighborSearch::approximate(p);
}

}  // namespace

TEST_CASE("NearestNeighbors HNSW: recall against the exact search, self-exclusion, every shard searched",
          "[sampling][neighbors][hnsw]") {
  if (!imbalance::hnsw_available()) {
    CHECK_THROWS_AS(NearestNeighbors(Eigen::MatrixXd::Random(10, 3), hnsw_search(4)), std::invalid_argument);
    return;
  }
  const Eigen::MatrixXd X = hnsw_latent_points(3000, 24, 4, 5);
  const NearestNeighbors exact(X);
  for (Eigen::Index shard_size : {Eigen::Index{1} << 18, Eigen::Index{1000}, Eigen::Index{701}}) {
    INFO("shard size " << shard_size);
    const NearestNeighbors approximate(X, hnsw_search(shard_size));
    CHECK(approximate.backend() == imbalance::NeighborBackend::Hnsw);
    CHECK(approximate.shard_count() == (3000 + shard_size - 1) / shard_size);
    const imbalance::NeighborIndices self = approximate.self_neighbors(5);
    CHECK(hnsw_recall(exact.self_neighbors(5), self) >= 0.97);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      for (Eigen::Index j = 0; j < 5; ++j) REQUIRE(self(i, j) != i);
    // Rows near each shard's points: every shard's graph is searched.
    const Eigen::MatrixXd queries = X.topRows(200).array() + 0.01;
    CHECK(hnsw_recall(exact.query(queries, 5), approximate.query(queries, 5)) >= 0.97);
    // Within the candidates, the order is the exact one: nearest first, ties to the lower index.
    const NearestNeighbors::Points rows = X;  // contiguous rows
    for (Eigen::Index i = 0; i < 50; ++i)
      for (Eigen::Index j = 1; j < 5; ++j) {
        const long double before = imbalance::exact_squared_distance(rows.row(i).data(), rows.row(self(i, j - 1)).data(), 24);
        const long double after = imbalance::exact_squared_distance(rows.row(i).data(), rows.row(self(i, j)).data(), 24);
        REQUIRE((before < after || (before == after && self(i, j - 1) < self(i, j))));
      }
  }
  // Identical points: never the point itself; small shards (fewer points than k + 1) still answer.
  const Eigen::MatrixXd same = Eigen::MatrixXd::Zero(9, 3);
  const imbalance::NeighborIndices nn = NearestNeighbors(same, hnsw_search(2)).self_neighbors(8);
  for (Eigen::Index i = 0; i < 9; ++i)
    for (Eigen::Index j = 0; j < 8; ++j) CHECK(nn(i, j) == (j < i ? j : j + 1));
}

TEST_CASE("NearestNeighbors HNSW: the same neighbours for every thread count, float and double",
          "[sampling][neighbors][hnsw]") {
  if (!imbalance::hnsw_available()) return;
  const Eigen::MatrixXd X = hnsw_latent_points(2500, 16, 3, 9);
  std::vector<imbalance::NeighborIndices> self, queries;
#if defined(_OPENMP)
  const int saved = omp_get_max_threads();
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
#endif
    const NearestNeighbors nn(X, hnsw_search(600));
    self.push_back(nn.self_neighbors(6));
    queries.push_back(nn.query(X.bottomRows(300) * 1.01, 4));
#if defined(_OPENMP)
  }
  omp_set_num_threads(saved);
#endif
  for (std::size_t t = 1; t < self.size(); ++t) {
    CHECK(self[t] == self[0]);
    CHECK(queries[t] == queries[0]);
  }
  // Float input is the same search on its values: the same as its double copy, either layout.
  const Eigen::MatrixXf as_float = X.cast<float>();
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = as_float;
  CHECK(NearestNeighbors(as_float, hnsw_search(600)).self_neighbors(6) ==
        NearestNeighbors(Eigen::MatrixXd(as_float.cast<double>()), hnsw_search(600)).self_neighbors(6));
  CHECK(NearestNeighbors(row_major, hnsw_search(600)).self_neighbors(6) ==
        NearestNeighbors(as_float, hnsw_search(600)).self_neighbors(6));
}

TEST_CASE("NearestNeighbors HNSW: impossible parameters name themselves", "[sampling][neighbors][hnsw]") {
  const Eigen::MatrixXd X = Eigen::MatrixXd::Random(20, 3);
  auto message_of = [&](imbalance::HnswParameters p) {
    try {
      NearestNeighbors nn(X, imbalance::NeighborSearch::approximate(p));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  imbalance::HnswParameters p;
  p.M = 1;
  CHECK_THAT(message_of(p), Catch::Contains("hnsw.M") && Catch::Contains("got 1"));
  p = {};
  p.ef = 0;
  CHECK_THAT(message_of(p), Catch::Contains("hnsw.ef ") && Catch::Contains("got 0"));
  p = {};
  p.ef_construction = -3;
  CHECK_THAT(message_of(p), Catch::Contains("hnsw.ef_construction") && Catch::Contains("got -3"));
  p = {};
  p.shard_size = 0;
  CHECK_THAT(message_of(p), Catch::Contains("hnsw.shard_size") && Catch::Contains("got 0"));
  Eigen::MatrixXd bad = X;
  bad(3, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(NearestNeighbors(bad, hnsw_search(8)), std::invalid_argument);
}
