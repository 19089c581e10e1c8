// SPDX-License-Identifier: GPL-2.0
/*
 * Timings of VFIO calls from userspace, for `make bench-vfio`, which runs
 * this on our kernel and on the reference and prints both with their
 * ratio. The core's calls; the type1 lines map and unmap 256 MiB of
 * touched anonymous memory, as 65536 mappings of 4 KiB (ns per mapping)
 * and as one (ns per call); vfio-pci's: a config dword, a BAR register
 * read and written, the 64 KiB RAM BAR read by pread and through mmap,
 * and the DMA engine (40:00.0, in a container of its own) reading 64 MiB
 * of MAP_DMA'd memory through the IOMMU in 1 MiB copies (ns per 64 MiB);
 * interrupts: SET_IRQS loopback of an MSI vector to its eventfd read, an
 * INTx cycle (the function asserts, vfio-pci masks and signals, the user
 * deasserts and unmasks), and the DMA engine's MSI-X completion polled
 * on its eventfd.
 *
 * Each line: "bench <name> <ns per call> <calls>", the best of five
 * rounds (the least disturbed by the host), to VFIO_FLOW_OUT (client.h).
 *
 * usage: vfio_bench [BDF]   (default 0000:40:01.0, a function alone)
 */
#include "client.h"
#include "sim_regs.h"

#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/vfio.h>

#define ROUNDS	5
#define DMA_SIZE	(256ULL << 20)
#define DMA_IOVA	(1ULL << 32)
/* 65536 mappings need more than the default limit of 65535. */
#define LIMIT_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

#define CFG_OFF		((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)
#define BAR_OFF(i)	((uint64_t)(i) << 40)
#define SCRATCH		0x40		/* plain storage in BAR0 */
#define RAM_BAR		2		/* regfile's 64 KiB RAM BAR */
#define RAM_BAR_SIZE	0x10000
#define DMA_BDF		"0000:40:00.0"	/* the DMA engine */
#define ENGINE_READ	(64ULL << 20)
#define ENGINE_CHUNK	(1ULL << 20)	/* the engine's longest copy */
struct bench_ctx {
	int container, group;
	unsigned char *buf;	/* DMA_SIZE, touched */
	int device;		/* the function under test, by vfio-pci */
	unsigned char *ram;	/* its RAM BAR, mapped */
	unsigned char copy[RAM_BAR_SIZE];
	struct vfio_dev engine;	/* the DMA engine */
	int efd;		/* an eventfd for interrupts */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int open_close_container(struct bench_ctx *c)
{
	int fd = open("/dev/vfio/vfio", O_RDWR);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int check_extension(struct bench_ctx *c)
{
	return ioctl(c->container, VFIO_CHECK_EXTENSION,
		     VFIO_TYPE1v2_IOMMU) == 1 ? 0 : -1;
}

static int group_status(struct bench_ctx *c)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	return ioctl(c->group, VFIO_GROUP_GET_STATUS, &st);
}

/* Dispatch alone: what any group ioctl costs before its handler. */
static int group_unknown(struct bench_ctx *c)
{
	return ioctl(c->group, _IO(VFIO_TYPE, VFIO_BASE + 0x7f)) == -1 &&
	       errno == ENOTTY ? 0 : -1;
}

static int set_unset_container(struct bench_ctx *c)
{
	if (ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container))
		return -1;
	return ioctl(c->group, VFIO_GROUP_UNSET_CONTAINER);
}

static int get_info(struct bench_ctx *c)
{
	unsigned char b[256];
	struct vfio_iommu_type1_info *i = (void *)b;

	i->argsz = sizeof(b);
	return ioctl(c->container, VFIO_IOMMU_GET_INFO, i);
}

static int map_range(struct bench_ctx *c, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.size = size,
	};
	uint64_t off;

	for (off = 0; off < DMA_SIZE; off += size) {
		m.vaddr = (uintptr_t)c->buf + off;
		m.iova = DMA_IOVA + off;
		if (ioctl(c->container, VFIO_IOMMU_MAP_DMA, &m))
			return -1;
	}
	return 0;
}

static int unmap_range(struct bench_ctx *c, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .size = size,
	};
	uint64_t off;

	for (off = 0; off < DMA_SIZE; off += size) {
		u.iova = DMA_IOVA + off;
		u.size = size;
		if (ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &u) ||
		    u.size != size)
			return -1;
	}
	return 0;
}

