// The distributed layer under mpirun -np P (CI runs P = 1, 2, 3): each test runs the same global
// data on the first p ranks for every p <= P (a sub-communicator per p), with shards of uneven
// sizes and classes spread unevenly (a rank without any sample of a class included), gathers the
// results on rank 0 and compares them across p and with the one-process algorithm.
#include <cstdint>
#include <cstring>
#include <vector>

#include <catch2/catch.hpp>

#include "imbalance/data/synthetic.hpp"
#include "imbalance/distributed/class_counts.hpp"
#include "imbalance/distributed/communicator.hpp"
#include "imbalance/distributed/evaluation.hpp"
#include "imbalance/distributed/random_sampling.hpp"
#include "imbalance/distributed/resamplers.hpp"
#include "imbalance/distributed/smote.hpp"
#include "imbalance/distributed/softmax_classifier.hpp"
#include "imbalance/losses/cross_entropy.hpp"
#include "imbalance/losses/deferred_reweighting.hpp"
#include "imbalance/losses/ldam.hpp"
#include "imbalance/over_sampling/random_over_sampler.hpp"
#include "imbalance/over_sampling/smote.hpp"
#include "imbalance/under_sampling/random_under_sampler.hpp"

namespace dist = imbalance::distributed;

namespace {

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}
int world_size() {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// Runs f(comm) on the first p ranks, for p = 1..P; the other ranks wait at the split.
template <class F>
void for_each_rank_count(F&& f) {
  for (int p = 1; p <= world_size(); ++p) {
    MPI_Comm sub = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, world_rank() < p ? 0 : MPI_UNDEFINED, world_rank(), &sub);
    if (sub != MPI_COMM_NULL) {
      f(dist::Communicator(sub), p);
      MPI_Comm_free(&sub);
    }
    MPI_Barrier(MPI_COMM_WORLD);
  }
}

// The global data: synthetic long-tailed rows sorted so that the last class lies in the last rows
// only, and uneven shard boundaries: with 3 ranks, rank 2 holds the whole tail class and ranks 0
// and 1 none of it.
struct GlobalData {
  Eigen::MatrixXd x;
  Eigen::VectorXi y;
};

GlobalData mpi_global_data() {
  imbalance::SyntheticOptions o;
  o.num_classes = 4;
  o.dimension = 5;
  o.n_max = 120;
  o.imbalance_ratio = 12;
  o.test_per_class = 1;
  const auto data = imbalance::make_synthetic_long_tailed(o, 5);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(data.train_y.size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return (data.train_y(a) == 3) < (data.train_y(b) == 3);
  });
  GlobalData g;
  g.x.resize(data.train_x.rows(), data.train_x.cols());
  g.y.resize(data.train_y.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    g.x.row(static_cast<Eigen::Index>(i)) = data.train_x.row(order[i]);
    g.y(static_cast<Eigen::Index>(i)) = data.train_y(order[i]);
  }
  return g;
}

// Rank r of p holds rows [cut(r), cut(r + 1)): uneven, and the tail class entirely on the last rank.
std::pair<Eigen::Index, Eigen::Index> mpi_shard(const GlobalData& g, int rank, int p) {
  const Eigen::Index n = g.y.size();
  Eigen::Index tail_start = 0;
  while (tail_start < n && g.y(tail_start) != 3) ++tail_start;
  std::vector<Eigen::Index> cuts{0};
  for (int r = 1; r < p; ++r) cuts.push_back(r == p - 1 ? tail_start : tail_start * r * r / (p * p));
  cuts.push_back(n);
  return {cuts[static_cast<std::size_t>(rank)], cuts[static_cast<std::size_t>(rank) + 1]};
}

