// libFuzzer harness: every registered resampler on small fuzzed matrices (any finite or non-finite doubles,
// up to 4 classes, optionally categorical columns) with fuzzed options. Either a result with the promised shape and finite values,
// or imbalance::invalid_argument; never a crash, a sanitizer report or another exception.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <imbalance/registry/resamplers.hpp>

namespace {

struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  std::uint8_t byte() {
    if (!size) return 0;
    --size;
    return *data++;
  }
  double number() {
    // Half the time a raw bit pattern (NaN, inf, subnormal, 1e300 ...), otherwise a small grid value.
    if (byte() & 1) {
      std::uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = bits << 8 | byte();
      double value;
      std::memcpy(&value, &bits, sizeof value);
      return value;
    }
    return static_cast<double>(static_cast<int>(byte()) - 128) / 8.0;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in{data, size};
  const auto& methods = imbalance::resampler_registry().methods();
  const auto& method = methods[in.byte() % methods.size()];
  const Eigen::Index rows = 2 + in.byte() % 40, cols = 1 + in.byte() % 4;
  // Each of the method's options given or not, with a small value in its range.
  imbalance::OptionValues values;
  for (const auto& spec : method.options) {
    const std::uint8_t choice = in.byte();
    if (choice & 1) values.set(spec.name, spec.kind == imbalance::OptionSpec::Kind::Integer ? 1 + (choice >> 1) % 8
                                                                                         : (choice >> 1) / 16.0);
  }
  const std::uint8_t strategy = in.byte();
  static const char* const strategies[] = {"auto", "minority", "majority", "not minority", "not majority", "all",
                                           "0.5",  "1:60",     "0:3,1:4",  "0.999"};
  Eigen::MatrixXd X(rows, cols);
  Eigen::VectorXi y(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    y(i) = in.byte() % 4;
    for (Eigen::Index j = 0; j < cols; ++j) X(i, j) = in.number();
  }
  // Categorical columns: none, the first, or all (holding codes 0..2), for smotenc, smoten and the
  // methods that must refuse them.
  const std::uint8_t categorical = in.byte() % 3;
  imbalance::ResampleContext context;
  for (Eigen::Index j = 0; categorical > 0 && j < (categorical == 1 ? 1 : cols); ++j) {
    context.categorical_features.push_back(j);
    for (Eigen::Index i = 0; i < rows; ++i) X(i, j) = static_cast<double>(in.byte() % 3);
  }
  try {
    context.sampling_strategy = imbalance::SamplingStrategy::parse(strategies[strategy % 10]);
    imbalance::Rng rng(in.byte());
    const auto out = imbalance::resample(method.name, values, context, X, y, rng);
    if (out.X.rows() != out.y.size() || out.X.cols() != cols) std::abort();
    if (!out.X.allFinite()) std::abort();
    for (Eigen::Index i = 0; i < out.y.size(); ++i)
      if (out.y(i) < 0 || out.y(i) > 3) std::abort();
  } catch (const imbalance::invalid_argument&) {
  }
  return 0;
}
