// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared by vfio-pci's KUnit suites: see uvfio_pci_helpers.h.
 */
#include <kunit/test.h>
#include <linux/eventfd.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <uapi/linux/eventfd.h>

#include "pci/uvfio_pci_offset.h"
#include "sim/simpci.h"
#include "sim_helpers.h"
#include "uvfio_pci_helpers.h"

#define P		PAGE_SIZE

static struct pci_dev *vp_fn(struct kunit *test, enum vp_fn fn)
{
	switch (fn) {
	case FN_DMA:
		return uvfio_fn(test, SIM_DMA_DEVFN);
	case FN_REGFILE:
		return uvfio_fn(test, SIM_REGFILE_DEVFN);
	case FN_BEHIND_BRIDGE:
		return sim_pci_dev(test, sim_secondary_bus(test),
				   PCI_DEVFN(0, 0));
	case FN_MFD:
		return uvfio_fn(test, SIM_MFD_DEVFN(0));
	default:
		sim_plug(test, fn == FN_CAPS ? &sim_caps_desc :
			 fn == FN_BARE ? &sim_bare_desc :
			 fn == FN_LENS ? &sim_lens_desc :
			 fn == FN_HIDDEN ? &sim_hidden_desc :
			 fn == FN_EDGE ? &sim_edge_desc : &sim_nomask_desc,
			 NULL, SIM_HOTPLUG_DEVFN);
		/* Its reference is put before the function is unplugged. */
		return uvfio_fn(test, SIM_HOTPLUG_DEVFN);
	}
}

struct file *vp_open_device(struct vp *v)
{
	struct file *device;
	long err;

	device = uvfio_get_device(v->fx, v->group, pci_name(v->pdev), &err);
	KUNIT_ASSERT_EQ(v->fx->test, err, 0);
	return device;
}

/**
 * vp_open_bound() - open a function already bound to vfio-pci
 * @test: the test
 * @pdev: the function, referenced until the test ends
 *
 * Return: the function opened through a new container with the test
 * backend.
 */
struct vp *vp_open_bound(struct kunit *test, struct pci_dev *pdev)
{
	struct vp *v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, v);
	v->fx = uvfio_fx(test);
	v->pdev = pdev;
	v->container = uvfio_open_container(v->fx);
	v->group = uvfio_open_group(v->fx, uvfio_group_id(test, v->pdev));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(v->fx, v->group,
						     v->container));
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(v->container, VFIO_SET_IOMMU,
					     UVFIO_TEST_IOMMU));
	v->device = vp_open_device(v);
	return v;
}

/**
 * vp_open_pdev() - bind a function to vfio-pci and open it
 * @test: the test
 * @pdev: the function, referenced until the test ends
 *
 * Return: as vp_open_bound().
 */
struct vp *vp_open_pdev(struct kunit *test, struct pci_dev *pdev)
{
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, pdev, "vfio-pci"));
	return vp_open_bound(test, pdev);
}

/**
 * vp_open() - one of the suites' functions, opened through vfio-pci
 * @test: the test
 * @fn: which
 *
 * Return: the function opened through a new container.
 */
struct vp *vp_open(struct kunit *test, enum vp_fn fn)
{
	return vp_open_pdev(test, vp_fn(test, fn));
}

/* read(2) or write(2) of @count bytes at @off of region @index. */
ssize_t vp_rw(struct vp *v, u32 index, u64 off, void *buf,
		     size_t count, bool write)
{
	loff_t pos = uvfio_pci_index_to_offset(index) + off;
	struct kunit *test = v->fx->test;
	ssize_t ret;

	KUNIT_ASSERT_LE(test, count, P);
	if (write) {
		KUNIT_ASSERT_EQ(test, 0, copy_to_user(v->fx->user, buf, count));
		return v->device->f_op->write(v->device, v->fx->user, count,
					      &pos);
	}
	KUNIT_ASSERT_EQ(test, 0, clear_user(v->fx->user, count));
	ret = v->device->f_op->read(v->device, v->fx->user, count, &pos);
	if (ret > 0)
		KUNIT_ASSERT_EQ(test, 0, copy_from_user(buf, v->fx->user, ret));
	return ret;
}

