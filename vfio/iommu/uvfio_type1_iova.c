// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOVA a container may map: the intersection of its domains'
 * apertures minus the reserved regions of every attached group (the MSI
 * doorbell window, for instance), kept as a sorted list of disjoint
 * ranges. A group may join only if the list it leaves behind still holds
 * every existing mapping. Also VFIO_IOMMU_GET_INFO, whose IOVA_RANGE
 * capability reports that list.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core/uvfio.h"
#include "uvfio_type1.h"

static int uvfio_iova_add(struct list_head *before, dma_addr_t start,
			  dma_addr_t end)
{
	struct uvfio_iova_range *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->start = start;
	r->end = end;
	list_add_tail(&r->next, before);
	return 0;
}

/**
 * uvfio_iova_free() - empty a list of ranges
 * @ranges: the list
 */
void uvfio_iova_free(struct list_head *ranges)
{
	struct uvfio_iova_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, ranges, next) {
		list_del(&r->next);
		kfree(r);
	}
}

/**
 * uvfio_iova_valid() - may [@start, @end] be mapped?
 * @t1: the backend, locked
 * @start: first byte
 * @end: last byte
 *
 * Return: true when one range holds it all.
 */
bool uvfio_iova_valid(struct uvfio_type1 *t1, dma_addr_t start,
		      dma_addr_t end)
{
	struct uvfio_iova_range *r;

	lockdep_assert_held(&t1->lock);
	list_for_each_entry(r, &t1->iova_ranges, next)
		if (start >= r->start && end <= r->end)
			return true;
	return false;
}

/*
 * Would narrowing the ranges to [start, end] lose a mapping? The lowest
 * and the highest tell. An aperture apart from every range leaves none,
 * which uvfio_iova_exclude() refuses.
 */
static bool uvfio_iova_aperture_conflict(struct uvfio_type1 *t1,
					 dma_addr_t start, dma_addr_t end)
{
	struct rb_node *node = rb_first(&t1->dmas);
	struct uvfio_dma *dma;

	if (!node)
		return false;
	if (rb_entry(node, struct uvfio_dma, node)->iova < start)
		return true;
	dma = rb_entry(rb_last(&t1->dmas), struct uvfio_dma, node);
	return dma->iova + dma->size - 1 > end;
}

/* Relaxable direct regions may be mapped over, as upstream allows. */
static bool uvfio_resv_counts(struct iommu_resv_region *resv)
{
	return resv->type != IOMMU_RESV_DIRECT_RELAXABLE;
}

static bool uvfio_iova_resv_conflict(struct uvfio_type1 *t1,
				     struct list_head *resv_regions)
{
	struct iommu_resv_region *resv;

	list_for_each_entry(resv, resv_regions, list)
		if (uvfio_resv_counts(resv) &&
		    uvfio_dma_find(t1, resv->start, resv->length))
			return true;
	return false;
}

/* Clip @ranges to [start, end]; an empty list becomes that one range. */
static int uvfio_iova_clip(struct list_head *ranges, dma_addr_t start,
			   dma_addr_t end)
{
	struct uvfio_iova_range *r, *tmp;

	if (list_empty(ranges))
		return uvfio_iova_add(ranges, start, end);
	list_for_each_entry_safe(r, tmp, ranges, next) {
		if (r->end < start || r->start > end) {
			list_del(&r->next);
			kfree(r);
			continue;
		}
		r->start = max(r->start, start);
		r->end = min(r->end, end);
	}
	return 0;
}

/* Cut every counted reserved region out of @ranges; none left: -EINVAL. */
static int uvfio_iova_exclude(struct list_head *ranges,
			      struct list_head *resv_regions)
{
	struct uvfio_iova_range *r, *tmp;
	struct iommu_resv_region *resv;
	int ret;

