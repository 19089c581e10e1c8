// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of vfio-platform through its device fds, on the simulated
 * platform's devices: what GET_INFO, GET_REGION_INFO and GET_IRQ_INFO
 * report for each device of the tree (region i its i-th reg entry, IRQ i
 * its i-th interrupt), region access at the reported offsets, mmap of the
 * RAM window, SET_IRQS for level (automasked, unmask by eventfd) and edge
 * interrupts, reset by compatible string, and every error of the uAPI.
 */
#include <kunit/test.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/mman.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/syscalls.h>
#include <uapi/linux/vfio.h>

#include "iommu/uvfio_type1.h"
#include "platform/uvfio_platform_priv.h"
#include "sim_helpers.h"
#include "uvfio_pci_helpers.h"
#include "sim/simplat.h"
#include "sim/simplat_models.h"

#define DMA_LOCAL_SIZE	0x10000
#define IOVA_BUF	0x100000ULL

/**
 * struct vpl - a platform device opened through vfio-platform
 * @v: its files (@v.pdev is NULL), for the vp_* helpers
 * @pdev: the device
 * @sdev: the simulated device behind it
 */
struct vpl {
	struct vp v;
	struct platform_device *pdev;
	struct simplat_dev *sdev;
};

static void restore_unsafe(void *old)
{
	uvfio_type1_allow_unsafe_interrupts = old;
}

/*
 * Bound to vfio-platform, its group in a type1 container, its fd open.
 * The devices signal by wire, not by isolated MSI: type1 takes them only
 * with allow_unsafe_interrupts, as on boards without an MSI controller.
 */
static struct vpl *vpl_open(struct kunit *test, const char *compatible)
{
	struct vpl *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	long err;

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->v.fx = uvfio_fx(test);
	p->pdev = sim_plat_device(test, compatible);
	p->sdev = simplat_dev_find(p->pdev->dev.of_node);
	KUNIT_ASSERT_NOT_NULL(test, p->sdev);
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind_dev(test, &p->pdev->dev,
						"vfio-platform"));
	p->v.container = uvfio_open_container(p->v.fx);
	p->v.group = uvfio_open_group(p->v.fx,
				      uvfio_dev_group_id(test, &p->pdev->dev));
	KUNIT_ASSERT_EQ(test, 0, uvfio_set_container(p->v.fx, p->v.group,
						     p->v.container));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			restore_unsafe,
			(void *)uvfio_type1_allow_unsafe_interrupts));
	uvfio_type1_allow_unsafe_interrupts = false;
	KUNIT_ASSERT_EQ(test, -EPERM, uvfio_ioctl(p->v.container,
						  VFIO_SET_IOMMU,
						  VFIO_TYPE1v2_IOMMU));
	uvfio_type1_allow_unsafe_interrupts = true;
	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl(p->v.container, VFIO_SET_IOMMU,
					     VFIO_TYPE1v2_IOMMU));
	p->v.device = uvfio_get_device(p->v.fx, p->v.group,
				       dev_name(&p->pdev->dev), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	return p;
}

static long vpl_ioctl(struct vpl *p, unsigned int cmd, void *arg,
		      size_t size)
{
	return uvfio_ioctl_user(p->v.fx, p->v.device, cmd, arg, size);
}

static struct vfio_region_info vpl_region(struct vpl *p, u32 index)
{
	struct vfio_region_info info = { .argsz = sizeof(info),
					 .index = index };

	KUNIT_ASSERT_EQ(p->v.fx->test, 0,
			vpl_ioctl(p, VFIO_DEVICE_GET_REGION_INFO, &info,
				  sizeof(info)));
	return info;
}

/* read(2) or write(2) of region @index at @off, by its reported offset. */
static ssize_t vpl_rw(struct vpl *p, u32 index, u64 off, void *buf,
		      size_t count, bool write)
{
	struct kunit *test = p->v.fx->test;
	loff_t pos = vpl_region(p, index).offset + off;
	struct file *f = p->v.device;
	ssize_t ret;

	KUNIT_ASSERT_LE(test, count, PAGE_SIZE);
	if (write) {
		KUNIT_ASSERT_EQ(test, 0, copy_to_user(p->v.fx->user, buf, count));
		return f->f_op->write(f, p->v.fx->user, count, &pos);
	}
	KUNIT_ASSERT_EQ(test, 0, clear_user(p->v.fx->user, count));
	ret = f->f_op->read(f, p->v.fx->user, count, &pos);
	if (ret > 0)
		KUNIT_ASSERT_EQ(test, 0, copy_from_user(buf, p->v.fx->user, ret));
	return ret;
}

