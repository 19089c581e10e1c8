// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory space of the simulated host bridge.
 *
 * Two windows are registered with logic_iomem, so that ioremap() of an
 * address in them (pci_iomap() of a BAR) gives accessors that end here:
 *  - the register window, above RAM: accesses are decoded at access time,
 *    like a bus does, and reach the model's callbacks, the MSI-X table or
 *    the expansion ROM;
 *  - the RAM window: pages of RAM that firmware keeps from the kernel, as
 *    BAR memory is kept on a real machine: reserved with memblock at boot
 *    (simpci.ram_window=<size>), never handed to the page allocator, so
 *    they are PageReserved and their physical addresses are the window's
 *    bus addresses. A RAM-backed BAR assigned there is those pages, so its
 *    content can be mapped to userspace by pfn. A model whose registers
 *    live there takes the kernel's accesses in its callbacks, and an MSI-X
 *    table there is decoded as in a register BAR; a userspace mapping of
 *    the table's page reaches plain RAM.
 * A device decodes only while it is present, in D0 and Memory Space is on,
 * and behind a bridge only inside the bridge's forwarding windows; an
 * access nobody decodes ends in a master abort and reads all ones.
 */
#include <linux/init.h>
#include <linux/io.h>
#include <linux/logic_iomem.h>
#include <linux/memblock.h>
#include <linux/pfn.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "simpci_internal.h"

struct decode {
	struct simpci_dev *sdev;
	int bar;			/* PCI_ROM_RESOURCE for the ROM */
	u64 off;
};

static bool span_inside(u64 addr, u64 len, u64 base, u64 size)
{
	return size && addr >= base && len <= size && addr - base <= size - len;
}

/*
 * Does the bridge @br (locked) forward an access at @addr to its secondary
 * bus? An access (8 bytes at most, aligned) never crosses the 1 MiB
 * granularity of a window, so its first byte decides; a closed window
 * (base above limit) takes none.
 */
static bool bridge_forwards(struct simpci_dev *br, u64 addr)
{
	u32 mem, pref;
	u64 base, limit;

	lockdep_assert_held(&br->lock);
	mem = simpci_cfg_get(br, PCI_MEMORY_BASE, 4);
	pref = simpci_cfg_get(br, PCI_PREF_MEMORY_BASE, 4);
	if (!simpci_mem_enabled(br))
		return false;
	base = (u64)(mem & 0xfff0) << 16;
	limit = (u64)(mem & 0xfff00000) | 0xfffff;
	if (addr >= base && addr <= limit)
		return true;
	base = (u64)(pref & 0xfff0) << 16 |
	       (u64)simpci_cfg_get(br, PCI_PREF_BASE_UPPER32, 4) << 32;
	limit = ((u64)(pref & 0xfff00000) | 0xfffff) |
		(u64)simpci_cfg_get(br, PCI_PREF_LIMIT_UPPER32, 4) << 32;
	return addr >= base && addr <= limit;
}

static int rom_reg(struct simpci_dev *sdev)
{
	return sdev->desc->bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
}

/* Does @sdev (locked) itself claim the access; sets @d when it does. */
static bool dev_decodes(struct simpci_dev *sdev, u64 addr, u64 len,
			struct decode *d)
{
	const struct simpci_dev_desc *desc = sdev->desc;
	u32 rom;
	int i;

	lockdep_assert_held(&sdev->lock);
	if (!sdev->plugged || !simpci_in_d0(sdev) || !simpci_mem_enabled(sdev))
		return false;
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct simpci_bar_desc *b = &desc->bars[i];
		u64 base;

		if (b->type != SIMPCI_BAR_MEM32 && b->type != SIMPCI_BAR_MEM64)
			continue;
		base = simpci_bar_base(sdev, i);
		if (span_inside(addr, len, base, b->size)) {
			d->sdev = sdev;
			d->bar = i;
			d->off = addr - base;
			return true;
		}
	}
	rom = simpci_cfg_get(sdev, rom_reg(sdev), 4);
	if (desc->rom_size && rom & PCI_ROM_ADDRESS_ENABLE &&
	    span_inside(addr, len, rom & PCI_ROM_ADDRESS_MASK, desc->rom_size)) {
		d->sdev = sdev;
		d->bar = PCI_ROM_RESOURCE;
		d->off = addr - (rom & PCI_ROM_ADDRESS_MASK);
		return true;
	}
	return false;
}

