#include "imbalance/libtorch/tensor.hpp"

#include <catch2/catch.hpp>
#include <torch/torch.h>

namespace lt = imbalance::libtorch;

TEST_CASE("libtorch tensor views: in place for contiguous tensors, checked otherwise", "[libtorch][tensor]") {
  const torch::Tensor z = torch::arange(12, torch::kDouble).reshape({3, 4});
  const auto view = lt::matrix_view<double>(z);
  CHECK(view.data() == z.data_ptr<double>());
  CHECK(view.rows() == 3);
  CHECK(view(1, 2) == 6.0);  // row-major: element (1, 2) is the 7th
  CHECK_THROWS_WITH(lt::matrix_view<float>(z), Catch::Contains("tensor has dtype Double, the view asks for Float"));
  CHECK_THROWS_WITH(lt::matrix_view<double>(z.t()), Catch::Contains("is not contiguous"));
  const torch::Tensor copied = lt::contiguous_matrix("f", "logits", z.t());
  CHECK(copied.is_contiguous());
  CHECK(lt::matrix_view<double>(copied)(2, 1) == 6.0);
  CHECK(lt::contiguous_matrix("f", "logits", z).data_ptr() == z.data_ptr());  // no copy when contiguous
  CHECK_THROWS_WITH(lt::contiguous_matrix("f", "logits", z, 5), Catch::Contains("logits has 4 columns, expected 5"));
  CHECK_THROWS_WITH(lt::contiguous_matrix("f", "logits", torch::Tensor()), Catch::Contains("undefined tensor"));
  CHECK_THROWS_WITH(lt::contiguous_matrix("f", "logits", z.to_sparse()), Catch::Contains("sparse"));

  torch::Tensor g = torch::zeros({2, 2}, torch::kFloat);
  lt::mutable_matrix_view<float>(g)(0, 1) = 5.0f;
  CHECK(g.index({0, 1}).item<float>() == 5.0f);
}

TEST_CASE("libtorch tensor conversions: labels, counts, Eigen results", "[libtorch][tensor]") {
  const torch::Tensor y = torch::tensor({2, 0, 2, 1}, torch::kLong);
  CHECK(lt::labels_vector(y) == (Eigen::VectorXi(4) << 2, 0, 2, 1).finished());
  CHECK(lt::labels_vector(y.to(torch::kInt)) == lt::labels_vector(y));
  CHECK_THROWS_WITH(lt::labels_vector(torch::tensor({std::int64_t{1} << 40})), Catch::Contains("outside int's range"));
  CHECK_THROWS_WITH(lt::labels_vector(y.to(torch::kFloat)), Catch::Contains("labels has dtype Float"));
  CHECK_THROWS_WITH(lt::labels_vector(y.reshape({2, 2})), Catch::Contains("labels must have 1 dimension"));
  CHECK(lt::count_labels(y, 4) == (imbalance::ClassCounts(4) << 1, 1, 2, 0).finished());
  CHECK_THROWS_WITH(lt::count_labels(y, 2), Catch::Contains("labels"));
  CHECK(lt::vector_of(torch::tensor({3, 5})) == Eigen::Vector2d(3, 5));

  Eigen::MatrixXf m(2, 3);
  m << 1, 2, 3, 4, 5, 6;
  const torch::Tensor t = lt::to_tensor(m);  // column-major in, row-major tensor out
  CHECK(t.scalar_type() == torch::kFloat);
  CHECK(t.index({1, 0}).item<float>() == 4.0f);
  CHECK(lt::matrix_view<float>(t) == m);
  const torch::Tensor v = lt::to_tensor_1d(Eigen::VectorXi::LinSpaced(3, 1, 3));
  CHECK(v.scalar_type() == torch::kInt);
  CHECK(v.sum().item<int>() == 6);
}
