#include <catch2/catch.hpp>

#include <imbalance/registry/search_space.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/ldam.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

using Catch::Contains;

namespace {

imbalance::TrainingData space_data() {
  imbalance::SyntheticOptions o;
  o.num_classes = 3;
  o.dimension = 4;
  o.n_max = 60;
  o.imbalance_ratio = 6;
  o.test_per_class = 5;
  const imbalance::Dataset d = imbalance::make_synthetic_long_tailed(o, std::uint64_t{7});
  imbalance::TrainingData data;
  data.features = d.train_x;
  data.labels = d.train_y;
  data.num_classes = d.train_counts.size();
  return data;
}

// The value of a pipeline's loss at epoch 0 on fixed logits (what the point built).
double space_loss_value(const imbalance::PipelineOptions& p, const Eigen::VectorXd& counts) {
  const imbalance::AnyLoss loss = p.loss(counts)(0);
  imbalance::AnyLoss::Logits z = (imbalance::AnyLoss::Logits(2, 3) << 0.3, -0.2, 0.1, -0.4, 0.5, 0.2).finished();
  imbalance::AnyLoss::Logits g(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 2, 0).finished();
  return loss.value_and_gradient(z, y, g);
}

}  // namespace

TEST_CASE("default search space: registered names, the grid without invalid combinations", "[registry][search]") {
  const imbalance::SearchSpace space = imbalance::default_search_space();
  REQUIRE_NOTHROW(imbalance::check_search_space(space));
  const auto grid = imbalance::search_space_points(space, 0, 1);
  // Every list combined, less the prior removed twice (la, bs, lade with post-hoc la).
  std::size_t all = space.resamplers.size() * space.losses.size() * space.samplers.size() * space.heads.size() *
                    space.hidden.size() * space.stage2.size() * space.posthoc.size();
  std::size_t removing = 0;
  for (const auto& loss : space.losses) removing += imbalance::loss_registry().at(loss).removes_prior ? 1 : 0;
  const std::size_t twice = removing * space.resamplers.size() * space.samplers.size() * space.heads.size() *
                            space.hidden.size() * space.stage2.size();
  CHECK(grid.size() == all - twice);
  std::set<std::string> names;
  for (const auto& p : grid) {
    CHECK_NOTHROW(imbalance::check_method_combination(p.loss, p.head, p.stage2, p.posthoc));
    CHECK(p.loss_values.all().empty());  // the grid keeps method options at their defaults
    names.insert(imbalance::describe_point(p).name);
  }
  CHECK(names.size() == grid.size());  // distinct
}

TEST_CASE("search space: a range of one value pins the option in the grid too", "[registry][search]") {
  imbalance::SearchSpace space = imbalance::default_search_space();
  space.losses = {"ce", "focal"};
  space.ranges["loss.focal.gamma"] = imbalance::SearchRange::among({3});
  space.ranges["resample.smote.k-neighbors"] = imbalance::SearchRange::interval(7, 7);
  std::size_t focal = 0, smote = 0;
  for (const auto& p : imbalance::search_space_points(space, 0, 1)) {
    if (p.loss == "focal") {
      ++focal;
      CHECK(p.loss_values.all() == std::map<std::string, double>{{"gamma", 3.0}});
    } else {
      CHECK(p.loss_values.all().empty());
    }
    if (p.resampler == "smote") {
      ++smote;
      CHECK(p.resampler_values.all() == std::map<std::string, double>{{"k-neighbors", 7.0}});
    }
  }
  CHECK(focal > 0);
  CHECK(smote > 0);
}

