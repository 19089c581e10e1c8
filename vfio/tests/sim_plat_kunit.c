// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated platform (vfio/sim/plat*.c) through the
 * kernel's own APIs: the devices of the tree as of_platform made them,
 * register and RAM windows through ioremap(), level and edge interrupts
 * through the IRQ core, reset by register, and DMA through the fake
 * IOMMU, with a group of its own for each device.
 */
#include <kunit/test.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/of_device.h>
#include <linux/of_platform.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>

#include "simiommu_helpers.h"
#include "sim/simplat.h"
#include "sim/simplat_models.h"

#define DMA_LOCAL_SIZE	0x10000
#define IOVA_BUF	0x40000000ULL

struct plat_fn {
	struct platform_device *pdev;
	struct simplat_dev *sdev;
	void __iomem *regs;
};


static void unmap_io(void *p)
{
	iounmap((void __force __iomem *)p);
}

static void __iomem *plat_ioremap(struct kunit *test, resource_size_t start,
				  size_t size)
{
	void __iomem *p = ioremap(start, size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unmap_io,
							   (void __force *)p));
	return p;
}

/* The device of the tree's node with @compatible, its registers mapped. */
static struct plat_fn plat_open(struct kunit *test, const char *compatible)
{
	struct plat_fn fn = { .pdev = sim_plat_device(test, compatible) };
	struct resource *r;

	fn.sdev = simplat_dev_find(fn.pdev->dev.of_node);
	KUNIT_ASSERT_NOT_NULL(test, fn.sdev);
	r = platform_get_resource(fn.pdev, IORESOURCE_MEM, 0);
	KUNIT_ASSERT_NOT_NULL(test, r);
	fn.regs = plat_ioremap(test, r->start, resource_size(r));
	return fn;
}

/* The device taken by the fake IOMMU, as a driver's probe would have it. */
static struct iommu_group *plat_iommu(struct kunit *test, struct plat_fn *fn)
{
	KUNIT_ASSERT_EQ(test, 0, of_dma_configure(&fn->pdev->dev,
						  fn->pdev->dev.of_node, true));
	return sim_group(test, &fn->pdev->dev);
}

struct plat_node_case {
	const char *compatible;
	resource_size_t regs;		/* reg 0 */
	resource_size_t regs_size;
	resource_size_t ram;		/* reg 1's size, 0 for none */
	unsigned int nr_irqs;
	unsigned int type[2];
};

static const struct plat_node_case plat_node_cases[] = {
	{ "uvfio-sim,dma", 0xd0010000, 0x100, DMA_LOCAL_SIZE, 2,
	  { IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_EDGE_RISING } },
	{ "uvfio-sim,regs", 0xd0020000, SIMPLAT_REGS_SIZE, 0, 1,
	  { IRQ_TYPE_EDGE_RISING } },
	{ "uvfio-sim,scratch", 0xd0021000, SIMPLAT_REGS_SIZE, 0, 1,
	  { IRQ_TYPE_EDGE_RISING } },
};

