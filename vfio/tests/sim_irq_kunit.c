// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated PCI hardware's interrupts, through the PCI
 * core and the IRQ core: MSI and MSI-X vectors allocated with
 * pci_alloc_irq_vectors() and delivered to handlers, vector and function
 * masking with pending bits, MSI isolation between functions, and INTx
 * with Interrupt Disable, Interrupt Status and the bridge swizzle.
 */
#include <kunit/test.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/pci.h>

#include "sim_helpers.h"
#include "sim/simpci_internal.h"

static struct sim_irq **count_vectors(struct kunit *test, struct pci_dev *pdev,
				      int nvec)
{
	struct sim_irq **c = kunit_kcalloc(test, nvec, sizeof(*c), GFP_KERNEL);
	int v;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (v = 0; v < nvec; v++)
		c[v] = sim_count_irq(test, pdev, pci_irq_vector(pdev, v),
				     false);
	return c;
}

/* Each MSI vector the register file signals reaches its own handler. */
static void sim_msi_delivery(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);
	struct sim_irq **c;
	int v, w;

	sim_alloc_vectors(test, fn.pdev, 4, PCI_IRQ_MSI);
	KUNIT_EXPECT_TRUE(test, fn.pdev->msi_enabled);
	c = count_vectors(test, fn.pdev, 4);

	for (v = 0; v < 4; v++) {
		iowrite32(v, fn.regs + SIMPCI_REG_MSI);
		for (w = 0; w < 4; w++)
			KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c[w]->hits),
					    w <= v, "vector %d after %d", w, v);
	}
	/* One write, one message: other accesses send nothing. */
	ioread32(fn.regs + SIMPCI_REG_ID);
	iowrite32(0, fn.regs + 0x100);
	for (w = 0; w < 4; w++)
		KUNIT_EXPECT_EQ(test, atomic_read(&c[w]->hits), 1);
	/* A vector the device has not been given is not sent. */
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(fn.sdev, 4), -EINVAL);
}

struct msi_case {
	const char *name;
	u8 vectors;
	bool addr64;
	bool maskable;
};

static const struct msi_case msi_cases[] = {
	{ "1 vector, 32-bit", 1, false, false },
	{ "2 vectors, 32-bit, maskable", 2, false, true },
	{ "8 vectors, 64-bit", 8, true, false },
	{ "32 vectors, 64-bit, maskable", 32, true, true },
};

KUNIT_ARRAY_PARAM_DESC(msi, msi_cases, name);

/*
 * Every layout of the MSI capability: all vectors allocated (multiple
 * message MSI), each reaching only its own handler.
 */
static void sim_msi_layouts(struct kunit *test)
{
	const struct msi_case *c = test->param_value;
	struct simpci_cap_desc *caps = kunit_kcalloc(test, 2, sizeof(*caps),
						     GFP_KERNEL);
	struct simpci_dev_desc *desc = kunit_kzalloc(test, sizeof(*desc),
						     GFP_KERNEL);
	struct simpci_dev *sdev;
	struct pci_dev *pdev;
	struct sim_irq **counted;
	u16 flags;
	int v, w;

	KUNIT_ASSERT_NOT_NULL(test, caps);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	caps[0].id = PCI_CAP_ID_MSI;
	caps[0].msi.vectors = c->vectors;
	caps[0].msi.addr64 = c->addr64;
	caps[0].msi.maskable = c->maskable;
	desc->name = "msi-layout";
	desc->vendor = SIMPCI_VENDOR;
	desc->device = SIM_TEST_DEVICE_MSI;
	desc->class = PCI_CLASS_OTHERS << 16;
	desc->caps = caps;
	sdev = sim_plug(test, desc, NULL, SIM_HOTPLUG_DEVFN);
	pdev = sim_enable(test, sdev);

	pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
	KUNIT_EXPECT_EQ(test, !!(flags & PCI_MSI_FLAGS_64BIT), c->addr64);
	KUNIT_EXPECT_EQ(test, !!(flags & PCI_MSI_FLAGS_MASKBIT), c->maskable);
	KUNIT_EXPECT_EQ(test, 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1),
			c->vectors);

	sim_alloc_vectors(test, pdev, c->vectors, PCI_IRQ_MSI);
	counted = count_vectors(test, pdev, c->vectors);
	for (v = 0; v < c->vectors; v++)
		KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, v), 0);
	for (w = 0; w < c->vectors; w++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&counted[w]->hits), 1,
				    "vector %d", w);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, c->vectors), -EINVAL);
}

