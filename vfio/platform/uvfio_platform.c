// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml platform: the "vfio-platform" driver. It binds to platform
 * devices through driver_override, registers them with the core, and
 * answers their device fds with VFIO_DEVICE_FLAGS_PLATFORM: one handler
 * per ioctl here, regions in uvfio_platform_rdwr.c, interrupts in
 * uvfio_platform_irq.c, resets in uvfio_platform_reset.c.
 *
 * The first open maps the regions, requests the interrupts, wakes the
 * device and resets it; the last close resets it again and undoes the
 * rest. With reset_required (the default, as upstream) a device without
 * a reset handler is not bound, and one whose reset fails is not opened.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_platform_priv.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "vfio_platform."

bool uvfio_platform_reset_required = true;
module_param_named(reset_required, uvfio_platform_reset_required, bool, 0444);
MODULE_PARM_DESC(reset_required, "override reset requirement (default: 1)");

static struct uvfio_platform_device *to_vpdev(struct uvfio_device *vdev)
{
	return container_of(vdev, struct uvfio_platform_device, vdev);
}

static void uvfio_platform_teardown(struct uvfio_platform_device *vpdev)
{
	mutex_lock(&vpdev->igate);
	uvfio_platform_irqs_exit(vpdev);
	mutex_unlock(&vpdev->igate);
	uvfio_platform_regions_exit(vpdev);
}

static int uvfio_platform_open_device(struct uvfio_device *vdev)
{
	struct uvfio_platform_device *vpdev = to_vpdev(vdev);
	struct device *dev = &vpdev->pdev->dev;
	int ret;

	ret = uvfio_platform_regions_init(vpdev);
	if (ret)
		return ret;
	ret = uvfio_platform_irqs_init(vpdev);
	if (ret) {
		uvfio_platform_regions_exit(vpdev);
		return ret;
	}
	ret = pm_runtime_resume_and_get(dev);
	if (ret)
		goto err;
	ret = uvfio_platform_do_reset(vpdev);
	if (ret && vpdev->reset_required) {
		dev_warn(dev, "reset failed at open (%d)\n", ret);
		pm_runtime_put(dev);
		goto err;
	}
	return 0;
err:
	uvfio_platform_teardown(vpdev);
	return ret;
}

static void uvfio_platform_close_device(struct uvfio_device *vdev)
{
	struct uvfio_platform_device *vpdev = to_vpdev(vdev);
	struct device *dev = &vpdev->pdev->dev;
	int ret;

	ret = uvfio_platform_do_reset(vpdev);
	if (ret && vpdev->reset_required)
		dev_warn(dev, "reset failed at close (%d)\n", ret);
	pm_runtime_put(dev);
	uvfio_platform_teardown(vpdev);
}

static long uvfio_platform_get_info(struct uvfio_platform_device *vpdev,
				    struct vfio_device_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PLATFORM;
	if (vpdev->reset)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = vpdev->num_regions;
	info.num_irqs = vpdev->num_irqs;
	/* No capabilities: what follows num_irqs is not written. */
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long uvfio_platform_get_region_info(struct uvfio_platform_device *vpdev,
					   struct vfio_region_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;
	struct uvfio_platform_region *r;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= vpdev->num_regions)
		return -EINVAL;
	r = &vpdev->regions[info.index];
	info.offset = uvfio_platform_index_to_offset(info.index);
	info.size = r->size;
	info.flags = r->flags;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long uvfio_platform_get_irq_info(struct uvfio_platform_device *vpdev,
					struct vfio_irq_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= vpdev->num_irqs)
		return -EINVAL;
	info.flags = vpdev->irqs[info.index].flags;
	info.count = 1;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/*
 * Vectors are checked against the number of interrupts, not the index's
 * one vector, as upstream: the actions check start and count themselves.
 */
static u32 uvfio_platform_irq_count(void *drvdata, u32 index)
{
	struct uvfio_platform_device *vpdev = drvdata;

	return vpdev->num_irqs;
}

static long uvfio_platform_set_irqs_ioctl(struct uvfio_platform_device *vpdev,
					  struct vfio_irq_set __user *arg)
{
	struct vfio_irq_set hdr;
	void *data;
	int ret;

	ret = uvfio_irq_set_data(arg, &hdr, uvfio_platform_irq_count, vpdev,
				 vpdev->num_irqs, &data);
	if (ret)
		return ret;
	mutex_lock(&vpdev->igate);
	ret = uvfio_platform_set_irqs(vpdev, hdr.flags, hdr.index, hdr.start,
				      hdr.count, data);
	mutex_unlock(&vpdev->igate);
	kfree(data);
	return ret;
}

static long uvfio_platform_ioctl(struct uvfio_device *vdev, unsigned int cmd,
				 unsigned long arg)
{
	struct uvfio_platform_device *vpdev = to_vpdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return uvfio_platform_get_info(vpdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return uvfio_platform_get_region_info(vpdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return uvfio_platform_get_irq_info(vpdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return uvfio_platform_set_irqs_ioctl(vpdev, uarg);
	case VFIO_DEVICE_RESET:
		return uvfio_platform_do_reset(vpdev);
	}
	return -ENOTTY;
}

static const struct uvfio_device_ops uvfio_platform_ops = {
	.name		= "vfio-platform",
	.open_device	= uvfio_platform_open_device,
	.close_device	= uvfio_platform_close_device,
	.ioctl		= uvfio_platform_ioctl,
	.read		= uvfio_platform_read,
	.write		= uvfio_platform_write,
	.mmap		= uvfio_platform_mmap,
};

static int uvfio_platform_probe(struct platform_device *pdev)
{
	struct uvfio_platform_device *vpdev;
	struct device *dev = &pdev->dev;
	int ret;

	vpdev = kzalloc(sizeof(*vpdev), GFP_KERNEL);
	if (!vpdev)
		return -ENOMEM;
	vpdev->pdev = pdev;
	ret = device_property_read_string(dev, "compatible", &vpdev->compat);
	if (ret) {
		dev_err(dev, "no compatible string\n");
		goto err_free;
	}
	vpdev->reset = uvfio_platform_find_reset(vpdev->compat);
	/* Read once: open and close must agree with the probe. */
	vpdev->reset_required = uvfio_platform_reset_required;
	if (!vpdev->reset && vpdev->reset_required) {
		dev_err(dev, "no reset handler for %s\n", vpdev->compat);
		ret = -ENOENT;
		goto err_free;
	}
	mutex_init(&vpdev->igate);
	platform_set_drvdata(pdev, vpdev);
	pm_runtime_enable(dev);

	ret = uvfio_register_device(&vpdev->vdev, dev, &uvfio_platform_ops);
	if (ret) {
		pm_runtime_disable(dev);
		mutex_destroy(&vpdev->igate);
		goto err_free;
	}
	return 0;

err_free:
	kfree(vpdev);
	return ret;
}

static void uvfio_platform_remove(struct platform_device *pdev)
{
	struct uvfio_platform_device *vpdev = platform_get_drvdata(pdev);

	uvfio_unregister_device(&vpdev->vdev);
	pm_runtime_disable(&pdev->dev);
	mutex_destroy(&vpdev->igate);
	kfree(vpdev);
}

/* Matches nothing by itself: devices come through driver_override. */
static struct platform_driver uvfio_platform_driver = {
	.probe		= uvfio_platform_probe,
	.remove_new	= uvfio_platform_remove,
	.driver		= {
		.name	= "vfio-platform",
	},
	/* The core claims the group's DMA for userspace. */
	.driver_managed_dma = true,
};

builtin_platform_driver(uvfio_platform_driver);