/* MAP_DMA then UNMAP_DMA of DMA_SIZE in @size pieces, each timed. */
static int bench_dma(struct bench_ctx *c, uint64_t size, const char *what)
{
	uint64_t best_map = UINT64_MAX, best_unmap = UINT64_MAX, t0, t1, t2;
	unsigned int r, calls = DMA_SIZE / size;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		if (map_range(c, size))
			return -1;
		t1 = now_ns();
		if (unmap_range(c, size))
			return -1;
		t2 = now_ns();
		if (t1 - t0 < best_map)
			best_map = t1 - t0;
		if (t2 - t1 < best_unmap)
			best_unmap = t2 - t1;
	}
	out("bench VFIO_IOMMU_MAP_DMA 256 MiB %s %llu %u", what,
	    (unsigned long long)(best_map / calls), calls);
	out("bench VFIO_IOMMU_UNMAP_DMA 256 MiB %s %llu %u", what,
	    (unsigned long long)(best_unmap / calls), calls);
	return 0;
}

static int bench_one(struct bench_ctx *c, const char *name,
		     int (*call)(struct bench_ctx *c), unsigned int calls);

static int config_pread(struct bench_ctx *c)
{
	uint32_t v;

	return pread(c->device, &v, 4, CFG_OFF) == 4 ? 0 : -1;
}

static int bar_pread(struct bench_ctx *c)
{
	uint32_t v;

	return pread(c->device, &v, 4, BAR_OFF(0) + SCRATCH) == 4 ? 0 : -1;
}

static int bar_pwrite(struct bench_ctx *c)
{
	uint32_t v = 0x5a5a5a5a;

	return pwrite(c->device, &v, 4, BAR_OFF(0) + SCRATCH) == 4 ? 0 : -1;
}

static int ram_pread(struct bench_ctx *c)
{
	return pread(c->device, c->copy, RAM_BAR_SIZE, BAR_OFF(RAM_BAR)) ==
	       RAM_BAR_SIZE ? 0 : -1;
}

static int ram_mmap(struct bench_ctx *c)
{
	memcpy(c->copy, c->ram, RAM_BAR_SIZE);
	return c->copy[RAM_BAR_SIZE - 1] == c->ram[RAM_BAR_SIZE - 1] ? 0 : -1;
}

static int reg32(int device, unsigned int reg, uint32_t v)
{
	return pwrite(device, &v, 4, BAR_OFF(0) + reg) == 4 ? 0 : -1;
}

/* The engine copies ENGINE_READ from IOVA DMA_IOVA to one MiB after it. */
static int engine_read(struct bench_ctx *c)
{
	int dev = c->engine.device;
	uint64_t off;
	uint32_t st;

	for (off = 0; off < ENGINE_READ; off += ENGINE_CHUNK) {
		if (reg32(dev, DMA_SRC, (uint32_t)(DMA_IOVA + off)) ||
		    reg32(dev, DMA_SRC + 4, (DMA_IOVA + off) >> 32) ||
		    reg32(dev, DMA_LEN, ENGINE_CHUNK) ||
		    reg32(dev, DMA_DOORBELL, 1))
			return -1;
		do {
			if (pread(dev, &st, 4, BAR_OFF(0) + DMA_STATUS) != 4)
				return -1;
		} while (!(st & DMA_DONE));
		if (reg32(dev, DMA_STATUS, DMA_DONE))
			return -1;
	}
	return 0;
}

/* The engine's container: ENGINE_READ to read and a MiB to write into. */
static int engine_setup(struct bench_ctx *c)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)c->buf, .iova = DMA_IOVA,
		.size = ENGINE_READ + ENGINE_CHUNK,
	};
	uint16_t cmd = 0x6;	/* memory space, bus master */
	int dev;

	if (bind_driver(DMA_BDF, "vfio-pci") ||
	    vfio_dev_open(DMA_BDF, &c->engine))
		return -1;
	dev = c->engine.device;
	return ioctl(c->engine.container, VFIO_IOMMU_MAP_DMA, &m) ||
	       pwrite(dev, &cmd, 2, CFG_OFF + 4) != 2 ||
	       reg32(dev, DMA_DST, (uint32_t)(DMA_IOVA + ENGINE_READ)) ||
	       reg32(dev, DMA_DST + 4, (DMA_IOVA + ENGINE_READ) >> 32) ? -1 : 0;
}

