// SPDX-License-Identifier: GPL-2.0

#include <linux/err.h>
#include <linux/frob_err.h>

__force void *rust_helper_FROB_ERR_CAST(__force const void *ptr)
{
	return FROB_ERR_CAST(ptr);
}

int rust_helper_FROB_PTR_ERR_OR_ZERO(__force const void *ptr)
{
	return FROB_PTR_ERR_OR_ZERO(ptr);
}
