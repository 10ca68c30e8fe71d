// SPDX-License-Identifier: GPL-2.0

#include <linux/skbuff.h>
#include <net/frob.h>

struct frob_sock *rust_helper_frob_sk(const struct sock *sk)
{
	return frob_sk(sk);
}

bool rust_helper_frob_sk_is_bound(const struct sock *sk)
{
	return frob_sk_is_bound(sk);
}
