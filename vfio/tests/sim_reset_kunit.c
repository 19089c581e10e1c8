// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of resets and hot plug of the simulated PCI hardware: FLR
 * through the PCIe capability, PM reset, secondary bus reset through a
 * PCI-to-PCI bridge, hot add and surprise removal, all through the PCI
 * core's own reset and rescan paths; and the topology syntax.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "sim_helpers.h"

static bool has_flr(struct pci_dev *pdev)
{
	u32 cap = 0;

	pcie_capability_read_dword(pdev, PCI_EXP_DEVCAP, &cap);
	return cap & PCI_EXP_DEVCAP_FLR;
}

/* pcie_flr() returns the function to power-on state. */
static void sim_flr(struct kunit *test)
{
	struct sim_fn fn;
	struct pci_dev *pdev;
	void __iomem *regs;
	u32 bar;
	u16 cmd, devctl;

	fn = sim_open(test, SIM_DMA_DEVFN);
	pdev = fn.pdev;
	regs = fn.regs;
	KUNIT_ASSERT_TRUE(test, has_flr(pdev));
	iowrite32(0x1000, regs + SIMPCI_DMA_SRC);
	iowrite32(2, regs + SIMPCI_DMA_VECTOR);
	pcie_capability_read_word(pdev, PCI_EXP_DEVCTL, &devctl);
	KUNIT_EXPECT_FALSE(test, devctl & PCI_EXP_DEVCTL_BCR_FLR);

	pci_save_state(pdev);
	KUNIT_ASSERT_EQ(test, pcie_flr(pdev), 0);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0, &bar);
	KUNIT_EXPECT_EQ(test, cmd, 0);
	KUNIT_EXPECT_EQ(test, bar, 0);
	/* The initiate bit is not stored. */
	pcie_capability_read_word(pdev, PCI_EXP_DEVCTL, &devctl);
	KUNIT_EXPECT_FALSE(test, devctl & PCI_EXP_DEVCTL_BCR_FLR);

	pci_restore_state(pdev);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_DMA_ID),
			SIMPCI_DMA_ID_VALUE);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_DMA_SRC), 0);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_DMA_VECTOR), 0);
}

/* An FLR masks every MSI-X vector and clears the PBA. */
static void sim_flr_msix(struct kunit *test)
{
	struct sim_fn fn;
	struct pci_dev *pdev;
	void __iomem *regs;
	int v;

	fn = sim_open(test, SIM_DMA_DEVFN);
	pdev = fn.pdev;
	regs = fn.regs;
	for (v = 0; v < SIMPCI_DMA_VECTORS; v++)
		iowrite32(0, regs + SIMPCI_DMA_MSIX_TABLE +
			  v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL);
	pci_save_state(pdev);
	KUNIT_ASSERT_EQ(test, pcie_flr(pdev), 0);
	pci_restore_state(pdev);
	for (v = 0; v < SIMPCI_DMA_VECTORS; v++)
		KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_DMA_MSIX_TABLE +
					       v * PCI_MSIX_ENTRY_SIZE +
					       PCI_MSIX_ENTRY_VECTOR_CTRL),
				PCI_MSIX_ENTRY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_DMA_MSIX_PBA), 0);
}

/* Writes near Device Control that do not set Initiate FLR reset nothing. */
static void sim_no_stray_flr(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_DMA_DEVFN);
	int exp = pci_pcie_cap(fn.pdev);

	KUNIT_ASSERT_NE(test, exp, 0);
	iowrite32(0x1234, fn.regs + SIMPCI_DMA_LEN);
	pci_write_config_dword(fn.pdev, exp + PCI_EXP_DEVCAP, ~0U);
	pci_write_config_word(fn.pdev, exp + PCI_EXP_DEVSTA, 0xffff);
	pci_write_config_byte(fn.pdev, exp + PCI_EXP_DEVCTL, 0xff);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_LEN), 0x1234);
	/* Initiate FLR in the upper byte does reset. */
	pci_write_config_byte(fn.pdev, exp + PCI_EXP_DEVCTL + 1,
			      PCI_EXP_DEVCTL_BCR_FLR >> 8);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_DMA_LEN), ~0U);
}

