#pragma once
/// @file
/// A ClassificationReport as one self-contained HTML page: inline SVG charts, inline CSS, no
/// script and no network. The page is also well-formed XML (XHTML syntax), so XML tools can read it.
///
/// Charts (one `<svg>` each; a chart whose data is missing is left out):
///  1. per-class recall against training count, count on a log scale (needs train_counts);
///  2. confusion matrix heat map, rows normalised by support, counts printed in the cells;
///  3. reliability diagram: accuracy against mean confidence per bin, with the diagonal (needs
///     probabilities);
///  4. ROC curve and 5. precision-recall curve (two classes with probabilities; the positive class
///     is class 1, named in the title).
/// Then the text report (format_report) and the run's settings as a table. Needs fmt, like
/// imbalance/report.hpp (target imbalance::report).

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "imbalance/detail/text.hpp"
#include "imbalance/report.hpp"

namespace imbalance {

/// Options of HtmlReport (see imbalance/report_html.hpp for the formula, the paper and the defaults).
struct HtmlReportOptions {
  /// Title of the page.
  std::string title = "imbalance report";
  /// Settings of the run, shown as a two-column table in this order.
  std::vector<std::pair<std::string, std::string>> settings;
  /// More charts (whole `<svg>` elements, e.g. leaderboard_chart), drawn after the report's own.
  std::vector<std::string> charts;
};

/// One row of leaderboard_chart: a candidate's name, its mean score and spread, whether it was chosen.
struct LeaderboardEntry {
  /// The candidate's name.
  std::string name;
  /// Its mean score (drawn as a bar on [0, 1]).
  double mean = 0;
  /// Its standard deviation (drawn as a whisker of +- sd).
  double sd = 0;
  /// Drawn highlighted.
  bool chosen = false;
};

namespace detail {

// XML's five escapes, after printable(): a label's invalid UTF-8 and control characters (not
// allowed in XML 1.0) show as \xHH, so the page stays well-formed whatever the data holds.
inline std::string xml_escape(const std::string& raw) {
  const std::string text = printable(raw);
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

/// A plot area of a fixed-size SVG with linear or log10 axes.
class SvgChart {
 public:
  static constexpr double kWidth = 440, kHeight = 330, kLeft = 58, kRight = 16, kTop = 34, kBottom = 50;

  SvgChart(const std::string& title, const std::string& x_label, const std::string& y_label, double x_min, double x_max, double y_min,
           double y_max, bool log_x = false, bool frame = true)
      : log_x_(log_x), x_min_(axis(x_min)), x_max_(axis(x_max)), y_min_(y_min), y_max_(y_max) {
    if (x_max_ <= x_min_) x_max_ = x_min_ + 1;
    if (y_max_ <= y_min_) y_max_ = y_min_ + 1;
    body_ += fmt::format(R"~(<text class="title" x="{:.1f}" y="20" text-anchor="middle">{}</text>)~", kWidth / 2,
                         xml_escape(title));
    body_ += fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)~", kLeft + plot_width() / 2,
                         kHeight - 10, xml_escape(x_label));
    body_ += fmt::format(R"~(<text x="14" y="{:.1f}" text-anchor="middle" transform="rotate(-90 14 {:.1f})">{}</text>)~",
                         kTop + plot_height() / 2, kTop + plot_height() / 2, xml_escape(y_label));
    if (frame)
      body_ += fmt::format(R"~(<rect class="frame" x="{}" y="{}" width="{:.1f}" height="{:.1f}"/>)~", kLeft, kTop,
                           plot_width(), plot_height());
  }

  double x(double value) const { return kLeft + (axis(value) - x_min_) / (x_max_ - x_min_) * plot_width(); }
  double y(double value) const { return kTop + (1 - (value - y_min_) / (y_max_ - y_min_)) * plot_height(); }

  void ticks(const std::vector<double>& x_ticks, const std::vector<double>& y_ticks) {
    for (double t : x_ticks)
      body_ += fmt::format(R"~(<line class="grid" x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2:.1f}"/>)~"
                           R"~(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)~",
                           x(t), kTop, kTop + plot_height(), kTop + plot_height() + 16, fmt::format("{:g}", t));
    for (double t : y_ticks)
      body_ += fmt::format(R"~(<line class="grid" x1="{0}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}"/>)~"
                           R"~(<text x="{3}" y="{4:.1f}" text-anchor="end">{5}</text>)~",
                           kLeft, y(t), kLeft + plot_width(), kLeft - 6, y(t) + 4, fmt::format("{:g}", t));
  }

  void polyline(const std::vector<double>& xs, const std::vector<double>& ys, const char* css_class) {
    std::string points;
    for (std::size_t i = 0; i < xs.size(); ++i) points += fmt::format("{:.2f},{:.2f} ", x(xs[i]), y(ys[i]));
    body_ += fmt::format(R"~(<polyline class="{}" points="{}"/>)~", css_class, points);
  }

  void raw(const std::string& svg) { body_ += svg; }

  std::string svg() const {
    return fmt::format(R"~(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">{2}</svg>)~",
                       kWidth, kHeight, body_);
  }

  static double plot_width() { return kWidth - kLeft - kRight; }
  static double plot_height() { return kHeight - kTop - kBottom; }

 private:
  double axis(double value) const { return log_x_ ? std::log10(std::max(value, 1e-300)) : value; }

  bool log_x_;
  double x_min_, x_max_, y_min_, y_max_;
  std::string body_;
};

