#pragma once
/// @file
/// k-means with k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) and Lloyd iterations, seeded
/// through the library's portable generator. Used by COG's local decomposition.
///   seeding: the first centre is a uniformly drawn point; each next centre is drawn with probability
///            proportional to the squared distance to the nearest centre chosen so far;
///   Lloyd:   assign each point to its nearest centre (ties: lower index), move each centre to its
///            points' mean; an emptied cluster is re-seeded at the point farthest from its centre.
/// Stops when no assignment changes or after max_iterations.
/// Scale-invariant: the points are first multiplied by the power of two that brings their largest
/// |x| into [0.5, 1) (exact), so squared distances of points near 1e300 neither overflow nor lose
/// the clustering; the centres and the inertia are scaled back (exact). For data of ordinary
/// magnitude the result is bit for bit what the unscaled arithmetic gives.

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"
#include "imbalance/core/random.hpp"

namespace imbalance {

/// Options of KMeansResult (see imbalance/neighbors/kmeans.hpp for the formula, the paper and the defaults).
struct KMeansOptions {
  /// Lloyd iterations at most.
  Eigen::Index max_iterations = 300;
};

/// k-means with k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) and Lloyd iterations, seeded through the library's portable generator. See imbalance/neighbors/kmeans.hpp for the formula, the paper and the defaults.
struct KMeansResult {
  Eigen::MatrixXd centers;          ///< k x d
  Eigen::VectorXi assignments;      ///< N, in [0, k)
  double inertia = 0;               ///< sum of squared distances to the assigned centres (inf beyond the double range)
  /// The inertia of the points scaled by the power of two that brings their largest |x| into
  /// [0.5, 1): finite for any finite points, and comparable between runs on the same points.
  double scaled_inertia = 0;
  /// Lloyd iterations run.
  Eigen::Index iterations = 0;
};

/// k-means of the rows of points into k clusters, seeded by k-means++ from rng.
template <class DX, class Engine>
KMeansResult kmeans(const Eigen::DenseBase<DX>& points, Eigen::Index k, Engine& rng, const KMeansOptions& options = {}) {
  const char* function = "kmeans()";
  check_non_empty(function, "points", points.rows());
  check_finite(function, "points", points);
  if (k < 1 || k > points.rows())
    detail::throw_invalid(function, ": k must lie in [1, ", points.rows(), "] (got ", k, ")");
  if (options.max_iterations < 1)
    detail::throw_invalid(function, ": max_iterations must be >= 1 (got ", options.max_iterations, ")");
  Eigen::MatrixXd x = points.derived().template cast<double>();
  int exponent = 0;
  if (const double largest = x.cwiseAbs().maxCoeff(); largest > 0) std::frexp(largest, &exponent);
  if (exponent != 0) x = x.unaryExpr([exponent](double v) { return std::ldexp(v, -exponent); });
  const Eigen::Index n = x.rows();
  KMeansResult result;
  result.centers.resize(k, x.cols());
  // k-means++ seeding.
  Eigen::VectorXd nearest = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::infinity());
  Eigen::Index chosen = static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n)));
  for (Eigen::Index c = 0; c < k; ++c) {
    if (c > 0) {
      const double total = nearest.sum();
      if (total > 0) {
        const double u = uniform01(rng) * total;
        double running = 0;
        chosen = n - 1;
        for (Eigen::Index i = 0; i < n; ++i) {
          running += nearest(i);
          if (u < running) {
            chosen = i;
            break;
          }
        }
      } else {
        chosen = static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n)));  // all points coincide
      }
    }
    result.centers.row(c) = x.row(chosen);
    nearest = nearest.cwiseMin((x.rowwise() - x.row(chosen)).rowwise().squaredNorm());
  }
  // Lloyd iterations.
  result.assignments = Eigen::VectorXi::Constant(n, -1);
  Eigen::VectorXd distance(n);
  for (Eigen::Index iteration = 0; iteration < options.max_iterations; ++iteration) {
    bool changed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index best = 0;
      double best_distance = (result.centers.row(0) - x.row(i)).squaredNorm();
      for (Eigen::Index c = 1; c < k; ++c) {
        const double d = (result.centers.row(c) - x.row(i)).squaredNorm();
        if (d < best_distance) {
          best_distance = d;
          best = c;
        }
      }
      distance(i) = best_distance;
      if (result.assignments(i) != best) {
        result.assignments(i) = static_cast<int>(best);
        changed = true;
      }
    }
    result.iterations = iteration + 1;
    if (!changed && iteration > 0) break;
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, x.cols());
    Eigen::VectorXd sizes = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < n; ++i) {
      sums.row(result.assignments(i)) += x.row(i);
      sizes(result.assignments(i)) += 1;
    }
    for (Eigen::Index c = 0; c < k; ++c) {
      if (sizes(c) > 0) {
        result.centers.row(c) = sums.row(c) / sizes(c);
      } else {
        Eigen::Index far = 0;
        distance.maxCoeff(&far);
        result.centers.row(c) = x.row(far);
        distance(far) = 0;
      }
    }
  }
  result.inertia = 0;
  for (Eigen::Index i = 0; i < n; ++i) result.inertia += (result.centers.row(result.assignments(i)) - x.row(i)).squaredNorm();
  result.scaled_inertia = result.inertia;
  if (exponent != 0) {
    result.centers = result.centers.unaryExpr([exponent](double v) { return std::ldexp(v, exponent); });
    result.inertia = std::ldexp(result.inertia, 2 * exponent);  // inf beyond the double range
  }
  return result;
}

/// The best of `n_init` k-means runs (lowest inertia; ties: the earlier run). Compared as
/// scaled_inertia, which never overflows.
template <class DX, class Engine>
KMeansResult best_kmeans(const Eigen::DenseBase<DX>& points, Eigen::Index k, int n_init, Engine& rng,
                         const KMeansOptions& options = {}) {
  if (n_init < 1) detail::throw_invalid("best_kmeans(): n_init must be >= 1 (got ", n_init, ")");
  KMeansResult best;
  for (int run = 0; run < n_init; ++run) {
    KMeansResult result = kmeans(points, k, rng, options);
    if (run == 0 || result.scaled_inertia < best.scaled_inertia) best = std::move(result);
  }
  return best;
}

}  // namespace imbalance
