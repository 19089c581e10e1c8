// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failures in the core, type1 and vfio-pci, one by one: each
 * call of the table is made with the n-th slab allocation of the calling
 * task failing
 * (current->fail_nth), for n = 1, 2, ... until the call makes fewer than n
 * allocations. Whenever the call fails, the state must be as before it:
 * what GET_STATUS says, the backend, the device's opens, the IOMMU's
 * mappings and locked_vm; the debug kernel's kmemleak then shows that
 * nothing was lost on the way.
 */
#include <kunit/test.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/sched/mm.h>
#include <linux/syscalls.h>
#include <uapi/linux/eventfd.h>

#include "core/uvfio_private.h"
#include "pci/uvfio_pci_offset.h"
#include "pci/uvfio_pci_priv.h"
#include "sim/simiommu.h"
#include "uvfio_helpers.h"

/* More than any call here allocates (binding makes about a hundred). */
#define UVFIO_NTH_MAX	1000

enum uvfio_nth_need {
	NEED_NOTHING,
	NEED_OVERRIDE,	/* driver_override set, not bound */
	NEED_BOUND,	/* bound to uvfio-test */
	NEED_GROUP,	/* container and group open */
	NEED_FD,	/* and the container has an fd */
	NEED_SET,	/* and SET_CONTAINER done */
	NEED_IOMMU,	/* and SET_IOMMU done, the name in user memory */
	NEED_TYPE1,	/* SET_CONTAINER, SET_IOMMU(TYPE1v2) done */
	NEED_MAPPED,	/* and 4 pages mapped, a second group open */
	NEED_JOINED,	/* and that group in the container */
};

struct uvfio_nth {
	struct kunit *test;
	struct uvfio_fx *fx;
	struct pci_dev *fn;
	struct uvfio_test_dev *tdev;
	struct file *container, *group;
	struct file *opened;	/* by the call, closed by the teardown */
	char group_path[32];
	int fd;
	/* type1: a second function with its group, user memory to map */
	struct pci_dev *fn2;
	struct file *group2;
	char group2_path[32];
	unsigned long buf;
	unsigned long locked;	/* locked_vm once prepared */
	unsigned long mapped;	/* pages mapped once prepared */
	/* with_device: vfio-pci's device file and an eventfd, both prepared */
	struct file *device;
	int efd;
};

#define NTH_IOVA	0x100000ULL
#define NTH_PAGES	4

struct uvfio_nth_op {
	const char *name;
	enum uvfio_nth_need need;
	long (*call)(struct uvfio_nth *n);
	void (*failed)(struct uvfio_nth *n);
	void (*worked)(struct uvfio_nth *n);
	const char *driver;	/* the function's driver; NULL: uvfio-test */
	unsigned int devfn;	/* the function; 0: UVFIO_FN_MFD0 */
	bool with_device;	/* its device fd open before the call */
};

static const struct uvfio_iommu_ops uvfio_nth_backend = {
	.name = "uvfio-kunit-nth",
};

static long nth_bind(struct uvfio_nth *n)
{
	return uvfio_attach(n->fn);
}

static void nth_bind_failed(struct uvfio_nth *n)
{
	int err;

	KUNIT_EXPECT_NULL(n->test, n->fn->dev.driver);
	KUNIT_EXPECT_NULL(n->test, uvfio_open_node(n->fx, n->group_path, &err));
	KUNIT_EXPECT_EQ(n->test, err, -ENOENT);
}

/* Not tracked by an action (its allocation would fail too): n->opened. */
static long nth_open(struct uvfio_nth *n, const char *path)
{
	struct file *file = file_open_root_mnt(n->fx->mnt, path, O_RDWR, 0);

	if (IS_ERR(file))
		return PTR_ERR(file);
	n->opened = file;
	return 0;
}

/*
 * Bound, in a live group. (Not necessarily with its node: the driver core
 * goes on when devtmpfs cannot allocate the node's name.)
 */
static void nth_bind_worked(struct uvfio_nth *n)
{
	struct uvfio_test_dev *tdev = uvfio_test_dev_of(&n->fn->dev);

	KUNIT_ASSERT_NOT_NULL(n->test, tdev);
	KUNIT_ASSERT_NOT_NULL(n->test, tdev->vdev.group);
	KUNIT_EXPECT_NOT_NULL(n->test, tdev->vdev.group->iommu_group);
}

