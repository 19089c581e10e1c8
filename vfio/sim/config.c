// SPDX-License-Identifier: GPL-2.0-only
/*
 * Config space of a simulated PCI function: the type 0 and type 1 headers,
 * BAR sizing, the expansion ROM BAR, and the per-bit rules of hardware
 * (read-only, read-write, write-1-to-clear). Capabilities are in caps.c.
 *
 * Every register is a byte array plus two masks: wmask (bits software may
 * write) and w1c (bits a written 1 clears). A write keeps the read-only bits,
 * takes the writable ones, clears the written-1 W1C ones, and then reports
 * side effects (INTx masking, MSI unmask, resets) that the caller acts on
 * once the device lock is dropped.
 *
 * This file knows one function's registers and nothing around it: live
 * bits that depend on the bus (the multi-function bit) are added by the
 * bus (bus.c).
 */
#include <linux/log2.h>
#include <linux/pci.h>

#include "simpci_internal.h"

static void set_bytes(u8 *regs, int where, int size, u32 val)
{
	__le32 v = cpu_to_le32(val);

	memcpy(&regs[where], &v, size);
}

/**
 * simpci_wmask() - make bits of a register writable
 * @sdev: the device, being built
 * @where: register offset
 * @size: 1, 2 or 4
 * @bits: the bits software may write; the others of the register are
 *	read-only
 */
void simpci_wmask(struct simpci_dev *sdev, int where, int size, u32 bits)
{
	set_bytes(sdev->wmask, where, size, bits);
}

/**
 * simpci_w1c() - make bits of a register write-1-to-clear
 * @sdev: the device, being built
 * @where: register offset
 * @size: 1, 2 or 4
 * @bits: the bits a written 1 clears
 */
void simpci_w1c(struct simpci_dev *sdev, int where, int size, u32 bits)
{
	set_bytes(sdev->w1c, where, size, bits);
}

/* The address bits a BAR of this size implements. */
static u64 bar_addr_mask(const struct simpci_bar_desc *b)
{
	return ~(b->size - 1);
}

static u32 bar_flags(const struct simpci_bar_desc *b)
{
	switch (b->type) {
	case SIMPCI_BAR_IO:
		return PCI_BASE_ADDRESS_SPACE_IO;
	case SIMPCI_BAR_MEM64:
		return PCI_BASE_ADDRESS_MEM_TYPE_64 |
		       (b->prefetch ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
	case SIMPCI_BAR_MEM32:
		return b->prefetch ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0;
	default:
		return 0;
	}
}

static int num_bars(const struct simpci_dev_desc *desc)
{
	return desc->bridge ? 2 : PCI_STD_NUM_BARS;
}

static int validate_bars(const struct simpci_dev_desc *desc)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct simpci_bar_desc *b = &desc->bars[i];
		u64 min = b->type == SIMPCI_BAR_IO ? 4 : 16;

		if (b->type == SIMPCI_BAR_NONE) {
			if (b->size || b->ram || b->ram_regs || b->prefetch)
				return -EINVAL;
			continue;
		}
		if (i >= num_bars(desc) || b->type > SIMPCI_BAR_IO)
			return -EINVAL;
		if (!is_power_of_2(b->size) || b->size < min)
			return -EINVAL;
		if (b->type == SIMPCI_BAR_IO &&
		    (b->size > 256 || b->prefetch || b->ram))
			return -EINVAL;
		if (b->type == SIMPCI_BAR_MEM32 && b->size > SZ_1G)
			return -EINVAL;
		/* RAM BARs are mapped by the page: whole pages only. */
		if (b->ram && b->size < PAGE_SIZE)
			return -EINVAL;
		/* Registers in RAM are the model's: it must take accesses. */
		if (b->ram_regs && (!b->ram || !desc->ops ||
				    !desc->ops->bar_read || !desc->ops->bar_write))
			return -EINVAL;
		if (b->type == SIMPCI_BAR_MEM64) {
			/* The upper half takes the next slot: it must be free. */
			if (i + 1 >= num_bars(desc) ||
			    desc->bars[i + 1].type != SIMPCI_BAR_NONE)
				return -EINVAL;
			i++;
		}
	}
	if (desc->rom_size &&
	    (!is_power_of_2(desc->rom_size) || desc->rom_size < SZ_2K ||
	     desc->rom_size > SZ_16M || desc->rom_len > desc->rom_size))
		return -EINVAL;
	if (!desc->rom_size && desc->rom_len)
		return -EINVAL;
	if (desc->intx_pin > 4)
		return -EINVAL;
	return 0;
}

