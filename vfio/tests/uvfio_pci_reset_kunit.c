// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: what vfio-pci does beyond one function's registers and
 * interrupts: the hot reset of the functions behind the simulated bridge
 * (a memory lock held elsewhere makes it -EBUSY, and the last close of a
 * set that needs a reset resets the bus), ioeventfds (written from the
 * signaller or, when the memory lock is busy, from a work item; freed at
 * close), and low power entered while open (the function suspends, a
 * read wakes it, a wakeup eventfd ends it, close ends it too).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>

#include "pci/uvfio_pci_offset.h"
#include "pci/uvfio_pci_priv.h"
#include "sim_helpers.h"
#include "uvfio_pci_helpers.h"

#define SCRATCH		0x40	/* plain storage in regfile's BAR0 */

static struct uvfio_pci_device *vp_priv(struct vp *v)
{
	return dev_get_drvdata(&v->pdev->dev);
}

/* HOT_RESET with @group's fd; argsz @argsz, or the whole argument if 0. */
static long vp_hot_reset_sz(struct vp *v, struct file *group, u32 argsz)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		s32 fd;
	} r = { .hdr = { .argsz = argsz ?: sizeof(r), .count = 1 } };
	long ret;

	r.fd = uvfio_install_fd(v->fx, group);
	ret = uvfio_ioctl_user(v->fx, v->device, VFIO_DEVICE_PCI_HOT_RESET, &r,
			       sizeof(r));
	uvfio_uninstall_fd(v->fx, r.fd, group);
	return ret;
}

static long vp_hot_reset(struct vp *v, struct file *group)
{
	return vp_hot_reset_sz(v, group, 0);
}

/* The other regfile behind the bridge, bound to vfio-pci. */
static struct pci_dev *vp_peer(struct kunit *test)
{
	struct pci_dev *peer = sim_pci_dev(test, sim_secondary_bus(test),
					   PCI_DEVFN(1, 0));

	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, peer, "vfio-pci"));
	return peer;
}

/* Another thread holding a memory lock for reading, as an access would. */
struct vp_holder {
	struct rw_semaphore *sem;
	struct completion held;
	struct completion release;
	struct completion done;
};

static int vp_hold_thread(void *data)
{
	struct vp_holder *h = data;

	down_read(h->sem);
	complete(&h->held);
	wait_for_completion(&h->release);
	up_read(h->sem);
	complete(&h->done);
	return 0;
}

static void vp_hold(struct kunit *test, struct vp_holder *h,
		    struct rw_semaphore *sem)
{
	struct task_struct *task;

	h->sem = sem;
	init_completion(&h->held);
	init_completion(&h->release);
	init_completion(&h->done);
	task = kthread_run(vp_hold_thread, h, "vp-hold");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&h->held);
}

static void vp_unhold(struct vp_holder *h)
{
	complete(&h->release);
	wait_for_completion(&h->done);
}

/*
 * A function the user put in D3hot (it loses its state there) is woken
 * through vfio-pci before the bus reset: the state it had in D0 is what
 * the reset saves and puts back.
 */
static void uvfio_pci_hot_reset_d3hot(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct pci_dev *peer = vp_peer(test);
	int pm = v->pdev->pm_cap;
	u32 val = 0x1234;
	long err, refs;
	int usage[2];

	uvfio_get_device(v->fx, v->group, pci_name(peer), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	vp_cfg_write(v, pm + PCI_PM_CTRL, 2, PCI_D3hot);
	KUNIT_ASSERT_EQ(test, v->pdev->current_state, PCI_D3hot);
	refs = file_count(v->group);
	usage[0] = atomic_read(&v->pdev->dev.power.usage_count);
	usage[1] = atomic_read(&peer->dev.power.usage_count);
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, v->group), 0);
	/* The group fd's reference taken for the reset is given back. */
	KUNIT_EXPECT_EQ(test, file_count(v->group), refs);
	/* So are the runtime PM references that kept both awake. */
	KUNIT_EXPECT_EQ(test, atomic_read(&v->pdev->dev.power.usage_count),
			usage[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&peer->dev.power.usage_count),
			usage[1]);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D0);
	KUNIT_EXPECT_TRUE(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
			  PCI_COMMAND_MEMORY);
	vp_bar_write32(v, 0, SCRATCH, val);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, 0x1234);
}

