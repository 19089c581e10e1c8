// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: ioeventfds (VFIO_DEVICE_IOEVENTFD). Each one writes a
 * fixed value of 1, 2, 4 or 8 bytes at a fixed offset of a BAR when its
 * eventfd is signalled, so that a hypervisor can hand a guest's doorbell
 * write straight to the device without going through userspace.
 *
 * The write happens in the signaller's context when the memory lock can
 * be taken at once, else from a work item. While the user's memory enable
 * is off (or the function is out of D0) a memory BAR's write is dropped,
 * as a read or write through the device fd would be refused.
 */
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "uvfio_pci_priv.h"

/* As upstream: enough for any hypervisor, bounded for the kernel. */
#define UVFIO_PCI_IOEVENTFD_MAX		1000

/**
 * struct uvfio_pci_ioeventfd - one BAR write bound to an eventfd
 * @next: in the device's list
 * @vpdev: the device
 * @virqfd: the eventfd, watched by the core
 * @addr: where in the BAR mapping
 * @data: the value
 * @pos: offset in the BAR
 * @bar: the BAR
 * @count: bytes: 1, 2, 4 or 8
 * @test_mem: a memory BAR, written only while memory decode is on
 */
struct uvfio_pci_ioeventfd {
	struct list_head next;
	struct uvfio_pci_device *vpdev;
	struct uvfio_virqfd *virqfd;
	void __iomem *addr;
	u64 data;
	loff_t pos;
	int bar;
	int count;
	bool test_mem;
};

static void uvfio_pci_ioeventfd_write(struct uvfio_pci_ioeventfd *ioev)
{
	u64 val = ioev->data;

	if (!ioev->test_mem || uvfio_pci_memory_enabled(ioev->vpdev))
		uvfio_pci_io(ioev->addr, &val, ioev->count, true);
}

/* The signaller's context: write now, unless the lock is busy. */
static int uvfio_pci_ioeventfd_handler(void *opaque, void *unused)
{
	struct uvfio_pci_ioeventfd *ioev = opaque;

	if (ioev->test_mem && !down_read_trylock(&ioev->vpdev->memory_lock))
		return 1;
	uvfio_pci_ioeventfd_write(ioev);
	if (ioev->test_mem)
		up_read(&ioev->vpdev->memory_lock);
	return 0;
}

static void uvfio_pci_ioeventfd_thread(void *opaque, void *unused)
{
	struct uvfio_pci_ioeventfd *ioev = opaque;

	if (ioev->test_mem)
		down_read(&ioev->vpdev->memory_lock);
	uvfio_pci_ioeventfd_write(ioev);
	if (ioev->test_mem)
		up_read(&ioev->vpdev->memory_lock);
}

static void uvfio_pci_ioeventfd_free(struct uvfio_pci_device *vpdev,
				     struct uvfio_pci_ioeventfd *ioev)
{
	uvfio_virqfd_disable(&ioev->virqfd);
	list_del(&ioev->next);
	vpdev->ioeventfds_nr--;
	kfree(ioev);
}

/**
 * uvfio_pci_ioeventfd() - add or remove an ioeventfd
 * @vpdev: the device
 * @offset: region offset (index << 40 | offset in the BAR)
 * @data: the value to write
 * @count: 1, 2, 4 or 8
 * @fd: the eventfd, or -1 to remove the ioeventfd of the same offset,
 *	value and size
 *
 * Return: 0; -EINVAL for a region that is no BAR, past its end or over
 * the MSI-X table; -EEXIST for one already there; -ENODEV to remove one
 * that is not; -ENOSPC past UVFIO_PCI_IOEVENTFD_MAX; or the errno of the
 * BAR's mapping or of the eventfd.
 */
int uvfio_pci_ioeventfd(struct uvfio_pci_device *vpdev, u64 offset, u64 data,
			int count, s32 fd)
{
	u32 bar = uvfio_pci_offset_to_index(offset);
	u64 pos = uvfio_pci_offset_in_region(offset);
	struct uvfio_pci_ioeventfd *ioev;
	int ret;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	if (pos + count > pci_resource_len(vpdev->pdev, bar))
		return -EINVAL;
	/* The table is the host's: no write around it either. */
	if (bar == vpdev->msix_bar &&
	    pos + count > vpdev->msix_offset &&
	    pos < vpdev->msix_offset + vpdev->msix_size)
		return -EINVAL;
	ret = uvfio_pci_setup_barmap(vpdev, bar);
	if (ret)
		return ret;

	mutex_lock(&vpdev->ioeventfds_lock);
	list_for_each_entry(ioev, &vpdev->ioeventfds, next) {
		if (ioev->bar != bar || ioev->pos != pos ||
		    ioev->data != data || ioev->count != count)
			continue;
		if (fd == -1) {
			uvfio_pci_ioeventfd_free(vpdev, ioev);
			ret = 0;
		} else {
			ret = -EEXIST;
		}
		goto out;
	}
	if (fd < 0) {
		ret = -ENODEV;
		goto out;
	}
	if (vpdev->ioeventfds_nr >= UVFIO_PCI_IOEVENTFD_MAX) {
		ret = -ENOSPC;
		goto out;
	}

	ioev = kzalloc(sizeof(*ioev), GFP_KERNEL_ACCOUNT);
	if (!ioev) {
		ret = -ENOMEM;
		goto out;
	}
	ioev->vpdev = vpdev;
	ioev->addr = vpdev->barmap[bar] + pos;
	ioev->data = data;
	ioev->pos = pos;
	ioev->bar = bar;
	ioev->count = count;
	ioev->test_mem = pci_resource_flags(vpdev->pdev, bar) & IORESOURCE_MEM;
	ret = uvfio_virqfd_enable(ioev, uvfio_pci_ioeventfd_handler,
				  uvfio_pci_ioeventfd_thread, NULL,
				  &ioev->virqfd, fd);
	if (ret) {
		kfree(ioev);
		goto out;
	}
	list_add(&ioev->next, &vpdev->ioeventfds);
	vpdev->ioeventfds_nr++;
out:
	mutex_unlock(&vpdev->ioeventfds_lock);
	return ret;
}

/**
 * uvfio_pci_ioeventfds_release() - the last device fd is closing
 * @vpdev: the device
 *
 * Frees every ioeventfd, before the BAR mappings they write go.
 */
void uvfio_pci_ioeventfds_release(struct uvfio_pci_device *vpdev)
{
	struct uvfio_pci_ioeventfd *ioev, *tmp;

	mutex_lock(&vpdev->ioeventfds_lock);
	list_for_each_entry_safe(ioev, tmp, &vpdev->ioeventfds, next)
		uvfio_pci_ioeventfd_free(vpdev, ioev);
	mutex_unlock(&vpdev->ioeventfds_lock);
}
