// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core's lifetimes: closing container, group and device fds in every
 * order, unbinding a device that is open, groups leaving and rejoining,
 * backends that fail, and what the device fd forwards to its driver.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/signal.h>
#include <linux/syscalls.h>

#include "core/uvfio_private.h"
#include "uvfio_helpers.h"

/* One device of the mfd group, opened through container and group. */
struct uvfio_open {
	struct uvfio_fx *fx;
	struct pci_dev *fn;
	struct uvfio_test_dev *tdev;
	struct file *container, *group, *device;
};

static void uvfio_open_all(struct kunit *test, struct uvfio_open *o,
			   u8 devfn, bool bind)
{
	long err;

	if (!o->fx)
		o->fx = uvfio_fx(test);
	o->fn = uvfio_fn(test, devfn);
	if (bind)
		KUNIT_ASSERT_EQ(test, 0,
				uvfio_bind(test, o->fn, UVFIO_TEST_DRIVER));
	o->tdev = uvfio_test_dev_of(&o->fn->dev);
	KUNIT_ASSERT_NOT_NULL(test, o->tdev);
	o->container = uvfio_open_container(o->fx);
	o->group = uvfio_open_group(o->fx, uvfio_group_id(test, o->fn));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(o->fx, o->group,
						     o->container));
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(o->container, VFIO_SET_IOMMU,
					     UVFIO_TEST_IOMMU));
	o->device = uvfio_get_device(o->fx, o->group, pci_name(o->fn), &err);
	KUNIT_ASSERT_NOT_NULL(test, o->device);
}

static long uvfio_device_info(struct uvfio_fx *fx, struct file *device)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	long ret;

	ret = uvfio_ioctl_user(fx, device, VFIO_DEVICE_GET_INFO, &info,
			       sizeof(info));
	return ret ?: info.flags;
}

enum uvfio_fd { FD_CONTAINER, FD_GROUP, FD_DEVICE };

struct uvfio_close_order {
	const char *name;
	enum uvfio_fd order[3];
};

static const struct uvfio_close_order uvfio_close_orders[] = {
	{ "container, group, device", { FD_CONTAINER, FD_GROUP, FD_DEVICE } },
	{ "container, device, group", { FD_CONTAINER, FD_DEVICE, FD_GROUP } },
	{ "group, container, device", { FD_GROUP, FD_CONTAINER, FD_DEVICE } },
	{ "group, device, container", { FD_GROUP, FD_DEVICE, FD_CONTAINER } },
	{ "device, container, group", { FD_DEVICE, FD_CONTAINER, FD_GROUP } },
	{ "device, group, container", { FD_DEVICE, FD_GROUP, FD_CONTAINER } },
};

KUNIT_ARRAY_PARAM_DESC(uvfio_close_orders, uvfio_close_orders, name);

/*
 * Whatever is closed first, an open device keeps working, its group stays
 * taken, and once all three are closed nothing is left: no backend, no
 * attachment, no open device, and the whole sequence works again.
 */
static void uvfio_close_order(struct kunit *test)
{
	const struct uvfio_close_order *p = test->param_value;
	struct uvfio_open o = {};
	int notified = atomic_read(&uvfio_test_iommu.notified);
	int attached = atomic_read(&uvfio_test_iommu.attached);
	struct file *files[3];
	bool device_open = true;
	char path[32];
	int i, err;

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	files[FD_CONTAINER] = o.container;
	files[FD_GROUP] = o.group;
	files[FD_DEVICE] = o.device;
	snprintf(path, sizeof(path), "vfio/%d", uvfio_group_id(test, o.fn));

	for (i = 0; i < 3; i++) {
		enum uvfio_fd fd = p->order[i];

		/* The backend hears of the close only while it lives. */
		if (fd == FD_CONTAINER && uvfio_test_iommu_live(o.fx))
			notified++;
		uvfio_close(o.fx, files[fd]);
		KUNIT_EXPECT_EQ(test, notified,
				atomic_read(&uvfio_test_iommu.notified));
		if (fd == FD_DEVICE)
			device_open = false;
		if (device_open) {
			KUNIT_EXPECT_EQ(test, uvfio_device_info(o.fx, o.device),
					VFIO_DEVICE_FLAGS_PCI);
			KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(o.fx), 1);
			/* The device pins the group's file. */
			KUNIT_EXPECT_NULL(test,
					  uvfio_open_node(o.fx, path, &err));
			KUNIT_EXPECT_EQ(test, err, -EBUSY);
		}
	}

	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(o.fx), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&uvfio_test_iommu.attached),
			attached);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->opens), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->closes), 1);

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->opens), 2);
}

