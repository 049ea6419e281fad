#include <catch2/catch.hpp>

#include <imbalance/losses/deferred_reweighting.hpp>

TEST_CASE("DeferredReweighting: ones before the switch / class-balanced(0.9999) from it", "[losses][drw]") {
  Eigen::VectorXi counts(4);
  counts << 1000, 300, 50, 7;
  const imbalance::DeferredReweighting drw(counts);
  CHECK(drw.options().switch_epoch == 160);
  CHECK((drw.weights(0).array() == 1.0).all());
  CHECK((drw.weights(159).array() == 1.0).all());
  CHECK_FALSE(drw.reweighting(159));
  CHECK(drw.reweighting(160));
  const Eigen::VectorXd expected = imbalance::class_balanced_weights(counts, 0.9999);
  CHECK((drw.weights(160) - expected).cwiseAbs().maxCoeff() == 0.0);
  CHECK((drw.weights(10000) - expected).cwiseAbs().maxCoeff() == 0.0);  // no index overflow past 320
}

TEST_CASE("DeferredReweighting: custom schedule and bad input", "[losses][drw]") {
  const Eigen::VectorXi counts = (Eigen::VectorXi(2) << 90, 10).finished();
  const imbalance::DeferredReweighting drw(counts, {3, 0.9});
  CHECK(drw.weights(2)(1) == 1.0);
  CHECK(drw.weights(3)(1) > drw.weights(3)(0));
  CHECK_THROWS_WITH(drw.weights(-1), Catch::Contains("epoch") && Catch::Contains("-1"));
  CHECK_THROWS_WITH(imbalance::DeferredReweighting(counts, {-5, 0.9}), Catch::Contains("switch_epoch"));
  CHECK_THROWS_WITH(imbalance::DeferredReweighting(counts, {5, 1.5}), Catch::Contains("beta"));
}
