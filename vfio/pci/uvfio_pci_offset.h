/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Region offset encoding of the vfio-uml PCI device file.
 *
 * A device fd is one file whose offset space is cut into regions, as in the
 * original device-fd layout: VFIO_DEVICE_GET_REGION_INFO reports for each
 * region index the file offset at which the region starts, and read, write
 * and mmap on that offset reach the region. Like upstream vfio-pci, the
 * index lives in the bits above UVFIO_PCI_OFFSET_SHIFT and the offset within
 * the region below them, so every region can be up to 1 TiB long and
 * 2^24 indexes fit in a 64-bit file offset.
 */
#ifndef UVFIO_PCI_OFFSET_H
#define UVFIO_PCI_OFFSET_H

#include <linux/bits.h>
#include <linux/types.h>

#define UVFIO_PCI_OFFSET_SHIFT	40
#define UVFIO_PCI_OFFSET_MASK	GENMASK_ULL(UVFIO_PCI_OFFSET_SHIFT - 1, 0)
/* Indexes at or above this do not fit into a 64-bit file offset. */
#define UVFIO_PCI_MAX_REGIONS	(1U << (64 - UVFIO_PCI_OFFSET_SHIFT))

/**
 * uvfio_pci_index_to_offset() - file offset at which a region starts
 * @index: region index, below %UVFIO_PCI_MAX_REGIONS
 *
 * Return: the file offset of byte 0 of region @index.
 */
static inline u64 uvfio_pci_index_to_offset(u32 index)
{
	return (u64)index << UVFIO_PCI_OFFSET_SHIFT;
}

/**
 * uvfio_pci_offset_to_index() - region index a file offset falls in
 * @off: file offset
 *
 * Return: the region index encoded in @off.
 */
static inline u32 uvfio_pci_offset_to_index(u64 off)
{
	return off >> UVFIO_PCI_OFFSET_SHIFT;
}

/**
 * uvfio_pci_offset_in_region() - offset of a file offset within its region
 * @off: file offset
 *
 * Return: @off without its region index bits.
 */
static inline u64 uvfio_pci_offset_in_region(u64 off)
{
	return off & UVFIO_PCI_OFFSET_MASK;
}

/**
 * uvfio_pci_range_in_region() - check that an access stays inside a region
 * @off: file offset of the first byte accessed
 * @count: number of bytes accessed
 * @index: region the access must stay in
 * @size: size of region @index in bytes
 *
 * The test is written so that no sum is formed: @off + @count may wrap a
 * u64 when userspace passes a huge count, and must not pass for it.
 *
 * Return: true if every byte of [@off, @off + @count) lies in region @index
 * and below @size; false for an empty access, another region, or a range
 * that runs past the end of the region.
 */
static inline bool uvfio_pci_range_in_region(u64 off, u64 count, u32 index,
					     u64 size)
{
	u64 pos = uvfio_pci_offset_in_region(off);

	if (!count || uvfio_pci_offset_to_index(off) != index)
		return false;
	return count <= size && pos <= size - count;
}

#endif /* UVFIO_PCI_OFFSET_H */