/**
 * simpci_desc_validate() - refuse a model that hardware could not be
 * @desc: the model
 *
 * Return: 0, or -EINVAL for a BAR of a size that is not a power of two or
 * too small, a 64-bit BAR whose upper half overlaps the next BAR, a bad
 * ROM, or a capability list that does not fit (see caps.c).
 */
int simpci_desc_validate(const struct simpci_dev_desc *desc)
{
	int ret;

	if (!desc || !desc->vendor || desc->vendor == 0xffff)
		return -EINVAL;
	ret = validate_bars(desc);
	if (ret)
		return ret;
	return simpci_caps_validate(desc);
}

static void build_bars(struct simpci_dev *sdev, int base)
{
	const struct simpci_dev_desc *desc = sdev->desc;
	int i;

	for (i = 0; i < num_bars(desc); i++) {
		const struct simpci_bar_desc *b = &desc->bars[i];
		int reg = base + 4 * i;
		u64 mask;

		if (b->type == SIMPCI_BAR_NONE)
			continue;
		mask = bar_addr_mask(b);
		simpci_cfg_set(sdev, reg, 4, bar_flags(b));
		if (b->type == SIMPCI_BAR_IO) {
			simpci_wmask(sdev, reg, 4, (u32)mask & 0xfffffffc);
			continue;
		}
		simpci_wmask(sdev, reg, 4, (u32)mask & 0xfffffff0);
		if (b->type == SIMPCI_BAR_MEM64) {
			simpci_wmask(sdev, reg + 4, 4, mask >> 32);
			i++;
		}
	}
}

static void build_header0(struct simpci_dev *sdev)
{
	const struct simpci_dev_desc *desc = sdev->desc;

	simpci_cfg_set(sdev, PCI_SUBSYSTEM_VENDOR_ID, 2, desc->subvendor);
	simpci_cfg_set(sdev, PCI_SUBSYSTEM_ID, 2, desc->subdevice);
	build_bars(sdev, PCI_BASE_ADDRESS_0);
	if (desc->rom_size)
		simpci_wmask(sdev, PCI_ROM_ADDRESS, 4,
			 (~(desc->rom_size - 1) & PCI_ROM_ADDRESS_MASK) |
			 PCI_ROM_ADDRESS_ENABLE);
}

static void build_header1(struct simpci_dev *sdev)
{
	const struct simpci_dev_desc *desc = sdev->desc;

	build_bars(sdev, PCI_BASE_ADDRESS_0);
	simpci_wmask(sdev, PCI_PRIMARY_BUS, 4, 0xffffffff);
	/* I/O window: 16-bit decode, 4 KiB granularity */
	simpci_wmask(sdev, PCI_IO_BASE, 2, 0xf0f0);
	simpci_cfg_set(sdev, PCI_SEC_STATUS, 2, PCI_STATUS_66MHZ);
	simpci_w1c(sdev, PCI_SEC_STATUS, 2, 0xf900);
	simpci_wmask(sdev, PCI_MEMORY_BASE, 4, 0xfff0fff0);
	/* Prefetchable window: 64-bit decode */
	simpci_cfg_set(sdev, PCI_PREF_MEMORY_BASE, 4, 0x00010001);
	simpci_wmask(sdev, PCI_PREF_MEMORY_BASE, 4, 0xfff0fff0);
	simpci_wmask(sdev, PCI_PREF_BASE_UPPER32, 4, 0xffffffff);
	simpci_wmask(sdev, PCI_PREF_LIMIT_UPPER32, 4, 0xffffffff);
	if (desc->rom_size)
		simpci_wmask(sdev, PCI_ROM_ADDRESS1, 4,
			 (~(desc->rom_size - 1) & PCI_ROM_ADDRESS_MASK) |
			 PCI_ROM_ADDRESS_ENABLE);
	simpci_wmask(sdev, PCI_BRIDGE_CONTROL, 2,
		 PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
		 PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_VGA |
		 PCI_BRIDGE_CTL_MASTER_ABORT | PCI_BRIDGE_CTL_BUS_RESET);
}

