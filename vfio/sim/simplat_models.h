/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register layouts of the simulated platform's device models
 * (plat_models.c), for drivers and tests that program them. Registers are
 * 32 bits unless said otherwise; offsets are in reg 0.
 */
#ifndef SIMPLAT_MODELS_H
#define SIMPLAT_MODELS_H

#include <linux/bits.h>

/*
 * "uvfio-sim,dma": copies between its local memory (reg 1, RAM) and bus
 * addresses. Interrupt 0 (level) is high while STATUS has DONE or ERROR;
 * interrupt 1 (edge) fires on each write of DOORBELL.
 */
#define SIMPLAT_DMA_ID		0x00	/* RO: SIMPLAT_DMA_ID_VALUE */
#define SIMPLAT_DMA_IOVA	0x08	/* 64-bit bus address */
#define SIMPLAT_DMA_LOCAL	0x10	/* offset in the local memory */
#define SIMPLAT_DMA_LEN		0x14	/* bytes */
#define SIMPLAT_DMA_CTRL	0x18	/* write: start a copy */
#define  SIMPLAT_DMA_GO		BIT(0)
#define  SIMPLAT_DMA_TO_BUS	BIT(1)	/* local -> bus, else bus -> local */
#define SIMPLAT_DMA_STATUS	0x1c	/* write 1 to clear */
#define  SIMPLAT_DMA_DONE	BIT(0)
#define  SIMPLAT_DMA_ERROR	BIT(1)
#define SIMPLAT_DMA_FAULT	0x20	/* 64-bit bus address that faulted */
#define SIMPLAT_DMA_DOORBELL	0x28	/* any write: an edge on interrupt 1 */
#define SIMPLAT_DMA_RESET	0x2c	/* write 1: registers to power-on */
#define SIMPLAT_DMA_SCRATCH	0x30	/* storage, 0 at power-on */
#define SIMPLAT_DMA_ID_VALUE	0x504c4441

/*
 * "uvfio-sim,regs": storage and one edge interrupt (0), fired by each
 * write of EDGE.
 */
#define SIMPLAT_REGS_ID		0x00	/* RO: SIMPLAT_REGS_ID_VALUE */
#define SIMPLAT_REGS_EDGE	0x04	/* any write: an edge on interrupt 0 */
#define SIMPLAT_REGS_RESET	0x08	/* write 1: registers to power-on */
#define SIMPLAT_REGS_SCRATCH	0x10	/* 0x10-0x3f storage, 0 at power-on */
#define SIMPLAT_REGS_SIZE	0x40
#define SIMPLAT_REGS_ID_VALUE	0x504c5247

#endif /* SIMPLAT_MODELS_H */
