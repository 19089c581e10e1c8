/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated functions as a userspace client drives them: IDs and
 * register layouts of the models (the same values as vfio/sim/
 * simpci_models.h, which is kernel-only), and the DMA engine's copy through
 * a VFIO device fd whose BAR0 region starts at @bar0.
 */
#ifndef SIM_REGS_H
#define SIM_REGS_H

#include <stdint.h>
#include <unistd.h>

#define SIM_VENDOR	0x1234
#define SIM_REGFILE	0x5100
#define SIM_DMA		0x5101
#define SIM_MFD		0x5102
#define SIM_RAM		0x5104

/* regfile and mfd, BAR0 */
#define REG_ID		0x00	/* RO: REGFILE_ID */
#define REG_INTX	0x04	/* write 1/0: assert/deassert INTx */
#define REG_MSI		0x08	/* regfile: write N to send vector N */
#define REG_SCRATCH	0x40	/* plain storage */
#define REGFILE_ID	0x53494d50

/* dma, BAR0 */
#define DMA_ID_VALUE	0x444d4131	/* at offset 0 */
#define DMA_SRC		0x08	/* 64-bit */
#define DMA_DST		0x10	/* 64-bit */
#define DMA_LEN		0x18
#define DMA_DOORBELL	0x1c	/* any write starts the copy */
#define DMA_STATUS	0x20	/* DONE/ERROR are write-1-to-clear */
#define  DMA_DONE	1
#define  DMA_ERROR	2
#define DMA_VECTOR	0x24	/* MSI/MSI-X vector for completion */
#define DMA_FAULT	0x28	/* 64-bit address that faulted */
#define DMA_AER		0x30	/* write a PCI_ERR_UNC_* bit to raise it */

/* A register of a region at @off of device fd @dev; ~0 when it fails. */
static inline uint32_t sim_read32(int dev, uint64_t off)
{
	uint32_t v = ~0u;

	return pread(dev, &v, 4, off) == 4 ? v : ~0u;
}

static inline int sim_write32(int dev, uint64_t off, uint32_t v)
{
	return pwrite(dev, &v, 4, off) == 4 ? 0 : -1;
}

/*
 * One copy by the engine whose BAR0 region is at @bar0: programs it, rings
 * the doorbell and polls for DONE or ERROR (up to a second). Return: the
 * status, left set (sim_dma_clear() clears it and ends a level INTx), or
 * ~0 with errno when a register write failed.
 */
static inline uint32_t sim_dma_copy(int dev, uint64_t bar0, uint64_t src,
				    uint64_t dst, uint32_t len,
				    uint32_t vector)
{
	uint32_t status = 0;
	int i;

	if (sim_write32(dev, bar0 + DMA_SRC, src) ||
	    sim_write32(dev, bar0 + DMA_SRC + 4, src >> 32) ||
	    sim_write32(dev, bar0 + DMA_DST, dst) ||
	    sim_write32(dev, bar0 + DMA_DST + 4, dst >> 32) ||
	    sim_write32(dev, bar0 + DMA_LEN, len) ||
	    sim_write32(dev, bar0 + DMA_VECTOR, vector) ||
	    sim_write32(dev, bar0 + DMA_DOORBELL, 1))
		return ~0u;
	for (i = 0; i < 100; i++) {
		status = sim_read32(dev, bar0 + DMA_STATUS);
		if (status & (DMA_DONE | DMA_ERROR))
			break;
		usleep(10000);
	}
	return status;
}

static inline void sim_dma_clear(int dev, uint64_t bar0)
{
	sim_write32(dev, bar0 + DMA_STATUS, DMA_DONE | DMA_ERROR);
}

#endif /* SIM_REGS_H */
