// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites of the type1 backend, through the container fd with user
 * memory of the test's own mm: map/unmap sequences as a table checked
 * against the fake IOMMU's page table and locked_vm, GET_INFO and its
 * capability chain, the limits (RLIMIT_MEMLOCK, dma_entry_limit), dirty
 * page tracking, groups joining and leaving (replay into a new domain),
 * interrupt isolation, and DMA by the simulated engine through MAP_DMA.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/msi.h>
#include <linux/sched/signal.h>
#include <linux/syscalls.h>

#include "iommu/uvfio_type1.h"
#include "sim/simiommu.h"
#include "sim_helpers.h"
#include "uvfio_helpers.h"

#define P		PAGE_SIZE
#define IOVA		0x100000ULL
#define BUF_PAGES	16
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define APERTURE_END	(BIT_ULL(48) - 1)	/* the fake IOMMU's default */

/**
 * struct t1 - a type1 container with one group
 * @fx: the core's fixture
 * @pdev: the group's function, bound to the test driver
 * @container: the container file
 * @group: the group file
 * @buf: BUF_PAGES of read-write user memory
 * @ro: BUF_PAGES of read-only user memory
 */
struct t1 {
	struct uvfio_fx *fx;
	struct pci_dev *pdev;
	struct file *container;
	struct file *group;
	unsigned long buf;
	unsigned long ro;
};

static unsigned long t1_mmap(struct kunit *test, size_t size, int prot)
{
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, size, prot,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

static struct file *t1_group(struct t1 *t, struct pci_dev *pdev)
{
	struct kunit *test = t->fx->test;
	struct file *group;

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, pdev, UVFIO_TEST_DRIVER));
	group = uvfio_open_group(t->fx, uvfio_group_id(test, pdev));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(t->fx, group,
						     t->container));
	return group;
}

/* A container of @type (0: none set yet) holding the group of @devfn. */
static struct t1 *t1_open(struct kunit *test, u8 devfn, unsigned long type)
{
	struct t1 *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->fx = uvfio_fx(test);
	t->pdev = uvfio_fn(test, devfn);
	t->container = uvfio_open_container(t->fx);
	t->group = t1_group(t, t->pdev);
	if (type)
		KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(t->container,
						     VFIO_SET_IOMMU, type));
	t->buf = t1_mmap(test, BUF_PAGES * P, PROT_READ | PROT_WRITE);
	t->ro = t1_mmap(test, BUF_PAGES * P, PROT_READ);
	return t;
}

static long t1_map(struct t1 *t, u64 iova, u64 vaddr, u64 size, u32 flags)
{
	return uvfio_map_dma(t->fx, t->container, iova, vaddr, size, flags);
}

/* UNMAP_DMA; *@size becomes what the kernel reported. */
static long t1_unmap(struct t1 *t, u64 iova, u64 *size, u32 flags)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .flags = flags,
		.iova = iova, .size = *size,
	};
	long ret = uvfio_ioctl_user(t->fx, t->container, VFIO_IOMMU_UNMAP_DMA,
				    &unmap, sizeof(unmap));

	*size = unmap.size;
	return ret;
}

static struct iommu_domain *t1_domain(struct pci_dev *pdev)
{
	return iommu_get_domain_for_dev(&pdev->dev);
}

/* IOVA ranges mapped in a domain, adjacent leaves merged. */
struct t1_ranges {
	unsigned int n;
	struct { u64 iova, size; } r[8];
	int prot;
};

static int t1_collect(void *arg, u64 iova, phys_addr_t paddr, size_t size,
		      int prot)
{
	struct t1_ranges *rs = arg;

	rs->prot |= prot;
	if (rs->n && rs->r[rs->n - 1].iova + rs->r[rs->n - 1].size == iova) {
		rs->r[rs->n - 1].size += size;
		return 0;
	}
	if (rs->n == ARRAY_SIZE(rs->r))
		return -ENOSPC;
	rs->r[rs->n].iova = iova;
	rs->r[rs->n++].size = size;
	return 0;
}

static void t1_ranges(struct kunit *test, struct iommu_domain *domain,
		      struct t1_ranges *rs)
{
	memset(rs, 0, sizeof(*rs));
	KUNIT_ASSERT_EQ(test, 0, simiommu_walk_mappings(domain, t1_collect,
							rs));
}

/* One step of a sequence; vaddr is an offset into buf, ro or absolute. */
enum t1_mem { T1_BUF, T1_RO, T1_ABS };

struct t1_op {
	bool unmap;
	u64 iova;
	u64 size;
	u32 flags;
	enum t1_mem mem;
	u64 vaddr;
	u32 argsz;		/* 0: the structure's size */
	long ret;
	u64 unmapped;		/* UNMAP_DMA: the size reported */
};

struct t1_seq {
	const char *name;
	unsigned long type;
	struct t1_op ops[8];
	struct { u64 iova, size; } left[3];	/* mapped at the end */
};

#define MAP(i, s, off, f, r) \
	{ .iova = (i), .size = (s), .vaddr = (off), .flags = (f), .ret = (r) }
#define MAPM(i, s, m, v, f, r) \
	{ .iova = (i), .size = (s), .mem = (m), .vaddr = (v), .flags = (f), \
	  .ret = (r) }
#define UNMAP(i, s, f, r, u) \
	{ .unmap = true, .iova = (i), .size = (s), .flags = (f), .ret = (r), \
	  .unmapped = (u) }
#define SHORT(op, a)	{ .unmap = (op), .iova = IOVA, .size = P, \
			  .flags = (op) ? 0 : RW, .argsz = (a), .ret = -EINVAL }