static bool decode_list(struct list_head *list, u64 addr, u64 len,
			struct decode *d)
{
	struct simpci_dev *sdev;
	unsigned long flags;
	bool found, below;

	list_for_each_entry_rcu(sdev, list, node) {
		spin_lock_irqsave(&sdev->lock, flags);
		found = dev_decodes(sdev, addr, len, d);
		below = !found && sdev->desc->bridge && sdev->plugged &&
			bridge_forwards(sdev, addr);
		spin_unlock_irqrestore(&sdev->lock, flags);
		if (found)
			return true;
		if (below)
			return decode_list(&sdev->children, addr, len, d);
	}
	return false;
}

/* Is an access to @sdev (locked) one of its MSI-X table or PBA? */
static bool in_msix(struct simpci_dev *sdev, int bar, u64 off, int size,
		    bool *pba, u64 *where)
{
	u32 table, pbar;

	lockdep_assert_held(&sdev->lock);
	if (!sdev->msix_pos)
		return false;
	table = simpci_cfg_get(sdev, sdev->msix_pos + PCI_MSIX_TABLE, 4);
	pbar = simpci_cfg_get(sdev, sdev->msix_pos + PCI_MSIX_PBA, 4);
	if ((table & PCI_MSIX_TABLE_BIR) == bar &&
	    span_inside(off, size, table & PCI_MSIX_TABLE_OFFSET,
		     sdev->msix_vectors * PCI_MSIX_ENTRY_SIZE)) {
		*pba = false;
		*where = off - (table & PCI_MSIX_TABLE_OFFSET);
		return true;
	}
	if ((pbar & PCI_MSIX_PBA_BIR) == bar &&
	    span_inside(off, size, pbar & PCI_MSIX_PBA_OFFSET,
		     DIV_ROUND_UP(sdev->msix_vectors, 64) * 8)) {
		*pba = true;
		*where = off - (pbar & PCI_MSIX_PBA_OFFSET);
		return true;
	}
	return false;
}

static u64 rom_read(struct simpci_dev *sdev, u64 off, int size)
{
	const struct simpci_dev_desc *desc = sdev->desc;
	u64 val = 0;
	int i;

	/* Past its content the ROM reads as erased flash. */
	for (i = size - 1; i >= 0; i--)
		val = val << 8 | (off + i < desc->rom_len ?
				  ((const u8 *)desc->rom)[off + i] : 0xff);
	return val;
}

static void *ram_ptr(u64 addr)
{
	return phys_to_virt(addr);
}

static bool in_ram_window(u64 addr, u64 len)
{
	const struct resource *r = simpci_ram_window();

	return r && span_inside(addr, len, r->start, resource_size(r));
}

static u64 access(unsigned long addr, int size, bool write, u64 val)
{
	const struct simpci_model_ops *ops;
	struct decode d;
	unsigned long flags;
	unsigned int act = 0;
	bool pba;
	u64 where, ret = simpci_ones(size);

	rcu_read_lock();
	if (!decode_list(&simpci_host.devices, addr, size, &d))
		goto out;
	ops = d.sdev->desc->ops;

	spin_lock_irqsave(&d.sdev->lock, flags);
	simpci_ring_add(&d.sdev->bar_accesses,
			(struct simpci_access){ .bar = d.bar, .write = write,
						.size = size, .off = d.off });
	if (d.bar == PCI_ROM_RESOURCE) {
		if (!write)
			ret = rom_read(d.sdev, d.off, size);
	} else if (in_msix(d.sdev, d.bar, d.off, size, &pba, &where)) {
		if (size < 4 || where & 3)
			;	/* the table takes dword and qword accesses */
		else if (!write)
			ret = simpci_msix_read(d.sdev, where, size, pba);
		else if (!pba)
			act = simpci_msix_write(d.sdev, where, size, val);
	} else if (d.sdev->desc->bars[d.bar].ram &&
		   !d.sdev->desc->bars[d.bar].ram_regs) {
		if (!in_ram_window(addr, size))
			;	/* assigned outside RAM: nothing behind it */
		else if (write)
			memcpy(ram_ptr(addr), &val, size);
		else
			memcpy(&ret, ram_ptr(addr), size);
	} else if (write) {
		if (ops && ops->bar_write)
			ops->bar_write(d.sdev, d.bar, d.off, size, val);
	} else if (ops && ops->bar_read) {
		ret = ops->bar_read(d.sdev, d.bar, d.off, size) & simpci_ones(size);
	}
	spin_unlock_irqrestore(&d.sdev->lock, flags);

	simpci_cfg_act(d.sdev, act);
	if (ops && ops->after_access)
		ops->after_access(d.sdev);
out:
	rcu_read_unlock();
	return ret;
}

