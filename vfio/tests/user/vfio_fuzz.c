// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded fuzzer of the VFIO uAPI: structured random sequences over
 * container, group and device fds. Valid calls are mixed with wrong argsz,
 * unknown flags, out-of-range indexes, counts and offsets, IOVAs and sizes
 * that wrap, fds of the wrong kind or closed, closes and re-opens in any
 * order, region accesses of every width at the edges of regions, the
 * simulated devices made to interrupt and to DMA, and unbind and rebind
 * through sysfs. The sequence is a function of the seed and of the
 * kernel's answers, so a seed replays on the same kernel.
 *
 * Checks: the kernel survives and its checkers stay quiet (reports in
 * /dev/kmsg are printed with the operation that preceded them); every
 * FUZZ_CHECK operations and at the end everything is closed and nothing
 * may be left (lost.h: locked_vm, pinned pages, IOMMU domains, interrupt
 * handlers, eventfd contexts, open files); kmemleak is scanned after.
 *
 * Environment: FUZZ_SEED (default 1), FUZZ_OPS (default 20000),
 * FUZZ_CHECK (default 50000), FUZZ_TRACE (default 1) prints every
 * operation and its result: make conformance diffs the trace of our kernel
 * with Linux's, and a report can be replayed by hand. Prints operations,
 * seconds and operations per second; the exit status is 0 when nothing
 * was wrong.
 */
#include "client.h"
#include "lost.h"
#include "sim_regs.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>

#define PG		4096ULL
#define BUF_LEN		(4UL << 20)
#define GUARD		(1UL << 30)	/* reserved, not accessible */
#define NFDS		24
#define NMAPS		8

/*
 * The functions the fuzzer owns: all of the root bus's endpoints and the
 * two behind the bridge, each bound to vfio-pci.
 */
static const char *const funcs[] = {
	"0000:40:00.0", "0000:40:01.0", "0000:40:02.0", "0000:40:02.1",
	"0000:41:00.0", "0000:41:01.0",
};

#define NFUNCS ARRAY_SIZE(funcs)

enum kind { NONE, CTR, GRP, DEV, EFD };

static struct {
	int fd;
	enum kind kind;
	int func;		/* GRP, DEV: index in funcs */
	bool ready;		/* CTR: SET_IOMMU succeeded */
} fds[NFDS];

static struct {
	void *p;
	size_t len;
	int func;
} maps[NMAPS];

static int groups[NFUNCS];
static bool bound[NFUNCS];
static uint8_t *buf;		/* BUF_LEN of populated memory */
static uint8_t *ro;		/* one read-only page */
static uint64_t rng;
static unsigned long op;
static int trace;

