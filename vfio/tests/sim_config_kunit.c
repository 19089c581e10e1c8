// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated PCI hardware as the PCI core enumerates it:
 * the default topology and its IDs, the capability lists, the bit rules of
 * config registers, BAR sizing and assignment, and descriptors refused at
 * creation.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "sim_helpers.h"

struct enum_case {
	const char *name;
	bool behind_bridge;
	u8 devfn;
	u16 device;
	u32 class;
	u8 hdr_type;
	bool multifunction;
	u8 pin;
	u8 revision;
};

static const struct enum_case enum_cases[] = {
	{ "dma 00.0", false, SIM_DMA_DEVFN, SIMPCI_DEVICE_DMA,
	  PCI_CLASS_SYSTEM_DMA << 8, PCI_HEADER_TYPE_NORMAL, false, 1, 1 },
	{ "regfile 01.0", false, SIM_REGFILE_DEVFN, SIMPCI_DEVICE_REGFILE,
	  PCI_CLASS_OTHERS << 16, PCI_HEADER_TYPE_NORMAL, false, 1, 1 },
	{ "mfd 02.0", false, SIM_MFD_DEVFN(0), SIMPCI_DEVICE_MFD,
	  PCI_CLASS_MEMORY_OTHER << 8, PCI_HEADER_TYPE_NORMAL, true, 1 },
	{ "mfd 02.1", false, SIM_MFD_DEVFN(1), SIMPCI_DEVICE_MFD,
	  PCI_CLASS_MEMORY_OTHER << 8, PCI_HEADER_TYPE_NORMAL, true, 1 },
	{ "bridge 03.0", false, SIM_BRIDGE_DEVFN, SIMPCI_DEVICE_BRIDGE,
	  PCI_CLASS_BRIDGE_PCI << 8, PCI_HEADER_TYPE_BRIDGE, false, 0 },
	{ "regfile behind bridge 00.0", true, PCI_DEVFN(0, 0),
	  SIMPCI_DEVICE_REGFILE, PCI_CLASS_OTHERS << 16,
	  PCI_HEADER_TYPE_NORMAL, false, 1, 1 },
	{ "regfile behind bridge 01.0", true, PCI_DEVFN(1, 0),
	  SIMPCI_DEVICE_REGFILE, PCI_CLASS_OTHERS << 16,
	  PCI_HEADER_TYPE_NORMAL, false, 1, 1 },
};

KUNIT_ARRAY_PARAM_DESC(enum, enum_cases, name);

/* The PCI core found each function of the default topology as described. */
static void sim_enumerated(struct kunit *test)
{
	const struct enum_case *c = test->param_value;
	u8 bus = c->behind_bridge ? sim_secondary_bus(test) : simpci_root_busnr();
	struct pci_dev *pdev = sim_pci_dev(test, bus, c->devfn);
	u8 hdr;

	KUNIT_EXPECT_EQ(test, pdev->vendor, SIMPCI_VENDOR);
	KUNIT_EXPECT_EQ(test, pdev->device, c->device);
	KUNIT_EXPECT_EQ(test, pdev->class, c->class);
	KUNIT_EXPECT_EQ(test, pdev->revision, c->revision);
	KUNIT_EXPECT_EQ(test, pdev->hdr_type, c->hdr_type);
	KUNIT_EXPECT_EQ(test, (bool)pdev->multifunction, c->multifunction);
	KUNIT_EXPECT_EQ(test, pdev->pin, c->pin);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(pdev, PCI_HEADER_TYPE, &hdr),
			PCIBIOS_SUCCESSFUL);
	KUNIT_EXPECT_EQ(test, !!(hdr & PCI_HEADER_TYPE_MFD), c->multifunction);
	KUNIT_EXPECT_PTR_EQ(test, simpci_dev_find(bus, c->devfn),
			    sim_dev(test, bus, c->devfn));
}

/*
 * The "ram" model (not in the default topology; make qemu plugs it): one
 * 64-bit prefetchable BAR of RAM, nothing else to map or to interrupt.
 */
static void sim_ram_model(struct kunit *test)
{
	struct simpci_dev *sdev;
	struct pci_dev *pdev;
	void __iomem *io;
	u32 *ram;
	int bar;

	KUNIT_ASSERT_EQ(test, sim_topology_add(test, "14.0=ram"), 0);
	sdev = sim_root_dev(test, PCI_DEVFN(0x14, 0));
	pdev = simpci_dev_pci(sdev);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_EXPECT_EQ(test, pdev->device, SIMPCI_DEVICE_RAM);
	KUNIT_EXPECT_EQ(test, pdev->class, PCI_CLASS_MEMORY_RAM << 8);
	KUNIT_EXPECT_EQ(test, pdev->pin, 0);
	KUNIT_EXPECT_EQ(test, pci_resource_len(pdev, 0), SZ_64K);
	KUNIT_EXPECT_EQ(test, pci_resource_flags(pdev, 0) &
			(IORESOURCE_MEM_64 | IORESOURCE_PREFETCH),
			IORESOURCE_MEM_64 | IORESOURCE_PREFETCH);
	for (bar = 1; bar <= PCI_ROM_RESOURCE; bar++)
		KUNIT_EXPECT_EQ_MSG(test, pci_resource_len(pdev, bar), 0,
				    "BAR %d", bar);
	KUNIT_EXPECT_FALSE(test, pdev->msi_cap || pdev->msix_cap);
	pci_dev_put(pdev);

	/* What the CPU writes through the BAR is in the model's RAM. */
	io = sim_map_bar(test, sim_enable(test, sdev), 0);
	ram = simpci_bar_ram(sdev, 0);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	iowrite32(0x52414d21, io + SZ_64K - 4);
	KUNIT_EXPECT_EQ(test, ram[SZ_64K / 4 - 1], 0x52414d21);
	ram[0] = 0x12345678;
	KUNIT_EXPECT_EQ(test, ioread32(io), 0x12345678);
}

