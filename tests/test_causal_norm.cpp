#include <catch2/catch.hpp>

#include <imbalance/heads/causal_norm.hpp>

#include "support/wave2.hpp"

using Catch::Contains;

TEST_CASE("causal_norm_logits and tde_logits reproduce the official classifier (PyTorch float64)", "[heads][tde]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "tde")) {
    INFO("case " << c.at("name").get<std::string>());
    imbalance::CausalNormOptions o;
    o.heads = c.at("options").at("heads");
    o.tau = c.at("options").at("tau");
    o.alpha = c.at("options").at("alpha");
    o.gamma = c.at("options").at("gamma");
    const Eigen::MatrixXd x = test_support::to_matrix(c.at("features"));
    const Eigen::MatrixXd w = test_support::to_matrix(c.at("weights"));
    const Eigen::RowVectorXd embed = test_support::to_vector(c.at("moving_average")).transpose();
    CHECK(test_support::relative_error(imbalance::causal_norm_logits(x, w, o), test_support::to_matrix(c.at("logits_train"))) <= 1e-12);
    CHECK(test_support::relative_error(imbalance::tde_logits(x, w, embed, o), test_support::to_matrix(c.at("logits_tde"))) <= 1e-12);
  }
}

TEST_CASE("FeatureMovingAverage and TDE: the official momentum update, bad input", "[heads][tde]") {
  imbalance::FeatureMovingAverage average(3, 0.5);
  average.update((Eigen::MatrixXd(2, 3) << 1, 2, 3, 3, 2, 1).finished());
  average.update((Eigen::MatrixXd(1, 3) << 4, 0, 0).finished());
  CHECK(average.average().isApprox((Eigen::RowVectorXd(3) << 5, 1, 1).finished()));
  imbalance::CausalNormOptions o;
  o.heads = 2;
  CHECK_THROWS_WITH(imbalance::causal_norm_logits(Eigen::MatrixXd::Ones(2, 3), Eigen::MatrixXd::Ones(3, 2), o),
                    Contains("heads must be >= 1 and divide the feature dimension 3"));
  CHECK_THROWS_WITH(imbalance::tde_logits(Eigen::MatrixXd::Ones(2, 4), Eigen::MatrixXd::Ones(4, 2),
                                          (Eigen::RowVectorXd(4) << 1, 1, 0, 0).finished(), o),
                    Contains("moving_average is zero on head 1"));
  CHECK_THROWS_WITH(imbalance::FeatureMovingAverage(3, 1.5), Contains("momentum"));
}
