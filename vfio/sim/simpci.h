/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated PCI hardware for User-Mode Linux: a host bridge on a bus number
 * of its own, and device models described by data.
 *
 * The kernel's PCI core sees these devices as real ones: it enumerates them
 * through the bridge's pci_ops, sizes and assigns their BARs, reaches them
 * with pci_iomap() and ioread/iowrite, and allocates MSI/MSI-X vectors from
 * the bridge's MSI domain. Nothing here calls into vfio.
 *
 * Lifetime: a struct simpci_dev is created by simpci_dev_create() (not yet
 * visible), becomes visible to the PCI core with simpci_dev_plug() and is
 * freed by simpci_dev_unplug() (surprise removal: it vanishes first, then
 * the PCI core removes its pci_dev) or simpci_dev_destroy() before it was
 * plugged. Devices of the boot topology live until they are unplugged.
 *
 * Locking: each device has a spinlock (irq-safe) for its config space and
 * model state. Model callbacks run with it held and must not sleep or raise
 * interrupts; they return, and the model raises interrupts afterwards with
 * simpci_raise_intx()/simpci_signal_msi() without holding the lock.
 * Interrupts raised with local interrupts disabled are delivered from a
 * work item, as hardware would deliver them once the CPU accepts them.
 */
#ifndef SIMPCI_H
#define SIMPCI_H

#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct simpci_dev;

/*
 * The host bridge's MSI doorbell window, where x86 has it: message writes
 * go to the interrupt controller, never to memory, so an IOMMU reserves
 * the window (IOMMU_RESV_MSI). The controller listens at its start.
 */
#define SIMPCI_MSI_WINDOW_START	0xfee00000ULL
#define SIMPCI_MSI_WINDOW_SIZE	SZ_1M
#define SIMPCI_MSI_DOORBELL	SIMPCI_MSI_WINDOW_START

enum simpci_bar_type {
	SIMPCI_BAR_NONE,
	SIMPCI_BAR_MEM32,
	SIMPCI_BAR_MEM64,	/* takes the next BAR slot as its upper half */
	SIMPCI_BAR_IO,
};

/**
 * struct simpci_bar_desc - one BAR of a device model
 * @type: memory (32 or 64-bit), I/O or none
 * @prefetch: the BAR is prefetchable (memory BARs only)
 * @ram: the BAR is pages of RAM, placed in the bridge's RAM window, that
 *	userspace can map. The model sees the content through
 *	simpci_bar_ram().
 * @size: a power of two; at least 16 bytes for memory, 4 for I/O
 * @ram_regs: with @ram, registers that live in RAM: accesses through the
 *	kernel's mapping reach the model's @bar_read and @bar_write instead
 *	of the RAM, and an MSI-X table may be there. Stores through a
 *	userspace mapping still reach only the RAM: the model sees them in
 *	its @poll.
 */
struct simpci_bar_desc {
	enum simpci_bar_type type;
	bool prefetch;
	bool ram;
	u64 size;
	bool ram_regs;
};

/**
 * struct simpci_cap_desc - one capability of a device model
 * @id: PCI_CAP_ID_* for a capability, PCI_EXT_CAP_ID_* with @ext set
 * @ext: an extended capability (config space above 0x100)
 * @len: length of a vendor-specific capability (PCI_CAP_ID_VNDR), at least 3,
 *	or of a raw one
 * @raw: a capability the simulator does not model: its @len bytes from its
 *	start (those of the header are ignored), every byte after the header
 *	writable; any @id, and it may repeat
 * @msi: MSI: @msi.vectors (1-32, a power of two), @msi.addr64, @msi.maskable
 * @msix: MSI-X: @msix.vectors (1-2048), table and PBA BAR and offsets
 * @exp: PCI Express: @exp.flr (device capabilities advertise FLR),
 *	@exp.v1 (a capability of version 1: only the registers all devices
 *	have, 12 bytes of an integrated endpoint's; the rest of its room reads 0)
 * @pm: power management: @pm.pme, the PME_Support bits (PCI_PM_CAP_PME_*)
 *	PMC advertises; PME itself is never signalled
 */
