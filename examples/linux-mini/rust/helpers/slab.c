// SPDX-License-Identifier: GPL-2.0

#include <linux/slab.h>

void * __must_check __realloc_size(2)
rust_helper_kfrob_realloc(const void *p, size_t new_size, gfp_t flags)
{
	return kfrob_realloc(p, new_size, flags);
}

size_t rust_helper_kfrob_size(const void *p)
{
	return kfrob_size(p);
}
