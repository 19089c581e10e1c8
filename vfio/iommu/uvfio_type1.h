/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-uml type1: the container backend that maps user memory for DMA.
 *
 * uvfio_type1.c       the ioctls, group attach and detach, domains
 * uvfio_type1_dma.c   the tree of mappings, pinning and accounting,
 *                     mapping into domains, replay, dirty bitmaps
 * uvfio_type1_iova.c  valid IOVA ranges and the GET_INFO capabilities
 *
 * Locking: struct uvfio_type1.lock covers everything of a container's
 * backend. The core calls attach_group/detach_group/release with its
 * container lock held for writing and every ioctl with it held for
 * reading, so the order is container->group_lock -> uvfio_type1.lock ->
 * the mm's mmap_lock (pinning, locked_vm) -> the IOMMU's own locks.
 *
 * Lifetimes: a mapping (struct uvfio_dma) holds its pages pinned, its
 * locked_vm charge, a reference on the task that mapped it (for
 * RLIMIT_MEMLOCK) and an mmgrab() of its mm (for locked_vm), from MAP_DMA
 * until UNMAP_DMA, until the last group leaves, or until release.
 * Domains live while a group of theirs is attached.
 */
#ifndef UVFIO_TYPE1_H
#define UVFIO_TYPE1_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/types.h>

#include <uapi/linux/vfio.h>

struct mm_struct;
struct task_struct;

/**
 * struct uvfio_type1 - one container's type1 backend
 * @lock: protects everything below
 * @domains: struct uvfio_type1_domain, one per compatible set of groups
 * @iova_ranges: struct uvfio_iova_range, sorted, disjoint: the IOVA that
 *	every domain can translate, minus every group's reserved regions
 * @dmas: struct uvfio_dma by IOVA
 * @dma_avail: mappings that may still be made (dma_entry_limit)
 * @vaddr_invalid: mappings whose vaddr was invalidated (FLAG_VADDR)
 * @pgsize_bitmap: page sizes every domain supports, smallest first
 * @groups: attached groups; each can write memory behind our back, so
 *	while there is one every mapped page is reported dirty
 * @v2: VFIO_TYPE1v2_IOMMU semantics (unmap must not bisect)
 * @nesting: VFIO_TYPE1_NESTING_IOMMU was asked for
 * @dirty_tracking: between DIRTY_PAGES START and STOP
 */
struct uvfio_type1 {
	struct mutex lock;
	struct list_head domains;
	struct list_head iova_ranges;
	struct rb_root dmas;
	unsigned int dma_avail;
	unsigned int vaddr_invalid;
	u64 pgsize_bitmap;
	unsigned int groups;
	bool v2;
	bool nesting;
	bool dirty_tracking;
};

/**
 * struct uvfio_type1_domain - an IOMMU domain and the groups attached to it
 * @domain: a paging domain
 * @next: entry in uvfio_type1.domains
 * @groups: struct uvfio_type1_group
 * @coherent: the domain enforces cache coherency (VFIO_DMA_CC_IOMMU)
 */
struct uvfio_type1_domain {
	struct iommu_domain *domain;
	struct list_head next;
	struct list_head groups;
	bool coherent;
};

struct uvfio_type1_group {
	struct iommu_group *iommu_group;
	struct list_head next;
};

/**
 * struct uvfio_dma - one MAP_DMA
 * @node: entry in uvfio_type1.dmas
 * @iova: device address
 * @vaddr: user address it was pinned from
 * @size: bytes mapped so far (grows while MAP_DMA pins)
 * @prot: IOMMU_READ / IOMMU_WRITE
 * @lock_cap: the mapper had CAP_IPC_LOCK: no RLIMIT_MEMLOCK
 * @vaddr_invalid: UNMAP_DMA with FLAG_VADDR; MAP_DMA with FLAG_VADDR ends it
 * @task: the mapper's thread-group leader, for its RLIMIT_MEMLOCK
 * @mm: the mm charged, grabbed
 * @locked: pages charged to @mm
 * @bitmap: while dirty pages are tracked, one bit per page and a spare
 *	word (reports shift it in place)
 */
struct uvfio_dma {
	struct rb_node node;
	dma_addr_t iova;
	unsigned long vaddr;
	size_t size;
	int prot;
	bool lock_cap;
	bool vaddr_invalid;
	struct task_struct *task;
	struct mm_struct *mm;
	long locked;
	unsigned long *bitmap;
};

struct uvfio_iova_range {
	struct list_head next;
	dma_addr_t start;
	dma_addr_t end;
};

/* Parameters (vfio_iommu_type1.*); tests change them for a case. */
extern bool uvfio_type1_allow_unsafe_interrupts;
extern bool uvfio_type1_disable_hugepages;
extern unsigned int uvfio_type1_dma_entry_limit;

/* Bytes of a dirty bitmap of @n pages, in whole u64 words. */
#define UVFIO_BITMAP_BYTES(n)		(ALIGN((u64)(n), 64) / 8)
/* The most pages a dirty bitmap covers, and so its largest size. */
#define UVFIO_BITMAP_PAGES_MAX		((u64)INT_MAX)
#define UVFIO_BITMAP_SIZE_MAX		UVFIO_BITMAP_BYTES(UVFIO_BITMAP_PAGES_MAX)

static inline size_t uvfio_type1_pgsize(struct uvfio_type1 *t1)
{
	return (size_t)1 << __ffs(t1->pgsize_bitmap);
}

/* uvfio_type1_dma.c */
struct uvfio_dma *uvfio_dma_find(struct uvfio_type1 *t1, dma_addr_t start,
				 size_t size);
int uvfio_dma_map(struct uvfio_type1 *t1, struct vfio_iommu_type1_dma_map *map);
int uvfio_dma_unmap(struct uvfio_type1 *t1,
		    struct vfio_iommu_type1_dma_unmap *unmap,
		    struct vfio_bitmap *bitmap);
int uvfio_dma_dirty_bitmap(struct uvfio_type1 *t1, u64 __user *bitmap,
			   dma_addr_t iova, size_t size);
int uvfio_dma_dirty_start(struct uvfio_type1 *t1);
void uvfio_dma_dirty_stop(struct uvfio_type1 *t1);
int uvfio_dma_replay(struct uvfio_type1 *t1, struct iommu_domain *domain);
void uvfio_dma_remove_all(struct uvfio_type1 *t1);

/* uvfio_type1_iova.c */
bool uvfio_iova_valid(struct uvfio_type1 *t1, dma_addr_t start,
		      dma_addr_t end);
int uvfio_iova_prepare(struct uvfio_type1 *t1, struct iommu_domain *domain,
		       struct iommu_group *group, struct list_head *ranges);
void uvfio_iova_install(struct uvfio_type1 *t1, struct list_head *ranges);
void uvfio_iova_refresh(struct uvfio_type1 *t1, bool domain_gone);
void uvfio_iova_free(struct list_head *ranges);
long uvfio_type1_get_info(struct uvfio_type1 *t1, void __user *arg);

#endif /* UVFIO_TYPE1_H */