/* splitmix64: reproducible, good enough to spread the choices. */
static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? next() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* Values at the edges, or anything. */
static uint32_t any32(void)
{
	static const uint32_t edge[] = {
		0, 1, 2, 3, 4, 7, 8, 9, 16, 0xff, 0x100, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	return chance(70) ? edge[below(ARRAY_SIZE(edge))] : (uint32_t)next();
}

static uint64_t any64(void)
{
	static const uint64_t edge[] = {
		0, 1, PG - 1, PG, PG + 1, 2 * PG, 1ULL << 21, 1ULL << 30,
		1ULL << 32, 1ULL << 40, 7ULL << 40, 1ULL << 47, 1ULL << 48,
		1ULL << 63, ~0ULL - PG + 1, ~0ULL,
	};

	return chance(70) ? edge[below(ARRAY_SIZE(edge))] : next();
}

/* An IOVA and size most often page-aligned in a small window. */
static uint64_t iova(void)
{
	return chance(80) ? below(64) * PG : any64();
}

static uint64_t size(void)
{
	return chance(80) ? (below(16) + 1) * PG : any64();
}

/* An argsz: right most of the time, else short, long or absurd. */
static uint32_t argsz(uint32_t right)
{
	switch (below(10)) {
	case 0:
		return right ? right - 1 - below(right) : 0;
	case 1:
		return right + 1 + below(64);
	case 2:
		return any32();
	default:
		return right;
	}
}

static int slot_of(enum kind kind)
{
	int i, start = below(NFDS), ready = kind == CTR && chance(80);

	for (i = 0; i < 2 * NFDS; i++) {
		int s = (start + i) % NFDS;

		if (fds[s].kind == kind && (fds[s].ready || !ready || i >= NFDS))
			return s;
	}
	return -1;
}

/* An fd of @kind when there is one, now and then any fd or a bad one. */
static int fd_of(enum kind kind)
{
	int s;

	if (chance(5))
		return chance(50) ? -1 : 1000 + below(10);
	s = chance(8) ? slot_of(1 + below(4)) : slot_of(kind);
	return s < 0 ? -1 : fds[s].fd;
}

static int free_slot(void)
{
	int i;

	for (i = 0; i < NFDS; i++)
		if (fds[i].kind == NONE)
			return i;
	return -1;
}

static void add_fd(int fd, enum kind kind, int func)
{
	int s = free_slot();

	if (fd < 0)
		return;
	if (s < 0) {
		close(fd);
		return;
	}
	fds[s].fd = fd;
	fds[s].kind = kind;
	fds[s].func = func;
	fds[s].ready = false;
}

static void set_ready(int fd)
{
	int s;

	for (s = 0; s < NFDS; s++)
		if (fds[s].kind == CTR && fds[s].fd == fd)
			fds[s].ready = true;
}

static void drop_slot(int s)
{
	close(fds[s].fd);
	fds[s].kind = NONE;
	fds[s].fd = -1;
}

static long result(const char *what, long ret)
{
	if (trace)
		out("%lu %s = %s", op, what, rv(ret));
	return ret;
}

#define CALL(what, expr)	result(what, (long)(expr))

/*
 * A call whose output is @len bytes at @p (what the kernel wrote back):
 * traced with a hash of them when it succeeded, so that a difference in
 * what an ioctl returns shows in the trace, not only in its errno.
 */
static long result_out(const char *what, long ret, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	if (!trace || ret < 0)
		return result(what, ret);
	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	out("%lu %s = %s, out %016llx", op, what, rv(ret),
	    (unsigned long long)h);
	return ret;
}

/* Output of an info ioctl: argsz bytes, when they were in @b. */
#define OUT_LEN(argsz, b)	((argsz) > sizeof(b) ? 0 : (argsz))

static bool device_busy(int func)
{
	int i;

	for (i = 0; i < NFDS; i++)
		if (fds[i].kind == DEV && fds[i].func == func)
			return true;
	for (i = 0; i < NMAPS; i++)
		if (maps[i].p && maps[i].func == func)
			return true;
	return false;
}

/* Container */

static void op_open_container(void)
{
	add_fd(CALL("open container", open("/dev/vfio/vfio", O_RDWR)), CTR,
	       -1);
}

static void op_container_misc(void)
{
	int fd = fd_of(CTR);

	switch (below(4)) {
	case 0:
		CALL("GET_API_VERSION", ioctl(fd, VFIO_GET_API_VERSION));
		break;
	case 1:
		CALL("CHECK_EXTENSION", ioctl(fd, VFIO_CHECK_EXTENSION,
					      chance(70) ? below(12) : any32()));
		break;
	case 2:
		if (!CALL("SET_IOMMU", ioctl(fd, VFIO_SET_IOMMU,
					     chance(80) ? below(10) : any32())))
			set_ready(fd);
		break;
	default:
		CALL("unknown container ioctl",
		     ioctl(fd, chance(50) ? _IO(VFIO_TYPE, VFIO_BASE + below(40)) :
			   (unsigned long)next(), (void *)buf));
	}
}

static void op_iommu_info(void)
{
	uint8_t info[512];
	struct vfio_iommu_type1_info *i = (void *)info;
	size_t len;

	memset(info, 0, sizeof(info));
	i->argsz = argsz(chance(50) ? sizeof(*i) : sizeof(info));
	if (i->argsz > sizeof(info))
		i->argsz = chance(50) ? sizeof(info) : i->argsz;
	len = OUT_LEN(i->argsz, info);
	result_out("IOMMU_GET_INFO", ioctl(fd_of(CTR), VFIO_IOMMU_GET_INFO,
					   len ? (void *)i : (void *)buf),
		   info, len);
}

static void *vaddr(uint64_t len)
{
	switch (below(12)) {
	case 0:
		return ro;
	case 1:
		return (void *)(uintptr_t)any64();
	case 2:
		return buf + below(BUF_LEN);
	default:
		return len <= BUF_LEN ? buf + below((BUF_LEN - len) / PG + 1) * PG :
		       buf;
	}
}

/* Where a vaddr points, as printed: never an address of this run. */
static const char *vaddr_name(uint64_t v)
{
	static char name[48];
	int i;

	if (v >= (uintptr_t)buf && v < (uintptr_t)buf + BUF_LEN) {
		snprintf(name, sizeof(name), "buf+%#llx",
			 (unsigned long long)(v - (uintptr_t)buf));
		return name;
	}
	if (v >= (uintptr_t)ro && v < (uintptr_t)ro + PG)
		return "read-only page";
	for (i = 0; i < NMAPS; i++)
		if (maps[i].p && v >= (uintptr_t)maps[i].p &&
		    v < (uintptr_t)maps[i].p + maps[i].len)
			return "a region mapping";
	snprintf(name, sizeof(name), "%#llx", (unsigned long long)v);
	return name;
}

static void op_map_on(int ctr)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = argsz(sizeof(m)),
		.flags = chance(80) ? below(4) : (chance(50) ? below(8) : any32()),
		.iova = iova(), .size = size(),
	};

	char call[128];

	m.vaddr = (uintptr_t)vaddr(m.size);
	snprintf(call, sizeof(call),
		 "MAP_DMA(argsz %u, flags %#x, vaddr %s, iova %#llx, size %#llx)",
		 m.argsz, m.flags, vaddr_name(m.vaddr),
		 (unsigned long long)m.iova, (unsigned long long)m.size);
	CALL(call, ioctl(ctr, VFIO_IOMMU_MAP_DMA, &m));
}

