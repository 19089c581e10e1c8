// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test backend: a container backend that attaches nothing to any
 * domain and only counts, so that the core's state machine can be driven
 * without type1. It answers its own type UVFIO_TEST_IOMMU and, while the
 * kernel has no type1 of its own, VFIO_TYPE1_IOMMU and VFIO_TYPE1v2_IOMMU,
 * so that userspace clients written for Linux reach the core.
 */
#include <linux/init.h>
#include <linux/slab.h>

#include "core/uvfio_private.h"
#include "uvfio_test.h"

struct uvfio_test_iommu_stats uvfio_test_iommu;

/**
 * struct uvfio_test_container - one backend instance
 * @type: the type it was opened for
 * @groups: groups attached to it
 */
struct uvfio_test_container {
	unsigned long type;
	atomic_t groups;
};

static bool uvfio_test_iommu_type(unsigned long type)
{
	if (type == UVFIO_TEST_IOMMU)
		return true;
	/* Standing in for type1 until the kernel has its own. */
	return !IS_ENABLED(CONFIG_UVFIO_TYPE1) &&
	       (type == VFIO_TYPE1_IOMMU || type == VFIO_TYPE1v2_IOMMU);
}

static void *uvfio_test_iommu_open(unsigned long type)
{
	struct uvfio_test_container *tc;
	int err = uvfio_test_iommu.fail_open;

	if (err) {
		uvfio_test_iommu.fail_open = 0;
		return ERR_PTR(err);
	}
	tc = kzalloc(sizeof(*tc), GFP_KERNEL);
	if (!tc)
		return ERR_PTR(-ENOMEM);
	tc->type = type;
	atomic_inc(&uvfio_test_iommu.live);
	return tc;
}

static void uvfio_test_iommu_release(void *data)
{
	struct uvfio_test_container *tc = data;

	WARN_ON(atomic_read(&tc->groups));
	atomic_dec(&uvfio_test_iommu.live);
	kfree(tc);
}

static long uvfio_test_iommu_ioctl(void *data, unsigned int cmd,
				   unsigned long arg)
{
	struct uvfio_test_container *tc = data;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		if (tc)
			return arg == tc->type;
		return uvfio_test_iommu_type(arg);
	case UVFIO_TEST_IOMMU_GROUPS:
		return atomic_read(&tc->groups);
	default:
		return -ENOTTY;
	}
}

static int uvfio_test_iommu_attach(void *data, struct iommu_group *group)
{
	struct uvfio_test_container *tc = data;

	if (uvfio_test_iommu.fail_attach && uvfio_test_iommu.attach_ok-- <= 0)
		return uvfio_test_iommu.fail_attach;
	atomic_inc(&tc->groups);
	atomic_inc(&uvfio_test_iommu.attached);
	return 0;
}

static void uvfio_test_iommu_detach(void *data, struct iommu_group *group)
{
	struct uvfio_test_container *tc = data;

	atomic_dec(&tc->groups);
	atomic_dec(&uvfio_test_iommu.attached);
}

static void uvfio_test_iommu_notify(void *data,
				    enum uvfio_iommu_notify_type event)
{
	if (event == UVFIO_IOMMU_CONTAINER_CLOSE)
		atomic_inc(&uvfio_test_iommu.notified);
}

static const struct uvfio_iommu_ops uvfio_test_iommu_ops = {
	.name		= "uvfio-test-iommu",
	.open		= uvfio_test_iommu_open,
	.release	= uvfio_test_iommu_release,
	.ioctl		= uvfio_test_iommu_ioctl,
	.attach_group	= uvfio_test_iommu_attach,
	.detach_group	= uvfio_test_iommu_detach,
	.notify		= uvfio_test_iommu_notify,
};

static int __init uvfio_test_iommu_init(void)
{
	return uvfio_register_iommu_driver(&uvfio_test_iommu_ops);
}
device_initcall(uvfio_test_iommu_init);