static long nth_open_container(struct uvfio_nth *n)
{
	return nth_open(n, "vfio/vfio");
}

static void nth_nothing_left(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_test_iommu_live(n->fx), 0);
}

static long nth_open_group(struct uvfio_nth *n)
{
	return nth_open(n, n->group_path);
}

/* The failed open did not take the group: it opens now. */
static void nth_open_group_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, nth_open_group(n), 0);
}

static long nth_set_container(struct uvfio_nth *n)
{
	return uvfio_ioctl_user(n->fx, n->group, VFIO_GROUP_SET_CONTAINER,
				&n->fd, sizeof(n->fd));
}

static void nth_set_container_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_group_status(n->fx, n->group),
			VFIO_GROUP_FLAGS_VIABLE);
}

static void nth_set_container_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_group_status(n->fx, n->group),
			VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
}

static long nth_set_iommu(struct uvfio_nth *n)
{
	return uvfio_ioctl(n->container, VFIO_SET_IOMMU, UVFIO_TEST_IOMMU);
}

static void nth_set_iommu_failed(struct uvfio_nth *n)
{
	nth_nothing_left(n);
	KUNIT_EXPECT_EQ(n->test, uvfio_ioctl(n->container,
					     UVFIO_TEST_IOMMU_GROUPS, 0),
			-EINVAL);
}

static void nth_set_iommu_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_test_iommu_live(n->fx), 1);
	KUNIT_EXPECT_EQ(n->test, uvfio_ioctl(n->container,
					     UVFIO_TEST_IOMMU_GROUPS, 0), 1);
}

static long nth_get_device(struct uvfio_nth *n)
{
	return uvfio_ioctl(n->group, VFIO_GROUP_GET_DEVICE_FD,
			   (unsigned long)n->fx->user);
}

/* Nothing in use: the device was closed again, the container unsets. */
static void nth_get_device_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, atomic_read(&n->tdev->opens),
			atomic_read(&n->tdev->closes));
	KUNIT_EXPECT_EQ(n->test, uvfio_ioctl(n->group,
					     VFIO_GROUP_UNSET_CONTAINER, 0), 0);
}

static void nth_get_device_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, atomic_read(&n->tdev->opens) -
			atomic_read(&n->tdev->closes), 1);
}

/* vfio-pci bound, its device registered in a live group. */
static void nth_pci_bound(struct uvfio_nth *n)
{
	struct uvfio_pci_device *vpdev;

	KUNIT_ASSERT_NOT_NULL(n->test, n->fn->dev.driver);
	KUNIT_ASSERT_STREQ(n->test, n->fn->dev.driver->name, "vfio-pci");
	vpdev = dev_get_drvdata(&n->fn->dev);
	KUNIT_ASSERT_NOT_NULL(n->test, vpdev->vdev.group);
	KUNIT_EXPECT_NOT_NULL(n->test, vpdev->vdev.group->iommu_group);
	KUNIT_EXPECT_NOT_NULL(n->test, vpdev->vdev.inode);
}

/* vfio-pci's open undone: the function disabled, the container free. */
static void nth_pci_open_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_FALSE(n->test, pci_is_enabled(n->fn));
	KUNIT_EXPECT_EQ(n->test, uvfio_ioctl(n->group,
					     VFIO_GROUP_UNSET_CONTAINER, 0), 0);
}

static void nth_pci_opened(struct uvfio_nth *n)
{
	KUNIT_EXPECT_TRUE(n->test, pci_is_enabled(n->fn));
}

static long nth_register_backend(struct uvfio_nth *n)
{
	return uvfio_register_iommu_driver(&uvfio_nth_backend);
}

/* Not half registered: it registers now, once. */
static void nth_register_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, nth_register_backend(n), 0);
	KUNIT_EXPECT_EQ(n->test, nth_register_backend(n), -EINVAL);
	uvfio_unregister_iommu_driver(&uvfio_nth_backend);
}

/* Registered: a second registration is refused. */
static void nth_register_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, nth_register_backend(n), -EINVAL);
}

static struct iommu_domain *nth_domain(struct pci_dev *pdev)
{
	return iommu_get_domain_for_dev(&pdev->dev);
}

