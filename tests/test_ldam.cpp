#include <catch2/catch.hpp>

#include <imbalance/losses/ldam.hpp>

#include "support/loss_checks.hpp"
#include "support/wave2.hpp"

using imbalance::LDAMLoss;
using imbalance::LDAMOptions;
using imbalance::Reduction;

namespace {
LDAMOptions ldam_options(double max_margin, double scale, Eigen::VectorXd weights, Reduction reduction) {
  LDAMOptions options;
  options.max_margin = max_margin;
  options.scale = scale;
  options.class_weights = std::move(weights);
  options.reduction = reduction;
  return options;
}
}  // namespace

TEST_CASE("LDAMLoss: reproduces the reference cases", "[losses][ldam]") {
  const int checked = test_support::check_reference_cases("ldam", [](const nlohmann::json& c) {
    const auto& o = c.at("options");
    Eigen::VectorXd weights;
    if (o.contains("class_weights")) weights = test_support::to_vector(o.at("class_weights"));
    return LDAMLoss(test_support::to_labels(c.at("class_counts")),
                    ldam_options(o.at("max_margin"), o.at("scale"), weights, test_support::reduction_of(c)));
  });
  CHECK(checked == 3);
}

TEST_CASE("LDAMLoss: margins follow n^-1/4 rescaled to max_margin (CIFAR-10-LT test vector)", "[losses][ldam]") {
  Eigen::VectorXi counts(10);
  counts << 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50;
  const LDAMLoss loss(counts);
  const Eigen::VectorXd expected =
      (Eigen::VectorXd(10) << 0.1581, 0.1797, 0.2042, 0.2321, 0.2638, 0.2998, 0.3407, 0.3872, 0.4405, 0.5000)
          .finished();
  CHECK((loss.margins() - expected).cwiseAbs().maxCoeff() < 5e-5);
  CHECK(loss.margins()(9) == 0.5);
}

TEST_CASE("LDAMLoss: gradient equals central finite differences", "[losses][ldam]") {
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return LDAMLoss(counts, ldam_options(0.5, 30.0, Eigen::VectorXd(), reduction));
  });
  test_support::check_finite_differences([](const Eigen::VectorXi& counts, Reduction reduction) {
    return LDAMLoss(counts, ldam_options(0.3, 10.0, Eigen::VectorXd::LinSpaced(counts.size(), 0.2, 3.0), reduction));
  });
}

TEST_CASE("LDAMLoss: a huge margin (s m = 3000) is exact / not underflowed", "[losses][ldam]") {
  // With s = 1000 and max_margin = 3 the target logit of the rare class drops by 3000: the shared
  // shift overshoots and the kernel must fall back to the exact row max.
  Eigen::VectorXi counts(3);
  counts << 100, 10, 1;
  const LDAMLoss loss(counts, ldam_options(3.0, 1000.0, Eigen::VectorXd(), Reduction::Sum));
  Eigen::MatrixXd logits(1, 3);
  logits << 0.0, 0.0, 2.0;
  const Eigen::VectorXi labels = (Eigen::VectorXi(1) << 2).finished();
  // z' = 1000 * (0, 0, 2 - 3) = (0, 0, -1000): CE = log(2 + e^-1000) + 1000.
  CHECK(loss.value(logits, labels) == Approx(1000.0 + std::log(2.0)).epsilon(1e-14));
  Eigen::MatrixXd grad;
  CHECK(loss.value_and_gradient(logits, labels, grad) == Approx(1000.0 + std::log(2.0)).epsilon(1e-14));
  CHECK(grad(0, 0) == Approx(500.0));
  CHECK(grad(0, 2) == Approx(-1000.0));
  const Eigen::MatrixXf logits_float = logits.cast<float>();
  Eigen::MatrixXf grad_float;
  CHECK(loss.value_and_gradient(logits_float, labels, grad_float) == Approx(1000.0f + std::log(2.0f)));
  CHECK(grad_float.allFinite());
}

TEST_CASE("LDAMLoss: extreme logits stay finite", "[losses][ldam]") {
  test_support::check_extreme_logits([](const Eigen::VectorXi& counts, Reduction reduction) {
    return LDAMLoss(counts, ldam_options(0.5, 30.0, Eigen::VectorXd(), reduction));
  });
}

TEST_CASE("LDAMLoss: bad counts and options throw naming the argument", "[losses][ldam]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(LDAMLoss((Eigen::VectorXi(3) << 10, 0, 2).finished()),
                    Contains("LDAMLoss") && Contains("class_counts[1]"));
  CHECK_THROWS_WITH(LDAMLoss(Eigen::VectorXi()), Contains("class_counts") && Contains("empty"));
  CHECK_THROWS_WITH(LDAMLoss(Eigen::VectorXi::Ones(3), ldam_options(0.5, 0.0, Eigen::VectorXd(), Reduction::Mean)),
                    Contains("scale"));
  CHECK_THROWS_WITH(LDAMLoss(Eigen::VectorXi::Ones(3), ldam_options(0.5, 30, Eigen::VectorXd::Ones(4), Reduction::Mean)),
                    Contains("class_weights has length 4"));
}

TEST_CASE("LDAMLoss: per-sample weights (PyTorch float64 autograd)", "[losses][ldam]") {
  for (const auto& c : test_support::cases_of("losses_wave2_extra.json", "ldam")) {
    imbalance::LDAMOptions o;
    o.max_margin = c.at("options").at("max_margin");
    o.scale = c.at("options").at("scale");
    o.reduction = test_support::reduction_of(c);
    test_support::check_weighted_case(c, imbalance::LDAMLoss(test_support::to_vector(c.at("class_counts")), o));
  }
}
