#pragma once
// Random labelled point sets for the sampler tests: Gaussian classes with given sizes and centres
// spaced `separation` apart along the first axis (so classes overlap), optionally with exact
// duplicate rows; and a brute-force k-nearest-neighbour reference of the definition.

#include <algorithm>
#include <utility>
#include <vector>

#include <imbalance/core/eigen.hpp>
#include <imbalance/core/random.hpp>

namespace test_support {

struct LabelledPoints {
  Eigen::MatrixXd X;
  Eigen::VectorXi y;
};

inline LabelledPoints labelled_points(const std::vector<int>& sizes, Eigen::Index d, std::uint64_t seed,
                                      double separation = 1.5, int duplicates = 0) {
  imbalance::Rng rng(seed);
  Eigen::Index n = 0;
  for (int s : sizes) n += s;
  LabelledPoints p{Eigen::MatrixXd(n + duplicates, d), Eigen::VectorXi(n + duplicates)};
  Eigen::Index row = 0;
  for (std::size_t c = 0; c < sizes.size(); ++c)
    for (int s = 0; s < sizes[c]; ++s, ++row) {
      for (Eigen::Index j = 0; j < d; ++j) p.X(row, j) = imbalance::standard_normal(rng);
      p.X(row, 0) += separation * static_cast<double>(c);
      p.y(row) = static_cast<int>(c);
    }
  for (int s = 0; s < duplicates; ++s, ++row) {  // copies of earlier rows, same label
    const auto source = static_cast<Eigen::Index>(imbalance::uniform_index(rng, static_cast<std::uint64_t>(n)));
    p.X.row(row) = p.X.row(source);
    p.y(row) = p.y(source);
  }
  return p;
}

// The definition of NearestNeighbors' contract: sort all other points by (squared distance summed
// in long double in column order, index), take the first k.
inline std::vector<Eigen::Index> brute_force_neighbors(const Eigen::MatrixXd& X, const Eigen::RowVectorXd& q,
                                                       Eigen::Index exclude, Eigen::Index k) {
  std::vector<std::pair<long double, Eigen::Index>> all;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    if (i == exclude) continue;
    long double sum = 0;
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      const long double diff = static_cast<long double>(X(i, j)) - static_cast<long double>(q(j));
      sum += diff * diff;
    }
    all.emplace_back(sum, i);
  }
  std::sort(all.begin(), all.end());
  std::vector<Eigen::Index> out;
  for (Eigen::Index j = 0; j < k; ++j) out.push_back(all[static_cast<std::size_t>(j)].second);
  return out;
}

}  // namespace test_support