u32 vp_cfg_read(struct vp *v, int off, int size)
{
	u32 val = 0;

	KUNIT_EXPECT_EQ(v->fx->test, vp_rw(v, CFG, off, &val, size, false),
			size);
	return val;
}

void vp_cfg_write(struct vp *v, int off, int size, u32 val)
{
	KUNIT_EXPECT_EQ(v->fx->test, vp_rw(v, CFG, off, &val, size, true),
			size);
}


/* The simulated device behind the function, for its access logs. */
struct simpci_dev *vp_sdev(struct vp *v)
{
	return sim_dev(v->fx->test, v->pdev->bus->number, v->pdev->devfn);
}

/* A 4-byte write to a BAR through the device fd. */
void vp_bar_write32(struct vp *v, int bar, u64 off, u32 val)
{
	KUNIT_EXPECT_EQ(v->fx->test, vp_rw(v, bar, off, &val, 4, true), 4);
}

/**
 * vp_set_irqs() - VFIO_DEVICE_SET_IRQS with @len bytes of data
 * @v: the function
 * @flags: VFIO_IRQ_SET_DATA_* | VFIO_IRQ_SET_ACTION_*
 * @index: IRQ index
 * @start: first vector
 * @count: vectors
 * @data: the data (eventfds, bools), argsz covering exactly @len bytes
 * @len: its length
 *
 * Return: the ioctl's result.
 */
long vp_set_irqs(struct vp *v, u32 flags, u32 index, u32 start, u32 count,
		 const void *data, size_t len)
{
	size_t size = sizeof(struct vfio_irq_set) + len;
	struct vfio_irq_set *hdr;
	long ret;

	hdr = kzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(v->fx->test, hdr);
	hdr->argsz = size;
	hdr->flags = flags;
	hdr->index = index;
	hdr->start = start;
	hdr->count = count;
	memcpy(hdr->data, data, len);
	ret = uvfio_ioctl_user(v->fx, v->device, VFIO_DEVICE_SET_IRQS, hdr,
			       size);
	kfree(hdr);
	return ret;
}

static void vp_close_fd(void *fd)
{
	/* The test may have closed it already, to see what that does. */
	close_fd((uintptr_t)fd);
	flush_delayed_fput();
}

/**
 * vp_close_eventfd() - close an eventfd of vp_eventfd() now
 * @efd: the eventfd
 *
 * A kernel thread's last fput() is deferred: the release (and the EPOLLHUP
 * that watchers of the eventfd see) runs before this returns.
 */
void vp_close_eventfd(int efd)
{
	vp_close_fd((void *)(uintptr_t)efd);
}

/**
 * vp_eventfd() - a non-blocking eventfd in the test's fd table
 * @test: the test; the fd is closed when it ends, unless closed before
 *
 * Return: the fd.
 */
int vp_eventfd(struct kunit *test)
{
	long fd = sys_eventfd2(0, EFD_NONBLOCK);

	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vp_close_fd,
				(void *)(uintptr_t)fd));
	return fd;
}

/**
 * vp_fired() - read an eventfd's count
 * @test: the test
 * @efd: the eventfd
 *
 * Interrupts the simulator deferred (raised with interrupts off, as when
 * a line is unmasked under a lock) are delivered first.
 *
 * Return: the signals since the last read, 0 for none.
 */
u64 vp_fired(struct kunit *test, int efd)
{
	struct file *file;
	loff_t pos = 0;
	u64 cnt = 0;
	ssize_t ret;

	/* One queue for all functions: no device needed. */
	simpci_flush_irqs(NULL);
	file = fget(efd);
	KUNIT_ASSERT_NOT_NULL(test, file);
	ret = kernel_read(file, &cnt, sizeof(cnt), &pos);
	fput(file);
	if (ret == -EAGAIN)
		return 0;
	KUNIT_EXPECT_EQ(test, ret, sizeof(cnt));
	return cnt;
}

/* Signal an eventfd, as userspace writing 1 to it. */
void vp_signal(struct kunit *test, int efd)
{
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(efd);

	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));
	eventfd_signal(ctx);
	eventfd_ctx_put(ctx);
}
