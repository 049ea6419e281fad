// libFuzzer harness: read_csv on any bytes either reads a table or throws imbalance::invalid_argument;
// a table it reads is written by write_csv and read back to exactly the same table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include <imbalance/data/csv.hpp>

namespace {

bool same(const imbalance::CsvTable& a, const imbalance::CsvTable& b) {
  if (a.header != b.header || a.label_index != b.label_index || a.labels != b.labels || a.categories != b.categories ||
      a.features.rows() != b.features.rows() || a.features.cols() != b.features.cols())
    return false;
  for (Eigen::Index i = 0; i < a.features.rows(); ++i)
    for (Eigen::Index j = 0; j < a.features.cols(); ++j)
      if (a.features(i, j) != b.features(i, j) || std::signbit(a.features(i, j)) != std::signbit(b.features(i, j)))
        return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the label column (the last, or the name of the first column) and whether
  // the first other column is read as categorical.
  const bool by_name = data[0] & 1, categorical = data[0] & 2;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  imbalance::CsvTable table;
  imbalance::CsvReadOptions options;
  try {
    if (by_name || categorical) {
      std::istringstream header(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
      const auto names = imbalance::read_csv(header, "fuzz").header;
      if (by_name) options.label_column = names.at(0);
      if (categorical) options.categorical_columns = {names.at(by_name ? 1 : 0)};
    }
    table = imbalance::read_csv(in, "fuzz", options);
  } catch (const imbalance::invalid_argument&) {
    return 0;  // refused with a message: fine
  }
  std::ostringstream out;
  imbalance::write_csv(out, table.header, table.label_index, table.features, table.labels, table.categories);
  std::istringstream again(out.str());
  const imbalance::CsvTable round_trip = imbalance::read_csv(again, "round trip", options);
  if (!same(table, round_trip)) std::abort();
  return 0;
}