/*
 * Config space ends at 4 KiB: the last dword of a PCIe function answers,
 * nothing past it can be addressed. The root bus owns the bus numbers
 * 0x40-0x4f, the bridges below get theirs from that range.
 */
static void sim_config_limits(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct pci_bus *bus = pdev->bus;
	u32 val = 0x12345678;

	KUNIT_ASSERT_EQ(test, pdev->cfg_size, PCI_CFG_SPACE_EXP_SIZE);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(bus, pdev->devfn,
				PCI_CFG_SPACE_EXP_SIZE - 4, &val),
			PCIBIOS_SUCCESSFUL);
	KUNIT_EXPECT_EQ(test, val, 0);
	KUNIT_EXPECT_EQ(test, pci_bus_write_config_dword(bus, pdev->devfn,
				PCI_CFG_SPACE_EXP_SIZE - 4, 0),
			PCIBIOS_SUCCESSFUL);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(bus, pdev->devfn,
				PCI_CFG_SPACE_EXP_SIZE, &val),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, val, ~0U);
	KUNIT_EXPECT_EQ(test, pci_bus_write_config_dword(bus, pdev->devfn,
				PCI_CFG_SPACE_EXP_SIZE, 0),
			PCIBIOS_BAD_REGISTER_NUMBER);

	KUNIT_EXPECT_EQ(test, bus->busn_res.start, simpci_root_busnr());
	KUNIT_EXPECT_EQ(test, bus->busn_res.end, simpci_root_busnr() + 0xf);
}

/* Nothing answers where no function is: all ones, as on a real bus. */
static void sim_empty_slot(struct kunit *test)
{
	struct pci_bus *bus = pci_find_bus(0, simpci_root_busnr());
	u32 val = 0;

	KUNIT_ASSERT_NOT_NULL(test, bus);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(bus, PCI_DEVFN(0x1f, 0),
							PCI_VENDOR_ID, &val),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, val, ~0U);
	KUNIT_EXPECT_EQ(test, pci_bus_write_config_dword(bus, PCI_DEVFN(0x1f, 0),
							 PCI_COMMAND, 0),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_NULL(test, pci_get_domain_bus_and_slot(0,
			  simpci_root_busnr(), PCI_DEVFN(0x1f, 0)));
}

struct cap_case {
	const char *name;
	u8 devfn;
	u8 cap;
	u16 ext_cap;
	bool present;
};

