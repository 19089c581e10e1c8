// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: the "vfio-pci" driver. It binds to functions through
 * driver_override (or new_id), registers them with the core, and answers
 * their device fds: one handler per ioctl, region reads and writes at the
 * offsets of uvfio_pci_offset.h, and mmap of memory BARs, faulted in page
 * by page so that turning memory decode off or resetting the function can
 * take every mapping away and let it come back afterwards.
 *
 * While bound and closed the function idles in D3hot (runtime PM); the
 * first open wakes it, enables it, resets it when it can and saves its
 * state; the last close disables it, resets it again and restores that
 * state.
 */
#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_pci_priv.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "vfio_pci."

static bool disable_idle_d3;
module_param(disable_idle_d3, bool, 0644);
MODULE_PARM_DESC(disable_idle_d3,
		 "Keep functions that no one uses in D0 instead of D3hot (read at bind)");

/**
 * uvfio_pci_set_power_state() - move the function to a D-state
 * @vpdev: the device
 * @state: PCI_D0 to PCI_D3hot
 *
 * A function that loses its state in D3hot (No_Soft_Reset clear) gets
 * it saved on the way down and restored on the way up.
 *
 * Context: memory_lock held for writing when leaving D0.
 * Return: 0 or pci_set_power_state()'s errno.
 */
int uvfio_pci_set_power_state(struct uvfio_pci_device *vpdev,
			      pci_power_t state)
{
	struct pci_dev *pdev = vpdev->pdev;
	bool lost = vpdev->needs_pm_restore;
	bool save = lost && pdev->current_state < PCI_D3hot &&
		    state >= PCI_D3hot;
	bool restore = lost && pdev->current_state >= PCI_D3hot &&
		       state <= PCI_D0;
	int ret;

	if (state > PCI_D0)
		lockdep_assert_held_write(&vpdev->memory_lock);
	if (save)
		pci_save_state(pdev);

	ret = pci_set_power_state(pdev, state);
	if (ret)
		return ret;
	/* A quirk may keep the function out of D3: then nothing was lost. */
	if (save && pdev->current_state == state) {
		kfree(vpdev->pm_save);
		vpdev->pm_save = pci_store_saved_state(pdev);
	} else if (restore) {
		pci_load_and_free_saved_state(pdev, &vpdev->pm_save);
		pci_restore_state(pdev);
	}
	return 0;
}

/**
 * uvfio_pci_zap_bars() - take every user mapping of BAR0-5 away
 * @vpdev: the device
 *
 * Faults bring them back, once memory_lock lets them.
 */
void uvfio_pci_zap_bars(struct uvfio_pci_device *vpdev)
{
	loff_t start = uvfio_pci_index_to_offset(VFIO_PCI_BAR0_REGION_INDEX);
	loff_t end = uvfio_pci_index_to_offset(VFIO_PCI_ROM_REGION_INDEX);

	unmap_mapping_range(vpdev->vdev.inode->i_mapping, start, end - start,
			    true);
}

/**
 * uvfio_pci_zap_and_down_write_memory_lock() - stop user access to BARs
 * @vpdev: the device
 *
 * Zaps the mappings first, so that a fault racing with us finds the lock
 * taken and waits, then sees decode off (or the reset done).
 */
void uvfio_pci_zap_and_down_write_memory_lock(struct uvfio_pci_device *vpdev)
{
	down_write(&vpdev->memory_lock);
	uvfio_pci_zap_bars(vpdev);
}

/**
 * uvfio_pci_memory_lock_and_enable() - memory decode on for our own access
 * @vpdev: the device
 *
 * Return: the command register to give back to
 * uvfio_pci_memory_unlock_and_restore().
 */
