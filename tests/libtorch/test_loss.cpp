// The libtorch adapter's losses against libtorch's own autograd of the same formula written with
// tensor operations (float64): value and gradient to 1e-12.
#include "imbalance/libtorch/loss.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "imbalance/losses/balanced_softmax.hpp"
#include "imbalance/losses/class_balanced_focal.hpp"
#include "imbalance/losses/class_balanced_weights.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/distribution_balanced.hpp"
#include "imbalance/losses/equalization.hpp"
#include "imbalance/losses/focal.hpp"
#include "imbalance/losses/influence_balanced.hpp"
#include "imbalance/losses/lade.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/losses/ldam_hinge.hpp"
#include "imbalance/losses/logit_adjusted.hpp"
#include "imbalance/losses/parametric_cross_entropy.hpp"
#include "imbalance/losses/seesaw.hpp"
#include "imbalance/losses/sigmoid_focal.hpp"
#include "imbalance/losses/vs.hpp"

namespace {

using torch::Tensor;
namespace lt = imbalance::libtorch;

constexpr std::int64_t kLossRows = 48;
constexpr std::int64_t kLossClasses = 7;

struct TorchLossBatch {
  Tensor z;           // N x K logits, float64
  Tensor y;           // N labels, int64
  Tensor onehot;      // N x K, float64
  Tensor features;    // N x 5, the head's input (IB)
  Eigen::VectorXd counts;  // long-tailed training counts n_k
  Tensor n;           // the same as a tensor
};

TorchLossBatch torch_loss_batch(std::uint64_t seed) {
  torch::manual_seed(seed);
  TorchLossBatch b;
  b.z = 2.0 * torch::randn({kLossRows, kLossClasses}, torch::kDouble);
  b.y = torch::randint(0, kLossClasses, {kLossRows}, torch::kLong);
  b.onehot = torch::one_hot(b.y, kLossClasses).to(torch::kDouble);
  b.features = torch::randn({kLossRows, 5}, torch::kDouble);
  b.counts.resize(kLossClasses);
  for (Eigen::Index k = 0; k < kLossClasses; ++k)
    b.counts(k) = std::round(400.0 * std::pow(0.02, static_cast<double>(k) / (kLossClasses - 1)));
  b.n = lt::to_tensor_1d(b.counts);
  return b;
}

Tensor cross_entropy_rows(const Tensor& z, const Tensor& y) {
  return torch::logsumexp(z, 1) - z.gather(1, y.unsqueeze(1)).squeeze(1);
}

// The official class-balanced weights: (1 - beta) / (1 - beta^n), normalised to sum K.
Tensor torch_class_balanced_weights(const Tensor& n, double beta) {
  const Tensor w = (1.0 - beta) / (1.0 - torch::pow(beta, n));
  return w / w.sum() * static_cast<double>(n.size(0));
}

double max_relative_difference(const Tensor& ours, const Tensor& theirs) {
  const double scale = std::max(1.0, theirs.abs().max().item<double>());
  return (ours - theirs).abs().max().item<double>() / scale;
}

// Value and gradient of the adapter vs autograd of `formula`, each from its own leaf copy of z.
void check_against_autograd(const imbalance::AnyLoss& loss, const TorchLossBatch& b,
                            const std::function<Tensor(const Tensor&)>& formula) {
  const Tensor ours_z = b.z.clone().requires_grad_(true);
  const Tensor ours = lt::Loss(loss)(ours_z, b.y);
  ours.backward();
  const Tensor theirs_z = b.z.clone().requires_grad_(true);
  const Tensor theirs = formula(theirs_z);
  theirs.backward();
  REQUIRE(ours.dim() == 0);
  CHECK(max_relative_difference(ours, theirs) <= 1e-12);
  CHECK(max_relative_difference(ours_z.grad(), theirs_z.grad()) <= 1e-12);
}

}  // namespace