std::vector<double> gather_rows(const dist::Communicator& comm, const Eigen::MatrixXd& m) {
  std::vector<double> flat;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) flat.push_back(m(i, j));
  return comm.all_gather(flat);
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("distributed: global class counts from shards that miss classes", "[mpi]") {
  const GlobalData g = mpi_global_data();
  const imbalance::ClassCounts expected = imbalance::count_labels(g.y, 4);
  for_each_rank_count([&](const dist::Communicator& comm, int p) {
    const auto [begin, end] = mpi_shard(g, comm.rank(), p);
    const Eigen::VectorXi local = g.y.segment(begin, end - begin);
    const imbalance::ClassCounts counts = dist::global_class_counts(comm, local, 4);
    const Eigen::Index k = dist::global_num_classes(comm, local);
    const dist::GlobalClasses classes(comm, local);
    if (comm.rank() == 0) {
      CHECK(counts == expected);
      CHECK(k == 4);
      CHECK(classes.counts().at(3) == expected(3));
      if (p == 3) CHECK(classes.count_on(3, 0) == 0);
    }
  });
}

TEST_CASE("distributed: data-parallel training gives the same bits for every number of ranks", "[mpi]") {
  const GlobalData g = mpi_global_data();
  const Eigen::VectorXd counts = imbalance::count_labels(g.y, 4).cast<double>();
  imbalance::TrainerOptions options;
  options.epochs = 6;
  options.batch_size = 32;
  options.learning_rate.base = 0.05;
  imbalance::DeferredReweightingOptions drw_options;
  drw_options.switch_epoch = 3;
  const imbalance::DeferredReweighting drw(counts, drw_options);
  const auto schedule = [&](long epoch) {
    imbalance::LDAMOptions o;
    o.class_weights = drw.weights(epoch);
    o.scale = 1.0;
    return imbalance::AnyLoss(imbalance::LDAMLoss(counts, o));
  };

  for (const bool class_balanced : {false, true}) {
    imbalance::TrainerOptions run = options;
    if (class_balanced) {
      imbalance::BatchSamplerOptions sampler;
      sampler.sampling = imbalance::BatchSampling::ClassBalanced;
      run.sampler = sampler;
    }
    std::vector<Eigen::MatrixXd> weights;
    std::vector<double> last_loss;
    for_each_rank_count([&](const dist::Communicator& comm, int p) {
      const auto [begin, end] = mpi_shard(g, comm.rank(), p);
      imbalance::SoftmaxClassifier model;
      imbalance::Rng rng(11);
      const dist::DistributedFit fit = dist::fit_distributed(comm, model, g.x.middleRows(begin, end - begin),
                                                             g.y.segment(begin, end - begin), schedule, run, rng);
      if (comm.rank() == 0) {
        Eigen::MatrixXd wb(model.weights().rows() + 1, model.weights().cols());
        wb << model.weights(), model.bias();
        weights.push_back(wb);
        last_loss.push_back(fit.history.back().mean_loss);
        CHECK(fit.total_rows == g.y.size());
      }
      // Every rank holds the same model.
      const std::vector<double> all = gather_rows(comm, model.weights());
      for (int r = 1; r < comm.size(); ++r)
        CHECK(std::memcmp(all.data(), all.data() + r * model.weights().size(), sizeof(double) * model.weights().size()) == 0);
    });
    if (world_rank() != 0) continue;
    for (std::size_t p = 1; p < weights.size(); ++p) {
      CHECK(same_bits(weights[p], weights[0]));
      CHECK(last_loss[p] == last_loss[0]);
    }
    // Against the one-process trainer (double GEMM gradients): rounding only, identical predictions.
    imbalance::SoftmaxClassifier single;
    imbalance::Rng rng(11);
    single.fit(g.x, g.y, schedule, run, rng);
    Eigen::MatrixXd wb(single.weights().rows() + 1, single.weights().cols());
    wb << single.weights(), single.bias();
    CHECK((wb - weights[0]).cwiseAbs().maxCoeff() <= 1e-12 * wb.cwiseAbs().maxCoeff());
    imbalance::SoftmaxClassifier distributed;
    distributed.set_parameters(weights[0].topRows(5), weights[0].bottomRows(1));
    CHECK(distributed.predict(g.x) == single.predict(g.x));
  }
}