static u32 vpl_read32(struct vpl *p, u32 index, u64 off)
{
	u32 val = 0;

	KUNIT_EXPECT_EQ(p->v.fx->test, vpl_rw(p, index, off, &val, 4, false),
			4);
	return val;
}

static void vpl_write32(struct vpl *p, u32 index, u64 off, u32 val)
{
	KUNIT_EXPECT_EQ(p->v.fx->test, vpl_rw(p, index, off, &val, 4, true),
			4);
}

struct vpl_node_case {
	const char *compatible;
	u32 num_regions;
	u64 size[2];
	u32 region_flags[2];
	u32 num_irqs;
	u32 irq_flags[2];
};

#define RW	(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)
#define LEVEL	(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | \
		 VFIO_IRQ_INFO_AUTOMASKED)
#define EDGE	VFIO_IRQ_INFO_EVENTFD

static const struct vpl_node_case vpl_node_cases[] = {
	{ "uvfio-sim,dma", 2, { 0x100, DMA_LOCAL_SIZE },
	  { RW, RW | VFIO_REGION_INFO_FLAG_MMAP }, 2, { LEVEL, EDGE } },
	{ "uvfio-sim,regs", 1, { SIMPLAT_REGS_SIZE }, { RW }, 1, { EDGE } },
};

static void vpl_node_desc(const struct vpl_node_case *c, char *desc)
{
	strscpy(desc, c->compatible, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vpl_node, vpl_node_cases, vpl_node_desc);

/*
 * The RFC's dtpath/dtindex, answered as Linux does: the device fd's
 * region i is the i-th reg entry of the device's of_node, IRQ i its i-th
 * interrupt, with the flags of its kind.
 */
static void uvfio_platform_info(struct kunit *test)
{
	const struct vpl_node_case *c = test->param_value;
	struct vpl *p = vpl_open(test, c->compatible);
	struct device_node *np = p->pdev->dev.of_node;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq;
	struct vfio_region_info r;
	struct resource res;
	u32 i;

	KUNIT_ASSERT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_INFO, &info,
					   sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.flags,
			VFIO_DEVICE_FLAGS_PLATFORM | VFIO_DEVICE_FLAGS_RESET);
	KUNIT_EXPECT_EQ(test, info.num_regions, c->num_regions);
	KUNIT_EXPECT_EQ(test, info.num_irqs, c->num_irqs);
	KUNIT_EXPECT_EQ(test, info.num_regions, of_address_count(np));
	KUNIT_EXPECT_EQ(test, info.num_irqs, of_irq_count(np));

	for (i = 0; i < c->num_regions; i++) {
		r = vpl_region(p, i);
		KUNIT_ASSERT_EQ(test, 0, of_address_to_resource(np, i, &res));
		KUNIT_EXPECT_EQ(test, r.size, resource_size(&res));
		KUNIT_EXPECT_EQ(test, r.size, c->size[i]);
		KUNIT_EXPECT_EQ(test, r.flags, c->region_flags[i]);
		KUNIT_EXPECT_EQ(test, r.offset, (u64)i << 40);
		KUNIT_EXPECT_EQ(test, r.cap_offset, 0);
	}
	for (i = 0; i < c->num_irqs; i++) {
		irq = (struct vfio_irq_info){ .argsz = sizeof(irq), .index = i };
		KUNIT_ASSERT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_IRQ_INFO,
						   &irq, sizeof(irq)));
		KUNIT_EXPECT_EQ(test, irq.flags, c->irq_flags[i]);
		KUNIT_EXPECT_EQ(test, irq.count, 1);
		KUNIT_EXPECT_EQ(test, platform_get_irq(p->pdev, i),
				of_irq_get(np, i));
	}
}

struct vpl_info_err_case {
	const char *name;
	unsigned int cmd;
	u32 argsz;
	u32 index;
	int err;
};

static const struct vpl_info_err_case vpl_info_err_cases[] = {
	{ "GET_INFO argsz short", VFIO_DEVICE_GET_INFO,
	  offsetofend(struct vfio_device_info, num_irqs) - 1, 0, -EINVAL },
	{ "GET_REGION_INFO argsz short", VFIO_DEVICE_GET_REGION_INFO,
	  offsetofend(struct vfio_region_info, offset) - 1, 0, -EINVAL },
	{ "GET_REGION_INFO index past", VFIO_DEVICE_GET_REGION_INFO,
	  sizeof(struct vfio_region_info), 2, -EINVAL },
	{ "GET_REGION_INFO index huge", VFIO_DEVICE_GET_REGION_INFO,
	  sizeof(struct vfio_region_info), U32_MAX, -EINVAL },
	{ "GET_IRQ_INFO argsz short", VFIO_DEVICE_GET_IRQ_INFO,
	  offsetofend(struct vfio_irq_info, count) - 1, 0, -EINVAL },
	{ "GET_IRQ_INFO index past", VFIO_DEVICE_GET_IRQ_INFO,
	  sizeof(struct vfio_irq_info), 2, -EINVAL },
	{ "PCI hot reset info", VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
	  sizeof(struct vfio_pci_hot_reset_info), 0, -ENOTTY },
	{ "ioeventfd", VFIO_DEVICE_IOEVENTFD,
	  sizeof(struct vfio_device_ioeventfd), 0, -ENOTTY },
	{ "unknown", _IO(VFIO_TYPE, VFIO_BASE + 60), 16, 0, -ENOTTY },
};

