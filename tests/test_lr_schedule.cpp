#include <catch2/catch.hpp>

#include <imbalance/train/lr_schedule.hpp>

TEST_CASE("LearningRateSchedule: warm-up, cosine and step", "[train][schedule]") {
  imbalance::LearningRateSchedule cosine;
  cosine.base = 0.1;
  cosine.warmup_epochs = 1;
  CHECK(cosine.rate(0, 0, 10, 11) == Approx(0.01));   // (0 + 1) / 10 of the base
  CHECK(cosine.rate(0, 9, 10, 11) == Approx(0.1));
  CHECK(cosine.rate(1, 0, 10, 11) == Approx(0.1));    // start of the cosine
  CHECK(cosine.rate(6, 0, 10, 11) == Approx(0.05));   // half way
  imbalance::LearningRateSchedule step;
  step.schedule = imbalance::Schedule::Step;
  step.milestones = {160, 180};
  CHECK(step.rate(159, 0, 1, 200) == Approx(0.1));
  CHECK(step.rate(170, 0, 1, 200) == Approx(0.01));
  CHECK(step.rate(199, 0, 1, 200) == Approx(0.001));
  step.base = -1;
  CHECK_THROWS_WITH(step.validate("f()"), Catch::Contains("learning_rate"));
}
