/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fake IOMMU of the simulated PCI hardware: what tests may look at and
 * steer. Everything else goes through the IOMMU API (iommu_group_get,
 * iommu_paging_domain_alloc, iommu_attach_group, iommu_map, ...).
 *
 * Device DMA of the simulated models is translated by the domain the
 * device's group is attached to: identity (the default domain: UML has no
 * DMA-API translation), blocked, or a paging domain. A miss or a permission
 * fault is recorded here and the access refused.
 */
#ifndef SIMIOMMU_H
#define SIMIOMMU_H

#include <linux/iommu.h>
#include <linux/types.h>

/* Platform stream IDs, apart from PCI requester IDs. */
#define SIMIOMMU_STREAM_MAX	0xffff
#define SIMIOMMU_STREAM(sid)	(0x10000 | (sid))

enum simiommu_fault_kind {
	SIMIOMMU_FAULT_UNMAPPED,	/* no translation for the IOVA */
	SIMIOMMU_FAULT_READ,		/* mapped without IOMMU_READ */
	SIMIOMMU_FAULT_WRITE,		/* mapped without IOMMU_WRITE */
	SIMIOMMU_FAULT_BLOCKED,		/* attached to the blocking domain */
};

/**
 * struct simiommu_fault - one refused DMA access
 * @iova: bus address of the access
 * @rid: requester ID the access carried (a bridge's for devices behind a
 *	conventional PCI bridge), or SIMIOMMU_STREAM() of a platform
 *	device's stream ID
 * @kind: why it was refused
 */
struct simiommu_fault {
	u64 iova;
	u32 rid;
	enum simiommu_fault_kind kind;
};

unsigned long simiommu_fault_count(void);
bool simiommu_last_fault(struct simiommu_fault *fault);
void simiommu_clear_faults(void);

/**
 * typedef simiommu_leaf_fn - called for one leaf of a paging domain
 * @arg: the caller's argument
 * @iova: bus address of the leaf
 * @paddr: physical address it maps
 * @size: its size (4 KiB, 2 MiB or 1 GiB)
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 *
 * Return: 0 to go on, anything else to stop the walk.
 */
typedef int (*simiommu_leaf_fn)(void *arg, u64 iova, phys_addr_t paddr,
				size_t size, int prot);

u64 simiommu_mapped_bytes(struct iommu_domain *domain);
int simiommu_walk_mappings(struct iommu_domain *domain,
			      simiommu_leaf_fn fn, void *arg);

void simiommu_fail_map(unsigned int nth);
void simiommu_fail_domain_alloc(unsigned int nth);
void simiommu_fail_attach(unsigned int nth);
void simiommu_next_aperture(u64 start, u64 end);
void simiommu_snoop(bool on);
void simiommu_extra_resv(u64 start, u64 length, enum iommu_resv_type type);

#endif /* SIMIOMMU_H */