KUNIT_ARRAY_PARAM_DESC(vpl_info_err, vpl_info_err_cases, name);

/* Each refused info call: the errno, and nothing written back. */
static void uvfio_platform_info_errors(struct kunit *test)
{
	const struct vpl_info_err_case *c = test->param_value;
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	u32 arg[8] = { c->argsz, 0xa5a5a5a5, c->index, 0xa5a5a5a5,
		       0xa5a5a5a5, 0xa5a5a5a5, 0xa5a5a5a5, 0xa5a5a5a5 };
	u32 back[8];

	KUNIT_ASSERT_EQ(test, 0, copy_to_user(p->v.fx->user, arg,
					      sizeof(arg)));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(p->v.device, c->cmd,
					  (unsigned long)p->v.fx->user),
			c->err);
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(back, p->v.fx->user,
						sizeof(back)));
	KUNIT_EXPECT_MEMEQ(test, back, arg, sizeof(arg));
}

/*
 * Opens and closes in a row: each close gives back what the open took
 * (UML maps at most 128 I/O windows at once).
 */
static void uvfio_platform_reopen(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	long err;
	int i;

	for (i = 0; i < 150; i++) {
		uvfio_close(p->v.fx, p->v.device);
		p->v.device = uvfio_get_device(p->v.fx, p->v.group,
					       dev_name(&p->pdev->dev), &err);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "open %d", i);
	}
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_ID),
			SIMPLAT_DMA_ID_VALUE);
}

/* An argument the kernel cannot read, or cannot write back: -EFAULT. */
static void uvfio_platform_info_fault(struct kunit *test)
{
	static const unsigned int cmds[] = {
		VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
		VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_SET_IRQS,
	};
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	unsigned long ro;
	int i;

	ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ro));
	KUNIT_ASSERT_EQ(test, 0, put_user(64, (u32 __user *)ro));
	KUNIT_ASSERT_EQ(test, 0, sys_mprotect(ro, PAGE_SIZE, PROT_READ));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		KUNIT_EXPECT_EQ_MSG(test, uvfio_ioctl(p->v.device, cmds[i], 0),
				    -EFAULT, "cmd %#x", cmds[i]);
		/* SET_IRQS writes nothing back. */
		if (cmds[i] != VFIO_DEVICE_SET_IRQS)
			KUNIT_EXPECT_EQ_MSG(test, uvfio_ioctl(p->v.device,
							      cmds[i], ro),
					    -EFAULT, "cmd %#x", cmds[i]);
	}
}

/*
 * The info structures are written up to their last field, no further:
 * GET_INFO's cap_offset stays what the caller left there.
 */
static void uvfio_platform_info_extent(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,regs");
	struct vfio_device_info info = { .argsz = sizeof(info),
					 .cap_offset = 0x5a5a };
	struct vfio_region_info r = { .argsz = sizeof(r) + 8, .cap_offset = 7 };

	KUNIT_ASSERT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_INFO, &info,
					   sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.cap_offset, 0x5a5a);
	KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info));
	/* Up to num_irqs is enough. */
	info.argsz = offsetofend(struct vfio_device_info, num_irqs);
	KUNIT_EXPECT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_INFO, &info,
					   sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.num_regions, 1);
	KUNIT_ASSERT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_REGION_INFO, &r,
					   sizeof(r)));
	KUNIT_EXPECT_EQ(test, r.cap_offset, 7);
	KUNIT_EXPECT_EQ(test, r.argsz, sizeof(r) + 8);
	KUNIT_EXPECT_EQ(test, r.size, SIMPLAT_REGS_SIZE);
}

/*
 * Registers through the device fd: widest aligned accesses, a count cut
 * at the region's end, and reads and writes that reach the device.
 */