static const struct cap_case cap_cases[] = {
	{ "dma PM", SIM_DMA_DEVFN, PCI_CAP_ID_PM, 0, true },
	{ "dma MSI", SIM_DMA_DEVFN, PCI_CAP_ID_MSI, 0, true },
	{ "dma MSI-X", SIM_DMA_DEVFN, PCI_CAP_ID_MSIX, 0, true },
	{ "dma PCIe", SIM_DMA_DEVFN, PCI_CAP_ID_EXP, 0, true },
	{ "dma AER", SIM_DMA_DEVFN, 0, PCI_EXT_CAP_ID_ERR, true },
	{ "dma no vendor cap", SIM_DMA_DEVFN, PCI_CAP_ID_VNDR, 0, false },
	{ "regfile PM", SIM_REGFILE_DEVFN, PCI_CAP_ID_PM, 0, true },
	{ "regfile MSI", SIM_REGFILE_DEVFN, PCI_CAP_ID_MSI, 0, true },
	{ "regfile vendor", SIM_REGFILE_DEVFN, PCI_CAP_ID_VNDR, 0, true },
	{ "regfile no MSI-X", SIM_REGFILE_DEVFN, PCI_CAP_ID_MSIX, 0, false },
	{ "regfile no PCIe", SIM_REGFILE_DEVFN, PCI_CAP_ID_EXP, 0, false },
	{ "regfile no AER", SIM_REGFILE_DEVFN, 0, PCI_EXT_CAP_ID_ERR, false },
	{ "mfd PM", SIM_MFD_DEVFN(0), PCI_CAP_ID_PM, 0, true },
	{ "bridge no caps", SIM_BRIDGE_DEVFN, PCI_CAP_ID_PM, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(cap, cap_cases, name);

/* The PCI core's capability walk finds what the descriptor lists. */
static void sim_capability_walk(struct kunit *test)
{
	const struct cap_case *c = test->param_value;
	struct pci_dev *pdev = sim_root_pci(test, c->devfn);
	u16 pos;
	u8 id, next;

	pos = c->cap ? pci_find_capability(pdev, c->cap) :
		       pci_find_ext_capability(pdev, c->ext_cap);
	KUNIT_ASSERT_EQ(test, !!pos, c->present);
	if (!pos)
		return;
	KUNIT_EXPECT_EQ(test, pos % 4, 0);
	if (c->ext_cap) {
		u32 hdr;

		KUNIT_EXPECT_GE(test, pos, PCI_CFG_SPACE_SIZE);
		pci_read_config_dword(pdev, pos, &hdr);
		KUNIT_EXPECT_EQ(test, PCI_EXT_CAP_ID(hdr), c->ext_cap);
		return;
	}
	KUNIT_EXPECT_GE(test, pos, PCI_STD_HEADER_SIZEOF);
	pci_read_config_byte(pdev, pos + PCI_CAP_LIST_ID, &id);
	pci_read_config_byte(pdev, pos + PCI_CAP_LIST_NEXT, &next);
	KUNIT_EXPECT_EQ(test, id, c->cap);
	/* The list ends or goes on forward, never into the header. */
	if (next)
		KUNIT_EXPECT_GT(test, next, pos);
	if (c->cap == PCI_CAP_ID_VNDR) {
		u8 len;

		pci_read_config_byte(pdev, pos + PCI_CAP_FLAGS, &len);
		KUNIT_EXPECT_EQ(test, len, 8);
	}
}

struct reg_case {
	const char *name;
	int where;
	int size;
	u32 write;
	u32 expect_mask;	/* bits whose value is checked */
	u32 expect;		/* their value after the write */
};

/* regfile (01.0) registers; the values hold for any function of it. */
static const struct reg_case reg_cases[] = {
	{ "vendor ID read-only", PCI_VENDOR_ID, 2, 0xffff, 0xffff,
	  SIMPCI_VENDOR },
	{ "device ID read-only", PCI_DEVICE_ID, 2, 0, 0xffff,
	  SIMPCI_DEVICE_REGFILE },
	{ "command writable bits", PCI_COMMAND, 2, 0xffff, 0xffff,
	  PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	  PCI_COMMAND_PARITY | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE },
	{ "status capability bit read-only", PCI_STATUS, 2, 0,
	  PCI_STATUS_CAP_LIST, PCI_STATUS_CAP_LIST },
	{ "status reserved bits", PCI_STATUS, 2, 0x0006, 0x0006, 0 },
	{ "status immediate readiness read-only", PCI_STATUS, 2, 0,
	  PCI_STATUS_IMM_READY, PCI_STATUS_IMM_READY },
	{ "class read-only", PCI_CLASS_REVISION, 4, 0, 0xffffffff,
	  PCI_CLASS_OTHERS << 24 | 1 },
	{ "header type read-only", PCI_HEADER_TYPE, 1, 0x81, 0xff,
	  PCI_HEADER_TYPE_NORMAL },
	{ "BAR0 flag bits read-only", PCI_BASE_ADDRESS_0, 4, 0x0000000f,
	  0x0000000f, 0 },
	{ "BAR2 64-bit prefetch flags", PCI_BASE_ADDRESS_2, 4, 0, 0xf,
	  PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH },
	{ "BAR1 unimplemented", PCI_BASE_ADDRESS_1, 4, 0xffffffff,
	  0xffffffff, 0 },
	{ "interrupt line writable", PCI_INTERRUPT_LINE, 1, 0x5a, 0xff, 0x5a },
	{ "cache line size writable", PCI_CACHE_LINE_SIZE, 1, 0x10, 0xff,
	  0x10 },
	{ "latency timer writable", PCI_LATENCY_TIMER, 1, 0x20, 0xff, 0x20 },
	{ "interrupt pin read-only", PCI_INTERRUPT_PIN, 1, 4, 0xff, 1 },
	{ "cap pointer read-only", PCI_CAPABILITY_LIST, 1, 0, 0xff,
	  PCI_STD_HEADER_SIZEOF },
	{ "reserved dword", 0x38, 4, 0xffffffff, 0xffffffff, 0 },
	{ "past config space", PCI_CFG_SPACE_SIZE, 4, 0, 0xffffffff,
	  0xffffffff },
	{ "last byte of config space", PCI_CFG_SPACE_SIZE - 1, 1, 0xff,
	  0xff, 0 },
};

KUNIT_ARRAY_PARAM_DESC(reg, reg_cases, name);

static void rules_write(struct pci_dev *pdev, int where, int size, u32 v)
{
	if (size == 1)
		pci_write_config_byte(pdev, where, v);
	else if (size == 2)
		pci_write_config_word(pdev, where, v);
	else
		pci_write_config_dword(pdev, where, v);
}

struct cap_reg_case {
	const char *name;
	u8 devfn;
	u16 cap;	/* PCI_CAP_ID_*, or PCI_EXT_CAP_ID_* with @ext */
	bool ext;
	int off;	/* from the capability */
	int size;
	u32 reset;	/* power-on value */
	u32 writable;	/* bits that keep a written 1 */
	u32 write;	/* what is written; 0 means all ones */
};

#define DMA_CAP(name, cap, ...) \
	{ name, SIM_DMA_DEVFN, PCI_CAP_ID_##cap, false, __VA_ARGS__ }
#define DMA_EXT(name, cap, ...) \
	{ name, SIM_DMA_DEVFN, PCI_EXT_CAP_ID_##cap, true, __VA_ARGS__ }
#define RF_CAP(name, cap, ...) \
	{ name, SIM_REGFILE_DEVFN, PCI_CAP_ID_##cap, false, __VA_ARGS__ }
#define MSI_FLAGS(log2vec) (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT | \
			    (log2vec) << 1)
#define AER_UNCOR	0x03fff030	/* the errors an endpoint reports */

/* Capability registers at power-on, and the bits that take a write. */
static const struct cap_reg_case cap_reg_cases[] = {
	DMA_CAP("PM capabilities", PM, PCI_PM_PMC, 2, 3, 0),
	DMA_CAP("PM control", PM, PCI_PM_CTRL, 2, 0,
		PCI_PM_CTRL_STATE_MASK |
		PCI_PM_CTRL_PME_ENABLE),
	DMA_CAP("MSI flags", MSI, PCI_MSI_FLAGS, 2, MSI_FLAGS(0),
		PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE),
	DMA_CAP("MSI address", MSI, PCI_MSI_ADDRESS_LO, 4, 0, 0xfffffffc),
	DMA_CAP("MSI upper address", MSI, PCI_MSI_ADDRESS_HI, 4, 0, ~0U),
	DMA_CAP("MSI data", MSI, PCI_MSI_DATA_64, 2, 0, 0xffff),
	DMA_CAP("MSI mask", MSI, PCI_MSI_MASK_64, 4, 0, 1),
	DMA_CAP("MSI pending", MSI, PCI_MSI_PENDING_64, 4, 0, 0),
	DMA_CAP("MSI-X control", MSIX, PCI_MSIX_FLAGS, 2,
		SIMPCI_DMA_VECTORS - 1,
		PCI_MSIX_FLAGS_ENABLE |
		PCI_MSIX_FLAGS_MASKALL),
	DMA_CAP("MSI-X table", MSIX, PCI_MSIX_TABLE, 4,
		SIMPCI_DMA_MSIX_TABLE, 0),
	DMA_CAP("MSI-X PBA", MSIX, PCI_MSIX_PBA, 4, SIMPCI_DMA_MSIX_PBA, 0),
	DMA_CAP("PCIe flags", EXP, PCI_EXP_FLAGS, 2,
		2 | PCI_EXP_TYPE_RC_END << 4, 0),
	DMA_CAP("PCIe device capabilities", EXP, PCI_EXP_DEVCAP, 4,
		PCI_EXP_DEVCAP_RBER | PCI_EXP_DEVCAP_FLR, 0),
	DMA_CAP("PCIe device control", EXP, PCI_EXP_DEVCTL, 2,
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		PCI_EXP_DEVCTL_READRQ_512B, 0x7fff, 0x7fff),
	DMA_CAP("PCIe device status", EXP, PCI_EXP_DEVSTA, 2, 0, 0),
	DMA_CAP("PCIe device control 2", EXP, PCI_EXP_DEVCTL2, 2, 0,
		PCI_EXP_DEVCTL2_COMP_TIMEOUT |
		PCI_EXP_DEVCTL2_COMP_TMOUT_DIS),
	DMA_EXT("AER uncorrectable status", ERR, PCI_ERR_UNCOR_STATUS, 4,
		0, 0),
	DMA_EXT("AER uncorrectable mask", ERR, PCI_ERR_UNCOR_MASK, 4, 0,
		AER_UNCOR),
	DMA_EXT("AER uncorrectable severity", ERR, PCI_ERR_UNCOR_SEVER, 4,
		0x00462030, AER_UNCOR),
	DMA_EXT("AER correctable status", ERR, PCI_ERR_COR_STATUS, 4, 0, 0),
	DMA_EXT("AER correctable mask", ERR, PCI_ERR_COR_MASK, 4,
		PCI_ERR_COR_ADV_NFAT, 0xf1c1),
	DMA_EXT("AER control", ERR, PCI_ERR_CAP, 2, 0,
		PCI_ERR_CAP_ECRC_GENE |
		PCI_ERR_CAP_ECRC_CHKE),
	RF_CAP("vendor capability length", VNDR, PCI_CAP_FLAGS, 1, 8, 0),
	RF_CAP("vendor capability content", VNDR, 4, 4, 0x07060504, 0),
	RF_CAP("regfile MSI flags", MSI, PCI_MSI_FLAGS, 2, MSI_FLAGS(2),
		PCI_MSI_FLAGS_ENABLE |
		PCI_MSI_FLAGS_QSIZE),
	RF_CAP("regfile MSI mask", MSI, PCI_MSI_MASK_64, 4, 0, 0xf),
};

KUNIT_ARRAY_PARAM_DESC(cap_reg, cap_reg_cases, name);

/* Each capability register powers on as built and takes what it should. */
static void sim_capability_registers(struct kunit *test)
{
	const struct cap_reg_case *c = test->param_value;
	struct pci_dev *pdev = sim_root_pci(test, c->devfn);
	u32 write = c->write ?: ~0U, ones = c->size == 4 ? ~0U :
					 (1U << (8 * c->size)) - 1;
	int pos;

	pos = c->ext ? pci_find_ext_capability(pdev, c->cap) :
		       pci_find_capability(pdev, c->cap);
	KUNIT_ASSERT_NE(test, pos, 0);
	sim_save_config(test, pdev);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(pdev, pos + c->off, c->size), c->reset);
	rules_write(pdev, pos + c->off, c->size, write);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(pdev, pos + c->off, c->size),
			((c->reset & ~c->writable) | (write & c->writable)) &
			ones);
	rules_write(pdev, pos + c->off, c->size, c->reset);
}

/* Read-only, writable and reserved bits behave per register. */
static void sim_register_rules(struct kunit *test)
{
	const struct reg_case *c = test->param_value;
	struct pci_dev *pdev = sim_root_pci(test, SIM_REGFILE_DEVFN);
	u32 old = sim_cfg_read(pdev, c->where, c->size);

	sim_save_config(test, pdev);
	rules_write(pdev, c->where, c->size, c->write);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(pdev, c->where, c->size) & c->expect_mask,
			c->expect);
	rules_write(pdev, c->where, c->size, old);
}

/* Status error bits are write-1-to-clear; a write of 0 keeps them. */
static void sim_status_w1c(struct kunit *test)
{
	struct sim_fn dma;
	struct pci_dev *pdev;
	u16 status;

	dma = sim_open(test, SIM_DMA_DEVFN);
	pdev = dma.pdev;
	/* A DMA from nowhere ends in a master abort the device records. */
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&dma, 0x7fff00000000ULL, 0, 8, 0),
			SIMPCI_DMA_ERROR);

	pci_read_config_word(pdev, PCI_STATUS, &status);
	KUNIT_ASSERT_TRUE(test, status & PCI_STATUS_REC_MASTER_ABORT);
	pci_write_config_word(pdev, PCI_STATUS, 0);
	pci_read_config_word(pdev, PCI_STATUS, &status);
	KUNIT_EXPECT_TRUE(test, status & PCI_STATUS_REC_MASTER_ABORT);
	pci_write_config_word(pdev, PCI_STATUS, 0xffff);
	pci_read_config_word(pdev, PCI_STATUS, &status);
	KUNIT_EXPECT_FALSE(test, status & PCI_STATUS_REC_MASTER_ABORT);
	/* Read-only bits survive the write of ones. */
	KUNIT_EXPECT_TRUE(test, status & PCI_STATUS_CAP_LIST);
}

