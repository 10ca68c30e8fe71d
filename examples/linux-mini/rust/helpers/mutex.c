// SPDX-License-Identifier: GPL-2.0

#include <linux/export.h>
#include <linux/mutex.h>

void rust_helper_mutex_frob_lock(struct mutex *lock)
{
	mutex_frob_lock(lock);
}

int rust_helper_mutex_frob_trylock(struct mutex *lock)
{
	return mutex_frob_trylock(lock);
}

void rust_helper___mutex_frob_init(struct mutex *lock, const char *name,
				   struct lock_class_key *key)
{
	__mutex_frob_init(lock, name, key);
}
