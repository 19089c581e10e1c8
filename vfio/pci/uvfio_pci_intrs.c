// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: interrupts delivered to userspace through eventfds
 * (VFIO_DEVICE_SET_IRQS).
 *
 * INTx is level-triggered and shared: our handler masks it at the function
 * (Interrupt Disable, PCI 2.3) or, for a function that cannot mask itself,
 * at the interrupt line, then signals the user's eventfd. The line stays
 * masked until the user unmasks it (ioctl, unmask eventfd, or clearing the
 * Interrupt Disable bit it set in its view of the command register), and
 * a line still asserted then fires again. MSI and MSI-X vectors each signal
 * an eventfd of their own. ERR is signalled when the PCI core reports an
 * error of the function, REQ when the function is being unbound while
 * open.
 *
 * Only one of INTx, MSI and MSI-X is in use at a time (irq_type). The
 * contexts are kept in an xarray by vector; igate orders SET_IRQS, the
 * user's command register writes, close and the ERR/REQ senders; irqlock
 * orders the INTx handler against mask and unmask.
 */
#include <linux/bitops.h>
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/log2.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "uvfio_pci_priv.h"

/**
 * struct uvfio_pci_irq_ctx - one vector handed to userspace
 * @vpdev: its device
 * @trigger: the eventfd signalled for it (INTx: may be NULL)
 * @unmask: INTx: the eventfd that unmasks it, if any
 * @name: for /proc/interrupts
 * @masked: INTx: masked by us or the user (under irqlock)
 */
struct uvfio_pci_irq_ctx {
	struct uvfio_pci_device *vpdev;
	struct eventfd_ctx *trigger;
	struct uvfio_virqfd *unmask;
	char *name;
	bool masked;
};

static bool uvfio_pci_irq_is(struct uvfio_pci_device *vpdev, u32 index)
{
	return vpdev->irq_type == index;
}

static bool uvfio_pci_irq_none(struct uvfio_pci_device *vpdev)
{
	return vpdev->irq_type == VFIO_PCI_NUM_IRQS;
}

static struct uvfio_pci_irq_ctx *
uvfio_pci_irq_ctx_alloc(struct uvfio_pci_device *vpdev, unsigned long vector,
			const char *fmt, ...)
{
	struct uvfio_pci_irq_ctx *ctx;
	va_list ap;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	va_start(ap, fmt);
	ctx->name = kvasprintf(GFP_KERNEL_ACCOUNT, fmt, ap);
	va_end(ap);
	if (!ctx->name)
		goto out_free;
	ctx->vpdev = vpdev;
	if (xa_insert(&vpdev->irq_ctx, vector, ctx, GFP_KERNEL_ACCOUNT))
		goto out_name;
	return ctx;

out_name:
	kfree(ctx->name);
out_free:
	kfree(ctx);
	return NULL;
}

static void uvfio_pci_irq_ctx_free(struct uvfio_pci_device *vpdev,
				   struct uvfio_pci_irq_ctx *ctx,
				   unsigned long vector)
{
	xa_erase(&vpdev->irq_ctx, vector);
	kfree(ctx->name);
	kfree(ctx);
}

/* INTx */

static void uvfio_pci_intx_signal(void *opaque, void *data)
{
	struct uvfio_pci_device *vpdev = opaque;
	struct uvfio_pci_irq_ctx *ctx = data;
	struct eventfd_ctx *trigger;

	if (!uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX) ||
	    vpdev->virq_disabled)
		return;
	trigger = READ_ONCE(ctx->trigger);
	if (trigger)
		eventfd_signal(trigger);
}

