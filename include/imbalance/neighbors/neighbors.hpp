#pragma once
/// @file
/// Exact k-nearest neighbours (Euclidean), shared by every neighbour-based sampler.
///
/// What "exact" guarantees: the k neighbours of a query q are the first k indexed points in the
/// order of (L(q, x), index), where
///   L(q, x) = sum_j ((long double)q_j - (long double)x_j)^2,   summed over j = 0 .. d-1 in order,
/// i.e. the brute force of the definition evaluated in long double (x87 extended precision on
/// x86-64 Linux, where no finite double input can overflow or underflow it). Ties in L are broken
/// by the lower index; with `self_neighbors` a point is never its own neighbour, even when an
/// identical point exists (exclusion is by index, not by distance). The guarantee holds for every
/// finite input (offsets, duplicates, values up to the double range) and for both backends, so the
/// backend chosen changes the speed, never the result.
///
/// How. Both backends are filters with proven error bounds followed by an exact re-rank in long
/// double. The points are first scaled by a power of two (exact) so that no double distance can
/// overflow. The k-d tree (nanoflann, Debian's libnanoflann-dev) finds candidates by its double
/// distances; unless the gap after the k-th candidate exceeds the bound on their rounding error, a
/// radius search gathers everything that could still be among the k. The brute force computes
/// distances of a block of queries to a tile of points by one float matrix product on centred data
/// (|q|^2 + |x|^2 - 2 q.x), bounds its rounding error (standard dot-product bounds plus the rounding
/// to float), and passes only the points that bound cannot reject to a double distance with its own
/// bound; a point is kept while its lower bound does not exceed the k-th smallest upper bound. A
/// large candidate set (many ties) is re-ranked exactly on the way, so memory stays bounded. When
/// every indexed point is a query (self_neighbors(k)) at d >= 256, each pair of blocks of points is
/// multiplied once and serves both blocks' queries: half the products.
///
/// Speed. It depends on the data more than on d: on isotropic Gaussian points the float brute
/// force beats the tree from d = 8 on (24,000 points, all 3-NN on one core: d = 8 0.59 s against
/// 1.48 s, d = 16 0.70 s against 25.6 s), while on points with a few latent factors (as real
/// features have) the tree can be far ahead at any d. So NeighborAlgorithm::Auto uses the tree
/// without asking up to d = 4 only, and above that times both on a sample of 128 queries and
/// keeps the faster (the timing costs about one brute-force pass over the data for 128 queries, and
/// the tree's construction; the tree's queries stop as soon as they have lost).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"
#include <nanoflann.hpp>

/// @def IMBALANCE_WITH_HNSWLIB
/// 1 when the HNSW backend is compiled in: by default when hnswlib's header is found (Debian:
/// libhnswlib-dev); define it as 0 to leave hnswlib out.
#if !defined(IMBALANCE_WITH_HNSWLIB) && defined(__has_include)
#if __has_include(<hnswlib/hnswlib.h>)
#define IMBALANCE_WITH_HNSWLIB 1
#endif
#endif
#if !defined(IMBALANCE_WITH_HNSWLIB)
#define IMBALANCE_WITH_HNSWLIB 0
#endif
#if IMBALANCE_WITH_HNSWLIB
// hnswlib 0.6's SIMD dispatch defines non-inline functions and globals in its header (cpuid,
// AVX512Capable, the distance-function pointers): included by two files of one program, they are
// defined twice and the link fails. Without its manual vectorisation only inline code is left; the
// distance it then lacks is supplied by the L2 space below (Eigen, vectorised for the build's ISA).
#if !defined(NO_MANUAL_VECTORIZATION)
#define NO_MANUAL_VECTORIZATION
#define IMBALANCE_UNDEF_NO_MANUAL_VECTORIZATION
#endif
#include <hnswlib/hnswlib.h>
#if defined(IMBALANCE_UNDEF_NO_MANUAL_VECTORIZATION)
#undef NO_MANUAL_VECTORIZATION
#undef IMBALANCE_UNDEF_NO_MANUAL_VECTORIZATION
#endif
#endif

#include "imbalance/core/checks.hpp"
#include "imbalance/detail/parallel.hpp"

namespace imbalance {

/// Exact search by k-d tree (nanoflann) or by blocked brute force; Auto chooses by size and dimension.
enum class NeighborAlgorithm { Auto, KDTree, BruteForce };

/// Which search answers: Exact (the contract above) or Hnsw (approximate: hierarchical navigable
/// small-world graphs, Malkov & Yashunin 2018, through Debian's libhnswlib-dev).
enum class NeighborBackend { Exact, Hnsw };

/// True when this build can use NeighborBackend::Hnsw (hnswlib's header was found; define
/// IMBALANCE_WITH_HNSWLIB=0 to leave it out).
constexpr bool hnsw_available() noexcept { return IMBALANCE_WITH_HNSWLIB != 0; }

/// Parameters of the HNSW backend. Defaults: hnswlib's M; ef_construction 100 (hnswlib's 200
/// doubled the build time for no measurable recall on the benchmark's data) and ef 32, which gave
/// recall@5 >= 0.999 there (benchmarks/approximate_neighbors_benchmark.cpp); raise ef (and M) for
/// data of high intrinsic dimension, where recall falls (the README's table).
///
/// Determinism: hnswlib builds a graph in a fixed order only when one thread inserts (concurrent
/// insertion changes the graph). So the points are cut into shards of `shard_size` consecutive
/// points, each shard's graph is built by one thread (shard s with seed + s), shards in parallel,
/// and every query searches every shard and keeps the k best by exact distance (L of the contract,
/// ties to the lower index). The result depends on the data and these parameters only: the same
/// for every thread count, and the same whether the shards are built on one machine or, one per
/// rank, over MPI. More shards build faster in parallel and query slower (each is searched).
struct HnswParameters {
  int M = 16;                           ///< links per point and layer (2 M on layer 0), in [2, 1024]
  int ef_construction = 100;            ///< candidate list while inserting, >= 1
  int ef = 32;                          ///< candidate list of a query (at least k + 1 is used), >= 1
  std::uint64_t seed = 100;             ///< seed of the layer draws (hnswlib's default)
  Eigen::Index shard_size = Eigen::Index{1} << 18;  ///< points per independently built graph, >= 1
};

/// How neighbours are searched: the exact backend (k-d tree or brute force) or HNSW.
/// Default: exact, algorithm chosen automatically. An exact algorithm converts to it, so
/// `options.neighbors = NeighborAlgorithm::KDTree` keeps working.
struct NeighborSearch {
  NeighborBackend backend = NeighborBackend::Exact;  ///< exact by default
  NeighborAlgorithm algorithm = NeighborAlgorithm::Auto;  ///< the exact backend's method
  HnswParameters hnsw;  ///< used by NeighborBackend::Hnsw

