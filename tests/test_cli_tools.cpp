#include <catch2/catch.hpp>

#include <cli/resample_tool.hpp>
#include <cli/train_tool.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// A method is its header, one registry row and its tests: here a throw-away loss and a throw-away
// resampler are added through the public registry API only, then used by the trainer and by both
// command-line tools (their real parsing and running paths, as main() uses them).

namespace {

// A loss of its own type: cross-entropy scaled by a factor.
class ScaledCrossEntropy {
 public:
  ScaledCrossEntropy(const Eigen::VectorXd& counts, double factor) : ce_(counts), factor_(factor) {}
  Eigen::Index num_classes() const { return ce_.num_classes(); }
  template <class DZ, class DY, class DG>
  double value_and_gradient(const DZ& logits, const DY& labels, DG& grad) const {
    const double value = ce_.value_and_gradient(logits, labels, grad);
    grad *= factor_;
    return factor_ * value;
  }

 private:
  imbalance::CrossEntropyLoss ce_;
  double factor_;
};

double last_factor = 0;

void register_throwaway_methods() {
  if (!imbalance::loss_registry().contains("scaled-ce"))
    imbalance::loss_registry().add(
        {"scaled-ce", "cross-entropy times a factor (a test's own loss)",
         {imbalance::OptionSpec::real("factor", "the factor", 0.5, 0)},
         [](const imbalance::OptionValues& v, const imbalance::LossContext& c) -> imbalance::LossForEpoch {
           double factor = 0.5;
           v.assign("factor", factor);
           last_factor = factor;
           const imbalance::AnyLoss loss = ScaledCrossEntropy(c.class_counts, factor);
           return [loss](long) { return loss; };
         }});
  if (!imbalance::resampler_registry().contains("duplicate-first"))
    imbalance::resampler_registry().add(
        {"duplicate-first", "appends copies of the first row (a test's own resampler)",
         {imbalance::OptionSpec::integer("copies", "how many copies", 1, 0, 100)},
         [](const imbalance::OptionValues& v, const imbalance::ResampleContext&, const Eigen::MatrixXd& X,
            const Eigen::VectorXi& y, imbalance::Rng&) {
           long copies = 1;
           v.assign("copies", copies);
           imbalance::ResampledData out;
           out.X.resize(X.rows() + copies, X.cols());
           out.y.resize(y.size() + copies);
           out.X.topRows(X.rows()) = X;
           out.y.head(y.size()) = y;
           for (long c = 0; c < copies; ++c) {
             out.X.row(X.rows() + c) = X.row(0);
             out.y(y.size() + c) = y(0);
           }
           return out;
         }});
}

// Parses `arguments` as the tool's main() would and runs it.
template <class Tool>
int run_tool(const std::vector<std::string>& arguments, std::string& out, std::string& err) {
  CLI::App app;
  Tool tool;
  tool.add_to(app);
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());  // CLI11 takes them last first
  app.parse(reversed);
  std::ostringstream out_stream, err_stream;
  const int status = tool.run(out_stream, err_stream);
  out = out_stream.str();
  err = err_stream.str();
  return status;
}

const std::string data_dir = IMBALANCE_TEST_DATA_DIR;

}  // namespace

TEST_CASE("registry extension: a new loss trains and is chosen by imbalance-train's command line", "[registry][cli]") {
  register_throwaway_methods();
  imbalance::LossContext context;
  context.class_counts = (Eigen::VectorXd(2) << 30, 10).finished();
  imbalance::OptionValues factor;
  factor.set("factor", 2.0);
  const imbalance::LossForEpoch loss = imbalance::make_loss("scaled-ce", factor, context);
  CHECK(last_factor == 2.0);
  imbalance::AnyLoss::Logits z = imbalance::AnyLoss::Logits::Zero(2, 2), g(2, 2);
  const Eigen::VectorXi labels = (Eigen::VectorXi(2) << 0, 1).finished();
  CHECK(loss(0).value_and_gradient(z, labels, g) == Approx(2.0 * std::log(2.0)));

  const std::string json = (std::filesystem::temp_directory_path() / "imbalance_cli_tools_train.json").string();
  std::string out, err;
  const int status = run_tool<cli::TrainTool>({"--train", data_dir + "/lt_train.csv", "--test", data_dir + "/lt_test.csv",
                                               "--label-column", "kind", "--loss", "scaled-ce", "--factor", "0.25",
                                               "--resample", "duplicate-first", "--copies", "3", "--epochs", "3", "-q",
                                               "--json", json},
                                              out, err);
  INFO(err);
  REQUIRE(status == 0);
  CHECK(last_factor == 0.25);
  CHECK(out.find("scaled-ce on") != std::string::npos);
  std::ifstream written(json);
  const auto parsed = nlohmann::json::parse(written);
  CHECK(parsed["settings"]["loss"] == "scaled-ce");
  CHECK(parsed["settings"]["resample"] == "duplicate-first");
  std::filesystem::remove(json);
  // The new option belongs to the new loss only.
  CHECK(run_tool<cli::TrainTool>({"--train", data_dir + "/lt_train.csv", "--test", data_dir + "/lt_test.csv",
                                  "--label-column", "kind", "--loss", "ce", "--factor", "2"},
                                 out, err) == 1);
  CHECK(err.find("loss 'ce' takes no option 'factor' (scaled-ce do)") != std::string::npos);
  // --list-methods names it.
  CHECK(run_tool<cli::TrainTool>({"--list-methods", "losses"}, out, err) == 0);
  CHECK(out.find("scaled-ce\n") != std::string::npos);
}

