// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI and MSI-X of a simulated PCI function: the function sends the
 * message (address, data) programmed into its MSI capability or MSI-X
 * table to the host's doorbell (intc.c). Masked vectors set their pending
 * bit instead and send on unmask, as the PCI spec says. The MSI-X table
 * and PBA live in a register BAR and are reached through mmio.c.
 */
#include <linux/bitmap.h>
#include <linux/pci.h>

#include "simpci_internal.h"

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
	if (r->flags & PCI_MSI_FLAGS_MASKBIT) {
		r->mask = pos + (r->flags & PCI_MSI_FLAGS_64BIT ?
				 PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
		r->pending = pos + (r->flags & PCI_MSI_FLAGS_64BIT ?
				    PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32);
	} else {
		r->mask = 0;
		r->pending = 0;
	}
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

static void msix_message(struct simpci_dev *sdev, unsigned int vector,
			 u64 *addr, u32 *data)
{
	u32 *e = msix_entry(sdev, vector);

	*addr = (u64)e[PCI_MSIX_ENTRY_UPPER_ADDR / 4] << 32 |
		e[PCI_MSIX_ENTRY_LOWER_ADDR / 4];
	*data = e[PCI_MSIX_ENTRY_DATA / 4];
}

static bool msix_masked(struct simpci_dev *sdev, unsigned int vector)
{
	return simpci_cfg_get(sdev, sdev->msix_pos + PCI_MSIX_FLAGS, 2) &
	       PCI_MSIX_FLAGS_MASKALL ||
	       msix_entry(sdev, vector)[PCI_MSIX_ENTRY_VECTOR_CTRL / 4] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
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
	bool send = false;
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
		} else {
			msix_message(sdev, vector, &addr, &data);
			send = true;
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
		} else {
			msi_message(sdev, &r, vector, &addr, &data);
			send = true;
		}
	} else {
		ret = -ENODEV;
	}
	spin_unlock_irqrestore(&sdev->lock, flags);

	if (send)
		simpci_intc_doorbell(simpci_requester_id(sdev), addr, data);
	return ret;
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
			if (msix_masked(sdev, v))
				continue;
			__clear_bit(v, sdev->msix_pba);
			msix_message(sdev, v, &addr, &data);
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
		simpci_intc_doorbell(simpci_requester_id(sdev), addr, data);
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

	lockdep_assert_held(&sdev->lock);
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

	lockdep_assert_held(&sdev->lock);
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
 * simpci_msi_reset() - power-on state of the MSI-X table and PBA
 * @sdev: the device, locked
 *
 * Every vector masked, every message zero, nothing pending. (MSI state
 * is config space, rebuilt by simpci_cfg_build().)
 */
void simpci_msi_reset(struct simpci_dev *sdev)
{
	unsigned int v;

	lockdep_assert_held(&sdev->lock);
	if (!sdev->msix_vectors)
		return;
	memset(sdev->msix_table, 0, sdev->msix_vectors * PCI_MSIX_ENTRY_SIZE);
	for (v = 0; v < sdev->msix_vectors; v++)
		msix_entry(sdev, v)[PCI_MSIX_ENTRY_VECTOR_CTRL / 4] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
	bitmap_zero(sdev->msix_pba, sdev->msix_vectors);
}

