// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt controller of the simulated host bridge.
 *
 * INTx: four level-triggered lines, INTA-INTD of the root bus's slots
 * after the usual swizzle. A line is high while any pin driven onto it is
 * (functions drive their pins, dev.c); it interrupts when it rises, and
 * again when it is unmasked while still high.
 *
 * MSI: the controller takes message writes to SIMPCI_MSI_DOORBELL and
 * raises hwirq == data, but only for the requester the vector was
 * allocated to: MSI is isolated, a function cannot raise another
 * function's vectors. What a function sends, and when, is in msi.c.
 *
 * Delivery runs the handler in hard interrupt context (irq_enter/irq_exit).
 * When the raising code runs with interrupts disabled, a CPU would take the
 * interrupt only once it enables them: delivery then goes to a work item.
 */
#include <linux/bitmap.h>
#include <linux/hardirq.h>
#include <linux/irq.h>
#include <linux/log2.h>
#include <linux/msi.h>
#include <linux/pci.h>

#include "simpci_internal.h"

static DECLARE_BITMAP(deferred, NR_IRQS);	/* atomic bit operations */

static void deliver_now(unsigned int virq)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter();
	generic_handle_irq(virq);
	irq_exit();
	local_irq_restore(flags);
}

/*
 * A bit set behind the walk is not lost: simpci_deliver_irq() queues the
 * work after setting it, and the work runs again.
 */
static void deferred_fn(struct work_struct *work)
{
	unsigned int virq;

	for_each_set_bit(virq, deferred, NR_IRQS)
		if (test_and_clear_bit(virq, deferred))
			deliver_now(virq);
}

static DECLARE_WORK(deferred_work, deferred_fn);

/**
 * simpci_deliver_irq() - a CPU takes an interrupt of the simulated hardware
 * @virq: the Linux IRQ; 0 delivers nothing
 *
 * The one way in for every controller of the simulation (the host
 * bridge's here, the platform's in plat_intc.c): the handler runs in hard
 * interrupt context now, or from a work item when interrupts are off.
 */
void simpci_deliver_irq(unsigned int virq)
{
	if (!virq)
		return;
	if (!irqs_disabled()) {
		deliver_now(virq);
		return;
	}
	set_bit(virq, deferred);
	queue_work(system_highpri_wq, &deferred_work);
}
EXPORT_SYMBOL_GPL(simpci_deliver_irq);

/**
 * simpci_flush_irqs() - wait until deferred interrupts have been delivered
 * @sdev: the device (all devices share the queue)
 */
void simpci_flush_irqs(struct simpci_dev *sdev)
{
	flush_work(&deferred_work);
}
EXPORT_SYMBOL_GPL(simpci_flush_irqs);

/* INTx */

/**
 * simpci_intx_map() - &pci_host_bridge.map_irq of the simulated bridge
 * @pdev: the device
 * @slot: its slot on the root bus, after swizzling
 * @pin: its pin after swizzling, 1-4
 *
 * Return: the Linux IRQ of the line, or 0.
 */
int simpci_intx_map(const struct pci_dev *pdev, u8 slot, u8 pin)
{
	if (!pin)
		return 0;
	return irq_create_mapping(simpci_host.intx_domain,
				  (slot + pin - 1) % SIMPCI_INTX_LINES);
}

/**
 * simpci_intc_line() - one pin more or one fewer drives a line high
 * @line: the line, 0-3
 * @up: a pin started driving it (else one stopped)
 *
 * Called with the driving function's lock held, so that its pin changes
 * reach the line in order.
 *
 * Return: true when the line rose while unmasked: the caller then raises
 * it with simpci_intc_raise_line() once its lock is dropped.
 */
bool simpci_intc_line(unsigned int line, bool up)
{
	struct simpci_host *host = &simpci_host;
	bool rising = false;

	spin_lock(&host->irq_lock);
	if (up)
		rising = !host->intx_count[line]++ && !host->intx_masked[line];
	else
		host->intx_count[line]--;
	spin_unlock(&host->irq_lock);
	return rising;
}

/**
 * simpci_intc_raise_line() - interrupt the CPU for a line that rose
 * @line: the line, 0-3
 */
void simpci_intc_raise_line(unsigned int line)
{
	simpci_deliver_irq(irq_find_mapping(simpci_host.intx_domain, line));
}

