#include <catch2/catch.hpp>

#include <type_traits>

#include <imbalance/data/synthetic.hpp>
#include <imbalance/losses/any_loss.hpp>
#include <imbalance/losses/cross_entropy.hpp>
#include <imbalance/losses/focal.hpp>
#include <imbalance/losses/influence_balanced.hpp>
#include <imbalance/losses/ldam.hpp>
#include <imbalance/losses/logit_adjusted.hpp>
#include <imbalance/over_sampling/smote.hpp>
#include <imbalance/train/softmax_classifier.hpp>

#include "classifier_probe.hpp"

namespace {
const imbalance::HeadType head_linear = imbalance::HeadType::of<imbalance::LinearHead>();
const imbalance::HeadType head_cosine = imbalance::HeadType::of<imbalance::CosineHead>();
const imbalance::HeadType head_etf = imbalance::HeadType::of<imbalance::EtfHead>();
template <class Loss>
void check_backward(const imbalance::SoftmaxClassifier& model, const Eigen::MatrixXd& X, const Eigen::VectorXi& y,
                    const Loss& loss) {
  Eigen::MatrixXd grad_w;
  Eigen::RowVectorXd grad_b;
  imbalance::detail::ClassifierProbe::objective(model, X, y, loss, grad_w, grad_b);
  imbalance::SoftmaxClassifier probe = model;
  Eigen::MatrixXd w = model.weights();
  Eigen::RowVectorXd b = model.bias();
  Eigen::MatrixXd unused_w;
  Eigen::RowVectorXd unused_b;
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < w.rows(); ++i)
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      Eigen::MatrixXd plus = w, minus = w;
      plus(i, j) += h;
      minus(i, j) -= h;
      probe.set_parameters(plus, b, model.head());
      const double f_plus = imbalance::detail::ClassifierProbe::objective(probe, X, y, loss, unused_w, unused_b);
      probe.set_parameters(minus, b, model.head());
      const double f_minus = imbalance::detail::ClassifierProbe::objective(probe, X, y, loss, unused_w, unused_b);
      CHECK(grad_w(i, j) == Approx((f_plus - f_minus) / (2 * h)).margin(1e-6));
    }
  if (model.head() == head_cosine) return;  // no bias
  for (Eigen::Index j = 0; j < b.size(); ++j) {
    Eigen::RowVectorXd plus = b, minus = b;
    plus(j) += h;
    minus(j) -= h;
    probe.set_parameters(w, plus);
    const double f_plus = imbalance::detail::ClassifierProbe::objective(probe, X, y, loss, unused_w, unused_b);
    probe.set_parameters(w, minus);
    const double f_minus = imbalance::detail::ClassifierProbe::objective(probe, X, y, loss, unused_w, unused_b);
    CHECK(grad_b(j) == Approx((f_plus - f_minus) / (2 * h)).margin(1e-6));
  }
}
}  // namespace

TEST_CASE("SoftmaxClassifier: the hand-written dW and db equal central finite differences", "[train]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 4;
  synthetic.dimension = 3;
  synthetic.n_max = 20;
  synthetic.imbalance_ratio = 10;
  synthetic.test_per_class = 1;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 5);
  imbalance::Rng rng(3);
  Eigen::MatrixXd w(3, 4);
  for (Eigen::Index i = 0; i < w.size(); ++i) w(i) = imbalance::standard_normal(rng);
  Eigen::RowVectorXd b(4);
  for (Eigen::Index i = 0; i < 4; ++i) b(i) = imbalance::standard_normal(rng);
  imbalance::SoftmaxClassifier model;
  model.set_parameters(w, b);
  check_backward(model, data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts));
  imbalance::FocalOptions half;
  half.gamma = 0.5;
  check_backward(model, data.train_x, data.train_y, imbalance::FocalLoss(data.train_counts, half));
  check_backward(model, data.train_x, data.train_y, imbalance::LogitAdjustedLoss(data.train_counts));
  // The cosine classifier with LDAM (s = 30): through both normalisations.
  model.set_parameters(w, Eigen::RowVectorXd::Zero(4), head_cosine);
  check_backward(model, data.train_x, data.train_y, imbalance::LDAMLoss(data.train_counts));
}

