// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Intel I/OAT channel model (vfio/sim/ioat.c) through
 * the PCI core: its registers, by the kernel's mapping and by stores to
 * the RAM behind BAR0 (what a process's mapping of the BAR reaches);
 * copies and chains of descriptors; completion by status, write-back and
 * MSI-X; faults; suspend and reset while the channel runs.
 *
 * Each case plugs a channel of its own. The model's poller runs beside
 * the test: cases step the model with simpci_dev_poll() and read the
 * outcome, which is the same whoever ran the engine.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/pci.h>

#include "sim_helpers.h"
#include "sim/simioat.h"

/*
 * The window behind SIM_XLATE_BASE: descriptors in page 0, the
 * completion write-back at the start of page 1, data from page 2.
 */
#define PAGES		16
#define CMP_IOVA	(SIM_XLATE_BASE + PAGE_SIZE)
#define DATA_PAGE(n)	(2 + (n))
#define ABSENT_PAGE	(PAGES - 1)

struct chan {
	struct sim_fn fn;
	u8 *ram;	/* BAR0's RAM: what a userspace mapping reaches */
	u8 *mem;	/* the window */
};

static u64 page_iova(unsigned int page)
{
	return SIM_XLATE_BASE + page * PAGE_SIZE;
}

static u64 desc_iova(unsigned int i)
{
	return SIM_XLATE_BASE + i * sizeof(struct simioat_desc);
}

/* A channel of the test's own at @devfn: enabled, bus master, BAR0 mapped. */
static struct chan chan_plug(struct kunit *test, u8 devfn)
{
	struct chan c = {};

	sim_plug(test, &simpci_ioat_desc, NULL, devfn);
	c.fn = sim_open(test, devfn);
	c.ram = simpci_bar_ram(c.fn.sdev, 0);
	KUNIT_ASSERT_NOT_NULL(test, c.ram);
	/* What the poller does within a jiffy: the registers into BAR0. */
	simpci_dev_poll(c.fn.sdev);
	return c;
}

/* A channel, and the window its descriptors and data are in. */
static struct chan chan_open(struct kunit *test)
{
	struct chan c = chan_plug(test, SIM_HOTPLUG_DEVFN);

	c.mem = sim_use_translate(test, PAGES);
	sim_xlate.absent = BIT(ABSENT_PAGE);
	return c;
}

static void put_desc(struct chan *c, unsigned int i, u32 size, u32 ctl,
		     u64 src, u64 dst, u64 next)
{
	struct simioat_desc *d = (void *)(c->mem + i * sizeof(*d));

	*d = (struct simioat_desc){
		.size = cpu_to_le32(size), .ctl = cpu_to_le32(ctl),
		.src = cpu_to_le64(src), .dst = cpu_to_le64(dst),
		.next = cpu_to_le64(next),
	};
}

/* Descriptors 0..n-1, each copying @len bytes of data page i to page 8+i. */
static void put_chain(struct chan *c, unsigned int n, u32 len, u32 ctl)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		put_desc(c, i, len, ctl, page_iova(DATA_PAGE(i)),
			 page_iova(DATA_PAGE(6 + i)), desc_iova(i + 1));
	for (i = 0; i < 6 * PAGE_SIZE; i++)
		c->mem[page_iova(DATA_PAGE(0)) - SIM_XLATE_BASE + i] = i * 13 + 1;
}

static u8 *data(struct chan *c, unsigned int n)
{
	return c->mem + DATA_PAGE(n) * PAGE_SIZE;
}

/* A store as a process makes it through its mapping of BAR0. */
static void user_store(struct chan *c, unsigned int off, int size, u64 val)
{
	__le64 v = cpu_to_le64(val);

	memcpy(c->ram + off, &v, size);
}

static u64 user_load(struct chan *c, unsigned int off, int size)
{
	u64 v = 0;

	memcpy(&v, c->ram + off, size);
	return le64_to_cpu(v);
}

static void kernel_store(struct chan *c, unsigned int off, int size, u64 val)
{
	switch (size) {
	case 1:
		writeb(val, c->fn.regs + off);
		break;
	case 2:
		writew(val, c->fn.regs + off);
		break;
	case 4:
		writel(val, c->fn.regs + off);
		break;
	default:
		writeq(val, c->fn.regs + off);
	}
}

static u64 kernel_load(struct chan *c, unsigned int off, int size)
{
	switch (size) {
	case 1:
		return readb(c->fn.regs + off);
	case 2:
		return readw(c->fn.regs + off);
	case 4:
		return readl(c->fn.regs + off);
	}
	return readq(c->fn.regs + off);
}

/* Let the model run until it has nothing left. */
static void chan_settle(struct kunit *test, struct chan *c)
{
	int i;

	for (i = 0; i < 1000 && simpci_dev_poll(c->fn.sdev); i++)
		;
	KUNIT_EXPECT_LT(test, i, 1000);
	simpci_flush_irqs(c->fn.sdev);
}

/* A store through either path, and the model caught up. */
static void store(struct kunit *test, struct chan *c, bool user,
		  unsigned int off, int size, u64 val)
{
	if (user)
		user_store(c, off, size, val);
	else
		kernel_store(c, off, size, val);
	chan_settle(test, c);
}

