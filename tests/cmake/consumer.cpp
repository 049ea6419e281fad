// Compiled by both consumer checks: uses the umbrella header and prints the version.
#include <imbalance/imbalance.hpp>

#include <iostream>

int main() {
  const Eigen::VectorXi labels = (Eigen::VectorXi(6) << 0, 0, 0, 1, 1, 2).finished();
  const imbalance::ClassCounts counts = imbalance::count_labels(labels, 3);
  const Eigen::VectorXd pi = imbalance::priors(counts);
  std::cout << "imbalance " << imbalance::version::string << ": priors " << pi.transpose() << "\n";
  return (counts(0) == 3 && counts(2) == 1) ? 0 : 1;
}