u16 uvfio_pci_memory_lock_and_enable(struct uvfio_pci_device *vpdev)
{
	u16 cmd;

	down_write(&vpdev->memory_lock);
	pci_read_config_word(vpdev->pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(vpdev->pdev, PCI_COMMAND,
				      cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

/**
 * uvfio_pci_memory_unlock_and_restore() - undo
 *	uvfio_pci_memory_lock_and_enable()
 * @vpdev: the device
 * @cmd: what uvfio_pci_memory_lock_and_enable() returned
 */
void uvfio_pci_memory_unlock_and_restore(struct uvfio_pci_device *vpdev,
					 u16 cmd)
{
	pci_write_config_word(vpdev->pdev, PCI_COMMAND, cmd);
	up_write(&vpdev->memory_lock);
}

/*
 * A memory BAR can be mapped when it fills whole pages. Upstream also maps
 * a BAR smaller than a page that starts a page, reserving the rest of the
 * page; the simulated bridge never puts two BARs into one page, so that
 * case does not arise here and we do not offer it.
 */
static bool uvfio_pci_bar_mmappable(struct pci_dev *pdev, int bar)
{
	struct resource *res = &pdev->resource[bar];

	return res->flags & IORESOURCE_MEM && resource_size(res) >= PAGE_SIZE;
}

static void uvfio_pci_probe_msix(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	u16 flags;
	u32 table;

	vpdev->msix_bar = UVFIO_PCI_NO_BAR;
	if (!pdev->msix_cap)
		return;
	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
	vpdev->msix_bar = table & PCI_MSIX_TABLE_BIR;
	vpdev->msix_offset = table & PCI_MSIX_TABLE_OFFSET;
	vpdev->msix_size = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1) *
			   PCI_MSIX_ENTRY_SIZE;
}

static int uvfio_pci_enable(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	u16 cmd;
	int ret;

	if (vpdev->idle_d3) {
		ret = pm_runtime_resume_and_get(&pdev->dev);
		if (ret < 0)
			return ret;
	}
	/* The state saved for close must not include bus mastering. */
	pci_clear_master(pdev);
	ret = pci_enable_device(pdev);
	if (ret)
		goto out_power;

	/* Someone holds the device lock: better fail than skip the reset. */
	ret = pci_try_reset_function(pdev);
	if (ret == -EAGAIN)
		goto out_disable;
	vpdev->reset_works = !ret;
	pci_save_state(pdev);
	vpdev->saved_state = pci_store_saved_state(pdev);
	if (!vpdev->saved_state)
		pci_dbg(pdev, "config space not saved\n");

	vpdev->pci_2_3 = pci_intx_mask_supported(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (vpdev->pci_2_3 && cmd & PCI_COMMAND_INTX_DISABLE)
		pci_write_config_word(pdev, PCI_COMMAND,
				      cmd & ~PCI_COMMAND_INTX_DISABLE);

	vpdev->irq_type = VFIO_PCI_NUM_IRQS;
	vpdev->msi_qmax = 0;
	ret = uvfio_pci_config_init(vpdev);
	if (ret)
		goto out_free_state;
	uvfio_pci_probe_msix(vpdev);
	return 0;

out_free_state:
	kfree(vpdev->saved_state);
	vpdev->saved_state = NULL;
out_disable:
	pci_disable_device(pdev);
out_power:
	if (vpdev->idle_d3)
		pm_runtime_put(&pdev->dev);
	return ret;
}

static void uvfio_pci_disable(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	struct pci_dev *bridge;

	/*
	 * A reset needs D0, and a function in D3 loses what we restore; the
	 * user's low power ends first, giving back open's reference.
	 */
	uvfio_pci_low_power_exit(vpdev);
	pm_runtime_resume(&pdev->dev);
	down_write(&vpdev->memory_lock);
	uvfio_pci_set_power_state(vpdev, PCI_D0);
	up_write(&vpdev->memory_lock);
	pci_clear_master(pdev);
	uvfio_pci_irqs_release(vpdev);
	uvfio_pci_ioeventfds_release(vpdev);

	uvfio_pci_config_free(vpdev);
	uvfio_pci_release_barmaps(vpdev);
	vpdev->needs_reset = true;

	/*
	 * Restore the state of open time; if it cannot be loaded, reset and
	 * keep what the function has now, which is better than nothing.
	 */
	if (pci_load_and_free_saved_state(pdev, &vpdev->saved_state)) {
		pci_info(pdev, "saved config space not restored\n");
		if (!vpdev->reset_works)
			goto out;
		pci_save_state(pdev);
	}
	/* No interrupts during the reset. */
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);

	/*
	 * Try the locks ourselves: the try variant of the reset would save
	 * the state again, over what we just loaded.
	 */
	if (vpdev->reset_works) {
		bridge = pci_upstream_bridge(pdev);
		if (bridge && !pci_dev_trylock(bridge))
			goto restore;
		if (pci_dev_trylock(pdev)) {
			if (!__pci_reset_function_locked(pdev))
				vpdev->needs_reset = false;
			pci_dev_unlock(pdev);
		}
		if (bridge)
			pci_dev_unlock(bridge);
	}
restore:
	pci_restore_state(pdev);
out:
	pci_disable_device(pdev);
	if (vpdev->idle_d3)
		pm_runtime_put(&pdev->dev);
}

static int uvfio_pci_open_device(struct uvfio_device *vdev)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);
	int ret;

	/* No slot or bus reset of the set while we reset and save. */
	mutex_lock(&uvfio_pci_set_lock);
	ret = uvfio_pci_enable(vpdev);
	vpdev->open = !ret;
	mutex_unlock(&uvfio_pci_set_lock);
	return ret;
}

