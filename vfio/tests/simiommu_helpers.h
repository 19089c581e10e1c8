/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the fake IOMMU's KUnit suites: groups, DMA ownership, paging
 * domains and attachment, each undone by a KUnit action.
 */
#ifndef SIMIOMMU_HELPERS_H
#define SIMIOMMU_HELPERS_H

#include <linux/iommu.h>

#include "sim_helpers.h"
#include "sim/simiommu.h"

struct iommu_group *sim_group(struct kunit *test, struct device *dev);
struct iommu_domain *sim_paging_domain(struct kunit *test, struct device *dev);
struct iommu_domain *sim_attach_paging(struct kunit *test, struct device *dev);
void sim_claim_dma(struct kunit *test, struct iommu_group *group);
void sim_fail_map(struct kunit *test, unsigned int nth);
void sim_fail_domain_alloc(struct kunit *test, unsigned int nth);

#endif /* SIMIOMMU_HELPERS_H */
