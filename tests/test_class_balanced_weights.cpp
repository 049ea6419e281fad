#include <catch2/catch.hpp>

#include <imbalance/losses/class_balanced_weights.hpp>

#include "support/reference.hpp"

TEST_CASE("class_balanced_weights: equal the weights of every reference case", "[losses][cb_weights]") {
  const nlohmann::json cases = test_support::load_json("losses.json").at("cases");
  int checked = 0;
  for (const auto& c : cases) {
    const auto& o = c.at("options");
    if (!o.contains("cb_beta")) continue;
    INFO("case " << c.at("name").get<std::string>());
    const Eigen::VectorXd w =
        imbalance::class_balanced_weights(test_support::to_labels(c.at("class_counts")), o.at("cb_beta").get<double>());
    CHECK(test_support::relative_error(w, test_support::to_vector(o.at("class_weights"))) < 1e-12);
    ++checked;
  }
  CHECK(checked == 10);
}

TEST_CASE("class_balanced_weights: CIFAR-10-LT test vector / sum K / limits in beta", "[losses][cb_weights]") {
  Eigen::VectorXi counts(10);
  counts << 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50;
  const Eigen::VectorXd w = imbalance::class_balanced_weights(counts, 0.9999);
  const Eigen::VectorXd expected =
      (Eigen::VectorXd(10) << 0.0506, 0.0769, 0.1211, 0.1950, 0.3188, 0.5246, 0.8683, 1.4426, 2.4092, 3.9927).finished();
  CHECK((w - expected).cwiseAbs().maxCoeff() < 5e-5);
  CHECK(w.sum() == Approx(10.0).epsilon(1e-14));
  CHECK((imbalance::class_balanced_weights(counts, 0.0).array() == 1.0).all());
  // beta -> 1: proportional to 1/n.
  const Eigen::VectorXd near_one = imbalance::class_balanced_weights(counts, 1.0 - 1e-12);
  const Eigen::VectorXd inverse = counts.cast<double>().cwiseInverse() * (10.0 / counts.cast<double>().cwiseInverse().sum());
  CHECK((near_one - inverse).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("class_balanced_weights: bad beta or counts throw naming the argument", "[losses][cb_weights]") {
  using Catch::Contains;
  const Eigen::VectorXi counts = Eigen::VectorXi::Constant(3, 4);
  CHECK_THROWS_WITH(imbalance::class_balanced_weights(counts, 1.0), Contains("beta") && Contains("got 1"));
  CHECK_THROWS_WITH(imbalance::class_balanced_weights(counts, -0.1), Contains("beta"));
  CHECK_THROWS_AS(imbalance::class_balanced_weights(counts, std::nan("")), imbalance::invalid_argument);
  CHECK_THROWS_WITH(imbalance::class_balanced_weights((Eigen::VectorXi(2) << 3, 0).finished(), 0.9),
                    Contains("class_counts[1]"));
}
