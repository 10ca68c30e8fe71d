// SPDX-License-Identifier: GPL-2.0

#include <linux/lockdep.h>

void rust_helper_frob_lockdep_register_key(struct lock_class_key *key)
{
	frob_lockdep_register_key(key);
}

void rust_helper_frob_lockdep_unregister_key(struct lock_class_key *key)
{
	frob_lockdep_unregister_key(key);
}
