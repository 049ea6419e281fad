#pragma once
/// @file
/// C-support vector classification: the dual problem solved by SMO, as LIBSVM (scikit-learn's SVC).
///
/// Chang & Lin, "LIBSVM: A Library for Support Vector Machines", ACM TIST 2(3), 2011; working-set
/// selection by second-order information (Fan, Chen & Lin, JMLR 6, 2005). For labels y_i = ±1:
///   min_a  1/2 a^T Q a - e^T a   s.t. 0 <= a_i <= C, y^T a = 0,   Q_ij = y_i y_j K(x_i, x_j),
///   K(a, b) = exp(-gamma |a - b|^2) (RBF) or a.b (linear); decision f(x) = sum_i a_i y_i K(x_i, x) - rho.
/// The solver stops when the maximal KKT violation m(a) - M(a) falls below `tolerance` (LIBSVM's
/// eps), and rho is the mean of y_i G_i over the free support vectors (else the middle of the
/// feasible interval), as LIBSVM. Support vectors are the samples with a_i > 0. No shrinking: the
/// optimum is the same, the path and the time differ. Kernel rows are cached up to cache_bytes
/// (least recently used out), so memory stays bounded for any N.
/// Multi-class (SVC::fit): one-vs-one over every pair of classes, as LIBSVM; a sample is a support
/// vector when it is one in any pair. Defaults as scikit-learn's SVC: RBF, C = 1, gamma 'scale'
/// (1 / (d Var(X)), the variance of all entries of X), tolerance 1e-3, cache 200 MiB.
/// Scale-invariant RBF: SVC::fit multiplies X by the power of two that brings its largest |x| into
/// [0.5, 1) and gamma by its inverse square (both exact), so every kernel value is the one of the
/// unscaled data while no squared distance overflows (points near 1e160 keep their support
/// vectors); for data of ordinary magnitude the numbers are bit for bit the unscaled ones.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/checks.hpp"

namespace imbalance {

/// Options of SVM (see imbalance/train/svm.hpp for the formula, the paper and the defaults).
struct SVMOptions {
  /// The kernel.
  enum class Kernel { RBF, Linear };
  /// RBF (scikit-learn's default) or linear.
  Kernel kernel = Kernel::RBF;
  /// C, the penalty of the soft margin.
  double C = 1.0;
  /// RBF width; empty: 'scale' = 1 / (d Var(X)) over the data given to SVC::fit.
  std::optional<double> gamma;
  /// Stopping tolerance of SMO.
  double tolerance = 1e-3;
  /// Iterations per binary problem before giving up with an error.
  std::int64_t max_iterations = 100'000'000;
  /// Kernel cache size in bytes.
  std::size_t cache_bytes = std::size_t{200} << 20;
};

/// One binary C-SVC problem on rows `rows` of X with labels sign[r] = ±1 (see the file comment).
class BinarySVC {
 public:
  /// Row-major double matrix.
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// Solves the problem on rows `rows` of *X (shared: the models of a multi-class fit keep one copy).
  /// `exponent`: *X holds the original rows times 2^-exponent (SVC's pre-scaling; gamma is then
  /// the scaled data's), which decision() applies to its argument.
  BinarySVC(std::shared_ptr<const RowMatrix> X, std::vector<Eigen::Index> rows, std::vector<int> sign, double gamma,
            const SVMOptions& options, int exponent = 0)
      : data_(std::move(X)), rows_(std::move(rows)), y_(std::move(sign)), gamma_(gamma), options_(options),
        exponent_(exponent) {
    const auto n = static_cast<Eigen::Index>(rows_.size());
    diagonal_.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) diagonal_(i) = kernel(i, i);
    max_cached_rows_ = std::max<std::size_t>(2, options_.cache_bytes / (sizeof(double) * static_cast<std::size_t>(std::max<Eigen::Index>(n, 1))));
    solve();
    cache_.clear();  // kernel rows are only needed while solving
    lru_.clear();
  }

  /// The dual coefficients.
  const Eigen::VectorXd& alpha() const noexcept { return alpha_; }
  /// rho: the decision function is sum_i alpha_i y_i K(x_i, x) - rho.
  double rho() const noexcept { return rho_; }
  /// SMO iterations run.
  std::int64_t iterations() const noexcept { return iterations_; }

