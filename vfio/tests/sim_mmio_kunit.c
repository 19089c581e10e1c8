// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated PCI hardware's memory space, reached the way
 * drivers reach it: pci_iomap() and ioread/iowrite on register BARs,
 * RAM-backed BARs, the expansion ROM, decode enables and bridge windows.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/pci.h>

#include "sim_helpers.h"

/* Register BAR accesses of every width reach the model. */
static void sim_register_bar(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);

	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);
	/* The ID register is read-only. */
	iowrite32(0, fn.regs + SIMPCI_REG_ID);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);

	iowrite32(0xa5a5f00d, fn.regs + 0x100);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + 0x100), 0xa5a5f00d);
	KUNIT_EXPECT_EQ(test, ioread16(fn.regs + 0x102), 0xa5a5);
	KUNIT_EXPECT_EQ(test, ioread8(fn.regs + 0x100), 0x0d);
	iowrite8(0x11, fn.regs + 0x101);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + 0x100), 0xa5a5110d);
	iowrite16(0x2233, fn.regs + 0x104);
	KUNIT_EXPECT_EQ(test, ioread16(fn.regs + 0x104), 0x2233);
	writeq(0x0123456789abcdefULL, fn.regs + 0x108);
	KUNIT_EXPECT_EQ(test, readq(fn.regs + 0x108), 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + 0x10c), 0x01234567);
	/* The last dword of the BAR is storage too. */
	iowrite32(0x600dcafe, fn.regs + SIMPCI_REGFILE_SIZE - 4);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_REGFILE_SIZE - 4),
			0x600dcafe);
}

/* The device remembers its last accesses, as it saw them, and forgets. */
static void sim_access_log(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	unsigned int i;

	simpci_accesses(fn.sdev, log);
	ioread16(fn.regs + 0x102);
	iowrite8(1, fn.regs + 0x105);
	KUNIT_ASSERT_EQ(test, simpci_accesses(fn.sdev, log), 2);
	KUNIT_EXPECT_EQ(test, log[0].bar, 0);
	KUNIT_EXPECT_FALSE(test, log[0].write);
	KUNIT_EXPECT_EQ(test, log[0].size, 2);
	KUNIT_EXPECT_EQ(test, log[0].off, 0x102);
	KUNIT_EXPECT_TRUE(test, log[1].write);
	KUNIT_EXPECT_EQ(test, log[1].size, 1);
	KUNIT_EXPECT_EQ(test, log[1].off, 0x105);
	KUNIT_EXPECT_EQ(test, simpci_accesses(fn.sdev, log), 0);

	/* More than it holds: the last SIMPCI_ACCESS_LOG, oldest first. */
	for (i = 0; i < SIMPCI_ACCESS_LOG + 3; i++)
		ioread32(fn.regs + 4 * i);
	KUNIT_ASSERT_EQ(test, simpci_accesses(fn.sdev, log), SIMPCI_ACCESS_LOG);
	KUNIT_EXPECT_EQ(test, log[0].off, 4 * 3);
	KUNIT_EXPECT_EQ(test, log[SIMPCI_ACCESS_LOG - 1].off,
			4 * (SIMPCI_ACCESS_LOG + 2));
}

/* With Memory Space off nothing decodes: reads are all ones. */
static void sim_memory_decode(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);
	u16 cmd;

	iowrite32(0x12345678, fn.regs + 0x100);
	pci_read_config_word(fn.pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(fn.pdev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_REG_ID), ~0U);
	/* A write that nobody decodes is lost. */
	iowrite32(0, fn.regs + 0x100);
	pci_write_config_word(fn.pdev, PCI_COMMAND, cmd);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + 0x100), 0x12345678);
}

/*
 * In D3hot a function decodes no memory; back in D0 without No_Soft_Reset
 * it has been reset (PM reset), registers and config space alike.
 */
