/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the KUnit suites of the simulated PCI hardware. Every
 * resource they hand out is released by a KUnit action when the test ends.
 */
#ifndef SIM_HELPERS_H
#define SIM_HELPERS_H

#include <kunit/test.h>
#include <linux/interrupt.h>
#include <linux/pci.h>

#include "sim/simpci.h"
#include "sim/simpci_models.h"

/* Functions of the default topology (topology.c). */
#define SIM_DMA_DEVFN		PCI_DEVFN(0, 0)
#define SIM_REGFILE_DEVFN	PCI_DEVFN(1, 0)
#define SIM_MFD_DEVFN(fn)	PCI_DEVFN(2, fn)
#define SIM_BRIDGE_DEVFN	PCI_DEVFN(3, 0)
#define SIM_IOAT_DEVFN		PCI_DEVFN(5, 0)
/* A free slot on the root bus for hot-added functions. */
#define SIM_HOTPLUG_DEVFN	PCI_DEVFN(0x10, 0)

/* Device IDs of the models that cases build for themselves. */
#define SIM_TEST_DEVICE_NOMASK	0x51f9	/* INTx masked only at the line */
#define SIM_TEST_DEVICE_BARE	0x51fa	/* no capability, no reset */
#define SIM_TEST_DEVICE_CAPS	0x51fb	/* every capability kind */
#define SIM_TEST_DEVICE_MSI	0x51fc	/* simpci_irq: MSI layouts */
#define SIM_TEST_DEVICE_ACS	0x51fd	/* simiommu: functions with ACS */
#define SIM_TEST_DEVICE_CHECKED	0x51fe	/* simpci_config: model checks */
#define SIM_TEST_DEVICE_BARS	0x51ff	/* simpci_config: BAR sizing */
#define SIM_TEST_DEVICE_LENS	0x51f8	/* vfio-pci: capability lengths */
#define SIM_TEST_DEVICE_HIDDEN	0x51f7	/* vfio-pci: every capability hidden */
#define SIM_TEST_DEVICE_EDGE	0x51f6	/* vfio-pci: a capability at 0xff */

/* A function opened for a test: enabled, bus master, BAR0 mapped. */
struct sim_fn {
	struct simpci_dev *sdev;
	struct pci_dev *pdev;
	void __iomem *regs;
};

struct sim_irq {
	struct pci_dev *pdev;
	unsigned int irq;
	atomic_t hits;
	bool intx;		/* ack by masking INTx at the device */
};

/* RAM-backed BAR0 (8 KiB) and no model behind it; see sim_helpers.c. */
extern const struct simpci_dev_desc sim_caps_desc;
extern const struct simpci_dev_desc sim_lens_desc;
extern const struct simpci_dev_desc sim_hidden_desc;
extern const struct simpci_dev_desc sim_edge_desc;
extern const struct simpci_dev_desc sim_bare_desc;
extern const struct simpci_dev_desc sim_nomask_desc;

/*
 * The translation of sim_use_translate(): sim_xlate.pages pages of bus
 * addresses from SIM_XLATE_BASE map to sim_xlate.buf.
 */
#define SIM_XLATE_BASE		0x100000ULL

struct sim_xlate {
	u8 *buf;
	unsigned int pages;
	unsigned long absent;		/* pages that fault, a bitmap */
	unsigned long readonly;		/* pages the device cannot write */
	unsigned int calls;		/* translations asked for */
	void (*hook)(void *data);	/* called on each, before the answer */
	void *hook_data;
};

extern struct sim_xlate sim_xlate;

u8 *sim_use_translate(struct kunit *test, unsigned int pages);
void sim_use_no_iommu(struct kunit *test);
struct pci_dev *sim_pci_dev(struct kunit *test, u8 busnr, u8 devfn);
struct simpci_dev *sim_dev(struct kunit *test, u8 busnr, u8 devfn);
struct simpci_dev *sim_root_dev(struct kunit *test, u8 devfn);
struct pci_dev *sim_root_pci(struct kunit *test, u8 devfn);
u8 sim_secondary_bus(struct kunit *test);
struct pci_dev *sim_enable_bridge(struct kunit *test);
int sim_topology_add(struct kunit *test, const char *spec);
struct simpci_dev *sim_plug(struct kunit *test,
			    const struct simpci_dev_desc *desc,
			    struct simpci_dev *parent, u8 devfn);
void sim_unplug(struct kunit *test, struct simpci_dev *sdev);
struct pci_dev *sim_enable(struct kunit *test, struct simpci_dev *sdev);
void __iomem *sim_map_bar(struct kunit *test, struct pci_dev *pdev, int bar);
struct sim_fn sim_open_at(struct kunit *test, u8 busnr, u8 devfn);
struct sim_fn sim_open(struct kunit *test, u8 devfn);
u32 sim_dma_copy(struct sim_fn *dma, u64 src, u64 dst, u32 len, u32 vector);
struct sim_irq *sim_count_irq(struct kunit *test, struct pci_dev *pdev,
			      unsigned int irq, bool intx);
int sim_alloc_vectors(struct kunit *test, struct pci_dev *pdev,
		      unsigned int nvec, unsigned int type);
void sim_save_config(struct kunit *test, struct pci_dev *pdev);
u32 sim_cfg_read(struct pci_dev *pdev, int where, int size);
void sim_unlazy(struct kunit *test, unsigned int irq);
struct platform_device *sim_plat_device(struct kunit *test,
					const char *compatible);

#endif /* SIM_HELPERS_H */
