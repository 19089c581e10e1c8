// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the DMA engine model: copies through the device's DMA
 * translation, completion by MSI-X, MSI or INTx (whichever is enabled), and
 * faults that set an error status and touch no memory.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "sim_helpers.h"

#define IOVA_BASE	SIM_XLATE_BASE
#define WINDOW_PAGES	4

static void use_translate(struct kunit *test)
{
	sim_use_translate(test, WINDOW_PAGES);
}

static void engine_get(struct kunit *test, struct sim_fn *e)
{
	*e = sim_open(test, SIM_DMA_DEVFN);
}

/* With no IOMMU, bus addresses are physical: a copy between two buffers. */
static void sim_dma_identity(struct kunit *test)
{
	struct sim_fn e;
	u8 *src = kunit_kmalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	u8 *dst = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	size_t len = 2 * PAGE_SIZE + 100;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	engine_get(test, &e);
	sim_use_no_iommu(test);
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		src[i] = i * 7;

	/* Unaligned at both ends, across page boundaries. */
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, virt_to_phys(src + 13),
				       virt_to_phys(dst + 1), len, 0),
			SIMPCI_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, dst + 1, src + 13, len);
	KUNIT_EXPECT_EQ(test, dst[0], 0);
	KUNIT_EXPECT_EQ(test, dst[len + 1], 0);
	KUNIT_EXPECT_EQ(test, readq(e.regs + SIMPCI_DMA_FAULT), 0);

	/* DONE is write-1-to-clear. */
	iowrite32(SIMPCI_DMA_DONE, e.regs + SIMPCI_DMA_STATUS);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_STATUS), 0);

	/* Past RAM there is nothing: a master abort, nothing written. */
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, virt_to_phys(src),
				       PFN_PHYS(max_pfn) + PAGE_SIZE, 8, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, readq(e.regs + SIMPCI_DMA_FAULT),
			PFN_PHYS(max_pfn) + PAGE_SIZE);
}

/* The engine's registers read back as written, by dwords and qwords. */
static void sim_dma_registers(struct kunit *test)
{
	struct sim_fn e;

	engine_get(test, &e);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_ID),
			SIMPCI_DMA_ID_VALUE);
	writeq(0x1111222233334444ULL, e.regs + SIMPCI_DMA_SRC);
	iowrite32(0x55556666, e.regs + SIMPCI_DMA_DST);
	iowrite32(0x77778888, e.regs + SIMPCI_DMA_DST + 4);
	iowrite32(0x9999aaaa, e.regs + SIMPCI_DMA_SRC + 4);
	KUNIT_EXPECT_EQ(test, readq(e.regs + SIMPCI_DMA_SRC),
			0x9999aaaa33334444ULL);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_SRC), 0x33334444);
	KUNIT_EXPECT_EQ(test, readq(e.regs + SIMPCI_DMA_DST),
			0x7777888855556666ULL);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_DST), 0x55556666);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_DST + 4),
			0x77778888);
	iowrite32(3, e.regs + SIMPCI_DMA_VECTOR);
	iowrite32(4096, e.regs + SIMPCI_DMA_LEN);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_VECTOR), 3);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + SIMPCI_DMA_LEN), 4096);
	/* Unknown registers read 0 and take no writes. */
	iowrite32(~0U, e.regs + 0x100);
	KUNIT_EXPECT_EQ(test, ioread32(e.regs + 0x100), 0);
}

struct fault_case {
	const char *name;
	u64 src_off;
	u64 dst_off;
	u32 len;
	unsigned long absent;
	unsigned long readonly;
	u64 fault_off;	/* from IOVA_BASE */
};

static const struct fault_case fault_cases[] = {
	{ "source not mapped", 0, 2 * PAGE_SIZE, 64, BIT(0), 0, 0 },
	{ "destination not mapped", 0, 2 * PAGE_SIZE, 64, BIT(2), 0,
	  2 * PAGE_SIZE },
	{ "destination read-only", 0, 3 * PAGE_SIZE, 64, 0, BIT(3),
	  3 * PAGE_SIZE },
	/* The first page would be fine: the fault must stop it too. */
	{ "second destination page missing", 0, 2 * PAGE_SIZE - 8,
	  PAGE_SIZE, BIT(2), 0, 2 * PAGE_SIZE },
	{ "past the mapped window", 0, 3 * PAGE_SIZE + 64, PAGE_SIZE, 0, 0,
	  WINDOW_PAGES * PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(fault, fault_cases, name);

/* A translation fault sets ERROR and the address, and writes nothing. */
static void sim_dma_fault(struct kunit *test)
{
	const struct fault_case *c = test->param_value;
	struct sim_fn e;
	u8 *before;
	u16 status;

	engine_get(test, &e);
	use_translate(test);
	memset(sim_xlate.buf, 0xee, PAGE_SIZE);
	before = kunit_kmalloc(test, WINDOW_PAGES * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, sim_xlate.buf, WINDOW_PAGES * PAGE_SIZE);
	sim_xlate.absent = c->absent;
	sim_xlate.readonly = c->readonly;

	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, IOVA_BASE + c->src_off,
				       IOVA_BASE + c->dst_off, c->len, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, readq(e.regs + SIMPCI_DMA_FAULT),
			IOVA_BASE + c->fault_off);
	KUNIT_EXPECT_MEMEQ(test, sim_xlate.buf, before, WINDOW_PAGES * PAGE_SIZE);
	pci_read_config_word(e.pdev, PCI_STATUS, &status);
	KUNIT_EXPECT_TRUE(test, status & PCI_STATUS_REC_MASTER_ABORT);

	/* The same copy goes through once the translation is there. */
	if (!c->absent && !c->readonly)
		return;
	sim_xlate.absent = 0;
	sim_xlate.readonly = 0;
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, IOVA_BASE + c->src_off,
				       IOVA_BASE + c->dst_off, c->len, 0),
			SIMPCI_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, sim_xlate.buf + c->dst_off, before + c->src_off,
			   c->len);
}