/* A masked MSI vector sets its pending bit and is sent on unmask. */
static void sim_msi_mask_pending(struct kunit *test)
{
	struct simpci_dev *sdev = sim_root_dev(test, SIM_REGFILE_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	int pos = pdev->msi_cap;
	struct sim_irq **c;
	unsigned int irq;
	u32 mask, pending;

	sim_alloc_vectors(test, pdev, 4, PCI_IRQ_MSI);
	c = count_vectors(test, pdev, 4);
	irq = pci_irq_vector(pdev, 1);
	sim_unlazy(test, irq);

	disable_irq(irq);
	pci_read_config_dword(pdev, pos + PCI_MSI_MASK_64, &mask);
	KUNIT_EXPECT_EQ(test, mask & 0xf, BIT(1));

	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[1]->hits), 0);
	KUNIT_EXPECT_TRUE(test, simpci_msi_pending(sdev, 1));
	pci_read_config_dword(pdev, pos + PCI_MSI_PENDING_64, &pending);
	KUNIT_EXPECT_EQ(test, pending, BIT(1));
	/* Other vectors still go through. */
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 2), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[2]->hits), 1);

	enable_irq(irq);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[1]->hits), 1);
	KUNIT_EXPECT_FALSE(test, simpci_msi_pending(sdev, 1));
	pci_read_config_dword(pdev, pos + PCI_MSI_PENDING_64, &pending);
	KUNIT_EXPECT_EQ(test, pending, 0);
}

/* Each MSI-X vector of the DMA engine reaches its own handler. */
static void sim_msix_delivery(struct kunit *test)
{
	struct simpci_dev *sdev = sim_root_dev(test, SIM_DMA_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	struct sim_irq **c;
	int v, w;

	sim_alloc_vectors(test, pdev, SIMPCI_DMA_VECTORS, PCI_IRQ_MSIX);
	KUNIT_EXPECT_TRUE(test, pdev->msix_enabled);
	c = count_vectors(test, pdev, SIMPCI_DMA_VECTORS);

	for (v = SIMPCI_DMA_VECTORS - 1; v >= 0; v--) {
		KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, v), 0);
		for (w = 0; w < SIMPCI_DMA_VECTORS; w++)
			KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c[w]->hits),
					    w >= v, "vector %d after %d", w, v);
	}
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, SIMPCI_DMA_VECTORS),
			-EINVAL);
}

static u32 msix_ctrl(void __iomem *regs, int v)
{
	return ioread32(regs + SIMPCI_DMA_MSIX_TABLE +
			v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

/* A masked MSI-X vector sets its PBA bit and is sent on unmask. */
static void sim_msix_mask_pending(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_DMA_DEVFN);
	struct sim_irq **c;
	unsigned int irq;

	sim_alloc_vectors(test, fn.pdev, SIMPCI_DMA_VECTORS, PCI_IRQ_MSIX);
	c = count_vectors(test, fn.pdev, SIMPCI_DMA_VECTORS);
	irq = pci_irq_vector(fn.pdev, 3);
	sim_unlazy(test, irq);

	KUNIT_EXPECT_EQ(test, msix_ctrl(fn.regs, 3), 0);
	disable_irq(irq);
	KUNIT_EXPECT_EQ(test, msix_ctrl(fn.regs, 3), PCI_MSIX_ENTRY_CTRL_MASKBIT);

	KUNIT_EXPECT_EQ(test, simpci_signal_msi(fn.sdev, 3), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[3]->hits), 0);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_MSIX_PBA), BIT(3));
	/* The PBA read by halves: the upper dword holds vectors 32-63. */
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_MSIX_PBA + 4), 0);
	KUNIT_EXPECT_EQ(test, readq(fn.regs + SIMPCI_DMA_MSIX_PBA), BIT(3));
	KUNIT_EXPECT_TRUE(test, simpci_msi_pending(fn.sdev, 3));

	enable_irq(irq);
	simpci_flush_irqs(fn.sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[3]->hits), 1);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_MSIX_PBA), 0);
	/* The PBA is read-only. */
	iowrite32(~0U, fn.regs + SIMPCI_DMA_MSIX_PBA);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_MSIX_PBA), 0);
}

/*
 * The MSI-X table takes aligned dword and qword accesses only: smaller
 * ones read all ones and are dropped, as the PCI spec allows.
 */
