// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: vfio-pci through its device fd, with user memory from
 * kunit_vm_mmap(): device and region info, BAR, ROM and config access,
 * config virtualization capability by capability (tables of accesses:
 * offset, size, value written, value read back, and what the hardware
 * got), mmap of BARs and its zapping, reset, open and close.
 *
 * The functions: the default topology's dma (00.0), regfile (01.0) and
 * the regfile behind the bridge (41:00.0), and two hot-added ones of sim_helpers.c: "caps" (every capability kind
 * of the simulator, some of which vfio-pci hides) and "bare" (nothing to
 * reset it by). The fixture binds one to vfio-pci and opens its device fd
 * through a container with the test backend.
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/uaccess.h>

#include "pci/uvfio_pci_offset.h"
#include "sim_helpers.h"
#include "uvfio_helpers.h"
#include "uvfio_pci_helpers.h"

#define P		PAGE_SIZE
#define ROM		VFIO_PCI_ROM_REGION_INDEX
#define SCRATCH		0x40	/* plain storage in regfile's and dma's BAR0 */
#define DMA_MSIX_TABLE_SIZE	(SIMPCI_DMA_VECTORS * PCI_MSIX_ENTRY_SIZE)

static long vp_region_info(struct vp *v, struct vfio_region_info *info)
{
	return uvfio_ioctl_user(v->fx, v->device, VFIO_DEVICE_GET_REGION_INFO,
				info, sizeof(*info));
}

struct info_case {
	const char *name;
	enum vp_fn fn;
	u32 flags;
};

static const struct info_case info_cases[] = {
	{ "dma: FLR", FN_DMA, VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET },
	{ "regfile: PM reset", FN_REGFILE,
	  VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET },
	{ "caps: AF FLR", FN_CAPS,
	  VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET },
	{ "bare: no reset", FN_BARE, VFIO_DEVICE_FLAGS_PCI },
};

KUNIT_ARRAY_PARAM_DESC(info, info_cases, name);

/* GET_INFO: RESET only where a reset worked at open; the argsz rules. */
static void uvfio_pci_device_info(struct kunit *test)
{
	const struct info_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct vfio_device_info info = {
		.argsz = sizeof(info), .cap_offset = 0x55,
	};
	long reset = 0;

	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_INFO, &info, sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.flags, c->flags);
	KUNIT_EXPECT_EQ(test, info.num_regions, VFIO_PCI_NUM_REGIONS);
	KUNIT_EXPECT_EQ(test, info.num_irqs, VFIO_PCI_NUM_IRQS);
	/* No capability: cap_offset is cleared, argsz kept. */
	KUNIT_EXPECT_EQ(test, info.cap_offset, 0);
	KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info));

	info.argsz = offsetofend(struct vfio_device_info, num_irqs) - 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_INFO, &info, sizeof(info)), -EINVAL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_GET_INFO, 8),
			-EFAULT);

	/* RESET works exactly where the flag says so. */
	if (!(c->flags & VFIO_DEVICE_FLAGS_RESET))
		reset = -EINVAL;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_RESET, 0),
			reset);
}

struct region_case {
	const char *name;
	enum vp_fn fn;
	u32 index;
	long ret;
	u32 flags;
	u64 size;
	bool msix_cap;
};

#define RW	(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)
#define RWM	(RW | VFIO_REGION_INFO_FLAG_MMAP)

static const struct region_case region_cases[] = {
	{ "regfile BAR0", FN_REGFILE, 0, 0, RWM, SZ_4K },
	{ "regfile BAR1 empty", FN_REGFILE, 1, 0, 0, 0 },
	{ "regfile BAR2 64-bit RAM", FN_REGFILE, 2, 0, RWM, SZ_64K },
	{ "regfile BAR3 upper half", FN_REGFILE, 3, 0, 0, 0 },
	{ "regfile ROM", FN_REGFILE, ROM, 0, VFIO_REGION_INFO_FLAG_READ,
	  SZ_2K },
	{ "regfile config", FN_REGFILE, CFG, 0, RW, PCI_CFG_SPACE_SIZE },
	{ "regfile VGA", FN_REGFILE, VFIO_PCI_VGA_REGION_INDEX, -EINVAL },
	{ "regfile index 9", FN_REGFILE, VFIO_PCI_NUM_REGIONS, -EINVAL },
	{ "regfile index ~0", FN_REGFILE, ~0U, -EINVAL },
	{ "dma BAR0 with MSI-X", FN_DMA, 0, 0,
	  RWM | VFIO_REGION_INFO_FLAG_CAPS, SZ_4K, true },
	{ "dma no ROM", FN_DMA, ROM, 0, 0, 0 },
	{ "dma config 4 KiB", FN_DMA, CFG, 0, RW, PCI_CFG_SPACE_EXP_SIZE },
	{ "caps BAR0", FN_CAPS, 0, 0, RWM, SZ_8K },
	{ "caps ROM BAR without an image", FN_CAPS, ROM, 0, 0, 0 },
	{ "lens BAR1 I/O", FN_LENS, 1, 0, RW, 256 },
};

KUNIT_ARRAY_PARAM_DESC(region, region_cases, name);

static void uvfio_pci_region_info(struct kunit *test)
{
	const struct region_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct vfio_region_info info = {
		.argsz = sizeof(info), .index = c->index, .cap_offset = 0x77,
	};
	long ret = vp_region_info(v, &info);

	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, info.flags, c->flags);
	KUNIT_EXPECT_EQ(test, info.size, c->size);
	KUNIT_EXPECT_EQ(test, info.offset,
			uvfio_pci_index_to_offset(c->index));
	if (c->msix_cap) {
		/* Too small for the chain: told its size, no offset. */
		KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info) + 8);
		KUNIT_EXPECT_EQ(test, info.cap_offset, 0);
	} else {
		/* No chain: argsz and cap_offset as the caller left them. */
		KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info));
		KUNIT_EXPECT_EQ(test, info.cap_offset, 0x77);
	}
}

/* The MSI-X BAR's chain, given room: MSIX_MAPPABLE right after the info. */
static void uvfio_pci_region_caps(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	struct {
		struct vfio_region_info info;
		struct vfio_info_cap_header hdr;
	} buf = { .info = { .argsz = sizeof(buf), .index = 0 } };

	KUNIT_ASSERT_EQ(test, 0, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_REGION_INFO, &buf, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, buf.info.argsz, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf.info.cap_offset, sizeof(buf.info));
	KUNIT_EXPECT_EQ(test, buf.hdr.id, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);
	KUNIT_EXPECT_EQ(test, buf.hdr.version, 1);
	KUNIT_EXPECT_EQ(test, buf.hdr.next, 0);

	buf.info.argsz = offsetofend(struct vfio_region_info, offset) - 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_REGION_INFO, &buf, sizeof(buf)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device,
					  VFIO_DEVICE_GET_REGION_INFO, 8),
			-EFAULT);
	/* Room for the info but not where the chain goes: -EFAULT. */
	buf.info.argsz = sizeof(buf);
	KUNIT_ASSERT_EQ(test, 0, copy_to_user(v->fx->user + P -
					      sizeof(buf.info), &buf.info,
					      sizeof(buf.info)));
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO,
					  (unsigned long)v->fx->user + P -
					  sizeof(buf.info)), -EFAULT);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, 0x3b7f, 0), -ENOTTY);
}

struct irq_case {
	const char *name;
	enum vp_fn fn;
	u32 index;
	long ret;
	u32 flags;
	u32 count;
};

#define EVFD		VFIO_IRQ_INFO_EVENTFD
#define NORESIZE	(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE)
#define INTX_FLAGS	(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | \
			 VFIO_IRQ_INFO_AUTOMASKED)

static const struct irq_case irq_cases[] = {
	{ "dma INTx", FN_DMA, VFIO_PCI_INTX_IRQ_INDEX, 0, INTX_FLAGS, 1 },
	{ "dma MSI", FN_DMA, VFIO_PCI_MSI_IRQ_INDEX, 0, NORESIZE, 1 },
	{ "dma MSI-X: table size", FN_DMA, VFIO_PCI_MSIX_IRQ_INDEX, 0,
	  NORESIZE, SIMPCI_DMA_VECTORS },
	{ "dma ERR: PCI Express", FN_DMA, VFIO_PCI_ERR_IRQ_INDEX, 0, NORESIZE,
	  1 },
	{ "dma REQ", FN_DMA, VFIO_PCI_REQ_IRQ_INDEX, 0, NORESIZE, 1 },
	{ "dma index 5", FN_DMA, VFIO_PCI_NUM_IRQS, -EINVAL },
	{ "dma index ~0", FN_DMA, ~0U, -EINVAL },
	{ "regfile MSI: 4 vectors", FN_REGFILE, VFIO_PCI_MSI_IRQ_INDEX, 0,
	  NORESIZE, 4 },
	{ "regfile no MSI-X", FN_REGFILE, VFIO_PCI_MSIX_IRQ_INDEX, 0, NORESIZE,
	  0 },
	{ "regfile ERR: not PCI Express", FN_REGFILE, VFIO_PCI_ERR_IRQ_INDEX,
	  -EINVAL },
	{ "bare: no INTx pin", FN_BARE, VFIO_PCI_INTX_IRQ_INDEX, 0, INTX_FLAGS,
	  0 },
	{ "bare: no MSI", FN_BARE, VFIO_PCI_MSI_IRQ_INDEX, 0, NORESIZE, 0 },
};

KUNIT_ARRAY_PARAM_DESC(irq, irq_cases, name);

/* GET_IRQ_INFO: what each index offers, and its argsz rules. */
static void uvfio_pci_irq_info(struct kunit *test)
{
	const struct irq_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = c->index };

	KUNIT_ASSERT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_IRQ_INFO, &info, sizeof(info)), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, info.flags, c->flags);
	KUNIT_EXPECT_EQ(test, info.count, c->count);

	info.argsz = offsetofend(struct vfio_irq_info, count) - 1;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_IRQ_INFO, &info, sizeof(info)), -EINVAL);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO,
					  8), -EFAULT);
}

struct vp_irq_saved {
	struct pci_dev *pdev;
	unsigned int irq;
};

static void vp_restore_irq(void *data)
{
	struct vp_irq_saved *saved = data;

	saved->pdev->irq = saved->irq;
}

/*
 * A pin the platform could not route (IRQ_NOTCONNECTED): the user sees
 * no pin and no INTx, as upstream shows it.
 */