TEST_CASE("search space: seeded random points, options drawn from the registries' ranges", "[registry][search]") {
  const imbalance::SearchSpace space = imbalance::default_search_space();
  const auto a = imbalance::search_space_points(space, 30, 5);
  const auto b = imbalance::search_space_points(space, 30, 5);
  const auto c = imbalance::search_space_points(space, 30, 6);
  REQUIRE(a.size() == 30);
  std::set<std::string> names;
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string name = imbalance::describe_point(a[i]).name;
    CHECK(name == imbalance::describe_point(b[i]).name);  // same seed, same points
    differs = differs || name != imbalance::describe_point(c[i]).name;
    names.insert(name);
    CHECK_NOTHROW(imbalance::check_method_combination(a[i].loss, a[i].head, a[i].stage2, a[i].posthoc));
    // Every drawn option is one of its registry range's values.
    for (const auto& [option, value] : a[i].loss_values.all()) {
      const imbalance::OptionSpec* spec = imbalance::loss_registry().at(a[i].loss).option(option);
      REQUIRE(spec);
      REQUIRE(spec->search);
      const auto& values = spec->search->values;
      CHECK(std::find(values.begin(), values.end(), value) != values.end());
    }
    if (a[i].loss == "focal") CHECK(a[i].loss_values.has("gamma"));
    if (a[i].resampler == "smote") CHECK(a[i].resampler_values.has("k-neighbors"));
  }
  CHECK(differs);
  CHECK(names.size() == a.size());  // distinct
  // A small space gives what it has: 2 losses x 1 x ... = 2 points at most without options.
  imbalance::SearchSpace small;
  small.resamplers = {"none"};
  small.losses = {"ce", "bs"};
  small.samplers = {"instance"};
  small.hidden = {0};
  small.posthoc = {"none"};
  CHECK(imbalance::search_space_points(small, 10, 1).size() == 2);
  // A range of the space replaces the registry's; a list of one value pins the option.
  imbalance::SearchSpace pinned = small;
  pinned.losses = {"focal"};
  pinned.ranges["loss.focal.gamma"] = imbalance::SearchRange::among({4.0});
  const auto focal = imbalance::search_space_points(pinned, 3, 2);
  REQUIRE(focal.size() == 1);
  CHECK(focal[0].loss_values.all().at("gamma") == 4.0);
  // Learning rate and weight decay: drawn log-uniformly within their range; the grid takes low,
  // the geometric midpoint and high.
  imbalance::SearchSpace rates = small;
  rates.learning_rate = imbalance::SearchRange::interval(0.01, 0.1, true);
  for (const auto& p : imbalance::search_space_points(rates, 8, 3)) {
    REQUIRE(p.learning_rate);
    CHECK(*p.learning_rate >= 0.01);
    CHECK(*p.learning_rate <= 0.1);
  }
  const auto grid = imbalance::search_space_points(rates, 0, 3);
  REQUIRE(grid.size() == 6);
  CHECK(*grid[1].learning_rate == Approx(std::sqrt(0.01 * 0.1)));
}

TEST_CASE("check_method_combination: the prior is removed once, refused pairs name the methods", "[registry][search]") {
  CHECK_NOTHROW(imbalance::check_method_combination("ce", "linear", "tau-norm", "none"));
  CHECK_NOTHROW(imbalance::check_method_combination("ce", "linear", "none", "la"));
  CHECK_NOTHROW(imbalance::check_method_combination("la", "linear", "crt", "none"));  // a new head: one correction
  CHECK_THROWS_WITH(imbalance::check_method_combination("la", "linear", "tau-norm", "none"),
                    Contains("loss 'la' already removes the training prior") && Contains("stage 2 'tau-norm'"));
  CHECK_THROWS_WITH(imbalance::check_method_combination("bs", "linear", "none", "la"),
                    Contains("loss 'bs' already removes") && Contains("post-hoc 'la'"));
  CHECK_THROWS_WITH(imbalance::check_method_combination("lade", "linear", "none", "tau-norm"), Contains("loss 'lade'"));
  CHECK_THROWS_WITH(imbalance::check_method_combination("ce", "linear", "crt", "la"), Contains("stage 2 'crt' replaces"));
  CHECK_THROWS_WITH(imbalance::check_method_combination("focal", "etf", "none", "none"), Contains("not loss 'focal'"));
  CHECK_THROWS_WITH(imbalance::check_method_combination("ce", "cosine", "none", "tau-norm"), Contains("head 'cosine'"));
}

TEST_CASE("search space: bad spaces throw, naming the field and the value", "[registry][search]") {
  imbalance::SearchSpace s;
  s.losses = {"ce", "hinge"};
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("loss must be one of") && Contains("'hinge'"));
  s = {};
  s.samplers.clear();
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("SearchSpace::samplers is empty"));
  s = {};
  s.ranges["loss.focal.gama"] = imbalance::SearchRange::among({1.0});
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("'loss.focal.gama' names no option"));
  s = {};
  s.ranges["optimizer.sgd.lr"] = imbalance::SearchRange::among({1.0});
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("must start with resample."));
  s = {};
  s.ranges["loss.focal.gamma"] = imbalance::SearchRange::interval(3, 1);
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("needs finite low <= high (got [3, 1])"));
  s = {};
  s.learning_rate = imbalance::SearchRange::interval(0, 0.1, true);
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("a log range needs low > 0"));
  s = {};
  s.hidden = {-1};
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("a width must be >= 0 (got -1)"));
  s = {};
  s.epochs = {0};
  CHECK_THROWS_WITH(imbalance::check_search_space(s), Contains("epochs must be >= 1 (got 0)"));
  s = {};
  s.losses = {"la"};
  s.posthoc = {"la"};
  CHECK_THROWS_WITH(imbalance::search_space_points(s, 0, 1), Contains("every combination of the space is invalid"));
  CHECK_THROWS_WITH(imbalance::search_space_points({}, -1, 1), Contains("count must be >= 0 (got -1)"));
}

