// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml core: device registration and the device fd. The device fd is
 * handed out by the group (uvfio_group.c) once the group's container has a
 * backend; its calls go to the bus driver, except VFIO_DEVICE_FEATURE,
 * whose header and core features are checked here.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pm_runtime.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <uapi/linux/vfio.h>

#include "uvfio_private.h"

/* How long unregistering waits between two requests to userspace. */
#define UVFIO_REQUEST_INTERVAL	(10 * HZ)
#define UVFIO_FS_MAGIC		0x75766669	/* "uvfi" */

/* Holds one inode per registered device, for the mappings of its fds. */
static struct vfsmount *uvfio_mnt;

static int uvfio_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, UVFIO_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type uvfio_fs_type = {
	.name			= "uvfio",
	.owner			= THIS_MODULE,
	.init_fs_context	= uvfio_fs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

/**
 * uvfio_device_try_get() - a registration reference, unless unregistering
 * @vdev: the device
 *
 * Return: true when the reference was taken.
 */
bool uvfio_device_try_get(struct uvfio_device *vdev)
{
	return refcount_inc_not_zero(&vdev->registration);
}

/**
 * uvfio_device_put() - drop a registration reference
 * @vdev: the device
 */
void uvfio_device_put(struct uvfio_device *vdev)
{
	if (refcount_dec_and_test(&vdev->registration))
		complete(&vdev->released);
}

/**
 * uvfio_register_device() - make a device available to userspace
 * @vdev: the bus driver's embedded device, zeroed or unused
 * @dev: the bus device, in an IOMMU group
 * @ops: the bus driver's callbacks
 *
 * Context: may sleep; typically from the bus driver's probe.
 * Return: 0; -EINVAL when @dev has no IOMMU group or no cache-coherent
 * IOMMU; -ENOMEM.
 */
int uvfio_register_device(struct uvfio_device *vdev, struct device *dev,
			  const struct uvfio_device_ops *ops)
{
	int ret;

	vdev->dev = dev;
	vdev->ops = ops;
	vdev->open_count = 0;
	INIT_LIST_HEAD(&vdev->group_next);
	init_completion(&vdev->released);
	refcount_set(&vdev->registration, 1);
	vdev->inode = alloc_anon_inode(uvfio_mnt->mnt_sb);
	if (IS_ERR(vdev->inode))
		return PTR_ERR(vdev->inode);
	ret = uvfio_group_add_device(vdev);
	if (ret) {
		iput(vdev->inode);
		vdev->inode = NULL;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(uvfio_register_device);

/**
 * uvfio_unregister_device() - take a device away from userspace
 * @vdev: a registered device
 *
 * Waits until every fd of the device is closed, asking the bus driver to
 * request it from userspace while it waits.
 *
 * Context: may sleep for as long as userspace keeps the device open.
 */
void uvfio_unregister_device(struct uvfio_device *vdev)
{
	bool interrupted = false;
	unsigned int count = 0;
	long left;

	uvfio_group_hide_device(vdev);
	uvfio_device_put(vdev);

	left = try_wait_for_completion(&vdev->released);
	while (left <= 0) {
		if (vdev->ops->request)
			vdev->ops->request(vdev, count++);
		if (interrupted) {
			left = wait_for_completion_timeout(&vdev->released,
							   UVFIO_REQUEST_INTERVAL);
			continue;
		}
		left = wait_for_completion_interruptible_timeout(&vdev->released,
								 UVFIO_REQUEST_INTERVAL);
		if (left < 0) {
			interrupted = true;
			dev_warn(vdev->dev,
				 "in use: task %s (%d) blocked until it is released\n",
				 current->comm, task_pid_nr(current));
		}
	}
	uvfio_group_remove_device(vdev);
	iput(vdev->inode);
	vdev->inode = NULL;
}
EXPORT_SYMBOL_GPL(uvfio_unregister_device);

static int uvfio_device_first_open(struct uvfio_device *vdev)
{
	struct uvfio_group *group = vdev->group;
	int ret;

	lockdep_assert_held(&group->lock);

	ret = uvfio_group_use_container(group);
	if (ret)
		return ret;
	if (vdev->ops->open_device) {
		ret = vdev->ops->open_device(vdev);
		if (ret)
			uvfio_group_unuse_container(group);
	}
	return ret;
}

static void uvfio_device_last_close(struct uvfio_device *vdev)
{
	lockdep_assert_held(&vdev->group->lock);

	if (vdev->ops->close_device)
		vdev->ops->close_device(vdev);
	uvfio_group_unuse_container(vdev->group);
}

static int uvfio_device_open(struct uvfio_device *vdev)
{
	struct uvfio_group *group = vdev->group;
	int ret = 0;

	mutex_lock(&group->lock);
	if (!group->container) {
		ret = -EINVAL;	/* VFIO_GROUP_SET_CONTAINER first */
		goto out;
	}
	if (!vdev->open_count)
		ret = uvfio_device_first_open(vdev);
	if (!ret)
		vdev->open_count++;
out:
	mutex_unlock(&group->lock);
	return ret;
}

static void uvfio_device_close(struct uvfio_device *vdev)
{
	struct uvfio_group *group = vdev->group;

	mutex_lock(&group->lock);
	if (!--vdev->open_count)
		uvfio_device_last_close(vdev);
	mutex_unlock(&group->lock);
}

/* Features of the core: migration and DMA logging, which we do not offer. */
static bool uvfio_core_feature(u32 feature)
{
	switch (feature) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
	case VFIO_DEVICE_FEATURE_MIG_DATA_SIZE:
		return true;
	}
	return false;
}

static int uvfio_device_feature(struct uvfio_device *vdev,
				struct vfio_device_feature __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_feature, flags);
	struct vfio_device_feature feature;
	u32 get_set = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;

	if (copy_from_user(&feature, arg, minsz))
		return -EFAULT;
	if (feature.argsz < minsz)
		return -EINVAL;
	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK | get_set |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;
	/* GET and SET together only to probe for both. */
	if ((feature.flags & get_set) == get_set &&
	    !(feature.flags & VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;

	if (uvfio_core_feature(feature.flags & VFIO_DEVICE_FEATURE_MASK) ||
	    !vdev->ops->device_feature)
		return -ENOTTY;
	return vdev->ops->device_feature(vdev, feature.flags, arg->data,
					 feature.argsz - minsz);
}

/**
 * uvfio_check_feature() - the checks every VFIO_DEVICE_FEATURE handler makes
 * @flags: the caller's flags
 * @argsz: bytes of the caller's data
 * @ops: VFIO_DEVICE_FEATURE_GET and/or _SET, what the feature has
 * @minsz: bytes of data the feature needs
 *
 * Return: 1 to go on, 0 to answer a probe with success, -EINVAL for an
 * operation the feature lacks, neither GET nor SET, or too little data.
 */
int uvfio_check_feature(u32 flags, size_t argsz, u32 ops, size_t minsz)
{
	u32 get_set = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;

	if (flags & get_set & ~ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!(flags & get_set) || argsz < minsz)
		return -EINVAL;
	return 1;
}
EXPORT_SYMBOL_GPL(uvfio_check_feature);

/*
 * Device ioctls run with the device awake (runtime PM), as upstream's core
 * runs them, for drivers that have PM callbacks: the driver sees D0, and
 * the put afterwards lets a device the user put into low power sleep
 * again.
 */
static int uvfio_device_pm_get(struct uvfio_device *vdev)
{
	struct device *dev = vdev->dev;
	int ret;

	if (!dev->driver || !dev->driver->pm)
		return 0;
	ret = pm_runtime_resume_and_get(dev);
	if (ret) {
		dev_info_ratelimited(dev, "runtime resume failed %d\n", ret);
		return -EIO;
	}
	return 0;
}

static void uvfio_device_pm_put(struct uvfio_device *vdev)
{
	struct device *dev = vdev->dev;

	if (dev->driver && dev->driver->pm)
		pm_runtime_put(dev);
}

static long uvfio_device_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct uvfio_device *vdev = file->private_data;
	long ret;

	ret = uvfio_device_pm_get(vdev);
	if (ret)
		return ret;
	switch (cmd) {
	case VFIO_DEVICE_BIND_IOMMUFD:
		/* Only device cdevs bind to an iommufd; ours came from a group. */
		ret = -EINVAL;
		break;
	case VFIO_DEVICE_FEATURE:
		ret = uvfio_device_feature(vdev, (void __user *)arg);
		break;
	default:
		ret = vdev->ops->ioctl ? vdev->ops->ioctl(vdev, cmd, arg) :
					 -EINVAL;
	}
	uvfio_device_pm_put(vdev);
	return ret;
}

static ssize_t uvfio_device_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct uvfio_device *vdev = file->private_data;

	if (!vdev->ops->read)
		return -EINVAL;
	return vdev->ops->read(vdev, buf, count, ppos);
}

static ssize_t uvfio_device_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct uvfio_device *vdev = file->private_data;

	if (!vdev->ops->write)
		return -EINVAL;
	return vdev->ops->write(vdev, buf, count, ppos);
}

