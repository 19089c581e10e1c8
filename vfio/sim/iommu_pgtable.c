// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page table of the fake IOMMU's paging domains: four levels of 512
 * entries, 4 KiB leaves at level 0, and 2 MiB and 1 GiB leaves at levels 1
 * and 2, as x86 and ARM table walkers have them. An entry holds a physical
 * address and PRESENT/LEAF/READ/WRITE bits. Unmapping part of a large leaf
 * splits it into a table of smaller leaves first, so that the rest stays
 * mapped.
 */
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#include "simiommu_internal.h"

#define PTE_PRESENT	BIT_ULL(0)
/* IOMMU_READ and IOMMU_WRITE, as they are, in bits 1-2 */
#define PTE_PROT_SHIFT	1
#define PTE_PROT	((u64)(IOMMU_READ | IOMMU_WRITE) << PTE_PROT_SHIFT)
#define PTE_LEAF	BIT_ULL(3)
#define PTE_ADDR	GENMASK_ULL(51, 12)

#define LEVEL_BITS	9
#define ENTRIES		(1 << LEVEL_BITS)

static unsigned int level_shift(int level)
{
	return PAGE_SHIFT + level * LEVEL_BITS;
}

static u64 level_size(int level)
{
	return 1ULL << level_shift(level);
}

static unsigned int pt_index(u64 iova, int level)
{
	return (iova >> level_shift(level)) & (ENTRIES - 1);
}

static u64 *table_of(u64 pte)
{
	return phys_to_virt(pte & PTE_ADDR);
}

static u64 *table_alloc(gfp_t gfp)
{
	return (u64 *)get_zeroed_page(gfp);
}

static int pte_prot(u64 pte)
{
	return (pte & PTE_PROT) >> PTE_PROT_SHIFT;
}

static u64 leaf_pte(phys_addr_t paddr, int prot)
{
	return (paddr & PTE_ADDR) | PTE_PRESENT | PTE_LEAF |
	       (((u64)prot << PTE_PROT_SHIFT) & PTE_PROT);
}

static int size_level(size_t pgsize)
{
	switch (pgsize) {
	case SZ_4K:
		return 0;
	case SZ_2M:
		return 1;
	case SZ_1G:
		return 2;
	}
	return -EINVAL;
}

/* Replace a large leaf by a table of leaves one level down. */
static int split(u64 *ptep, int level, gfp_t gfp)
{
	u64 pte = *ptep, *table;
	int i;

	table = table_alloc(gfp);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ENTRIES; i++)
		table[i] = pte + i * level_size(level - 1);
	*ptep = virt_to_phys(table) | PTE_PRESENT;
	return 0;
}

/*
 * The entry for @iova at @level, creating tables on the way when @gfp is
 * given; NULL when a table is missing (lookup) or cannot be allocated, or
 * when a leaf above @level covers @iova. *@leaf_level is set to the level of
 * that leaf, 0 when there is none (leaves found here are at 1 or above).
 */
static u64 *walk(struct simiommu_domain *d, u64 iova, int level, gfp_t gfp,
		 int *leaf_level)
{
	u64 *table = d->root;
	int l;

	lockdep_assert_held(&d->lock);
	*leaf_level = 0;
	for (l = SIMIOMMU_LEVELS - 1; l > level; l--) {
		u64 *ptep = &table[pt_index(iova, l)];

		if (*ptep & PTE_LEAF) {
			*leaf_level = l;
			return NULL;
		}
		if (!(*ptep & PTE_PRESENT)) {
			u64 *next;

			if (!gfp)
				return NULL;
			next = table_alloc(gfp);
			if (!next)
				return NULL;
			*ptep = virt_to_phys(next) | PTE_PRESENT;
		}
		table = table_of(*ptep);
	}
	return &table[pt_index(iova, level)];
}

/**
 * simiommu_pt_map() - map @pgcount pages of @pgsize from @iova to @paddr
 * @d: the domain, its lock held
 * @iova: bus address, aligned to @pgsize
 * @paddr: physical address, aligned to @pgsize
 * @pgsize: a size of the domain's page size bitmap
 * @pgcount: number of pages
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: for page table pages
 * @mapped: incremented by the bytes mapped
 *
 * Return: 0; -EEXIST when a page is already mapped, -ENOMEM.
 */
int simiommu_pt_map(struct simiommu_domain *d, u64 iova, phys_addr_t paddr,
		    size_t pgsize, size_t pgcount, int prot, gfp_t gfp,
		    size_t *mapped)
{
	int level = size_level(pgsize);

	lockdep_assert_held(&d->lock);
	if (level < 0)
		return level;
	while (pgcount--) {
		int leaf_level;
		u64 *ptep = walk(d, iova, level, gfp, &leaf_level);

		if (!ptep)
			return leaf_level ? -EEXIST : -ENOMEM;
		/* A table below means smaller pages are mapped there. */
		if (*ptep & PTE_PRESENT)
			return -EEXIST;
		*ptep = leaf_pte(paddr, prot);
		d->mapped_bytes += pgsize;
		*mapped += pgsize;
		iova += pgsize;
		paddr += pgsize;
	}
	return 0;
}