/*
 * A peer's memory lock held (an access under way) makes the hot reset
 * -EBUSY instead of a wait; released, the reset goes through and resets
 * both functions.
 */
static void uvfio_pci_hot_reset_busy(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct pci_dev *peer = vp_peer(test);
	struct uvfio_pci_device *other = dev_get_drvdata(&peer->dev);
	struct vp_holder h;
	u32 val = 0x1234;
	long err;

	/*
	 * Open, so that it is awake: a closed peer suspends, and waking it
	 * takes its memory lock, which only accesses of an open one hold.
	 */
	uvfio_get_device(v->fx, v->group, pci_name(peer), &err);
	KUNIT_ASSERT_EQ(test, err, 0);

	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	vp_bar_write32(v, 0, SCRATCH, val);
	vp_hold(test, &h, &other->memory_lock);
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, v->group), -EBUSY);
	vp_unhold(&h);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, 0x1234);

	/* An argsz of the header alone will do: the fds are read anyway. */
	KUNIT_EXPECT_EQ(test, vp_hot_reset_sz(v, v->group,
					      offsetofend(struct vfio_pci_hot_reset,
							  count)), 0);
	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, 0);
	/* Not the group of these functions: refused. */
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, v->container), -EINVAL);
}

/*
 * A function that cannot reset itself (no FLR, no PM, not alone on its
 * bus) stays dirty at close; the last close of the bus's functions resets
 * the bus, but only when every one of them is vfio-pci's.
 */
static void uvfio_pci_bus_reset_at_close(struct kunit *test)
{
	struct simpci_dev *bridge = sim_root_dev(test, SIM_BRIDGE_DEVFN);
	struct pci_dev *first = sim_pci_dev(test, sim_secondary_bus(test),
					    PCI_DEVFN(0, 0));
	struct uvfio_pci_device *bare;
	struct vp *v;

	sim_enable_bridge(test);
	sim_plug(test, &sim_bare_desc, bridge, PCI_DEVFN(2, 0));
	/* A peer bound elsewhere (to nothing): no bus reset. */
	v = vp_open_pdev(test, sim_pci_dev(test, sim_secondary_bus(test),
					   PCI_DEVFN(2, 0)));
	bare = vp_priv(v);
	KUNIT_EXPECT_FALSE(test, bare->reset_works);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_TRUE(test, bare->needs_reset);

	/* Every function vfio-pci's and closed: the bus is reset. */
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, first, "vfio-pci"));
	vp_peer(test);
	v->device = vp_open_device(v);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, bare->needs_reset);
}

/*
 * Every function of the bus vfio-pci's and closed, none owing a reset:
 * the bus is not reset (the bridge's control register is not written).
 */
static void uvfio_pci_no_bus_reset_owed(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct simpci_dev *bridge = sim_root_dev(test, SIM_BRIDGE_DEVFN);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	unsigned int i, n;

	vp_peer(test);
	simpci_cfg_accesses(bridge, log);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, vp_priv(v)->needs_reset);
	n = simpci_cfg_accesses(bridge, log);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_FALSE_MSG(test, log[i].write &&
				       log[i].off == PCI_BRIDGE_CONTROL,
				       "access %u", i);
}

/* A function that resets itself at close leaves no bus reset owed. */
static void uvfio_pci_close_resets_itself(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct uvfio_pci_device *vpdev = vp_priv(v);

	KUNIT_EXPECT_TRUE(test, vpdev->reset_works);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, vpdev->needs_reset);
}

/*
 * The functions a bus reset reaches: -ENOSPC with the count when argsz
 * has no room for them, then each with its group; none on the root bus.
 */