TEST_CASE("SoftmaxClassifier: same seed gives the same model and another seed another", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 1);
  imbalance::TrainerOptions options;
  options.epochs = 3;
  options.seed = 7;
  imbalance::SoftmaxClassifier a, b, c;
  const imbalance::CrossEntropyLoss loss(data.train_counts);
  a.fit(data.train_x, data.train_y, loss, options);
  b.fit(data.train_x, data.train_y, loss, options);
  options.seed = 8;
  c.fit(data.train_x, data.train_y, loss, options);
  CHECK((a.weights() - b.weights()).cwiseAbs().maxCoeff() == 0.0);
  CHECK((a.weights() - c.weights()).cwiseAbs().maxCoeff() > 0.0);
}

TEST_CASE("SoftmaxClassifier: callbacks, DRW switch, batch sampler and divergence", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 2);
  imbalance::TrainerOptions options;
  options.epochs = 4;
  options.evaluate_each_epoch = true;
  imbalance::BatchSamplerOptions class_balanced;
  class_balanced.sampling = imbalance::BatchSampling::ClassBalanced;
  options.sampler = class_balanced;
  std::vector<long> seen;
  options.on_epoch = [&](const imbalance::EpochInfo& info) { seen.push_back(info.epoch); };
  std::vector<long> loss_epochs;
  imbalance::SoftmaxClassifier model;
  const auto history = model.fit(
      data.train_x, data.train_y,
      [&](long epoch) {
        loss_epochs.push_back(epoch);
        return imbalance::CrossEntropyLoss(data.train_counts);
      },
      options);
  CHECK(seen == std::vector<long>{0, 1, 2, 3});
  REQUIRE(history.size() == 4);
  CHECK(history.back().train_balanced_accuracy.has_value());
  CHECK(*history.back().train_balanced_accuracy > 0.3);
  CHECK(std::count(loss_epochs.begin(), loss_epochs.end(), 3) >= 1);
  options.learning_rate.base = 1e300;  // diverges: the weights overflow
  options.sampler.reset();
  CHECK_THROWS_WITH(model.fit(data.train_x, data.train_y, imbalance::LDAMLoss(data.train_counts), options),
                    Catch::Contains("training diverged at epoch") && Catch::Contains("lower the learning rate"));
  options.learning_rate.base = 0.1;
  options.batch_size = 0;
  CHECK_THROWS_WITH(model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options),
                    Catch::Contains("batch_size"));
}

TEST_CASE("SoftmaxClassifier: a caller's generator continues one stream from resampling into training", "[train]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.imbalance_ratio = 20;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 9);
  imbalance::TrainerOptions options;
  options.epochs = 2;
  options.seed = 5;
  auto smote_then_train = [&](imbalance::SoftmaxClassifier& model) {
    imbalance::Rng rng(options.seed);
    imbalance::SMOTEOptions smote;
    smote.k_neighbors = 3;
    const auto resampled = imbalance::SMOTE(smote).fit_resample(data.train_x, data.train_y, rng);
    model.fit(resampled.X, resampled.y, imbalance::CrossEntropyLoss(data.train_counts), options, rng);
  };
  imbalance::SoftmaxClassifier a, b, plain, seeded;
  smote_then_train(a);
  smote_then_train(b);
  CHECK((a.weights() - b.weights()).cwiseAbs().maxCoeff() == 0.0);
  plain.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options);
  CHECK((a.weights() - plain.weights()).cwiseAbs().maxCoeff() > 0.0);
  // The seed overload is the generator overload with Rng(options.seed).
  imbalance::Rng rng(options.seed);
  seeded.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(data.train_counts), options, rng);
  CHECK((seeded.weights() - plain.weights()).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("SoftmaxClassifier: every loss trains with either head", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 4);
  for (imbalance::HeadType head : {head_linear, head_cosine}) {
    imbalance::TrainerOptions options;
    options.epochs = 3;
    options.head = head;
    options.evaluate_each_epoch = true;
    imbalance::SoftmaxClassifier model;
    const auto history = model.fit(data.train_x, data.train_y, imbalance::LDAMLoss(data.train_counts), options);
    CHECK(model.head() == head);
    CHECK(*history.back().train_balanced_accuracy > 0.2);
  }
}

