#pragma once
/// @file
/// The library's view of an MPI communicator (the `imbalance::mpi` CMake target; Debian:
/// libopenmpi-dev): the collective operations the distributed algorithms need, and agreement on
/// errors.
///
/// Every collective call must be reached by every rank in the same order. A rank that meets bad
/// input must therefore not throw on its own (its peers would wait for it forever): the algorithms
/// run each step that can fail through agree(), which lets every rank finish the step, shares
/// whether any failed, and then throws the same exception on every rank, with the message of the
/// lowest failing rank prefixed by its number. Nothing hangs, and every rank exits the same way.
///
/// A rank that stops (SIGSTOP, a hung file system, a debugger) leaves its peers waiting in the next
/// collective for ever; a Communicator built with a timeout waits at most that long in any one
/// collective and then throws collective_timeout on the ranks that waited. The collectives then run
/// as MPI's non-blocking calls polled to the deadline (the same results: every reduction here is
/// exact). After a timeout the communicator is unusable (a collective is left open), and MPI_Finalize
/// would wait on the stopped rank too: the program should report and call MPI_Abort.
///
/// Sums of floating-point numbers are not associative, so an MPI reduction of partial sums depends
/// on the number of ranks. ExactSum accumulates products in 128-bit fixed point on a grid that every
/// rank agrees on: integer addition is associative, so the all-reduced total, rounded once to
/// double, is the same bits for every number of ranks (and closer to the exact sum than a double
/// accumulation).

#include <mpi.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "imbalance/core/eigen.hpp"

#include "imbalance/core/error.hpp"

namespace imbalance::distributed {

/// A signed 128-bit integer (GCC and clang; __extension__: no -Wpedantic warning).
__extension__ typedef __int128 Int128;
/// An unsigned 128-bit integer.
__extension__ typedef unsigned __int128 UInt128;

/// A rank's failure seen by every rank: thrown on all of them by Communicator::agree().
class distributed_error : public imbalance::invalid_argument {
 public:
  /// The lowest failing rank and its message.
  distributed_error(int rank, const std::string& message)
      : imbalance::invalid_argument("rank " + std::to_string(rank) + ": " + message), rank_(rank) {}
  /// The lowest rank that failed.
  int rank() const noexcept { return rank_; }

 private:
  int rank_;
};

/// A collective that did not complete within the Communicator's timeout (a rank stopped or hung).
class collective_timeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Collective operations over an MPI communicator (not owned; MPI_COMM_WORLD by default). MPI must
/// be initialised (MPI_Init) before and finalised after.
class Communicator {
 public:
  /// Wraps `comm`; timeout_seconds > 0 bounds the wait of every collective (0: no bound).
  explicit Communicator(MPI_Comm comm = MPI_COMM_WORLD, double timeout_seconds = 0)
      : comm_(comm), timeout_(timeout_seconds) {
    if (!(timeout_seconds >= 0) || !std::isfinite(timeout_seconds))
      imbalance::detail::throw_invalid("Communicator::Communicator(): timeout_seconds must be finite and >= 0 (got ",
                                       timeout_seconds, ")");
    check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }

  /// The bound on a collective's wait in seconds (0: none).
  double timeout() const noexcept { return timeout_; }

  /// This process's rank, 0..size()-1.
  int rank() const noexcept { return rank_; }
  /// The number of ranks P.
  int size() const noexcept { return size_; }
  /// The MPI communicator.
  MPI_Comm comm() const noexcept { return comm_; }

  /// Runs `step` on every rank; if it threw on any rank, throws distributed_error on every rank
  /// with the lowest failing rank's message (one all-reduce and, on failure, one broadcast).
  void agree(const std::function<void()>& step) const {
    std::string message;
    try {
      step();
    } catch (const std::exception& error) {
      message = error.what();
      if (message.empty()) message = "unknown error";
    } catch (...) {
      message = "unknown error";
    }
    int failing = message.empty() ? size_ : rank_;
    int lowest = size_;
    allreduce(&failing, &lowest, 1, MPI_INT, MPI_MIN);
    if (lowest == size_) return;
    std::uint64_t length = message.size();
    broadcast(&length, 1, MPI_UINT64_T, lowest);
    message.resize(length);
    broadcast(message.data(), static_cast<int>(length), MPI_CHAR, lowest);
    throw distributed_error(lowest, message);
  }

