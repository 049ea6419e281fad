// libFuzzer harness: both neighbour backends on fuzzed points (any finite doubles: offsets, huge and
// subnormal values, duplicates) return exactly the long double definition of NearestNeighbors; the
// approximate HNSW backend (where hnswlib is found) returns k distinct other points in the exact
// order of their distances, on the same points (small shards: several graphs).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include <imbalance/neighbors/neighbors.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const Eigen::Index d = 1 + data[0] % 5, k = 1 + data[1] % 4;
  const std::uint8_t mode = data[2];
  data += 3;
  size -= 3;
  // Values: raw 8-byte patterns (finite ones) or one byte on a coarse grid (ties), by mode.
  std::vector<double> values;
  while (size > 0) {
    double value;
    if (mode & 1 && size >= 8) {
      std::memcpy(&value, data, sizeof value);
      data += 8;
      size -= 8;
      if (!std::isfinite(value)) value = 0;
    } else {
      value = static_cast<double>(static_cast<int>(*data) - 128) * ((mode & 2) ? 1e150 : 1.0) + ((mode & 4) ? 1e4 : 0.0);
      ++data;
      --size;
    }
    values.push_back(value);
  }
  const Eigen::Index n = static_cast<Eigen::Index>(values.size()) / d;
  if (n <= k) return 0;
  Eigen::MatrixXd X(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) = values[static_cast<std::size_t>(i * d + j)];
  for (auto algorithm : {imbalance::NeighborAlgorithm::KDTree, imbalance::NeighborAlgorithm::BruteForce}) {
    const imbalance::NearestNeighbors nn(X, algorithm);
    const imbalance::NeighborIndices found = nn.self_neighbors(k);
    for (Eigen::Index q = 0; q < n; ++q) {
      std::vector<std::pair<long double, Eigen::Index>> all;
      for (Eigen::Index i = 0; i < n; ++i) {
        if (i == q) continue;
        long double sum = 0;
        for (Eigen::Index j = 0; j < d; ++j) {
          const long double diff = static_cast<long double>(X(i, j)) - static_cast<long double>(X(q, j));
          sum += diff * diff;
        }
        all.emplace_back(sum, i);
      }
      std::sort(all.begin(), all.end());
      for (Eigen::Index j = 0; j < k; ++j)
        if (found(q, j) != all[static_cast<std::size_t>(j)].second) std::abort();
    }
  }
  if (imbalance::hnsw_available()) {
    imbalance::HnswParameters p;
    p.shard_size = 1 + (mode >> 3) % 8;
    p.M = 2 + (mode >> 6);
    const imbalance::NearestNeighbors nn(X, imbalance::NeighborSearch::approximate(p));
    const imbalance::NeighborIndices found = nn.self_neighbors(k);
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = X;  // contiguous rows
    for (Eigen::Index q = 0; q < n; ++q)
      for (Eigen::Index j = 0; j < k; ++j) {
        const Eigen::Index i = found(q, j);
        if (i < 0 || i >= n || i == q) std::abort();
        for (Eigen::Index l = 0; l < j; ++l)
          if (found(q, l) == i) std::abort();
        if (j > 0) {
          const long double a = imbalance::exact_squared_distance(rows.row(q).data(), rows.row(found(q, j - 1)).data(), d);
          const long double b = imbalance::exact_squared_distance(rows.row(q).data(), rows.row(i).data(), d);
          if (a > b || (a == b && found(q, j - 1) > i)) std::abort();
        }
      }
  }
  return 0;
}