TEST_CASE("distributed: every head, the hidden layer and float train to the same bits for every number of ranks",
          "[mpi]") {
  const GlobalData g = mpi_global_data();
  const Eigen::VectorXd counts = imbalance::count_labels(g.y, 4).cast<double>();
  struct Case {
    imbalance::HeadType head;
    Eigen::Index hidden;
    bool in_float;
  };
  for (const Case c : {Case{imbalance::HeadType::of<imbalance::CosineHead>(), 6, false}, Case{imbalance::HeadType::of<imbalance::LinearHead>(), 6, true},
                       Case{imbalance::HeadType::of<imbalance::EtfHead>(), 0, false}, Case{imbalance::HeadType::of<imbalance::CosineHead>(), 0, true}}) {
    imbalance::TrainerOptions options;
    options.epochs = 3;
    options.batch_size = 32;
    options.learning_rate.base = 0.05;
    options.head = c.head;
    options.hidden_units = c.hidden;
    const imbalance::AnyLoss loss = imbalance::LDAMLoss(counts);
    std::vector<Eigen::MatrixXd> parameters;
    for_each_rank_count([&](const dist::Communicator& comm, int p) {
      const auto [begin, end] = mpi_shard(g, comm.rank(), p);
      imbalance::SoftmaxClassifier model;
      imbalance::Rng rng(5);
      const auto x = g.x.middleRows(begin, end - begin);
      const auto y = g.y.segment(begin, end - begin);
      if (c.in_float)
        dist::fit_distributed<float>(comm, model, x, y, loss, options, rng);
      else
        dist::fit_distributed(comm, model, x, y, loss, options, rng);
      REQUIRE(model.head() == c.head);
      REQUIRE(model.has_hidden_layer() == (c.hidden > 0));
      // Every parameter in one column: hidden layer, head weights, bias.
      Eigen::MatrixXd all(model.hidden_weights().size() + model.hidden_bias().size() + model.weights().size() +
                              model.bias().size(), 1);
      all << model.hidden_weights().reshaped(), model.hidden_bias().transpose(), model.weights().reshaped(),
          model.bias().transpose();
      const std::vector<double> ranks = gather_rows(comm, all);
      for (int r = 1; r < comm.size(); ++r)
        CHECK(std::memcmp(ranks.data(), ranks.data() + r * all.size(), sizeof(double) * static_cast<std::size_t>(all.size())) == 0);
      if (comm.rank() == 0) parameters.push_back(all);
    });
    if (world_rank() != 0) continue;
    for (std::size_t p = 1; p < parameters.size(); ++p) CHECK(same_bits(parameters[p], parameters[0]));
    // Against one process (GEMM gradients): rounding only.
    imbalance::SoftmaxClassifier single;
    imbalance::Rng rng(5);
    if (c.in_float)
      single.fit<float>(g.x, g.y, loss, options, rng);
    else
      single.fit(g.x, g.y, loss, options, rng);
    Eigen::MatrixXd all(parameters[0].rows(), 1);
    all << single.hidden_weights().reshaped(), single.hidden_bias().transpose(), single.weights().reshaped(),
        single.bias().transpose();
    const double tolerance = c.in_float ? 1e-4 : 1e-10;
    CHECK((all - parameters[0]).cwiseAbs().maxCoeff() <= tolerance * all.cwiseAbs().maxCoeff());
  }
}