TEST_CASE("libtorch Loss: softmax-family losses equal autograd of their tensor formulas", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(7);
  const Tensor& n = b.n;
  const Tensor& y = b.y;
  const Tensor& Y = b.onehot;
  const Tensor pi = n / n.sum();
  const Eigen::VectorXd cb = imbalance::class_balanced_weights(b.counts, 0.9999);
  const Tensor cb_t = torch_class_balanced_weights(n, 0.9999);

  SECTION("cross-entropy, class-balanced weights, PyTorch's weighted mean") {
    imbalance::CrossEntropyOptions o;
    o.class_weights = cb;
    check_against_autograd(imbalance::CrossEntropyLoss(b.counts, o), b, [&](const Tensor& z) {
      const Tensor w = cb_t.index_select(0, y);
      return (w * cross_entropy_rows(z, y)).sum() / w.sum();
    });
  }
  SECTION("cross-entropy divided by the batch size") {
    imbalance::CrossEntropyOptions o;
    o.class_weights = cb;
    o.normalizer = imbalance::Normalizer::BatchSize;
    check_against_autograd(imbalance::CrossEntropyLoss(b.counts, o), b, [&](const Tensor& z) {
      return (cb_t.index_select(0, y) * cross_entropy_rows(z, y)).sum() / static_cast<double>(kLossRows);
    });
  }
  SECTION("focal (LDAM-DRW form), gamma 1.5, class weights") {
    imbalance::FocalOptions o;
    o.gamma = 1.5;
    o.class_weights = cb;
    check_against_autograd(imbalance::FocalLoss(b.counts, o), b, [&](const Tensor& z) {
      const Tensor q = cb_t.index_select(0, y) * cross_entropy_rows(z, y);
      return (torch::pow(1.0 - torch::exp(-q), 1.5) * q).mean();
    });
  }
  SECTION("balanced softmax") {
    check_against_autograd(imbalance::BalancedSoftmaxLoss(b.counts), b,
                           [&](const Tensor& z) { return cross_entropy_rows(z + torch::log(n), y).mean(); });
  }
  SECTION("logit-adjusted, tau 1.5") {
    imbalance::LogitAdjustedOptions o;
    o.tau = 1.5;
    check_against_autograd(imbalance::LogitAdjustedLoss(b.counts, o), b, [&](const Tensor& z) {
      return cross_entropy_rows(z + torch::log(torch::pow(pi, 1.5) + 1e-12), y).mean();
    });
  }
  SECTION("LDAM with the DRW weights of a late epoch") {
    imbalance::LDAMOptions o;
    o.class_weights = imbalance::DeferredReweighting(b.counts).weights(170);
    check_against_autograd(imbalance::LDAMLoss(b.counts, o), b, [&](const Tensor& z) {
      Tensor m = torch::pow(n, -0.25);
      m = m * 0.5 / m.max();
      const Tensor w = cb_t.index_select(0, y);
      const Tensor shifted = 30.0 * (z - m.index_select(0, y).unsqueeze(1) * Y);
      return (w * cross_entropy_rows(shifted, y)).sum() / w.sum();
    });
  }
  SECTION("VS") {
    check_against_autograd(imbalance::VSLoss(b.counts), b, [&](const Tensor& z) {
      const Tensor delta = torch::pow(n / n.max(), 0.3);
      return cross_entropy_rows(delta * z + torch::log(pi), y).mean();
    });
  }
  SECTION("parametric cross-entropy with every parameter set") {
    imbalance::ParametricCrossEntropyOptions o;
    o.multiplicative = Eigen::VectorXd::LinSpaced(kLossClasses, 0.5, 2.0);
    o.additive = Eigen::VectorXd::LinSpaced(kLossClasses, -1.0, 0.7);
    o.target_margin = Eigen::VectorXd::LinSpaced(kLossClasses, 0.1, 0.9);
    o.class_weights = Eigen::VectorXd::LinSpaced(kLossClasses, 0.3, 3.0);
    check_against_autograd(imbalance::ParametricCrossEntropyLoss(kLossClasses, o), b, [&](const Tensor& z) {
      const Tensor delta = lt::to_tensor_1d(o.multiplicative), iota = lt::to_tensor_1d(o.additive);
      const Tensor m = lt::to_tensor_1d(o.target_margin), alpha = lt::to_tensor_1d(o.class_weights);
      const Tensor shifted = delta * z + iota - m.index_select(0, y).unsqueeze(1) * Y;
      const Tensor w = alpha.index_select(0, y);
      return (w * cross_entropy_rows(shifted, y)).sum() / w.sum();
    });
  }
  SECTION("seesaw, first batch (cumulative counts = the batch's), constants detached") {
    check_against_autograd(imbalance::SeesawTrainingLoss(kLossClasses), b, [&](const Tensor& z) {
      const Tensor c = torch::clamp_min(Y.sum(0), 1.0);
      const Tensor cy = c.index_select(0, y).unsqueeze(1);
      const Tensor mitigation =
          torch::where(c.unsqueeze(0) < cy, torch::pow(c.unsqueeze(0) / cy, 0.8), torch::ones_like(z));
      const Tensor p = torch::softmax(z, 1).detach();
      const Tensor ratio = p / torch::clamp_min(p.gather(1, y.unsqueeze(1)), 1e-2);
      const Tensor compensation = torch::where(ratio > 1.0, torch::pow(ratio, 2.0), torch::ones_like(z));
      return cross_entropy_rows(z + (1.0 - Y) * torch::log(mitigation * compensation), y).mean();
    });
  }
  SECTION("LADE: PriorCE and its batch regulariser") {
    imbalance::LADEOptions o;
    check_against_autograd(imbalance::LADELoss(b.counts, o), b, [&](const Tensor& z) {
      const Tensor prior_ce = cross_entropy_rows(z + torch::log(pi + 1e-9), y).mean();
      const Tensor first = (Y * z).sum(0) / (Y.sum(0) + 1e-8);
      const Tensor second = torch::logsumexp(z - torch::log(pi + 1e-9) + std::log(1.0 / kLossClasses + 1e-9), 0) -
                            std::log(static_cast<double>(kLossRows));
      const Tensor regulariser = -(pi * (first - second - 0.1 * second * second)).sum();
      return prior_ce + 0.1 * regulariser;
    });
  }
  SECTION("LDAM hinge") {
    check_against_autograd(imbalance::LDAMHingeLoss(b.counts), b, [&](const Tensor& z) {
      Tensor delta = torch::pow(n, -0.25);
      delta = delta * 0.5 / delta.max();
      const Tensor others = std::get<0>(z.masked_fill(Y.to(torch::kBool), -INFINITY).max(1));
      return torch::relu(others - z.gather(1, y.unsqueeze(1)).squeeze(1) + delta.index_select(0, y)).mean();
    });
  }
}

