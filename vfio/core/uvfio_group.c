// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml core: groups, /dev/vfio/<id>. A group is the unit of ownership:
 * one opener at a time, attached to a container, and only then, with a
 * backend set, does it hand out device fds by device name.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <uapi/linux/vfio.h>

#include "uvfio_private.h"

/* One minor of the "vfio" character devices per group. */
#define UVFIO_GROUP_MINORS	(1U << MINORBITS)

static struct {
	const struct class *class;
	dev_t devt;
	struct ida minors;
	struct mutex group_lock;	/* protects groups */
	struct list_head groups;
} uvfio_core = {
	.minors = IDA_INIT(uvfio_core.minors),
	.group_lock = __MUTEX_INITIALIZER(uvfio_core.group_lock),
	.groups = LIST_HEAD_INIT(uvfio_core.groups),
};

/**
 * uvfio_group_find_device() - a device of the group by its name
 * @group: the group
 * @name: dev_name() of the device
 *
 * Return: the device with a registration reference, or ERR_PTR(-ENODEV).
 */
struct uvfio_device *uvfio_group_find_device(struct uvfio_group *group,
					     const char *name)
{
	struct uvfio_device *vdev, *found = ERR_PTR(-ENODEV);

	mutex_lock(&group->device_lock);
	list_for_each_entry(vdev, &group->devices, group_next) {
		if (!strcmp(dev_name(vdev->dev), name) &&
		    uvfio_device_try_get(vdev)) {
			found = vdev;
			break;
		}
	}
	mutex_unlock(&group->device_lock);
	return found;
}

static bool uvfio_group_has_container(struct uvfio_group *group)
{
	lockdep_assert_held(&group->lock);
	/* A container always comes with its own user. */
	WARN_ON(!group->container != !group->container_users);
	return group->container;
}

static int uvfio_group_get_status(struct uvfio_group *group,
				  struct vfio_group_status __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_group_status, flags);
	struct vfio_group_status status;

	if (copy_from_user(&status, arg, minsz))
		return -EFAULT;
	if (status.argsz < minsz)
		return -EINVAL;

	status.flags = 0;
	mutex_lock(&group->lock);
	if (!group->iommu_group) {
		mutex_unlock(&group->lock);
		return -ENODEV;
	}
	/* Viable: no kernel driver uses the group's DMA. */
	if (uvfio_group_has_container(group))
		status.flags = VFIO_GROUP_FLAGS_CONTAINER_SET |
			       VFIO_GROUP_FLAGS_VIABLE;
	else if (!iommu_group_dma_owner_claimed(group->iommu_group))
		status.flags = VFIO_GROUP_FLAGS_VIABLE;
	mutex_unlock(&group->lock);

	if (copy_to_user(arg, &status, minsz))
		return -EFAULT;
	return 0;
}

static int uvfio_group_set_container(struct uvfio_group *group,
				     int __user *arg)
{
	struct uvfio_container *container;
	struct fd f;
	int ret, fd;

	if (get_user(fd, arg))
		return -EFAULT;
	/* Borrowed, not referenced, when the fd table is ours alone. */
	f = fdget(fd);
	if (!fd_file(f))
		return -EBADF;

	mutex_lock(&group->lock);
	if (uvfio_group_has_container(group)) {
		ret = -EINVAL;
		goto out;
	}
	if (!group->iommu_group) {
		ret = -ENODEV;
		goto out;
	}
	container = uvfio_container_from_file(fd_file(f));
	if (container)
		ret = uvfio_container_attach_group(container, group);
	else
		ret = -EBADFD;	/* not a container */
out:
	mutex_unlock(&group->lock);
	fdput(f);
	return ret;
}

static int uvfio_group_unset_container(struct uvfio_group *group)
{
	int ret = 0;

	mutex_lock(&group->lock);
	if (!uvfio_group_has_container(group))
		ret = -EINVAL;
	else if (group->container_users != 1)
		ret = -EBUSY;	/* a device is open */
	else
		uvfio_group_detach_container(group);
	mutex_unlock(&group->lock);
	return ret;
}