/* Refused before any bus access: too long, or no Bus Master. */
static void sim_dma_refused(struct kunit *test)
{
	struct sim_fn e;
	u16 status;

	engine_get(test, &e);
	use_translate(test);
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, IOVA_BASE, IOVA_BASE + PAGE_SIZE,
				       SIMPCI_DMA_MAX_LEN + 1, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, sim_xlate.calls, 0);

	pci_clear_master(e.pdev);
	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, IOVA_BASE, IOVA_BASE + PAGE_SIZE,
				       8, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, sim_xlate.calls, 0);
	pci_read_config_word(e.pdev, PCI_STATUS, &status);
	KUNIT_EXPECT_FALSE(test, status & PCI_STATUS_REC_MASTER_ABORT);
}

enum signal_by { BY_MSIX, BY_MSI, BY_INTX };

struct completion_case {
	const char *name;
	enum signal_by by;
	u32 vector;
};

static const struct completion_case completion_cases[] = {
	{ "MSI-X vector 0", BY_MSIX, 0 },
	{ "MSI-X vector 3", BY_MSIX, 3 },
	{ "MSI", BY_MSI, 0 },
	{ "INTx", BY_INTX, 0 },
};

KUNIT_ARRAY_PARAM_DESC(completion, completion_cases, name);

/* Completion is signalled by whichever interrupt mode is enabled. */
static void sim_dma_completion(struct kunit *test)
{
	const struct completion_case *c = test->param_value;
	struct sim_irq *counted;
	struct sim_fn e;
	unsigned int irq;

	engine_get(test, &e);
	use_translate(test);
	switch (c->by) {
	case BY_MSIX:
		sim_alloc_vectors(test, e.pdev, SIMPCI_DMA_VECTORS,
				  PCI_IRQ_MSIX);
		irq = pci_irq_vector(e.pdev, c->vector);
		break;
	case BY_MSI:
		sim_alloc_vectors(test, e.pdev, 1, PCI_IRQ_MSI);
		irq = pci_irq_vector(e.pdev, 0);
		break;
	default:
		pci_intx(e.pdev, 1);
		if (!e.pdev->irq)
			pci_assign_irq(e.pdev);
		irq = e.pdev->irq;
		break;
	}
	counted = sim_count_irq(test, e.pdev, irq, c->by == BY_INTX);

	KUNIT_EXPECT_EQ(test, sim_dma_copy(&e, IOVA_BASE, IOVA_BASE + PAGE_SIZE,
				       256, c->vector),
			SIMPCI_DMA_DONE);
	KUNIT_EXPECT_EQ(test, atomic_read(&counted->hits), 1);
	if (c->by != BY_INTX)
		return;

	/* The level stays until the status is acknowledged. */
	KUNIT_EXPECT_FALSE(test, pci_check_and_unmask_intx(e.pdev));
	iowrite32(SIMPCI_DMA_DONE, e.regs + SIMPCI_DMA_STATUS);
	KUNIT_EXPECT_TRUE(test, pci_check_and_unmask_intx(e.pdev));
	simpci_flush_irqs(e.sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&counted->hits), 1);
}

static struct kunit_case sim_dma_cases[] = {
	KUNIT_CASE(sim_dma_identity),
	KUNIT_CASE(sim_dma_registers),
	KUNIT_CASE_PARAM(sim_dma_fault, fault_gen_params),
	KUNIT_CASE(sim_dma_refused),
	KUNIT_CASE_PARAM(sim_dma_completion, completion_gen_params),
	{}
};

static struct kunit_suite sim_dma_suite = {
	.name = "simpci_dma",
	.test_cases = sim_dma_cases,
};
kunit_test_suite(sim_dma_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated DMA engine");
MODULE_LICENSE("GPL");