inline std::vector<double> unit_ticks() { return {0, 0.2, 0.4, 0.6, 0.8, 1}; }

// A name cut to `n` characters (with an ellipsis) so that a chart's labels fit their column.
inline std::string shortened(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : text.substr(0, n - 3) + "...";
}

inline std::string recall_against_count_chart(const ClassificationReport& report) {
  const Eigen::VectorXd& counts = report.train_counts;
  const double lo = std::max(1.0, counts.minCoeff()), hi = std::max(lo * 10, counts.maxCoeff());
  const double decade_lo = std::pow(10.0, std::floor(std::log10(lo))), decade_hi = std::pow(10.0, std::ceil(std::log10(hi)));
  SvgChart chart("Recall against training count", "training samples of the class (log scale)", "test recall",
                 decade_lo, decade_hi, 0, 1, true);
  std::vector<double> x_ticks;
  for (double t = decade_lo; t <= decade_hi * 1.0001; t *= 10) x_ticks.push_back(t);
  chart.ticks(x_ticks, unit_ticks());
  for (Eigen::Index k = 0; k < report.num_classes(); ++k) {
    const double cx = chart.x(std::max(1.0, counts(k))), cy = chart.y(report.per_class.recall(k));
    chart.raw(fmt::format(R"~(<circle class="point" cx="{:.2f}" cy="{:.2f}" r="4"><title>{}: {} training samples, recall {:.3f}</title></circle>)~",
                          cx, cy, xml_escape(report.class_names[static_cast<std::size_t>(k)]), counts(k),
                          report.per_class.recall(k)));
    if (report.num_classes() <= 30)
      chart.raw(fmt::format(R"~(<text class="small" x="{:.2f}" y="{:.2f}">{}</text>)~", cx + 6, cy - 5,
                            xml_escape(report.class_names[static_cast<std::size_t>(k)])));
  }
  return chart.svg();
}

inline std::string confusion_heat_map(const ClassificationReport& report) {
  const Eigen::Index k = report.num_classes();
  const double side = std::min(SvgChart::plot_width(), SvgChart::plot_height());
  const double cell = side / static_cast<double>(k);
  SvgChart chart("Confusion matrix (rows: true class, normalised)", "predicted class", "true class", 0, 1, 0, 1, false, false);
  const bool labels = k <= 20;
  // White background; only non-zero cells are drawn, so a many-class page stays small.
  chart.raw(fmt::format(R"~(<rect x="{}" y="{}" width="{:.2f}" height="{:.2f}" fill="#fff" stroke="#888"/>)~",
                        SvgChart::kLeft, SvgChart::kTop, side, side));
  for (Eigen::Index r = 0; r < k; ++r) {
    const double support = static_cast<double>(std::max<Eigen::Index>(1, report.confusion.row(r).sum()));
    for (Eigen::Index c = 0; c < k; ++c) {
      if (report.confusion(r, c) == 0 && k > 12) continue;
      const double share = static_cast<double>(report.confusion(r, c)) / support;
      // White to dark blue; text turns white on dark cells.
      const int red = static_cast<int>(std::lround(255 - share * (255 - 8)));
      const int green = static_cast<int>(std::lround(255 - share * (255 - 81)));
      const int blue = static_cast<int>(std::lround(255 - share * (255 - 156)));
      const double x = SvgChart::kLeft + static_cast<double>(c) * cell, y = SvgChart::kTop + static_cast<double>(r) * cell;
      chart.raw(fmt::format(R"~(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="rgb({},{},{})"><title>true {}, predicted {}: {} ({:.1f} %)</title></rect>)~",
                            x, y, cell, cell, red, green, blue,
                            xml_escape(report.class_names[static_cast<std::size_t>(r)]),
                            xml_escape(report.class_names[static_cast<std::size_t>(c)]), report.confusion(r, c),
                            100 * share));
      if (k <= 12)
        chart.raw(fmt::format(R"~(<text class="small" x="{:.2f}" y="{:.2f}" text-anchor="middle" fill="{}">{}</text>)~",
                              x + cell / 2, y + cell / 2 + 4, share > 0.5 ? "#fff" : "#222", report.confusion(r, c)));
    }
    if (labels)
      chart.raw(fmt::format(R"~(<text class="small" x="{:.2f}" y="{:.2f}" text-anchor="end">{}</text>)~",
                            SvgChart::kLeft - 4, SvgChart::kTop + (static_cast<double>(r) + 0.5) * cell + 4,
                            xml_escape(report.class_names[static_cast<std::size_t>(r)])));
  }
  if (labels)
    for (Eigen::Index c = 0; c < k; ++c)
      chart.raw(fmt::format(R"~(<text class="small" x="{:.2f}" y="{:.2f}" text-anchor="middle">{}</text>)~",
                            SvgChart::kLeft + (static_cast<double>(c) + 0.5) * cell, SvgChart::kTop + side + 14,
                            xml_escape(report.class_names[static_cast<std::size_t>(c)])));
  return chart.svg();
}

