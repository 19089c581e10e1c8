// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the KUnit suites of the simulated PCI hardware.
 */
#include <kunit/test.h>
#include <linux/irq.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/vmalloc.h>

#include "sim_helpers.h"

KUNIT_DEFINE_ACTION_WRAPPER(put_pci_dev, pci_dev_put, struct pci_dev *);
KUNIT_DEFINE_ACTION_WRAPPER(unplug, simpci_dev_unplug, struct simpci_dev *);
KUNIT_DEFINE_ACTION_WRAPPER(disable_device, pci_disable_device,
			    struct pci_dev *);
KUNIT_DEFINE_ACTION_WRAPPER(free_vectors, pci_free_irq_vectors,
			    struct pci_dev *);

/* Power-on state for the model, then the config space saved before. */
static void reset_and_restore(void *data)
{
	struct pci_dev *pdev = data;
	struct simpci_dev *sdev = simpci_dev_find(pdev->bus->number,
						  pdev->devfn);

	if (sdev)
		simpci_dev_reset(sdev);
	pci_restore_state(pdev);
}

/* The capability kinds of the simulator, in an order that hides some. */
static const struct simpci_cap_desc sim_caps_caps[] = {
	{ .id = PCI_CAP_ID_PM,
	  .pm = { .pme = PCI_PM_CAP_PME_D0 | PCI_PM_CAP_PME_D3hot } },
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 2, .maskable = true } },
	{ .id = PCI_CAP_ID_SLOTID },
	{ .id = PCI_CAP_ID_VPD },
	{ .id = PCI_CAP_ID_AF },
	{ .id = PCI_CAP_ID_EXP },
	{ .id = PCI_CAP_ID_VNDR, .len = 8 },
	{ .id = PCI_EXT_CAP_ID_PASID, .ext = true },
	{ .id = PCI_EXT_CAP_ID_ERR, .ext = true },
	{ .id = PCI_EXT_CAP_ID_PTM, .ext = true },
	{ .id = PCI_EXT_CAP_ID_DSN, .ext = true },
	{ .id = PCI_EXT_CAP_ID_ACS, .ext = true },
	{}
};

/*
 * A function with every capability kind the simulator builds (PM with PME
 * support), a BAR in the last slot, and a ROM BAR of a page with no image
 * in it (all ones).
 */
const struct simpci_dev_desc sim_caps_desc = {
	.name = "caps", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_CAPS, .class = PCI_CLASS_OTHERS << 16,
	.intx_pin = 1, .rom_size = SZ_4K,
	.bars = {
		[0] = { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
			.size = SZ_8K },
		[5] = { .type = SIMPCI_BAR_MEM32, .size = SZ_4K },
	},
	.caps = sim_caps_caps,
};

/*
 * Capabilities whose length their registers tell, raw, each followed by
 * four writable bytes that belong to no capability: HyperTransport short
 * form (24 bytes), SATA with inline registers (16), PCI-X version 2 (24)
 * and version 0 (8),
 * a VC with one extra VC (0x28), a VC9 with a 32-phase arbitration table
 * (0x30), ACS with 33 egress control bits (16), ACS without egress
 * control (8, whatever its egress bits say), a Resizable BAR of two
 * BARs (20), DPA with four substates (20), TPH with a 3-entry steering
 * tag table (20), power budgeting (16), vendor-specific and DVSEC ones
 * of 12.
 */
static const u8 lens_ht[28] = { [3] = 0x20 };
static const u8 lens_sata[20] = { [4] = PCI_SATA_REGS_INLINE };
static const u8 lens_pcix2[PCI_CAP_PCIX_SIZEOF_V2 + 4] = {
	[PCI_X_CMD + 1] = 2 << 4,
};
static const u8 lens_pcix[PCI_CAP_PCIX_SIZEOF_V0 + 4];
static const u8 lens_vc[0x28 + 4] = { [PCI_VC_PORT_CAP1] = 1 };
static const u8 lens_vc9[0x30 + 4] = {
	[PCI_VC_PORT_CAP2] = PCI_VC_CAP2_32_PHASE,
};
static const u8 lens_acs[16 + 4] = {
	[PCI_ACS_CAP] = PCI_ACS_EC, [PCI_ACS_EGRESS_BITS] = 33,
};
static const u8 lens_acs_no_ec[8 + 4] = { [PCI_ACS_EGRESS_BITS] = 33 };
static const u8 lens_rebar[20 + 4] = { [PCI_REBAR_CTRL] = 2 << 5 };
static const u8 lens_dpa[20 + 4] = { [PCI_DPA_CAP] = 3 };
static const u8 lens_tph[20 + 4] = {
	[PCI_TPH_CAP + 1] = PCI_TPH_LOC_CAP >> 8, [PCI_TPH_CAP + 2] = 3,
};
static const u8 lens_pwr[PCI_EXT_CAP_PWR_SIZEOF + 4];
/* Vendor-specific and designated vendor-specific, 12 bytes each. */
static const u8 lens_vsec[12 + 4] = { [PCI_VSEC_HDR + 2] = 12 << 4 };
static const u8 lens_dvsec[12 + 4] = { [PCI_DVSEC_HEADER1 + 2] = 12 << 4 };