	list_for_each_entry(resv, resv_regions, list) {
		dma_addr_t start = resv->start;
		dma_addr_t end = resv->start + resv->length - 1;

		if (!uvfio_resv_counts(resv))
			continue;
		list_for_each_entry_safe(r, tmp, ranges, next) {
			if (start > r->end || end < r->start)
				continue;
			/* What is left on either side, in order, before r. */
			ret = 0;
			if (start > r->start)
				ret = uvfio_iova_add(&r->next, r->start,
						     start - 1);
			if (!ret && end < r->end)
				ret = uvfio_iova_add(&r->next, end + 1, r->end);
			if (ret)
				return ret;
			list_del(&r->next);
			kfree(r);
		}
	}
	return list_empty(ranges) ? -EINVAL : 0;
}

static void uvfio_resv_free(struct list_head *resv_regions)
{
	struct iommu_resv_region *resv, *tmp;

	list_for_each_entry_safe(resv, tmp, resv_regions, list) {
		list_del(&resv->list);
		kfree(resv);
	}
}

static int uvfio_iova_copy(struct uvfio_type1 *t1, struct list_head *copy)
{
	struct uvfio_iova_range *r;
	int ret;

	list_for_each_entry(r, &t1->iova_ranges, next) {
		ret = uvfio_iova_add(copy, r->start, r->end);
		if (ret) {
			uvfio_iova_free(copy);
			return ret;
		}
	}
	return 0;
}

/**
 * uvfio_iova_prepare() - the ranges once a group has joined
 * @t1: the backend, locked
 * @domain: the domain the group is attached to (its aperture)
 * @group: the joining group (its reserved regions)
 * @ranges: an empty list, filled on success
 *
 * Nothing of @t1 changes; uvfio_iova_install() puts @ranges in place once
 * the attach can no longer fail.
 *
 * Return: 0; -EINVAL when the aperture or a reserved region would cut a
 * mapping off, or nothing would be left to map; -ENOMEM.
 */
int uvfio_iova_prepare(struct uvfio_type1 *t1, struct iommu_domain *domain,
		       struct iommu_group *group, struct list_head *ranges)
{
	struct iommu_domain_geometry *geo = &domain->geometry;
	LIST_HEAD(resv_regions);
	int ret;

	lockdep_assert_held(&t1->lock);
	if (uvfio_iova_aperture_conflict(t1, geo->aperture_start,
					 geo->aperture_end))
		return -EINVAL;
	ret = iommu_get_group_resv_regions(group, &resv_regions);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (uvfio_iova_resv_conflict(t1, &resv_regions))
		goto out;
	ret = uvfio_iova_copy(t1, ranges);
	if (!ret)
		ret = uvfio_iova_clip(ranges, geo->aperture_start,
				      geo->aperture_end);
	if (!ret)
		ret = uvfio_iova_exclude(ranges, &resv_regions);
	if (ret)
		uvfio_iova_free(ranges);
out:
	uvfio_resv_free(&resv_regions);
	return ret;
}

/**
 * uvfio_iova_install() - replace the ranges
 * @t1: the backend, locked
 * @ranges: from uvfio_iova_prepare(); left empty
 */
void uvfio_iova_install(struct uvfio_type1 *t1, struct list_head *ranges)
{
	lockdep_assert_held(&t1->lock);
	uvfio_iova_free(&t1->iova_ranges);
	list_splice_init(ranges, &t1->iova_ranges);
}

/**
 * uvfio_iova_refresh() - recompute the ranges after a group has left
 * @t1: the backend, locked; the group is off its lists already
 * @domain_gone: the group's domain went with it, so the apertures of
 *	those left may allow more
 *
 * Reserved regions may be shared between groups, so the ranges are built
 * anew from those still attached. Should that fail (memory), the old,
 * narrower ranges stay: safe, only less is mappable.
 */
