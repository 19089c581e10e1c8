/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-uml core internals: groups, containers and the IOMMU backend seam.
 * IOMMU backends (vfio/iommu/) include this header; bus drivers use only
 * uvfio.h.
 *
 * Lock order (outer first):
 *   uvfio_core.group_lock        the list of groups, group creation/removal
 *   -> group->lock               opened_file, container, container_users,
 *                                iommu_group (NULL once the group is gone),
 *                                its devices' open_count, open_device and
 *                                close_device
 *     -> container->group_lock   (rwsem) the container's groups and backend
 *       -> uvfio_core.iommu_lock the list of registered backends
 *   group->device_lock           the group's devices (a leaf)
 *
 * Lifetimes:
 * - A group exists while a device of its IOMMU group is registered
 *   (group->drivers counts them). Its struct device is the memory: an open
 *   group fd holds the cdev and so the device, so the structure outlives
 *   the removal of its last device; iommu_group is then NULL and every
 *   call answers -ENODEV.
 * - A container is freed at the last kref_put: its fd holds one reference
 *   and every group attached to it one more, so closing the container fd
 *   first leaves the groups' backend working.
 * - A device fd holds a registration reference of its device and a
 *   reference of its group's file (taken on the device's first open by
 *   uvfio_group_use_container()), so the group fd's release, which detaches
 *   the container, runs only after the last device fd is closed.
 */
#ifndef UVFIO_PRIVATE_H
#define UVFIO_PRIVATE_H

#include <linux/cdev.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/rwsem.h>

#include "uvfio.h"

struct uvfio_container;

/**
 * enum uvfio_iommu_notify_type - events a backend is told about
 * @UVFIO_IOMMU_CONTAINER_CLOSE: the container fd was closed; groups still
 *	attached keep the backend alive
 */
enum uvfio_iommu_notify_type {
	UVFIO_IOMMU_CONTAINER_CLOSE,
};

/**
 * struct uvfio_iommu_ops - an IOMMU backend of the container
 * @name: for messages
 * @open: VFIO_SET_IOMMU with a @type this backend answered positively to
 *	in VFIO_CHECK_EXTENSION; returns the backend's data or an ERR_PTR
 * @release: the container lost its last group (or SET_IOMMU unwinds)
 * @ioctl: VFIO_CHECK_EXTENSION (@data NULL when no backend is set yet)
 *	and every container ioctl the core does not handle
 * @attach_group: a group joins (at SET_IOMMU for the groups already
 *	there, at SET_CONTAINER afterwards); the group's DMA is owned by the
 *	core already
 * @detach_group: a group leaves
 * @notify: an event of enum uvfio_iommu_notify_type (optional)
 */
struct uvfio_iommu_ops {
	const char *name;
	void *(*open)(unsigned long type);
	void (*release)(void *data);
	long (*ioctl)(void *data, unsigned int cmd, unsigned long arg);
	int (*attach_group)(void *data, struct iommu_group *group);
	void (*detach_group)(void *data, struct iommu_group *group);
	void (*notify)(void *data, enum uvfio_iommu_notify_type event);
};

int uvfio_register_iommu_driver(const struct uvfio_iommu_ops *ops);
void uvfio_unregister_iommu_driver(const struct uvfio_iommu_ops *ops);

/**
 * struct uvfio_group - /dev/vfio/<id>: the devices of one IOMMU group
 * @dev: the group's device (its release frees the group)
 * @cdev: the character device behind /dev/vfio/<id>
 * @iommu_group: the IOMMU group (a reference); NULL once removed
 * @drivers: registered devices of the group
 * @next: entry in the core's list of groups
 * @lock: see the lock order above
 * @opened_file: the one open group file, or NULL
 * @container: the container the group is attached to, or NULL
 * @container_users: 1 for the attachment + 1 per device in use
 * @container_next: entry in the container's group list
 * @device_lock: protects @devices
 * @devices: registered devices (struct uvfio_device.group_next)
 */
struct uvfio_group {
	struct device dev;
	struct cdev cdev;
	struct iommu_group *iommu_group;
	refcount_t drivers;
	struct list_head next;
	struct mutex lock;
	struct file *opened_file;
	struct uvfio_container *container;
	unsigned int container_users;
	struct list_head container_next;
	struct mutex device_lock;
	struct list_head devices;
};

/* uvfio_group.c */
int uvfio_group_add_device(struct uvfio_device *vdev);
void uvfio_group_hide_device(struct uvfio_device *vdev);
void uvfio_group_remove_device(struct uvfio_device *vdev);
struct uvfio_device *uvfio_group_find_device(struct uvfio_group *group,
					     const char *name);
int __init uvfio_group_init(void);
void uvfio_group_exit(void);

/* uvfio_container.c */
struct uvfio_container *uvfio_container_from_file(struct file *file);
int uvfio_container_attach_group(struct uvfio_container *container,
				 struct uvfio_group *group);
void uvfio_group_detach_container(struct uvfio_group *group);
int uvfio_group_use_container(struct uvfio_group *group);
void uvfio_group_unuse_container(struct uvfio_group *group);
int __init uvfio_container_init(void);

/* uvfio_virqfd.c */
int __init uvfio_virqfd_init(void);
void uvfio_virqfd_exit(void);

/* uvfio_main.c */
bool uvfio_device_try_get(struct uvfio_device *vdev);
void uvfio_device_put(struct uvfio_device *vdev);
struct file *uvfio_device_open_file(struct uvfio_device *vdev);

#endif /* UVFIO_PRIVATE_H */