static void uvfio_pci_hot_reset_info(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct vp *root = vp_open(test, FN_REGFILE);
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[2];
	} info = { .hdr = { .argsz = sizeof(info.hdr) } };
	int group = uvfio_group_id(test, v->pdev);

	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info, sizeof(info)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, info.hdr.count, 2);
	info.hdr.argsz = sizeof(info.hdr) + sizeof(info.devs[0]);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info, sizeof(info)),
			-ENOSPC);
	info.hdr.argsz = sizeof(info);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info, sizeof(info)),
			0);
	KUNIT_EXPECT_EQ(test, info.hdr.count, 2);
	KUNIT_EXPECT_EQ(test, info.hdr.flags, 0);
	KUNIT_EXPECT_EQ(test, info.devs[0].group_id, group);
	KUNIT_EXPECT_EQ(test, info.devs[1].group_id, group);
	KUNIT_EXPECT_EQ(test, info.devs[0].bus, v->pdev->bus->number);
	KUNIT_EXPECT_EQ(test, info.devs[0].devfn, PCI_DEVFN(0, 0));
	KUNIT_EXPECT_EQ(test, info.devs[1].devfn, PCI_DEVFN(1, 0));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device,
					  VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
					  0x10), -EFAULT);
	info.hdr.argsz = sizeof(info.hdr) - 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info, sizeof(info)),
			-EINVAL);
	info.hdr.argsz = sizeof(info);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(root->fx, root->device,
			VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info, sizeof(info)),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, vp_hot_reset(root, root->group), -ENODEV);
}

/*
 * A bad fd after a good one: -EBADF, and the reference taken on the good
 * one's file dropped again.
 */
static void uvfio_pci_hot_reset_bad_fd(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct {
		struct vfio_pci_hot_reset hdr;
		s32 fd[2];
	} r = { .hdr = { .argsz = sizeof(r), .count = 2 } };
	long refs = file_count(v->group);

	vp_peer(test);
	r.fd[0] = uvfio_install_fd(v->fx, v->group);
	r.fd[1] = 1000;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_PCI_HOT_RESET, &r,
					       sizeof(r)), -EBADF);
	uvfio_uninstall_fd(v->fx, r.fd[0], v->group);
	KUNIT_EXPECT_EQ(test, file_count(v->group), refs);
}

/* A group fd that holds none of the set's functions does not own them. */
static void uvfio_pci_hot_reset_other_group(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct pci_dev *other = sim_root_pci(test, SIM_REGFILE_DEVFN);
	struct file *group;

	vp_peer(test);
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, other, "vfio-pci"));
	group = uvfio_open_group(v->fx, uvfio_group_id(test, other));
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, group), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, v->group), 0);
}

/*
 * The hot reset's own allocations (the fds, their files) failed in turn:
 * an error each time, the group's reference not kept; then it works.
 */
#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
static void uvfio_pci_hot_reset_fail_nth(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	long refs = file_count(v->group), ret;
	int nth;

	vp_peer(test);
	uvfio_failslab(v->fx);
	for (nth = 1; nth < 50; nth++) {
		int left;

		current->fail_nth = nth;
		ret = vp_hot_reset(v, v->group);
		left = current->fail_nth;
		current->fail_nth = 0;
		if (left)
			break;		/* done before the nth: all made */
		/* The debug kernel's page allocations may fail survivably. */
		if (!ret && IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC))
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -EFAULT,
				      "allocation %d: %ld", nth, ret);
		KUNIT_EXPECT_EQ(test, file_count(v->group), refs);
	}
	/* The fds, their files and the set of functions at least. */
	KUNIT_EXPECT_GT(test, nth, 3);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

#else
static void uvfio_pci_hot_reset_fail_nth(struct kunit *test)
{
	kunit_skip(test, "needs FAILSLAB and FAULT_INJECTION_DEBUG_FS");
}
#endif