static void uvfio_platform_region_access(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	size_t size;
	u8 buf[16];
	u32 val;

	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_ID),
			SIMPLAT_DMA_ID_VALUE);
	vpl_write32(p, 0, SIMPLAT_DMA_SCRATCH, 0x11223344);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_SCRATCH),
			0x11223344);
	/* Two bytes at an odd offset: byte accesses. */
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, SIMPLAT_DMA_ID + 1, buf, 2, false),
			2);
	KUNIT_EXPECT_EQ(test, buf[0], (SIMPLAT_DMA_ID_VALUE >> 8) & 0xff);
	KUNIT_EXPECT_EQ(test, buf[1], (SIMPLAT_DMA_ID_VALUE >> 16) & 0xff);
	/* Four at an odd offset: a byte, a word, a byte (of the next one). */
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, SIMPLAT_DMA_ID + 1, buf, 4, false),
			4);
	KUNIT_EXPECT_EQ(test, buf[0], (SIMPLAT_DMA_ID_VALUE >> 8) & 0xff);
	KUNIT_EXPECT_EQ(test, buf[2], SIMPLAT_DMA_ID_VALUE >> 24);
	KUNIT_EXPECT_EQ(test, buf[3], 0);
	/* Past the end: cut there. */
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, 0x100 - 4, buf, 16, false), 4);
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, 0x100, buf, 4, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, 0x100, buf, 4, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 0, 0, buf, 0, false), 0);

	/* Three bytes at an odd offset of the RAM window: a byte, a word. */
	memcpy(buf, "\x11\x22\x33", 3);
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 1, 0x101, buf, 3, true), 3);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)simplat_dev_ram(p->sdev, 1, &size) +
			   0x101, buf, 3);
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 1, 0x102, buf, 2, false), 2);
	KUNIT_EXPECT_EQ(test, buf[0], 0x22);
	KUNIT_EXPECT_EQ(test, buf[1], 0x33);
	memset(simplat_dev_ram(p->sdev, 1, &size), 0, 8 + 0x100);

	/* The RAM window through the fd too. */
	val = 0xabcd0123;
	KUNIT_EXPECT_EQ(test, vpl_rw(p, 1, DMA_LOCAL_SIZE - 4, &val, 4, true),
			4);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 1, DMA_LOCAL_SIZE - 4),
			0xabcd0123);
	vpl_write32(p, 1, DMA_LOCAL_SIZE - 4, 0);
}

struct vpl_rw_err_case {
	const char *name;
	u64 pos;
	bool write;
};

static const struct vpl_rw_err_case vpl_rw_err_cases[] = {
	{ "region past", 2ULL << 40, false },
	{ "region past write", 2ULL << 40, true },
	{ "region huge", ~0ULL >> 1 & ~0xffULL, false },
	{ "offset past", 0x100, false },
	{ "offset past in the window", (1ULL << 40) + DMA_LOCAL_SIZE, true },
	{ "offset bit 39", (1ULL << 39), false },
};

KUNIT_ARRAY_PARAM_DESC(vpl_rw_err, vpl_rw_err_cases, name);

static void uvfio_platform_rw_errors(struct kunit *test)
{
	const struct vpl_rw_err_case *c = test->param_value;
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	struct file *f = p->v.device;
	loff_t pos = c->pos;

	if (c->write)
		KUNIT_EXPECT_EQ(test, f->f_op->write(f, p->v.fx->user, 4, &pos),
				-EINVAL);
	else
		KUNIT_EXPECT_EQ(test, f->f_op->read(f, p->v.fx->user, 4, &pos),
				-EINVAL);
}

/* A user buffer that is not there: -EFAULT, the device untouched. */
static void uvfio_platform_rw_fault(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	struct file *f = p->v.device;
	loff_t pos = SIMPLAT_DMA_SCRATCH;

	vpl_write32(p, 0, SIMPLAT_DMA_SCRATCH, 5);
	KUNIT_EXPECT_EQ(test, f->f_op->write(f, NULL, 4, &pos), -EFAULT);
	KUNIT_EXPECT_EQ(test, f->f_op->read(f, NULL, 4, &pos), -EFAULT);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_SCRATCH), 5);
}

static unsigned long vpl_mmap(struct vpl *p, u32 index, u64 off, size_t len,
			      unsigned long prot, unsigned long flags)
{
	struct vfio_region_info r = vpl_region(p, index);

	return vm_mmap(p->v.device, 0, len, prot, flags, r.offset + off);
}

