// SPDX-License-Identifier: GPL-2.0

#include <linux/blk-mq.h>
#include <linux/blkdev.h>

sector_t rust_helper_blk_frob_rq_sector(const struct request *rq)
{
	return blk_frob_rq_sector(rq);
}

struct request *rust_helper_blk_frob_rq_from_tag(struct blk_frob_tags *tags,
						 unsigned int tag)
{
	return blk_frob_rq_from_tag(tags, tag);
}