static void ring(struct kunit *test, struct chan *c, bool user, u64 chain,
		 u16 count)
{
	if (user) {
		user_store(c, SIMIOAT_CHAINADDR, 8, chain);
		user_store(c, SIMIOAT_DMACOUNT, 2, count);
	} else {
		kernel_store(c, SIMIOAT_CHAINADDR, 8, chain);
		kernel_store(c, SIMIOAT_DMACOUNT, 2, count);
	}
	chan_settle(test, c);
}

static u64 chansts(struct chan *c)
{
	return readq(c->fn.regs + SIMIOAT_CHANSTS);
}

static u64 status(struct chan *c)
{
	return chansts(c) & SIMIOAT_CHANSTS_STATUS;
}

static const bool paths[] = { false, true };

static void path_desc(const bool *user, char *desc)
{
	strscpy(desc, *user ? "store through a mapping" : "kernel access",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(path, paths, path_desc);

/* What the PCI core and a driver's probe see. */
static void ioat_identity(struct kunit *test)
{
	struct chan c = chan_open(test);
	struct pci_dev *pdev = c.fn.pdev;
	u32 table, pba;
	u16 flags;

	KUNIT_EXPECT_EQ(test, pdev->vendor, SIMIOAT_VENDOR);
	KUNIT_EXPECT_EQ(test, pdev->device, SIMIOAT_DEVICE);
	KUNIT_EXPECT_EQ(test, pdev->class, PCI_CLASS_SYSTEM_OTHER << 8);
	KUNIT_EXPECT_EQ(test, pci_resource_len(pdev, 0), SIMIOAT_BAR_SIZE);
	KUNIT_EXPECT_TRUE(test, pci_resource_flags(pdev, 0) &
			  IORESOURCE_MEM_64);
	KUNIT_EXPECT_NE(test, pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ERR),
			0);
	KUNIT_ASSERT_NE(test, pdev->msix_cap, 0);
	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_PBA, &pba);
	KUNIT_EXPECT_EQ(test, flags & PCI_MSIX_FLAGS_QSIZE, 0);
	KUNIT_EXPECT_EQ(test, table, SIMIOAT_MSIX_TABLE);
	KUNIT_EXPECT_EQ(test, pba, SIMIOAT_MSIX_PBA);

	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_VER), SIMIOAT_VER_3_3);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_CHANCNT), 1);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_XFERCAP),
			SIMIOAT_XFERCAP_LOG2);
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_DMA_COMP),
			SIMIOAT_DMA_COMP_V2);
	KUNIT_EXPECT_EQ(test, chansts(&c), SIMIOAT_CHANSTS_HALTED);
	/* The same registers are in the RAM a mapping reaches. */
	KUNIT_EXPECT_EQ(test, c.ram[SIMIOAT_VER], SIMIOAT_VER_3_3);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANSTS, 8),
			SIMIOAT_CHANSTS_HALTED);
}

struct reg_case {
	const char *name;
	unsigned int off;
	int size;
	u64 val;
	u64 expect;
};

static const struct reg_case reg_cases[] = {
	{ "GENCTRL", SIMIOAT_GENCTRL, 1, 0xff, 0x01 },
	{ "INTRCTRL", SIMIOAT_INTRCTRL, 1, 0xff,
	  SIMIOAT_INTRCTRL_MASTER_EN | SIMIOAT_INTRCTRL_MSIX_EN },
	{ "INTRDELAY", SIMIOAT_INTRDELAY, 2, 0xffff, 0x3fff },
	{ "CHANCNT read-only", SIMIOAT_CHANCNT, 1, 0xff, 1 },
	{ "XFERCAP read-only", SIMIOAT_XFERCAP, 1, 0, SIMIOAT_XFERCAP_LOG2 },
	{ "VER read-only", SIMIOAT_VER, 1, 0, SIMIOAT_VER_3_3 },
	{ "ATTNSTATUS read-only", SIMIOAT_ATTNSTATUS, 4, ~0U, 0 },
	{ "DMACAP read-only", SIMIOAT_DMACAP, 4, ~0U, 0 },
	{ "reserved global byte", 0x40, 1, 0xff, 0 },
	{ "CHANCTRL, INT_REARM self-clearing", SIMIOAT_CHANCTRL, 2, 0xffff,
	  SIMIOAT_CHANCTRL_RW },
	{ "DMA_COMP read-only", SIMIOAT_DMA_COMP, 2, 0, SIMIOAT_DMA_COMP_V2 },
	{ "CHANCMD reset self-clearing", SIMIOAT_CHANCMD, 1,
	  SIMIOAT_CHANCMD_RESET, 0 },
	{ "CHANSTS read-only", SIMIOAT_CHANSTS, 8, 0,
	  SIMIOAT_CHANSTS_HALTED },
	{ "CHANCMP", SIMIOAT_CHANCMP, 8, 0x123456789abcdef8ULL,
	  0x123456789abcdef8ULL },
	{ "CHANCMP high half", SIMIOAT_CHANCMP + 4, 4, 0x89abcdef,
	  0x89abcdef },
	{ "CDAR read-only", SIMIOAT_CDAR, 8, ~0ULL, 0 },
	{ "CHANERR write-1-to-clear", SIMIOAT_CHANERR, 4, ~0U, 0 },
	{ "CHANERR_MASK", SIMIOAT_CHANERR_MASK, 4, ~0U, SIMIOAT_CHANERR_ALL },
	{ "reserved channel dword", SIMIOAT_CHAN + 0x70, 4, ~0U, 0 },
};