/* The RAM window maps: the pages are the device's local memory. */
static void uvfio_platform_mmap_window(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	size_t size;
	u32 *ram = simplat_dev_ram(p->sdev, 1, &size);
	unsigned long addr;
	u32 val = 0;

	addr = vpl_mmap(p, 1, PAGE_SIZE, 2 * PAGE_SIZE,
			PROT_READ | PROT_WRITE, MAP_SHARED);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_EXPECT_EQ(test, 0, put_user(0x5eed, (u32 __user *)addr + 1));
	KUNIT_EXPECT_EQ(test, ram[PAGE_SIZE / 4 + 1], 0x5eed);
	ram[(2 * PAGE_SIZE) / 4] = 0x77;
	KUNIT_EXPECT_EQ(test, 0, get_user(val, (u32 __user *)(addr +
							     PAGE_SIZE)));
	KUNIT_EXPECT_EQ(test, val, 0x77);
	vm_munmap(addr, 2 * PAGE_SIZE);
	memset(ram, 0, size);
}

struct vpl_mmap_err_case {
	const char *name;
	u32 index;
	u64 off;
	size_t len;
	unsigned long flags;
};

static const struct vpl_mmap_err_case vpl_mmap_err_cases[] = {
	{ "registers", 0, 0, PAGE_SIZE, MAP_SHARED },
	{ "private", 1, 0, PAGE_SIZE, MAP_PRIVATE },
	{ "past the end", 1, DMA_LOCAL_SIZE - PAGE_SIZE, 2 * PAGE_SIZE,
	  MAP_SHARED },
	{ "offset past", 1, DMA_LOCAL_SIZE, PAGE_SIZE, MAP_SHARED },
	{ "region past", 2, 0, PAGE_SIZE, MAP_SHARED },
};

KUNIT_ARRAY_PARAM_DESC(vpl_mmap_err, vpl_mmap_err_cases, name);

static void uvfio_platform_mmap_errors(struct kunit *test)
{
	const struct vpl_mmap_err_case *c = test->param_value;
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	unsigned long addr;

	/* An index past the regions has no info: its offset by the rule. */
	if (c->index >= 2)
		addr = vm_mmap(p->v.device, 0, c->len, PROT_READ, c->flags,
			       ((u64)c->index << 40) + c->off);
	else
		addr = vpl_mmap(p, c->index, c->off, c->len, PROT_READ,
				c->flags);
	KUNIT_EXPECT_EQ(test, (long)addr, -EINVAL);
}

static long vpl_set_irqs(struct vpl *p, u32 flags, u32 index, u32 start,
			 u32 count, const void *data, size_t len)
{
	return vp_set_irqs(&p->v, flags, index, start, count, data, len);
}

static long vpl_trigger(struct vpl *p, u32 index, s32 fd)
{
	return vpl_set_irqs(p, VFIO_IRQ_SET_DATA_EVENTFD |
			    VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 1, &fd,
			    sizeof(fd));
}

static void vpl_dma_go(struct vpl *p, u64 iova, u32 local, u32 len,
		       u32 ctrl)
{
	vpl_write32(p, 0, SIMPLAT_DMA_IOVA, lower_32_bits(iova));
	vpl_write32(p, 0, SIMPLAT_DMA_IOVA + 4, upper_32_bits(iova));
	vpl_write32(p, 0, SIMPLAT_DMA_LOCAL, local);
	vpl_write32(p, 0, SIMPLAT_DMA_LEN, len);
	vpl_write32(p, 0, SIMPLAT_DMA_CTRL, ctrl | SIMPLAT_DMA_GO);
}

/*
 * The level completion interrupt: signalled once and masked by the
 * handler; the unmask eventfd lets it in again, which fires again while
 * the status is not acknowledged and not after.
 */
static void uvfio_platform_level_irq(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	int efd = vp_eventfd(test), ufd = vp_eventfd(test);

	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_ASSERT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_EVENTFD |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   &ufd, sizeof(ufd)), 0);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);

	vp_signal(test, ufd);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	vp_signal(test, ufd);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);

	/* Unmasked and quiet: the next completion comes through. */
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   NULL, 0), 0);

	/* A false bool masks nothing. */
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
					   (u8[]){ 0 }, 1), 0);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	vp_signal(test, ufd);

	/* Masked by the user: held until unmasked. */
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
					   NULL, 0), 0);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	vp_signal(test, ufd);
}

/* Edge interrupts signal each edge; they cannot be masked. */
static void uvfio_platform_edge_irq(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,regs");
	int efd = vp_eventfd(test);
	u8 yes = 1;

	/*
	 * With no trigger the IRQ is disabled, masked at the controller: an
	 * edge then stays pending there and comes once the trigger enables
	 * the IRQ, as a pending edge does on a GIC.
	 */
	vpl_write32(p, 0, SIMPLAT_REGS_EDGE, 1);
	vpl_write32(p, 0, SIMPLAT_REGS_EDGE, 1);
	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_REGS_EDGE, 1);
	vpl_write32(p, 0, SIMPLAT_REGS_EDGE, 1);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 2);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
					   NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   &yes, 1), -EINVAL);
	/* Acted out by the user: signalled as an edge would be. */
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
					   NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
					   &yes, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 2);

	/* Count 0 with DATA_NONE takes the trigger away. */
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 0,
					   NULL, 0), 0);
	vpl_write32(p, 0, SIMPLAT_REGS_EDGE, 1);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	/* Pending at the controller until the next trigger (leave none). */
	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
}

