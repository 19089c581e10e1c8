/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-uml PCI bus driver internals, shared by uvfio_pci_core.c (driver,
 * ioctls, mmap), uvfio_pci_config.c (config space virtualization) and
 * uvfio_pci_rdwr.c (BAR and ROM access).
 *
 * Locking:
 *   memory_lock (rwsem) guards whether userspace may touch the BARs: the
 *   memory enable bit of the virtual command register, the power state and
 *   resets. Whoever turns memory decode off, leaves D0 or resets the
 *   function takes it for writing and zaps every user mapping of the BARs
 *   first (uvfio_pci_zap_and_down_write_memory_lock()); BAR accesses and
 *   mmap faults take it for reading and fail while decode is off. It nests
 *   inside the group's lock (open/close) and inside mmap_lock (faults).
 *   The virtual config space, the BAR maps and the rest are used by the
 *   device fds between open_device() and close_device(); concurrent calls
 *   on one device are userspace's race, as on upstream, except where the
 *   memory lock orders them.
 *   igate (mutex) guards irq_type, the interrupt contexts, virq_disabled
 *   and the ERR/REQ eventfds: SET_IRQS, the user's Interrupt Disable,
 *   close and the ERR/REQ senders take it. It nests outside memory_lock
 *   (enabling MSI-X takes memory_lock to reach the table). irqlock
 *   (spinlock, irq-safe) orders the INTx handler against mask and unmask.
 *   uvfio_pci_set_lock (global mutex, uvfio_pci_reset.c) guards which
 *   functions are bound (drvdata) and open, for resets of a slot or bus:
 *   probe, remove, open and close take it; it nests inside the group's
 *   lock and the device lock, outside memory_lock (taken by trylock).
 *
 * Lifetime: the structure is allocated at probe and freed at remove, after
 * uvfio_unregister_device() returned (no fd left). vconfig, cfg_map and the
 * BAR maps exist from the first open to the last close.
 */
#ifndef UVFIO_PCI_PRIV_H
#define UVFIO_PCI_PRIV_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <uapi/linux/vfio.h>

#include "core/uvfio.h"
#include "uvfio_pci_offset.h"

/* Our regions: BAR0-5, ROM, config, VGA (VFIO_PCI_NUM_REGIONS). */
#define UVFIO_PCI_ROM_BAR		PCI_ROM_RESOURCE
/* cfg_map: a byte of config space that no capability claims. */
#define UVFIO_PCI_CAP_ID_NONE		0xff
/* cfg_map: the standard header, as if it were capability 0. */
#define UVFIO_PCI_CAP_ID_HEADER		0
/* msix_bar when the function has no MSI-X. */
#define UVFIO_PCI_NO_BAR		0xff

/**
 * struct uvfio_pci_device - a PCI function bound to vfio-pci
 * @vdev: what the core sees
 * @pdev: the function
 * @memory_lock: see the lock rules above
 * @barmap: pci_iomap() of each BAR once it was accessed or mapped
 * @vconfig: the user's view of config space (virtualized bits)
 * @cfg_map: per byte of config space the capability that owns it
 * @cfg_size: bytes of config space (256 or 4096)
 * @msi_perm: the permissions of the MSI capability's layout, if any
 * @rbar: BARs 0-5 and the ROM BAR as the host assigned them, to restore
 *	after a reset behind our back
 * @bardirty: a BAR of @vconfig was written; sizing is fixed up on read
 * @msi_qmax: log2 of the MSI vectors SET_IRQS enabled (0 until then)
 * @msix_bar: BAR holding the MSI-X table, %UVFIO_PCI_NO_BAR for none
 * @msix_offset: offset of the table in @msix_bar
 * @msix_size: bytes of the table
 * @irq_type: the VFIO_PCI_*_IRQ_INDEX in use, VFIO_PCI_NUM_IRQS for none
 * @igate: see the lock rules above
 * @irqlock: see the lock rules above
 * @irq_ctx: struct uvfio_pci_irq_ctx of each vector in use, by vector
 * @virq_disabled: the user's Interrupt Disable bit is set
 * @ioeventfds_lock: guards @ioeventfds and @ioeventfds_nr
 * @ioeventfds: struct uvfio_pci_ioeventfd of the device
 * @ioeventfds_nr: how many
 * @err_trigger: eventfd of the ERR index, or NULL
 * @req_trigger: eventfd of the REQ index, or NULL
 * @extended_caps: extended capabilities are virtualized
 * @open: a device fd is open (under uvfio_pci_set_lock)
 * @reset_works: a function reset succeeded at open
 * @needs_reset: the function was used and could not be reset since
 * @needs_pm_restore: the function loses its state going to D3hot
 *	(No_Soft_Reset clear), which we save and restore around it
 * @pci_2_3: INTx can be masked at the function (Interrupt Disable)
 * @idle_d3: the function idles in D3hot while closed (runtime PM), as
 *	vfio_pci.disable_idle_d3 said at probe
 * @pm_runtime_engaged: the user put the function into low power (under
 *	memory_lock)
 * @pm_wake_eventfd: signalled when something wakes it from there
 * @pm_intx_masked: INTx was masked for a runtime suspend
 * @saved_state: config space saved at open, restored at close
 * @pm_save: config space saved on the way to D3hot
 */