static void intx_mask(struct irq_data *d)
{
	struct simpci_host *host = irq_data_get_irq_chip_data(d);

	spin_lock(&host->irq_lock);
	host->intx_masked[d->hwirq] = true;
	spin_unlock(&host->irq_lock);
}

static void intx_unmask(struct irq_data *d)
{
	struct simpci_host *host = irq_data_get_irq_chip_data(d);
	bool high;

	spin_lock(&host->irq_lock);
	host->intx_masked[d->hwirq] = false;
	high = host->intx_count[d->hwirq];
	spin_unlock(&host->irq_lock);
	/* A level still asserted interrupts again. */
	if (high)
		simpci_deliver_irq(d->irq);
}

/* The lines are level-triggered: an edge is not something they can do. */
static int intx_set_type(struct irq_data *d, unsigned int type)
{
	return type & IRQ_TYPE_LEVEL_MASK ? 0 : -EINVAL;
}

static struct irq_chip intx_chip = {
	.name = "simpci-intx",
	.irq_mask = intx_mask,
	.irq_unmask = intx_unmask,
	.irq_set_type = intx_set_type,
};

static int intx_domain_map(struct irq_domain *d, unsigned int virq,
			   irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &intx_chip, handle_level_irq);
	irq_set_chip_data(virq, d->host_data);
	irq_set_status_flags(virq, IRQ_LEVEL);
	return 0;
}

static const struct irq_domain_ops intx_domain_ops = {
	.map = intx_domain_map,
	.xlate = irq_domain_xlate_onecell,
};

/* MSI controller */

static void msi_compose(struct irq_data *d, struct msi_msg *msg)
{
	msg->address_hi = 0;
	msg->address_lo = SIMPCI_MSI_DOORBELL;
	msg->data = d->hwirq;
}

/* Edge interrupts: nothing to acknowledge at the controller. */
static void msi_ack(struct irq_data *d)
{
}

/* Send again an interrupt that came while its IRQ was disabled. */
static int msi_retrigger(struct irq_data *d)
{
	simpci_deliver_irq(d->irq);
	return 1;
}

static struct irq_chip msi_bottom_chip = {
	.name = "simpci-msi",
	.irq_ack = msi_ack,
	.irq_retrigger = msi_retrigger,
	.irq_compose_msi_msg = msi_compose,
};

static int msi_inner_alloc(struct irq_domain *domain, unsigned int virq,
			   unsigned int nr_irqs, void *args)
{
	struct simpci_host *host = domain->host_data;
	msi_alloc_info_t *info = args;
	struct pci_dev *pdev = to_pci_dev(info->desc->dev);
	unsigned long flags;
	unsigned int i;
	int hwirq;

	/* Multi-message MSI needs an aligned block: the device ORs vector
	 * numbers into the low bits of the data.
	 */
	spin_lock_irqsave(&host->irq_lock, flags);
	hwirq = bitmap_find_free_region(host->msi_used, SIMPCI_MSI_HWIRQS,
					order_base_2(nr_irqs));
	if (hwirq >= 0)
		for (i = 0; i < nr_irqs; i++)
			host->msi_owner[hwirq + i] = pci_dev_id(pdev);
	spin_unlock_irqrestore(&host->irq_lock, flags);
	if (hwirq < 0)
		return -ENOSPC;

	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_info(domain, virq + i, hwirq + i,
				    &msi_bottom_chip, host, handle_edge_irq,
				    NULL, NULL);
	return 0;
}

static void msi_inner_free(struct irq_domain *domain, unsigned int virq,
			   unsigned int nr_irqs)
{
	struct simpci_host *host = domain->host_data;
	struct irq_data *d = irq_domain_get_irq_data(domain, virq);
	unsigned long flags;

	spin_lock_irqsave(&host->irq_lock, flags);
	bitmap_release_region(host->msi_used, d->hwirq, order_base_2(nr_irqs));
	spin_unlock_irqrestore(&host->irq_lock, flags);
}

static const struct irq_domain_ops msi_inner_ops = {
	.alloc = msi_inner_alloc,
	.free = msi_inner_free,
};

static struct irq_chip msi_top_chip = {
	.name = "simpci-pci-msi",
	.irq_ack = irq_chip_ack_parent,
	.irq_retrigger = irq_chip_retrigger_hierarchy,
	.irq_mask = pci_msi_mask_irq,
	.irq_unmask = pci_msi_unmask_irq,
};

