// SPDX-License-Identifier: GPL-2.0-only
/*
 * Built-in device models of the simulated PCI hardware:
 *  - "regfile": a register file with a RAM-backed BAR, a ROM, MSI and INTx,
 *    whose registers let a test (or userspace) raise its interrupts;
 *  - "dma": a memcpy engine that copies through the device's DMA
 *    translation and signals completion by MSI-X, MSI or INTx;
 *  - "mfd": one function of a multi-function device;
 *  - "bridge": a conventional PCI-to-PCI bridge;
 *  - "ram": memory behind one RAM-backed BAR and nothing else, a function
 *    all of whose BARs userspace can map (no register BAR, no MSI-X table).
 * Register layouts are in simpci_models.h. The Intel I/OAT channel
 * ("ioat") is in ioat.c.
 */
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "simpci.h"
#include "simpci_models.h"

/* regfile */

struct regfile {
	u32 regs[SIMPCI_REGFILE_SIZE / 4];
	bool set_pin;			/* the INTx register was written */
	bool raise_msi;			/* send msi_vector after the access */
	u32 msi_vector;
};

static int regfile_init(struct simpci_dev *sdev)
{
	struct regfile *rf = simpci_dev_priv(sdev);

	rf->regs[SIMPCI_REG_ID / 4] = SIMPCI_REGFILE_ID;
	return 0;
}

static void regfile_reset(struct simpci_dev *sdev)
{
	struct regfile *rf = simpci_dev_priv(sdev);

	memset(rf, 0, sizeof(*rf));
	regfile_init(sdev);
}

static u64 regfile_read(struct simpci_dev *sdev, int bar, u64 off, int size)
{
	struct regfile *rf = simpci_dev_priv(sdev);
	u64 val = 0;

	memcpy(&val, (u8 *)rf->regs + off, size);
	return val;
}

static void regfile_write(struct simpci_dev *sdev, int bar, u64 off, int size,
			  u64 val)
{
	struct regfile *rf = simpci_dev_priv(sdev);

	switch (off) {
	case SIMPCI_REG_ID:
		return;
	case SIMPCI_REG_INTX:
		if (size == 4) {
			rf->regs[off / 4] = val & 1;
			rf->set_pin = true;
		}
		return;
	case SIMPCI_REG_MSI:
		/* Vectors the function does not have raise nothing. */
		if (size == 4) {
			rf->raise_msi = true;
			rf->msi_vector = val;
		}
		return;
	}
	memcpy((u8 *)rf->regs + off, &val, size);
}

static void regfile_after(struct simpci_dev *sdev)
{
	struct regfile *rf = simpci_dev_priv(sdev);
	unsigned long flags;
	bool set_pin, raise;
	u32 level, vector;

	/* Most accesses touch neither: no lock taken again for them. */
	if (!READ_ONCE(rf->set_pin) && !READ_ONCE(rf->raise_msi))
		return;
	simpci_dev_lock(sdev, &flags);
	set_pin = rf->set_pin;
	level = rf->regs[SIMPCI_REG_INTX / 4];
	raise = rf->raise_msi;
	vector = rf->msi_vector;
	rf->set_pin = false;
	rf->raise_msi = false;
	simpci_dev_unlock(sdev, flags);

	if (set_pin)
		simpci_set_intx(sdev, level);
	if (raise)
		simpci_signal_msi(sdev, vector);
}

static const struct simpci_model_ops regfile_ops = {
	.init = regfile_init,
	.bar_read = regfile_read,
	.bar_write = regfile_write,
	.reset = regfile_reset,
	.after_access = regfile_after,
};

/*
 * One expansion ROM image as the PCI firmware spec lays it out: the 0x55aa
 * signature, the length in 512-byte units, the init entry point at 3 (a far
 * return: there is nothing to initialise), the offset of the PCI data
 * structure ("PCIR") at 0x18, and in that structure the IDs, the image
 * length and the last-image indicator. Firmware runs an image only when
 * its bytes sum to 0 (mod 256): the last byte makes them so.
 */