  /// f(x) for a row x of the original matrix.
  template <class Row>
  double decision(const Row& x) const {
    if (exponent_ != 0) {
      const Eigen::RowVectorXd scaled = x.unaryExpr([this](double v) { return std::ldexp(v, -exponent_); });
      return scaled_decision(scaled);
    }
    return scaled_decision(x);
  }

 private:
  template <class Row>
  double scaled_decision(const Row& x) const {
    double sum = -rho_;
    for (Eigen::Index i = 0; i < alpha_.size(); ++i)
      if (alpha_(i) > 0) sum += alpha_(i) * y_[static_cast<std::size_t>(i)] * kernel_value(data_->row(rows_[static_cast<std::size_t>(i)]), x);
    return sum;
  }
  template <class A, class B>
  double kernel_value(const A& a, const B& b) const {
    if (options_.kernel == SVMOptions::Kernel::Linear) return a.dot(b);
    return std::exp(-gamma_ * (a - b).squaredNorm());
  }
  double kernel(Eigen::Index i, Eigen::Index j) const {
    return kernel_value(data_->row(rows_[static_cast<std::size_t>(i)]), data_->row(rows_[static_cast<std::size_t>(j)]));
  }

  // Row i of Q (y_i y_t K_it for all t), from the cache or computed (one matrix-vector product).
  const std::vector<double>& q_row(Eigen::Index i) {
    const auto found = cache_.find(i);
    if (found != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, found->second.second);
      return found->second.first;
    }
    if (cache_.size() >= max_cached_rows_) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
    const auto n = static_cast<Eigen::Index>(rows_.size());
    std::vector<double> row(static_cast<std::size_t>(n));
    const auto xi = data_->row(rows_[static_cast<std::size_t>(i)]);
    for (Eigen::Index t = 0; t < n; ++t) {
      const auto xt = data_->row(rows_[static_cast<std::size_t>(t)]);
      const double k = options_.kernel == SVMOptions::Kernel::Linear ? xi.dot(xt) : std::exp(-gamma_ * (xi - xt).squaredNorm());
      row[static_cast<std::size_t>(t)] = y_[static_cast<std::size_t>(i)] * y_[static_cast<std::size_t>(t)] * k;
    }
    lru_.push_front(i);
    auto& slot = cache_[i];
    slot.first = std::move(row);
    slot.second = lru_.begin();
    return slot.first;
  }

  void solve() {
    constexpr double kTau = 1e-12;
    const auto n = static_cast<Eigen::Index>(rows_.size());
    const double C = options_.C;
    alpha_ = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd G = Eigen::VectorXd::Constant(n, -1.0);
    auto up = [&](Eigen::Index t) { return y_[static_cast<std::size_t>(t)] > 0 ? alpha_(t) < C : alpha_(t) > 0; };
    auto low = [&](Eigen::Index t) { return y_[static_cast<std::size_t>(t)] > 0 ? alpha_(t) > 0 : alpha_(t) < C; };
    for (iterations_ = 0;; ++iterations_) {
      if (iterations_ >= options_.max_iterations)
        detail::throw_invalid("BinarySVC: no convergence in ", options_.max_iterations, " iterations (tolerance ",
                              options_.tolerance, ")");
      // i: the most violating "up" index (ties: the last, as LIBSVM's >=).
      double g_max = -std::numeric_limits<double>::infinity();
      Eigen::Index i = -1;
      for (Eigen::Index t = 0; t < n; ++t)
        if (up(t) && -y_[static_cast<std::size_t>(t)] * G(t) >= g_max) {
          g_max = -y_[static_cast<std::size_t>(t)] * G(t);
          i = t;
        }
      if (i < 0) break;
      const std::vector<double>& Qi = q_row(i);
      // j: the best second-order decrease among "low" indices; g_max2 for the stopping rule.
      double g_max2 = -std::numeric_limits<double>::infinity(), best = std::numeric_limits<double>::infinity();
      Eigen::Index j = -1;
      const int yi = y_[static_cast<std::size_t>(i)];
      for (Eigen::Index t = 0; t < n; ++t) {
        if (!low(t)) continue;
        const int yt = y_[static_cast<std::size_t>(t)];
        const double violation = yt * G(t);  // = -(-y_t G_t)
        g_max2 = std::max(g_max2, violation);
        const double grad_diff = g_max + violation;
        if (grad_diff > 0) {
          double quad = diagonal_(i) + diagonal_(t) - 2.0 * yi * yt * Qi[static_cast<std::size_t>(t)];
          if (quad <= 0) quad = kTau;
          const double decrease = -(grad_diff * grad_diff) / quad;
          if (decrease <= best) {
            best = decrease;
            j = t;
          }
        }
      }
      if (g_max + g_max2 < options_.tolerance || j < 0) break;
      const std::vector<double> Qi_copy = Qi;  // the cache may drop row i when row j comes in
      const std::vector<double>& Qj = q_row(j);
      const double old_i = alpha_(i), old_j = alpha_(j);
      const int yj = y_[static_cast<std::size_t>(j)];
      double& ai = alpha_(i);
      double& aj = alpha_(j);
      if (yi != yj) {
        double quad = diagonal_(i) + diagonal_(j) + 2 * Qi_copy[static_cast<std::size_t>(j)];
        if (quad <= 0) quad = kTau;
        const double delta = (-G(i) - G(j)) / quad, diff = ai - aj;
        ai += delta;
        aj += delta;
        if (diff > 0) {
          if (aj < 0) { aj = 0; ai = diff; }
        } else if (ai < 0) {
          ai = 0;
          aj = -diff;
        }
        if (diff > 0) {  // C_i - C_j = 0
          if (ai > C) { ai = C; aj = C - diff; }
        } else if (aj > C) {
          aj = C;
          ai = C + diff;
        }
      } else {
        double quad = diagonal_(i) + diagonal_(j) - 2 * Qi_copy[static_cast<std::size_t>(j)];
        if (quad <= 0) quad = kTau;
        const double delta = (G(i) - G(j)) / quad, sum = ai + aj;
        ai -= delta;
        aj += delta;
        if (sum > C) {
          if (ai > C) { ai = C; aj = sum - C; }
        } else if (aj < 0) {
          aj = 0;
          ai = sum;
        }
        if (sum > C) {
          if (aj > C) { aj = C; ai = sum - C; }
        } else if (ai < 0) {
          ai = 0;
          aj = sum;
        }
      }
      const double di = ai - old_i, dj = aj - old_j;
      for (Eigen::Index t = 0; t < n; ++t)
        G(t) += Qi_copy[static_cast<std::size_t>(t)] * di + Qj[static_cast<std::size_t>(t)] * dj;
    }
    // rho: LIBSVM's calculate_rho.
    double upper = std::numeric_limits<double>::infinity(), lower = -std::numeric_limits<double>::infinity(), sum = 0;
    Eigen::Index free = 0;
    for (Eigen::Index t = 0; t < n; ++t) {
      const double yG = y_[static_cast<std::size_t>(t)] * G(t);
      const bool at_upper = alpha_(t) >= C, at_lower = alpha_(t) <= 0;
      if (at_upper) {
        if (y_[static_cast<std::size_t>(t)] < 0) upper = std::min(upper, yG); else lower = std::max(lower, yG);
      } else if (at_lower) {
        if (y_[static_cast<std::size_t>(t)] > 0) upper = std::min(upper, yG); else lower = std::max(lower, yG);
      } else {
        ++free;
        sum += yG;
      }
    }
    rho_ = free > 0 ? sum / static_cast<double>(free) : (upper + lower) / 2;
  }

  std::shared_ptr<const RowMatrix> data_;
  std::vector<Eigen::Index> rows_;
  std::vector<int> y_;
  double gamma_;
  SVMOptions options_;
  int exponent_ = 0;
  Eigen::VectorXd diagonal_, alpha_;
  double rho_ = 0;
  std::int64_t iterations_ = 0;
  std::size_t max_cached_rows_ = 2;
  std::list<Eigen::Index> lru_;
  std::unordered_map<Eigen::Index, std::pair<std::vector<double>, std::list<Eigen::Index>::iterator>> cache_;
};