static void uvfio_pci_intx_not_connected(struct kunit *test)
{
	struct vp_irq_saved *saved = kunit_kzalloc(test, sizeof(*saved),
						   GFP_KERNEL);
	struct vfio_irq_info info = {
		.argsz = sizeof(info), .index = VFIO_PCI_INTX_IRQ_INDEX,
	};
	struct vp *v;

	KUNIT_ASSERT_NOT_NULL(test, saved);
	saved->pdev = uvfio_fn(test, SIM_REGFILE_DEVFN);
	saved->irq = saved->pdev->irq;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			vp_restore_irq, saved));
	/* Bound first: the probe assigns the IRQ. */
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, saved->pdev, "vfio-pci"));
	saved->pdev->irq = IRQ_NOTCONNECTED;
	v = vp_open_bound(test, saved->pdev);

	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_INTERRUPT_PIN, 1), 1);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_INTERRUPT_PIN, 1), 0);
	KUNIT_ASSERT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
			VFIO_DEVICE_GET_IRQ_INFO, &info, sizeof(info)), 0);
	KUNIT_EXPECT_EQ(test, info.count, 0);
}

/*
 * The IRQ gone after open (0, or a pin the platform stopped routing):
 * the user still sees the pin, an INTx enable is -ENODEV as upstream's,
 * and no interrupt type is left set.
 */
static void uvfio_pci_intx_irq_gone(struct kunit *test)
{
	static const unsigned int gone[] = { 0, IRQ_NOTCONNECTED };
	struct vp_irq_saved *saved = kunit_kzalloc(test, sizeof(*saved),
						   GFP_KERNEL);
	struct vp *v = vp_open(test, FN_REGFILE);
	s32 fd = vp_eventfd(test);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, saved);
	saved->pdev = v->pdev;
	saved->irq = v->pdev->irq;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			vp_restore_irq, saved));
	for (i = 0; i < ARRAY_SIZE(gone); i++) {
		v->pdev->irq = gone[i];
		KUNIT_EXPECT_EQ(test, vp_set_irqs(v, VFIO_IRQ_SET_DATA_EVENTFD |
						  VFIO_IRQ_SET_ACTION_TRIGGER,
						  VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
						  &fd, sizeof(fd)), -ENODEV);
	}
	v->pdev->irq = saved->irq;
	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, VFIO_IRQ_SET_DATA_EVENTFD |
					  VFIO_IRQ_SET_ACTION_TRIGGER,
					  VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fd,
					  sizeof(fd)), 0);
}

struct access_case {
	const char *name;
	enum vp_fn fn;
	u32 index;
	u64 off;
	size_t count;
	bool write;
	u64 val;
	ssize_t ret;
	u64 expect;	/* what a read returned, or an 8-byte read at @off after */
};

static const struct access_case access_cases[] = {
	{ "8 bytes", FN_REGFILE, 0, SCRATCH, 8, true, 0x1122334455667788ULL,
	  8, 0x1122334455667788ULL },
	{ "2 bytes in the middle", FN_REGFILE, 0, SCRATCH + 2, 2, true,
	  0xbeef, 2 },
	{ "7 unaligned bytes", FN_REGFILE, 0, SCRATCH + 1, 7, true,
	  0x00aabbccddeeff00ULL, 7 },
	{ "read of 3 unaligned bytes", FN_REGFILE, 0, 1, 3, false, 0, 3,
	  0x53494d },
	{ "read cut at the end", FN_REGFILE, 0, SZ_4K - 2, 8, false, 0, 2 },
	{ "write cut at the end", FN_REGFILE, 0, SZ_4K - 1, 4, true, 0x77, 1 },
	{ "at the end", FN_REGFILE, 0, SZ_4K, 1, false, 0, -EINVAL },
	{ "far past the end", FN_REGFILE, 0, SZ_1G, 1, false, 0, -EINVAL },
	{ "count 0", FN_REGFILE, 0, 0, 0, false, 0, 0 },
	{ "count 0 of a missing region", FN_REGFILE, 9, 0, 0, false, 0, 0 },
	{ "empty BAR", FN_REGFILE, 1, 0, 4, false, 0, -EINVAL },
	{ "RAM BAR", FN_REGFILE, 2, P + 4, 8, true, 0x0102030405060708ULL,
	  8, 0x0102030405060708ULL },
	{ "ROM signature", FN_REGFILE, ROM, 0, 2, false, 0, 2, 0xaa55 },
	{ "ROM past its image", FN_REGFILE, ROM, 512, 4, false, 0, 4,
	  0xffffffff },
	{ "ROM write", FN_REGFILE, ROM, 0, 4, true, 0, -EINVAL },
	{ "no ROM", FN_DMA, ROM, 0, 4, false, 0, -EINVAL },
	{ "ROM without an image", FN_CAPS, ROM, 0, 4, false, 0, -ENOMEM },
	/* UML maps no I/O ports: pci_iomap() fails, as upstream reports it. */
	{ "I/O BAR read", FN_LENS, 1, 0, 4, false, 0, -ENOMEM },
	{ "VGA", FN_REGFILE, VFIO_PCI_VGA_REGION_INDEX, 0, 1, false, 0,
	  -EINVAL },
	{ "index 9", FN_REGFILE, 9, 0, 1, true, 0, -EINVAL },
	{ "config past the end", FN_REGFILE, CFG, PCI_CFG_SPACE_SIZE - 2, 4,
	  false, 0, -EFAULT },
	{ "config at the end", FN_REGFILE, CFG, PCI_CFG_SPACE_SIZE, 1, true,
	  0, -EFAULT },
	{ "config past the end by a dword", FN_REGFILE, CFG,
	  PCI_CFG_SPACE_SIZE + 4, 4, false, 0, -EFAULT },
	{ "config past the end by a dword, write", FN_REGFILE, CFG,
	  PCI_CFG_SPACE_SIZE + 4, 4, true, 0, -EFAULT },
	{ "config's last dword", FN_REGFILE, CFG, PCI_CFG_SPACE_SIZE - 4, 4,
	  false, 0, 4, 0 },
	/* The MSI-X table is the host's: ones, writes dropped; the PBA not. */
	{ "MSI-X table", FN_DMA, 0, SIMPCI_DMA_MSIX_TABLE, 4, true,
	  0x12345678, 4, 0xffffffff },
	{ "across the MSI-X table's start", FN_DMA, 0,
	  SIMPCI_DMA_MSIX_TABLE - 4, 8, false, 0, 8, 0xffffffff00000000ULL },
	{ "across the MSI-X table's end", FN_DMA, 0,
	  SIMPCI_DMA_MSIX_TABLE + DMA_MSIX_TABLE_SIZE - 4, 8, false, 0, 8,
	  0xffffffffULL },
	{ "MSI-X PBA", FN_DMA, 0, SIMPCI_DMA_MSIX_PBA, 8, false, 0, 8, 0 },
	{ "3 bytes of the MSI-X table", FN_DMA, 0, SIMPCI_DMA_MSIX_TABLE + 1,
	  3, false, 0, 3, 0xffffff },
};

KUNIT_ARRAY_PARAM_DESC(access, access_cases, name);

/* One access, then (for writes that worked) 8 bytes read back at @off. */
static void uvfio_pci_region_access(struct kunit *test)
{
	const struct access_case c = *(const struct access_case *)
				     test->param_value;
	struct vp *v = vp_open(test, c.fn);
	u64 val = c.val, back = 0, before = 0;
	ssize_t ret;

	if (c.write && c.ret > 0 && c.count < 8)
		KUNIT_ASSERT_EQ(test, vp_rw(v, c.index, c.off & ~7ULL, &before,
					    8, false), 8);
	ret = vp_rw(v, c.index, c.off, &val, c.count, c.write);
	KUNIT_ASSERT_EQ(test, ret, c.ret);
	if (ret <= 0)
		return;
	if (!c.write) {
		u64 mask = GENMASK_ULL(8 * ret - 1, 0);

		KUNIT_EXPECT_EQ(test, val & mask, c.expect);
		/* A short read filled its bytes and no others. */
		KUNIT_EXPECT_EQ(test, val & ~mask, c.val & ~mask);
		return;
	}
	if (c.count >= 8) {
		KUNIT_ASSERT_EQ(test, vp_rw(v, c.index, c.off, &back, 8, false),
				8);
		KUNIT_EXPECT_EQ(test, back, c.expect);
		return;
	}
	/* A short write changed its bytes and no others. */
	KUNIT_ASSERT_EQ(test, vp_rw(v, c.index, c.off & ~7ULL, &back, 8,
				    false), 8);
	if (c.expect) {
		KUNIT_EXPECT_EQ(test, back & GENMASK_ULL(31, 0), c.expect);
	} else {
		unsigned int shift = (c.off & 7) * 8;
		u64 mask = GENMASK_ULL(8 * ret - 1, 0) << shift;

		KUNIT_EXPECT_EQ(test, back & mask, (c.val << shift) & mask);
		KUNIT_EXPECT_EQ(test, back & ~mask, before & ~mask);
	}
}

/*
 * How an access reaches the device: widest aligned pieces first, at most
 * 4 bytes for the ROM, none for the MSI-X table; the device's own log of
 * accesses (the last @n of them) says which.
 */
struct split_case {
	const char *name;
	enum vp_fn fn;
	u32 index;
	u64 off;
	size_t count;
	unsigned int n;
	struct { u64 off; u8 size; } want[4];
};

/*
 * UML has no 64-bit MMIO access: a qword goes as two dwords, low first
 * (ioread64_lo_hi), on upstream's vfio-pci as on ours.
 */
static const struct split_case split_cases[] = {
	{ "aligned qword", FN_REGFILE, 0, SCRATCH, 8, 2,
	  { { SCRATCH, 4 }, { SCRATCH + 4, 4 } } },
	{ "7 bytes from an odd offset", FN_REGFILE, 0, SCRATCH + 1, 7, 3,
	  { { SCRATCH + 1, 1 }, { SCRATCH + 2, 2 }, { SCRATCH + 4, 4 } } },
	{ "qword across a dword", FN_REGFILE, 0, SCRATCH - 2, 8, 3,
	  { { SCRATCH - 2, 2 }, { SCRATCH, 4 }, { SCRATCH + 4, 2 } } },
	{ "two qwords", FN_REGFILE, 0, SCRATCH, 16, 4,
	  { { SCRATCH, 4 }, { SCRATCH + 4, 4 }, { SCRATCH + 8, 4 },
	    { SCRATCH + 12, 4 } } },
	{ "one byte", FN_REGFILE, 0, SCRATCH + 3, 1, 1, { { SCRATCH + 3, 1 } } },
	{ "RAM BAR qword", FN_REGFILE, 2, 0x100, 8, 2,
	  { { 0x100, 4 }, { 0x104, 4 } } },
	{ "ROM in dwords", FN_REGFILE, ROM, 0, 8, 2, { { 0, 4 }, { 4, 4 } } },
	{ "up to the MSI-X table", FN_DMA, 0, SIMPCI_DMA_MSIX_TABLE - 4, 16, 1,
	  { { SIMPCI_DMA_MSIX_TABLE - 4, 4 } } },
};

KUNIT_ARRAY_PARAM_DESC(split, split_cases, name);

