#include <catch2/catch.hpp>

#include <imbalance/data/atomic_file.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

TEST_CASE("AtomicFile: commit replaces the file, nothing else is left behind", "[data][atomic_file]") {
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
                    Contains("cannot write") && Contains("missing") && Contains("No such file or directory"));
  CHECK_THROWS_WITH(imbalance::AtomicFile(dir.string()), Contains("is a directory"));
  CHECK_THROWS_WITH(imbalance::AtomicFile(""), Contains("empty"));
  imbalance::AtomicFile file((dir / "once.txt").string());
  file.commit();
  CHECK_THROWS_AS(file.commit(), std::runtime_error);
  fs::remove_all(dir);
}

// The special files live in a scratch directory only: if the writer regressed, a test aimed at the
// real /dev/null or /dev/stdout would damage the machine that runs it.
TEST_CASE("AtomicFile: a symbolic link stays a link, its target is replaced", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("symlink");
  std::ofstream(dir / "target.csv") << "old\n";
  fs::create_symlink("target.csv", dir / "link.csv");
  fs::create_directories(dir / "sub");
  fs::create_symlink("../link.csv", dir / "sub" / "chain.csv");  // a chain: chain -> link -> target
  {
    imbalance::AtomicFile file((dir / "sub" / "chain.csv").string());
    CHECK_FALSE(file.writes_through());
    file.stream() << "new\n";
    file.commit();
  }
  CHECK(fs::is_symlink(dir / "link.csv"));
  CHECK(fs::is_symlink(dir / "sub" / "chain.csv"));
  CHECK(contents(dir / "target.csv") == "new\n");
  CHECK(entries(dir) == 3);
  CHECK(entries(dir / "sub") == 1);
  // A dangling link: its target is created, the link stays.
  fs::create_symlink("created.csv", dir / "dangling.csv");
  {
    imbalance::AtomicFile file((dir / "dangling.csv").string());
    file.stream() << "made\n";
    file.commit();
  }
  CHECK(fs::is_symlink(dir / "dangling.csv"));
  CHECK(contents(dir / "created.csv") == "made\n");
  // A loop is refused by name.
  fs::create_symlink("loop_b", dir / "loop_a");
  fs::create_symlink("loop_a", dir / "loop_b");
  CHECK_THROWS_WITH(imbalance::AtomicFile((dir / "loop_a").string()), Catch::Contains("symbolic links"));
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a FIFO is written through to its reader and stays a FIFO", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("fifo");
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = contents(fifo); });  // opening for reading waits for the writer
  {
    imbalance::AtomicFile file(fifo.string());
    CHECK(file.writes_through());
    file.stream() << "rows for the reader\n";
    file.commit();
  }
  reader.join();
  CHECK(received == "rows for the reader\n");
  CHECK(fs::is_fifo(fifo));
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a device node is written through and stays a device", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("device");
  const fs::path node = dir / "null";
  // The null device's numbers (1, 3) on Linux; mknod needs privileges (root in CI, skipped elsewhere).
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    WARN("mknod not permitted here: the device case is skipped");
    fs::remove_all(dir);
    return;
  }
  std::ofstream(dir / "beside.txt") << "x";
  {
    imbalance::AtomicFile file(node.string());
    CHECK(file.writes_through());
    file.stream() << "discarded\n";
    file.commit();
  }
  CHECK(fs::is_character_file(node));
  CHECK(entries(dir) == 2);  // no temporary, nothing renamed
  // A link to the device, and a link through /proc (a descriptor's link, as /dev/stdout is), are
  // written through too.
  fs::create_symlink(node, dir / "to_null");
  {
    imbalance::AtomicFile file((dir / "to_null").string());
    CHECK(file.writes_through());
    file.commit();
  }
  CHECK(fs::is_character_file(node));
  CHECK(fs::is_symlink(dir / "to_null"));
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a file reached through /proc is written through", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("proc");
  const fs::path path = dir / "log.txt";
  std::ofstream(path) << "old\n";
  std::FILE* held = std::fopen(path.c_str(), "r");
  REQUIRE(held != nullptr);
  const std::string proc = "/proc/self/fd/" + std::to_string(::fileno(held));
  if (fs::exists(proc)) {
    {
      imbalance::AtomicFile file(proc);
      CHECK(file.writes_through());
      file.stream() << "through\n";
      file.commit();
    }
    CHECK(contents(path) == "through\n");  // the same file (inode), not a new one beside /proc
    CHECK(entries(dir) == 1);
  }
  std::fclose(held);
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a name near the longest file name still gets a temporary", "[data][atomic_file]") {
  const fs::path dir = scratch_directory("long_name");
  const std::string name = std::string(240, 'n') + ".csv";
  {
    imbalance::AtomicFile file((dir / name).string());
    file.stream() << "long\n";
    file.commit();
  }
  CHECK(contents(dir / name) == "long\n");
  CHECK(entries(dir) == 1);
  // A name beyond the limit is refused with the system's reason.
  CHECK_THROWS_WITH(imbalance::AtomicFile((dir / std::string(300, 'x')).string()), Catch::Contains("too long"));
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: remove_temporaries removes every live temporary (what a signal handler calls)",
          "[data][atomic_file]") {
  const fs::path dir = scratch_directory("signal");
  std::ofstream(dir / "a.csv") << "kept\n";
  {
    imbalance::AtomicFile a((dir / "a.csv").string()), b((dir / "b.json").string());
    a.stream() << "partial";
    CHECK(entries(dir) == 3);
    imbalance::AtomicFile::remove_temporaries();
    CHECK(entries(dir) == 1);
    CHECK(contents(dir / "a.csv") == "kept\n");
  }  // the destructors find nothing left to remove
  CHECK(entries(dir) == 1);
  {
    imbalance::AtomicFile c((dir / "c.csv").string());
    c.commit();
  }
  imbalance::AtomicFile::remove_temporaries();  // a committed file is no temporary
  CHECK(fs::exists(dir / "c.csv"));
  fs::remove_all(dir);
}