/*
 * The user acts the level interrupt out: it is masked as the handler
 * masks it, and signalled; a false bool does nothing.
 */
static void uvfio_platform_level_loopback(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	int efd = vp_eventfd(test);
	u8 no = 0, yes = 1;

	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
					   &no, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
					   &yes, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	/* Masked now: a real completion waits for the unmask. */
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_BOOL |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   &yes, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   NULL, 0), 0);
}

/* A mask eventfd masks; -1 takes it away, and the unmask eventfd too. */
static void uvfio_platform_mask_eventfd(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	int efd = vp_eventfd(test), mfd = vp_eventfd(test);
	s32 none = -1;

	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_ASSERT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_EVENTFD |
					   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
					   &mfd, sizeof(mfd)), 0);
	vp_signal(test, mfd);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_EVENTFD |
					   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
					   &none, sizeof(none)), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_EVENTFD |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   &none, sizeof(none)), 0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	/* Gone: a signal masks nothing. */
	vp_signal(test, mfd);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
					   NULL, 0), 0);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
}

struct vpl_set_irqs_case {
	const char *name;
	u32 flags;
	u32 index;
	u32 start;
	u32 count;
	int err;
};

#define TRIG	VFIO_IRQ_SET_ACTION_TRIGGER
#define MASK	VFIO_IRQ_SET_ACTION_MASK
#define UNMASK	VFIO_IRQ_SET_ACTION_UNMASK
#define NONE	VFIO_IRQ_SET_DATA_NONE
#define EFD	VFIO_IRQ_SET_DATA_EVENTFD

static const struct vpl_set_irqs_case vpl_set_irqs_cases[] = {
	{ "index past", NONE | TRIG, 2, 0, 1, -EINVAL },
	{ "start 1", NONE | TRIG, 0, 1, 1, -EINVAL },
	{ "count 2", NONE | TRIG, 0, 0, 2, -EINVAL },
	{ "start past the irqs", NONE | TRIG, 0, 2, 0, -EINVAL },
	{ "start 1 count 0 disables", NONE | TRIG, 0, 1, 0, 0 },
	{ "start 1 count 0 eventfd", EFD | TRIG, 0, 1, 0, -EINVAL },
	{ "mask count 0", NONE | MASK, 0, 0, 0, -EINVAL },
	{ "unmask start 1", NONE | UNMASK, 0, 1, 1, -EINVAL },
	{ "mask edge", NONE | MASK, 1, 0, 1, -EINVAL },
	{ "no action", NONE, 0, 0, 1, -ENOTTY },
	{ "two actions", NONE | MASK | UNMASK, 0, 0, 1, -ENOTTY },
	{ "two data types", NONE | EFD | TRIG, 0, 0, 1, -EINVAL },
	{ "unknown flag", NONE | TRIG | BIT(6), 0, 0, 1, -EINVAL },
	{ "count wraps", NONE | TRIG, 0, 1, U32_MAX, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(vpl_set_irqs, vpl_set_irqs_cases, name);

/* Every refused SET_IRQS, with enough data for any type. */
static void uvfio_platform_set_irqs_errors(struct kunit *test)
{
	const struct vpl_set_irqs_case *c = test->param_value;
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	s32 data[2] = { -1, -1 };

	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, c->flags, c->index, c->start,
					   c->count, data, sizeof(data)),
			c->err);
}

/* SET_IRQS's argsz must hold its data; a bad eventfd fd is -EBADF. */
static void uvfio_platform_set_irqs_data(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	struct file *f0 = fget(0);
	int efd;

	/* fd 0 is an fd like any other: none is open there yet. */
	KUNIT_ASSERT_NULL(test, f0);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, EFD | MASK, 0, 0, 1,
					   (s32[]){ 0 }, 4), -EBADF);
	efd = vp_eventfd(test);

	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, EFD | TRIG, 0, 0, 1, NULL, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vpl_trigger(p, 0, 1000), -EBADF);
	KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, EFD | UNMASK, 0, 0, 1,
					   (s32[]){ 1000 }, 4), -EBADF);
	/* A bad fd takes the old trigger away first, as upstream. */
	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vpl_trigger(p, 0, 1000), -EBADF);
	vpl_dma_go(p, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
}

