// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml core: the container, /dev/vfio/vfio. It knows the API version
 * and which backend answers an extension; everything else is the backend's
 * once VFIO_SET_IOMMU chose one. Removing the last group takes the backend
 * away again: there is no VFIO_UNSET_IOMMU.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <uapi/linux/vfio.h>

#include "uvfio_private.h"

/**
 * struct uvfio_container - one open of /dev/vfio/vfio
 * @kref: the fd's reference plus one per attached group
 * @group_lock: protects @groups, @iommu and @iommu_data
 * @groups: attached groups (struct uvfio_group.container_next)
 * @iommu: the backend set by VFIO_SET_IOMMU, or NULL
 * @iommu_data: the backend's data for this container
 */
struct uvfio_container {
	struct kref kref;
	struct rw_semaphore group_lock;
	struct list_head groups;
	const struct uvfio_iommu_ops *iommu;
	void *iommu_data;
};

struct uvfio_iommu_driver {
	const struct uvfio_iommu_ops *ops;
	struct list_head next;
};

static struct {
	struct mutex iommu_lock;	/* protects iommu_drivers */
	struct list_head iommu_drivers;
} uvfio_backends = {
	.iommu_lock = __MUTEX_INITIALIZER(uvfio_backends.iommu_lock),
	.iommu_drivers = LIST_HEAD_INIT(uvfio_backends.iommu_drivers),
};

/**
 * uvfio_register_iommu_driver() - offer an IOMMU backend to containers
 * @ops: the backend; must stay valid until unregistered
 *
 * Backends are asked in the order they registered.
 *
 * Return: 0, -EINVAL if @ops is registered already, -ENOMEM.
 */
