#include <catch2/catch.hpp>

#include <imbalance/data/csv.hpp>

#include <charconv>
#include <sstream>

using Catch::Contains;

TEST_CASE("read_csv: label column by name or last, quoted fields, CRLF, blank lines", "[data][csv]") {
  std::istringstream in("a,\"b, quoted\",label\r\n1,2.5,x\r\n\r\n-3,4e2,\"y\"\n");
  const auto table = imbalance::read_csv(in, "mem.csv");
  CHECK(table.header == std::vector<std::string>{"a", "b, quoted", "label"});
  CHECK(table.label_index == 2);
  CHECK(table.features.rows() == 2);
  CHECK(table.features(1, 1) == 400.0);
  CHECK(table.labels == std::vector<std::string>{"x", "y"});
  std::istringstream in2("label,f1,f2\n3,1,2\n10,3,4\n2,5,6\n");
  const auto named = imbalance::read_csv(in2, "mem.csv", {"label", ',', {}, {}, false});
  CHECK(named.feature_names == std::vector<std::string>{"f1", "f2"});
  CHECK(named.features(2, 0) == 5.0);
  const imbalance::LabelEncoder encoder(named.labels);
  CHECK(encoder.classes() == std::vector<std::string>{"2", "3", "10"});  // numeric order
  CHECK(encoder.encode(named.labels)(1) == 2);
  CHECK(encoder.decode(Eigen::VectorXi::Zero(1))[0] == "2");
}

TEST_CASE("write_csv: round-trips through read_csv", "[data][csv]") {
  Eigen::MatrixXd X(2, 2);
  X << 0.1, 1e-300, -2.5, 1.0 / 3.0;
  std::ostringstream out;
  imbalance::write_csv(out, {"f,1", "class", "f2"}, 1, X, {"a", "b\"q"});
  std::istringstream in(out.str());
  const auto table = imbalance::read_csv(in, "round-trip", {"class", ',', {}, {}, false});
  CHECK((table.features - X).cwiseAbs().maxCoeff() == 0.0);
  CHECK(table.labels[1] == "b\"q");
  CHECK(table.header[0] == "f,1");
}

TEST_CASE("read_csv: malformed input names the source, the line and the column", "[data][csv]") {
  auto read = [](const std::string& text, const std::string& label = "") {
    std::istringstream in(text);
    return imbalance::read_csv(in, "bad.csv", {label, ',', {}, {}, false});
  };
  CHECK_THROWS_AS(read("a,b\n1,2,3\n"), imbalance::invalid_argument);
  CHECK_THROWS_WITH(read("a,b,c\n1,2,x\n4,5\n"), Contains("bad.csv:3") && Contains("2 fields") && Contains("3"));
  CHECK_THROWS_WITH(read("a,b,c\n1,abc,x\n"), Contains("bad.csv:2") && Contains("'b' = 'abc'"));
  CHECK_THROWS_WITH(read("a,b,c\n1,nan,x\n"), Contains("'b' = 'nan'"));
  CHECK_THROWS_WITH(read("a,b,c\n1,2,x\n", "target"), Contains("label column 'target'") && Contains("a, b, c"));
  CHECK_THROWS_WITH(read(""), Contains("no header"));
  CHECK_THROWS_WITH(read("a,b\n"), Contains("no data rows"));
  CHECK_THROWS_WITH(read("a,b\n1,\n"), Contains("bad.csv:2") && Contains("label"));
  CHECK_THROWS_WITH(read("a,b\n\"1,2\n"), Contains("unterminated"));
  const imbalance::LabelEncoder encoder(std::vector<std::string>{"x", "y"});
  CHECK_THROWS_WITH(encoder.encode({"x", "z"}, "test.csv"), Contains("test.csv row 2") && Contains("'z'"));
}