/// Multi-class C-SVC by one-vs-one (see the file comment); keeps what SVMSMOTE and tests need.
class SVC {
 public:
  /// Row-major double matrix.
  using RowMatrix = BinarySVC::RowMatrix;

  /// Built from the options.
  explicit SVC(SVMOptions options = {}) : options_(options) {
    const char* function = "SVC::SVC()";
    if (!(options_.C > 0) || !std::isfinite(options_.C)) detail::throw_invalid(function, ": C must be finite and > 0 (got ", options_.C, ")");
    if (options_.gamma && !(*options_.gamma > 0 && std::isfinite(*options_.gamma)))
      detail::throw_invalid(function, ": gamma must be finite and > 0 (got ", *options_.gamma, ")");
    if (!(options_.tolerance > 0)) detail::throw_invalid(function, ": tolerance must be > 0 (got ", options_.tolerance, ")");
  }

  /// Fits every pair of classes; returns *this.
  template <class DX, class DY>
  SVC& fit(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) {
    const char* function = "SVC::fit()";
    check_non_empty(function, "X", X.rows());
    check_same_length(function, "y", y.size(), "X", X.rows());
    check_finite(function, "X", X);
    auto data = std::make_shared<RowMatrix>(X.derived().template cast<double>());
    int exponent = 0;  // RBF only: the linear kernel's problem is not scale-invariant
    if (options_.kernel == SVMOptions::Kernel::RBF) {
      if (const double largest = data->cwiseAbs().maxCoeff(); largest > 0) std::frexp(largest, &exponent);
      if (exponent != 0) *data = data->unaryExpr([exponent](double v) { return std::ldexp(v, -exponent); });
    }
    const RowMatrix& points = *data;
    std::map<int, std::vector<Eigen::Index>> members;
    for (Eigen::Index i = 0; i < y.size(); ++i) members[static_cast<int>(y.derived().coeff(i))].push_back(i);
    if (members.size() < 2) detail::throw_invalid(function, ": y must contain at least 2 classes (got ", members.size(), ")");
    double scaled_gamma = 1;  // the kernel's gamma on the scaled data
    if (options_.gamma) {
      gamma_ = *options_.gamma;
      // Beyond the double range the kernel is 0 off the diagonal either way; the largest double
      // keeps exp(-gamma * 0) = 1 on it.
      scaled_gamma = std::min(std::ldexp(gamma_, 2 * exponent), std::numeric_limits<double>::max());
    } else {  // 'scale': 1 / (d Var(X)), NumPy's var of all entries
      const double count = static_cast<double>(points.size()), mean = points.sum() / count;
      const double variance = (points.array() - mean).square().sum() / count;
      scaled_gamma = variance > 0 ? 1.0 / (static_cast<double>(points.cols()) * variance) : 1.0;
      gamma_ = variance > 0 ? std::ldexp(scaled_gamma, -2 * exponent) : 1.0;
    }
    support_.assign(static_cast<std::size_t>(points.rows()), false);
    models_.clear();
    labels_.clear();
    for (const auto& entry : members) labels_.push_back(entry.first);
    for (std::size_t a = 0; a < labels_.size(); ++a)
      for (std::size_t b = a + 1; b < labels_.size(); ++b) {
        std::vector<Eigen::Index> rows = members[labels_[a]];
        rows.insert(rows.end(), members[labels_[b]].begin(), members[labels_[b]].end());
        std::vector<int> sign(rows.size(), -1);
        std::fill(sign.begin(), sign.begin() + static_cast<std::ptrdiff_t>(members[labels_[a]].size()), 1);
        models_.emplace_back(data, rows, sign, scaled_gamma, options_, exponent);
        for (std::size_t r = 0; r < rows.size(); ++r)
          if (models_.back().alpha()(static_cast<Eigen::Index>(r)) > 0) support_[static_cast<std::size_t>(rows[r])] = true;
      }
    return *this;
  }

  /// The RBF kernel's gamma on the data given to fit (the given one, or 'scale''s value; it may
  /// underflow to 0 for data beyond 1e154, whose models use the scaled data's).
  double gamma() const noexcept { return gamma_; }
  /// Indices of the support vectors, ascending.
  std::vector<Eigen::Index> support() const {
    std::vector<Eigen::Index> out;
    for (std::size_t i = 0; i < support_.size(); ++i)
      if (support_[i]) out.push_back(static_cast<Eigen::Index>(i));
    return out;
  }
  /// The binary models in LIBSVM's order: (0, 1), (0, 2), ..., (1, 2), ... of the sorted labels;
  /// the first class of a pair is the +1 side.
  const std::vector<BinarySVC>& models() const noexcept { return models_; }
  /// The class labels, sorted.
  const std::vector<int>& labels() const noexcept { return labels_; }

 private:
  SVMOptions options_;
  double gamma_ = 1;
  std::vector<bool> support_;
  std::vector<int> labels_;
  std::vector<BinarySVC> models_;
};

}  // namespace imbalance
