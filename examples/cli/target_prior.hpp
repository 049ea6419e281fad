// The --target-prior file of imbalance-train: the test prior q of the label-shift correction
// z - log p_train + log q, as lines 'label,prior'.
#pragma once

#include <algorithm>
#include <istream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <imbalance/core/eigen.hpp>
#include <imbalance/core/error.hpp>
#include <imbalance/data/csv.hpp>
#include <imbalance/detail/text.hpp>

namespace cli {

// Lines 'label,prior' (the CSV reader's field rules; blank lines skipped), one per class of
// `classes`, each prior a finite number > 0; line 1 may be a header (its first field names no
// class). Returns q in the order of `classes`, normalised to sum 1 (divided by the largest first,
// so that priors near 1e308 do not overflow the sum). `name` is how messages call the file.
// @throws imbalance::invalid_argument naming the line: a malformed line, an unknown or repeated
//         label, a prior that is not a finite number > 0, a class without a prior.
inline Eigen::VectorXd parse_target_prior(std::istream& in, const std::vector<std::string>& classes,
                                          const std::string& name) {
  using imbalance::detail::printable;
  const auto k = static_cast<Eigen::Index>(classes.size());
  if (k == 0) throw imbalance::invalid_argument("--target-prior " + name + ": there are no classes to give priors to");
  Eigen::VectorXd q = Eigen::VectorXd::Zero(k);
  std::vector<long> given(static_cast<std::size_t>(k), 0);  // the line that gave each class
  std::string line;
  std::vector<std::string> fields;
  long line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    imbalance::detail::split_csv_record(line, ',', fields);  // the CSV reader's own field rules
    if (fields.size() != 2)
      throw imbalance::invalid_argument(
          fmt::format("--target-prior {} line {}: expected 'label,prior', got '{}'", name, line_number, printable(line)));
    const std::string& label = fields[0];
    const auto found = std::find(classes.begin(), classes.end(), label);
    if (found == classes.end()) {
      if (line_number == 1) continue;  // a header: its first field names no class
      throw imbalance::invalid_argument(fmt::format("--target-prior {} line {}: label '{}' is not a class of the training data",
                                                    name, line_number, printable(label)));
    }
    double prior = 0;
    if (!imbalance::detail::parse_number(fields[1], prior) || !(prior > 0))
      throw imbalance::invalid_argument(fmt::format("--target-prior {} line {}: the prior of '{}' is '{}', not a finite number > 0",
                                                    name, line_number, printable(label), printable(fields[1])));
    const auto c = static_cast<std::size_t>(found - classes.begin());
    if (given[c] != 0)
      throw imbalance::invalid_argument(fmt::format("--target-prior {} line {}: label '{}' was already given on line {}",
                                                    name, line_number, printable(label), given[c]));
    q(static_cast<Eigen::Index>(c)) = prior;
    given[c] = line_number;
  }
  for (Eigen::Index c = 0; c < k; ++c)
    if (given[static_cast<std::size_t>(c)] == 0)
      throw imbalance::invalid_argument(fmt::format("--target-prior {}: no prior for class '{}'", name,
                                                    printable(classes[static_cast<std::size_t>(c)])));
  q /= q.maxCoeff();
  return q / q.sum();
}

}  // namespace cli
