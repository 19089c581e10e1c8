// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device models of the simulated platform, found by compatible string:
 *  - "uvfio-sim,dma": a copy engine between its local memory (a RAM
 *    window) and bus addresses, translated by the fake IOMMU, with a level
 *    completion interrupt and an edge doorbell interrupt;
 *  - "uvfio-sim,regs": storage registers and an edge interrupt, also as
 *    "uvfio-sim,scratch" (a name no reset handler knows).
 * Both reset through a register. Layouts are in simplat_models.h. They
 * use the public simplat.h only, like any other model would.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/string.h>

#include "simplat_internal.h"
#include "simplat_models.h"

/* Registers are dwords; a narrower read takes its bytes of one. */
static u64 narrow(u32 dword, u64 off, int size)
{
	return size < 4 ? dword >> (off & 3) * 8 : dword;
}

/* dma */

struct plat_dma {
	u64 iova;
	u64 fault;
	u32 local;
	u32 len;
	u32 status;
	u32 scratch;
	bool go;
	bool to_bus;
	bool ring;			/* DOORBELL written */
	bool reset;			/* RESET written */
};

static u32 dma_dword(struct plat_dma *e, u64 off)
{
	switch (off) {
	case SIMPLAT_DMA_ID:
		return SIMPLAT_DMA_ID_VALUE;
	case SIMPLAT_DMA_IOVA:
		return lower_32_bits(e->iova);
	case SIMPLAT_DMA_IOVA + 4:
		return upper_32_bits(e->iova);
	case SIMPLAT_DMA_LOCAL:
		return e->local;
	case SIMPLAT_DMA_LEN:
		return e->len;
	case SIMPLAT_DMA_STATUS:
		return e->status;
	case SIMPLAT_DMA_FAULT:
		return lower_32_bits(e->fault);
	case SIMPLAT_DMA_FAULT + 4:
		return upper_32_bits(e->fault);
	case SIMPLAT_DMA_SCRATCH:
		return e->scratch;
	}
	return 0;
}

static u64 dma_read(struct simplat_dev *sdev, u64 off, int size)
{
	struct plat_dma *e = simplat_dev_priv(sdev);
	u64 base = off & ~3ULL;

	if (size == 8)
		return dma_dword(e, base) | (u64)dma_dword(e, base + 4) << 32;
	return narrow(dma_dword(e, base), off, size);
}

static void dma_write(struct simplat_dev *sdev, u64 off, int size, u64 val)
{
	struct plat_dma *e = simplat_dev_priv(sdev);

	if (size < 4 || off & 3)
		return;		/* the registers take dwords and qwords */
	switch (off) {
	case SIMPLAT_DMA_IOVA:
		e->iova = size == 8 ? val :
			  (e->iova & ~0xffffffffULL) | (u32)val;
		break;
	case SIMPLAT_DMA_IOVA + 4:
		e->iova = (e->iova & 0xffffffffULL) | (u64)(u32)val << 32;
		break;
	case SIMPLAT_DMA_LOCAL:
		e->local = val;
		break;
	case SIMPLAT_DMA_LEN:
		e->len = val;
		break;
	case SIMPLAT_DMA_CTRL:
		e->go = val & SIMPLAT_DMA_GO;
		e->to_bus = val & SIMPLAT_DMA_TO_BUS;
		break;
	case SIMPLAT_DMA_STATUS:
		e->status &= ~(val & (SIMPLAT_DMA_DONE | SIMPLAT_DMA_ERROR));
		break;
	case SIMPLAT_DMA_DOORBELL:
		e->ring = true;
		break;
	case SIMPLAT_DMA_RESET:
		e->reset = val & 1;
		break;
	case SIMPLAT_DMA_SCRATCH:
		e->scratch = val;
		break;
	}
}

static void dma_reset(struct simplat_dev *sdev)
{
	memset(simplat_dev_priv(sdev), 0, sizeof(struct plat_dma));
}

/*
 * Translate every page of the bus side first: a fault must leave memory
 * untouched. @fault is set to where it faulted.
 */
static int dma_copy(struct simplat_dev *sdev, u8 *local, u64 iova, u32 len,
		    bool to_bus, bool copy, u64 *fault)
{
	u32 done = 0;

	while (done < len) {
		u64 bus = iova + done;
		size_t n = min_t(size_t, len - done,
				 PAGE_SIZE - offset_in_page(bus));
		void *kva;
		int ret;

		ret = simplat_dma_map(sdev, bus, n, to_bus, &kva);
		if (ret) {
			*fault = bus;
			return ret;
		}
		if (copy && to_bus)
			memcpy(kva, local + done, n);
		else if (copy)
			memcpy(local + done, kva, n);
		done += n;
	}
	return 0;
}