/* Free a table and everything below it; return the bytes it mapped. */
static u64 free_table(u64 *table, int level)
{
	u64 bytes = 0;
	int i;

	for (i = 0; i < ENTRIES; i++) {
		if (!(table[i] & PTE_PRESENT))
			continue;
		if (table[i] & PTE_LEAF)
			bytes += level_size(level);
		else
			bytes += free_table(table_of(table[i]), level - 1);
	}
	free_page((unsigned long)table);
	return bytes;
}

/**
 * simiommu_pt_unmap() - unmap @pgcount pages of @pgsize from @iova
 * @d: the domain, its lock held
 * @iova: bus address, aligned to @pgsize
 * @pgsize: page size
 * @pgcount: number of pages
 *
 * A larger leaf that covers a page to unmap is split first, so that only
 * the range asked for goes away. Unmapping stops at the first hole.
 *
 * Return: the number of bytes unmapped.
 */
size_t simiommu_pt_unmap(struct simiommu_domain *d, u64 iova, size_t pgsize,
			 size_t pgcount)
{
	int level = size_level(pgsize);
	size_t unmapped = 0;

	lockdep_assert_held(&d->lock);
	if (level < 0)
		return 0;
	while (pgcount--) {
		int leaf_level, none;
		u64 *ptep = walk(d, iova, level, 0, &leaf_level);

		/* Inside a larger leaf: split it down to @level first. */
		while (leaf_level) {
			if (split(walk(d, iova, leaf_level, 0, &none), leaf_level,
				  GFP_ATOMIC))
				return unmapped;
			ptep = walk(d, iova, level, 0, &leaf_level);
		}
		if (!ptep || !(*ptep & PTE_PRESENT))
			return unmapped;
		if (*ptep & PTE_LEAF)
			d->mapped_bytes -= pgsize;
		else	/* smaller pages below: they all go */
			d->mapped_bytes -= free_table(table_of(*ptep),
						      level - 1);
		*ptep = 0;
		unmapped += pgsize;
		iova += pgsize;
	}
	return unmapped;
}

/**
 * simiommu_pt_lookup() - translate one bus address
 * @d: the domain, its lock held
 * @iova: bus address
 * @paddr: set to the physical address
 * @size: set to the size of the leaf
 *
 * Return: IOMMU_READ/IOMMU_WRITE of the leaf, or 0 when nothing is mapped.
 */
int simiommu_pt_lookup(struct simiommu_domain *d, u64 iova,
		       phys_addr_t *paddr, size_t *size)
{
	u64 *table = d->root;
	int l;

	lockdep_assert_held(&d->lock);
	for (l = SIMIOMMU_LEVELS - 1; l >= 0; l--) {
		u64 pte = table[pt_index(iova, l)];

		if (!(pte & PTE_PRESENT))
			return 0;
		if (pte & PTE_LEAF) {
			*paddr = (pte & PTE_ADDR) + (iova & (level_size(l) - 1));
			*size = level_size(l);
			return pte_prot(pte);
		}
		table = table_of(pte);
	}
	return 0;
}

/**
 * simiommu_pt_walk() - the leaves of a domain, in IOVA order
 * @d: the domain, its lock held
 * @fn: called for each leaf with its bus address, physical address, size
 *	and IOMMU_READ/IOMMU_WRITE; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Return: what @fn returned last, or 0.
 */
int simiommu_pt_walk(struct simiommu_domain *d, simiommu_leaf_fn fn,
			 void *arg)
{
	struct {
		u64 *table;
		int i;
	} stack[SIMIOMMU_LEVELS];
	int l = SIMIOMMU_LEVELS - 1;
	u64 base = 0;
	int ret;

	lockdep_assert_held(&d->lock);
	stack[l].table = d->root;
	stack[l].i = 0;
	while (l < SIMIOMMU_LEVELS) {
		u64 pte;

		if (stack[l].i == ENTRIES) {
			l++;
			continue;
		}
		base &= ~(level_size(l + 1) - 1);
		base |= (u64)stack[l].i << level_shift(l);
		pte = stack[l].table[stack[l].i++];
		if (!(pte & PTE_PRESENT))
			continue;
		if (pte & PTE_LEAF) {
			ret = fn(arg, base, pte & PTE_ADDR, level_size(l),
				 pte_prot(pte));
			if (ret)
				return ret;
			continue;
		}
		l--;
		stack[l].table = table_of(pte);
		stack[l].i = 0;
	}
	return 0;
}

/**
 * simiommu_pt_init() - an empty table
 * @d: the domain
 *
 * Return: 0 or -ENOMEM.
 */
int simiommu_pt_init(struct simiommu_domain *d)
{
	d->root = table_alloc(GFP_KERNEL);
	return d->root ? 0 : -ENOMEM;
}

/**
 * simiommu_pt_free() - free all tables of a domain
 * @d: the domain, no longer attached anywhere
 */
void simiommu_pt_free(struct simiommu_domain *d)
{
	free_table(d->root, SIMIOMMU_LEVELS - 1);
	d->root = NULL;
}