static int uvfio_group_get_device_fd(struct uvfio_group *group,
				     char __user *arg)
{
	struct uvfio_device *vdev;
	struct file *file;
	char *name;
	int fd;

	name = strndup_user(arg, PAGE_SIZE);
	if (IS_ERR(name))
		return PTR_ERR(name);
	vdev = uvfio_group_find_device(group, name);
	kfree(name);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto err_put;

	file = uvfio_device_open_file(vdev);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto err_put;
	}
	/* The file owns the registration reference from here on. */
	fd_install(fd, file);
	return fd;

err_put:
	uvfio_device_put(vdev);
	return fd;
}

static long uvfio_group_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct uvfio_group *group = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GROUP_GET_STATUS:
		return uvfio_group_get_status(group, uarg);
	case VFIO_GROUP_SET_CONTAINER:
		return uvfio_group_set_container(group, uarg);
	case VFIO_GROUP_UNSET_CONTAINER:
		return uvfio_group_unset_container(group);
	case VFIO_GROUP_GET_DEVICE_FD:
		return uvfio_group_get_device_fd(group, uarg);
	default:
		return -ENOTTY;
	}
}

static int uvfio_group_open(struct inode *inode, struct file *file)
{
	struct uvfio_group *group =
		container_of(inode->i_cdev, struct uvfio_group, cdev);
	int ret = 0;

	mutex_lock(&group->lock);
	if (!group->iommu_group)
		ret = -ENODEV;		/* its last device is gone */
	else if (group->opened_file)
		ret = -EBUSY;		/* one opener at a time */
	else
		group->opened_file = file;
	mutex_unlock(&group->lock);

	file->private_data = group;
	return ret;
}

/* Open device fds pin this file: no device is in use here. */
static int uvfio_group_release(struct inode *inode, struct file *file)
{
	struct uvfio_group *group = file->private_data;

	mutex_lock(&group->lock);
	if (group->container)
		uvfio_group_detach_container(group);
	group->opened_file = NULL;
	mutex_unlock(&group->lock);
	return 0;
}

static const struct file_operations uvfio_group_fops = {
	.owner		= THIS_MODULE,
	.open		= uvfio_group_open,
	.release	= uvfio_group_release,
	.unlocked_ioctl	= uvfio_group_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * uvfio_file_is_group() - is @file an open /dev/vfio/<group>
 * @file: any file
 *
 * Return: true for a group file.
 */
bool uvfio_file_is_group(struct file *file)
{
	return file->f_op == &uvfio_group_fops;
}
EXPORT_SYMBOL_GPL(uvfio_file_is_group);

/**
 * uvfio_file_has_device() - does the group of @file hold @vdev
 * @file: any file
 * @vdev: a registered device
 *
 * What a bus driver asks of the group fds userspace shows as proof that
 * it owns a device (PCI hot reset).
 *
 * Return: true when @file is the group file of @vdev's group.
 */
bool uvfio_file_has_device(struct file *file, struct uvfio_device *vdev)
{
	return uvfio_file_is_group(file) && file->private_data == vdev->group;
}
EXPORT_SYMBOL_GPL(uvfio_file_has_device);

static void uvfio_group_free(struct device *dev)
{
	struct uvfio_group *group = container_of(dev, struct uvfio_group, dev);

	ida_free(&uvfio_core.minors, MINOR(group->dev.devt));
	mutex_destroy(&group->device_lock);
	mutex_destroy(&group->lock);
	kfree(group);
}

static struct uvfio_group *uvfio_group_create(struct iommu_group *iommu_group)
{
	struct uvfio_group *group;
	int minor, ret;

	lockdep_assert_held(&uvfio_core.group_lock);

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);
	minor = ida_alloc_max(&uvfio_core.minors, MINORMASK, GFP_KERNEL);
	if (minor < 0) {
		kfree(group);
		return ERR_PTR(minor);
	}

	mutex_init(&group->lock);
	mutex_init(&group->device_lock);
	INIT_LIST_HEAD(&group->devices);
	refcount_set(&group->drivers, 1);
	group->iommu_group = iommu_group;

	device_initialize(&group->dev);
	group->dev.class = uvfio_core.class;
	group->dev.release = uvfio_group_free;
	group->dev.devt = MKDEV(MAJOR(uvfio_core.devt), minor);
	cdev_init(&group->cdev, &uvfio_group_fops);
	group->cdev.owner = THIS_MODULE;

	ret = dev_set_name(&group->dev, "%d", iommu_group_id(iommu_group));
	if (!ret)
		ret = cdev_device_add(&group->cdev, &group->dev);
	if (ret) {
		/* The release frees the minor and the group. */
		put_device(&group->dev);
		return ERR_PTR(ret);
	}
	iommu_group_ref_get(iommu_group);
	list_add(&group->next, &uvfio_core.groups);
	return group;
}