inline std::string reliability_diagram(const Calibration& calibration) {
  SvgChart chart("Reliability diagram", "confidence (max probability)", "accuracy", 0, 1, 0, 1);
  chart.ticks(unit_ticks(), unit_ticks());
  chart.polyline({0, 1}, {0, 1}, "diagonal");
  for (const auto& bin : calibration.bins) {
    if (bin.count == 0) continue;
    const double x0 = chart.x(bin.lower), x1 = chart.x(bin.upper), top = chart.y(bin.accuracy), bottom = chart.y(0);
    chart.raw(fmt::format(R"~(<rect class="bar" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}"><title>({:.3f}, {:.3f}]: {} samples, accuracy {:.3f}, confidence {:.3f}</title></rect>)~",
                          x0 + 1, top, std::max(0.0, x1 - x0 - 2), bottom - top, bin.lower, bin.upper, bin.count,
                          bin.accuracy, bin.confidence));
    chart.raw(fmt::format(R"~(<circle class="point" cx="{:.2f}" cy="{:.2f}" r="3"/>)~", chart.x(bin.confidence),
                          chart.y(bin.accuracy)));
  }
  chart.raw(fmt::format(R"~(<text class="small" x="{:.1f}" y="{:.1f}">ECE {:.4f}</text>)~", SvgChart::kLeft + 8,
                        SvgChart::kTop + 16, calibration.expected_calibration_error));
  return chart.svg();
}

inline std::string roc_chart(const RocCurve& roc, double auc, const std::string& positive) {
  SvgChart chart("ROC curve, positive class " + positive, "false positive rate", "true positive rate", 0, 1, 0, 1);
  chart.ticks(unit_ticks(), unit_ticks());
  chart.polyline({0, 1}, {0, 1}, "diagonal");
  chart.polyline(roc.false_positive_rate, roc.true_positive_rate, "curve");
  chart.raw(fmt::format(R"~(<text class="small" x="{:.1f}" y="{:.1f}">AUC {:.4f}</text>)~", chart.x(0.55), chart.y(0.08), auc));
  return chart.svg();
}

inline std::string precision_recall_chart(const PrecisionRecallCurve& pr, double average_precision,
                                          const std::string& positive) {
  SvgChart chart("Precision-recall, positive class " + positive, "recall", "precision", 0, 1, 0, 1);
  chart.ticks(unit_ticks(), unit_ticks());
  // A step curve, as average precision integrates it.
  std::vector<double> xs, ys;
  for (std::size_t i = pr.recall.size(); i-- > 0;) {
    if (!xs.empty()) {
      xs.push_back(pr.recall[i]);
      ys.push_back(ys.back());
    }
    xs.push_back(pr.recall[i]);
    ys.push_back(pr.precision[i]);
  }
  chart.polyline(xs, ys, "curve");
  chart.raw(fmt::format(R"~(<text class="small" x="{:.1f}" y="{:.1f}">AP {:.4f}</text>)~", chart.x(0.05), chart.y(0.08),
                        average_precision));
  return chart.svg();
}

}  // namespace detail