static void plat_node_desc(const struct plat_node_case *c, char *desc)
{
	strscpy(desc, c->compatible, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(plat_node, plat_node_cases, plat_node_desc);

/*
 * of_platform made each node a device with the tree's windows as memory
 * resources and its interrupts, of the tree's types, from our controller.
 * A RAM window is where its reserved-memory region was placed at boot.
 */
static void plat_tree_devices(struct kunit *test)
{
	const struct plat_node_case *c = test->param_value;
	struct plat_fn fn = plat_open(test, c->compatible);
	struct device_node *mem;
	struct reserved_mem *rmem = NULL;
	struct resource *r;
	unsigned int i;
	size_t size = 0;
	int irq;

	r = platform_get_resource(fn.pdev, IORESOURCE_MEM, 0);
	KUNIT_EXPECT_EQ(test, r->start, c->regs);
	KUNIT_EXPECT_EQ(test, resource_size(r), c->regs_size);
	mem = of_parse_phandle(fn.pdev->dev.of_node, "memory-region", 0);
	if (mem)
		rmem = of_reserved_mem_lookup(mem);
	of_node_put(mem);
	KUNIT_EXPECT_EQ(test, !!rmem, !!c->ram);
	r = platform_get_resource(fn.pdev, IORESOURCE_MEM, 1);
	KUNIT_EXPECT_EQ(test, r ? resource_size(r) : 0, c->ram);
	if (rmem && r) {
		KUNIT_EXPECT_EQ(test, r->start, rmem->base);
		KUNIT_EXPECT_EQ(test, resource_size(r), rmem->size);
		KUNIT_EXPECT_TRUE(test, pfn_valid(PHYS_PFN(r->start)));
	}
	KUNIT_EXPECT_EQ(test, !!simplat_dev_ram(fn.sdev, 1, &size), !!c->ram);
	KUNIT_EXPECT_EQ(test, size, c->ram);
	KUNIT_EXPECT_NULL(test, platform_get_resource(fn.pdev,
						      IORESOURCE_MEM, 2));

	for (i = 0; i < c->nr_irqs; i++) {
		irq = platform_get_irq(fn.pdev, i);
		KUNIT_ASSERT_GT(test, irq, 0);
		KUNIT_EXPECT_EQ_MSG(test, irq_get_trigger_type(irq), c->type[i],
				    "interrupt %u", i);
	}
	KUNIT_EXPECT_LT(test, platform_get_irq_optional(fn.pdev, i), 0);
	KUNIT_EXPECT_PTR_EQ(test, simplat_dev_node(fn.sdev),
			    fn.pdev->dev.of_node);
}

/* Registers decode at access time; what nobody decodes reads all ones. */
static void plat_register_access(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");
	void __iomem *hole = plat_ioremap(test, 0xd0030000, 0x100);

	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_ID),
			SIMPLAT_DMA_ID_VALUE);
	KUNIT_EXPECT_EQ(test, ioread16(dma.regs + SIMPLAT_DMA_ID + 2),
			SIMPLAT_DMA_ID_VALUE >> 16);
	KUNIT_EXPECT_EQ(test, ioread8(dma.regs + SIMPLAT_DMA_ID + 1),
			(SIMPLAT_DMA_ID_VALUE >> 8) & 0xff);
	iowrite32(0, dma.regs + SIMPLAT_DMA_ID);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_ID),
			SIMPLAT_DMA_ID_VALUE);

	writeq(0x123456789abcdef0ULL, dma.regs + SIMPLAT_DMA_IOVA);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPLAT_DMA_IOVA),
			0x123456789abcdef0ULL);
	iowrite32(0x11223344, dma.regs + SIMPLAT_DMA_IOVA + 4);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPLAT_DMA_IOVA),
			0x112233449abcdef0ULL);
	/* Narrower writes are dropped. */
	iowrite16(0xffff, dma.regs + SIMPLAT_DMA_SCRATCH);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_SCRATCH), 0);
	iowrite32(0xcafe, dma.regs + SIMPLAT_DMA_SCRATCH);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_SCRATCH), 0xcafe);

	KUNIT_EXPECT_EQ(test, ioread32(regs.regs + SIMPLAT_REGS_ID),
			SIMPLAT_REGS_ID_VALUE);
	iowrite32(0x5a5a, regs.regs + SIMPLAT_REGS_SIZE - 4);
	KUNIT_EXPECT_EQ(test, ioread32(regs.regs + SIMPLAT_REGS_SIZE - 4),
			0x5a5a);
	KUNIT_EXPECT_EQ(test, ioread32(regs.regs + SIMPLAT_REGS_SCRATCH), 0);

	KUNIT_EXPECT_EQ(test, ioread32(hole), 0xffffffff);
	KUNIT_EXPECT_EQ(test, ioread8(hole + 3), 0xff);
	/* An access running past a window is nobody's either. */
	KUNIT_EXPECT_EQ(test, readq(regs.regs + SIMPLAT_REGS_SIZE - 4), ~0ULL);

	iowrite32(0, regs.regs + SIMPLAT_REGS_SIZE - 4);
	iowrite32(0, dma.regs + SIMPLAT_DMA_SCRATCH);
}