static void sim_d3hot(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);
	struct pci_dev *pdev = fn.pdev;
	void __iomem *regs = fn.regs;
	int pm = pdev->pm_cap;
	u16 pmcsr, cmd;

	KUNIT_ASSERT_NE(test, pm, 0);
	pci_save_state(pdev);
	iowrite32(0x1234, regs + 0x100);
	pci_read_config_word(pdev, pm + PCI_PM_CTRL, &pmcsr);
	KUNIT_EXPECT_FALSE(test, pmcsr & PCI_PM_CTRL_NO_SOFT_RESET);
	pci_write_config_word(pdev, pm + PCI_PM_CTRL,
			      (pmcsr & ~PCI_PM_CTRL_STATE_MASK) | 3);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID), ~0U);
	pci_read_config_word(pdev, pm + PCI_PM_CTRL, &pmcsr);
	KUNIT_EXPECT_EQ(test, pmcsr & PCI_PM_CTRL_STATE_MASK, 3);
	/* Config space still answers in D3hot. */
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	KUNIT_EXPECT_TRUE(test, cmd & PCI_COMMAND_MEMORY);
	/* Written again in D3hot (PME Enable): it stays, nothing is reset. */
	pci_write_config_word(pdev, pm + PCI_PM_CTRL,
			      pmcsr | PCI_PM_CTRL_PME_ENABLE);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	KUNIT_EXPECT_TRUE(test, cmd & PCI_COMMAND_MEMORY);

	pci_write_config_word(pdev, pm + PCI_PM_CTRL,
			      pmcsr & ~PCI_PM_CTRL_STATE_MASK);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	KUNIT_EXPECT_EQ(test, cmd, 0);
	pci_restore_state(pdev);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);
	KUNIT_EXPECT_EQ(test, ioread32(regs + 0x100), 0);
}

/* A RAM-backed BAR is pages at the BAR's own physical address. */
static void sim_ram_bar(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);
	struct simpci_dev *sdev = fn.sdev;
	struct pci_dev *pdev = fn.pdev;
	void __iomem *bar = sim_map_bar(test, pdev, 2);
	u8 *ram = simpci_bar_ram(sdev, 2);
	size_t len = pci_resource_len(pdev, 2);

	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_EXPECT_EQ(test, len, SZ_64K);
	KUNIT_EXPECT_EQ(test, (u64)virt_to_phys(ram),
			(u64)pci_resource_start(pdev, 2));
	KUNIT_EXPECT_TRUE(test, pfn_valid(PHYS_PFN(pci_resource_start(pdev, 2))));

	iowrite32(0xdeadbeef, bar + 0x40);
	KUNIT_EXPECT_EQ(test, *(u32 *)(ram + 0x40), 0xdeadbeef);
	memset(ram + len - 16, 0x5a, 16);
	KUNIT_EXPECT_EQ(test, readq(bar + len - 8), 0x5a5a5a5a5a5a5a5aULL);
	memcpy_toio(bar + 0x1000, "simulated", 10);
	KUNIT_EXPECT_MEMEQ(test, ram + 0x1000, "simulated", 10);

	/* Register BARs have no pages behind them. */
	KUNIT_EXPECT_NULL(test, simpci_bar_ram(sdev, 0));
	KUNIT_EXPECT_NULL(test, simpci_bar_ram(sdev, 6));
}

/* Two 32-bit BARs side by side: each decodes at its own address. */
static void sim_bars_32bit_pair(struct kunit *test)
{
	static const struct simpci_dev_desc desc = {
		.name = "ram-pair",
		.vendor = SIMPCI_VENDOR,
		.device = SIM_TEST_DEVICE_BARS,
		.class = PCI_CLASS_OTHERS << 16,
		.bars = {
			[0] = { .type = SIMPCI_BAR_MEM32, .prefetch = true,
				.ram = true, .size = SZ_4K },
			[1] = { .type = SIMPCI_BAR_MEM32, .prefetch = true,
				.ram = true, .size = SZ_8K },
		},
	};
	struct simpci_dev *sdev = sim_plug(test, &desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct sim_fn fn = sim_open(test, SIM_HOTPLUG_DEVFN);
	void __iomem *bar1 = sim_map_bar(test, fn.pdev, 1);
	u32 *ram0 = simpci_bar_ram(sdev, 0), *ram1 = simpci_bar_ram(sdev, 1);

	KUNIT_ASSERT_NOT_NULL(test, ram0);
	KUNIT_ASSERT_NOT_NULL(test, ram1);
	KUNIT_EXPECT_EQ(test, (u64)virt_to_phys(ram1),
			(u64)pci_resource_start(fn.pdev, 1));
	iowrite32(0x0a0a0a0a, fn.regs);
	iowrite32(0x1b1b1b1b, bar1 + SZ_8K - 4);
	KUNIT_EXPECT_EQ(test, ram0[0], 0x0a0a0a0a);
	KUNIT_EXPECT_EQ(test, ram1[SZ_8K / 4 - 1], 0x1b1b1b1b);
}

/*
 * The RAM window is memory firmware kept from the kernel, as BAR memory
 * is: every page reserved, none of it ever in the page allocator.
 */
static void sim_ram_window_reserved(struct kunit *test)
{
	const struct resource *win = simpci_ram_window();
	unsigned long pfn, bad = 0;

	KUNIT_ASSERT_NOT_NULL_MSG(test, win, "booted without simpci.ram_window=");
	KUNIT_EXPECT_EQ(test, resource_size(win), SZ_64M);
	KUNIT_EXPECT_EQ(test, win->start & (resource_size(win) - 1), 0);
	/* Above UML's virtio PCI window (0x10000000-0x1fffffff) when RAM is. */
	if (PFN_PHYS(max_pfn) >= SZ_512M + resource_size(win))
		KUNIT_EXPECT_GE(test, win->start, SZ_512M);
	KUNIT_EXPECT_FALSE(test, win->start < SZ_512M && win->end >= SZ_256M);
	for (pfn = PHYS_PFN(win->start); pfn <= PHYS_PFN(win->end); pfn++)
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn)))
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * A RAM-backed BAR that firmware placed outside the RAM window (a 32-bit
 * non-prefetchable BAR goes to the register window) has nothing behind
 * it: reads are all ones, writes are lost, no pages for userspace.
 */