static void sim_msix_table_access(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_DMA_DEVFN);
	void __iomem *entry = fn.regs + SIMPCI_DMA_MSIX_TABLE +
			      PCI_MSIX_ENTRY_SIZE;

	sim_alloc_vectors(test, fn.pdev, SIMPCI_DMA_VECTORS, PCI_IRQ_MSIX);
	iowrite32(0x1234, entry + PCI_MSIX_ENTRY_DATA);
	KUNIT_EXPECT_EQ(test, ioread32(entry + PCI_MSIX_ENTRY_DATA), 0x1234);
	KUNIT_EXPECT_EQ(test, ioread16(entry + PCI_MSIX_ENTRY_DATA), 0xffff);
	KUNIT_EXPECT_EQ(test, ioread8(entry + PCI_MSIX_ENTRY_DATA), 0xff);
	iowrite16(0x5678, entry + PCI_MSIX_ENTRY_DATA);
	iowrite8(0x9a, entry + PCI_MSIX_ENTRY_DATA + 1);
	KUNIT_EXPECT_EQ(test, ioread32(entry + PCI_MSIX_ENTRY_DATA), 0x1234);
	/* A qword covers two dwords; the mask bit is all that is stored. */
	writeq(0xffffffff00005678ULL, entry + PCI_MSIX_ENTRY_DATA);
	KUNIT_EXPECT_EQ(test, readq(entry + PCI_MSIX_ENTRY_DATA),
			(u64)PCI_MSIX_ENTRY_CTRL_MASKBIT << 32 | 0x5678);
}

struct intc_step {
	const char *name;
	unsigned int fail;	/* the step that fails, 0 for none */
};

static const struct intc_step intc_steps[] = {
	{ "fwnode fails", 1 },
	{ "MSI parent domain fails", 2 },
	{ "PCI MSI domain fails", 3 },
	{ "INTx domain fails", 4 },
	{ "nothing fails", 0 },
};

KUNIT_ARRAY_PARAM_DESC(intc_step, intc_steps, name);

static void intc_disarm(void *data)
{
	simpci_intc_fail_step(0);
}

/*
 * The interrupt controller's set-up returns the errno of the step that
 * failed and undoes the steps before it (kmemleak on make test-debug sees
 * what would be left); a whole set-up is undone by simpci_intc_exit().
 */
static void sim_intc_setup_unwinds(struct kunit *test)
{
	const struct intc_step *c = test->param_value;
	struct simpci_host *host = kunit_kzalloc(test, sizeof(*host),
						 GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, host);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, intc_disarm,
							   NULL));
	simpci_intc_fail_step(c->fail);
	ret = simpci_intc_init(host, "simpci-test");
	KUNIT_EXPECT_EQ(test, ret, c->fail ? -ENOMEM : 0);
	if (!ret) {
		KUNIT_EXPECT_NOT_NULL(test, host->intx_domain);
		simpci_intc_exit(host);
	}
}

/* Function Mask holds every vector pending until it is cleared. */
static void sim_msix_function_mask(struct kunit *test)
{
	struct simpci_dev *sdev = sim_root_dev(test, SIM_DMA_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	int pos = pdev->msix_cap;
	struct sim_irq **c;
	u16 ctrl;

	sim_alloc_vectors(test, pdev, SIMPCI_DMA_VECTORS, PCI_IRQ_MSIX);
	c = count_vectors(test, pdev, SIMPCI_DMA_VECTORS);

	pci_read_config_word(pdev, pos + PCI_MSIX_FLAGS, &ctrl);
	pci_write_config_word(pdev, pos + PCI_MSIX_FLAGS,
			      ctrl | PCI_MSIX_FLAGS_MASKALL);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 2), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[0]->hits), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[2]->hits), 0);
	KUNIT_EXPECT_TRUE(test, simpci_msi_pending(sdev, 0));
	KUNIT_EXPECT_TRUE(test, simpci_msi_pending(sdev, 2));

	pci_write_config_word(pdev, pos + PCI_MSIX_FLAGS, ctrl);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[0]->hits), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[2]->hits), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[1]->hits), 0);
	KUNIT_EXPECT_FALSE(test, simpci_msi_pending(sdev, 0));
}

/* Without MSI enabled, or without Bus Master, nothing is sent. */
static void sim_msi_preconditions(struct kunit *test)
{
	struct simpci_dev *sdev = sim_root_dev(test, SIM_REGFILE_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	struct sim_irq **c;

	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), -ENODEV);
	sim_alloc_vectors(test, pdev, 1, PCI_IRQ_MSI);
	c = count_vectors(test, pdev, 1);
	/* One vector enabled of four: vector 1 does not exist now. */
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), -EINVAL);

	pci_clear_master(pdev);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), -EIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[0]->hits), 0);
	pci_set_master(pdev);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[0]->hits), 1);
}

/*
 * A vector freed and allocated again belongs to its new owner only: the
 * function that holds the next vector still reaches its handler.
 */
