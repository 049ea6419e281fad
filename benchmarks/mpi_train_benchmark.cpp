// Strong scaling of data-parallel training (imbalance::mpi): the synthetic long-tailed data set
// (every rank generates it from the same seed and keeps its block of rows), trained with
// fit_distributed for a few epochs; rank 0 prints the time per epoch, the rows per second per rank,
// the communication per step and per epoch, and a floor measured in the same run: the epoch's
// local arithmetic alone (the logits and the exact gradient of this rank's share, no messages).
//
// Usage: mpirun -np P imbalance-bench-mpi [--rows N] [--dimension d] [--classes K] [--batch B] [--epochs E]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include "imbalance/data/synthetic.hpp"
#include "imbalance/distributed/softmax_classifier.hpp"
#include "imbalance/losses/cross_entropy.hpp"

#include "bench_util.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  {
    int world_rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    if (world_rank == 0) bench::print_machine();
  }
  long rows = 200000, dimension = 32, classes = 10, batch = 512, epochs = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const long value = std::atol(argv[i + 1]);
    if (arg == "--rows") rows = value;
    else if (arg == "--dimension") dimension = value;
    else if (arg == "--classes") classes = value;
    else if (arg == "--batch") batch = value;
    else if (arg == "--epochs") epochs = value;
  }
  {
    const imbalance::distributed::Communicator comm;
    // The data: exponential profile with IR 100 scaled to about `rows` rows.
    imbalance::SyntheticOptions o;
    o.num_classes = classes;
    o.dimension = dimension;
    o.imbalance_ratio = 100;
    o.test_per_class = 1;
    const imbalance::ClassCounts unit = imbalance::long_tailed_counts(classes, 1000, 100);
    o.n_max = static_cast<Eigen::Index>(1000.0 * static_cast<double>(rows) / static_cast<double>(unit.sum()));
    const imbalance::Dataset data = imbalance::make_synthetic_long_tailed(o, 7);
    const Eigen::Index n = data.train_y.size();
    const Eigen::Index begin = n * comm.rank() / comm.size(), end = n * (comm.rank() + 1) / comm.size();
    const Eigen::MatrixXd x = data.train_x.middleRows(begin, end - begin);
    const Eigen::VectorXi y = data.train_y.segment(begin, end - begin);

    imbalance::TrainerOptions options;
    options.epochs = epochs;
    options.batch_size = batch;
    imbalance::SoftmaxClassifier model;
    imbalance::Rng rng(1);
    const auto start = std::chrono::steady_clock::now();
    const auto fit = imbalance::distributed::fit_distributed(
        comm, model, x, y, imbalance::AnyLoss(imbalance::CrossEntropyLoss(classes)), options, rng);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                           static_cast<double>(epochs);

    // The floor: this rank's share of one epoch's arithmetic (logits row by row, the exact gradient
    // sums), without the loss, the messages or the waiting.
    const Eigen::Index local = x.rows(), d = x.cols(), k = classes;
    const Eigen::MatrixXd w = Eigen::MatrixXd::Constant(d, k, 0.01);
    const auto floor_start = std::chrono::steady_clock::now();
    double sink = 0;
    for (Eigen::Index first = 0; first < local; first += batch / comm.size() + 1) {
      const Eigen::Index b = std::min<Eigen::Index>(batch / comm.size() + 1, local - first);
      imbalance::distributed::ExactSum sums(d * k, 10.0, batch);
      for (Eigen::Index r = first; r < first + b; ++r)
        for (Eigen::Index j = 0; j < k; ++j) {
          const double z = x.row(r).dot(w.col(j));
          for (Eigen::Index i = 0; i < d; ++i) sums.add(j * d + i, x(r, i) * z * 1e-3);
        }
      sink += static_cast<double>(sums.pairs()[0]);
    }
    const double floor_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - floor_start).count();
    const double worst_floor = comm.max(floor_seconds);

    const double steps = std::ceil(static_cast<double>(n) / static_cast<double>(batch));
    // Per step, per rank: the gathered logits (B x K doubles received, its own share included) and
    // the all-reduced 128-bit gradient ((d + 1) K values of 16 bytes).
    const double gather_bytes = static_cast<double>(batch * k * 8);
    const double reduce_bytes = static_cast<double>((d + 1) * k * 16);
    if (comm.rank() == 0) {
      fmt::print("ranks {}  rows {}  d {}  K {}  batch {}  epochs {}  (sink {})\n", comm.size(), n, d, k, batch, epochs,
                 sink != 0 ? 1 : 0);
      fmt::print("{:>6} {:>12} {:>16} {:>14} {:>14} {:>14} {:>14}\n", "ranks", "s/epoch", "rows/s per rank",
                 "floor s/epoch", "gather B/step", "reduce B/step", "MB/epoch");
      fmt::print("{:>6} {:>12.3f} {:>16.0f} {:>14.3f} {:>14.0f} {:>14.0f} {:>14.1f}\n", comm.size(), seconds,
                 static_cast<double>(n) / seconds / comm.size(), worst_floor, gather_bytes, reduce_bytes,
                 steps * (gather_bytes + reduce_bytes) / 1e6);
      fmt::print("final loss {:.6f}\n", fit.history.back().mean_loss);
    }
  }
  MPI_Finalize();
  return 0;
}