struct uvfio_unbinder {
	struct pci_dev *pdev;
	struct completion done;
};

static int uvfio_unbind_thread(void *data)
{
	struct uvfio_unbinder *u = data;

	/* As a process writing to unbind would be: killable. */
	allow_signal(SIGKILL);
	uvfio_unbind(u->pdev);
	complete(&u->done);
	return 0;
}

static bool uvfio_wait_requests(struct uvfio_test_dev *tdev)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (atomic_read(&tdev->requests))
			return true;
		msleep(20);
	}
	return false;
}

static const bool uvfio_unbind_kills[] = { false, true };

static void uvfio_unbind_kill_desc(const bool *kill, char *desc)
{
	strscpy(desc, *kill ? "killed while waiting" : "waiting",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(uvfio_unbind_kills, uvfio_unbind_kills,
		  uvfio_unbind_kill_desc);

/*
 * Unbinding an open device waits for its fds, asking the driver to request
 * the device back; a signal does not end the wait (only the fds' close
 * does). The group goes with its last device and its open fd answers
 * -ENODEV; binding again makes a new group node.
 */
static void uvfio_unbind_open(struct kunit *test)
{
	const bool *kill = test->param_value;
	struct uvfio_unbinder u = {};
	struct uvfio_open o = {};
	struct task_struct *task;
	struct file *group;
	long err;

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	u.pdev = o.fn;
	init_completion(&u.done);
	task = kthread_run(uvfio_unbind_thread, &u, "uvfio-unbind");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	KUNIT_EXPECT_TRUE(test, uvfio_wait_requests(o.tdev));
	KUNIT_EXPECT_EQ(test, o.tdev->last_request, 0);
	if (*kill) {
		send_sig(SIGKILL, task, 1);
		/* The unbind asks again at once, then waits, unkillable. */
		msleep(100);
		KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->requests), 2);
		KUNIT_EXPECT_EQ(test, o.tdev->last_request, 1);
	}
	KUNIT_EXPECT_FALSE(test, completion_done(&u.done));
	/* Being unbound: no new device fd. */
	KUNIT_EXPECT_NULL(test, uvfio_get_device(o.fx, o.group,
						 pci_name(o.fn), &err));
	KUNIT_EXPECT_EQ(test, err, -ENODEV);
	KUNIT_EXPECT_EQ(test, uvfio_device_info(o.fx, o.device),
			VFIO_DEVICE_FLAGS_PCI);

	uvfio_close(o.fx, o.device);
	KUNIT_ASSERT_NE(test, 0, wait_for_completion_timeout(&u.done, 5 * HZ));
	KUNIT_EXPECT_NULL(test, o.fn->dev.driver);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, o.group), -ENODEV);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(o.fx), 0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.container, VFIO_SET_IOMMU,
					  UVFIO_TEST_IOMMU), -EINVAL);

	/* A new group for the same IOMMU group, beside the dead one. */
	KUNIT_ASSERT_EQ(test, 1, device_attach(&o.fn->dev));
	group = uvfio_open_group(o.fx, uvfio_group_id(test, o.fn));
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, group),
			VFIO_GROUP_FLAGS_VIABLE);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, o.group), -ENODEV);
}

/*
 * Two VFIO devices in one group: one node, each device by its name, and
 * the group lives until the last of them is unbound.
 */
static void uvfio_group_of_two(struct kunit *test)
{
	struct uvfio_open o = {};
	struct pci_dev *other = uvfio_fn(test, UVFIO_FN_MFD1);
	struct uvfio_test_dev *tother;
	struct file *dev2;
	long err;

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, other, UVFIO_TEST_DRIVER));
	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	KUNIT_EXPECT_EQ(test, uvfio_group_id(test, other),
			uvfio_group_id(test, o.fn));
	tother = uvfio_test_dev_of(&other->dev);
	KUNIT_ASSERT_NOT_NULL(test, tother);
	dev2 = uvfio_get_device(o.fx, o.group, pci_name(other), &err);
	KUNIT_ASSERT_NOT_NULL(test, dev2);
	KUNIT_EXPECT_EQ(test, atomic_read(&tother->opens), 1);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(dev2, UVFIO_TEST_DEVICE_OPENS, 0), 1);
	uvfio_close(o.fx, dev2);
	KUNIT_EXPECT_EQ(test, atomic_read(&tother->closes), 1);

	/* One device unbound: the group stays, that name is gone. */
	uvfio_unbind(other);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, o.group),
			VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
	KUNIT_EXPECT_NULL(test, uvfio_get_device(o.fx, o.group,
						 pci_name(other), &err));
	KUNIT_EXPECT_EQ(test, err, -ENODEV);
	KUNIT_EXPECT_EQ(test, uvfio_device_info(o.fx, o.device),
			VFIO_DEVICE_FLAGS_PCI);
	/* The last: the group goes, and its container with it. */
	uvfio_close(o.fx, o.device);
	uvfio_unbind(o.fn);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, o.group), -ENODEV);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(o.fx), 0);
}