struct simpci_cap_desc {
	u16 id;
	bool ext;
	u8 len;
	const u8 *raw;
	union {
		struct {
			u8 vectors;
			bool addr64;
			bool maskable;
		} msi;
		struct {
			u16 vectors;
			u8 table_bar;
			u8 pba_bar;
			u32 table_offset;
			u32 pba_offset;
		} msix;
		struct {
			bool flr;
			bool v1;
		} exp;
		struct {
			u16 pme;
		} pm;
	};
};

/**
 * struct simpci_model_ops - behaviour of a device model
 * @init: set up model state after the device was created (optional)
 * @release: free model state (optional)
 * @bar_read: read @size (1, 2, 4 or 8) bytes at @off of register BAR @bar
 * @bar_write: write @size bytes at @off of register BAR @bar
 * @reset: return model state to power-on (FLR, bus reset, hot reset)
 * @after_access: called after a BAR access with the device lock dropped;
 *	the place to raise interrupts that the access caused (optional)
 * @poll: notice what reached a RAM-backed BAR through a userspace mapping
 *	and let the device run; called by the model's own poller and by
 *	simpci_dev_poll(). May sleep. Returns true while work is left
 *	(optional)
 *
 * @bar_read, @bar_write and @reset run with the device lock held.
 */
struct simpci_model_ops {
	int (*init)(struct simpci_dev *sdev);
	void (*release)(struct simpci_dev *sdev);
	u64 (*bar_read)(struct simpci_dev *sdev, int bar, u64 off, int size);
	void (*bar_write)(struct simpci_dev *sdev, int bar, u64 off, int size,
			  u64 val);
	void (*reset)(struct simpci_dev *sdev);
	void (*after_access)(struct simpci_dev *sdev);
	bool (*poll)(struct simpci_dev *sdev);
};

/**
 * struct simpci_dev_desc - a device model, as data
 * @name: model name, for messages
 * @vendor: vendor ID
 * @device: device ID
 * @subvendor: subsystem vendor ID
 * @subdevice: subsystem ID
 * @class: class code (base, sub-class, prog-if), 24 bits
 * @revision: revision ID
 * @bridge: a PCI-to-PCI bridge (type 1 header); devices are plugged behind
 *	it with @parent of struct simpci_dev_create_args
 * @intx_pin: 0 for none, 1-4 for INTA-INTD
 * @intx_nomask: no Interrupt Disable bit (a function older than PCI 2.3):
 *	INTx can be masked only at the interrupt line
 * @bars: BARs 0-5 (a bridge has BARs 0-1 only)
 * @rom_size: expansion ROM size (a power of two, at least 2 KiB), 0 for none
 * @rom: ROM content, @rom_len bytes; the rest of the ROM reads as 0xff
 * @rom_len: length of @rom
 * @caps: capabilities, in list order; ends with an entry of id 0 and no
 *	raw bytes (a raw one of id 0 is a null capability)
 * @ops: behaviour; NULL for a device that only has config space and RAM
 * @priv_size: bytes of model state allocated with the device
 */
struct simpci_dev_desc {
	const char *name;
	u16 vendor;
	u16 device;
	u16 subvendor;
	u16 subdevice;
	u32 class;
	u8 revision;
	bool bridge;
	u8 intx_pin;
	bool intx_nomask;
	struct simpci_bar_desc bars[PCI_STD_NUM_BARS];
	u32 rom_size;
	const void *rom;
	size_t rom_len;
	const struct simpci_cap_desc *caps;
	const struct simpci_model_ops *ops;
	size_t priv_size;
};

/**
 * struct simpci_dev_create_args - where a new device goes
 * @desc: the model
 * @parent: bridge the device sits behind, NULL for the root bus
 * @devfn: slot and function on that bus
 */
struct simpci_dev_create_args {
	const struct simpci_dev_desc *desc;
	struct simpci_dev *parent;
	u8 devfn;
};

struct simpci_dev *simpci_dev_create(const struct simpci_dev_create_args *a);
void simpci_dev_destroy(struct simpci_dev *sdev);
int simpci_dev_plug(struct simpci_dev *sdev);
void simpci_dev_unplug(struct simpci_dev *sdev);
void simpci_dev_reset(struct simpci_dev *sdev);
bool simpci_dev_poll(struct simpci_dev *sdev);
int simpci_topology_add(const char *spec);
void simpci_topology_remove(const unsigned long *keep);

