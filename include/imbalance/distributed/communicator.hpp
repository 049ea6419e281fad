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
/// Sums of floating-point numbers are not associative, so an MPI reduction of partial sums depends
/// on the number of ranks. ExactSum accumulates products in 128-bit fixed point on a grid that every
/// rank agrees on: integer addition is associative, so the all-reduced total, rounded once to
/// double, is the same bits for every number of ranks (and closer to the exact sum than a double
/// accumulation).

#include <mpi.h>

#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
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

/// Collective operations over an MPI communicator (not owned; MPI_COMM_WORLD by default). MPI must
/// be initialised (MPI_Init) before and finalised after.
class Communicator {
 public:
  /// Wraps `comm`.
  explicit Communicator(MPI_Comm comm = MPI_COMM_WORLD) : comm_(comm) {
    check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }

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
    check(MPI_Allreduce(&failing, &lowest, 1, MPI_INT, MPI_MIN, comm_), "MPI_Allreduce");
    if (lowest == size_) return;
    std::uint64_t length = message.size();
    check(MPI_Bcast(&length, 1, MPI_UINT64_T, lowest, comm_), "MPI_Bcast");
    message.resize(length);
    check(MPI_Bcast(message.data(), static_cast<int>(length), MPI_CHAR, lowest, comm_), "MPI_Bcast");
    throw distributed_error(lowest, message);
  }

  /// Element-wise sum over ranks, in place (integers: exact).
  void sum(std::vector<std::int64_t>& values) const {
    check(MPI_Allreduce(MPI_IN_PLACE, values.data(), count(values.size()), MPI_INT64_T, MPI_SUM, comm_),
          "MPI_Allreduce");
  }
  /// Sum of one integer over ranks.
  std::int64_t sum(std::int64_t value) const {
    check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_SUM, comm_), "MPI_Allreduce");
    return value;
  }
  /// Minimum of one integer over ranks.
  std::int64_t min(std::int64_t value) const {
    check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MIN, comm_), "MPI_Allreduce");
    return value;
  }
  /// Maximum of one integer over ranks.
  std::int64_t max(std::int64_t value) const {
    check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MAX, comm_), "MPI_Allreduce");
    return value;
  }
  /// Maximum of one double over ranks (exact: max is order-independent).
  double max(double value) const {
    check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, comm_), "MPI_Allreduce");
    return value;
  }
  /// The sum of the ranks before this one of `value` (0 on rank 0): a shard's first global row.
  std::int64_t exclusive_prefix_sum(std::int64_t value) const {
    std::int64_t prefix = 0;
    check(MPI_Exscan(&value, &prefix, 1, MPI_INT64_T, MPI_SUM, comm_), "MPI_Exscan");
    return rank_ == 0 ? 0 : prefix;
  }
  /// Every rank's block of `local`, concatenated in rank order (sizes may differ); `counts` receives
  /// the size of each rank's block.
  template <class T>
  std::vector<T> all_gather(const std::vector<T>& local, std::vector<int>* counts = nullptr) const {
    const int mine = count(local.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm_), "MPI_Allgather");
    long long total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
      total += sizes[static_cast<std::size_t>(r)];
    }
    if (total > std::numeric_limits<int>::max())
      imbalance::detail::throw_invalid("Communicator::all_gather(): ", total, " elements exceed MPI's int counts");
    std::vector<T> all(static_cast<std::size_t>(total));
    check(MPI_Allgatherv(local.data(), mine, datatype<T>(), all.data(), sizes.data(), offsets.data(), datatype<T>(),
                         comm_),
          "MPI_Allgatherv");
    if (counts) *counts = sizes;
    return all;
  }
  /// Sends `outgoing` to rank `to` and receives from rank `from` (the ring step of a shard rotation).
  template <class T>
  std::vector<T> shift(const std::vector<T>& outgoing, int to, int from) const {
    std::uint64_t out_size = outgoing.size(), in_size = 0;
    check(MPI_Sendrecv(&out_size, 1, MPI_UINT64_T, to, 0, &in_size, 1, MPI_UINT64_T, from, 0, comm_,
                       MPI_STATUS_IGNORE),
          "MPI_Sendrecv");
    std::vector<T> incoming(static_cast<std::size_t>(in_size));
    check(MPI_Sendrecv(outgoing.data(), count(outgoing.size()), datatype<T>(), to, 1, incoming.data(),
                       count(incoming.size()), datatype<T>(), from, 1, comm_, MPI_STATUS_IGNORE),
          "MPI_Sendrecv");
    return incoming;
  }
  /// Sum over ranks of 128-bit integers stored as (low, high) pairs, in place: associative, so the
  /// same bits for every number of ranks.
  void sum_int128(std::vector<std::int64_t>& pairs) const {
    check(MPI_Allreduce(MPI_IN_PLACE, pairs.data(), count(pairs.size() / 2), int128_type(), int128_sum(), comm_),
          "MPI_Allreduce");
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
  int rank_ = 0, size_ = 1;
};

}  // namespace imbalance::distributed