KUNIT_ARRAY_PARAM_DESC(reg, reg_cases, name);

/*
 * Each register by its rule, written through the kernel's mapping and by
 * a store to the RAM: the same value reads back both ways.
 */
static void ioat_register_rules(struct kunit *test)
{
	const struct reg_case *r = test->param_value;
	int i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		struct chan c = chan_plug(test, SIM_HOTPLUG_DEVFN + 8 * i);

		store(test, &c, paths[i], r->off, r->size, r->val);
		KUNIT_EXPECT_EQ_MSG(test, kernel_load(&c, r->off, r->size),
				    r->expect, "%s", paths[i] ? "user" : "kernel");
		KUNIT_EXPECT_EQ_MSG(test, user_load(&c, r->off, r->size),
				    r->expect, "%s", paths[i] ? "user" : "kernel");
	}
}

/* Past the register page (no other channel) BAR0 is plain memory. */
static void ioat_rest_of_bar(struct kunit *test)
{
	struct chan c = chan_plug(test, SIM_HOTPLUG_DEVFN);

	/* Right after the register page. */
	writel(0xcafe0100, c.fn.regs + SIMIOAT_REGS_SIZE);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_REGS_SIZE), 0xcafe0100);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_REGS_SIZE, 4), 0xcafe0100);
	writel(0x12345678, c.fn.regs + SZ_4K);
	writeq(~0ULL, c.fn.regs + SIMIOAT_MSIX_PBA + 0x10);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SZ_4K), 0x12345678);
	KUNIT_EXPECT_EQ(test, user_load(&c, SZ_4K, 4), 0x12345678);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_MSIX_PBA + 0x10),
			~0ULL);
	user_store(&c, SZ_8K - 8, 8, 0xfeed);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SZ_8K - 8), 0xfeed);
}

/* A write covering several registers applies each one's rule. */
static void ioat_register_wide_write(struct kunit *test)
{
	struct chan c = chan_open(test);

	/* CHANCMD, a reserved byte, DMACOUNT: a doorbell of 0x1234. */
	writel(0x12340000 | 0xff00 | SIMIOAT_CHANCMD_SUSPEND,
	       c.fn.regs + SIMIOAT_CHANCMD);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_CHANCMD), 0);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_CHANCMD + 1), 0);
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_DMACOUNT), 0x1234);
	/* The low half of CHAINADDR, then the high half. */
	writel(0x89abcdc0, c.fn.regs + SIMIOAT_CHAINADDR);
	writel(0x1, c.fn.regs + SIMIOAT_CHAINADDR + 4);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CHAINADDR),
			0x189abcdc0ULL);
	/* A new chain has nothing rung yet. */
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_DMACOUNT), 0);
}

/* One descriptor of a page and a half, unaligned at both ends. */
static void ioat_copy(struct kunit *test)
{
	bool user = *(const bool *)test->param_value;
	struct chan c = chan_open(test);
	u32 len = PAGE_SIZE + PAGE_SIZE / 2;

	put_chain(&c, 1, len, 0);
	put_desc(&c, 0, len, 0, page_iova(DATA_PAGE(0)) + 3,
		 page_iova(DATA_PAGE(6)) + 5, desc_iova(1));
	ring(test, &c, user, desc_iova(0), 1);

	KUNIT_EXPECT_MEMEQ(test, data(&c, 6) + 5, data(&c, 0) + 3, len);
	KUNIT_EXPECT_EQ(test, data(&c, 6)[4], 0);
	KUNIT_EXPECT_EQ(test, data(&c, 6)[5 + len], 0);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CDAR), desc_iova(0));
	/* The kernel reads the doorbells as written... */
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_DMACOUNT), 1);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CHAINADDR),
			desc_iova(0));
	/* ...a mapping with the markers that make the next store seen. */
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_DMACOUNT, 2),
			1 ^ BIT(15));
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHAINADDR, 8),
			desc_iova(0) ^ 1);
}

/* One descriptor of XFERCAP, 1 MiB, the largest there is. */
static void ioat_copy_xfercap(struct kunit *test)
{
	struct chan c = chan_plug(test, SIM_HOTPLUG_DEVFN);
	u32 len = BIT(SIMIOAT_XFERCAP_LOG2);
	unsigned int src = 1, dst = 1 + len / PAGE_SIZE;
	u32 i;

	c.mem = sim_use_translate(test, 1 + 2 * len / PAGE_SIZE);
	for (i = 0; i < len; i++)
		c.mem[src * PAGE_SIZE + i] = i * 31 + i / PAGE_SIZE;
	put_desc(&c, 0, len, 0, page_iova(src), page_iova(dst), desc_iova(1));
	ring(test, &c, false, desc_iova(0), 1);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_MEMEQ(test, c.mem + dst * PAGE_SIZE,
			   c.mem + src * PAGE_SIZE, len);
}