/**
 * simpci_cfg_build() - power-on config space of a device
 * @sdev: the device, its descriptor validated, locked
 */
void simpci_cfg_build(struct simpci_dev *sdev)
{
	const struct simpci_dev_desc *desc = sdev->desc;

	lockdep_assert_held(&sdev->lock);
	memset(sdev->cfg, 0, sizeof(sdev->cfg));
	memset(sdev->wmask, 0, sizeof(sdev->wmask));
	memset(sdev->w1c, 0, sizeof(sdev->w1c));
	sdev->cfg_size = PCI_CFG_SPACE_SIZE;

	simpci_cfg_set(sdev, PCI_VENDOR_ID, 2, desc->vendor);
	simpci_cfg_set(sdev, PCI_DEVICE_ID, 2, desc->device);
	simpci_cfg_set(sdev, PCI_CLASS_REVISION, 4,
		       desc->class << 8 | desc->revision);
	simpci_cfg_set(sdev, PCI_HEADER_TYPE, 1,
		       desc->bridge ? PCI_HEADER_TYPE_BRIDGE :
				      PCI_HEADER_TYPE_NORMAL);
	simpci_cfg_set(sdev, PCI_INTERRUPT_PIN, 1, desc->intx_pin);

	simpci_wmask(sdev, PCI_COMMAND, 2,
		 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		 PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		 (desc->intx_nomask ? 0 : PCI_COMMAND_INTX_DISABLE));
	simpci_w1c(sdev, PCI_STATUS, 2,
		 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
		 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
		 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	simpci_wmask(sdev, PCI_CACHE_LINE_SIZE, 1, 0xff);
	simpci_wmask(sdev, PCI_LATENCY_TIMER, 1, 0xff);
	simpci_wmask(sdev, PCI_INTERRUPT_LINE, 1, 0xff);

	if (desc->bridge)
		build_header1(sdev);
	else
		build_header0(sdev);

	simpci_caps_build(sdev);
	/*
	 * Ready for requests as soon as a reset or D3hot exit completes:
	 * the PCI core then skips its 100 ms wait after an FLR.
	 */
	simpci_cfg_set(sdev, PCI_STATUS, 2,
		       simpci_cfg_get(sdev, PCI_STATUS, 2) |
		       PCI_STATUS_IMM_READY);
}

/**
 * simpci_bar_base() - address a BAR decodes now
 * @sdev: the device, locked
 * @bar: BAR index 0-5
 *
 * Return: the base address programmed into the BAR.
 */
u64 simpci_bar_base(struct simpci_dev *sdev, int bar)
{
	const struct simpci_bar_desc *b = &sdev->desc->bars[bar];
	int reg = PCI_BASE_ADDRESS_0 + 4 * bar;
	u64 addr;

	lockdep_assert_held(&sdev->lock);
	addr = simpci_cfg_get(sdev, reg, 4);
	if (b->type == SIMPCI_BAR_IO)
		return addr & PCI_BASE_ADDRESS_IO_MASK;
	addr &= PCI_BASE_ADDRESS_MEM_MASK;
	if (b->type == SIMPCI_BAR_MEM64)
		addr |= (u64)simpci_cfg_get(sdev, reg + 4, 4) << 32;
	return addr;
}

/**
 * simpci_mem_enabled() - does the function decode memory accesses
 * @sdev: the device, locked
 *
 * Return: Memory Space Enable of the command register.
 */
bool simpci_mem_enabled(struct simpci_dev *sdev)
{
	lockdep_assert_held(&sdev->lock);
	return simpci_cfg_get(sdev, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY;
}

/**
 * simpci_in_d0() - is the function in D0 (always, without PM capability)
 * @sdev: the device, locked
 *
 * Return: true in D0; in D1-D3hot a function decodes config cycles only.
 */
bool simpci_in_d0(struct simpci_dev *sdev)
{
	lockdep_assert_held(&sdev->lock);
	return !sdev->pm_pos ||
	       !(simpci_cfg_get(sdev, sdev->pm_pos + PCI_PM_CTRL, 2) &
		 PCI_PM_CTRL_STATE_MASK);
}

/**
 * simpci_cfg_read() - a config read as the device answers it
 * @sdev: the device, locked
 * @where: offset, aligned to @size
 * @size: 1, 2 or 4
 *
 * Return: the value; all ones past the device's config space.
 */
u32 simpci_cfg_read(struct simpci_dev *sdev, int where, int size)
{
	int dword = where & ~3;
	u32 val;

	lockdep_assert_held(&sdev->lock);
	if (where + size > sdev->cfg_size)
		return simpci_ones(size);
	val = simpci_cfg_get(sdev, dword, 4);
	/* Interrupt Status is live: the model's pin, whatever masks it. */
	if (dword == PCI_COMMAND && sdev->intx_level)
		val |= PCI_STATUS_INTERRUPT << 16;
	return simpci_field(val, where, size);
}

/**
 * simpci_cfg_write() - a config write as the device takes it
 * @sdev: the device, locked
 * @where: offset, aligned to @size, below SIMPCI_CFG_SIZE
 * @size: 1, 2 or 4
 * @val: the value
 *
 * Return: SIMPCI_ACT_* side effects for simpci_cfg_act() to carry out
 * once the lock is dropped.
 */
unsigned int simpci_cfg_write(struct simpci_dev *sdev, int where, int size,
			      u32 val)
{
	u16 old_cmd, old_bctl, old_pmcsr;
	unsigned int act = 0;
	int i;

	lockdep_assert_held(&sdev->lock);
	old_cmd = simpci_cfg_get(sdev, PCI_COMMAND, 2);
	old_bctl = simpci_cfg_get(sdev, PCI_BRIDGE_CONTROL, 2);
	old_pmcsr = sdev->pm_pos ?
		simpci_cfg_get(sdev, sdev->pm_pos + PCI_PM_CTRL, 2) : 0;
	/* Past cfg_size no bit is writable: such a write changes nothing. */

	for (i = 0; i < size; i++) {
		u8 b = val >> (8 * i);
		int off = where + i;
		u8 keep = sdev->cfg[off] & ~sdev->wmask[off];

		sdev->cfg[off] = (keep | (b & sdev->wmask[off])) &
				 ~(b & sdev->w1c[off]);
	}

	/* Only a write can change a register: compare before and after. */
	if ((old_cmd ^ simpci_cfg_get(sdev, PCI_COMMAND, 2)) &
	    PCI_COMMAND_INTX_DISABLE)
		act |= SIMPCI_ACT_INTX;
	/* (Min_Gnt, read-only, on a function that is no bridge.) */
	if (!(old_bctl & PCI_BRIDGE_CTL_BUS_RESET) &&
	    (simpci_cfg_get(sdev, PCI_BRIDGE_CONTROL, 2) &
	     PCI_BRIDGE_CTL_BUS_RESET))
		act |= SIMPCI_ACT_BUS_RESET;

	simpci_vpd_write(sdev, where, size);
	return act | simpci_caps_write(sdev, old_pmcsr);
}
