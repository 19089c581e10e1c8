// SPDX-License-Identifier: GPL-2.0-only
/*
 * One simulated PCI function: its life from creation to destruction, its
 * lock, its reset to power-on state, its place (bus number, requester ID)
 * and its INTx pin.
 *
 * Where the function sits and when it is visible is the host bridge's
 * business (bus.c); this file never walks the topology.
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include "simpci_internal.h"

/**
 * simpci_dev_busnr() - the bus number a function sits on now
 * @sdev: the device
 *
 * Return: the root bus number, or the secondary bus of its bridge.
 */
u8 simpci_dev_busnr(struct simpci_dev *sdev)
{
	if (!sdev->parent)
		return SIMPCI_ROOT_BUS;
	return simpci_cfg_get(sdev->parent, PCI_SECONDARY_BUS, 1);
}
EXPORT_SYMBOL_GPL(simpci_dev_busnr);

u8 simpci_dev_devfn(struct simpci_dev *sdev)
{
	return sdev->devfn;
}
EXPORT_SYMBOL_GPL(simpci_dev_devfn);

u16 simpci_requester_id(struct simpci_dev *sdev)
{
	return PCI_DEVID(simpci_dev_busnr(sdev), sdev->devfn);
}

/**
 * simpci_dev_dma_rid() - requester ID a function's DMA carries upstream
 * @sdev: the device
 *
 * A conventional PCI-to-PCI bridge forwards transactions of the functions
 * below it as its own, so behind one the bridge's ID arrives.
 *
 * Return: the requester ID seen at the host bridge.
 */
u16 simpci_dev_dma_rid(struct simpci_dev *sdev)
{
	while (sdev->parent)
		sdev = sdev->parent;
	return simpci_requester_id(sdev);
}
EXPORT_SYMBOL_GPL(simpci_dev_dma_rid);

void *simpci_dev_priv(struct simpci_dev *sdev)
{
	return sdev->priv;
}
EXPORT_SYMBOL_GPL(simpci_dev_priv);

const struct simpci_dev_desc *simpci_dev_desc(struct simpci_dev *sdev)
{
	return sdev->desc;
}
EXPORT_SYMBOL_GPL(simpci_dev_desc);

void simpci_dev_lock(struct simpci_dev *sdev, unsigned long *flags)
	__acquires(&sdev->lock)
{
	spin_lock_irqsave(&sdev->lock, *flags);
}
EXPORT_SYMBOL_GPL(simpci_dev_lock);

void simpci_dev_unlock(struct simpci_dev *sdev, unsigned long flags)
	__releases(&sdev->lock)
{
	spin_unlock_irqrestore(&sdev->lock, flags);
}
EXPORT_SYMBOL_GPL(simpci_dev_unlock);

/* INTx */

/* The host line the pin reaches: the bridge swizzle of the PCI spec. */
static unsigned int intx_root_line(struct simpci_dev *sdev)
{
	unsigned int pin = sdev->desc->intx_pin;
	struct simpci_dev *d;

	for (d = sdev; d->parent; d = d->parent)
		pin = (pin - 1 + PCI_SLOT(d->devfn)) % 4 + 1;
	return (PCI_SLOT(d->devfn) + pin - 1) % SIMPCI_INTX_LINES;
}

/**
 * simpci_intx_update() - drive the host's line from a function's pin
 * @sdev: the device, not locked
 *
 * The pin is driven while the model asserts it, the function is present
 * and Interrupt Disable is clear.
 */