/* DMACOUNT counts descriptors from CHAINADDR: more of it appends. */
static void ioat_chain(struct kunit *test)
{
	bool user = *(const bool *)test->param_value;
	struct chan c = chan_open(test);
	unsigned int i;

	put_chain(&c, 6, 512, 0);
	ring(test, &c, user, desc_iova(0), 2);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(1) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_EQ(test, data(&c, 8)[0], 0);

	store(test, &c, user, SIMIOAT_DMACOUNT, 2, 5);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(4) | SIMIOAT_CHANSTS_DONE);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_MEMEQ(test, data(&c, 6 + i), data(&c, i), 512);
	/* The sixth was never rung. */
	KUNIT_EXPECT_EQ(test, data(&c, 11)[0], 0);
}

/* More descriptors than one poll runs: the channel is active between. */
static void ioat_long_chain(struct kunit *test)
{
	struct chan c = chan_open(test);
	unsigned int i, n = 2 * SIMIOAT_BUDGET + 3;

	for (i = 0; i < n; i++)
		put_desc(&c, i, 64, 0, page_iova(DATA_PAGE(0)) + 64 * i,
			 page_iova(DATA_PAGE(1)) + 64 * i, desc_iova(i + 1));
	memset(data(&c, 0), 0x5c, PAGE_SIZE);
	ring(test, &c, false, desc_iova(0), n);
	KUNIT_EXPECT_EQ(test, chansts(&c),
			desc_iova(n - 1) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 1), data(&c, 0), 64 * n);
	KUNIT_EXPECT_EQ(test, data(&c, 1)[64 * n], 0);
}

/*
 * What Linux's VFIO selftest driver for this part does, by stores through
 * its mapping: one descriptor that points at itself, and every round the
 * same CHAINADDR and the same DMACOUNT, then a suspend.
 */
static void ioat_same_stores_again(struct kunit *test)
{
	struct chan c = chan_open(test);
	int round;

	store(test, &c, true, SIMIOAT_CHANCMD, 1, SIMIOAT_CHANCMD_RESET);
	KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_HALTED);
	store(test, &c, true, SIMIOAT_INTRCTRL, 1, SIMIOAT_INTRCTRL_MSIX_EN);
	put_desc(&c, 0, 256, 0, page_iova(DATA_PAGE(0)),
		 page_iova(DATA_PAGE(1)), desc_iova(0));
	for (round = 0; round < 3; round++) {
		memset(data(&c, 0), 0x10 + round, 256);
		user_store(&c, SIMIOAT_CHAINADDR, 8, desc_iova(0));
		user_store(&c, SIMIOAT_CHANCTRL, 2,
			   SIMIOAT_CHANCTRL_INT_REARM |
			   SIMIOAT_CHANCTRL_ERR_ABORT_EN);
		user_store(&c, SIMIOAT_DMACOUNT, 2, 4);
		chan_settle(test, &c);
		KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_DONE);
		KUNIT_EXPECT_MEMEQ(test, data(&c, 1), data(&c, 0), 256);
		store(test, &c, true, SIMIOAT_CHANCMD, 1,
		      SIMIOAT_CHANCMD_SUSPEND);
		KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_SUSPENDED);
		KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANCMD, 1), 0);
	}
}

enum irq_setup { IRQ_MSIX, IRQ_MASTER, IRQ_OFF };

struct completion_case {
	const char *name;
	u32 ctl;
	bool rearm;
	enum irq_setup intrctrl;
	bool written_back;
	int irqs;
};

static const struct completion_case completion_cases[] = {
	{ "status only", 0, true, IRQ_MSIX, false, 0 },
	{ "write-back", SIMIOAT_DESC_COMPL, true, IRQ_MSIX, true, 0 },
	{ "MSI-X", SIMIOAT_DESC_INT_EN, true, IRQ_MSIX, false, 1 },
	{ "MSI-X by the master enable", SIMIOAT_DESC_INT_EN, true,
	  IRQ_MASTER, false, 1 },
	{ "MSI-X and write-back", SIMIOAT_DESC_INT_EN | SIMIOAT_DESC_COMPL,
	  true, IRQ_MSIX, true, 1 },
	{ "interrupt not armed", SIMIOAT_DESC_INT_EN, false, IRQ_MSIX,
	  false, 0 },
	{ "interrupts off in INTRCTRL", SIMIOAT_DESC_INT_EN, true, IRQ_OFF,
	  false, 0 },
};

KUNIT_ARRAY_PARAM_DESC(completion, completion_cases, name);

static struct sim_irq *chan_irq(struct kunit *test, struct chan *c)
{
	sim_alloc_vectors(test, c->fn.pdev, 1, PCI_IRQ_MSIX);
	return sim_count_irq(test, c->fn.pdev, pci_irq_vector(c->fn.pdev, 0),
			     false);
}

static const u8 intrctrl_of[] = {
	[IRQ_MSIX] = SIMIOAT_INTRCTRL_MSIX_EN,
	[IRQ_MASTER] = SIMIOAT_INTRCTRL_MASTER_EN,
	[IRQ_OFF] = 0,
};

