// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: resets that reach more than one function. A slot or bus
 * reset resets every function below the slot or bridge, so it is done for
 * userspace only when every one of them is bound to vfio-pci and the user
 * proves it owns them all by passing their groups' fds
 * (VFIO_DEVICE_PCI_HOT_RESET); GET_PCI_HOT_RESET_INFO names them. When
 * the last of them is closed and one could not be reset by itself, the
 * bus reset cleans them for the next user.
 *
 * The set of a reset is found by walking the bus each time: the functions
 * a reset of this function's slot (if it has one) or bus reaches. Their
 * binding, their drvdata and whether they are open are stable under
 * uvfio_pci_set_lock, which probe, remove, open and close take too.
 */
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_pci_priv.h"

DEFINE_MUTEX(uvfio_pci_set_lock);

struct uvfio_pci_walk {
	int (*fn)(struct pci_dev *pdev, void *data);
	void *data;
	struct pci_dev *self;
	bool slot;
	int ret;
};

static int uvfio_pci_walk_one(struct pci_dev *pdev, void *data)
{
	struct uvfio_pci_walk *w = data;

	if (!w->slot || pdev->slot == w->self->slot)
		w->ret = w->fn(pdev, w->data);
	return w->ret;
}

/* Call @fn for each function a reset of @pdev's slot or bus reaches. */
static int uvfio_pci_walk_peers(struct pci_dev *pdev, bool slot,
				int (*fn)(struct pci_dev *, void *),
				void *data)
{
	struct uvfio_pci_walk w = {
		.fn = fn, .data = data, .self = pdev, .slot = slot,
	};

	pci_walk_bus(pdev->bus, uvfio_pci_walk_one, &w);
	return w.ret;
}

/* A slot reset if the slot has one, else a bus reset, else -ENODEV. */
static int uvfio_pci_reset_scope(struct pci_dev *pdev, bool *slot)
{
	*slot = !pci_probe_reset_slot(pdev->slot);
	if (!*slot && pci_probe_reset_bus(pdev->bus))
		return -ENODEV;
	return 0;
}

static int uvfio_pci_count_one(struct pci_dev *pdev, void *data)
{
	(*(u32 *)data)++;
	return 0;
}

static u32 uvfio_pci_count_peers(struct pci_dev *pdev, bool slot)
{
	u32 count = 0;

	uvfio_pci_walk_peers(pdev, slot, uvfio_pci_count_one, &count);
	return count;
}

struct uvfio_pci_info_fill {
	struct vfio_pci_dependent_device *devices;
	u32 max;
	u32 count;
};

static int uvfio_pci_fill_one(struct pci_dev *pdev, void *data)
{
	struct uvfio_pci_info_fill *fill = data;
	struct vfio_pci_dependent_device *dev;
	struct iommu_group *group;

	/* A function appeared since we counted. */
	if (fill->count == fill->max)
		return -EAGAIN;
	/* A function the IOMMU does not isolate cannot be owned. */
	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -EPERM;
	dev = &fill->devices[fill->count++];
	dev->group_id = iommu_group_id(group);
	dev->segment = pci_domain_nr(pdev->bus);
	dev->bus = pdev->bus->number;
	dev->devfn = pdev->devfn;
	iommu_group_put(group);
	return 0;
}

/**
 * uvfio_pci_ioctl_hot_reset_info() - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * @vpdev: the device
 * @arg: the user's struct vfio_pci_hot_reset_info
 *
 * Return: 0; -ENOSPC with count set when argsz cannot hold the functions;
 * -ENODEV without a slot or bus reset; -EINVAL, -EFAULT, -ENOMEM.
 */