struct bar_case {
	const char *name;
	struct simpci_bar_desc bar;
	unsigned long flags;	/* IORESOURCE_* the PCI core must see */
	u32 sized;		/* BAR read back after writing all ones */
	u32 sized_hi;		/* upper half of a 64-bit BAR */
};

#define MEM	IORESOURCE_MEM
#define PREF	IORESOURCE_PREFETCH
#define MEM64	IORESOURCE_MEM_64

static const struct bar_case bar_cases[] = {
	{ "mem32 16 bytes", { SIMPCI_BAR_MEM32, false, false, 16 }, MEM,
	  0xfffffff0 },
	{ "mem32 4K", { SIMPCI_BAR_MEM32, false, false, SZ_4K }, MEM,
	  0xfffff000 },
	{ "mem32 1M", { SIMPCI_BAR_MEM32, false, false, SZ_1M }, MEM,
	  0xfff00000 },
	{ "mem32 prefetch 64K", { SIMPCI_BAR_MEM32, true, false, SZ_64K },
	  MEM | PREF, 0xffff0000 | PCI_BASE_ADDRESS_MEM_PREFETCH },
	{ "mem64 4K", { SIMPCI_BAR_MEM64, false, false, SZ_4K }, MEM | MEM64,
	  0xfffff000 | PCI_BASE_ADDRESS_MEM_TYPE_64, 0xffffffff },
	{ "mem64 prefetch 16M", { SIMPCI_BAR_MEM64, true, false, SZ_16M },
	  MEM | PREF | MEM64, 0xff000000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
	  PCI_BASE_ADDRESS_MEM_PREFETCH, 0xffffffff },
	{ "mem64 RAM 64K", { SIMPCI_BAR_MEM64, true, true, SZ_64K },
	  MEM | PREF | MEM64, 0xffff0000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
	  PCI_BASE_ADDRESS_MEM_PREFETCH, 0xffffffff },
	{ "io 4 bytes", { SIMPCI_BAR_IO, false, false, 4 }, IORESOURCE_IO,
	  0xfffffffc | PCI_BASE_ADDRESS_SPACE_IO },
	{ "io 256 bytes", { SIMPCI_BAR_IO, false, false, 256 }, IORESOURCE_IO,
	  0xffffff00 | PCI_BASE_ADDRESS_SPACE_IO },
};