/* Completion by status, by write-back of CHANSTS, by MSI-X. */
static void ioat_completion(struct kunit *test)
{
	const struct completion_case *k = test->param_value;
	struct chan c = chan_open(test);
	struct sim_irq *irq = chan_irq(test, &c);
	u64 *cmp = (u64 *)(c.mem + PAGE_SIZE);

	*cmp = ~0ULL;
	writeb(intrctrl_of[k->intrctrl], c.fn.regs + SIMIOAT_INTRCTRL);
	writeq(CMP_IOVA, c.fn.regs + SIMIOAT_CHANCMP);
	if (k->rearm)
		writew(SIMIOAT_CHANCTRL_INT_REARM,
		       c.fn.regs + SIMIOAT_CHANCTRL);
	put_chain(&c, 1, 128, k->ctl);
	ring(test, &c, false, desc_iova(0), 1);

	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_EQ(test, *cmp, k->written_back ?
			desc_iova(0) | SIMIOAT_CHANSTS_DONE : ~0ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&irq->hits), k->irqs);
}

/* One interrupt per arming: INT_REARM after each gives one per descriptor. */
static void ioat_rearm(struct kunit *test)
{
	struct chan c = chan_open(test);
	struct sim_irq *irq = chan_irq(test, &c);
	int i;

	writeb(SIMIOAT_INTRCTRL_MSIX_EN, c.fn.regs + SIMIOAT_INTRCTRL);
	put_chain(&c, 4, 64, SIMIOAT_DESC_INT_EN);
	writeq(desc_iova(0), c.fn.regs + SIMIOAT_CHAINADDR);
	for (i = 1; i <= 2; i++) {
		store(test, &c, true, SIMIOAT_CHANCTRL, 2,
		      SIMIOAT_CHANCTRL_INT_REARM);
		store(test, &c, true, SIMIOAT_DMACOUNT, 2, i);
		KUNIT_EXPECT_EQ(test, atomic_read(&irq->hits), i);
	}
	/* Two more descriptors without arming again: no interrupt. */
	store(test, &c, false, SIMIOAT_DMACOUNT, 2, 4);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(3) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_EQ(test, atomic_read(&irq->hits), 2);
}

/* The null descriptor moves no data and needs no length. */
static void ioat_null_descriptor(struct kunit *test)
{
	struct chan c = chan_open(test);

	put_chain(&c, 1, 0, SIMIOAT_DESC_NULL);
	ring(test, &c, false, desc_iova(0), 1);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR), 0);
	KUNIT_EXPECT_EQ(test, data(&c, 6)[0], 0);
}

struct fault_case {
	const char *name;
	u32 size;
	u32 ctl;
	unsigned int src_page;
	unsigned int dst_page;
	unsigned int chain_off;		/* added to descriptor 0's address */
	unsigned int good;		/* descriptors that complete first */
	unsigned long readonly;
	u64 cmp;
	u32 err;
	bool copied;			/* the faulting one moved its data */
};

#define FAULT(...) { .size = 256, .src_page = DATA_PAGE(0), \
		     .dst_page = DATA_PAGE(6), .cmp = CMP_IOVA, __VA_ARGS__ }

static const struct fault_case fault_cases[] = {
	FAULT(.name = "descriptor not mapped",
	      .chain_off = ABSENT_PAGE * PAGE_SIZE,
	      .err = SIMIOAT_CHANERR_NEXT_ADDR),
	FAULT(.name = "descriptor misaligned", .chain_off = 8,
	      .err = SIMIOAT_CHANERR_NEXT_ALIGN),
	FAULT(.name = "source not mapped", .src_page = ABSENT_PAGE,
	      .err = SIMIOAT_CHANERR_SRC_ADDR),
	FAULT(.name = "destination not mapped", .dst_page = ABSENT_PAGE,
	      .err = SIMIOAT_CHANERR_DEST_ADDR),
	FAULT(.name = "destination read-only",
	      .readonly = BIT(DATA_PAGE(6)), .err = SIMIOAT_CHANERR_DEST_ADDR),
	FAULT(.name = "second destination page read-only",
	      .size = PAGE_SIZE + 256, .readonly = BIT(DATA_PAGE(7)),
	      .err = SIMIOAT_CHANERR_DEST_ADDR),
	FAULT(.name = "unknown opcode", .ctl = 0x87 << 24,
	      .err = SIMIOAT_CHANERR_CONTROL),
	FAULT(.name = "length 0", .size = 0, .err = SIMIOAT_CHANERR_LENGTH),
	FAULT(.name = "length past XFERCAP",
	      .size = BIT(SIMIOAT_XFERCAP_LOG2) + 1,
	      .err = SIMIOAT_CHANERR_LENGTH),
	FAULT(.name = "completion address not mapped",
	      .ctl = SIMIOAT_DESC_COMPL, .cmp = SIM_XLATE_BASE + ABSENT_PAGE * PAGE_SIZE,
	      .err = SIMIOAT_CHANERR_COMPL_ADDR, .copied = true),
	FAULT(.name = "completion address unaligned",
	      .ctl = SIMIOAT_DESC_COMPL, .cmp = CMP_IOVA + 4,
	      .err = SIMIOAT_CHANERR_COMPL_ADDR, .copied = true),
	FAULT(.name = "second descriptor's source not mapped", .good = 1,
	      .src_page = ABSENT_PAGE, .err = SIMIOAT_CHANERR_SRC_ADDR),
};

