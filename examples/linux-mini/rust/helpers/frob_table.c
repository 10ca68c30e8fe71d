// SPDX-License-Identifier: GPL-2.0

#include <linux/frob_table.h>

/* Each frob_table_<field>() accessor is a macro; wrap them all alike. */
#define FROB_TABLE_ACCESSOR(field, type)				\
	type rust_helper_frob_table_##field(const struct frob_table *t)	\
	{								\
		return frob_table_##field(t);				\
	}

FROB_TABLE_ACCESSOR(size, size_t)
FROB_TABLE_ACCESSOR(flags, unsigned long)
FROB_TABLE_ACCESSOR(owner, struct frob_owner *)
