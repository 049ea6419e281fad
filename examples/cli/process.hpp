// Process-wide settings of the tools' mains (never of the library: a program that links it keeps
// its own allocator policy).
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#endif

#include <imbalance/data/atomic_file.hpp>

namespace cli {

// Keeps freed memory in the process for the next allocation. A tool's working set is a few large
// matrices (the CSV text, the table, the standardised data, the training copy), each allocated once;
// glibc gives every block above 32 MiB its own mmap and returns it at free, so each new matrix is
// fresh pages, and a page's first touch costs the kernel a fault (measured on this project's VM:
// 94 MiB in 0.25-0.35 s, more than 20 epochs of training on it). From the heap instead, with no
// trimming, a freed matrix's pages serve the next one (94 MiB touched again: 1 ms). glibc only; a
// no-op elsewhere.
inline void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

#if defined(__unix__) || defined(__APPLE__)
extern "C" inline void remove_temporaries_and_die(int signal_number) {
  imbalance::AtomicFile::remove_temporaries();
  // SA_RESETHAND restored the default action; raised again, it ends the process as the signal
  // would have (the exit status says which), once this handler returns.
  ::raise(signal_number);
}
#endif

// The signals that end a process by default and that a user or the system sends while a tool runs
// (Ctrl-C, kill, a closed terminal or pipe, a file-size limit): each removes the tools' temporary
// output files (imbalance::AtomicFile) before the process ends; outputs already in place stay as
// they were. A signal the process inherited as ignored (nohup's SIGHUP, SIGINT of a background job
// of a script) stays ignored.
inline void remove_temporaries_on_signals() {
#if defined(__unix__) || defined(__APPLE__)
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_die;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(signal_number, &action, nullptr);
  }
#endif
}

}  // namespace cli