TEST_CASE("libtorch Loss: sigmoid-family losses equal autograd of their tensor formulas", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(11);
  const Tensor& n = b.n;
  const Tensor& y = b.y;
  const Tensor& Y = b.onehot;
  const auto bce = [&](const Tensor& z) {
    return torch::binary_cross_entropy_with_logits(z, Y, {}, {}, torch::Reduction::None);
  };

  SECTION("sigmoid focal (torchvision)") {
    check_against_autograd(imbalance::SigmoidFocalLoss(kLossClasses), b, [&](const Tensor& z) {
      const Tensor p = torch::sigmoid(z);
      const Tensor p_t = p * Y + (1.0 - p) * (1.0 - Y);
      const Tensor alpha_t = 0.25 * Y + 0.75 * (1.0 - Y);
      return (alpha_t * torch::pow(1.0 - p_t, 2.0) * bce(z)).mean();
    });
  }
  SECTION("class-balanced focal (official TensorFlow form)") {
    check_against_autograd(imbalance::ClassBalancedFocalLoss(b.counts), b, [&](const Tensor& z) {
      const Tensor w = torch_class_balanced_weights(n, 0.9999).index_select(0, y).unsqueeze(1);
      const Tensor modulator = torch::exp(-1.0 * Y * z - 1.0 * torch::softplus(-z));
      return (w * modulator * bce(z)).sum() / static_cast<double>(kLossRows);
    });
  }
  SECTION("equalization (EQL v1), lambda between the class frequencies") {
    imbalance::EqualizationOptions o;
    o.lambda = 0.05;
    check_against_autograd(imbalance::EqualizationLoss(b.counts, o), b, [&](const Tensor& z) {
      const Tensor tail = (n / n.sum() < 0.05).to(torch::kDouble).unsqueeze(0);
      return ((1.0 - tail * (1.0 - Y)) * bce(z)).sum() / static_cast<double>(kLossRows);
    });
  }
  SECTION("distribution-balanced (re-balanced weights, NTR, focal)") {
    const double total = b.counts.sum();
    check_against_autograd(imbalance::DistributionBalancedLoss(b.counts, total), b, [&](const Tensor& z) {
      const Tensor ratio = n.index_select(0, y).unsqueeze(1) / n.unsqueeze(0);  // (1/n_k) / (1/n_y)
      const Tensor w = torch::sigmoid(10.0 * (ratio - 0.2)) + 0.1;
      const Tensor bias = -torch::log(total / n - 1.0) * 0.05 / 2.0;
      const Tensor shifted = torch::where(Y > 0.5, z + bias, (z + bias) * 2.0);
      const Tensor weight = torch::where(Y > 0.5, w, w / 2.0);
      const Tensor element = torch::binary_cross_entropy_with_logits(shifted, Y, {}, {}, torch::Reduction::None);
      const Tensor focal = torch::pow(1.0 - torch::exp(-element), 2.0) * element;
      return (2.0 * weight * focal).mean();
    });
  }
}

