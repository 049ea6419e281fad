#include "imbalance/libtorch/evaluation.hpp"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "imbalance/posthoc/logit_adjustment.hpp"

namespace lt = imbalance::libtorch;

TEST_CASE("libtorch evaluation: post-hoc corrections on a tensor of logits", "[libtorch][evaluation]") {
  torch::manual_seed(3);
  const torch::Tensor z = torch::randn({20, 4}, torch::kDouble);
  const Eigen::Vector4d counts(100, 30, 10, 3);
  const imbalance::PostHocLogitAdjustment adjustment(counts);
  const Eigen::MatrixXd expected = adjustment.adjust(lt::matrix_view<double>(z));
  const torch::Tensor adjusted = lt::adjusted_logits(adjustment, z);
  CHECK(adjusted.scalar_type() == torch::kDouble);
  CHECK(lt::matrix_view<double>(adjusted) == expected);
  const torch::Tensor predicted = lt::adjusted_predictions(adjustment, z.t().contiguous().t());  // strided input
  CHECK(predicted.scalar_type() == torch::kLong);
  CHECK(lt::labels_vector(predicted) == adjustment.predict(lt::matrix_view<double>(z)));
  CHECK(lt::matrix_view<float>(lt::adjusted_logits(adjustment, z.to(torch::kFloat))).cast<double>().isApprox(expected, 1e-6));

  const Eigen::Vector4d train_prior = counts / counts.sum();
  const Eigen::Vector4d test_prior = Eigen::Vector4d::Constant(0.25);
  const torch::Tensor shifted = lt::prior_corrected_logits(z, train_prior, test_prior);
  CHECK(lt::matrix_view<double>(shifted) ==
        imbalance::prior_corrected_logits(lt::matrix_view<double>(z), train_prior, test_prior));
  CHECK_THROWS_WITH(lt::adjusted_logits(adjustment, z.narrow(1, 0, 3)), Catch::Contains("logits"));
}

TEST_CASE("libtorch evaluation: the classification report of a tensor of logits", "[libtorch][evaluation]") {
  torch::manual_seed(4);
  const torch::Tensor z = torch::randn({30, 3}, torch::kFloat);
  const torch::Tensor y = torch::randint(0, 3, {30}, torch::kLong);
  const imbalance::ClassificationReport report = lt::classification_report(z, y);
  const Eigen::MatrixXd p = imbalance::softmax_rows(lt::matrix_view<float>(z).cast<double>());
  const imbalance::ClassificationReport expected =
      imbalance::classification_report_from_probabilities(p, lt::labels_vector(y));
  CHECK(report.accuracy == expected.accuracy);
  CHECK(report.balanced_accuracy == expected.balanced_accuracy);
  CHECK(report.scores->log_loss == expected.scores->log_loss);
  CHECK_THROWS_WITH(lt::classification_report(z, y.narrow(0, 0, 10)), Catch::Contains("labels has 10 entries"));
}
