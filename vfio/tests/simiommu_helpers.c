// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the fake IOMMU's KUnit suites.
 */
#include <kunit/test.h>
#include <linux/iommu.h>

#include "simiommu_helpers.h"

KUNIT_DEFINE_ACTION_WRAPPER(put_group, iommu_group_put, struct iommu_group *);
KUNIT_DEFINE_ACTION_WRAPPER(free_domain, iommu_domain_free,
			    struct iommu_domain *);
KUNIT_DEFINE_ACTION_WRAPPER(release_dma, iommu_group_release_dma_owner,
			    struct iommu_group *);

/**
 * sim_group() - the IOMMU group of a device, put when the test ends
 * @test: the test
 * @dev: the device
 *
 * Return: the group; the test fails if the device has none.
 */
struct iommu_group *sim_group(struct kunit *test, struct device *dev)
{
	struct iommu_group *group = iommu_group_get(dev);

	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, put_group,
							   group));
	return group;
}

/**
 * sim_claim_dma() - take DMA ownership of a group, as VFIO does
 * @test: the test
 * @group: the group, with no driver bound to its devices
 *
 * The group is attached to the blocking domain until a domain is attached.
 */
void sim_claim_dma(struct kunit *test, struct iommu_group *group)
{
	KUNIT_ASSERT_EQ(test, 0, iommu_group_claim_dma_owner(group, test));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, release_dma,
							   group));
}

/**
 * sim_paging_domain() - a paging domain for a device, freed at the end
 * @test: the test
 * @dev: the device
 *
 * Return: the domain.
 */
struct iommu_domain *sim_paging_domain(struct kunit *test, struct device *dev)
{
	struct iommu_domain *domain = iommu_paging_domain_alloc(dev);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, domain);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_domain,
							   domain));
	return domain;
}

static void disarm_map(void *data)
{
	simiommu_fail_map(0);
}

static void disarm_domain_alloc(void *data)
{
	simiommu_fail_domain_alloc(0);
}

/**
 * sim_fail_map() - simiommu_fail_map(), disarmed when the test ends
 * @test: the test
 * @nth: the @nth map call from now fails with -ENOMEM
 */
void sim_fail_map(struct kunit *test, unsigned int nth)
{
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, disarm_map,
							   NULL));
	simiommu_fail_map(nth);
}

/**
 * sim_fail_domain_alloc() - simiommu_fail_domain_alloc(), disarmed at the end
 * @test: the test
 * @nth: the @nth paging domain allocation from now fails with -ENOMEM
 */
void sim_fail_domain_alloc(struct kunit *test, unsigned int nth)
{
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				disarm_domain_alloc, NULL));
	simiommu_fail_domain_alloc(nth);
}

struct attachment {
	struct iommu_domain *domain;
	struct iommu_group *group;
};

static void detach(void *data)
{
	struct attachment *a = data;

	iommu_detach_group(a->domain, a->group);
}

/**
 * sim_attach_paging() - the device's group, owned and on a new paging domain
 * @test: the test
 * @dev: the device
 *
 * Undone in order at the end: detach, free the domain, release ownership.
 *
 * Return: the domain.
 */
struct iommu_domain *sim_attach_paging(struct kunit *test, struct device *dev)
{
	struct attachment *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->group = sim_group(test, dev);
	sim_claim_dma(test, a->group);
	a->domain = sim_paging_domain(test, dev);
	KUNIT_ASSERT_EQ(test, 0, iommu_attach_group(a->domain, a->group));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, detach, a));
	return a->domain;
}
