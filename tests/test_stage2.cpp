#include <catch2/catch.hpp>

#include <imbalance/pipeline/stage2.hpp>

#include <imbalance/data/synthetic.hpp>

namespace {

struct Stage2Fixture {
  imbalance::Dataset data;
  imbalance::TrainerOptions options;
  imbalance::SoftmaxClassifier model;

  Stage2Fixture() {
    imbalance::SyntheticOptions synthetic;
    synthetic.num_classes = 4;
    synthetic.dimension = 6;
    synthetic.n_max = 80;
    synthetic.imbalance_ratio = 8;
    synthetic.test_per_class = 10;
    data = imbalance::make_synthetic_long_tailed(synthetic, 31);
    options.hidden_units = 8;
    options.epochs = 4;
    model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), options);
  }
};

}  // namespace

TEST_CASE("stage-2 recipes: values a program calls without names", "[pipeline][stage2]") {
  const Stage2Fixture f;
  const Eigen::MatrixXd train_x = f.data.train_x;
  const Eigen::VectorXi train_y = f.data.train_y;
  const imbalance::Stage2Context context{f.model, train_x, train_y, f.options};

  // cRT: the stage-1 representation, a new linear head trained class-balanced on it.
  const Eigen::MatrixXd crt = imbalance::ClassifierRetraining{3}(context)(f.data.test_x);
  imbalance::TrainerOptions head_options = f.options;
  head_options.hidden_units = 0;
  head_options.epochs = 3;
  imbalance::BatchSamplerOptions balanced;
  balanced.sampling = imbalance::BatchSampling::ClassBalanced;
  head_options.sampler = balanced;
  imbalance::SoftmaxClassifier head;
  head.fit<double>(f.model.features(train_x), train_y, imbalance::CrossEntropyLoss(4), head_options);
  CHECK(crt == head.logits(f.model.features(f.data.test_x)));
  // epochs 0: the stage-1 epochs.
  head_options.epochs = f.options.epochs;
  head.fit<double>(f.model.features(train_x), train_y, imbalance::CrossEntropyLoss(4), head_options);
  CHECK(imbalance::ClassifierRetraining{}(context)(f.data.test_x) == head.logits(f.model.features(f.data.test_x)));
  CHECK_THROWS_WITH(imbalance::ClassifierRetraining{-1}(context), Catch::Contains("epochs must be >= 0 (got -1)"));

  // tau-norm with tau 0: the unnormalised weights without the bias.
  CHECK(imbalance::TauNormalizedClassifier{0.0}(context)(f.data.test_x)
            .isApprox(Eigen::MatrixXd(f.model.features(f.data.test_x) * f.model.weights())));
  // LWS, NCM, TDE: finite logits of every row; the model's own classifier.
  for (const imbalance::Stage2& recipe :
       {imbalance::Stage2{"lws", imbalance::WeightScaledClassifier{}},
        imbalance::Stage2{"ncm", imbalance::NearestClassMeanClassifier{}},
        imbalance::Stage2{"ncm-cosine", imbalance::NearestClassMeanClassifier{imbalance::NearestClassMeanOptions::Metric::Cosine}},
        imbalance::Stage2{"tde", imbalance::CausalNormClassifier{}}}) {
    INFO(recipe.name);
    const Eigen::MatrixXd z = recipe.fit(context)(f.data.test_x);
    CHECK(z.rows() == f.data.test_x.rows());
    CHECK(z.cols() == 4);
    CHECK(z.allFinite());
  }
  CHECK(imbalance::stage1_classifier(f.model)(f.data.test_x) == f.model.logits(f.data.test_x));

  // Heads a recipe cannot use.
  imbalance::TrainerOptions cosine = f.options;
  cosine.head = imbalance::HeadType::of<imbalance::CosineHead>();
  imbalance::SoftmaxClassifier cosine_model;
  cosine_model.fit(f.data.train_x, f.data.train_y, imbalance::CrossEntropyLoss(4), cosine);
  CHECK_THROWS_WITH(imbalance::TauNormalizedClassifier{}({cosine_model, train_x, train_y, cosine}),
                    Catch::Contains("needs the linear head"));
}