  NeighborSearch() = default;
  /// The exact backend with `exact_algorithm`.
  NeighborSearch(NeighborAlgorithm exact_algorithm) : algorithm(exact_algorithm) {}  // NOLINT: implicit by design
  /// The HNSW backend with `parameters`.
  static NeighborSearch approximate(const HnswParameters& parameters = {}) {
    NeighborSearch search;
    search.backend = NeighborBackend::Hnsw;
    search.hnsw = parameters;
    return search;
  }
  /// True for the default (exact, automatic).
  bool is_default() const noexcept { return backend == NeighborBackend::Exact && algorithm == NeighborAlgorithm::Auto; }
};

/// L(a, b) of the contract below: the squared Euclidean distance of two rows of length d, summed in
/// long double in coordinate order. Samplers that rank by distance use it, so that their order is
/// the one the neighbour search guarantees.
inline long double exact_squared_distance(const double* a, const double* b, Eigen::Index d) noexcept {
  long double sum = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    const long double diff = static_cast<long double>(a[j]) - static_cast<long double>(b[j]);
    sum += diff * diff;
  }
  return sum;
}

/// The Euclidean distance sqrt(L(a, b)), rounded once to double.
inline double exact_distance(const double* a, const double* b, Eigen::Index d) noexcept {
  return static_cast<double>(std::sqrt(exact_squared_distance(a, b, d)));
}

#if IMBALANCE_WITH_HNSWLIB
namespace detail {
/// The squared Euclidean distance of float vectors for hnswlib's graphs, vectorised by Eigen for the
/// build's instruction set (hnswlib's own SIMD code is left out: see the include above).
class HnswL2Space : public hnswlib::SpaceInterface<float> {
 public:
  explicit HnswL2Space(std::size_t dimension) : dimension_(dimension) {}
  std::size_t get_data_size() override { return dimension_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return &dimension_; }

 private:
  static float distance(const void* a, const void* b, const void* dimension) {
    const auto d = static_cast<Eigen::Index>(*static_cast<const std::size_t*>(dimension));
    const Eigen::Map<const Eigen::VectorXf> x(static_cast<const float*>(a), d), y(static_cast<const float*>(b), d);
    return (x - y).squaredNorm();
  }
  std::size_t dimension_;
};
}  // namespace detail
#endif

/// Neighbour indices, one row per query, nearest first.
using NeighborIndices = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Exact k-nearest neighbours (Euclidean), shared by every neighbour-based sampler. See imbalance/neighbors/neighbors.hpp for the formula, the paper and the defaults.
class NearestNeighbors {
 public:
  /// The points, row-major.
  using Points = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// Indexes the rows of `points` (N x d, finite; copied as double).
  template <class DX>
  explicit NearestNeighbors(const Eigen::DenseBase<DX>& points, const NeighborSearch& search = {})
      : points_(points.derived().template cast<double>()) {
    build(search);
  }

