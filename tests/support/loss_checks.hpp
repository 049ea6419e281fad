#pragma once
// Shared checks for every loss: the reference cases of losses.json in float and double, row- and
// column-major; central finite differences; extreme logits.

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <imbalance/core/eigen.hpp>
#include <imbalance/core/random.hpp>
#include <imbalance/core/reduction.hpp>
#include <imbalance/losses/sigmoid_loss.hpp>

#include "support/reference.hpp"

namespace test_support {

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline imbalance::Reduction reduction_of(const nlohmann::json& c) {
  return imbalance::parse_reduction(c.at("reduction").get<std::string>());
}

// The loss's unreduced output: per_sample for softmax losses, per_element for sigmoid losses.
template <class Loss, class Z>
auto unreduced(const Loss& loss, const Z& logits, const Eigen::VectorXi& labels) {
  if constexpr (std::is_base_of<imbalance::SigmoidLoss, Loss>::value)
    return loss.per_element(logits, labels);
  else
    return loss.per_sample(logits, labels);
}

// Checks one reference case with logits stored as Matrix (any scalar, any storage order).
template <class Matrix, class Loss>
void check_reference_case_as(const nlohmann::json& c, const Loss& loss, double tolerance) {
  using S = typename Matrix::Scalar;
  const Matrix logits = to_matrix(c.at("logits")).cast<S>();
  const Eigen::VectorXi labels = to_labels(c.at("labels"));
  const Eigen::MatrixXd expected_gradient = to_matrix(c.at("gradient"));
  Matrix grad(logits.rows(), logits.cols());
  const S value = loss.value_and_gradient(logits, labels, grad);
  CHECK(relative_error(grad, expected_gradient) <= tolerance);
  if (c.contains("value")) {
    const double expected = c.at("value").get<double>();
    CHECK(relative_error(static_cast<double>(value), expected) <= tolerance);
    CHECK(relative_error(static_cast<double>(loss.value(logits, labels)), expected) <= tolerance);
  } else {
    const auto per = unreduced(loss, logits, labels);
    const nlohmann::json& expected = c.at("per_sample");
    if (expected.at(0).is_array())
      CHECK(relative_error(per, to_matrix(expected)) <= tolerance);
    else
      CHECK(relative_error(per, to_vector(expected)) <= tolerance);
    // For None, value() is the sum of the unreduced losses.
    CHECK(relative_error(static_cast<double>(value), static_cast<double>(per.sum())) <= tolerance);
  }
}

// Every case of losses.json whose "loss" is `name`: double to 1e-10 and float to 1e-4 (norm-wise
// relative error), row- and column-major.
template <class MakeLoss>
int check_reference_cases(const std::string& name, MakeLoss make_loss) {
  const nlohmann::json cases = load_json("losses.json").at("cases");
  int checked = 0;
  for (const auto& c : cases) {
    if (c.at("loss") != name) continue;
    INFO("case " << c.at("name").get<std::string>());
    const auto loss = make_loss(c);
    check_reference_case_as<Eigen::MatrixXd>(c, loss, 1e-10);
    check_reference_case_as<RowMatrixXd>(c, loss, 1e-10);
    check_reference_case_as<Eigen::MatrixXf>(c, loss, 1e-4);
    check_reference_case_as<RowMatrixXf>(c, loss, 1e-4);
    ++checked;
  }
  return checked;
}

struct Shape {
  Eigen::Index n, k;
};
inline const std::vector<Shape>& gradient_check_shapes() {
  static const std::vector<Shape> shapes = {{1, 2}, {1, 7}, {5, 2}, {17, 5}, {40, 3}};
  return shapes;
}

// Random positive long-tailed class counts, random logits (N(0, 3^2)) and labels.
struct RandomBatch {
  Eigen::VectorXi counts;
  RowMatrixXd logits;
  Eigen::VectorXi labels;
};
inline RandomBatch random_batch(Eigen::Index n, Eigen::Index k, std::uint64_t seed, double logit_scale = 3.0) {
  imbalance::Rng rng(seed);
  RandomBatch batch;
  batch.counts.resize(k);
  for (Eigen::Index j = 0; j < k; ++j)
    batch.counts(j) = 1 + static_cast<int>(imbalance::uniform_index(rng, 1000) / static_cast<std::uint64_t>(j + 1));
  batch.logits.resize(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) batch.logits(i, j) = logit_scale * imbalance::standard_normal(rng);
  batch.labels.resize(n);
  for (Eigen::Index i = 0; i < n; ++i)
    batch.labels(i) = static_cast<int>(imbalance::uniform_index(rng, static_cast<std::uint64_t>(k)));
  return batch;
}

// Central differences of value() against value_and_gradient(), for every reduction and shape.
// make_loss(counts, reduction) builds the loss under test.
template <class MakeLoss>
void check_finite_differences(MakeLoss make_loss, double tolerance = 1e-6) {
  const std::uint64_t seed = Catch::rngSeed() + 1;
  for (imbalance::Reduction reduction :
       {imbalance::Reduction::Mean, imbalance::Reduction::Sum, imbalance::Reduction::None}) {
    for (const Shape& shape : gradient_check_shapes()) {
      INFO("reduction " << imbalance::to_string(reduction) << ", N = " << shape.n << ", K = " << shape.k
                        << ", seed " << seed);
      RandomBatch batch = random_batch(shape.n, shape.k, seed + static_cast<std::uint64_t>(shape.n * 31 + shape.k));
      const auto loss = make_loss(batch.counts, reduction);
      RowMatrixXd grad;
      loss.value_and_gradient(batch.logits, batch.labels, grad);
      RowMatrixXd numeric(shape.n, shape.k);
      for (Eigen::Index i = 0; i < shape.n; ++i)
        for (Eigen::Index j = 0; j < shape.k; ++j) {
          const double original = batch.logits(i, j);
          const double h = 1e-6 * std::max(1.0, std::abs(original));
          batch.logits(i, j) = original + h;
          const double plus = loss.value(batch.logits, batch.labels);
          batch.logits(i, j) = original - h;
          const double minus = loss.value(batch.logits, batch.labels);
          batch.logits(i, j) = original;
          numeric(i, j) = (plus - minus) / (2 * h);
        }
      const double scale = std::max(1.0, grad.cwiseAbs().maxCoeff());
      CHECK((grad - numeric).cwiseAbs().maxCoeff() <= tolerance * scale);
    }
  }
}

// Logits of +-1e4 (and a mix) give finite values and gradients, in float and double.
template <class MakeLoss>
void check_extreme_logits(MakeLoss make_loss) {
  RandomBatch batch = random_batch(12, 6, 99);
  for (Eigen::Index i = 0; i < batch.logits.rows(); ++i)
    for (Eigen::Index j = 0; j < batch.logits.cols(); ++j) batch.logits(i, j) = (i + j) % 3 == 0 ? 1e4 : -1e4;
  batch.logits(0, batch.labels(0)) = -1e4;  // a target far below the others
  batch.logits(1, batch.labels(1)) = 1e4;   // a target far above
  for (imbalance::Reduction reduction :
       {imbalance::Reduction::Mean, imbalance::Reduction::Sum, imbalance::Reduction::None}) {
    const auto loss = make_loss(batch.counts, reduction);
    RowMatrixXd grad;
    const double value = loss.value_and_gradient(batch.logits, batch.labels, grad);
    CHECK(std::isfinite(value));
    CHECK(std::isfinite(static_cast<double>(loss.value(batch.logits, batch.labels))));
    CHECK(grad.allFinite());
    const RowMatrixXf logits_float = batch.logits.cast<float>();
    RowMatrixXf grad_float;
    CHECK(std::isfinite(loss.value_and_gradient(logits_float, batch.labels, grad_float)));
    CHECK(grad_float.allFinite());
  }
}

}  // namespace test_support