static void sim_ram_bar_outside(struct kunit *test)
{
	static const struct simpci_dev_desc desc = {
		.name = "ram-outside",
		.vendor = SIMPCI_VENDOR,
		.device = SIM_TEST_DEVICE_BARS,
		.class = PCI_CLASS_OTHERS << 16,
		.bars = { [0] = { .type = SIMPCI_BAR_MEM32, .ram = true,
				  .size = SZ_4K } },
	};
	struct simpci_dev *sdev = sim_plug(test, &desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct sim_fn fn = sim_open(test, SIM_HOTPLUG_DEVFN);
	const struct resource *win = simpci_ram_window();

	KUNIT_ASSERT_NOT_NULL(test, win);
	KUNIT_EXPECT_FALSE(test, resource_contains(win,
						   &fn.pdev->resource[0]));
	KUNIT_EXPECT_NULL(test, simpci_bar_ram(sdev, 0));
	iowrite32(0x12345678, fn.regs);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs), ~0U);
}

/* The expansion ROM is a valid PCI ROM image the core can map. */
static void sim_rom(struct kunit *test)
{
	struct pci_dev *pdev = sim_enable(test,
					  sim_root_dev(test, SIM_REGFILE_DEVFN));
	void __iomem *rom;
	size_t size = 0;
	u32 rombar;
	u8 sum = 0;
	int i;

	KUNIT_EXPECT_EQ(test, pci_resource_len(pdev, PCI_ROM_RESOURCE), SZ_2K);
	rom = pci_map_rom(pdev, &size);
	KUNIT_ASSERT_NOT_NULL(test, rom);
	KUNIT_EXPECT_EQ(test, size, SIMPCI_ROM_IMAGE_LEN);
	KUNIT_EXPECT_EQ(test, readw(rom), 0xaa55);
	KUNIT_EXPECT_EQ(test, readl(rom + 0x1c), 0x52494350);	/* "PCIR" */
	KUNIT_EXPECT_EQ(test, readw(rom + 0x1c + 4), SIMPCI_VENDOR);
	KUNIT_EXPECT_EQ(test, readw(rom + 0x1c + 6), SIMPCI_DEVICE_REGFILE);
	/* The image's class code is the function's. */
	KUNIT_EXPECT_EQ(test, readl(rom + 0x1c + 0xc) >> 8, pdev->class);
	KUNIT_EXPECT_EQ(test, readb(rom + 0x40), 's');
	/* The init entry returns at once: firmware may call it. */
	KUNIT_EXPECT_EQ(test, readb(rom + 3), 0xcb);
	for (i = 0; i < SIMPCI_ROM_IMAGE_LEN; i++)
		sum += readb(rom + i);
	KUNIT_EXPECT_EQ_MSG(test, sum, 0, "firmware refuses a bad checksum");
	/* Past the image the ROM reads as erased. */
	KUNIT_EXPECT_EQ(test, readl(rom + SIMPCI_ROM_IMAGE_LEN), ~0U);
	pci_read_config_dword(pdev, PCI_ROM_ADDRESS, &rombar);
	KUNIT_EXPECT_TRUE(test, rombar & PCI_ROM_ADDRESS_ENABLE);
	pci_unmap_rom(pdev, rom);

	/* Disabled, the ROM BAR decodes nothing. */
	pci_read_config_dword(pdev, PCI_ROM_ADDRESS, &rombar);
	KUNIT_EXPECT_FALSE(test, rombar & PCI_ROM_ADDRESS_ENABLE);
	rom = ioremap(rombar & PCI_ROM_ADDRESS_MASK, SZ_2K);
	KUNIT_ASSERT_NOT_NULL(test, rom);
	KUNIT_EXPECT_EQ(test, readw(rom), 0xffff);
	iounmap(rom);
}

