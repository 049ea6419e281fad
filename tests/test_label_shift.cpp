#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <imbalance/core/argmax.hpp>
#include <imbalance/posthoc/label_shift.hpp>

namespace {
// Three classes with 2-D Gaussian class-conditionals N(mu_k, I): exact posteriors under any prior.
const double kMeans[3][2] = {{0.0, 0.0}, {2.0, 0.0}, {0.0, 2.0}};

Eigen::RowVector3d exact_log_likelihoods(double x0, double x1) {
  Eigen::RowVector3d l;
  for (int k = 0; k < 3; ++k) l(k) = -0.5 * ((x0 - kMeans[k][0]) * (x0 - kMeans[k][0]) + (x1 - kMeans[k][1]) * (x1 - kMeans[k][1]));
  return l;
}

struct ShiftSample {
  Eigen::MatrixXd posterior_under_train;  // N x 3, p(k | x) with the training prior
  Eigen::MatrixXd logits_under_train;
  Eigen::VectorXi labels;
};

ShiftSample draw_shift_sample(const Eigen::Vector3d& sample_prior, const Eigen::Vector3d& train_prior, Eigen::Index n,
                              std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::discrete_distribution<int> label({sample_prior(0), sample_prior(1), sample_prior(2)});
  std::normal_distribution<double> noise(0.0, 1.0);
  ShiftSample s{Eigen::MatrixXd(n, 3), Eigen::MatrixXd(n, 3), Eigen::VectorXi(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    const int k = label(engine);
    const double x0 = kMeans[k][0] + noise(engine), x1 = kMeans[k][1] + noise(engine);
    const Eigen::RowVector3d z = exact_log_likelihoods(x0, x1) + train_prior.array().log().matrix().transpose();
    s.logits_under_train.row(i) = z;
    const Eigen::RowVector3d e = (z.array() - z.maxCoeff()).exp();
    s.posterior_under_train.row(i) = e / e.sum();
    s.labels(i) = k;
  }
  return s;
}

// Saerens et al.'s EM written out plainly, as the paper states it (the test's own reference).
Eigen::Vector3d reference_em(const Eigen::MatrixXd& posterior, const Eigen::Vector3d& train_prior, int iterations) {
  Eigen::Vector3d q = train_prior;
  for (int s = 0; s < iterations; ++s) {
    Eigen::Vector3d next = Eigen::Vector3d::Zero();
    for (Eigen::Index i = 0; i < posterior.rows(); ++i) {
      double denominator = 0;
      for (int j = 0; j < 3; ++j) denominator += q(j) / train_prior(j) * posterior(i, j);
      for (int k = 0; k < 3; ++k) next(k) += q(k) / train_prior(k) * posterior(i, k) / denominator;
    }
    q = next / static_cast<double>(posterior.rows());
  }
  return q;
}
}  // namespace

TEST_CASE("label shift: EM recovers a shifted prior and matches the paper's procedure", "[posthoc][label_shift]") {
  const Eigen::Vector3d train_prior(0.7, 0.2, 0.1), test_prior(0.2, 0.3, 0.5);
  const ShiftSample test = draw_shift_sample(test_prior, train_prior, 20000, 3);
  const imbalance::PriorEstimate em = imbalance::estimate_prior_em(test.posterior_under_train, train_prior);
  CHECK(em.converged);
  INFO("EM estimate " << em.prior.transpose() << " after " << em.iterations << " iterations");
  CHECK((em.prior - test_prior).cwiseAbs().sum() <= 0.02);
  CHECK((em.prior - reference_em(test.posterior_under_train, train_prior, static_cast<int>(em.iterations)))
            .cwiseAbs()
            .maxCoeff() <= 1e-12);
  // Counts in place of probabilities give the same prior; float posteriors agree to float rounding.
  CHECK((imbalance::estimate_prior_em(test.posterior_under_train, Eigen::Vector3d(700, 200, 100)).prior - em.prior)
            .cwiseAbs()
            .maxCoeff() < 1e-12);
  const Eigen::MatrixXf posterior_f = test.posterior_under_train.cast<float>();
  CHECK((imbalance::estimate_prior_em(posterior_f, train_prior).prior - em.prior).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("label shift: BBSE from hard predictions, prior correction of logits", "[posthoc][label_shift]") {
  const Eigen::Vector3d train_prior(0.7, 0.2, 0.1), test_prior(0.2, 0.3, 0.5);
  // BBSE's variance is higher than EM's (it inverts an estimated confusion matrix): 50,000 samples
  // keep its L1 error below 0.035 over seeds tried, 0.05 is the bound checked.
  const ShiftSample validation = draw_shift_sample(train_prior, train_prior, 50000, 4);
  const ShiftSample test = draw_shift_sample(test_prior, train_prior, 50000, 5);
  const Eigen::VectorXi validation_pred = imbalance::argmax_rows(validation.posterior_under_train);
  const Eigen::VectorXi test_pred = imbalance::argmax_rows(test.posterior_under_train);
  const imbalance::PriorEstimate bbse = imbalance::estimate_prior_bbse(validation.labels, validation_pred, test_pred, 3);
  INFO("BBSE estimate " << bbse.prior.transpose());
  CHECK((bbse.prior - test_prior).cwiseAbs().sum() <= 0.05);
  CHECK(bbse.prior.sum() == Approx(1.0));

  // z - log p + log q are the exact log-posteriors under q (up to a per-row constant).
  const Eigen::MatrixXd corrected = imbalance::prior_corrected_logits(test.logits_under_train, train_prior, test_prior);
  for (Eigen::Index i = 0; i < 50; ++i) {
    const Eigen::RowVector3d expected = test.logits_under_train.row(i) - train_prior.array().log().matrix().transpose() +
                                        test_prior.array().log().matrix().transpose();
    CHECK((corrected.row(i) - expected).cwiseAbs().maxCoeff() < 1e-12);
  }
  // The corrected rule is more accurate on the shifted test set than the uncorrected one.
  const Eigen::VectorXi corrected_pred = imbalance::argmax_rows(corrected);
  CHECK((corrected_pred.array() == test.labels.array()).count() > (test_pred.array() == test.labels.array()).count());

  CHECK_THROWS_WITH(imbalance::prior_corrected_logits(test.logits_under_train, train_prior, Eigen::Vector3d(0.5, 0.5, 0)),
                    Catch::Contains("target_prior[2] must be > 0"));
  CHECK_THROWS_WITH(imbalance::prior_corrected_logits(test.logits_under_train, train_prior, Eigen::Vector2d(0.5, 0.5)),
                    Catch::Contains("train_prior has length 3 but target_prior has length 2"));
  CHECK_THROWS_AS(imbalance::estimate_prior_bbse(validation.labels, validation_pred, Eigen::VectorXi::Constant(3, 5), 3),
                  std::out_of_range);
}