static void op_map(void)
{
	op_map_on(fd_of(CTR));
}

static void op_unmap(void)
{
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} u = {
		.u = {
			.argsz = argsz(sizeof(u.u)),
			.flags = chance(70) ? 0 : chance(50) ?
				 VFIO_DMA_UNMAP_FLAG_ALL : any32(),
			.iova = iova(), .size = size(),
		},
	};

	if (chance(10)) {
		u.u.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
		u.u.argsz = argsz(sizeof(u));
		u.b.pgsize = chance(80) ? PG : any64();
		u.b.size = chance(80) ? 8 : any64();
		u.b.data = (void *)(buf + BUF_LEN - PG);
	}
	result_out("UNMAP_DMA", ioctl(fd_of(CTR), VFIO_IOMMU_UNMAP_DMA, &u),
		   &u.u, sizeof(u.u));
}

static void op_dirty(void)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} d = {
		.d = { .argsz = argsz(sizeof(d.d)) },
		.g = {
			.iova = iova(), .size = size(),
			.bitmap = {
				.pgsize = chance(80) ? PG : any64(),
				.size = chance(80) ? 8 : any64(),
				.data = (void *)(buf + BUF_LEN - PG),
			},
		},
	};

	d.d.flags = chance(80) ? 1 << below(3) : any32();
	if (d.d.flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP)
		d.d.argsz = argsz(sizeof(d));
	CALL("IOMMU_DIRTY_PAGES", ioctl(fd_of(CTR), VFIO_IOMMU_DIRTY_PAGES,
					&d));
}