  /// Indexes only the rows `rows` of `points` (e.g. one class); neighbour indices then refer to
  /// positions in `rows`.
  template <class DX>
  NearestNeighbors(const Eigen::DenseBase<DX>& points, const std::vector<Eigen::Index>& rows,
                   const NeighborSearch& search = {})
      : points_(static_cast<Eigen::Index>(rows.size()), points.cols()) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r] < 0 || rows[r] >= points.rows())
        detail::throw_invalid("NearestNeighbors::NearestNeighbors(): row ", rows[r], " is not a row of points (",
                              points.rows(), " rows)");
      points_.row(static_cast<Eigen::Index>(r)) = points.derived().row(rows[r]).template cast<double>();
    }
    build(search);
  }

  // The tree adaptor points into this object: it stays where it was built.
  NearestNeighbors(const NearestNeighbors&) = delete;
  NearestNeighbors& operator=(const NearestNeighbors&) = delete;

  /// N, the number of points.
  Eigen::Index size() const noexcept { return points_.rows(); }
  /// d, their dimension.
  Eigen::Index dimension() const noexcept { return points_.cols(); }
  /// The exact method in use (never Auto for the exact backend; Auto for HNSW, which uses neither).
  NeighborAlgorithm algorithm() const noexcept { return algorithm_; }
  /// Exact or approximate.
  NeighborBackend backend() const noexcept { return backend_; }
  /// Number of HNSW graphs (0 for the exact backend).
  Eigen::Index shard_count() const noexcept { return static_cast<Eigen::Index>(shards_.size()); }
  /// The points searched.
  const Points& points() const noexcept { return points_; }

  /// The k nearest other indexed points of every indexed point (N x k).
  /// @throws imbalance::invalid_argument unless 1 <= k < N.
  NeighborIndices self_neighbors(Eigen::Index k) const {
    if (algorithm_ == NeighborAlgorithm::BruteForce && dimension() >= kSymmetricMinDimension &&
        size() >= 2 * kSymmetricBlock) {
      check_self_k(k);
      return self_brute_symmetric(k);
    }
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(size()));
    for (Eigen::Index i = 0; i < size(); ++i) rows[static_cast<std::size_t>(i)] = i;
    return self_neighbors(rows, k);
  }

  /// The k nearest other indexed points of the indexed points `rows` (rows.size() x k).
  NeighborIndices self_neighbors(const std::vector<Eigen::Index>& rows, Eigen::Index k) const {
    check_self_k(k);
    for (Eigen::Index r : rows)
      if (r < 0 || r >= size())
        detail::throw_invalid("NearestNeighbors::self_neighbors(): row ", r, " is not an indexed point");
    NeighborIndices out(static_cast<Eigen::Index>(rows.size()), k);
    search(
        static_cast<Eigen::Index>(rows.size()), [&](Eigen::Index q) { return points_.row(rows[static_cast<std::size_t>(q)]); },
        [&](Eigen::Index q) { return rows[static_cast<std::size_t>(q)]; }, k, out);
    return out;
  }

  /// The k nearest indexed points of every row of `queries` (M x d, finite).
  template <class DQ>
  NeighborIndices query(const Eigen::DenseBase<DQ>& queries, Eigen::Index k) const {
    const char* function = "NearestNeighbors::query()";
    if (k < 1 || k > size())
      detail::throw_invalid(function, ": k must lie in [1, ", size(), "] for ", size(), " points (got ", k, ")");
    check_shape(function, "queries", queries.rows(), queries.cols(), -1, dimension());
    const Points q = queries.derived().template cast<double>();
    check_finite(function, "queries", q);
    NeighborIndices out(q.rows(), k);
    search(
        q.rows(), [&](Eigen::Index i) { return q.row(i); }, [](Eigen::Index) { return Eigen::Index{-1}; }, k, out);
    return out;
  }

 private:
  void check_self_k(Eigen::Index k) const {
    if (k < 1 || k >= size())
      detail::throw_invalid("NearestNeighbors::self_neighbors(): k must lie in [1, ", size() - 1, "] for ", size(),
                            " points (got ", k, ")");
  }

  static constexpr Eigen::Index kMaxTreeDimension = 4;  // tree without timing up to here
  // Queries per parallel chunk of the tree search; each query's answer is computed alone, so the
  // chunking never changes a result.
  static constexpr Eigen::Index kQueriesPerChunk = 256;
  // The brute force's product shapes: blocks of queries times tiles of points, 64 x 1024 floats
  // (256 KiB, in a 512 KiB L2); from d = 256 on, 256 x 256, where the product itself runs faster
  // (measured: 45-50 against 32-41 GFLOP/s at d = 784 on one core), its packing cost being spread
  // over more queries.
  // Self-search by pairs of blocks (self_brute_symmetric) from this dimension on, where the products
  // dominate and the candidate lists of all points at once (up to ~2 KiB a point) stay well below
  // the data's copies here (5 KiB a point at d = 256); below it the filtering pass, which pairs do
  // not halve, costs about as much as the products.
  static constexpr Eigen::Index kSymmetricMinDimension = 256;
  static constexpr Eigen::Index kSymmetricBlock = 256;
  Eigen::Index query_block() const noexcept { return dimension() >= 256 ? 256 : 64; }
  Eigen::Index point_tile() const noexcept { return dimension() >= 256 ? 256 : 1024; }
  static constexpr Eigen::Index kFilterChunk = 64;
  static constexpr double kUnitRoundoff = std::numeric_limits<double>::epsilon() / 2;
  static constexpr double kTiny = std::numeric_limits<double>::denorm_min();
  // Relative slack for nanoflann's own rounding in its pruning (box distances are accumulated
  // incrementally, a few dozen roundings at most).
  static constexpr double kTreeSlack = 1e-9;

  // The tree sees the points scaled by scale_ (a power of two: exact, and no double overflow).
  struct Adaptor {
    const Points* points;
    double scale;
    std::size_t kdtree_get_point_count() const { return static_cast<std::size_t>(points->rows()); }
    double kdtree_get_pt(std::size_t i, std::size_t d) const {
      return (*points)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) * scale;
    }
    template <class BBox>
    bool kdtree_get_bbox(BBox&) const {
      return false;
    }
  };
  using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Adaptor>, Adaptor, -1,
                                                   std::size_t>;
  using Exact = std::pair<long double, Eigen::Index>;  // (L(q, x), index): lexicographic order
  using FloatPoints = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  void build(const NeighborSearch& search) {
    const char* function = "NearestNeighbors::NearestNeighbors()";
    check_non_empty(function, "points", points_.rows());
    if (points_.cols() < 1) detail::throw_invalid(function, ": points must have at least one column");
    check_finite(function, "points", points_);
    const NeighborAlgorithm algorithm = search.algorithm;
    const double d = static_cast<double>(dimension());
    // Scaled coordinates stay below 2^max_exponent_, so |q|, |x| <= 2^max_exponent_ sqrt(d) after
    // centring (times 2) and every squared norm or distance stays below 2^1020.
    max_exponent_ = (1016 - static_cast<int>(std::ceil(std::log2(d)))) / 2;
    const double largest = points_.cwiseAbs().maxCoeff();
    scale_ = 1;
    if (largest > 0) {
      int exponent = 0;
      std::frexp(largest, &exponent);  // largest = m 2^exponent, m in [0.5, 1)
      // At most 2^1023 (itself a double); tiny data then stays far below the limit, which is fine.
      scale_ = std::ldexp(1.0, std::min(max_exponent_ - exponent, 1023));
    }
    rho_ = (d + 2) * static_cast<double>(std::numeric_limits<long double>::epsilon());
    if (search.backend == NeighborBackend::Hnsw) {
      build_hnsw(search.hnsw);
      return;
    }
    if (algorithm != NeighborAlgorithm::BruteForce) {
      adaptor_ = std::make_unique<Adaptor>(Adaptor{&points_, scale_});
      tree_ = std::make_unique<Tree>(static_cast<int>(points_.cols()), *adaptor_,
                                     nanoflann::KDTreeSingleIndexAdaptorParams(16));
      tree_->buildIndex();
    }
    if (algorithm != NeighborAlgorithm::KDTree) {
      centre_ = (points_ * scale_).colwise().mean();
      work_ = (points_ * scale_).rowwise() - centre_;
      work_squared_norms_ = work_.rowwise().squaredNorm();
      work_norms_ = work_squared_norms_.cwiseSqrt();
      // The float copy for the candidate products: coordinates of at most 2^float_exponent, so
      // every float square, norm and partial sum stays below 2^126 (|w| <= 2^(max_exponent_ + 1)).
      const int float_exponent = (120 - static_cast<int>(std::ceil(std::log2(d)))) / 2;
      float_scale_ = std::ldexp(1.0, float_exponent - max_exponent_ - 1);
      work_float_ = (work_ * float_scale_).template cast<float>();
      work_float_squared_norms_ = work_float_.rowwise().squaredNorm();
    }
    if (algorithm != NeighborAlgorithm::Auto)
      algorithm_ = algorithm;
    else if (points_.cols() <= kMaxTreeDimension)
      algorithm_ = NeighborAlgorithm::KDTree;
    else
      algorithm_ = faster_backend();
    if (algorithm_ == NeighborAlgorithm::BruteForce) {
      tree_.reset();
      adaptor_.reset();
    } else {
      work_.resize(0, 0);
      work_squared_norms_.resize(0);
      work_norms_.resize(0);
      work_float_.resize(0, 0);
      work_float_squared_norms_.resize(0);
    }
  }

  // Times 5-NN queries of a sample of the points with both backends; returns the faster. The brute
  // force goes first; the tree then answers the sample a few queries at a time and stops as soon as
  // it has taken longer than the brute force took for all of them (it has lost): where the tree is
  // hopeless (isotropic data at d = 32: 70 ms for the sample against 2 ms) the probe costs little
  // more than the tree's construction, a serial step that every thread count pays. The choice only
  // changes the speed: both backends return the same neighbours.
  NeighborAlgorithm faster_backend() {
    const Eigen::Index n = size();
    if (n < 64) return NeighborAlgorithm::BruteForce;
    const Eigen::Index sample = std::min<Eigen::Index>(n, 128), chunk = 8;
    const Eigen::Index k = std::min<Eigen::Index>(5, n - 1);
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(sample));
    for (Eigen::Index i = 0; i < sample; ++i) rows[static_cast<std::size_t>(i)] = i * (n / sample);
    // Queries [first, first + count) of the sample with the current backend.
    auto run = [&](Eigen::Index first, Eigen::Index count) {
      NeighborIndices out(count, k);
      search(
          count, [&](Eigen::Index q) { return points_.row(rows[static_cast<std::size_t>(first + q)]); },
          [&](Eigen::Index q) { return rows[static_cast<std::size_t>(first + q)]; }, k, out);
    };
    using Clock = std::chrono::steady_clock;
    algorithm_ = NeighborAlgorithm::BruteForce;
    auto start = Clock::now();
    run(0, sample);
    const auto brute = Clock::now() - start;
    algorithm_ = NeighborAlgorithm::KDTree;
    start = Clock::now();
    for (Eigen::Index first = 0; first < sample; first += chunk) {
      run(first, std::min(chunk, sample - first));
      if (Clock::now() - start > brute) return NeighborAlgorithm::BruteForce;
    }
    return NeighborAlgorithm::KDTree;
  }

  // L(q, x) of the contract, times scale_^2 (exact: a power of two in long double's range).
  long double exact_distance(const double* q, Eigen::Index i) const {
    const double* x = points_.data() + i * dimension();
    const long double s = scale_;
    long double sum = 0;
    for (Eigen::Index j = 0; j < dimension(); ++j) {
      const long double diff = (static_cast<long double>(q[j]) - static_cast<long double>(x[j])) * s;
      sum += diff * diff;
    }
    return sum;
  }

  // An upper bound, in scaled distance units, on the distance of every point x with
  // L(q, x) <= scaled_exact (the long double sum differs from the real one by at most rho_).
  double distance_bound(long double scaled_exact) const {
    return std::sqrt(static_cast<double>(scaled_exact / (1 - static_cast<long double>(rho_)))) * (1 + 4 * kUnitRoundoff);
  }

  // Sorts exact candidates and writes the first k (the excluded point is never among them).
  static void finish(std::vector<Exact>& candidates, Eigen::Index k, NeighborIndices& out, Eigen::Index r) {
    if (static_cast<Eigen::Index>(candidates.size()) < k)
      throw std::logic_error("imbalance::NearestNeighbors: fewer candidates than neighbours (a bug; please report)");
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    for (Eigen::Index j = 0; j < k; ++j) out(r, j) = candidates[static_cast<std::size_t>(j)].second;
  }

  // The definition itself, for a query too large for the scaled filters (query() far outside the
  // indexed points' range) or as the fallback of last resort.
  void exact_scan(const double* q, Eigen::Index exclude, Eigen::Index k, std::vector<Exact>& candidates,
                  NeighborIndices& out, Eigen::Index r) const {
    candidates.clear();
    for (Eigen::Index i = 0; i < size(); ++i)
      if (i != exclude) candidates.emplace_back(exact_distance(q, i), i);
    finish(candidates, k, out, r);
  }

  // True when a query's scaled coordinates stay in the range the filters' bounds assume.
  template <class Row>
  bool in_range(const Row& q) const {
    return q.cwiseAbs().maxCoeff() * scale_ <= std::ldexp(1.0, max_exponent_);
  }

  template <class QueryRow, class ExcludeOf>
  void search(Eigen::Index count, QueryRow query_row, ExcludeOf exclude_of, Eigen::Index k, NeighborIndices& out) const {
    if (backend_ == NeighborBackend::Hnsw)
      search_hnsw(count, query_row, exclude_of, k, out);
    else if (algorithm_ == NeighborAlgorithm::KDTree)
      search_tree(count, query_row, exclude_of, k, out);
    else
      search_brute(count, query_row, exclude_of, k, out);
  }

  // k-d tree: ask for k + 2 candidates by the tree's double distance T; re-rank them exactly. A
  // point not returned has T >= the last returned T; unless that proves it farther than the k-th
  // exact neighbour (with the bound |T - D^2| <= 1.25 (d + 3) u D^2 + 2 (d + 1) tiny), a radius
  // search returns every point that might still be nearer or tied, and those are re-ranked.
  template <class QueryRow, class ExcludeOf>
  void search_tree(Eigen::Index count, QueryRow query_row, ExcludeOf exclude_of, Eigen::Index k,
                   NeighborIndices& out) const {
    const double d = static_cast<double>(dimension());
    const double relative = 1.25 * (d + 3) * kUnitRoundoff, absolute = 2 * (d + 1) * kTiny;
    const std::size_t ask = static_cast<std::size_t>(std::min<Eigen::Index>(k + 2, size()));
    detail::parallel_chunks(count, kQueriesPerChunk, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    std::vector<std::size_t> indices(ask);
    std::vector<double> distances(ask);
    std::vector<Exact> candidates;
    Eigen::RowVectorXd q(dimension()), scaled(dimension());
    std::vector<std::pair<std::size_t, double>> matches;
    for (Eigen::Index r = begin; r < end; ++r) {
      q = query_row(r);
      const Eigen::Index exclude = exclude_of(r);
      if (!in_range(q)) {
        exact_scan(q.data(), exclude, k, candidates, out, r);
        continue;
      }
      scaled = q * scale_;
      nanoflann::KNNResultSet<double, std::size_t> result(ask);
      result.init(indices.data(), distances.data());
      tree_->findNeighbors(result, scaled.data(), nanoflann::SearchParams());
      const std::size_t found = result.size();
      candidates.clear();
      for (std::size_t j = 0; j < found; ++j) {
        const auto index = static_cast<Eigen::Index>(indices[j]);
        if (index != exclude) candidates.emplace_back(exact_distance(q.data(), index), index);
      }
      if (found < ask || static_cast<Eigen::Index>(candidates.size()) < k) {  // cannot happen; stay exact
        exact_scan(q.data(), exclude, k, candidates, out, r);
        continue;
      }
      if (static_cast<Eigen::Index>(found) < size()) {
        std::nth_element(candidates.begin(), candidates.begin() + (k - 1), candidates.end());
        const double bound = distance_bound(candidates[static_cast<std::size_t>(k - 1)].first);
        const double needed = bound * bound * (1 + relative) * (1 + 4 * kUnitRoundoff) + absolute;
        const double last = distances[found - 1];
        if (!(last * (1 - kTreeSlack) > needed)) {
          matches.clear();
          nanoflann::SearchParams params;
          params.sorted = false;
          tree_->radiusSearch(scaled.data(), needed * (1 + kTreeSlack) + absolute, matches, params);
          candidates.clear();
          for (const auto& m : matches) {
            const auto index = static_cast<Eigen::Index>(m.first);
            if (index != exclude) candidates.emplace_back(exact_distance(q.data(), index), index);
          }
          if (static_cast<Eigen::Index>(candidates.size()) < k) {  // cannot happen; stay exact
            exact_scan(q.data(), exclude, k, candidates, out, r);
            continue;
          }
        }
      }
      finish(candidates, k, out, r);
    }
    });
  }

  // Candidates of one query in the brute force: upper bounds of the best k so far (a max-heap),
  // the admitted points not yet ranked, and the exactly ranked survivors of earlier compactions.
  struct BruteCandidates {
    std::vector<double> upper;
    /// Exact k-nearest neighbours (Euclidean), shared by every neighbour-based sampler. See imbalance/neighbors/neighbors.hpp for the formula, the paper and the defaults.
    struct Pending {
      /// Index of the point.
      Eigen::Index index;
      double lower_squared;  ///< the filter's lower bound term, tested again against the final bound
      double e2;  ///< the filter's error term
    };
    std::vector<Pending> pending;
    std::vector<Exact> ranked;
    double bound = std::numeric_limits<double>::infinity();
    void clear() {
      upper.clear();
      pending.clear();
      ranked.clear();
      bound = std::numeric_limits<double>::infinity();
    }
  };

  // Ranks the pending candidates exactly and keeps the best k; their k-th distance bounds the rest.
  // A candidate admitted under an earlier, looser bound is first tested again under the current one.
  void compact(BruteCandidates& c, const double* q, Eigen::Index k) const {
    auto still_possible = [&](const typename BruteCandidates::Pending& p) {
      return !(p.lower_squared > 0 && p.lower_squared > (c.bound + p.e2) * (c.bound + p.e2));
    };
    auto last = std::partition(c.pending.begin(), c.pending.end(), still_possible);
    // The k points behind the bound always pass; should rounding ever say otherwise, rank them all.
    if (static_cast<Eigen::Index>(c.ranked.size() + static_cast<std::size_t>(last - c.pending.begin())) < k)
      last = c.pending.end();
    for (auto p = c.pending.begin(); p != last; ++p) c.ranked.emplace_back(exact_distance(q, p->index), p->index);
    c.pending.clear();
    if (static_cast<Eigen::Index>(c.ranked.size()) >= k) {
      std::partial_sort(c.ranked.begin(), c.ranked.begin() + k, c.ranked.end());
      c.ranked.resize(static_cast<std::size_t>(k));
      c.bound = std::min(c.bound, distance_bound(c.ranked.back().first));
    }
  }

  // Brute force on centred, scaled data w, in two filters and the exact re-rank. With a = |w_q|,
  // b = |w_x|, u = 2^-53, the double distance D~ = |w_q|^2 + |w_x|^2 - 2 w_q.w_x obeys
  //   |D~ - |w_q - w_x|^2| <= e1 = 1.25 (d + 2) u (a + b)^2 + 4 (d + 1) tiny   (dot-product bounds),
  //   | |w_q - w_x| - D | <= e2 = 1.25 u (a + b) + 2.5 sqrt(d) tiny            (rounding of w),
  // where D is the scaled true distance. A point is dropped only when its lower bound exceeds the
  // k-th smallest upper bound seen (inflated by the long double slack rho_).
  // The first filter is cheaper: v = float(s w) (s a power of two) and F = |v_q|^2 + |v_x|^2 -
  // 2 v_q.v_x in float, one float matrix product per block of queries and tile of points (twice
  // the double throughput). With A, B >= |v_q|, |v_x| and w = 2^-24:
  //   |F - |v_q - v_x|^2| <= f1 = (1.5 gamma_d + 3.1 w) (A + B)^2 + 4 (d + 2) tiny_f,
  //   | |v_q - v_x| - s |w_q - w_x| | <= f2 = w (A + B) + sqrt(d) tiny_f,
  // (gamma_d = d w / (1 - d w); the three float additions and the float norms included), so F alone
  // rejects a point once F - f1 > (s bound + f2 + s e2)^2: it is then farther than the k-th upper
  // bound. Only the points it passes get the double D~ (a dot product each) and the tests above.
  // The constants of both filters' bounds (see above), for a search of k neighbours.
  struct BruteBounds {
    double kappa1, abs1, kappa2, abs2, inflate;          // the double filter
    double f_kappa1, f_abs1, f_kappa2, f_abs2;           // the float filter
    double norm_slack, float_norm_tiny;                  // |v| <= s |w| norm_slack + float_norm_tiny
    std::size_t cap;                                     // pending candidates before a compaction
  };

  BruteBounds brute_bounds(Eigen::Index k) const {
    const double d = static_cast<double>(dimension());
    constexpr double float_roundoff = std::numeric_limits<float>::epsilon() / 2;
    const double float_tiny = static_cast<double>(std::numeric_limits<float>::denorm_min());
    const double float_gamma = d * float_roundoff < 0.5 ? d * float_roundoff / (1 - d * float_roundoff)
                                                        : std::numeric_limits<double>::infinity();
    BruteBounds b{};
    b.kappa1 = 1.25 * (d + 2) * kUnitRoundoff;
    b.abs1 = 4 * (d + 1) * kTiny;
    b.kappa2 = 1.25 * kUnitRoundoff;
    b.abs2 = 2.5 * std::sqrt(d) * kTiny;
    b.inflate = (1 + 2 * rho_) * (1 + 4 * kUnitRoundoff);
    b.norm_slack = (1 + 2 * float_roundoff) * (1 + 4 * kUnitRoundoff);
    b.float_norm_tiny = std::sqrt(d) * float_tiny;
    b.f_kappa1 = (1.5 * float_gamma + 3.1 * float_roundoff) * (1 + 4 * kUnitRoundoff);
    b.f_abs1 = 4 * (d + 2) * float_tiny;
    b.f_kappa2 = (float_roundoff + b.kappa2 * 1.01) * (1 + 4 * kUnitRoundoff);
    b.f_abs2 = 2 * b.float_norm_tiny;
    b.cap = static_cast<std::size_t>(std::max<Eigen::Index>(64, 4 * k));
    return b;
  }

  // One query (centred, scaled row w of `a` = |w|, `a2` = |w|^2, `float_squared` = |v|^2; `original`:
  // its unscaled coordinates) against the tile of points [t0, t0 + t), whose float products with
  // the query are `products` and whose largest |w_x| is `tile_norm`: both filters, candidates into c.
  void filter_tile(BruteCandidates& c, const BruteBounds& bb, const double* w, const double* original, double a,
                   double a2, double float_squared, const float* products, Eigen::Index t0, Eigen::Index t,
                   double tile_norm, Eigen::Index exclude, Eigen::Index k) const {
    const Eigen::Index d = dimension();
    const double tile_float_norm = float_scale_ * tile_norm * bb.norm_slack + bb.float_norm_tiny;
    const double float_sum = float_scale_ * a * bb.norm_slack + bb.float_norm_tiny + tile_float_norm;
    const double f1 = bb.f_kappa1 * float_sum * float_sum + bb.f_abs1, f2 = bb.f_kappa2 * float_sum + bb.f_abs2;
    // F > threshold implies F - f1 > (s bound + f2)^2 for every point of the tile.
    auto threshold_of = [&](double bound) {
      const double reach = float_scale_ * bound * (1 + 2 * kUnitRoundoff) + f2;
      return (reach * reach + f1) * (1 + 4 * kUnitRoundoff);
    };
    double threshold = threshold_of(c.bound);
    const float* squared_norms = work_float_squared_norms_.data() + t0;
    const Eigen::Map<const Eigen::RowVectorXd> query(w, d);
    for (Eigen::Index j0 = 0; j0 < t; j0 += kFilterChunk) {
      const Eigen::Index m = std::min(kFilterChunk, t - j0);
      // Vectorised: when the chunk's smallest |v_x|^2 - 2 v_q.v_x puts it over the threshold, so
      // does every point of the chunk (each value obeys the bound; the double sum is monotonic).
      using Chunk = Eigen::Array<float, kFilterChunk, 1>;  // fixed size: unrolled, no remainder loop
      const float chunk_min =
          m == kFilterChunk
              ? (Eigen::Map<const Chunk>(squared_norms + j0) - 2 * Eigen::Map<const Chunk>(products + j0)).minCoeff()
              : (Eigen::Map<const Eigen::ArrayXf>(squared_norms + j0, m) -
                 2 * Eigen::Map<const Eigen::ArrayXf>(products + j0, m)).minCoeff();
      if (float_squared + static_cast<double>(chunk_min) > threshold) continue;
      for (Eigen::Index j = j0; j < j0 + m; ++j) {
        if (float_squared + static_cast<double>(squared_norms[j] - 2 * products[j]) > threshold) continue;
        const Eigen::Index i = t0 + j;
        if (i == exclude) continue;
        const double approx = a2 + (work_squared_norms_(i) - 2 * query.dot(work_.row(i)));
        const double sum = a + work_norms_(i);
        const double e1 = bb.kappa1 * sum * sum + bb.abs1, e2 = bb.kappa2 * sum + bb.abs2;
        const double lower_squared = approx - e1;
        if (lower_squared > 0 && lower_squared > (c.bound + e2) * (c.bound + e2)) continue;
        c.pending.push_back({i, lower_squared, e2});
        const double upper = std::sqrt(std::max(0.0, approx + e1)) + e2;
        if (static_cast<Eigen::Index>(c.upper.size()) < k) {
          c.upper.push_back(upper);
          std::push_heap(c.upper.begin(), c.upper.end());
        } else if (upper < c.upper.front()) {
          std::pop_heap(c.upper.begin(), c.upper.end());
          c.upper.back() = upper;
          std::push_heap(c.upper.begin(), c.upper.end());
        }
        if (static_cast<Eigen::Index>(c.upper.size()) == k) c.bound = std::min(c.bound, c.upper.front() * bb.inflate);
        if (c.pending.size() > bb.cap) compact(c, original, k);
        threshold = threshold_of(c.bound);
      }
    }
  }

  template <class QueryRow, class ExcludeOf>
  void search_brute(Eigen::Index count, QueryRow query_row, ExcludeOf exclude_of, Eigen::Index k,
                    NeighborIndices& out) const {
    const Eigen::Index n = size();
    const BruteBounds bb = brute_bounds(k);
    const Eigen::Index query_rows = query_block(), tile_rows = point_tile();
    detail::parallel_chunks(count, 4 * query_rows, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
    Points originals(query_rows, dimension()), block(query_rows, dimension());
    FloatPoints block_float(query_rows, dimension());
    FloatPoints products(query_rows, std::min(tile_rows, n));  // row-major: a query's row is contiguous
    Eigen::VectorXd block_squared(query_rows), block_norms(query_rows);
    Eigen::VectorXf block_float_squared(query_rows);
    std::vector<BruteCandidates> lists(static_cast<std::size_t>(query_rows));
    std::vector<Exact> scratch;
    std::vector<char> active(static_cast<std::size_t>(query_rows));
    for (Eigen::Index q0 = begin; q0 < end; q0 += query_rows) {
      const Eigen::Index b = std::min(query_rows, end - q0);
      for (Eigen::Index r = 0; r < b; ++r) {
        originals.row(r) = query_row(q0 + r);
        active[static_cast<std::size_t>(r)] = in_range(originals.row(r));
        if (active[static_cast<std::size_t>(r)])
          block.row(r) = originals.row(r) * scale_ - centre_;
        else
          block.row(r).setZero();  // answered by exact_scan below
        lists[static_cast<std::size_t>(r)].clear();
      }
      block_squared.head(b) = block.topRows(b).rowwise().squaredNorm();
      block_norms.head(b) = block_squared.head(b).cwiseSqrt();
      block_float.topRows(b) = (block.topRows(b) * float_scale_).template cast<float>();
      block_float_squared.head(b) = block_float.topRows(b).rowwise().squaredNorm();
      for (Eigen::Index t0 = 0; t0 < n; t0 += tile_rows) {
        const Eigen::Index t = std::min(tile_rows, n - t0);
        products.topLeftCorner(b, t).noalias() = block_float.topRows(b) * work_float_.middleRows(t0, t).transpose();
        // The largest |w_x| of the tile bounds every point's error terms from above, so one
        // threshold per query and tile rejects most points with three flops and a compare.
        const double tile_norm = work_norms_.segment(t0, t).maxCoeff();
        for (Eigen::Index r = 0; r < b; ++r) {
          if (!active[static_cast<std::size_t>(r)]) continue;
          filter_tile(lists[static_cast<std::size_t>(r)], bb, block.row(r).data(), originals.row(r).data(),
                      block_norms(r), block_squared(r), static_cast<double>(block_float_squared(r)),
                      products.row(r).data(), t0, t, tile_norm, exclude_of(q0 + r), k);
        }
      }
      for (Eigen::Index r = 0; r < b; ++r) {
        const double* q = originals.row(r).data();
        if (!active[static_cast<std::size_t>(r)]) {
          exact_scan(q, exclude_of(q0 + r), k, scratch, out, q0 + r);
          continue;
        }
        BruteCandidates& c = lists[static_cast<std::size_t>(r)];
        compact(c, q, k);
        finish(c.ranked, k, out, q0 + r);
      }
    }
    });
  }

  // All indexed points as queries, brute force, at high dimension: the products of every pair of
  // blocks are computed once and serve both blocks' queries (half the products of search_brute).
  // Pairs run in the rounds of a round-robin tournament: within a round no two pairs share a block,
  // so the pairs of a round run in parallel with each point's candidates owned by one pair; every
  // point meets the blocks in the same order for every thread count (and the answer is the exact
  // definition whatever the order).
  NeighborIndices self_brute_symmetric(Eigen::Index k) const {
    const Eigen::Index n = size(), block_rows = kSymmetricBlock;
    const Eigen::Index blocks = detail::chunk_count(n, block_rows);
    const BruteBounds bb = brute_bounds(k);
    std::vector<BruteCandidates> lists(static_cast<std::size_t>(n));
    std::vector<double> block_norm(static_cast<std::size_t>(blocks));
    for (Eigen::Index p = 0; p < blocks; ++p) {
      const Eigen::Index begin = p * block_rows;
      block_norm[static_cast<std::size_t>(p)] = work_norms_.segment(begin, std::min(block_rows, n - begin)).maxCoeff();
    }
    // The queries of block `query` against the points of block `tile`, whose products are the rows
    // of `products`.
    auto filter_block = [&](Eigen::Index query, Eigen::Index tile, const FloatPoints& products) {
      const Eigen::Index q0 = query * block_rows, t0 = tile * block_rows;
      const Eigen::Index t = std::min(block_rows, n - t0);
      for (Eigen::Index r = 0; r < products.rows(); ++r) {
        const Eigen::Index i = q0 + r;
        filter_tile(lists[static_cast<std::size_t>(i)], bb, work_.row(i).data(), points_.row(i).data(), work_norms_(i),
                    work_squared_norms_(i), static_cast<double>(work_float_squared_norms_(i)), products.row(r).data(), t0,
                    t, block_norm[static_cast<std::size_t>(tile)], i, k);
      }
    };
    auto rows_of = [&](Eigen::Index p) { return std::min(block_rows, n - p * block_rows); };
    auto pair = [&](Eigen::Index first, Eigen::Index second, FloatPoints& products, FloatPoints& transposed) {
      products.resize(rows_of(first), rows_of(second));
      products.noalias() = work_float_.middleRows(first * block_rows, rows_of(first)) *
                           work_float_.middleRows(second * block_rows, rows_of(second)).transpose();
      filter_block(first, second, products);
      if (first == second) return;
      transposed = products.transpose();
      filter_block(second, first, transposed);
    };
    // Round 0: every block with itself; then the circle method over an even number of slots (slot
    // `blocks` is a bye when the count is odd).
    detail::parallel_chunks(blocks, 1, [&](Eigen::Index p, Eigen::Index, Eigen::Index) {
      FloatPoints products, transposed;
      pair(p, p, products, transposed);
    });
    const Eigen::Index slots = blocks + blocks % 2, turns = slots - 1;
    for (Eigen::Index round = 0; round < turns; ++round)
      detail::parallel_chunks(slots / 2, 1, [&](Eigen::Index p, Eigen::Index, Eigen::Index) {
        const Eigen::Index first = p == 0 ? slots - 1 : (round + p) % turns;
        const Eigen::Index second = p == 0 ? round : (round + turns - p) % turns;
        if (first >= blocks || second >= blocks) return;  // the bye
        FloatPoints products, transposed;
        pair(std::min(first, second), std::max(first, second), products, transposed);
      });
    NeighborIndices out(n, k);
    detail::parallel_chunks(n, kQueriesPerChunk, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
      for (Eigen::Index i = begin; i < end; ++i) {
        BruteCandidates& c = lists[static_cast<std::size_t>(i)];
        compact(c, points_.row(i).data(), k);
        finish(c.ranked, k, out, i);
        c = BruteCandidates();  // free as we go
      }
    });
    return out;
  }

  // HNSW: checks the parameters, then builds one graph per shard of shard_size consecutive points,
  // each by one thread (shards in parallel), from float copies of the centred, scaled points.
  void build_hnsw(const HnswParameters& p) {
    const char* function = "NearestNeighbors::NearestNeighbors()";
    if (p.M < 2 || p.M > 1024) detail::throw_invalid(function, ": hnsw.M must lie in [2, 1024] (got ", p.M, ")");
    if (p.ef_construction < 1 || p.ef_construction > (1 << 20))
      detail::throw_invalid(function, ": hnsw.ef_construction must lie in [1, 1048576] (got ", p.ef_construction, ")");
    if (p.ef < 1 || p.ef > (1 << 20)) detail::throw_invalid(function, ": hnsw.ef must lie in [1, 1048576] (got ", p.ef, ")");
    if (p.shard_size < 1) detail::throw_invalid(function, ": hnsw.shard_size must be >= 1 (got ", p.shard_size, ")");
#if !IMBALANCE_WITH_HNSWLIB
    detail::throw_invalid(function, ": the HNSW backend needs hnswlib, which this build did not find (Debian: libhnswlib-dev)");
#else
    backend_ = NeighborBackend::Hnsw;
    algorithm_ = NeighborAlgorithm::Auto;
    shard_size_ = p.shard_size;
    ef_ = p.ef;
    // Centred (float keeps the spread, not an offset) and scaled into (-1, 1) by a power of two.
    const Eigen::Index n = size(), d = dimension();
    centre_ = Eigen::RowVectorXd::Zero(d);
    for (Eigen::Index i = 0; i < n; ++i) centre_ += points_.row(i) * scale_;
    centre_ /= static_cast<double>(n);
    double largest = 0;
    for (Eigen::Index i = 0; i < n; ++i) largest = std::max(largest, (points_.row(i) * scale_ - centre_).cwiseAbs().maxCoeff());
    hnsw_scale_ = 1;
    if (largest > 0) {
      int exponent = 0;
      std::frexp(largest, &exponent);
      hnsw_scale_ = std::ldexp(1.0, -exponent);
    }
    space_ = std::make_unique<detail::HnswL2Space>(static_cast<std::size_t>(d));
    const Eigen::Index shards = (n + shard_size_ - 1) / shard_size_;
    shards_.resize(static_cast<std::size_t>(shards));
    detail::parallel_chunks(shards, 1, [&](Eigen::Index s, Eigen::Index, Eigen::Index) {
      const Eigen::Index first = s * shard_size_, count = std::min(shard_size_, n - first);
      auto graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
          space_.get(), static_cast<std::size_t>(count), static_cast<std::size_t>(p.M),
          static_cast<std::size_t>(p.ef_construction), static_cast<std::size_t>(p.seed + static_cast<std::uint64_t>(s)));
      Eigen::Matrix<float, 1, Eigen::Dynamic> point(d);
      for (Eigen::Index i = 0; i < count; ++i) {
        point = ((points_.row(first + i) * scale_ - centre_) * hnsw_scale_).template cast<float>();
        graph->addPoint(point.data(), static_cast<hnswlib::labeltype>(i));
      }
      graph->setEf(static_cast<std::size_t>(p.ef));
      shards_[static_cast<std::size_t>(s)] = std::move(graph);
    });