#define ROM_PCIR	0x1c
#define ROM_CHECKSUM	0xc9
static const u8 regfile_rom[SIMPCI_ROM_IMAGE_LEN] = {
	[0x00] = 0x55, [0x01] = 0xaa,
	[0x02] = SIMPCI_ROM_IMAGE_LEN / 512,
	[0x03] = 0xcb,					/* retf */
	[0x18] = ROM_PCIR,
	[ROM_PCIR + 0x00] = 'P', [ROM_PCIR + 0x01] = 'C',
	[ROM_PCIR + 0x02] = 'I', [ROM_PCIR + 0x03] = 'R',
	[ROM_PCIR + 0x04] = SIMPCI_VENDOR & 0xff,
	[ROM_PCIR + 0x05] = SIMPCI_VENDOR >> 8,
	[ROM_PCIR + 0x06] = SIMPCI_DEVICE_REGFILE & 0xff,
	[ROM_PCIR + 0x07] = SIMPCI_DEVICE_REGFILE >> 8,
	[ROM_PCIR + 0x0a] = 0x18,			/* structure length */
	[ROM_PCIR + 0x0f] = PCI_CLASS_OTHERS,
	[ROM_PCIR + 0x10] = SIMPCI_ROM_IMAGE_LEN / 512,
	[ROM_PCIR + 0x15] = 0x80,			/* last image */
	[0x40] = 's', 'i', 'm', 'p', 'c', 'i', ' ', 'r', 'o', 'm',
	[SIMPCI_ROM_IMAGE_LEN - 1] = ROM_CHECKSUM,
};

static const struct simpci_cap_desc regfile_caps[] = {
	{ .id = PCI_CAP_ID_PM },
	{ .id = PCI_CAP_ID_MSI,
	  .msi = { .vectors = 4, .addr64 = true, .maskable = true } },
	{ .id = PCI_CAP_ID_VNDR, .len = 8 },
	{}
};

const struct simpci_dev_desc simpci_regfile_desc = {
	.name = "regfile",
	.vendor = SIMPCI_VENDOR,
	.device = SIMPCI_DEVICE_REGFILE,
	.subvendor = SIMPCI_VENDOR,
	.subdevice = 1,
	.class = PCI_CLASS_OTHERS << 16,
	.revision = 1,
	.intx_pin = 1,
	.bars = {
		[0] = { .type = SIMPCI_BAR_MEM32, .size = SIMPCI_REGFILE_SIZE },
		[2] = { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
			.size = SZ_64K },
	},
	.rom_size = SZ_2K,
	.rom = regfile_rom,
	.rom_len = sizeof(regfile_rom),
	.caps = regfile_caps,
	.ops = &regfile_ops,
	.priv_size = sizeof(struct regfile),
};
EXPORT_SYMBOL_GPL(simpci_regfile_desc);

/* One function of a multi-function device: the register file without MSI. */
static const struct simpci_cap_desc mfd_caps[] = {
	{ .id = PCI_CAP_ID_PM },
	{}
};

const struct simpci_dev_desc simpci_mfd_desc = {
	.name = "mfd",
	.vendor = SIMPCI_VENDOR,
	.device = SIMPCI_DEVICE_MFD,
	.subvendor = SIMPCI_VENDOR,
	.subdevice = 3,
	.class = PCI_CLASS_MEMORY_OTHER << 8,
	.intx_pin = 1,
	.bars = {
		[0] = { .type = SIMPCI_BAR_MEM32, .size = SIMPCI_REGFILE_SIZE },
	},
	.caps = mfd_caps,
	.ops = &regfile_ops,
	.priv_size = sizeof(struct regfile),
};
EXPORT_SYMBOL_GPL(simpci_mfd_desc);

/* dma: the memcpy engine */

struct dma_engine {
	u32 aer;			/* an error to raise after the access */
	u64 src;
	u64 dst;
	u32 len;
	u32 status;
	u32 vector;
	u64 fault;
	bool go;
};

