// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "uvfio-test" PCI driver: binds any function through driver_override
 * and registers it with the core, so that groups and device fds exist
 * before vfio-pci does. Its device fd knows VFIO_DEVICE_GET_INFO (a PCI
 * device with no regions and no IRQs), reads zeros, accepts writes, maps
 * nothing, and counts what the core asked of it. With uvfio_test_bare set
 * at probe it offers open and close only.
 */
#include <linux/init.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sim/simpci.h"
#include "uvfio_test.h"

int uvfio_test_fail_open_device;
bool uvfio_test_bare;

static struct uvfio_test_dev *to_test_dev(struct uvfio_device *vdev)
{
	return container_of(vdev, struct uvfio_test_dev, vdev);
}

static int uvfio_test_open_device(struct uvfio_device *vdev)
{
	int err = uvfio_test_fail_open_device;

	if (err) {
		uvfio_test_fail_open_device = 0;
		return err;
	}
	atomic_inc(&to_test_dev(vdev)->opens);
	return 0;
}

static void uvfio_test_close_device(struct uvfio_device *vdev)
{
	atomic_inc(&to_test_dev(vdev)->closes);
}

static long uvfio_test_get_info(struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI;
	info.num_regions = 0;
	info.num_irqs = 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long uvfio_test_ioctl(struct uvfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return uvfio_test_get_info((void __user *)arg);
	case UVFIO_TEST_DEVICE_OPENS:
		return atomic_read(&to_test_dev(vdev)->opens);
	default:
		return -ENOTTY;
	}
}

static ssize_t uvfio_test_read(struct uvfio_device *vdev, char __user *buf,
			       size_t count, loff_t *ppos)
{
	if (clear_user(buf, count))
		return -EFAULT;
	atomic_add(count, &to_test_dev(vdev)->reads);
	*ppos += count;
	return count;
}

static ssize_t uvfio_test_write(struct uvfio_device *vdev,
				const char __user *buf, size_t count,
				loff_t *ppos)
{
	atomic_add(count, &to_test_dev(vdev)->writes);
	*ppos += count;
	return count;
}

/*
 * Only a RAM-backed BAR (UVFIO_TEST_MMAP_BAR, as vfio-pci maps BARs: the
 * pages themselves, VM_PFNMAP); anything else: an errno the core would
 * not give.
 */
static int uvfio_test_mmap(struct uvfio_device *vdev,
			   struct vm_area_struct *vma)
{
	struct pci_dev *pdev = to_pci_dev(vdev->dev);
	const struct resource *ram = simpci_ram_window();
	struct resource *bar = &pdev->resource[UVFIO_TEST_MMAP_BAR];
	unsigned long size = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff != UVFIO_TEST_MMAP_OFFSET >> PAGE_SHIFT ||
	    !ram || !resource_size(bar) || !resource_contains(ram, bar) ||
	    size > resource_size(bar))
		return -ENXIO;
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(bar->start), size,
			       vma->vm_page_prot);
}

static void uvfio_test_request(struct uvfio_device *vdev, unsigned int count)
{
	struct uvfio_test_dev *tdev = to_test_dev(vdev);

	tdev->last_request = count;
	atomic_inc(&tdev->requests);
}

/*
 * Echoes what is left of argsz, so that a test sees the header checked.
 * Every feature but UVFIO_TEST_FEATURE + 1 is claimed: the core's own
 * (migration, DMA logging) are then seen not to reach the driver.
 */
static int uvfio_test_feature(struct uvfio_device *vdev, u32 flags,
			      void __user *arg, size_t argsz)
{
	if ((flags & VFIO_DEVICE_FEATURE_MASK) == UVFIO_TEST_FEATURE + 1)
		return -ENOTTY;
	return argsz;
}

static const struct uvfio_device_ops uvfio_test_ops = {
	.name		= UVFIO_TEST_DRIVER,
	.open_device	= uvfio_test_open_device,
	.close_device	= uvfio_test_close_device,
	.ioctl		= uvfio_test_ioctl,
	.read		= uvfio_test_read,
	.write		= uvfio_test_write,
	.mmap		= uvfio_test_mmap,
	.request	= uvfio_test_request,
	.device_feature	= uvfio_test_feature,
};

static const struct uvfio_device_ops uvfio_test_bare_ops = {
	.name		= UVFIO_TEST_DRIVER,
	.open_device	= uvfio_test_open_device,
	.close_device	= uvfio_test_close_device,
};

static int uvfio_test_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct uvfio_test_dev *tdev;
	int ret;

	tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return -ENOMEM;
	ret = uvfio_register_device(&tdev->vdev, &pdev->dev, uvfio_test_bare ?
				    &uvfio_test_bare_ops : &uvfio_test_ops);
	if (ret) {
		kfree(tdev);
		return ret;
	}
	dev_set_drvdata(&pdev->dev, tdev);
	return 0;
}

static void uvfio_test_remove(struct pci_dev *pdev)
{
	struct uvfio_test_dev *tdev = dev_get_drvdata(&pdev->dev);

	uvfio_unregister_device(&tdev->vdev);
	kfree(tdev);
}

static struct pci_driver uvfio_test_driver = {
	.name			= UVFIO_TEST_DRIVER,
	.probe			= uvfio_test_probe,
	.remove			= uvfio_test_remove,
	/* The core claims the group's DMA instead of the driver. */
	.driver_managed_dma	= true,
};

/**
 * uvfio_test_dev_of() - the test driver's state of a bound function
 * @dev: a device bound to uvfio-test
 *
 * Return: its state, or NULL when @dev is not bound to uvfio-test.
 */
struct uvfio_test_dev *uvfio_test_dev_of(struct device *dev)
{
	if (dev->driver != &uvfio_test_driver.driver)
		return NULL;
	return dev_get_drvdata(dev);
}

static int __init uvfio_test_pci_init(void)
{
	return pci_register_driver(&uvfio_test_driver);
}
device_initcall(uvfio_test_pci_init);