/* The DMA engine's local memory: reserved pages, reached both ways. */
static void plat_ram_window(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");
	struct resource *r = platform_get_resource(dma.pdev, IORESOURCE_MEM, 1);
	void __iomem *io = plat_ioremap(test, r->start, resource_size(r));
	size_t size = 0;
	u32 *ram = simplat_dev_ram(dma.sdev, 1, &size);

	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_EXPECT_EQ(test, size, DMA_LOCAL_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, (void *)ram, phys_to_virt(r->start));
	KUNIT_EXPECT_TRUE(test, PageReserved(virt_to_page(ram)));
	KUNIT_EXPECT_TRUE(test, PageReserved(virt_to_page((u8 *)ram +
							  size - 1)));
	KUNIT_EXPECT_NULL(test, simplat_dev_ram(dma.sdev, 0, &size));
	KUNIT_EXPECT_NULL(test, simplat_dev_ram(regs.sdev, 1, &size));

	iowrite32(0xfeedf00d, io + 0x100);
	KUNIT_EXPECT_EQ(test, ram[0x100 / 4], 0xfeedf00d);
	ram[size / 4 - 1] = 0x0badcafe;
	KUNIT_EXPECT_EQ(test, ioread32(io + size - 4), 0x0badcafe);
	KUNIT_EXPECT_EQ(test, ioread8(io + size - 1), 0x0b);
	ram[0x100 / 4] = 0;
	ram[size / 4 - 1] = 0;
}

struct counted {
	unsigned int irq;
	atomic_t hits;
	bool automask;
};

/* What vfio-platform does with a level interrupt: mask until unmasked. */
static irqreturn_t count_handler(int irq, void *data)
{
	struct counted *c = data;

	atomic_inc(&c->hits);
	if (c->automask)
		disable_irq_nosync(irq);
	return IRQ_HANDLED;
}

static void free_counted(void *data)
{
	struct counted *c = data;

	free_irq(c->irq, c);
}

static struct counted *count_irq(struct kunit *test, struct plat_fn *fn,
				 unsigned int index, bool automask)
{
	struct counted *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	int irq = platform_get_irq(fn->pdev, index);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_GT(test, irq, 0);
	c->irq = irq;
	c->automask = automask;
	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, count_handler, 0,
					     "simplat-test", c));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_counted,
							   c));
	/* An edge left pending at the controller by an earlier user. */
	simplat_flush_irqs();
	atomic_set(&c->hits, 0);
	return c;
}

static int hits(struct counted *c)
{
	simplat_flush_irqs();
	return atomic_read(&c->hits);
}

static void dma_start(struct plat_fn *fn, u64 iova, u32 local, u32 len,
		      u32 ctrl)
{
	writeq(iova, fn->regs + SIMPLAT_DMA_IOVA);
	iowrite32(local, fn->regs + SIMPLAT_DMA_LOCAL);
	iowrite32(len, fn->regs + SIMPLAT_DMA_LEN);
	iowrite32(ctrl | SIMPLAT_DMA_GO, fn->regs + SIMPLAT_DMA_CTRL);
}

static unsigned int line_of(struct kunit *test, struct plat_fn *fn,
			    unsigned int index)
{
	int irq = platform_get_irq(fn->pdev, index);

	KUNIT_ASSERT_GT(test, irq, 0);
	return irq_get_irq_data(irq)->hwirq;
}

/*
 * The completion interrupt is a level: it fires once, again at each
 * unmask while the status is not acknowledged, and not after.
 */
static void plat_level_irq(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct counted *c = count_irq(test, &dma, 0, true);
	unsigned int line = line_of(test, &dma, 0);

	KUNIT_EXPECT_FALSE(test, simplat_line_high(line));
	dma_start(&dma, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_STATUS),
			SIMPLAT_DMA_DONE);
	KUNIT_EXPECT_TRUE(test, simplat_line_high(line));
	KUNIT_EXPECT_EQ(test, hits(c), 1);

	enable_irq(c->irq);
	KUNIT_EXPECT_EQ(test, hits(c), 2);

	iowrite32(SIMPLAT_DMA_DONE, dma.regs + SIMPLAT_DMA_STATUS);
	KUNIT_EXPECT_FALSE(test, simplat_line_high(line));
	enable_irq(c->irq);
	KUNIT_EXPECT_EQ(test, hits(c), 2);

	/* A second completion while unmasked: once more. */
	dma_start(&dma, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, hits(c), 3);
	iowrite32(SIMPLAT_DMA_DONE, dma.regs + SIMPLAT_DMA_STATUS);
	enable_irq(c->irq);
	KUNIT_EXPECT_EQ(test, hits(c), 3);
}

/*
 * Edges fire once a pulse; pulses while the line is masked at the
 * controller are latched and fire at the unmask.
 */
