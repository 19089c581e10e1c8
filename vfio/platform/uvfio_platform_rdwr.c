// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml platform: the regions of a device fd. Region i is the device's
 * i-th memory or I/O resource; its registers are read and written through
 * the device fd at the region's offset, in the widest naturally aligned
 * accesses that fit, and a region that is whole pages of memory can be
 * mapped. I/O resources are listed and cannot be accessed, as upstream.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_platform_priv.h"

static struct uvfio_platform_device *to_vpdev(struct uvfio_device *vdev)
{
	return container_of(vdev, struct uvfio_platform_device, vdev);
}

/*
 * Only whole pages can be mapped, and only pages of memory: a register
 * window is reached through its accessors and has no page behind it.
 */
static bool region_mappable(const struct resource *res)
{
	return PAGE_ALIGNED(res->start) && PAGE_ALIGNED(resource_size(res)) &&
	       resource_size(res) &&
	       pfn_valid(PHYS_PFN(res->start)) && pfn_valid(PHYS_PFN(res->end));
}

static int region_init(struct uvfio_platform_region *r,
		       const struct resource *res)
{
	r->addr = res->start;
	r->size = resource_size(res);
	if (resource_type(res) == IORESOURCE_IO)
		return 0;
	if (resource_type(res) != IORESOURCE_MEM)
		return -EINVAL;
	r->mmio = true;
	r->flags = VFIO_REGION_INFO_FLAG_READ;
	if (!(res->flags & IORESOURCE_READONLY))
		r->flags |= VFIO_REGION_INFO_FLAG_WRITE;
	if (region_mappable(res))
		r->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	r->ioaddr = ioremap(r->addr, r->size);
	return r->ioaddr ? 0 : -ENOMEM;
}

/**
 * uvfio_platform_regions_init() - the device's resources as regions
 * @vpdev: the device, at its first open
 *
 * Return: 0, -ENOMEM, or -EINVAL for a resource that is neither memory
 * nor I/O.
 */
int uvfio_platform_regions_init(struct uvfio_platform_device *vpdev)
{
	struct resource *res;
	u32 n = 0, i;
	int ret;

	while (platform_get_mem_or_io(vpdev->pdev, n))
		n++;
	vpdev->regions = kcalloc(n, sizeof(*vpdev->regions),
				 GFP_KERNEL_ACCOUNT);
	if (!vpdev->regions)
		return -ENOMEM;
	vpdev->num_regions = n;
	for (i = 0; i < n; i++) {
		res = platform_get_mem_or_io(vpdev->pdev, i);
		ret = region_init(&vpdev->regions[i], res);
		if (ret) {
			uvfio_platform_regions_exit(vpdev);
			return ret;
		}
	}
	return 0;
}

/**
 * uvfio_platform_regions_exit() - undo uvfio_platform_regions_init()
 * @vpdev: the device, at its last close
 */
void uvfio_platform_regions_exit(struct uvfio_platform_device *vpdev)
{
	u32 i;

	for (i = 0; i < vpdev->num_regions; i++)
		if (vpdev->regions[i].ioaddr)
			iounmap(vpdev->regions[i].ioaddr);
	kfree(vpdev->regions);
	vpdev->regions = NULL;
	vpdev->num_regions = 0;
}

/* The widest access that @off's alignment and @left allow. */
static size_t access_width(u64 off, size_t left)
{
	if (left >= 4 && !(off & 3))
		return 4;
	if (left >= 2 && !(off & 1))
		return 2;
	return 1;
}

static void mmio_read(void __iomem *io, size_t width, void *val)
{
	if (width == 4)
		*(u32 *)val = ioread32(io);
	else if (width == 2)
		*(u16 *)val = ioread16(io);
	else
		*(u8 *)val = ioread8(io);
}