struct uvfio_pci_perm;

struct uvfio_pci_device {
	struct uvfio_device vdev;
	struct pci_dev *pdev;
	struct rw_semaphore memory_lock;
	void __iomem *barmap[PCI_STD_NUM_BARS];
	u8 *vconfig;
	u8 *cfg_map;
	u16 cfg_size;
	const struct uvfio_pci_perm *msi_perm;
	u32 rbar[PCI_STD_NUM_BARS + 1];
	bool bardirty;
	u8 msi_qmax;
	u8 msix_bar;
	u32 msix_offset;
	u32 msix_size;
	unsigned int irq_type;
	struct mutex igate;
	spinlock_t irqlock;
	struct xarray irq_ctx;
	bool virq_disabled;
	struct mutex ioeventfds_lock;
	struct list_head ioeventfds;
	u32 ioeventfds_nr;
	struct eventfd_ctx *err_trigger;
	struct eventfd_ctx *req_trigger;
	bool extended_caps;
	bool open;
	bool reset_works;
	bool needs_reset;
	bool needs_pm_restore;
	bool pci_2_3;
	bool idle_d3;
	bool pm_runtime_engaged;
	struct eventfd_ctx *pm_wake_eventfd;
	bool pm_intx_masked;
	struct pci_saved_state *saved_state;
	struct pci_saved_state *pm_save;
};

static inline struct uvfio_pci_device *
to_uvfio_pci(struct uvfio_device *vdev)
{
	return container_of(vdev, struct uvfio_pci_device, vdev);
}

/* uvfio_pci_core.c */
struct uvfio_pci_device *uvfio_pci_of(struct pci_dev *pdev);
void uvfio_pci_zap_bars(struct uvfio_pci_device *vpdev);
void uvfio_pci_zap_and_down_write_memory_lock(struct uvfio_pci_device *vpdev);
u16 uvfio_pci_memory_lock_and_enable(struct uvfio_pci_device *vpdev);
void uvfio_pci_memory_unlock_and_restore(struct uvfio_pci_device *vpdev,
					 u16 cmd);
int uvfio_pci_set_power_state(struct uvfio_pci_device *vpdev,
			      pci_power_t state);

/* uvfio_pci_config.c */
int uvfio_pci_perm_init(void);
void uvfio_pci_perm_exit(void);
int uvfio_pci_config_init(struct uvfio_pci_device *vpdev);
void uvfio_pci_config_free(struct uvfio_pci_device *vpdev);
unsigned int uvfio_pci_io_width(loff_t off, size_t avail, unsigned int max);
ssize_t uvfio_pci_config_rw(struct uvfio_pci_device *vpdev, char __user *buf,
			    size_t count, loff_t *ppos, bool iswrite);
bool uvfio_pci_memory_enabled(struct uvfio_pci_device *vpdev);

/* uvfio_pci_reset.c */
extern struct mutex uvfio_pci_set_lock;
int uvfio_pci_ioctl_hot_reset_info(struct uvfio_pci_device *vpdev,
				   struct vfio_pci_hot_reset_info __user *arg);
int uvfio_pci_ioctl_hot_reset(struct uvfio_pci_device *vpdev,
			      struct vfio_pci_hot_reset __user *arg);
void uvfio_pci_try_bus_reset(struct uvfio_pci_device *vpdev);

/* uvfio_pci_intrs.c */
bool uvfio_pci_intx_mask(struct uvfio_pci_device *vpdev);
void uvfio_pci_intx_unmask(struct uvfio_pci_device *vpdev);
int uvfio_pci_set_irqs(struct uvfio_pci_device *vpdev,
		       const struct vfio_irq_set *hdr, void *data);
void uvfio_pci_irqs_release(struct uvfio_pci_device *vpdev);
bool uvfio_pci_signal_single(struct uvfio_pci_device *vpdev, u32 index);

/* uvfio_pci_power.c */
extern const struct dev_pm_ops uvfio_pci_pm_ops;
int uvfio_pci_device_feature(struct uvfio_device *vdev, u32 flags,
			     void __user *arg, size_t argsz);
void uvfio_pci_low_power_exit(struct uvfio_pci_device *vpdev);

/* uvfio_pci_ioeventfd.c */
int uvfio_pci_ioeventfd(struct uvfio_pci_device *vpdev, u64 offset, u64 data,
			int count, s32 fd);
void uvfio_pci_ioeventfds_release(struct uvfio_pci_device *vpdev);

/* uvfio_pci_rdwr.c */
void uvfio_pci_io(void __iomem *io, void *val, unsigned int width,
		  bool iswrite);
int uvfio_pci_setup_barmap(struct uvfio_pci_device *vpdev, int bar);
void uvfio_pci_release_barmaps(struct uvfio_pci_device *vpdev);
ssize_t uvfio_pci_bar_rw(struct uvfio_pci_device *vpdev, char __user *buf,
			 size_t count, loff_t *ppos, bool iswrite);

#endif /* UVFIO_PCI_PRIV_H */