static irqreturn_t uvfio_pci_intx_handler(int irq, void *dev_id)
{
	struct uvfio_pci_irq_ctx *ctx = dev_id;
	struct uvfio_pci_device *vpdev = ctx->vpdev;
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;

	spin_lock_irqsave(&vpdev->irqlock, flags);
	if (!vpdev->pci_2_3) {
		/* The line is ours alone: mask it where it enters. */
		disable_irq_nosync(irq);
		ctx->masked = true;
		ret = IRQ_HANDLED;
	} else if (!ctx->masked && pci_check_and_mask_intx(vpdev->pdev)) {
		/* Masked, or not asserted: another function on the line. */
		ctx->masked = true;
		ret = IRQ_HANDLED;
	}
	spin_unlock_irqrestore(&vpdev->irqlock, flags);

	if (ret == IRQ_HANDLED)
		uvfio_pci_intx_signal(vpdev, ctx);
	return ret;
}

/* Context: igate held. Returns true when this call masked INTx. */
static bool __uvfio_pci_intx_mask(struct uvfio_pci_device *vpdev)
{
	struct uvfio_pci_irq_ctx *ctx;
	bool changed = false;
	unsigned long flags;

	lockdep_assert_held(&vpdev->igate);
	spin_lock_irqsave(&vpdev->irqlock, flags);
	if (!uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX)) {
		/* Without INTx in use the real bit follows the user's. */
		if (vpdev->pci_2_3)
			pci_intx(vpdev->pdev, 0);
		goto out;
	}
	ctx = xa_load(&vpdev->irq_ctx, 0);
	if (!ctx->masked) {
		if (vpdev->pci_2_3)
			pci_intx(vpdev->pdev, 0);
		else
			disable_irq_nosync(vpdev->pdev->irq);
		ctx->masked = true;
		changed = true;
	}
out:
	spin_unlock_irqrestore(&vpdev->irqlock, flags);
	return changed;
}

/*
 * Unmask; a function still asserting INTx is signalled again right away
 * instead of through another interrupt. Runs in the waker's context for
 * an unmask eventfd, where the user's eventfd cannot be signalled: returns
 * 1 for the caller to signal it.
 */
static int uvfio_pci_intx_unmask_handler(void *opaque, void *data)
{
	struct uvfio_pci_device *vpdev = opaque;
	struct uvfio_pci_irq_ctx *ctx = data;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&vpdev->irqlock, flags);
	if (!uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX)) {
		if (vpdev->pci_2_3)
			pci_intx(vpdev->pdev, 1);
		goto out;
	}
	if (ctx->masked && !vpdev->virq_disabled) {
		if (!vpdev->pci_2_3)
			enable_irq(vpdev->pdev->irq);
		else if (!pci_check_and_unmask_intx(vpdev->pdev))
			ret = 1;
		ctx->masked = ret;
	}
out:
	spin_unlock_irqrestore(&vpdev->irqlock, flags);
	return ret;
}

/* Context: igate held. */
static void __uvfio_pci_intx_unmask(struct uvfio_pci_device *vpdev)
{
	struct uvfio_pci_irq_ctx *ctx = xa_load(&vpdev->irq_ctx, 0);

	lockdep_assert_held(&vpdev->igate);
	if (uvfio_pci_intx_unmask_handler(vpdev, ctx))
		uvfio_pci_intx_signal(vpdev, ctx);
}

/**
 * uvfio_pci_intx_mask() - the user set Interrupt Disable
 * @vpdev: the device
 *
 * Return: true when INTx was in use and this masked it.
 */
bool uvfio_pci_intx_mask(struct uvfio_pci_device *vpdev)
{
	bool changed;

	mutex_lock(&vpdev->igate);
	changed = __uvfio_pci_intx_mask(vpdev);
	mutex_unlock(&vpdev->igate);
	return changed;
}

/**
 * uvfio_pci_intx_unmask() - the user cleared Interrupt Disable
 * @vpdev: the device
 */
void uvfio_pci_intx_unmask(struct uvfio_pci_device *vpdev)
{
	mutex_lock(&vpdev->igate);
	__uvfio_pci_intx_unmask(vpdev);
	mutex_unlock(&vpdev->igate);
}

