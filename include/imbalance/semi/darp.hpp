#pragma once
/// @file
/// DARP: distribution aligning refinery of pseudo-labels (Kim, Hur, Park, Yang, Hwang, Shin, "Distribution
/// Aligning Refinery of Pseudo-label for Imbalanced Semi-supervised Learning", NeurIPS 2020; official code
/// bbuing9/DARP, common.py estimate_pseudo / opt_solver, called as training_functions.py calls them).
///
/// Given pseudo-label distributions P (M x K, rows sum to 1) of M unlabelled samples and target class
/// totals c (K entries summing to M), DARP finds the matrix closest to P in entropy-weighted KL
///   min_Q sum_m w_m KL(Q_m || P_m)   s.t.  Q 1 = 1,  Q^T 1 = c,   w_m = 1 / H(P_m),
/// H(p) = -sum_k p_k log(p_k + 1e-6) (the official entropy). Its dual gives Q_mk = P_mk/e X_m Y_mk with
/// Y_mk = exp(-nu_k / w_m); the official solver alternates X_m = 1 / sum_k (P_mk/e) Y_mk (rows) and, per
/// class, the root nu_k of f_k(nu) = sum_m (P_mk/e) X_m exp(-nu/w_m) - c_k (columns).
///
/// Two solvers (DarpSolver):
///  - Official: as the official code: T outer iterations (default 10), each column root by SciPy 1.10's
///    secant method without a derivative (x0 = the previous nu, x1 = x0 (1 + 1e-4) +- 1e-4, stop when a
///    step is <= th, default 0.1, at most 30 steps), the rows rescaled last. The rows then sum to 1 but
///    the columns only roughly meet c (on the reference cases they miss by 5e-7 to 0.4: the published
///    results were obtained with these pseudo-labels). It reproduces the official output to 1e-8.
///  - Converged: the same block ascent run until every column meets its target to `tolerance`
///    (default 1e-10, absolute) after the row step, each column root found by Newton's method on
///    log f_k (convex and decreasing in nu, so Newton converges monotonically and never overflows).
///    This is the solution of the problem above; both constraints hold to the tolerance.
/// A class whose target is below 1/alpha keeps no row in estimate_pseudo, and its column holds only the
/// 1e-6 smoothing; the Official solver then cannot move it (the column stays near 0: documented in
/// DarpResult::max_column_deviation, which the caller should read), the Converged one reaches it.
///
/// The pipeline of the official training loop: darp_estimate_pseudo (the alpha-cut pseudo-labels and
/// class scales), darp_solver_input (P scaled and smoothed by 1e-6), darp_solve; darp_refine does all
/// three. darp_estimate_distribution estimates c when the unlabelled class distribution is unknown
/// (the official train_base_estim.py: C^-1 q~ from the soft confusion of a labelled validation set).
/// Defaults: alpha 2, T 10, th 0.1, 30 secant steps (the official CIFAR-10 settings; CIFAR-100 and
/// STL-10 use T 20, th 0.3).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "imbalance/core/eigen.hpp"
IMBALANCE_EIGEN_INCLUDE_BEGIN
#include <Eigen/LU>
#include <Eigen/SVD>
IMBALANCE_EIGEN_INCLUDE_END

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// The official solver (SciPy's secant, replicated) or Newton iterations to convergence.
enum class DarpSolver {
  Official,  ///< the official code's T outer iterations with SciPy's secant steps (columns approximate)
  Converged  ///< the block ascent run until the columns meet their targets (the exact solution)
};

/// Options of DarpResult (see imbalance/semi/darp.hpp for the formula, the paper and the defaults).
struct DarpOptions {
  double alpha = 2.0;           ///< estimate_pseudo keeps the top floor(alpha c_k) rows of class k
  /// Which solver.
  DarpSolver solver = DarpSolver::Official;
  long iterations = 10;         ///< Official: outer iterations T (iter_T)
  double secant_tolerance = 0.1;  ///< Official: th, SciPy newton's tol
  long secant_iterations = 30;  ///< Official: num_newton, SciPy newton's maxiter
  double tolerance = 1e-10;     ///< Converged: max |column sum - c_k| after the row step
  long max_iterations = 1000000;  ///< Converged: outer iterations before giving up (throws)
  bool record_trace = false;    ///< keep nu and the secant step counts of every outer iteration
};