struct hot_reset_hdr_case {
	const char *name;
	u32 argsz;			/* 0: the whole argument */
	u32 flags;
	u32 count;
};

static const struct hot_reset_hdr_case hot_reset_hdr_cases[] = {
	{ "argsz short of count",
	  offsetofend(struct vfio_pci_hot_reset, count) - 1, 0, 1 },
	{ "flags bit 0", 0, 1, 1 },
	{ "flags bit 31", 0, BIT(31), 1 },
	{ "count 0", 0, 0, 0 },
	/* Two functions on the bus: three groups cannot be theirs. */
	{ "count past the functions", 0, 0, 3 },
};

KUNIT_ARRAY_PARAM_DESC(hot_reset_hdr, hot_reset_hdr_cases, name);

/*
 * Each bad field of the header alone is -EINVAL, with a valid group fd
 * given: nothing is reset and the fd's reference is not kept.
 */
static void uvfio_pci_hot_reset_bad_header(struct kunit *test)
{
	const struct hot_reset_hdr_case *c = test->param_value;
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct {
		struct vfio_pci_hot_reset hdr;
		s32 fd;
	} r = { .hdr = { .argsz = c->argsz ?: sizeof(r), .flags = c->flags,
			 .count = c->count } };
	u32 val = 0x1234;
	long refs;

	vp_peer(test);
	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	vp_bar_write32(v, 0, SCRATCH, val);
	refs = file_count(v->group);
	r.fd = uvfio_install_fd(v->fx, v->group);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_PCI_HOT_RESET, &r,
					       sizeof(r)), -EINVAL);
	uvfio_uninstall_fd(v->fx, r.fd, v->group);
	KUNIT_EXPECT_EQ(test, file_count(v->group), refs);
	val = 0;
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, 0x1234);
}

/* A function the reset reaches is not vfio-pci's: refused, as upstream. */
static void uvfio_pci_hot_reset_unbound_peer(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	struct pci_dev *peer = sim_pci_dev(test, sim_secondary_bus(test),
					   PCI_DEVFN(1, 0));

	KUNIT_ASSERT_NULL(test, peer->dev.driver);
	KUNIT_EXPECT_EQ(test, vp_hot_reset(v, v->group), -EINVAL);
	/* The header is read first: an unreadable one is -EFAULT. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_PCI_HOT_RESET,
					  0x10), -EFAULT);
}

static long vp_ioeventfd_at(struct vp *v, u32 size, u32 bar, u64 pos,
			    u64 data, s32 fd)
{
	struct vfio_device_ioeventfd ioev = {
		.argsz = sizeof(ioev), .flags = size, .data = data, .fd = fd,
		.offset = uvfio_pci_index_to_offset(bar) + pos,
	};

	return uvfio_ioctl_user(v->fx, v->device, VFIO_DEVICE_IOEVENTFD, &ioev,
				sizeof(ioev));
}

static long vp_ioeventfd(struct vp *v, u32 size, u64 pos, u64 data, s32 fd)
{
	return vp_ioeventfd_at(v, size, 0, pos, data, fd);
}

/*
 * An ioeventfd is found again by BAR, offset, data and size, all four:
 * one that differs in any is another (none to remove, room to add). An
 * argument the ioctl cannot read is -EFAULT.
 */
static void uvfio_pci_ioeventfd_match(struct kunit *test)
{
	static const struct {
		u32 size, bar;
		u64 pos, data;
	} others[] = {
		{ 4, 2, SCRATCH, 0xabcd },
		{ 4, 0, SCRATCH + 4, 0xabcd },
		{ 4, 0, SCRATCH, 0xabce },
		{ 2, 0, SCRATCH, 0xabcd },
	};
	struct vp *v = vp_open(test, FN_REGFILE);
	int efd = vp_eventfd(test);
	int i;

	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_IOEVENTFD, 8),
			-EFAULT);
	KUNIT_ASSERT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd),
			-EEXIST);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		KUNIT_EXPECT_EQ_MSG(test, vp_ioeventfd_at(v, others[i].size,
				    others[i].bar, others[i].pos,
				    others[i].data, -1), -ENODEV, "other %d", i);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, -1), 0);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, -1), -ENODEV);
}

