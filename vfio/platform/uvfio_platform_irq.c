// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml platform: the interrupts of a device fd. IRQ i is the device's
 * i-th interrupt, one vector each. An edge interrupt signals its trigger
 * eventfd; a level one is masked by its handler before it signals
 * (AUTOMASKED), and the user unmasks it once the device is quiet, by
 * SET_IRQS or through an unmask eventfd. The interrupt is requested
 * disabled at open and enabled while a trigger is set; the user's mask is
 * a further disable inside that.
 */
#include <linux/eventfd.h>
#include <linux/irq.h>
#include <linux/slab.h>

#include "uvfio_platform_priv.h"

/* Return: true when this call masked it (it was not masked before). */
static bool vpirq_mask(struct uvfio_platform_irq *irq)
{
	unsigned long flags;
	bool now = false;

	spin_lock_irqsave(&irq->lock, flags);
	if (!irq->masked) {
		disable_irq_nosync(irq->hwirq);
		irq->masked = true;
		now = true;
	}
	spin_unlock_irqrestore(&irq->lock, flags);
	return now;
}

static void vpirq_unmask(struct uvfio_platform_irq *irq)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	if (irq->masked) {
		enable_irq(irq->hwirq);
		irq->masked = false;
	}
	spin_unlock_irqrestore(&irq->lock, flags);
}

static int mask_fired(void *opaque, void *unused)
{
	vpirq_mask(opaque);
	return 0;
}

static int unmask_fired(void *opaque, void *unused)
{
	vpirq_unmask(opaque);
	return 0;
}

static void send(struct uvfio_platform_irq *irq)
{
	if (irq->trigger)
		eventfd_signal(irq->trigger);
}

static irqreturn_t edge_handler(int hwirq, void *data)
{
	send(data);
	return IRQ_HANDLED;
}

/* A level stays asserted until the user has quietened the device. */
static irqreturn_t level_handler(int hwirq, void *data)
{
	struct uvfio_platform_irq *irq = data;

	if (!vpirq_mask(irq))
		return IRQ_NONE;
	send(irq);
	return IRQ_HANDLED;
}

static irq_handler_t handler_of(struct uvfio_platform_irq *irq)
{
	return irq->flags & VFIO_IRQ_INFO_AUTOMASKED ? level_handler :
	       edge_handler;
}

/*
 * MASK and UNMASK: one vector, of a maskable (level) interrupt; by
 * eventfd (a negative fd takes the eventfd away), now, or if the bool
 * says so.
 */
static int set_mask(struct uvfio_platform_irq *irq, u32 flags, u32 start,
		    u32 count, void *data, bool mask)
{
	struct uvfio_virqfd **virqfd = mask ? &irq->mask : &irq->unmask;
	s32 fd;

	if (start || count != 1 || !(irq->flags & VFIO_IRQ_INFO_MASKABLE))
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		fd = *(s32 *)data;
		if (fd < 0) {
			uvfio_virqfd_disable(virqfd);
			return 0;
		}
		return uvfio_virqfd_enable(irq, mask ? mask_fired : unmask_fired,
					   NULL, NULL, virqfd, fd);
	}
	if (flags & VFIO_IRQ_SET_DATA_BOOL && !*(u8 *)data)
		return 0;
	if (mask)
		vpirq_mask(irq);
	else
		vpirq_unmask(irq);
	return 0;
}

/* The old trigger goes first: a bad new fd leaves none, as upstream. */
static int set_trigger_fd(struct uvfio_platform_irq *irq, s32 fd)
{
	struct eventfd_ctx *trigger;

	if (irq->trigger) {
		disable_irq(irq->hwirq);
		eventfd_ctx_put(irq->trigger);
		irq->trigger = NULL;
	}
	if (fd < 0)
		return 0;
	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger))
		return PTR_ERR(trigger);
	irq->trigger = trigger;
	enable_irq(irq->hwirq);
	return 0;
}

/*
 * TRIGGER: count 0 with DATA_NONE takes the trigger away; else one
 * vector: an eventfd to set, or an interrupt to act out now (NONE, or a
 * true bool), as the handler would take it.
 */
static int set_trigger(struct uvfio_platform_irq *irq, u32 flags, u32 start,
		       u32 count, void *data)
{
	if (!count && flags & VFIO_IRQ_SET_DATA_NONE)
		return set_trigger_fd(irq, -1);
	if (start || count != 1)
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD)
		return set_trigger_fd(irq, *(s32 *)data);
	if (flags & VFIO_IRQ_SET_DATA_NONE || *(u8 *)data)
		handler_of(irq)(irq->hwirq, irq);
	return 0;
}