#define LENS_RAW(cap, is_ext, bytes) \
	{ .id = (cap), .ext = (is_ext), .len = sizeof(bytes), .raw = (bytes) }

static const struct simpci_cap_desc sim_lens_caps[] = {
	{ .id = PCI_CAP_ID_EXP },
	/* 64-bit, without per-vector masking: 14 bytes. */
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 8, .addr64 = true } },
	LENS_RAW(PCI_CAP_ID_HT, false, lens_ht),
	LENS_RAW(PCI_CAP_ID_SATA, false, lens_sata),
	LENS_RAW(PCI_CAP_ID_PCIX, false, lens_pcix2),
	LENS_RAW(PCI_CAP_ID_PCIX, false, lens_pcix),
	/*
	 * The last one shown, its next pointer unlike the function's; of an
	 * odd length, its last word shared with no capability.
	 */
	{ .id = PCI_CAP_ID_VNDR, .len = 7 },
	{ .id = PCI_CAP_ID_SLOTID },
	LENS_RAW(PCI_EXT_CAP_ID_VC, true, lens_vc),
	LENS_RAW(PCI_EXT_CAP_ID_VC9, true, lens_vc9),
	LENS_RAW(PCI_EXT_CAP_ID_ACS, true, lens_acs),
	LENS_RAW(PCI_EXT_CAP_ID_ACS, true, lens_acs_no_ec),
	LENS_RAW(PCI_EXT_CAP_ID_REBAR, true, lens_rebar),
	LENS_RAW(PCI_EXT_CAP_ID_DPA, true, lens_dpa),
	LENS_RAW(PCI_EXT_CAP_ID_TPH, true, lens_tph),
	LENS_RAW(PCI_EXT_CAP_ID_PWR, true, lens_pwr),
	LENS_RAW(PCI_EXT_CAP_ID_VNDR, true, lens_vsec),
	LENS_RAW(PCI_EXT_CAP_ID_DVSEC, true, lens_dvsec),
	{}
};

const struct simpci_dev_desc sim_lens_desc = {
	.name = "lens", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_LENS, .class = PCI_CLASS_OTHERS << 16,
	.caps = sim_lens_caps,
	/* UML maps no I/O ports: BAR1 has a size but cannot be accessed. */
	.bars = { { .type = SIMPCI_BAR_MEM32, .size = SZ_4K },
		  { .type = SIMPCI_BAR_IO, .size = 256 } },
};

/*
 * A PCI Express function (capability version 1) whose other capabilities
 * are all hidden: a null one (ID 0), one of an ID past the standard ones,
 * the last standard one (Enhanced Allocation); the last extended one (DOE)
 * first at 0x100, PTM and one of an ID past the extended ones.
 */
static const u8 hidden_std[4];
static const u8 hidden_ext[8];

static const struct simpci_cap_desc sim_hidden_caps[] = {
	{ .id = 0, .len = sizeof(hidden_std), .raw = hidden_std },
	{ .id = PCI_CAP_ID_MAX + 1, .len = sizeof(hidden_std),
	  .raw = hidden_std },
	{ .id = PCI_CAP_ID_MAX, .len = sizeof(hidden_std), .raw = hidden_std },
	{ .id = PCI_CAP_ID_EXP, .exp = { .v1 = true } },
	{ .id = PCI_EXT_CAP_ID_MAX, .ext = true, .len = sizeof(hidden_ext),
	  .raw = hidden_ext },
	{ .id = PCI_EXT_CAP_ID_PTM, .ext = true },
	{ .id = PCI_EXT_CAP_ID_MAX + 1, .ext = true, .len = sizeof(hidden_ext),
	  .raw = hidden_ext },
	{}
};

