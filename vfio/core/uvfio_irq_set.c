// SPDX-License-Identifier: GPL-2.0-only
/*
 * The header of VFIO_DEVICE_SET_IRQS, checked the same way for every bus
 * driver: what the flags say about the data that follows, and the vector
 * range against what the index offers.
 */
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/vfio.h>

#include "uvfio.h"

/**
 * uvfio_irq_set_data() - check a VFIO_DEVICE_SET_IRQS header, fetch its data
 * @arg: the user's struct vfio_irq_set
 * @hdr: filled with the header
 * @count_of: the vectors the driver offers for an index below @num_indexes
 * @drvdata: first argument of @count_of
 * @num_indexes: IRQ indexes of the device
 * @data: set to a copy of the data (kfree() it), NULL for DATA_NONE
 *
 * One data type and only known flag bits; start + count within the
 * index's vectors (and not wrapping); argsz holding count elements of
 * the data type.
 *
 * Return: 0, -EFAULT or -EINVAL (-ENOMEM for the copy).
 */
int uvfio_irq_set_data(struct vfio_irq_set __user *arg,
		       struct vfio_irq_set *hdr,
		       u32 (*count_of)(void *drvdata, u32 index),
		       void *drvdata, u32 num_indexes, void **data)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count), size;
	u32 known = VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK;
	u32 max;

	*data = NULL;
	if (copy_from_user(hdr, arg, minsz))
		return -EFAULT;
	if (hdr->argsz < minsz || hdr->index >= num_indexes ||
	    hdr->flags & ~known)
		return -EINVAL;

	/* max - start: a sum of start and count could wrap. */
	max = count_of(drvdata, hdr->index);
	if (hdr->start >= max || hdr->count > max - hdr->start)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(u8);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(s32);
		break;
	default:
		return -EINVAL;
	}
	size *= hdr->count;
	if (hdr->argsz - minsz < size)
		return -EINVAL;
	if (!size)
		return 0;
	*data = memdup_user(arg->data, size);
	if (IS_ERR(*data)) {
		int ret = PTR_ERR(*data);

		*data = NULL;
		return ret;
	}
	return 0;
}