KUNIT_ARRAY_PARAM_DESC(bar, bar_cases, name);

/* Each BAR type sizes as the PCI spec says and is assigned by the core. */
static void sim_bar_sizing(struct kunit *test)
{
	const struct bar_case *c = test->param_value;
	struct simpci_dev_desc *desc = kunit_kzalloc(test, sizeof(*desc),
						     GFP_KERNEL);
	struct resource *res;
	struct pci_dev *pdev;
	u32 lo, hi = 0, orig_lo, orig_hi = 0;
	u16 cmd;

	KUNIT_ASSERT_NOT_NULL(test, desc);
	desc->name = "bar-test";
	desc->vendor = SIMPCI_VENDOR;
	desc->device = SIM_TEST_DEVICE_BARS;
	desc->class = PCI_CLASS_OTHERS << 16;
	desc->bars[1] = c->bar;
	sim_plug(test, desc, NULL, SIM_HOTPLUG_DEVFN);
	pdev = sim_root_pci(test, SIM_HOTPLUG_DEVFN);

	res = &pdev->resource[1];
	KUNIT_EXPECT_EQ(test, resource_size(res), c->bar.size);
	KUNIT_EXPECT_EQ(test, res->flags & (MEM | PREF | MEM64 | IORESOURCE_IO),
			c->flags);
	/* Assigned: claimed in a bridge window, naturally aligned. */
	KUNIT_EXPECT_NOT_NULL(test, res->parent);
	KUNIT_EXPECT_NE(test, res->start, 0);
	KUNIT_EXPECT_EQ(test, res->start & (c->bar.size - 1), 0);

	/* Sizing by hand, with decoding off as the spec asks. */
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(pdev, PCI_COMMAND,
			      cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_1, &orig_lo);
	pci_write_config_dword(pdev, PCI_BASE_ADDRESS_1, ~0U);
	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_1, &lo);
	if (c->bar.type == SIMPCI_BAR_MEM64) {
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_2, &orig_hi);
		pci_write_config_dword(pdev, PCI_BASE_ADDRESS_2, ~0U);
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_2, &hi);
		pci_write_config_dword(pdev, PCI_BASE_ADDRESS_2, orig_hi);
	}
	pci_write_config_dword(pdev, PCI_BASE_ADDRESS_1, orig_lo);
	pci_write_config_word(pdev, PCI_COMMAND, cmd);

	KUNIT_EXPECT_EQ(test, lo, c->sized);
	KUNIT_EXPECT_EQ(test, hi, c->sized_hi);
	/* The programmed address reads back. */
	KUNIT_EXPECT_EQ(test, (u64)(orig_lo & ~0xfU) | (u64)orig_hi << 32,
			(u64)res->start & (c->flags & IORESOURCE_IO ?
					   ~0x3ULL : ~0xfULL));
}