/* A kernel driver cannot bind into a group whose DMA userspace owns. */
static void uvfio_owned_group(struct kunit *test)
{
	struct uvfio_fx *fx = uvfio_fx(test);
	struct pci_dev *fn = uvfio_fn(test, UVFIO_FN_MFD0);
	struct pci_dev *other = uvfio_fn(test, UVFIO_FN_MFD1);
	struct file *container, *group;

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, fn, UVFIO_TEST_DRIVER));
	container = uvfio_open_container(fx);
	group = uvfio_open_group(fx, uvfio_group_id(test, fn));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, group, container));

	KUNIT_EXPECT_EQ(test, uvfio_bind(test, other, UVFIO_KERNEL_DRIVER),
			-EBUSY);
	KUNIT_EXPECT_NULL(test, other->dev.driver);

	/* Released with the container: the driver binds, the group is lost. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(group, VFIO_GROUP_UNSET_CONTAINER, 0),
			0);
	KUNIT_EXPECT_EQ(test, device_attach(&other->dev), 1);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(fx, group), 0);
	KUNIT_EXPECT_EQ(test, uvfio_set_container(fx, group, container),
			-EPERM);
}

/* A valid VFIO_GROUP_GET_STATUS argument in a read-only user page. */
static unsigned long uvfio_read_only_status(struct kunit *test)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE,
					   PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)addr, &status,
					      sizeof(status)));
	KUNIT_ASSERT_EQ(test, 0, sys_mprotect(addr, PAGE_SIZE, PROT_READ));
	return addr;
}

/* Two groups share a backend, which leaves with the last of them. */
static void uvfio_two_groups(struct kunit *test)
{
	struct uvfio_fx *fx = uvfio_fx(test);
	struct pci_dev *a = uvfio_fn(test, UVFIO_FN_SINGLE);
	struct pci_dev *b = uvfio_fn(test, UVFIO_FN_MFD0);
	struct file *container, *ga, *gb;
	int attached = atomic_read(&uvfio_test_iommu.attached);
	struct uvfio_device *vdev;

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, a, UVFIO_TEST_DRIVER));
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, b, UVFIO_TEST_DRIVER));
	KUNIT_ASSERT_NE(test, uvfio_group_id(test, a), uvfio_group_id(test, b));
	container = uvfio_open_container(fx);
	ga = uvfio_open_group(fx, uvfio_group_id(test, a));
	gb = uvfio_open_group(fx, uvfio_group_id(test, b));

	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, ga, container));
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(container, VFIO_SET_IOMMU,
					     UVFIO_TEST_IOMMU));
	/* A group joining a container with a backend is attached at once. */
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, gb, container));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, UVFIO_TEST_IOMMU_GROUPS,
					  0), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&uvfio_test_iommu.attached),
			attached + 2);
	/* GET_STATUS into memory the user can read but not write. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(ga, VFIO_GROUP_GET_STATUS,
					  uvfio_read_only_status(test)), -EFAULT);

	/* A group fd proves ownership of its own devices only. */
	vdev = &uvfio_test_dev_of(&b->dev)->vdev;
	KUNIT_EXPECT_TRUE(test, uvfio_file_has_device(gb, vdev));
	KUNIT_EXPECT_FALSE(test, uvfio_file_has_device(ga, vdev));
	KUNIT_EXPECT_FALSE(test, uvfio_file_has_device(container, vdev));

	KUNIT_EXPECT_EQ(test, uvfio_ioctl(ga, VFIO_GROUP_UNSET_CONTAINER, 0), 0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, UVFIO_TEST_IOMMU_GROUPS,
					  0), 1);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(fx), 1);
	uvfio_close(fx, gb);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(fx), 0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, UVFIO_TEST_IOMMU_GROUPS,
					  0), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&uvfio_test_iommu.attached),
			attached);
}

