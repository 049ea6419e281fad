// value_and_gradient with a correctly sized gradient allocates nothing: Eigen's own guard
// (EIGEN_RUNTIME_NO_MALLOC, defined for this executable only, since it changes Eigen's inline
// functions) plus a count of every global operator new. Eigen's guard reports through eigen_assert,
// which NDEBUG would silence in a Release build; this file routes it to a counter instead (no other
// translation unit of this executable includes Eigen).
#include <atomic>

namespace {
std::atomic<long> g_eigen_violations{0};
}
#define eigen_assert(condition) \
  do {                          \
    if (!(condition)) ++g_eigen_violations; \
  } while (false)

#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include <imbalance/imbalance.hpp>

namespace {
std::atomic<long> g_allocations{0};
}

// AddressSanitizer owns operator new/delete and reports a replacement as a mismatch, so under ASan
// only Eigen's guard is checked (the Release test run checks both).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCountsOperatorNew = false;
#else
constexpr bool kCountsOperatorNew = true;
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

template <class Matrix, class Loss>
void check_no_allocation(const Loss& loss, Eigen::Index n, Eigen::Index k) {
  using S = typename Matrix::Scalar;
  Matrix logits = Matrix::Random(n, k) * S(4);
  Eigen::VectorXi labels(n);
  for (Eigen::Index i = 0; i < n; ++i) labels(i) = static_cast<int>((i * 7) % k);
  Matrix grad(n, k);
  Eigen::Matrix<S, Eigen::Dynamic, 1> per_sample(n);
  const long before = g_allocations.load();
  const long eigen_before = g_eigen_violations.load();
  Eigen::internal::set_is_malloc_allowed(false);
  const S value = loss.value_and_gradient(logits, labels, grad);
  Eigen::internal::set_is_malloc_allowed(true);
  CHECK(g_allocations.load() == before);
  CHECK(g_eigen_violations.load() == eigen_before);
  CHECK(std::isfinite(static_cast<double>(value)));
}

template <class Loss>
void check_all_layouts(const Loss& loss, Eigen::Index k) {
  using RowD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using RowF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  for (Eigen::Index n : {1, 16, 37}) {
    check_no_allocation<Eigen::MatrixXd>(loss, n, k);
    check_no_allocation<Eigen::MatrixXf>(loss, n, k);
    check_no_allocation<RowD>(loss, n, k);
    check_no_allocation<RowF>(loss, n, k);
  }
}

}  // namespace

TEST_CASE("no allocation: every loss's value_and_gradient with a sized gradient", "[losses][no_malloc]") {
  Eigen::VectorXi counts(6);
  counts << 500, 200, 80, 30, 10, 3;
  const Eigen::VectorXd weights = imbalance::class_balanced_weights(counts, 0.999);
  for (imbalance::Reduction reduction :
       {imbalance::Reduction::Mean, imbalance::Reduction::Sum, imbalance::Reduction::None}) {
    check_all_layouts(imbalance::CrossEntropyLoss(counts, {weights, imbalance::Normalizer::WeightSum, reduction}), 6);
    check_all_layouts(imbalance::FocalLoss(counts, {0.5, weights, reduction}), 6);
    imbalance::LDAMOptions ldam;
    ldam.class_weights = weights;
    ldam.reduction = reduction;
    check_all_layouts(imbalance::LDAMLoss(counts, ldam), 6);
    check_all_layouts(imbalance::LogitAdjustedLoss(counts, {1.0, 1e-12, reduction}), 6);
    check_all_layouts(imbalance::BalancedSoftmaxLoss(counts, {reduction}), 6);
    imbalance::VSOptions vs;
    vs.reduction = reduction;
    check_all_layouts(imbalance::VSLoss(counts, vs), 6);
    check_all_layouts(imbalance::SigmoidFocalLoss(counts, {0.25, 2.0, reduction}), 6);
    imbalance::ClassBalancedFocalOptions cb;
    cb.reduction = reduction;
    check_all_layouts(imbalance::ClassBalancedFocalLoss(counts, cb), 6);
    imbalance::ParametricCrossEntropyOptions parametric;
    parametric.multiplicative = Eigen::VectorXd::LinSpaced(6, 0.5, 1.5);
    parametric.additive = Eigen::VectorXd::LinSpaced(6, -1, 1);
    parametric.target_margin = Eigen::VectorXd::LinSpaced(6, 0, 1);
    parametric.reduction = reduction;
    check_all_layouts(imbalance::ParametricCrossEntropyLoss(6, parametric), 6);
    imbalance::LDAMHingeOptions hinge;
    hinge.reduction = reduction;
    check_all_layouts(imbalance::LDAMHingeLoss(counts, hinge), 6);
    imbalance::EqualizationOptions eql;
    eql.lambda = 0.05;
    eql.reduction = reduction;
    check_all_layouts(imbalance::EqualizationLoss(counts, eql), 6);
  }
  check_all_layouts(imbalance::LADELoss(counts), 6);
  check_all_layouts(imbalance::DistributionBalancedLoss(counts, 1000.0), 6);
  check_all_layouts(imbalance::SeesawTrainingLoss(6), 6);
}

TEST_CASE("no allocation: per-sample weights, IB's feature norms, Seesaw's explicit state", "[losses][no_malloc]") {
  using RowD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Index n = 37, k = 6;
  const RowD logits = RowD::Random(n, k) * 4.0;
  Eigen::VectorXi labels(n);
  for (Eigen::Index i = 0; i < n; ++i) labels(i) = static_cast<int>((i * 7) % k);
  const Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(n, 0.1, 2.0), norms = Eigen::VectorXd::Constant(n, 3.0);
  RowD grad(n, k);
  Eigen::VectorXd grad_norms(n), none;
  const imbalance::CrossEntropyLoss ce(k);
  const imbalance::SigmoidFocalLoss focal(k);
  const imbalance::InfluenceBalancedLoss ib(k);
  const imbalance::SeesawLoss seesaw(k);
  imbalance::SeesawState state(k);
  const long before = g_allocations.load();
  const long eigen_before = g_eigen_violations.load();
  Eigen::internal::set_is_malloc_allowed(false);
  double total = ce.value_and_gradient(logits, labels, grad, weights);
  total += focal.value_and_gradient(logits, labels, grad, weights);
  total += ib.value_and_gradients(logits, labels, norms, grad, grad_norms, weights);
  total += ib.value_and_gradients(logits, labels, norms, grad, grad_norms, none);
  total += seesaw.value_and_gradient(logits, labels, grad, weights, state);
  Eigen::internal::set_is_malloc_allowed(true);
  CHECK(g_allocations.load() == before);
  CHECK(g_eigen_violations.load() == eigen_before);
  CHECK(std::isfinite(total));
}

TEST_CASE("no allocation: the counter and Eigen's guard do detect an allocation", "[losses][no_malloc]") {
  const long before = g_allocations.load();
  const long eigen_before = g_eigen_violations.load();
  Eigen::internal::set_is_malloc_allowed(false);
  {
    Eigen::MatrixXd m(3, 3);  // Eigen allocates with malloc: only its guard sees this
    m.setZero();
  }
  Eigen::internal::set_is_malloc_allowed(true);
  CHECK(g_eigen_violations.load() > eigen_before);
  {
    auto* p = new int(3);
    CHECK(*p == 3);
    delete p;
  }
  if (kCountsOperatorNew) CHECK(g_allocations.load() == before + 1);
}
