// SPDX-License-Identifier: GPL-2.0

#include <linux/gfp.h>
#include <linux/page_frob.h>

__rust_helper struct page *rust_helper_page_frob_get(struct page_frob *pf)
{
	return page_frob_get(pf);
}

__rust_helper void rust_helper_page_frob_put(struct page_frob *pf,
					     struct page *page)
{
	page_frob_put(pf, page);
}