TEST_CASE("registry extension: a new resampler is chosen by imbalance-resample's command line", "[registry][cli]") {
  register_throwaway_methods();
  std::string out, err;
  const int status = run_tool<cli::ResampleTool>(
      {"-i", data_dir + "/small_imbalanced.csv", "--label-column", "species", "-m", "duplicate-first", "--copies", "2",
       "-o", "-"},
      out, err);
  INFO(err);
  REQUIRE(status == 0);
  const auto rows = std::count(out.begin(), out.end(), '\n');
  CHECK(rows == 1 + 80 + 2);  // header, the 80 rows, two copies
  CHECK(err.find("total         80        82") != std::string::npos);
  CHECK(run_tool<cli::ResampleTool>({"-i", data_dir + "/small_imbalanced.csv", "-m", "duplicate-first", "--copies",
                                     "1000", "-o", "-"},
                                    out, err) == 1);
  CHECK(err.find("option 'copies' must lie in [0, 100] (got 1000)") != std::string::npos);
  CHECK_THROWS_AS(run_tool<cli::ResampleTool>({"-m", "no-such-method"}, out, err), CLI::ValidationError);
}

namespace {
// The digits made long-tailed (imbalance ratio 50: 140, ..., 3 training rows for digits 0..9; every
// digit has at least 174 rows) and a balanced test set of 30 per digit, written as CSV files;
// `test_labels_shift` relabels the test set (digit d becomes d + shift mod 10), which changes every test score but no validation score.
void write_long_tailed_digits(const std::string& train_path, const std::string& test_path, int test_labels_shift) {
  const imbalance::CsvTable digits =
      imbalance::read_csv_file(data_dir + "/../../examples/data/digits.csv", imbalance::CsvReadOptions{});
  std::vector<std::vector<Eigen::Index>> rows(10);
  for (Eigen::Index i = 0; i < digits.features.rows(); ++i) rows[static_cast<std::size_t>(std::stoi(digits.labels[static_cast<std::size_t>(i)]))].push_back(i);
  std::ofstream train(train_path), test(test_path);
  std::string header;
  for (const auto& name : digits.feature_names) header += name + ",";
  train << header << "label\n";
  test << header << "label\n";
  auto write = [&](std::ofstream& out, Eigen::Index row, int label) {
    for (Eigen::Index j = 0; j < digits.features.cols(); ++j) out << digits.features(row, j) << ",";
    out << label << "\n";
  };
  for (int d = 0; d < 10; ++d) {
    const auto& r = rows[static_cast<std::size_t>(d)];
    const auto keep = static_cast<std::size_t>(std::lround(140 * std::pow(50.0, -d / 9.0)));
    for (std::size_t i = 0; i < 30; ++i) write(test, r[i], (d + test_labels_shift) % 10);
    for (std::size_t i = 30; i < 30 + keep; ++i) write(train, r[i], d);
  }
}
}  // namespace

TEST_CASE("imbalance-train --search: the winner is chosen on validation data only", "[cli][search]") {
  const auto dir = std::filesystem::temp_directory_path() / "imbalance_search_test";
  std::filesystem::create_directories(dir);
  const std::string train = (dir / "train.csv").string(), test = (dir / "test.csv").string(),
                    shifted = (dir / "test_shifted.csv").string();
  write_long_tailed_digits(train, test, 0);
  write_long_tailed_digits((dir / "train_again.csv").string(), shifted, 3);
  auto run_search = [&](const std::string& test_file, const std::string& json) {
    std::string out, err;
    const int status = run_tool<cli::TrainTool>({"--train", train, "--test", test_file, "--search", "--search-budget", "4",
                                                 "--validation-fraction", "0.25", "--epochs", "15", "--seed", "5", "-q",
                                                 "--json", json},
                                                out, err);
    INFO(err);
    REQUIRE(status == 0);
    CHECK_THAT(out, Catch::Contains("ranked by validation balanced accuracy") &&
                        Catch::Contains("winner (chosen on validation data only)"));
    std::ifstream in(json);
    return nlohmann::json::parse(in);
  };
  const nlohmann::json a = run_search(test, (dir / "a.json").string());
  const nlohmann::json b = run_search(shifted, (dir / "b.json").string());
  const auto& ranked = a.at("search").at("ranked");
  REQUIRE(ranked.size() >= 8);  // 4 trainings x (none, la, tau-norm)
  // The table is sorted by validation score and the winner is its first row.
  for (std::size_t r = 1; r < ranked.size(); ++r)
    CHECK(ranked[r - 1].at("validation_balanced_accuracy").get<double>() >=
          ranked[r].at("validation_balanced_accuracy").get<double>());
  CHECK(a.at("search").at("winner").at("loss") == ranked[0].at("loss"));
  CHECK(a.at("search").at("winner").at("posthoc") == ranked[0].at("posthoc"));
  // A different test set changes the test score, and nothing of the choice.
  CHECK(a.at("search") == b.at("search"));
  CHECK(a.at("balanced_accuracy").get<double>() > 0.5);
  CHECK(b.at("balanced_accuracy").get<double>() < 0.2);  // labels moved: the same model is now wrong
  CHECK(a.at("validation_rows").get<long>() == b.at("validation_rows").get<long>());
  std::filesystem::remove_all(dir);
}