static int set_irqs(int device, uint32_t flags, uint32_t index, int32_t fd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} r = {
		.set = {
			.argsz = sizeof(r.set) +
				 (flags & VFIO_IRQ_SET_DATA_EVENTFD ? 4 : 0),
			.flags = flags, .index = index, .count = 1,
		},
		.fd = fd,
	};

	return ioctl(device, VFIO_DEVICE_SET_IRQS, &r);
}

/* Wait for the eventfd and consume it. */
static int wait_efd(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, 1000) != 1)
		return -1;
	return read(efd, &n, sizeof(n)) == sizeof(n) ? 0 : -1;
}

/* SET_IRQS loopback of MSI vector 0, and its eventfd read. */
static int irq_loopback(struct bench_ctx *c)
{
	return set_irqs(c->device, VFIO_IRQ_SET_DATA_NONE |
			VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_MSI_IRQ_INDEX,
			-1) || wait_efd(c->efd) ? -1 : 0;
}

/*
 * INTx end to end: the function asserts its line, vfio-pci masks it and
 * signals; the user deasserts (acks the device) and unmasks.
 */
static int intx_cycle(struct bench_ctx *c)
{
	return reg32(c->device, REG_INTX, 1) || wait_efd(c->efd) ||
	       reg32(c->device, REG_INTX, 0) ||
	       set_irqs(c->device, VFIO_IRQ_SET_DATA_NONE |
			VFIO_IRQ_SET_ACTION_UNMASK, VFIO_PCI_INTX_IRQ_INDEX,
			-1) ? -1 : 0;
}

/* The DMA engine's empty copy completes with MSI-X vector 0. */
static int msix_raise(struct bench_ctx *c)
{
	int dev = c->engine.device;

	return reg32(dev, DMA_DOORBELL, 1) || wait_efd(c->efd) ||
	       reg32(dev, DMA_STATUS, DMA_DONE) ? -1 : 0;
}

static int bench_irqs(struct bench_ctx *c)
{
	uint16_t cmd = 0x6;	/* memory space, bus master */
	int ret;

	c->efd = eventfd(0, 0);
	if (c->efd < 0 || pwrite(c->device, &cmd, 2, CFG_OFF + 4) != 2)
		return -1;
	ret = set_irqs(c->device, VFIO_IRQ_SET_DATA_EVENTFD |
		       VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_MSI_IRQ_INDEX,
		       c->efd) ||
	      bench_one(c, "SET_IRQS loopback -> eventfd read", irq_loopback,
			5000);
	if (!ret) {
		struct vfio_irq_set off = {
			.argsz = sizeof(off), .index = VFIO_PCI_MSI_IRQ_INDEX,
			.flags = VFIO_IRQ_SET_DATA_NONE |
				 VFIO_IRQ_SET_ACTION_TRIGGER,
		};

		ret = ioctl(c->device, VFIO_DEVICE_SET_IRQS, &off) ||
		      set_irqs(c->device, VFIO_IRQ_SET_DATA_EVENTFD |
			       VFIO_IRQ_SET_ACTION_TRIGGER,
			       VFIO_PCI_INTX_IRQ_INDEX, c->efd) ||
		      bench_one(c, "INTx raise -> eventfd -> unmask",
				intx_cycle, 5000);
	}
	return ret;
}

static int bench_msix(struct bench_ctx *c)
{
	int dev = c->engine.device;

	return set_irqs(dev, VFIO_IRQ_SET_DATA_EVENTFD |
			VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_MSIX_IRQ_INDEX,
			c->efd) ||
	       reg32(dev, DMA_LEN, 0) || reg32(dev, DMA_VECTOR, 0) ||
	       bench_one(c, "device raises MSI-X -> eventfd (poll)",
			 msix_raise, 5000) ? -1 : 0;
}

static const struct {
	const char *name;
	int (*call)(struct bench_ctx *c);
	unsigned int calls;
} pci_benches[] = {
	{ "config space: 4-byte pread", config_pread, 5000 },
	{ "BAR0 register: 4-byte pread", bar_pread, 5000 },
	{ "BAR0 register: 4-byte pwrite", bar_pwrite, 5000 },
	{ "RAM BAR: 64 KiB by pread", ram_pread, 50 },
	{ "RAM BAR: 64 KiB through mmap", ram_mmap, 2000 },
};