/*
 * Move BAR @bar of @pdev to @addr, store 0xfeedf00d at @off of it and load
 * it back there, and put the BAR where it was. Return what the load saw
 * (0 when the last byte, loaded alone, disagrees).
 */
static u32 moved_bar_dword(struct pci_dev *pdev, int bar, u32 addr, u32 off)
{
	int reg = PCI_BASE_ADDRESS_0 + 4 * bar;
	u32 old, val = 0;
	void __iomem *io;

	pci_read_config_dword(pdev, reg, &old);
	pci_write_config_dword(pdev, reg, addr | (old & 0xf));
	io = ioremap(addr, off + 4);
	if (io) {
		iowrite32(0xfeedf00d, io + off);
		val = ioread32(io + off);
		if (ioread8(io + off + 3) != val >> 24)
			val = 0;
		iounmap(io);
	}
	pci_write_config_dword(pdev, reg, old);
	return val;
}

/* Behind the bridge, a function is reached only through its windows. */
static void sim_bridge_window(struct kunit *test)
{
	struct pci_dev *br = sim_enable_bridge(test);
	void __iomem *regs;
	struct sim_fn fn;
	u32 window, bar_mb, base, top;
	u16 cmd;

	fn = sim_open_at(test, sim_secondary_bus(test), PCI_DEVFN(0, 0));
	regs = fn.regs;
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);

	/* A memory window that leaves the function's BAR out. */
	bar_mb = pci_resource_start(fn.pdev, 0) >> 20;
	pci_read_config_dword(br, PCI_MEMORY_BASE, &window);
	pci_write_config_dword(br, PCI_MEMORY_BASE,
			       (bar_mb + 1) << 20 | (bar_mb + 1) << 4);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID), ~0U);
	pci_write_config_dword(br, PCI_MEMORY_BASE, window);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);

	/*
	 * The first and the last dword of each window are forwarded (a
	 * naturally aligned BAR never reaches past a window's end).
	 */
	base = (window & 0xfff0) << 16;
	top = (window & 0xfff00000) + SZ_1M;
	/* (Offset 0 of the register file is its read-only ID.) */
	KUNIT_EXPECT_EQ(test, moved_bar_dword(fn.pdev, 0, base, 0),
			SIMPCI_REGFILE_ID);
	KUNIT_EXPECT_EQ(test, moved_bar_dword(fn.pdev, 0, top - SZ_4K,
					      SZ_4K - 4), 0xfeedf00d);
	pci_read_config_dword(br, PCI_PREF_MEMORY_BASE, &window);
	base = (window & 0xfff0) << 16;
	top = (window & 0xfff00000) + SZ_1M;
	KUNIT_EXPECT_EQ(test, moved_bar_dword(fn.pdev, 2, base, 0), 0xfeedf00d);
	KUNIT_EXPECT_EQ(test, moved_bar_dword(fn.pdev, 2, top - SZ_64K,
					      SZ_64K - 4), 0xfeedf00d);

	/* The bridge stops forwarding memory cycles. */
	pci_read_config_word(br, PCI_COMMAND, &cmd);
	pci_write_config_word(br, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID), ~0U);
	pci_write_config_word(br, PCI_COMMAND, cmd);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);
}

static struct kunit_case sim_mmio_cases[] = {
	KUNIT_CASE(sim_register_bar),
	KUNIT_CASE(sim_access_log),
	KUNIT_CASE(sim_memory_decode),
	KUNIT_CASE(sim_d3hot),
	KUNIT_CASE(sim_ram_bar),
	KUNIT_CASE(sim_ram_window_reserved),
	KUNIT_CASE(sim_ram_bar_outside),
	KUNIT_CASE(sim_bars_32bit_pair),
	KUNIT_CASE(sim_rom),
	KUNIT_CASE(sim_bridge_window),
	{}
};

static struct kunit_suite sim_mmio_suite = {
	.name = "simpci_mmio",
	.test_cases = sim_mmio_cases,
};
kunit_test_suite(sim_mmio_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated PCI hardware's BARs");
MODULE_LICENSE("GPL");
