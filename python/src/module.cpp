// The compiled half of the Python package `imbalance` (imported as imbalance._core): thin calls
// into the C++ library. Every algorithm stays in the library; this file converts arrays, releases
// the GIL and maps the library's exceptions (std::invalid_argument -> ValueError, std::bad_alloc ->
// MemoryError, by pybind11's own translation). Names and Python-side validation live in the
// pure-Python modules next to it.

// First: Eigen through the library (GCC 12's AVX-512 false positive silenced; core/eigen.hpp).
#include "imbalance/core/eigen.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "imbalance/metrics/classification_report.hpp"
#include "imbalance/posthoc/logit_adjustment.hpp"
#include "imbalance/posthoc/tau_normalization.hpp"
#include "imbalance/registry/losses.hpp"
#include "imbalance/pipeline/training_pipeline.hpp"
#include "imbalance/registry/resamplers.hpp"
#include "imbalance/registry/search_space.hpp"
#include "imbalance/report.hpp"
#include "imbalance/version.hpp"

namespace py = pybind11;

namespace {

using Index = Eigen::Index;

// The registries' option values from the dict the Python layer hands over.
imbalance::OptionValues option_values(const std::map<std::string, double>& options) {
  imbalance::OptionValues values;
  for (const auto& [option, value] : options) values.set(option, value);
  return values;
}

// The loss `name` of one epoch, built from the training class counts as the trainer builds it.
imbalance::AnyLoss batch_loss(const std::string& name, const std::map<std::string, double>& options,
                              const Eigen::VectorXd& class_counts, long epochs, long epoch, bool cosine_head) {
  imbalance::LossContext context;
  context.class_counts = class_counts;
  context.epochs = epochs;
  context.cosine_head = cosine_head;
  return imbalance::make_loss(name, option_values(options), context)(epoch);
}

// The library's parallel loops take omp_get_max_threads() threads: n_jobs sets it for one call.
// (A process-wide setting: two Python threads calling with different n_jobs at once share it;
// the results do not depend on it, only the speed.)
class ThreadScope {
 public:
  explicit ThreadScope(int threads) {
#ifdef _OPENMP
    saved_ = omp_get_max_threads();
    if (threads > 0) omp_set_num_threads(threads);
#else
    (void)threads;
#endif
  }
  ~ThreadScope() {
#ifdef _OPENMP
    omp_set_num_threads(saved_);
#endif
  }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
#ifdef _OPENMP
  int saved_ = 1;
#endif
};

imbalance::SamplerKind sampler_kind(const std::string& kind) {
  if (kind == "over-sampling") return imbalance::SamplerKind::OverSampling;
  if (kind == "under-sampling") return imbalance::SamplerKind::UnderSampling;
  if (kind == "clean-sampling") return imbalance::SamplerKind::Cleaning;
  throw std::invalid_argument("sampling type must be over-sampling, under-sampling or clean-sampling (got '" + kind + "')");
}

// sampling_strategy as the Python layer hands it over: a str (named), a float (ratio) or a dict
// {class code: count}.
imbalance::SamplingStrategy sampling_strategy(const py::object& strategy) {
  using imbalance::SamplingStrategy;
  if (py::isinstance<py::str>(strategy)) {
    const auto text = strategy.cast<std::string>();
    static const std::map<std::string, SamplingStrategy::Named> named{
        {"auto", SamplingStrategy::Named::Auto},           {"minority", SamplingStrategy::Named::Minority},
        {"majority", SamplingStrategy::Named::Majority},   {"not minority", SamplingStrategy::Named::NotMinority},
        {"not majority", SamplingStrategy::Named::NotMajority}, {"all", SamplingStrategy::Named::All}};
    const auto found = named.find(text);
    if (found == named.end())
      throw std::invalid_argument("sampling_strategy must be one of 'auto', 'minority', 'majority', 'not minority', "
                                  "'not majority', 'all' (got '" + text + "')");
    return found->second;
  }
  if (py::isinstance<py::float_>(strategy)) return SamplingStrategy::ratio(strategy.cast<double>());
  if (py::isinstance<py::dict>(strategy)) {
    imbalance::ClassMap targets;
    for (const auto& item : strategy.cast<py::dict>())
      targets[item.first.cast<int>()] = item.second.cast<Index>();
    return SamplingStrategy::targets(std::move(targets));
  }
  throw py::type_error("sampling_strategy must be a str, a float or a dict");
}

template <class T>
py::array_t<T> to_array(const std::vector<Index>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  auto view = out.template mutable_unchecked<1>();
  for (std::size_t i = 0; i < values.size(); ++i) view(static_cast<py::ssize_t>(i)) = static_cast<T>(values[i]);
  return out;
}

// resample(name, options, strategy, X, y, seed, categorical, threads) ->
// (X_out (F-ordered float64), y_out, sample_indices or None, synthetic_base, synthetic_neighbor).
py::tuple resample(const std::string& name, const std::map<std::string, double>& options, const py::object& strategy,
                   const Eigen::MatrixXd& X, const Eigen::VectorXi& y, std::uint64_t seed,
                   const std::vector<Index>& categorical, int threads) {
  const imbalance::OptionValues values = option_values(options);
  imbalance::ResampleContext context;
  context.sampling_strategy = sampling_strategy(strategy);
  context.categorical_features = categorical;
  imbalance::ResampledData out;
  {
    py::gil_scoped_release release;
    ThreadScope scope(threads);
    imbalance::Rng rng(seed);
    out = imbalance::resample(name, values, context, X, y, rng);
  }
  py::object indices = py::none();
  if (!out.sample_indices.empty() || out.X.rows() == 0) indices = to_array<std::int64_t>(out.sample_indices);
  return py::make_tuple(py::cast(std::move(out.X)), py::cast(std::move(out.y)), indices,
                        to_array<std::int64_t>(out.synthetic_base), to_array<std::int64_t>(out.synthetic_neighbor));
}

std::map<int, Index> resolve_sampling_strategy(const py::object& strategy, const std::map<int, Index>& counts,
                                               const std::string& kind) {
  return sampling_strategy(strategy).resolve(counts, sampler_kind(kind));
}

std::vector<std::string> resampler_names() { return imbalance::resampler_registry().names(); }
std::vector<std::string> loss_names() { return imbalance::loss_registry().names(); }

// The loss `name` built from the class counts and its options; value and dL/dlogits of one batch.
// C-contiguous float64 or float32 logits are read in place (Eigen::Map), other layouts and dtypes
// are converted to float64 first; the gradient is a new array of the logits' dtype.
py::tuple loss_value_and_gradient(const std::string& name, const std::map<std::string, double>& options,
                                  const Eigen::VectorXd& class_counts, long epochs, long epoch, bool cosine_head,
                                  const py::array& logits, const Eigen::Ref<const Eigen::VectorXi>& labels,
                                  bool gradient) {
  const imbalance::AnyLoss loss = batch_loss(name, options, class_counts, epochs, epoch, cosine_head);
  if (logits.ndim() != 2)
    throw std::invalid_argument("logits must be a 2-d array (N, K) (got " + std::to_string(logits.ndim()) + " dimensions)");
  const bool single = logits.dtype().is(py::dtype::of<float>()) &&
                      (logits.flags() & py::array::c_style) == py::array::c_style;
  auto run = [&](auto scalar_tag, const py::array& input) {
    using Scalar = decltype(scalar_tag);
    using Rows = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Index n = input.shape(0), k = input.shape(1);
    Eigen::Map<const Rows> z(static_cast<const Scalar*>(input.data()), n, k);
    py::array_t<Scalar, py::array::c_style> grad({n, gradient ? k : Index(0)});
    Rows scratch;
    double value = 0;
    {
      py::gil_scoped_release release;
      if (gradient) {
        Eigen::Map<Rows> g(grad.mutable_data(), n, k);
        value = loss.value_and_gradient(z, labels, g);
      } else {
        scratch.resize(n, k);
        value = loss.value_and_gradient(z, labels, scratch);
      }
    }
    return gradient ? py::make_tuple(value, grad) : py::make_tuple(value, py::none());
  };
  if (single) return run(float(), logits);
  const auto doubles = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(logits);
  if (!doubles) throw std::invalid_argument("logits must be an array of numbers");
  return run(double(), doubles);
}

// The same for a loss that also reads the features the head classifies (the IB loss; any loss
// accepts them): (value, dL/dlogits, dL/dfeatures), in float64.
py::tuple loss_with_features(const std::string& name, const std::map<std::string, double>& options,
                             const Eigen::VectorXd& class_counts, long epochs, long epoch,
                             const Eigen::Ref<const imbalance::AnyLoss::Logits>& logits,
                             const Eigen::Ref<const Eigen::VectorXi>& labels,
                             const Eigen::Ref<const imbalance::AnyLoss::Logits>& features) {
  const imbalance::AnyLoss loss = batch_loss(name, options, class_counts, epochs, epoch, false);
  imbalance::AnyLoss::Logits grad(logits.rows(), logits.cols()), grad_features(features.rows(), features.cols());
  double value = 0;
  {
    py::gil_scoped_release release;
    value = loss.value_and_gradient(logits, labels, features, grad, grad_features);
  }
  return py::make_tuple(value, py::cast(std::move(grad)), py::cast(std::move(grad_features)));
}

// The classification report of codes in [0, K): (JSON text, readable text).
py::tuple classification_report(const Eigen::VectorXi& y_true, const Eigen::VectorXi& y_pred, Index num_classes,
                                 const std::optional<Eigen::MatrixXd>& probabilities,
                                 const std::vector<std::string>& class_names,
                                 const std::optional<Eigen::VectorXd>& train_counts, int digits) {
  imbalance::ClassificationReportOptions options;
  options.class_names = class_names;
  if (train_counts) options.train_counts = *train_counts;
  imbalance::ClassificationReport report;
  {
    py::gil_scoped_release release;
    report = probabilities ? imbalance::classification_report_with_scores(y_true, y_pred, *probabilities, options)
                           : imbalance::classification_report(y_true, y_pred, num_classes, options);
  }
  return py::make_tuple(imbalance::report_to_json(report).dump(), imbalance::format_report(report, digits));
}

imbalance::OptionValues option_values(const py::dict& settings, const char* key) {
  return option_values(settings[key].cast<std::map<std::string, double>>());
}

// A trained pipeline (the classifier's fitted state): raw rows in, logits, probabilities and
// decisions out.
struct FittedClassifier {
  imbalance::FittedPipeline pipeline;
  Index num_features = 0;

