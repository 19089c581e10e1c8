// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: low power while open (VFIO_DEVICE_FEATURE_LOW_POWER_*)
 * and the runtime PM callbacks behind it and behind idling in D3hot while
 * closed.
 *
 * Entering low power gives back the runtime PM reference the open took:
 * once the ioctl's own reference goes, the function suspends (D3hot).
 * Every device ioctl and region access wakes it for its duration (the
 * core and uvfio_pci_rw() hold a reference); mmap faults fail meanwhile.
 * With a wakeup eventfd the first wake signals it and ends low power; the
 * exit feature ends it too, and so does close.
 */
#include <linux/eventfd.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>

#include "uvfio_pci_priv.h"

/* Context: memory_lock held for writing. */
static void __uvfio_pci_low_power_exit(struct uvfio_pci_device *vpdev)
{
	lockdep_assert_held_write(&vpdev->memory_lock);
	if (!vpdev->pm_runtime_engaged)
		return;
	vpdev->pm_runtime_engaged = false;
	/* Back to the reference of open time. */
	pm_runtime_get_noresume(&vpdev->pdev->dev);
	if (vpdev->pm_wake_eventfd) {
		eventfd_ctx_put(vpdev->pm_wake_eventfd);
		vpdev->pm_wake_eventfd = NULL;
	}
}

/**
 * uvfio_pci_low_power_exit() - leave low power, if the user entered it
 * @vpdev: the device
 */
void uvfio_pci_low_power_exit(struct uvfio_pci_device *vpdev)
{
	down_write(&vpdev->memory_lock);
	__uvfio_pci_low_power_exit(vpdev);
	up_write(&vpdev->memory_lock);
}

static int uvfio_pci_low_power_entry(struct uvfio_pci_device *vpdev,
				     struct eventfd_ctx *wake)
{
	uvfio_pci_zap_and_down_write_memory_lock(vpdev);
	if (vpdev->pm_runtime_engaged) {
		up_write(&vpdev->memory_lock);
		return -EINVAL;
	}
	vpdev->pm_runtime_engaged = true;
	vpdev->pm_wake_eventfd = wake;
	/* The ioctl's reference keeps it awake until the ioctl returns. */
	pm_runtime_put_noidle(&vpdev->pdev->dev);
	up_write(&vpdev->memory_lock);
	return 0;
}

static int uvfio_pci_feature_entry(struct uvfio_pci_device *vpdev, u32 flags,
				   size_t argsz)
{
	int ret = uvfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);

	return ret != 1 ? ret : uvfio_pci_low_power_entry(vpdev, NULL);
}

static int uvfio_pci_feature_entry_wakeup(struct uvfio_pci_device *vpdev,
					  u32 flags, void __user *arg,
					  size_t argsz)
{
	struct vfio_device_low_power_entry_with_wakeup entry;
	struct eventfd_ctx *wake;
	int ret;

	ret = uvfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				  sizeof(entry));
	if (ret != 1)
		return ret;
	if (copy_from_user(&entry, arg, sizeof(entry)))
		return -EFAULT;
	if (entry.wakeup_eventfd < 0)
		return -EINVAL;
	wake = eventfd_ctx_fdget(entry.wakeup_eventfd);
	if (IS_ERR(wake))
		return PTR_ERR(wake);
	ret = uvfio_pci_low_power_entry(vpdev, wake);
	if (ret)
		eventfd_ctx_put(wake);
	return ret;
}

static int uvfio_pci_feature_exit(struct uvfio_pci_device *vpdev, u32 flags,
				  size_t argsz)
{
	int ret = uvfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);

	if (ret != 1)
		return ret;
	/* Woken by this ioctl already; a wakeup eventfd may have ended it. */
	uvfio_pci_low_power_exit(vpdev);
	return 0;
}

/**
 * uvfio_pci_device_feature() - vfio-pci's VFIO_DEVICE_FEATUREs
 * @vdev: the device
 * @flags: the caller's flags, checked by the core
 * @arg: the data after the header
 * @argsz: its size
 *
 * Low power entry (with or without wakeup eventfd) and exit; no SR-IOV
 * here, so no VF token.
 *
 * Return: 0, or -ENOTTY for a feature vfio-pci does not have, -EINVAL,
 * -EFAULT, or the eventfd's errno.
 */
int uvfio_pci_device_feature(struct uvfio_device *vdev, u32 flags,
			     void __user *arg, size_t argsz)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);

	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
		return uvfio_pci_feature_entry(vpdev, flags, argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP:
		return uvfio_pci_feature_entry_wakeup(vpdev, flags, arg, argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
		return uvfio_pci_feature_exit(vpdev, flags, argsz);
	default:
		return -ENOTTY;
	}
}

/*
 * Before the PCI core saves the function and puts it into D3hot: back to
 * D0 first (the user may have left it in D3hot through PM control, and a
 * function that loses its state there gets it back), and INTx masked
 * while it sleeps.
 */
static int uvfio_pci_runtime_suspend(struct device *dev)
{
	struct uvfio_pci_device *vpdev = dev_get_drvdata(dev);

	down_write(&vpdev->memory_lock);
	uvfio_pci_set_power_state(vpdev, PCI_D0);
	up_write(&vpdev->memory_lock);
	vpdev->pm_intx_masked = vpdev->irq_type == VFIO_PCI_INTX_IRQ_INDEX &&
				uvfio_pci_intx_mask(vpdev);
	return 0;
}

static int uvfio_pci_runtime_resume(struct device *dev)
{
	struct uvfio_pci_device *vpdev = dev_get_drvdata(dev);

	down_write(&vpdev->memory_lock);
	if (vpdev->pm_wake_eventfd) {
		eventfd_signal(vpdev->pm_wake_eventfd);
		__uvfio_pci_low_power_exit(vpdev);
	}
	up_write(&vpdev->memory_lock);
	if (vpdev->pm_intx_masked)
		uvfio_pci_intx_unmask(vpdev);
	return 0;
}

const struct dev_pm_ops uvfio_pci_pm_ops = {
	SET_RUNTIME_PM_OPS(uvfio_pci_runtime_suspend, uvfio_pci_runtime_resume,
			   NULL)
};
