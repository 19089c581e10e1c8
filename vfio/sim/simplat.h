/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated platform hardware for User-Mode Linux: devices described by
 * the device tree UML boots with (simplat.dts), as on a board.
 *
 * The kernel sees them as firmware describes them: of_platform creates
 * their platform devices with the `reg` windows as memory resources and
 * resolves their `interrupts` through our interrupt controller's domain;
 * the fake IOMMU takes them through their `iommus` entry (a group each).
 * Drivers reach the registers with ioremap() and ioread/iowrite (logic
 * iomem), and the RAM-backed windows are pages that can be mapped by pfn.
 * Nothing here calls into vfio.
 *
 * Lifetime: the devices are created from the tree at boot and never go.
 * Locking: each device has an irq-safe spinlock for its model state;
 * model callbacks run with it held and must not sleep, raise interrupts
 * or do DMA; what follows from an access is done by the model's
 * after_access callback, with the lock dropped.
 */
#ifndef SIMPLAT_H
#define SIMPLAT_H

#include <linux/of.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Where the tree's register windows lie: nothing else decodes here. */
#define SIMPLAT_REG_WINDOW_START	0xd0000000ULL
#define SIMPLAT_REG_WINDOW_SIZE		SZ_16M

#define SIMPLAT_LINES		32	/* lines of the interrupt controller */
#define SIMPLAT_MAX_IRQS	4	/* interrupts of one device */
#define SIMPLAT_MAX_REGS	2	/* reg entries of one device */

struct simplat_dev;

/**
 * struct simplat_model_ops - what a device model does
 * @read: a register read of @size (1, 2, 4 or 8) bytes at @off of reg 0
 * @write: a register write
 * @reset: back to the state at power-on (registers; not RAM windows)
 * @after_access: called after every access, without the lock: DMA and
 *	interrupts the access started
 *
 * @read, @write and @reset run with the device's lock held.
 */
struct simplat_model_ops {
	u64 (*read)(struct simplat_dev *sdev, u64 off, int size);
	void (*write)(struct simplat_dev *sdev, u64 off, int size, u64 val);
	void (*reset)(struct simplat_dev *sdev);
	void (*after_access)(struct simplat_dev *sdev);
};

/**
 * struct simplat_model - a device model, found by compatible string
 * @compatible: the string of the tree's nodes it models
 * @ops: its callbacks
 * @priv_size: bytes of state behind each device, zeroed at creation
 */
struct simplat_model {
	const char *compatible;
	const struct simplat_model_ops *ops;
	size_t priv_size;
};

struct simplat_dev *simplat_dev_find(const struct device_node *np);
struct device_node *simplat_dev_node(struct simplat_dev *sdev);
void *simplat_dev_priv(struct simplat_dev *sdev);
void simplat_dev_lock(struct simplat_dev *sdev, unsigned long *flags);
void simplat_dev_unlock(struct simplat_dev *sdev, unsigned long flags);
void simplat_dev_reset(struct simplat_dev *sdev);
unsigned int simplat_dev_resets(struct simplat_dev *sdev);
void *simplat_dev_ram(struct simplat_dev *sdev, unsigned int reg,
		      size_t *size);

/* Interrupts, by the index of the device's `interrupts` entry. */
int simplat_set_level(struct simplat_dev *sdev, unsigned int index,
		      bool high);
int simplat_pulse(struct simplat_dev *sdev, unsigned int index);
bool simplat_line_high(unsigned int line);
void simplat_flush_irqs(void);

/**
 * typedef simplat_dma_fn - DMA translation of platform devices
 * @stream: the stream ID of the device's `iommus` entry
 * @iova: bus address
 * @len: length in bytes, within one page
 * @write: the device writes to memory
 * @kva: set to a kernel address the device may access for @len bytes
 *
 * Return: 0, or a negative errno on a translation fault.
 */
typedef int (*simplat_dma_fn)(u32 stream, u64 iova, size_t len, bool write,
			      void **kva);
simplat_dma_fn simplat_set_dma_translate(simplat_dma_fn fn);
int simplat_dma_map(struct simplat_dev *sdev, u64 iova, size_t len,
		    bool write, void **kva);

#endif /* SIMPLAT_H */
