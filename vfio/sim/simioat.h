/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "ioat" model (ioat.c): one channel of an Intel I/OAT (Crystal Beach
 * DMA) engine, version 3.3, as the hardware presents it to a driver. The
 * offsets and bits are those of the hardware; only what the model
 * implements is named here.
 *
 * BAR0 (16 KiB, 64-bit) is RAM-backed so that a process can map it: its
 * first 256 bytes are the registers (0x00-0x7f global, 0x80-0xff channel
 * 0), the MSI-X table and PBA follow at 0x2000 and 0x3000 as on the real
 * part. How a store through a mapping reaches the model is in ioat.c.
 */
#ifndef SIMIOAT_H
#define SIMIOAT_H

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>

#define SIMIOAT_VENDOR		0x8086
#define SIMIOAT_DEVICE		0x2021	/* Skylake-SP CBDMA */

#define SIMIOAT_BAR_SIZE	SZ_16K
#define SIMIOAT_REGS_SIZE	0x100
#define SIMIOAT_MSIX_TABLE	0x2000
#define SIMIOAT_MSIX_PBA	0x3000

/* Global registers */
#define SIMIOAT_CHANCNT		0x00	/* 8-bit, RO: 1 */
#define SIMIOAT_XFERCAP		0x01	/* 8-bit, RO: log2 of the largest copy */
#define SIMIOAT_GENCTRL		0x02	/* 8-bit */
#define SIMIOAT_INTRCTRL	0x03	/* 8-bit */
#define  SIMIOAT_INTRCTRL_MASTER_EN	BIT(0)
#define  SIMIOAT_INTRCTRL_MSIX_EN	BIT(3)	/* per-vector MSI-X control */
#define SIMIOAT_ATTNSTATUS	0x04	/* 32-bit, RO */
#define SIMIOAT_VER		0x08	/* 8-bit, RO */
#define  SIMIOAT_VER_3_3	0x33
#define SIMIOAT_INTRDELAY	0x0c	/* 16-bit */
#define SIMIOAT_DMACAP		0x10	/* 32-bit, RO */

#define SIMIOAT_XFERCAP_LOG2	20	/* copies of up to 1 MiB */

/* Channel 0, at BAR0 + SIMIOAT_CHAN */
#define SIMIOAT_CHAN		0x80
#define SIMIOAT_CHANCTRL	(SIMIOAT_CHAN + 0x00)	/* 16-bit */
#define  SIMIOAT_CHANCTRL_INT_REARM	BIT(0)	/* self-clearing */
#define  SIMIOAT_CHANCTRL_ERR_COMPL_EN	BIT(2)
#define  SIMIOAT_CHANCTRL_ERR_ABORT_EN	BIT(3)
#define  SIMIOAT_CHANCTRL_ERR_INT_EN	BIT(4)
#define  SIMIOAT_CHANCTRL_RW		0xf33c
#define SIMIOAT_DMA_COMP	(SIMIOAT_CHAN + 0x02)	/* 16-bit, RO */
#define  SIMIOAT_DMA_COMP_V2		BIT(1)
#define SIMIOAT_CHANCMD		(SIMIOAT_CHAN + 0x04)	/* 8-bit */
#define  SIMIOAT_CHANCMD_SUSPEND	BIT(2)
#define  SIMIOAT_CHANCMD_RESET		BIT(5)
#define SIMIOAT_DMACOUNT	(SIMIOAT_CHAN + 0x06)	/* 16-bit doorbell */
#define SIMIOAT_CHANSTS		(SIMIOAT_CHAN + 0x08)	/* 64-bit, RO */
#define  SIMIOAT_CHANSTS_STATUS		GENMASK_ULL(2, 0)
#define  SIMIOAT_CHANSTS_ACTIVE		0
#define  SIMIOAT_CHANSTS_DONE		1
#define  SIMIOAT_CHANSTS_SUSPENDED	2
#define  SIMIOAT_CHANSTS_HALTED		3
#define  SIMIOAT_CHANSTS_ADDR		GENMASK_ULL(63, 6)
#define SIMIOAT_CHAINADDR	(SIMIOAT_CHAN + 0x10)	/* 64-bit */
#define SIMIOAT_CHANCMP		(SIMIOAT_CHAN + 0x18)	/* 64-bit */
#define SIMIOAT_CDAR		(SIMIOAT_CHAN + 0x20)	/* 64-bit, RO */
#define SIMIOAT_CHANERR		(SIMIOAT_CHAN + 0x28)	/* 32-bit, W1C */
#define  SIMIOAT_CHANERR_SRC_ADDR	BIT(0)
#define  SIMIOAT_CHANERR_DEST_ADDR	BIT(1)
#define  SIMIOAT_CHANERR_NEXT_ADDR	BIT(2)
#define  SIMIOAT_CHANERR_NEXT_ALIGN	BIT(3)
#define  SIMIOAT_CHANERR_CONTROL	BIT(10)
#define  SIMIOAT_CHANERR_LENGTH		BIT(11)
#define  SIMIOAT_CHANERR_COMPL_ADDR	BIT(12)
#define  SIMIOAT_CHANERR_ALL		GENMASK(18, 0)
#define SIMIOAT_CHANERR_MASK	(SIMIOAT_CHAN + 0x2c)	/* 32-bit */

/* Error registers in config space (write 1 to clear, but the mask) */
#define SIMIOAT_CFG_DMAUNCERRSTS	0x148
#define SIMIOAT_CFG_CHANERR_INT		0x180
#define SIMIOAT_CFG_CHANERRMSK_INT	0x184

/* A descriptor: 64 bytes, 64-byte aligned, in memory the device reads. */
struct simioat_desc {
	__le32 size;
	__le32 ctl;
	__le64 src;
	__le64 dst;
	__le64 next;
	__le64 rsvd[4];
};

#define SIMIOAT_DESC_INT_EN	BIT(0)
#define SIMIOAT_DESC_COMPL	BIT(3)	/* write CHANSTS to CHANCMP after it */
#define SIMIOAT_DESC_NULL	BIT(5)	/* no transfer */
#define SIMIOAT_DESC_OP		GENMASK(31, 24)
#define SIMIOAT_OP_COPY		0x00

/* Descriptors one poll of the model runs at most before it yields. */
#define SIMIOAT_BUDGET		16

#endif /* SIMIOAT_H */