static int uvfio_device_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct uvfio_device *vdev = file->private_data;

	if (!vdev->ops->mmap)
		return -EINVAL;
	return vdev->ops->mmap(vdev, vma);
}

static int uvfio_device_release(struct inode *inode, struct file *file)
{
	struct uvfio_device *vdev = file->private_data;

	uvfio_device_close(vdev);
	uvfio_device_put(vdev);
	return 0;
}

static const struct file_operations uvfio_device_fops = {
	.owner		= THIS_MODULE,
	.release	= uvfio_device_release,
	.read		= uvfio_device_read,
	.write		= uvfio_device_write,
	.unlocked_ioctl	= uvfio_device_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= uvfio_device_mmap,
};

/**
 * uvfio_device_open_file() - open a device for a new device fd
 * @vdev: a device with a registration reference, which the file takes over
 *	on success
 *
 * Return: the file, or ERR_PTR(-EINVAL) when the group has no container or
 * the container no backend, or the bus driver's open_device() error.
 */
struct file *uvfio_device_open_file(struct uvfio_device *vdev)
{
	struct file *file;
	int ret;

	ret = uvfio_device_open(vdev);
	if (ret)
		return ERR_PTR(ret);

	file = anon_inode_getfile("[vfio-device]", &uvfio_device_fops, vdev,
				  O_RDWR);
	if (IS_ERR(file)) {
		uvfio_device_close(vdev);
		return file;
	}
	/*
	 * Regions are reached at offsets, with pread and pwrite; lseek
	 * answers -ESPIPE, as upstream's device fds do.
	 */
	file->f_mode |= FMODE_PREAD | FMODE_PWRITE;
	/* All fds of the device map into one address space (uvfio.h). */
	file->f_mapping = vdev->inode->i_mapping;
	return file;
}

static int __init uvfio_init(void)
{
	int ret;

	ret = uvfio_virqfd_init();
	if (ret)
		return ret;
	uvfio_mnt = kern_mount(&uvfio_fs_type);
	if (IS_ERR(uvfio_mnt)) {
		ret = PTR_ERR(uvfio_mnt);
		goto out_virqfd;
	}
	ret = uvfio_group_init();
	if (ret)
		goto out_mnt;
	ret = uvfio_container_init();
	if (ret)
		goto out_group;
	return 0;

out_group:
	uvfio_group_exit();
out_mnt:
	kern_unmount(uvfio_mnt);
out_virqfd:
	uvfio_virqfd_exit();
	return ret;
}
/* Before the bus drivers and backends, which register at device_initcall. */
subsys_initcall(uvfio_init);