static void uvfio_pci_close_device(struct uvfio_device *vdev)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);

	mutex_lock(&uvfio_pci_set_lock);
	uvfio_pci_disable(vpdev);
	vpdev->open = false;
	uvfio_pci_try_bus_reset(vpdev);
	mutex_unlock(&uvfio_pci_set_lock);
}

static int uvfio_pci_ioctl_get_info(struct uvfio_pci_device *vpdev,
				    struct vfio_device_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info = {};

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (vpdev->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	minsz = min_t(size_t, info.argsz, sizeof(info));
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* The ROM region is there only when a ROM image can be found in it. */
static void uvfio_pci_rom_info(struct uvfio_pci_device *vpdev,
			       struct vfio_region_info *info)
{
	struct pci_dev *pdev = vpdev->pdev;
	void __iomem *io;
	size_t size;
	u16 cmd;

	info->flags = 0;
	/* The BAR's size, not the image's. */
	info->size = pci_resource_len(pdev, PCI_ROM_RESOURCE);
	if (!info->size) {
		if (!(pdev->resource[PCI_ROM_RESOURCE].flags &
		      IORESOURCE_ROM_SHADOW))
			return;
		info->size = SZ_128K;
	}
	cmd = uvfio_pci_memory_lock_and_enable(vpdev);
	io = pci_map_rom(pdev, &size);
	if (io) {
		info->flags = VFIO_REGION_INFO_FLAG_READ;
		pci_unmap_rom(pdev, io);
	} else {
		info->size = 0;
	}
	uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
}

static int uvfio_pci_ioctl_get_region_info(struct uvfio_pci_device *vpdev,
					   struct vfio_region_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct uvfio_info_cap caps = {};
	struct pci_dev *pdev = vpdev->pdev;
	struct vfio_region_info info;
	struct vfio_info_cap_header *hdr;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	switch (info.index) {
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		info.size = pci_resource_len(pdev, info.index);
		if (!info.size) {
			info.flags = 0;
			break;
		}
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		if (!uvfio_pci_bar_mmappable(pdev, info.index))
			break;
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
		/* The table may be mapped: MSI is remapped by the IOMMU. */
		if (info.index == vpdev->msix_bar) {
			hdr = uvfio_info_cap_add(&caps, sizeof(*hdr),
						 VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
						 1);
			if (IS_ERR(hdr))
				return PTR_ERR(hdr);
		}
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		uvfio_pci_rom_info(vpdev, &info);
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = pdev->cfg_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	default:
		/* No VGA and no device-specific regions on these functions. */
		return -EINVAL;
	}
	info.offset = uvfio_pci_index_to_offset(info.index);

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		info.cap_offset = 0;
		ret = uvfio_info_cap_copy(&caps, arg, sizeof(info),
					  &info.argsz, &info.cap_offset);
		if (ret)
			return ret;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Vectors the function offers for an IRQ index below VFIO_PCI_NUM_IRQS. */
static u32 uvfio_pci_irq_count(struct uvfio_pci_device *vpdev, u32 index)
{
	struct pci_dev *pdev = vpdev->pdev;
	u16 flags;

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		/* The user's pin: 0 when INTx cannot be routed. */
		return vpdev->vconfig[PCI_INTERRUPT_PIN] ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (!pdev->msi_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
		return 1 << FIELD_GET(PCI_MSI_FLAGS_QMASK, flags);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (!pdev->msix_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &flags);
		return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	case VFIO_PCI_ERR_IRQ_INDEX:
		/* AER errors are signalled only for PCI Express functions. */
		return pci_is_pcie(pdev) ? 1 : 0;
	default:
		/* VFIO_PCI_REQ_IRQ_INDEX: no caller passes an index past it. */
		return 1;
	}
}

static u32 uvfio_pci_irq_count_of(void *vpdev, u32 index)
{
	return uvfio_pci_irq_count(vpdev, index);
}

static int uvfio_pci_ioctl_get_irq_info(struct uvfio_pci_device *vpdev,
					struct vfio_irq_info __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	/* No ERR index at all for a function that is not PCI Express. */
	if (info.index == VFIO_PCI_ERR_IRQ_INDEX && !pci_is_pcie(vpdev->pdev))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = uvfio_pci_irq_count(vpdev, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (info.index != VFIO_PCI_MSIX_IRQ_INDEX ||
		 !pci_msix_can_alloc_dyn(vpdev->pdev))
		info.flags |= VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int uvfio_pci_ioctl_set_irqs(struct uvfio_pci_device *vpdev,
				    struct vfio_irq_set __user *arg)
{
	struct vfio_irq_set hdr;
	void *data;
	int ret;

	ret = uvfio_irq_set_data(arg, &hdr, uvfio_pci_irq_count_of, vpdev,
				 VFIO_PCI_NUM_IRQS, &data);
	if (ret)
		return ret;
	mutex_lock(&vpdev->igate);
	ret = uvfio_pci_set_irqs(vpdev, &hdr, data);
	mutex_unlock(&vpdev->igate);
	kfree(data);
	return ret;
}

static int uvfio_pci_ioctl_ioeventfd(struct uvfio_pci_device *vpdev,
				     struct vfio_device_ioeventfd __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_ioeventfd, fd);
	struct vfio_device_ioeventfd ioev;
	int count;

	if (copy_from_user(&ioev, arg, minsz))
		return -EFAULT;
	if (ioev.argsz < minsz ||
	    ioev.flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK)
		return -EINVAL;
	count = ioev.flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK;
	if (hweight8(count) != 1 || ioev.fd < -1)
		return -EINVAL;
	return uvfio_pci_ioeventfd(vpdev, ioev.offset, ioev.data, count,
				   ioev.fd);
}

static int uvfio_pci_ioctl_reset(struct uvfio_pci_device *vpdev)
{
	int ret;

	if (!vpdev->reset_works)
		return -EINVAL;
	uvfio_pci_zap_and_down_write_memory_lock(vpdev);
	/* The reset would wake the function without restoring its state. */
	uvfio_pci_set_power_state(vpdev, PCI_D0);
	ret = pci_try_reset_function(vpdev->pdev);
	up_write(&vpdev->memory_lock);
	return ret;
}

static long uvfio_pci_ioctl(struct uvfio_device *vdev, unsigned int cmd,
			    unsigned long arg)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return uvfio_pci_ioctl_get_info(vpdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return uvfio_pci_ioctl_get_region_info(vpdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return uvfio_pci_ioctl_get_irq_info(vpdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return uvfio_pci_ioctl_set_irqs(vpdev, uarg);
	case VFIO_DEVICE_RESET:
		return uvfio_pci_ioctl_reset(vpdev);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return uvfio_pci_ioctl_hot_reset_info(vpdev, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return uvfio_pci_ioctl_hot_reset(vpdev, uarg);
	case VFIO_DEVICE_IOEVENTFD:
		return uvfio_pci_ioctl_ioeventfd(vpdev, uarg);
	default:
		return -ENOTTY;
	}
}

static ssize_t uvfio_pci_rw(struct uvfio_pci_device *vpdev, char __user *buf,
			    size_t count, loff_t *ppos, bool iswrite)
{
	u32 index = uvfio_pci_offset_to_index(*ppos);
	ssize_t ret;

	/* Nothing asked, nothing checked: 0 even for a missing region. */
	if (!count)
		return 0;
	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	ret = pm_runtime_resume_and_get(&vpdev->pdev->dev);
	if (ret) {
		pci_info_ratelimited(vpdev->pdev, "runtime resume failed %zd\n",
				     ret);
		return -EIO;
	}

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = uvfio_pci_config_rw(vpdev, buf, count, ppos, iswrite);
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		ret = iswrite ? -EINVAL :
			uvfio_pci_bar_rw(vpdev, buf, count, ppos, false);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		ret = uvfio_pci_bar_rw(vpdev, buf, count, ppos, iswrite);
		break;
	default:
		/* VGA: these functions have none. */
		ret = -EINVAL;
	}
	pm_runtime_put(&vpdev->pdev->dev);
	return ret;
}

static ssize_t uvfio_pci_read(struct uvfio_device *vdev, char __user *buf,
			      size_t count, loff_t *ppos)
{
	return uvfio_pci_rw(to_uvfio_pci(vdev), buf, count, ppos, false);
}

static ssize_t uvfio_pci_write(struct uvfio_device *vdev,
			       const char __user *buf, size_t count,
			       loff_t *ppos)
{
	return uvfio_pci_rw(to_uvfio_pci(vdev), (char __user *)buf, count,
			    ppos, true);
}

/*
 * A page of a BAR mapping, inserted at the first touch and again after a
 * zap. Under UML only pages of RAM can be mapped into a process: a BAR
 * whose accesses are callbacks (a register BAR) has no page behind it,
 * so touching its mapping gets SIGBUS, where a real machine maps the
 * MMIO page.
 */
static vm_fault_t uvfio_pci_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct uvfio_pci_device *vpdev = vma->vm_private_data;
	u32 index = uvfio_pci_offset_to_index((u64)vma->vm_pgoff << PAGE_SHIFT);
	u64 first = uvfio_pci_offset_in_region((u64)vma->vm_pgoff <<
					       PAGE_SHIFT) >> PAGE_SHIFT;
	unsigned long pfn = PHYS_PFN(pci_resource_start(vpdev->pdev, index)) +
			    first + ((vmf->address - vma->vm_start) >>
				     PAGE_SHIFT);
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&vpdev->memory_lock);
	if (!vpdev->pm_runtime_engaged && uvfio_pci_memory_enabled(vpdev) &&
	    pfn_valid(pfn))
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
	up_read(&vpdev->memory_lock);
	return ret;
}

static const struct vm_operations_struct uvfio_pci_mmap_ops = {
	.fault = uvfio_pci_mmap_fault,
};

static int uvfio_pci_mmap(struct uvfio_device *vdev,
			  struct vm_area_struct *vma)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u32 index = uvfio_pci_offset_to_index(off);
	u64 start = uvfio_pci_offset_in_region(off);
	u64 len = vma->vm_end - vma->vm_start;
	int ret;

	if (index >= VFIO_PCI_NUM_REGIONS || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Config space and the ROM are only read and written. */
	if (index >= VFIO_PCI_ROM_REGION_INDEX ||
	    !uvfio_pci_bar_mmappable(vpdev->pdev, index))
		return -EINVAL;
	if (start + len > PAGE_ALIGN(pci_resource_len(vpdev->pdev, index)))
		return -EINVAL;

	/* Claim the BAR as reading it would, so no one else takes it. */
	ret = uvfio_pci_setup_barmap(vpdev, index);
	if (ret)
		return ret;

	vma->vm_private_data = vpdev;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &uvfio_pci_mmap_ops;
	return 0;
}

/* Unbind waits for the fds: ask the user, through REQ, to close them. */
static void uvfio_pci_request(struct uvfio_device *vdev, unsigned int count)
{
	struct uvfio_pci_device *vpdev = to_uvfio_pci(vdev);

	if (uvfio_pci_signal_single(vpdev, VFIO_PCI_REQ_IRQ_INDEX)) {
		if (!(count % 10))
			pci_notice_ratelimited(vpdev->pdev,
					       "asking the user to release the device (#%u)\n",
					       count);
	} else if (!count) {
		pci_warn(vpdev->pdev,
			 "no request eventfd: unbind waits for the user to close the device\n");
	}
}

static struct pci_driver uvfio_pci_driver;

static const struct uvfio_device_ops uvfio_pci_ops = {
	.name		= "vfio-pci",
	.open_device	= uvfio_pci_open_device,
	.close_device	= uvfio_pci_close_device,
	.ioctl		= uvfio_pci_ioctl,
	.read		= uvfio_pci_read,
	.write		= uvfio_pci_write,
	.mmap		= uvfio_pci_mmap,
	.request	= uvfio_pci_request,
	.device_feature	= uvfio_pci_device_feature,
};

/* Undo the probe: runtime PM as the PCI core had it, the device freed. */
static void uvfio_pci_unprobe(struct uvfio_pci_device *vpdev)
{
	struct device *dev = &vpdev->pdev->dev;

	if (vpdev->idle_d3)
		pm_runtime_get_noresume(dev);
	pm_runtime_forbid(dev);
	/* Out of every set before it is freed. */
	mutex_lock(&uvfio_pci_set_lock);
	dev_set_drvdata(dev, NULL);
	mutex_unlock(&uvfio_pci_set_lock);
	kfree(vpdev->pm_save);
	mutex_destroy(&vpdev->igate);
	mutex_destroy(&vpdev->ioeventfds_lock);
	kfree(vpdev);
}

static int uvfio_pci_probe(struct pci_dev *pdev,
			   const struct pci_device_id *id)
{
	struct uvfio_pci_device *vpdev;
	int ret;

	/* Bridges forward for others; only endpoints are handed out. */
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return -EINVAL;

	vpdev = kzalloc(sizeof(*vpdev), GFP_KERNEL);
	if (!vpdev)
		return -ENOMEM;
	vpdev->pdev = pdev;
	init_rwsem(&vpdev->memory_lock);
	mutex_init(&vpdev->igate);
	mutex_init(&vpdev->ioeventfds_lock);
	INIT_LIST_HEAD(&vpdev->ioeventfds);
	spin_lock_init(&vpdev->irqlock);
	xa_init(&vpdev->irq_ctx);
	vpdev->msix_bar = UVFIO_PCI_NO_BAR;
	vpdev->irq_type = VFIO_PCI_NUM_IRQS;
	/* Fixed for the binding: the runtime PM references must balance. */
	vpdev->idle_d3 = !disable_idle_d3;
	if (pdev->pm_cap) {
		u16 pmcsr;

		pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr);
		vpdev->needs_pm_restore = !(pmcsr & PCI_PM_CTRL_NO_SOFT_RESET);
	}
	mutex_lock(&uvfio_pci_set_lock);
	dev_set_drvdata(&pdev->dev, vpdev);
	mutex_unlock(&uvfio_pci_set_lock);

	/*
	 * The PCI core leaves an unbound function in an unknown power state
	 * from which only D0 is allowed; go there, then let runtime PM put
	 * the function into D3hot until it is opened.
	 */
	uvfio_pci_set_power_state(vpdev, PCI_D0);
	pm_runtime_allow(&pdev->dev);
	if (vpdev->idle_d3)
		pm_runtime_put(&pdev->dev);

	ret = uvfio_register_device(&vpdev->vdev, &pdev->dev, &uvfio_pci_ops);
	if (ret)
		uvfio_pci_unprobe(vpdev);
	return ret;
}

static void uvfio_pci_remove(struct pci_dev *pdev)
{
	struct uvfio_pci_device *vpdev = dev_get_drvdata(&pdev->dev);

	uvfio_unregister_device(&vpdev->vdev);
	uvfio_pci_unprobe(vpdev);
}

/**
 * uvfio_pci_of() - the vfio-pci device of a function
 * @pdev: any PCI function
 *
 * Context: uvfio_pci_set_lock held, which keeps the answer valid.
 * Return: the device when @pdev is bound to vfio-pci, else NULL.
 */
struct uvfio_pci_device *uvfio_pci_of(struct pci_dev *pdev)
{
	lockdep_assert_held(&uvfio_pci_set_lock);
	if (pdev->driver != &uvfio_pci_driver)
		return NULL;
	return dev_get_drvdata(&pdev->dev);
}

/*
 * An error the PCI core reports for the function (AER): the user hears of
 * it through ERR and decides; the function can go on meanwhile.
 */
static pci_ers_result_t uvfio_pci_error_detected(struct pci_dev *pdev,
						 pci_channel_state_t state)
{
	struct uvfio_pci_device *vpdev = dev_get_drvdata(&pdev->dev);

	uvfio_pci_signal_single(vpdev, VFIO_PCI_ERR_IRQ_INDEX);
	return PCI_ERS_RESULT_CAN_RECOVER;
}

static const struct pci_error_handlers uvfio_pci_err_handlers = {
	.error_detected = uvfio_pci_error_detected,
};

/* Matches nothing by itself: functions come through driver_override. */
static const struct pci_device_id uvfio_pci_table[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};

static struct pci_driver uvfio_pci_driver = {
	.name			= "vfio-pci",
	.id_table		= uvfio_pci_table,
	.probe			= uvfio_pci_probe,
	.remove			= uvfio_pci_remove,
	.err_handler		= &uvfio_pci_err_handlers,
	.driver.pm		= &uvfio_pci_pm_ops,
	/* The core claims the group's DMA for userspace. */
	.driver_managed_dma	= true,
};

static int __init uvfio_pci_init(void)
{
	int ret;

	ret = uvfio_pci_perm_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&uvfio_pci_driver);
	if (ret)
		uvfio_pci_perm_exit();
	return ret;
}
device_initcall(uvfio_pci_init);