static int uvfio_pci_intx_enable(struct uvfio_pci_device *vpdev,
				 struct eventfd_ctx *trigger)
{
	struct pci_dev *pdev = vpdev->pdev;
	struct uvfio_pci_irq_ctx *ctx;
	unsigned long irqflags;
	int ret;

	if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		return -ENODEV;
	ctx = uvfio_pci_irq_ctx_alloc(vpdev, 0, "vfio-intx(%s)",
				      pci_name(pdev));
	if (!ctx)
		return -ENOMEM;
	ctx->trigger = trigger;

	/*
	 * The user's Interrupt Disable decides the starting state. A
	 * function that masks itself may share its line; one that cannot
	 * needs the line to itself, masked there from the start when the
	 * user asked so. The handler needs irq_type set before it can run.
	 */
	ctx->masked = vpdev->virq_disabled;
	if (vpdev->pci_2_3) {
		pci_intx(pdev, !ctx->masked);
		irqflags = IRQF_SHARED;
	} else {
		irqflags = ctx->masked ? IRQF_NO_AUTOEN : 0;
		/* disable_irq_nosync() must mask at once, not on next fire. */
		irq_set_status_flags(pdev->irq, IRQ_DISABLE_UNLAZY);
	}
	vpdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX;

	ret = request_irq(pdev->irq, uvfio_pci_intx_handler, irqflags,
			  ctx->name, ctx);
	if (ret) {
		if (!vpdev->pci_2_3)
			irq_clear_status_flags(pdev->irq, IRQ_DISABLE_UNLAZY);
		vpdev->irq_type = VFIO_PCI_NUM_IRQS;
		uvfio_pci_irq_ctx_free(vpdev, ctx, 0);
		return ret;
	}
	return 0;
}

/* Replace the eventfd of INTx in use; @trigger may be NULL. */
static void uvfio_pci_intx_set_trigger(struct uvfio_pci_device *vpdev,
				       struct eventfd_ctx *trigger)
{
	struct uvfio_pci_irq_ctx *ctx = xa_load(&vpdev->irq_ctx, 0);
	struct eventfd_ctx *old = ctx->trigger;

	WRITE_ONCE(ctx->trigger, trigger);
	if (!old)
		return;
	/* The handler and the unmask thread may still hold the old one. */
	synchronize_irq(vpdev->pdev->irq);
	uvfio_virqfd_flush_thread(&ctx->unmask);
	eventfd_ctx_put(old);
}

static void uvfio_pci_intx_disable(struct uvfio_pci_device *vpdev)
{
	struct uvfio_pci_irq_ctx *ctx = xa_load(&vpdev->irq_ctx, 0);
	struct pci_dev *pdev = vpdev->pdev;

	uvfio_virqfd_disable(&ctx->unmask);
	free_irq(pdev->irq, ctx);
	if (!vpdev->pci_2_3)
		irq_clear_status_flags(pdev->irq, IRQ_DISABLE_UNLAZY);
	if (ctx->trigger)
		eventfd_ctx_put(ctx->trigger);
	uvfio_pci_irq_ctx_free(vpdev, ctx, 0);
	vpdev->irq_type = VFIO_PCI_NUM_IRQS;
}

/* MSI and MSI-X */

static irqreturn_t uvfio_pci_msi_handler(int irq, void *arg)
{
	eventfd_signal(arg);
	return IRQ_HANDLED;
}

/*
 * Allocate @nvec vectors. Fewer than asked is an error whose value is
 * how many there were, as upstream answers.
 */
