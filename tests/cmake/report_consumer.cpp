// Compiled by the find_package consumer check with imbalance::report: the text report needs fmt
// and nlohmann/json, which the target brings.
#include <imbalance/report.hpp>  // alone: consumer.cpp already compiles the umbrella header

#include <iostream>

int main() {
  const Eigen::VectorXi truth = (Eigen::VectorXi(6) << 0, 0, 0, 1, 1, 2).finished();
  const Eigen::VectorXi predicted = (Eigen::VectorXi(6) << 0, 0, 1, 1, 1, 2).finished();
  const auto report = imbalance::classification_report(truth, predicted, 3);
  std::cout << imbalance::format_report(report) << imbalance::report_to_json(report).dump().size() << "\n";
  return report.accuracy > 0.8 ? 0 : 1;
}