int uvfio_register_iommu_driver(const struct uvfio_iommu_ops *ops)
{
	struct uvfio_iommu_driver *drv, *it;

	drv = kzalloc(sizeof(*drv), GFP_KERNEL);
	if (!drv)
		return -ENOMEM;
	drv->ops = ops;

	mutex_lock(&uvfio_backends.iommu_lock);
	list_for_each_entry(it, &uvfio_backends.iommu_drivers, next) {
		if (it->ops == ops) {
			mutex_unlock(&uvfio_backends.iommu_lock);
			kfree(drv);
			return -EINVAL;
		}
	}
	list_add_tail(&drv->next, &uvfio_backends.iommu_drivers);
	mutex_unlock(&uvfio_backends.iommu_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(uvfio_register_iommu_driver);

/**
 * uvfio_unregister_iommu_driver() - withdraw a backend
 * @ops: as registered
 *
 * Not while a container uses it: vfio-uml is built in (its options are
 * bools), so no module reference keeps a backend.
 */
void uvfio_unregister_iommu_driver(const struct uvfio_iommu_ops *ops)
{
	struct uvfio_iommu_driver *it;

	mutex_lock(&uvfio_backends.iommu_lock);
	list_for_each_entry(it, &uvfio_backends.iommu_drivers, next) {
		if (it->ops == ops) {
			list_del(&it->next);
			kfree(it);
			break;
		}
	}
	mutex_unlock(&uvfio_backends.iommu_lock);
}
EXPORT_SYMBOL_GPL(uvfio_unregister_iommu_driver);

static void uvfio_container_free(struct kref *kref)
{
	struct uvfio_container *container =
		container_of(kref, struct uvfio_container, kref);

	WARN_ON(!list_empty(&container->groups) || container->iommu);
	kfree(container);
}

static void uvfio_container_put(struct uvfio_container *container)
{
	kref_put(&container->kref, uvfio_container_free);
}

/* No backend set: the first backend that answers positively. */
static long uvfio_container_check_extension(struct uvfio_container *container,
					    unsigned long arg)
{
	struct uvfio_iommu_driver *drv;
	long ret = 0;

	down_read(&container->group_lock);
	if (container->iommu) {
		ret = container->iommu->ioctl(container->iommu_data,
					      VFIO_CHECK_EXTENSION, arg);
		goto out;
	}

	mutex_lock(&uvfio_backends.iommu_lock);
	list_for_each_entry(drv, &uvfio_backends.iommu_drivers, next) {
		ret = drv->ops->ioctl(NULL, VFIO_CHECK_EXTENSION, arg);
		if (ret > 0)
			break;
	}
	mutex_unlock(&uvfio_backends.iommu_lock);
out:
	up_read(&container->group_lock);
	return ret;
}

static int uvfio_container_attach_all(struct uvfio_container *container,
				      const struct uvfio_iommu_ops *ops,
				      void *data)
{
	struct uvfio_group *group, *undo;
	int ret;

	lockdep_assert_held_write(&container->group_lock);

	list_for_each_entry(group, &container->groups, container_next) {
		ret = ops->attach_group(data, group->iommu_group);
		if (ret)
			goto unwind;
	}
	return 0;

unwind:
	list_for_each_entry(undo, &container->groups, container_next) {
		if (undo == group)
			break;
		ops->detach_group(data, undo->iommu_group);
	}
	return ret;
}

static long uvfio_container_set_iommu(struct uvfio_container *container,
				      unsigned long type)
{
	struct uvfio_iommu_driver *drv;
	long ret = -ENODEV;

	down_write(&container->group_lock);
	/* Only a group gives the privilege to allocate IOMMU resources. */
	if (list_empty(&container->groups) || container->iommu) {
		ret = -EINVAL;
		goto out;
	}

	mutex_lock(&uvfio_backends.iommu_lock);
	list_for_each_entry(drv, &uvfio_backends.iommu_drivers, next) {
		const struct uvfio_iommu_ops *ops = drv->ops;
		void *data;

		if (ops->ioctl(NULL, VFIO_CHECK_EXTENSION, type) <= 0)
			continue;
		data = ops->open(type);
		if (IS_ERR(data)) {
			ret = PTR_ERR(data);
			continue;
		}
		ret = uvfio_container_attach_all(container, ops, data);
		if (ret) {
			ops->release(data);
			continue;
		}
		container->iommu = ops;
		container->iommu_data = data;
		break;
	}
	mutex_unlock(&uvfio_backends.iommu_lock);
out:
	up_write(&container->group_lock);
	return ret;
}

static long uvfio_container_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct uvfio_container *container = file->private_data;
	long ret = -EINVAL;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return uvfio_container_check_extension(container, arg);
	case VFIO_SET_IOMMU:
		return uvfio_container_set_iommu(container, arg);
	}

	/*
	 * Everything else is the backend's. The read lock keeps the backend
	 * from being released under the call by the last group leaving.
	 */
	down_read(&container->group_lock);
	if (container->iommu)
		ret = container->iommu->ioctl(container->iommu_data, cmd, arg);
	up_read(&container->group_lock);
	return ret;
}

static int uvfio_container_open(struct inode *inode, struct file *file)
{
	struct uvfio_container *container;

	container = kzalloc(sizeof(*container), GFP_KERNEL_ACCOUNT);
	if (!container)
		return -ENOMEM;
	kref_init(&container->kref);
	init_rwsem(&container->group_lock);
	INIT_LIST_HEAD(&container->groups);
	file->private_data = container;
	return 0;
}

static int uvfio_container_release(struct inode *inode, struct file *file)
{
	struct uvfio_container *container = file->private_data;

	/*
	 * With its fd gone nobody can set a backend any more, only the last
	 * group leaving can take it away: no backend now, none to notify.
	 */
	if (READ_ONCE(container->iommu)) {
		down_read(&container->group_lock);
		if (container->iommu && container->iommu->notify)
			container->iommu->notify(container->iommu_data,
						 UVFIO_IOMMU_CONTAINER_CLOSE);
		up_read(&container->group_lock);
	}

	file->private_data = NULL;
	uvfio_container_put(container);
	return 0;
}