static u32 dma_run(struct simplat_dev *sdev, u64 iova, u32 local, u32 len,
		   bool to_bus, u64 *fault)
{
	size_t size;
	u8 *ram = simplat_dev_ram(sdev, 1, &size);

	if (!ram || local > size || len > size - local)
		return SIMPLAT_DMA_ERROR;
	if (dma_copy(sdev, ram + local, iova, len, to_bus, false, fault) ||
	    dma_copy(sdev, ram + local, iova, len, to_bus, true, fault))
		return SIMPLAT_DMA_ERROR;
	return SIMPLAT_DMA_DONE;
}

static void dma_after(struct simplat_dev *sdev)
{
	struct plat_dma *e = simplat_dev_priv(sdev);
	unsigned long flags;
	bool go, to_bus, ring, reset, level;
	u32 local, len, status = 0;
	u64 iova, fault = 0;

	simplat_dev_lock(sdev, &flags);
	go = e->go;
	to_bus = e->to_bus;
	ring = e->ring;
	reset = e->reset;
	e->go = e->ring = e->reset = false;
	iova = e->iova;
	local = e->local;
	len = e->len;
	simplat_dev_unlock(sdev, flags);

	if (reset) {
		/* Runs this again, with the registers cleared. */
		simplat_dev_reset(sdev);
		return;
	}
	if (ring)
		simplat_pulse(sdev, 1);
	if (go)
		status = dma_run(sdev, iova, local, len, to_bus, &fault);

	simplat_dev_lock(sdev, &flags);
	if (status) {
		e->status |= status;
		e->fault = fault;
	}
	level = e->status & (SIMPLAT_DMA_DONE | SIMPLAT_DMA_ERROR);
	simplat_dev_unlock(sdev, flags);
	simplat_set_level(sdev, 0, level);
}

static const struct simplat_model_ops dma_ops = {
	.read = dma_read,
	.write = dma_write,
	.reset = dma_reset,
	.after_access = dma_after,
};

/* regs */

struct plat_regs {
	u32 scratch[(SIMPLAT_REGS_SIZE - SIMPLAT_REGS_SCRATCH) / 4];
	bool edge;
	bool reset;
};

static u64 regs_read(struct simplat_dev *sdev, u64 off, int size)
{
	struct plat_regs *r = simplat_dev_priv(sdev);
	u64 base = off & ~3ULL;
	u32 dword = 0;

	if (base == SIMPLAT_REGS_ID)
		dword = SIMPLAT_REGS_ID_VALUE;
	else if (base >= SIMPLAT_REGS_SCRATCH && base < SIMPLAT_REGS_SIZE)
		dword = r->scratch[(base - SIMPLAT_REGS_SCRATCH) / 4];
	return size == 8 ? ~0ULL : narrow(dword, off, size);
}

static void regs_write(struct simplat_dev *sdev, u64 off, int size, u64 val)
{
	struct plat_regs *r = simplat_dev_priv(sdev);

	if (size != 4 || off & 3)
		return;
	if (off == SIMPLAT_REGS_EDGE)
		r->edge = true;
	else if (off == SIMPLAT_REGS_RESET)
		r->reset = val & 1;
	else if (off >= SIMPLAT_REGS_SCRATCH && off < SIMPLAT_REGS_SIZE)
		r->scratch[(off - SIMPLAT_REGS_SCRATCH) / 4] = val;
}

static void regs_reset(struct simplat_dev *sdev)
{
	memset(simplat_dev_priv(sdev), 0, sizeof(struct plat_regs));
}

static void regs_after(struct simplat_dev *sdev)
{
	struct plat_regs *r = simplat_dev_priv(sdev);
	unsigned long flags;
	bool edge, reset;

	simplat_dev_lock(sdev, &flags);
	edge = r->edge;
	reset = r->reset;
	r->edge = r->reset = false;
	simplat_dev_unlock(sdev, flags);
	if (reset)
		simplat_dev_reset(sdev);
	if (edge)
		simplat_pulse(sdev, 0);
}

static const struct simplat_model_ops regs_ops = {
	.read = regs_read,
	.write = regs_write,
	.reset = regs_reset,
	.after_access = regs_after,
};

static const struct simplat_model models[] = {
	{ "uvfio-sim,dma", &dma_ops, sizeof(struct plat_dma) },
	{ "uvfio-sim,regs", &regs_ops, sizeof(struct plat_regs) },
	{ "uvfio-sim,scratch", &regs_ops, sizeof(struct plat_regs) },
};

/**
 * simplat_model_find() - the model of a tree node
 * @np: the node
 *
 * Return: the model whose compatible string @np has, or NULL.
 */
const struct simplat_model *simplat_model_find(struct device_node *np)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (of_device_is_compatible(np, models[i].compatible))
			return &models[i];
	return NULL;
}