static int bench_pci(struct bench_ctx *c, const char *bdf)
{
	unsigned int i;

	c->device = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (c->device < 0)
		return -1;
	c->ram = mmap(NULL, RAM_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->device, BAR_OFF(RAM_BAR));
	if (c->ram == MAP_FAILED)
		return -1;
	for (i = 0; i < ARRAY_SIZE(pci_benches); i++)
		if (bench_one(c, pci_benches[i].name, pci_benches[i].call,
			      pci_benches[i].calls))
			return -1;
	if (bench_irqs(c))
		return -1;
	munmap(c->ram, RAM_BAR_SIZE);
	close(c->device);
	if (engine_setup(c) ||
	    bench_one(c, "DMA engine: 64 MiB read through the IOMMU",
		      engine_read, 2) ||
	    bench_msix(c))
		return -1;
	close(c->efd);
	vfio_dev_close(&c->engine);
	bind_driver(DMA_BDF, "");
	return 0;
}

static const struct {
	const char *name;
	int (*call)(struct bench_ctx *c);
	unsigned int calls;
} benches[] = {
	{ "open+close(/dev/vfio/vfio)", open_close_container, 2000 },
	{ "VFIO_CHECK_EXTENSION(TYPE1v2)", check_extension, 5000 },
	{ "VFIO_GROUP_GET_STATUS", group_status, 5000 },
	{ "group: unknown ioctl (-ENOTTY)", group_unknown, 5000 },
	{ "VFIO_GROUP_SET_CONTAINER+UNSET", set_unset_container, 2000 },
};

/* @calls calls of @call per round; prints the best round's ns per call. */
static int bench_one(struct bench_ctx *c, const char *name,
		     int (*call)(struct bench_ctx *c), unsigned int calls)
{
	uint64_t best = UINT64_MAX;
	unsigned int r, k;

	for (r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns(), dt;

		for (k = 0; k < calls; k++) {
			if (call(c)) {
				out("bench %s failed: %s", name, rv(-1));
				return -1;
			}
		}
		dt = now_ns() - t0;
		if (dt < best)
			best = dt;
	}
	out("bench %s %llu %u", name, (unsigned long long)(best / calls),
	    calls);
	return 0;
}

int main(int argc, char **argv)
{
	const char *bdf = argc > 1 ? argv[1] : "0000:40:01.0";
	static struct bench_ctx c;
	unsigned int i;
	char path[64];

	if (client_start())
		return 1;
	if (bind_vfio_driver(bdf)) {
		out("bind(%s) failed", bdf);
		return 1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", group_of(bdf));
	c.container = open("/dev/vfio/vfio", O_RDWR);
	c.group = open(path, O_RDWR);
	if (c.container < 0 || c.group < 0) {
		out("open(container, group) failed");
		return 1;
	}

	for (i = 0; i < ARRAY_SIZE(benches); i++)
		if (bench_one(&c, benches[i].name, benches[i].call,
			      benches[i].calls))
			return 1;
	/* The type1 lines: the group in the container, a backend set. */
	c.buf = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c.buf == MAP_FAILED || write_sysfs(LIMIT_PARAM, "65536") ||
	    ioctl(c.group, VFIO_GROUP_SET_CONTAINER, &c.container) ||
	    ioctl(c.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		out("type1 setup failed: %s", rv(-1));
		return 1;
	}
	memset(c.buf, 1, DMA_SIZE);
	if (bench_dma(&c, 4096, "in 4 KiB mappings") ||
	    bench_dma(&c, DMA_SIZE, "as one mapping")) {
		out("bench MAP/UNMAP failed: %s", rv(-1));
		return 1;
	}
	if (bench_one(&c, "VFIO_IOMMU_GET_INFO", get_info, 5000))
		return 1;
	if (bench_pci(&c, bdf)) {
		out("bench vfio-pci failed: %s", rv(-1));
		return 1;
	}
	write_sysfs(LIMIT_PARAM, "65535");
	close(c.group);
	close(c.container);
	bind_driver(bdf, "");
	return 0;
}