/* Groups */

static void op_open_group(void)
{
	int func = below(NFUNCS);
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", groups[func]);
	add_fd(CALL("open group", open(path, O_RDWR)), GRP, func);
}

static void op_group_misc(void)
{
	struct vfio_group_status st = { .argsz = argsz(sizeof(st)) };
	int s = slot_of(GRP), fd = s < 0 ? -1 : fds[s].fd, arg;

	switch (below(5)) {
	case 0:
		CALL("GROUP_GET_STATUS", ioctl(fd_of(GRP),
					       VFIO_GROUP_GET_STATUS, &st));
		break;
	case 1:
	case 2:
		arg = fd_of(CTR);
		CALL("GROUP_SET_CONTAINER", ioctl(fd, VFIO_GROUP_SET_CONTAINER,
						  &arg));
		break;
	case 3:
		CALL("GROUP_UNSET_CONTAINER",
		     ioctl(fd_of(GRP), VFIO_GROUP_UNSET_CONTAINER));
		break;
	default:
		CALL("unknown group ioctl",
		     ioctl(fd_of(GRP), _IO(VFIO_TYPE, VFIO_BASE + below(40)),
			   (void *)buf));
	}
}

static void op_device_fd(void)
{
	int s = slot_of(GRP), func, i, mates = 0;
	char name[32];

	if (s < 0)
		return;
	func = fds[s].func;
	/* Mostly a function of the group; others, prefixes and junk too. */
	if (chance(80)) {
		for (i = 0; i < (int)NFUNCS; i++)
			mates += groups[i] == groups[func];
		mates = below(mates);
		for (i = 0; i < (int)NFUNCS; i++)
			if (groups[i] == groups[func] && !mates--)
				break;
		snprintf(name, sizeof(name), "%s", funcs[i]);
	} else if (chance(50)) {
		snprintf(name, sizeof(name), "%s", funcs[below(NFUNCS)]);
	} else {
		snprintf(name, sizeof(name), "%.*s", (int)below(13),
			 funcs[func]);
	}
	for (func = 0; func < (int)NFUNCS; func++)
		if (!strcmp(name, funcs[func]))
			break;
	add_fd(CALL("GROUP_GET_DEVICE_FD",
		    ioctl(fds[s].fd, VFIO_GROUP_GET_DEVICE_FD, name)), DEV,
	       func);
}

/* Devices */

static int dev_slot(void)
{
	return slot_of(DEV);
}

static uint64_t region_offset(void)
{
	uint64_t index = chance(90) ? below(10) : any32();

	return (index << 40) + (chance(70) ? below(0x120) & ~3ULL :
				chance(50) ? below(0x1000) : any64() >> 24);
}

static void op_info(void)
{
	uint8_t b[512];
	struct vfio_region_info *r = (void *)b;
	struct vfio_irq_info *irq = (void *)b;
	struct vfio_device_info *d = (void *)b;
	int fd = fd_of(DEV);
	size_t len;

	memset(b, 0, sizeof(b));
	switch (below(3)) {
	case 0:
		d->argsz = argsz(chance(50) ? sizeof(*d) : sizeof(b));
		len = OUT_LEN(d->argsz, b);
		result_out("DEVICE_GET_INFO",
			   ioctl(fd, VFIO_DEVICE_GET_INFO, len ? (void *)b : buf),
			   b, len);
		break;
	case 1:
		r->argsz = argsz(chance(50) ? sizeof(*r) : sizeof(b));
		r->index = chance(90) ? below(12) : any32();
		len = OUT_LEN(r->argsz, b);
		result_out("GET_REGION_INFO",
			   ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
				 len ? (void *)b : buf), b, len);
		break;
	default:
		irq->argsz = argsz(sizeof(*irq));
		irq->index = chance(90) ? below(7) : any32();
		result_out("GET_IRQ_INFO",
			   ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, b), b,
			   OUT_LEN(irq->argsz, b));
	}
}

