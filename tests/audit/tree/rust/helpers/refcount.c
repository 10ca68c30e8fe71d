// SPDX-License-Identifier: GPL-2.0

#include <linux/refcount.h>

void rust_helper_refcount_inc(refcount_t *r)
{
	refcount_inc(r);
}

int rust_helper_refcount_read(const refcount_t *r)
{
	return refcount_read(r);
}