const struct simpci_dev_desc sim_hidden_desc = {
	.name = "hidden", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_HIDDEN, .class = PCI_CLASS_OTHERS << 16,
	.caps = sim_hidden_caps,
	.bars = { { .type = SIMPCI_BAR_MEM32, .size = SZ_4K } },
};

/*
 * Standard capabilities that fill config space up to 0x100 exactly, the
 * last of them PM (ID 1) at 0xf8, and AER (extended ID 1) at 0x100: two
 * capabilities of one ID that meet at the boundary.
 */
static const struct simpci_cap_desc sim_edge_caps[] = {
	{ .id = PCI_CAP_ID_EXP },
	{ .id = PCI_CAP_ID_VNDR,
	  .len = 0xf8 - PCI_STD_HEADER_SIZEOF - PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 },
	{ .id = PCI_CAP_ID_PM },
	{ .id = PCI_EXT_CAP_ID_ERR, .ext = true },
	{}
};

const struct simpci_dev_desc sim_edge_desc = {
	.name = "edge", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_EDGE, .class = PCI_CLASS_OTHERS << 16,
	.caps = sim_edge_caps,
	.bars = { { .type = SIMPCI_BAR_MEM32, .size = SZ_4K } },
};

static const struct simpci_cap_desc sim_bare_caps[] = {
	{ .id = PCI_CAP_ID_SLOTID },
	{}
};

/*
 * A function with nothing to reset it by (no PM, no FLR, on the root
 * bus) and no capability but a bridge's.
 */
const struct simpci_dev_desc sim_bare_desc = {
	.name = "bare", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_BARE, .class = PCI_CLASS_OTHERS << 16,
	.caps = sim_bare_caps,
	.bars = { { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
		    .size = SZ_8K } },
};

/* Advanced Features with FLR but without Transactions Pending. */
static const u8 nomask_af[PCI_CAP_AF_SIZEOF] = {
	[PCI_AF_LENGTH] = PCI_CAP_AF_SIZEOF, [PCI_AF_CAP] = PCI_AF_CAP_FLR,
};

static const struct simpci_cap_desc sim_nomask_caps[] = {
	{ .id = PCI_CAP_ID_PM },
	{ .id = PCI_CAP_ID_MSI, .msi = { .vectors = 1 } },
	{ .id = PCI_CAP_ID_AF, .len = sizeof(nomask_af), .raw = nomask_af },
	{}
};

/*
 * A function whose INTx can be masked only at the line (before PCI 2.3),
 * whose one 32-bit MSI vector not at all, and whose FLR cannot be asked
 * through its AF capability (it cannot tell transactions pending).
 */
const struct simpci_dev_desc sim_nomask_desc = {
	.name = "nomask", .vendor = SIMPCI_VENDOR,
	.device = SIM_TEST_DEVICE_NOMASK, .class = PCI_CLASS_OTHERS << 16,
	.intx_pin = 1, .intx_nomask = true, .caps = sim_nomask_caps,
	.bars = { { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
		    .size = SZ_8K } },
};

/**
 * sim_pci_dev() - the PCI core's device at a BDF, put when the test ends
 * @test: the test
 * @busnr: bus number
 * @devfn: slot and function
 *
 * Return: the device; the test fails if there is none.
 */
struct pci_dev *sim_pci_dev(struct kunit *test, u8 busnr, u8 devfn)
{
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, busnr, devfn);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device at %02x:%02x.%x",
				  busnr, PCI_SLOT(devfn), PCI_FUNC(devfn));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, put_pci_dev, pdev));
	return pdev;
}

/**
 * sim_dev() - the simulated function at a BDF
 * @test: the test
 * @busnr: bus number
 * @devfn: slot and function
 *
 * Return: the function; the test fails if there is none.
 */
struct simpci_dev *sim_dev(struct kunit *test, u8 busnr, u8 devfn)
{
	struct simpci_dev *sdev = simpci_dev_find(busnr, devfn);

	KUNIT_ASSERT_NOT_NULL(test, sdev);
	return sdev;
}

/**
 * sim_root_dev() - a simulated function on the root bus
 * @test: the test
 * @devfn: slot and function
 *
 * Return: the function; the test fails if there is none.
 */