TEST_CASE("write_csv and read_csv: every field and number round-trips", "[data][csv]") {
  // Line breaks (LF, CRLF, a lone CR) and quotes inside fields, blanks at field edges, subnormal and
  // extreme numbers, negative zero.
  Eigen::MatrixXd X(4, 3);
  X << 0.1, 4.9406564584124654e-324, -2.2250738585072014e-308, 1.7976931348623157e308, -0.0, 1.0 / 3.0, 1e-310,
      123456789.125, -5e-324, 2.5, -1e300, 7;
  const std::vector<std::string> header{" padded ", "line\nbreak", "class", "cr\ronly"};
  const std::vector<std::string> labels{"a", "b\r\nc", "\"q\",x", " d "};
  std::ostringstream out;
  imbalance::write_csv(out, header, 2, X, labels);
  std::istringstream in(out.str());
  const auto table = imbalance::read_csv(in, "round-trip", {"class", ',', {}, {}, false});
  CHECK(table.header == header);
  CHECK(table.labels == labels);
  REQUIRE(table.features.rows() == 4);
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) {
      CHECK(table.features(i, j) == X(i, j));
      CHECK(std::signbit(table.features(i, j)) == std::signbit(X(i, j)));
    }
}

TEST_CASE("write_csv: numbers are the shortest round-trip form, and non-finite values are refused", "[data][csv]") {
  Eigen::MatrixXd X(1, 3);
  X << 0.1, 1e21, 5e-324;
  std::ostringstream out;
  imbalance::write_csv(out, {"a", "b", "c", "label"}, 3, X, {"k"});
  CHECK(out.str() == "a,b,c,label\n0.1,1e+21,5e-324,k\n");
  X(0, 1) = std::numeric_limits<double>::infinity();
  std::ostringstream refused;
  CHECK_THROWS_WITH(imbalance::write_csv(refused, {"a", "b", "c", "label"}, 3, X, {"k"}),
                    Contains("features(0, 1) is not finite"));
  CHECK(refused.str().empty());  // checked before anything is written
  CHECK_THROWS_WITH(imbalance::write_csv(refused, {"a", "b", "c", "label"}, 3, Eigen::MatrixXd::Zero(1, 3),
                                         std::vector<std::string>{""}),
                    Contains("labels[0] is empty"));
}

TEST_CASE("read_csv: byte-order mark, locale-free numbers, range errors, NUL in a field", "[data][csv]") {
  std::istringstream bom("\xEF\xBB\xBF" "f,label\n+1.5,x\n 2e-320 ,y\n");
  const auto table = imbalance::read_csv(bom, "bom.csv");
  CHECK(table.header[0] == "f");
  CHECK(table.features(0, 0) == 1.5);
  CHECK(table.features(1, 0) == 2e-320);  // subnormal: a finite number
  auto read = [](const std::string& text) {
    std::istringstream in(text);
    return imbalance::read_csv(in, "bad.csv");
  };
  CHECK_THROWS_WITH(read("f,label\n1e400,x\n"), Contains("'f' = '1e400' is not a finite number"));
  CHECK_THROWS_WITH(read("f,label\n+-1,x\n"), Contains("'+-1'"));
  CHECK_THROWS_WITH(read("f,label\ninf,x\n"), Contains("'inf'"));
  CHECK_THROWS_WITH(read(std::string("f,label\n1\0" "2,x\n", 14)), Contains("'1\\x002'"));
  CHECK_THROWS_WITH(read("f,label\n1,\"open\n2,y\n"), Contains("bad.csv:2: unterminated quoted field"));
  std::istringstream twice("2,2\n120,6\n");
  CHECK_THROWS_WITH(imbalance::read_csv(twice, "twice.csv", {"2", ',', {}, {}, false}), Contains("label column '2' appears more than once"));
}

TEST_CASE("write_csv: a first column whose name starts with a byte-order mark reads back", "[data][csv]") {
  // Found by the CSV fuzz harness: written unquoted, the name's first bytes were taken for a BOM.
  const std::string name = "\xEF\xBB\xBF ak";
  std::ostringstream out;
  imbalance::write_csv(out, {name, "class"}, 1, Eigen::MatrixXd::Zero(1, 1), {"x"});
  std::istringstream in(out.str());
  CHECK(imbalance::read_csv(in, "bom").header[0] == name);
}