TEST_CASE("SoftmaxClassifier: float training follows double training", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 6);
  for (imbalance::HeadType head : {head_linear, head_cosine}) {
    INFO("head " << head.name());
    imbalance::TrainerOptions options;
    options.epochs = 8;
    options.head = head;
    options.evaluate_each_epoch = true;
    // Through AnyLoss (its float path too); LDAM's s = 30 on the linear head makes training chaotic
    // (any rounding difference grows), so that head trains with cross-entropy here.
    const imbalance::AnyLoss loss = head == head_cosine ? imbalance::AnyLoss(imbalance::LDAMLoss(data.train_counts))
                                                                    : imbalance::AnyLoss(imbalance::CrossEntropyLoss(data.train_counts));
    imbalance::SoftmaxClassifier in_double, in_float, again;
    const auto double_history = in_double.fit(data.train_x, data.train_y, loss, options);
    const auto float_history = in_float.fit<float>(data.train_x, data.train_y, loss, options);
    again.fit<float>(data.train_x, data.train_y, loss, options);
    CHECK((again.weights() - in_float.weights()).cwiseAbs().maxCoeff() == 0.0);  // deterministic
    // The same trajectory up to float rounding: parameters, losses and accuracy agree closely.
    const double scale = in_double.weights().cwiseAbs().maxCoeff();
    CHECK((in_float.weights() - in_double.weights()).cwiseAbs().maxCoeff() < 1e-3 * scale);
    CHECK(float_history.back().mean_loss == Approx(double_history.back().mean_loss).epsilon(1e-4));
    const double test_double = imbalance::balanced_accuracy(data.test_y, in_double.predict(data.test_x), 10);
    const double test_float = imbalance::balanced_accuracy(data.test_y, in_float.predict(data.test_x), 10);
    CHECK(test_float == Approx(test_double).margin(0.01));
  }
}

TEST_CASE("SoftmaxClassifier: every layout of X trains the same bits (one conversion to the training rows)", "[train]") {
  imbalance::SyntheticOptions o;
  o.dimension = 45;  // rows of the column-major source span several conversion blocks, with a remainder
  const auto data = imbalance::make_synthetic_long_tailed(o, 9);
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = data.train_x;
  const Eigen::MatrixXf floats = data.train_x.cast<float>();
  Eigen::MatrixXd padded = Eigen::MatrixXd::Zero(data.train_x.rows() + 3, data.train_x.cols());
  padded.topRows(data.train_x.rows()) = data.train_x;
  const imbalance::CrossEntropyLoss loss(data.train_counts);
  const auto check_layouts = [&](auto zero) {
    using Scalar = decltype(zero);
    for (imbalance::HeadType head : {head_linear, head_cosine}) {
      const bool in_float = std::is_same<Scalar, float>::value;
      INFO("float " << in_float << ", head " << head.name());
      imbalance::TrainerOptions options;
      options.epochs = 3;
      options.head = head;
      imbalance::SoftmaxClassifier column_major, row_major, block;
      column_major.fit<Scalar>(data.train_x, data.train_y, loss, options);
      row_major.fit<Scalar>(rows, data.train_y, loss, options);
      block.fit<Scalar>(padded.topRows(data.train_x.rows()), data.train_y, loss, options);
      CHECK(row_major.weights().cwiseEqual(column_major.weights()).all());
      CHECK(block.weights().cwiseEqual(column_major.weights()).all());
      CHECK(block.bias().cwiseEqual(column_major.bias()).all());
      if (std::is_same<Scalar, float>::value) {  // float input trains in float by default: the same rows
        imbalance::SoftmaxClassifier from_float;
        from_float.fit(floats, data.train_y, loss, options);
        CHECK(from_float.weights().cwiseEqual(column_major.weights()).all());
      }
    }
  };
  check_layouts(0.0);
  check_layouts(0.0f);
}

