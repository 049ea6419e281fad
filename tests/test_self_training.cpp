#include <catch2/catch.hpp>

#include <imbalance/semi/self_training.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/cross_entropy.hpp>

using imbalance::SelfTrainingOptions;
using Catch::Contains;

namespace {

imbalance::SemiSupervisedDataset self_training_data() {
  imbalance::SyntheticOptions o;
  o.num_classes = 4;
  o.dimension = 6;
  o.n_max = 60;
  o.imbalance_ratio = 10;
  o.separation = 5;
  o.test_per_class = 50;
  imbalance::SemiSupervisedOptions semi;
  semi.unlabeled_n_max = 300;
  semi.unlabeled_imbalance_ratio = 10;
  imbalance::Rng rng(31);
  return imbalance::make_synthetic_semi_supervised(o, semi, rng);
}

}  // namespace

TEST_CASE("Self-training: pseudo-labels, the confidence mask and DARP's class totals", "[semi][self_training][train]") {
  const auto data = self_training_data();
  CHECK(data.unlabeled_counts(0) == 300);
  CHECK(data.unlabeled_counts(3) == 30);
  imbalance::TrainerOptions t;
  t.epochs = 8;
  t.batch_size = 64;
  const imbalance::CrossEntropyLoss loss(4);
  for (bool darp : {false, true}) {
    SelfTrainingOptions s;
    s.threshold = 0.9;
    s.warmup_epochs = 2;
    s.darp = darp;
    s.darp_options.solver = imbalance::DarpSolver::Converged;
    imbalance::SoftmaxClassifier model;
    imbalance::Rng rng(32);
    const auto r = imbalance::fit_self_training(model, data.labeled.train_x, data.labeled.train_y, data.unlabeled_x,
                                                loss, t, s, rng);
    CHECK(r.history.size() == 8);
    REQUIRE(r.pseudo_distributions.rows() == data.unlabeled_x.rows());
    CHECK(r.pseudo_labels == imbalance::argmax_rows(r.pseudo_distributions));
    CHECK(r.selected == (r.confidence.array() >= 0.9).count());
    CHECK(r.selected > 0);
    if (darp) {
      // The default target: the labelled distribution scaled to M, met by the Converged solver.
      const Eigen::VectorXd columns = r.pseudo_distributions.colwise().sum().transpose();
      Eigen::VectorXd expected = data.labeled.train_counts.cast<double>();
      expected *= static_cast<double>(data.unlabeled_x.rows()) / expected.sum();
      CHECK((columns - expected).cwiseAbs().maxCoeff() <= 1e-8);
    }
    // Same seed, same model.
    imbalance::SoftmaxClassifier again;
    imbalance::Rng rng2(32);
    imbalance::fit_self_training(again, data.labeled.train_x, data.labeled.train_y, data.unlabeled_x, loss, t, s, rng2);
    CHECK(again.weights() == model.weights());
  }
}

TEST_CASE("Self-training bad input", "[semi][self_training]") {
  const auto data = self_training_data();
  imbalance::TrainerOptions t;
  t.epochs = 1;
  const imbalance::CrossEntropyLoss loss(4);
  imbalance::SoftmaxClassifier model;
  imbalance::Rng rng(1);
  SelfTrainingOptions s;
  s.threshold = 1.5;
  CHECK_THROWS_WITH(imbalance::fit_self_training(model, data.labeled.train_x, data.labeled.train_y, data.unlabeled_x, loss, t, s, rng),
                    Contains("options.threshold must lie in [0, 1] (got 1.5)"));
  s = SelfTrainingOptions{};
  s.darp = true;
  s.darp_target = Eigen::Vector4d(10, 10, 10, 10);
  CHECK_THROWS_WITH(imbalance::fit_self_training(model, data.labeled.train_x, data.labeled.train_y, data.unlabeled_x, loss, t, s, rng),
                    Contains("target must sum to the number of samples"));
  CHECK_THROWS_WITH(imbalance::fit_self_training(model, data.labeled.train_x, data.labeled.train_y,
                                                 Eigen::MatrixXd(data.unlabeled_x.leftCols(3)), loss, t, SelfTrainingOptions{}, rng),
                    Contains("unlabeled_X has shape"));
}