/*
 * Until the user writes them, the BAR registers in config space hold the
 * addresses the platform gave the BARs, which differ between kernels (the
 * simulated RAM window lands where each kernel's size puts it): out of
 * the trace's hash, as a machine's addresses would be.
 */
static void hide_bar_addresses(uint8_t *b, uint64_t pos, long len)
{
	long i;

	for (i = 0; i < len; i++)
		if ((pos + i >= 0x10 && pos + i < 0x28) ||
		    (pos + i >= 0x30 && pos + i < 0x34))
			b[i] = 0;
}

static void op_rw(void)
{
	static const size_t widths[] = { 1, 2, 4, 8, 3, 16, 256, 4096 };
	size_t len = widths[below(ARRAY_SIZE(widths))];
	uint64_t off = region_offset();
	uint8_t *to = buf + BUF_LEN - 2 * PG;
	int fd = fd_of(DEV);
	char call[64];
	long ret;

	if (chance(50)) {
		ret = pread(fd, to, len, off);
		snprintf(call, sizeof(call), "pread(%zu at %#llx)", len,
			 (unsigned long long)off);
		if ((off >> 40) == VFIO_PCI_CONFIG_REGION_INDEX)
			hide_bar_addresses(to, off & 0xffffffffffULL, ret);
		result_out(call, ret, to, ret > 0 ? ret : 0);
	} else {
		snprintf(call, sizeof(call), "pwrite(%zu at %#llx)", len,
			 (unsigned long long)off);
		CALL(call, pwrite(fd, buf + below(PG), len, off));
	}
}

static int new_eventfd(void)
{
	int s = slot_of(EFD);

	if (s >= 0 && chance(70))
		return fds[s].fd;
	s = eventfd(0, EFD_NONBLOCK);
	add_fd(s, EFD, -1);
	return s;
}

static void op_set_irqs(void)
{
	struct {
		struct vfio_irq_set hdr;
		int32_t data[8];
	} set;
	uint32_t count, i, type = 1 << below(3);

	memset(&set, 0, sizeof(set));
	count = chance(80) ? below(5) : any32();
	set.hdr.index = chance(90) ? below(6) : any32();
	set.hdr.start = chance(85) ? below(3) : any32();
	set.hdr.flags = chance(90) ? type | 1 << (3 + below(3)) : any32();
	if (chance(50)) {
		/* The shape a driver uses: eventfds (or none) for vectors. */
		type = chance(80) ? VFIO_IRQ_SET_DATA_EVENTFD :
				    VFIO_IRQ_SET_DATA_NONE;
		set.hdr.index = below(3);
		set.hdr.start = chance(80) ? 0 : below(2);
		count = type == VFIO_IRQ_SET_DATA_NONE ? 0 : 1 + below(4);
		set.hdr.flags = type | VFIO_IRQ_SET_ACTION_TRIGGER;
	}
	set.hdr.count = count;
	if (type == 4)
		for (i = 0; i < 8; i++)
			set.data[i] = chance(80) ? new_eventfd() :
				      chance(50) ? -1 : (int)any32();
	else if (type == 2)
		for (i = 0; i < 8; i++)
			((uint8_t *)set.data)[i] = below(2);
	set.hdr.argsz = argsz(sizeof(set.hdr) +
			      (type == 4 ? 4 : type == 2 ? 1 : 0) *
			      (count < 8 ? count : 8));
	if (set.hdr.argsz > sizeof(set))
		set.hdr.argsz = chance(50) ? sizeof(set) : set.hdr.argsz;
	CALL("SET_IRQS", ioctl(fd_of(DEV), VFIO_DEVICE_SET_IRQS,
			       set.hdr.argsz > sizeof(set) ? (void *)buf :
			       (void *)&set));
}

