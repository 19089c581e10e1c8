// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml type1: VFIO_TYPE1_IOMMU and VFIO_TYPE1v2_IOMMU containers. Each
 * group gets a paging domain of its IOMMU, shared with the groups already
 * there when the IOMMU allows; MAP_DMA maps user memory into every domain.
 * This file: the ioctls, the checks of their arguments, group attach and
 * detach. The mappings are in uvfio_type1_dma.c, the valid IOVA and the
 * info capabilities in uvfio_type1_iova.c.
 */
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core/uvfio_private.h"
#include "uvfio_type1.h"

/* Upstream's parameter names, so that its users' settings apply here. */
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "vfio_iommu_type1."

bool uvfio_type1_allow_unsafe_interrupts;
module_param_named(allow_unsafe_interrupts,
		   uvfio_type1_allow_unsafe_interrupts, bool, 0644);
MODULE_PARM_DESC(allow_unsafe_interrupts,
		 "Attach groups whose MSIs the platform cannot isolate.");

bool uvfio_type1_disable_hugepages;
module_param_named(disable_hugepages, uvfio_type1_disable_hugepages, bool,
		   0644);
MODULE_PARM_DESC(disable_hugepages,
		 "Map every page on its own, never as a larger IOMMU page.");

unsigned int uvfio_type1_dma_entry_limit __read_mostly = U16_MAX;
module_param_named(dma_entry_limit, uvfio_type1_dma_entry_limit, uint, 0644);
MODULE_PARM_DESC(dma_entry_limit,
		 "Maximum number of user DMA mappings per container (65535).");

static void *uvfio_type1_open(unsigned long type)
{
	struct uvfio_type1 *t1;

	if (type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU &&
	    type != VFIO_TYPE1_NESTING_IOMMU)
		return ERR_PTR(-EINVAL);
	t1 = kzalloc(sizeof(*t1), GFP_KERNEL);
	if (!t1)
		return ERR_PTR(-ENOMEM);
	t1->v2 = type != VFIO_TYPE1_IOMMU;
	t1->nesting = type == VFIO_TYPE1_NESTING_IOMMU;
	mutex_init(&t1->lock);
	INIT_LIST_HEAD(&t1->domains);
	INIT_LIST_HEAD(&t1->iova_ranges);
	t1->dmas = RB_ROOT;
	t1->dma_avail = uvfio_type1_dma_entry_limit;
	/* No domain yet: any multiple of the CPU's page. */
	t1->pgsize_bitmap = PAGE_MASK;
	return t1;
}

static void uvfio_type1_update_pgsizes(struct uvfio_type1 *t1)
{
	struct uvfio_type1_domain *d;

	t1->pgsize_bitmap = ULONG_MAX;
	list_for_each_entry(d, &t1->domains, next)
		t1->pgsize_bitmap &= d->domain->pgsize_bitmap;
	/* Pages are pinned by the CPU's page: nothing smaller is offered. */
	if (t1->pgsize_bitmap & ~PAGE_MASK) {
		t1->pgsize_bitmap &= PAGE_MASK;
		t1->pgsize_bitmap |= PAGE_SIZE;
	}
}

/*
 * The core detaches every group before it releases the backend (the last
 * group leaving is what releases it), so by then there is no domain and,
 * since mappings go with the last group, no mapping either.
 */
static void uvfio_type1_release(void *data)
{
	struct uvfio_type1 *t1 = data;

	WARN_ON(!list_empty(&t1->domains));
	WARN_ON(!RB_EMPTY_ROOT(&t1->dmas));
	uvfio_iova_free(&t1->iova_ranges);
	mutex_destroy(&t1->lock);
	kfree(t1);
}

static struct uvfio_type1_group *uvfio_type1_find_group(struct uvfio_type1 *t1,
						struct iommu_group *group,
						struct uvfio_type1_domain **dp)
{
	struct uvfio_type1_domain *d;
	struct uvfio_type1_group *g;

	list_for_each_entry(d, &t1->domains, next)
		list_for_each_entry(g, &d->groups, next)
			if (g->iommu_group == group) {
				*dp = d;
				return g;
			}
	return NULL;
}