struct model_case {
	const char *name;
	struct simpci_dev_desc desc;
	int err;
};

#define DESC(...) { .vendor = SIMPCI_VENDOR, \
		     .device = SIM_TEST_DEVICE_CHECKED, __VA_ARGS__ }
#define BAR_MEM(sz) { .type = SIMPCI_BAR_MEM32, .size = (sz) }

static u64 ram_regs_read(struct simpci_dev *sdev, int bar, u64 off, int size)
{
	return 0;
}

static void ram_regs_write(struct simpci_dev *sdev, int bar, u64 off,
			   int size, u64 val)
{
}

static const struct simpci_model_ops ram_regs_ops = {
	.bar_read = ram_regs_read,
	.bar_write = ram_regs_write,
};

static const struct simpci_model_ops ram_read_ops = {
	.bar_read = ram_regs_read,
};

static const struct simpci_cap_desc caps_msi3[] = {
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 3 } }, {}
};
static const struct simpci_cap_desc caps_msi64[] = {
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 64 } }, {}
};
static const struct simpci_cap_desc caps_msix_out[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 8, .table_offset = 0xfc0,
					   .pba_offset = 0x800 } }, {}
};
static const struct simpci_cap_desc caps_msix_at_end[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 8, .table_offset = 0xf80,
					   .pba_offset = 0x800 } }, {}
};
static const struct simpci_cap_desc caps_msix_nobar[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 1, .table_bar = 1 } }, {}
};
static const struct simpci_cap_desc caps_msix_overlap[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 4, .table_offset = 0,
					   .pba_offset = 0x20 } }, {}
};
static const struct simpci_cap_desc caps_msix_apart[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 4, .table_offset = 0,
					   .pba_offset = 0x80 } }, {}
};
static const struct simpci_cap_desc caps_msix_2049[] = {
	{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 2049,
					   .pba_offset = 0x8000 } }, {}
};
/* 0x40 + 3 * 64 ends exactly at 0x100; one byte more does not fit. */
static const struct simpci_cap_desc caps_fill[] = {
	{ .id = PCI_CAP_ID_VNDR, .len = 64 }, { .id = PCI_CAP_ID_VNDR, .len = 64 },
	{ .id = PCI_CAP_ID_VNDR, .len = 64 }, {}
};
static const struct simpci_cap_desc caps_too_long[] = {
	{ .id = PCI_CAP_ID_VNDR, .len = 64 }, { .id = PCI_CAP_ID_VNDR, .len = 64 },
	{ .id = PCI_CAP_ID_VNDR, .len = 65 }, {}
};
static const struct simpci_cap_desc caps_ext_no_pcie[] = {
	{ .id = PCI_EXT_CAP_ID_ERR, .ext = true }, {}
};
static const struct simpci_cap_desc caps_twice[] = {
	{ .id = PCI_CAP_ID_PM }, { .id = PCI_CAP_ID_PM }, {}
};
static const struct simpci_cap_desc caps_unknown[] = {
	{ .id = PCI_CAP_ID_AGP }, {}
};
static const struct simpci_cap_desc caps_vndr_short[] = {
	{ .id = PCI_CAP_ID_VNDR, .len = 2 }, {}
};