static u64 dma_read(struct simpci_dev *sdev, int bar, u64 off, int size)
{
	struct dma_engine *e = simpci_dev_priv(sdev);

	switch (off) {
	case SIMPCI_DMA_ID:
		return SIMPCI_DMA_ID_VALUE;
	case SIMPCI_DMA_SRC:
		return size == 8 ? e->src : lower_32_bits(e->src);
	case SIMPCI_DMA_SRC + 4:
		return upper_32_bits(e->src);
	case SIMPCI_DMA_DST:
		return size == 8 ? e->dst : lower_32_bits(e->dst);
	case SIMPCI_DMA_DST + 4:
		return upper_32_bits(e->dst);
	case SIMPCI_DMA_LEN:
		return e->len;
	case SIMPCI_DMA_STATUS:
		return e->status;
	case SIMPCI_DMA_VECTOR:
		return e->vector;
	case SIMPCI_DMA_FAULT:
		return size == 8 ? e->fault : lower_32_bits(e->fault);
	case SIMPCI_DMA_FAULT + 4:
		return upper_32_bits(e->fault);
	}
	return 0;
}

static void set_half(u64 *reg, u64 off, u64 base, int size, u64 val)
{
	if (size == 8)
		*reg = val;
	else if (off == base)
		*reg = (*reg & ~0xffffffffULL) | (u32)val;
	else
		*reg = (*reg & 0xffffffffULL) | val << 32;
}

static void dma_write(struct simpci_dev *sdev, int bar, u64 off, int size,
		      u64 val)
{
	struct dma_engine *e = simpci_dev_priv(sdev);

	switch (off) {
	case SIMPCI_DMA_SRC:
	case SIMPCI_DMA_SRC + 4:
		set_half(&e->src, off, SIMPCI_DMA_SRC, size, val);
		break;
	case SIMPCI_DMA_DST:
	case SIMPCI_DMA_DST + 4:
		set_half(&e->dst, off, SIMPCI_DMA_DST, size, val);
		break;
	case SIMPCI_DMA_LEN:
		e->len = val;
		break;
	case SIMPCI_DMA_VECTOR:
		e->vector = val;
		break;
	case SIMPCI_DMA_AER:
		e->aer = val;
		break;
	case SIMPCI_DMA_DOORBELL:
		if (!(e->status & SIMPCI_DMA_BUSY)) {
			e->status = SIMPCI_DMA_BUSY;
			e->go = true;
		}
		break;
	case SIMPCI_DMA_STATUS:
		/* DONE and ERROR are write-1-to-clear; clearing acks INTx. */
		e->status &= ~(val & (SIMPCI_DMA_DONE | SIMPCI_DMA_ERROR));
		break;
	}
}

static void dma_after(struct simpci_dev *sdev)
{
	struct dma_engine *e = simpci_dev_priv(sdev);
	unsigned long flags;
	u64 src, dst, fault = 0;
	u32 len, vector, status, aer;
	bool go, intx, fault_dst;
	int ret;

	simpci_dev_lock(sdev, &flags);
	aer = e->aer;
	e->aer = 0;
	go = e->go;
	e->go = false;
	src = e->src;
	dst = e->dst;
	len = e->len;
	vector = e->vector;
	intx = e->status & (SIMPCI_DMA_DONE | SIMPCI_DMA_ERROR);
	simpci_dev_unlock(sdev, flags);

	if (aer)
		simpci_raise_aer(sdev, aer);
	if (!go) {
		/* Status cleared: the level interrupt goes away with it. */
		if (!intx)
			simpci_set_intx(sdev, false);
		return;
	}

	if (len > SIMPCI_DMA_MAX_LEN)
		ret = -EINVAL;
	else
		ret = simpci_dma_copy(sdev, src, dst, len, &fault, &fault_dst);
	status = ret ? SIMPCI_DMA_ERROR : SIMPCI_DMA_DONE;

	simpci_dev_lock(sdev, &flags);
	e->status = status;
	e->fault = ret ? fault : 0;
	simpci_dev_unlock(sdev, flags);

	if (simpci_signal_msi(sdev, vector) == -ENODEV)
		simpci_set_intx(sdev, true);
}