TEST_CASE("libtorch Loss: the IB loss differentiates the logits and the features", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(13);
  imbalance::InfluenceBalancedOptions o;
  o.class_weights = Eigen::VectorXd::LinSpaced(kLossClasses, 0.5, 2.0);
  const lt::Loss criterion{imbalance::InfluenceBalancedTrainingLoss(kLossClasses, o)};
  const Tensor zo = b.z.clone().requires_grad_(true), ho = b.features.clone().requires_grad_(true);
  const Tensor ours = criterion.with_features(zo, ho, b.y);
  ours.backward();
  const Tensor zt = b.z.clone().requires_grad_(true), ht = b.features.clone().requires_grad_(true);
  const Tensor p = torch::softmax(zt, 1);
  const Tensor a = ht.abs().sum(1);
  const Tensor g = (p - b.onehot).abs().sum(1);
  const Tensor w = lt::to_tensor_1d(o.class_weights).index_select(0, b.y);
  const Tensor theirs = (1000.0 * w * cross_entropy_rows(zt, b.y) / (g * a + 1e-3)).mean();
  theirs.backward();
  CHECK(max_relative_difference(ours, theirs) <= 1e-12);
  CHECK(max_relative_difference(zo.grad(), zt.grad()) <= 1e-12);
  CHECK(max_relative_difference(ho.grad(), ht.grad()) <= 1e-12);
}