static void op_reset(void)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[8];
	} info;
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fds[4];
	} r;
	int fd = fd_of(DEV);
	uint32_t i;

	/* A reset sleeps as the PCI core waits for the function (100 ms). */
	if (chance(80))
		return;
	switch (below(3)) {
	case 0:
		CALL("DEVICE_RESET", ioctl(fd, VFIO_DEVICE_RESET));
		break;
	case 1:
		memset(&info, 0, sizeof(info));
		info.hdr.argsz = argsz(chance(50) ? sizeof(info) :
				       sizeof(info.hdr));
		if (info.hdr.argsz > sizeof(info))
			info.hdr.argsz = sizeof(info);
		CALL("GET_PCI_HOT_RESET_INFO",
		     ioctl(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info));
		break;
	default:
		memset(&r, 0, sizeof(r));
		r.hdr.count = chance(80) ? below(4) : any32();
		for (i = 0; i < 4; i++)
			r.fds[i] = fd_of(GRP);
		r.hdr.flags = chance(90) ? 0 : any32();
		r.hdr.argsz = argsz(sizeof(r.hdr) +
				    4 * (r.hdr.count < 4 ? r.hdr.count : 4));
		if (r.hdr.argsz > sizeof(r))
			r.hdr.argsz = sizeof(r);
		CALL("PCI_HOT_RESET", ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, &r));
	}
}

static void op_feature_ioeventfd(void)
{
	/*
	 * Not with the top bit of the offset set: Linux's vfio-pci takes the
	 * index as signed there, reads before its BARs and may crash (seen
	 * with this fuzzer on the reference kernel); KUnit checks ours.
	 */
	struct vfio_device_ioeventfd e = {
		.argsz = argsz(sizeof(e)),
		.flags = chance(80) ? 1 << below(4) : any32(),
		.offset = region_offset() & ~(1ULL << 63), .data = next(),
	};
	struct {
		struct vfio_device_feature f;
		uint8_t data[64];
	} f;
	char call[128];

	if (chance(50)) {
		e.fd = chance(30) ? -1 : new_eventfd();
		snprintf(call, sizeof(call),
			 "DEVICE_IOEVENTFD(argsz %u, flags %#x, offset %#llx, fd %s)",
			 e.argsz, e.flags, (unsigned long long)e.offset,
			 e.fd < 0 ? "-1" : "eventfd");
		CALL(call, ioctl(fd_of(DEV), VFIO_DEVICE_IOEVENTFD, &e));
		if (chance(50) && e.fd >= 0) {
			uint64_t one = 1;

			CALL("write eventfd", write(e.fd, &one, sizeof(one)));
		}
		return;
	}
	memset(&f, 0, sizeof(f));
	f.f.argsz = argsz(chance(50) ? sizeof(f.f) : sizeof(f));
	if (f.f.argsz > sizeof(f))
		f.f.argsz = sizeof(f);
	f.f.flags = (chance(90) ? below(12) : any32() & 0xffff) |
		    (chance(90) ? (1 << (16 + below(3))) : any32() & ~0xffffU);
	CALL("DEVICE_FEATURE", ioctl(fd_of(DEV), VFIO_DEVICE_FEATURE, &f));
}

/*
 * The simulated device asked to interrupt or, when it is the DMA engine,
 * to copy between two IOVAs (done by the time the doorbell write returns).
 */