static void sim_msi_realloc(struct kunit *test)
{
	struct pci_dev *rf = sim_enable(test,
					sim_root_dev(test, SIM_REGFILE_DEVFN));
	struct sim_fn dma = sim_open(test, SIM_DMA_DEVFN);
	struct sim_irq **dma_c;

	KUNIT_ASSERT_EQ(test, pci_alloc_irq_vectors(rf, 1, 1, PCI_IRQ_MSI), 1);
	sim_alloc_vectors(test, dma.pdev, 1, PCI_IRQ_MSIX);
	pci_free_irq_vectors(rf);
	sim_alloc_vectors(test, rf, 1, PCI_IRQ_MSI);
	dma_c = count_vectors(test, dma.pdev, 1);

	KUNIT_EXPECT_EQ(test, simpci_signal_msi(dma.sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dma_c[0]->hits), 1);
}

/* A function that sends another function's message raises nothing. */
static void sim_msi_isolation(struct kunit *test)
{
	struct simpci_dev *rf = sim_root_dev(test, SIM_REGFILE_DEVFN);
	struct pci_dev *rf_pdev = sim_enable(test, rf);
	struct sim_fn dma = sim_open(test, SIM_DMA_DEVFN);
	struct pci_dev *dma_pdev = dma.pdev;
	void __iomem *dma_regs = dma.regs;
	int data = rf_pdev->msi_cap + PCI_MSI_DATA_64;
	struct sim_irq **rf_c, **dma_c;
	u16 own;
	u32 foreign;

	sim_alloc_vectors(test, rf_pdev, 1, PCI_IRQ_MSI);
	sim_alloc_vectors(test, dma_pdev, 1, PCI_IRQ_MSIX);
	rf_c = count_vectors(test, rf_pdev, 1);
	dma_c = count_vectors(test, dma_pdev, 1);

	foreign = ioread32(dma_regs + SIMPCI_DMA_MSIX_TABLE +
			   PCI_MSIX_ENTRY_DATA);
	pci_read_config_word(rf_pdev, data, &own);
	pci_write_config_word(rf_pdev, data, foreign);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(rf, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dma_c[0]->hits), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&rf_c[0]->hits), 0);

	pci_write_config_word(rf_pdev, data, own);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(rf, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&rf_c[0]->hits), 1);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(dma.sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dma_c[0]->hits), 1);
}

static bool intx_status(struct pci_dev *pdev)
{
	u16 status;

	pci_read_config_word(pdev, PCI_STATUS, &status);
	return status & PCI_STATUS_INTERRUPT;
}

static bool intx_disabled(struct pci_dev *pdev)
{
	u16 cmd;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	return cmd & PCI_COMMAND_INTX_DISABLE;
}

static struct sim_irq *count_intx(struct kunit *test, struct pci_dev *pdev)
{
	if (!pdev->irq)
		pci_assign_irq(pdev);
	KUNIT_ASSERT_NE(test, pdev->irq, 0);
	return sim_count_irq(test, pdev, pdev->irq, true);
}

/* The register file with INTx enabled and its interrupts counted. */
static struct sim_irq *intx_open(struct kunit *test, struct sim_fn *fn)
{
	*fn = sim_open(test, SIM_REGFILE_DEVFN);
	pci_intx(fn->pdev, 1);
	return count_intx(test, fn->pdev);
}

/*
 * INTx as PCI 2.3 has it: Interrupt Status follows the pin, Interrupt
 * Disable keeps it off the line, and a level still asserted interrupts
 * again when it is unmasked.
 */
static void sim_intx(struct kunit *test)
{
	struct sim_fn fn;
	struct sim_irq *c = intx_open(test, &fn);
	struct simpci_dev *sdev = fn.sdev;
	struct pci_dev *pdev = fn.pdev;
	void __iomem *regs = fn.regs;

	KUNIT_EXPECT_FALSE(test, intx_status(pdev));

	/* Asserted: one interrupt; the handler masks INTx at the device. */
	iowrite32(1, regs + SIMPCI_REG_INTX);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 1);
	KUNIT_EXPECT_TRUE(test, intx_status(pdev));
	KUNIT_EXPECT_TRUE(test, intx_disabled(pdev));
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_INTX), 1);

	/* Still asserted: the checked unmask refuses and leaves it masked. */
	KUNIT_EXPECT_FALSE(test, pci_check_and_unmask_intx(pdev));
	KUNIT_EXPECT_TRUE(test, intx_disabled(pdev));
	/* Unmasked anyway while asserted: it interrupts again. */
	pci_intx(pdev, 1);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 2);

	/* Deasserted: status clears; the checked unmask succeeds quietly. */
	iowrite32(0, regs + SIMPCI_REG_INTX);
	KUNIT_EXPECT_FALSE(test, intx_status(pdev));
	KUNIT_EXPECT_TRUE(test, pci_check_and_unmask_intx(pdev));
	KUNIT_EXPECT_FALSE(test, intx_disabled(pdev));
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 2);

	/* Interrupt Disable set: the pin shows in status, not on the line. */
	pci_intx(pdev, 0);
	iowrite32(1, regs + SIMPCI_REG_INTX);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 2);
	KUNIT_EXPECT_TRUE(test, intx_status(pdev));
	iowrite32(0, regs + SIMPCI_REG_INTX);
	KUNIT_EXPECT_FALSE(test, intx_status(pdev));
}