TEST_CASE("distributed: random over- and under-sampling equal the one-process samplers row for row", "[mpi]") {
  const GlobalData g = mpi_global_data();
  const auto check_sampler = [&](const char* name, auto&& distributed_call, auto&& single_call) {
    imbalance::Rng single_rng(21);
    const auto single = single_call(single_rng);
    for_each_rank_count([&](const dist::Communicator& comm, int p) {
      const auto [begin, end] = mpi_shard(g, comm.rank(), p);
      imbalance::Rng rng(21);
      const dist::DistributedResampled mine =
          distributed_call(comm, g.x.middleRows(begin, end - begin), g.y.segment(begin, end - begin), rng);
      const std::vector<double> rows = gather_rows(comm, mine.data.X);
      const std::vector<int> labels = comm.all_gather(std::vector<int>(mine.data.y.data(), mine.data.y.data() + mine.data.y.size()));
      const std::vector<std::int64_t> order = comm.all_gather(mine.order);
      if (comm.rank() != 0) return;
      INFO(name << " on " << p << " rank(s)");
      REQUIRE(static_cast<Eigen::Index>(labels.size()) == single.y.size());
      std::vector<std::size_t> by_order(labels.size());
      for (std::size_t i = 0; i < by_order.size(); ++i) by_order[i] = i;
      std::stable_sort(by_order.begin(), by_order.end(), [&](std::size_t a, std::size_t b) { return order[a] < order[b]; });
      Eigen::MatrixXd x(single.X.rows(), single.X.cols());
      Eigen::VectorXi y(single.y.size());
      for (std::size_t i = 0; i < by_order.size(); ++i) {
        for (Eigen::Index j = 0; j < x.cols(); ++j)
          x(static_cast<Eigen::Index>(i), j) = rows[by_order[i] * static_cast<std::size_t>(x.cols()) + static_cast<std::size_t>(j)];
        y(static_cast<Eigen::Index>(i)) = labels[by_order[i]];
      }
      CHECK(same_bits(x, single.X));
      CHECK(y == single.y);
    });
  };
  const imbalance::SamplingStrategy strategy = imbalance::SamplingStrategy::parse("not majority");
  check_sampler(
      "random over-sampling",
      [&](const dist::Communicator& comm, const auto& x, const auto& y, imbalance::Rng& rng) {
        return dist::random_over_sample(comm, x, y, strategy, rng);
      },
      [&](imbalance::Rng& rng) {
        imbalance::RandomOverSamplerOptions o;
        o.sampling_strategy = strategy;
        return imbalance::RandomOverSampler(o).fit_resample(g.x, g.y, rng);
      });
  for (const bool replacement : {false, true}) {
    check_sampler(
        replacement ? "random under-sampling with replacement" : "random under-sampling",
        [&](const dist::Communicator& comm, const auto& x, const auto& y, imbalance::Rng& rng) {
          return dist::random_under_sample(comm, x, y, imbalance::SamplingStrategy(), replacement, rng);
        },
        [&](imbalance::Rng& rng) {
          imbalance::RandomUnderSamplerOptions o;
          o.replacement = replacement;
          return imbalance::RandomUnderSampler(o).fit_resample(g.x, g.y, rng);
        });
  }
  // The one dispatch by name: each row of the distributed registry is the one-process resampler of
  // that name with the same options.
  const auto& registry = dist::resampler_registry();
  CHECK(registry.names() == std::vector<std::string>{"random-over", "random-under", "smote"});
  for (const std::string name : {"random-over", "random-under", "smote"}) {
    imbalance::OptionValues values;
    if (name == "smote") values.set("k-neighbors", 3);
    const std::string label = "registry row " + name;
    check_sampler(
        label.c_str(),
        [&](const dist::Communicator& comm, const auto& x, const auto& y, imbalance::Rng& rng) {
          return registry.at(name).make(values, comm, Eigen::MatrixXd(x), Eigen::VectorXi(y), strategy, {}, rng);
        },
        [&](imbalance::Rng& rng) -> imbalance::Resampled<Eigen::MatrixXd> {
          if (name == "random-over") {
            imbalance::RandomOverSamplerOptions o;
            o.sampling_strategy = strategy;
            return imbalance::RandomOverSampler(o).fit_resample(g.x, g.y, rng);
          }
          if (name == "random-under") {
            imbalance::RandomUnderSamplerOptions o;
            o.sampling_strategy = strategy;
            return imbalance::RandomUnderSampler(o).fit_resample(g.x, g.y, rng);
          }
          imbalance::SMOTEOptions o;
          o.sampling_strategy = strategy;
          o.k_neighbors = 3;
          return imbalance::SMOTE(o).fit_resample(g.x, g.y, rng);
        });
  }
}