void uvfio_iova_refresh(struct uvfio_type1 *t1, bool domain_gone)
{
	struct uvfio_type1_domain *d;
	struct uvfio_type1_group *g;
	struct uvfio_iova_range *first, *last;
	dma_addr_t start, end;
	LIST_HEAD(resv_regions);
	LIST_HEAD(ranges);

	lockdep_assert_held(&t1->lock);
	if (list_empty(&t1->iova_ranges))
		return;
	first = list_first_entry(&t1->iova_ranges, typeof(*first), next);
	last = list_last_entry(&t1->iova_ranges, typeof(*last), next);
	start = first->start;
	end = last->end;
	if (domain_gone) {
		start = 0;
		end = ~(dma_addr_t)0;
		list_for_each_entry(d, &t1->domains, next) {
			start = max(start, d->domain->geometry.aperture_start);
			end = min(end, d->domain->geometry.aperture_end);
		}
	}
	list_for_each_entry(d, &t1->domains, next)
		list_for_each_entry(g, &d->groups, next)
			if (iommu_get_group_resv_regions(g->iommu_group,
							 &resv_regions))
				goto out;
	if (!uvfio_iova_add(&ranges, start, end) &&
	    !uvfio_iova_exclude(&ranges, &resv_regions))
		uvfio_iova_install(t1, &ranges);
out:
	uvfio_iova_free(&ranges);
	uvfio_resv_free(&resv_regions);
}

static int uvfio_cap_migration(struct uvfio_type1 *t1,
			       struct uvfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_info_cap_header *hdr;

	hdr = uvfio_info_cap_add(caps, sizeof(*mig),
				 VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	mig = container_of(hdr, typeof(*mig), header);
	mig->flags = 0;
	/* Dirty bitmaps are kept in the smallest page size only. */
	mig->pgsize_bitmap = uvfio_type1_pgsize(t1);
	mig->max_dirty_bitmap_size = UVFIO_BITMAP_SIZE_MAX;
	return 0;
}

static int uvfio_cap_dma_avail(struct uvfio_type1 *t1,
			       struct uvfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_info_cap_header *hdr;

	hdr = uvfio_info_cap_add(caps, sizeof(*avail),
				 VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	avail = container_of(hdr, typeof(*avail), header);
	avail->avail = t1->dma_avail;
	return 0;
}

static int uvfio_cap_iova_range(struct uvfio_type1 *t1,
				struct uvfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_iova_range *cap;
	struct vfio_info_cap_header *hdr;
	struct uvfio_iova_range *r;
	unsigned int n = 0;

	list_for_each_entry(r, &t1->iova_ranges, next)
		n++;
	if (!n)
		return 0;
	hdr = uvfio_info_cap_add(caps, struct_size(cap, iova_ranges, n),
				 VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	cap = container_of(hdr, typeof(*cap), header);
	cap->nr_iovas = n;
	n = 0;
	list_for_each_entry(r, &t1->iova_ranges, next) {
		cap->iova_ranges[n].start = r->start;
		cap->iova_ranges[n].end = r->end;
		n++;
	}
	return 0;
}

/* The chain, in upstream's order. */
static int (* const uvfio_type1_caps[])(struct uvfio_type1 *t1,
					struct uvfio_info_cap *caps) = {
	uvfio_cap_migration,
	uvfio_cap_dma_avail,
	uvfio_cap_iova_range,
};

/**
 * uvfio_type1_get_info() - VFIO_IOMMU_GET_INFO
 * @t1: the backend
 * @arg: struct vfio_iommu_type1_info in user memory
 *
 * Return: 0 (also when argsz was raised for the chain), -EFAULT, -EINVAL
 * for an argsz below the structure up to iova_pgsizes, -ENOMEM.
 */
long uvfio_type1_get_info(struct uvfio_type1 *t1, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_info, iova_pgsizes);
	struct vfio_iommu_type1_info info = {};
	struct uvfio_info_cap caps = {};
	unsigned int i;
	int ret = 0;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	/* Only what the caller's argsz has room for, even once raised. */
	minsz = min_t(size_t, info.argsz, sizeof(info));

	mutex_lock(&t1->lock);
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = t1->pgsize_bitmap;
	for (i = 0; i < ARRAY_SIZE(uvfio_type1_caps) && !ret; i++)
		ret = uvfio_type1_caps[i](t1, &caps);
	mutex_unlock(&t1->lock);
	if (ret)
		return ret;

	if (caps.size)
		info.flags |= VFIO_IOMMU_INFO_CAPS;
	ret = uvfio_info_cap_copy(&caps, arg, sizeof(info), &info.argsz,
				  &info.cap_offset);
	if (ret)
		return ret;
	if (copy_to_user(arg, &info, minsz))
		return -EFAULT;
	return 0;
}
