/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the simulated PCI hardware, shared between its files.
 *
 * Layers, from the bottom; a file calls into its own layer and the ones
 * below it only:
 *  1. the interrupt controller (intc.c): four INTx lines, the MSI domain and
 *     its doorbell, delivery in hard interrupt context. It knows lines,
 *     requester IDs and messages, never a function.
 *  2. one function (config.c, caps.c, dev.c, msi.c): its config space and
 *     capabilities, its life (create, reset, destroy), its lock, its INTx
 *     pin and the messages it sends; it drives the controller's lines and
 *     doorbell.
 *  3. the host bridge (bus.c, mmio.c): topology and hot plug, routing of
 *     config cycles (pci_ops) and memory accesses to functions, the side
 *     effects of writes, the DMA path, the probe of the bridge.
 *  4. device models and the boot topology (models.c, topology.c): they use
 *     the public simpci.h only, like any other model would.
 * The one upward call: the bridge's probe (bus.c) creates the boot
 * topology (simpci_topology_init()) before the PCI core enumerates.
 *
 * Lock order: simpci_host.lock (mutex: topology, hot plug) ->
 * simpci_dev.lock (irq-safe spinlock, one function at a time: config
 * space, MSI-X table, model state) -> simpci_host.irq_lock (INTx line
 * counts, MSI vector owners) -> the delivery queue's lock. Functions that
 * need a lock held assert it with lockdep_assert_held().
 */
#ifndef SIMPCI_INTERNAL_H
#define SIMPCI_INTERNAL_H

#include <linux/irqdomain.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include "simpci.h"
#include "simpci_models.h"

/* Windows of the host bridge; RAM must stay below the register window. */
#define SIMPCI_REG_WINDOW_START	0xc0000000ULL
#define SIMPCI_REG_WINDOW_SIZE	0x10000000ULL
#define SIMPCI_IO_WINDOW_START	0x1000
#define SIMPCI_IO_WINDOW_SIZE	0x1000
/* Bus numbers of our hierarchy: the root bus and what bridges get below. */
#define SIMPCI_ROOT_BUS		0x40
#define SIMPCI_LAST_BUS		0x4f
/* The MSI controller: a write of the data to the doorbell raises hwirq. */
#define SIMPCI_MSI_HWIRQS	64
#define SIMPCI_INTX_LINES	4

#define SIMPCI_CFG_SIZE		PCI_CFG_SPACE_EXP_SIZE

/* The last accesses of one kind, a ring; @count counts all of them. */
struct simpci_access_ring {
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	unsigned int count;
};

/* On every config and BAR access. Context: the device's lock held. */
static inline void simpci_ring_add(struct simpci_access_ring *ring,
				   struct simpci_access a)
{
	ring->log[ring->count++ % SIMPCI_ACCESS_LOG] = a;
}

struct simpci_dev {
	const struct simpci_dev_desc *desc;
	struct simpci_dev *parent;
	struct list_head node;		/* on the parent's or the root list */
	struct list_head children;	/* bridges: devices on the secondary */
	u8 devfn;
	bool plugged;			/* decodes config cycles */

	spinlock_t lock;		/* everything below */
	u8 cfg[SIMPCI_CFG_SIZE];
	u8 wmask[SIMPCI_CFG_SIZE];	/* bits software may write */
	u8 w1c[SIMPCI_CFG_SIZE];	/* bits a written 1 clears */
	u16 cfg_size;			/* 256, or 4096 with a PCIe capability */

	u8 pm_pos;
	u8 msi_pos;
	u8 msix_pos;
	u8 exp_pos;
	u8 af_pos;
	u8 vpd_pos;
	u16 aer_pos;			/* extended: above 0x100 */

	/* MSI-X table and PBA, in a register BAR */
	u16 msix_vectors;
	u32 *msix_table;		/* 4 dwords per vector */
	unsigned long *msix_pba;

	/* the last BAR and config accesses, under lock */
	struct simpci_access_ring bar_accesses;
	struct simpci_access_ring cfg_accesses;

	bool err_fatal;			/* a fatal error awaits its report */
	struct work_struct err_work;	/* reports errors to the driver */

	bool intx_level;		/* the model drives its pin */
	bool intx_out;			/* what reaches the host's line */

	u8 priv[] __aligned(8);
};