/* A backend that fails to open or attach leaves no trace. */
static void uvfio_backend_fails(struct kunit *test)
{
	struct uvfio_fx *fx = uvfio_fx(test);
	struct pci_dev *a = uvfio_fn(test, UVFIO_FN_SINGLE);
	struct pci_dev *b = uvfio_fn(test, UVFIO_FN_MFD0);
	struct pci_dev *b_other = uvfio_fn(test, UVFIO_FN_MFD1);
	int attached = atomic_read(&uvfio_test_iommu.attached);
	struct file *container, *ga, *gb;

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, a, UVFIO_TEST_DRIVER));
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, b, UVFIO_TEST_DRIVER));
	container = uvfio_open_container(fx);
	ga = uvfio_open_group(fx, uvfio_group_id(test, a));
	gb = uvfio_open_group(fx, uvfio_group_id(test, b));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, ga, container));

	uvfio_test_iommu.fail_open = -ENOMEM;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_SET_IOMMU,
					  UVFIO_TEST_IOMMU), -ENOMEM);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(fx), 0);

	/* The second group's attach fails: the first is detached again. */
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, gb, container));
	uvfio_test_iommu.fail_attach = -ENOSPC;
	uvfio_test_iommu.attach_ok = 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_SET_IOMMU,
					  UVFIO_TEST_IOMMU), -ENOSPC);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(fx), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&uvfio_test_iommu.attached),
			attached);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(gb, VFIO_GROUP_UNSET_CONTAINER, 0), 0);

	/* A group joining a set backend that refuses it stays out. */
	uvfio_test_iommu.fail_attach = 0;
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(container, VFIO_SET_IOMMU,
					     UVFIO_TEST_IOMMU));
	uvfio_test_iommu.fail_attach = -ENOSPC;
	KUNIT_EXPECT_EQ(test, uvfio_set_container(fx, gb, container), -ENOSPC);
	KUNIT_EXPECT_EQ(test, uvfio_group_status(fx, gb),
			VFIO_GROUP_FLAGS_VIABLE);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, UVFIO_TEST_IOMMU_GROUPS,
					  0), 1);
	/* Its DMA ownership was given back: a kernel driver can bind. */
	KUNIT_EXPECT_EQ(test, uvfio_bind(test, b_other, UVFIO_KERNEL_DRIVER),
			0);
}