/// What estimate_pseudo computes.
struct DarpPseudoEstimate {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> pseudo_labels;  ///< M x K, 0/1
  Eigen::VectorXi num_selected;  ///< floor(alpha c_k), the rows marked for class k (all when >= M)
  Eigen::VectorXd selected_mass;  ///< sum of P_mk over the marked rows
  Eigen::VectorXd weights;        ///< (c_k + 1e-6) / (selected_mass_k + 1e-6)
};

/// DARP. See imbalance/semi/darp.hpp for the formula, the paper and the defaults.
struct DarpResult {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> refined;  ///< M x K
  Eigen::VectorXd nu;             ///< the column duals at the end
  long iterations = 0;            ///< outer iterations run
  double max_row_deviation = 0;     ///< max_m |sum_k Q_mk - 1|
  double max_column_deviation = 0;  ///< max_k |sum_m Q_mk - c_k| (large for the Official solver)
  std::vector<Eigen::VectorXd> nu_trace;            ///< per outer iteration (record_trace)
  std::vector<std::vector<int>> secant_steps_trace;  ///< Official, per outer iteration and class
};

namespace detail {

inline void check_darp_options(const char* function, const DarpOptions& o) {
  check_positive(function, "options.alpha", o.alpha);
  if (o.iterations < 1) throw_invalid(function, ": options.iterations must be >= 1 (got ", o.iterations, ")");
  check_positive(function, "options.secant_tolerance", o.secant_tolerance);
  if (o.secant_iterations < 1)
    throw_invalid(function, ": options.secant_iterations must be >= 1 (got ", o.secant_iterations, ")");
  check_positive(function, "options.tolerance", o.tolerance);
  if (o.max_iterations < 1)
    throw_invalid(function, ": options.max_iterations must be >= 1 (got ", o.max_iterations, ")");
}

// Rows of non-negative finite confidences summing to 1 (to 1e-6 relative: float pseudo-labels pass).
template <class DP>
Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> checked_distributions(
    const char* function, const char* argument, const Eigen::DenseBase<DP>& probs) {
  check_non_empty(function, argument, probs.rows());
  if (probs.cols() < 1) throw_invalid(function, ": ", argument, " has no columns");
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> p = probs.derived().template cast<double>();
  check_finite(function, argument, p);
  for (Eigen::Index m = 0; m < p.rows(); ++m) {
    for (Eigen::Index k = 0; k < p.cols(); ++k)
      if (p(m, k) < 0)
        throw_invalid(function, ": ", argument, "(", m, ", ", k, ") is a negative confidence (", p(m, k), ")");
    const double sum = p.row(m).sum();
    if (std::abs(sum - 1.0) > 1e-6)
      throw_invalid(function, ": row ", m, " of ", argument, " sums to ", sum, ", not 1");
  }
  return p;
}

// Class totals: K finite entries >= 0 summing to M (to 1e-6 relative).
template <class DC>
Eigen::VectorXd checked_targets(const char* function, const Eigen::DenseBase<DC>& target, Eigen::Index m,
                                Eigen::Index k) {
  check_shape(function, "target", target.size(), 1, k, 1);
  Eigen::VectorXd c = target.derived().template cast<double>();
  check_finite(function, "target", c);
  for (Eigen::Index j = 0; j < k; ++j)
    if (c(j) < 0) throw_invalid(function, ": target[", j, "] must be >= 0 (got ", c(j), ")");
  const double sum = c.sum();
  if (std::abs(sum - static_cast<double>(m)) > 1e-6 * static_cast<double>(m))
    throw_invalid(function, ": target must sum to the number of samples ", m, " (got ", sum, ")");
  return c;
}

// SciPy 1.10 optimize.newton without fprime (the secant method), disp=True, rtol 0: returns the
// root and the iteration count, or throws what SciPy raises.
template <class F>
double scipy_secant(const char* function, Eigen::Index k, F&& f, double x0, double tol, long maxiter, int& steps) {
  double p0 = x0;
  double p1 = x0 * (1 + 1e-4);
  p1 += (p1 >= 0 ? 1e-4 : -1e-4);
  double q0 = f(p0), q1 = f(p1);
  if (std::abs(q1) < std::abs(q0)) {
    std::swap(p0, p1);
    std::swap(q0, q1);
  }
  double p = p1;
  for (long iteration = 0; iteration < maxiter; ++iteration) {
    steps = static_cast<int>(iteration + 1);
    if (q1 == q0) {
      if (p1 != p0)
        throw_invalid(function, ": the official secant step for class ", k, " stalled (f equal at ", p0, " and ",
                      p1, "); the target of this class cannot be reached: use DarpSolver::Converged");
      return (p1 + p0) / 2.0;
    }
    if (std::abs(q1) > std::abs(q0))
      p = (-q0 / q1 * p1 + p0) / (1 - q0 / q1);
    else
      p = (-q1 / q0 * p0 + p1) / (1 - q1 / q0);
    // np.isclose(p, p1, rtol=0, atol=tol); equal infinities count as close
    if (p == p1 || std::abs(p - p1) <= tol) return p;
    p0 = p1;
    q0 = q1;
    p1 = p;
    q1 = f(p1);
  }
  throw_invalid(function, ": the official secant search for the column dual of class ", k, " did not converge in ",
                maxiter, " steps (last value ", p, "); the target of this class cannot be reached this way: use "
                "DarpSolver::Converged");
}

}  // namespace detail