static unsigned int ring_take(struct simpci_dev *sdev,
			      struct simpci_access_ring *ring,
			      struct simpci_access *log)
{
	unsigned int n, first, i;
	unsigned long flags;

	spin_lock_irqsave(&sdev->lock, flags);
	n = min_t(unsigned int, ring->count, SIMPCI_ACCESS_LOG);
	first = ring->count - n;
	for (i = 0; i < n; i++)
		log[i] = ring->log[(first + i) % SIMPCI_ACCESS_LOG];
	ring->count = 0;
	spin_unlock_irqrestore(&sdev->lock, flags);
	return n;
}

/**
 * simpci_accesses() - the device's last BAR and ROM accesses, for tests
 * @sdev: the device
 * @log: room for SIMPCI_ACCESS_LOG entries, filled oldest first
 *
 * Forgets them: the next call returns only what came after this one.
 *
 * Return: how many entries were filled.
 */
unsigned int simpci_accesses(struct simpci_dev *sdev,
			     struct simpci_access *log)
{
	return ring_take(sdev, &sdev->bar_accesses, log);
}
EXPORT_SYMBOL_GPL(simpci_accesses);

/**
 * simpci_cfg_accesses() - the device's last config space accesses
 * @sdev: the device
 * @log: room for SIMPCI_ACCESS_LOG entries, filled oldest first; @bar is
 *	0, @off the register
 *
 * For tests of the width of the accesses a driver makes. Forgets them:
 * the next call returns only what came after this one.
 *
 * Return: how many entries were filled.
 */
unsigned int simpci_cfg_accesses(struct simpci_dev *sdev,
				 struct simpci_access *log)
{
	return ring_take(sdev, &sdev->cfg_accesses, log);
}
EXPORT_SYMBOL_GPL(simpci_cfg_accesses);

/*
 * One ioremap() of a window. An access outside what was mapped is a
 * driver bug that hardware would let reach whatever lies there: here it
 * is reported (make test fails on the warning) and reads all ones.
 */
struct window_map {
	const struct resource *win;
	unsigned long start;
	size_t size;
};

static bool window_mapped(struct window_map *m, unsigned int offset, int size)
{
	return !WARN_ONCE(offset < m->start ||
			  offset - m->start + size > m->size,
			  "simpci: %d bytes at %#x, outside the mapping of %#zx bytes at %#lx\n",
			  size, offset, m->size, m->start);
}

static unsigned long window_read(void *priv, unsigned int offset, int size)
{
	struct window_map *m = priv;

	if (!window_mapped(m, offset, size))
		return simpci_ones(size);
	return access(m->win->start + offset, size, false, 0);
}

static void window_write(void *priv, unsigned int offset, int size,
			 unsigned long val)
{
	struct window_map *m = priv;

	if (window_mapped(m, offset, size))
		access(m->win->start + offset, size, true, val);
}

static void window_unmap(void *priv)
{
	kfree(priv);
}

static const struct logic_iomem_ops window_ops = {
	.read = window_read,
	.write = window_write,
	.unmap = window_unmap,
};

static long map_window(const struct resource *win, unsigned long offset,
		       size_t size, const struct logic_iomem_ops **ops,
		       void **priv)
{
	/*
	 * A failed ioremap() warns in logic_iomem; fault injection sweeps
	 * the drivers' allocations, not the bridge's bookkeeping.
	 */
	struct window_map *m = kmalloc(sizeof(*m), GFP_KERNEL | __GFP_NOFAIL);

	*m = (struct window_map){ .win = win, .start = offset, .size = size };
	*ops = &window_ops;
	*priv = m;
	return offset;
}

static long map_reg(unsigned long offset, size_t size,
		    const struct logic_iomem_ops **ops, void **priv)
{
	return map_window(&simpci_host.reg_window, offset, size, ops, priv);
}