static struct msi_domain_info msi_domain_info = {
	.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS |
		 MSI_FLAG_PCI_MSIX | MSI_FLAG_MULTI_PCI_MSI,
	.chip = &msi_top_chip,
};

/**
 * simpci_intc_doorbell() - a memory write to the MSI doorbell
 * @rid: requester ID of the writer
 * @addr: address written
 * @data: data written: the hwirq to raise
 *
 * Writes elsewhere, of a vector not allocated, or of another requester's
 * vector raise nothing.
 */
void simpci_intc_doorbell(u16 rid, u64 addr, u32 data)
{
	struct simpci_host *host = &simpci_host;
	unsigned int virq = 0;
	unsigned long flags;

	if (addr != SIMPCI_MSI_DOORBELL || data >= SIMPCI_MSI_HWIRQS) {
		dev_dbg_ratelimited(&host->bridge->dev,
				    "stray MSI %#llx/%#x from %04x\n", addr,
				    data, rid);
		return;
	}
	/*
	 * Look the vector up under the lock msi_inner_free() takes: the
	 * inner domain's irq_data is freed once .free returns, without a
	 * grace period, so a lookup racing with a free must not outlive it.
	 */
	spin_lock_irqsave(&host->irq_lock, flags);
	if (test_bit(data, host->msi_used) && host->msi_owner[data] == rid)
		virq = irq_find_mapping(host->msi_inner, data);
	spin_unlock_irqrestore(&host->irq_lock, flags);
	simpci_deliver_irq(virq);
}

static atomic_t fail_step = ATOMIC_INIT(0);

/**
 * simpci_intc_fail_step() - make a step of the next set-up fail
 * @nth: the @nth allocation of simpci_intc_init() from now fails with
 *	-ENOMEM; 0 disarms
 *
 * For tests of the unwind: the controller is set up at boot only.
 */
void simpci_intc_fail_step(unsigned int nth)
{
	atomic_set(&fail_step, nth);
}

static bool step_fails(void)
{
	return atomic_read(&fail_step) && atomic_dec_and_test(&fail_step);
}

/**
 * simpci_intc_init() - the bridge's INTx lines and MSI controller
 * @host: the host bridge
 * @name: name of its interrupt domains
 *
 * Return: 0 or the errno of the step that failed.
 */
int simpci_intc_init(struct simpci_host *host, const char *name)
{
	struct irq_domain_info info = {
		.size = SIMPCI_MSI_HWIRQS,
		.hwirq_max = SIMPCI_MSI_HWIRQS,
		.ops = &msi_inner_ops,
		.host_data = host,
		/* The controller checks the requester: MSIs are isolated. */
		.domain_flags = IRQ_DOMAIN_FLAG_ISOLATED_MSI,
	};
	int ret;

	host->fwnode = step_fails() ? NULL :
		       irq_domain_alloc_named_fwnode(name);
	if (!host->fwnode)
		return -ENOMEM;
	info.fwnode = host->fwnode;
	host->msi_inner = step_fails() ? ERR_PTR(-ENOMEM) :
			  irq_domain_instantiate(&info);
	if (IS_ERR(host->msi_inner)) {
		ret = PTR_ERR(host->msi_inner);
		goto err_fwnode;
	}
	host->msi_domain = step_fails() ? NULL :
			   pci_msi_create_irq_domain(host->fwnode,
						     &msi_domain_info,
						     host->msi_inner);
	if (!host->msi_domain) {
		ret = -ENOMEM;
		goto err_inner;
	}
	host->intx_domain = step_fails() ? NULL :
			    irq_domain_create_linear(NULL, SIMPCI_INTX_LINES,
						     &intx_domain_ops, host);
	if (!host->intx_domain) {
		ret = -ENOMEM;
		goto err_msi;
	}
	return 0;

err_msi:
	irq_domain_remove(host->msi_domain);
err_inner:
	irq_domain_remove(host->msi_inner);
err_fwnode:
	irq_domain_free_fwnode(host->fwnode);
	return ret;
}

/**
 * simpci_intc_exit() - undo simpci_intc_init(), no interrupt in use
 * @host: the host bridge
 */
void simpci_intc_exit(struct simpci_host *host)
{
	irq_domain_remove(host->intx_domain);
	irq_domain_remove(host->msi_domain);
	irq_domain_remove(host->msi_inner);
	irq_domain_free_fwnode(host->fwnode);
}