/**
 * uvfio_platform_set_irqs() - VFIO_DEVICE_SET_IRQS once its header passed
 * @vpdev: the device, open
 * @flags: the header's flags (one data type)
 * @index: the IRQ, below num_irqs
 * @start: first vector
 * @count: vectors
 * @data: the data for @count vectors, NULL for DATA_NONE
 *
 * Context: igate held.
 * Return: 0; the interrupt's request_irq() errno; -ENOTTY for no or more
 * than one action; -EINVAL for vectors the action does not take;
 * eventfd errors.
 */
int uvfio_platform_set_irqs(struct uvfio_platform_device *vpdev, u32 flags,
			    u32 index, u32 start, u32 count, void *data)
{
	struct uvfio_platform_irq *irq = &vpdev->irqs[index];

	lockdep_assert_held(&vpdev->igate);
	/* Not requested at open (taken exclusively by another driver?). */
	if (irq->error)
		return irq->error;
	switch (flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_MASK:
		return set_mask(irq, flags, start, count, data, true);
	case VFIO_IRQ_SET_ACTION_UNMASK:
		return set_mask(irq, flags, start, count, data, false);
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		return set_trigger(irq, flags, start, count, data);
	}
	return -ENOTTY;
}

static int vpirq_init(struct uvfio_platform_device *vpdev,
		    struct uvfio_platform_irq *irq, int hwirq)
{
	irq->vpdev = vpdev;
	irq->hwirq = hwirq;
	spin_lock_init(&irq->lock);
	irq->flags = VFIO_IRQ_INFO_EVENTFD;
	if (irq_get_trigger_type(hwirq) & IRQ_TYPE_LEVEL_MASK)
		irq->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	irq->name = kasprintf(GFP_KERNEL_ACCOUNT, "vfio-irq[%d](%s)", hwirq,
			      dev_name(&vpdev->pdev->dev));
	if (!irq->name)
		return -ENOMEM;
	/* Enabled once a trigger is set. */
	irq->error = request_irq(hwirq, handler_of(irq), IRQF_NO_AUTOEN,
				 irq->name, irq);
	if (irq->error) {
		kfree(irq->name);
		irq->name = NULL;
	}
	return 0;
}

static void vpirq_exit(struct uvfio_platform_irq *irq)
{
	uvfio_virqfd_disable(&irq->mask);
	uvfio_virqfd_disable(&irq->unmask);
	if (irq->error)
		return;
	free_irq(irq->hwirq, irq);
	if (irq->trigger)
		eventfd_ctx_put(irq->trigger);
	kfree(irq->name);
}

/**
 * uvfio_platform_irqs_init() - the device's interrupts, requested disabled
 * @vpdev: the device, at its first open
 *
 * An interrupt that cannot be requested is still listed; SET_IRQS on it
 * returns request_irq()'s errno.
 *
 * Return: 0, -ENOMEM, or -EINVAL when an interrupt cannot be resolved.
 */
int uvfio_platform_irqs_init(struct uvfio_platform_device *vpdev)
{
	u32 n = 0, i;
	int hwirq, ret = 0;

	while (platform_get_irq_optional(vpdev->pdev, n) > 0)
		n++;
	vpdev->irqs = kcalloc(n, sizeof(*vpdev->irqs), GFP_KERNEL_ACCOUNT);
	if (!vpdev->irqs)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		hwirq = platform_get_irq_optional(vpdev->pdev, i);
		ret = hwirq > 0 ? vpirq_init(vpdev, &vpdev->irqs[i], hwirq) :
		      -EINVAL;
	}
	if (ret) {
		/* The one that failed has nothing to undo. */
		while (--i)
			vpirq_exit(&vpdev->irqs[i - 1]);
		kfree(vpdev->irqs);
		vpdev->irqs = NULL;
		return ret;
	}
	vpdev->num_irqs = n;
	return 0;
}

/**
 * uvfio_platform_irqs_exit() - undo uvfio_platform_irqs_init()
 * @vpdev: the device, at its last close
 *
 * Context: igate held.
 */
void uvfio_platform_irqs_exit(struct uvfio_platform_device *vpdev)
{
	u32 i;

	lockdep_assert_held(&vpdev->igate);
	for (i = 0; i < vpdev->num_irqs; i++)
		vpirq_exit(&vpdev->irqs[i]);
	kfree(vpdev->irqs);
	vpdev->irqs = NULL;
	vpdev->num_irqs = 0;
}
