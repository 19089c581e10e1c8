// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: read and write of BARs and the expansion ROM through the
 * device fd. An access is cut into the widest naturally aligned pieces
 * (8, 4, 2, 1 bytes) so that a register sees the access size userspace
 * asked for; the MSI-X table, which the host owns, reads as all ones and
 * drops writes; and memory BARs answer -EIO while the user's memory enable
 * is off or the function is not in D0.
 */
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/log2.h>
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "uvfio_pci_priv.h"

/**
 * uvfio_pci_io() - one access of a BAR
 * @io: where
 * @val: the value to write, or where the value read goes
 * @width: 1, 2, 4 or 8 bytes
 * @iswrite: a write
 *
 * Context: memory_lock held for a memory BAR, decode checked.
 */
void uvfio_pci_io(void __iomem *io, void *val, unsigned int width,
		  bool iswrite)
{
	switch (width) {
	case 8:
		if (iswrite)
			iowrite64(*(u64 *)val, io);
		else
			*(u64 *)val = ioread64(io);
		break;
	case 4:
		if (iswrite)
			iowrite32(*(u32 *)val, io);
		else
			*(u32 *)val = ioread32(io);
		break;
	case 2:
		if (iswrite)
			iowrite16(*(u16 *)val, io);
		else
			*(u16 *)val = ioread16(io);
		break;
	default:
		if (iswrite)
			iowrite8(*(u8 *)val, io);
		else
			*(u8 *)val = ioread8(io);
	}
}

/**
 * uvfio_pci_io_width() - the widest aligned access at an offset
 * @off: where the access starts
 * @avail: bytes left to access, not 0
 * @max: the widest access allowed, a power of two
 *
 * Return: a power of two no larger than @max or @avail that divides @off.
 */
unsigned int uvfio_pci_io_width(loff_t off, size_t avail, unsigned int max)
{
	unsigned int width = min_t(size_t, max, rounddown_pow_of_two(avail));

	/* Aligned: no wider than the lowest bit set in the offset. */
	if (off)
		width = min_t(unsigned int, width, 1U << __ffs64(off));
	return width;
}

static int uvfio_pci_io_chunk(struct uvfio_pci_device *vpdev, bool test_mem,
			      void __iomem *io, char __user *buf,
			      unsigned int width, bool iswrite)
{
	u64 val = 0;
	int ret = 0;

	if (iswrite && copy_from_user(&val, buf, width))
		return -EFAULT;
	if (test_mem) {
		down_read(&vpdev->memory_lock);
		if (!uvfio_pci_memory_enabled(vpdev))
			ret = -EIO;
	}
	if (!ret)
		uvfio_pci_io(io, &val, width, iswrite);
	if (test_mem)
		up_read(&vpdev->memory_lock);
	if (!ret && !iswrite && copy_to_user(buf, &val, width))
		ret = -EFAULT;
	return ret;
}

/*
 * [@x_start, @x_end) of the region is not the user's: reads fill all
 * ones, writes are dropped. Returns the bytes done or an errno when the
 * first piece fails; a later failure ends the access with its errno too,
 * as upstream does.
 */
static ssize_t uvfio_pci_do_io_rw(struct uvfio_pci_device *vpdev,
				  bool test_mem, void __iomem *io,
				  char __user *buf, loff_t off, size_t count,
				  size_t x_start, size_t x_end, bool iswrite,
				  unsigned int max_width)
{
	static const u8 ones[8] = { 0xff, 0xff, 0xff, 0xff,
				    0xff, 0xff, 0xff, 0xff };
	ssize_t done = 0;
	int ret;

	while (count) {
		size_t n;

		/*
		 * @x_start is 8-byte aligned (an MSI-X table's offset, a ROM
		 * image's size): no aligned piece before it reaches past it.
		 */
		if (off < x_start || off >= x_end) {
			n = uvfio_pci_io_width(off, count, max_width);
			ret = uvfio_pci_io_chunk(vpdev, test_mem, io + off,
						 buf, n, iswrite);
			if (ret)
				return ret;
		} else {
			n = min_t(size_t, count, x_end - off);
			if (!iswrite) {
				size_t i, len;

				for (i = 0; i != n; i += len) {
					len = min(n - i, sizeof(ones));
					if (copy_to_user(buf + i, ones, len))
						return -EFAULT;
				}
			}
		}
		count -= n;
		done += n;
		off += n;
		buf += n;
	}
	return done;
}