static int uvfio_pci_msi_enable(struct uvfio_pci_device *vpdev, u32 nvec,
				bool msix)
{
	struct pci_dev *pdev = vpdev->pdev;
	u16 cmd;
	int ret;

	/* The MSI-X table lives in a BAR: memory decode must be on. */
	cmd = uvfio_pci_memory_lock_and_enable(vpdev);
	ret = pci_alloc_irq_vectors(pdev, 1, nvec,
				    msix ? PCI_IRQ_MSIX : PCI_IRQ_MSI);
	/* Frees what a short allocation got; nothing when none was made. */
	if (ret < (int)nvec)
		pci_free_irq_vectors(pdev);
	uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
	if (ret < (int)nvec)
		return ret;

	vpdev->irq_type = msix ? VFIO_PCI_MSIX_IRQ_INDEX :
				 VFIO_PCI_MSI_IRQ_INDEX;
	/* The user's Multiple Message Enable: log2 of what it got. */
	if (!msix)
		vpdev->msi_qmax = order_base_2(nvec);
	return 0;
}

/* The Linux interrupt of @vector, allocated on demand where MSI-X can. */
static int uvfio_pci_msi_irq(struct uvfio_pci_device *vpdev, u32 vector,
			     bool msix)
{
	struct pci_dev *pdev = vpdev->pdev;
	struct msi_map map;
	int irq;
	u16 cmd;

	irq = pci_irq_vector(pdev, vector);
	if (irq > 0 || !msix || !pci_msix_can_alloc_dyn(pdev))
		return irq;
	/* Kept until MSI-X is disabled, like the vectors of enable time. */
	cmd = uvfio_pci_memory_lock_and_enable(vpdev);
	map = pci_msix_alloc_irq_at(pdev, vector, NULL);
	uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
	return map.index < 0 ? map.index : map.virq;
}

/* Point @vector at eventfd @fd, or at nothing for fd < 0. */
static int uvfio_pci_msi_set_vector(struct uvfio_pci_device *vpdev,
				    u32 vector, s32 fd, bool msix)
{
	struct pci_dev *pdev = vpdev->pdev;
	struct uvfio_pci_irq_ctx *ctx;
	struct eventfd_ctx *trigger;
	struct msi_msg msg;
	int irq, ret;
	u16 cmd;

	ctx = xa_load(&vpdev->irq_ctx, vector);
	if (ctx) {
		irq = pci_irq_vector(pdev, vector);
		/* free_irq() masks an MSI-X entry: the table must decode. */
		cmd = uvfio_pci_memory_lock_and_enable(vpdev);
		free_irq(irq, ctx->trigger);
		uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
		eventfd_ctx_put(ctx->trigger);
		uvfio_pci_irq_ctx_free(vpdev, ctx, vector);
	}
	if (fd < 0)
		return 0;

	irq = uvfio_pci_msi_irq(vpdev, vector, msix);
	if (irq < 0)
		return irq;
	ctx = uvfio_pci_irq_ctx_alloc(vpdev, vector, "vfio-msi%s[%u](%s)",
				      msix ? "x" : "", vector, pci_name(pdev));
	if (!ctx)
		return -ENOMEM;
	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger)) {
		ret = PTR_ERR(trigger);
		goto out_free;
	}

	cmd = uvfio_pci_memory_lock_and_enable(vpdev);
	/* A reset behind our back may have cleared the entry: write it. */
	if (msix) {
		get_cached_msi_msg(irq, &msg);
		pci_write_msi_msg(irq, &msg);
	}
	ret = request_irq(irq, uvfio_pci_msi_handler, 0, ctx->name, trigger);
	uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
	if (ret)
		goto out_put;
	ctx->trigger = trigger;
	return 0;

out_put:
	eventfd_ctx_put(trigger);
out_free:
	uvfio_pci_irq_ctx_free(vpdev, ctx, vector);
	return ret;
}

/* All or nothing: a failure takes back the vectors set before it. */
static int uvfio_pci_msi_set_block(struct uvfio_pci_device *vpdev, u32 start,
				   u32 count, const s32 *fds, bool msix)
{
	u32 i;
	int ret = 0;

	for (i = 0; i < count && !ret; i++)
		ret = uvfio_pci_msi_set_vector(vpdev, start + i, fds[i], msix);
	if (ret)
		while (--i > 0)
			uvfio_pci_msi_set_vector(vpdev, start + i - 1, -1,
						 msix);
	return ret;
}