static void uvfio_pci_access_split(struct kunit *test)
{
	const struct split_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct simpci_dev *sdev = simpci_dev_find(v->pdev->bus->number,
						  v->pdev->devfn);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	u8 buf[16];
	unsigned int n, i, first;

	KUNIT_ASSERT_NOT_NULL(test, sdev);
	simpci_accesses(sdev, log);
	KUNIT_ASSERT_EQ(test, vp_rw(v, c->index, c->off, buf, c->count, false),
			c->count);
	n = simpci_accesses(sdev, log);
	/* The ROM is looked at (its image found) before it is read. */
	KUNIT_ASSERT_GE(test, n, c->n);
	if (c->index != ROM)
		KUNIT_EXPECT_EQ(test, n, c->n);
	first = n - c->n;
	for (i = 0; i < c->n; i++) {
		KUNIT_EXPECT_EQ(test, log[first + i].bar, c->index);
		KUNIT_EXPECT_FALSE(test, log[first + i].write);
		KUNIT_EXPECT_EQ(test, log[first + i].off, c->want[i].off);
		KUNIT_EXPECT_EQ(test, log[first + i].size, c->want[i].size);
	}
}

/* The user's memory enable rules the BARs, the ROM and their mappings. */
static void uvfio_pci_decode_off(struct kunit *test)
{
	struct vfio_region_info rom = { .argsz = sizeof(rom) };
	struct vp *v = vp_open(test, FN_REGFILE);
	u16 cmd = vp_cfg_read(v, PCI_COMMAND, 2);
	u32 val = 0;

	KUNIT_ASSERT_TRUE(test, cmd & PCI_COMMAND_MEMORY);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_FALSE(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
			   PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, 0, &val, 4, false), -EIO);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SCRATCH, &val, 4, true), -EIO);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 2, 0, &val, 4, false), -EIO);
	/* The ROM needs decode too: no image can be found. */
	KUNIT_EXPECT_EQ(test, vp_rw(v, ROM, 0, &val, 4, false), -ENOMEM);
	/* Config space is reached by config cycles, not decode. */
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_VENDOR_ID, 2), SIMPCI_VENDOR);
	/* The ROM's info turns decode on to look for the image, then off. */
	rom.index = ROM;
	KUNIT_EXPECT_EQ(test, vp_region_info(v, &rom), 0);
	KUNIT_EXPECT_EQ(test, rom.flags, VFIO_REGION_INFO_FLAG_READ);
	KUNIT_EXPECT_EQ(test, rom.size, SZ_2K);
	KUNIT_EXPECT_FALSE(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
			   PCI_COMMAND_MEMORY);

	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, 0, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, SIMPCI_REGFILE_ID);

	/*
	 * D3hot through the PM capability: the same as decode off. The
	 * function loses its state in D3hot (No_Soft_Reset clear): it is
	 * saved on the way down and restored on the way up.
	 */
	vp_cfg_write(v, PCI_CACHE_LINE_SIZE, 1, 0x20);
	vp_cfg_write(v, v->pdev->pm_cap + PCI_PM_CTRL, 2, 3);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D3hot);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, 0, &val, 4, false), -EIO);
	/*
	 * The copy is vfio's own: the PCI core's saved state, which others
	 * save into too, does not decide what comes back.
	 */
	pci_write_config_byte(v->pdev, PCI_CACHE_LINE_SIZE, 0x40);
	pci_save_state(v->pdev);
	vp_cfg_write(v, v->pdev->pm_cap + PCI_PM_CTRL, 2, 0);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D0);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, 0, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1), 0x20);
}

/*
 * A read into memory the caller cannot write: -EFAULT, nothing done; and
 * lseek(2) refused.
 */
static void uvfio_pci_efault(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	static const u32 regions[] = { 0, 2, ROM, CFG };
	char __user *bad = (char __user *)8;
	unsigned int i;
	loff_t pos;

	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		pos = uvfio_pci_index_to_offset(regions[i]);
		KUNIT_EXPECT_EQ(test, v->device->f_op->read(v->device, bad, 4,
							    &pos), -EFAULT);
		KUNIT_EXPECT_EQ(test, pos,
				uvfio_pci_index_to_offset(regions[i]));
		if (regions[i] == ROM)
			continue;
		KUNIT_EXPECT_EQ(test, v->device->f_op->write(v->device, bad, 4,
							     &pos), -EFAULT);
	}
	/* Offsets come with pread and pwrite: the fd is not seekable. */
	KUNIT_EXPECT_EQ(test, vfs_llseek(v->device, 0, SEEK_SET), -ESPIPE);
}

/*
 * Config virtualization, one row per access: write @val (unless @read_only
 * row), read back @size bytes at @off of the capability @cap (0: the
 * header; an ext one with @ext) and expect @expect; where @hw_mask is
 * set, the hardware's bits under it must read @hw afterwards, or with
 * @hw_kept what they read before; with @no_hw, the write reached the
 * function as no config write at all.
 */
struct cfg_case {
	const char *name;
	enum vp_fn fn;
	u16 cap;
	bool ext;
	int off;
	int size;
	bool write;
	u32 val;
	u32 expect;
	u32 hw_mask;
	u32 hw;
	bool hw_kept;
	bool no_hw;
};

#define ACS_ENABLED	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* regfile's MSI: 64-bit, 4 vectors (Multiple Message Capable 2). */
#define MSI_FLAGS_RO	(PCI_MSI_FLAGS_64BIT | 2 << 1)