TEST_CASE("libtorch Loss: once differentiable, a second derivative raises instead of adding zero",
          "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(17);
  const lt::Loss criterion{imbalance::FocalLoss(kLossClasses)};
  // The usual backward is unchanged.
  const Tensor z1 = b.z.clone().requires_grad_(true);
  criterion(z1, b.y).backward();
  // create_graph=true: the gradient is the same numbers, and differentiating through it raises
  // (a gradient penalty L + lambda ||dL/dz||^2 would otherwise lose its second term silently).
  const Tensor z2 = b.z.clone().requires_grad_(true);
  const Tensor loss = criterion(z2, b.y);
  const Tensor g = torch::autograd::grad({loss}, {z2}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
  CHECK(max_relative_difference(g.detach(), z1.grad()) == 0);
  CHECK(g.requires_grad());
  const Tensor penalized = loss + 0.5 * (g * g).sum();
  CHECK_THROWS_WITH(penalized.backward(), Catch::Contains("differentiate twice"));
  // Also through the IB loss's feature gradient.
  imbalance::InfluenceBalancedOptions o;
  o.class_weights = Eigen::VectorXd::Ones(kLossClasses);
  const lt::Loss ib{imbalance::InfluenceBalancedTrainingLoss(kLossClasses, o)};
  const Tensor z3 = b.z.clone().requires_grad_(true), h3 = b.features.clone().requires_grad_(true);
  const Tensor l3 = ib.with_features(z3, h3, b.y);
  const auto grads = torch::autograd::grad({l3}, {z3, h3}, {}, true, true);
  CHECK_THROWS_WITH((grads[1] * grads[1]).sum().backward(), Catch::Contains("differentiate twice"));
}

namespace {
// A user's loss that records where its logits live (the zero-copy check).
struct PointerRecordingLoss {
  mutable const void* seen = nullptr;
  Eigen::Index num_classes() const { return kLossClasses; }
  double value_and_gradient(const imbalance::AnyLoss::LogitsRef& logits, const imbalance::AnyLoss::LabelsRef&,
                            imbalance::AnyLoss::GradientRef grad) const {
    seen = logits.data();
    grad.setConstant(1.0);
    return logits.sum();
  }
};
}  // namespace

TEST_CASE("libtorch Loss: reads a contiguous tensor in place, copies a strided one once", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(17);
  auto recorder = std::make_shared<PointerRecordingLoss>();
  struct Forwarding {
    std::shared_ptr<PointerRecordingLoss> target;
    Eigen::Index num_classes() const { return target->num_classes(); }
    double value_and_gradient(const imbalance::AnyLoss::LogitsRef& z, const imbalance::AnyLoss::LabelsRef& y,
                              imbalance::AnyLoss::GradientRef g) const {
      return target->value_and_gradient(z, y, g);
    }
  };
  const lt::Loss criterion(Forwarding{recorder});
  const Tensor z = b.z.clone().requires_grad_(true);
  const Tensor value = criterion(z, b.y);
  CHECK(recorder->seen == static_cast<const void*>(z.data_ptr<double>()));
  CHECK(value.item<double>() == Approx(b.z.sum().item<double>()));

  // A transposed view: not contiguous, so read through one copy; the same value and gradient.
  const Tensor storage = b.z.t().contiguous().requires_grad_(true);  // K x N
  const Tensor view = storage.t();                                    // N x K, strided
  REQUIRE_FALSE(view.is_contiguous());
  const lt::Loss ce{imbalance::CrossEntropyLoss(kLossClasses)};
  const Tensor strided = ce(view, b.y);
  strided.backward();
  const Tensor plain_z = b.z.clone().requires_grad_(true);
  const Tensor plain = ce(plain_z, b.y);
  plain.backward();
  CHECK(strided.item<double>() == plain.item<double>());
  CHECK(torch::equal(storage.grad().t(), plain_z.grad()));
}

TEST_CASE("libtorch Loss: float tensors, the incoming gradient, per-sample weights", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(19);
  const imbalance::LDAMLoss ldam(b.counts);
  const lt::Loss criterion(ldam);
  const Eigen::VectorXi labels = lt::labels_vector(b.y);

  SECTION("float32 computes in float, bit for bit the library's float call") {
    const Tensor zf = b.z.to(torch::kFloat).requires_grad_(true);
    const Tensor value = criterion(zf, b.y);
    value.backward();
    REQUIRE(value.scalar_type() == torch::kFloat);
    const lt::RowMajorMatrix<float> logits = lt::matrix_view<float>(zf.detach());
    lt::RowMajorMatrix<float> grad(logits.rows(), logits.cols());
    const float expected = ldam.value_and_gradient(logits, labels, grad);
    CHECK(value.item<float>() == expected);
    CHECK(lt::matrix_view<float>(zf.grad()) == grad);
  }
  SECTION("the stored gradient is scaled by the incoming one (the loss inside a larger graph)") {
    const Tensor z = b.z.clone().requires_grad_(true);
    (3.0 * criterion(z, b.y) + 0.5 * criterion(z, b.y)).backward();
    const Tensor reference_z = b.z.clone().requires_grad_(true);
    criterion(reference_z, b.y).backward();
    CHECK(max_relative_difference(z.grad(), 3.5 * reference_z.grad()) <= 1e-14);
  }
  SECTION("per-sample weights equal the library's weighted call") {
    const Tensor weights = torch::rand({kLossRows}, torch::kDouble);
    const Tensor z = b.z.clone().requires_grad_(true);
    const Tensor value = criterion(z, b.y, weights);
    value.backward();
    const lt::RowMajorMatrix<double> logits = lt::matrix_view<double>(b.z);
    lt::RowMajorMatrix<double> grad(logits.rows(), logits.cols());
    const double expected = ldam.value_and_gradient(logits, labels, grad, lt::vector_of(weights));
    CHECK(value.item<double>() == expected);
    CHECK(lt::matrix_view<double>(z.grad()) == grad);
    CHECK_FALSE(weights.requires_grad());
  }
}

TEST_CASE("libtorch Loss: per-epoch schedules (LDAM-DRW) in a libtorch loop", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(23);
  imbalance::DeferredReweightingOptions drw_options;
  drw_options.switch_epoch = 3;
  const imbalance::DeferredReweighting drw(b.counts, drw_options);
  lt::Loss criterion([&](long epoch) {
    imbalance::LDAMOptions o;
    o.class_weights = drw.weights(epoch);
    return imbalance::AnyLoss(imbalance::LDAMLoss(b.counts, o));
  });
  const auto direct = [&](long epoch) {
    imbalance::LDAMOptions o;
    o.class_weights = drw.weights(epoch);
    return lt::Loss(imbalance::LDAMLoss(b.counts, o))(b.z, b.y).item<double>();
  };
  for (long epoch : {0L, 2L, 3L, 5L}) {
    criterion.set_epoch(epoch);
    CHECK(criterion(b.z, b.y).item<double>() == direct(epoch));
  }
  CHECK(direct(2) != direct(3));  // the weights switched at epoch 3
  CHECK_THROWS_WITH(criterion.set_epoch(-1), Catch::Contains("epoch must be >= 0"));
  criterion.set_loss(imbalance::CrossEntropyLoss(kLossClasses));
  criterion.set_epoch(9);  // no schedule any more: stays cross-entropy
  CHECK(criterion(b.z, b.y).item<double>() == Approx(cross_entropy_rows(b.z, b.y).mean().item<double>()).epsilon(1e-14));
}

TEST_CASE("libtorch Loss: refuses other devices, dtypes and shapes with a message", "[libtorch][loss]") {
  const TorchLossBatch b = torch_loss_batch(29);
  const lt::Loss criterion{imbalance::CrossEntropyLoss(kLossClasses)};
  const Tensor meta = torch::empty({kLossRows, kLossClasses}, torch::TensorOptions().device(torch::kMeta).dtype(torch::kDouble));
  CHECK_THROWS_WITH(criterion(meta, b.y), Catch::Contains("logits is on device meta"));
  CHECK_THROWS_AS(criterion(meta, b.y), std::invalid_argument);
  CHECK_THROWS_WITH(criterion(b.z.to(torch::kHalf), b.y), Catch::Contains("logits has dtype Half"));
  CHECK_THROWS_WITH(criterion(b.z.to(torch::kLong), b.y), Catch::Contains("float32 or float64"));
  CHECK_THROWS_WITH(criterion(b.z.narrow(1, 0, 3), b.y), Catch::Contains("logits has 3 columns, expected 7"));
  CHECK_THROWS_WITH(criterion(b.z.flatten(), b.y), Catch::Contains("logits must have 2 dimensions"));
  CHECK_THROWS_WITH(criterion(b.z, b.y.to(torch::kDouble)), Catch::Contains("labels has dtype Double"));
  CHECK_THROWS_WITH(criterion(b.z, b.y.narrow(0, 0, 5)), Catch::Contains("labels has 5 entries, logits has 48 rows"));
  CHECK_THROWS_WITH(criterion(b.z, b.y + kLossClasses), Catch::Contains("labels"));
  CHECK_THROWS_WITH(criterion(b.z, b.y, torch::ones({3}, torch::kDouble)), Catch::Contains("sample_weights has 3 entries"));
  const lt::Loss unweighted{imbalance::SeesawTrainingLoss(kLossClasses)};
  CHECK_THROWS_WITH(unweighted(b.z, b.y, torch::ones({kLossRows}, torch::kDouble)),
                    Catch::Contains("no per-sample weights"));
  Tensor nan_logits = b.z.clone();
  nan_logits.index_put_({0, 0}, NAN);
  CHECK_THROWS_WITH(criterion(nan_logits, b.y), Catch::Contains("logits"));
}
