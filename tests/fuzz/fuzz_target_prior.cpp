// libFuzzer harness: imbalance-train's --target-prior file parser (examples/cli/target_prior.hpp)
// on any bytes, with classes taken from the input; only imbalance::invalid_argument may come out,
// and a parsed prior must be a distribution: one finite entry >= 0 per class, summing to 1.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli/target_prior.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Byte 0: how many of the classes "a", "b", "0", "1", "é" exist (0 to 5).
  const std::vector<std::string> all{"a", "b", "0", "1", "\xC3\xA9"};
  const std::vector<std::string> classes(all.begin(), all.begin() + data[0] % 6);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    const Eigen::VectorXd q = cli::parse_target_prior(in, classes, "fuzz.csv");
    if (q.size() != static_cast<Eigen::Index>(classes.size())) std::abort();
    if (!q.allFinite() || (q.array() < 0).any()) std::abort();
    if (std::abs(q.sum() - 1.0) > 1e-12) std::abort();
  } catch (const imbalance::invalid_argument&) {
  }
  return 0;
}