static int uvfio_type1_alloc_domain(struct device *dev, void *data)
{
	struct iommu_domain **domain = data;

	*domain = iommu_paging_domain_alloc(dev);
	return 1;	/* one device of the group is enough */
}

/*
 * A domain of the same IOMMU with the same coherency can take the group
 * instead of a new one, so that every mapping is made once less.
 * Return: 1 when one did (the new domain, unused, is the caller's to
 * free), 0 when the group stays in the new domain, or the error of
 * attaching it back to the new domain (it is then in none).
 */
static int uvfio_type1_share_domain(struct uvfio_type1 *t1,
				    struct uvfio_type1_domain *new,
				    struct uvfio_type1_group *g)
{
	struct uvfio_type1_domain *d;
	int ret;

	list_for_each_entry(d, &t1->domains, next) {
		if (d->domain->ops != new->domain->ops ||
		    d->coherent != new->coherent)
			continue;
		iommu_detach_group(new->domain, g->iommu_group);
		if (!iommu_attach_group(d->domain, g->iommu_group)) {
			list_add(&g->next, &d->groups);
			return 1;
		}
		ret = iommu_attach_group(new->domain, g->iommu_group);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Called by the core with the container locked. The errors are upstream's:
 * -EBUSY while a vaddr is invalidated (attaching could need to pin),
 * -EINVAL for an aperture or reserved region
 * that cuts off a mapping or leaves nothing, -EPERM for MSIs that are not
 * isolated (unless allow_unsafe_interrupts), -ENOMEM, the IOMMU's.
 */
static int uvfio_type1_attach_group(void *data, struct iommu_group *group)
{
	struct uvfio_type1 *t1 = data;
	struct uvfio_type1_domain *d;
	struct uvfio_type1_group *g;
	LIST_HEAD(ranges);
	int ret;

	/* The core attaches a group once: no duplicate to look for. */
	mutex_lock(&t1->lock);
	ret = -EBUSY;
	if (t1->vaddr_invalid)
		goto out_unlock;
	ret = -ENOMEM;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		goto out_unlock;
	g->iommu_group = group;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto out_free_group;
	INIT_LIST_HEAD(&d->groups);

	iommu_group_for_each_dev(group, &d->domain, uvfio_type1_alloc_domain);
	if (IS_ERR_OR_NULL(d->domain)) {
		ret = d->domain ? PTR_ERR(d->domain) : -ENODEV;
		goto out_free_domain;
	}
	if (t1->nesting) {
		ret = iommu_enable_nesting(d->domain);
		if (ret)
			goto out_domain;
	}
	ret = iommu_attach_group(d->domain, group);
	if (ret)
		goto out_domain;
	ret = uvfio_iova_prepare(t1, d->domain, group, &ranges);
	if (ret)
		goto out_detach;
	if (!uvfio_type1_allow_unsafe_interrupts &&
	    !iommu_group_has_isolated_msi(group)) {
		pr_warn("uvfio_type1: no interrupt remapping: set the parameter vfio_iommu_type1.allow_unsafe_interrupts to attach anyway\n");
		ret = -EPERM;
		goto out_ranges;
	}
	if (d->domain->ops->enforce_cache_coherency)
		d->coherent = d->domain->ops->enforce_cache_coherency(d->domain);

	ret = uvfio_type1_share_domain(t1, d, g);
	if (ret > 0) {
		iommu_domain_free(d->domain);
		kfree(d);
		goto done;
	}
	if (ret < 0) {
		uvfio_iova_free(&ranges);
		goto out_domain;
	}
	ret = uvfio_dma_replay(t1, d->domain);
	if (ret)
		goto out_ranges;
	/*
	 * A software-managed MSI window would need an MSI cookie here; this
	 * platform has no IOMMU_DMA and its IOMMU reports a hardware window.
	 */
	list_add(&g->next, &d->groups);
	list_add(&d->next, &t1->domains);
	uvfio_type1_update_pgsizes(t1);
done:
	uvfio_iova_install(t1, &ranges);
	t1->groups++;
	mutex_unlock(&t1->lock);
	return 0;

out_ranges:
	uvfio_iova_free(&ranges);
out_detach:
	iommu_detach_group(d->domain, group);
out_domain:
	iommu_domain_free(d->domain);
out_free_domain:
	kfree(d);
out_free_group:
	kfree(g);
out_unlock:
	mutex_unlock(&t1->lock);
	return ret;
}

/*
 * Owning a group is what entitles a process to its mappings: when the last
 * group leaves, every mapping goes (the core then releases us anyway).
 */
static void uvfio_type1_detach_group(void *data, struct iommu_group *group)
{
	struct uvfio_type1 *t1 = data;
	struct uvfio_type1_domain *d;
	struct uvfio_type1_group *g;
	bool domain_gone;

	mutex_lock(&t1->lock);
	g = uvfio_type1_find_group(t1, group, &d);
	if (WARN_ON(!g))
		goto out;
	iommu_detach_group(d->domain, group);
	list_del(&g->next);
	kfree(g);
	t1->groups--;
	domain_gone = list_empty(&d->groups);
	if (domain_gone) {
		if (list_is_singular(&t1->domains))
			uvfio_dma_remove_all(t1);
		iommu_domain_free(d->domain);
		list_del(&d->next);
		kfree(d);
		uvfio_type1_update_pgsizes(t1);
	}
	uvfio_iova_refresh(t1, domain_gone);
out:
	mutex_unlock(&t1->lock);
}

static int uvfio_type1_coherent(struct uvfio_type1 *t1)
{
	struct uvfio_type1_domain *d;
	int ret = 1;

	mutex_lock(&t1->lock);
	list_for_each_entry(d, &t1->domains, next)
		if (!d->coherent)
			ret = 0;
	mutex_unlock(&t1->lock);
	return ret;
}

/* @t1 is NULL while the container has no backend yet. */
static long uvfio_type1_check_extension(struct uvfio_type1 *t1,
					unsigned long ext)
{
	switch (ext) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_TYPE1_NESTING_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
		/* Without mediated devices nothing pins behind our back. */
		return !!t1;
	case VFIO_DMA_CC_IOMMU:
		return t1 ? uvfio_type1_coherent(t1) : 0;
	default:
		return 0;
	}
}

static long uvfio_type1_map_dma(struct uvfio_type1 *t1, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	u32 known = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
		    VFIO_DMA_MAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_map map;

	if (copy_from_user(&map, arg, minsz))
		return -EFAULT;
	if (map.argsz < minsz || map.flags & ~known)
		return -EINVAL;
	return uvfio_dma_map(t1, &map);
}

/* A bitmap for @size bytes in pages of @pgsize: at least 1, at most max. */
static int uvfio_type1_check_bitmap(u64 size, struct vfio_bitmap *bitmap)
{
	u64 npages;

	if (!access_ok((void __user *)bitmap->data, bitmap->size))
		return -EINVAL;
	/* Any page size but the container's fails later: so does 0. */
	if (!bitmap->pgsize)
		return -EINVAL;
	npages = size >> __ffs(bitmap->pgsize);
	if (!npages || !bitmap->size || bitmap->size > UVFIO_BITMAP_SIZE_MAX ||
	    bitmap->size < UVFIO_BITMAP_BYTES(npages))
		return -EINVAL;
	return 0;
}

static long uvfio_type1_unmap_dma(struct uvfio_type1 *t1, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	u32 known = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		    VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_unmap unmap;
	struct vfio_bitmap bitmap = {};
	int ret;

	if (copy_from_user(&unmap, arg, minsz))
		return -EFAULT;
	if (unmap.argsz < minsz || unmap.flags & ~known)
		return -EINVAL;
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		if (unmap.flags & (VFIO_DMA_UNMAP_FLAG_ALL |
				   VFIO_DMA_UNMAP_FLAG_VADDR))
			return -EINVAL;
		if (unmap.argsz < minsz + sizeof(bitmap))
			return -EINVAL;
		if (copy_from_user(&bitmap, arg + minsz, sizeof(bitmap)))
			return -EFAULT;
		ret = uvfio_type1_check_bitmap(unmap.size, &bitmap);
		if (ret)
			return ret;
	}
	ret = uvfio_dma_unmap(t1, &unmap, &bitmap);
	if (ret)
		return ret;
	return copy_to_user(arg, &unmap, minsz) ? -EFAULT : 0;
}

