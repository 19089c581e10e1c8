/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the simulated platform, shared between its files.
 *
 * Layers, from the bottom: the interrupt controller (plat_intc.c) knows
 * lines, never a device; the platform (plat.c) makes the devices of the
 * tree, decodes their windows and does their DMA; the models
 * (plat_models.c) use the public simplat.h only.
 *
 * Lock order: simplat_dev.lock (one device's model state) -> the
 * controller's lock (line states) -> the delivery queue's lock.
 */
#ifndef SIMPLAT_INTERNAL_H
#define SIMPLAT_INTERNAL_H

#include <linux/ioport.h>
#include <linux/list.h>

#include "simplat.h"

struct simplat_dev {
	struct list_head node;		/* on the platform's list */
	struct device_node *np;
	const struct simplat_model *model;
	struct resource regs;		/* reg 0: the registers */
	struct resource ram;		/* reg 1 when it is RAM, else flags 0 */
	u32 stream;			/* of the `iommus` entry */
	bool has_stream;
	unsigned int nr_irqs;
	u32 line[SIMPLAT_MAX_IRQS];	/* controller line of each interrupt */
	bool edge[SIMPLAT_MAX_IRQS];

	spinlock_t lock;		/* everything below */
	unsigned int resets;
	u8 priv[] __aligned(8);
};

/* plat_intc.c */
int simplat_intc_init(struct device_node *np);
void simplat_intc_set(unsigned int line, bool high);
void simplat_intc_pulse(unsigned int line);

/* plat_models.c */
const struct simplat_model *simplat_model_find(struct device_node *np);

#endif /* SIMPLAT_INTERNAL_H */