static void uvfio_pci_msi_disable(struct uvfio_pci_device *vpdev, bool msix)
{
	struct uvfio_pci_irq_ctx *ctx;
	unsigned long vector;
	u16 cmd;

	xa_for_each(&vpdev->irq_ctx, vector, ctx)
		uvfio_pci_msi_set_vector(vpdev, vector, -1, msix);
	cmd = uvfio_pci_memory_lock_and_enable(vpdev);
	pci_free_irq_vectors(vpdev->pdev);
	uvfio_pci_memory_unlock_and_restore(vpdev, cmd);
	vpdev->irq_type = VFIO_PCI_NUM_IRQS;
}

/* SET_IRQS, one function per index and action */

/* Element @i of the data as a bool; DATA_NONE is "yes" for each. */
static bool uvfio_pci_irq_bool(const struct vfio_irq_set *hdr,
			       const void *data, u32 i)
{
	if (hdr->flags & VFIO_IRQ_SET_DATA_BOOL)
		return ((const u8 *)data)[i];
	return true;
}

static int uvfio_pci_set_intx_mask(struct uvfio_pci_device *vpdev,
				   const struct vfio_irq_set *hdr, void *data)
{
	if (!uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX) ||
	    hdr->start || hdr->count != 1)
		return -EINVAL;
	/* Masking by eventfd has never existed upstream. */
	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD)
		return -ENOTTY;
	if (uvfio_pci_irq_bool(hdr, data, 0))
		__uvfio_pci_intx_mask(vpdev);
	return 0;
}

static int uvfio_pci_set_intx_unmask(struct uvfio_pci_device *vpdev,
				     const struct vfio_irq_set *hdr,
				     void *data)
{
	struct uvfio_pci_irq_ctx *ctx;
	s32 fd;

	if (!uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX) ||
	    hdr->start || hdr->count != 1)
		return -EINVAL;
	if (!(hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if (uvfio_pci_irq_bool(hdr, data, 0))
			__uvfio_pci_intx_unmask(vpdev);
		return 0;
	}

	ctx = xa_load(&vpdev->irq_ctx, 0);
	fd = *(s32 *)data;
	if (fd < 0) {
		uvfio_virqfd_disable(&ctx->unmask);
		return 0;
	}
	return uvfio_virqfd_enable(vpdev, uvfio_pci_intx_unmask_handler,
				   uvfio_pci_intx_signal, ctx, &ctx->unmask,
				   fd);
}

static int uvfio_pci_set_intx_trigger(struct uvfio_pci_device *vpdev,
				      const struct vfio_irq_set *hdr,
				      void *data)
{
	struct eventfd_ctx *trigger = NULL;
	bool intx = uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX);
	s32 fd;
	int ret;

	if (intx && !hdr->count && hdr->flags & VFIO_IRQ_SET_DATA_NONE) {
		uvfio_pci_intx_disable(vpdev);
		return 0;
	}
	if (!(intx || uvfio_pci_irq_none(vpdev)) || hdr->start ||
	    hdr->count != 1)
		return -EINVAL;

	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		fd = *(s32 *)data;
		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}
		if (intx) {
			uvfio_pci_intx_set_trigger(vpdev, trigger);
			return 0;
		}
		ret = uvfio_pci_intx_enable(vpdev, trigger);
		if (ret && trigger)
			eventfd_ctx_put(trigger);
		return ret;
	}

	/* Loopback: signal the eventfd as an interrupt would. */
	if (!intx)
		return -EINVAL;
	if (uvfio_pci_irq_bool(hdr, data, 0))
		uvfio_pci_intx_signal(vpdev, xa_load(&vpdev->irq_ctx, 0));
	return 0;
}

