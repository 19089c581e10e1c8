// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt controller of the simulated platform: SIMPLAT_LINES lines,
 * each configured by the tree's interrupt specifier (<line type>, types
 * IRQ_TYPE_LEVEL_HIGH and IRQ_TYPE_EDGE_RISING).
 *
 * A level line interrupts when it rises while unmasked, and again when it
 * is unmasked while still high; a level handled with the source still
 * asserted comes back. An edge line interrupts on each pulse; a pulse that
 * comes while the line is masked is latched and interrupts at the unmask.
 * Delivery is the host bridge's (simpci_deliver_irq()): hard interrupt
 * context, or a work item when the raising code runs with interrupts off.
 */
#include <linux/bitops.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of.h>

#include "simpci.h"
#include "simplat_internal.h"

static struct {
	spinlock_t lock;		/* the bitmaps */
	unsigned long high;		/* level lines driven high */
	unsigned long masked;
	unsigned long latched;		/* edges seen while masked */
	struct irq_domain *domain;
} intc = {
	.lock = __SPIN_LOCK_UNLOCKED(intc.lock),
	.masked = ~0UL,			/* until a driver starts a line */
};

static_assert(SIMPLAT_LINES <= BITS_PER_LONG);

static void deliver_line(unsigned int line)
{
	simpci_deliver_irq(irq_find_mapping(intc.domain, line));
}

/**
 * simplat_intc_set() - drive a level line
 * @line: the line
 * @high: asserted or not
 */
void simplat_intc_set(unsigned int line, bool high)
{
	unsigned long flags;
	bool rising;

	spin_lock_irqsave(&intc.lock, flags);
	rising = high && !__test_and_set_bit(line, &intc.high) &&
		 !test_bit(line, &intc.masked);
	if (!high)
		__clear_bit(line, &intc.high);
	spin_unlock_irqrestore(&intc.lock, flags);
	if (rising)
		deliver_line(line);
}

/**
 * simplat_intc_pulse() - an edge on a line
 * @line: the line
 */
void simplat_intc_pulse(unsigned int line)
{
	unsigned long flags;
	bool now;

	spin_lock_irqsave(&intc.lock, flags);
	now = !test_bit(line, &intc.masked);
	if (!now)
		__set_bit(line, &intc.latched);
	spin_unlock_irqrestore(&intc.lock, flags);
	if (now)
		deliver_line(line);
}

/**
 * simplat_line_high() - is a level line asserted now?
 * @line: the line
 *
 * Return: its state; false for an edge line or one out of range.
 */
bool simplat_line_high(unsigned int line)
{
	return line < SIMPLAT_LINES && test_bit(line, &intc.high);
}
EXPORT_SYMBOL_GPL(simplat_line_high);

/**
 * simplat_flush_irqs() - wait until deferred interrupts have been delivered
 */
void simplat_flush_irqs(void)
{
	/* One queue serves every controller of the simulation. */
	simpci_flush_irqs(NULL);
}
EXPORT_SYMBOL_GPL(simplat_flush_irqs);

static void intc_mask(struct irq_data *d)
{
	unsigned long flags;

	spin_lock_irqsave(&intc.lock, flags);
	__set_bit(d->hwirq, &intc.masked);
	spin_unlock_irqrestore(&intc.lock, flags);
}

static void intc_unmask(struct irq_data *d)
{
	unsigned long flags;
	bool again;

	spin_lock_irqsave(&intc.lock, flags);
	__clear_bit(d->hwirq, &intc.masked);
	again = test_bit(d->hwirq, &intc.high) ||
		__test_and_clear_bit(d->hwirq, &intc.latched);
	spin_unlock_irqrestore(&intc.lock, flags);
	if (again)
		simpci_deliver_irq(d->irq);
}

/* Edges: nothing to acknowledge at the controller. */
static void intc_ack(struct irq_data *d)
{
}

static int intc_retrigger(struct irq_data *d)
{
	simpci_deliver_irq(d->irq);
	return 1;
}

static int intc_set_type(struct irq_data *d, unsigned int type)
{
	switch (type) {
	case IRQ_TYPE_LEVEL_HIGH:
		irq_set_handler_locked(d, handle_level_irq);
		return 0;
	case IRQ_TYPE_EDGE_RISING:
		irq_set_handler_locked(d, handle_edge_irq);
		return 0;
	}
	return -EINVAL;
}

static struct irq_chip intc_chip = {
	.name = "simplat-intc",
	.irq_ack = intc_ack,
	.irq_mask = intc_mask,
	.irq_unmask = intc_unmask,
	.irq_retrigger = intc_retrigger,
	.irq_set_type = intc_set_type,
};

static int intc_map(struct irq_domain *d, unsigned int virq,
		    irq_hw_number_t hw)
{
	/* Level until the specifier says otherwise, as the reset state. */
	irq_set_chip_and_handler(virq, &intc_chip, handle_level_irq);
	return 0;
}

static const struct irq_domain_ops intc_ops = {
	.map = intc_map,
	.xlate = irq_domain_xlate_twocell,
};

/**
 * simplat_intc_init() - the controller of the tree's node @np
 * @np: its node; the domain answers for it, so the tree's interrupt
 *	specifiers that name it resolve here
 *
 * Return: 0 or -ENOMEM.
 */
int simplat_intc_init(struct device_node *np)
{
	intc.domain = irq_domain_create_linear(of_fwnode_handle(np),
					       SIMPLAT_LINES, &intc_ops, NULL);
	return intc.domain ? 0 : -ENOMEM;
}