static struct uvfio_group *uvfio_group_get(struct iommu_group *iommu_group)
{
	struct uvfio_group *group;

	lockdep_assert_held(&uvfio_core.group_lock);

	list_for_each_entry(group, &uvfio_core.groups, next) {
		if (group->iommu_group == iommu_group) {
			refcount_inc(&group->drivers);
			return group;
		}
	}
	return uvfio_group_create(iommu_group);
}

/**
 * uvfio_group_add_device() - put a registered device into its group
 * @vdev: a device being registered
 *
 * Creates /dev/vfio/<id> for the device's IOMMU group on its first device.
 *
 * Return: 0; -EINVAL when the device has no IOMMU group or its IOMMU cannot
 * enforce cache coherency; -ENOMEM.
 */
int uvfio_group_add_device(struct uvfio_device *vdev)
{
	struct iommu_group *iommu_group;
	struct uvfio_group *group;

	/* Userspace has no way to make non-coherent DMA coherent again. */
	if (!device_iommu_capable(vdev->dev, IOMMU_CAP_CACHE_COHERENCY))
		return -EINVAL;
	iommu_group = iommu_group_get(vdev->dev);
	if (!iommu_group)
		return -EINVAL;

	mutex_lock(&uvfio_core.group_lock);
	group = uvfio_group_get(iommu_group);
	mutex_unlock(&uvfio_core.group_lock);
	iommu_group_put(iommu_group);
	if (IS_ERR(group))
		return PTR_ERR(group);

	vdev->group = group;
	mutex_lock(&group->device_lock);
	list_add(&vdev->group_next, &group->devices);
	mutex_unlock(&group->device_lock);
	return 0;
}

/**
 * uvfio_group_hide_device() - GET_DEVICE_FD no longer finds the device
 * @vdev: a device being unregistered
 */
void uvfio_group_hide_device(struct uvfio_device *vdev)
{
	struct uvfio_group *group = vdev->group;

	mutex_lock(&group->device_lock);
	list_del_init(&vdev->group_next);
	mutex_unlock(&group->device_lock);
}

/**
 * uvfio_group_remove_device() - take an unregistered device out of its group
 * @vdev: a device hidden by uvfio_group_hide_device(), with no fd left
 *
 * The group's last device removes /dev/vfio/<id>, detaches the group from
 * its container and makes a still open group fd answer -ENODEV.
 */
void uvfio_group_remove_device(struct uvfio_device *vdev)
{
	struct uvfio_group *group = vdev->group;
	struct iommu_group *iommu_group;

	if (!refcount_dec_and_mutex_lock(&group->drivers,
					 &uvfio_core.group_lock))
		return;
	list_del(&group->next);
	/* Under the list lock, so that a new group of this id can be added. */
	cdev_device_del(&group->cdev, &group->dev);

	mutex_lock(&group->lock);
	if (group->container)
		uvfio_group_detach_container(group);
	iommu_group = group->iommu_group;
	group->iommu_group = NULL;
	mutex_unlock(&group->lock);
	mutex_unlock(&uvfio_core.group_lock);

	iommu_group_put(iommu_group);
	put_device(&group->dev);
}

static char *uvfio_devnode(const struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "vfio/%s", dev_name(dev));
}

int __init uvfio_group_init(void)
{
	struct class *class;
	int ret;

	ret = alloc_chrdev_region(&uvfio_core.devt, 0, UVFIO_GROUP_MINORS,
				  "vfio");
	if (ret)
		return ret;
	class = class_create("vfio");
	if (IS_ERR(class)) {
		unregister_chrdev_region(uvfio_core.devt, UVFIO_GROUP_MINORS);
		return PTR_ERR(class);
	}
	class->devnode = uvfio_devnode;
	uvfio_core.class = class;
	return 0;
}

void uvfio_group_exit(void)
{
	WARN_ON(!list_empty(&uvfio_core.groups));
	class_destroy(uvfio_core.class);
	unregister_chrdev_region(uvfio_core.devt, UVFIO_GROUP_MINORS);
}