KUNIT_ARRAY_PARAM_DESC(fault, fault_cases, name);

/*
 * A fault halts the channel with CHANERR (and CHANERR_INT in config
 * space) set, CDAR at the descriptor, and the faulting copy's memory
 * untouched; doorbells wait for a channel reset, after which it copies.
 */
static void ioat_fault(struct kunit *test)
{
	const struct fault_case *k = test->param_value;
	struct chan c = chan_open(test);
	unsigned int bad = k->good;
	u64 bad_iova = desc_iova(bad) + (bad ? 0 : k->chain_off);
	u8 *before;
	u32 cfg;

	put_chain(&c, bad + 1, 256, 0);
	put_desc(&c, bad, k->size, k->ctl, page_iova(k->src_page),
		 page_iova(k->dst_page), desc_iova(bad + 1));
	before = kunit_kmalloc(test, PAGES * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	sim_xlate.readonly = k->readonly;
	writeq(k->cmp, c.fn.regs + SIMIOAT_CHANCMP);
	if (bad)
		ring(test, &c, false, desc_iova(0), bad);
	memcpy(before, c.mem, PAGES * PAGE_SIZE);
	if (bad)
		store(test, &c, false, SIMIOAT_DMACOUNT, 2, bad + 1);
	else
		ring(test, &c, false, bad_iova, 1);

	KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR), k->err);
	pci_read_config_dword(c.fn.pdev, SIMIOAT_CFG_CHANERR_INT, &cfg);
	KUNIT_EXPECT_EQ(test, cfg, k->err);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CDAR), bad_iova);
	/* The last one done stays in CHANSTS. */
	KUNIT_EXPECT_EQ(test, chansts(&c) & SIMIOAT_CHANSTS_ADDR,
			bad || k->copied ? desc_iova(bad - !k->copied) : 0);
	if (!k->copied)
		KUNIT_EXPECT_MEMEQ(test, c.mem + 2 * PAGE_SIZE,
				   before + 2 * PAGE_SIZE,
				   (PAGES - 2) * PAGE_SIZE);

	/* Halted with an error: a doorbell does nothing. */
	store(test, &c, false, SIMIOAT_DMACOUNT, 2, bad + 2);
	KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_HALTED);

	/* Both error registers are write-1-to-clear; a reset recovers. */
	pci_write_config_dword(c.fn.pdev, SIMIOAT_CFG_CHANERR_INT, k->err);
	pci_read_config_dword(c.fn.pdev, SIMIOAT_CFG_CHANERR_INT, &cfg);
	KUNIT_EXPECT_EQ(test, cfg, 0);
	store(test, &c, false, SIMIOAT_CHANCMD, 1, SIMIOAT_CHANCMD_RESET);
	KUNIT_EXPECT_EQ(test, chansts(&c), SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR), 0);
	sim_xlate.readonly = 0;
	put_chain(&c, 1, 256, 0);
	ring(test, &c, false, desc_iova(0), 1);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 6), data(&c, 0), 256);
}

/*
 * An error is reported by the error interrupt and the error write-back
 * when CHANCTRL asks; CHANERRMSK_INT keeps it out of CHANERR_INT.
 */
static void ioat_fault_reported(struct kunit *test)
{
	struct chan c = chan_open(test);
	struct sim_irq *irq = chan_irq(test, &c);
	u64 *cmp = (u64 *)(c.mem + PAGE_SIZE);
	u32 cfg;

	writeb(SIMIOAT_INTRCTRL_MSIX_EN, c.fn.regs + SIMIOAT_INTRCTRL);
	writeq(CMP_IOVA, c.fn.regs + SIMIOAT_CHANCMP);
	writew(SIMIOAT_CHANCTRL_INT_REARM | SIMIOAT_CHANCTRL_ERR_INT_EN |
	       SIMIOAT_CHANCTRL_ERR_COMPL_EN, c.fn.regs + SIMIOAT_CHANCTRL);
	pci_write_config_dword(c.fn.pdev, SIMIOAT_CFG_CHANERRMSK_INT,
			       SIMIOAT_CHANERR_SRC_ADDR);
	put_chain(&c, 2, 64, 0);
	put_desc(&c, 1, 64, 0, page_iova(ABSENT_PAGE), page_iova(DATA_PAGE(7)),
		 desc_iova(2));
	ring(test, &c, false, desc_iova(0), 2);

	KUNIT_EXPECT_EQ(test, atomic_read(&irq->hits), 1);
	KUNIT_EXPECT_EQ(test, *cmp, desc_iova(0) | SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR),
			SIMIOAT_CHANERR_SRC_ADDR);
	pci_read_config_dword(c.fn.pdev, SIMIOAT_CFG_CHANERR_INT, &cfg);
	KUNIT_EXPECT_EQ(test, cfg, 0);
}

/* Without Bus Master the channel cannot fetch: it halts. */
static void ioat_no_bus_master(struct kunit *test)
{
	struct chan c = chan_open(test);

	put_chain(&c, 1, 64, 0);
	pci_clear_master(c.fn.pdev);
	ring(test, &c, false, desc_iova(0), 1);
	KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR),
			SIMIOAT_CHANERR_NEXT_ADDR);
	KUNIT_EXPECT_EQ(test, sim_xlate.calls, 0);
	KUNIT_EXPECT_EQ(test, data(&c, 6)[0], 0);
}