static void plat_edge_irq(struct kunit *test)
{
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct counted *c = count_irq(test, &regs, 0, false);
	struct counted *bell = count_irq(test, &dma, 1, false);

	iowrite32(1, regs.regs + SIMPLAT_REGS_EDGE);
	KUNIT_EXPECT_EQ(test, hits(c), 1);
	iowrite32(1, regs.regs + SIMPLAT_REGS_EDGE);
	KUNIT_EXPECT_EQ(test, hits(c), 2);
	KUNIT_EXPECT_FALSE(test, simplat_line_high(line_of(test, &regs, 0)));
	/* Other registers raise nothing. */
	iowrite32(1, regs.regs + SIMPLAT_REGS_SCRATCH);
	ioread32(regs.regs + SIMPLAT_REGS_EDGE);
	KUNIT_EXPECT_EQ(test, hits(c), 2);

	sim_unlazy(test, c->irq);
	disable_irq(c->irq);
	iowrite32(1, regs.regs + SIMPLAT_REGS_EDGE);
	KUNIT_EXPECT_EQ(test, hits(c), 2);
	enable_irq(c->irq);
	KUNIT_EXPECT_EQ(test, hits(c), 3);

	iowrite32(1, dma.regs + SIMPLAT_DMA_DOORBELL);
	KUNIT_EXPECT_EQ(test, hits(bell), 1);
	KUNIT_EXPECT_EQ(test, hits(c), 3);
	iowrite32(0, regs.regs + SIMPLAT_REGS_SCRATCH);
}

/* A device raises only the interrupts it has, of the kind they are. */
static void plat_line_kinds(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");

	KUNIT_EXPECT_EQ(test, simplat_set_level(dma.sdev, 1, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, simplat_pulse(dma.sdev, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, simplat_set_level(dma.sdev, 2, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, simplat_pulse(dma.sdev, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, simplat_pulse(regs.sdev, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, simplat_set_level(regs.sdev, 0, true), -EINVAL);
	KUNIT_EXPECT_FALSE(test, simplat_line_high(line_of(test, &dma, 1)));
	KUNIT_EXPECT_FALSE(test, simplat_line_high(SIMPLAT_LINES));

	KUNIT_EXPECT_EQ(test, simplat_set_level(dma.sdev, 0, true), 0);
	KUNIT_EXPECT_TRUE(test, simplat_line_high(line_of(test, &dma, 0)));
	KUNIT_EXPECT_EQ(test, simplat_set_level(dma.sdev, 0, false), 0);
	KUNIT_EXPECT_FALSE(test, simplat_line_high(line_of(test, &dma, 0)));
}

/*
 * The reset register puts the registers back to power-on and takes a
 * pending level down; the local memory keeps its content.
 */
static void plat_reset(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");
	unsigned int before = simplat_dev_resets(dma.sdev);
	unsigned int line = line_of(test, &dma, 0);
	size_t size;
	u32 *ram = simplat_dev_ram(dma.sdev, 1, &size);

	ram[0] = 0x600df00d;
	iowrite32(7, dma.regs + SIMPLAT_DMA_SCRATCH);
	dma_start(&dma, 0, 0, 0, 0);
	KUNIT_ASSERT_TRUE(test, simplat_line_high(line));
	iowrite32(0, dma.regs + SIMPLAT_DMA_RESET);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(dma.sdev), before);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_SCRATCH), 7);

	iowrite32(1, dma.regs + SIMPLAT_DMA_RESET);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(dma.sdev), before + 1);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_SCRATCH), 0);
	KUNIT_EXPECT_EQ(test, ioread32(dma.regs + SIMPLAT_DMA_STATUS), 0);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPLAT_DMA_IOVA), 0);
	KUNIT_EXPECT_FALSE(test, simplat_line_high(line));
	KUNIT_EXPECT_EQ(test, ram[0], 0x600df00d);
	ram[0] = 0;

	before = simplat_dev_resets(regs.sdev);
	iowrite32(9, regs.regs + SIMPLAT_REGS_SCRATCH);
	iowrite32(1, regs.regs + SIMPLAT_REGS_RESET);
	KUNIT_EXPECT_EQ(test, ioread32(regs.regs + SIMPLAT_REGS_SCRATCH), 0);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(regs.sdev), before + 1);
	simplat_dev_reset(regs.sdev);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(regs.sdev), before + 2);
}