namespace {
// A user's loss written for double logits only.
struct DoubleOnlyLoss {
  Eigen::Index num_classes() const { return 10; }
  double value_and_gradient(const Eigen::Ref<const imbalance::AnyLoss::Logits>& z, const Eigen::Ref<const Eigen::VectorXi>&,
                            Eigen::Ref<imbalance::AnyLoss::Logits> grad) const {
    grad.setZero();
    return z.sum() * 0;
  }
};
}  // namespace

TEST_CASE("SoftmaxClassifier: a loss without a float path refuses float training with a clear message", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, 6);
  imbalance::TrainerOptions options;
  options.epochs = 1;
  imbalance::SoftmaxClassifier model;
  const imbalance::AnyLoss loss = DoubleOnlyLoss{};
  CHECK_NOTHROW(model.fit(data.train_x, data.train_y, loss, options));
  CHECK_THROWS_WITH(model.fit<float>(data.train_x, data.train_y, loss, options), Catch::Contains("train in double"));
  // A loss made for one arithmetic refuses the other, naming both.
  const imbalance::AnyLoss in_double = imbalance::AnyLoss::in<double>(imbalance::CrossEntropyLoss(data.train_counts));
  CHECK_NOTHROW(model.fit(data.train_x, data.train_y, in_double, options));
  CHECK_THROWS_WITH(model.fit<float>(data.train_x, data.train_y, in_double, options),
                    Catch::Contains("made for double") && Catch::Contains("float logits"));
}

namespace {
// Central differences of objective() in every parameter of a model with a hidden layer.
void check_hidden_backward(const imbalance::SoftmaxClassifier& model, const Eigen::MatrixXd& X,
                           const Eigen::VectorXi& y, const imbalance::AnyLoss& loss) {
  Eigen::MatrixXd grad_w, grad_hw;
  Eigen::RowVectorXd grad_b, grad_hb;
  imbalance::detail::ClassifierProbe::objective(model, X, y, loss, grad_w, grad_b, grad_hw, grad_hb);
  REQUIRE(grad_hw.rows() == model.hidden_weights().rows());
  imbalance::SoftmaxClassifier probe = model;
  Eigen::MatrixXd hw = model.hidden_weights(), w = model.weights();
  Eigen::RowVectorXd hb = model.hidden_bias(), b = model.bias();
  Eigen::MatrixXd u1, u2;
  Eigen::RowVectorXd u3, u4;
  const double h = 1e-6;
  auto value = [&]() { return imbalance::detail::ClassifierProbe::objective(probe, X, y, loss, u1, u3, u2, u4); };
  auto check_each = [&](auto& parameter, const auto& gradient) {
    for (Eigen::Index i = 0; i < parameter.size(); ++i) {
      const double original = parameter(i);
      parameter(i) = original + h;
      imbalance::detail::ClassifierProbe::set_all_parameters(probe, hw, hb, w, b);
      const double plus = value();
      parameter(i) = original - h;
      imbalance::detail::ClassifierProbe::set_all_parameters(probe, hw, hb, w, b);
      const double minus = value();
      parameter(i) = original;
      CHECK(gradient(i) == Approx((plus - minus) / (2 * h)).margin(1e-6));
    }
  };
  check_each(hw, grad_hw);
  check_each(hb, grad_hb);
  check_each(w, grad_w);
  if (model.head() != head_cosine) check_each(b, grad_b);
}
}  // namespace

TEST_CASE("SoftmaxClassifier: the hidden layer's backward pass equals finite differences for every head and IB",
          "[train]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 3;
  synthetic.dimension = 4;
  synthetic.n_max = 12;
  synthetic.imbalance_ratio = 4;
  synthetic.test_per_class = 1;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 9);
  const imbalance::AnyLoss ce = imbalance::CrossEntropyLoss(3);
  imbalance::InfluenceBalancedOptions ib_options;
  ib_options.alpha = 1;
  const imbalance::AnyLoss ib = imbalance::InfluenceBalancedTrainingLoss(3, ib_options);
  for (auto head : {head_linear, head_cosine, head_etf}) {
    INFO("head " << head.name());
    imbalance::TrainerOptions options;
    options.hidden_units = 5;
    options.head = head;
    options.epochs = 2;
    options.batch_size = 8;
    options.etf_reg_lambda = 0.01;
    imbalance::SoftmaxClassifier model;
    model.fit(data.train_x, data.train_y, ce, options);
    CHECK(model.has_hidden_layer());
    CHECK(model.features(data.train_x).cols() == 5);
    CHECK((model.features(data.train_x).array() >= 0).all());
    check_hidden_backward(model, data.train_x, data.train_y, ce);
    if (head != head_etf) check_hidden_backward(model, data.train_x, data.train_y, ib);
  }
}