/*
 * RESET runs the handler of the device's compatible string: registers
 * back to power-on. Open and close reset too.
 */
static void uvfio_platform_reset(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,regs");
	unsigned int before = simplat_dev_resets(p->sdev);
	long err;

	vpl_write32(p, 0, SIMPLAT_REGS_SCRATCH, 0x99);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(p->v.device, VFIO_DEVICE_RESET, 0),
			0);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(p->sdev), before + 1);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_REGS_SCRATCH), 0);

	uvfio_close(p->v.fx, p->v.device);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(p->sdev), before + 2);
	p->v.device = uvfio_get_device(p->v.fx, p->v.group,
				       dev_name(&p->pdev->dev), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(p->sdev), before + 3);
}

#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)

/*
 * Each allocation of the first open failing in turn (regions, their
 * mappings, interrupts, their names and request_irq()): GET_DEVICE_FD
 * fails, no interrupt stays requested, and the open after works.
 */
static void uvfio_platform_open_fail_nth(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	int irq0 = platform_get_irq(p->pdev, 0);
	int irq1 = platform_get_irq(p->pdev, 1);
	unsigned int nth, failed = 0, left = 0, unrequested = 0, i;
	unsigned long name;
	long fd = -1, err;

	uvfio_close(p->v.fx, p->v.device);
	KUNIT_ASSERT_FALSE(test, irq_has_action(irq0));
	uvfio_failslab(p->v.fx);
	for (nth = 1; nth <= 200 && !left; nth++) {
		/* The user page also carries SET_IRQS below: write it anew. */
		name = uvfio_user_string(p->v.fx, dev_name(&p->pdev->dev));
		current->fail_nth = nth;
		fd = uvfio_ioctl(p->v.group, VFIO_GROUP_GET_DEVICE_FD, name);
		left = current->fail_nth;
		current->fail_nth = 0;
		if (fd < 0) {
			failed++;
			/* The debug kernel fails user copies too. */
			KUNIT_EXPECT_TRUE_MSG(test, fd == -ENOMEM ||
					      fd == -EFAULT, "%ld", fd);
			KUNIT_EXPECT_FALSE(test, irq_has_action(irq0));
			KUNIT_EXPECT_FALSE(test, irq_has_action(irq1));
			continue;
		}
		/*
		 * Opened. An interrupt whose request_irq() failed is still
		 * listed; SET_IRQS on it says why, as upstream.
		 */
		p->v.device = file_close_fd(fd);
		for (i = 0; i < 2; i++) {
			bool requested = irq_has_action(i ? irq1 : irq0);

			unrequested += !requested;
			KUNIT_EXPECT_EQ(test, vpl_set_irqs(p, NONE | TRIG, i, 0,
							   0, NULL, 0),
					requested ? 0 : -ENOMEM);
		}
		uvfio_fput_sync(p->v.device);
		KUNIT_EXPECT_FALSE(test, irq_has_action(irq0));
		KUNIT_EXPECT_FALSE(test, irq_has_action(irq1));
	}
	KUNIT_EXPECT_GT(test, unrequested, 0);
	KUNIT_EXPECT_NE(test, left, 0);
	KUNIT_EXPECT_GE(test, fd, 0);
	KUNIT_EXPECT_GT(test, failed, 3);
	p->v.device = uvfio_get_device(p->v.fx, p->v.group,
				       dev_name(&p->pdev->dev), &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	kunit_info(test, "%u allocations, %u failed the open, %u an IRQ",
		   nth - 2, failed, unrequested);
}

#else

static void uvfio_platform_open_fail_nth(struct kunit *test)
{
	kunit_skip(test, "needs FAILSLAB and FAULT_INJECTION_DEBUG_FS");
}

#endif

static void restore_reset_required(void *old)
{
	uvfio_platform_reset_required = old;
}

/*
 * A device whose compatible string has no reset handler: not bound while
 * reset_required, as upstream; without it, bound with no RESET flag and
 * RESET refused, opened and closed without a reset.
 */
static void uvfio_platform_no_reset_handler(struct kunit *test)
{
	struct platform_device *pdev = sim_plat_device(test, "uvfio-sim,scratch");
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct simplat_dev *sdev = simplat_dev_find(pdev->dev.of_node);
	unsigned int before = simplat_dev_resets(sdev);
	struct vpl *p;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			restore_reset_required,
			(void *)uvfio_platform_reset_required));
	uvfio_platform_reset_required = true;
	/* The probe's -ENOENT stays in the driver core: nothing bound. */
	KUNIT_EXPECT_EQ(test, uvfio_bind_dev(test, &pdev->dev,
					     "vfio-platform"), -ENODEV);
	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	device_set_driver_override(&pdev->dev, "");

	uvfio_platform_reset_required = false;
	p = vpl_open(test, "uvfio-sim,scratch");
	KUNIT_ASSERT_EQ(test, 0, vpl_ioctl(p, VFIO_DEVICE_GET_INFO, &info,
					   sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.flags, VFIO_DEVICE_FLAGS_PLATFORM);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(p->v.device, VFIO_DEVICE_RESET, 0),
			-EINVAL);
	vpl_write32(p, 0, SIMPLAT_REGS_SCRATCH, 0x77);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_REGS_SCRATCH), 0x77);
	vpl_write32(p, 0, SIMPLAT_REGS_SCRATCH, 0);
	uvfio_close(p->v.fx, p->v.device);
	KUNIT_EXPECT_EQ(test, simplat_dev_resets(sdev), before);
}