struct simpci_host {
	struct mutex lock;		/* topology changes, hot plug */
	struct list_head devices;	/* on the root bus */
	struct pci_host_bridge *bridge;
	struct pci_bus *bus;
	struct fwnode_handle *fwnode;
	struct irq_domain *msi_inner;
	struct irq_domain *msi_domain;
	struct irq_domain *intx_domain;
	spinlock_t irq_lock;		/* the fields below */
	DECLARE_BITMAP(msi_used, SIMPCI_MSI_HWIRQS);
	u16 msi_owner[SIMPCI_MSI_HWIRQS];	/* requester ID per hwirq */
	unsigned int intx_count[SIMPCI_INTX_LINES];
	bool intx_masked[SIMPCI_INTX_LINES];
	struct resource reg_window;
	struct resource ram_window;
	struct resource io_window;
	struct resource busn;
	simpci_dma_fn dma_translate;
};

extern struct simpci_host simpci_host;

/* Side effects of a write, carried out once the device lock is dropped. */
#define SIMPCI_ACT_INTX		BIT(0)	/* Interrupt Disable changed */
#define SIMPCI_ACT_MSI		BIT(1)	/* MSI/MSI-X masks or enables changed */
#define SIMPCI_ACT_RESET	BIT(2)	/* FLR, or D3hot to D0 */
#define SIMPCI_ACT_BUS_RESET	BIT(3)	/* secondary bus reset */

/* 1. intc.c */
int simpci_intc_init(struct simpci_host *host, const char *name);
void simpci_intc_fail_step(unsigned int nth);
void simpci_intc_exit(struct simpci_host *host);
int simpci_intx_map(const struct pci_dev *pdev, u8 slot, u8 pin);
bool simpci_intc_line(unsigned int line, bool up);
void simpci_intc_raise_line(unsigned int line);
void simpci_intc_doorbell(u16 rid, u64 addr, u32 data);

/* 2. config.c, caps.c, dev.c, msi.c */
int simpci_desc_validate(const struct simpci_dev_desc *desc);
void simpci_cfg_build(struct simpci_dev *sdev);
u32 simpci_cfg_read(struct simpci_dev *sdev, int where, int size);
unsigned int simpci_cfg_write(struct simpci_dev *sdev, int where, int size,
			      u32 val);
void simpci_wmask(struct simpci_dev *sdev, int where, int size, u32 bits);
void simpci_w1c(struct simpci_dev *sdev, int where, int size, u32 bits);
u64 simpci_bar_base(struct simpci_dev *sdev, int bar);
void *simpci_bar_ram_locked(struct simpci_dev *sdev, int bar);
bool simpci_mem_enabled(struct simpci_dev *sdev);
bool simpci_in_d0(struct simpci_dev *sdev);

int simpci_caps_validate(const struct simpci_dev_desc *desc);
void simpci_caps_build(struct simpci_dev *sdev);
unsigned int simpci_caps_write(struct simpci_dev *sdev, u16 old_pmcsr);
void simpci_vpd_write(struct simpci_dev *sdev, int where, int size);

u16 simpci_requester_id(struct simpci_dev *sdev);
void simpci_intx_update(struct simpci_dev *sdev);

void simpci_aer_init(struct simpci_dev *sdev);
void simpci_aer_exit(struct simpci_dev *sdev);

void simpci_msi_unmasked(struct simpci_dev *sdev);
void simpci_msi_reset(struct simpci_dev *sdev);
u64 simpci_msix_read(struct simpci_dev *sdev, u64 off, int size, bool pba);
unsigned int simpci_msix_write(struct simpci_dev *sdev, u64 off, int size,
			       u64 val);

/* Capability descriptors up to the empty entry that ends them. */
#define simpci_for_each_cap(c, caps) \
	for ((c) = (caps); (c) && ((c)->id || (c)->raw); (c)++)

static inline u32 simpci_cfg_get(struct simpci_dev *sdev, int where, int size)
{
	__le32 v = 0;

	memcpy(&v, &sdev->cfg[where], size);
	return le32_to_cpu(v);
}

static inline void simpci_cfg_set(struct simpci_dev *sdev, int where,
				  int size, u32 val)
{
	__le32 v = cpu_to_le32(val);

	memcpy(&sdev->cfg[where], &v, size);
}

/* All ones of an access of @size bytes: what nobody answers reads. */
static inline u64 simpci_ones(int size)
{
	return size == 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
}

/* The @size bytes at @where out of the dword that holds them. */
static inline u32 simpci_field(u32 dword, int where, int size)
{
	return dword >> 8 * (where & 3) & simpci_ones(size);
}

/* 3. bus.c, mmio.c */
void simpci_cfg_act(struct simpci_dev *sdev, unsigned int act);
int simpci_mmio_init(struct simpci_host *host);

#endif /* SIMPCI_INTERNAL_H */