static u32 dma_status(struct plat_fn *fn)
{
	u32 status = ioread32(fn->regs + SIMPLAT_DMA_STATUS);

	iowrite32(status, fn->regs + SIMPLAT_DMA_STATUS);
	return status;
}

/*
 * Taken by the fake IOMMU, each device is a group of its own; on the
 * identity default domain bus addresses are physical.
 */
static void plat_dma_identity(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct plat_fn regs = plat_open(test, "uvfio-sim,regs");
	struct iommu_group *group = plat_iommu(test, &dma);
	u8 *buf = kunit_kzalloc(test, PAGE_SIZE * 2, GFP_KERNEL);
	size_t size;
	u8 *ram = simplat_dev_ram(dma.sdev, 1, &size);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_PTR_NE(test, group, plat_iommu(test, &regs));
	KUNIT_EXPECT_EQ(test, iommu_get_domain_for_dev(&dma.pdev->dev)->type,
			IOMMU_DOMAIN_IDENTITY);

	for (i = 0; i < 300; i++)
		ram[0x800 + i] = i * 7;
	/* Across a page boundary of the bus side. */
	dma_start(&dma, virt_to_phys(buf) + PAGE_SIZE - 100, 0x800, 300,
		  SIMPLAT_DMA_TO_BUS);
	KUNIT_EXPECT_EQ(test, dma_status(&dma), SIMPLAT_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, buf + PAGE_SIZE - 100, ram + 0x800, 300);

	memset(buf, 0x3c, 64);
	dma_start(&dma, virt_to_phys(buf), 0x2000, 64, 0);
	KUNIT_EXPECT_EQ(test, dma_status(&dma), SIMPLAT_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, ram + 0x2000, buf, 64);
	memset(ram, 0, size);
}

struct plat_dma_case {
	const char *name;
	u64 iova;
	u32 local;
	u32 len;
	u32 ctrl;
	u32 status;
	u64 fault;			/* FAULT register, and the recorded IOVA */
	bool recorded;			/* the IOMMU recorded a fault */
	enum simiommu_fault_kind kind;
};

static const struct plat_dma_case plat_dma_cases[] = {
	{ "to bus", IOVA_BUF + 16, 0x40, 1000, SIMPLAT_DMA_TO_BUS,
	  SIMPLAT_DMA_DONE },
	{ "from bus", IOVA_BUF, 0x1000, PAGE_SIZE, 0, SIMPLAT_DMA_DONE },
	{ "to read-only", IOVA_BUF + PAGE_SIZE, 0, 8, SIMPLAT_DMA_TO_BUS,
	  SIMPLAT_DMA_ERROR, IOVA_BUF + PAGE_SIZE, true,
	  SIMIOMMU_FAULT_WRITE },
	{ "from read-only", IOVA_BUF + PAGE_SIZE, 0, 8, 0, SIMPLAT_DMA_DONE },
	{ "unmapped tail", IOVA_BUF + PAGE_SIZE - 8, 0, 8 + PAGE_SIZE + 8,
	  SIMPLAT_DMA_TO_BUS, SIMPLAT_DMA_ERROR, IOVA_BUF + PAGE_SIZE, true,
	  SIMIOMMU_FAULT_WRITE },
	{ "unmapped", IOVA_BUF + 4 * PAGE_SIZE, 0, 4, 0, SIMPLAT_DMA_ERROR,
	  IOVA_BUF + 4 * PAGE_SIZE, true, SIMIOMMU_FAULT_UNMAPPED },
	{ "past the local memory", IOVA_BUF, DMA_LOCAL_SIZE - 4, 8, 0,
	  SIMPLAT_DMA_ERROR },
	{ "local offset past it", IOVA_BUF, DMA_LOCAL_SIZE + 4, 0, 0,
	  SIMPLAT_DMA_ERROR },
	{ "all of the local memory", IOVA_BUF, 0, DMA_LOCAL_SIZE, 0,
	  SIMPLAT_DMA_ERROR, IOVA_BUF + 2 * PAGE_SIZE, true,
	  SIMIOMMU_FAULT_UNMAPPED },
};

KUNIT_ARRAY_PARAM_DESC(plat_dma, plat_dma_cases, name);

/*
 * On a paging domain the engine reaches what is mapped, with the
 * mapping's permissions; a fault is recorded for the device's stream,
 * reported in FAULT, and leaves both sides untouched.
 */