struct simpci_dev *sim_root_dev(struct kunit *test, u8 devfn)
{
	return sim_dev(test, simpci_root_busnr(), devfn);
}

/**
 * sim_root_pci() - the PCI core's device on the root bus, put at the end
 * @test: the test
 * @devfn: slot and function
 *
 * Return: the device; the test fails if there is none.
 */
struct pci_dev *sim_root_pci(struct kunit *test, u8 devfn)
{
	return sim_pci_dev(test, simpci_root_busnr(), devfn);
}

/**
 * sim_secondary_bus() - the bus behind the default topology's bridge
 * @test: the test
 *
 * Return: its number; the test fails if the bridge has none.
 */
u8 sim_secondary_bus(struct kunit *test)
{
	struct pci_dev *br = sim_root_pci(test, SIM_BRIDGE_DEVFN);

	KUNIT_ASSERT_NOT_NULL(test, br->subordinate);
	return br->subordinate->number;
}

/**
 * sim_enable_bridge() - the default topology's bridge, forwarding memory
 * @test: the test
 *
 * Enabled and bus master until the test ends, then disabled, reset and
 * restored as sim_enable() does.
 *
 * Return: the bridge's pci_dev.
 */
struct pci_dev *sim_enable_bridge(struct kunit *test)
{
	return sim_enable(test, sim_root_dev(test, SIM_BRIDGE_DEVFN));
}

struct topology_snapshot {
	DECLARE_BITMAP(present, 256);
};

/* Unplug the root bus functions that were not there before. */
static void topology_restore(void *data)
{
	struct topology_snapshot *snap = data;

	simpci_topology_remove(snap->present);
}

/**
 * sim_topology_add() - simpci_topology_add(), undone when the test ends
 * @test: the test
 * @spec: entries as for simpci.topology=
 *
 * Every root bus function plugged from now on is unplugged at the end.
 *
 * Return: what simpci_topology_add() returned.
 */
int sim_topology_add(struct kunit *test, const char *spec)
{
	struct topology_snapshot *snap;
	unsigned int devfn;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	for (devfn = 0; devfn < 256; devfn++)
		if (simpci_dev_find(simpci_root_busnr(), devfn))
			__set_bit(devfn, snap->present);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				topology_restore, snap));
	return simpci_topology_add(spec);
}

/**
 * sim_plug() - hot-add a function, unplugged when the test ends
 * @test: the test
 * @desc: model
 * @parent: bridge, or NULL for the root bus
 * @devfn: slot and function
 *
 * Return: the function.
 */
struct simpci_dev *sim_plug(struct kunit *test,
			    const struct simpci_dev_desc *desc,
			    struct simpci_dev *parent, u8 devfn)
{
	struct simpci_dev_create_args args = {
		.desc = desc, .parent = parent, .devfn = devfn,
	};
	struct simpci_dev *sdev = simpci_dev_create(&args);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sdev);
	if (simpci_dev_plug(sdev)) {
		simpci_dev_destroy(sdev);
		KUNIT_FAIL_AND_ABORT(test, "slot %02x.%x taken",
				     PCI_SLOT(devfn), PCI_FUNC(devfn));
	}
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unplug, sdev));
	return sdev;
}

/**
 * sim_unplug() - surprise removal now instead of at the end of the test
 * @test: the test
 * @sdev: a function from sim_plug()
 */
void sim_unplug(struct kunit *test, struct simpci_dev *sdev)
{
	kunit_release_action(test, unplug, sdev);
}

/**
 * sim_enable() - the function's pci_dev, enabled and bus master
 * @test: the test
 * @sdev: the function
 *
 * Saves the config space first; the function is reset and the config
 * space restored when the test ends (see sim_save_config()).
 *
 * Return: the device.
 */
struct pci_dev *sim_enable(struct kunit *test, struct simpci_dev *sdev)
{
	struct pci_dev *pdev = sim_pci_dev(test, simpci_dev_busnr(sdev),
					   simpci_dev_devfn(sdev));

	sim_save_config(test, pdev);
	KUNIT_ASSERT_EQ(test, 0, pci_enable_device(pdev));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, disable_device, pdev));
	pci_set_master(pdev);
	return pdev;
}

/**
 * sim_save_config() - leave the function as found when the test ends
 * @test: the test
 * @pdev: the device
 *
 * At the end the function is reset (model state, pins, MSI-X table) and
 * the config space saved now is restored.
 */
