// SPDX-License-Identifier: GPL-2.0
/*
 * Code standing for Rust on arm64, where Debian's rustc has no core
 * library to build against: C functions under v0-mangled Rust names
 * (mini::sync::clone_n, mini::sync::get), calling a helper as the Rust
 * miniature does on x86-64.
 */

void rust_helper_refcount_inc(int *r);

void clone_n(int *r, int n) __asm__("_RNvNtCs1a2b3c_4mini4sync7clone_n");
void get(int *r) __asm__("_RNvNtCs1a2b3c_4mini4sync3get");

void clone_n(int *r, int n)
{
	for (int i = 0; i < n; i++)
		rust_helper_refcount_inc(r);
}

void get(int *r)
{
	rust_helper_refcount_inc(r);
}