static int uvfio_pci_set_msi_trigger(struct uvfio_pci_device *vpdev,
				     const struct vfio_irq_set *hdr,
				     void *data)
{
	bool msix = hdr->index == VFIO_PCI_MSIX_IRQ_INDEX;
	bool same = uvfio_pci_irq_is(vpdev, hdr->index);
	struct uvfio_pci_irq_ctx *ctx;
	u32 i;
	int ret;

	if (same && !hdr->count && hdr->flags & VFIO_IRQ_SET_DATA_NONE) {
		uvfio_pci_msi_disable(vpdev, msix);
		return 0;
	}
	if (!same && !uvfio_pci_irq_none(vpdev))
		return -EINVAL;

	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (same)
			return uvfio_pci_msi_set_block(vpdev, hdr->start,
						       hdr->count, data, msix);
		ret = uvfio_pci_msi_enable(vpdev, hdr->start + hdr->count,
					   msix);
		if (ret)
			return ret;
		ret = uvfio_pci_msi_set_block(vpdev, hdr->start, hdr->count,
					      data, msix);
		if (ret)
			uvfio_pci_msi_disable(vpdev, msix);
		return ret;
	}

	/* Loopback of the vectors that have an eventfd. */
	if (!same)
		return -EINVAL;
	for (i = 0; i < hdr->count; i++) {
		ctx = xa_load(&vpdev->irq_ctx, hdr->start + i);
		if (ctx && uvfio_pci_irq_bool(hdr, data, i))
			eventfd_signal(ctx->trigger);
	}
	return 0;
}

/* Context: igate held. @new may be NULL. */
static void uvfio_pci_replace_eventfd(struct eventfd_ctx **slot,
				      struct eventfd_ctx *new)
{
	if (*slot)
		eventfd_ctx_put(*slot);
	*slot = new;
}

/* ERR and REQ: one eventfd each, no vectors behind it. */
static int uvfio_pci_set_single_trigger(struct eventfd_ctx **slot,
					const struct vfio_irq_set *hdr,
					void *data)
{
	struct eventfd_ctx *trigger;
	s32 fd;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!*slot)
			return -EINVAL;
		if (hdr->count)
			eventfd_signal(*slot);
		else
			uvfio_pci_replace_eventfd(slot, NULL);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!hdr->count)
			return -EINVAL;
		if (*(u8 *)data && *slot)
			eventfd_signal(*slot);
		return 0;
	default:
		if (!hdr->count)
			return -EINVAL;
		fd = *(s32 *)data;
		if (fd == -1) {
			uvfio_pci_replace_eventfd(slot, NULL);
			return 0;
		}
		if (fd < 0)
			return -EINVAL;
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
		uvfio_pci_replace_eventfd(slot, trigger);
		return 0;
	}
}

static int uvfio_pci_set_err_trigger(struct uvfio_pci_device *vpdev,
				     const struct vfio_irq_set *hdr,
				     void *data)
{
	return uvfio_pci_set_single_trigger(&vpdev->err_trigger, hdr, data);
}

static int uvfio_pci_set_req_trigger(struct uvfio_pci_device *vpdev,
				     const struct vfio_irq_set *hdr,
				     void *data)
{
	return uvfio_pci_set_single_trigger(&vpdev->req_trigger, hdr, data);
}

typedef int (*uvfio_pci_set_irqs_fn)(struct uvfio_pci_device *vpdev,
				     const struct vfio_irq_set *hdr,
				     void *data);

/* Actions by bit: MASK, UNMASK, TRIGGER. */
#define UVFIO_PCI_ACTION(flag)	(ilog2(flag) - ilog2(VFIO_IRQ_SET_ACTION_MASK))
#define UVFIO_PCI_NUM_ACTIONS	3