void sim_save_config(struct kunit *test, struct pci_dev *pdev)
{
	KUNIT_ASSERT_EQ(test, 0, pci_save_state(pdev));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				reset_and_restore, pdev));
}

static void unmap_bar(void *ctx)
{
	struct pci_dev *pdev = ((void **)ctx)[0];

	pci_iounmap(pdev, ((void __iomem **)ctx)[1]);
}

/**
 * sim_map_bar() - pci_iomap() of a whole BAR, unmapped when the test ends
 * @test: the test
 * @pdev: an enabled device
 * @bar: BAR index
 *
 * Return: the mapping.
 */
void __iomem *sim_map_bar(struct kunit *test, struct pci_dev *pdev, int bar)
{
	void **ctx = kunit_kzalloc(test, 2 * sizeof(void *), GFP_KERNEL);
	void __iomem *io;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	io = pci_iomap(pdev, bar, 0);
	KUNIT_ASSERT_NOT_NULL(test, io);
	ctx[0] = pdev;
	ctx[1] = (void __force *)io;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unmap_bar, ctx));
	return io;
}

/**
 * sim_open_at() - a function ready for a test: enabled, bus master, BAR0
 *	mapped; all of it undone when the test ends
 * @test: the test
 * @busnr: bus number
 * @devfn: slot and function
 *
 * Return: the function, its pci_dev and its BAR0.
 */
struct sim_fn sim_open_at(struct kunit *test, u8 busnr, u8 devfn)
{
	struct sim_fn fn;

	fn.sdev = sim_dev(test, busnr, devfn);
	fn.pdev = sim_enable(test, fn.sdev);
	fn.regs = sim_map_bar(test, fn.pdev, 0);
	return fn;
}

/**
 * sim_open() - sim_open_at() for a function on the root bus
 * @test: the test
 * @devfn: slot and function
 *
 * Return: the function, its pci_dev and its BAR0.
 */
struct sim_fn sim_open(struct kunit *test, u8 devfn)
{
	return sim_open_at(test, simpci_root_busnr(), devfn);
}

/**
 * sim_dma_copy() - one copy by the DMA engine model
 * @dma: a DMA engine from sim_open()
 * @src: source bus address
 * @dst: destination bus address
 * @len: bytes
 * @vector: MSI/MSI-X vector that signals completion
 *
 * Return: the status register after the doorbell (SIMPCI_DMA_DONE or
 * SIMPCI_DMA_ERROR; the copy is done when the doorbell write returns).
 */
u32 sim_dma_copy(struct sim_fn *dma, u64 src, u64 dst, u32 len, u32 vector)
{
	writeq(src, dma->regs + SIMPCI_DMA_SRC);
	writeq(dst, dma->regs + SIMPCI_DMA_DST);
	iowrite32(len, dma->regs + SIMPCI_DMA_LEN);
	iowrite32(vector, dma->regs + SIMPCI_DMA_VECTOR);
	iowrite32(1, dma->regs + SIMPCI_DMA_DOORBELL);
	return ioread32(dma->regs + SIMPCI_DMA_STATUS);
}

static irqreturn_t count_handler(int irq, void *data)
{
	struct sim_irq *c = data;

	/* A level interrupt must be quietened at the device before return. */
	if (c->intx && !pci_check_and_mask_intx(c->pdev))
		return IRQ_NONE;
	atomic_inc(&c->hits);
	return IRQ_HANDLED;
}

static void free_counted(void *data)
{
	struct sim_irq *c = data;

	free_irq(c->irq, c);
}

/**
 * sim_count_irq() - count the interrupts of an IRQ
 * @test: the test
 * @pdev: the device the IRQ belongs to
 * @irq: Linux IRQ number
 * @intx: a shared level INTx line: the handler masks INTx at the device
 *
 * Return: the counter; the handler is freed when the test ends.
 */
struct sim_irq *sim_count_irq(struct kunit *test, struct pci_dev *pdev,
			      unsigned int irq, bool intx)
{
	struct sim_irq *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->pdev = pdev;
	c->irq = irq;
	c->intx = intx;
	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, count_handler,
					     intx ? IRQF_SHARED : 0,
					     "simpci-test", c));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, free_counted, c));
	return c;
}

/**
 * sim_alloc_vectors() - exactly @nvec MSI or MSI-X vectors
 * @test: the test
 * @pdev: an enabled device
 * @nvec: number of vectors
 * @type: PCI_IRQ_MSI or PCI_IRQ_MSIX
 *
 * Return: @nvec; the vectors are freed when the test ends.
 */