TEST_CASE("distributed: the report of sharded predictions equals the one-process report", "[mpi]") {
  const GlobalData g = mpi_global_data();
  Eigen::VectorXi predicted = g.y;
  for (Eigen::Index i = 0; i < predicted.size(); i += 7) predicted(i) = (predicted(i) + 1) % 4;
  Eigen::MatrixXd probabilities = Eigen::MatrixXd::Constant(g.y.size(), 4, 0.1);
  for (Eigen::Index i = 0; i < g.y.size(); ++i) probabilities(i, predicted(i)) = 0.7;
  const auto single = imbalance::classification_report(g.y, predicted, 4);
  const auto single_scores = imbalance::classification_report_from_probabilities(probabilities, g.y);
  for_each_rank_count([&](const dist::Communicator& comm, int p) {
    const auto [begin, end] = mpi_shard(g, comm.rank(), p);
    const auto report =
        dist::classification_report(comm, g.y.segment(begin, end - begin), predicted.segment(begin, end - begin), 4);
    const auto scored = dist::classification_report_with_scores(comm, g.y.segment(begin, end - begin),
                                                                probabilities.middleRows(begin, end - begin));
    if (comm.rank() != 0) return;
    CHECK(report.confusion == single.confusion);
    CHECK(report.balanced_accuracy == single.balanced_accuracy);
    CHECK(report.macro_f1 == single.macro_f1);
    CHECK(report.matthews_correlation == single.matthews_correlation);
    CHECK(scored.scores->roc_auc == single_scores.scores->roc_auc);
    CHECK(scored.scores->log_loss == single_scores.scores->log_loss);
  });
}

TEST_CASE("distributed: bad input on one rank stops every rank with that rank's message", "[mpi]") {
  const GlobalData g = mpi_global_data();
  for_each_rank_count([&](const dist::Communicator& comm, int p) {
    const auto [begin, end] = mpi_shard(g, comm.rank(), p);
    Eigen::MatrixXd x = g.x.middleRows(begin, end - begin);
    Eigen::VectorXi y = g.y.segment(begin, end - begin);
    const int bad = p - 1;  // the last rank
    int caught = 0;
    // A label outside [0, K) on the last rank only.
    if (comm.rank() == bad && y.size() > 0) y(0) = 9;
    imbalance::SoftmaxClassifier model;
    imbalance::Rng rng(1);
    imbalance::TrainerOptions options;
    options.epochs = 1;
    try {
      dist::fit_distributed(comm, model, x, y, imbalance::AnyLoss(imbalance::CrossEntropyLoss(4)), options, rng);
    } catch (const dist::distributed_error& error) {
      caught += error.rank() == bad && std::string(error.what()).find("local_y[0] = 9 is outside [0, 4)") != std::string::npos;
    }
    // The last rank disagrees on the number of features.
    y = g.y.segment(begin, end - begin);
    if (comm.rank() == bad) x.conservativeResize(Eigen::NoChange, 4);
    try {
      dist::fit_distributed(comm, model, x, y, imbalance::AnyLoss(imbalance::CrossEntropyLoss(4)), options, rng);
      if (p == 1) ++caught;  // one rank cannot disagree with itself
    } catch (const dist::distributed_error& error) {
      caught += std::string(error.what()).find("disagree on the number of features") != std::string::npos;
    }
    const std::int64_t everyone = comm.sum(static_cast<std::int64_t>(caught));
    if (comm.rank() == 0) CHECK(everyone == 2 * p);
  });
}