static void plat_dma_paging(struct kunit *test)
{
	const struct plat_dma_case *c = test->param_value;
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct iommu_domain *domain;
	struct simiommu_fault f;
	u8 *buf = kunit_kzalloc(test, PAGE_SIZE * 2, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, PAGE_SIZE * 2, GFP_KERNEL);
	u8 *ram_want = kunit_kzalloc(test, DMA_LOCAL_SIZE, GFP_KERNEL);
	size_t size;
	u8 *ram = simplat_dev_ram(dma.sdev, 1, &size);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, ram_want);
	plat_iommu(test, &dma);
	domain = sim_attach_paging(test, &dma.pdev->dev);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_BUF, virt_to_phys(buf),
					PAGE_SIZE, IOMMU_READ | IOMMU_WRITE,
					GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_BUF + PAGE_SIZE,
					virt_to_phys(buf + PAGE_SIZE),
					PAGE_SIZE, IOMMU_READ, GFP_KERNEL), 0);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		buf[i] = i ^ 0xa5;
	for (i = 0; i < size; i++)
		ram[i] = i * 3;
	memcpy(want, buf, 2 * PAGE_SIZE);
	memcpy(ram_want, ram, size);
	if (c->status == SIMPLAT_DMA_DONE && c->ctrl & SIMPLAT_DMA_TO_BUS)
		memcpy(want + (c->iova - IOVA_BUF), ram + c->local, c->len);
	else if (c->status == SIMPLAT_DMA_DONE)
		memcpy(ram_want + c->local, buf + (c->iova - IOVA_BUF), c->len);
	simiommu_clear_faults();

	dma_start(&dma, c->iova, c->local, c->len, c->ctrl);
	KUNIT_EXPECT_EQ(test, dma_status(&dma), c->status);
	KUNIT_EXPECT_EQ(test, readq(dma.regs + SIMPLAT_DMA_FAULT), c->fault);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 2 * PAGE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, ram, ram_want, size);
	KUNIT_EXPECT_EQ(test, simiommu_fault_count(), c->recorded);
	if (c->recorded) {
		KUNIT_ASSERT_TRUE(test, simiommu_last_fault(&f));
		KUNIT_EXPECT_EQ(test, f.iova, c->fault);
		KUNIT_EXPECT_EQ(test, f.kind, c->kind);
		KUNIT_EXPECT_EQ(test, f.rid, SIMIOMMU_STREAM(1));
	}
	memset(ram, 0, size);
	simiommu_clear_faults();
}

/* Without a domain of its own the device's DMA is blocked. */
static void plat_dma_blocked(struct kunit *test)
{
	struct plat_fn dma = plat_open(test, "uvfio-sim,dma");
	struct iommu_group *group = plat_iommu(test, &dma);
	struct simiommu_fault f;
	u8 *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	sim_claim_dma(test, group);
	simiommu_clear_faults();
	dma_start(&dma, virt_to_phys(buf), 0, 16, SIMPLAT_DMA_TO_BUS);
	KUNIT_EXPECT_EQ(test, dma_status(&dma), SIMPLAT_DMA_ERROR);
	KUNIT_ASSERT_TRUE(test, simiommu_last_fault(&f));
	KUNIT_EXPECT_EQ(test, f.kind, SIMIOMMU_FAULT_BLOCKED);
	KUNIT_EXPECT_EQ(test, f.rid, SIMIOMMU_STREAM(1));
	simiommu_clear_faults();
}

static struct kunit_case sim_plat_cases[] = {
	KUNIT_CASE_PARAM(plat_tree_devices, plat_node_gen_params),
	KUNIT_CASE(plat_register_access),
	KUNIT_CASE(plat_ram_window),
	KUNIT_CASE(plat_level_irq),
	KUNIT_CASE(plat_edge_irq),
	KUNIT_CASE(plat_line_kinds),
	KUNIT_CASE(plat_reset),
	KUNIT_CASE(plat_dma_identity),
	KUNIT_CASE_PARAM(plat_dma_paging, plat_dma_gen_params),
	KUNIT_CASE(plat_dma_blocked),
	{}
};

static struct kunit_suite sim_plat_suite = {
	.name = "simplat",
	.test_cases = sim_plat_cases,
};

kunit_test_suite(sim_plat_suite);