static void op_poke(void)
{
	uint64_t bar0 = (uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40;
	int s = dev_slot(), fd = s < 0 ? -1 : fds[s].fd;
	uint64_t src = iova(), dst = iova();
	uint32_t len = below(3 * PG);
	char call[80];

	if (s >= 0 && fds[s].func == 0) {
		sim_write32(fd, bar0 + DMA_SRC, src);
		sim_write32(fd, bar0 + DMA_SRC + 4, src >> 32);
		sim_write32(fd, bar0 + DMA_DST, dst);
		sim_write32(fd, bar0 + DMA_DST + 4, dst >> 32);
		sim_write32(fd, bar0 + DMA_LEN, len);
		sim_write32(fd, bar0 + DMA_VECTOR, below(4));
		snprintf(call, sizeof(call), "DMA copy(%#llx -> %#llx, %u)",
			 (unsigned long long)src, (unsigned long long)dst, len);
		CALL(call, sim_write32(fd, bar0 + DMA_DOORBELL, 1));
		CALL("DMA status", sim_read32(fd, bar0 + DMA_STATUS));
		sim_dma_clear(fd, bar0);
	} else if (chance(50)) {
		CALL("raise INTx", sim_write32(fd, bar0 + REG_INTX, below(2)));
	} else {
		CALL("send MSI", sim_write32(fd, bar0 + REG_MSI, below(5)));
	}
}

/* A region mapped (never touched: its pages are MMIO under UML). */
static void op_mmap(void)
{
	int i, s = dev_slot();
	size_t len;
	void *p;

	for (i = 0; i < NMAPS && maps[i].p; i++)
		;
	if (i == NMAPS || s < 0 || chance(30)) {
		i = below(NMAPS);
		if (maps[i].p)
			CALL("munmap", munmap(maps[i].p, maps[i].len));
		maps[i].p = NULL;
		return;
	}
	len = chance(80) ? PG * (1 + below(2)) : any64() & 0xffffff;
	p = mmap(NULL, len, chance(80) ? PROT_READ | PROT_WRITE : PROT_READ,
		 chance(90) ? MAP_SHARED : MAP_PRIVATE, fds[s].fd,
		 region_offset() & ~(PG - 1));
	CALL("mmap", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		maps[i].p = p;
		maps[i].len = len;
		maps[i].func = fds[s].func;
	}
}

static void op_close(void)
{
	int s = below(NFDS);

	if (fds[s].kind != NONE)
		drop_slot(s);
}

/*
 * vfio.rst's flow on a random function, mostly right: a container, the
 * function's group (the one open already, if any) attached, type1,
 * a mapping, the device fd. Without it few random sequences get far.
 */
static void op_flow(void)
{
	int func = below(NFUNCS), ctr, grp = -1, s;
	char path[64];

	s = slot_of(CTR);
	if (s >= 0 && chance(50)) {
		ctr = fds[s].fd;
	} else {
		ctr = CALL("open container", open("/dev/vfio/vfio", O_RDWR));
		add_fd(ctr, CTR, -1);
	}
	for (s = 0; s < NFDS; s++)
		if (fds[s].kind == GRP && groups[fds[s].func] == groups[func])
			grp = fds[s].fd;
	if (grp < 0) {
		snprintf(path, sizeof(path), "/dev/vfio/%d", groups[func]);
		grp = CALL("open group", open(path, O_RDWR));
		add_fd(grp, GRP, func);
	}
	if (CALL("GROUP_SET_CONTAINER",
		 ioctl(grp, VFIO_GROUP_SET_CONTAINER, &ctr)) == 0 &&
	    !CALL("SET_IOMMU", ioctl(ctr, VFIO_SET_IOMMU, chance(80) ?
				     VFIO_TYPE1v2_IOMMU : VFIO_TYPE1_IOMMU)))
		set_ready(ctr);
	op_map_on(ctr);
	add_fd(CALL("GROUP_GET_DEVICE_FD",
		    ioctl(grp, VFIO_GROUP_GET_DEVICE_FD, funcs[func])), DEV,
	       func);
}

/* Unbind from vfio-pci and bind again, when no device fd holds it. */
static void op_rebind(void)
{
	int func = below(NFUNCS);
	char path[128];

	if (device_busy(func) || chance(70))
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 funcs[func]);
	if (bound[func]) {
		CALL("unbind", write_sysfs(path, funcs[func]));
		bound[func] = false;
	} else {
		CALL("bind", write_sysfs("/sys/bus/pci/drivers_probe",
					 funcs[func]));
		bound[func] = true;
	}
}