int sim_alloc_vectors(struct kunit *test, struct pci_dev *pdev,
		      unsigned int nvec, unsigned int type)
{
	int n = pci_alloc_irq_vectors(pdev, nvec, nvec, type);

	KUNIT_ASSERT_EQ(test, n, (int)nvec);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, free_vectors, pdev));
	return n;
}

/**
 * sim_cfg_read() - a config read of any size, as a value
 * @pdev: the function
 * @where: offset
 * @size: 1, 2 or 4
 *
 * Return: what the PCI core read (all ones where it failed).
 */
u32 sim_cfg_read(struct pci_dev *pdev, int where, int size)
{
	u32 v = 0;
	u16 w;
	u8 b;

	if (size == 1) {
		pci_read_config_byte(pdev, where, &b);
		v = b;
	} else if (size == 2) {
		pci_read_config_word(pdev, where, &w);
		v = w;
	} else {
		pci_read_config_dword(pdev, where, &v);
	}
	return v;
}

static void unlazy_clear(void *data)
{
	irq_clear_status_flags((unsigned long)data, IRQ_DISABLE_UNLAZY);
}

/**
 * sim_unlazy() - disable_irq() masks at the controller at once
 * @test: the test; the flag is cleared when it ends
 * @irq: the Linux IRQ
 *
 * Without it a disable waits for the next interrupt to mask.
 */
void sim_unlazy(struct kunit *test, unsigned int irq)
{
	irq_set_status_flags(irq, IRQ_DISABLE_UNLAZY);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unlazy_clear,
				(void *)(unsigned long)irq));
}

KUNIT_DEFINE_ACTION_WRAPPER(put_pdev, platform_device_put,
			    struct platform_device *);

/**
 * sim_plat_device() - the platform device of a node of the simulated tree
 * @test: the test; the reference is put when it ends
 * @compatible: the node's compatible string
 *
 * Return: the device; the test fails when there is none.
 */
struct platform_device *sim_plat_device(struct kunit *test,
					const char *compatible)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL,
							 compatible);
	struct platform_device *pdev;

	KUNIT_ASSERT_NOT_NULL_MSG(test, np, "no %s in the tree", compatible);
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, put_pdev,
							   pdev));
	return pdev;
}

struct sim_xlate sim_xlate;
static simpci_dma_fn saved_translate;

static int test_translate(struct simpci_dev *sdev, u64 iova, size_t len,
			  bool write, void **kva)
{
	u64 page = (iova - SIM_XLATE_BASE) >> PAGE_SHIFT;

	sim_xlate.calls++;
	if (sim_xlate.hook)
		sim_xlate.hook(sim_xlate.hook_data);
	if (iova < SIM_XLATE_BASE || page >= sim_xlate.pages ||
	    (page < BITS_PER_LONG && test_bit(page, &sim_xlate.absent)))
		return -EFAULT;
	if (write && page < BITS_PER_LONG &&
	    test_bit(page, &sim_xlate.readonly))
		return -EPERM;
	*kva = sim_xlate.buf + (iova - SIM_XLATE_BASE);
	return 0;
}

static void restore_translate(void *unused)
{
	simpci_set_dma_translate(saved_translate);
}

KUNIT_DEFINE_ACTION_WRAPPER(free_vmem, vfree, const void *);

/**
 * sim_use_translate() - a translation standing in for an IOMMU
 * @test: the test; the translation before is put back when it ends
 * @pages: pages of bus addresses from SIM_XLATE_BASE, mapped to a zeroed
 *	buffer; the first 64 can be made absent or read-only in sim_xlate
 *
 * Return: the buffer (also sim_xlate.buf).
 */
u8 *sim_use_translate(struct kunit *test, unsigned int pages)
{
	u8 *buf = vzalloc(pages * PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_vmem,
							   buf));
	sim_xlate = (struct sim_xlate){ .buf = buf, .pages = pages };
	saved_translate = simpci_set_dma_translate(test_translate);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				restore_translate, NULL));
	return buf;
}

/**
 * sim_use_no_iommu() - no translation: bus addresses are physical
 * @test: the test; the translation before is put back when it ends
 */
void sim_use_no_iommu(struct kunit *test)
{
	saved_translate = simpci_set_dma_translate(NULL);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				restore_translate, NULL));
}