static const struct model_case model_cases[] = {
	{ "no vendor", { .device = 1 }, -EINVAL },
	{ "BAR at the smallest size", DESC(.bars = { BAR_MEM(16) }), 0 },
	{ "BAR not a power of two",
	  DESC(.bars = { BAR_MEM(0x3000) }), -EINVAL },
	{ "memory BAR under 16 bytes", DESC(.bars = { BAR_MEM(8) }), -EINVAL },
	{ "32-bit BAR over 1 GiB", DESC(.bars = { BAR_MEM(SZ_2G) }), -EINVAL },
	{ "I/O BAR over 256 bytes",
	  DESC(.bars = { { .type = SIMPCI_BAR_IO, .size = 512 } }), -EINVAL },
	{ "prefetchable I/O BAR",
	  DESC(.bars = { { .type = SIMPCI_BAR_IO, .prefetch = true,
			       .size = 16 } }), -EINVAL },
	{ "64-bit BAR overlaps the next",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM64, .size = SZ_4K },
			     BAR_MEM(SZ_4K) }), -EINVAL },
	{ "64-bit BAR in the last slot",
	  DESC(.bars = { [5] = { .type = SIMPCI_BAR_MEM64,
				     .size = SZ_4K } }), -EINVAL },
	{ "RAM BAR under a page",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram = true,
			       .size = 256 } }), -EINVAL },
	{ "size on an empty BAR", DESC(.bars = { { .size = SZ_4K } }), -EINVAL },
	{ "RAM on an empty BAR", DESC(.bars = { { .ram = true } }), -EINVAL },
	{ "prefetch on an empty BAR", DESC(.bars = { { .prefetch = true } }),
	  -EINVAL },
	{ "bridge with BAR2", DESC(.bridge = true,
				       .bars = { [2] = BAR_MEM(SZ_4K) }), -EINVAL },
	{ "ROM not a power of two", DESC(.rom_size = 3000), -EINVAL },
	{ "ROM under 2 KiB", DESC(.rom_size = SZ_1K), -EINVAL },
	{ "ROM content larger than ROM",
	  DESC(.rom_size = SZ_2K, .rom_len = SZ_4K), -EINVAL },
	{ "interrupt pin 5", DESC(.intx_pin = 5), -EINVAL },
	{ "MSI with 3 vectors", DESC(.caps = caps_msi3), -EINVAL },
	{ "MSI with 64 vectors", DESC(.caps = caps_msi64), -EINVAL },
	{ "MSI-X table outside its BAR",
	  DESC(.bars = { BAR_MEM(SZ_4K) }, .caps = caps_msix_out), -EINVAL },
	{ "MSI-X table ends at BAR end",
	  DESC(.bars = { BAR_MEM(SZ_4K) }, .caps = caps_msix_at_end), 0 },
	{ "MSI-X table in a missing BAR",
	  DESC(.bars = { BAR_MEM(SZ_4K) }, .caps = caps_msix_nobar), -EINVAL },
	{ "MSI-X table in an I/O BAR",
	  DESC(.bars = { { .type = SIMPCI_BAR_IO, .size = 256 } },
	       .caps = caps_msix_apart), -EINVAL },
	{ "MSI-X table and PBA apart",
	  DESC(.bars = { BAR_MEM(256) }, .caps = caps_msix_apart), 0 },
	{ "MSI-X table in a RAM BAR",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram = true,
			       .size = SZ_4K } }, .caps = caps_msix_apart), -EINVAL },
	{ "MSI-X table in registers in RAM",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram = true,
			   .ram_regs = true, .size = SZ_4K } },
	       .caps = caps_msix_apart, .ops = &ram_regs_ops), 0 },
	{ "registers in RAM without callbacks",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram = true,
			   .ram_regs = true, .size = SZ_4K } }), -EINVAL },
	{ "registers in RAM without a write callback",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram = true,
			   .ram_regs = true, .size = SZ_4K } },
	       .ops = &ram_read_ops), -EINVAL },
	{ "registers in RAM on a register BAR",
	  DESC(.bars = { { .type = SIMPCI_BAR_MEM32, .ram_regs = true,
			   .size = SZ_4K } }, .ops = &ram_regs_ops), -EINVAL },
	{ "registers in RAM on an empty BAR",
	  DESC(.bars = { { .ram_regs = true } }, .ops = &ram_regs_ops), -EINVAL },
	{ "MSI-X table overlaps PBA",
	  DESC(.bars = { BAR_MEM(SZ_4K) }, .caps = caps_msix_overlap), -EINVAL },
	{ "MSI-X table of 2049",
	  DESC(.bars = { BAR_MEM(SZ_64K) }, .caps = caps_msix_2049), -EINVAL },
	{ "capabilities fill config space", DESC(.caps = caps_fill), 0 },
	{ "capabilities past config space", DESC(.caps = caps_too_long), -EINVAL },
	{ "extended capability without PCIe",
	  DESC(.caps = caps_ext_no_pcie), -EINVAL },
	{ "capability twice", DESC(.caps = caps_twice), -EINVAL },
	{ "unknown capability", DESC(.caps = caps_unknown), -EINVAL },
	{ "vendor capability too short", DESC(.caps = caps_vndr_short), -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(model, model_cases, name);

/* A model that hardware could not be is refused at creation. */
static void sim_model_checked(struct kunit *test)
{
	const struct model_case *c = test->param_value;
	struct simpci_dev_create_args args = {
		.desc = &c->desc, .devfn = SIM_HOTPLUG_DEVFN,
	};
	struct simpci_dev *sdev = simpci_dev_create(&args);
	int err = PTR_ERR_OR_ZERO(sdev);

	simpci_dev_destroy(sdev);
	KUNIT_EXPECT_EQ(test, err, c->err);
}

/* The same rules accept a model at their limits. */
static void sim_accepts_limits(struct kunit *test)
{
	static const struct simpci_cap_desc caps[] = {
		{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 32, .addr64 = true,
						 .maskable = true } },
		{ .id = PCI_CAP_ID_MSIX, .msix = { .vectors = 2048,
						   .table_bar = 0,
						   .pba_bar = 0,
						   .pba_offset = 0x8000 } },
		{ .id = PCI_CAP_ID_EXP },
		{ .id = PCI_EXT_CAP_ID_ERR, .ext = true },
		{ .id = PCI_EXT_CAP_ID_ACS, .ext = true },
		{ .id = PCI_CAP_ID_VNDR, .len = 64 },
		{}
	};
	static const struct simpci_dev_desc desc = {
		.vendor = SIMPCI_VENDOR, .device = SIM_TEST_DEVICE_CHECKED,
		.bars = { BAR_MEM(SZ_64K),
			  [4] = { .type = SIMPCI_BAR_MEM64, .size = SZ_4K } },
		.rom_size = SZ_16M, .caps = caps,
	};
	struct simpci_dev_create_args args = {
		.desc = &desc, .devfn = SIM_HOTPLUG_DEVFN,
	};
	struct simpci_dev *sdev = simpci_dev_create(&args);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sdev);
	simpci_dev_destroy(sdev);
}

