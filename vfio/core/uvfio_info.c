// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capability chains of the *_GET_INFO ioctls: a list of
 * struct vfio_info_cap_header placed after the info structure, each
 * header's @next the offset of the following one from the start of the
 * info structure (0 ends the chain). A caller whose argsz is too small for
 * the chain gets argsz raised to what it needs and no chain.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/vfio.h>

#include "uvfio.h"

/**
 * uvfio_info_cap_add() - append a capability to a chain being built
 * @caps: the chain, zero-initialised before the first call
 * @size: bytes of the capability, its header included
 * @id: VFIO_*_CAP_* of the capability
 * @version: its version
 *
 * Each capability starts 8-byte aligned. The caller fills in the fields
 * after the header.
 *
 * Return: the new header, or ERR_PTR(-ENOMEM) (the chain is then freed).
 */
struct vfio_info_cap_header *uvfio_info_cap_add(struct uvfio_info_cap *caps,
						size_t size, u16 id,
						u16 version)
{
	struct vfio_info_cap_header *hdr, *last;
	size_t offset = ALIGN(caps->size, 8);
	void *buf;

	buf = krealloc(caps->buf, offset + size, GFP_KERNEL | __GFP_ZERO);
	if (!buf) {
		uvfio_info_cap_free(caps);
		return ERR_PTR(-ENOMEM);
	}
	if (caps->size) {
		for (last = buf; last->next; last = buf + last->next)
			;
		last->next = offset;
	}
	caps->buf = buf;
	caps->size = offset + size;
	hdr = buf + offset;
	hdr->id = id;
	hdr->version = version;
	hdr->next = 0;
	return hdr;
}
EXPORT_SYMBOL_GPL(uvfio_info_cap_add);

/**
 * uvfio_info_cap_free() - drop a chain
 * @caps: the chain
 */
void uvfio_info_cap_free(struct uvfio_info_cap *caps)
{
	kfree(caps->buf);
	caps->buf = NULL;
	caps->size = 0;
}
EXPORT_SYMBOL_GPL(uvfio_info_cap_free);

/**
 * uvfio_info_cap_copy() - place a chain after an info structure
 * @caps: the chain (may be empty); freed here
 * @arg: the caller's info structure
 * @info_size: sizeof the info structure: where the chain goes
 * @argsz: the info's argsz, raised when too small for the chain
 * @cap_offset: the info's cap_offset, set when the chain was copied
 *
 * The caller copies the info structure itself afterwards, and sets its
 * *_FLAG_CAPS when @caps->size was not 0.
 *
 * Return: 0, or -EFAULT.
 */
int uvfio_info_cap_copy(struct uvfio_info_cap *caps, void __user *arg,
			size_t info_size, u32 *argsz, u32 *cap_offset)
{
	struct vfio_info_cap_header *hdr;
	int ret = 0;

	if (!caps->size)
		return 0;
	if (*argsz < info_size + caps->size) {
		*argsz = info_size + caps->size;
		goto out;
	}
	/* Offsets so far are from the chain's start, now from the info's. */
	for (hdr = caps->buf; ; hdr = caps->buf + hdr->next - info_size) {
		if (!hdr->next)
			break;
		hdr->next += info_size;
	}
	if (copy_to_user(arg + info_size, caps->buf, caps->size))
		ret = -EFAULT;
	else
		*cap_offset = info_size;
out:
	uvfio_info_cap_free(caps);
	return ret;
}
EXPORT_SYMBOL_GPL(uvfio_info_cap_copy);