static const struct t1_seq t1_seqs[] = {
	{ "map, unmap", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0), UNMAP(IOVA, 2 * P, 0, 0, 2 * P) } },
	{ "read-only and write-only", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, VFIO_DMA_MAP_FLAG_READ, 0),
	    MAP(IOVA + P, P, P, VFIO_DMA_MAP_FLAG_WRITE, 0) },
	  { { IOVA, 2 * P } } },
	{ "overlap", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0), MAP(IOVA + P, 2 * P, 2 * P, RW, -EEXIST),
	    MAP(IOVA - P, 2 * P, 2 * P, RW, -EEXIST) },
	  { { IOVA, 2 * P } } },
	{ "adjacent below", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA + P, P, P, RW, 0), MAP(IOVA, P, 0, RW, 0) },
	  { { IOVA, 2 * P } } },
	/* Ordered by where it starts, not by where a smaller one ends. */
	{ "above a smaller one", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, RW, 0), MAP(IOVA + 2 * P, 2 * P, P, RW, 0),
	    MAP(IOVA + 3 * P, P, 3 * P, RW, -EEXIST),
	    UNMAP(IOVA + 2 * P, 2 * P, 0, 0, 2 * P) },
	  { { IOVA, P } } },
	{ "adjacent, one unmap", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, RW, 0), MAP(IOVA + P, P, P, RW, 0),
	    UNMAP(IOVA, 2 * P, 0, 0, 2 * P) } },
	{ "v2 bisect", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0), UNMAP(IOVA, P, 0, -EINVAL, 0),
	    UNMAP(IOVA + P, P, 0, -EINVAL, 0),
	    UNMAP(IOVA - P, 2 * P, 0, -EINVAL, 0) },
	  { { IOVA, 2 * P } } },
	{ "v2 nothing there", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, RW, 0), UNMAP(IOVA + P, P, 0, 0, 0),
	    UNMAP(IOVA - P, P, 0, 0, 0) },
	  { { IOVA, P } } },
	{ "v1 inside", VFIO_TYPE1_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0), UNMAP(IOVA + P, P, 0, 0, 0),
	    MAP(IOVA + 2 * P, P, 2 * P, RW, 0),
	    UNMAP(IOVA + P, 2 * P, 0, 0, 0) },
	  { { IOVA, 3 * P } } },
	{ "v1 first page unmaps all", VFIO_TYPE1_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0), MAP(IOVA + 2 * P, P, 2 * P, RW, 0),
	    UNMAP(IOVA, P, 0, 0, 2 * P) },
	  { { IOVA + 2 * P, P } } },
	{ "unaligned", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA + 1, P, 0, RW, -EINVAL), MAP(IOVA, P + 1, 0, RW, -EINVAL),
	    MAP(IOVA, P, 1, RW, -EINVAL), MAP(IOVA, P, 0, RW, 0),
	    UNMAP(IOVA + 1, P, 0, -EINVAL, 0),
	    UNMAP(IOVA, P - 1, 0, -EINVAL, 0),
	    UNMAP(4 * IOVA, P - 1, 0, -EINVAL, 0) },
	  { { IOVA, P } } },
	{ "zero size", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, 0, 0, RW, -EINVAL), UNMAP(IOVA, 0, 0, -EINVAL, 0) } },
	{ "wrap", VFIO_TYPE1v2_IOMMU,
	  { MAP(-P, 2 * P, 0, RW, -EINVAL),
	    MAPM(IOVA, 2 * P, T1_ABS, -P, RW, -EINVAL),
	    MAPM(IOVA, P, T1_ABS, -P, RW, -EFAULT),
	    UNMAP(-P, 2 * P, 0, -EINVAL, 0), UNMAP(-P, P, 0, 0, 0) } },
	{ "flags", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, 0, -EINVAL),
	    MAP(IOVA, P, 0, RW | VFIO_DMA_MAP_FLAG_VADDR, -EINVAL),
	    MAP(IOVA, P, 0, RW | BIT(3), -EINVAL),
	    UNMAP(IOVA, P, BIT(3), -EINVAL, 0),
	    UNMAP(IOVA, 0, VFIO_DMA_UNMAP_FLAG_ALL, -EINVAL, 0),
	    UNMAP(0, P, VFIO_DMA_UNMAP_FLAG_ALL, -EINVAL, 0),
	    UNMAP(0, 0, VFIO_DMA_UNMAP_FLAG_ALL |
		  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, -EINVAL, 0),
	    UNMAP(0, 0, VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR,
		  0, 0) } },
	{ "argsz", VFIO_TYPE1v2_IOMMU,
	  { SHORT(false, 31), SHORT(true, 23),
	    UNMAP(IOVA, P, VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, -EINVAL, 0) } },
	{ "outside the valid IOVA", VFIO_TYPE1v2_IOMMU,
	  { MAP(SIMPCI_MSI_WINDOW_START, P, 0, RW, -EINVAL),
	    MAP(SIMPCI_MSI_WINDOW_START - P, 2 * P, 0, RW, -EINVAL),
	    MAP(APERTURE_END + 1, P, 0, RW, -EINVAL),
	    MAP(APERTURE_END + 1 - P, 2 * P, 0, RW, -EINVAL),
	    MAP(APERTURE_END + 1 - P, P, 0, RW, 0),
	    MAP(SIMPCI_MSI_WINDOW_START - P, P, P, RW, 0) },
	  { { SIMPCI_MSI_WINDOW_START - P, P }, { APERTURE_END + 1 - P, P } } },
	{ "write into read-only memory", VFIO_TYPE1v2_IOMMU,
	  { MAPM(IOVA, P, T1_RO, 0, RW, -EFAULT),
	    MAPM(IOVA, 2 * P, T1_RO, 0, VFIO_DMA_MAP_FLAG_READ, 0) },
	  { { IOVA, 2 * P } } },
	{ "unmapped memory", VFIO_TYPE1v2_IOMMU,
	  { MAPM(IOVA, P, T1_ABS, 0x1000, RW, -EFAULT),
	    MAP(IOVA, (BUF_PAGES + 1) * P, 0, RW, -EFAULT) } },
	{ "unmap all", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, RW, 0), MAP(3 * IOVA, 2 * P, P, RW, 0),
	    UNMAP(0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, 3 * P),
	    UNMAP(0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0) } },
	{ "invalidate and set vaddr", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0),
	    UNMAP(IOVA, 2 * P, VFIO_DMA_UNMAP_FLAG_VADDR, 0, 2 * P),
	    UNMAP(IOVA, 2 * P, VFIO_DMA_UNMAP_FLAG_VADDR, -EINVAL, 0),
	    MAP(IOVA, P, 4 * P, VFIO_DMA_MAP_FLAG_VADDR, -EINVAL),
	    MAP(3 * IOVA, P, 4 * P, VFIO_DMA_MAP_FLAG_VADDR, -ENOENT),
	    MAP(IOVA, 2 * P, 4 * P, VFIO_DMA_MAP_FLAG_VADDR, 0),
	    MAP(IOVA, 2 * P, 4 * P, VFIO_DMA_MAP_FLAG_VADDR, -EINVAL) },
	  { { IOVA, 2 * P } } },
	/* v1: from inside a mapping nothing is invalidated, from its start all. */
	{ "v1 invalidate vaddr", VFIO_TYPE1_IOMMU,
	  { MAP(IOVA, 2 * P, 0, RW, 0),
	    UNMAP(IOVA + P, P, VFIO_DMA_UNMAP_FLAG_VADDR, 0, 0),
	    UNMAP(IOVA, 2 * P, VFIO_DMA_UNMAP_FLAG_VADDR, 0, 2 * P),
	    MAP(IOVA, 2 * P, 4 * P, VFIO_DMA_MAP_FLAG_VADDR, 0) },
	  { { IOVA, 2 * P } } },
	{ "invalidate vaddr, all or none", VFIO_TYPE1v2_IOMMU,
	  { MAP(IOVA, P, 0, RW, 0), MAP(IOVA + P, P, P, RW, 0),
	    UNMAP(IOVA + P, P, VFIO_DMA_UNMAP_FLAG_VADDR, 0, P),
	    UNMAP(IOVA, 2 * P, VFIO_DMA_UNMAP_FLAG_VADDR, -EINVAL, 0),
	    /* The first was restored: it can be invalidated on its own. */
	    UNMAP(IOVA, P, VFIO_DMA_UNMAP_FLAG_VADDR, 0, P),
	    UNMAP(0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, 2 * P) } },
};

static void t1_seq_desc(const struct t1_seq *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(t1_seqs, t1_seqs, t1_seq_desc);

static u64 t1_vaddr(struct t1 *t, const struct t1_op *op)
{
	switch (op->mem) {
	case T1_RO:
		return t->ro + op->vaddr;
	case T1_ABS:
		return op->vaddr;
	default:
		return t->buf + op->vaddr;
	}
}

static long t1_run_op(struct t1 *t, const struct t1_op *op, u64 *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = op->argsz ?: sizeof(unmap), .flags = op->flags,
		.iova = op->iova, .size = op->size,
	};
	struct vfio_iommu_type1_dma_map map = {
		.argsz = op->argsz ?: sizeof(map), .flags = op->flags,
		.vaddr = t1_vaddr(t, op), .iova = op->iova, .size = op->size,
	};
	long ret;

	if (!op->unmap)
		return uvfio_ioctl_user(t->fx, t->container,
					VFIO_IOMMU_MAP_DMA, &map, sizeof(map));
	ret = uvfio_ioctl_user(t->fx, t->container, VFIO_IOMMU_UNMAP_DMA,
			       &unmap, sizeof(unmap));
	*unmapped = ret ? 0 : unmap.size;
	return ret;
}

/* Each step's result, then the IOMMU's page table and locked_vm. */
static void uvfio_type1_sequence(struct kunit *test)
{
	const struct t1_seq *s = test->param_value;
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, s->type);
	unsigned long locked = current->mm->locked_vm;
	struct t1_ranges rs;
	u64 pages = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->ops) && (s->ops[i].size ||
	     s->ops[i].flags || s->ops[i].ret); i++) {
		const struct t1_op *op = &s->ops[i];
		u64 unmapped = 0;

		KUNIT_EXPECT_EQ_MSG(test, t1_run_op(t, op, &unmapped), op->ret,
				    "step %u", i);
		if (op->unmap)
			KUNIT_EXPECT_EQ_MSG(test, unmapped, op->unmapped,
					    "step %u", i);
	}

	t1_ranges(test, t1_domain(t->pdev), &rs);
	for (i = 0; i < ARRAY_SIZE(s->left) && s->left[i].size; i++) {
		KUNIT_EXPECT_EQ(test, rs.r[i].iova, s->left[i].iova);
		KUNIT_EXPECT_EQ(test, rs.r[i].size, s->left[i].size);
		pages += s->left[i].size >> PAGE_SHIFT;
	}
	KUNIT_EXPECT_EQ(test, rs.n, i);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + pages);

	/* Closing everything gives every page and every charge back. */
	uvfio_close(t->fx, t->group);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
}

