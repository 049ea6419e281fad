#include <catch2/catch.hpp>

#include <imbalance/pipeline/search.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/losses/logit_adjusted.hpp>
#include <imbalance/metrics/classification_metrics.hpp>

#include <atomic>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace {

imbalance::TrainingData search_data() {
  imbalance::SyntheticOptions o;
  o.num_classes = 3;
  o.dimension = 5;
  o.n_max = 80;
  o.imbalance_ratio = 8;
  o.test_per_class = 10;
  const imbalance::Dataset d = imbalance::make_synthetic_long_tailed(o, std::uint64_t{21});
  imbalance::TrainingData data;
  data.features = d.train_x;
  data.labels = d.train_y;
  data.num_classes = d.train_counts.size();
  return data;
}

template <class Loss>
imbalance::LossForCounts search_loss() {
  return [](const Eigen::VectorXd& counts) -> imbalance::SoftmaxClassifier::LossSchedule {
    const Loss loss(counts);
    return [loss](long) { return imbalance::AnyLoss(loss); };
  };
}

imbalance::LossForCounts search_cross_entropy() {
  return [](const Eigen::VectorXd& counts) -> imbalance::SoftmaxClassifier::LossSchedule {
    const imbalance::CrossEntropyLoss loss(counts.size());
    return [loss](long) { return imbalance::AnyLoss(loss); };
  };
}

imbalance::SearchCandidate search_candidate(const std::string& name, imbalance::LossForCounts loss, double complexity = 0,
                                            double learning_rate = 0.1) {
  imbalance::SearchCandidate c;
  c.name = name;
  c.settings = {{"loss", name}};
  c.complexity = complexity;
  c.options.loss = std::move(loss);
  c.options.trainer.epochs = 4;
  c.options.trainer.batch_size = 32;
  c.options.trainer.learning_rate.base = learning_rate;
  return c;
}

