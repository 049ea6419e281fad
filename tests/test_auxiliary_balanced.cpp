#include <catch2/catch.hpp>

#include <imbalance/semi/auxiliary_balanced.hpp>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/cross_entropy.hpp>

using Catch::Contains;

TEST_CASE("ABC: the balanced head predicts the tail classes more often than plain training", "[semi][abc][train]") {
  imbalance::SyntheticOptions o;
  o.num_classes = 4;
  o.dimension = 6;
  o.n_max = 300;
  o.imbalance_ratio = 50;
  o.separation = 2.5;
  o.test_per_class = 200;
  imbalance::SemiSupervisedOptions semi;
  semi.unlabeled_n_max = 600;
  semi.unlabeled_imbalance_ratio = 50;
  imbalance::Rng data_rng(41);
  const auto data = imbalance::make_synthetic_semi_supervised(o, semi, data_rng);
  imbalance::TrainerOptions t;
  t.epochs = 15;
  t.batch_size = 64;
  imbalance::SoftmaxClassifier plain, abc;
  plain.fit(data.labeled.train_x, data.labeled.train_y, imbalance::CrossEntropyLoss(4), t);
  imbalance::Rng rng(42);
  const auto history = imbalance::fit_auxiliary_balanced(abc, data.labeled.train_x, data.labeled.train_y,
                                                         data.unlabeled_x, 4, t, imbalance::AuxiliaryBalancedOptions{}, rng);
  CHECK(history.size() == 15);
  const Eigen::VectorXi p_plain = plain.predict(data.labeled.test_x), p_abc = abc.predict(data.labeled.test_x);
  const auto tail_predictions = [](const Eigen::VectorXi& p) { return (p.array() == 3).count(); };
  CHECK(tail_predictions(p_abc) > tail_predictions(p_plain));
  // Same generator seed, same head.
  imbalance::SoftmaxClassifier again;
  imbalance::Rng rng2(42);
  imbalance::fit_auxiliary_balanced(again, data.labeled.train_x, data.labeled.train_y, data.unlabeled_x, 4, t,
                                    imbalance::AuxiliaryBalancedOptions{}, rng2);
  CHECK(again.weights() == abc.weights());
  Eigen::VectorXi missing = data.labeled.train_y;
  for (Eigen::Index i = 0; i < missing.size(); ++i)
    if (missing(i) == 3) missing(i) = 2;
  CHECK_THROWS_WITH(imbalance::fit_auxiliary_balanced(abc, data.labeled.train_x, missing, data.unlabeled_x, 4, t,
                                                      imbalance::AuxiliaryBalancedOptions{}, rng),
                    Contains("class 3 has no labelled sample"));
}
