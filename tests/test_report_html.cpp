#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <imbalance/report_html.hpp>

namespace {
int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Element nesting of an XML-syntax document: every start tag closed in order, self-closing tags
// and the DOCTYPE aside (the full parse is the xmllint ctest; this catches a stray tag early).
bool tags_balanced(const std::string& page) {
  std::vector<std::string> open;
  for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    const std::size_t end = page.find('>', at);
    if (end == std::string::npos) return false;
    const std::string tag = page.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '!' || tag.back() == '/') continue;
    const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" \n", 0) - (tag[0] == '/' ? 1 : 0));
    if (tag[0] == '/') {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    } else {
      open.push_back(name);
    }
  }
  return open.empty();
}
}  // namespace

TEST_CASE("HTML report: one SVG per chart, escaped text, balanced tags", "[report][html]") {
  Eigen::MatrixXd p(8, 2);
  p << 0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.3, 0.7, 0.45, 0.55, 0.2, 0.8, 0.7, 0.3, 0.1, 0.9;
  const Eigen::VectorXi y = (Eigen::VectorXi(8) << 0, 0, 0, 0, 1, 1, 1, 1).finished();
  imbalance::ClassificationReportOptions options;
  options.class_names = {"ok", "<fault & \"worse\">"};
  options.train_counts = (Eigen::VectorXd(2) << 900, 30).finished();
  const auto report = imbalance::classification_report_from_probabilities(p, y, options);
  imbalance::HtmlReportOptions html_options;
  html_options.title = "run <1>";
  html_options.settings = {{"loss", "la"}, {"path", "a&b.csv"}};
  const std::string page = imbalance::html_report(report, html_options);
  CHECK(imbalance::html_report_chart_count(report) == 5);  // recall-count, confusion, reliability, ROC, PR
  CHECK(count_of(page, "<svg ") == 5);
  CHECK(count_of(page, "</svg>") == 5);
  CHECK(page.find("&lt;fault &amp; &quot;worse&quot;&gt;") != std::string::npos);
  CHECK(page.find("<fault") == std::string::npos);
  CHECK(page.find("<title>run &lt;1&gt;</title>") != std::string::npos);
  CHECK(page.find("a&amp;b.csv") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(tags_balanced(page));
  // The text report is embedded.
  CHECK(page.find("balanced accuracy") != std::string::npos);

  // Multi-class labels without probabilities or training counts: the confusion matrix only.
  const Eigen::VectorXi y3 = (Eigen::VectorXi(6) << 0, 1, 2, 0, 1, 2).finished();
  const Eigen::VectorXi p3 = (Eigen::VectorXi(6) << 0, 1, 1, 0, 2, 2).finished();
  const auto plain = imbalance::classification_report(y3, p3, 3);
  const std::string small = imbalance::html_report(plain);
  CHECK(imbalance::html_report_chart_count(plain) == 1);
  CHECK(count_of(small, "<svg ") == 1);
  CHECK(tags_balanced(small));
}

TEST_CASE("HTML report: a model search's leaderboard chart, added to the page", "[report][html]") {
  const std::vector<imbalance::LeaderboardEntry> entries = {
      {"la + <sqrt> & class sampling", 0.82, 0.03, false},
      {"ce", 0.80, 0.02, true},
      {std::string(80, 'x'), 0.4, 0.6, false}};  // a long name is cut; a whisker past 1 is clipped
  const std::string chart = imbalance::leaderboard_chart("search <cv>", entries);
  CHECK(count_of(chart, "<svg ") == 1);
  CHECK(count_of(chart, "<rect ") == 3);
  CHECK(count_of(chart, "class=\"point\"") == 1);  // the chosen one, highlighted
  CHECK(chart.find("font-weight=\"bold\">ce<") != std::string::npos);
  CHECK(chart.find("la + &lt;sqrt&gt; &amp; class sampling") != std::string::npos);
  CHECK(chart.find(std::string(53, 'x') + "...") != std::string::npos);
  CHECK(chart.find(std::string(54, 'x')) == std::string::npos);
  CHECK(chart.find("x2=\"880.0\"") != std::string::npos);  // 0.4 + 0.6 clipped at the axis' end
  CHECK(tags_balanced(chart));
  Eigen::VectorXi y = (Eigen::VectorXi(4) << 0, 1, 0, 1).finished();
  imbalance::HtmlReportOptions options;
  options.charts = {chart};
  const std::string page = imbalance::html_report(imbalance::classification_report(y, y, 2), options);
  CHECK(count_of(page, "<svg ") == 2);
  CHECK(tags_balanced(page));
}