/*
 * The device's DMA goes through the container's type1 mappings: a copy
 * from the local memory lands in MAP_DMA'd user memory, and completion
 * arrives by the level interrupt.
 */
static void uvfio_platform_dma(struct kunit *test)
{
	struct vpl *p = vpl_open(test, "uvfio-sim,dma");
	int efd = vp_eventfd(test);
	unsigned long buf;
	size_t size;
	u8 *ram = simplat_dev_ram(p->sdev, 1, &size);
	u8 got[64];
	int i;

	buf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_ANONYMOUS | MAP_SHARED, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(buf));
	KUNIT_ASSERT_EQ(test, uvfio_map_dma(p->v.fx, p->v.container, IOVA_BUF,
					    buf, PAGE_SIZE,
					    VFIO_DMA_MAP_FLAG_READ |
					    VFIO_DMA_MAP_FLAG_WRITE), 0);
	KUNIT_ASSERT_EQ(test, vpl_trigger(p, 0, efd), 0);
	for (i = 0; i < sizeof(got); i++)
		ram[0x300 + i] = i + 1;

	vpl_dma_go(p, IOVA_BUF + 8, 0x300, sizeof(got), SIMPLAT_DMA_TO_BUS);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_STATUS),
			SIMPLAT_DMA_DONE);
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(got, (void __user *)buf + 8,
						sizeof(got)));
	KUNIT_EXPECT_MEMEQ(test, got, ram + 0x300, sizeof(got));

	/* Past the mapping: an error, and the FAULT register says where. */
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_DONE);
	vpl_set_irqs(p, NONE | UNMASK, 0, 0, 1, NULL, 0);
	vpl_dma_go(p, IOVA_BUF + PAGE_SIZE, 0, 4, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_STATUS),
			SIMPLAT_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, vpl_read32(p, 0, SIMPLAT_DMA_FAULT),
			lower_32_bits(IOVA_BUF + PAGE_SIZE));
	vpl_write32(p, 0, SIMPLAT_DMA_STATUS, SIMPLAT_DMA_ERROR);
	memset(ram, 0, size);
}

static struct kunit_case uvfio_platform_cases[] = {
	KUNIT_CASE_PARAM(uvfio_platform_info, vpl_node_gen_params),
	KUNIT_CASE_PARAM(uvfio_platform_info_errors, vpl_info_err_gen_params),
	KUNIT_CASE(uvfio_platform_info_extent),
	KUNIT_CASE(uvfio_platform_info_fault),
	KUNIT_CASE(uvfio_platform_reopen),
	KUNIT_CASE(uvfio_platform_region_access),
	KUNIT_CASE_PARAM(uvfio_platform_rw_errors, vpl_rw_err_gen_params),
	KUNIT_CASE(uvfio_platform_rw_fault),
	KUNIT_CASE(uvfio_platform_mmap_window),
	KUNIT_CASE_PARAM(uvfio_platform_mmap_errors,
			 vpl_mmap_err_gen_params),
	KUNIT_CASE(uvfio_platform_level_irq),
	KUNIT_CASE(uvfio_platform_edge_irq),
	KUNIT_CASE(uvfio_platform_level_loopback),
	KUNIT_CASE(uvfio_platform_mask_eventfd),
	KUNIT_CASE_PARAM(uvfio_platform_set_irqs_errors,
			 vpl_set_irqs_gen_params),
	KUNIT_CASE(uvfio_platform_set_irqs_data),
	KUNIT_CASE(uvfio_platform_reset),
	KUNIT_CASE(uvfio_platform_no_reset_handler),
	KUNIT_CASE(uvfio_platform_open_fail_nth),
	KUNIT_CASE(uvfio_platform_dma),
	{}
};

static struct kunit_suite uvfio_platform_suite = {
	.name = "uvfio_platform",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_platform_cases,
};

kunit_test_suite(uvfio_platform_suite);
