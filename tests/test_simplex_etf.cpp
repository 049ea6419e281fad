#include <catch2/catch.hpp>

#include <imbalance/heads/simplex_etf.hpp>

using Catch::Contains;

TEST_CASE("simplex_etf: the Gram matrix is K/(K-1) I - 1/(K-1) 11^T to 1e-12, for d >= K - 1", "[heads][etf]") {
  for (const auto& [d, k] : std::vector<std::pair<Eigen::Index, Eigen::Index>>{{4, 5}, {5, 5}, {64, 10}, {9, 2}, {100, 100}}) {
    INFO("d = " << d << ", K = " << k);
    const Eigen::MatrixXd m = imbalance::simplex_etf(d, k, std::uint64_t{7});
    REQUIRE(m.rows() == d);
    REQUIRE(m.cols() == k);
    const double kd = static_cast<double>(k);
    const Eigen::MatrixXd expected =
        kd / (kd - 1) * Eigen::MatrixXd::Identity(k, k) - Eigen::MatrixXd::Constant(k, k, 1.0 / (kd - 1));
    CHECK((m.transpose() * m - expected).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK(m.rowwise().sum().cwiseAbs().maxCoeff() <= 1e-12);  // the vectors sum to zero
  }
  CHECK(imbalance::simplex_etf(8, 5, std::uint64_t{1}) == imbalance::simplex_etf(8, 5, std::uint64_t{1}));
  CHECK(imbalance::simplex_etf(8, 5, std::uint64_t{1}) != imbalance::simplex_etf(8, 5, std::uint64_t{2}));
}

TEST_CASE("simplex_etf: impossible shapes", "[heads][etf]") {
  CHECK_THROWS_WITH(imbalance::simplex_etf(8, 10, std::uint64_t{1}),
                    Contains("a simplex ETF of 10 classes needs num_features >= 9 (K - 1), got 8"));
  CHECK_THROWS_WITH(imbalance::simplex_etf(8, 1, std::uint64_t{1}), Contains("num_classes must be >= 2"));
}
