// SPDX-License-Identifier: GPL-2.0
/*
 * A userspace driver for an Intel I/OAT DMA channel (CBDMA, version 3.2
 * or 3.3), as the ones used with VFIO on real machines are written: BAR0
 * mapped through the device fd and programmed by loads and stores,
 * descriptors in memory mapped with MAP_DMA, copies through the IOMMU,
 * MSI-X through an eventfd, errors recovered by a channel reset.
 *
 * It copies 1 MiB in 4 KiB descriptors 16 times (one interrupt every 32,
 * each armed again when it came), then makes the channel fault (an IOVA that
 * is not mapped, one that is mapped read-only, a bad descriptor) and
 * recovers each time, resets it while it runs, and resets the function.
 *
 * One line per step, as CALL(arguments) = result, the same on every kernel
 * that is faithful to upstream; the exit status is 0 when every step went
 * as the hardware and vfio.rst say. The copy rate goes to stderr.
 *
 * usage: vfio_ioat [BDF]  (default: the channel of the default topology)
 */
#include "client.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/pci_regs.h>

/* The hardware's registers (Linux's drivers/dma/ioat/registers.h). */
#define IOAT_XFERCAP		0x01
#define IOAT_INTRCTRL		0x03
#define  IOAT_INTRCTRL_MSIX_VECTOR_CONTROL	0x08
#define IOAT_VER		0x08
#define IOAT_CHAN		0x80
#define IOAT_CHANCTRL		(IOAT_CHAN + 0x00)
#define  IOAT_CHANCTRL_INT_REARM	0x0001
#define  IOAT_CHANCTRL_ERR_COMPL_EN	0x0004
#define  IOAT_CHANCTRL_ANY_ERR_ABORT_EN	0x0008
#define  IOAT_CHANCTRL_ERR_INT_EN	0x0010
#define IOAT_CHANCMD		(IOAT_CHAN + 0x04)
#define  IOAT_CHANCMD_SUSPEND		0x04
#define  IOAT_CHANCMD_RESET		0x20
#define IOAT_DMACOUNT		(IOAT_CHAN + 0x06)
#define IOAT_CHANSTS		(IOAT_CHAN + 0x08)
#define  IOAT_CHANSTS_STATUS		0x7ULL
#define  IOAT_CHANSTS_ACTIVE		0
#define  IOAT_CHANSTS_DONE		1
#define  IOAT_CHANSTS_SUSPENDED		2
#define  IOAT_CHANSTS_HALTED		3
#define IOAT_CHAINADDR		(IOAT_CHAN + 0x10)
#define IOAT_CHANCMP		(IOAT_CHAN + 0x18)
#define IOAT_CDAR		(IOAT_CHAN + 0x20)
#define IOAT_CHANERR		(IOAT_CHAN + 0x28)
#define IOAT_PCI_CHANERR_INT	0x180

struct ioat_desc {
	uint32_t size;
	uint32_t ctl;
#define  DESC_INT_EN		0x01
#define  DESC_COMPL_WRITE	0x08
#define  DESC_OP(op)		((uint32_t)(op) << 24)
	uint64_t src;
	uint64_t dst;
	uint64_t next;
	uint64_t rsvd[4];
};

#define MIB		(1UL << 20)
#define CHUNK		4096UL
#define NDESC		(MIB / CHUNK)
#define IRQ_EVERY	32
#define WAIT_MS		5000
#define ROUNDS		16

/* Where the client's memory sits in the device's address space. */
#define IOVA_DESC	0x10000000ULL
#define IOVA_CMP	0x10100000ULL
#define IOVA_SRC	0x20000000ULL
#define IOVA_DST	0x30000000ULL
#define IOVA_RO		0x40000000ULL
#define IOVA_HOLE	0x50000000ULL	/* never mapped */

static int device, container, efd;
static uint8_t *bar;
static size_t bar_size;
static uint64_t cfg_base;
static struct ioat_desc *ring;
static uint64_t *cmp;
static uint8_t *src, *dst, *ro;

/*
 * MMIO through the mapping: loads and stores of the register's width that
 * the compiler must emit as they are (relaxed atomics), as readl/writel.
 */
