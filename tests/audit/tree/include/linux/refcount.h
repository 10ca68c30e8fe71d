/* SPDX-License-Identifier: GPL-2.0 */
/* The miniature's refcount: a static inline, as the kernel's headers have. */
#ifndef _MINI_REFCOUNT_H
#define _MINI_REFCOUNT_H

typedef struct {
	int refs;
} refcount_t;

static inline void refcount_inc(refcount_t *r)
{
	/*
	 * The NULL test is what -fno-delete-null-pointer-checks keeps: with
	 * it the helper's code differs from what the Rust side was built
	 * for, and LLVM will not inline it unless it is __always_inline.
	 */
	if (!r)
		__builtin_trap();
	__atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);
}

static inline int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

#endif