/* Mapped READ / WRITE as asked, in the group's own domain. */
static void uvfio_type1_prot(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct iommu_domain *domain = t1_domain(t->pdev);
	struct t1_ranges rs;

	KUNIT_EXPECT_EQ(test, domain->type, IOMMU_DOMAIN_UNMANAGED);
	KUNIT_ASSERT_EQ(test, 0, t1_map(t, IOVA, t->buf, P,
					VFIO_DMA_MAP_FLAG_READ));
	t1_ranges(test, domain, &rs);
	KUNIT_EXPECT_EQ(test, rs.prot & (IOMMU_READ | IOMMU_WRITE), IOMMU_READ);
	KUNIT_ASSERT_EQ(test, 0, t1_map(t, 2 * IOVA, t->buf + P, P,
					VFIO_DMA_MAP_FLAG_WRITE));
	t1_ranges(test, domain, &rs);
	KUNIT_EXPECT_EQ(test, rs.prot & (IOMMU_READ | IOMMU_WRITE),
			IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 2 * P);
	/* The user page is what the IOMMU translates to, pinned. */
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(page_folio(
		phys_to_page(iommu_iova_to_phys(domain, IOVA)))));
}

static void t1_restore_limit(void *old)
{
	uvfio_type1_dma_entry_limit = (unsigned long)old;
}

static u32 t1_dma_avail(struct t1 *t);

/* dma_entry_limit: -ENOSPC past it; DMA_AVAIL counts down and back up. */
static void uvfio_type1_entry_limit(struct kunit *test)
{
	struct t1 *t;
	u64 size = 0;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
		t1_restore_limit,
		(void *)(unsigned long)uvfio_type1_dma_entry_limit));
	uvfio_type1_dma_entry_limit = 2;
	t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	KUNIT_EXPECT_EQ(test, t1_dma_avail(t), 2);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
	KUNIT_EXPECT_EQ(test, t1_dma_avail(t), 1);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA + P, t->buf + P, P, RW), 0);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA + 2 * P, t->buf, P, RW), -ENOSPC);
	KUNIT_EXPECT_EQ(test, t1_dma_avail(t), 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(t, 0, &size, VFIO_DMA_UNMAP_FLAG_ALL), 0);
	KUNIT_EXPECT_EQ(test, t1_dma_avail(t), 2);
}

/*
 * RLIMIT_MEMLOCK binds a mapper without CAP_IPC_LOCK: a mapping past it
 * fails whole and charges nothing; with the capability it is charged but
 * not limited.
 */
static void uvfio_type1_memlock(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	unsigned long locked = current->mm->locked_vm;
	const struct cred *old;
	struct cred *cred;
	u64 size = 0;

	/* This thread ends with the test: nothing to give back. */
	task_lock(current->group_leader);
	current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur = (locked + 3) * P;
	task_unlock(current->group_leader);
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_IPC_LOCK);
	old = override_creds(cred);

	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, t->buf, 4 * P, RW), -ENOMEM);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, t->buf, 3 * P, RW), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 3);
	KUNIT_EXPECT_EQ(test, t1_map(t, 2 * IOVA, t->buf + 3 * P, P, RW),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 3);

	revert_creds(old);
	put_cred(cred);
	KUNIT_EXPECT_EQ(test, t1_map(t, 2 * IOVA, t->buf + 3 * P, 8 * P, RW), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 11);
	KUNIT_EXPECT_EQ(test, t1_unmap(t, 0, &size, VFIO_DMA_UNMAP_FLAG_ALL), 0);
	KUNIT_EXPECT_EQ(test, size, 11 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
}

/* GET_INFO; @buf gets the capability chain. */
static long t1_info(struct t1 *t, struct vfio_iommu_type1_info *info,
		    u32 argsz, u8 *buf, size_t size)
{
	long ret;

	/* Only argsz is input: every other byte shows what was written. */
	memset(buf, 0xa5, size);
	memcpy(buf, &argsz, sizeof(argsz));
	ret = uvfio_ioctl_user(t->fx, t->container, VFIO_IOMMU_GET_INFO, buf,
			       size);
	memcpy(info, buf, sizeof(*info));
	return ret;
}

static struct vfio_info_cap_header *t1_cap(u8 *buf, u32 offset)
{
	return offset ? (struct vfio_info_cap_header *)(buf + offset) : NULL;
}

static u32 t1_dma_avail(struct t1 *t)
{
	struct vfio_iommu_type1_info info = {};
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_info_cap_header *hdr;
	u8 *buf = kunit_kzalloc(t->fx->test, 256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t->fx->test, buf);
	KUNIT_ASSERT_EQ(t->fx->test, 0, t1_info(t, &info, 256, buf, 256));
	for (hdr = t1_cap(buf, info.cap_offset); hdr;
	     hdr = t1_cap(buf, hdr->next))
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			avail = container_of(hdr, typeof(*avail), header);
			return avail->avail;
		}
	KUNIT_FAIL(t->fx->test, "no DMA_AVAIL");
	return 0;
}

/* The two valid IOVA ranges (around the MSI window) as GET_INFO says. */
/* The first @nr valid IOVA ranges, [start, end] pairs into @r. */
static void t1_iova_ranges_nr(struct t1 *t, u64 *r, u32 nr)
{
	struct vfio_iommu_type1_info_cap_iova_range *cap;
	struct vfio_iommu_type1_info info = {};
	struct vfio_info_cap_header *hdr;
	u8 *buf = kunit_kzalloc(t->fx->test, 256, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(t->fx->test, buf);
	KUNIT_ASSERT_EQ(t->fx->test, 0, t1_info(t, &info, 256, buf, 256));
	for (hdr = t1_cap(buf, info.cap_offset); hdr;
	     hdr = t1_cap(buf, hdr->next)) {
		if (hdr->id != VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			continue;
		cap = container_of(hdr, typeof(*cap), header);
		KUNIT_ASSERT_EQ(t->fx->test, cap->nr_iovas, nr);
		for (i = 0; i < nr; i++) {
			r[2 * i] = cap->iova_ranges[i].start;
			r[2 * i + 1] = cap->iova_ranges[i].end;
		}
		return;
	}
	KUNIT_FAIL(t->fx->test, "no IOVA_RANGE");
}

static void t1_iova_ranges(struct t1 *t, u64 *r)
{
	t1_iova_ranges_nr(t, r, 2);
}

/* The chain in upstream's order, and the argsz rules around it. */
static void uvfio_type1_info(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_cap_iova_range *iova;
	struct vfio_iommu_type1_info info = {};
	struct vfio_info_cap_header *hdr;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	unsigned long user;
	u32 need;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, t1_info(t, &info, 15, buf, 256), -EINVAL);

	/* Room for the fixed part only: argsz raised, no chain, no error. */
	KUNIT_EXPECT_EQ(test, t1_info(t, &info, sizeof(info), buf, 256), 0);
	KUNIT_EXPECT_EQ(test, info.flags,
			VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
	KUNIT_EXPECT_EQ(test, info.iova_pgsizes, SZ_4K | SZ_2M | SZ_1G);
	KUNIT_EXPECT_EQ(test, info.cap_offset, 0);
	need = info.argsz;
	KUNIT_EXPECT_GT(test, need, sizeof(info));
	KUNIT_EXPECT_EQ(test, buf[sizeof(info)], 0xa5);

	/* argsz without cap_offset: only those 16 bytes are written. */
	KUNIT_EXPECT_EQ(test, t1_info(t, &info, 16, buf, 256), 0);
	KUNIT_EXPECT_EQ(test, info.argsz, need);
	KUNIT_EXPECT_EQ(test, buf[16], 0xa5);

	KUNIT_EXPECT_EQ(test, t1_info(t, &info, need - 1, buf, 256), 0);
	KUNIT_EXPECT_EQ(test, info.cap_offset, 0);
	KUNIT_ASSERT_EQ(test, t1_info(t, &info, need, buf, 256), 0);
	KUNIT_EXPECT_EQ(test, info.argsz, need);
	KUNIT_ASSERT_EQ(test, info.cap_offset, sizeof(info));

	/* The chain would land past the caller's memory. */
	user = t1_mmap(test, 2 * P, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_EQ(test, 0, vm_munmap(user + P, P));
	user += P - sizeof(info);
	KUNIT_ASSERT_EQ(test, 0, put_user(need, (u32 __user *)user));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_IOMMU_GET_INFO,
					  user), -EFAULT);
	/* Readable, not writable: the fixed part cannot be written back. */
	user = t1_mmap(test, P, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_EQ(test, 0, put_user(16, (u32 __user *)user));
	KUNIT_ASSERT_EQ(test, 0, sys_mprotect(user, P, PROT_READ));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_IOMMU_GET_INFO,
					  user), -EFAULT);

	hdr = t1_cap(buf, info.cap_offset);
	KUNIT_ASSERT_EQ(test, hdr->id, VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
	KUNIT_EXPECT_EQ(test, hdr->version, 1);
	mig = container_of(hdr, typeof(*mig), header);
	KUNIT_EXPECT_EQ(test, mig->flags, 0);
	KUNIT_EXPECT_EQ(test, mig->pgsize_bitmap, SZ_4K);
	KUNIT_EXPECT_EQ(test, mig->max_dirty_bitmap_size, SZ_256M);

	hdr = t1_cap(buf, hdr->next);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_EQ(test, hdr->id, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	KUNIT_EXPECT_EQ(test, hdr->version, 1);
	KUNIT_EXPECT_EQ(test, ((struct vfio_iommu_type1_info_dma_avail *)hdr)->avail,
			U16_MAX);

	hdr = t1_cap(buf, hdr->next);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_EQ(test, hdr->id, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	KUNIT_EXPECT_EQ(test, hdr->version, 1);
	KUNIT_EXPECT_EQ(test, hdr->next, 0);
	iova = container_of(hdr, typeof(*iova), header);
	KUNIT_ASSERT_EQ(test, iova->nr_iovas, 2);
	KUNIT_EXPECT_EQ(test, iova->iova_ranges[0].start, 0);
	KUNIT_EXPECT_EQ(test, iova->iova_ranges[0].end,
			SIMPCI_MSI_WINDOW_START - 1);
	KUNIT_EXPECT_EQ(test, iova->iova_ranges[1].start,
			SIMPCI_MSI_WINDOW_START + SIMPCI_MSI_WINDOW_SIZE);
	KUNIT_EXPECT_EQ(test, iova->iova_ranges[1].end, APERTURE_END);
	KUNIT_EXPECT_EQ(test, (u8 *)&iova->iova_ranges[2] - buf, need);
}

/*
 * Arguments that are not all in the caller's memory: -EFAULT, whichever
 * part is missing. @user is the last bytes of a page with nothing after.
 */
static void uvfio_type1_efault(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	unsigned long end = t1_mmap(test, 2 * P, PROT_READ | PROT_WRITE);
	static const unsigned int cmds[] = {
		VFIO_IOMMU_GET_INFO, VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_UNMAP_DMA,
		VFIO_IOMMU_DIRTY_PAGES,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap) + sizeof(struct vfio_bitmap),
		.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		.iova = IOVA, .size = P,
	};
	struct vfio_iommu_type1_dirty_bitmap dirty = {
		.argsz = sizeof(dirty) +
			 sizeof(struct vfio_iommu_type1_dirty_bitmap_get),
		.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP,
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, 0, vm_munmap(end + P, P));
	end += P;
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		KUNIT_EXPECT_EQ_MSG(test, uvfio_ioctl(t->container, cmds[i],
				    end), -EFAULT, "ioctl %#x", cmds[i]);
	/* The fixed part readable, what follows it not. */
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)(end -
				sizeof(unmap)), &unmap, sizeof(unmap)));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_IOMMU_UNMAP_DMA,
					  end - sizeof(unmap)), -EFAULT);
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)(end -
				sizeof(dirty)), &dirty, sizeof(dirty)));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_IOMMU_DIRTY_PAGES,
					  end - sizeof(dirty)), -EFAULT);
}