int uvfio_pci_ioctl_hot_reset_info(struct uvfio_pci_device *vpdev,
				   struct vfio_pci_hot_reset_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_pci_hot_reset_info, count);
	struct uvfio_pci_info_fill fill = {};
	struct vfio_pci_hot_reset_info hdr;
	bool slot;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;
	hdr.flags = 0;
	ret = uvfio_pci_reset_scope(vpdev->pdev, &slot);
	if (ret)
		return ret;

	fill.max = uvfio_pci_count_peers(vpdev->pdev, slot);
	if (fill.max > (hdr.argsz - sizeof(hdr)) / sizeof(*fill.devices)) {
		hdr.count = fill.max;
		return copy_to_user(arg, &hdr, minsz) ? -EFAULT : -ENOSPC;
	}
	fill.devices = kcalloc(fill.max, sizeof(*fill.devices), GFP_KERNEL);
	if (!fill.devices)
		return -ENOMEM;
	ret = uvfio_pci_walk_peers(vpdev->pdev, slot, uvfio_pci_fill_one,
				   &fill);
	if (!ret && copy_to_user(arg->devices, fill.devices,
				 fill.count * sizeof(*fill.devices)))
		ret = -EFAULT;
	if (!ret) {
		hdr.count = fill.count;
		if (copy_to_user(arg, &hdr, minsz))
			ret = -EFAULT;
	}
	kfree(fill.devices);
	return ret;
}

/* The vfio-pci devices a reset reaches; every function must be one. */
struct uvfio_pci_set {
	struct uvfio_pci_device **devs;
	u32 max;
	u32 count;
};

static int uvfio_pci_collect_one(struct pci_dev *pdev, void *data)
{
	struct uvfio_pci_device *vpdev = uvfio_pci_of(pdev);
	struct uvfio_pci_set *set = data;

	if (!vpdev)
		return -ENODEV;
	if (set->count == set->max)
		return -EAGAIN;
	set->devs[set->count++] = vpdev;
	return 0;
}

/* Context: uvfio_pci_set_lock held. Free set->devs afterwards. */
static int uvfio_pci_collect(struct pci_dev *pdev, bool slot,
			     struct uvfio_pci_set *set)
{
	lockdep_assert_held(&uvfio_pci_set_lock);
	set->count = 0;
	set->max = uvfio_pci_count_peers(pdev, slot);
	set->devs = kcalloc(set->max, sizeof(*set->devs), GFP_KERNEL);
	if (!set->devs)
		return -ENOMEM;
	return uvfio_pci_walk_peers(pdev, slot, uvfio_pci_collect_one, set);
}

static int uvfio_pci_set_pm_get(struct uvfio_pci_set *set)
{
	u32 i;
	int ret;

	for (i = 0; i < set->count; i++) {
		ret = pm_runtime_resume_and_get(&set->devs[i]->pdev->dev);
		if (ret < 0)
			goto unwind;
	}
	return 0;

unwind:
	while (i--)
		pm_runtime_put(&set->devs[i]->pdev->dev);
	return ret;
}

static void uvfio_pci_set_pm_put(struct uvfio_pci_set *set)
{
	u32 i;

	for (i = 0; i < set->count; i++)
		pm_runtime_put(&set->devs[i]->pdev->dev);
}

static bool uvfio_pci_owned(struct uvfio_pci_device *vpdev,
			    struct file **files, u32 nfiles)
{
	u32 i;

	for (i = 0; i < nfiles; i++)
		if (uvfio_file_has_device(files[i], &vpdev->vdev))
			return true;
	return false;
}

/*
 * Reset the set with every function's BARs out of the user's reach and
 * in D0. Another thread holding a memory lock (an access under way, a
 * reset of its own) makes it -EBUSY rather than a wait in lock order.
 */
static int uvfio_pci_set_reset(struct uvfio_pci_set *set, struct pci_dev *pdev,
			       struct file **files, u32 nfiles)
{
	u32 i, locked;
	int ret;

	ret = uvfio_pci_set_pm_get(set);
	if (ret)
		return ret;
	for (locked = 0; locked < set->count; locked++) {
		struct uvfio_pci_device *cur = set->devs[locked];

		if (!uvfio_pci_owned(cur, files, nfiles)) {
			ret = -EINVAL;
			break;
		}
		if (!down_write_trylock(&cur->memory_lock)) {
			ret = -EBUSY;
			break;
		}
		uvfio_pci_zap_bars(cur);
	}
	if (!ret) {
		for (i = 0; i < set->count; i++)
			uvfio_pci_set_power_state(set->devs[i], PCI_D0);
		ret = pci_reset_bus(pdev);
	}
	for (i = 0; i < locked; i++)
		up_write(&set->devs[i]->memory_lock);
	uvfio_pci_set_pm_put(set);
	return ret;
}