static long nth_set_type1(struct uvfio_nth *n)
{
	return uvfio_ioctl(n->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
}

/* No backend: the group is owned, in no domain of ours. */
static void nth_set_type1_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, nth_domain(n->fn)->type,
			IOMMU_DOMAIN_BLOCKED);
	KUNIT_EXPECT_EQ(n->test, uvfio_ioctl(n->container, VFIO_IOMMU_GET_INFO,
					     0), -EINVAL);
}

static void nth_set_type1_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, nth_domain(n->fn)->type,
			IOMMU_DOMAIN_UNMANAGED);
}

static long nth_map(struct uvfio_nth *n)
{
	return uvfio_map_dma(n->fx, n->container, NTH_IOVA, n->buf,
			     NTH_PAGES * PAGE_SIZE,
			     VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
}

/* What the prepared state had mapped and charged, no more, no less. */
static void nth_mapped_as_before(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, current->mm->locked_vm, n->locked);
	KUNIT_ASSERT_EQ(n->test, nth_domain(n->fn)->type,
			IOMMU_DOMAIN_UNMANAGED);
	KUNIT_EXPECT_EQ(n->test, simiommu_mapped_bytes(nth_domain(n->fn)),
			n->mapped * PAGE_SIZE);
}

static void nth_map_worked(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, current->mm->locked_vm, n->locked + NTH_PAGES);
	KUNIT_EXPECT_EQ(n->test, simiommu_mapped_bytes(nth_domain(n->fn)),
			NTH_PAGES * PAGE_SIZE);
}

static long nth_dirty(struct uvfio_nth *n, u32 flags);

/* Tracking first: the mapping gets its bitmap too. */
static long nth_map_tracking(struct uvfio_nth *n)
{
	return nth_dirty(n, VFIO_IOMMU_DIRTY_PAGES_FLAG_START) ?: nth_map(n);
}

static long nth_get_info(struct uvfio_nth *n)
{
	struct vfio_iommu_type1_info info = { .argsz = 256 };

	return uvfio_ioctl_user(n->fx, n->container, VFIO_IOMMU_GET_INFO,
				&info, sizeof(info));
}

static long nth_dirty(struct uvfio_nth *n, u32 flags)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = sizeof(d), .flags = flags,
	};

	return uvfio_ioctl_user(n->fx, n->container, VFIO_IOMMU_DIRTY_PAGES,
				&d, sizeof(d));
}

static long nth_dirty_start(struct uvfio_nth *n)
{
	return nth_dirty(n, VFIO_IOMMU_DIRTY_PAGES_FLAG_START);
}

/* Not tracking: a bitmap is refused; START then works unarmed. */
static void nth_dirty_start_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_get_dirty_bitmap(n->fx, n->container,
			NTH_IOVA, NTH_PAGES * PAGE_SIZE, PAGE_SIZE, 8, n->buf),
			-EINVAL);
	KUNIT_EXPECT_EQ(n->test, nth_dirty_start(n), 0);
	nth_mapped_as_before(n);
}

static long nth_join(struct uvfio_nth *n)
{
	return uvfio_ioctl_user(n->fx, n->group2, VFIO_GROUP_SET_CONTAINER,
				&n->fd, sizeof(n->fd));
}

/* Left out, and the first group's mapping untouched. */
static void nth_join_failed(struct uvfio_nth *n)
{
	KUNIT_EXPECT_EQ(n->test, uvfio_group_status(n->fx, n->group2),
			VFIO_GROUP_FLAGS_VIABLE);
	KUNIT_EXPECT_NE(n->test, nth_domain(n->fn2)->type,
			IOMMU_DOMAIN_UNMANAGED);
	nth_mapped_as_before(n);
}

/*
 * In the first group's domain or, when attaching to that one failed, in a
 * domain of its own with the same mappings replayed, as upstream's type1
 * falls back.
 */
static void nth_join_worked(struct uvfio_nth *n)
{
	struct iommu_domain *d2 = nth_domain(n->fn2);

	KUNIT_ASSERT_EQ(n->test, d2->type, IOMMU_DOMAIN_UNMANAGED);
	KUNIT_EXPECT_EQ(n->test, simiommu_mapped_bytes(d2),
			n->mapped * PAGE_SIZE);
	nth_mapped_as_before(n);
}

static long nth_leave(struct uvfio_nth *n)
{
	return uvfio_ioctl(n->group2, VFIO_GROUP_UNSET_CONTAINER, 0);
}