/* BAR5, the last one, takes ioeventfds too ("caps" has one there). */
static void uvfio_pci_ioeventfd_bar5(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_CAPS);
	int efd = vp_eventfd(test);

	KUNIT_ASSERT_NE(test, pci_resource_len(v->pdev, 5), 0);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd_at(v, 4, 5, 0, 1, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd_at(v, 4, 5, 0, 1, -1), 0);
}

/* Refused ioeventfds: one row each, offset in BAR0 unless @bar is set. */
struct ioev_case {
	const char *name;
	enum vp_fn fn;
	u32 argsz_delta;
	u32 flags;
	u32 bar;
	u64 pos;
	s32 fd;
	int err;
};

static const struct ioev_case ioev_cases[] = {
	{ "argsz short", FN_DMA, 5, 4, 0, SCRATCH, -1, -EINVAL },
	/* Up to the fd is enough: then only "nothing to remove". */
	{ "argsz up to the fd", FN_REGFILE, 4, 4, 0, SCRATCH, -1, -ENODEV },
	{ "unknown flag", FN_DMA, 0, 4 | 16, 0, SCRATCH, -1, -EINVAL },
	{ "no size", FN_DMA, 0, 0, 0, SCRATCH, -1, -EINVAL },
	{ "two sizes", FN_DMA, 0, 6, 0, SCRATCH, -1, -EINVAL },
	{ "fd -2", FN_DMA, 0, 4, 0, SCRATCH, -2, -EINVAL },
	{ "config", FN_DMA, 0, 4, CFG, 0, -1, -EINVAL },
	{ "empty BAR", FN_DMA, 0, 4, 1, 0, -1, -EINVAL },
	{ "across the BAR's end", FN_DMA, 0, 8, 0, SZ_4K - 4, -1, -EINVAL },
	{ "the BAR's last dword", FN_DMA, 0, 4, 0, SZ_4K - 4, -1, -ENODEV },
	{ "MSI-X table", FN_DMA, 0, 4, 0, 0x800, -1, -EINVAL },
	{ "into the MSI-X table", FN_DMA, 0, 8, 0, 0x7fc, -1, -EINVAL },
	{ "last byte of the MSI-X table", FN_DMA, 0, 1, 0, 0x83f, -1,
	  -EINVAL },
	{ "after the MSI-X table", FN_DMA, 0, 1, 0, 0x840, -1, -ENODEV },
	{ "before the MSI-X table", FN_DMA, 0, 4, 0, 0x7fc, -1, -ENODEV },
	{ "not there", FN_REGFILE, 0, 4, 0, SCRATCH, -1, -ENODEV },
	{ "closed fd", FN_REGFILE, 0, 4, 0, SCRATCH, 1000, -EBADF },
	/*
	 * Offsets whose top bit is set (make fuzz): an index read as signed
	 * would pass the BAR check and index before the BARs.
	 */
	{ "index 0x800000", FN_DMA, 0, 4, 0x800000, 0, -1, -EINVAL },
	{ "index 0xffffff", FN_DMA, 0, 8, 0xffffff, 0x20, -1, -EINVAL },
};

static void ioev_desc(const struct ioev_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioev, ioev_cases, ioev_desc);

static void uvfio_pci_ioeventfd_refused(struct kunit *test)
{
	const struct ioev_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct vfio_device_ioeventfd ioev = {
		.argsz = sizeof(ioev) - c->argsz_delta, .flags = c->flags,
		.offset = uvfio_pci_index_to_offset(c->bar) + c->pos,
		.fd = c->fd,
	};

	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_IOEVENTFD, &ioev,
					       sizeof(ioev)), c->err);
	KUNIT_EXPECT_EQ(test, vp_priv(v)->ioeventfds_nr, 0);
}