/// The official estimate_pseudo: for each class k (from the last to the first), the floor(alpha c_k)
/// rows with the largest P_mk (all rows when that is >= M) are marked, and the class scale is
/// (c_k + 1e-6) / (sum of their P_mk + 1e-6). Ties in a column are broken by the lower row index.
template <class DP, class DC>
DarpPseudoEstimate darp_estimate_pseudo(const Eigen::DenseBase<DP>& probs, const Eigen::DenseBase<DC>& target,
                                        double alpha = 2.0) {
  const char* function = "darp_estimate_pseudo()";
  check_positive(function, "alpha", alpha);
  const auto p = detail::checked_distributions(function, "probs", probs);
  const Eigen::Index m = p.rows(), k = p.cols();
  const Eigen::VectorXd c = detail::checked_targets(function, target, m, k);
  DarpPseudoEstimate e;
  e.pseudo_labels.setZero(m, k);
  e.num_selected.resize(k);
  e.selected_mass.resize(k);
  e.weights.resize(k);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
  for (Eigen::Index j = k - 1; j >= 0; --j) {
    const double cut = std::floor(alpha * c(j));  // int() truncates; c_j >= 0
    const Eigen::Index take = cut >= static_cast<double>(m) ? m : static_cast<Eigen::Index>(cut);
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return p(a, j) > p(b, j); });
    double mass = 0;
    for (Eigen::Index r = 0; r < take; ++r) {
      e.pseudo_labels(order[static_cast<std::size_t>(r)], j) = 1;
      mass += p(order[static_cast<std::size_t>(r)], j);
    }
    e.num_selected(j) = static_cast<int>(std::min<double>(cut, static_cast<double>(std::numeric_limits<int>::max())));
    e.selected_mass(j) = mass;
    e.weights(j) = (c(j) + 1e-6) / (mass + 1e-6);
  }
  return e;
}

/// The matrix the official loop gives the solver: S = P o (pseudo_labels diag(weights)), then
/// (S + 1e-6) with rows normalised to 1.
template <class DP>
Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> darp_solver_input(
    const Eigen::DenseBase<DP>& probs, const DarpPseudoEstimate& estimate) {
  const char* function = "darp_solver_input()";
  const auto p = detail::checked_distributions(function, "probs", probs);
  check_shape(function, "estimate.pseudo_labels", estimate.pseudo_labels.rows(), estimate.pseudo_labels.cols(),
              p.rows(), p.cols());
  check_shape(function, "estimate.weights", estimate.weights.size(), 1, p.cols(), 1);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> s(p.rows(), p.cols());
  for (Eigen::Index m = 0; m < p.rows(); ++m) {
    for (Eigen::Index j = 0; j < p.cols(); ++j)
      s(m, j) = p(m, j) * (estimate.pseudo_labels(m, j) * estimate.weights(j)) + 1e-6;
    s.row(m) /= s.row(m).sum();
  }
  return s;
}