struct midway {
	struct chan *c;
	unsigned int at;	/* the translation to act on */
	unsigned int off;	/* a CHANCMD command then */
	u8 cmd;
};

/* The model asks 5 translations per one-page descriptor: act at one. */
static void act_midway(void *data)
{
	struct midway *m = data;

	if (sim_xlate.calls == m->at)
		writeb(m->cmd, m->c->fn.regs + SIMIOAT_CHANCMD);
}

static void run_midway(struct kunit *test, struct chan *c, struct midway *m,
		       unsigned int n)
{
	put_chain(c, n, 256, 0);
	m->c = c;
	sim_xlate.hook = act_midway;
	sim_xlate.hook_data = m;
	ring(test, c, false, desc_iova(0), n);
	sim_xlate.hook = NULL;
}

/* SUSPEND while active: the descriptor in flight ends, the rest waits. */
static void ioat_suspend_active(struct kunit *test)
{
	struct chan c = chan_open(test);
	struct midway m = { .at = 5 * 2 + 2, .cmd = SIMIOAT_CHANCMD_SUSPEND };
	unsigned int i;

	run_midway(test, &c, &m, 5);
	KUNIT_EXPECT_EQ(test, chansts(&c),
			desc_iova(2) | SIMIOAT_CHANSTS_SUSPENDED);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 8), data(&c, 2), 256);
	KUNIT_EXPECT_EQ(test, data(&c, 9)[0], 0);

	/* A doorbell resumes where it stopped. */
	store(test, &c, true, SIMIOAT_DMACOUNT, 2, 5);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(4) | SIMIOAT_CHANSTS_DONE);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_MEMEQ(test, data(&c, 6 + i), data(&c, i), 256);
}

/* SUSPEND of an idle channel is at once; of a halted one, nothing. */
static void ioat_suspend_idle(struct kunit *test)
{
	struct chan c = chan_open(test);

	store(test, &c, false, SIMIOAT_CHANCMD, 1, SIMIOAT_CHANCMD_SUSPEND);
	KUNIT_EXPECT_EQ(test, status(&c), SIMIOAT_CHANSTS_HALTED);
	put_chain(&c, 1, 64, 0);
	ring(test, &c, false, desc_iova(0), 1);
	store(test, &c, false, SIMIOAT_CHANCMD, 1, SIMIOAT_CHANCMD_SUSPEND);
	KUNIT_EXPECT_EQ(test, chansts(&c),
			desc_iova(0) | SIMIOAT_CHANSTS_SUSPENDED);
}

/*
 * RESET while active: the descriptor in flight finishes its copy but
 * reports nothing, the channel is halted at power-on state, nothing else
 * runs, and the channel works again afterwards.
 */
static void ioat_reset_active(struct kunit *test)
{
	struct chan c = chan_open(test);
	struct midway m = { .at = 5 * 2 + 2, .cmd = SIMIOAT_CHANCMD_RESET };

	writeq(CMP_IOVA, c.fn.regs + SIMIOAT_CHANCMP);
	writew(SIMIOAT_CHANCTRL_ERR_INT_EN, c.fn.regs + SIMIOAT_CHANCTRL);
	run_midway(test, &c, &m, 5);
	KUNIT_EXPECT_EQ(test, chansts(&c), SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CDAR), 0);
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_DMACOUNT), 0);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CHAINADDR), 0);
	KUNIT_EXPECT_EQ(test, readq(c.fn.regs + SIMIOAT_CHANCMP), 0);
	KUNIT_EXPECT_EQ(test, readw(c.fn.regs + SIMIOAT_CHANCTRL), 0);
	/* The one in flight when the reset came still moved its data. */
	KUNIT_EXPECT_MEMEQ(test, data(&c, 7), data(&c, 1), 256);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 8), data(&c, 2), 256);
	KUNIT_EXPECT_EQ(test, data(&c, 9)[0], 0);

	ring(test, &c, false, desc_iova(3), 2);
	KUNIT_EXPECT_EQ(test, chansts(&c), desc_iova(4) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 10), data(&c, 4), 256);
}

/* A function reset returns the registers and the RAM to power-on. */
static void ioat_function_reset(struct kunit *test)
{
	struct chan c = chan_open(test);

	put_chain(&c, 1, 64, 0);
	writeb(SIMIOAT_INTRCTRL_MSIX_EN, c.fn.regs + SIMIOAT_INTRCTRL);
	ring(test, &c, false, desc_iova(0), 1);
	KUNIT_ASSERT_EQ(test, pci_reset_function(c.fn.pdev), 0);
	KUNIT_EXPECT_EQ(test, chansts(&c), SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_INTRCTRL), 0);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_VER), SIMIOAT_VER_3_3);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANSTS, 8),
			SIMIOAT_CHANSTS_HALTED);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_DMACOUNT, 2), 0);
}

/*
 * Stores through a mapping: a write-1-to-clear store is seen when it
 * changes a byte, not when it stores exactly the set bits back (a
 * difference from hardware that the README states).
 */