static void dma_reset(struct simpci_dev *sdev)
{
	memset(simpci_dev_priv(sdev), 0, sizeof(struct dma_engine));
}

static const struct simpci_model_ops dma_ops = {
	.bar_read = dma_read,
	.bar_write = dma_write,
	.reset = dma_reset,
	.after_access = dma_after,
};

static const struct simpci_cap_desc dma_caps[] = {
	{ .id = PCI_CAP_ID_PM },
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 1, .addr64 = true,
					 .maskable = true } },
	{ .id = PCI_CAP_ID_MSIX,
	  .msix = { .vectors = SIMPCI_DMA_VECTORS,
		    .table_bar = 0, .table_offset = SIMPCI_DMA_MSIX_TABLE,
		    .pba_bar = 0, .pba_offset = SIMPCI_DMA_MSIX_PBA } },
	{ .id = PCI_CAP_ID_EXP, .exp = { .flr = true } },
	{ .id = PCI_EXT_CAP_ID_ERR, .ext = true },
	{}
};

const struct simpci_dev_desc simpci_dma_desc = {
	.name = "dma",
	.vendor = SIMPCI_VENDOR,
	.device = SIMPCI_DEVICE_DMA,
	.subvendor = SIMPCI_VENDOR,
	.subdevice = 2,
	.class = PCI_CLASS_SYSTEM_DMA << 8,
	.revision = 1,
	.intx_pin = 1,
	.bars = {
		[0] = { .type = SIMPCI_BAR_MEM32, .size = SZ_4K },
	},
	.caps = dma_caps,
	.ops = &dma_ops,
	.priv_size = sizeof(struct dma_engine),
};
EXPORT_SYMBOL_GPL(simpci_dma_desc);

/* A conventional PCI-to-PCI bridge */
const struct simpci_dev_desc simpci_bridge_desc = {
	.name = "bridge",
	.vendor = SIMPCI_VENDOR,
	.device = SIMPCI_DEVICE_BRIDGE,
	.class = PCI_CLASS_BRIDGE_PCI << 8,
	.bridge = true,
};
EXPORT_SYMBOL_GPL(simpci_bridge_desc);

/* ram: one 64-bit prefetchable BAR of RAM, no registers, no interrupt */
static const struct simpci_cap_desc ram_caps[] = {
	{ .id = PCI_CAP_ID_PM },
	{}
};

const struct simpci_dev_desc simpci_ram_desc = {
	.name = "ram",
	.vendor = SIMPCI_VENDOR,
	.device = SIMPCI_DEVICE_RAM,
	.subvendor = SIMPCI_VENDOR,
	.subdevice = 4,
	.class = PCI_CLASS_MEMORY_RAM << 8,
	.bars = {
		[0] = { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
			.size = SZ_64K },
	},
	.caps = ram_caps,
};
EXPORT_SYMBOL_GPL(simpci_ram_desc);

static const struct {
	const char *name;
	const struct simpci_dev_desc *desc;
} models[] = {
	{ "regfile", &simpci_regfile_desc },
	{ "dma", &simpci_dma_desc },
	{ "mfd", &simpci_mfd_desc },
	{ "bridge", &simpci_bridge_desc },
	{ "ram", &simpci_ram_desc },
	{ "ioat", &simpci_ioat_desc },
};

/**
 * simpci_model_find() - a built-in model by name
 * @name: model name
 * @len: length of @name
 *
 * Return: the model, or NULL.
 */
const struct simpci_dev_desc *simpci_model_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (strlen(models[i].name) == len &&
		    !strncmp(models[i].name, name, len))
			return models[i].desc;
	return NULL;
}