/* Without FLR, pci_reset_function() resets the register file by PM. */
static void sim_reset_function(struct kunit *test)
{
	struct sim_fn fn = sim_open(test, SIM_REGFILE_DEVFN);

	KUNIT_EXPECT_FALSE(test, has_flr(fn.pdev));
	iowrite32(0xabcd, fn.regs + 0x200);
	KUNIT_ASSERT_EQ(test, pci_reset_function(fn.pdev), 0);
	/* The PCI core restored the config space; the registers are new. */
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);
	KUNIT_EXPECT_EQ(test, ioread32(fn.regs + 0x200), 0);
}

/* A secondary bus reset resets every function below the bridge. */
static void sim_bus_reset(struct kunit *test)
{
	struct pci_dev *br = sim_enable_bridge(test);
	u8 bus = sim_secondary_bus(test);
	struct sim_fn a = sim_open_at(test, bus, PCI_DEVFN(0, 0));
	struct sim_fn b = sim_open_at(test, bus, PCI_DEVFN(1, 0));
	void __iomem *ra = a.regs, *rb = b.regs;
	u16 bctl;

	iowrite32(0x1111, ra + 0x100);
	iowrite32(0x2222, rb + 0x100);

	KUNIT_ASSERT_EQ(test, pci_reset_bus(a.pdev), 0);
	pci_read_config_word(br, PCI_BRIDGE_CONTROL, &bctl);
	KUNIT_EXPECT_FALSE(test, bctl & PCI_BRIDGE_CTL_BUS_RESET);
	KUNIT_EXPECT_EQ(test, ioread32(ra + 0x100), 0);
	KUNIT_EXPECT_EQ(test, ioread32(rb + 0x100), 0);
	KUNIT_EXPECT_EQ(test, ioread32(ra + SIMPCI_REG_ID), SIMPCI_REGFILE_ID);

	/* The bridge itself keeps its state: its bus numbers still route. */
	KUNIT_EXPECT_PTR_EQ(test, simpci_dev_find(bus, PCI_DEVFN(0, 0)),
			    sim_dev(test, bus, PCI_DEVFN(0, 0)));
}

/* A hot-added function is enumerated, assigned and reachable. */
static void sim_hot_add(struct kunit *test)
{
	struct simpci_dev *sdev = sim_plug(test, &simpci_regfile_desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct pci_dev *pdev = sim_enable(test, sdev);
	void __iomem *regs = sim_map_bar(test, pdev, 0);

	KUNIT_EXPECT_EQ(test, pdev->device, SIMPCI_DEVICE_REGFILE);
	KUNIT_EXPECT_NOT_NULL(test, pdev->resource[0].parent);
	KUNIT_EXPECT_NOT_NULL(test, simpci_bar_ram(sdev, 2));
	KUNIT_EXPECT_EQ(test, ioread32(regs + SIMPCI_REG_ID),
			SIMPCI_REGFILE_ID);
}

/* Hot add behind the bridge too. */
static void sim_hot_add_bridged(struct kunit *test)
{
	struct pci_dev *br = sim_root_pci(test, SIM_BRIDGE_DEVFN);
	struct simpci_dev *parent = sim_root_dev(test, SIM_BRIDGE_DEVFN);
	u8 bus = sim_secondary_bus(test);
	struct pci_dev *pdev;

	sim_plug(test, &simpci_mfd_desc, parent, PCI_DEVFN(5, 0));
	pdev = sim_pci_dev(test, bus, PCI_DEVFN(5, 0));
	KUNIT_EXPECT_EQ(test, pdev->device, SIMPCI_DEVICE_MFD);
	KUNIT_EXPECT_PTR_EQ(test, pdev->bus, br->subordinate);
}

/*
 * Surprise removal: the function vanishes, config reads give all ones,
 * and the PCI core removes it; its slot can be used again.
 */
static void sim_surprise_removal(struct kunit *test)
{
	struct simpci_dev *sdev = sim_plug(test, &simpci_dma_desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0,
				simpci_root_busnr(), SIM_HOTPLUG_DEVFN);
	struct pci_bus *bus;
	u32 id;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	bus = pdev->bus;
	sim_unplug(test, sdev);

	KUNIT_EXPECT_NULL(test, simpci_dev_find(simpci_root_busnr(),
						SIM_HOTPLUG_DEVFN));
	KUNIT_EXPECT_NULL(test, pci_get_domain_bus_and_slot(0,
			  simpci_root_busnr(), SIM_HOTPLUG_DEVFN));
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(bus, SIM_HOTPLUG_DEVFN,
							PCI_VENDOR_ID, &id),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, id, ~0U);
	pci_dev_put(pdev);

	/* The slot takes a new card. */
	sdev = sim_plug(test, &simpci_regfile_desc, NULL, SIM_HOTPLUG_DEVFN);
	pdev = sim_root_pci(test, SIM_HOTPLUG_DEVFN);
	KUNIT_EXPECT_EQ(test, pdev->device, SIMPCI_DEVICE_REGFILE);
}