static const struct cfg_case cfg_cases[] = {
	/* Header */
	{ "vendor ID read-only", FN_REGFILE, 0, false, PCI_VENDOR_ID, 2, true,
	  0xffff, SIMPCI_VENDOR, 0xffff, SIMPCI_VENDOR, .no_hw = true },
	{ "device ID read-only", FN_REGFILE, 0, false, PCI_DEVICE_ID, 2, true,
	  0xffff, SIMPCI_DEVICE_REGFILE, .no_hw = true },
	/* Without INTx in use, the function's bit follows the user's. */
	{ "command: INTx disable without INTx", FN_REGFILE, 0, false,
	  PCI_COMMAND, 2, true, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE,
	  PCI_COMMAND_INTX_DISABLE | PCI_COMMAND_MEMORY,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE },
	{ "command: bus master reaches hardware", FN_REGFILE, 0, false,
	  PCI_COMMAND, 2, true, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, PCI_COMMAND_MASTER,
	  PCI_COMMAND_MASTER },
	{ "status: capability list", FN_REGFILE, 0, false, PCI_STATUS, 2,
	  true, 0, PCI_STATUS_CAP_LIST | PCI_STATUS_IMM_READY, .no_hw = true },
	{ "status: no capability shown", FN_BARE, 0, false, PCI_STATUS, 2,
	  false, 0, PCI_STATUS_IMM_READY },
	{ "cache line size writable", FN_REGFILE, 0, false,
	  PCI_CACHE_LINE_SIZE, 1, true, 0xa5, 0xa5, 0xff, 0xa5 },
	{ "latency timer writable", FN_REGFILE, 0, false,
	  PCI_LATENCY_TIMER, 1, true, 0x5b, 0x5b, 0xff, 0x5b },
	/* Not implemented by the function: what it reads, not the write. */
	{ "BIST reaches hardware", FN_REGFILE, 0, false, PCI_BIST, 1, true,
	  0xff, 0, 0xff, 0 },
	{ "BAR0 sizing", FN_REGFILE, 0, false, PCI_BASE_ADDRESS_0, 4, true,
	  0xffffffff, 0xfffff000, .no_hw = true },
	{ "BAR0 moved, hardware kept", FN_REGFILE, 0, false,
	  PCI_BASE_ADDRESS_0, 4, true, 0x12345678, 0x12345000, 0xffff0000,
	  0xc0100000, .no_hw = true },
	{ "BAR1 unimplemented", FN_REGFILE, 0, false, PCI_BASE_ADDRESS_1, 4,
	  true, 0xffffffff, 0 },
	{ "BAR2 64-bit sizing", FN_REGFILE, 0, false, PCI_BASE_ADDRESS_2, 4,
	  true, 0xffffffff, 0xffff0000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
	  PCI_BASE_ADDRESS_MEM_PREFETCH },
	{ "BAR3 upper half sizing", FN_REGFILE, 0, false, PCI_BASE_ADDRESS_3,
	  4, true, 0xffffffff, 0xffffffff },
	{ "BAR5 sizing", FN_CAPS, 0, false, PCI_BASE_ADDRESS_5, 4, true,
	  0xffffffff, 0xfffff000 },
	{ "ROM BAR sizing keeps enable", FN_REGFILE, 0, false,
	  PCI_ROM_ADDRESS, 4, true, 0xffffffff, 0xfffff801, .no_hw = true },
	{ "no ROM BAR", FN_DMA, 0, false, PCI_ROM_ADDRESS, 4, true,
	  0xffffffff, 0 },
	{ "BAR1 I/O sizing", FN_LENS, 0, false, PCI_BASE_ADDRESS_1, 4, true,
	  0xffffffff, 0xffffff00 | PCI_BASE_ADDRESS_SPACE_IO, .no_hw = true },
	{ "capability pointer read-only", FN_REGFILE, 0, false,
	  PCI_CAPABILITY_LIST, 1, true, 0xff, 0x40, .no_hw = true },
	{ "interrupt line virtual", FN_REGFILE, 0, false, PCI_INTERRUPT_LINE,
	  1, true, 0x5a, 0x5a, 0xff, .hw_kept = true, .no_hw = true },
	{ "interrupt pin read-only", FN_REGFILE, 0, false, PCI_INTERRUPT_PIN,
	  1, true, 4, 1, .no_hw = true },
	/* One dword: the line takes the write, the pin keeps its value. */
	{ "interrupt line by dword", FN_REGFILE, 0, false, PCI_INTERRUPT_LINE,
	  4, true, 0xffffff5a, 0x0000015a, .no_hw = true },
	/* PM */
	{ "PM: no PME support", FN_REGFILE, PCI_CAP_ID_PM, false, PCI_PM_PMC,
	  2, false, 0, 3 },
	{ "PM: capabilities read-only", FN_CAPS, PCI_CAP_ID_PM, false,
	  PCI_PM_PMC, 2, true, 0xffff, 3, .hw_kept = true, .hw_mask = 0xffff,
	  .no_hw = true },
	{ "PM: PME support hidden", FN_CAPS, PCI_CAP_ID_PM, false, PCI_PM_PMC,
	  2, false, 0, 3, 0xffff, 3 | PCI_PM_CAP_PME_D0 | PCI_PM_CAP_PME_D3hot },
	{ "PM: D3hot", FN_REGFILE, PCI_CAP_ID_PM, false, PCI_PM_CTRL, 2, true,
	  3, 3, PCI_PM_CTRL_STATE_MASK, 3 },
	{ "PM: PME enable virtual", FN_REGFILE, PCI_CAP_ID_PM, false,
	  PCI_PM_CTRL, 2, true, PCI_PM_CTRL_PME_ENABLE, 0,
	  PCI_PM_CTRL_PME_ENABLE, 0 },
	/* MSI (regfile: 64-bit, maskable; caps: 32-bit, maskable) */
	{ "MSI: enable only by SET_IRQS", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_MSI_FLAGS, 2, true, MSI_FLAGS_RO | PCI_MSI_FLAGS_ENABLE,
	  PCI_MSI_FLAGS_MASKBIT | MSI_FLAGS_RO, PCI_MSI_FLAGS_ENABLE, 0 },
	{ "MSI: enable cut to what SET_IRQS set", FN_REGFILE, PCI_CAP_ID_MSI,
	  false, PCI_MSI_FLAGS, 2, true, MSI_FLAGS_RO | PCI_MSI_FLAGS_QSIZE,
	  PCI_MSI_FLAGS_MASKBIT | MSI_FLAGS_RO, PCI_MSI_FLAGS_QSIZE, 0 },
	/*
	 * The low byte is the user's copy, read-only bits included (as
	 * upstream); the hardware keeps its own.
	 */
	{ "MSI: read-only flags are the user's copy", FN_REGFILE,
	  PCI_CAP_ID_MSI, false, PCI_MSI_FLAGS, 2, true, 0,
	  PCI_MSI_FLAGS_MASKBIT, 0xff, MSI_FLAGS_RO },
	/* The chain's bytes alone: the flags are not written again. */
	{ "MSI: ID and next write", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_CAP_LIST_ID, 2, true, 0xffff, 0x6000 | PCI_CAP_ID_MSI,
	  .no_hw = true },
	{ "MSI: address virtual", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_MSI_ADDRESS_LO, 4, true, 0xfee01004, 0xfee01004, 0xffffffff, 0,
	  .no_hw = true },
	{ "MSI: upper address virtual", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_MSI_ADDRESS_HI, 4, true, 0x12, 0x12, 0xffffffff, 0,
	  .no_hw = true },
	{ "MSI: data virtual", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_MSI_DATA_64, 2, true, 0x4242, 0x4242, 0xffff, 0, .no_hw = true },
	{ "MSI: mask bits reach hardware", FN_REGFILE, PCI_CAP_ID_MSI, false,
	  PCI_MSI_MASK_64, 4, true, 0x5, 0x5, 0xf, 0x5 },
	{ "MSI: pending bits the function's", FN_REGFILE, PCI_CAP_ID_MSI,
	  false, PCI_MSI_PENDING_64, 4, true, 0xf, 0, ~0U, 0 },
	{ "MSI 32-bit: data virtual", FN_CAPS, PCI_CAP_ID_MSI, false,
	  PCI_MSI_DATA_32, 2, true, 0x4242, 0x4242, 0xffff, 0, .no_hw = true },
	{ "MSI 32-bit: mask bits reach hardware", FN_CAPS, PCI_CAP_ID_MSI,
	  false, PCI_MSI_MASK_32, 4, true, 0x3, 0x3, 0x3, 0x3 },
	{ "MSI 32-bit: pending bits the function's", FN_CAPS, PCI_CAP_ID_MSI,
	  false, PCI_MSI_PENDING_32, 4, true, 0x3, 0, ~0U, 0 },
	{ "MSI 32-bit unmaskable: address virtual", FN_NOMASK, PCI_CAP_ID_MSI,
	  false, PCI_MSI_ADDRESS_LO, 4, true, 0xfee01004, 0xfee01004, ~0U, 0,
	  .no_hw = true },
	{ "MSI 32-bit unmaskable: data virtual", FN_NOMASK, PCI_CAP_ID_MSI,
	  false, PCI_MSI_DATA_32, 2, true, 0x4242, 0x4242, 0xffff, 0,
	  .no_hw = true },
	{ "MSI 64-bit unmaskable: upper address virtual", FN_LENS,
	  PCI_CAP_ID_MSI, false, PCI_MSI_ADDRESS_HI, 4, true, 0x12, 0x12, ~0U,
	  0, .no_hw = true },
	{ "MSI 64-bit unmaskable: data virtual", FN_LENS, PCI_CAP_ID_MSI,
	  false, PCI_MSI_DATA_64, 2, true, 0x4242, 0x4242, 0xffff, 0,
	  .no_hw = true },
	/* MSI-X: read-only, its ID and next pointer the user's chain */
	{ "MSI-X: ID and next", FN_DMA, PCI_CAP_ID_MSIX, false,
	  PCI_CAP_LIST_ID, 2, false, 0, 0x6c00 | PCI_CAP_ID_MSIX },
	{ "MSI-X: enable dropped", FN_DMA, PCI_CAP_ID_MSIX, false,
	  PCI_MSIX_FLAGS, 2, true, PCI_MSIX_FLAGS_ENABLE, 3,
	  PCI_MSIX_FLAGS_ENABLE, 0, .no_hw = true },
	/* PCI Express */
	{ "PCIe: FLR reads 0", FN_DMA, PCI_CAP_ID_EXP, false, PCI_EXP_DEVCTL,
	  2, true, PCI_EXP_DEVCTL_BCR_FLR, 0, PCI_EXP_DEVCTL_BCR_FLR, 0 },
	{ "PCIe: payload size virtual", FN_DMA, PCI_CAP_ID_EXP, false,
	  PCI_EXP_DEVCTL, 2, true, 1 << 5, 1 << 5, PCI_EXP_DEVCTL_PAYLOAD, 0 },
	{ "PCIe: phantom functions refused", FN_DMA, PCI_CAP_ID_EXP, false,
	  PCI_EXP_DEVCTL, 2, true, PCI_EXP_DEVCTL_PHANTOM, 0,
	  PCI_EXP_DEVCTL_PHANTOM, 0 },
	{ "PCIe: relaxed ordering reaches hardware", FN_DMA, PCI_CAP_ID_EXP,
	  false, PCI_EXP_DEVCTL, 2, true, PCI_EXP_DEVCTL_URRE,
	  PCI_EXP_DEVCTL_URRE, PCI_EXP_DEVCTL_URRE | PCI_EXP_DEVCTL_RELAX_EN,
	  PCI_EXP_DEVCTL_URRE },
	/* Completion timeout reaches the function; ARI forwarding not. */
	{ "PCIe: device control 2", FN_DMA, PCI_CAP_ID_EXP, false,
	  PCI_EXP_DEVCTL2, 2, true, 0x5 | PCI_EXP_DEVCTL2_COMP_TMOUT_DIS |
	  PCI_EXP_DEVCTL2_ARI, 0x5 | PCI_EXP_DEVCTL2_COMP_TMOUT_DIS, 0xffff,
	  0x5 | PCI_EXP_DEVCTL2_COMP_TMOUT_DIS },
	{ "PCIe: read request size floored at MPS", FN_DMA, PCI_CAP_ID_EXP,
	  false, PCI_EXP_DEVCTL, 2, true, 0, 0, PCI_EXP_DEVCTL_READRQ,
	  PCI_EXP_DEVCTL_READRQ_128B },
	/* PCI-X: passed through ("lens": version 2, writable throughout). */
	{ "PCI-X: command", FN_LENS, PCI_CAP_ID_PCIX, false, PCI_X_CMD, 2,
	  true, 0xffff, 0xffff, 0xffff, 0xffff },
	{ "PCI-X: ECC control", FN_LENS, PCI_CAP_ID_PCIX, false, PCI_X_ECC_CSR,
	  4, true, ~0U, ~0U, ~0U, ~0U },
	/* AF */
	{ "AF: FLR reads 0", FN_CAPS, PCI_CAP_ID_AF, false, PCI_AF_CTRL, 1,
	  true, PCI_AF_CTRL_FLR, 0, PCI_AF_CTRL_FLR, 0 },
	{ "AF: capabilities", FN_CAPS, PCI_CAP_ID_AF, false, PCI_AF_CAP, 1,
	  false, 0, PCI_AF_CAP_TP | PCI_AF_CAP_FLR },
	/* Vendor-specific: passed through */
	{ "vendor-specific length", FN_REGFILE, PCI_CAP_ID_VNDR, false,
	  PCI_CAP_FLAGS, 1, false, 0, 8 },
	{ "vendor-specific data", FN_REGFILE, PCI_CAP_ID_VNDR, false, 4, 4,
	  true, 0, 0x07060504 },
	/* AER */
	{ "AER: header", FN_DMA, PCI_EXT_CAP_ID_ERR, true, 0, 4, true, 0,
	  PCI_EXT_CAP_ID_ERR | 1 << 16 },
	/* Error status: the function's, nothing logged here. */
	{ "AER: uncorrectable status", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_UNCOR_STATUS, 4, true, ~0U, 0, ~0U, 0 },
	{ "AER: correctable status", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_COR_STATUS, 4, true, ~0U, 0, ~0U, 0 },
	/* AER masks and severity: the hardware's, every bit it has. */
	{ "AER: mask writable", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_UNCOR_MASK, 4, true, ~0U, SIMPCI_AER_UNCOR_ERRORS, ~0U,
	  SIMPCI_AER_UNCOR_ERRORS },
	{ "AER: severity writable", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_UNCOR_SEVER, 4, true, ~0U, SIMPCI_AER_UNCOR_ERRORS, ~0U,
	  SIMPCI_AER_UNCOR_ERRORS },
	{ "AER: correctable mask writable", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_COR_MASK, 4, true, ~0U, SIMPCI_AER_COR_ERRORS, ~0U,
	  SIMPCI_AER_COR_ERRORS },
	{ "AER: ECRC generation writable", FN_DMA, PCI_EXT_CAP_ID_ERR, true,
	  PCI_ERR_CAP, 4, true, PCI_ERR_CAP_ECRC_GENE, PCI_ERR_CAP_ECRC_GENE,
	  PCI_ERR_CAP_ECRC_GENE, PCI_ERR_CAP_ECRC_GENE },
	/* ACS: read-only; the PCI core enabled what the function has. */
	{ "ACS: control read-only", FN_CAPS, PCI_EXT_CAP_ID_ACS, true,
	  PCI_ACS_CTRL, 2, true, 0, ACS_ENABLED, 0xffff, ACS_ENABLED },
	{ "DSN: serial", FN_CAPS, PCI_EXT_CAP_ID_DSN, true, 4, 4, false, 0,
	  0x89abcdef },
};

KUNIT_ARRAY_PARAM_DESC(cfg, cfg_cases, name);