/* Wrong placement: behind a function that is no bridge, or a taken slot. */
static void sim_refuses_bad_place(struct kunit *test)
{
	struct simpci_dev *regfile = sim_root_dev(test, SIM_REGFILE_DEVFN);
	struct simpci_dev_create_args args = {
		.desc = &simpci_regfile_desc, .parent = regfile,
	};
	struct simpci_dev *sdev;

	KUNIT_EXPECT_EQ(test, PTR_ERR(simpci_dev_create(&args)), -EINVAL);

	args.parent = NULL;
	args.devfn = SIM_REGFILE_DEVFN;
	sdev = simpci_dev_create(&args);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sdev);
	KUNIT_EXPECT_EQ(test, simpci_dev_plug(sdev), -EBUSY);
	simpci_dev_destroy(sdev);
	/* The function that owns the slot still answers. */
	KUNIT_EXPECT_PTR_EQ(test, simpci_dev_find(simpci_root_busnr(),
						  SIM_REGFILE_DEVFN), regfile);
}

/*
 * Advanced Features, slot ID, VPD, serial number and PASID: found where
 * the descriptor puts them, the serial and the VPD readable, and AF's FLR
 * a reset (PASID control, which no one saves, is back to 0 after it).
 */
static void sim_more_caps(struct kunit *test)
{
	struct simpci_dev *sdev = sim_plug(test, &sim_caps_desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	int af = pci_find_capability(pdev, PCI_CAP_ID_AF);
	int pasid = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_PASID);
	u8 cap, vpd[16];
	u16 ctrl;

	KUNIT_ASSERT_NE(test, af, 0);
	KUNIT_ASSERT_EQ(test, pasid, PCI_CFG_SPACE_SIZE);
	KUNIT_EXPECT_NE(test, pci_find_capability(pdev, PCI_CAP_ID_SLOTID), 0);
	KUNIT_EXPECT_NE(test, pci_find_ext_capability(pdev,
						      PCI_EXT_CAP_ID_ACS), 0);
	KUNIT_EXPECT_EQ(test, pci_get_dsn(pdev), 0x0123456789abcdefULL);
	pci_read_config_byte(pdev, af + PCI_AF_CAP, &cap);
	KUNIT_EXPECT_EQ(test, cap, PCI_AF_CAP_TP | PCI_AF_CAP_FLR);

	/* VPD through the PCI core: its size found, its bytes read. */
	KUNIT_EXPECT_EQ(test, pci_read_vpd(pdev, 3, 7, vpd), 7);
	KUNIT_EXPECT_MEMEQ(test, vpd, "SIM VPD", 7);
	KUNIT_EXPECT_EQ(test, pci_read_vpd(pdev, 0, sizeof(vpd), vpd), 11);
	KUNIT_EXPECT_EQ(test, pci_read_vpd(pdev, 11, 1, vpd), 0);

	pci_write_config_word(pdev, pasid + PCI_PASID_CTRL,
			      PCI_PASID_CTRL_ENABLE);
	pci_read_config_word(pdev, pasid + PCI_PASID_CTRL, &ctrl);
	KUNIT_ASSERT_EQ(test, ctrl, PCI_PASID_CTRL_ENABLE);
	pci_write_config_byte(pdev, af + PCI_AF_CTRL, PCI_AF_CTRL_FLR);
	pci_read_config_byte(pdev, af + PCI_AF_CTRL, &cap);
	KUNIT_EXPECT_EQ(test, cap, 0);
	pci_read_config_word(pdev, pasid + PCI_PASID_CTRL, &ctrl);
	KUNIT_EXPECT_EQ(test, ctrl, 0);
}

static struct kunit_case sim_config_cases[] = {
	KUNIT_CASE(sim_more_caps),
	KUNIT_CASE_PARAM(sim_enumerated, enum_gen_params),
	KUNIT_CASE(sim_empty_slot),
	KUNIT_CASE(sim_ram_model),
	KUNIT_CASE(sim_config_limits),
	KUNIT_CASE_PARAM(sim_capability_walk, cap_gen_params),
	KUNIT_CASE_PARAM(sim_register_rules, reg_gen_params),
	KUNIT_CASE_PARAM(sim_capability_registers, cap_reg_gen_params),
	KUNIT_CASE(sim_status_w1c),
	KUNIT_CASE_PARAM(sim_bar_sizing, bar_gen_params),
	KUNIT_CASE_PARAM(sim_model_checked, model_gen_params),
	KUNIT_CASE(sim_accepts_limits),
	KUNIT_CASE(sim_refuses_bad_place),
	{}
};

static struct kunit_suite sim_config_suite = {
	.name = "simpci_config",
	.test_cases = sim_config_cases,
};
kunit_test_suite(sim_config_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated PCI hardware's config space");
MODULE_LICENSE("GPL");
