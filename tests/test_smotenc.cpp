#include <catch2/catch.hpp>

#include <imbalance/over_sampling/smotenc.hpp>

#include <algorithm>
#include <map>

#include "support/reference.hpp"
#include "support/sampling_data.hpp"

namespace {

struct MixedData {
  Eigen::MatrixXd X;
  Eigen::VectorXi y;
  std::vector<Eigen::Index> categorical;
};

// A fixture of categorical_smote.json with text categories replaced by their codes.
MixedData mixed_fixture(const nlohmann::json& f) {
  MixedData data;
  for (const auto& c : f.at("categorical_features")) data.categorical.push_back(c.get<Eigen::Index>());
  const auto& rows = f.at("X");
  data.X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) {
      const auto& v = rows[i][j];
      if (v.is_string()) {
        const auto& codes = f.at("codes").at(std::to_string(j));
        data.X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            static_cast<double>(std::find(codes.begin(), codes.end(), v) - codes.begin());
      } else {
        data.X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v.get<double>();
      }
    }
  data.y = test_support::to_labels(f.at("y"));
  return data;
}

// SMOTENC's distance by its definition: continuous squared differences plus Med^2 / 2 per
// differing categorical column.
double mixed_distance(const Eigen::MatrixXd& X, Eigen::Index a, Eigen::Index b, const std::vector<Eigen::Index>& categorical,
                      double med) {
  double sum = 0;
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    const bool is_cat = std::find(categorical.begin(), categorical.end(), j) != categorical.end();
    sum += is_cat ? (X(a, j) != X(b, j) ? med * med / 2 : 0.0) : (X(a, j) - X(b, j)) * (X(a, j) - X(b, j));
  }
  return sum;
}

}  // namespace

TEST_CASE("SMOTENC: the median-std penalty equals imbalanced-learn 0.10", "[sampling][smotenc]") {
  const auto reference = test_support::load_json("categorical_smote.json");
  for (const auto& f : reference.at("smotenc")) {
    INFO(f.at("name").get<std::string>());
    const MixedData data = mixed_fixture(f);
    imbalance::SMOTENCOptions options;
    options.categorical_features = data.categorical;
    CHECK(imbalance::SMOTENC(options).median_std(data.X, data.y) ==
          Approx(f.at("median_std").get<double>()).epsilon(1e-13));
  }
}

TEST_CASE("SMOTENC: continuous parts on their segments, categories the mode of the neighbours", "[sampling][smotenc]") {
  const auto reference = test_support::load_json("categorical_smote.json");
  for (const auto& f : reference.at("smotenc")) {
    INFO(f.at("name").get<std::string>());
    const MixedData data = mixed_fixture(f);
    imbalance::SMOTENCOptions options;
    options.categorical_features = data.categorical;
    const imbalance::SMOTENC sampler(options);
    const double med = sampler.median_std(data.X, data.y);
    const auto out = sampler.fit_resample(data.X, data.y, 17);
    const auto counts = imbalance::count_classes(data.y);
    const Eigen::Index majority = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
    for (const auto& [label, n] : imbalance::count_classes(out.y)) CHECK(n == majority);
    const Eigen::Index N = data.X.rows();
    REQUIRE(out.synthetic_base.size() == static_cast<std::size_t>(out.X.rows() - N));
    int ties_seen = 0;
    for (Eigen::Index s = N; s < out.X.rows(); ++s) {
      const Eigen::Index base = out.synthetic_base[static_cast<std::size_t>(s - N)];
      const Eigen::Index nb = out.synthetic_neighbor[static_cast<std::size_t>(s - N)];
      const int label = out.y(s);
      CHECK(data.y(base) == label);
      CHECK(data.y(nb) == label);
      // One step u for every continuous column.
      double u = -1;
      for (Eigen::Index j = 0; j < data.X.cols(); ++j) {
        if (std::find(data.categorical.begin(), data.categorical.end(), j) != data.categorical.end()) continue;
        const double span = data.X(nb, j) - data.X(base, j);
        if (span == 0) continue;
        const double t = (out.X(s, j) - data.X(base, j)) / span;
        CHECK(t >= -1e-12);
        CHECK(t <= 1 + 1e-12);
        if (u < 0) u = t;
        CHECK(t == Approx(u).margin(1e-9));
      }
      // The base's 5 nearest same-class samples by the definition (ties by index).
      std::vector<std::pair<double, Eigen::Index>> d;
      for (Eigen::Index i = 0; i < N; ++i)
        if (i != base && data.y(i) == label) d.emplace_back(mixed_distance(data.X, base, i, data.categorical, med), i);
      std::sort(d.begin(), d.end());
      bool neighbour_found = false;
      for (int j = 0; j < 5; ++j) neighbour_found = neighbour_found || d[static_cast<std::size_t>(j)].second == nb;
      CHECK(neighbour_found);
      for (Eigen::Index c : data.categorical) {
        std::map<double, int> votes;
        for (int j = 0; j < 5; ++j) ++votes[data.X(d[static_cast<std::size_t>(j)].second, c)];
        int most = 0;
        for (const auto& v : votes) most = std::max(most, v.second);
        CHECK(votes[out.X(s, c)] == most);
        int tied = 0;
        for (const auto& v : votes) tied += v.second == most;
        ties_seen += tied > 1;
      }
    }
    CHECK(ties_seen > 0);  // the tie rule was exercised
  }
}

TEST_CASE("SMOTENC: bad categorical columns are refused with their values", "[sampling][smotenc]") {
  using Catch::Matchers::Contains;
  imbalance::SMOTENCOptions options;
  CHECK_THROWS_WITH(imbalance::SMOTENC(options), Contains("categorical_features is empty"));
  options.categorical_features = {1, 1};
  CHECK_THROWS_WITH(imbalance::SMOTENC(options), Contains("names column 1 twice"));
  const auto data = test_support::labelled_points({30, 10}, 2, 4, 1.0);
  options.categorical_features = {2};
  CHECK_THROWS_WITH(imbalance::SMOTENC(options).fit_resample(data.X, data.y, 1),
                    Contains("categorical_features holds column 2, but X has 2 columns"));
  options.categorical_features = {1};
  CHECK_THROWS_WITH(imbalance::SMOTENC(options).fit_resample(data.X, data.y, 1),
                    Contains("categorical column 1 holds"));
  options.categorical_features = {0, 1};
  Eigen::MatrixXd codes = data.X.array().abs().floor();
  CHECK_THROWS_WITH(imbalance::SMOTENC(options).fit_resample(codes, data.y, 1), Contains("every column is categorical"));
}