/*
 * The container's fd closed first: type1 wants no notice of it, and the
 * mappings stay while the group holds the container; they go with it.
 */
static void uvfio_type1_container_closed_first(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct iommu_domain *domain = t1_domain(t->pdev);
	unsigned long locked = current->mm->locked_vm;

	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, 2 * P, RW), 0);
	uvfio_close(t->fx, t->container);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 2 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 2);
	uvfio_close(t->fx, t->group);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	/* Back in its default domain: type1's is gone. */
	KUNIT_EXPECT_EQ(test, t1_domain(t->pdev)->type, IOMMU_DOMAIN_IDENTITY);
}

/* Extensions before and after SET_IOMMU, and the types it takes. */
static void uvfio_type1_extensions(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, 0);
	static const struct { unsigned long ext; long before, after; } e[] = {
		{ VFIO_TYPE1_IOMMU, 1, 1 },
		{ VFIO_TYPE1v2_IOMMU, 1, 1 },
		{ VFIO_TYPE1_NESTING_IOMMU, 1, 1 },
		{ VFIO_UNMAP_ALL, 1, 1 },
		{ VFIO_UPDATE_VADDR, 0, 1 },
		{ VFIO_DMA_CC_IOMMU, 0, 1 },
		{ VFIO_SPAPR_TCE_IOMMU, 0, 0 },
		{ VFIO_NOIOMMU_IOMMU, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		KUNIT_EXPECT_EQ_MSG(test, uvfio_ioctl(t->container,
				    VFIO_CHECK_EXTENSION, e[i].ext),
				    e[i].before, "extension %lu", e[i].ext);
	/*
	 * An extension that is no type: what the backend says it has but
	 * cannot open is -EINVAL, what it does not have yet -ENODEV.
	 */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_UNMAP_ALL), -EINVAL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_DMA_CC_IOMMU), -ENODEV);
	KUNIT_EXPECT_EQ(test, t1_domain(t->pdev)->type, IOMMU_DOMAIN_BLOCKED);
	/* The fake IOMMU cannot nest: the attach fails and nothing stays. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1_NESTING_IOMMU), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_domain(t->pdev)->type, IOMMU_DOMAIN_BLOCKED);
	KUNIT_ASSERT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1v2_IOMMU), 0);
	for (i = 0; i < ARRAY_SIZE(e); i++)
		KUNIT_EXPECT_EQ_MSG(test, uvfio_ioctl(t->container,
				    VFIO_CHECK_EXTENSION, e[i].ext),
				    e[i].after, "extension %lu", e[i].ext);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container,
					  VFIO_IOMMU_SPAPR_TCE_CREATE, 0),
			-ENOTTY);
}

static void t1_restore_msi(void *pdev)
{
	dev_set_msi_domain(&((struct pci_dev *)pdev)->dev,
			   dev_get_msi_domain(((struct pci_dev *)pdev)->bus->bridge));
}

static void t1_restore_unsafe(void *old)
{
	uvfio_type1_allow_unsafe_interrupts = old;
}

/* A group whose MSIs are not isolated: -EPERM, unless allowed. */
static void uvfio_type1_unsafe_interrupts(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, 0);

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			t1_restore_unsafe,
			(void *)uvfio_type1_allow_unsafe_interrupts));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			t1_restore_msi, t->pdev));
	dev_set_msi_domain(&t->pdev->dev, NULL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1v2_IOMMU), -EPERM);
	KUNIT_EXPECT_EQ(test, t1_domain(t->pdev)->type, IOMMU_DOMAIN_BLOCKED);
	uvfio_type1_allow_unsafe_interrupts = true;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1v2_IOMMU), 0);
}

#define MSI_START	SIMPCI_MSI_WINDOW_START
#define MSI_END		(SIMPCI_MSI_WINDOW_START + SIMPCI_MSI_WINDOW_SIZE - 1)

/* The valid IOVA is @nr ranges, [start, end] pairs in @want. */
static void t1_expect_ranges(struct t1 *t, const u64 *want, u32 nr)
{
	u64 ranges[6];
	u32 i;

	KUNIT_ASSERT_LE(t->fx->test, nr, ARRAY_SIZE(ranges) / 2);
	t1_iova_ranges_nr(t, ranges, nr);
	for (i = 0; i < 2 * nr; i++)
		KUNIT_EXPECT_EQ_MSG(t->fx->test, ranges[i], want[i], "[%u]", i);
}

static void t1_disarm(void *unused)
{
	simiommu_fail_domain_alloc(0);
	simiommu_fail_attach(0);
	simiommu_fail_map(0);
	simiommu_next_aperture(0, 0);
	simiommu_extra_resv(0, 0, IOMMU_RESV_RESERVED);
	simiommu_snoop(true);
}

/*
 * The DMA engine bound and its group open, to join @t's container after
 * the test armed the fake IOMMU (disarmed at the end).
 */
static struct file *t1_joiner(struct t1 *t, struct pci_dev *c)
{
	struct kunit *test = t->fx->test;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, c, UVFIO_TEST_DRIVER));
	return uvfio_open_group(t->fx, uvfio_group_id(test, c));
}

/*
 * An IOMMU that cannot make DMA cache-coherent: a group whose domain
 * cannot is not put with a coherent one, and the container stops
 * reporting VFIO_DMA_CC_IOMMU; a function that the IOMMU cannot make
 * coherent is not registered at all.
 */
