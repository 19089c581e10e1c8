// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mappings of a type1 container: a tree of struct uvfio_dma by IOVA,
 * the user pages behind each pinned for the long term and charged to the
 * mapper's locked_vm, mapped in every domain. Physically contiguous runs
 * of pages go to the IOMMU as one call, so it can use its larger pages.
 * A VM_PFNMAP mapping (a device BAR mapped by its driver) is taken when
 * its pages are reserved or not RAM at all: such pages are neither pinned
 * nor charged. The IOMMU's page table is the record of what was pinned:
 * unmapping walks the first domain to find the pages to unpin, so no
 * per-page state is kept here.
 */
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_type1.h"

/* Pages pinned per pin_user_pages_remote() call for a large mapping. */
#define UVFIO_BATCH_MAX		(PAGE_SIZE / sizeof(struct page *))
/* Mappings this small pin into an array on the stack. */
#define UVFIO_BATCH_SMALL	16

/**
 * struct uvfio_batch - pages pinned but not yet mapped
 * @pages: the array
 * @capacity: entries in @pages
 * @size: pinned pages left, from @offset on
 * @offset: the next one to use, set with @size
 * @pfnmap: a VM_PFNMAP page found but not yet used (@pfn)
 * @pfn: that page
 * @small: the array for small mappings
 */
struct uvfio_batch {
	struct page **pages;
	unsigned long capacity;
	unsigned long size;
	unsigned long offset;
	bool pfnmap;
	unsigned long pfn;
	struct page *small[UVFIO_BATCH_SMALL];
};

static void uvfio_batch_init(struct uvfio_batch *b, unsigned long npage)
{
	b->size = 0;
	b->pfnmap = false;
	b->pages = b->small;
	b->capacity = uvfio_type1_disable_hugepages ? 1 : UVFIO_BATCH_SMALL;
	if (npage <= b->capacity)
		return;
	b->pages = (struct page **)__get_free_page(GFP_KERNEL);
	if (b->pages) {
		b->capacity = UVFIO_BATCH_MAX;
		return;
	}
	b->pages = b->small;
}

/* Unpin what was pinned and not used, then free the array. */
static void uvfio_batch_fini(struct uvfio_batch *b, int prot)
{
	if (b->size)
		unpin_user_pages_dirty_lock(&b->pages[b->offset], b->size,
					    prot & IOMMU_WRITE);
	if (b->pages != b->small)
		free_page((unsigned long)b->pages);
}

/* Unpin a run of pages; what a writable mapping held may be written. */
static void uvfio_unpin_run(unsigned long pfn, unsigned long npage, int prot)
{
	unpin_user_page_range_dirty_lock(pfn_to_page(pfn), npage,
					 prot & IOMMU_WRITE);
}

/**
 * uvfio_dma_find() - a mapping that overlaps [@start, @start + @size)
 * @t1: the backend, locked
 * @start: first IOVA
 * @size: bytes; 0 finds a mapping around @start, not one that begins
 *	there (enough for the last byte of a page-aligned range)
 *
 * Return: any overlapping mapping, or NULL.
 */
struct uvfio_dma *uvfio_dma_find(struct uvfio_type1 *t1, dma_addr_t start,
				 size_t size)
{
	struct rb_node *node = t1->dmas.rb_node;

	while (node) {
		struct uvfio_dma *dma = rb_entry(node, struct uvfio_dma, node);

		if (start + size <= dma->iova)
			node = node->rb_left;
		else if (start >= dma->iova + dma->size)
			node = node->rb_right;
		else
			return dma;
	}
	return NULL;
}

/*
 * Whether [@iova, @iova + @size) cuts a mapping in two: one that starts
 * before an end of the range and ends after it, what a find of no size
 * matches.
 */
static bool uvfio_dma_bisected(struct uvfio_type1 *t1, dma_addr_t iova,
			       size_t size)
{
	return uvfio_dma_find(t1, iova, 0) || uvfio_dma_find(t1, iova + size, 0);
}

