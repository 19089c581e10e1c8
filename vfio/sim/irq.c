// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts of the simulated PCI hardware.
 *
 * INTx: four level-triggered lines at the host bridge, INTA-INTD after the
 * usual swizzle through bridges. A function drives its pin while its model
 * asserts it and Interrupt Disable is clear; the line is the OR of its pins.
 *
 * MSI and MSI-X: a function sends the message (address, data) programmed
 * into its capability or table. The bridge's MSI controller takes writes to
 * SIMPCI_MSI_ADDR, raises hwirq == data, and only for the function the
 * vector was allocated to: MSI is isolated, a function cannot raise another
 * function's vectors. Masked vectors set their pending bit and send on
 * unmask, as the PCI spec says.
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

static DECLARE_BITMAP(deferred, NR_IRQS);
static DEFINE_SPINLOCK(deferred_lock);

static void deliver_now(unsigned int virq)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter();
	generic_handle_irq(virq);
	irq_exit();
	local_irq_restore(flags);
}

static void deferred_fn(struct work_struct *work)
{
	unsigned int virq;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&deferred_lock, flags);
		virq = find_first_bit(deferred, NR_IRQS);
		if (virq < NR_IRQS)
			__clear_bit(virq, deferred);
		spin_unlock_irqrestore(&deferred_lock, flags);
		if (virq >= NR_IRQS)
			return;
		deliver_now(virq);
	}
}

static DECLARE_WORK(deferred_work, deferred_fn);

static void deliver(unsigned int virq)
{
	unsigned long flags;

	if (!virq)
		return;
	if (!irqs_disabled()) {
		deliver_now(virq);
		return;
	}
	spin_lock_irqsave(&deferred_lock, flags);
	__set_bit(virq, deferred);
	spin_unlock_irqrestore(&deferred_lock, flags);
	queue_work(system_highpri_wq, &deferred_work);
}

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

static unsigned int intx_root_line(struct simpci_dev *sdev)
{
	unsigned int pin = sdev->desc->intx_pin;
	struct simpci_dev *d;

	/* The bridge swizzle of the PCI-to-PCI bridge spec. */
	for (d = sdev; d->parent; d = d->parent)
		pin = (pin - 1 + PCI_SLOT(d->devfn)) % 4 + 1;
	return (PCI_SLOT(d->devfn) + pin - 1) % SIMPCI_INTX_LINES;
}

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
 * simpci_intx_update() - drive the host's line from a function's pin
 * @sdev: the device, not locked
 */
