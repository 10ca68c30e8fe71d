// SPDX-License-Identifier: GPL-2.0
/*
 * C code that Rust cannot call directly (static inline functions and
 * function-like macros) is wrapped in the small functions included below.
 * The wrappers are built as a single unit so that they can be inlined into
 * their Rust callers.
 *
 * Keep the list sorted.
 */

#include "atomic_frob.c"
#include "blk.c"
#include "err.c"
#include "frob_table.c"
#include "mutex.c"
#include "net/frob.c"
#include "page_frob.c"
#include "slab.c"
#include "spinlock.c"
#include "sync.c"