  /// Element-wise sum over ranks, in place (integers: exact).
  void sum(std::vector<std::int64_t>& values) const {
    allreduce(MPI_IN_PLACE, values.data(), count(values.size()), MPI_INT64_T, MPI_SUM);
  }
  /// Sum of one integer over ranks.
  std::int64_t sum(std::int64_t value) const {
    allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_SUM);
    return value;
  }
  /// Minimum of one integer over ranks.
  std::int64_t min(std::int64_t value) const {
    allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MIN);
    return value;
  }
  /// Maximum of one integer over ranks.
  std::int64_t max(std::int64_t value) const {
    allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MAX);
    return value;
  }
  /// Maximum of one double over ranks (exact: max is order-independent).
  double max(double value) const {
    allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX);
    return value;
  }
  /// Element-wise maximum over ranks, in place (exact: max is order-independent).
  void max(std::vector<double>& values) const {
    allreduce(MPI_IN_PLACE, values.data(), count(values.size()), MPI_DOUBLE, MPI_MAX);
  }
  /// The sum of the ranks before this one of `value` (0 on rank 0): a shard's first global row.
  std::int64_t exclusive_prefix_sum(std::int64_t value) const {
    std::int64_t prefix = 0;
    collective(
        "MPI_Exscan", [&] { return MPI_Exscan(&value, &prefix, 1, MPI_INT64_T, MPI_SUM, comm_); },
        [&](MPI_Request* r) { return MPI_Iexscan(&value, &prefix, 1, MPI_INT64_T, MPI_SUM, comm_, r); });
    return rank_ == 0 ? 0 : prefix;
  }
  /// Every rank's block of `local`, concatenated in rank order (sizes may differ); `counts` receives
  /// the size of each rank's block.
  template <class T>
  std::vector<T> all_gather(const std::vector<T>& local, std::vector<int>* counts = nullptr) const {
    const int mine = count(local.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    collective(
        "MPI_Allgather", [&] { return MPI_Allgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm_); },
        [&](MPI_Request* r) { return MPI_Iallgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm_, r); });
    long long total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
      total += sizes[static_cast<std::size_t>(r)];
    }
    if (total > std::numeric_limits<int>::max())
      imbalance::detail::throw_invalid("Communicator::all_gather(): ", total, " elements exceed MPI's int counts");
    std::vector<T> all(static_cast<std::size_t>(total));
    collective(
        "MPI_Allgatherv",
        [&] {
          return MPI_Allgatherv(local.data(), mine, datatype<T>(), all.data(), sizes.data(), offsets.data(),
                                datatype<T>(), comm_);
        },
        [&](MPI_Request* r) {
          return MPI_Iallgatherv(local.data(), mine, datatype<T>(), all.data(), sizes.data(), offsets.data(),
                                 datatype<T>(), comm_, r);
        });
    if (counts) *counts = sizes;
    return all;
  }
  /// Every rank's `n` elements at `mine` into `all`, rank r's at offsets[r] (counts[r] of them,
  /// known to every rank beforehand: no size exchange, for a training step's hot path).
  template <class T>
  void all_gather_known(const T* mine, int n, T* all, const int* counts, const int* offsets) const {
    collective(
        "MPI_Allgatherv",
        [&] { return MPI_Allgatherv(mine, n, datatype<T>(), all, counts, offsets, datatype<T>(), comm_); },
        [&](MPI_Request* r) { return MPI_Iallgatherv(mine, n, datatype<T>(), all, counts, offsets, datatype<T>(), comm_, r); });
  }
  /// Sends `outgoing` to rank `to` and receives from rank `from` (the ring step of a shard rotation).
  template <class T>
  std::vector<T> shift(const std::vector<T>& outgoing, int to, int from) const {
    std::uint64_t out_size = outgoing.size(), in_size = 0;
    exchange(&out_size, 1, &in_size, 1, MPI_UINT64_T, to, from, 0);
    std::vector<T> incoming(static_cast<std::size_t>(in_size));
    exchange(outgoing.data(), count(outgoing.size()), incoming.data(), count(incoming.size()), datatype<T>(), to, from, 1);
    return incoming;
  }
  /// Sum over ranks of 128-bit integers stored as (low, high) pairs, in place: associative, so the
  /// same bits for every number of ranks.
  void sum_int128(std::vector<std::int64_t>& pairs) const {
    allreduce(MPI_IN_PLACE, pairs.data(), count(pairs.size() / 2), int128_type(), int128_sum());
  }

  /// The MPI datatype of T (double, float, int, std::int64_t, std::uint64_t, char).
  template <class T>
  static MPI_Datatype datatype() {
    if constexpr (std::is_same<T, double>::value) return MPI_DOUBLE;
    else if constexpr (std::is_same<T, float>::value) return MPI_FLOAT;
    else if constexpr (std::is_same<T, int>::value) return MPI_INT;
    else if constexpr (std::is_same<T, std::int64_t>::value || std::is_same<T, long long>::value) return MPI_INT64_T;
    else if constexpr (std::is_same<T, std::uint64_t>::value) return MPI_UINT64_T;
    else {
      static_assert(std::is_same<T, char>::value, "Communicator: unsupported element type");
      return MPI_CHAR;
    }
  }

 private:
  // A collective: `blocking` without a timeout (MPI's own, fastest algorithms), else `start` (the
  // non-blocking variant) polled until it completes or the timeout passes.
  template <class Blocking, class Start>
  void collective(const char* call, Blocking blocking, Start start) const {
    if (timeout_ <= 0) {
      check(blocking(), call);
      return;
    }
    MPI_Request request = MPI_REQUEST_NULL;
    check(start(&request), call);
    wait(&request, 1, call);
  }
  void allreduce(const void* in, void* out, int n, MPI_Datatype type, MPI_Op op) const {
    collective(
        "MPI_Allreduce", [&] { return MPI_Allreduce(in, out, n, type, op, comm_); },
        [&](MPI_Request* r) { return MPI_Iallreduce(in, out, n, type, op, comm_, r); });
  }
  void broadcast(void* data, int n, MPI_Datatype type, int root) const {
    collective(
        "MPI_Bcast", [&] { return MPI_Bcast(data, n, type, root, comm_); },
        [&](MPI_Request* r) { return MPI_Ibcast(data, n, type, root, comm_, r); });
  }
  void exchange(const void* out, int out_n, void* in, int in_n, MPI_Datatype type, int to, int from, int tag) const {
    if (timeout_ <= 0) {
      check(MPI_Sendrecv(out, out_n, type, to, tag, in, in_n, type, from, tag, comm_, MPI_STATUS_IGNORE), "MPI_Sendrecv");
      return;
    }
    MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    check(MPI_Irecv(in, in_n, type, from, tag, comm_, &requests[0]), "MPI_Irecv");
    check(MPI_Isend(out, out_n, type, to, tag, comm_, &requests[1]), "MPI_Isend");
    wait(requests, 2, "MPI_Sendrecv");
  }
  // Polls until every request completes; throws collective_timeout after timeout_ seconds. Spins for
  // the first millisecond (a collective of a training step completes in microseconds), then yields
  // the core in 0.1 ms naps.
  void wait(MPI_Request* requests, int n, const char* call) const {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(timeout_));
    for (;;) {
      int done = 0;
      check(MPI_Testall(n, requests, &done, MPI_STATUSES_IGNORE), call);
      if (done) return;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline)
        throw collective_timeout("Communicator: rank " + std::to_string(rank_) + " waited " +
                                 std::to_string(static_cast<long long>(std::ceil(timeout_))) + " s in " + call +
                                 " for the other ranks (a rank is stopped, hung or far slower)");
      if (now - start > std::chrono::milliseconds(1)) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  }

  static int count(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      imbalance::detail::throw_invalid("Communicator: a message of ", n, " elements exceeds MPI's int counts");
    return static_cast<int>(n);
  }
  static void check(int status, const char* call) {
    if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + call);
  }
  static MPI_Datatype int128_type() {
    static const MPI_Datatype type = [] {
      MPI_Datatype t;
      MPI_Type_contiguous(2, MPI_INT64_T, &t);
      MPI_Type_commit(&t);
      return t;
    }();
    return type;
  }
  static void add_int128(void* in, void* inout, int* len, MPI_Datatype*) {
    const auto* a = static_cast<const std::int64_t*>(in);
    auto* b = static_cast<std::int64_t*>(inout);
    for (int i = 0; i < *len; ++i) {
      const UInt128 x = (static_cast<UInt128>(static_cast<std::uint64_t>(a[2 * i + 1])) << 64) |
                        static_cast<std::uint64_t>(a[2 * i]);
      const UInt128 y = (static_cast<UInt128>(static_cast<std::uint64_t>(b[2 * i + 1])) << 64) |
                        static_cast<std::uint64_t>(b[2 * i]);
      const UInt128 s = x + y;  // two's complement: wraps exactly as signed addition would
      b[2 * i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(s));
      b[2 * i + 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(s >> 64));
    }
  }
  static MPI_Op int128_sum() {
    static const MPI_Op op = [] {
      MPI_Op o;
      MPI_Op_create(&add_int128, 1, &o);
      return o;
    }();
    return op;
  }

  MPI_Comm comm_;
  double timeout_ = 0;
  int rank_ = 0, size_ = 1;
};

}  // namespace imbalance::distributed