/* One signal, one write: done at once, not again by the work item. */
static void uvfio_pci_ioeventfd_once(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	int efd = vp_eventfd(test);

	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_ASSERT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd), 0);
	simpci_accesses(sdev, log);
	vp_signal(test, efd);
	msleep(20);
	KUNIT_ASSERT_EQ(test, simpci_accesses(sdev, log), 1);
	KUNIT_EXPECT_TRUE(test, log[0].write);
	KUNIT_EXPECT_EQ(test, log[0].off, SCRATCH);
}

#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
/* An ioeventfd's allocations failed in turn: an error, none left. */
static void uvfio_pci_ioeventfd_fail_nth(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	int efd = vp_eventfd(test), nth;
	long ret;

	/* BAR0 mapped once and kept: then the ioeventfd's own come first. */
	KUNIT_ASSERT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd), 0);
	KUNIT_ASSERT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, -1), 0);
	uvfio_failslab(v->fx);
	for (nth = 1; nth < 20; nth++) {
		int left;

		current->fail_nth = nth;
		ret = vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd);
		left = current->fail_nth;
		current->fail_nth = 0;
		if (left)
			break;
		/*
		 * The debug kernel also fails page allocations and user
		 * copies, and one of those may be survived: then the call
		 * succeeds whole, and the ioeventfd is taken away again.
		 */
		if (!ret && IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC)) {
			KUNIT_EXPECT_EQ(test, vp_priv(v)->ioeventfds_nr, 1);
			vp_ioeventfd(v, 4, SCRATCH, 0xabcd, -1);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -EFAULT,
				      "allocation %d: %ld", nth, ret);
		KUNIT_EXPECT_EQ(test, vp_priv(v)->ioeventfds_nr, 0);
	}
	/* The ioeventfd and its virqfd at least. */
	KUNIT_EXPECT_GT(test, nth, 2);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, vp_priv(v)->ioeventfds_nr, 1);
}
#else
static void uvfio_pci_ioeventfd_fail_nth(struct kunit *test)
{
	kunit_skip(test, "needs FAILSLAB and FAULT_INJECTION_DEBUG_FS");
}
#endif

/*
 * With the memory lock taken for writing elsewhere, the signal's write
 * is left to a work item, which does it once the lock is free. Close
 * frees what is left, with its eventfd still open.
 */
static void uvfio_pci_ioeventfd_deferred(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct uvfio_pci_device *vpdev = vp_priv(v);
	int efd = vp_eventfd(test);
	u32 val = 0;

	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_ASSERT_EQ(test, vp_ioeventfd(v, 4, SCRATCH, 0xabcd, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_ioeventfd(v, 2, SCRATCH, 0xabcd, efd), 0);
	KUNIT_EXPECT_EQ(test, vpdev->ioeventfds_nr, 2);
	down_write(&vpdev->memory_lock);
	vp_signal(test, efd);
	msleep(20);
	up_write(&vpdev->memory_lock);
	msleep(20);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, 0xabcd);

	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_EQ(test, vpdev->ioeventfds_nr, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&vpdev->ioeventfds));
}

static long vp_feature(struct vp *v, u32 flags, s32 wake_fd)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_low_power_entry_with_wakeup wake;
	} f = { .hdr = { .argsz = sizeof(f), .flags = flags } };

	f.wake.wakeup_eventfd = wake_fd;
	return uvfio_ioctl_user(v->fx, v->device, VFIO_DEVICE_FEATURE, &f,
				sizeof(f));
}

static bool vp_suspended(struct vp *v)
{
	int i;

	for (i = 0; i < 50; i++) {
		flush_workqueue(pm_wq);
		if (pm_runtime_suspended(&v->pdev->dev))
			return true;
		msleep(20);
	}
	return false;
}

/*
 * Low power: suspended until something wakes it; a wakeup eventfd is
 * signalled by the first wake and ends low power; close ends it and
 * leaves the runtime PM count as open found it.
 */
