// libFuzzer harness: the tools' per-rank output paths (examples/cli/inputs.hpp rank_path) and the
// check that refuses ranks whose paths resolve to one file (examples/cli/outputs.hpp) on any
// pattern and 1 to 8 ranks; nothing may crash, a pattern with {rank} must give every rank its own
// text, and the check must find exactly the identical resolved paths. Reads the file system (to
// resolve existing directories and links), never writes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "cli/outputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 512) return 0;
  const int ranks = 1 + data[0] % 8;
  const std::string pattern(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> paths, identities;
  for (int r = 0; r < ranks; ++r) {
    paths.push_back(cli::rank_path(pattern, r));
    identities.push_back(cli::output_identity(paths.back()));
  }
  if (pattern.find("{rank}") != std::string::npos && std::set<std::string>(paths.begin(), paths.end()).size() != paths.size())
    std::abort();
  const auto pair = cli::colliding_ranks(identities);
  const std::set<std::string> distinct(identities.begin(), identities.end());
  bool empty = false;
  for (const auto& identity : identities) empty = empty || identity.empty();
  if (pair) {
    if (identities[pair->first] != identities[pair->second] || pair->first >= pair->second) std::abort();
  } else if (!empty && distinct.size() != identities.size()) {
    std::abort();
  }
  return 0;
}