TEST_CASE("distributed: exact SMOTE over a ring, neighbours over the whole class, and HNSW over a ring of queries",
          "[mpi]") {
  const GlobalData g = mpi_global_data();
  imbalance::SMOTEOptions options;
  options.k_neighbors = 3;
  imbalance::Rng single_rng(31);
  const auto single = imbalance::SMOTE(options).fit_resample(g.x, g.y, single_rng);
  // The approximate ring: every rank's graphs searched, the k best merged; on these few points the
  // graphs find every exact neighbour, so the output is the exact one's, for every rank count.
  for (const bool approximate : {false, true}) {
  if (approximate && !imbalance::hnsw_available()) continue;
  options.neighbors = approximate ? imbalance::NeighborSearch::approximate() : imbalance::NeighborSearch();
  for_each_rank_count([&](const dist::Communicator& comm, int p) {
    const auto [begin, end] = mpi_shard(g, comm.rank(), p);
    imbalance::Rng rng(31);
    const dist::DistributedResampled mine =
        dist::smote(comm, g.x.middleRows(begin, end - begin), g.y.segment(begin, end - begin), options, rng);
    const std::vector<double> rows = gather_rows(comm, mine.data.X);
    const std::vector<int> labels = comm.all_gather(std::vector<int>(mine.data.y.data(), mine.data.y.data() + mine.data.y.size()));
    const std::vector<std::int64_t> order = comm.all_gather(mine.order);
    std::vector<std::int64_t> bases, neighbors;
    for (Eigen::Index i : mine.data.synthetic_base) bases.push_back(i);
    for (Eigen::Index i : mine.data.synthetic_neighbor) neighbors.push_back(i);
    bases = comm.all_gather(bases);
    neighbors = comm.all_gather(neighbors);
    if (comm.rank() != 0) return;
    INFO("SMOTE on " << p << " rank(s), " << (approximate ? "HNSW" : "exact"));
    REQUIRE(static_cast<Eigen::Index>(labels.size()) == single.y.size());
    std::vector<std::size_t> by_order(labels.size());
    for (std::size_t i = 0; i < by_order.size(); ++i) by_order[i] = i;
    std::stable_sort(by_order.begin(), by_order.end(), [&](std::size_t a, std::size_t b) { return order[a] < order[b]; });
    Eigen::MatrixXd x(single.X.rows(), single.X.cols());
    Eigen::VectorXi y(single.y.size());
    for (std::size_t i = 0; i < by_order.size(); ++i) {
      for (Eigen::Index j = 0; j < x.cols(); ++j)
        x(static_cast<Eigen::Index>(i), j) = rows[by_order[i] * static_cast<std::size_t>(x.cols()) + static_cast<std::size_t>(j)];
      y(static_cast<Eigen::Index>(i)) = labels[by_order[i]];
    }
    CHECK(same_bits(x, single.X));  // SMOTE's output in one process, row for row
    CHECK(y == single.y);
    // The segment check: each synthetic row lies between its base and one of the base's k nearest
    // samples of its class over all ranks (brute force on the whole data).
    const Eigen::Index n = g.y.size();
    std::size_t synthetic = 0, on_segment = 0, among_nearest = 0;
    std::vector<std::size_t> synthetic_at;  // positions in the gathered rows that are synthetic
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] >= n) synthetic_at.push_back(i);
    REQUIRE(synthetic_at.size() == bases.size());
    for (std::size_t s = 0; s < synthetic_at.size(); ++s, ++synthetic) {
      const Eigen::Index base = bases[s], neighbor = neighbors[s];
      Eigen::RowVectorXd row(g.x.cols());
      for (Eigen::Index j = 0; j < row.size(); ++j)
        row(j) = rows[synthetic_at[s] * static_cast<std::size_t>(g.x.cols()) + static_cast<std::size_t>(j)];
      const Eigen::RowVectorXd direction = g.x.row(neighbor) - g.x.row(base);
      const double u = direction.squaredNorm() > 0 ? (row - g.x.row(base)).dot(direction) / direction.squaredNorm() : 0.0;
      on_segment += u >= -1e-12 && u <= 1 + 1e-12 &&
                    (row - (g.x.row(base) + u * direction)).norm() <= 1e-9 * (1 + g.x.row(base).norm());
      std::vector<std::pair<double, Eigen::Index>> distances;
      for (Eigen::Index i = 0; i < n; ++i)
        if (g.y(i) == g.y(base) && i != base) distances.emplace_back((g.x.row(i) - g.x.row(base)).squaredNorm(), i);
      std::sort(distances.begin(), distances.end());
      for (Eigen::Index m = 0; m < options.k_neighbors; ++m)
        among_nearest += distances[static_cast<std::size_t>(m)].second == neighbor;
    }
    CHECK(synthetic > 0);
    CHECK(on_segment == synthetic);
    CHECK(among_nearest == synthetic);
  });
  }
}
