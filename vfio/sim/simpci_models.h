/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The built-in simulated PCI device models (models.c): their register
 * layouts, for drivers and tests that program them, and the boot topology
 * made of them (topology.c).
 */
#ifndef SIMPCI_MODELS_H
#define SIMPCI_MODELS_H

#include <linux/sizes.h>
#include <linux/types.h>

#define SIMPCI_VENDOR		0x1234
#define SIMPCI_DEVICE_REGFILE	0x5100
#define SIMPCI_DEVICE_DMA	0x5101
#define SIMPCI_DEVICE_MFD	0x5102
#define SIMPCI_DEVICE_BRIDGE	0x5103
#define SIMPCI_DEVICE_RAM	0x5104

/* regfile and mfd, BAR0: 4 KiB; other offsets are plain storage */
#define SIMPCI_REGFILE_SIZE	SZ_4K
#define SIMPCI_REG_ID		0x00	/* RO: SIMPCI_REGFILE_ID */
#define SIMPCI_REG_INTX		0x04	/* write 1/0: assert/deassert INTx */
#define SIMPCI_REG_MSI		0x08	/* write N: signal MSI vector N */
#define SIMPCI_REGFILE_ID	0x53494d50
#define SIMPCI_ROM_IMAGE_LEN	512	/* one image in a 2 KiB ROM */

/* dma, BAR0: 4 KiB */
#define SIMPCI_DMA_ID		0x00	/* RO: SIMPCI_DMA_ID_VALUE */
#define SIMPCI_DMA_SRC		0x08	/* 64-bit source bus address */
#define SIMPCI_DMA_DST		0x10	/* 64-bit destination bus address */
#define SIMPCI_DMA_LEN		0x18	/* bytes, at most SIMPCI_DMA_MAX_LEN */
#define SIMPCI_DMA_DOORBELL	0x1c	/* any write starts the copy */
#define SIMPCI_DMA_STATUS	0x20	/* DONE/ERROR are write-1-to-clear */
#define  SIMPCI_DMA_DONE	BIT(0)
#define  SIMPCI_DMA_ERROR	BIT(1)
#define  SIMPCI_DMA_BUSY	BIT(2)
#define SIMPCI_DMA_VECTOR	0x24	/* MSI/MSI-X vector for completion */
#define SIMPCI_DMA_FAULT	0x28	/* 64-bit bus address that faulted */
#define SIMPCI_DMA_AER		0x30	/* write a PCI_ERR_UNC_* bit: raise it */
#define SIMPCI_DMA_MSIX_TABLE	0x800
#define SIMPCI_DMA_MSIX_PBA	0xc00
#define SIMPCI_DMA_VECTORS	4
#define SIMPCI_DMA_ID_VALUE	0x444d4131
#define SIMPCI_DMA_MAX_LEN	SZ_1M

struct simpci_dev_desc;
extern const struct simpci_dev_desc simpci_regfile_desc;
extern const struct simpci_dev_desc simpci_mfd_desc;
extern const struct simpci_dev_desc simpci_dma_desc;
extern const struct simpci_dev_desc simpci_bridge_desc;
extern const struct simpci_dev_desc simpci_ram_desc;
extern const struct simpci_dev_desc simpci_ioat_desc;	/* ioat.c */

const struct simpci_dev_desc *simpci_model_find(const char *name, size_t len);

/* The boot topology, created by the host bridge's probe (bus.c). */
void simpci_topology_init(void);

#endif /* SIMPCI_MODELS_H */