#define MMIO_RD(type, p)	__atomic_load_n((type *)(p), __ATOMIC_RELAXED)
#define MMIO_WR(type, p, v)	__atomic_store_n((type *)(p), (v), __ATOMIC_RELAXED)

static uint64_t rd(unsigned int off, int size)
{
	switch (size) {
	case 1:
		return MMIO_RD(uint8_t, bar + off);
	case 2:
		return MMIO_RD(uint16_t, bar + off);
	case 4:
		return MMIO_RD(uint32_t, bar + off);
	}
	return MMIO_RD(uint64_t, bar + off);
}

static void wr(unsigned int off, int size, uint64_t v)
{
	__sync_synchronize();	/* descriptors before the doorbell */
	switch (size) {
	case 1:
		MMIO_WR(uint8_t, bar + off, v);
		break;
	case 2:
		MMIO_WR(uint16_t, bar + off, v);
		break;
	case 4:
		MMIO_WR(uint32_t, bar + off, v);
		break;
	default:
		MMIO_WR(uint64_t, bar + off, v);
	}
}

/* The completion write-back, as the device left it. */
static uint64_t completion(void)
{
	return MMIO_RD(uint64_t, cmp);
}

static uint32_t cfg_read(unsigned int off)
{
	uint32_t v = ~0U;

	if (pread(device, &v, 4, cfg_base + off) != 4)
		out("pread(config %#x) = %s", off, rv(-1));
	return v;
}

static void cfg_write(unsigned int off, uint32_t v, int size)
{
	if (pwrite(device, &v, size, cfg_base + off) != size)
		out("pwrite(config %#x) = %s", off, rv(-1));
}

static void fail(const char *what)
{
	out("  expected %s", what);
	failures++;
}

static uint64_t status(void)
{
	return rd(IOAT_CHANSTS, 8) & IOAT_CHANSTS_STATUS;
}

/* Poll CHANSTS until @mask of it is @want (the driver's loop, asleep). */
static int wait_chansts_mask(uint64_t mask, uint64_t want)
{
	int ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		if ((rd(IOAT_CHANSTS, 8) & mask) == want)
			return 0;
		usleep(1000);
	}
	return -1;
}

static int wait_status(uint64_t want)
{
	return wait_chansts_mask(IOAT_CHANSTS_STATUS, want);
}

static int wait_chansts(uint64_t want)
{
	return wait_chansts_mask(~0ULL, want);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* What the selftest driver does: clear the errors, reset, wait. */
static int chan_reset(void)
{
	int ms;

	cfg_write(IOAT_PCI_CHANERR_INT, cfg_read(IOAT_PCI_CHANERR_INT), 4);
	wr(IOAT_CHANERR, 4, rd(IOAT_CHANERR, 4));
	wr(IOAT_CHANCMD, 1, IOAT_CHANCMD_RESET);
	for (ms = 0; ms < WAIT_MS; ms++) {
		if (!(rd(IOAT_CHANCMD, 1) & IOAT_CHANCMD_RESET))
			break;
		usleep(1000);
	}
	return status() == IOAT_CHANSTS_HALTED ? 0 : -1;
}

static void show_reset(const char *why)
{
	int ret = chan_reset();

	out("reset(%s) = %s, CHANSTS.status = %llu, CHANERR = %#x", why,
	    ret ? "timeout" : "0", (unsigned long long)status(),
	    (unsigned int)rd(IOAT_CHANERR, 4));
	if (ret || rd(IOAT_CHANERR, 4))
		fail("0, HALTED, CHANERR 0");
}

static void put_desc(unsigned int i, uint64_t s, uint64_t d, uint32_t size,
		     uint32_t ctl, unsigned int next)
{
	ring[i] = (struct ioat_desc){
		.size = size, .ctl = ctl, .src = s, .dst = d,
		.next = IOVA_DESC + next * sizeof(struct ioat_desc),
	};
}

static void arm(void)
{
	wr(IOAT_CHANCTRL, 2, IOAT_CHANCTRL_INT_REARM |
	   IOAT_CHANCTRL_ERR_INT_EN | IOAT_CHANCTRL_ANY_ERR_ABORT_EN |
	   IOAT_CHANCTRL_ERR_COMPL_EN);
}

static int map(void *vaddr, uint64_t iova, size_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = flags,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m);
}

