// imbalance-demo: for now prints the version and the priors of a long-tailed label set.
#include <fmt/format.h>

#include <imbalance/imbalance.hpp>

int main() {
  Eigen::VectorXi counts(5);
  counts << 1000, 400, 160, 64, 25;
  const Eigen::VectorXd pi = imbalance::priors(counts);
  fmt::print("imbalance {}\n", imbalance::version::string);
  for (Eigen::Index k = 0; k < pi.size(); ++k) fmt::print("class {}: n = {:5}  pi = {:.4f}\n", k, counts(k), pi(k));
  return 0;
}
