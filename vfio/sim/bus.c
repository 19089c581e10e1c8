// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated PCI host bridge: its bus numbers, windows, config access
 * (pci_ops over the functions' emulated config space), the topology of
 * functions and PCI-to-PCI bridges, hot plug, bus resets, the DMA path of
 * the functions, and the probe of the bridge.
 *
 * UML has no PCI domains, so the hierarchy lives on bus numbers of its own
 * (SIMPCI_ROOT_BUS up to SIMPCI_LAST_BUS) in domain 0. Config cycles are
 * routed like hardware routes them: to the root bus's functions, and through
 * a bridge to its secondary bus or further down when the bus number lies in
 * its secondary..subordinate range.
 *
 * The topology lists are RCU lists, changed under simpci_host.lock, read
 * under rcu_read_lock() by config and memory accesses (which may come from
 * interrupt context). A function is freed after an RCU grace period.
 */
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "simpci_internal.h"

struct simpci_host simpci_host = {
	.lock = __MUTEX_INITIALIZER(simpci_host.lock),
	.devices = LIST_HEAD_INIT(simpci_host.devices),
	.irq_lock = __SPIN_LOCK_UNLOCKED(simpci_host.irq_lock),
};

u8 simpci_root_busnr(void)
{
	return SIMPCI_ROOT_BUS;
}
EXPORT_SYMBOL_GPL(simpci_root_busnr);

/**
 * simpci_owns() - is a PCI device one of the simulated functions
 * @pdev: the device
 *
 * Return: true for devices below the simulated host bridge.
 */
bool simpci_owns(struct pci_dev *pdev)
{
	return simpci_host.bridge &&
	       pci_find_host_bridge(pdev->bus) == simpci_host.bridge;
}
EXPORT_SYMBOL_GPL(simpci_owns);

static struct list_head *siblings(struct simpci_dev *parent)
{
	return parent ? &parent->children : &simpci_host.devices;
}

/* Under rcu_read_lock() or simpci_host.lock. */
static struct simpci_dev *find_on(struct list_head *list, u8 busnr, u8 devfn,
				  u8 here)
{
	struct simpci_dev *sdev;

	list_for_each_entry_rcu(sdev, list, node,
				lockdep_is_held(&simpci_host.lock)) {
		u8 sec, sub;

		if (!sdev->plugged)
			continue;
		if (busnr == here) {
			if (sdev->devfn == devfn)
				return sdev;
			continue;
		}
		if (!sdev->desc->bridge)
			continue;
		sec = simpci_cfg_get(sdev, PCI_SECONDARY_BUS, 1);
		sub = simpci_cfg_get(sdev, PCI_SUBORDINATE_BUS, 1);
		if (sec > here && busnr >= sec && busnr <= sub)
			return find_on(&sdev->children, busnr, devfn, sec);
	}
	return NULL;
}

/**
 * simpci_dev_find() - the function that answers config cycles at a BDF
 * @busnr: bus number
 * @devfn: slot and function
 *
 * Return: the device, or NULL. Valid while the caller keeps it plugged.
 */
struct simpci_dev *simpci_dev_find(u8 busnr, u8 devfn)
{
	struct simpci_dev *sdev;

	rcu_read_lock();
	sdev = find_on(&simpci_host.devices, busnr, devfn, SIMPCI_ROOT_BUS);
	rcu_read_unlock();
	return sdev;
}
EXPORT_SYMBOL_GPL(simpci_dev_find);

/**
 * simpci_dev_pci() - the PCI core's device for a function
 * @sdev: the device
 *
 * Return: the pci_dev with a reference the caller puts, or NULL.
 */
struct pci_dev *simpci_dev_pci(struct simpci_dev *sdev)
{
	return pci_get_domain_bus_and_slot(0, simpci_dev_busnr(sdev),
					   sdev->devfn);
}
EXPORT_SYMBOL_GPL(simpci_dev_pci);

/* Another function answers in the same slot: the live multi-function bit. */
static bool multifunction(struct simpci_dev *sdev)
{
	struct simpci_dev *other;
	bool mf = false;

	rcu_read_lock();
	list_for_each_entry_rcu(other, siblings(sdev->parent), node)
		if (other != sdev && other->plugged &&
		    PCI_SLOT(other->devfn) == PCI_SLOT(sdev->devfn))
			mf = true;
	rcu_read_unlock();
	return mf;
}

/* Secondary bus reset: everything below a bridge. */
static void reset_secondary(struct simpci_dev *br)
{
	struct simpci_dev *sdev;

	rcu_read_lock();
	list_for_each_entry_rcu(sdev, &br->children, node) {
		if (sdev->desc->bridge)
			reset_secondary(sdev);
		simpci_dev_reset(sdev);
	}
	rcu_read_unlock();
}

/**
 * simpci_cfg_act() - carry out side effects of a config or table write
 * @sdev: the device, not locked
 * @act: SIMPCI_ACT_* from simpci_cfg_write() or simpci_msix_write()
 */
void simpci_cfg_act(struct simpci_dev *sdev, unsigned int act)
{
	if (act & SIMPCI_ACT_RESET)
		simpci_dev_reset(sdev);
	if (act & SIMPCI_ACT_BUS_RESET)
		reset_secondary(sdev);
	if (act & SIMPCI_ACT_INTX)
		simpci_intx_update(sdev);
	if (act & SIMPCI_ACT_MSI)
		simpci_msi_unmasked(sdev);
}

/*
 * The function a config cycle reaches, under rcu_read_lock(); NULL with
 * *@err set when the register cannot be addressed or nobody answers.
 */
static struct simpci_dev *cfg_target(struct pci_bus *bus, unsigned int devfn,
				     int where, int size, int *err)
{
	struct simpci_dev *sdev;

	/* Config space ends at 4 KiB; nothing can address past it. */
	if (where + size > SIMPCI_CFG_SIZE) {
		*err = PCIBIOS_BAD_REGISTER_NUMBER;
		return NULL;
	}
	sdev = find_on(&simpci_host.devices, bus->number, devfn,
		       SIMPCI_ROOT_BUS);
	*err = sdev ? PCIBIOS_SUCCESSFUL : PCIBIOS_DEVICE_NOT_FOUND;
	return sdev;
}

static int bus_cfg_read(struct pci_bus *bus, unsigned int devfn, int where,
			int size, u32 *val)
{
	struct simpci_dev *sdev;
	unsigned long flags;
	u32 dword;
	int ret;

	rcu_read_lock();
	sdev = cfg_target(bus, devfn, where, size, &ret);
	if (sdev) {
		spin_lock_irqsave(&sdev->lock, flags);
		simpci_ring_add(&sdev->cfg_accesses, (struct simpci_access){
				.size = size, .off = where });
		dword = simpci_cfg_read(sdev, where & ~3, 4);
		spin_unlock_irqrestore(&sdev->lock, flags);
		/* The multi-function bit: another function is in the slot. */
		if ((where & ~3) == PCI_CACHE_LINE_SIZE && multifunction(sdev))
			dword |= PCI_HEADER_TYPE_MFD << 16;
		*val = simpci_field(dword, where, size);
	} else {
		PCI_SET_ERROR_RESPONSE(val);
	}
	rcu_read_unlock();
	return ret;
}

static int bus_cfg_write(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 val)
{
	struct simpci_dev *sdev;
	unsigned long flags;
	unsigned int act;
	int ret;

	rcu_read_lock();
	sdev = cfg_target(bus, devfn, where, size, &ret);
	if (sdev) {
		spin_lock_irqsave(&sdev->lock, flags);
		simpci_ring_add(&sdev->cfg_accesses, (struct simpci_access){
				.write = true, .size = size, .off = where });
		act = simpci_cfg_write(sdev, where, size, val);
		spin_unlock_irqrestore(&sdev->lock, flags);
		simpci_cfg_act(sdev, act);
	}
	rcu_read_unlock();
	return ret;
}

static struct pci_ops simpci_pci_ops = {
	.read = bus_cfg_read,
	.write = bus_cfg_write,
};

static struct pci_bus *bus_of(struct simpci_dev *sdev)
{
	return pci_find_bus(0, simpci_dev_busnr(sdev));
}

/**
 * simpci_dev_plug() - make a function visible and let the PCI core find it
 * @sdev: a device from simpci_dev_create()
 *
 * Before the host bridge is probed this only adds the device to the boot
 * topology; afterwards it is a hot add: the bus is rescanned.
 *
 * Return: 0, -EBUSY when the slot and function are taken.
 */
int simpci_dev_plug(struct simpci_dev *sdev)
{
	struct simpci_host *host = &simpci_host;
	struct simpci_dev *other;
	struct pci_bus *bus;

	mutex_lock(&host->lock);
	list_for_each_entry(other, siblings(sdev->parent), node) {
		if (other->devfn == sdev->devfn) {
			mutex_unlock(&host->lock);
			return -EBUSY;
		}
	}
	sdev->plugged = true;
	list_add_tail_rcu(&sdev->node, siblings(sdev->parent));
	mutex_unlock(&host->lock);

	if (!host->bus)
		return 0;
	pci_lock_rescan_remove();
	bus = bus_of(sdev);
	if (bus)
		pci_rescan_bus(bus);
	pci_unlock_rescan_remove();
	return 0;
}
EXPORT_SYMBOL_GPL(simpci_dev_plug);

static void vanish(struct simpci_dev *sdev)
{
	struct simpci_dev *child;
	unsigned long flags;

	list_for_each_entry(child, &sdev->children, node)
		vanish(child);
	spin_lock_irqsave(&sdev->lock, flags);
	sdev->plugged = false;
	spin_unlock_irqrestore(&sdev->lock, flags);
	/* A pulled card stops driving its INTx pin. */
	simpci_intx_update(sdev);
}

static void free_tree(struct simpci_dev *sdev)
{
	struct simpci_dev *child, *tmp;

	list_for_each_entry_safe(child, tmp, &sdev->children, node) {
		list_del(&child->node);
		free_tree(child);
	}
	simpci_dev_destroy(sdev);
}

/**
 * simpci_dev_unplug() - surprise removal of a function (and all below it)
 * @sdev: a plugged device; freed on return
 *
 * The function stops answering first, as when it is pulled out; then the
 * PCI core removes its pci_dev, and drivers see all-ones reads meanwhile.
 */
void simpci_dev_unplug(struct simpci_dev *sdev)
{
	struct simpci_host *host = &simpci_host;
	struct pci_dev *pdev = simpci_dev_pci(sdev);

	mutex_lock(&host->lock);
	vanish(sdev);
	mutex_unlock(&host->lock);

	if (pdev) {
		pci_stop_and_remove_bus_device_locked(pdev);
		pci_dev_put(pdev);
	}

	mutex_lock(&host->lock);
	list_del_rcu(&sdev->node);
	mutex_unlock(&host->lock);
	synchronize_rcu();
	simpci_flush_irqs(sdev);
	free_tree(sdev);
}
EXPORT_SYMBOL_GPL(simpci_dev_unplug);

/**
 * simpci_set_dma_translate() - install the IOMMU's translation for models
 * @fn: translation, or NULL for identity (bus address == physical address)
 *
 * Return: the translation installed before, for the caller to put back.
 */
simpci_dma_fn simpci_set_dma_translate(simpci_dma_fn fn)
{
	return xchg(&simpci_host.dma_translate, fn);
}
EXPORT_SYMBOL_GPL(simpci_set_dma_translate);

/**
 * simpci_dma_map() - a device's view of memory for one DMA access
 * @sdev: the device
 * @iova: bus address
 * @len: length, not crossing a page boundary of @iova
 * @write: the device writes
 * @kva: set to the kernel address of the memory
 *
 * An access that the host refuses (no memory behind the address, or an
 * IOMMU fault) ends in a master abort: the function's Received Master
 * Abort status bit is set, as on a real bus.
 *
 * Return: 0; -EIO when Bus Master is off; -EINVAL for a length of 0 or
 * one that crosses a page; -EFAULT for an address with no memory behind
 * it; or the translation's error.
 */
int simpci_dma_map(struct simpci_dev *sdev, u64 iova, size_t len, bool write,
		   void **kva)
{
	simpci_dma_fn fn = READ_ONCE(simpci_host.dma_translate);
	unsigned long flags;
	bool master;
	int ret = 0;

	spin_lock_irqsave(&sdev->lock, flags);
	master = simpci_cfg_get(sdev, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (!master)
		return -EIO;
	if (!len || offset_in_page(iova) + len > PAGE_SIZE)
		return -EINVAL;
	if (fn)
		ret = fn(sdev, iova, len, write, kva);
	else if (pfn_valid(PHYS_PFN(iova)))
		*kva = phys_to_virt(iova);
	else
		ret = -EFAULT;
	if (ret) {
		spin_lock_irqsave(&sdev->lock, flags);
		simpci_cfg_set(sdev, PCI_STATUS, 2,
			       simpci_cfg_get(sdev, PCI_STATUS, 2) |
			       PCI_STATUS_REC_MASTER_ABORT);
		spin_unlock_irqrestore(&sdev->lock, flags);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(simpci_dma_map);

/* One pass over the pages of a copy: translate each, and copy if asked. */
static int dma_walk(struct simpci_dev *sdev, u64 src, u64 dst, u64 len,
		    bool copy, u64 *fault, bool *fault_dst)
{
	u64 done = 0;

	while (done < len) {
		u64 s = src + done, d = dst + done;
		size_t n = min3(len - done,
				(u64)(PAGE_SIZE - offset_in_page(s)),
				(u64)(PAGE_SIZE - offset_in_page(d)));
		void *sp, *dp;
		int ret;

		/*
		 * Translation and copy of a page without a preemption point
		 * between them: an unmap that frees the page waits.
		 */
		preempt_disable();
		ret = simpci_dma_map(sdev, s, n, false, &sp);
		if (ret) {
			*fault = s;
			*fault_dst = false;
		} else {
			ret = simpci_dma_map(sdev, d, n, true, &dp);
			if (ret) {
				*fault = d;
				*fault_dst = true;
			} else if (copy) {
				memmove(dp, sp, n);
			}
		}
		preempt_enable();
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/**
 * simpci_dma_copy() - a device's copy from one bus address to another
 * @sdev: the device
 * @src: source bus address
 * @dst: destination bus address
 * @len: bytes
 * @fault: set to the bus address that faulted
 * @fault_dst: set to whether the fault was on the destination side
 *
 * Every page of both ranges is translated before a byte is copied, so a
 * copy that faults leaves memory untouched (unless a mapping goes away
 * while the copy runs).
 *
 * Context: any context that may take the device lock.
 * Return: 0, or the error of simpci_dma_map() for the first page that
 * faulted.
 */
int simpci_dma_copy(struct simpci_dev *sdev, u64 src, u64 dst, u64 len,
		    u64 *fault, bool *fault_dst)
{
	return dma_walk(sdev, src, dst, len, false, fault, fault_dst) ?:
	       dma_walk(sdev, src, dst, len, true, fault, fault_dst);
}
EXPORT_SYMBOL_GPL(simpci_dma_copy);

static void add_windows(struct simpci_host *host,
			struct pci_host_bridge *bridge)
{
	host->io_window = (struct resource)
		DEFINE_RES_IO_NAMED(SIMPCI_IO_WINDOW_START,
				    SIMPCI_IO_WINDOW_SIZE, "simpci I/O");
	host->busn = (struct resource)
		DEFINE_RES_NAMED(SIMPCI_ROOT_BUS,
				 SIMPCI_LAST_BUS - SIMPCI_ROOT_BUS + 1,
				 "simpci bus", IORESOURCE_BUS);
	pci_add_resource(&bridge->windows, &host->reg_window);
	if (simpci_ram_window())
		pci_add_resource(&bridge->windows, &host->ram_window);
	pci_add_resource(&bridge->windows, &host->io_window);
	pci_add_resource(&bridge->windows, &host->busn);
}

/*
 * The memory windows stay registered with logic_iomem when a later step
 * fails (it has no way to remove a region); with no function left they
 * decode nothing.
 */
static int __init simpci_probe(void)
{
	struct simpci_host *host = &simpci_host;
	DECLARE_BITMAP(keep_none, 256) = {};
	struct pci_host_bridge *bridge;
	int ret;

	ret = simpci_mmio_init(host);
	if (ret)
		return ret;
	ret = simpci_intc_init(host, "simpci");
	if (ret)
		return ret;
	simpci_topology_init();

	bridge = pci_alloc_host_bridge(0);
	if (!bridge) {
		ret = -ENOMEM;
		goto err_topology;
	}
	add_windows(host, bridge);
	bridge->busnr = SIMPCI_ROOT_BUS;
	bridge->ops = &simpci_pci_ops;
	bridge->map_irq = simpci_intx_map;
	bridge->swizzle_irq = pci_common_swizzle;
	dev_set_msi_domain(&bridge->dev, host->msi_domain);

	host->bridge = bridge;
	ret = pci_host_probe(bridge);
	if (ret)
		goto err_bridge;
	host->bus = bridge->bus;
	return ret;

err_bridge:
	host->bridge = NULL;
	pci_free_host_bridge(bridge);
err_topology:
	simpci_topology_remove(keep_none);
	simpci_intc_exit(host);
	return ret;
}

static int __init simpci_init(void)
{
	int ret = simpci_probe();

	if (ret)
		pr_err("simpci: host bridge not probed: %d\n", ret);
	return ret;
}
device_initcall(simpci_init);

/*
 * The functions are back in D0 as soon as the PM control write completes;
 * without this, each PM reset and D3hot exit sleeps 10 ms (a tick or two
 * of UML's clock) for nothing.
 */
static void simpci_no_d3hot_delay(struct pci_dev *pdev)
{
	pdev->d3hot_delay = 0;
}
DECLARE_PCI_FIXUP_FINAL(SIMPCI_VENDOR, PCI_ANY_ID, simpci_no_d3hot_delay);