/*
 * The lowest mapping that ends after @start; callers walk on from it and
 * stop at the end of their range.
 */
static struct rb_node *uvfio_dma_first(struct uvfio_type1 *t1, dma_addr_t start)
{
	struct rb_node *node = t1->dmas.rb_node, *found = NULL;

	while (node) {
		struct uvfio_dma *dma = rb_entry(node, struct uvfio_dma, node);

		if (start < dma->iova + dma->size) {
			found = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

/* Mappings never overlap: their starts order them. */
static bool uvfio_dma_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct uvfio_dma, node)->iova <
	       rb_entry(b, struct uvfio_dma, node)->iova;
}

/* Charge (@npage > 0) or uncharge pages to @mm's locked_vm. */
static int uvfio_mm_charge(struct task_struct *task, struct mm_struct *mm,
			   bool lock_cap, long npage)
{
	int ret;

	if (!npage)
		return 0;
	ret = mmap_write_lock_killable(mm);
	if (ret)
		return ret;
	ret = __account_locked_vm(mm, abs(npage), npage > 0, task, lock_cap);
	mmap_write_unlock(mm);
	return ret;
}

/* Uncharge @mm, unless it is gone (then there is no one to). */
static void uvfio_mm_uncharge(struct task_struct *task, struct mm_struct *mm,
			      bool lock_cap, long npage)
{
	if (npage && mmget_not_zero(mm)) {
		uvfio_mm_charge(task, mm, lock_cap, -npage);
		mmput(mm);
	}
}

static void uvfio_dma_uncharge(struct uvfio_dma *dma, long npage)
{
	uvfio_mm_uncharge(dma->task, dma->mm, dma->lock_cap, npage);
	dma->locked -= npage;
}

/* Pages that are not RAM, or RAM the kernel keeps: never pinned. */
static bool uvfio_pfn_reserved(unsigned long pfn)
{
	return !pfn_valid(pfn) || PageReserved(pfn_to_page(pfn));
}

static long uvfio_pin_user(struct mm_struct *mm, unsigned long vaddr,
			   unsigned long npage, int prot, struct page **pages)
{
	unsigned int flags = FOLL_LONGTERM;
	long ret;

	if (prot & IOMMU_WRITE)
		flags |= FOLL_WRITE;
	mmap_read_lock(mm);
	ret = pin_user_pages_remote(mm, vaddr, npage, flags, pages, NULL);
	mmap_read_unlock(mm);
	/* Not even one page (a hole, or I/O memory): the address is bad. */
	return ret ?: -EFAULT;
}

/*
 * The page of a VM_PFNMAP mapping at @vaddr, faulted in if need be.
 * Return: 0; 1 when @vaddr is not in such a mapping; -EFAULT for a page
 * of ordinary RAM (it could not be kept from being freed) or a read-only
 * mapping asked to be written; the fault's error.
 */
static int uvfio_follow_pfn(struct mm_struct *mm, unsigned long vaddr,
			    int prot, unsigned long *pfn)
{
	unsigned int fault = FAULT_FLAG_REMOTE;
	struct follow_pfnmap_args args;
	struct vm_area_struct *vma;
	bool unlocked;
	int ret;

	if (prot & IOMMU_WRITE)
		fault |= FAULT_FLAG_WRITE;
	mmap_read_lock(mm);
retry:
	ret = 1;
	vma = vma_lookup(mm, vaddr);
	if (!vma || !(vma->vm_flags & VM_PFNMAP))
		goto out;
	args = (struct follow_pfnmap_args){ .vma = vma, .address = vaddr };
	if (follow_pfnmap_start(&args)) {
		unlocked = false;
		ret = fixup_user_fault(mm, vaddr, fault, &unlocked);
		/* The lock was dropped: the vma may be another one now. */
		if (unlocked)
			goto retry;
		if (!ret)
			ret = follow_pfnmap_start(&args);
		if (ret)
			goto out;
	}
	ret = -EFAULT;
	if ((!(prot & IOMMU_WRITE) || args.writable) &&
	    uvfio_pfn_reserved(args.pfn)) {
		*pfn = args.pfn;
		ret = 0;
	}
	follow_pfnmap_end(&args);
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * The next page at @vaddr, pinned into @b if need be; not consumed.
 * *@rsvd: a page of a VM_PFNMAP mapping (reserved, not pinned).
 */
static int uvfio_peek_pfn(struct uvfio_dma *dma, struct uvfio_batch *b,
			  struct mm_struct *mm, unsigned long vaddr,
			  unsigned long npage, unsigned long *pfn, bool *rsvd)
{
	long ret;

	if (!b->size && !b->pfnmap) {
		cond_resched();
		ret = uvfio_pin_user(mm, vaddr, min(npage, b->capacity),
				     dma->prot, b->pages);
		if (ret < 0) {
			int err = uvfio_follow_pfn(mm, vaddr, dma->prot,
						   &b->pfn);

			if (err)
				return err > 0 ? ret : err;
			b->pfnmap = true;
		} else {
			b->size = ret;
			b->offset = 0;
		}
	}
	*rsvd = b->pfnmap;
	*pfn = b->pfnmap ? b->pfn : page_to_pfn(b->pages[b->offset]);
	return 0;
}

/*
 * Pin from @vaddr and return the first run of pages that are physically
 * contiguous and alike (all pinned or all of a VM_PFNMAP mapping), at most
 * @npage, the pinned ones charged to the mapping; *@pfn is its first page.
 * Pages pinned past the run stay in @b for the next call. (A page pinned
 * by GUP is taken as pinned without reading its flags, which costs a cache
 * miss a page; unmapping, which has only the pfn, tells by the flags.)
 */
static long uvfio_pin_run(struct uvfio_dma *dma, struct uvfio_batch *b,
			  unsigned long vaddr, unsigned long npage,
			  unsigned long *pfn, bool *pinned)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct mm_struct *mm = current->mm;
	long run = 0, ret;
	bool rsvd;

	/* Only MAP_DMA pins, always from the caller's own memory. */
	if (!mm)
		return -ENODEV;
	/* At least a page: the first one peeked sets rsvd. */
	do {
		unsigned long p;
		bool r;

		ret = uvfio_peek_pfn(dma, b, mm, vaddr, npage, &p, &r);
		if (ret)
			goto unpin;
		if (!run) {
			*pfn = p;
			rsvd = r;
		} else if (p != *pfn + run || r != rsvd) {
			break;
		}
		if (r) {
			b->pfnmap = false;
			run++;
			npage--;
			vaddr += PAGE_SIZE;
		}
		/* What GUP pinned: take the contiguous ones in one go. */
		for (; b->size && npage; b->size--, b->offset++, npage--) {
			if (page_to_pfn(b->pages[b->offset]) != *pfn + run)
				goto done;
			run++;
			vaddr += PAGE_SIZE;
		}
		if (uvfio_type1_disable_hugepages)
			break;
	} while (npage);
done:
	*pinned = !rsvd;
	if (rsvd)
		return run;
	if (!dma->lock_cap && mm->locked_vm + run > limit) {
		pr_warn_ratelimited("uvfio_type1: RLIMIT_MEMLOCK (%lu) exceeded\n",
				    limit << PAGE_SHIFT);
		ret = -ENOMEM;
		goto unpin;
	}
	ret = uvfio_mm_charge(dma->task, dma->mm, dma->lock_cap, run);
	if (ret)
		goto unpin;
	dma->locked += run;
	return run;
unpin:
	if (run && !rsvd)
		uvfio_unpin_run(*pfn, run, dma->prot);
	return ret;
}

static int uvfio_domains_map(struct uvfio_type1 *t1, dma_addr_t iova,
			     unsigned long pfn, unsigned long npage, int prot)
{
	struct uvfio_type1_domain *d;
	int ret;

	list_for_each_entry(d, &t1->domains, next) {
		ret = iommu_map(d->domain, iova, PFN_PHYS(pfn),
				npage << PAGE_SHIFT, prot | IOMMU_CACHE,
				GFP_KERNEL_ACCOUNT);
		if (ret)
			goto unwind;
	}
	return 0;
unwind:
	list_for_each_entry_continue_reverse(d, &t1->domains, next)
		iommu_unmap(d->domain, iova, npage << PAGE_SHIFT);
	return ret;
}

/*
 * The length of the run at @iova, at most @max, that is physically
 * contiguous and all pinned RAM or all reserved, as it was pinned.
 */
static size_t uvfio_phys_run(struct iommu_domain *domain, dma_addr_t iova,
			     phys_addr_t phys, size_t max, bool rsvd)
{
	size_t len = PAGE_SIZE;

	while (len < max &&
	       iommu_iova_to_phys(domain, iova + len) == phys + len &&
	       uvfio_pfn_reserved(PHYS_PFN(phys + len)) == rsvd)
		len += PAGE_SIZE;
	return len;
}

/*
 * Unmap a mapping from every domain and unpin its pages, which the first
 * domain still translates to until the very end.
 */
static void uvfio_dma_unpin(struct uvfio_type1 *t1, struct uvfio_dma *dma)
{
	dma_addr_t iova = dma->iova, end = dma->iova + dma->size;
	struct uvfio_type1_domain *first, *d;

	/*
	 * Nothing mapped yet: a map that failed at once. A mapping never
	 * outlives the domains, the last detach removes every one first.
	 */
	if (!dma->size)
		return;
	first = list_first_entry(&t1->domains, typeof(*first), next);
	d = first;
	list_for_each_entry_continue(d, &t1->domains, next)
		iommu_unmap(d->domain, dma->iova, dma->size);

	while (iova < end) {
		phys_addr_t phys = iommu_iova_to_phys(first->domain, iova);
		size_t len, unmapped;
		bool rsvd;

		if (WARN_ON_ONCE(!phys)) {
			iova += PAGE_SIZE;
			continue;
		}
		rsvd = uvfio_pfn_reserved(PHYS_PFN(phys));
		len = uvfio_phys_run(first->domain, iova, phys, end - iova,
				     rsvd);
		unmapped = iommu_unmap(first->domain, iova, len);
		if (WARN_ON_ONCE(!unmapped))
			break;
		if (!rsvd)
			uvfio_unpin_run(PHYS_PFN(phys), unmapped >> PAGE_SHIFT,
					dma->prot);
		iova += unmapped;
		cond_resched();
	}
}

static void uvfio_dma_remove(struct uvfio_type1 *t1, struct uvfio_dma *dma)
{
	uvfio_dma_unpin(t1, dma);
	uvfio_dma_uncharge(dma, dma->locked);
	rb_erase(&dma->node, &t1->dmas);
	put_task_struct(dma->task);
	mmdrop(dma->mm);
	if (dma->vaddr_invalid)
		t1->vaddr_invalid--;
	kvfree(dma->bitmap);
	kfree(dma);
	t1->dma_avail++;
}

/**
 * uvfio_dma_remove_all() - unmap, unpin and uncharge every mapping
 * @t1: the backend, locked, or being released
 */
void uvfio_dma_remove_all(struct uvfio_type1 *t1)
{
	struct rb_node *node;

	while ((node = rb_first(&t1->dmas)))
		uvfio_dma_remove(t1, rb_entry(node, struct uvfio_dma, node));
}

/* Pin and map @size bytes of a new mapping, growing dma->size. */
static int uvfio_dma_pin_map(struct uvfio_type1 *t1, struct uvfio_dma *dma,
			     size_t size)
{
	unsigned long npage = size >> PAGE_SHIFT;
	struct uvfio_batch b;
	long ret;

	uvfio_batch_init(&b, npage);
	/* At least a page: every way out of the loop has set ret. */
	do {
		unsigned long pfn;
		bool run_pinned;
		long run = uvfio_pin_run(dma, &b, dma->vaddr + dma->size,
					 npage, &pfn, &run_pinned);

		if (run < 0) {
			ret = run;
			break;
		}
		ret = uvfio_domains_map(t1, dma->iova + dma->size, pfn, run,
					dma->prot);
		if (ret) {
			if (run_pinned) {
				uvfio_unpin_run(pfn, run, dma->prot);
				uvfio_dma_uncharge(dma, run);
			}
			break;
		}
		npage -= run;
		dma->size += (size_t)run << PAGE_SHIFT;
	} while (npage);
	uvfio_batch_fini(&b, dma->prot);
	if (ret)
		uvfio_dma_remove(t1, dma);
	return ret;
}

static int uvfio_dma_bitmap_alloc(struct uvfio_type1 *t1, struct uvfio_dma *dma)
{
	u64 npages = dma->size / uvfio_type1_pgsize(t1);

	if (npages > UVFIO_BITMAP_PAGES_MAX)
		return -EINVAL;
	/* The spare word takes what a report shifts past the last page. */
	dma->bitmap = kvzalloc(UVFIO_BITMAP_BYTES(npages) + sizeof(u64),
			       GFP_KERNEL);
	return dma->bitmap ? 0 : -ENOMEM;
}

/**
 * uvfio_dma_dirty_start() - DIRTY_PAGES START: a bitmap for every mapping
 * @t1: the backend, locked
 *
 * Return: 0 (also when tracking already), -EINVAL for a mapping of more
 * than INT_MAX pages, -ENOMEM; on error nothing is tracked.
 */
int uvfio_dma_dirty_start(struct uvfio_type1 *t1)
{
	struct rb_node *n;
	int ret;

	lockdep_assert_held(&t1->lock);
	if (t1->dirty_tracking)
		return 0;
	for (n = rb_first(&t1->dmas); n; n = rb_next(n)) {
		ret = uvfio_dma_bitmap_alloc(t1, rb_entry(n, struct uvfio_dma,
							  node));
		if (ret) {
			uvfio_dma_dirty_stop(t1);
			return ret;
		}
	}
	t1->dirty_tracking = true;
	return 0;
}

/**
 * uvfio_dma_dirty_stop() - DIRTY_PAGES STOP: the bitmaps go
 * @t1: the backend, locked
 */
void uvfio_dma_dirty_stop(struct uvfio_type1 *t1)
{
	struct rb_node *n;

	lockdep_assert_held(&t1->lock);
	for (n = rb_first(&t1->dmas); n; n = rb_next(n)) {
		struct uvfio_dma *dma = rb_entry(n, struct uvfio_dma, node);

		kvfree(dma->bitmap);
		dma->bitmap = NULL;
	}
	t1->dirty_tracking = false;
}

/* FLAG_VADDR from another process: the charge moves to its mm. */
static int uvfio_dma_change_owner(struct uvfio_dma *dma)
{
	struct task_struct *task = current->group_leader;
	struct mm_struct *mm = current->mm;
	bool lock_cap;
	int ret;

	if (mm == dma->mm)
		return 0;
	lock_cap = capable(CAP_IPC_LOCK);
	ret = uvfio_mm_charge(task, mm, lock_cap, dma->locked);
	if (ret)
		return ret;
	uvfio_mm_uncharge(dma->task, dma->mm, dma->lock_cap, dma->locked);
	get_task_struct(task);
	put_task_struct(dma->task);
	dma->task = task;
	mmdrop(dma->mm);
	dma->mm = mm;
	mmgrab(mm);
	dma->lock_cap = lock_cap;
	return 0;
}

/* MAP_DMA with FLAG_VADDR: give an invalidated mapping its new vaddr. */
static int uvfio_dma_set_vaddr(struct uvfio_type1 *t1, struct uvfio_dma *dma,
			       struct vfio_iommu_type1_dma_map *map)
{
	int ret;