TEST_CASE("point_pipeline: LDAM's scale follows the head, the paper's warm-up, epochs for halving", "[registry][search]") {
  const Eigen::VectorXd counts = (Eigen::VectorXd(3) << 50, 10, 2).finished();
  imbalance::PipelineOptions base;
  base.trainer.epochs = 100;
  const imbalance::SearchSpace space;
  imbalance::SearchPoint p;
  p.loss = "ldam";
  const imbalance::PipelineOptions linear = imbalance::point_pipeline(p, base, space, 100);
  p.head = "cosine";
  const imbalance::PipelineOptions cosine = imbalance::point_pipeline(p, base, space, 100);
  auto ldam = [&](double scale) {
    imbalance::LDAMOptions o;
    o.scale = scale;
    imbalance::PipelineOptions by_hand;
    by_hand.loss = [o](const Eigen::VectorXd& c) -> imbalance::SoftmaxClassifier::LossSchedule {
      const imbalance::LDAMLoss loss(c, o);
      return [loss](long) { return imbalance::AnyLoss(loss); };
    };
    return space_loss_value(by_hand, counts);
  };
  CHECK(space_loss_value(linear, counts) == ldam(1.0));   // an unnormalised head: s = 1
  CHECK(space_loss_value(cosine, counts) == ldam(30.0));  // the cosine head: the paper's s = 30
  // The warm-up of the loss's paper (5 of 200 epochs), unless the base has one or it is switched off.
  CHECK(linear.trainer.learning_rate.warmup_epochs == 3);  // ceil(0.025 x 100)
  p.loss = "ce";
  CHECK(imbalance::point_pipeline(p, base, space, 100).trainer.learning_rate.warmup_epochs == 0);
  p.loss = "cb";
  CHECK(imbalance::point_pipeline(p, base, space, 10).trainer.learning_rate.warmup_epochs == 1);
  imbalance::PipelineOptions warm = base;
  warm.trainer.learning_rate.warmup_epochs = 7;
  CHECK(imbalance::point_pipeline(p, warm, space, 100).trainer.learning_rate.warmup_epochs == 7);
  imbalance::SearchSpace off;
  off.paper_warmup = false;
  CHECK(imbalance::point_pipeline(p, base, off, 100).trainer.learning_rate.warmup_epochs == 0);
  // A candidate at fewer epochs (halving): the trainer's epochs and the DRW switch follow.
  p.loss = "ldam-drw";
  p.head = "linear";
  const imbalance::SearchCandidate c = imbalance::point_candidate(p, base, space);
  CHECK(c.options.trainer.epochs == 100);
  const imbalance::PipelineOptions short_run = c.at_epochs(10);
  CHECK(short_run.trainer.epochs == 10);
  // Re-weighting from epoch 8 = 80 % of 10 (two rows of different classes: one row's weight cancels).
  const imbalance::AnyLoss::Logits z = imbalance::AnyLoss::Logits::Zero(2, 3);
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 2).finished();
  imbalance::AnyLoss::Logits g(2, 3);
  const auto drw = short_run.loss(counts);
  CHECK(drw(6).value_and_gradient(z, y, g) == drw(7).value_and_gradient(z, y, g));
  CHECK(drw(7).value_and_gradient(z, y, g) != drw(8).value_and_gradient(z, y, g));
  // Refused combinations are refused here too.
  p.loss = "la";
  p.stage2 = "tau-norm";
  CHECK_THROWS_WITH(imbalance::point_pipeline(p, base, space, 10), Contains("would remove it a second time"));
}

TEST_CASE("search space candidates: a cross-validated search over a small space", "[registry][search]") {
  imbalance::SearchSpace space;
  space.resamplers = {"none", "random-over"};
  space.losses = {"ce", "la", "ldam-drw"};
  space.samplers = {"instance"};
  space.hidden = {0};
  space.posthoc = {"none"};
  imbalance::PipelineOptions base;
  base.trainer.epochs = 6;
  base.trainer.batch_size = 32;
  base.trainer.learning_rate.base = 0.1;
  const auto candidates = imbalance::search_space_candidates(space, base, 0, 1);
  REQUIRE(candidates.size() == 6);
  imbalance::SearchOptions o;
  o.folds = 2;
  o.strategy = imbalance::SearchStrategy::Halving;
  o.factor = 2;
  const imbalance::SearchResult r = imbalance::search_pipelines(candidates, space_data(), o);
  REQUIRE(r.model);
  CHECK(r.scores.size() == 6);
  for (const auto& s : r.scores) {
    CHECK(s.ok());
    CHECK(s.mean > 0.3);
  }
  CHECK(candidates[r.best_candidate()].complexity <= 2);
}