static void uvfio_type1_noncoherent(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	struct pci_dev *m = uvfio_fn(test, UVFIO_FN_MFD0);
	struct file *gc = t1_joiner(t, c);

	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_CHECK_EXTENSION,
					  VFIO_DMA_CC_IOMMU), 1);
	simiommu_snoop(false);
	KUNIT_ASSERT_EQ(test, uvfio_set_container(t->fx, gc, t->container), 0);
	KUNIT_EXPECT_PTR_NE(test, t1_domain(c), t1_domain(t->pdev));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_CHECK_EXTENSION,
					  VFIO_DMA_CC_IOMMU), 0);

	/* Its probe fails (-EINVAL): nothing is bound. */
	KUNIT_EXPECT_EQ(test, uvfio_bind(test, m, UVFIO_TEST_DRIVER), -ENODEV);
	KUNIT_EXPECT_NULL(test, m->dev.driver);
}

/*
 * A group whose IOMMU has another aperture joins a container with a
 * mapping at [IOVA, IOVA + P): refused when the aperture would lose it.
 */
struct aperture_case {
	const char *name;
	u64 start;
	u64 end;
	int ret;
	bool empty;	/* no mapping made: only the valid IOVA counts */
	u32 nr;		/* when set, the valid IOVA ranges after the join */
	u64 ranges[4];
};

static const struct aperture_case aperture_cases[] = {
	{ "the same", 0, APERTURE_END, 0 },
	{ "starting at the mapping", IOVA, APERTURE_END, 0 },
	{ "starting inside it", IOVA + P / 2, APERTURE_END, -EINVAL },
	{ "ending with the mapping", 0, IOVA + P - 1, 0 },
	{ "ending a byte short", 0, IOVA + P - 2, -EINVAL },
	{ "ending a byte past", 0, IOVA + P, 0 },
	{ "above every IOVA", BIT_ULL(48), BIT_ULL(49) - 1, -EINVAL },
	{ "above every IOVA, nothing mapped", BIT_ULL(48), BIT_ULL(49) - 1,
	  -EINVAL, true },
	{ "from the last IOVA, nothing mapped", APERTURE_END,
	  BIT_ULL(49) - 1, 0, true },
	{ "ending at 1 TiB", 0, BIT_ULL(40) - 1, 0 },
	{ "ending before the MSI window", 0, MSI_START - 1, 0, false, 1,
	  { 0, MSI_START - 1 } },
	{ "ending on the first IOVA past the MSI window", 0, MSI_END + 1, 0,
	  false, 2, { 0, MSI_START - 1, MSI_END + 1, MSI_END + 1 } },
};

KUNIT_ARRAY_PARAM_DESC(aperture, aperture_cases, name);

static void uvfio_type1_aperture(struct kunit *test)
{
	const struct aperture_case *p = test->param_value;
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	struct iommu_domain *da = t1_domain(t->pdev);
	struct file *gc = t1_joiner(t, c);
	u64 ranges[4];

	if (!p->empty)
		KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
	/*
	 * Its own domain with the other aperture: the first group's refuses
	 * it (the second attach of its one function).
	 */
	simiommu_next_aperture(p->start, p->end);
	simiommu_fail_attach(2);
	KUNIT_EXPECT_EQ(test, uvfio_set_container(t->fx, gc, t->container),
			p->ret);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), p->empty ? 0 : P);
	if (p->nr)
		t1_expect_ranges(t, p->ranges, p->nr);
	if (p->ret || p->end != BIT_ULL(40) - 1)
		return;
	KUNIT_EXPECT_PTR_NE(test, t1_domain(c), da);
	/* The valid IOVA ends with the aperture, and widens when it goes. */
	t1_iova_ranges(t, ranges);
	KUNIT_EXPECT_EQ(test, ranges[3], p->end);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(gc, VFIO_GROUP_UNSET_CONTAINER, 0), 0);
	t1_iova_ranges(t, ranges);
	KUNIT_EXPECT_EQ(test, ranges[3], APERTURE_END);
}

/*
 * A group with a reserved region the first one has not joins a container
 * with a mapping at [IOVA, IOVA + P): refused when the region covers a
 * mapping; else the region leaves the valid IOVA, unless it is relaxable.
 */
struct resv_case {
	const char *name;
	u64 start;
	u64 length;
	enum iommu_resv_type type;
	int ret;
	u32 nr;			/* valid IOVA ranges after the join */
	u64 ranges[6];
};

static const struct resv_case resv_cases[] = {
	{ "over the mapping", IOVA + P / 2, P, IOMMU_RESV_RESERVED, -EINVAL,
	  2, { 0, MSI_START - 1, MSI_END + 1, APERTURE_END } },
	{ "over its last byte", IOVA + P - 1, 1, IOMMU_RESV_RESERVED, -EINVAL,
	  2, { 0, MSI_START - 1, MSI_END + 1, APERTURE_END } },
	{ "right after it", IOVA + P, P, IOMMU_RESV_RESERVED, 0, 3,
	  { 0, IOVA + P - 1, IOVA + 2 * P, MSI_START - 1, MSI_END + 1,
	    APERTURE_END } },
	{ "right before it", IOVA - P, P, IOMMU_RESV_RESERVED, 0, 3,
	  { 0, IOVA - P - 1, IOVA, MSI_START - 1, MSI_END + 1,
	    APERTURE_END } },
	/* Regions need not be pages: a byte on either side of the window. */
	{ "the byte before the MSI window", MSI_START - 1, 1,
	  IOMMU_RESV_RESERVED, 0, 2,
	  { 0, MSI_START - 2, MSI_END + 1, APERTURE_END } },
	{ "the byte after the MSI window", MSI_END + 1, 1,
	  IOMMU_RESV_RESERVED, 0, 2,
	  { 0, MSI_START - 1, MSI_END + 2, APERTURE_END } },
	{ "above the MSI window", BIT_ULL(40), P, IOMMU_RESV_RESERVED, 0, 3,
	  { 0, MSI_START - 1, MSI_END + 1, BIT_ULL(40) - 1,
	    BIT_ULL(40) + P, APERTURE_END } },
	{ "from IOVA 0", 0, IOVA, IOMMU_RESV_MSI, 0, 2,
	  { IOVA, MSI_START - 1, MSI_END + 1, APERTURE_END } },
	{ "to the aperture's end", MSI_END + 1, APERTURE_END - MSI_END,
	  IOMMU_RESV_SW_MSI, 0, 1, { 0, MSI_START - 1 } },
	{ "relaxable, over the mapping", IOVA, P, IOMMU_RESV_DIRECT_RELAXABLE,
	  0, 2, { 0, MSI_START - 1, MSI_END + 1, APERTURE_END } },
};

KUNIT_ARRAY_PARAM_DESC(resv, resv_cases, name);

static void uvfio_type1_resv(struct kunit *test)
{
	const struct resv_case *p = test->param_value;
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	struct iommu_domain *da = t1_domain(t->pdev);
	struct file *gc = t1_joiner(t, c);

	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
	simiommu_extra_resv(p->start, p->length, p->type);
	KUNIT_EXPECT_EQ(test, uvfio_set_container(t->fx, gc, t->container),
			p->ret);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), P);
	t1_expect_ranges(t, p->ranges, p->nr);
}

/*
 * A second group shares the first one's domain; when it cannot, it gets a
 * domain of its own with every mapping replayed into it. A mapping made
 * later goes to both, and the last group leaving takes every mapping.
 */
static void uvfio_type1_groups(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *b = uvfio_fn(test, UVFIO_FN_MFD0);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	unsigned long locked = current->mm->locked_vm;
	struct iommu_domain *da = t1_domain(t->pdev);
	struct file *gb, *gc;
	u64 size = P, ranges[4];

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, 4 * P, RW), 0);
	gb = t1_group(t, b);
	KUNIT_EXPECT_PTR_EQ(test, t1_domain(b), da);

	/* The shared domain refuses: a new one, with the mapping replayed. */
	simiommu_fail_attach(2);
	gc = t1_group(t, c);
	KUNIT_EXPECT_PTR_NE(test, t1_domain(c), da);
	KUNIT_EXPECT_EQ(test, t1_domain(c)->type, IOMMU_DOMAIN_UNMANAGED);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 4 * P);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(t1_domain(c), IOVA + P),
			iommu_iova_to_phys(da, IOVA + P));

	KUNIT_EXPECT_EQ(test, t1_map(t, 2 * IOVA, t->buf + 4 * P, P, RW), 0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 5 * P);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 5 * P);
	/* Pinned and charged once, whatever the number of domains. */
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 5);

	/* The second domain refuses a map: the first one's is undone. */
	simiommu_fail_map(2);
	KUNIT_EXPECT_EQ(test, t1_map(t, 3 * IOVA, t->buf + 5 * P, P, RW),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 5 * P);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 5 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 5);
	/* An unmap leaves both. */
	KUNIT_EXPECT_EQ(test, t1_unmap(t, 2 * IOVA, &size, 0), 0);
	KUNIT_EXPECT_EQ(test, size, P);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 4 * P);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 4 * P);
	KUNIT_EXPECT_EQ(test, t1_map(t, 2 * IOVA, t->buf + 4 * P, P, RW), 0);

	/* Its own domain goes with it; the mappings stay for the others. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(gc, VFIO_GROUP_UNSET_CONTAINER, 0), 0);
	KUNIT_EXPECT_EQ(test, t1_domain(c)->type, IOMMU_DOMAIN_IDENTITY);
	/* The apertures left decide the valid IOVA: all of it again. */
	t1_iova_ranges(t, ranges);
	KUNIT_EXPECT_EQ(test, ranges[0], 0);
	KUNIT_EXPECT_EQ(test, ranges[1], SIMPCI_MSI_WINDOW_START - 1);
	KUNIT_EXPECT_EQ(test, ranges[3], APERTURE_END);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 5 * P);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->group, VFIO_GROUP_UNSET_CONTAINER,
					  0), 0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 5 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 5);
	/* The last group: every mapping, pin and charge goes. */
	uvfio_close(t->fx, gb);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
}

