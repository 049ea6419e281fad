#include <catch2/catch.hpp>

#include <cli/resample_tool.hpp>
#include <cli/train_tool.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST_CASE("imbalance-train --search: cross-validated on the training file, refit, reproduced by its command",
          "[cli][search]") {
  const auto dir = std::filesystem::temp_directory_path() / "imbalance_search_test";
  std::filesystem::create_directories(dir);
  const std::string train = (dir / "train.csv").string(), test = (dir / "test.csv").string(),
                    shifted = (dir / "test_shifted.csv").string();
  write_long_tailed_digits(train, test, 0);
  write_long_tailed_digits((dir / "train_again.csv").string(), shifted, 3);
  auto run_args = [&](const std::vector<std::string>& args, const std::string& json, std::string* printed = nullptr) {
    std::vector<std::string> all = args;
    for (const char* extra : {"-q", "--json"}) all.emplace_back(extra);
    all.push_back(json);
    std::string out, err;
    const int status = run_tool<cli::TrainTool>(all, out, err);
    INFO(err);
    REQUIRE(status == 0);
    if (printed) *printed = out;
    std::ifstream in(json);
    return nlohmann::json::parse(in);
  };
  const std::vector<std::string> search = {"--search", "--search-budget", "6", "--epochs", "12", "--seed", "5"};
  auto with_test = [&](const std::string& file) {
    std::vector<std::string> args = {"--train", train, "--test", file};
    args.insert(args.end(), search.begin(), search.end());
    return args;
  };
  std::string out;
  const nlohmann::json a = run_args(with_test(test), (dir / "a.json").string(), &out);
  const nlohmann::json b = run_args(with_test(shifted), (dir / "b.json").string());
  CHECK_THAT(out, Catch::Contains("search: halving over 6 candidates") && Catch::Contains("stratified cross-validation") &&
                      Catch::Contains("chosen by the one-standard-error rule") && Catch::Contains("reproduce: imbalance-train"));
  const auto& board = a.at("search").at("leaderboard");
  REQUIRE(board.size() == 6);
  int chosen = 0;
  for (std::size_t r = 0; r < board.size(); ++r) {
    chosen += board[r].at("chosen").get<bool>() ? 1 : 0;
    if (r > 0 && board[r].at("failure").is_null() && board[r].at("round") == board[r - 1].at("round"))
      CHECK(board[r - 1].at("mean").get<double>() >= board[r].at("mean").get<double>());  // ranked by CV mean
  }
  CHECK(chosen == 1);
  CHECK(a.at("validation_rows").get<long>() == 0);  // cross-validated: every training row is used
  // The test file changes the test score and nothing of the choice.
  auto choice = [](const nlohmann::json& j) {
    nlohmann::json c = nlohmann::json::array();
    for (const auto& row : j.at("search").at("leaderboard")) c.push_back({row.at("name"), row.at("mean"), row.at("fold_scores")});
    return c;
  };
  CHECK(choice(a) == choice(b));
  CHECK(a.at("search").at("winner").at("settings") == b.at("search").at("winner").at("settings"));
  CHECK(a.at("search").at("winner").at("mean") == b.at("search").at("winner").at("mean"));
  CHECK(a.at("balanced_accuracy").get<double>() > 0.5);
  CHECK(b.at("balanced_accuracy").get<double>() < 0.2);  // labels moved: the same model is now wrong
  // The printed command trains the winner as a single run: the same test score, bit for bit.
  std::istringstream command(a.at("search").at("winner").at("command").get<std::string>());
  std::vector<std::string> words;
  for (std::string word; command >> word;) words.push_back(word);
  REQUIRE(words.size() > 4);
  REQUIRE(words[0] == "imbalance-train");
  words.erase(words.begin());
  const nlohmann::json again = run_args(words, (dir / "again.json").string());
  CHECK(again.at("balanced_accuracy").get<double>() == a.at("balanced_accuracy").get<double>());
  CHECK(again.at("weights") == a.at("weights"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("imbalance-train --search-space: a JSON space narrows the search, bad files are refused by name",
          "[cli][search]") {
  const auto dir = std::filesystem::temp_directory_path() / "imbalance_search_space_test";
  std::filesystem::create_directories(dir);
  const std::string train = (dir / "train.csv").string(), test = (dir / "test.csv").string(),
                    space = (dir / "space.json").string(), json = (dir / "out.json").string();
  write_long_tailed_digits(train, test, 0);
  auto write_space = [&](const std::string& text) { std::ofstream(space) << text; };
  auto run_space = [&](std::vector<std::string> extra, std::string& err) {
    std::vector<std::string> args = {"--train", train, "--test", test, "--search", "--search-space", space, "--epochs", "6",
                                     "-q", "--json", json};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out;
    return run_tool<cli::TrainTool>(args, out, err);
  };
  write_space(R"({"resamplers": ["none"], "losses": ["ce", "la", "focal"], "samplers": ["instance"], "hidden": [0],
                  "posthoc": ["none"], "ranges": {"loss.focal.gamma": [3]}, "learning_rate": [0.05, 0.1]})");
  std::string err;
  REQUIRE(run_space({"--search-strategy", "grid"}, err) == 0);
  {
    std::ifstream in(json);
    const nlohmann::json j = nlohmann::json::parse(in);
    CHECK(j.at("search").at("candidates").get<int>() == 6);  // 3 losses x 2 rates; focal's gamma pinned
    for (const auto& row : j.at("search").at("leaderboard")) {
      const auto& settings = row.at("settings");
      INFO(settings.dump());
      if (settings.at("loss") == "focal") CHECK(settings.at("loss.gamma") == "3");
      CHECK((settings.at("lr") == "0.05" || settings.at("lr") == "0.1"));
    }
  }
  // A method named on the command line pins its part of the space.
  REQUIRE(run_space({"--search-strategy", "grid", "--loss", "la"}, err) == 0);
  {
    std::ifstream in(json);
    CHECK(nlohmann::json::parse(in).at("search").at("candidates").get<int>() == 2);
  }
  write_space(R"({"losses": ["ce", "hinge"]})");
  CHECK(run_space({}, err) == 1);
  CHECK_THAT(err, Catch::Contains("loss must be one of") && Catch::Contains("'hinge'"));
  write_space(R"({"loss": ["ce"]})");
  CHECK(run_space({}, err) == 1);
  CHECK_THAT(err, Catch::Contains("--search-space: unknown key 'loss'"));
  write_space(R"({"ranges": {"loss.focal.gamma": {"low": 2}}})");
  CHECK(run_space({}, err) == 1);
  CHECK_THAT(err, Catch::Contains("'ranges.loss.focal.gamma' needs numbers 'low' and 'high'"));
  write_space("{not json");
  CHECK(run_space({}, err) == 1);
  CHECK_THAT(err, Catch::Contains("is not JSON"));
  std::filesystem::remove_all(dir);
}

namespace {
std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("imbalance-resample --stream: the in-memory run's bytes, chunk by chunk, and --neighbours reaches the method",
          "[cli][stream]") {
  const std::string input = data_dir + "/lt_train.csv";
  const auto dir = std::filesystem::temp_directory_path() / "imbalance_stream_cli";
  std::filesystem::create_directories(dir);
  std::string out, err;
  std::vector<std::vector<std::string>> runs{{"-m", "smote", "-k", "3"},
                                             {"-m", "random-over", "-s", "not majority"},
                                             {"-m", "random-under"},
                                             {"-m", "random-under", "--replacement", "1"}};
  if (imbalance::hnsw_available()) runs.push_back({"-m", "smote", "-k", "3", "--neighbours", "hnsw", "--hnsw-shard-size", "20"});
  for (const auto& method : runs) {
    std::string joined;
    for (const auto& a : method) joined += a + " ";
    INFO(joined);
    std::vector<std::string> whole{"-i", input, "--seed", "5", "-o", (dir / "whole.csv").string()};
    whole.insert(whole.end(), method.begin(), method.end());
    REQUIRE(run_tool<cli::ResampleTool>(whole, out, err) == 0);
    for (const char* chunk : {"7", "1000"}) {
      std::vector<std::string> streamed{"-i", input, "--seed", "5", "-o", (dir / "streamed.csv").string(),
                                        "--stream", "--chunk-rows", chunk};
      streamed.insert(streamed.end(), method.begin(), method.end());
      REQUIRE(run_tool<cli::ResampleTool>(streamed, out, err) == 0);
      CHECK(file_text((dir / "streamed.csv").string()) == file_text((dir / "whole.csv").string()));
      CHECK(out.find("streamed") != std::string::npos);
    }
  }
  // Labels by name in the strategy (counted before the resampling pass).
  REQUIRE(run_tool<cli::ResampleTool>({"-i", input, "-m", "random-under", "-s", "alpha:10", "--stream", "-o", "-"}, out,
                                      err) == 0);
  CHECK(std::count(out.begin(), out.end(), '\n') < 328);
  CHECK(run_tool<cli::ResampleTool>({"-i", input, "-m", "enn", "--stream", "-o", "-"}, out, err) == 1);
  CHECK(err.find("resampler 'enn' needs its data in memory") != std::string::npos);
  CHECK(run_tool<cli::ResampleTool>({"-i", input, "-m", "random-under", "--neighbours", "hnsw", "-o", "-"}, out, err) == 1);
  CHECK(err.find(imbalance::hnsw_available() ? "searches no Euclidean neighbours" : "no hnswlib") != std::string::npos);
  CHECK(run_tool<cli::ResampleTool>({"-i", input, "-m", "smote", "--hnsw-ef", "30", "-o", "-"}, out, err) == 1);
  CHECK(err.find("--hnsw-ef applies to --neighbours hnsw") != std::string::npos);
  std::filesystem::remove_all(dir);
}