static const struct file_operations uvfio_container_fops = {
	.owner		= THIS_MODULE,
	.open		= uvfio_container_open,
	.release	= uvfio_container_release,
	.unlocked_ioctl	= uvfio_container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * uvfio_container_from_file() - the container behind a file
 * @file: any file
 *
 * Return: the container if @file is an open /dev/vfio/vfio, else NULL.
 */
struct uvfio_container *uvfio_container_from_file(struct file *file)
{
	if (file->f_op != &uvfio_container_fops)
		return NULL;
	return file->private_data;
}

/**
 * uvfio_container_attach_group() - VFIO_GROUP_SET_CONTAINER
 * @container: the container
 * @group: a group with no container
 *
 * Claims the DMA ownership of the IOMMU group (kernel drivers bound to any
 * of its devices make that fail, and none can bind afterwards) and, when a
 * backend is set, attaches the group to it.
 *
 * Return: 0, -EPERM when a kernel driver uses a device of the group (the
 * group is not viable), or the backend's error.
 */
int uvfio_container_attach_group(struct uvfio_container *container,
				 struct uvfio_group *group)
{
	int ret;

	lockdep_assert_held(&group->lock);

	down_write(&container->group_lock);
	ret = iommu_group_claim_dma_owner(group->iommu_group, group);
	if (ret)
		goto out;

	if (container->iommu) {
		ret = container->iommu->attach_group(container->iommu_data,
						     group->iommu_group);
		if (ret) {
			iommu_group_release_dma_owner(group->iommu_group);
			goto out;
		}
	}

	group->container = container;
	group->container_users = 1;
	list_add(&group->container_next, &container->groups);
	kref_get(&container->kref);
out:
	up_write(&container->group_lock);
	return ret;
}

/**
 * uvfio_group_detach_container() - the group leaves its container
 * @group: a group with a container and no device in use
 *
 * The last group to leave takes the backend with it.
 */
void uvfio_group_detach_container(struct uvfio_group *group)
{
	struct uvfio_container *container = group->container;
	const struct uvfio_iommu_ops *ops;

	lockdep_assert_held(&group->lock);
	WARN_ON(group->container_users != 1);

	down_write(&container->group_lock);
	ops = container->iommu;
	if (ops)
		ops->detach_group(container->iommu_data, group->iommu_group);
	iommu_group_release_dma_owner(group->iommu_group);

	group->container = NULL;
	group->container_users = 0;
	list_del(&group->container_next);

	if (ops && list_empty(&container->groups)) {
		ops->release(container->iommu_data);
		container->iommu = NULL;
		container->iommu_data = NULL;
	}
	up_write(&container->group_lock);

	uvfio_container_put(container);
}

/**
 * uvfio_group_use_container() - a device of the group is opened
 * @group: a group with a container
 *
 * Pins the group's file, so that its release (which detaches the
 * container) waits for the device to be closed.
 *
 * Return: 0, or -EINVAL when the container has no backend yet.
 */
int uvfio_group_use_container(struct uvfio_group *group)
{
	lockdep_assert_held(&group->lock);

	if (!group->container->iommu)
		return -EINVAL;
	get_file(group->opened_file);
	group->container_users++;
	return 0;
}

/**
 * uvfio_group_unuse_container() - undoes uvfio_group_use_container()
 * @group: the group
 */
void uvfio_group_unuse_container(struct uvfio_group *group)
{
	lockdep_assert_held(&group->lock);

	WARN_ON(group->container_users <= 1);
	group->container_users--;
	fput(group->opened_file);
}

static struct miscdevice uvfio_container_dev = {
	.minor		= VFIO_MINOR,
	.name		= "vfio",
	.fops		= &uvfio_container_fops,
	.nodename	= "vfio/vfio",
	.mode		= 0666,
};

int __init uvfio_container_init(void)
{
	return misc_register(&uvfio_container_dev);
}