TEST_CASE("SoftmaxClassifier: the ETF head is a fixed simplex ETF, bad hidden options", "[train]") {
  imbalance::SyntheticOptions synthetic;
  synthetic.num_classes = 4;
  synthetic.dimension = 6;
  synthetic.n_max = 30;
  synthetic.test_per_class = 1;
  const auto data = imbalance::make_synthetic_long_tailed(synthetic, 2);
  imbalance::TrainerOptions options;
  options.head = head_etf;
  options.etf_dimension = 3;  // K - 1, the smallest possible
  options.epochs = 3;
  imbalance::SoftmaxClassifier model;
  model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), options);
  const Eigen::MatrixXd gram = model.etf().transpose() * model.etf();
  CHECK((gram.diagonal().array() - 1).abs().maxCoeff() <= 1e-12);
  CHECK(std::abs(gram(0, 1) + 1.0 / 3.0) <= 1e-12);
  CHECK(model.logits(data.test_x).cols() == 4);
  options.etf_dimension = 2;
  CHECK_THROWS_WITH(model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), options),
                    Catch::Contains("etf_dimension must be >= K - 1 = 3"));
  options.head = head_linear;
  options.hidden_units = -1;
  CHECK_THROWS_WITH(model.fit(data.train_x, data.train_y, imbalance::CrossEntropyLoss(4), options),
                    Catch::Contains("hidden_units must be >= 0 (got -1)"));
  const imbalance::InfluenceBalancedTrainingLoss ib(4);
  Eigen::MatrixXd g;
  CHECK_THROWS_WITH(ib.value_and_gradient(Eigen::MatrixXd::Zero(2, 4), Eigen::VectorXi::Zero(2), g),
                    Catch::Contains("needs the features"));
}

TEST_CASE("SoftmaxClassifier::fit_with_targets: unit weights and one-hot soft targets train as fit does", "[train]") {
  imbalance::SyntheticOptions o;
  o.num_classes = 4;
  o.dimension = 5;
  o.n_max = 80;
  o.imbalance_ratio = 8;
  const auto data = imbalance::make_synthetic_long_tailed(o, std::uint64_t{51});
  imbalance::TrainerOptions t;
  t.epochs = 4;
  t.batch_size = 32;
  t.hidden_units = 6;
  const imbalance::CrossEntropyLoss loss(4);
  imbalance::SoftmaxClassifier reference;
  reference.fit(data.train_x, data.train_y, loss, t);
  const Eigen::Index n = data.train_x.rows();
  std::vector<long> epochs_seen;
  const imbalance::EpochTargetsRefresh record = [&](long epoch, const imbalance::SoftmaxClassifier& model,
                                                    imbalance::EpochTargets&) {
    epochs_seen.push_back(epoch);
    CHECK(model.has_hidden_layer());
  };
  imbalance::EpochTargets weighted;
  weighted.labels = data.train_y;
  weighted.sample_weights = Eigen::VectorXd::Ones(n);
  imbalance::SoftmaxClassifier a;
  imbalance::Rng rng_a(t.seed);
  a.fit_with_targets(data.train_x, weighted, loss, record, t, rng_a);
  CHECK(epochs_seen == std::vector<long>{0, 1, 2, 3});
  CHECK((a.weights() - reference.weights()).cwiseAbs().maxCoeff() <= 1e-12);
  CHECK((a.hidden_weights() - reference.hidden_weights()).cwiseAbs().maxCoeff() <= 1e-12);
  imbalance::EpochTargets soft;
  soft.labels = data.train_y;
  soft.soft = imbalance::SoftmaxClassifier::RowMatrix::Zero(n, 4);
  for (Eigen::Index i = 0; i < n; ++i) soft.soft(i, data.train_y(i)) = 1;
  imbalance::SoftmaxClassifier b;
  imbalance::Rng rng_b(t.seed);
  b.fit_with_targets(data.train_x, soft, loss, nullptr, t, rng_b);
  CHECK((b.weights() - reference.weights()).cwiseAbs().maxCoeff() <= 1e-12);
  // Zero weights: those samples do not move the model (all zero: the model stays as initialised,
  // but for weight decay, which is zero here).
  imbalance::TrainerOptions no_decay = t;
  no_decay.weight_decay = 0;
  no_decay.hidden_weight_decay = 0;
  no_decay.epochs = 1;
  imbalance::EpochTargets none;
  none.labels = data.train_y;
  none.sample_weights = Eigen::VectorXd::Zero(n);
  imbalance::SoftmaxClassifier c, initial;
  imbalance::Rng rng_c(t.seed);
  c.fit_with_targets(data.train_x, none, loss, nullptr, no_decay, rng_c);
  imbalance::Rng rng_d(t.seed);
  const imbalance::EpochTargetsRefresh keep = [&](long, const imbalance::SoftmaxClassifier& model, imbalance::EpochTargets&) {
    initial = model;
  };
  imbalance::SoftmaxClassifier d;
  d.fit_with_targets(data.train_x, none, loss, keep, no_decay, rng_d);
  CHECK(c.weights() == initial.weights());
}