/* A driver's open_device() error fails GET_DEVICE_FD and takes nothing. */
static void uvfio_open_device_fails(struct kunit *test)
{
	struct uvfio_open o = {};
	long err;

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	uvfio_close(o.fx, o.device);

	uvfio_test_fail_open_device = -EIO;
	KUNIT_EXPECT_NULL(test, uvfio_get_device(o.fx, o.group,
						 pci_name(o.fn), &err));
	KUNIT_EXPECT_EQ(test, err, -EIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->opens), 1);
	/* No device in use is left behind: the container can be unset. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.group, VFIO_GROUP_UNSET_CONTAINER,
					  0), 0);
	uvfio_close(o.fx, o.group);
	o.group = uvfio_open_group(o.fx, uvfio_group_id(test, o.fn));
	KUNIT_EXPECT_EQ(test, uvfio_group_status(o.fx, o.group),
			VFIO_GROUP_FLAGS_VIABLE);
}

struct uvfio_feature_case {
	const char *name;
	u32 argsz;
	u32 flags;
	long ret;
};

#define FEATURE_MINSZ	offsetofend(struct vfio_device_feature, flags)
#define FEATURE_TEST	UVFIO_TEST_FEATURE

static const struct uvfio_feature_case uvfio_feature_cases[] = {
	{ "argsz short", FEATURE_MINSZ - 1, VFIO_DEVICE_FEATURE_GET, -EINVAL },
	{ "unknown flag", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_GET | BIT(19),
	  -EINVAL },
	{ "GET and SET", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_GET |
	  VFIO_DEVICE_FEATURE_SET | FEATURE_TEST, -EINVAL },
	{ "GET, SET and PROBE", FEATURE_MINSZ + 8, VFIO_DEVICE_FEATURE_GET |
	  VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE | FEATURE_TEST,
	  8 },
	{ "to the driver", FEATURE_MINSZ + 16, VFIO_DEVICE_FEATURE_GET |
	  FEATURE_TEST, 16 },
	{ "unknown to the driver", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_GET |
	  (FEATURE_TEST + 1), -ENOTTY },
	{ "MIGRATION", FEATURE_MINSZ + 8, VFIO_DEVICE_FEATURE_GET |
	  VFIO_DEVICE_FEATURE_MIGRATION, -ENOTTY },
	{ "MIG_DEVICE_STATE", FEATURE_MINSZ + 8, VFIO_DEVICE_FEATURE_SET |
	  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, -ENOTTY },
	{ "DMA_LOGGING_START", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_SET |
	  VFIO_DEVICE_FEATURE_DMA_LOGGING_START, -ENOTTY },
	{ "DMA_LOGGING_STOP", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_SET |
	  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, -ENOTTY },
	{ "DMA_LOGGING_REPORT", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_GET |
	  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, -ENOTTY },
	{ "MIG_DATA_SIZE", FEATURE_MINSZ, VFIO_DEVICE_FEATURE_GET |
	  VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, -ENOTTY },
};

KUNIT_ARRAY_PARAM_DESC(uvfio_feature_cases, uvfio_feature_cases, name);

/* VFIO_DEVICE_FEATURE: the header is the core's, the rest the driver's. */
static void uvfio_device_feature(struct kunit *test)
{
	const struct uvfio_feature_case *p = test->param_value;
	struct vfio_device_feature feature = {
		.argsz = p->argsz,
		.flags = p->flags,
	};
	struct uvfio_open o = {};

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(o.fx, o.device,
					       VFIO_DEVICE_FEATURE, &feature,
					       sizeof(feature)), p->ret);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.device, VFIO_DEVICE_FEATURE,
					  0x10), -EFAULT);
}

/* uvfio_check_feature(), a driver's check of its feature's call. */
struct uvfio_check_case {
	const char *name;
	u32 flags;
	size_t argsz;
	int ret;
};

#define FGET	VFIO_DEVICE_FEATURE_GET
#define FSET	VFIO_DEVICE_FEATURE_SET
#define FPROBE	VFIO_DEVICE_FEATURE_PROBE

/* For a feature that offers SET only, with 8 bytes of data. */
static const struct uvfio_check_case uvfio_check_cases[] = {
	{ "SET", FSET, 8, 1 },
	{ "SET with more data", FSET, 9, 1 },
	{ "SET with too little data", FSET, 7, -EINVAL },
	{ "GET, not offered", FGET, 8, -EINVAL },
	{ "GET and SET", FGET | FSET, 8, -EINVAL },
	{ "PROBE", FPROBE, 0, 0 },
	{ "PROBE of SET", FPROBE | FSET, 0, 0 },
	{ "PROBE of GET", FPROBE | FGET, 0, -EINVAL },
	{ "neither GET nor SET", 0, 8, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(uvfio_check, uvfio_check_cases, name);

static void uvfio_check_feature_call(struct kunit *test)
{
	const struct uvfio_check_case *p = test->param_value;

	KUNIT_EXPECT_EQ(test, uvfio_check_feature(p->flags, p->argsz, FSET, 8),
			p->ret);
}

/* The device fd's other calls reach the driver, or answer for it. */
static void uvfio_device_forwards(struct kunit *test)
{
	struct uvfio_open o = {};
	unsigned long addr;
	loff_t pos = 0x1000;
	int usage;

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	usage = atomic_read(&o.tdev->vdev.dev->power.usage_count);
	KUNIT_EXPECT_EQ(test, uvfio_device_info(o.fx, o.device),
			VFIO_DEVICE_FLAGS_PCI);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.device, UVFIO_TEST_DEVICE_OPENS, 0),
			1);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.device, VFIO_DEVICE_RESET, 0),
			-ENOTTY);
	/* Device fds come from groups, never bound to an iommufd. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.device, VFIO_DEVICE_BIND_IOMMUFD,
					  (unsigned long)o.fx->user), -EINVAL);
	/* A driver without PM callbacks: its device is not woken for ioctls. */
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->vdev.dev->power.usage_count),
			usage);

	KUNIT_EXPECT_EQ(test, o.device->f_op->read(o.device, o.fx->user, 12,
						   &pos), 12);
	KUNIT_EXPECT_EQ(test, pos, 0x100c);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->reads), 12);
	KUNIT_EXPECT_EQ(test, o.device->f_op->write(o.device, o.fx->user, 6,
						    &pos), 6);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->writes), 6);
	KUNIT_EXPECT_TRUE(test, o.device->f_mode & FMODE_PREAD);
	KUNIT_EXPECT_TRUE(test, o.device->f_mode & FMODE_PWRITE);

	addr = kunit_vm_mmap(test, o.device, 0, PAGE_SIZE, PROT_READ,
			     MAP_SHARED, 0);
	KUNIT_EXPECT_EQ(test, (long)addr, -ENXIO);
}