/// The official opt_solver on `input` (M x K rows summing to 1, every row with positive entropy
/// -sum p log(p + 1e-6)) towards the class totals `target`; see the file comment for the solvers.
/// @throws imbalance::invalid_argument for bad input, a row of non-positive entropy (a near one-hot
/// row: smooth it, as darp_solver_input does), a secant failure of the Official solver (as SciPy
/// raises), or a Converged solve that does not meet the tolerance in max_iterations.
template <class DP, class DC>
DarpResult darp_solve(const Eigen::DenseBase<DP>& input, const Eigen::DenseBase<DC>& target,
                      const DarpOptions& options = {}) {
  const char* function = "darp_solve()";
  detail::check_darp_options(function, options);
  const auto a = detail::checked_distributions(function, "input", input);
  const Eigen::Index m = a.rows(), k = a.cols();
  const Eigen::VectorXd c = detail::checked_targets(function, target, m, k);
  Eigen::VectorXd w(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    double entropy = 0;
    for (Eigen::Index j = 0; j < k; ++j) entropy += -a(r, j) * std::log(a(r, j) + 1e-6);
    if (!(entropy > 0))
      detail::throw_invalid(function, ": row ", r, " of input has entropy ", entropy,
                            " <= 0 (a near one-hot row; its weight 1/H would not be positive): smooth the rows "
                            "first, as darp_solver_input does");
    w(r) = 1 / entropy;
  }
  const double e = std::exp(1.0);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> ae = a / e;
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> y(m, k);
  Eigen::VectorXd x(m), nu = Eigen::VectorXd::Ones(k), previous = Eigen::VectorXd::Zero(k);
  for (Eigen::Index r = 0; r < m; ++r) y.row(r).setConstant(std::exp(-1.0 / w(r)));
  const auto row_step = [&] {
    for (Eigen::Index r = 0; r < m; ++r) {
      double denom = 0;
      for (Eigen::Index j = 0; j < k; ++j) denom += ae(r, j) * y(r, j);
      x(r) = 1.0 / denom;
    }
  };
  const auto column_deviation = [&] {
    double worst = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
      double sum = 0;
      for (Eigen::Index r = 0; r < m; ++r) sum += ae(r, j) * x(r) * y(r, j);
      worst = std::max(worst, std::abs(sum - c(j)));
    }
    return worst;
  };
  DarpResult result;
  Eigen::VectorXd log_terms(m);
  const bool official = options.solver == DarpSolver::Official;
  const long limit = official ? options.iterations : options.max_iterations;
  for (long t = 0; t < limit; ++t) {
    row_step();
    if (!official && t > 0 && column_deviation() <= options.tolerance) break;
    std::vector<int> steps(static_cast<std::size_t>(k), 0);
    for (Eigen::Index j = 0; j < k; ++j) {
      if (official) {
        const auto f = [&](double v) {
          double sum = 0;
          for (Eigen::Index r = 0; r < m; ++r) sum += ae(r, j) * x(r) * std::exp(-1 * v / w(r));
          return sum - c(j);
        };
        nu(j) = detail::scipy_secant(function, j, f, previous(j), options.secant_tolerance, options.secant_iterations,
                                     steps[static_cast<std::size_t>(j)]);
      } else {
        // Newton on g(v) = log sum_r exp(l_r - v w_r^-1) - log c_j: convex and decreasing, so after the
        // first step every iterate lies left of the root and the steps increase to it.
        if (!(c(j) > 0))
          detail::throw_invalid(function, ": target[", j, "] is 0: the Converged solver needs every target > 0");
        for (Eigen::Index r = 0; r < m; ++r)
          log_terms(r) = ae(r, j) > 0 ? std::log(ae(r, j) * x(r)) : -std::numeric_limits<double>::infinity();
        const double log_c = std::log(c(j));
        double v = nu(j);
        for (int newton = 0; newton < 200; ++newton) {
          double peak = -std::numeric_limits<double>::infinity();
          for (Eigen::Index r = 0; r < m; ++r) peak = std::max(peak, log_terms(r) - v / w(r));
          double sum = 0, slope = 0;
          for (Eigen::Index r = 0; r < m; ++r) {
            const double term = std::exp(log_terms(r) - v / w(r) - peak);
            sum += term;
            slope -= term / w(r);
          }
          const double g = peak + std::log(sum) - log_c, step = -g / (slope / sum);
          v += step;
          steps[static_cast<std::size_t>(j)] = newton + 1;
          if (std::abs(step) <= 1e-15 * std::max(1.0, std::abs(v))) break;
        }
        nu(j) = v;
      }
    }
    previous = nu;
    for (Eigen::Index r = 0; r < m; ++r)
      for (Eigen::Index j = 0; j < k; ++j) y(r, j) = std::exp(-1 * nu(j) / w(r));
    result.iterations = t + 1;
    if (options.record_trace) {
      result.nu_trace.push_back(nu);
      result.secant_steps_trace.push_back(steps);
    }
  }
  row_step();
  result.max_column_deviation = column_deviation();
  if (!official && !(result.max_column_deviation <= options.tolerance))
    detail::throw_invalid(function, ": the Converged solver did not meet the column targets to ", options.tolerance,
                          " in ", options.max_iterations, " iterations (deviation ", result.max_column_deviation,
                          "); raise options.max_iterations or options.tolerance");
  result.refined.resize(m, k);
  for (Eigen::Index r = 0; r < m; ++r)
    for (Eigen::Index j = 0; j < k; ++j) result.refined(r, j) = ae(r, j) * x(r) * y(r, j);
  result.nu = nu;
  result.max_row_deviation = (result.refined.rowwise().sum().array() - 1.0).abs().maxCoeff();
  return result;
}