static void *dma_alloc(uint64_t iova, size_t size, uint32_t flags)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, size);
	expect("VFIO_IOMMU_MAP_DMA", map(p, iova, size, flags), 0);
	return p;
}

/*
 * 1 MiB in 4 KiB descriptors; every 32nd interrupts and writes back
 * its completion, and DMACOUNT moves on by 32 once its interrupt came.
 * Return: the interrupts that came.
 */
static unsigned int copy_mib_once(unsigned int *bad_wb)
{
	unsigned int i, irqs = 0;

	memset(dst, 0, MIB);
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	for (i = IRQ_EVERY; i <= NDESC; i += IRQ_EVERY) {
		uint64_t want = (IOVA_DESC + (i - 1) * sizeof(*ring)) |
				IOAT_CHANSTS_DONE;

		arm();
		wr(IOAT_DMACOUNT, 2, i);
		irqs += eventfd_wait(efd, WAIT_MS);
		if (completion() != want)
			(*bad_wb)++;
	}
	return irqs;
}

/*
 * The copy ROUNDS times, each round's data checked, timed apart from the
 * first (whose first doorbell can wait up to a tick for an idle model).
 */
static void copy_mib(void)
{
	unsigned int i, irqs = 0, bad_wb = 0, bad_data = 0;
	uint64_t ns = 0, first = 0;

	for (i = 0; i < NDESC; i++)
		put_desc(i, IOVA_SRC + i * CHUNK, IOVA_DST + i * CHUNK, CHUNK,
			 i % IRQ_EVERY == IRQ_EVERY - 1 ?
			 DESC_INT_EN | DESC_COMPL_WRITE : 0,
			 (i + 1) % NDESC);
	for (i = 0; i < ROUNDS; i++) {
		uint64_t t0;
		unsigned int b;

		for (b = 0; b < MIB; b++)
			src[b] = b * 7 + b / 4096 + i;
		t0 = now_ns();
		irqs += copy_mib_once(&bad_wb);
		if (i)
			ns += now_ns() - t0;
		else
			first = now_ns() - t0;
		if (memcmp(src, dst, MIB))
			bad_data++;
	}

	out("copy(1 MiB, %lu descriptors of %lu) x %d: data differs %u times",
	    NDESC, CHUNK, ROUNDS, bad_data);
	if (bad_data)
		fail("0");
	out("msix = %u of %lu interrupting descriptors", irqs,
	    ROUNDS * NDESC / IRQ_EVERY);
	if (irqs != ROUNDS * NDESC / IRQ_EVERY)
		fail("one per interrupting descriptor");
	out("completion write-backs wrong = %u", bad_wb);
	if (bad_wb)
		fail("0");
	out("CHANSTS = DESC+%#llx status %llu",
	    (unsigned long long)((rd(IOAT_CHANSTS, 8) & ~0x3fULL) - IOVA_DESC),
	    (unsigned long long)status());
	fprintf(stderr, "vfio_ioat: first MiB %.2f ms; then %d MiB in 4 KiB descriptors: %.2f ms, %.0f MiB/s\n",
		first / 1e6, ROUNDS - 1, ns / 1e6, (ROUNDS - 1) * 1e9 / ns);
}

struct fault_case {
	const char *name;
	uint64_t s, d;
	uint32_t size, ctl;
	uint32_t chanerr;
};

static const struct fault_case faults[] = {
	{ "source not mapped", IOVA_HOLE, IOVA_DST, CHUNK, 0, 0x1 },
	{ "destination not mapped", IOVA_SRC, IOVA_HOLE, CHUNK, 0, 0x2 },
	{ "destination read-only", IOVA_SRC, IOVA_RO, CHUNK, 0, 0x2 },
	{ "length past XFERCAP", IOVA_SRC, IOVA_DST, 0, 0, 0x800 },
	{ "unknown opcode", IOVA_SRC, IOVA_DST, CHUNK, DESC_OP(0x42), 0x400 },
};