static void ioat_user_chanerr(struct kunit *test)
{
	struct chan c = chan_open(test);

	ring(test, &c, false, desc_iova(0) + 8, 1);
	KUNIT_ASSERT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR),
			SIMIOAT_CHANERR_NEXT_ALIGN);
	store(test, &c, true, SIMIOAT_CHANERR, 4, 0);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANERR, 4),
			SIMIOAT_CHANERR_NEXT_ALIGN);
	store(test, &c, true, SIMIOAT_CHANERR, 4, SIMIOAT_CHANERR_NEXT_ALIGN);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_CHANERR),
			SIMIOAT_CHANERR_NEXT_ALIGN);
	store(test, &c, false, SIMIOAT_CHANERR, 4, SIMIOAT_CHANERR_NEXT_ALIGN);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANERR, 4), 0);
}

/* With Memory Space off the function decodes nothing: stores are lost. */
static void ioat_user_store_not_decoded(struct kunit *test)
{
	struct chan c = chan_open(test);
	u16 cmd;

	pci_read_config_word(c.fn.pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(c.fn.pdev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	user_store(&c, SIMIOAT_GENCTRL, 1, 1);
	chan_settle(test, &c);
	KUNIT_EXPECT_EQ(test, c.ram[SIMIOAT_GENCTRL], 0);
	pci_write_config_word(c.fn.pdev, PCI_COMMAND, cmd);
	KUNIT_EXPECT_EQ(test, readb(c.fn.regs + SIMIOAT_GENCTRL), 0);
}

/* The poller alone takes a doorbell stored through a mapping. */
static void ioat_poller(struct kunit *test)
{
	struct chan c = chan_open(test);
	int i;

	put_chain(&c, 1, 64, 0);
	user_store(&c, SIMIOAT_CHAINADDR, 8, desc_iova(0));
	user_store(&c, SIMIOAT_DMACOUNT, 2, 1);
	for (i = 0; i < 100; i++) {
		if ((user_load(&c, SIMIOAT_CHANSTS, 8) &
		     SIMIOAT_CHANSTS_STATUS) == SIMIOAT_CHANSTS_DONE)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_CHANSTS, 8),
			desc_iova(0) | SIMIOAT_CHANSTS_DONE);
	KUNIT_EXPECT_MEMEQ(test, data(&c, 6), data(&c, 0), 64);
}

/*
 * The MSI-X table is decoded for the kernel; the RAM under it, what a
 * mapping of its page reaches, stays apart from it.
 */
static void ioat_msix_table(struct kunit *test)
{
	struct chan c = chan_open(test);
	u32 data_reg;

	sim_alloc_vectors(test, c.fn.pdev, 1, PCI_IRQ_MSIX);
	data_reg = readl(c.fn.regs + SIMIOAT_MSIX_TABLE + PCI_MSIX_ENTRY_DATA);
	KUNIT_EXPECT_NE(test, readl(c.fn.regs + SIMIOAT_MSIX_TABLE), 0);
	KUNIT_EXPECT_EQ(test, user_load(&c, SIMIOAT_MSIX_TABLE, 8), 0);
	user_store(&c, SIMIOAT_MSIX_TABLE + PCI_MSIX_ENTRY_DATA, 4, ~0U);
	KUNIT_EXPECT_EQ(test, readl(c.fn.regs + SIMIOAT_MSIX_TABLE +
				    PCI_MSIX_ENTRY_DATA), data_reg);
}

static struct kunit_case sim_ioat_cases[] = {
	KUNIT_CASE(ioat_identity),
	KUNIT_CASE_PARAM(ioat_register_rules, reg_gen_params),
	KUNIT_CASE(ioat_register_wide_write),
	KUNIT_CASE(ioat_rest_of_bar),
	KUNIT_CASE_PARAM(ioat_copy, path_gen_params),
	KUNIT_CASE(ioat_copy_xfercap),
	KUNIT_CASE_PARAM(ioat_chain, path_gen_params),
	KUNIT_CASE(ioat_long_chain),
	KUNIT_CASE(ioat_same_stores_again),
	KUNIT_CASE_PARAM(ioat_completion, completion_gen_params),
	KUNIT_CASE(ioat_rearm),
	KUNIT_CASE(ioat_null_descriptor),
	KUNIT_CASE_PARAM(ioat_fault, fault_gen_params),
	KUNIT_CASE(ioat_fault_reported),
	KUNIT_CASE(ioat_no_bus_master),
	KUNIT_CASE(ioat_suspend_active),
	KUNIT_CASE(ioat_suspend_idle),
	KUNIT_CASE(ioat_reset_active),
	KUNIT_CASE(ioat_function_reset),
	KUNIT_CASE(ioat_user_chanerr),
	KUNIT_CASE(ioat_user_store_not_decoded),
	KUNIT_CASE(ioat_poller),
	KUNIT_CASE(ioat_msix_table),
	{}
};

static struct kunit_suite sim_ioat_suite = {
	.name = "simpci_ioat",
	.test_cases = sim_ioat_cases,
};
kunit_test_suite(sim_ioat_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated Intel I/OAT channel");
MODULE_LICENSE("GPL");