static void mmio_write(void __iomem *io, size_t width, const void *val)
{
	if (width == 4)
		iowrite32(*(const u32 *)val, io);
	else if (width == 2)
		iowrite16(*(const u16 *)val, io);
	else
		iowrite8(*(const u8 *)val, io);
}

static ssize_t region_rw(struct uvfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos, bool iswrite)
{
	struct uvfio_platform_device *vpdev = to_vpdev(vdev);
	u64 index = uvfio_platform_offset_to_index(*ppos);
	u64 off = *ppos & UVFIO_PLATFORM_OFFSET_MASK;
	u32 need = iswrite ? VFIO_REGION_INFO_FLAG_WRITE :
		   VFIO_REGION_INFO_FLAG_READ;
	struct uvfio_platform_region *r;
	size_t done = 0;

	if (index >= vpdev->num_regions)
		return -EINVAL;
	r = &vpdev->regions[index];
	if (!(r->flags & need) || !r->mmio || off >= r->size)
		return -EINVAL;
	count = min_t(u64, count, r->size - off);

	while (done < count) {
		size_t width = access_width(off + done, count - done);
		u32 val = 0;

		if (iswrite) {
			if (copy_from_user(&val, buf + done, width))
				return -EFAULT;
			mmio_write(r->ioaddr + off + done, width, &val);
		} else {
			mmio_read(r->ioaddr + off + done, width, &val);
			if (copy_to_user(buf + done, &val, width))
				return -EFAULT;
		}
		done += width;
	}
	return done;
}

/**
 * uvfio_platform_read() - read(2) of a region's registers
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes asked, cut at the region's end
 * @ppos: file offset: region index and offset in it
 *
 * Return: bytes read; -EINVAL for an unknown or unreadable region or an
 * offset past its end; -EFAULT for @buf (what was read before stays read).
 */
ssize_t uvfio_platform_read(struct uvfio_device *vdev, char __user *buf,
			    size_t count, loff_t *ppos)
{
	return region_rw(vdev, buf, count, ppos, false);
}

/**
 * uvfio_platform_write() - write(2) of a region's registers
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes given, cut at the region's end
 * @ppos: file offset: region index and offset in it
 *
 * Return: bytes written, or as uvfio_platform_read().
 */
ssize_t uvfio_platform_write(struct uvfio_device *vdev,
			     const char __user *buf, size_t count,
			     loff_t *ppos)
{
	return region_rw(vdev, (char __user *)buf, count, ppos, true);
}

/**
 * uvfio_platform_mmap() - map pages of a region
 * @vdev: the device
 * @vma: a shared mapping; its page offset encodes the region index and
 *	the offset in the region
 *
 * Return: 0 or -EINVAL: unknown region, not mappable, not shared, a
 * protection the region does not allow, or a range past its end.
 */
int uvfio_platform_mmap(struct uvfio_device *vdev, struct vm_area_struct *vma)
{
	struct uvfio_platform_device *vpdev = to_vpdev(vdev);
	u64 index = vma->vm_pgoff >> (UVFIO_PLATFORM_OFFSET_SHIFT - PAGE_SHIFT);
	u64 pgoff = vma->vm_pgoff &
		    (UVFIO_PLATFORM_OFFSET_MASK >> PAGE_SHIFT);
	u64 len = vma->vm_end - vma->vm_start;
	struct uvfio_platform_region *r;

	if (index >= vpdev->num_regions || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	r = &vpdev->regions[index];
	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -EINVAL;
	if ((vma->vm_flags & VM_READ && !(r->flags & VFIO_REGION_INFO_FLAG_READ)) ||
	    (vma->vm_flags & VM_WRITE &&
	     !(r->flags & VFIO_REGION_INFO_FLAG_WRITE)))
		return -EINVAL;
	if (pgoff > r->size >> PAGE_SHIFT ||
	    len > r->size - (pgoff << PAGE_SHIFT))
		return -EINVAL;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start,
			       PHYS_PFN(r->addr) + pgoff, len,
			       vma->vm_page_prot);
}