/* A replay that fails leaves the new group out and the others intact. */
static void uvfio_type1_replay_fails(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	struct iommu_domain *da = t1_domain(t->pdev);
	struct file *gc;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(t, 2 * IOVA, t->buf + P, P, RW), 0);
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, c, UVFIO_TEST_DRIVER));
	gc = uvfio_open_group(t->fx, uvfio_group_id(test, c));
	simiommu_fail_attach(2);
	simiommu_fail_map(2);
	KUNIT_EXPECT_EQ(test, uvfio_set_container(t->fx, gc, t->container),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, t1_domain(c)->type, IOMMU_DOMAIN_IDENTITY);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(da), 2 * P);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(t->fx, gc),
			VFIO_GROUP_FLAGS_VIABLE);
}

/*
 * A run of contiguous pages (four of a BAR) goes into a joining group's
 * domain in one map: the IOMMU failing its second map call is not reached.
 */
static void uvfio_type1_replay_run(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	resource_size_t bar = pci_resource_start(t->pdev, UVFIO_TEST_MMAP_BAR);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	unsigned long a = t1_mmap(test, 4 * P, PROT_READ | PROT_WRITE);
	struct file *device, *gc;
	long err;

	device = uvfio_get_device(t->fx, t->group, pci_name(t->pdev), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, vm_mmap(device, a, 4 * P, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_FIXED,
				      UVFIO_TEST_MMAP_OFFSET), a);
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, a, 4 * P, RW), 0);
	gc = t1_joiner(t, c);
	simiommu_fail_attach(2);
	simiommu_fail_map(2);
	KUNIT_ASSERT_EQ(test, uvfio_set_container(t->fx, gc, t->container), 0);
	KUNIT_EXPECT_PTR_NE(test, t1_domain(c), t1_domain(t->pdev));
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 4 * P);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(t1_domain(c), IOVA + 3 * P),
			bar + 3 * P);
}

struct t1_iommu_fault {
	const char *name;
	void (*arm)(unsigned int nth);
	long ret;
};

static const struct t1_iommu_fault t1_iommu_faults[] = {
	{ "domain allocation", simiommu_fail_domain_alloc, -ENOMEM },
	{ "attach", simiommu_fail_attach, -ENOSPC },
};

KUNIT_ARRAY_PARAM_DESC(t1_iommu_faults, t1_iommu_faults, name);

/* The IOMMU failing SET_IOMMU: its error, the group left blocked. */
static void uvfio_type1_iommu_fails(struct kunit *test)
{
	const struct t1_iommu_fault *f = test->param_value;
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, 0);

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	f->arm(1);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1v2_IOMMU), f->ret);
	KUNIT_EXPECT_EQ(test, t1_domain(t->pdev)->type, IOMMU_DOMAIN_BLOCKED);
	f->arm(0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(t->container, VFIO_SET_IOMMU,
					  VFIO_TYPE1v2_IOMMU), 0);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
}

/* A group may not join while a vaddr is invalid: it might need pinning. */
static void uvfio_type1_join_vaddr_invalid(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct pci_dev *b = uvfio_fn(test, UVFIO_FN_MFD0);
	struct file *gb;
	u64 size = P;

	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_unmap(t, IOVA, &size,
				       VFIO_DMA_UNMAP_FLAG_VADDR), 0);
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, b, UVFIO_TEST_DRIVER));
	gb = uvfio_open_group(t->fx, uvfio_group_id(test, b));
	KUNIT_EXPECT_EQ(test, uvfio_set_container(t->fx, gb, t->container),
			-EBUSY);
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, P,
				     VFIO_DMA_MAP_FLAG_VADDR), 0);
	KUNIT_EXPECT_EQ(test, uvfio_set_container(t->fx, gb, t->container), 0);
}

/*
 * FLAG_VADDR from another process (here: another mm of the same thread)
 * moves the charge to that process's mm.
 */
static void uvfio_type1_vaddr_other_mm(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	struct mm_struct *old = current->mm, *mm;
	unsigned long locked = old->locked_vm, buf;
	u64 size = 2 * P;
	long ret;

	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, t->buf, 2 * P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_unmap(t, IOVA, &size,
				       VFIO_DMA_UNMAP_FLAG_VADDR), 0);
	kthread_unuse_mm(old);
	mm = uvfio_mm_new();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	buf = vm_mmap(NULL, 0, 2 * P, PROT_READ | PROT_WRITE,
		      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	/* The ioctl's arguments live in the old mm: go in by the kernel. */
	ret = IS_ERR_VALUE(buf) ? (long)buf : 0;
	if (!ret) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map), .flags = VFIO_DMA_MAP_FLAG_VADDR,
			.vaddr = buf, .iova = IOVA, .size = 2 * P,
		};
		unsigned long user = vm_mmap(NULL, 0, P, PROT_READ | PROT_WRITE,
					     MAP_ANONYMOUS | MAP_PRIVATE, 0);

		ret = IS_ERR_VALUE(user) || copy_to_user((void __user *)user,
							 &map, sizeof(map));
		if (!ret)
			ret = uvfio_ioctl(t->container, VFIO_IOMMU_MAP_DMA,
					  user);
	}
	KUNIT_EXPECT_EQ(test, mm->locked_vm, 2);
	kthread_unuse_mm(mm);
	mmput(mm);
	kthread_use_mm(old);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, old->locked_vm, locked);
	/* That mm is gone: nothing left to uncharge, the pages unpinned. */
	size = 0;
	KUNIT_EXPECT_EQ(test, t1_unmap(t, 0, &size, VFIO_DMA_UNMAP_FLAG_ALL), 0);
	KUNIT_EXPECT_EQ(test, size, 2 * P);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(t->pdev)), 0);
}

/* Four pages of the test device's mmap BAR, mapped into the process. */
static unsigned long t1_bar_mmap(struct t1 *t, struct file **device)
{
	struct kunit *test = t->fx->test;
	unsigned long addr;
	long err;

	*device = uvfio_get_device(t->fx, t->group, pci_name(t->pdev), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	addr = kunit_vm_mmap(test, *device, 0, 4 * P, PROT_READ | PROT_WRITE,
			     MAP_SHARED, UVFIO_TEST_MMAP_OFFSET);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

/*
 * A replay maps each mapping by itself, even where the next one follows
 * it in IOVA and in physical memory (two mappings of one BAR).
 */
static void uvfio_type1_replay_adjacent(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	resource_size_t bar = pci_resource_start(t->pdev, UVFIO_TEST_MMAP_BAR);
	struct pci_dev *c = uvfio_fn(test, SIM_DMA_DEVFN);
	struct iommu_domain *da = t1_domain(t->pdev);
	struct file *device;
	unsigned long addr;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	addr = t1_bar_mmap(t, &device);
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, addr, 2 * P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA + 2 * P, addr + 2 * P, 2 * P, RW),
			0);

	simiommu_fail_attach(2);
	t1_group(t, c);
	KUNIT_ASSERT_PTR_NE(test, t1_domain(c), da);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(c)), 4 * P);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(t1_domain(c), IOVA + 3 * P),
			bar + 3 * P);
}

/*
 * A device's BAR mapped by its driver (VM_PFNMAP of reserved pages, as for
 * peer-to-peer DMA) is mapped without pinning or charging anything.
 */
