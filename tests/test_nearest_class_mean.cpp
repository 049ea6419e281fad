#include <catch2/catch.hpp>

#include <imbalance/heads/nearest_class_mean.hpp>

#include "support/wave2.hpp"

using imbalance::NearestClassMean;
using imbalance::NearestClassMeanOptions;
using Catch::Contains;

TEST_CASE("NearestClassMean: equals a brute-force nearest-mean classifier (Euclidean and cosine)", "[heads][ncm]") {
  const test_support::RowMatrixXd train = test_support::random_logits(60, 7, 91);
  const Eigen::VectorXi labels = test_support::random_labels(60, 4, 92);
  const test_support::RowMatrixXd test = test_support::random_logits(25, 7, 93);
  // Brute force, straight from the definition.
  const Eigen::RowVectorXd mu = train.colwise().mean();
  auto transform = [&](Eigen::RowVectorXd x) { x -= mu; return Eigen::RowVectorXd(x / x.norm()); };
  std::vector<Eigen::RowVectorXd> centroids(4, Eigen::RowVectorXd::Zero(7));
  std::vector<int> counts(4, 0);
  for (Eigen::Index i = 0; i < 60; ++i) {
    centroids[static_cast<std::size_t>(labels(i))] += transform(train.row(i));
    ++counts[static_cast<std::size_t>(labels(i))];
  }
  for (int c = 0; c < 4; ++c) centroids[static_cast<std::size_t>(c)] /= counts[static_cast<std::size_t>(c)];
  for (auto metric : {NearestClassMeanOptions::Metric::Euclidean, NearestClassMeanOptions::Metric::Cosine}) {
    NearestClassMeanOptions o;
    o.metric = metric;
    const NearestClassMean ncm = NearestClassMean::fit(train, labels, 4, o);
    const auto z = ncm.logits(test);
    const Eigen::VectorXi predicted = ncm.predict(test);
    for (Eigen::Index i = 0; i < 25; ++i) {
      const Eigen::RowVectorXd t = transform(test.row(i));
      int best = -1;
      double best_score = -1e300;
      for (int c = 0; c < 4; ++c) {
        const Eigen::RowVectorXd& m = centroids[static_cast<std::size_t>(c)];
        const double score = metric == NearestClassMeanOptions::Metric::Euclidean ? -(t - m).squaredNorm()
                                                                                  : t.dot(m) / (t.norm() * m.norm());
        CHECK(z(i, c) == Approx(score).margin(1e-12));
        if (score > best_score) best_score = score, best = c;
      }
      CHECK(predicted(i) == best);
    }
  }
  NearestClassMeanOptions raw;
  raw.normalization = NearestClassMeanOptions::Normalization::None;
  const NearestClassMean plain = NearestClassMean::fit(train, labels, 4, raw);
  CHECK(plain.mean().isZero());
  Eigen::RowVectorXd class0 = Eigen::RowVectorXd::Zero(7);
  for (Eigen::Index i = 0; i < 60; ++i)
    if (labels(i) == 0) class0 += train.row(i) / counts[0];
  CHECK((plain.centroids().row(0) - class0).cwiseAbs().maxCoeff() <= 1e-12);
}

TEST_CASE("NearestClassMean: bad input", "[heads][ncm]") {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, 3);
  CHECK_THROWS_WITH(NearestClassMean::fit(x, (Eigen::VectorXi(4) << 0, 0, 2, 2).finished(), 3),
                    Contains("class 1 has no training sample"));
  const NearestClassMean ncm = NearestClassMean::fit(x, (Eigen::VectorXi(4) << 0, 1, 2, 2).finished(), 3);
  CHECK_THROWS_WITH(ncm.logits(Eigen::MatrixXd::Zero(2, 4)), Contains("features has shape 2x4"));
}