static long nth_set_irqs(struct uvfio_nth *n, u32 index)
{
	struct {
		struct vfio_irq_set hdr;
		s32 fd;
	} set = {
		.hdr = {
			.argsz = sizeof(set), .index = index, .count = 1,
			.flags = VFIO_IRQ_SET_DATA_EVENTFD |
				 VFIO_IRQ_SET_ACTION_TRIGGER,
		},
		.fd = n->efd,
	};

	return uvfio_ioctl_user(n->fx, n->device, VFIO_DEVICE_SET_IRQS, &set,
				sizeof(set));
}

static long nth_set_intx(struct uvfio_nth *n)
{
	return nth_set_irqs(n, VFIO_PCI_INTX_IRQ_INDEX);
}

static long nth_set_msi(struct uvfio_nth *n)
{
	return nth_set_irqs(n, VFIO_PCI_MSI_IRQ_INDEX);
}

static struct uvfio_pci_device *nth_vpdev(struct uvfio_nth *n)
{
	return dev_get_drvdata(&n->fn->dev);
}

/* vfio-pci's permission tables, freed and built again. */
static long nth_perm_tables(struct uvfio_nth *n)
{
	uvfio_pci_perm_exit();
	return uvfio_pci_perm_init();
}

/* The open device's config region reads through the tables. */
static void nth_perm_worked(struct uvfio_nth *n)
{
	char __user *buf = (char __user *)n->fx->user;
	loff_t pos = uvfio_pci_index_to_offset(VFIO_PCI_CONFIG_REGION_INDEX);
	u16 vendor = 0;

	KUNIT_ASSERT_EQ(n->test, uvfio_pci_config_rw(nth_vpdev(n), buf, 2,
						     &pos, false), 2);
	KUNIT_ASSERT_EQ(n->test, copy_from_user(&vendor, buf, 2), 0);
	KUNIT_EXPECT_EQ(n->test, vendor, n->fn->vendor);
}

/* Nothing left half built: the tables build again, unarmed. */
static void nth_perm_failed(struct uvfio_nth *n)
{
	KUNIT_ASSERT_EQ(n->test, uvfio_pci_perm_init(), 0);
	nth_perm_worked(n);
}

/* Nothing enabled, nothing left of the attempt; it works unarmed. */
static void nth_set_irqs_failed(struct uvfio_nth *n)
{
	struct uvfio_pci_device *vpdev = nth_vpdev(n);

	KUNIT_EXPECT_EQ(n->test, vpdev->irq_type, VFIO_PCI_NUM_IRQS);
	KUNIT_EXPECT_FALSE(n->test, n->fn->msi_enabled);
	KUNIT_EXPECT_TRUE(n->test, xa_empty(&vpdev->irq_ctx));
}

/* Enabled, with the eventfd's context in place for vector 0. */
static void nth_set_irqs_worked(struct uvfio_nth *n, u32 index)
{
	struct uvfio_pci_device *vpdev = nth_vpdev(n);

	KUNIT_EXPECT_EQ(n->test, vpdev->irq_type, index);
	KUNIT_EXPECT_NOT_NULL(n->test, xa_load(&vpdev->irq_ctx, 0));
}

static void nth_set_intx_worked(struct uvfio_nth *n)
{
	nth_set_irqs_worked(n, VFIO_PCI_INTX_IRQ_INDEX);
}

static void nth_set_msi_worked(struct uvfio_nth *n)
{
	nth_set_irqs_worked(n, VFIO_PCI_MSI_IRQ_INDEX);
	KUNIT_EXPECT_TRUE(n->test, n->fn->msi_enabled);
}