/* Masking the line at the interrupt controller holds it until unmasked. */
static void sim_intx_line_mask(struct kunit *test)
{
	struct sim_fn fn;
	struct sim_irq *c = intx_open(test, &fn);
	struct simpci_dev *sdev = fn.sdev;
	struct pci_dev *pdev = fn.pdev;
	void __iomem *regs = fn.regs;

	disable_irq(pdev->irq);
	iowrite32(1, regs + SIMPCI_REG_INTX);
	/* A lazy disable takes the first interrupt and masks the line. */
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 0);
	enable_irq(pdev->irq);
	simpci_flush_irqs(sdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits), 1);
	iowrite32(0, regs + SIMPCI_REG_INTX);
}

struct swizzle_case {
	const char *name;
	bool behind_bridge;
	u8 devfn;
	unsigned int line;	/* INTA-INTD at the host bridge, 0-3 */
};

static const struct swizzle_case swizzle_cases[] = {
	{ "dma 00.0 INTA", false, SIM_DMA_DEVFN, 0 },
	{ "regfile 01.0 INTA", false, SIM_REGFILE_DEVFN, 1 },
	{ "mfd 02.1 INTA", false, SIM_MFD_DEVFN(1), 2 },
	/* behind the bridge in slot 3: pin swizzled by the child's slot */
	{ "bridged 00.0 INTA", true, PCI_DEVFN(0, 0), 3 },
	{ "bridged 01.0 INTA", true, PCI_DEVFN(1, 0), 0 },
};

KUNIT_ARRAY_PARAM_DESC(swizzle, swizzle_cases, name);

/* Each function's pin lands on the host line the bridge swizzle gives. */
static void sim_intx_swizzle(struct kunit *test)
{
	const struct swizzle_case *c = test->param_value;
	u8 bus = c->behind_bridge ? sim_secondary_bus(test) :
				    simpci_root_busnr();
	struct simpci_dev *sdev = sim_dev(test, bus, c->devfn);
	struct pci_dev *pdev = sim_pci_dev(test, bus, c->devfn);
	struct sim_irq *counted;

	if (!pdev->irq)
		pci_assign_irq(pdev);
	KUNIT_ASSERT_NE(test, pdev->irq, 0);
	KUNIT_EXPECT_EQ(test, irqd_to_hwirq(irq_get_irq_data(pdev->irq)),
			c->line);

	/* And the pin really drives that line. */
	sim_save_config(test, pdev);
	pci_intx(pdev, 1);
	counted = sim_count_irq(test, pdev, pdev->irq, true);
	simpci_set_intx(sdev, true);
	simpci_set_intx(sdev, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&counted->hits), 1);
}

static struct kunit_case sim_irq_cases[] = {
	KUNIT_CASE(sim_msi_delivery),
	KUNIT_CASE(sim_msi_mask_pending),
	KUNIT_CASE_PARAM(sim_msi_layouts, msi_gen_params),
	KUNIT_CASE(sim_msix_delivery),
	KUNIT_CASE(sim_msix_mask_pending),
	KUNIT_CASE(sim_msix_function_mask),
	KUNIT_CASE(sim_msix_table_access),
	KUNIT_CASE_PARAM(sim_intc_setup_unwinds, intc_step_gen_params),
	KUNIT_CASE(sim_msi_preconditions),
	KUNIT_CASE(sim_msi_isolation),
	KUNIT_CASE(sim_msi_realloc),
	KUNIT_CASE(sim_intx),
	KUNIT_CASE(sim_intx_line_mask),
	KUNIT_CASE_PARAM(sim_intx_swizzle, swizzle_gen_params),
	{}
};

static struct kunit_suite sim_irq_suite = {
	.name = "simpci_irq",
	.test_cases = sim_irq_cases,
};
kunit_test_suite(sim_irq_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated PCI hardware's interrupts");
MODULE_LICENSE("GPL");