namespace {
// A user's loss with the three-argument call only.
struct UnweightedUserLoss {
  imbalance::CrossEntropyLoss ce{10};
  Eigen::Index num_classes() const { return 10; }
  template <class Z, class Y, class G>
  typename Z::Scalar value_and_gradient(const Z& z, const Y& y, G& g) const { return ce.value_and_gradient(z, y, g); }
};
}  // namespace

TEST_CASE("SoftmaxClassifier::fit_with_targets: refreshed targets are checked, losses without weights refused", "[train]") {
  const auto data = imbalance::make_synthetic_long_tailed(imbalance::SyntheticOptions{}, std::uint64_t{52});
  imbalance::TrainerOptions t;
  t.epochs = 3;
  const imbalance::CrossEntropyLoss loss(10);
  imbalance::EpochTargets targets;
  targets.labels = data.train_y;
  const imbalance::EpochTargetsRefresh negative = [](long epoch, const imbalance::SoftmaxClassifier&,
                                                     imbalance::EpochTargets& refreshed) {
    if (epoch == 2) refreshed.sample_weights = Eigen::VectorXd::Constant(refreshed.labels.size(), -1.0);
  };
  imbalance::SoftmaxClassifier model;
  imbalance::Rng rng(1);
  CHECK_THROWS_WITH(model.fit_with_targets(data.train_x, targets, loss, negative, t, rng),
                    Catch::Contains("the targets refreshed for epoch 2: sample_weights[0] must be finite and >= 0 (got -1)"));
  const imbalance::EpochTargetsRefresh wrong_label = [](long, const imbalance::SoftmaxClassifier&,
                                                        imbalance::EpochTargets& refreshed) { refreshed.labels(3) = 10; };
  CHECK_THROWS_AS(model.fit_with_targets(data.train_x, targets, loss, wrong_label, t, rng), imbalance::out_of_range);
  // A user's loss written without per-sample weights.
  targets.sample_weights = Eigen::VectorXd::Ones(targets.labels.size());
  CHECK_THROWS_WITH(model.fit_with_targets(data.train_x, targets, UnweightedUserLoss{}, nullptr, t, rng),
                    Catch::Contains("takes no per-sample weights"));
  t.head = head_etf;
  CHECK_THROWS_WITH(model.fit_with_targets(data.train_x, targets, loss, nullptr, t, rng), Catch::Contains("etf head trains with a loss of its own"));
}

// The former name stays as a deprecated alias of the same type.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static_assert(std::is_same<imbalance::SoftmaxRegression, imbalance::SoftmaxClassifier>::value,
              "SoftmaxRegression is the former name of SoftmaxClassifier");
#pragma GCC diagnostic pop