void simpci_intx_update(struct simpci_dev *sdev)
{
	unsigned int line = intx_root_line(sdev);
	unsigned long flags;
	bool out, rising = false;

	spin_lock_irqsave(&sdev->lock, flags);
	out = sdev->intx_level && sdev->plugged &&
	      !(simpci_cfg_get(sdev, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	if (out != sdev->intx_out) {
		sdev->intx_out = out;
		rising = simpci_intc_line(line, out);
	}
	spin_unlock_irqrestore(&sdev->lock, flags);

	if (rising)
		simpci_intc_raise_line(line);
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

/* Reset */

/* Config space, pin and MSI-X table as at power-on. */
static void power_on_locked(struct simpci_dev *sdev)
{
	lockdep_assert_held(&sdev->lock);
	simpci_cfg_build(sdev);
	sdev->intx_level = false;
	simpci_msi_reset(sdev);
}

static void reset_locked(struct simpci_dev *sdev)
{
	power_on_locked(sdev);
	if (sdev->desc->ops && sdev->desc->ops->reset)
		sdev->desc->ops->reset(sdev);
}

/**
 * simpci_dev_reset() - function-level reset: power-on state
 * @sdev: the device, not locked
 *
 * What FLR, a PM reset and a bus reset do to the function: config space,
 * MSI-X table and model state return to power-on, the pin is deasserted.
 */
void simpci_dev_reset(struct simpci_dev *sdev)
{
	unsigned long flags;

	spin_lock_irqsave(&sdev->lock, flags);
	reset_locked(sdev);
	spin_unlock_irqrestore(&sdev->lock, flags);
	simpci_intx_update(sdev);
}
EXPORT_SYMBOL_GPL(simpci_dev_reset);

/**
 * simpci_dev_poll() - let a model catch up now
 * @sdev: the device, not locked
 *
 * What the model's own poller does on its next round: take the stores
 * that reached a RAM-backed BAR through a userspace mapping, and run the
 * device a bounded step. For tests that step a model by hand.
 *
 * Context: process context; may sleep.
 * Return: true while the model has work left.
 */
bool simpci_dev_poll(struct simpci_dev *sdev)
{
	const struct simpci_model_ops *ops = sdev->desc->ops;

	might_sleep();
	return ops && ops->poll ? ops->poll(sdev) : false;
}
EXPORT_SYMBOL_GPL(simpci_dev_poll);

/* Life */

static u16 msix_vectors(const struct simpci_dev_desc *desc)
{
	const struct simpci_cap_desc *c;

	simpci_for_each_cap(c, desc->caps)
		if (!c->ext && c->id == PCI_CAP_ID_MSIX)
			return c->msix.vectors;
	return 0;
}

static void free_dev(struct simpci_dev *sdev)
{
	simpci_aer_exit(sdev);
	bitmap_free(sdev->msix_pba);
	kfree(sdev->msix_table);
	kfree(sdev);
}

/**
 * simpci_dev_create() - a new function, not yet visible
 * @a: the model and where it goes
 *
 * Return: the device, or ERR_PTR(-EINVAL) for a model that hardware could
 * not be (see simpci_desc_validate()) or a parent that is not a bridge,
 * ERR_PTR(-ENOMEM), or the error of the model's init.
 */
struct simpci_dev *simpci_dev_create(const struct simpci_dev_create_args *a)
{
	const struct simpci_dev_desc *desc = a->desc;
	struct simpci_dev *sdev;
	unsigned long flags;
	u16 nvec;
	int ret;

	ret = simpci_desc_validate(desc);
	if (ret)
		return ERR_PTR(ret);
	if (a->parent && !a->parent->desc->bridge)
		return ERR_PTR(-EINVAL);

	sdev = kzalloc(struct_size(sdev, priv, desc->priv_size), GFP_KERNEL);
	if (!sdev)
		return ERR_PTR(-ENOMEM);
	sdev->desc = desc;
	sdev->parent = a->parent;
	sdev->devfn = a->devfn;
	spin_lock_init(&sdev->lock);
	INIT_LIST_HEAD(&sdev->children);
	INIT_LIST_HEAD(&sdev->node);
	simpci_aer_init(sdev);

	nvec = msix_vectors(desc);
	if (nvec) {
		sdev->msix_vectors = nvec;
		sdev->msix_table = kcalloc(nvec, PCI_MSIX_ENTRY_SIZE,
					   GFP_KERNEL);
		sdev->msix_pba = bitmap_zalloc(nvec, GFP_KERNEL);
		if (!sdev->msix_table || !sdev->msix_pba) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	spin_lock_irqsave(&sdev->lock, flags);
	power_on_locked(sdev);
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (desc->ops && desc->ops->init) {
		ret = desc->ops->init(sdev);
		if (ret)
			goto err_free;
	}
	return sdev;

err_free:
	free_dev(sdev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(simpci_dev_create);

/**
 * simpci_dev_destroy() - free a function that is not plugged
 * @sdev: the device, or an error pointer or NULL (then nothing happens)
 */
void simpci_dev_destroy(struct simpci_dev *sdev)
{
	if (IS_ERR_OR_NULL(sdev))
		return;
	if (WARN_ON(sdev->plugged || !list_empty(&sdev->children)))
		return;
	if (sdev->desc->ops && sdev->desc->ops->release)
		sdev->desc->ops->release(sdev);
	free_dev(sdev);
}
EXPORT_SYMBOL_GPL(simpci_dev_destroy);