	if (!dma)
		return -ENOENT;
	if (!dma->vaddr_invalid || dma->iova != map->iova ||
	    dma->size != map->size)
		return -EINVAL;
	ret = uvfio_dma_change_owner(dma);
	if (ret)
		return ret;
	dma->vaddr = map->vaddr;
	dma->vaddr_invalid = false;
	t1->vaddr_invalid--;
	return 0;
}

/**
 * uvfio_dma_map() - the work of VFIO_IOMMU_MAP_DMA
 * @t1: the backend
 * @map: the request, flags already checked against the known ones
 *
 * Return: 0; -EINVAL for no or both of READ/WRITE and VADDR, a zero or
 * unaligned size, iova or vaddr, a range that wraps or lies outside the
 * valid IOVA; -EEXIST when it overlaps a mapping; -ENOSPC past
 * dma_entry_limit; -ENOMEM past RLIMIT_MEMLOCK or out of memory; the
 * pinning's or the IOMMU's error. With FLAG_VADDR: -ENOENT when nothing
 * is mapped there, -EINVAL unless it is exactly one invalidated mapping.
 */
int uvfio_dma_map(struct uvfio_type1 *t1, struct vfio_iommu_type1_dma_map *map)
{
	bool set_vaddr = map->flags & VFIO_DMA_MAP_FLAG_VADDR;
	u64 iova = map->iova, vaddr = map->vaddr, size = map->size;
	struct uvfio_dma *dma;
	int prot = 0, ret;

	if (map->flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if (map->flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if (!prot == !set_vaddr)
		return -EINVAL;
	/* A 32-bit kernel takes neither a 64-bit size nor a 64-bit address. */
	if (overflows_type(size | vaddr, size_t))
		return -EINVAL;

	mutex_lock(&t1->lock);
	ret = -EINVAL;
	if (!size || (size | iova | vaddr) & (uvfio_type1_pgsize(t1) - 1))
		goto out;
	if (iova + size - 1 < iova || vaddr + size - 1 < vaddr)
		goto out;

	dma = uvfio_dma_find(t1, iova, size);
	if (set_vaddr) {
		ret = uvfio_dma_set_vaddr(t1, dma, map);
		goto out;
	}
	ret = -EEXIST;
	if (dma)
		goto out;
	ret = -ENOSPC;
	if (!t1->dma_avail)
		goto out;
	ret = -EINVAL;
	if (!uvfio_iova_valid(t1, iova, iova + size - 1))
		goto out;
	ret = -ENOMEM;
	dma = kzalloc(sizeof(*dma), GFP_KERNEL);
	if (!dma)
		goto out;

	t1->dma_avail--;
	dma->iova = iova;
	dma->vaddr = vaddr;
	dma->prot = prot;
	/* RLIMIT_MEMLOCK is the thread group's; locked_vm is the mm's. */
	dma->task = get_task_struct(current->group_leader);
	dma->lock_cap = capable(CAP_IPC_LOCK);
	dma->mm = current->mm;
	mmgrab(dma->mm);
	/* Linked empty; it grows as its runs are mapped. */
	rb_add(&dma->node, &t1->dmas, uvfio_dma_less);
	ret = uvfio_dma_pin_map(t1, dma, size);
	if (!ret && t1->dirty_tracking) {
		ret = uvfio_dma_bitmap_alloc(t1, dma);
		if (ret)
			uvfio_dma_remove(t1, dma);
	}
out:
	mutex_unlock(&t1->lock);
	return ret;
}

/*
 * Write the dirty bits of @dma into the user's bitmap, whose bit 0 is
 * @base. Every group can write anywhere it is mapped, so while one is
 * attached every page is dirty (upstream's exception, a mapping of a
 * container with mediated devices only, has no case here). The mapping's
 * own bitmap is shifted in place to the user's bit offset and, when that
 * is inside a word, ORed with the user's word (bits of mappings before
 * it), then copied as whole words. As upstream, that bitmap keeps what it was
 * ORed with and shifted up past its pages until the next report clears
 * only its pages' bits: later reports can carry those bits again.
 */
static int uvfio_dma_report_dirty(struct uvfio_type1 *t1, u64 __user *bitmap,
				  struct uvfio_dma *dma, dma_addr_t base)
{
	unsigned long pgshift = __ffs(uvfio_type1_pgsize(t1));
	unsigned long nbits = dma->size >> pgshift;
	unsigned long offset = (dma->iova - base) >> pgshift;
	unsigned long word = offset / BITS_PER_LONG;
	unsigned long shift = offset % BITS_PER_LONG;
	unsigned long old;

	if (t1->groups)
		bitmap_set(dma->bitmap, 0, nbits);
	if (shift) {
		bitmap_shift_left(dma->bitmap, dma->bitmap, shift,
				  nbits + shift);
		if (get_user(old, (unsigned long __user *)(bitmap + word)))
			return -EFAULT;
		dma->bitmap[0] |= old;
	}
	if (copy_to_user(bitmap + word, dma->bitmap,
			 UVFIO_BITMAP_BYTES(nbits + shift)))
		return -EFAULT;
	return 0;
}

/**
 * uvfio_dma_dirty_bitmap() - DIRTY_PAGES GET_BITMAP of [@iova, +@size)
 * @t1: the backend, locked, tracking
 * @bitmap: the user's bitmap, size checked by the caller
 * @iova: first IOVA, aligned
 * @size: bytes, aligned
 *
 * Return: 0, -EINVAL when the range bisects a mapping, -EFAULT.
 */
int uvfio_dma_dirty_bitmap(struct uvfio_type1 *t1, u64 __user *bitmap,
			   dma_addr_t iova, size_t size)
{
	struct uvfio_dma *dma;
	struct rb_node *n;
	int ret;

	lockdep_assert_held(&t1->lock);
	if (uvfio_dma_bisected(t1, iova, size))
		return -EINVAL;
	for (n = uvfio_dma_first(t1, iova); n; n = rb_next(n)) {
		dma = rb_entry(n, struct uvfio_dma, node);
		if (dma->iova > iova + size - 1)
			break;
		ret = uvfio_dma_report_dirty(t1, bitmap, dma, iova);
		if (ret)
			return ret;
		/* Reported: dirty again only by what pins (nothing here). */
		bitmap_clear(dma->bitmap, 0, dma->size >> __ffs(
			     uvfio_type1_pgsize(t1)));
	}
	return 0;
}

/* UNMAP_DMA with FLAG_VADDR: all of the range's mappings or none. */
static int uvfio_dma_invalidate_vaddr(struct uvfio_type1 *t1,
				      struct rb_node *first, dma_addr_t iova,
				      u64 size, size_t *unmapped)
{
	struct rb_node *n, *undo;
	struct uvfio_dma *dma;

	for (n = first; n; n = rb_next(n)) {
		dma = rb_entry(n, struct uvfio_dma, node);
		if (dma->iova >= iova + size)
			break;
		if (!t1->v2 && iova > dma->iova)
			break;
		if (dma->vaddr_invalid)
			goto undo;
		dma->vaddr_invalid = true;
		t1->vaddr_invalid++;
		*unmapped += dma->size;
	}
	return 0;
undo:
	for (undo = first; undo != n; undo = rb_next(undo)) {
		dma = rb_entry(undo, struct uvfio_dma, node);
		dma->vaddr_invalid = false;
		t1->vaddr_invalid--;
	}
	*unmapped = 0;
	return -EINVAL;
}

/**
 * uvfio_dma_unmap() - the work of VFIO_IOMMU_UNMAP_DMA
 * @t1: the backend
 * @unmap: the request; its size becomes the bytes unmapped, also on error
 * @bitmap: with FLAG_GET_DIRTY_BITMAP, where the dirty bits go
 *
 * v1 unmaps every mapping whose first page the range holds (all of it)
 * and stops at one that begins before the range; v2 refuses a range that
 * bisects a mapping.
 *
 * Return: 0; -EINVAL for an unaligned iova or size, a zero or wrapping
 * size, FLAG_ALL with an iova or size, a dirty bitmap while not tracking
 * or of another page size, a bisected mapping (v2), an already
 * invalidated vaddr; -EFAULT writing the bitmap.
 */
int uvfio_dma_unmap(struct uvfio_type1 *t1,
		    struct vfio_iommu_type1_dma_unmap *unmap,
		    struct vfio_bitmap *bitmap)
{
	bool all = unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL;
	bool get_dirty = unmap->flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	dma_addr_t iova = unmap->iova;
	u64 size = unmap->size;
	size_t pgsize, unmapped = 0;
	struct rb_node *n, *first;
	struct uvfio_dma *dma;
	int ret = -EINVAL;

	mutex_lock(&t1->lock);
	pgsize = uvfio_type1_pgsize(t1);
	if (iova & (pgsize - 1))
		goto out;
	if (all) {
		if (iova || size)
			goto out;
		size = U64_MAX;
	} else if (!size || size & (pgsize - 1) || iova + size - 1 < iova ||
		   overflows_type(size, size_t)) {
		goto out;
	}
	if (get_dirty && (!t1->dirty_tracking || bitmap->pgsize != pgsize))
		goto out;

	if (t1->v2 && !all && uvfio_dma_bisected(t1, iova, size))
		goto out;

	first = uvfio_dma_first(t1, iova);
	if (unmap->flags & VFIO_DMA_UNMAP_FLAG_VADDR) {
		ret = uvfio_dma_invalidate_vaddr(t1, first, iova, size,
						 &unmapped);
		goto out;
	}
	ret = 0;
	for (n = first; n; ) {
		dma = rb_entry(n, struct uvfio_dma, node);
		if (dma->iova >= iova + size)
			break;
		if (!t1->v2 && iova > dma->iova)
			break;
		if (get_dirty) {
			ret = uvfio_dma_report_dirty(t1, bitmap->data, dma,
						     iova);
			if (ret)
				break;
		}
		unmapped += dma->size;
		n = rb_next(n);
		uvfio_dma_remove(t1, dma);
	}
out:
	mutex_unlock(&t1->lock);
	unmap->size = unmapped;
	return ret;
}

/**
 * uvfio_dma_replay() - map every mapping into a new domain
 * @t1: the backend, locked; @domain is not on its list yet
 * @domain: the domain
 *
 * The pages are pinned already: the first domain says where they are.
 *
 * Return: 0, or the IOMMU's error with @domain as empty as before.
 */
int uvfio_dma_replay(struct uvfio_type1 *t1, struct iommu_domain *domain)
{
	struct uvfio_type1_domain *from;
	struct uvfio_dma *dma;
	dma_addr_t iova;
	struct rb_node *n;
	int ret;

	lockdep_assert_held(&t1->lock);
	/* Mappings exist only while a group, and so a domain, does. */
	if (list_empty(&t1->domains))
		return 0;
	from = list_first_entry(&t1->domains, typeof(*from), next);
	for (n = rb_first(&t1->dmas); n; n = rb_next(n)) {
		dma = rb_entry(n, struct uvfio_dma, node);
		for (iova = dma->iova; iova < dma->iova + dma->size; ) {
			phys_addr_t phys = iommu_iova_to_phys(from->domain,
							      iova);
			size_t len;

			if (WARN_ON_ONCE(!phys)) {
				iova += PAGE_SIZE;
				continue;
			}
			len = uvfio_phys_run(from->domain, iova, phys,
					     dma->iova + dma->size - iova,
					     uvfio_pfn_reserved(PHYS_PFN(phys)));
			ret = iommu_map(domain, iova, phys, len,
					dma->prot | IOMMU_CACHE,
					GFP_KERNEL_ACCOUNT);
			if (ret)
				goto unwind;
			iova += len;
		}
	}
	return 0;
unwind:
	/* What of the failed one was mapped (maybe nothing), then the rest. */
	iommu_unmap(domain, dma->iova, iova - dma->iova);
	for (n = rb_prev(n); n; n = rb_prev(n)) {
		dma = rb_entry(n, struct uvfio_dma, node);
		iommu_unmap(domain, dma->iova, dma->size);
	}
	return ret;
}