static void uvfio_type1_pfnmap(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	resource_size_t bar = pci_resource_start(t->pdev, UVFIO_TEST_MMAP_BAR);
	unsigned long locked = current->mm->locked_vm, addr;
	struct iommu_domain *domain = t1_domain(t->pdev);
	struct file *device;
	unsigned int i;
	u64 size = 0;
	int refs;

	addr = t1_bar_mmap(t, &device);

	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, addr, 4 * P, RW), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, IOVA + 3 * P),
			bar + 3 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	/* Anonymous memory after it: two runs, only the RAM one charged. */
	KUNIT_EXPECT_EQ(test, t1_map(t, 2 * IOVA, t->buf, 2 * P, RW), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 2);
	KUNIT_EXPECT_EQ(test, t1_unmap(t, 0, &size, VFIO_DMA_UNMAP_FLAG_ALL), 0);
	KUNIT_EXPECT_EQ(test, size, 6 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);

	/* The BAR's first two pages twice in a row: two runs, not one. */
	addr = t1_mmap(test, 4 * P, PROT_READ | PROT_WRITE);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, vm_mmap(device, addr + 2 * i * P, 2 * P,
					      PROT_READ | PROT_WRITE,
					      MAP_SHARED | MAP_FIXED,
					      UVFIO_TEST_MMAP_OFFSET),
				addr + 2 * i * P);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, addr, 4 * P, RW), 0);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, IOVA + i * P),
				bar + (i % 2) * P);
	size = 4 * P;
	KUNIT_EXPECT_EQ(test, t1_unmap(t, IOVA, &size, 0), 0);

	/* A hole after the BAR's pages: -EFAULT, their pages untouched. */
	refs = page_ref_count(pfn_to_page(PHYS_PFN(bar)));
	KUNIT_ASSERT_EQ(test, 0, vm_munmap(addr + 2 * P, P));
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, addr, 3 * P, RW), -EFAULT);
	KUNIT_EXPECT_EQ(test, page_ref_count(pfn_to_page(PHYS_PFN(bar))), refs);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
}

/* Pages of @addr as the CPU sees them, with a reference each. */
static void t1_user_pages(struct kunit *test, unsigned long addr,
			  unsigned int n, struct page **pages)
{
	KUNIT_ASSERT_EQ(test, n, get_user_pages_fast(addr, n, 0, pages));
}

static void t1_put_pages(struct page **pages, unsigned int n)
{
	while (n--)
		put_page(pages[n]);
}

/*
 * Runs as pinning finds them: user pages faulted in out of order (so not
 * physically contiguous) and a device's BAR right after them in the same
 * range. Every IOVA translates to the page behind its vaddr, only the RAM
 * is charged, and unmapping leaves no page pinned.
 */
static void uvfio_type1_runs(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	resource_size_t bar = pci_resource_start(t->pdev, UVFIO_TEST_MMAP_BAR);
	struct iommu_domain *domain = t1_domain(t->pdev);
	unsigned long locked = current->mm->locked_vm, a, other, addr;
	struct page *pages[8];
	struct file *device;
	unsigned int i;
	u64 size = 0;
	long err;

	/* Interleaved with another buffer and backwards: runs of one. */
	a = t1_mmap(test, 12 * P, PROT_READ | PROT_WRITE);
	other = t1_mmap(test, 8 * P, PROT_READ | PROT_WRITE);
	for (i = 8; i--; ) {
		KUNIT_ASSERT_EQ(test, 0, put_user(i, (u8 __user *)(a + i * P)));
		KUNIT_ASSERT_EQ(test, 0, put_user(i,
						  (u8 __user *)(other + i * P)));
	}
	/* The BAR right after the 8 pages, in the same range. */
	device = uvfio_get_device(t->fx, t->group, pci_name(t->pdev), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	addr = vm_mmap(device, a + 8 * P, 4 * P, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, UVFIO_TEST_MMAP_OFFSET);
	KUNIT_ASSERT_EQ(test, addr, a + 8 * P);

	KUNIT_ASSERT_EQ(test, t1_map(t, IOVA, a, 12 * P, RW), 0);
	t1_user_pages(test, a, 8, pages);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain,
				    IOVA + i * P), page_to_phys(pages[i]),
				    "page %u", i);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain,
				IOVA + (8 + i) * P), bar + i * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked + 8);

	KUNIT_EXPECT_EQ(test, t1_unmap(t, 0, &size, VFIO_DMA_UNMAP_FLAG_ALL), 0);
	KUNIT_EXPECT_EQ(test, size, 12 * P);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_FALSE_MSG(test, folio_maybe_dma_pinned(
				       page_folio(pages[i])), "page %u", i);
	t1_put_pages(pages, 8);
}

/* A failing IOMMU map unwinds the whole MAP_DMA: no pin, no charge. */
static void uvfio_type1_map_fails(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	unsigned long locked = current->mm->locked_vm;
	struct page *page;
	int refs;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, t1_disarm,
							   NULL));
	/* Touch the pages so that they exist before and after. */
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)t->buf, 4 * P));
	KUNIT_ASSERT_EQ(test, 1, get_user_pages_fast(t->buf, 1, 0, &page));
	refs = page_ref_count(page);
	simiommu_fail_map(1);
	KUNIT_EXPECT_EQ(test, t1_map(t, IOVA, t->buf, 4 * P, RW), -ENOMEM);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, locked);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs);
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(page_folio(page)));
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(t1_domain(t->pdev)), 0);
	KUNIT_EXPECT_EQ(test, t1_dma_avail(t), U16_MAX);
	put_page(page);
}

struct t1_dirty {
	struct t1 *t;
	unsigned long bitmap;	/* user memory */
};

static long t1_dirty_flags(struct t1 *t, u32 argsz, u32 flags)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = argsz, .flags = flags,
	};

	return uvfio_ioctl_user(t->fx, t->container, VFIO_IOMMU_DIRTY_PAGES,
				&d, sizeof(d));
}

static long t1_get_bitmap(struct t1 *t, u64 iova, u64 size, u64 pgsize,
			  u64 bytes, unsigned long data)
{
	return uvfio_get_dirty_bitmap(t->fx, t->container, iova, size, pgsize,
				      bytes, data);
}

static u64 t1_word(struct kunit *test, unsigned long data, unsigned int i)
{
	u64 w;

	KUNIT_ASSERT_EQ(test, 0, get_user(w, (u64 __user *)data + i));
	return w;
}