#endif
  }

  // HNSW: every shard's graph returns its k + 1 best by float distance; the union, without the
  // excluded point, is ranked by the exact L (ties to the lower index). A query outside float's
  // range, or with fewer than k candidates, is answered by the exact scan.
  template <class QueryRow, class ExcludeOf>
  void search_hnsw(Eigen::Index count, QueryRow query_row, ExcludeOf exclude_of, Eigen::Index k,
                   NeighborIndices& out) const {
#if IMBALANCE_WITH_HNSWLIB
    const Eigen::Index n = size(), d = dimension();
    const double limit = std::ldexp(1.0, 60);
    detail::parallel_chunks(count, kQueriesPerChunk, [&](Eigen::Index, Eigen::Index begin, Eigen::Index end) {
      Eigen::RowVectorXd q(d), centred(d);
      Eigen::Matrix<float, 1, Eigen::Dynamic> query(d);
      std::vector<Exact> candidates;
      candidates.reserve(static_cast<std::size_t>(k + 1) * shards_.size());
      for (Eigen::Index r = begin; r < end; ++r) {
        q = query_row(r);
        const Eigen::Index exclude = exclude_of(r);
        centred = (q * scale_ - centre_) * hnsw_scale_;
        if (!(centred.cwiseAbs().maxCoeff() <= limit)) {
          exact_scan(q.data(), exclude, k, candidates, out, r);
          continue;
        }
        query = centred.template cast<float>();
        candidates.clear();
        for (std::size_t s = 0; s < shards_.size(); ++s) {
          const Eigen::Index first = static_cast<Eigen::Index>(s) * shard_size_;
          const Eigen::Index in_shard = std::min(shard_size_, n - first);
          // hnswlib's search allocates its own queues: one allocation per query and shard.
          auto found = shards_[s]->searchKnn(query.data(), static_cast<std::size_t>(std::min(k + 1, in_shard)));
          for (; !found.empty(); found.pop()) {
            const Eigen::Index i = first + static_cast<Eigen::Index>(found.top().second);
            if (i != exclude) candidates.emplace_back(exact_distance(q.data(), i), i);
          }
        }
        if (static_cast<Eigen::Index>(candidates.size()) < k)
          exact_scan(q.data(), exclude, k, candidates, out, r);
        else
          finish(candidates, k, out, r);
      }
    });
#else
    (void)count, (void)query_row, (void)exclude_of, (void)k, (void)out;
#endif
  }

  Points points_;
  NeighborBackend backend_ = NeighborBackend::Exact;
  NeighborAlgorithm algorithm_ = NeighborAlgorithm::KDTree;
  double scale_ = 1;
  int max_exponent_ = 0;
  double rho_ = 0;
  Eigen::RowVectorXd centre_;
  Points work_;
  Eigen::VectorXd work_squared_norms_, work_norms_;
  double float_scale_ = 1;
  FloatPoints work_float_;
  Eigen::VectorXf work_float_squared_norms_;
  std::unique_ptr<Adaptor> adaptor_;
  std::unique_ptr<Tree> tree_;
#if IMBALANCE_WITH_HNSWLIB
  std::unique_ptr<detail::HnswL2Space> space_;
  std::vector<std::unique_ptr<hnswlib::HierarchicalNSW<float>>> shards_;
#else
  std::vector<int> shards_;  // never filled: keeps shard_count() one definition
#endif
  Eigen::Index shard_size_ = 0;
  Eigen::Index ef_ = 0;
  double hnsw_scale_ = 1;  // centred, then scaled by a power of two into float's comfortable range
};

}  // namespace imbalance
