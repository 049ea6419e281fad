// libFuzzer harness: SamplingStrategy::parse on any text, then resolve against class counts taken
// from the input, for every kind of sampler; only imbalance::invalid_argument may come out, and a
// resolved plan must respect what each kind promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <imbalance/sampling/sampling_strategy.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  // Bytes 0-3: up to 4 class counts (labels 0..3, counts 0..255; 0 means absent).
  imbalance::ClassMap counts;
  for (int c = 0; c < 4; ++c)
    if (data[c]) counts[c] = data[c];
  const std::string text(reinterpret_cast<const char*>(data) + 4, size - 4);
  imbalance::SamplingStrategy strategy;
  try {
    strategy = imbalance::SamplingStrategy::parse(text);
  } catch (const imbalance::invalid_argument&) {
    return 0;
  }
  for (auto kind : {imbalance::SamplerKind::OverSampling, imbalance::SamplerKind::UnderSampling,
                    imbalance::SamplerKind::Cleaning}) {
    try {
      const imbalance::ClassMap plan = strategy.resolve(counts, kind);
      for (const auto& [label, n] : plan) {
        if (!counts.count(label) || n < 0) std::abort();
        if (kind == imbalance::SamplerKind::UnderSampling && n > counts.at(label)) std::abort();
      }
    } catch (const imbalance::invalid_argument&) {
    }
  }
  return 0;
}
