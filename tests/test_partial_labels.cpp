#include <catch2/catch.hpp>

#include <imbalance/partial/partial_labels.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/metrics/classification_metrics.hpp>

#include "support/reference.hpp"

using imbalance::PartialLabelMethod;
using imbalance::PartialLabelOptions;
using Catch::Contains;

TEST_CASE("PRODEN and RECORDS confidence updates equal the official formulas", "[partial]") {
  const nlohmann::json reference = test_support::load_json("weak_supervision.json");
  for (const auto& c : reference.at("partial_label_updates")) {
    INFO(c.at("name").get<std::string>());
    const Eigen::MatrixXd z = test_support::to_matrix(c.at("logits"));
    const Eigen::MatrixXd s = test_support::to_matrix(c.at("candidates"));
    CHECK(test_support::relative_error(imbalance::partial_label_confidences(s, z), test_support::to_matrix(c.at("proden"))) <= 1e-14);
    // The prior from the model's head on the mean feature.
    imbalance::SoftmaxClassifier model;
    model.set_parameters(test_support::to_matrix(c.at("head_weights")),
                         test_support::to_vector(c.at("head_bias")).transpose());
    const Eigen::MatrixXd features = test_support::to_matrix(c.at("features"));
    const Eigen::VectorXd prior =
        imbalance::softmax_rows(model.head_logits(Eigen::RowVectorXd(features.colwise().mean()))).row(0).transpose();
    CHECK(test_support::relative_error(prior, test_support::to_vector(c.at("prior"))) <= 1e-14);
    CHECK(test_support::relative_error(imbalance::partial_label_confidences(s, z, prior),
                                       test_support::to_matrix(c.at("records"))) <= 1e-13);
    CHECK(test_support::relative_error(imbalance::records_debiased_logits(z, prior),
                                       test_support::to_matrix(c.at("debiased_logits"))) <= 1e-14);
  }
}

TEST_CASE("Candidate sets: lists, uniform confidences, generated sets", "[partial]") {
  const auto s = imbalance::candidate_matrix({{0, 2}, {1}, {0, 1, 2}}, 3);
  const auto w = imbalance::uniform_confidences(s);
  CHECK(w(0, 0) == 0.5);
  CHECK(w(0, 1) == 0.0);
  CHECK(w(1, 1) == 1.0);
  CHECK(w(2, 2) == Approx(1.0 / 3));
  CHECK_THROWS_WITH(imbalance::candidate_matrix({{0}, {}}, 3), Contains("the candidate set of sample 1 is empty"));
  CHECK_THROWS_AS(imbalance::candidate_matrix({{0, 3}}, 3), imbalance::out_of_range);
  Eigen::MatrixXd bad = s;
  bad(1, 1) = 0;
  CHECK_THROWS_WITH(imbalance::uniform_confidences(bad), Contains("the candidate set of sample 1 is empty"));
  bad(1, 1) = 0.5;
  CHECK_THROWS_WITH(imbalance::uniform_confidences(bad), Contains("candidates(1, 1) must be 0 or 1 (got 0.5)"));
  // Generated: the true label always, each other class with probability q.
  Eigen::VectorXi y(40000);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = static_cast<int>(i % 4);
  imbalance::Rng rng(3);
  const auto generated = imbalance::make_partial_labels(y, 4, 0.3, rng);
  bool has_true_label = true;
  for (Eigen::Index i = 0; i < y.size(); ++i) has_true_label = has_true_label && generated(i, y(i)) == 1.0;
  CHECK(has_true_label);
  const double extra = (generated.sum() - static_cast<double>(y.size())) / (3.0 * static_cast<double>(y.size()));
  CHECK(extra == Approx(0.3).margin(0.01));
}

TEST_CASE("Partial-label training recovers the true labels, RECORDS reports the model's prior", "[partial][train]") {
  imbalance::SyntheticOptions o;
  o.num_classes = 5;
  o.dimension = 8;
  o.n_max = 200;
  o.imbalance_ratio = 10;
  o.separation = 6;
  const auto data = imbalance::make_synthetic_long_tailed(o, std::uint64_t{21});
  imbalance::Rng rng(22);
  const auto candidates = imbalance::make_partial_labels(data.train_y, 5, 0.3, rng);
  imbalance::TrainerOptions t;
  t.epochs = 20;
  t.batch_size = 64;
  for (auto method : {PartialLabelMethod::Proden, PartialLabelMethod::Records}) {
    imbalance::SoftmaxClassifier model;
    PartialLabelOptions p;
    p.method = method;
    imbalance::Rng train_rng(23);
    const auto result = imbalance::fit_partial_labels(model, data.train_x, candidates, t, p, train_rng);
    CHECK(result.history.size() == 20);
    const Eigen::VectorXi disambiguated = imbalance::argmax_rows(result.confidences);
    const double recovered = (disambiguated.array() == data.train_y.array()).cast<double>().mean();
    CHECK(recovered >= 0.9);
    // Confidences live on the candidates and sum to 1.
    CHECK(((result.confidences.array() > 0) && (candidates.array() == 0)).count() == 0);
    CHECK((result.confidences.rowwise().sum().array() - 1).abs().maxCoeff() <= 1e-12);
    if (method == PartialLabelMethod::Records) {
      REQUIRE(result.prior.size() == 5);
      CHECK(result.prior.sum() == Approx(1.0));
      CHECK(result.prior(0) > result.prior(4));  // the head class dominates the model's own prior
    } else {
      CHECK(result.prior.size() == 0);
    }
  }
  imbalance::SoftmaxClassifier model;
  imbalance::Rng train_rng(1);
  CHECK_THROWS_WITH(imbalance::fit_partial_labels(model, data.train_x, candidates.topRows(10), t, PartialLabelOptions{}, train_rng),
                    Contains("candidates has length 10"));
}