/* A fault halts the channel, touches nothing, interrupts; reset recovers. */
static void make_fault(const struct fault_case *f)
{
	uint32_t size = f->size ? f->size : (2U << rd(IOAT_XFERCAP, 1));
	uint64_t irqs;
	int halted;

	memset(dst, 0x5a, CHUNK);
	put_desc(0, f->s, f->d, size, f->ctl | DESC_COMPL_WRITE, 1);
	*cmp = 0;
	arm();
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	wr(IOAT_DMACOUNT, 2, 1);
	/* The error interrupt comes after the write-back. */
	irqs = eventfd_wait(efd, WAIT_MS);
	halted = !wait_status(IOAT_CHANSTS_HALTED);
	out("fault(%s): halted = %d, CHANERR = %#x, CHANERR_INT = %#x, msix = %llu, write-back status = %llu, memory %s",
	    f->name,
	    halted, (unsigned int)rd(IOAT_CHANERR, 4),
	    cfg_read(IOAT_PCI_CHANERR_INT), (unsigned long long)irqs,
	    (unsigned long long)(completion() & IOAT_CHANSTS_STATUS),
	    dst[0] == 0x5a && dst[CHUNK - 1] == 0x5a && ro[0] == 0 ?
	    "untouched" : "written");
	if (!halted || rd(IOAT_CHANERR, 4) != f->chanerr)
		fail("halted with the error");

	/* A doorbell does nothing until the reset. */
	wr(IOAT_DMACOUNT, 2, 2);
	usleep(20000);
	out("doorbell while halted: CHANSTS.status = %llu",
	    (unsigned long long)status());
	show_reset(f->name);
}

/* The copy works again after each recovery. */
static void copy_one(const char *after)
{
	uint64_t irqs;

	memset(dst, 0, CHUNK);
	put_desc(0, IOVA_SRC, IOVA_DST, CHUNK, DESC_INT_EN, 1);
	arm();
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	wr(IOAT_DMACOUNT, 2, 1);
	irqs = eventfd_wait(efd, WAIT_MS);
	out("copy after %s: msix = %llu, CHANSTS.status = %llu, CHANERR = %#x, data %s",
	    after, (unsigned long long)irqs,
	    (unsigned long long)status(), (unsigned int)rd(IOAT_CHANERR, 4),
	    memcmp(src, dst, CHUNK) ? "differs" : "same");
	if (memcmp(src, dst, CHUNK))
		fail("same");
}

/*
 * RESET while the channel runs: one descriptor that points at itself,
 * 65535 times (256 MiB of copying); once it is active, the reset stops it
 * halted and clean, and it stays so.
 */
static void reset_while_active(void)
{
	put_desc(0, IOVA_SRC, IOVA_DST, CHUNK, 0, 0);
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	wr(IOAT_DMACOUNT, 2, 0xffff);
	out("storm: active = %d", !wait_status(IOAT_CHANSTS_ACTIVE));
	show_reset("while active");
	usleep(50000);
	out("after the reset: CHANSTS = %#llx, CDAR = %#llx",
	    (unsigned long long)rd(IOAT_CHANSTS, 8),
	    (unsigned long long)rd(IOAT_CDAR, 8));
}

/* Suspend and resume the way the selftest driver does between copies. */
static void suspend_resume(void)
{
	put_desc(0, IOVA_SRC, IOVA_DST, 64, 0, 0);
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	wr(IOAT_DMACOUNT, 2, 1);
	/* DONE of this descriptor, not the one of the copy before. */
	wait_chansts(IOVA_DESC | IOAT_CHANSTS_DONE);
	wr(IOAT_CHANCMD, 1, IOAT_CHANCMD_SUSPEND);
	out("suspend = %s", wait_status(IOAT_CHANSTS_SUSPENDED) ?
	    "timeout" : "SUSPENDED");
	/* The same CHAINADDR and DMACOUNT again start it again. */
	wr(IOAT_CHAINADDR, 8, IOVA_DESC);
	wr(IOAT_DMACOUNT, 2, 1);
	out("same doorbell again = %s", wait_status(IOAT_CHANSTS_DONE) ?
	    "timeout" : "DONE");
}