/* Where capability @id is in the user's chain (0 for the header). */
static int vp_find_cap(struct vp *v, u16 id, bool ext)
{
	int pos, loops = 64;
	u32 hdr;

	if (!id)
		return 0;
	if (ext) {
		for (pos = PCI_CFG_SPACE_SIZE; pos && loops--;
		     pos = PCI_EXT_CAP_NEXT(hdr)) {
			hdr = vp_cfg_read(v, pos, 4);
			if (PCI_EXT_CAP_ID(hdr) == id)
				return pos;
		}
		return -1;
	}
	if (!(vp_cfg_read(v, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return -1;
	for (pos = vp_cfg_read(v, PCI_CAPABILITY_LIST, 1); pos && loops--;
	     pos = vp_cfg_read(v, pos + PCI_CAP_LIST_NEXT, 1))
		if (vp_cfg_read(v, pos, 1) == id)
			return pos;
	return -1;
}

/* Config writes that reached the function since the last call. */
static unsigned int sim_cfg_writes(struct simpci_dev *sdev)
{
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	unsigned int i, n = simpci_cfg_accesses(sdev, log), writes = 0;

	for (i = 0; i < n; i++)
		writes += log[i].write;
	return writes;
}

static void uvfio_pci_config(struct kunit *test)
{
	const struct cfg_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct simpci_dev *sdev = vp_sdev(v);
	int pos = vp_find_cap(v, c->cap, c->ext);
	u32 hw;

	KUNIT_ASSERT_GE(test, pos, 0);
	hw = c->hw_kept ? sim_cfg_read(v->pdev, pos + c->off, c->size) : c->hw;
	sim_cfg_writes(sdev);
	if (c->write)
		vp_cfg_write(v, pos + c->off, c->size, c->val);
	if (c->no_hw)
		KUNIT_EXPECT_EQ(test, sim_cfg_writes(sdev), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + c->off, c->size), c->expect);
	if (c->hw_mask)
		KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, pos + c->off, c->size) &
				c->hw_mask, hw & c->hw_mask);
}

/*
 * The status register's error bits are the function's, and no user write
 * clears them (upstream gives status no writable bit): a write of ones
 * must not be read back and passed on to the write-1-to-clear bits.
 */
static void uvfio_pci_status_errors(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	struct sim_fn dma = sim_open(test, SIM_DMA_DEVFN);

	/* A copy from nowhere: the function records a master abort. */
	KUNIT_ASSERT_EQ(test, sim_dma_copy(&dma, 0x7fff00000000ULL, 0, 8, 0),
			SIMPCI_DMA_ERROR);
	KUNIT_ASSERT_TRUE(test, sim_cfg_read(v->pdev, PCI_STATUS, 2) &
			  PCI_STATUS_REC_MASTER_ABORT);
	vp_cfg_write(v, PCI_STATUS, 2, 0xffff);
	KUNIT_EXPECT_TRUE(test, vp_cfg_read(v, PCI_STATUS, 2) &
			  PCI_STATUS_REC_MASTER_ABORT);
	KUNIT_EXPECT_TRUE(test, sim_cfg_read(v->pdev, PCI_STATUS, 2) &
			  PCI_STATUS_REC_MASTER_ABORT);
}

/*
 * The error status registers are the function's: the user reads the
 * errors it logged and clears them by writing ones.
 */
static void uvfio_pci_aer_status(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	struct simpci_dev *sdev = vp_sdev(v);
	int aer = vp_find_cap(v, PCI_EXT_CAP_ID_ERR, true);
	int cor = aer + PCI_ERR_COR_STATUS, unc = aer + PCI_ERR_UNCOR_STATUS;

	KUNIT_ASSERT_GT(test, aer, 0);
	KUNIT_ASSERT_EQ(test, simpci_raise_aer_cor(sdev, PCI_ERR_COR_RCVR), 0);
	KUNIT_ASSERT_EQ(test, simpci_raise_aer_cor(sdev, PCI_ERR_COR_INTERNAL),
			0);
	KUNIT_ASSERT_EQ(test, simpci_raise_aer(sdev, PCI_ERR_UNC_COMP_ABORT),
			0);
	KUNIT_ASSERT_EQ(test, simpci_raise_aer(sdev, PCI_ERR_UNC_UNSUP), 0);
	/* The First Error Pointer is read as the function has it now. */
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, aer + PCI_ERR_CAP, 4) &
			PCI_ERR_CAP_FEP(~0U), __ffs(PCI_ERR_UNC_COMP_ABORT));
	/* One error at a time. */
	KUNIT_EXPECT_EQ(test, simpci_raise_aer_cor(sdev, PCI_ERR_COR_RCVR |
						   PCI_ERR_COR_BAD_TLP),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, cor, 4),
			PCI_ERR_COR_RCVR | PCI_ERR_COR_INTERNAL);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, unc, 4),
			PCI_ERR_UNC_COMP_ABORT | PCI_ERR_UNC_UNSUP);

	vp_cfg_write(v, cor, 4, PCI_ERR_COR_RCVR);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, cor, 4), PCI_ERR_COR_INTERNAL);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, cor, 4),
			PCI_ERR_COR_INTERNAL);
	vp_cfg_write(v, unc, 4, PCI_ERR_UNC_UNSUP);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, unc, 4), PCI_ERR_UNC_COMP_ABORT);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, unc, 4),
			PCI_ERR_UNC_COMP_ABORT);
}

/*
 * Capabilities whose length their registers tell ("lens"): the user's
 * writes to a capability without permissions are dropped up to its last
 * byte; the byte after it belongs to no capability and goes to the
 * function.
 */
struct len_case {
	const char *name;
	u16 id;
	bool ext;
	int len;
	bool second;	/* the second capability of this ID */
};

static const struct len_case len_cases[] = {
	{ "HyperTransport, short", PCI_CAP_ID_HT, false, HT_CAP_SIZEOF_SHORT },
	{ "SATA, inline", PCI_CAP_ID_SATA, false, PCI_SATA_SIZEOF_LONG },
	{ "PCI-X version 2", PCI_CAP_ID_PCIX, false, PCI_CAP_PCIX_SIZEOF_V2 },
	{ "PCI-X version 0", PCI_CAP_ID_PCIX, false, PCI_CAP_PCIX_SIZEOF_V0,
	  true },
	{ "VC, one extra VC", PCI_EXT_CAP_ID_VC, true, 0x28 },
	{ "VC9, 32-phase table", PCI_EXT_CAP_ID_VC9, true, 0x30 },
	{ "ACS, 33 egress bits", PCI_EXT_CAP_ID_ACS, true, 16 },
	{ "ACS without egress control", PCI_EXT_CAP_ID_ACS, true, 8, true },
	{ "Resizable BAR, two BARs", PCI_EXT_CAP_ID_REBAR, true, 20 },
	{ "DPA, four substates", PCI_EXT_CAP_ID_DPA, true, 20 },
	{ "TPH, three steering tags", PCI_EXT_CAP_ID_TPH, true, 20 },
};

KUNIT_ARRAY_PARAM_DESC(len, len_cases, name);

static void uvfio_pci_cap_len(struct kunit *test)
{
	const struct len_case *c = test->param_value;
	struct vp *v = vp_open(test, FN_LENS);
	int pos = c->ext ? pci_find_ext_capability(v->pdev, c->id) :
			   pci_find_capability(v->pdev, c->id);
	int last;
	u8 old;

	if (c->second)
		pos = c->ext ? pci_find_next_ext_capability(v->pdev, pos, c->id) :
			       pci_find_next_capability(v->pdev, pos, c->id);
	KUNIT_ASSERT_GT(test, pos, 0);
	last = pos + c->len - 1;
	old = sim_cfg_read(v->pdev, last, 1);
	vp_cfg_write(v, last, 1, old ^ 0xff);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, last, 1), old);
	vp_cfg_write(v, last + 1, 1, 0x5a);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, last + 1, 1), 0x5a);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, last + 1, 1), 0x5a);
}

/*
 * Power budgeting ("lens"): the data byte the user writes reaches the
 * function, as upstream lets it; the rest of the capability is read-only.
 */
static void uvfio_pci_power_budget(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_LENS);
	int pos = pci_find_ext_capability(v->pdev, PCI_EXT_CAP_ID_PWR);

	KUNIT_ASSERT_GT(test, pos, 0);
	vp_cfg_write(v, pos + PCI_PWR_DATA, 1, 0xa5);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, pos + PCI_PWR_DATA, 1), 0xa5);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + PCI_PWR_DATA, 1), 0xa5);
	vp_cfg_write(v, pos + PCI_PWR_DSR, 1, 0xa5);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, pos + PCI_PWR_DSR, 1), 0);
}

/*
 * A capability without a table ("lens": vendor-specific, then a hidden
 * one) passes the function's bytes through but for the chain's: its next
 * pointer is the user's chain, read alone or with the ID. Past them, the
 * bytes are the function's as they are now (SATA's revision, changed by
 * the host).
 */
static void uvfio_pci_direct_next(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_LENS);
	int pos = pci_find_capability(v->pdev, PCI_CAP_ID_VNDR);
	int sata = pci_find_capability(v->pdev, PCI_CAP_ID_SATA);

	KUNIT_ASSERT_GT(test, sata, 0);
	pci_write_config_word(v->pdev, sata + PCI_SATA_REGS - 2, 0x0012);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, sata + PCI_SATA_REGS - 2, 2),
			0x0012);
	KUNIT_ASSERT_GT(test, pos, 0);
	KUNIT_ASSERT_NE(test, sim_cfg_read(v->pdev, pos + PCI_CAP_LIST_NEXT, 1),
			0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + PCI_CAP_LIST_NEXT, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos, 2), PCI_CAP_ID_VNDR);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + PCI_CAP_FLAGS, 1), 7);
}

/* Every capability of "lens" is shown where the function has it. */
static void uvfio_pci_lens_shown(struct kunit *test)
{
	static const u16 ext[] = {
		PCI_EXT_CAP_ID_VC, PCI_EXT_CAP_ID_VC9, PCI_EXT_CAP_ID_ACS,
		PCI_EXT_CAP_ID_REBAR, PCI_EXT_CAP_ID_DPA, PCI_EXT_CAP_ID_TPH,
		PCI_EXT_CAP_ID_PWR, PCI_EXT_CAP_ID_VNDR, PCI_EXT_CAP_ID_DVSEC,
	};
	static const u8 std[] = {
		PCI_CAP_ID_EXP, PCI_CAP_ID_HT, PCI_CAP_ID_SATA, PCI_CAP_ID_PCIX,
	};
	struct vp *v = vp_open(test, FN_LENS);
	int i;

	for (i = 0; i < ARRAY_SIZE(ext); i++)
		KUNIT_EXPECT_EQ_MSG(test, vp_find_cap(v, ext[i], true),
				    pci_find_ext_capability(v->pdev, ext[i]),
				    "extended capability %#x", ext[i]);
	for (i = 0; i < ARRAY_SIZE(std); i++)
		KUNIT_EXPECT_EQ_MSG(test, vp_find_cap(v, std[i], false),
				    pci_find_capability(v->pdev, std[i]),
				    "capability %#x", std[i]);
}

/*
 * The chains the user sees on "caps": the slot ID capability (a bridge's)
 * is left out of the standard chain; PASID, first of the extended chain,
 * keeps the place at 0x100 as ID 0 version 0 and points on; PTM, later in
 * it, is unlinked.
 */