/* A driver without ioctl, read, write, mmap or features: the core answers. */
static void uvfio_device_bare(struct kunit *test)
{
	struct vfio_device_feature feature = {
		.argsz = sizeof(feature),
		.flags = VFIO_DEVICE_FEATURE_GET | UVFIO_TEST_FEATURE,
	};
	struct uvfio_open o = {};
	unsigned long addr;
	loff_t pos = 0;

	uvfio_test_bare = true;
	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(o.device, VFIO_DEVICE_GET_INFO,
					  (unsigned long)o.fx->user), -EINVAL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(o.fx, o.device,
					       VFIO_DEVICE_FEATURE, &feature,
					       sizeof(feature)), -ENOTTY);
	KUNIT_EXPECT_EQ(test, o.device->f_op->read(o.device, o.fx->user, 4,
						   &pos), -EINVAL);
	KUNIT_EXPECT_EQ(test, o.device->f_op->write(o.device, o.fx->user, 4,
						    &pos), -EINVAL);
	addr = kunit_vm_mmap(test, o.device, 0, PAGE_SIZE, PROT_READ,
			     MAP_SHARED, 0);
	KUNIT_EXPECT_EQ(test, (long)addr, -EINVAL);
	KUNIT_EXPECT_EQ(test, pos, 0);
}

/* No fd left for the device: -EMFILE, and the device was not opened. */
static void uvfio_device_no_fd(struct kunit *test)
{
	struct uvfio_open o = {};
	struct rlimit *nofile = &current->signal->rlim[RLIMIT_NOFILE];
	unsigned long limit = nofile->rlim_cur;
	unsigned long name;
	long fd;

	uvfio_open_all(test, &o, UVFIO_FN_MFD0, true);
	name = uvfio_user_string(o.fx, pci_name(o.fn));
	/* The test thread's own limit: a failing test cannot leave it. */
	nofile->rlim_cur = 0;
	fd = uvfio_ioctl(o.group, VFIO_GROUP_GET_DEVICE_FD, name);
	nofile->rlim_cur = limit;
	KUNIT_EXPECT_EQ(test, fd, -EMFILE);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->opens), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&o.tdev->closes), 0);
}

static long uvfio_other_ioctl(void *data, unsigned int cmd, unsigned long arg)
{
	if (cmd == VFIO_CHECK_EXTENSION)
		return arg == 0x4242;
	return -ENOTTY;
}

static const struct uvfio_iommu_ops uvfio_other_backend = {
	.name	= "uvfio-kunit-other",
	.ioctl	= uvfio_other_ioctl,
};

static void uvfio_unregister_other(void *unused)
{
	uvfio_unregister_iommu_driver(&uvfio_other_backend);
}

/* Extensions: every backend until one is set, then only that one. */
static void uvfio_extensions(struct kunit *test)
{
	struct uvfio_fx *fx = uvfio_fx(test);
	struct pci_dev *fn = uvfio_fn(test, UVFIO_FN_MFD0);
	struct file *container, *group;

	KUNIT_ASSERT_EQ(test, 0,
			uvfio_register_iommu_driver(&uvfio_other_backend));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			uvfio_unregister_other, NULL));
	KUNIT_EXPECT_EQ(test, uvfio_register_iommu_driver(&uvfio_other_backend),
			-EINVAL);

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, fn, UVFIO_TEST_DRIVER));
	container = uvfio_open_container(fx);
	group = uvfio_open_group(fx, uvfio_group_id(test, fn));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_CHECK_EXTENSION,
					  0x4242), 1);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_CHECK_EXTENSION,
					  UVFIO_TEST_IOMMU), 1);
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(fx, group, container));
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(container, VFIO_SET_IOMMU,
					     UVFIO_TEST_IOMMU));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_CHECK_EXTENSION,
					  0x4242), 0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(container, VFIO_CHECK_EXTENSION,
					  UVFIO_TEST_IOMMU), 1);
}