/* DIRTY_PAGES: v2 only, one flag at a time, upstream's bitmap checks. */
static void uvfio_type1_dirty(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1v2_IOMMU);
	unsigned long bm = t1_mmap(test, P, PROT_READ | PROT_WRITE), big;
	const u32 start = VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
	const u32 stop = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;
	const u32 get = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	u64 base = 0x1000000, size;
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} unmap;

	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 7, start), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, BIT(3)), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, start | stop), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 64 * P, P, 8, bm),
			-EINVAL);	/* not tracking */

	/* Pages 1-2 and 65-67 of the range: the second starts mid-word. */
	KUNIT_ASSERT_EQ(test, t1_map(t, base + P, t->buf, 2 * P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(t, base + 65 * P, t->buf + 2 * P, 3 * P,
				     RW), 0);
	KUNIT_ASSERT_EQ(test, t1_dirty_flags(t, 8, start), 0);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, start), 0);
	/* A bitmap request with no room for its range. */
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, get), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8 + sizeof(struct
			vfio_iommu_type1_dirty_bitmap_get) - 1, get), -EINVAL);

	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, 2 * P, 16, bm),
			-EINVAL);	/* not the container's page size */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, 0, 16, bm),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base + 1, 128 * P, P, 16, bm),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 0, P, 16, bm), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P - 1, P, 16, bm),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 8, bm),
			-EINVAL);	/* bitmap too small */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 0, bm),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, -P, 2 * P, P, 8, bm), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base + 2 * P, 64 * P, P, 8, bm),
			-EINVAL);	/* bisects the first mapping */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 2 * P, P, 8, bm),
			-EINVAL);	/* ends inside it */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 16,
					    TASK_SIZE - 8), -EINVAL);

	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)bm, 16));
	KUNIT_ASSERT_EQ(test, 0, put_user(0x100ULL, (u64 __user *)bm + 1));
	KUNIT_ASSERT_EQ(test, 0, put_user(0xffULL << 56,
					  (u64 __user *)bm + 2));
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 16, bm), 0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0x6ULL);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 1), 0x10eULL);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 2), 0xffULL << 56);
	/*
	 * Pinned pages stay dirty: a second read reports them again, and,
	 * as upstream, what the last report shifted past a mapping's pages
	 * (its own bit 2, the word ORed in, 0x100) shifted once more.
	 */
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)bm, 16));
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 16, bm), 0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0xeULL);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 1), 0x21eULL);

	/* A range ending where a mapping begins does not report it. */
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)bm, 16));
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, base, P, P, 8, bm), 0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0ULL);
	/*
	 * One ending where a mapping ends does: its two pages, and with them,
	 * as upstream copies whole words, the two bits the reports above
	 * shifted past them.
	 */
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, base + P, 2 * P, P, 8, bm), 0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0xfULL);
	/* A bitmap may be as large as upstream's limit, not a byte more. */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, P, P,
					    UVFIO_BITMAP_SIZE_MAX, bm), 0);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, P, P,
					    UVFIO_BITMAP_SIZE_MAX + 1, bm),
			-EINVAL);

	/* UNMAP_DMA with the bitmap: bit 0 is the unmap's iova. */
	memset(&unmap, 0, sizeof(unmap));
	unmap.u.argsz = sizeof(unmap);
	unmap.u.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	unmap.u.iova = base + 64 * P;
	unmap.u.size = 64 * P;
	unmap.b.pgsize = P;
	unmap.b.size = 8;
	unmap.b.data = (u64 __user *)bm;
	/*
	 * A mapping starting mid-word ORs its bits into that word, with what
	 * the earlier reports left shifted up in its own bitmap.
	 */
	KUNIT_ASSERT_EQ(test, 0, put_user(0xf1ULL, (u64 __user *)bm));
	/* The bitmap is there, but argsz does not take it in. */
	unmap.u.argsz = sizeof(unmap.u);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(t->fx, t->container,
			VFIO_IOMMU_UNMAP_DMA, &unmap, sizeof(unmap)), -EINVAL);
	unmap.u.argsz = sizeof(unmap) - 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(t->fx, t->container,
			VFIO_IOMMU_UNMAP_DMA, &unmap, sizeof(unmap)), -EINVAL);
	unmap.u.argsz = sizeof(unmap);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(t->fx, t->container,
			VFIO_IOMMU_UNMAP_DMA, &unmap, sizeof(unmap)), 0);
	KUNIT_EXPECT_EQ(test, unmap.u.size, 3 * P);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0x4ffULL);

	unmap.b.size = 0;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(t->fx, t->container,
			VFIO_IOMMU_UNMAP_DMA, &unmap, sizeof(unmap)), -EINVAL);

	/* Mapped while tracking: reported from the start. */
	KUNIT_ASSERT_EQ(test, t1_map(t, base + 64 * P, t->buf + 8 * P, P, RW),
			0);
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)bm, 8));
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, base + 64 * P, 64 * P, P, 8,
					    bm), 0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), 0x1ULL);
	size = P;
	KUNIT_EXPECT_EQ(test, t1_unmap(t, base + 64 * P, &size, 0), 0);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 16, P),
			-EFAULT);	/* nothing mapped there */
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 128 * P, P, 16,
					    t1_mmap(test, P, PROT_READ)),
			-EFAULT);	/* read-only */

	/*
	 * 64 pages from bit 1: the last bit lands in the next word. The range
	 * ends where the next mapping begins: that one is not reported.
	 */
	big = t1_mmap(test, 64 * P, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_EQ(test, t1_map(t, 2 * base + P, big, 64 * P, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(t, 2 * base + 66 * P, t->buf, P, RW), 0);
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)bm, 16));
	KUNIT_ASSERT_EQ(test, t1_get_bitmap(t, 2 * base, 66 * P, P, 16, bm),
			0);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 0), ~1ULL);
	KUNIT_EXPECT_EQ(test, t1_word(test, bm, 1), 1ULL);

	KUNIT_ASSERT_EQ(test, t1_dirty_flags(t, 8, stop), 0);
	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8, stop), 0);
	KUNIT_EXPECT_EQ(test, t1_get_bitmap(t, base, 64 * P, P, 8, bm),
			-EINVAL);
	size = 2 * P;
	unmap.u.iova = base + P;
	unmap.u.size = size;
	unmap.b.size = 8;	/* a good bitmap: refused for not tracking */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(t->fx, t->container,
			VFIO_IOMMU_UNMAP_DMA, &unmap, sizeof(unmap)), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_unmap(t, base + P, &size, 0), 0);
	KUNIT_EXPECT_EQ(test, size, 2 * P);
}

/* Dirty tracking is v2's: a v1 container gets -EACCES. */
static void uvfio_type1_dirty_v1(struct kunit *test)
{
	struct t1 *t = t1_open(test, UVFIO_FN_SINGLE, VFIO_TYPE1_IOMMU);

	KUNIT_EXPECT_EQ(test, t1_dirty_flags(t, 8,
			VFIO_IOMMU_DIRTY_PAGES_FLAG_START), -EACCES);
}

/*
 * The DMA engine copies between buffers mapped with MAP_DMA, cannot
 * write into a read-only mapping nor reach what was unmapped.
 */
static void uvfio_type1_dma_engine(struct kunit *test)
{
	struct t1 *t = t1_open(test, SIM_DMA_DEVFN, VFIO_TYPE1v2_IOMMU);
	struct sim_fn dma = sim_open(test, SIM_DMA_DEVFN);
	const u64 src = IOVA, dst = 2 * IOVA;
	char msg[] = "mapped by type1", got[sizeof(msg)] = {};
	u64 size = P;

	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)t->buf, msg,
					      sizeof(msg)));
	KUNIT_ASSERT_EQ(test, 0, clear_user((void __user *)(t->buf + P), P));
	KUNIT_ASSERT_EQ(test, t1_map(t, src, t->buf, P,
				     VFIO_DMA_MAP_FLAG_READ), 0);
	KUNIT_ASSERT_EQ(test, t1_map(t, dst, t->buf + P, P, RW), 0);

	KUNIT_EXPECT_EQ(test, sim_dma_copy(&dma, src, dst, sizeof(msg), 0),
			SIMPCI_DMA_DONE);
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(got,
				(void __user *)(t->buf + P), sizeof(got)));
	KUNIT_EXPECT_STREQ(test, got, msg);
	iowrite32(SIMPCI_DMA_DONE | SIMPCI_DMA_ERROR,
		  dma.regs + SIMPCI_DMA_STATUS);

	/* Read-only for the device. */
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&dma, dst, src, 8, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPCI_DMA_FAULT), src);
	iowrite32(SIMPCI_DMA_DONE | SIMPCI_DMA_ERROR,
		  dma.regs + SIMPCI_DMA_STATUS);

	KUNIT_ASSERT_EQ(test, t1_unmap(t, dst, &size, 0), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&dma, src, dst, 8, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPCI_DMA_FAULT), dst);
}

static struct kunit_case uvfio_type1_cases[] = {
	KUNIT_CASE_PARAM(uvfio_type1_sequence, t1_seqs_gen_params),
	KUNIT_CASE(uvfio_type1_prot),
	KUNIT_CASE(uvfio_type1_entry_limit),
	KUNIT_CASE(uvfio_type1_memlock),
	KUNIT_CASE(uvfio_type1_map_fails),
	KUNIT_CASE(uvfio_type1_vaddr_other_mm),
	KUNIT_CASE(uvfio_type1_pfnmap),
	KUNIT_CASE(uvfio_type1_replay_adjacent),
	KUNIT_CASE(uvfio_type1_runs),
	KUNIT_CASE(uvfio_type1_info),
	KUNIT_CASE(uvfio_type1_extensions),
	KUNIT_CASE(uvfio_type1_container_closed_first),
	KUNIT_CASE(uvfio_type1_efault),
	KUNIT_CASE(uvfio_type1_unsafe_interrupts),
	KUNIT_CASE(uvfio_type1_groups),
	KUNIT_CASE_PARAM(uvfio_type1_aperture, aperture_gen_params),
	KUNIT_CASE_PARAM(uvfio_type1_resv, resv_gen_params),
	KUNIT_CASE(uvfio_type1_replay_fails),
	KUNIT_CASE(uvfio_type1_replay_run),
	KUNIT_CASE(uvfio_type1_noncoherent),
	KUNIT_CASE_PARAM(uvfio_type1_iommu_fails, t1_iommu_faults_gen_params),
	KUNIT_CASE(uvfio_type1_join_vaddr_invalid),
	KUNIT_CASE(uvfio_type1_dirty),
	KUNIT_CASE(uvfio_type1_dirty_v1),
	KUNIT_CASE(uvfio_type1_dma_engine),
	{}
};

static struct kunit_suite uvfio_type1_suite = {
	.name = "uvfio_type1",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_type1_cases,
};

kunit_test_suite(uvfio_type1_suite);

MODULE_DESCRIPTION("KUnit: vfio-uml's type1 backend");
MODULE_LICENSE("GPL");