static void uvfio_pci_low_power(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct uvfio_pci_device *vpdev = vp_priv(v);
	const u32 set = VFIO_DEVICE_FEATURE_SET;
	int wake = vp_eventfd(test);
	int usage = atomic_read(&v->pdev->dev.power.usage_count);
	struct vfio_device_info info = { .argsz = sizeof(info) };
	u16 vendor;
	/* Entry takes no data: the header alone will do. */
	struct vfio_device_feature entry = {
		.argsz = sizeof(entry),
		.flags = set | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
	};

	/* A wakeup eventfd below 0 is refused, and nothing entered. */
	KUNIT_EXPECT_EQ(test, vp_feature(v, set |
				VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
				-1), -EINVAL);
	KUNIT_EXPECT_FALSE(test, vpdev->pm_runtime_engaged);
	KUNIT_ASSERT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_FEATURE, &entry,
					       sizeof(entry)), 0);
	KUNIT_EXPECT_TRUE(test, vpdev->pm_runtime_engaged);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	/* Entered once: a second entry is refused, the count unchanged. */
	KUNIT_EXPECT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
					 -1), -EINVAL);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	/*
	 * A device that cannot be woken: an ioctl and a region access are
	 * -EIO, as upstream, and leave the count and low power as they were.
	 */
	pm_runtime_disable(&v->pdev->dev);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_GET_INFO, &info,
					       sizeof(info)), -EIO);
	KUNIT_EXPECT_EQ(test, vp_rw(v, CFG, PCI_VENDOR_ID, &vendor, 2, false),
			-EIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&v->pdev->dev.power.usage_count),
			usage - 1);
	pm_runtime_enable(&v->pdev->dev);
	KUNIT_EXPECT_TRUE(test, vpdev->pm_runtime_engaged);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_VENDOR_ID, 2), SIMPCI_VENDOR);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	KUNIT_EXPECT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
					 -1), 0);
	KUNIT_EXPECT_FALSE(test, vpdev->pm_runtime_engaged);
	KUNIT_EXPECT_FALSE(test, pm_runtime_suspended(&v->pdev->dev));
	KUNIT_EXPECT_EQ(test, atomic_read(&v->pdev->dev.power.usage_count),
			usage);

	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
				VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
				wake), 0);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	KUNIT_EXPECT_EQ(test, vp_fired(test, wake), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_VENDOR_ID, 2), SIMPCI_VENDOR);
	KUNIT_EXPECT_EQ(test, vp_fired(test, wake), 1);
	KUNIT_EXPECT_FALSE(test, vpdev->pm_runtime_engaged);

	/* Closed in low power: the count is back to what open found. */
	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
					 -1), 0);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, vpdev->pm_runtime_engaged);
	KUNIT_EXPECT_EQ(test, atomic_read(&v->pdev->dev.power.usage_count),
			usage - 1);
}

/* regfile opened, its INTx on an eventfd of the test's. */
static struct vp *vp_open_intx(struct kunit *test, struct simpci_dev **sdev,
			       s32 *efd)
{
	struct vp *v = vp_open(test, FN_REGFILE);

	*sdev = vp_sdev(v);
	*efd = vp_eventfd(test);
	KUNIT_ASSERT_EQ(test, vp_set_irqs(v, VFIO_IRQ_SET_DATA_EVENTFD |
					  VFIO_IRQ_SET_ACTION_TRIGGER,
					  VFIO_PCI_INTX_IRQ_INDEX, 0, 1, efd,
					  sizeof(*efd)), 0);
	return v;
}

/*
 * INTx the user masked stays masked across low power: the resume unmasks
 * only what the suspend masked.
 */