static long map_ram(unsigned long offset, size_t size,
		    const struct logic_iomem_ops **ops, void **priv)
{
	return map_window(&simpci_host.ram_window, offset, size, ops, priv);
}

static const struct logic_iomem_region_ops reg_region_ops = {
	.map = map_reg,
};

static const struct logic_iomem_region_ops ram_region_ops = {
	.map = map_ram,
};

/**
 * simpci_bar_ram() - the pages behind a RAM-backed BAR
 * @sdev: the device
 * @bar: BAR index
 *
 * Return: the kernel address of the BAR's content, or NULL when @bar is
 * not RAM-backed or is not assigned inside the RAM window.
 */
void *simpci_bar_ram(struct simpci_dev *sdev, int bar)
{
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&sdev->lock, flags);
	p = simpci_bar_ram_locked(sdev, bar);
	spin_unlock_irqrestore(&sdev->lock, flags);
	return p;
}
EXPORT_SYMBOL_GPL(simpci_bar_ram);

/* simpci_bar_ram() for a caller that holds the device lock. */
void *simpci_bar_ram_locked(struct simpci_dev *sdev, int bar)
{
	u64 base;

	lockdep_assert_held(&sdev->lock);
	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !sdev->desc->bars[bar].ram)
		return NULL;
	base = simpci_bar_base(sdev, bar);
	return in_ram_window(base, sdev->desc->bars[bar].size) ?
	       ram_ptr(base) : NULL;
}

/**
 * simpci_ram_window() - the host bridge's RAM window
 *
 * Return: the window (its pages are reserved RAM), or NULL when the
 * kernel was booted without one.
 */
const struct resource *simpci_ram_window(void)
{
	struct resource *r = &simpci_host.ram_window;

	/* Set only when simpci.ram_window= reserved one at boot. */
	return r->flags ? r : NULL;
}
EXPORT_SYMBOL_GPL(simpci_ram_window);

/*
 * simpci.ram_window=<size>: firmware's part, before the page allocator.
 * The size is rounded up to a power of two from 2M to 1G. The window lies
 * in RAM, aligned to its size, below the register window and apart from
 * the iomem that UML's virtio PCI claims at 0x10000000-0x1fffffff
 * (arch/um/drivers/virt-pci.c): above 512M when RAM reaches there, else
 * below 256M.
 */
static int __init ram_window_setup(char *arg)
{
	u64 size = roundup_pow_of_two(clamp(memparse(arg ?: "", NULL),
					    (u64)SZ_2M, (u64)SZ_1G));
	phys_addr_t base;

	base = memblock_phys_alloc_range(size, size, SZ_512M,
					 SIMPCI_REG_WINDOW_START) ?:
	       memblock_phys_alloc_range(size, size, 0, SZ_256M);
	if (!base) {
		pr_err("simpci: no RAM for a %llu MiB window\n", size >> 20);
		return -ENOMEM;
	}
	memset(phys_to_virt(base), 0, size);
	simpci_host.ram_window = (struct resource)
		DEFINE_RES_NAMED(base, size, "simpci RAM",
				 IORESOURCE_MEM | IORESOURCE_PREFETCH);
	return 0;
}
early_param("simpci.ram_window", ram_window_setup);

/**
 * simpci_mmio_init() - register the windows with logic_iomem
 * @host: the host bridge
 *
 * Return: 0 or a negative errno.
 */
int simpci_mmio_init(struct simpci_host *host)
{
	int ret;

	/* Register BARs must not alias RAM: mmap() by pfn would reach it. */
	if (PFN_PHYS(max_pfn) > SIMPCI_REG_WINDOW_START) {
		pr_err("simpci: RAM reaches the register window at %#llx; boot with less mem=\n",
		       SIMPCI_REG_WINDOW_START);
		return -EINVAL;
	}

	host->reg_window = (struct resource)
		DEFINE_RES_MEM_NAMED(SIMPCI_REG_WINDOW_START,
				     SIMPCI_REG_WINDOW_SIZE, "simpci registers");
	ret = logic_iomem_add_region(&host->reg_window, &reg_region_ops);
	if (ret)
		return ret;
	if (!simpci_ram_window()) {
		pr_warn("simpci: no RAM window (boot with simpci.ram_window=64M): RAM-backed BARs have no memory behind them\n");
		return 0;
	}
	return logic_iomem_add_region(&host->ram_window, &ram_region_ops);
}