static void uvfio_pci_hidden_caps(struct kunit *test)
{
	static const u8 shown[] = {
		PCI_CAP_ID_PM, PCI_CAP_ID_MSI, PCI_CAP_ID_VPD, PCI_CAP_ID_AF,
		PCI_CAP_ID_EXP, PCI_CAP_ID_VNDR,
	};
	/* PASID first, kept as a placeholder; PTM after AER, unlinked. */
	static const u16 eshown[] = {
		0, PCI_EXT_CAP_ID_ERR, PCI_EXT_CAP_ID_DSN, PCI_EXT_CAP_ID_ACS,
	};
	struct vp *v = vp_open(test, FN_CAPS);
	int pos, slot = pci_find_capability(v->pdev, PCI_CAP_ID_SLOTID);
	unsigned int i = 0;
	u32 hdr;

	KUNIT_ASSERT_NE(test, slot, 0);
	for (pos = vp_cfg_read(v, PCI_CAPABILITY_LIST, 1); pos;
	     pos = vp_cfg_read(v, pos + PCI_CAP_LIST_NEXT, 1)) {
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(shown));
		KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos, 1), shown[i++]);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(shown));
	/*
	 * Past its header, a capability without a table reads the hardware
	 * as it is now: ACS control, set by the PCI core, changed by it.
	 */
	pos = pci_find_ext_capability(v->pdev, PCI_EXT_CAP_ID_ACS);
	KUNIT_ASSERT_NE(test, pos, 0);
	pci_write_config_word(v->pdev, pos + PCI_ACS_CTRL, PCI_ACS_SV);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + PCI_ACS_CAP, 4),
			PCI_ACS_SV << 16 | sim_cfg_read(v->pdev, pos + PCI_ACS_CAP, 2));
	/* Read where it is, the hidden one is the hardware's, read-only. */
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, slot, 1), PCI_CAP_ID_SLOTID);
	vp_cfg_write(v, slot + PCI_SID_CHASSIS_NR, 1, 7);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, slot + PCI_SID_CHASSIS_NR, 1), 1);

	i = 0;
	for (pos = PCI_CFG_SPACE_SIZE; pos; pos = PCI_EXT_CAP_NEXT(hdr)) {
		hdr = vp_cfg_read(v, pos, 4);
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(eshown));
		KUNIT_EXPECT_EQ(test, PCI_EXT_CAP_ID(hdr), eshown[i]);
		if (!i++)
			KUNIT_EXPECT_EQ(test, PCI_EXT_CAP_VER(hdr), 0);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(eshown));
	/*
	 * Only the header of the hidden one is claimed; the rest is bytes
	 * of no capability, passed through as upstream does.
	 */
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_CFG_SPACE_SIZE + PCI_PASID_CAP,
					  2), PCI_PASID_CAP_EXEC | 8 << 8);
	vp_cfg_write(v, PCI_CFG_SPACE_SIZE + PCI_PASID_CTRL, 2, 1);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CFG_SPACE_SIZE +
				      PCI_PASID_CTRL, 2), 1);
}

/*
 * A function whose only capability is hidden shows none: the status bit
 * cleared, the pointer 0, the hardware unchanged.
 */
static void uvfio_pci_no_caps(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BARE);

	KUNIT_EXPECT_TRUE(test, sim_cfg_read(v->pdev, PCI_STATUS, 2) &
			  PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, vp_find_cap(v, PCI_CAP_ID_SLOTID, false), -1);
	KUNIT_EXPECT_FALSE(test, vp_cfg_read(v, PCI_STATUS, 2) &
			   PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_CAPABILITY_LIST, 1), 0);
}

/*
 * Every capability but PCI Express hidden ("hidden"): a null one and
 * one of an unknown ID are left out of the standard chain, as upstream
 * leaves them, and with no extended capability
 * to show, the dword at 0x100 reads 0.
 */
static void uvfio_pci_hidden_only(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_HIDDEN);
	struct simpci_dev *sdev = vp_sdev(v);
	int pos = vp_cfg_read(v, PCI_CAPABILITY_LIST, 1);

	KUNIT_EXPECT_NE(test, sim_cfg_read(v->pdev, PCI_CFG_SPACE_SIZE, 4), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_CFG_SPACE_SIZE, 4), 0);
	KUNIT_ASSERT_NE(test, pos, 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos, 1), PCI_CAP_ID_EXP);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, pos + PCI_CAP_LIST_NEXT, 1), 0);
	KUNIT_EXPECT_EQ(test, pos, pci_find_capability(v->pdev, PCI_CAP_ID_EXP));
	/*
	 * Version 1 of an integrated endpoint claims 12 bytes: what follows
	 * is no capability's and reaches the function.
	 */
	sim_cfg_writes(sdev);
	vp_cfg_write(v, pos + PCI_EXP_LNKCAP, 4, 1);
	KUNIT_EXPECT_EQ(test, sim_cfg_writes(sdev), 1);
}

/*
 * Two capabilities of one ID meeting at 0x100 ("edge": PM at 0xf8, AER at
 * 0x100) stay two: AER's header is its own (read-only, no write reaches
 * the function), not PM's bytes 8-11.
 */
static void uvfio_pci_cap_at_boundary(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_EDGE);
	struct simpci_dev *sdev = vp_sdev(v);
	u32 hdr;

	KUNIT_ASSERT_EQ(test, vp_find_cap(v, PCI_CAP_ID_PM, false), 0xf8);
	KUNIT_ASSERT_EQ(test, vp_find_cap(v, PCI_EXT_CAP_ID_ERR, true),
			PCI_CFG_SPACE_SIZE);
	hdr = vp_cfg_read(v, PCI_CFG_SPACE_SIZE, 4);
	KUNIT_EXPECT_EQ(test, PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_ID_ERR);
	sim_cfg_writes(sdev);
	vp_cfg_write(v, PCI_CFG_SPACE_SIZE, 4, ~hdr);
	KUNIT_EXPECT_EQ(test, sim_cfg_writes(sdev), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_CFG_SPACE_SIZE, 4), hdr);
}

/*
 * Config space reaches the function in the widest aligned pieces that
 * stay in one dword and one owner: @off (in capability @cap of "lens"
 * when set), @count of one user access, and the sizes the function saw,
 * in order.
 */
struct cfg_width_case {
	const char *name;
	u8 cap;
	int off;
	size_t count;
	bool write;
	u8 sizes[4];
};

static const struct cfg_width_case cfg_width_cases[] = {
	{ "dword", 0, 0xf0, 4, false, { 4 } },
	{ "dword written", 0, 0xf0, 4, true, { 4 } },
	{ "upper word", 0, 0xf2, 2, false, { 2 } },
	{ "two dwords", 0, 0xf0, 8, false, { 4, 4 } },
	{ "three bytes from an odd one", 0, 0xf1, 3, false, { 1, 2 } },
	{ "a word across dwords", 0, 0xf3, 2, false, { 1, 1 } },
	{ "six bytes from a word", 0, 0xf2, 6, true, { 2, 4 } },
	/* lens' 7-byte vendor-specific capability: its last byte, then none. */
	{ "a word of two owners", PCI_CAP_ID_VNDR, 6, 2, false, { 1, 1 } },
	{ "a dword of two owners", PCI_CAP_ID_VNDR, 4, 4, false, { 2, 1, 1 } },
};

KUNIT_ARRAY_PARAM_DESC(cfg_width, cfg_width_cases, name);

static void uvfio_pci_cfg_width(struct kunit *test)
{
	const struct cfg_width_case *c = test->param_value;
	struct vp *v = vp_open(test, c->cap ? FN_LENS : FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	int off = c->off + (c->cap ? pci_find_capability(v->pdev, c->cap) : 0);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	unsigned int i, n = 0;
	u64 val = 0;

	while (n < ARRAY_SIZE(c->sizes) && c->sizes[n])
		n++;
	simpci_cfg_accesses(sdev, log);
	if (c->cap)
		KUNIT_ASSERT_GT(test, off, c->off);
	KUNIT_ASSERT_EQ(test, vp_rw(v, CFG, off, &val, c->count, c->write),
			c->count);
	KUNIT_ASSERT_EQ(test, simpci_cfg_accesses(sdev, log), n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, log[i].size, c->sizes[i], "[%u]", i);
		KUNIT_EXPECT_EQ_MSG(test, log[i].write, c->write, "[%u]", i);
	}
	KUNIT_EXPECT_EQ(test, log[0].off, off);
}

/*
 * A read of bytes that are all virtual (a BAR's) is answered from the
 * virtual config space alone: the hardware sees no access, at any width.
 */
static void uvfio_pci_cfg_virtual_read(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	static const int sizes[] = { 1, 2, 4 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 val = 0;

		simpci_cfg_accesses(sdev, log);
		KUNIT_ASSERT_EQ(test, vp_rw(v, CFG, PCI_BASE_ADDRESS_0, &val,
					    sizes[i], false), sizes[i]);
		KUNIT_EXPECT_EQ_MSG(test, simpci_cfg_accesses(sdev, log), 0,
				    "%d bytes", sizes[i]);
	}
}

/*
 * The MSI message is the user's copy: writing it reaches no hardware, nor
 * does a write of the reserved bytes of a maskable MSI capability.
 */
static void uvfio_pci_msi_message_write(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	struct simpci_access log[SIMPCI_ACCESS_LOG];
	int msi = v->pdev->msi_cap;

	KUNIT_ASSERT_NE(test, msi, 0);
	simpci_cfg_accesses(sdev, log);
	vp_cfg_write(v, msi + PCI_MSI_ADDRESS_LO, 4, 0xfee01000);
	KUNIT_EXPECT_EQ(test, simpci_cfg_accesses(sdev, log), 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, msi + PCI_MSI_ADDRESS_LO, 4),
			0xfee01000);
	/* The reserved bytes after the data, before the mask: dropped. */
	vp_cfg_write(v, msi + PCI_MSI_DATA_64 + 2, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, simpci_cfg_accesses(sdev, log), 0);
}

/*
 * Only a write of PMCSR changes the power state: the same bits written
 * to the read-only PMC next to it leave the function in D0.
 */
static void uvfio_pci_pm_other_register(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	int pm = v->pdev->pm_cap;

	KUNIT_ASSERT_NE(test, pm, 0);
	vp_cfg_write(v, pm + PCI_PM_PMC, 2, PCI_D3hot);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D0);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, pm + PCI_PM_CTRL, 2) &
			PCI_PM_CTRL_STATE_MASK, 0);
}

/*
 * Bytes no capability claims go to the hardware as they are: the bytes
 * after regfile's last capability read what the hardware has.
 */
static void uvfio_pci_unclaimed(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	int off = 0xf0;

	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, off, 4), sim_cfg_read(v->pdev, off, 4));
	vp_cfg_write(v, off, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, off, 4), sim_cfg_read(v->pdev, off, 4));
	/* Across the end of a capability: cut into pieces, both answered. */
	KUNIT_EXPECT_EQ(test, vp_rw(v, CFG, PCI_STD_HEADER_SIZEOF - 2, &off, 4,
				    false), 4);
}

