#include <catch2/catch.hpp>

#include <imbalance/data/csv_stream.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::string write_stream_fixture(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("CsvChunkReader: chunks together are read_csv's table, quoted line breaks and blank lines included",
          "[data][csv][stream]") {
  // Row 3's label holds a quoted line break; blank lines and a CRLF line between the records.
  const std::string text =
      "a,b,label\n1,2,x\n3,4,y\n\n5,6,\"two\nlines\"\r\n7,8,x\n  \n9,10,y\n11,12,x\n";
  const std::string path = write_stream_fixture("imbalance_chunks.csv", text);
  const imbalance::CsvTable whole = imbalance::read_csv_file(path);
  for (Eigen::Index chunk_rows : {1, 2, 3, 100}) {
    INFO("chunk rows " << chunk_rows);
    imbalance::CsvChunkReader reader(path, {}, chunk_rows);
    for (int pass = 0; pass < 2; ++pass) {  // rewind() reads the same chunks again
      reader.rewind();
      imbalance::CsvTable chunk;
      Eigen::Index row = 0;
      std::size_t chunks = 0;
      while (reader.next(chunk)) {
        ++chunks;
        CHECK(chunk.header == whole.header);
        CHECK(chunk.features.rows() <= chunk_rows);
        for (Eigen::Index i = 0; i < chunk.features.rows(); ++i, ++row) {
          CHECK(chunk.features.row(i) == whole.features.row(row));
          CHECK(chunk.labels[static_cast<std::size_t>(i)] == whole.labels[static_cast<std::size_t>(row)]);
        }
      }
      CHECK(row == whole.features.rows());
      CHECK(chunks == static_cast<std::size_t>((6 + chunk_rows - 1) / chunk_rows));
    }
  }
  std::filesystem::remove(path);
}

TEST_CASE("CsvChunkReader: errors name the file's line, not the chunk's, impossible uses are refused",
          "[data][csv][stream]") {
  const std::string path = write_stream_fixture("imbalance_chunks_bad.csv", "a,label\n1,x\n2,y\n3,x\nabc,y\n");
  imbalance::CsvChunkReader reader(path, {}, 2);
  imbalance::CsvTable chunk;
  CHECK(reader.next(chunk));
  CHECK_THROWS_WITH(reader.next(chunk), Catch::Contains(path + ":5: 'a' = 'abc' is not a finite number"));
  const std::string empty = write_stream_fixture("imbalance_chunks_empty.csv", "a,label\n\n");
  imbalance::CsvChunkReader header_only(empty, {}, 2);
  CHECK_THROWS_WITH(header_only.next(chunk), Catch::Contains("no data rows"));
  CHECK_THROWS_WITH(imbalance::CsvChunkReader(path, {}, 0), Catch::Contains("chunk_rows must be >= 1 (got 0)"));
  imbalance::CsvReadOptions categorical;
  categorical.categorical_columns = {"a"};
  CHECK_THROWS_WITH(imbalance::CsvChunkReader(path, categorical, 2), Catch::Contains("categorical columns ('a')"));
  CHECK_THROWS_WITH(imbalance::CsvChunkReader(path + ".missing", {}, 2), Catch::Contains("cannot open"));
  std::filesystem::remove(path);
  std::filesystem::remove(empty);
}