/// The whole official refinement of pseudo-label distributions `probs` towards class totals `target`:
/// darp_estimate_pseudo, darp_solver_input, darp_solve.
template <class DP, class DC>
DarpResult darp_refine(const Eigen::DenseBase<DP>& probs, const Eigen::DenseBase<DC>& target,
                       const DarpOptions& options = {}) {
  const DarpPseudoEstimate estimate = darp_estimate_pseudo(probs, target, options.alpha);
  return darp_solve(darp_solver_input(probs, estimate), target, options);
}

/// The unlabelled set's class totals, as the official train_base_estim.py estimates them: on a
/// labelled validation set, the soft confusion C_ij = sum of p_i(x) over samples of class j, each
/// column normalised to 1; on the unlabelled set, q~_i = sum of p_i(x); the estimate is C^-1 q~
/// (class totals summing to about M). `condition` receives cond(C) (the official code accepts an
/// estimate only when it is below a threshold and every entry is >= 0: check both).
struct DarpDistributionEstimate {
  Eigen::VectorXd totals;  ///< C^-1 q~ (may hold negative entries when C is ill-conditioned)
  double condition = 0;    ///< 2-norm condition number of C
};

/// DARP's estimate of the unlabelled class distribution from validation probabilities.
template <class DV, class DY, class DU>
DarpDistributionEstimate darp_estimate_distribution(const Eigen::DenseBase<DV>& validation_probs,
                                                    const Eigen::DenseBase<DY>& validation_labels,
                                                    const Eigen::DenseBase<DU>& unlabeled_probs) {
  const char* function = "darp_estimate_distribution()";
  const auto pv = detail::checked_distributions(function, "validation_probs", validation_probs);
  const auto pu = detail::checked_distributions(function, "unlabeled_probs", unlabeled_probs);
  const Eigen::Index k = pv.cols();
  check_shape(function, "unlabeled_probs", pu.rows(), pu.cols(), -1, k);
  check_same_length(function, "validation_labels", validation_labels.size(), "validation_probs", pv.rows());
  check_labels(function, "validation_labels", validation_labels, k);
  Eigen::MatrixXd confusion = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index r = 0; r < pv.rows(); ++r)
    confusion.col(static_cast<Eigen::Index>(validation_labels.derived()(r))) += pv.row(r).transpose();
  for (Eigen::Index j = 0; j < k; ++j) {
    const double total = confusion.col(j).sum();
    if (!(total > 0))
      detail::throw_invalid(function, ": class ", detail::class_name(j),
                            " has no validation sample; its column of the confusion matrix is empty");
    confusion.col(j) /= total;
  }
  DarpDistributionEstimate out;
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(confusion);
  const auto& s = svd.singularValues();
  out.condition = s(k - 1) > 0 ? s(0) / s(k - 1) : std::numeric_limits<double>::infinity();
  if (!std::isfinite(out.condition))
    detail::throw_invalid(function, ": the validation confusion matrix is singular; the unlabelled distribution "
                          "cannot be estimated from it");
  out.totals = confusion.partialPivLu().solve(pu.colwise().sum().transpose());
  return out;
}

}  // namespace imbalance
