/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-uml platform bus driver internals, shared by uvfio_platform.c
 * (driver, ioctls, open and close), uvfio_platform_rdwr.c (region access
 * and mmap), uvfio_platform_irq.c (interrupts) and uvfio_platform_reset.c
 * (reset handlers by compatible string).
 *
 * The RFC's vfio-dt answered as Linux answers it: region i is the
 * device's i-th memory (or I/O) resource, that is the i-th `reg` entry of
 * its node, and IRQ i its i-th interrupt; the node is the device's
 * of_node in sysfs.
 *
 * Locking: igate (mutex) guards the interrupts' triggers and mask and
 * unmask eventfds: SET_IRQS and close take it. Each interrupt's lock
 * (spinlock, irq-safe) orders its handler against mask and unmask.
 * Regions and interrupts are set up at the first open and torn down at
 * the last close, under the group's lock; in between they do not change.
 *
 * Lifetime: the structure is allocated at probe and freed at remove, after
 * uvfio_unregister_device() returned (no fd left).
 */
#ifndef UVFIO_PLATFORM_PRIV_H
#define UVFIO_PLATFORM_PRIV_H

#include <linux/bits.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <uapi/linux/vfio.h>

#include "core/uvfio.h"

/* A region's file offset is its index above this bit, as upstream. */
#define UVFIO_PLATFORM_OFFSET_SHIFT	40
#define UVFIO_PLATFORM_OFFSET_MASK	\
	GENMASK_ULL(UVFIO_PLATFORM_OFFSET_SHIFT - 1, 0)

static inline u64 uvfio_platform_index_to_offset(u32 index)
{
	return (u64)index << UVFIO_PLATFORM_OFFSET_SHIFT;
}

static inline u64 uvfio_platform_offset_to_index(u64 off)
{
	return off >> UVFIO_PLATFORM_OFFSET_SHIFT;
}

struct uvfio_platform_device;

/**
 * typedef uvfio_platform_reset_fn - a device's reset, by compatible string
 * @vpdev: the device, open: its regions are mapped
 *
 * Return: 0 or a negative errno.
 */
typedef int (*uvfio_platform_reset_fn)(struct uvfio_platform_device *vpdev);

/**
 * struct uvfio_platform_region - one memory or I/O resource
 * @addr: its physical address
 * @size: its size
 * @flags: VFIO_REGION_INFO_FLAG_*
 * @mmio: a memory resource (I/O ones cannot be accessed)
 * @ioaddr: its ioremap() while open
 */
struct uvfio_platform_region {
	phys_addr_t addr;
	resource_size_t size;
	u32 flags;
	bool mmio;
	void __iomem *ioaddr;
};

/**
 * struct uvfio_platform_irq - one interrupt
 * @vpdev: the device
 * @hwirq: its Linux IRQ
 * @flags: VFIO_IRQ_INFO_*
 * @error: request_irq()'s errno, returned by SET_IRQS for it; 0 when
 *	requested
 * @name: the name it was requested with
 * @lock: orders the handler against mask and unmask
 * @masked: masked by the handler or the user (under @lock)
 * @trigger: the user's eventfd (under igate)
 * @mask: eventfd that masks, or NULL
 * @unmask: eventfd that unmasks, or NULL
 */
struct uvfio_platform_irq {
	struct uvfio_platform_device *vpdev;
	int hwirq;
	u32 flags;
	int error;
	char *name;
	spinlock_t lock;
	bool masked;
	struct eventfd_ctx *trigger;
	struct uvfio_virqfd *mask;
	struct uvfio_virqfd *unmask;
};

/**
 * struct uvfio_platform_device - a platform device bound to vfio-platform
 * @vdev: what the core sees
 * @pdev: the device
 * @compat: its first compatible string
 * @reset: the reset handler for @compat, or NULL
 * @reset_required: probe and open fail without a working reset
 * @igate: see the lock rules above
 * @regions: its resources, while open
 * @num_regions: how many
 * @irqs: its interrupts, while open
 * @num_irqs: how many
 */
struct uvfio_platform_device {
	struct uvfio_device vdev;
	struct platform_device *pdev;
	const char *compat;
	uvfio_platform_reset_fn reset;
	bool reset_required;
	struct mutex igate;
	struct uvfio_platform_region *regions;
	u32 num_regions;
	struct uvfio_platform_irq *irqs;
	u32 num_irqs;
};

/* uvfio_platform.c: the parameter, read at each probe */
extern bool uvfio_platform_reset_required;

/* uvfio_platform_rdwr.c */
int uvfio_platform_regions_init(struct uvfio_platform_device *vpdev);
void uvfio_platform_regions_exit(struct uvfio_platform_device *vpdev);
ssize_t uvfio_platform_read(struct uvfio_device *vdev, char __user *buf,
			    size_t count, loff_t *ppos);
ssize_t uvfio_platform_write(struct uvfio_device *vdev,
			     const char __user *buf, size_t count,
			     loff_t *ppos);
int uvfio_platform_mmap(struct uvfio_device *vdev,
			struct vm_area_struct *vma);

/* uvfio_platform_irq.c */
int uvfio_platform_irqs_init(struct uvfio_platform_device *vpdev);
void uvfio_platform_irqs_exit(struct uvfio_platform_device *vpdev);
int uvfio_platform_set_irqs(struct uvfio_platform_device *vpdev, u32 flags,
			    u32 index, u32 start, u32 count, void *data);

/* uvfio_platform_reset.c */
uvfio_platform_reset_fn uvfio_platform_find_reset(const char *compat);
int uvfio_platform_do_reset(struct uvfio_platform_device *vpdev);

#endif /* UVFIO_PLATFORM_PRIV_H */