  py::tuple predict(const Eigen::MatrixXd& X) const {
    if (X.cols() != num_features)
      throw std::invalid_argument("X has " + std::to_string(X.cols()) + " features, but the classifier was fitted with " +
                                  std::to_string(num_features));
    imbalance::PipelinePrediction out;
    {
      py::gil_scoped_release release;
      out = pipeline.predict(X);
    }
    return py::make_tuple(py::cast(std::move(out.logits)), py::cast(std::move(out.probabilities)),
                          py::cast(std::move(out.labels)));
  }
};

// The training pipeline of one configuration (the registry names and options of a SearchPoint,
// exactly as `imbalance-train` builds it) fitted on codes y in [0, K).
FittedClassifier fit_classifier(const Eigen::MatrixXd& X, const Eigen::VectorXi& y, Index num_classes,
                                const py::dict& settings, std::uint64_t seed, int threads) {
  imbalance::SearchPoint point;
  point.resampler = settings["resampler"].cast<std::string>();
  point.resampler_values = option_values(settings, "resampler_options");
  point.loss = settings["loss"].cast<std::string>();
  point.loss_values = option_values(settings, "loss_options");
  point.sampler = settings["batch_sampler"].cast<std::string>();
  point.sampler_values = option_values(settings, "batch_sampler_options");
  point.head = settings["head"].cast<std::string>();
  point.hidden = settings["hidden_units"].cast<long>();
  point.stage2 = settings["stage2"].cast<std::string>();
  point.stage2_values = option_values(settings, "stage2_options");
  point.posthoc = settings["posthoc"].cast<std::string>();
  point.posthoc_values = option_values(settings, "posthoc_options");
  point.learning_rate = settings["learning_rate"].cast<double>();
  point.weight_decay = settings["weight_decay"].cast<double>();
  imbalance::SearchSpace space;
  space.schedule = settings["schedule"].cast<std::string>();
  space.schedule_values = option_values(settings, "schedule_options");
  const long warmup = settings["warmup_epochs"].cast<long>();
  space.paper_warmup = warmup < 0;
  imbalance::PipelineOptions base;
  base.standardize = settings["standardize"].cast<bool>();
  base.precision = settings["precision"].cast<std::string>() == "float32" ? imbalance::Precision::Float
                                                                           : imbalance::Precision::Double;
  base.trainer.batch_size = settings["batch_size"].cast<Index>();
  base.trainer.momentum = settings["momentum"].cast<double>();
  base.trainer.seed = seed;
  if (warmup > 0) base.trainer.learning_rate.warmup_epochs = warmup;
  const long epochs = settings["epochs"].cast<long>();
  const imbalance::TrainingPipeline pipeline(imbalance::point_pipeline(point, base, space, epochs));
  imbalance::TrainingData data;
  data.features = X;
  data.labels = y;
  data.num_classes = num_classes;
  FittedClassifier out{{}, X.cols()};
  {
    py::gil_scoped_release release;
    ThreadScope scope(threads);
    imbalance::Rng rng(seed);  // one stream, as imbalance-train --seed: the steps, then training
    out.pipeline = pipeline.fit(std::move(data), rng);
  }
  return out;
}

std::map<std::string, std::vector<std::string>> method_names() {
  return {{"resampler", imbalance::resampler_registry().names()},
          {"loss", imbalance::loss_registry().names()},
          {"batch_sampler", imbalance::batch_sampler_registry().names()},
          {"schedule", imbalance::schedule_registry().names()},
          {"head", imbalance::head_registry().names()},
          {"stage2", imbalance::stage2_registry().names()},
          {"posthoc", imbalance::posthoc_registry().names()}};
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "imbalance's compiled core (use the pure-Python modules of the package)";
  m.attr("__version__") = IMBALANCE_VERSION_STRING;
  m.def("resample", &resample, py::arg("name"), py::arg("options"), py::arg("strategy"), py::arg("X"), py::arg("y"),
        py::arg("seed"), py::arg("categorical"), py::arg("threads"));
  m.def("resolve_sampling_strategy", &resolve_sampling_strategy, py::arg("strategy"), py::arg("counts"),
        py::arg("kind"));
  m.def("resampler_names", &resampler_names);
  m.def("method_names", &method_names);
  py::class_<FittedClassifier>(m, "FittedClassifier")
      .def("predict", &FittedClassifier::predict, py::arg("X"))
      .def_property_readonly("class_counts", [](const FittedClassifier& f) { return f.pipeline.class_counts(); })
      .def_property_readonly("train_rows", [](const FittedClassifier& f) { return f.pipeline.train_rows(); })
      .def_property_readonly("train_seconds", [](const FittedClassifier& f) { return f.pipeline.train_seconds(); })
      .def_property_readonly("epoch_losses", [](const FittedClassifier& f) {
        std::vector<double> losses;
        for (const auto& epoch : f.pipeline.history()) losses.push_back(epoch.mean_loss);
        return losses;
      });
  m.def("fit_classifier", &fit_classifier, py::arg("X"), py::arg("y"), py::arg("num_classes"), py::arg("settings"),
        py::arg("seed"), py::arg("threads"));
  m.def("loss_names", &loss_names);
  m.def("loss_value_and_gradient", &loss_value_and_gradient, py::arg("name"), py::arg("options"),
        py::arg("class_counts"), py::arg("epochs"), py::arg("epoch"), py::arg("cosine_head"), py::arg("logits"),
        py::arg("labels"), py::arg("gradient"));
  m.def("loss_with_features", &loss_with_features, py::arg("name"), py::arg("options"), py::arg("class_counts"),
        py::arg("epochs"), py::arg("epoch"), py::arg("logits"), py::arg("labels"), py::arg("features"));
  m.def("classification_report", &classification_report, py::arg("y_true"), py::arg("y_pred"),
        py::arg("num_classes"), py::arg("probabilities"), py::arg("class_names"), py::arg("train_counts"),
        py::arg("digits"));
  m.def("confusion_matrix", [](const Eigen::VectorXi& t, const Eigen::VectorXi& p, Index k) {
    return imbalance::confusion_matrix(t, p, k);
  });
  m.def("logit_adjustment", [](const Eigen::MatrixXd& logits, const Eigen::VectorXd& counts, double tau) {
    imbalance::PostHocLogitAdjustmentOptions o;
    o.tau = tau;
    return imbalance::PostHocLogitAdjustment(counts, o).adjust(logits);
  }, py::arg("logits"), py::arg("class_counts"), py::arg("tau"));
  m.def("tau_normalize", [](const Eigen::MatrixXd& weights, double tau) { return imbalance::tau_normalize(weights, tau); },
        py::arg("weights"), py::arg("tau"));
}
