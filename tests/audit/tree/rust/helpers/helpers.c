// SPDX-License-Identifier: GPL-2.0
/*
 * The miniature's helpers: every helper file in one translation unit,
 * compiled to LLVM bitcode and linked into the Rust crate's bitcode.
 */

#ifdef __BINDGEN__
#define __rust_helper
#else
#define __rust_helper __attribute__((__always_inline__))
#endif

#include "refcount.c"