/* An FLR asked through the PCIe or AF capability resets the function. */
static void uvfio_pci_user_flr(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_CAPS);
	int af = vp_find_cap(v, PCI_CAP_ID_AF, false);
	int pasid = pci_find_ext_capability(v->pdev, PCI_EXT_CAP_ID_PASID);
	u16 ctrl;

	/* PASID control is not saved and restored: a reset clears it. */
	pci_write_config_word(v->pdev, pasid + PCI_PASID_CTRL,
			      PCI_PASID_CTRL_ENABLE);
	vp_cfg_write(v, af + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
	pci_read_config_word(v->pdev, pasid + PCI_PASID_CTRL, &ctrl);
	KUNIT_EXPECT_EQ(test, ctrl, 0);
	/* Other bits of the byte do not reset. */
	pci_write_config_word(v->pdev, pasid + PCI_PASID_CTRL,
			      PCI_PASID_CTRL_ENABLE);
	vp_cfg_write(v, af + PCI_AF_CTRL, 1, (u8)~PCI_AF_CTRL_FLR);
	pci_read_config_word(v->pdev, pasid + PCI_PASID_CTRL, &ctrl);
	KUNIT_EXPECT_EQ(test, ctrl, PCI_PASID_CTRL_ENABLE);
	/* PCIe's Initiate FLR does nothing where FLR is not advertised. */
	vp_cfg_write(v, v->pdev->pcie_cap + PCI_EXP_DEVCTL, 2,
		     vp_cfg_read(v, v->pdev->pcie_cap + PCI_EXP_DEVCTL, 2) |
		     PCI_EXP_DEVCTL_BCR_FLR);
	pci_read_config_word(v->pdev, pasid + PCI_PASID_CTRL, &ctrl);
	KUNIT_EXPECT_EQ(test, ctrl, PCI_PASID_CTRL_ENABLE);
}

/*
 * AF's FLR needs Transactions Pending too ("nomask" has FLR alone): the
 * write resets nothing, though a PM reset could.
 */
static void uvfio_pci_af_flr_without_tp(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_NOMASK);
	struct simpci_dev *sdev = vp_sdev(v);
	int af = vp_find_cap(v, PCI_CAP_ID_AF, false);

	KUNIT_ASSERT_GT(test, af, 0);
	KUNIT_ASSERT_NE(test, v->pdev->reset_methods[0], 0);
	sim_cfg_writes(sdev);
	vp_cfg_write(v, af + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
	KUNIT_EXPECT_EQ(test, sim_cfg_writes(sdev), 0);
}

/* PCIe's Initiate FLR where the function has FLR: the model is reset. */
static void uvfio_pci_user_pcie_flr(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	int exp = v->pdev->pcie_cap;
	u32 src = 0;

	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	vp_bar_write32(v, 0, SIMPCI_DMA_SRC, 0x1234);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SIMPCI_DMA_SRC, &src, 4, false), 4);
	KUNIT_EXPECT_EQ(test, src, 0x1234);
	vp_cfg_write(v, exp + PCI_EXP_DEVCTL, 2,
		     vp_cfg_read(v, exp + PCI_EXP_DEVCTL, 2) |
		     PCI_EXP_DEVCTL_BCR_FLR);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, exp + PCI_EXP_DEVCTL, 2) &
			PCI_EXP_DEVCTL_BCR_FLR, 0);
	vp_cfg_write(v, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, SIMPCI_DMA_SRC, &src, 4, false), 4);
	KUNIT_EXPECT_EQ(test, src, 0);
}

/*
 * VPD through the PCI core's VPD access: writing the address (flag 0)
 * reads four bytes into the data register and raises the flag; writing it
 * with the flag set writes the data and clears it. The hardware's own
 * registers are not the user's.
 */
static void uvfio_pci_vpd(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_CAPS);
	int vpd = vp_find_cap(v, PCI_CAP_ID_VPD, false);

	KUNIT_ASSERT_GT(test, vpd, 0);
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 2, 3);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2),
			PCI_VPD_ADDR_F | 3);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_DATA, 4),
			0x204d4953);	/* "SIM " */
	/* Only a write of the flag's byte starts an operation. */
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 1, 7);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2),
			PCI_VPD_ADDR_F | 7);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_DATA, 4),
			0x204d4953);

	vp_cfg_write(v, vpd + PCI_VPD_DATA, 4, 0x12345678);
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 2, PCI_VPD_ADDR_F);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2), 0);
	/* Flag clear, the low byte alone: still no read starts. */
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 1, 7);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2), 7);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_DATA, 4),
			0x12345678);
	/* The flag's byte alone: a read of the address the low byte has. */
	vp_cfg_write(v, vpd + PCI_VPD_ADDR + 1, 1, 0);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2),
			PCI_VPD_ADDR_F | 7);
	/* Past the VPD: nothing to read, zeros, the operation done. */
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 2, 0x100);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2),
			PCI_VPD_ADDR_F | 0x100);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_DATA, 4), 0);
	/*
	 * A write there fails in the PCI core: the user's write is taken
	 * (no error), the flag stays as the user set it.
	 */
	vp_cfg_write(v, vpd + PCI_VPD_ADDR, 2, PCI_VPD_ADDR_F | 0x100);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, vpd + PCI_VPD_ADDR, 2),
			PCI_VPD_ADDR_F | 0x100);
}

static unsigned long vp_mmap(struct vp *v, u32 index, u64 off, size_t len,
			     unsigned long flags)
{
	return kunit_vm_mmap(v->fx->test, v->device, 0, len,
			     PROT_READ | PROT_WRITE, flags,
			     uvfio_pci_index_to_offset(index) + off);
}

struct mmap_case {
	const char *name;
	enum vp_fn fn;
	u32 index;
	u64 off;
	size_t len;
	bool private;
	bool ok;
};

static const struct mmap_case mmap_cases[] = {
	{ "RAM BAR", FN_REGFILE, 2, 0, SZ_64K, false, true },
	{ "RAM BAR, one page inside", FN_REGFILE, 2, P, P, false, true },
	{ "register BAR", FN_REGFILE, 0, 0, P, false, true },
	{ "MSI-X BAR", FN_DMA, 0, 0, P, false, true },
	{ "private", FN_REGFILE, 2, 0, P, true, false },
	{ "past the end", FN_REGFILE, 2, 0, SZ_64K + P, false, false },
	{ "at the end", FN_REGFILE, 2, SZ_64K, P, false, false },
	{ "empty BAR", FN_REGFILE, 1, 0, P, false, false },
	{ "ROM", FN_REGFILE, ROM, 0, P, false, false },
	{ "ROM of a page", FN_CAPS, ROM, 0, P, false, false },
	{ "config", FN_REGFILE, CFG, 0, P, false, false },
	{ "VGA", FN_REGFILE, VFIO_PCI_VGA_REGION_INDEX, 0, P, false, false },
	{ "index 9", FN_REGFILE, 9, 0, P, false, false },
};

KUNIT_ARRAY_PARAM_DESC(mmap, mmap_cases, name);

static void uvfio_pci_mmap(struct kunit *test)
{
	const struct mmap_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	unsigned long addr;

	addr = vp_mmap(v, c->index, c->off, c->len,
		       c->private ? MAP_PRIVATE : MAP_SHARED);
	KUNIT_EXPECT_EQ(test, IS_ERR_VALUE(addr), !c->ok);
	if (!c->ok)
		KUNIT_EXPECT_EQ(test, (long)addr, -EINVAL);
}

/* Whether a page of the user mapping at @addr is in the page table. */
static bool vp_mapped(unsigned long addr)
{
	struct follow_pfnmap_args args = { .address = addr };
	bool mapped = false;

	mmap_read_lock(current->mm);
	args.vma = vma_lookup(current->mm, addr);
	if (args.vma && !follow_pfnmap_start(&args)) {
		mapped = true;
		follow_pfnmap_end(&args);
	}
	mmap_read_unlock(current->mm);
	return mapped;
}

/*
 * A RAM BAR through mmap: the pages of the BAR, faulted in at the first
 * touch, taken away by decode off (touching fails) and by a reset, and
 * faulted back in afterwards.
 */
static void uvfio_pci_mmap_zap(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	u16 cmd = vp_cfg_read(v, PCI_COMMAND, 2);
	unsigned long addr = vp_mmap(v, 2, 0, SZ_64K, MAP_SHARED);
	u64 val = 0x1122334455667788ULL, back = 0;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_EXPECT_FALSE(test, vp_mapped(addr + P));
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)addr + P, &val,
					      8));
	KUNIT_EXPECT_TRUE(test, vp_mapped(addr + P));
	KUNIT_ASSERT_EQ(test, vp_rw(v, 2, P, &back, 8, false), 8);
	KUNIT_EXPECT_EQ(test, back, val);

	vp_cfg_write(v, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_FALSE(test, vp_mapped(addr + P));
	KUNIT_EXPECT_NE(test, 0, copy_from_user(&back, (void __user *)addr + P,
						8));
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	back = 0;
	KUNIT_EXPECT_EQ(test, 0, copy_from_user(&back,
						(void __user *)addr + P, 8));
	KUNIT_EXPECT_EQ(test, back, val);

	KUNIT_ASSERT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_RESET, 0), 0);
	KUNIT_EXPECT_FALSE(test, vp_mapped(addr + P));
	KUNIT_EXPECT_EQ(test, 0, copy_from_user(&back,
						(void __user *)addr + P, 8));
	KUNIT_EXPECT_TRUE(test, vp_mapped(addr + P));

	/* D3hot zaps too; D0 lets the pages back. */
	vp_cfg_write(v, v->pdev->pm_cap + PCI_PM_CTRL, 2, 3);
	KUNIT_EXPECT_FALSE(test, vp_mapped(addr + P));
	KUNIT_EXPECT_NE(test, 0, copy_from_user(&back, (void __user *)addr + P,
						8));
	vp_cfg_write(v, v->pdev->pm_cap + PCI_PM_CTRL, 2, 0);
	KUNIT_EXPECT_EQ(test, 0, copy_from_user(&back,
						(void __user *)addr + P, 8));
}

/* Every fd of a device maps into one place: one zap reaches all. */
static void uvfio_pci_mmap_two_fds(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct file *first = v->device;
	unsigned long a, b;
	u8 byte = 0x5a;

	a = vp_mmap(v, 2, 0, P, MAP_SHARED);
	v->device = vp_open_device(v);
	b = vp_mmap(v, 2, 0, P, MAP_SHARED);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(a) || IS_ERR_VALUE(b));
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)a, &byte, 1));
	byte = 0;
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(&byte, (void __user *)b, 1));
	KUNIT_EXPECT_EQ(test, byte, 0x5a);
	KUNIT_EXPECT_PTR_EQ(test, first->f_mapping, v->device->f_mapping);

	KUNIT_ASSERT_EQ(test, uvfio_ioctl(first, VFIO_DEVICE_RESET, 0), 0);
	KUNIT_EXPECT_FALSE(test, vp_mapped(a));
	KUNIT_EXPECT_FALSE(test, vp_mapped(b));
}