/**
 * uvfio_pci_setup_barmap() - claim and map a BAR for the kernel's accesses
 * @vpdev: an open device
 * @bar: BAR 0-5
 *
 * Return: 0, also when it was mapped before; -EBUSY when another driver
 * holds the BAR's resource; -ENOMEM when it cannot be mapped.
 */
int uvfio_pci_setup_barmap(struct uvfio_pci_device *vpdev, int bar)
{
	struct pci_dev *pdev = vpdev->pdev;
	void __iomem *io;
	int ret;

	if (vpdev->barmap[bar])
		return 0;
	ret = pci_request_selected_regions(pdev, BIT(bar), "vfio-pci");
	if (ret)
		return ret;
	io = pci_iomap(pdev, bar, 0);
	if (!io) {
		pci_release_selected_regions(pdev, BIT(bar));
		return -ENOMEM;
	}
	vpdev->barmap[bar] = io;
	return 0;
}

/**
 * uvfio_pci_release_barmaps() - undo every uvfio_pci_setup_barmap()
 * @vpdev: a device being closed
 */
void uvfio_pci_release_barmaps(struct uvfio_pci_device *vpdev)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!vpdev->barmap[bar])
			continue;
		pci_iounmap(vpdev->pdev, vpdev->barmap[bar]);
		pci_release_selected_regions(vpdev->pdev, BIT(bar));
		vpdev->barmap[bar] = NULL;
	}
}

/**
 * uvfio_pci_bar_rw() - read or write a BAR or the ROM at a file offset
 * @vpdev: an open device
 * @buf: user buffer
 * @count: bytes asked for; cut at the end of the region
 * @ppos: file offset (region index and offset), advanced by what was done
 * @iswrite: write instead of read (never for the ROM)
 *
 * Return: bytes done; -EINVAL for a BAR the host did not assign or an
 * offset at or past its end; -EIO while memory decode is off; -ENOMEM
 * when the ROM has no valid image; -EFAULT.
 */
ssize_t uvfio_pci_bar_rw(struct uvfio_pci_device *vpdev, char __user *buf,
			 size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = vpdev->pdev;
	int bar = uvfio_pci_offset_to_index(*ppos);
	loff_t pos = uvfio_pci_offset_in_region(*ppos);
	struct resource *res = &pdev->resource[bar];
	unsigned int max_width = 8;
	size_t x_start = 0, x_end = 0;
	void __iomem *io;
	resource_size_t end;
	ssize_t done;

	if (pci_resource_start(pdev, bar))
		end = pci_resource_len(pdev, bar);
	else if (bar == UVFIO_PCI_ROM_BAR &&
		 res->flags & IORESOURCE_ROM_SHADOW)
		end = SZ_128K;
	else
		return -EINVAL;
	if (pos >= end)
		return -EINVAL;
	count = min_t(size_t, count, end - pos);

	if (bar == UVFIO_PCI_ROM_BAR) {
		/* Mapped (and its decode enabled) only for this access. */
		io = pci_map_rom(pdev, &x_start);
		if (!io)
			return -ENOMEM;
		x_end = end;
		/* Some ROMs fail quadword reads; dwords always worked. */
		max_width = 4;
	} else {
		done = uvfio_pci_setup_barmap(vpdev, bar);
		if (done)
			return done;
		io = vpdev->barmap[bar];
	}
	if (bar == vpdev->msix_bar) {
		x_start = vpdev->msix_offset;
		x_end = vpdev->msix_offset + vpdev->msix_size;
	}

	done = uvfio_pci_do_io_rw(vpdev, res->flags & IORESOURCE_MEM, io, buf,
				  pos, count, x_start, x_end, iswrite,
				  max_width);
	if (done >= 0)
		*ppos += done;
	if (bar == UVFIO_PCI_ROM_BAR)
		pci_unmap_rom(pdev, io);
	return done;
}