static const struct uvfio_device_ops uvfio_nothing_ops = {
	.name = "uvfio-kunit-nothing",
};

/* Only devices in an IOMMU group can be registered. */
static void uvfio_register_no_group(struct kunit *test)
{
	struct uvfio_device *vdev = kunit_kzalloc(test, sizeof(*vdev),
						  GFP_KERNEL);
	struct device *dev = kunit_device_register(test, "uvfio-no-group");

	KUNIT_ASSERT_NOT_NULL(test, vdev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	KUNIT_EXPECT_EQ(test, uvfio_register_device(vdev, dev,
						    &uvfio_nothing_ops),
			-EINVAL);
}

static void uvfio_info_cap_drop(void *caps)
{
	uvfio_info_cap_free(caps);
}

/*
 * A capability chain: each one 8-byte aligned and linked from the last;
 * dropped, it is empty, is placed after an info as nothing, and built
 * again it starts from nothing.
 */
static void uvfio_info_chain(struct kunit *test)
{
	struct uvfio_info_cap *caps = kunit_kzalloc(test, sizeof(*caps),
						    GFP_KERNEL);
	struct vfio_info_cap_header *hdr;
	u32 argsz = 4, cap_offset = 7;

	KUNIT_ASSERT_NOT_NULL(test, caps);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			uvfio_info_cap_drop, caps));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, uvfio_info_cap_add(caps, 12, 1, 1));
	hdr = uvfio_info_cap_add(caps, 8, 2, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hdr);
	KUNIT_EXPECT_EQ(test, caps->size, 24);
	KUNIT_EXPECT_EQ(test, ((struct vfio_info_cap_header *)caps->buf)->next,
			16);
	KUNIT_EXPECT_PTR_EQ(test, (void *)hdr, caps->buf + 16);
	KUNIT_EXPECT_EQ(test, hdr->id, 2);
	KUNIT_EXPECT_EQ(test, hdr->version, 3);
	KUNIT_EXPECT_EQ(test, hdr->next, 0);

	uvfio_info_cap_free(caps);
	KUNIT_EXPECT_NULL(test, caps->buf);
	KUNIT_EXPECT_EQ(test, caps->size, 0);
	/* An empty chain is placed as nothing, whatever argsz says. */
	KUNIT_EXPECT_EQ(test, uvfio_info_cap_copy(caps, NULL, 16, &argsz,
						  &cap_offset), 0);
	KUNIT_EXPECT_EQ(test, argsz, 4);
	KUNIT_EXPECT_EQ(test, cap_offset, 7);
	hdr = uvfio_info_cap_add(caps, 8, 4, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hdr);
	KUNIT_EXPECT_PTR_EQ(test, (void *)hdr, caps->buf);
	KUNIT_EXPECT_EQ(test, caps->size, 8);
}

static struct kunit_case uvfio_lifetime_cases[] = {
	KUNIT_CASE_PARAM(uvfio_close_order, uvfio_close_orders_gen_params),
	KUNIT_CASE_PARAM(uvfio_unbind_open, uvfio_unbind_kills_gen_params),
	KUNIT_CASE(uvfio_group_of_two),
	KUNIT_CASE(uvfio_owned_group),
	KUNIT_CASE(uvfio_two_groups),
	KUNIT_CASE(uvfio_backend_fails),
	KUNIT_CASE(uvfio_open_device_fails),
	KUNIT_CASE_PARAM(uvfio_device_feature, uvfio_feature_cases_gen_params),
	KUNIT_CASE_PARAM(uvfio_check_feature_call, uvfio_check_gen_params),
	KUNIT_CASE(uvfio_device_forwards),
	KUNIT_CASE(uvfio_device_bare),
	KUNIT_CASE(uvfio_device_no_fd),
	KUNIT_CASE(uvfio_extensions),
	KUNIT_CASE(uvfio_register_no_group),
	KUNIT_CASE(uvfio_info_chain),
	{}
};

static struct kunit_suite uvfio_lifetime_suite = {
	.name = "uvfio_lifetime",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_lifetime_cases,
};

kunit_test_suite(uvfio_lifetime_suite);

MODULE_DESCRIPTION("KUnit: lifetimes of the vfio-uml core's files");
MODULE_LICENSE("GPL");