/// A model search's leaderboard as one SVG: a horizontal bar per entry (in the given order) from
/// 0 to its mean on a [0, 1] axis, a whisker of +- sd, the chosen entry highlighted, names on
/// the left (cut to 56 characters; the JSON keeps them whole).
inline std::string leaderboard_chart(const std::string& title, const std::vector<LeaderboardEntry>& entries) {
  const double width = 900, left = 380, right = 20, top = 40, row = 20, bottom = 36;
  const double height = top + row * static_cast<double>(entries.size()) + bottom, plot = width - left - right;
  auto x = [&](double v) { return left + std::min(1.0, std::max(0.0, v)) * plot; };
  std::string body = fmt::format(R"~(<text class="title" x="{:.1f}" y="20" text-anchor="middle">{}</text>)~", width / 2,
                                 detail::xml_escape(title));
  const double axis = top + row * static_cast<double>(entries.size());
  for (double t : detail::unit_ticks())
    body += fmt::format(R"~(<line class="grid" x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2:.1f}"/>)~"
                        R"~(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)~",
                        x(t), top, axis, axis + 16, fmt::format("{:g}", t));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LeaderboardEntry& e = entries[i];
    const double y = top + row * static_cast<double>(i);
    body += fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="end"{}>{}</text>)~", left - 8, y + 14,
                        e.chosen ? R"~( font-weight="bold")~" : "", detail::xml_escape(detail::shortened(e.name, 56)));
    body += fmt::format(R"~(<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)~",
                        e.chosen ? "point" : "bar", left, y + 3, x(e.mean) - left, row - 6);
    body += fmt::format(R"~(<line class="curve" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)~", x(e.mean - e.sd),
                        y + row / 2, x(e.mean + e.sd), y + row / 2);
  }
  body += fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">balanced accuracy</text>)~", left + plot / 2,
                      height - 4);
  return fmt::format(R"~(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">{2}</svg>)~",
                     width, height, body);
}

/// The page; see the file comment.
inline std::string html_report(const ClassificationReport& report, const HtmlReportOptions& options = {}) {
  std::vector<std::string> charts;
  if (report.train_counts.size() > 0) charts.push_back(detail::recall_against_count_chart(report));
  charts.push_back(detail::confusion_heat_map(report));
  if (report.scores) {
    charts.push_back(detail::reliability_diagram(report.scores->calibration));
    const std::string positive = report.class_names.back();  // two classes: scores are P(class 1)
    if (report.scores->roc_curve)
      charts.push_back(detail::roc_chart(*report.scores->roc_curve, *report.scores->roc_auc, positive));
    if (report.scores->precision_recall)
      charts.push_back(
          detail::precision_recall_chart(*report.scores->precision_recall, *report.scores->average_precision, positive));
  }
  std::string html;
  html += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  html += fmt::format("<title>{}</title>\n", detail::xml_escape(options.title));
  html +=
      "<style>\n"
      "body { font-family: sans-serif; margin: 24px; color: #222; }\n"
      "h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }\n"
      ".charts { display: flex; flex-wrap: wrap; gap: 16px; }\n"
      "svg { border: 1px solid #ddd; background: #fff; font-size: 12px; }\n"
      "svg .title { font-size: 14px; font-weight: bold; }\n"
      "svg .small { font-size: 10px; }\n"
      "svg .frame { fill: none; stroke: #888; }\n"
      "svg .grid { stroke: #eee; }\n"
      "svg .curve { fill: none; stroke: #1f77b4; stroke-width: 2; }\n"
      "svg .diagonal { fill: none; stroke: #aaa; stroke-dasharray: 4 3; }\n"
      "svg .point { fill: #d62728; }\n"
      "svg .bar { fill: #9ecae1; }\n"
      "pre { background: #f6f6f6; padding: 12px; overflow-x: auto; }\n"
      "table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }\n"
      "</style>\n</head>\n<body>\n";
  html += fmt::format("<h1>{}</h1>\n", detail::xml_escape(options.title));
  html += fmt::format("<p>{} test samples, {} classes: balanced accuracy {:.4f}, accuracy {:.4f}, macro F1 {:.4f}.</p>\n",
                      report.num_samples(), report.num_classes(), report.balanced_accuracy, report.accuracy,
                      report.macro_f1);
  html += "<div class=\"charts\">\n";
  for (const auto& chart : charts) html += chart + "\n";
  for (const auto& chart : options.charts) html += chart + "\n";
  html += "</div>\n<h2>Report</h2>\n<pre>" + detail::xml_escape(format_report(report)) + "</pre>\n";
  if (!options.settings.empty()) {
    html += "<h2>Settings</h2>\n<table>\n";
    for (const auto& [key, value] : options.settings)
      html += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", detail::xml_escape(key), detail::xml_escape(value));
    html += "</table>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

/// How many charts html_report draws for this report (besides HtmlReportOptions::charts).
inline int html_report_chart_count(const ClassificationReport& report) {
  int charts = 1 + (report.train_counts.size() > 0 ? 1 : 0);
  if (report.scores) charts += 1 + (report.scores->roc_curve ? 1 : 0) + (report.scores->precision_recall ? 1 : 0);
  return charts;
}

}  // namespace imbalance
