#include <catch2/catch.hpp>

#include <imbalance/combine/streaming.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "support/sampling_data.hpp"

namespace {

// A labelled CSV of three classes (120, 40, 25 rows, interleaved) and its in-memory reading.
struct StreamFixture {
  std::string path;
  imbalance::CsvTable table;
  imbalance::LabelEncoder encoder;
  Eigen::VectorXi y;
};

// `name`: the file's name, one per test case (ctest runs them in parallel).
StreamFixture stream_fixture(const std::string& name) {
  const auto points = test_support::labelled_points({120, 40, 25}, 4, 41, 1.0, 3);
  std::vector<std::string> labels;
  const std::vector<std::string> names{"common", "rare", "scarce"};
  for (Eigen::Index i = 0; i < points.y.size(); ++i) labels.push_back(names[static_cast<std::size_t>(points.y(i))]);
  // Interleave the classes: rows in a fixed shuffled order.
  std::vector<Eigen::Index> order(static_cast<std::size_t>(points.y.size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>((i * 37) % order.size());
  Eigen::MatrixXd X(points.X.rows(), points.X.cols());
  std::vector<std::string> shuffled;
  for (std::size_t i = 0; i < order.size(); ++i) {
    X.row(static_cast<Eigen::Index>(i)) = points.X.row(order[i]);
    shuffled.push_back(labels[static_cast<std::size_t>(order[i])]);
  }
  StreamFixture f;
  f.path = (std::filesystem::temp_directory_path() / name).string();
  {
    std::ofstream out(f.path);
    imbalance::write_csv(out, {"x0", "x1", "kind", "x2", "x3"}, 2, X, shuffled);
  }
  imbalance::CsvReadOptions read;
  read.label_column = "kind";  // in the middle of the columns
  f.table = imbalance::read_csv_file(f.path, read);
  f.encoder = imbalance::LabelEncoder(f.table.labels);
  f.y = f.encoder.encode(f.table.labels);
  return f;
}

template <class Result>
std::string as_csv(const StreamFixture& f, const Result& result) {
  std::ostringstream out;
  imbalance::write_csv(out, f.table.header, f.table.label_index, result.X, f.encoder.decode(result.y));
  return out.str();
}

}  // namespace

TEST_CASE("streamed samplers: the in-memory samplers' bytes for every chunk size and thread count",
          "[sampling][stream]") {
  const StreamFixture f = stream_fixture("imbalance_streaming_bytes.csv");
  imbalance::RandomUnderSamplerOptions under, under_replacing;
  under_replacing.replacement = true;
  under_replacing.sampling_strategy = imbalance::SamplingStrategy::parse("not minority");
  imbalance::RandomOverSamplerOptions over;
  over.sampling_strategy = imbalance::SamplingStrategy::parse("all");
  imbalance::SMOTEOptions smote, smote_hnsw;
  smote.k_neighbors = 3;
  smote_hnsw.neighbors = imbalance::NeighborSearch::approximate();
  smote_hnsw.neighbors.hnsw.shard_size = 16;
  std::vector<int> thread_counts{1};
#if defined(_OPENMP)
  const int saved = omp_get_max_threads();
  thread_counts = {1, 2};
#endif
  for (const Eigen::Index chunk_rows : {Eigen::Index{7}, Eigen::Index{64}, Eigen::Index{100000}})
    for (const Eigen::Index gather_rows : {Eigen::Index{5}, Eigen::Index{1000}})
      for (const int threads : thread_counts) {
#if defined(_OPENMP)
        omp_set_num_threads(threads);
#endif
        INFO("chunk " << chunk_rows << ", gather " << gather_rows << ", threads " << threads);
        imbalance::StreamOptions stream;
        stream.csv.label_column = "kind";
        stream.chunk_rows = chunk_rows;
        stream.gather_rows = gather_rows;
        const auto check = [&](const char* name, auto&& streamed, auto&& in_memory) {
          INFO(name);
          std::ostringstream out;
          imbalance::Rng a(17), b(17);
          const imbalance::StreamReport report = streamed(out, a);
          const auto result = in_memory(b);
          CHECK(out.str() == as_csv(f, result));
          const imbalance::ClassMap after = imbalance::count_classes(result.y);
          CHECK(report.after == after);
          CHECK(report.before == imbalance::count_classes(f.y));
          CHECK(a() == b());  // the generators advanced alike
        };
        check("random-under", [&](std::ostream& out, imbalance::Rng& r) { return imbalance::stream_random_under(f.path, out, under, stream, r); },
              [&](imbalance::Rng& r) { return imbalance::RandomUnderSampler(under).fit_resample(f.table.features, f.y, r); });
        check("random-under with replacement",
              [&](std::ostream& out, imbalance::Rng& r) { return imbalance::stream_random_under(f.path, out, under_replacing, stream, r); },
              [&](imbalance::Rng& r) { return imbalance::RandomUnderSampler(under_replacing).fit_resample(f.table.features, f.y, r); });
        check("random-over", [&](std::ostream& out, imbalance::Rng& r) { return imbalance::stream_random_over(f.path, out, over, stream, r); },
              [&](imbalance::Rng& r) { return imbalance::RandomOverSampler(over).fit_resample(f.table.features, f.y, r); });
        check("smote", [&](std::ostream& out, imbalance::Rng& r) { return imbalance::stream_smote(f.path, out, smote, stream, r); },
              [&](imbalance::Rng& r) { return imbalance::SMOTE(smote).fit_resample(f.table.features, f.y, r); });
        if (imbalance::hnsw_available())
          check("smote, HNSW", [&](std::ostream& out, imbalance::Rng& r) { return imbalance::stream_smote(f.path, out, smote_hnsw, stream, r); },
                [&](imbalance::Rng& r) { return imbalance::SMOTE(smote_hnsw).fit_resample(f.table.features, f.y, r); });
      }
#if defined(_OPENMP)
  omp_set_num_threads(saved);
#endif
  // Counted first (a strategy naming labels needs the classes), then passed in: one pass fewer.
  imbalance::StreamOptions by_name;
  by_name.csv.label_column = "kind";
  const imbalance::StreamReport counted = imbalance::count_csv_classes(f.path, by_name);
  CHECK(counted.encoder.classes() == f.encoder.classes());
  std::ostringstream out;
  imbalance::Rng r(1);
  CHECK(imbalance::stream_smote(f.path, out, smote, by_name, r, &counted).passes == 3);  // the copy, then the 2 classes
  std::filesystem::remove(f.path);
}

TEST_CASE("streamed samplers: impossible requests are refused before any output", "[sampling][stream]") {
  const StreamFixture f = stream_fixture("imbalance_streaming_refused.csv");
  std::ostringstream out;
  imbalance::Rng rng(1);
  imbalance::StreamOptions stream;
  stream.csv.label_column = "kind";
  imbalance::StreamOptions no_rows = stream;
  no_rows.chunk_rows = 0;
  CHECK_THROWS_WITH(imbalance::stream_random_under(f.path, out, {}, no_rows, rng), Catch::Contains("chunk_rows must be >= 1"));
  imbalance::RandomOverSamplerOptions shrunk;
  shrunk.shrinkage = 1.0;
  CHECK_THROWS_WITH(imbalance::stream_random_over(f.path, out, shrunk, stream, rng), Catch::Contains("shrinkage"));
  imbalance::SMOTEOptions large_k;
  large_k.k_neighbors = 30;  // the scarce class has 25 + duplicates rows
  CHECK_THROWS_WITH(imbalance::stream_smote(f.path, out, large_k, stream, rng), Catch::Contains("k_neighbors = 30"));
  CHECK(out.str().empty());
  std::filesystem::remove(f.path);
}