static int setup(const char *bdf, struct vfio_dev *d)
{
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_region_info r = { .argsz = sizeof(r),
				      .index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_irq_info irq = { .argsz = sizeof(irq),
				     .index = VFIO_PCI_MSIX_IRQ_INDEX };
	void *p;

	if (vfio_dev_open(bdf, d))
		return -1;
	device = d->device;
	container = d->container;
	expect("VFIO_DEVICE_GET_REGION_INFO(config)",
	       ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &cfg), 0);
	cfg_base = cfg.offset;
	out("vendor:device = %04x:%04x", cfg_read(PCI_VENDOR_ID) & 0xffff,
	    cfg_read(PCI_VENDOR_ID) >> 16);
	expect("VFIO_DEVICE_GET_REGION_INFO(BAR0)",
	       ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &r), 0);
	out("BAR0: size %#llx, mmap %d", (unsigned long long)r.size,
	    !!(r.flags & VFIO_REGION_INFO_FLAG_MMAP));
	expect("VFIO_DEVICE_GET_IRQ_INFO(MSIX)",
	       ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0);
	out("MSI-X: count %u", irq.count);

	p = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED, device,
		 r.offset);
	out("mmap(BAR0) = %s", p == MAP_FAILED ? rv(-1) : "ok");
	if (p == MAP_FAILED)
		return -1;
	bar = p;
	bar_size = r.size;
	out("VER = %#x", (unsigned int)rd(IOAT_VER, 1));

	ring = dma_alloc(IOVA_DESC, NDESC * sizeof(*ring),
			 VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	cmp = dma_alloc(IOVA_CMP, 4096,
			VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	src = dma_alloc(IOVA_SRC, MIB, VFIO_DMA_MAP_FLAG_READ |
			VFIO_DMA_MAP_FLAG_WRITE);
	dst = dma_alloc(IOVA_DST, MIB, VFIO_DMA_MAP_FLAG_READ |
			VFIO_DMA_MAP_FLAG_WRITE);
	ro = dma_alloc(IOVA_RO, CHUNK, VFIO_DMA_MAP_FLAG_READ);
	if (!ring || !cmp || !src || !dst || !ro)
		return -1;

	cfg_write(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		  PCI_COMMAND_INTX_DISABLE, 2);
	show_reset("init");
	wr(IOAT_INTRCTRL, 1, IOAT_INTRCTRL_MSIX_VECTOR_CONTROL);
	wr(IOAT_CHANCMP, 8, IOVA_CMP);
	efd = eventfd(0, EFD_CLOEXEC);
	expect("VFIO_DEVICE_SET_IRQS(MSIX, trigger, eventfd)",
	       vfio_set_irqs(device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER,
			     VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &efd), 0);
	return 0;
}

static void run(const char *bdf)
{
	struct vfio_dev d;
	unsigned int i;

	if (setup(bdf, &d) == 0) {
		copy_mib();
		suspend_resume();
		for (i = 0; i < ARRAY_SIZE(faults); i++) {
			make_fault(&faults[i]);
			wr(IOAT_CHANCMP, 8, IOVA_CMP);
			copy_one(faults[i].name);
		}
		reset_while_active();
		wr(IOAT_CHANCMP, 8, IOVA_CMP);
		copy_one("the reset while active");

		expect("VFIO_DEVICE_RESET", ioctl(device, VFIO_DEVICE_RESET), 0);
		out("after VFIO_DEVICE_RESET: VER = %#x, INTRCTRL = %#x, CHANSTS.status = %llu",
		    (unsigned int)rd(IOAT_VER, 1),
		    (unsigned int)rd(IOAT_INTRCTRL, 1),
		    (unsigned long long)status());
		expect("VFIO_DEVICE_SET_IRQS(MSIX, trigger, none)",
		       vfio_set_irqs(device, VFIO_IRQ_SET_DATA_NONE |
				     VFIO_IRQ_SET_ACTION_TRIGGER,
				     VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, NULL), 0);
	}
	if (bar)
		munmap(bar, bar_size);
	if (d.device >= 0)
		vfio_dev_close(&d);
}

int main(int argc, char **argv)
{
	static const char *const bdfs[] = { "0000:40:05.0" };

	return run_on_functions(argc, argv, bdfs, ARRAY_SIZE(bdfs), NULL, 0,
				run);
}