void simpci_intx_update(struct simpci_dev *sdev)
{
	struct simpci_host *host = &simpci_host;
	unsigned int line = intx_root_line(sdev);
	unsigned long flags;
	bool out, rising = false;

	spin_lock_irqsave(&sdev->lock, flags);
	out = sdev->intx_level && sdev->plugged &&
	      !(simpci_cfg_get(sdev, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	if (out == sdev->intx_out) {
		spin_unlock_irqrestore(&sdev->lock, flags);
		return;
	}
	sdev->intx_out = out;
	spin_lock(&host->irq_lock);
	if (out)
		rising = !host->intx_count[line]++ && !host->intx_masked[line];
	else
		host->intx_count[line]--;
	spin_unlock(&host->irq_lock);
	spin_unlock_irqrestore(&sdev->lock, flags);

	if (rising)
		deliver(irq_find_mapping(host->intx_domain, line));
}

/**
 * simpci_set_intx() - the model asserts or deasserts its INTx pin
 * @sdev: the device, not locked by the caller
 * @asserted: the new level
 *
 * The function's Interrupt Status bit follows @asserted; the host's line
 * follows it unless Interrupt Disable is set in the command register.
 */
void simpci_set_intx(struct simpci_dev *sdev, bool asserted)
{
	unsigned long flags;

	if (!sdev->desc->intx_pin)
		return;
	spin_lock_irqsave(&sdev->lock, flags);
	sdev->intx_level = asserted;
	spin_unlock_irqrestore(&sdev->lock, flags);
	simpci_intx_update(sdev);
}
EXPORT_SYMBOL_GPL(simpci_set_intx);

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
		deliver(d->irq);
}

static struct irq_chip intx_chip = {
	.name = "simpci-intx",
	.irq_mask = intx_mask,
	.irq_unmask = intx_unmask,
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
	msg->address_lo = SIMPCI_MSI_ADDR;
	msg->data = d->hwirq;
}

/* Edge interrupts: nothing to acknowledge at the controller. */
static void msi_ack(struct irq_data *d)
{
}

/* Send again an interrupt that came while its IRQ was disabled. */
static int msi_retrigger(struct irq_data *d)
{
	deliver(d->irq);
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

/* A memory write of the device to the MSI doorbell. */
static void msi_write(struct simpci_dev *sdev, u64 addr, u32 data)
{
	struct simpci_host *host = &simpci_host;
	unsigned long flags;
	bool ours;

	if (addr != SIMPCI_MSI_ADDR || data >= SIMPCI_MSI_HWIRQS) {
		dev_dbg_ratelimited(&host->bridge->dev,
				    "stray MSI %#llx/%#x from %04x\n", addr,
				    data, simpci_requester_id(sdev));
		return;
	}
	spin_lock_irqsave(&host->irq_lock, flags);
	ours = test_bit(data, host->msi_used) &&
	       host->msi_owner[data] == simpci_requester_id(sdev);
	spin_unlock_irqrestore(&host->irq_lock, flags);
	if (ours)
		deliver(irq_find_mapping(host->msi_inner, data));
}

static bool msix_enabled(struct simpci_dev *sdev)
{
	return sdev->msix_pos &&
	       simpci_cfg_get(sdev, sdev->msix_pos + PCI_MSIX_FLAGS, 2) &
	       PCI_MSIX_FLAGS_ENABLE;
}

static bool msi_enabled(struct simpci_dev *sdev)
{
	return sdev->msi_pos &&
	       simpci_cfg_get(sdev, sdev->msi_pos + PCI_MSI_FLAGS, 2) &
	       PCI_MSI_FLAGS_ENABLE;
}

/* Layout of the MSI capability as programmed. */
struct msi_regs {
	u16 flags;
	int data;
	int mask;
	int pending;
	unsigned int nvec;
};

static void msi_regs(struct simpci_dev *sdev, struct msi_regs *r)
{
	int pos = sdev->msi_pos;

	r->flags = simpci_cfg_get(sdev, pos + PCI_MSI_FLAGS, 2);
	r->data = pos + (r->flags & PCI_MSI_FLAGS_64BIT ? PCI_MSI_DATA_64 :
							  PCI_MSI_DATA_32);
	r->mask = r->flags & PCI_MSI_FLAGS_MASKBIT ? r->data + 4 : 0;
	r->pending = r->mask ? r->data + 8 : 0;
	r->nvec = 1 << ((r->flags & PCI_MSI_FLAGS_QSIZE) >> 4);
}

static void msi_message(struct simpci_dev *sdev, const struct msi_regs *r,
			unsigned int vector, u64 *addr, u32 *data)
{
	int pos = sdev->msi_pos;
	u32 d = simpci_cfg_get(sdev, r->data, 2);

	*addr = simpci_cfg_get(sdev, pos + PCI_MSI_ADDRESS_LO, 4);
	if (r->flags & PCI_MSI_FLAGS_64BIT)
		*addr |= (u64)simpci_cfg_get(sdev, pos + PCI_MSI_ADDRESS_HI,
					     4) << 32;
	*data = (d & ~(r->nvec - 1)) | vector;
}

static u32 *msix_entry(struct simpci_dev *sdev, unsigned int vector)
{
	return &sdev->msix_table[vector * PCI_MSIX_ENTRY_SIZE / 4];
}

static bool msix_masked(struct simpci_dev *sdev, unsigned int vector)
{
	return simpci_cfg_get(sdev, sdev->msix_pos + PCI_MSIX_FLAGS, 2) &
	       PCI_MSIX_FLAGS_MASKALL ||
	       msix_entry(sdev, vector)[3] & PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

static bool can_send(struct simpci_dev *sdev)
{
	return sdev->plugged && simpci_in_d0(sdev) &&
	       simpci_cfg_get(sdev, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
}

/**
 * simpci_signal_msi() - the model signals a message interrupt vector
 * @sdev: the device, not locked by the caller
 * @vector: vector number
 *
 * Uses MSI-X when it is enabled, else MSI. A masked vector sets its
 * pending bit instead and is sent on unmask.
 *
 * Return: 0 when sent or made pending; -ENODEV when neither MSI nor MSI-X
 * is enabled, -EINVAL for a vector the device has not enabled, -EIO when
 * the function cannot master the bus (Bus Master off, not in D0).
 */
int simpci_signal_msi(struct simpci_dev *sdev, unsigned int vector)
{
	unsigned long flags;
	struct msi_regs r;
	u64 addr;
	u32 data;
	int ret = 0;

	spin_lock_irqsave(&sdev->lock, flags);
	if (!can_send(sdev)) {
		ret = -EIO;
	} else if (msix_enabled(sdev)) {
		if (vector >= sdev->msix_vectors) {
			ret = -EINVAL;
		} else if (msix_masked(sdev, vector)) {
			__set_bit(vector, sdev->msix_pba);
			ret = 1;
		} else {
			u32 *e = msix_entry(sdev, vector);

			addr = (u64)e[1] << 32 | e[0];
			data = e[2];
		}
	} else if (msi_enabled(sdev)) {
		msi_regs(sdev, &r);
		if (vector >= r.nvec) {
			ret = -EINVAL;
		} else if (r.mask &&
			   simpci_cfg_get(sdev, r.mask, 4) & BIT(vector)) {
			simpci_cfg_set(sdev, r.pending, 4,
				       simpci_cfg_get(sdev, r.pending, 4) |
				       BIT(vector));
			ret = 1;
		} else {
			msi_message(sdev, &r, vector, &addr, &data);
		}
	} else {
		ret = -ENODEV;
	}
	spin_unlock_irqrestore(&sdev->lock, flags);

	if (ret)
		return ret < 0 ? ret : 0;
	msi_write(sdev, addr, data);
	return 0;
}
EXPORT_SYMBOL_GPL(simpci_signal_msi);

/**
 * simpci_msi_pending() - is a vector's pending bit set
 * @sdev: the device
 * @vector: MSI-X vector when MSI-X is enabled, else MSI vector
 *
 * Return: the pending bit (PBA for MSI-X, Pending Bits for MSI).
 */
bool simpci_msi_pending(struct simpci_dev *sdev, unsigned int vector)
{
	unsigned long flags;
	struct msi_regs r;
	bool ret = false;

	spin_lock_irqsave(&sdev->lock, flags);
	if (msix_enabled(sdev)) {
		ret = vector < sdev->msix_vectors &&
		      test_bit(vector, sdev->msix_pba);
	} else if (sdev->msi_pos) {
		msi_regs(sdev, &r);
		ret = r.pending && vector < 32 &&
		      simpci_cfg_get(sdev, r.pending, 4) & BIT(vector);
	}
	spin_unlock_irqrestore(&sdev->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(simpci_msi_pending);

/* Send one pending vector that is no longer masked; false when none. */
static bool send_one_pending(struct simpci_dev *sdev)
{
	unsigned long flags;
	struct msi_regs r;
	unsigned int v;
	bool found = false;
	u64 addr;
	u32 data;

	spin_lock_irqsave(&sdev->lock, flags);
	if (!can_send(sdev))
		goto out;
	if (msix_enabled(sdev)) {
		for_each_set_bit(v, sdev->msix_pba, sdev->msix_vectors) {
			u32 *e = msix_entry(sdev, v);

			if (msix_masked(sdev, v))
				continue;
			__clear_bit(v, sdev->msix_pba);
			addr = (u64)e[1] << 32 | e[0];
			data = e[2];
			found = true;
			break;
		}
	} else if (msi_enabled(sdev)) {
		unsigned long ready;

		msi_regs(sdev, &r);
		if (!r.pending)
			goto out;
		ready = simpci_cfg_get(sdev, r.pending, 4) &
			~simpci_cfg_get(sdev, r.mask, 4);
		v = find_first_bit(&ready, r.nvec);
		if (v < r.nvec) {
			simpci_cfg_set(sdev, r.pending, 4,
				       simpci_cfg_get(sdev, r.pending, 4) &
				       ~BIT(v));
			msi_message(sdev, &r, v, &addr, &data);
			found = true;
		}
	}
out:
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (found)
		msi_write(sdev, addr, data);
	return found;
}

/**
 * simpci_msi_unmasked() - send what became unmasked
 * @sdev: the device, not locked
 *
 * Called after writes to the MSI capability, the MSI-X control register
 * and MSI-X vector control.
 */
void simpci_msi_unmasked(struct simpci_dev *sdev)
{
	while (send_one_pending(sdev))
		;
}

/**
 * simpci_msix_read() - read of the MSI-X table or PBA
 * @sdev: the device, locked
 * @off: offset from the start of the table, or of the PBA with @pba
 * @size: 4 or 8
 * @pba: read the PBA
 *
 * Return: the value.
 */
u64 simpci_msix_read(struct simpci_dev *sdev, u64 off, int size, bool pba)
{
	u64 val;

	if (pba) {
		val = bitmap_read(sdev->msix_pba, (off & ~7ULL) * 8, 64);
		return size == 8 ? val : val >> ((off & 4) * 8);
	}
	val = sdev->msix_table[off / 4];
	if (size == 8)
		val |= (u64)sdev->msix_table[off / 4 + 1] << 32;
	return val;
}

/**
 * simpci_msix_write() - write to the MSI-X table
 * @sdev: the device, locked
 * @off: offset from the start of the table, dword aligned
 * @size: 4 or 8
 * @val: value
 *
 * Return: SIMPCI_ACT_MSI when a vector control was written.
 */
unsigned int simpci_msix_write(struct simpci_dev *sdev, u64 off, int size,
			       u64 val)
{
	unsigned int act = 0;
	int i;

	for (i = 0; i < size / 4; i++, off += 4, val >>= 32) {
		u32 *dw = &sdev->msix_table[off / 4];

		if ((off & 0xf) == PCI_MSIX_ENTRY_VECTOR_CTRL) {
			*dw = val & PCI_MSIX_ENTRY_CTRL_MASKBIT;
			act = SIMPCI_ACT_MSI;
		} else if ((off & 0xf) == PCI_MSIX_ENTRY_LOWER_ADDR) {
			*dw = val & ~3U;
		} else {
			*dw = val;
		}
	}
	return act;
}

/**
 * simpci_irq_reset() - power-on state of the MSI-X table and PBA
 * @sdev: the device, locked
 */
void simpci_irq_reset(struct simpci_dev *sdev)
{
	unsigned int v;

	sdev->intx_level = false;
	if (!sdev->msix_vectors)
		return;
	memset(sdev->msix_table, 0, sdev->msix_vectors * PCI_MSIX_ENTRY_SIZE);
	for (v = 0; v < sdev->msix_vectors; v++)
		msix_entry(sdev, v)[3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	bitmap_zero(sdev->msix_pba, sdev->msix_vectors);
}

/**
 * simpci_irq_init() - the bridge's INTx lines and MSI controller
 * @host: the host bridge
 *
 * Return: 0 or a negative errno.
 */
int simpci_irq_init(struct simpci_host *host)
{
	struct irq_domain_info info = {
		.size = SIMPCI_MSI_HWIRQS,
		.hwirq_max = SIMPCI_MSI_HWIRQS,
		.ops = &msi_inner_ops,
		.host_data = host,
		/* The controller checks the requester: MSIs are isolated. */
		.domain_flags = IRQ_DOMAIN_FLAG_ISOLATED_MSI,
	};

	host->fwnode = irq_domain_alloc_named_fwnode("simpci");
	if (!host->fwnode)
		return -ENOMEM;
	info.fwnode = host->fwnode;
	host->msi_inner = irq_domain_instantiate(&info);
	if (IS_ERR(host->msi_inner))
		goto err_fwnode;
	host->msi_domain = pci_msi_create_irq_domain(host->fwnode,
						     &msi_domain_info,
						     host->msi_inner);
	if (!host->msi_domain)
		goto err_inner;
	host->intx_domain = irq_domain_create_linear(NULL, SIMPCI_INTX_LINES,
						     &intx_domain_ops, host);
	if (!host->intx_domain)
		goto err_msi;
	return 0;

err_msi:
	irq_domain_remove(host->msi_domain);
err_inner:
	if (!IS_ERR(host->msi_inner))
		irq_domain_remove(host->msi_inner);
err_fwnode:
	irq_domain_free_fwnode(host->fwnode);
	return -ENOMEM;
}
