#include <catch2/catch.hpp>

#include <imbalance/over_sampling/smoten.hpp>

#include <algorithm>
#include <set>

#include "support/reference.hpp"

TEST_CASE("SMOTEN: every new sample is the column-wise mode of some sample's neighbourhood", "[sampling][smoten]") {
  const auto reference = test_support::load_json("categorical_smote.json");
  for (const auto& f : reference.at("smoten")) {
    INFO(f.at("name").get<std::string>());
    const Eigen::MatrixXd X = test_support::to_matrix(f.at("codes"));
    const Eigen::VectorXi y = test_support::to_labels(f.at("y"));
    const imbalance::ValueDifferenceMetric vdm(X, y);
    const Eigen::Index k = 5;
    const auto out = imbalance::SMOTEN().fit_resample(X, y, 3);
    // The neighbourhood modes by the definition: itself and its 5 nearest others of the class.
    std::set<std::vector<double>> modes_of[8];
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      std::vector<std::pair<double, Eigen::Index>> d;
      for (Eigen::Index j = 0; j < X.rows(); ++j)
        if (j != i && y(j) == y(i)) d.emplace_back(vdm.distance(X.row(i), X.row(j)), j);
      std::sort(d.begin(), d.end());
      std::vector<double> mode;
      for (Eigen::Index c = 0; c < X.cols(); ++c) {
        std::vector<int> votes(16, 0);
        ++votes[static_cast<std::size_t>(X(i, c))];
        for (Eigen::Index j = 0; j < k; ++j) ++votes[static_cast<std::size_t>(X(d[static_cast<std::size_t>(j)].second, c))];
        mode.push_back(static_cast<double>(std::max_element(votes.begin(), votes.end()) - votes.begin()));
      }
      modes_of[y(i)].insert(mode);
    }
    const auto counts = imbalance::count_classes(y);
    for (const auto& [label, n] : imbalance::count_classes(out.y)) CHECK(n == counts.begin()->second);
    for (Eigen::Index s = X.rows(); s < out.X.rows(); ++s) {
      const Eigen::RowVectorXd row = out.X.row(s);
      CHECK(modes_of[out.y(s)].count(std::vector<double>(row.data(), row.data() + row.size())) == 1);
    }
    CHECK(out.X.topRows(X.rows()) == X);
  }
}

TEST_CASE("SMOTEN: the grouped neighbour search equals the definition with many duplicate rows", "[sampling][smoten]") {
  // 3 binary columns: at most 8 distinct rows among 200, so ties everywhere.
  Eigen::MatrixXd X(200, 3);
  Eigen::VectorXi y(200);
  imbalance::Rng rng(5);
  for (Eigen::Index i = 0; i < 200; ++i) {
    y(i) = i < 120 ? 0 : 1;
    for (Eigen::Index c = 0; c < 3; ++c)
      X(i, c) = static_cast<double>(imbalance::uniform_index(rng, 2) * (y(i) == 1 || c == 0 ? 1 : imbalance::uniform_index(rng, 2)));
  }
  const imbalance::ValueDifferenceMetric vdm(X, y);
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = X.topRows(120);
  for (Eigen::Index k : {1, 7, 60}) {
    const auto got = imbalance::detail::vdm_self_neighbors(vdm, rows, k);
    for (Eigen::Index i = 0; i < 120; ++i) {
      std::vector<std::pair<double, Eigen::Index>> d;
      for (Eigen::Index j = 0; j < 120; ++j)
        if (j != i) d.emplace_back(vdm.distance(rows.row(i), rows.row(j)), j);
      std::sort(d.begin(), d.end());
      for (Eigen::Index j = 0; j < k; ++j) CHECK(got(i, j) == d[static_cast<std::size_t>(j)].second);
    }
  }
}
