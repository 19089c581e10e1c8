/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the fake IOMMU shared by iommu.c and iommu_pgtable.c.
 *
 * Lifetime: a paging domain lives from domain_alloc_paging to its free op;
 * the IOMMU core detaches it from every device first. Locking: the global
 * attachment lock (iommu.c) is taken before a domain's lock; map and unmap
 * take only the domain's lock; both are irq-safe spinlocks because device
 * DMA is translated from any context.
 */
#ifndef SIMIOMMU_INTERNAL_H
#define SIMIOMMU_INTERNAL_H

#include <linux/iommu.h>
#include <linux/spinlock.h>

#include "simiommu.h"

#define SIMIOMMU_LEVELS		4	/* 48-bit IOVA */

struct simiommu_domain {
	struct iommu_domain domain;
	spinlock_t lock;		/* the page table */
	u64 *root;
	u64 mapped_bytes;
	bool snoop;			/* enforces cache coherency */
};

int simiommu_pt_init(struct simiommu_domain *d);
void simiommu_pt_free(struct simiommu_domain *d);
int simiommu_pt_map(struct simiommu_domain *d, u64 iova, phys_addr_t paddr,
		    size_t pgsize, size_t pgcount, int prot, gfp_t gfp,
		    size_t *mapped);
size_t simiommu_pt_unmap(struct simiommu_domain *d, u64 iova, size_t pgsize,
			 size_t pgcount);
int simiommu_pt_lookup(struct simiommu_domain *d, u64 iova,
		       phys_addr_t *paddr, size_t *size);
int simiommu_pt_walk(struct simiommu_domain *d, simiommu_leaf_fn fn,
			 void *arg);

#endif /* SIMIOMMU_INTERNAL_H */
