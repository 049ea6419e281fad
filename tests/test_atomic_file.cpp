#include <catch2/catch.hpp>

#include <imbalance/data/atomic_file.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh empty directory under the system's temporary directory.
fs::path scratch_directory(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("imbalance_atomic_file_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("AtomicFile: commit replaces the file; nothing else is left behind", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("commit");
  const fs::path path = dir / "out.csv";
  std::ofstream(path) << "old content\n";
  {
    imbalance::AtomicFile file(path.string());
    file.stream() << "new content\n";
    CHECK(contents(path) == "old content\n");  // untouched until commit
    CHECK(entries(dir) == 2);                  // the destination and the temporary file
    file.commit();
  }
  CHECK(contents(path) == "new content\n");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: without commit (an exception) the old file stays and the temporary goes",
          "[data][atomic_file]") {
  const fs::path dir = scratch_directory("abandon");
  const fs::path path = dir / "data.csv";
  std::ofstream(path) << "precious input\n";
  try {
    imbalance::AtomicFile file(path.string());
    file.stream() << "half a ro";
    throw std::runtime_error("the computation failed");
  } catch (const std::runtime_error&) {
  }
  CHECK(contents(path) == "precious input\n");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a path that cannot be written fails at construction", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("bad");
  using Catch::Contains;
  CHECK_THROWS_WITH(imbalance::AtomicFile((dir / "missing" / "out.csv").string()),
                    Contains("cannot write") && Contains("missing"));
  CHECK_THROWS_WITH(imbalance::AtomicFile(dir.string()), Contains("is a directory"));
  CHECK_THROWS_WITH(imbalance::AtomicFile(""), Contains("empty"));
  imbalance::AtomicFile file((dir / "once.txt").string());
  file.commit();
  CHECK_THROWS_AS(file.commit(), std::runtime_error);
  fs::remove_all(dir);
}