/* What each index does with each action; a hole is -ENOTTY. */
static const uvfio_pci_set_irqs_fn
uvfio_pci_set_irqs_table[VFIO_PCI_NUM_IRQS][UVFIO_PCI_NUM_ACTIONS] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = {
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_MASK)] =
			uvfio_pci_set_intx_mask,
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_UNMASK)] =
			uvfio_pci_set_intx_unmask,
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_TRIGGER)] =
			uvfio_pci_set_intx_trigger,
	},
	/* Per-vector masking of MSI and MSI-X is not offered, as upstream. */
	[VFIO_PCI_MSI_IRQ_INDEX] = {
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_TRIGGER)] =
			uvfio_pci_set_msi_trigger,
	},
	[VFIO_PCI_MSIX_IRQ_INDEX] = {
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_TRIGGER)] =
			uvfio_pci_set_msi_trigger,
	},
	[VFIO_PCI_ERR_IRQ_INDEX] = {
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_TRIGGER)] =
			uvfio_pci_set_err_trigger,
	},
	[VFIO_PCI_REQ_IRQ_INDEX] = {
		[UVFIO_PCI_ACTION(VFIO_IRQ_SET_ACTION_TRIGGER)] =
			uvfio_pci_set_req_trigger,
	},
};

/**
 * uvfio_pci_set_irqs() - carry out a checked VFIO_DEVICE_SET_IRQS
 * @vpdev: the device
 * @hdr: the header, checked by uvfio_irq_set_data()
 * @data: its data
 *
 * Context: igate held.
 * Return: 0, -ENOTTY for an action the index does not have (or not
 * exactly one action), or the action's errno.
 */
int uvfio_pci_set_irqs(struct uvfio_pci_device *vpdev,
		       const struct vfio_irq_set *hdr, void *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	uvfio_pci_set_irqs_fn fn;

	lockdep_assert_held(&vpdev->igate);
	if (hdr->index >= VFIO_PCI_NUM_IRQS || hweight32(action) != 1)
		return -ENOTTY;
	fn = uvfio_pci_set_irqs_table[hdr->index][UVFIO_PCI_ACTION(action)];
	return fn ? fn(vpdev, hdr, data) : -ENOTTY;
}

/**
 * uvfio_pci_irqs_release() - the last device fd is closing
 * @vpdev: the device
 *
 * Frees whatever interrupts and eventfds the user left set up, and lets
 * the next user start with the Interrupt Disable bit clear.
 */
void uvfio_pci_irqs_release(struct uvfio_pci_device *vpdev)
{
	mutex_lock(&vpdev->igate);
	if (uvfio_pci_irq_is(vpdev, VFIO_PCI_INTX_IRQ_INDEX))
		uvfio_pci_intx_disable(vpdev);
	else if (!uvfio_pci_irq_none(vpdev))
		uvfio_pci_msi_disable(vpdev, uvfio_pci_irq_is(vpdev,
					VFIO_PCI_MSIX_IRQ_INDEX));
	vpdev->virq_disabled = false;
	uvfio_pci_replace_eventfd(&vpdev->err_trigger, NULL);
	uvfio_pci_replace_eventfd(&vpdev->req_trigger, NULL);
	mutex_unlock(&vpdev->igate);
}

/**
 * uvfio_pci_signal_single() - signal ERR or REQ, if the user set it
 * @vpdev: the device
 * @index: VFIO_PCI_ERR_IRQ_INDEX or VFIO_PCI_REQ_IRQ_INDEX
 *
 * Return: true when there was an eventfd to signal.
 */
bool uvfio_pci_signal_single(struct uvfio_pci_device *vpdev, u32 index)
{
	struct eventfd_ctx *trigger;

	mutex_lock(&vpdev->igate);
	trigger = index == VFIO_PCI_ERR_IRQ_INDEX ? vpdev->err_trigger :
						     vpdev->req_trigger;
	if (trigger)
		eventfd_signal(trigger);
	mutex_unlock(&vpdev->igate);
	return trigger;
}