static const struct uvfio_nth_op uvfio_nth_ops[] = {
	{ "bind to uvfio-test", NEED_OVERRIDE, nth_bind, nth_bind_failed,
	  nth_bind_worked },
	{ "open /dev/vfio/vfio", NEED_NOTHING, nth_open_container,
	  nth_nothing_left, nth_nothing_left },
	{ "open /dev/vfio/GROUP", NEED_BOUND, nth_open_group,
	  nth_open_group_failed, nth_nothing_left },
	{ "VFIO_GROUP_SET_CONTAINER", NEED_FD, nth_set_container,
	  nth_set_container_failed, nth_set_container_worked },
	{ "VFIO_SET_IOMMU", NEED_SET, nth_set_iommu, nth_set_iommu_failed,
	  nth_set_iommu_worked },
	{ "VFIO_GROUP_GET_DEVICE_FD", NEED_IOMMU, nth_get_device,
	  nth_get_device_failed, nth_get_device_worked },
	{ "bind to vfio-pci", NEED_OVERRIDE, nth_bind, nth_bind_failed,
	  nth_pci_bound, "vfio-pci" },
	{ "VFIO_GROUP_GET_DEVICE_FD of vfio-pci", NEED_IOMMU, nth_get_device,
	  nth_pci_open_failed, nth_pci_opened, "vfio-pci" },
	{ "VFIO_DEVICE_SET_IRQS(INTx)", NEED_IOMMU, nth_set_intx,
	  nth_set_irqs_failed, nth_set_intx_worked, "vfio-pci",
	  .with_device = true },
	{ "VFIO_DEVICE_SET_IRQS(MSI)", NEED_IOMMU, nth_set_msi,
	  nth_set_irqs_failed, nth_set_msi_worked, "vfio-pci",
	  UVFIO_FN_SINGLE, true },
	{ "vfio-pci's permission tables", NEED_IOMMU, nth_perm_tables,
	  nth_perm_failed, nth_perm_worked, "vfio-pci", UVFIO_FN_SINGLE, true },
	{ "register a backend", NEED_NOTHING, nth_register_backend,
	  nth_register_failed, nth_register_worked },
	{ "VFIO_SET_IOMMU(TYPE1v2)", NEED_SET, nth_set_type1,
	  nth_set_type1_failed, nth_set_type1_worked },
	{ "VFIO_IOMMU_MAP_DMA", NEED_TYPE1, nth_map, nth_mapped_as_before,
	  nth_map_worked },
	{ "VFIO_IOMMU_MAP_DMA while tracking", NEED_TYPE1, nth_map_tracking,
	  nth_mapped_as_before, nth_map_worked },
	{ "VFIO_IOMMU_GET_INFO", NEED_MAPPED, nth_get_info,
	  nth_mapped_as_before, nth_mapped_as_before },
	{ "VFIO_IOMMU_DIRTY_PAGES(START)", NEED_MAPPED, nth_dirty_start,
	  nth_dirty_start_failed, nth_mapped_as_before },
	{ "a second group joins type1", NEED_MAPPED, nth_join,
	  nth_join_failed, nth_join_worked },
	{ "a group leaves type1", NEED_JOINED, nth_leave,
	  nth_mapped_as_before, nth_mapped_as_before },
};

KUNIT_ARRAY_PARAM_DESC(uvfio_nth_ops, uvfio_nth_ops, name);