static long uvfio_type1_dirty_start(struct uvfio_type1 *t1)
{
	int ret;

	mutex_lock(&t1->lock);
	ret = uvfio_dma_dirty_start(t1);
	mutex_unlock(&t1->lock);
	return ret;
}

static long uvfio_type1_dirty_stop(struct uvfio_type1 *t1)
{
	mutex_lock(&t1->lock);
	uvfio_dma_dirty_stop(t1);
	mutex_unlock(&t1->lock);
	return 0;
}

static long uvfio_type1_dirty_get(struct uvfio_type1 *t1, void __user *arg,
				  u32 argsz)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dirty_bitmap, flags);
	struct vfio_iommu_type1_dirty_bitmap_get range;
	size_t pgsize;
	u64 end;
	int ret;

	if (argsz < minsz + sizeof(range))
		return -EINVAL;
	if (copy_from_user(&range, arg + minsz, sizeof(range)))
		return -EFAULT;
	if (check_add_overflow(range.iova, range.size, &end))
		return -EINVAL;
	ret = uvfio_type1_check_bitmap(range.size, &range.bitmap);
	if (ret)
		return ret;

	mutex_lock(&t1->lock);
	pgsize = uvfio_type1_pgsize(t1);
	ret = -EINVAL;
	if (range.bitmap.pgsize != pgsize || range.iova & (pgsize - 1) ||
	    !range.size || range.size & (pgsize - 1) || !t1->dirty_tracking)
		goto out;
	ret = uvfio_dma_dirty_bitmap(t1, range.bitmap.data, range.iova,
				     range.size);