bool same_scores(const imbalance::SearchResult& a, const imbalance::SearchResult& b) {
  if (a.scores.size() != b.scores.size() || a.best != b.best) return false;
  for (std::size_t i = 0; i < a.scores.size(); ++i) {
    const auto &x = a.scores[i].fold_scores, &y = b.scores[i].fold_scores;
    if (x.size() != y.size() || (!x.empty() && std::memcmp(x.data(), y.data(), sizeof(double) * x.size()) != 0)) return false;
    if (a.scores[i].failure != b.scores[i].failure) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("default_cross_validation: folds from the smallest class, repeats where it is small", "[pipeline][search]") {
  auto labels = [](std::vector<int> counts) {
    std::vector<int> y;
    for (std::size_t k = 0; k < counts.size(); ++k) y.insert(y.end(), static_cast<std::size_t>(counts[k]), static_cast<int>(k));
    return Eigen::Map<Eigen::VectorXi>(y.data(), static_cast<Eigen::Index>(y.size())).eval();
  };
  CHECK(imbalance::default_cross_validation(labels({40, 10, 3}), 3) == std::pair<int, int>{2, 5});
  CHECK(imbalance::default_cross_validation(labels({40, 12}), 2) == std::pair<int, int>{5, 2});
  CHECK(imbalance::default_cross_validation(labels({100, 30}), 2) == std::pair<int, int>{5, 1});
  CHECK(imbalance::default_cross_validation(labels({9, 8}), 2) == std::pair<int, int>{4, 3});
  CHECK_THROWS_WITH(imbalance::default_cross_validation(labels({9, 1, 5}), 3),
                    Catch::Contains("class 1 has 1 labelled rows"));
}

TEST_CASE("search_pipelines: cross-validated scores, the choice, the refit on all rows", "[pipeline][search]") {
  const auto data = search_data();
  const std::vector<imbalance::SearchCandidate> candidates = {
      search_candidate("ce", search_cross_entropy()), search_candidate("la", search_loss<imbalance::LogitAdjustedLoss>())};
  imbalance::SearchOptions o;
  o.folds = 3;
  o.repeats = 2;
  o.seed = 4;
  const imbalance::SearchResult r = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(r.scores.size() == 2);
  CHECK(r.folds == 3);
  CHECK(r.repeats == 2);
  for (const auto& s : r.scores) {
    REQUIRE(s.ok());
    REQUIRE(s.fold_scores.size() == 6);
    double mean = 0;
    for (double v : s.fold_scores) mean += v / 6;
    CHECK(s.mean == Approx(mean).epsilon(1e-12));
    double squares = 0;
    for (double v : s.fold_scores) squares += (v - mean) * (v - mean);
    CHECK(s.sd == Approx(std::sqrt(squares / 5)).epsilon(1e-12));
    CHECK(s.standard_error == Approx(s.sd / std::sqrt(6.0)).epsilon(1e-12));
    CHECK(s.epochs == 4);
  }
  // One fold by hand: the folds of repeat 0, the stream of (round 0, fold 0).
  {
    imbalance::Rng fold_rng = imbalance::detail::search_rng(4, 1, 0, 0);
    const auto assignment = imbalance::stratified_folds(data.labels, 3, fold_rng);
    const auto split = imbalance::fold_indices(assignment, 0);
    imbalance::TrainingData part;
    part.features = imbalance::select_rows(data.features, split.train);
    part.labels = imbalance::select_rows(data.labels, split.train);
    part.num_classes = data.num_classes;
    imbalance::Rng rng = imbalance::detail::search_rng(4, 3, 0, 0);
    const auto fitted = imbalance::TrainingPipeline(candidates[1].options).fit(part, rng);
    const Eigen::VectorXi predicted = fitted.predict(imbalance::select_rows(data.features, split.validation)).labels;
    CHECK(r.scores[1].fold_scores[0] ==
          imbalance::balanced_accuracy(imbalance::select_rows(data.labels, split.validation), predicted, data.num_classes));
  }
  // The choice follows the rule; the refit is the chosen pipeline on all rows.
  const std::size_t top = r.scores[0].mean >= r.scores[1].mean ? 0 : 1;
  const std::size_t other = 1 - top;
  const bool within = r.scores[other].mean >= r.scores[top].mean - r.scores[top].standard_error;
  CHECK(r.best == (within && candidates[other].complexity < candidates[top].complexity ? other : top));
  REQUIRE(r.model.has_value());
  imbalance::Rng refit_rng = imbalance::detail::search_rng(4, 0, 0, 1);
  const auto refit = imbalance::TrainingPipeline(candidates[r.best_candidate()].options).fit(data, refit_rng);
  CHECK(refit.predict(data.features).logits == r.model->predict(data.features).logits);

  o.refit = false;
  CHECK_FALSE(imbalance::search_pipelines(candidates, data, o).model.has_value());
}

TEST_CASE("search_pipelines: the one-standard-error rule prefers the simpler of near-equal candidates", "[pipeline][search]") {
  const auto data = search_data();
  // The same pipeline twice: equal scores (common random numbers), so the simpler one wins even
  // though it comes second.
  const std::vector<imbalance::SearchCandidate> candidates = {search_candidate("complex", search_cross_entropy(), 2),
                                                              search_candidate("simple", search_cross_entropy(), 1)};
  imbalance::SearchOptions o;
  o.folds = 3;
  o.refit = false;
  const auto r = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(r.scores.size() == 2);
  CHECK(r.scores[0].fold_scores == r.scores[1].fold_scores);
  CHECK(r.best_candidate() == 1);
}

TEST_CASE("search_pipelines: a diverging or failing candidate is recorded and the search goes on", "[pipeline][search]") {
  const auto data = search_data();
  std::vector<imbalance::SearchCandidate> candidates = {search_candidate("ce", search_cross_entropy()),
                                                        search_candidate("diverges", search_cross_entropy(), 0, 1e300)};
  imbalance::SearchCandidate throws = search_candidate("throws", search_cross_entropy());
  throws.options.loss = [](const Eigen::VectorXd&) -> imbalance::SoftmaxClassifier::LossSchedule {
    throw imbalance::invalid_argument("this loss cannot be built");
  };
  candidates.push_back(throws);
  imbalance::SearchOptions o;
  o.folds = 2;
  const auto r = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(r.scores.size() == 3);
  CHECK(r.scores[0].ok());
  CHECK_FALSE(r.scores[1].ok());
  CHECK_THAT(r.scores[1].failure, Catch::Contains("diverged"));
  CHECK(r.scores[1].fold_scores.empty());
  CHECK(std::isnan(r.scores[1].mean));
  CHECK_THAT(r.scores[2].failure, Catch::Contains("this loss cannot be built"));
  CHECK(r.best_candidate() == 0);
  CHECK(r.model.has_value());

  // Nothing scores: the search says so, naming the first failure.
  const std::vector<imbalance::SearchCandidate> failing = {candidates[1], candidates[2]};
  CHECK_THROWS_WITH(imbalance::search_pipelines(failing, data, o),
                    Catch::Contains("every candidate failed") && Catch::Contains("'diverges'"));
}

TEST_CASE("search_pipelines: a seeded random subset, and successive halving over epochs", "[pipeline][search]") {
  const auto data = search_data();
  std::vector<imbalance::SearchCandidate> candidates;
  for (int i = 0; i < 5; ++i) {
    auto c = search_candidate("lr" + std::to_string(i), search_cross_entropy(), 0, 0.02 * (i + 1));
    c.options.trainer.epochs = 8;
    candidates.push_back(c);
  }
  imbalance::SearchOptions o;
  o.folds = 2;
  o.refit = false;
  o.strategy = imbalance::SearchStrategy::Random;
  o.budget = 2;
  const auto a = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(a.scores.size() == 2);
  CHECK(a.scores[0].candidate < a.scores[1].candidate);
  CHECK(same_scores(a, imbalance::search_pipelines(candidates, data, o)));

  // Halving by a factor of 2 from 4 candidates: two rounds (4, then 2: a third of 1 would compare
  // nothing), at 8 / 2 = 4 epochs and at the candidates' own 8.
  std::atomic<int> built{0};
  for (auto& c : candidates)
    c.at_epochs = [base = c.options, &built](long epochs) {
      ++built;
      imbalance::PipelineOptions p = base;
      p.trainer.epochs = epochs;
      return p;
    };
  o.strategy = imbalance::SearchStrategy::Halving;
  o.budget = 4;
  o.min_epochs = 2;
  o.factor = 2;
  const auto h = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(h.scores.size() == 4);
  int rounds[2] = {0, 0};
  for (const auto& s : h.scores) {
    REQUIRE(s.ok());
    REQUIRE(s.round <= 1);
    ++rounds[s.round];
    CHECK(s.epochs == (s.round == 0 ? 4 : 8));
  }
  CHECK(rounds[0] == 2);  // dropped after round 0
  CHECK(rounds[1] == 2);  // the last round, at the full epochs
  CHECK(h.scores[h.best].round == 1);
  CHECK(built == 4);  // round 0 only is below the candidates' own 8 epochs
  // The floor: min_epochs 6 lifts round 0 from 4 to 6 epochs.
  o.min_epochs = 6;
  for (const auto& s : imbalance::search_pipelines(candidates, data, o).scores) CHECK(s.epochs == (s.round == 0 ? 6 : 8));
  // Nine candidates by a factor of 3: 9, 3 (then 1 would compare nothing) at 3 and 8 epochs.
  std::vector<imbalance::SearchCandidate> nine;
  for (int i = 0; i < 9; ++i) nine.push_back(candidates[static_cast<std::size_t>(i % 5)]);
  o.budget = 0;
  o.min_epochs = 1;
  o.factor = 3;
  const auto h9 = imbalance::search_pipelines(nine, data, o);
  int last = 0;
  for (const auto& s : h9.scores) {
    CHECK(s.epochs == (s.round == 0 ? 3 : 8));
    last += s.round == 1;
  }
  CHECK(last == 3);
}

TEST_CASE("search_pipelines: bad options and candidates throw, naming them", "[pipeline][search]") {
  const auto data = search_data();
  const std::vector<imbalance::SearchCandidate> one = {search_candidate("ce", search_cross_entropy())};
  CHECK_THROWS_WITH(imbalance::search_pipelines({}, data), Catch::Contains("candidates is empty"));
  imbalance::SearchOptions o;
  o.folds = 1;
  CHECK_THROWS_WITH(imbalance::search_pipelines(one, data, o), Catch::Contains("folds must be 0 or >= 2 (got 1)"));
  o = {};
  o.strategy = imbalance::SearchStrategy::Halving;
  o.factor = 1;
  CHECK_THROWS_WITH(imbalance::search_pipelines(one, data, o), Catch::Contains("factor must be >= 2"));
  auto partial = one;
  partial[0].options.weak = imbalance::PartialLabelStage{};
  CHECK_THROWS_WITH(imbalance::search_pipelines(partial, data), Catch::Contains("'ce' learns from partial labels"));
  CHECK_THROWS_AS(imbalance::search_pipelines(partial, data), std::invalid_argument);
}

TEST_CASE("Thread-count invariance: search_pipelines' scores and choice", "[pipeline][search][parallel]") {
  const auto data = search_data();
  std::vector<imbalance::SearchCandidate> candidates = {
      search_candidate("ce", search_cross_entropy()), search_candidate("la", search_loss<imbalance::LogitAdjustedLoss>()),
      search_candidate("ce-fast", search_cross_entropy(), 0, 0.3)};
  // A failing candidate whose message names a class: the caller's class names hold on every thread.
  imbalance::SearchCandidate failing = search_candidate("step-fails", search_cross_entropy());
  failing.options.resampling.push_back({"refuses", [](const Eigen::MatrixXd&, const Eigen::VectorXi&, imbalance::Rng&)
                                                       -> imbalance::Resampled<Eigen::MatrixXd> {
                                          imbalance::detail::throw_invalid("refuses: ", imbalance::detail::class_name(2), " is too small");
                                        }});
  candidates.insert(candidates.begin(), failing);
  const imbalance::ScopedClassNames names({"zero", "one", "two"});
  imbalance::SearchOptions o;
  o.folds = 2;
  o.refit = false;
  const auto reference = imbalance::search_pipelines(candidates, data, o);
  REQUIRE(!reference.scores[0].ok());
  CHECK_THAT(reference.scores[0].failure, Catch::Contains("refuses: 'two' is too small"));
#if defined(_OPENMP)
  const int saved = omp_get_max_threads();
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    CHECK(same_scores(reference, imbalance::search_pipelines(candidates, data, o)));
  }
  omp_set_num_threads(saved);
#endif
}