static void uvfio_nth_prepare(struct uvfio_nth *n,
			      const struct uvfio_nth_op *op)
{
	enum uvfio_nth_need need = op->need;
	struct kunit *test = n->test;
	int err;

	n->fd = -1;
	if (need >= NEED_OVERRIDE)
		uvfio_override(test, n->fn, op->driver ?: UVFIO_TEST_DRIVER);
	if (need >= NEED_BOUND) {
		KUNIT_ASSERT_EQ(test, 0, uvfio_attach(n->fn));
		n->tdev = uvfio_test_dev_of(&n->fn->dev);
	}
	if (need >= NEED_GROUP) {
		n->container = uvfio_open_container(n->fx);
		n->group = uvfio_open_node(n->fx, n->group_path, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	if (need >= NEED_FD)
		n->fd = uvfio_install_fd(n->fx, n->container);
	if (need >= NEED_SET)
		KUNIT_ASSERT_EQ(test, 0, nth_set_container(n));
	if (need == NEED_IOMMU) {
		KUNIT_ASSERT_EQ(test, 0, nth_set_iommu(n));
		uvfio_user_string(n->fx, pci_name(n->fn));
	}
	if (need >= NEED_TYPE1)
		KUNIT_ASSERT_EQ(test, 0, nth_set_type1(n));
	if (need >= NEED_MAPPED) {
		KUNIT_ASSERT_EQ(test, 0, nth_map(n));
		n->group2 = uvfio_open_node(n->fx, n->group2_path, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	if (need >= NEED_JOINED)
		KUNIT_ASSERT_EQ(test, 0, nth_join(n));
	if (op->with_device) {
		long fd = nth_get_device(n);

		KUNIT_ASSERT_GE(test, fd, 0);
		n->device = file_close_fd(fd);
		n->efd = sys_eventfd2(0, EFD_NONBLOCK);
		KUNIT_ASSERT_GE(test, n->efd, 0);
	}
	n->locked = current->mm->locked_vm;
	n->mapped = need >= NEED_MAPPED ? NTH_PAGES : 0;
}

/* Everything the step and its call opened, closed in reverse. */
static void uvfio_nth_teardown(struct uvfio_nth *n, const struct uvfio_nth_op *op,
			       long ret)
{
	if (op->call == nth_get_device && ret >= 0)
		n->opened = file_close_fd(ret);
	if (n->opened)
		uvfio_fput_sync(n->opened);
	if (n->device) {
		close_fd(n->efd);
		uvfio_fput_sync(n->device);
	}
	if (op->call == nth_register_backend && !ret)
		uvfio_unregister_iommu_driver(&uvfio_nth_backend);
	if (n->fd >= 0)
		uvfio_uninstall_fd(n->fx, n->fd, n->container);
	if (n->group2)
		uvfio_close(n->fx, n->group2);
	if (n->group)
		uvfio_close(n->fx, n->group);
	if (n->container)
		uvfio_close(n->fx, n->container);
	if (op->need >= NEED_OVERRIDE)
		uvfio_unbind_now(n->test, n->fn);
	n->container = NULL;
	n->group = NULL;
	n->group2 = NULL;
	n->opened = NULL;
	n->device = NULL;
	n->tdev = NULL;
}

#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)

static void uvfio_fail_nth(struct kunit *test)
{
	const struct uvfio_nth_op *op = test->param_value;
	struct uvfio_nth n = { .test = test };
	unsigned int nth, failed = 0, left = 0;
	long ret;

	n.fx = uvfio_fx(test);
	n.fn = uvfio_fn(test, op->devfn ?: UVFIO_FN_MFD0);
	snprintf(n.group_path, sizeof(n.group_path), "vfio/%d",
		 uvfio_group_id(test, n.fn));
	if (op->need >= NEED_TYPE1) {
		n.fn2 = uvfio_fn(test, UVFIO_FN_SINGLE);
		KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, n.fn2,
						    UVFIO_TEST_DRIVER));
		snprintf(n.group2_path, sizeof(n.group2_path), "vfio/%d",
			 uvfio_group_id(test, n.fn2));
		n.buf = kunit_vm_mmap(test, NULL, 0, NTH_PAGES * PAGE_SIZE,
				      PROT_READ | PROT_WRITE,
				      MAP_ANONYMOUS | MAP_PRIVATE, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(n.buf));
	}
	uvfio_failslab(n.fx);

	for (nth = 1; nth <= UVFIO_NTH_MAX && !left; nth++) {
		uvfio_nth_prepare(&n, op);
		current->fail_nth = nth;
		ret = op->call(&n);
		left = current->fail_nth;
		current->fail_nth = 0;
		/* Fewer than nth allocations: nothing failed, all worked. */
		if (left)
			KUNIT_EXPECT_GE(test, ret, 0);
		if (ret < 0) {
			failed++;
			op->failed(&n);
		} else {
			/* Done, whether or not an allocation had failed. */
			op->worked(&n);
		}
		uvfio_nth_teardown(&n, op, ret);
	}
	KUNIT_EXPECT_NE_MSG(test, left, 0, "still failing after %u",
			    UVFIO_NTH_MAX);
	kunit_info(test, "%u allocations, %u of them failed the call",
		   nth - 2, failed);
}

#else

static void uvfio_fail_nth(struct kunit *test)
{
	kunit_skip(test, "needs FAILSLAB and FAULT_INJECTION_DEBUG_FS");
}

#endif

static struct kunit_case uvfio_fail_nth_cases[] = {
	KUNIT_CASE_PARAM(uvfio_fail_nth, uvfio_nth_ops_gen_params),
	{}
};

static struct kunit_suite uvfio_fail_nth_suite = {
	.name = "uvfio_fail_nth",
	.test_cases = uvfio_fail_nth_cases,
};

kunit_test_suite(uvfio_fail_nth_suite);

MODULE_DESCRIPTION("KUnit: allocation failures in the vfio-uml core");
MODULE_LICENSE("GPL");