static const struct {
	void (*fn)(void);
	unsigned int weight;
} ops[] = {
	{ op_flow, 4 }, { op_open_container, 1 }, { op_container_misc, 4 },
	{ op_iommu_info, 2 }, { op_map, 10 }, { op_unmap, 8 },
	{ op_dirty, 2 }, { op_open_group, 5 }, { op_group_misc, 8 },
	{ op_device_fd, 6 }, { op_info, 6 }, { op_rw, 10 },
	{ op_set_irqs, 10 }, { op_reset, 3 }, { op_feature_ioeventfd, 4 },
	{ op_poke, 6 }, { op_mmap, 3 }, { op_close, 8 }, { op_rebind, 1 },
};

static void close_everything(void)
{
	int i;

	for (i = 0; i < NMAPS; i++) {
		if (maps[i].p)
			munmap(maps[i].p, maps[i].len);
		maps[i].p = NULL;
	}
	for (i = 0; i < NFDS; i++)
		if (fds[i].kind != NONE)
			drop_slot(i);
	for (i = 0; i < (int)NFUNCS; i++)
		if (!bound[i]) {
			write_sysfs("/sys/bus/pci/drivers_probe", funcs[i]);
			bound[i] = true;
		}
}

static unsigned long env(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

int main(void)
{
	unsigned long seed = env("FUZZ_SEED", 1), n = env("FUZZ_OPS", 20000);
	unsigned long every = env("FUZZ_CHECK", 50000);
	struct lost_state base;
	struct timespec t0, t1;
	unsigned int i, total = 0, w;
	char where[64];
	double secs;
	int bad = 0;

	if (client_start())
		return 1;
	trace = env("FUZZ_TRACE", 1);
	for (i = 0; i < NFUNCS; i++) {
		if (bind_driver(funcs[i], "vfio-pci")) {
			out("bind(%s, vfio-pci) failed", funcs[i]);
			return 1;
		}
		groups[i] = group_of(funcs[i]);
		bound[i] = true;
	}
	/*
	 * The buffer, the read-only page after it, then pages no one may
	 * touch: a mapping that runs past them fails the same way on every
	 * kernel, instead of reaching whatever the kernel placed next (a
	 * BAR mapping, which UML cannot fault in).
	 */
	buf = mmap(NULL, BUF_LEN + GUARD, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED ||
	    mmap(buf, BUF_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1,
		 0) == MAP_FAILED)
		return 1;
	ro = buf + BUF_LEN;
	if (mprotect(ro, PG, PROT_READ))
		return 1;
	for (i = 0; i < NFDS; i++)
		fds[i].fd = -1;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		total += ops[i].weight;

	lost_start(&base);
	rng = seed;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (op = 1; op <= n; op++) {
		w = below(total);
		for (i = 0; w >= ops[i].weight; i++)
			w -= ops[i].weight;
		ops[i].fn();
		if (op % 1000 == 0) {
			snprintf(where, sizeof(where), "seed %lu, op %lu", seed,
				 op);
			bad += lost_reports(where);
		}
		if (op % every == 0 || op == n) {
			close_everything();
			snprintf(where, sizeof(where), "seed %lu, op %lu", seed,
				 op);
			bad += lost_check(&base, where);
		}
		if (bad)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* The figures vary from run to run: not in a trace to be diffed. */
	if (trace)
		out("fuzz: seed %lu, %lu operations, %d reports or leaks", seed,
		    op > n ? n : op, bad);
	else
		out("fuzz: seed %lu, %lu operations in %.1f s, %.0f/s, %d reports or leaks",
		    seed, op > n ? n : op, secs, (op > n ? n : op) / secs, bad);
	out("failures = %d", bad);
	return bad ? 1 : 0;
}
