/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-uml core: the interface of bus drivers (vfio-pci, vfio-platform, the
 * test driver). A bus driver embeds a struct uvfio_device in its own
 * per-device structure, registers it once the device is probed, and
 * unregisters it in remove. The core creates /dev/vfio/<group> for the
 * device's IOMMU group and hands out device file descriptors through
 * VFIO_GROUP_GET_DEVICE_FD; their ioctl, read, write and mmap calls reach
 * the driver's ops.
 *
 * Lifetime: uvfio_unregister_device() returns only when no device fd is
 * left open; while it waits it calls ops->request() (about every 10 s) so
 * that the driver can ask userspace to let go. The driver may free its
 * structure after unregister returns. open_device() runs on the first open
 * of the device, close_device() on the last close, both under its group's
 * lock.
 *
 * Every device fd of a device shares the address space of @inode, so the
 * driver can take away all user mappings of a range at once with
 * unmap_mapping_range(vdev->inode->i_mapping, ...), whichever fd made them.
 */
#ifndef UVFIO_H
#define UVFIO_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct uvfio_device;
struct uvfio_group;
struct vm_area_struct;
struct vfio_info_cap_header;

/**
 * struct uvfio_device_ops - what a bus driver does for a device fd
 * @name: the driver's name, for messages
 * @open_device: first open of the device; an error fails GET_DEVICE_FD
 * @close_device: last close of the device
 * @ioctl: device ioctls the core does not handle itself (-ENOTTY for an
 *	unknown one); missing: -EINVAL
 * @read: read(2)/pread(2) on the device fd; missing: -EINVAL
 * @write: write(2)/pwrite(2) on the device fd; missing: -EINVAL
 * @mmap: mmap(2) of the device fd; missing: -EINVAL
 * @request: the device is being unregistered while open; @count says how
 *	many times this was asked before
 * @device_feature: VFIO_DEVICE_FEATURE for features the core does not
 *	know; @flags are checked, @arg points past the header and @argsz is
 *	what is left of the caller's argsz; missing: -ENOTTY
 */
struct uvfio_device_ops {
	const char *name;
	int (*open_device)(struct uvfio_device *vdev);
	void (*close_device)(struct uvfio_device *vdev);
	long (*ioctl)(struct uvfio_device *vdev, unsigned int cmd,
		      unsigned long arg);
	ssize_t (*read)(struct uvfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos);
	ssize_t (*write)(struct uvfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos);
	int (*mmap)(struct uvfio_device *vdev, struct vm_area_struct *vma);
	void (*request)(struct uvfio_device *vdev, unsigned int count);
	int (*device_feature)(struct uvfio_device *vdev, u32 flags,
			      void __user *arg, size_t argsz);
};

/**
 * struct uvfio_device - a device as the core sees it
 * @dev: the bus device (its name is what GET_DEVICE_FD matches)
 * @ops: the bus driver's callbacks
 * @group: the group the device belongs to while registered
 * @group_next: entry in the group's device list
 * @registration: 1 while registered, +1 for each device fd and lookup
 * @released: completed when @registration drops to zero
 * @open_count: open device fds (protected by the group's lock)
 * @inode: the inode whose address space holds every mmap of the device's
 *	fds, from registration until unregistration returns
 */
struct uvfio_device {
	struct device *dev;
	const struct uvfio_device_ops *ops;
	struct uvfio_group *group;
	struct list_head group_next;
	refcount_t registration;
	struct completion released;
	unsigned int open_count;
	struct inode *inode;
};

int uvfio_register_device(struct uvfio_device *vdev, struct device *dev,
			  const struct uvfio_device_ops *ops);
void uvfio_unregister_device(struct uvfio_device *vdev);

int uvfio_check_feature(u32 flags, size_t argsz, u32 ops, size_t minsz);

struct file;
bool uvfio_file_is_group(struct file *file);
bool uvfio_file_has_device(struct file *file, struct uvfio_device *vdev);

/**
 * struct uvfio_info_cap - a capability chain being built (uvfio_info.c)
 * @buf: the capabilities, offsets in their headers from @buf
 * @size: bytes in @buf
 */
struct uvfio_info_cap {
	void *buf;
	size_t size;
};

struct vfio_info_cap_header *uvfio_info_cap_add(struct uvfio_info_cap *caps,
						size_t size, u16 id,
						u16 version);
void uvfio_info_cap_free(struct uvfio_info_cap *caps);
int uvfio_info_cap_copy(struct uvfio_info_cap *caps, void __user *arg,
			size_t info_size, u32 *argsz, u32 *cap_offset);

struct vfio_irq_set;

int uvfio_irq_set_data(struct vfio_irq_set __user *arg,
		       struct vfio_irq_set *hdr,
		       u32 (*count_of)(void *drvdata, u32 index),
		       void *drvdata, u32 num_indexes, void **data);

/*
 * An eventfd that calls the driver when signalled (uvfio_virqfd.c). The
 * driver keeps a struct uvfio_virqfd pointer, NULL while none is set;
 * the core clears it when the virqfd goes away (disable or close of the
 * eventfd), under its own lock.
 */
struct uvfio_virqfd;

int uvfio_virqfd_enable(void *opaque, int (*handler)(void *, void *),
			void (*thread)(void *, void *), void *data,
			struct uvfio_virqfd **pvirqfd, int fd);
void uvfio_virqfd_disable(struct uvfio_virqfd **pvirqfd);
void uvfio_virqfd_flush_thread(struct uvfio_virqfd **pvirqfd);

#endif /* UVFIO_H */