/* A register BAR maps, but under UML it has no page: a touch fails. */
static void uvfio_pci_mmap_register_bar(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	unsigned long addr = vp_mmap(v, 0, 0, P, MAP_SHARED);
	u32 val;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_EXPECT_NE(test, 0, copy_from_user(&val, (void __user *)addr, 4));
	KUNIT_EXPECT_FALSE(test, vp_mapped(addr));
}

/*
 * Open enables and saves, close restores: what the user changed in the
 * hardware is gone after the last close; while closed the function idles
 * in D3hot.
 */
static void uvfio_pci_open_close(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	u8 cls = sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1);

	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D0);
	KUNIT_EXPECT_TRUE(test, pci_is_enabled(v->pdev));
	vp_cfg_write(v, PCI_CACHE_LINE_SIZE, 1, cls ^ 0x10);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1),
			cls ^ 0x10);

	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, pci_is_enabled(v->pdev));
	/* The idle check, then the suspend, each a work item of pm_wq. */
	flush_workqueue(pm_wq);
	flush_workqueue(pm_wq);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D3hot);

	v->device = vp_open_device(v);
	KUNIT_EXPECT_EQ(test, v->pdev->current_state, PCI_D0);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1), cls);
	/* The user's view starts over too. */
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_INTERRUPT_LINE, 1),
			sim_cfg_read(v->pdev, PCI_INTERRUPT_LINE, 1));
}

static void vp_command_memory_back(void *data)
{
	struct pci_dev *pdev = data;

	pdev->no_command_memory = 0;
}

/*
 * A function without a memory enable (a VF, as the PCI core marks it)
 * shows the user's memory bit in the command register, whatever the
 * function has; no other register is touched.
 */
static void uvfio_pci_no_command_memory(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	u16 cmd = vp_cfg_read(v, PCI_COMMAND, 2) | PCI_COMMAND_MEMORY;

	v->pdev->no_command_memory = 1;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			vp_command_memory_back, v->pdev));
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	pci_write_config_word(v->pdev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_COMMAND, 2), cmd);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_COMMAND, 1), cmd & 0xff);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_VENDOR_ID, 2), SIMPCI_VENDOR);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_STATUS, 2),
			sim_cfg_read(v->pdev, PCI_STATUS, 2));
}

/*
 * An I/O BAR that cannot be mapped leaves no claim on it behind: the next
 * access fails the same way, not as if another driver held it (-EBUSY).
 */
static void uvfio_pci_io_bar_unclaimed(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_LENS);
	u32 val = 0;

	KUNIT_EXPECT_EQ(test, vp_rw(v, 1, 0, &val, 4, false), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 1, 0, &val, 4, true), -ENOMEM);
}

static void vp_rom_shadow_back(void *data)
{
	struct resource *rom = data;

	rom->flags &= ~IORESOURCE_ROM_SHADOW;
}

/*
 * A shadow ROM (the PCI core's mark of a boot VGA function whose ROM the
 * firmware copied) has no BAR behind it, yet its ROM BAR sizes as 128K.
 */
static void uvfio_pci_shadow_rom(struct kunit *test)
{
	struct pci_dev *pdev = uvfio_fn(test, SIM_DMA_DEVFN);
	struct resource *rom = &pdev->resource[PCI_ROM_RESOURCE];
	struct vp *v;

	KUNIT_ASSERT_EQ(test, pci_resource_len(pdev, PCI_ROM_RESOURCE), 0);
	rom->flags |= IORESOURCE_ROM_SHADOW;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			vp_rom_shadow_back, rom));
	v = vp_open_pdev(test, pdev);
	vp_cfg_write(v, PCI_ROM_ADDRESS, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_ROM_ADDRESS, 4),
			~(SZ_128K - 1) | PCI_ROM_ADDRESS_ENABLE);
}

/*
 * A reset we did not do: the hardware lost a BAR behind our back, and the
 * next write of the command register puts the host's BARs back.
 */
static void uvfio_pci_bar_restore(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	u32 bar0 = sim_cfg_read(v->pdev, PCI_BASE_ADDRESS_0, 4);
	u16 cmd = vp_cfg_read(v, PCI_COMMAND, 2);
	u32 val, rom, hdr, bars[PCI_STD_NUM_BARS];
	int i;

	KUNIT_ASSERT_NE(test, bar0, 0);
	/*
	 * Only BARs 0-5 tell a reset: with them in place, a command write
	 * restores nothing, not even a ROM BAR that changed.
	 */
	pci_write_config_dword(v->pdev, PCI_ROM_ADDRESS, PCI_ROM_ADDRESS_MASK);
	rom = sim_cfg_read(v->pdev, PCI_ROM_ADDRESS, 4);
	/* Not what the host left there (unassigned, 0), what a restore puts. */
	KUNIT_ASSERT_NE(test, rom, 0);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_ROM_ADDRESS, 4), rom);
	/* I/O decode on, kept on by the function: nothing to restore either. */
	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_IO);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_IO);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_ROM_ADDRESS, 4), rom);
	/* Lost behind our back while the user had it on: restored. */
	pci_write_config_word(v->pdev, PCI_COMMAND, cmd);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_IO);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_ROM_ADDRESS, 4), 0);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);

	pci_write_config_dword(v->pdev, PCI_BASE_ADDRESS_0, 0);
	/* Any other register: nothing is checked. */
	vp_cfg_write(v, PCI_CACHE_LINE_SIZE, 1, 0);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_BASE_ADDRESS_0, 4), 0);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_BASE_ADDRESS_0, 4), bar0);
	KUNIT_EXPECT_EQ(test, vp_rw(v, 0, 0, &val, 4, false), 4);
	KUNIT_EXPECT_EQ(test, val, SIMPCI_REGFILE_ID);

	/* Every BAR comes back where the host put it, and only the BARs. */
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		bars[i] = sim_cfg_read(v->pdev, PCI_BASE_ADDRESS_0 + 4 * i, 4);
		pci_write_config_dword(v->pdev, PCI_BASE_ADDRESS_0 + 4 * i, 0);
	}
	hdr = sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 4);
	sim_cfg_writes(sdev);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	/* Six BARs, the ROM BAR, the command: not the CardBus CIS after them. */
	KUNIT_EXPECT_EQ(test, sim_cfg_writes(sdev), PCI_STD_NUM_BARS + 2);
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		KUNIT_EXPECT_EQ_MSG(test, sim_cfg_read(v->pdev, PCI_BASE_ADDRESS_0 +
						       4 * i, 4), bars[i],
				    "BAR%d", i);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 4), hdr);
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_COMMAND, 2), cmd);
}

/*
 * Behind a bridge the close takes the bridge's lock for its reset too;
 * the function ends disabled, with its state restored.
 */
static void uvfio_pci_behind_bridge(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_BEHIND_BRIDGE);
	u8 cls = sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1);

	vp_cfg_write(v, PCI_CACHE_LINE_SIZE, 1, cls ^ 0x10);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, pci_is_enabled(v->pdev));
	KUNIT_EXPECT_EQ(test, sim_cfg_read(v->pdev, PCI_CACHE_LINE_SIZE, 1), cls);
}

/* Only endpoints: a bridge is refused at probe. */
static void uvfio_pci_bridge_refused(struct kunit *test)
{
	struct pci_dev *bridge = uvfio_fn(test, SIM_BRIDGE_DEVFN);

	uvfio_fx(test);
	KUNIT_EXPECT_NE(test, 0, uvfio_bind(test, bridge, "vfio-pci"));
	KUNIT_EXPECT_NULL(test, bridge->dev.driver);
}

static struct kunit_case uvfio_pci_cases[] = {
	KUNIT_CASE_PARAM(uvfio_pci_device_info, info_gen_params),
	KUNIT_CASE_PARAM(uvfio_pci_region_info, region_gen_params),
	KUNIT_CASE(uvfio_pci_region_caps),
	KUNIT_CASE_PARAM(uvfio_pci_irq_info, irq_gen_params),
	KUNIT_CASE_PARAM(uvfio_pci_region_access, access_gen_params),
	KUNIT_CASE_PARAM(uvfio_pci_access_split, split_gen_params),
	KUNIT_CASE(uvfio_pci_decode_off),
	KUNIT_CASE(uvfio_pci_efault),
	KUNIT_CASE_PARAM(uvfio_pci_config, cfg_gen_params),
	KUNIT_CASE(uvfio_pci_status_errors),
	KUNIT_CASE(uvfio_pci_no_command_memory),
	KUNIT_CASE(uvfio_pci_shadow_rom),
	KUNIT_CASE(uvfio_pci_io_bar_unclaimed),
	KUNIT_CASE(uvfio_pci_aer_status),
	KUNIT_CASE_PARAM(uvfio_pci_cap_len, len_gen_params),
	KUNIT_CASE(uvfio_pci_lens_shown),
	KUNIT_CASE(uvfio_pci_direct_next),
	KUNIT_CASE(uvfio_pci_power_budget),
	KUNIT_CASE(uvfio_pci_hidden_caps),
	KUNIT_CASE(uvfio_pci_no_caps),
	KUNIT_CASE(uvfio_pci_hidden_only),
	KUNIT_CASE(uvfio_pci_cap_at_boundary),
	KUNIT_CASE(uvfio_pci_unclaimed),
	KUNIT_CASE_PARAM(uvfio_pci_cfg_width, cfg_width_gen_params),
	KUNIT_CASE(uvfio_pci_cfg_virtual_read),
	KUNIT_CASE(uvfio_pci_msi_message_write),
	KUNIT_CASE(uvfio_pci_pm_other_register),
	KUNIT_CASE(uvfio_pci_intx_not_connected),
	KUNIT_CASE(uvfio_pci_intx_irq_gone),
	KUNIT_CASE(uvfio_pci_user_flr),
	KUNIT_CASE(uvfio_pci_user_pcie_flr),
	KUNIT_CASE(uvfio_pci_af_flr_without_tp),
	KUNIT_CASE(uvfio_pci_vpd),
	KUNIT_CASE_PARAM(uvfio_pci_mmap, mmap_gen_params),
	KUNIT_CASE(uvfio_pci_mmap_zap),
	KUNIT_CASE(uvfio_pci_mmap_two_fds),
	KUNIT_CASE(uvfio_pci_mmap_register_bar),
	KUNIT_CASE(uvfio_pci_open_close),
	KUNIT_CASE(uvfio_pci_bar_restore),
	KUNIT_CASE(uvfio_pci_behind_bridge),
	KUNIT_CASE(uvfio_pci_bridge_refused),
	{}
};

static struct kunit_suite uvfio_pci_suite = {
	.name = "uvfio_pci",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_pci_cases,
};

kunit_test_suite(uvfio_pci_suite);

MODULE_DESCRIPTION("KUnit: vfio-uml's vfio-pci");
MODULE_LICENSE("GPL");
