#pragma once
/// @file
/// Text and JSON forms of a ClassificationReport. The only header of the library that needs fmt
/// (and nlohmann/json); it is not included by imbalance/imbalance.hpp.
///
/// Text, in the spirit of imbalanced-learn's classification_report_imbalanced:
///
///                pre     rec     spe      f1     geo     iba     sup   train
///          0    0.93    0.76    0.92    0.84    0.84    0.70      34    1000
///        ...
///  avg / total  0.85    0.77    ...                                60
///
///   accuracy 0.7667 | balanced accuracy 0.7335 | macro F1 0.7068 | G-mean 0.6965
///   many-shot 0.8120 (3 classes) | medium-shot 0.6000 (1 class) | few-shot n/a
///   MCC 0.6512 | kappa 0.6443 (linear 0.7012, quadratic 0.7788) | IBA(G-mean) 0.4813 | macro MAE 0.3101
///   log-loss 0.6120 | ROC-AUC 0.9312 (one-vs-rest macro) | average precision 0.8123 | Brier 0.1021

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "imbalance/metrics/classification_report.hpp"

namespace imbalance {

namespace detail {
inline std::string format_shot(const char* name, const std::optional<double>& value, Eigen::Index classes) {
  if (!value) return fmt::format("{} n/a", name);
  return fmt::format("{} {:.4f} ({} class{})", name, *value, classes, classes == 1 ? "" : "es");
}

inline nlohmann::json optional_json(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

inline std::vector<double> to_std(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }
}  // namespace detail

/// The report as a table; `digits` decimals for the per-class columns.
inline std::string format_report(const ClassificationReport& report, int digits = 2) {
  const auto& m = report.per_class;
  const bool with_train = report.train_counts.size() > 0;
  std::size_t name_width = 11;  // "avg / total"
  for (const auto& name : report.class_names) name_width = std::max(name_width, name.size());
  const int width = std::max(7, digits + 5);
  std::string out;
  out += fmt::format("{:>{}}", "", name_width);
  for (const char* column : {"pre", "rec", "spe", "f1", "geo", "iba", "sup"}) out += fmt::format(" {:>{}}", column, width);
  if (with_train) out += fmt::format(" {:>{}}", "train", width);
  out += "\n\n";
  for (Eigen::Index c = 0; c < report.num_classes(); ++c) {
    out += fmt::format("{:>{}}", report.class_names[static_cast<std::size_t>(c)], name_width);
    for (double v : {m.precision(c), m.recall(c), m.specificity(c), m.f1(c), report.geometric_mean_per_class(c),
                     report.iba_per_class(c)})
      out += fmt::format(" {:>{}.{}f}", v, width, digits);
    out += fmt::format(" {:>{}}", m.support(c), width);
    if (with_train) out += fmt::format(" {:>{}}", static_cast<long long>(report.train_counts(c)), width);
    out += "\n";
  }
  out += "\n";
  out += fmt::format("{:>{}}", "avg / total", name_width);
  for (double v : {report.avg_precision, report.avg_recall, report.avg_specificity, report.avg_f1,
                   report.avg_geometric_mean, report.avg_iba})
    out += fmt::format(" {:>{}.{}f}", v, width, digits);
  out += fmt::format(" {:>{}}\n\n", report.num_samples(), width);
  out += fmt::format("accuracy {:.4f} | balanced accuracy {:.4f} | macro F1 {:.4f} | G-mean {:.4f}", report.accuracy,
                     report.balanced_accuracy, report.macro_f1, report.geometric_mean);
  if (report.expected_calibration_error) out += fmt::format(" | ECE {:.4f}", *report.expected_calibration_error);
  out += "\n";
  if (report.shots) {
    const ShotAccuracy& s = *report.shots;
    out += detail::format_shot("many-shot", s.many, s.many_classes) + " | " +
           detail::format_shot("medium-shot", s.medium, s.medium_classes) + " | " +
           detail::format_shot("few-shot", s.few, s.few_classes) + "\n";
  }
  out += fmt::format("MCC {:.4f} | kappa {} | IBA(G-mean) {:.4f} | macro MAE {:.4f}\n", report.matthews_correlation,
                     report.cohen_kappa ? fmt::format("{:.4f} (linear {:.4f}, quadratic {:.4f})", *report.cohen_kappa,
                                                      *report.cohen_kappa_linear, *report.cohen_kappa_quadratic)
                                        : std::string("n/a"),
                     report.iba_geometric_mean, report.macro_mae);
  if (report.scores) {
    const ScoreMetrics& sc = *report.scores;
    const bool binary = report.num_classes() == 2;
    out += fmt::format("log-loss {:.4f}", sc.log_loss);
    if (sc.roc_auc) out += fmt::format(" | ROC-AUC {:.4f}{}", *sc.roc_auc, binary ? "" : " (one-vs-rest macro)");
    if (sc.average_precision) out += fmt::format(" | average precision {:.4f}", *sc.average_precision);
    if (sc.brier) out += fmt::format(" | Brier {:.4f}", *sc.brier);
    else if (sc.multiclass_brier) out += fmt::format(" | Brier {:.4f} (multi-class)", *sc.multiclass_brier);
    out += "\n";
  }
  return out;
}

/// The report as JSON: per-class arrays indexed by label, the overall metrics, the confusion matrix,
/// and null for what is unknown (shots without training counts, ECE without probabilities).
inline nlohmann::json report_to_json(const ClassificationReport& report) {
  const auto& m = report.per_class;
  nlohmann::json j;
  j["num_classes"] = report.num_classes();
  j["num_samples"] = report.num_samples();
  j["class_names"] = report.class_names;
  j["precision"] = detail::to_std(m.precision);
  j["recall"] = detail::to_std(m.recall);
  j["specificity"] = detail::to_std(m.specificity);
  j["f1"] = detail::to_std(m.f1);
  j["geometric_mean_per_class"] = detail::to_std(report.geometric_mean_per_class);
  j["iba"] = detail::to_std(report.iba_per_class);
  j["support"] = std::vector<long long>(m.support.data(), m.support.data() + m.support.size());
  j["train_counts"] = report.train_counts.size() > 0 ? nlohmann::json(detail::to_std(report.train_counts))
                                                     : nlohmann::json(nullptr);
  j["accuracy"] = report.accuracy;
  j["balanced_accuracy"] = report.balanced_accuracy;
  j["macro_f1"] = report.macro_f1;
  j["weighted_f1"] = report.weighted_f1;
  j["geometric_mean"] = report.geometric_mean;
  j["average"] = {{"precision", report.avg_precision}, {"recall", report.avg_recall},
                  {"specificity", report.avg_specificity}, {"f1", report.avg_f1},
                  {"geometric_mean", report.avg_geometric_mean}, {"iba", report.avg_iba}};
  if (report.shots) {
    j["many_shot"] = detail::optional_json(report.shots->many);
    j["medium_shot"] = detail::optional_json(report.shots->medium);
    j["few_shot"] = detail::optional_json(report.shots->few);
  } else {
    j["many_shot"] = j["medium_shot"] = j["few_shot"] = nullptr;
  }
  j["expected_calibration_error"] = detail::optional_json(report.expected_calibration_error);
  nlohmann::json confusion = nlohmann::json::array();
  for (Eigen::Index r = 0; r < report.confusion.rows(); ++r) {
    std::vector<long long> row(static_cast<std::size_t>(report.confusion.cols()));
    for (Eigen::Index c = 0; c < report.confusion.cols(); ++c) row[static_cast<std::size_t>(c)] = report.confusion(r, c);
    confusion.push_back(row);
  }
  j["confusion_matrix"] = confusion;
  j["matthews_correlation"] = report.matthews_correlation;
  j["cohen_kappa"] = {{"none", detail::optional_json(report.cohen_kappa)},
                      {"linear", detail::optional_json(report.cohen_kappa_linear)},
                      {"quadratic", detail::optional_json(report.cohen_kappa_quadratic)}};
  j["sensitivity_macro"] = report.sensitivity_macro;
  j["specificity_macro"] = report.specificity_macro;
  j["sensitivity_weighted"] = report.avg_recall;
  j["specificity_weighted"] = report.avg_specificity;
  j["iba_geometric_mean"] = report.iba_geometric_mean;
  j["macro_averaged_mae"] = report.macro_mae;
  if (report.scores) {
    const ScoreMetrics& sc = *report.scores;
    nlohmann::json s;
    s["log_loss"] = sc.log_loss;
    s["brier"] = detail::optional_json(sc.brier);
    s["multiclass_brier"] = detail::optional_json(sc.multiclass_brier);
    s["roc_auc"] = detail::optional_json(sc.roc_auc);
    s["average_precision"] = detail::optional_json(sc.average_precision);
    s["roc_auc_ovr_weighted"] = detail::optional_json(sc.roc_auc_ovr_weighted);
    s["roc_auc_ovo_macro"] = detail::optional_json(sc.roc_auc_ovo_macro);
    s["roc_auc_ovo_weighted"] = detail::optional_json(sc.roc_auc_ovo_weighted);
    s["average_precision_ovr_weighted"] = detail::optional_json(sc.average_precision_ovr_weighted);
    // JSON has no infinity: the ROC curve's first threshold (+inf) is written as null.
    auto finite_or_null = [](const std::vector<double>& values) {
      nlohmann::json a = nlohmann::json::array();
      for (double v : values) a.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
      return a;
    };
    s["roc_curve"] = sc.roc_curve ? nlohmann::json{{"fpr", sc.roc_curve->false_positive_rate},
                                                   {"tpr", sc.roc_curve->true_positive_rate},
                                                   {"thresholds", finite_or_null(sc.roc_curve->thresholds)}}
                                  : nlohmann::json(nullptr);
    s["precision_recall_curve"] = sc.precision_recall
                                      ? nlohmann::json{{"precision", sc.precision_recall->precision},
                                                       {"recall", sc.precision_recall->recall},
                                                       {"thresholds", sc.precision_recall->thresholds}}
                                      : nlohmann::json(nullptr);
    nlohmann::json bins = nlohmann::json::array();
    for (const auto& b : sc.calibration.bins)
      bins.push_back({{"lower", b.lower}, {"upper", b.upper}, {"count", b.count}, {"accuracy", b.accuracy},
                      {"confidence", b.confidence}});
    s["reliability_bins"] = bins;
    s["maximum_calibration_error"] = sc.calibration.maximum_calibration_error;
    j["scores"] = s;
  } else {
    j["scores"] = nullptr;
  }
  return j;
}

}  // namespace imbalance