out:
	mutex_unlock(&t1->lock);
	return ret;
}

static long uvfio_type1_dirty_pages(struct uvfio_type1 *t1, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dirty_bitmap, flags);
	struct vfio_iommu_type1_dirty_bitmap dirty;

	/* Dirty tracking needs v2's unmap rules. */
	if (!t1->v2)
		return -EACCES;
	if (copy_from_user(&dirty, arg, minsz))
		return -EFAULT;
	if (dirty.argsz < minsz)
		return -EINVAL;
	switch (dirty.flags) {
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_START:
		return uvfio_type1_dirty_start(t1);
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP:
		return uvfio_type1_dirty_stop(t1);
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP:
		return uvfio_type1_dirty_get(t1, arg, dirty.argsz);
	default:	/* none, unknown, or more than one */
		return -EINVAL;
	}
}

static long uvfio_type1_ioctl(void *data, unsigned int cmd, unsigned long arg)
{
	struct uvfio_type1 *t1 = data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		return uvfio_type1_check_extension(t1, arg);
	case VFIO_IOMMU_GET_INFO:
		return uvfio_type1_get_info(t1, uarg);
	case VFIO_IOMMU_MAP_DMA:
		return uvfio_type1_map_dma(t1, uarg);
	case VFIO_IOMMU_UNMAP_DMA:
		return uvfio_type1_unmap_dma(t1, uarg);
	case VFIO_IOMMU_DIRTY_PAGES:
		return uvfio_type1_dirty_pages(t1, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct uvfio_iommu_ops uvfio_type1_ops = {
	.name = "uvfio-type1",
	.open = uvfio_type1_open,
	.release = uvfio_type1_release,
	.ioctl = uvfio_type1_ioctl,
	.attach_group = uvfio_type1_attach_group,
	.detach_group = uvfio_type1_detach_group,
};

static int __init uvfio_type1_init(void)
{
	return uvfio_register_iommu_driver(&uvfio_type1_ops);
}
device_initcall(uvfio_type1_init);
