// Process-wide settings of the tools' mains (never of the library: a program that links it keeps
// its own allocator policy).
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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

}  // namespace cli
