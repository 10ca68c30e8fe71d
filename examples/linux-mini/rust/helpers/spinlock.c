// SPDX-License-Identifier: GPL-2.0

#include <linux/export.h>
#include <linux/spinlock.h>

void rust_helper_spin_frob_init(spinlock_t *lock, const char *name,
				struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	/* Debug builds record the lock's name and class. */
	spin_frob_init_debug(lock, name, key);
#else
	spin_frob_init(lock);
#endif
}

void rust_helper_spin_frob_lock(spinlock_t *lock)
{
	spin_frob_lock(lock);
}

void rust_helper_spin_frob_unlock(spinlock_t *lock)
{
	spin_frob_unlock(lock);
}
