// SPDX-License-Identifier: GPL-2.0

void rust_helper_refcount_inc(int *r)
{
	__atomic_fetch_add(r, 1, __ATOMIC_RELAXED);
}

int rust_helper_refcount_read(const int *r)
{
	return __atomic_load_n(r, __ATOMIC_RELAXED);
}