struct simpci_dev *simpci_dev_find(u8 busnr, u8 devfn);
struct pci_dev *simpci_dev_pci(struct simpci_dev *sdev);
void *simpci_dev_priv(struct simpci_dev *sdev);
const struct simpci_dev_desc *simpci_dev_desc(struct simpci_dev *sdev);
u8 simpci_dev_busnr(struct simpci_dev *sdev);
u8 simpci_dev_devfn(struct simpci_dev *sdev);
u16 simpci_dev_dma_rid(struct simpci_dev *sdev);
bool simpci_owns(struct pci_dev *pdev);
void simpci_dev_lock(struct simpci_dev *sdev, unsigned long *flags);
void simpci_dev_unlock(struct simpci_dev *sdev, unsigned long flags);

/**
 * struct simpci_access - a BAR, ROM or config access as the device saw it
 * @bar: BAR 0-5, or PCI_ROM_RESOURCE; 0 for config space
 * @write: a write
 * @size: 1, 2, 4 or 8 bytes
 * @off: offset in the BAR, or the config register
 */
struct simpci_access {
	u8 bar;
	bool write;
	u8 size;
	u64 off;
};

/* How many of the last accesses a device remembers. */
#define SIMPCI_ACCESS_LOG	16

unsigned int simpci_accesses(struct simpci_dev *sdev,
			     struct simpci_access *log);
unsigned int simpci_cfg_accesses(struct simpci_dev *sdev,
				 struct simpci_access *log);

void *simpci_bar_ram(struct simpci_dev *sdev, int bar);
const struct resource *simpci_ram_window(void);
u8 simpci_root_busnr(void);

void simpci_set_intx(struct simpci_dev *sdev, bool asserted);
int simpci_signal_msi(struct simpci_dev *sdev, unsigned int vector);
bool simpci_msi_pending(struct simpci_dev *sdev, unsigned int vector);
void simpci_flush_irqs(struct simpci_dev *sdev);
void simpci_deliver_irq(unsigned int virq);
/* The errors a function with AER reports: uncorrectable, correctable. */
#define SIMPCI_AER_UNCOR_ERRORS (PCI_ERR_UNC_DLP | PCI_ERR_UNC_SURPDN | \
			  PCI_ERR_UNC_POISON_TLP | PCI_ERR_UNC_FCP | \
			  PCI_ERR_UNC_COMP_TIME | PCI_ERR_UNC_COMP_ABORT | \
			  PCI_ERR_UNC_UNX_COMP | PCI_ERR_UNC_RX_OVER | \
			  PCI_ERR_UNC_MALF_TLP | PCI_ERR_UNC_ECRC | \
			  PCI_ERR_UNC_UNSUP | PCI_ERR_UNC_ACSV | \
			  PCI_ERR_UNC_INTN | PCI_ERR_UNC_MCBTLP | \
			  PCI_ERR_UNC_ATOMEG | PCI_ERR_UNC_TLPPRE)
#define SIMPCI_AER_COR_ERRORS	(PCI_ERR_COR_RCVR | PCI_ERR_COR_BAD_TLP | \
			 PCI_ERR_COR_BAD_DLLP | PCI_ERR_COR_REP_ROLL | \
			 PCI_ERR_COR_REP_TIMER | PCI_ERR_COR_ADV_NFAT | \
			 PCI_ERR_COR_INTERNAL | PCI_ERR_COR_LOG_OVER)

int simpci_raise_aer(struct simpci_dev *sdev, u32 error);
int simpci_raise_aer_cor(struct simpci_dev *sdev, u32 error);

/**
 * typedef simpci_dma_fn - DMA translation used by device models
 * @sdev: the device doing DMA
 * @iova: bus address
 * @len: length in bytes
 * @write: the device writes to memory
 * @kva: set to a kernel address that the device may access for @len bytes
 *
 * Return: 0, or a negative errno on a translation fault.
 */
typedef int (*simpci_dma_fn)(struct simpci_dev *sdev, u64 iova, size_t len,
			     bool write, void **kva);
simpci_dma_fn simpci_set_dma_translate(simpci_dma_fn fn);
int simpci_dma_map(struct simpci_dev *sdev, u64 iova, size_t len, bool write,
		   void **kva);
int simpci_dma_copy(struct simpci_dev *sdev, u64 src, u64 dst, u64 len,
		    u64 *fault, bool *fault_dst);

#endif /* SIMPCI_H */