namespace {

// A CSV of `rows` rows (well past one parallel block of 8 MiB), line i + 2 holding row i:
// "i,i/7,label i%3". Every 1000th line is followed by a blank line and every 777th ends in CRLF.
std::string large_csv(int rows, std::vector<int>& line_of_row) {
  std::string text = "index,seventh,label\n";
  int line = 1;
  line_of_row.assign(static_cast<std::size_t>(rows), 0);
  for (int i = 0; i < rows; ++i) {
    line_of_row[static_cast<std::size_t>(i)] = ++line;
    text += std::to_string(i) + "," + std::to_string(i / 7.0) + ",c" + std::to_string(i % 3) + (i % 777 ? "\n" : "\r\n");
    if (i % 1000 == 999) {
      text += "  \n";
      ++line;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("read_csv: large inputs are parsed block by block with the right rows and line numbers", "[data][csv]") {
  const int rows = 400000;  // about 9.5 MB
  std::vector<int> line_of_row;
  const std::string text = large_csv(rows, line_of_row);
  REQUIRE(text.size() > imbalance::detail::kCsvParallelBlock + imbalance::detail::kCsvPiece);
  std::istringstream in(text);
  const auto table = imbalance::read_csv(in, "large.csv");
  REQUIRE(table.features.rows() == rows);
  bool all_equal = true;
  for (int i = 0; i < rows; ++i)
    all_equal = all_equal && table.features(i, 0) == i && table.labels[static_cast<std::size_t>(i)] == "c" + std::to_string(i % 3) &&
                table.features(i, 1) == std::stod(std::to_string(i / 7.0));
  CHECK(all_equal);

  // Errors deep inside: the first one in the file is reported, with its line, wherever the
  // pieces are cut; a later error in an earlier-finishing piece does not win.
  for (int bad : {5, 123456, 250000, rows - 1}) {
    std::string broken = text;
    const std::string needle = "\n" + std::to_string(bad) + ",";
    const std::size_t at = broken.find(needle);
    REQUIRE(at != std::string::npos);
    broken.replace(at + 1, std::to_string(bad).size(), "oops");
    const std::size_t later = broken.find("\n" + std::to_string(std::min(bad + 100000, rows - 1)) + ",");
    if (bad + 100000 < rows) broken.replace(later + 1, 1, "x");
    std::istringstream bad_in(broken);
    CHECK_THROWS_WITH(imbalance::read_csv(bad_in, "large.csv"),
                      Contains("large.csv:" + std::to_string(line_of_row[static_cast<std::size_t>(bad)]) + ":") &&
                          Contains("'index' = 'oops'"));
  }

  // A quoted field after the first block: parsing goes on record by record, same rows.
  std::string quoted = text;
  const std::size_t at = quoted.find("\n300000,");
  REQUIRE(at != std::string::npos);
  const std::size_t label_at = quoted.find(",c", at + 1);
  quoted.replace(label_at + 1, 2, "\"c0\"");
  std::istringstream quoted_in(quoted);
  const auto again = imbalance::read_csv(quoted_in, "quoted.csv");
  CHECK(again.labels == table.labels);
  CHECK(again.features == table.features);
}

TEST_CASE("write_csv: large outputs are written in row order", "[data][csv]") {
  const Eigen::Index rows = 70000;  // more than one wave of pieces
  Eigen::MatrixXd X(rows, 2);
  std::vector<std::string> labels;
  for (Eigen::Index i = 0; i < rows; ++i) {
    X(i, 0) = static_cast<double>(i);
    X(i, 1) = 1.0 / static_cast<double>(i + 1);
    labels.push_back(i % 2 ? "odd" : "even");
  }
  std::ostringstream out;
  imbalance::write_csv(out, {"i", "inverse", "parity"}, 2, X, labels);
  std::string expected = "i,inverse,parity\n";
  char number[32];
  for (Eigen::Index i = 0; i < rows; ++i) {
    expected += std::to_string(i) + ",";
    expected.append(number, std::to_chars(number, number + sizeof number, X(i, 1)).ptr);
    expected += "," + labels[static_cast<std::size_t>(i)] + "\n";
  }
  CHECK(out.str() == expected);
}

TEST_CASE("read_csv: categorical columns become codes and are written back as the same text", "[csv][categorical]") {
  const std::string text =
      "colour,size,zip,label\n"
      "red,1.5,02139,a\n"
      "blue,2,10,b\n"
      "\"dark, red\",3,02139,a\n"
      "red,4,7,b\n";
  std::istringstream in(text);
  imbalance::CsvReadOptions options;
  options.categorical_columns = {"zip", "colour"};
  const auto table = imbalance::read_csv(in, "mixed.csv", options);
  REQUIRE(table.categories.size() == 3);
  CHECK(table.categories[0] == std::vector<std::string>{"blue", "dark, red", "red"});
  CHECK(table.categories[1].empty());
  CHECK(table.categories[2] == std::vector<std::string>{"02139", "10", "7"});  // text order, not numeric
  CHECK(table.categorical_features() == std::vector<Eigen::Index>{0, 2});
  CHECK(table.features.col(0) == Eigen::Vector4d(2, 0, 1, 2));
  CHECK(table.features.col(2) == Eigen::Vector4d(0, 1, 0, 2));
  std::ostringstream out;
  imbalance::write_csv(out, table.header, table.label_index, table.features, table.labels, table.categories);
  CHECK(out.str() == text);
}

TEST_CASE("read_csv: a second file encoded with the first file's categories", "[csv][categorical]") {
  using Catch::Matchers::Contains;
  imbalance::CsvReadOptions options;
  options.categorical_columns = {"colour"};
  options.categories["colour"] = {"blue", "red"};
  std::istringstream good("colour,x,label\nred,1,a\nblue,2,b\n");
  CHECK(imbalance::read_csv(good, "test.csv", options).features.col(0) == Eigen::Vector2d(1, 0));
  // A value the first file never had, e.g. a number where the first file had colour names.
  std::istringstream other("colour,x,label\nred,1,a\n\n3,2,b\n");
  CHECK_THROWS_WITH(imbalance::read_csv(other, "test.csv", options),
                    Contains("test.csv:4: 'colour' = '3' is not one of the given categories ('blue', 'red')"));
}

TEST_CASE("read_csv: bad categorical column names are refused with the header", "[csv][categorical]") {
  using Catch::Matchers::Contains;
  const std::string text = "colour,x,label\nred,1,a\n";
  imbalance::CsvReadOptions options;
  options.categorical_columns = {"color"};
  std::istringstream a(text);
  CHECK_THROWS_WITH(imbalance::read_csv(a, "f.csv", options),
                    Contains("categorical column 'color' is not in the header (columns: colour, x, label)"));
  options.categorical_columns = {"label"};
  std::istringstream b(text);
  CHECK_THROWS_WITH(imbalance::read_csv(b, "f.csv", options), Contains("'label' is the label column"));
  options.categorical_columns = {"colour", "colour"};
  std::istringstream c(text);
  CHECK_THROWS_WITH(imbalance::read_csv(c, "f.csv", options), Contains("categorical column 'colour' is named twice"));
  options.categorical_columns = {};
  std::istringstream d(text);
  CHECK_THROWS_WITH(imbalance::read_csv(d, "f.csv", options),
                    Contains("'colour' = 'red' is not a finite number (name the column as categorical"));
  std::ostringstream out;
  CHECK_THROWS_WITH(imbalance::write_csv(out, {"c", "label"}, 1, Eigen::MatrixXd::Constant(1, 1, 2.0),
                                         std::vector<std::string>{"a"}, {{"x", "y"}}),
                    Contains("row 0 holds 2 in categorical column 0, not a code of its 2 categories"));
}