/* Removal of an enabled function with MSI-X in use leaves no trace. */
static void sim_remove_busy(struct kunit *test)
{
	struct simpci_dev *sdev = sim_plug(test, &simpci_dma_desc, NULL,
					   SIM_HOTPLUG_DEVFN);
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0,
				simpci_root_busnr(), SIM_HOTPLUG_DEVFN);

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, pci_enable_device(pdev), 0);
	pci_set_master(pdev);
	KUNIT_ASSERT_EQ(test, pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX),
			2);
	/* The driver would stop using it once told; ours does so first. */
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
	pci_dev_put(pdev);
	sim_unplug(test, sdev);
	KUNIT_EXPECT_NULL(test, pci_get_domain_bus_and_slot(0,
			  simpci_root_busnr(), SIM_HOTPLUG_DEVFN));
}

struct topo_case {
	const char *name;
	const char *spec;
	int err;
	u8 devfn;		/* plugged by the spec, on the root bus */
};

static const struct topo_case topo_cases[] = {
	{ "one function", "10.0=regfile", 0, PCI_DEVFN(0x10, 0) },
	{ "DMA engine", "11.0=dma", 0, PCI_DEVFN(0x11, 0) },
	{ "empty entries", ",,12.0=mfd,", 0, PCI_DEVFN(0x12, 0) },
	{ "none", "none", 0 },
	{ "bad slot", "zz.0=regfile", -EINVAL },
	{ "slot too high", "20.0=regfile", -EINVAL },
	{ "function too high", "10.8=regfile", -EINVAL },
	{ "unknown model", "10.0=nosuch", -EINVAL },
	{ "no model", "10.0", -EINVAL },
	{ "parent is no bridge", "01.0/00.0=regfile", -EINVAL },
	{ "no such parent", "1f.0/00.0=regfile", -EINVAL },
	{ "slot taken", "01.0=regfile", -EBUSY },
	{ "bad parent slot", "zz.0/00.0=regfile", -EINVAL },
	/* The first error is the one returned. */
	{ "taken then unknown", "01.0=regfile,10.0=nosuch", -EBUSY },
	/* Unplugged at the end with what is behind it. */
	{ "bridge with a function", "10.0=bridge,10.0/00.0=regfile", 0,
	  PCI_DEVFN(0x10, 0) },
	/* A bad entry does not stop the good ones after it. */
	{ "bad then good", "10.0=nosuch,13.0=regfile", -EINVAL,
	  PCI_DEVFN(0x13, 0) },
};

KUNIT_ARRAY_PARAM_DESC(topo, topo_cases, name);

/* The topology syntax of simpci.topology=, as hot add at run time. */
static void sim_topology_spec(struct kunit *test)
{
	const struct topo_case *c = test->param_value;
	struct simpci_dev *sdev;
	struct pci_dev *pdev;

	KUNIT_EXPECT_EQ(test, sim_topology_add(test, c->spec), c->err);
	if (!c->devfn)
		return;
	sdev = sim_root_dev(test, c->devfn);
	pdev = simpci_dev_pci(sdev);
	KUNIT_EXPECT_NOT_NULL(test, pdev);
	pci_dev_put(pdev);
}

static struct kunit_case sim_reset_cases[] = {
	KUNIT_CASE(sim_flr),
	KUNIT_CASE(sim_flr_msix),
	KUNIT_CASE(sim_no_stray_flr),
	KUNIT_CASE(sim_reset_function),
	KUNIT_CASE_SLOW(sim_bus_reset),
	KUNIT_CASE(sim_hot_add),
	KUNIT_CASE(sim_hot_add_bridged),
	KUNIT_CASE(sim_surprise_removal),
	KUNIT_CASE(sim_remove_busy),
	KUNIT_CASE_PARAM(sim_topology_spec, topo_gen_params),
	{}
};

static struct kunit_suite sim_reset_suite = {
	.name = "simpci_reset",
	.test_cases = sim_reset_cases,
};
kunit_test_suite(sim_reset_suite);

MODULE_DESCRIPTION("KUnit tests of resets and hot plug of simulated PCI");
MODULE_LICENSE("GPL");