/* The group files of the user's fds, each held; -EBADF, -EINVAL. */
static int uvfio_pci_get_group_files(const s32 *fds, u32 count,
				     struct file **files)
{
	u32 i;

	for (i = 0; i < count; i++) {
		files[i] = fget(fds[i]);
		if (!files[i])
			goto fail;
		if (!uvfio_file_is_group(files[i])) {
			fput(files[i]);
			goto fail;
		}
	}
	return 0;

fail:
	count = i;
	for (i = 0; i < count; i++)
		fput(files[i]);
	return files[count] ? -EINVAL : -EBADF;
}

/**
 * uvfio_pci_ioctl_hot_reset() - VFIO_DEVICE_PCI_HOT_RESET
 * @vpdev: the device
 * @arg: the user's struct vfio_pci_hot_reset with its group fds
 *
 * Return: 0; -ENODEV without a slot or bus reset; -EINVAL for bad flags,
 * no fds or more fds than functions, an fd that is no group, a function
 * not bound to vfio-pci or in none of the groups; -EBADF, -EBUSY,
 * -EFAULT, -ENOMEM, or the reset's error.
 */
int uvfio_pci_ioctl_hot_reset(struct uvfio_pci_device *vpdev,
			      struct vfio_pci_hot_reset __user *arg)
{
	size_t minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct uvfio_pci_set set = {};
	struct vfio_pci_hot_reset hdr;
	struct file **files;
	bool slot;
	s32 *fds;
	u32 i;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	/* Group fds are the only proof of ownership we take. */
	if (hdr.argsz < minsz || hdr.flags || !hdr.count)
		return -EINVAL;
	ret = uvfio_pci_reset_scope(vpdev->pdev, &slot);
	if (ret)
		return ret;
	/* At most one group per function: bounds what we copy. */
	if (hdr.count > uvfio_pci_count_peers(vpdev->pdev, slot))
		return -EINVAL;

	fds = memdup_array_user(arg->group_fds, hdr.count, sizeof(*fds));
	if (IS_ERR(fds))
		return PTR_ERR(fds);
	files = kcalloc(hdr.count, sizeof(*files), GFP_KERNEL);
	if (!files) {
		kfree(fds);
		return -ENOMEM;
	}
	ret = uvfio_pci_get_group_files(fds, hdr.count, files);
	kfree(fds);
	if (ret)
		goto out_free;

	mutex_lock(&uvfio_pci_set_lock);
	ret = uvfio_pci_collect(vpdev->pdev, slot, &set);
	if (ret)
		ret = ret == -ENOMEM ? ret : -EINVAL;
	else
		ret = uvfio_pci_set_reset(&set, vpdev->pdev, files, hdr.count);
	mutex_unlock(&uvfio_pci_set_lock);
	kfree(set.devs);

	for (i = 0; i < hdr.count; i++)
		fput(files[i]);
out_free:
	kfree(files);
	return ret;
}

/**
 * uvfio_pci_try_bus_reset() - clean a closed set that needs it
 * @vpdev: a device whose last fd was just closed
 *
 * When no function of the set is open any more and one of them could not
 * be reset by itself, reset the slot or bus.
 *
 * Context: uvfio_pci_set_lock held.
 */
void uvfio_pci_try_bus_reset(struct uvfio_pci_device *vpdev)
{
	struct uvfio_pci_set set = {};
	bool slot, needed = false;
	u32 i;

	lockdep_assert_held(&uvfio_pci_set_lock);
	if (uvfio_pci_reset_scope(vpdev->pdev, &slot) ||
	    uvfio_pci_collect(vpdev->pdev, slot, &set))
		goto out;
	for (i = 0; i < set.count; i++) {
		if (set.devs[i]->open)
			goto out;
		needed |= set.devs[i]->needs_reset;
	}
	if (!needed || uvfio_pci_set_pm_get(&set))
		goto out;
	if (!pci_reset_bus(vpdev->pdev))
		for (i = 0; i < set.count; i++)
			set.devs[i]->needs_reset = false;
	uvfio_pci_set_pm_put(&set);
out:
	kfree(set.devs);
}