static void uvfio_pci_low_power_masked_intx(struct kunit *test)
{
	const u32 set = VFIO_DEVICE_FEATURE_SET;
	struct simpci_dev *sdev;
	s32 efd;
	struct vp *v = vp_open_intx(test, &sdev, &efd);

	KUNIT_ASSERT_EQ(test, vp_set_irqs(v, VFIO_IRQ_SET_DATA_NONE |
					  VFIO_IRQ_SET_ACTION_MASK,
					  VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0),
			0);
	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
					 -1), 0);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
					 -1), 0);

	simpci_set_intx(sdev, true);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	/* The user's unmask lets the asserted line through. */
	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, VFIO_IRQ_SET_DATA_NONE |
					  VFIO_IRQ_SET_ACTION_UNMASK,
					  VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0),
			0);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
}

/* A feature vfio-pci does not have: -ENOTTY, for GET, SET and PROBE. */
static void uvfio_pci_unknown_feature(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	static const u32 how[] = {
		VFIO_DEVICE_FEATURE_GET, VFIO_DEVICE_FEATURE_SET,
		VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(how); i++)
		KUNIT_EXPECT_EQ_MSG(test, vp_feature(v, how[i] | 0x7ff, -1),
				    -ENOTTY, "flags %#x", how[i]);
}

/*
 * INTx is masked at the function (Interrupt Disable) while it sleeps,
 * and unmasked when it wakes: an interrupt then gets through.
 */
static void uvfio_pci_low_power_intx(struct kunit *test)
{
	const u32 set = VFIO_DEVICE_FEATURE_SET;
	struct simpci_dev *sdev;
	s32 efd;
	struct vp *v = vp_open_intx(test, &sdev, &efd);

	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
					 -1), 0);
	KUNIT_EXPECT_TRUE(test, vp_suspended(v));
	KUNIT_EXPECT_TRUE(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
			  PCI_COMMAND_INTX_DISABLE);
	KUNIT_ASSERT_EQ(test, vp_feature(v, set |
					 VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
					 -1), 0);
	KUNIT_EXPECT_FALSE(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
			   PCI_COMMAND_INTX_DISABLE);
	simpci_set_intx(sdev, true);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
}

static struct kunit_case uvfio_pci_reset_cases[] = {
	KUNIT_CASE(uvfio_pci_hot_reset_busy),
	KUNIT_CASE(uvfio_pci_bus_reset_at_close),
	KUNIT_CASE(uvfio_pci_close_resets_itself),
	KUNIT_CASE(uvfio_pci_no_bus_reset_owed),
	KUNIT_CASE(uvfio_pci_ioeventfd_fail_nth),
	KUNIT_CASE(uvfio_pci_unknown_feature),
	KUNIT_CASE(uvfio_pci_hot_reset_info),
	KUNIT_CASE(uvfio_pci_hot_reset_d3hot),
	KUNIT_CASE(uvfio_pci_hot_reset_unbound_peer),
	KUNIT_CASE(uvfio_pci_hot_reset_bad_fd),
	KUNIT_CASE(uvfio_pci_hot_reset_other_group),
	KUNIT_CASE_SLOW(uvfio_pci_hot_reset_fail_nth),
	KUNIT_CASE_PARAM(uvfio_pci_hot_reset_bad_header,
			 hot_reset_hdr_gen_params),
	KUNIT_CASE_PARAM(uvfio_pci_ioeventfd_refused, ioev_gen_params),
	KUNIT_CASE(uvfio_pci_ioeventfd_match),
	KUNIT_CASE(uvfio_pci_ioeventfd_bar5),
	KUNIT_CASE(uvfio_pci_ioeventfd_once),
	KUNIT_CASE(uvfio_pci_ioeventfd_deferred),
	KUNIT_CASE(uvfio_pci_low_power),
	KUNIT_CASE(uvfio_pci_low_power_masked_intx),
	KUNIT_CASE(uvfio_pci_low_power_intx),
	{}
};

static struct kunit_suite uvfio_pci_reset_suite = {
	.name = "uvfio_pci_reset",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_pci_reset_cases,
};

kunit_test_suite(uvfio_pci_reset_suite);

MODULE_DESCRIPTION("KUnit: vfio-uml's vfio-pci resets, ioeventfds, low power");
MODULE_LICENSE("GPL");
