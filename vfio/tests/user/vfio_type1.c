// SPDX-License-Identifier: GPL-2.0
/*
 * The type1 IOMMU backend from userspace, against the uAPI header and
 * Linux's documented behaviour only: extensions, GET_INFO and its
 * capability chain with the argsz rules, MAP_DMA / UNMAP_DMA sequences
 * with v2 and v1 semantics and every refusal, the charge to locked_vm
 * (VmLck), RLIMIT_MEMLOCK without CAP_IPC_LOCK, dma_entry_limit, vaddr
 * invalidation and update, dirty page tracking and its bitmaps, a group
 * joining a container with mappings and the last group taking them.
 *
 * Every call prints "CALL = result" (client.h); a result other than
 * Linux's also counts as a failure; the exit status is 0 only without.
 *
 * usage: vfio_type1 [BDF_A [BDF_B]]  (default 0000:40:01.0, 0000:40:02.0)
 */
#include "client.h"

#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>
#include <linux/vfio.h>

#define PG		4096ULL
#define IOVA		0x100000ULL
#define MSI_START	0xfee00000ULL	/* the simulated MSI doorbell window */
#define TOP		(1ULL << 48)	/* the fake IOMMU's aperture */
#define BUF_PAGES	64
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define LIMIT_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

static unsigned char *buf;	/* BUF_PAGES read-write */
static unsigned char *ro;	/* 4 pages read-only */

static long map(int c, uint64_t iova, void *vaddr, uint64_t size,
		uint32_t flags, uint32_t argsz)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = argsz ? argsz : sizeof(m), .flags = flags,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &m);
}

/* UNMAP_DMA, printing the size the kernel reported back. */
static long unmap(int c, const char *call, uint64_t iova, uint64_t size,
		  uint32_t flags, long want, uint64_t want_size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .flags = flags, .iova = iova, .size = size,
	};
	long ret = expect(call, ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u), want);

	if (!ret) {
		out("  unmapped %#llx", (unsigned long long)u.size);
		if (u.size != want_size)
			failures++;
	}
	return ret;
}

static void extensions(int c, const char *when)
{
	static const struct { const char *name; int ext; } e[] = {
		{ "VFIO_TYPE1_IOMMU", VFIO_TYPE1_IOMMU },
		{ "VFIO_TYPE1v2_IOMMU", VFIO_TYPE1v2_IOMMU },
		{ "VFIO_TYPE1_NESTING_IOMMU", VFIO_TYPE1_NESTING_IOMMU },
		{ "VFIO_UNMAP_ALL", VFIO_UNMAP_ALL },
		{ "VFIO_UPDATE_VADDR", VFIO_UPDATE_VADDR },
		{ "VFIO_DMA_CC_IOMMU", VFIO_DMA_CC_IOMMU },
		{ "VFIO_SPAPR_TCE_IOMMU", VFIO_SPAPR_TCE_IOMMU },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		out("VFIO_CHECK_EXTENSION(%s), %s = %s", e[i].name, when,
		    rv(ioctl(c, VFIO_CHECK_EXTENSION, e[i].ext)));
}

static void print_caps(unsigned char *info_buf, uint32_t offset)
{
	while (offset) {
		struct vfio_info_cap_header *h = (void *)(info_buf + offset);

		out("  cap id %u version %u at %u", h->id, h->version, offset);
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
			struct vfio_iommu_type1_info_cap_migration *m =
				(void *)h;

			out("    flags %#x pgsize_bitmap %#llx max_dirty_bitmap_size %#llx",
			    m->flags, (unsigned long long)m->pgsize_bitmap,
			    (unsigned long long)m->max_dirty_bitmap_size);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			out("    avail %u",
			    ((struct vfio_iommu_type1_info_dma_avail *)h)->avail);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			struct vfio_iommu_type1_info_cap_iova_range *r =
				(void *)h;
			unsigned int i;

			for (i = 0; i < r->nr_iovas; i++)
				out("    iova [%#llx, %#llx]",
				    (unsigned long long)r->iova_ranges[i].start,
				    (unsigned long long)r->iova_ranges[i].end);
		}
		offset = h->next;
	}
}

/* GET_INFO with @argsz; prints what came back and the bytes written. */
static void info(int c, uint32_t argsz, long want)
{
	unsigned char b[512];
	struct vfio_iommu_type1_info *i = (void *)b;
	char call[64];
	unsigned int n;

	memset(b, 0xa5, sizeof(b));
	i->argsz = argsz;
	snprintf(call, sizeof(call), "VFIO_IOMMU_GET_INFO(argsz %u)", argsz);
	if (expect(call, ioctl(c, VFIO_IOMMU_GET_INFO, i), want))
		return;
	for (n = sizeof(b); n && b[n - 1] == 0xa5; n--)
		;
	out("  argsz %u flags %#x iova_pgsizes %#llx cap_offset %u, %u bytes written",
	    i->argsz, i->flags, (unsigned long long)i->iova_pgsizes,
	    n >= 24 ? i->cap_offset : 0, n);
	if (n >= 24)
		print_caps(b, i->cap_offset);
}

static void get_info(int c)
{
	unsigned char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vfio_iommu_type1_info *i;

	if (p != MAP_FAILED && !munmap(p + PG, PG)) {
		i = (void *)(p + PG - sizeof(*i));
		i->argsz = 512;
		expect("VFIO_IOMMU_GET_INFO(chain past the caller's memory)",
		       ioctl(c, VFIO_IOMMU_GET_INFO, i), -EFAULT);
		munmap(p, PG);
	}
	info(c, 15, -EINVAL);
	info(c, 16, 0);
	info(c, sizeof(struct vfio_iommu_type1_info), 0);
	info(c, 512, 0);
}

struct step {
	const char *call;
	int unmap;
	uint64_t iova, size;
	uint32_t flags;
	void *vaddr;		/* NULL: buf + off */
	uint64_t off;
	uint32_t argsz;
	long want;
	uint64_t want_size;
};

#define M(c, i, s, o, f, w)	{ c, 0, i, s, f, NULL, o, 0, w, 0 }
#define U(c, i, s, f, w, ws)	{ c, 1, i, s, f, NULL, 0, 0, w, ws }

static void run(int c, const struct step *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, s++) {
		if (s->unmap) {
			unmap(c, s->call, s->iova, s->size, s->flags, s->want,
			      s->want_size);
			continue;
		}
		expect(s->call, map(c, s->iova, s->vaddr ? s->vaddr :
				    buf + s->off, s->size, s->flags, s->argsz),
		       s->want);
	}
}

static void sequences_v2(int c)
{
	const struct step s[] = {
		M("MAP(2 pages)", IOVA, 2 * PG, 0, RW, 0),
		M("MAP(overlapping the end)", IOVA + PG, 2 * PG, 2 * PG, RW,
		  -EEXIST),
		M("MAP(overlapping the start)", IOVA - PG, 2 * PG, 2 * PG, RW,
		  -EEXIST),
		M("MAP(adjacent, read-only)", IOVA + 2 * PG, PG, 2 * PG,
		  VFIO_DMA_MAP_FLAG_READ, 0),
		M("MAP(write-only)", 2 * IOVA, PG, 3 * PG,
		  VFIO_DMA_MAP_FLAG_WRITE, 0),
		U("UNMAP(bisecting the first page)", IOVA, PG, 0, -EINVAL, 0),
		U("UNMAP(bisecting the last page)", IOVA + PG, PG, 0,
		  -EINVAL, 0),
		U("UNMAP(nothing there)", 3 * IOVA, PG, 0, 0, 0),
		U("UNMAP(two mappings)", IOVA, 3 * PG, 0, 0, 3 * PG),
		M("MAP(iova unaligned)", IOVA + 1, PG, 0, RW, -EINVAL),
		M("MAP(size unaligned)", IOVA, PG + 1, 0, RW, -EINVAL),
		M("MAP(vaddr unaligned)", IOVA, PG, 1, RW, -EINVAL),
		M("MAP(size 0)", IOVA, 0, 0, RW, -EINVAL),
		M("MAP(iova wraps)", -PG, 2 * PG, 0, RW, -EINVAL),
		{ "MAP(vaddr wraps)", 0, IOVA, 2 * PG, RW, (void *)-PG, 0, 0,
		  -EINVAL },
		M("MAP(no READ or WRITE)", IOVA, PG, 0, 0, -EINVAL),
		M("MAP(READ|WRITE|VADDR)", IOVA, PG, 0,
		  RW | VFIO_DMA_MAP_FLAG_VADDR, -EINVAL),
		M("MAP(unknown flag)", IOVA, PG, 0, RW | 8, -EINVAL),
		{ "MAP(argsz 31)", 0, IOVA, PG, RW, NULL, 0, 31, -EINVAL },
		M("MAP(in the MSI window)", MSI_START, PG, 0, RW, -EINVAL),
		M("MAP(into the MSI window)", MSI_START - PG, 2 * PG, 0, RW,
		  -EINVAL),
		M("MAP(below the MSI window)", MSI_START - PG, PG, 0, RW, 0),
		M("MAP(last page of the aperture)", TOP - PG, PG, PG, RW, 0),
		M("MAP(past the aperture)", TOP, PG, 0, RW, -EINVAL),
		{ "MAP(READ|WRITE of read-only memory)", 0, IOVA, PG, RW, ro,
		  0, 0, -EFAULT },
		{ "MAP(READ of read-only memory)", 0, IOVA, 4 * PG,
		  VFIO_DMA_MAP_FLAG_READ, ro, 0, 0, 0 },
		{ "MAP(unmapped memory)", 0, 3 * IOVA, PG, RW, (void *)PG, 0,
		  0, -EFAULT },
		U("UNMAP(size 0)", IOVA, 0, 0, -EINVAL, 0),
		U("UNMAP(iova unaligned)", IOVA + 1, PG, 0, -EINVAL, 0),
		U("UNMAP(wraps)", -PG, 2 * PG, 0, -EINVAL, 0),
		U("UNMAP(unknown flag)", IOVA, PG, 8, -EINVAL, 0),
		U("UNMAP(ALL with an iova)", IOVA, 0, VFIO_DMA_UNMAP_FLAG_ALL,
		  -EINVAL, 0),
		U("UNMAP(ALL|GET_DIRTY_BITMAP)", 0, 0,
		  VFIO_DMA_UNMAP_FLAG_ALL |
		  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, -EINVAL, 0),
		U("UNMAP(GET_DIRTY_BITMAP, argsz without the bitmap)", IOVA,
		  PG, VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, -EINVAL, 0),
	};
	long before = vm_locked();

	run(c, s, ARRAY_SIZE(s));
	expect("MAP_DMA(argument in unmapped memory)",
	       ioctl(c, VFIO_IOMMU_MAP_DMA, (void *)PG), -EFAULT);
	expect("UNMAP_DMA(argument in unmapped memory)",
	       ioctl(c, VFIO_IOMMU_UNMAP_DMA, (void *)PG), -EFAULT);
	expect("DIRTY_PAGES(argument in unmapped memory)",
	       ioctl(c, VFIO_IOMMU_DIRTY_PAGES, (void *)PG), -EFAULT);
	out("VmLck after the sequence: +%ld pages", vm_locked() - before);
	unmap(c, "UNMAP(ALL)", 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0,
	      7 * PG);
	out("VmLck after UNMAP(ALL): +%ld pages", vm_locked() - before);
}

static void vaddr(int c)
{
	const struct step s[] = {
		M("MAP(4 pages)", IOVA, 4 * PG, 0, RW, 0),
		M("MAP(1 page)", IOVA + 4 * PG, PG, 4 * PG, RW, 0),
		U("UNMAP(VADDR, second)", IOVA + 4 * PG, PG,
		  VFIO_DMA_UNMAP_FLAG_VADDR, 0, PG),
		U("UNMAP(VADDR, both: second already invalid)", IOVA, 5 * PG,
		  VFIO_DMA_UNMAP_FLAG_VADDR, -EINVAL, 0),
		U("UNMAP(VADDR, first)", IOVA, 4 * PG,
		  VFIO_DMA_UNMAP_FLAG_VADDR, 0, 4 * PG),
		M("MAP(VADDR, size differs)", IOVA, 2 * PG, 8 * PG,
		  VFIO_DMA_MAP_FLAG_VADDR, -EINVAL),
		M("MAP(VADDR, nothing there)", 2 * IOVA, PG, 8 * PG,
		  VFIO_DMA_MAP_FLAG_VADDR, -ENOENT),
		M("MAP(VADDR, first)", IOVA, 4 * PG, 8 * PG,
		  VFIO_DMA_MAP_FLAG_VADDR, 0),
		M("MAP(VADDR, first again)", IOVA, 4 * PG, 8 * PG,
		  VFIO_DMA_MAP_FLAG_VADDR, -EINVAL),
		M("MAP(VADDR, second)", IOVA + 4 * PG, PG, 12 * PG,
		  VFIO_DMA_MAP_FLAG_VADDR, 0),
		U("UNMAP(ALL)", 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, 5 * PG),
	};

	run(c, s, ARRAY_SIZE(s));
}

/*
 * A child re-points an invalidated mapping at its own memory: the charge
 * moves from the parent's VmLck to the child's.
 */
static void vaddr_child(int c)
{
	long before = vm_locked();
	pid_t pid;
	int status;

	check(expect("MAP(3 pages)", map(c, IOVA, buf, 3 * PG, RW, 0), 0));
	unmap(c, "UNMAP(VADDR)", IOVA, 3 * PG, VFIO_DMA_UNMAP_FLAG_VADDR, 0,
	      3 * PG);
	out("  VmLck +%ld pages", vm_locked() - before);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		long mine = vm_locked();

		failures = 0;
		expect("MAP(VADDR), from a child",
		       map(c, IOVA, buf + 8 * PG, 3 * PG,
			   VFIO_DMA_MAP_FLAG_VADDR, 0), 0);
		out("  child's VmLck +%ld pages", vm_locked() - mine);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failures++;
	out("  parent's VmLck +%ld pages", vm_locked() - before);
	unmap(c, "UNMAP(the child's)", IOVA, 3 * PG, 0, 0, 3 * PG);
	out("  parent's VmLck +%ld pages", vm_locked() - before);
}

static long dirty_flags(int c, uint32_t argsz, uint32_t flags)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = argsz, .flags = flags,
	};

	return ioctl(c, VFIO_IOMMU_DIRTY_PAGES, &d);
}

static long get_bitmap(int c, uint64_t iova, uint64_t size, uint64_t pgsize,
		       uint64_t bytes, uint64_t *data)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} a = {
		.d = { .argsz = sizeof(a),
		       .flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP },
		.g = { .iova = iova, .size = size,
		       .bitmap = { .pgsize = pgsize, .size = bytes,
				   .data = (void *)data } },
	};

	return ioctl(c, VFIO_IOMMU_DIRTY_PAGES, &a);
}

static void dirty(int c)
{
	const uint32_t start = VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
	const uint32_t stop = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;
	const uint64_t base = 0x1000000;
	uint64_t bm[4];
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} um;

	expect("DIRTY_PAGES(argsz 7)", dirty_flags(c, 7, start), -EINVAL);
	expect("DIRTY_PAGES(no flag)", dirty_flags(c, 8, 0), -EINVAL);
	expect("DIRTY_PAGES(unknown flag)", dirty_flags(c, 8, 8), -EINVAL);
	expect("DIRTY_PAGES(START|STOP)", dirty_flags(c, 8, start | stop),
	       -EINVAL);
	expect("GET_BITMAP(not tracking)",
	       get_bitmap(c, base, 64 * PG, PG, 8, bm), -EINVAL);
	check(expect("MAP(pages 1-2)", map(c, base + PG, buf, 2 * PG, RW, 0),
		     0));
	check(expect("MAP(pages 65-67)",
		     map(c, base + 65 * PG, buf + 2 * PG, 3 * PG, RW, 0), 0));
	expect("DIRTY_PAGES(START)", dirty_flags(c, 8, start), 0);
	expect("DIRTY_PAGES(START) again", dirty_flags(c, 8, start), 0);
	expect("GET_BITMAP(pgsize 8K)",
	       get_bitmap(c, base, 128 * PG, 2 * PG, 16, bm), -EINVAL);
	expect("GET_BITMAP(iova unaligned)",
	       get_bitmap(c, base + 1, 128 * PG, PG, 16, bm), -EINVAL);
	expect("GET_BITMAP(size 0)", get_bitmap(c, base, 0, PG, 16, bm),
	       -EINVAL);
	expect("GET_BITMAP(bitmap too small)",
	       get_bitmap(c, base, 128 * PG, PG, 8, bm), -EINVAL);
	expect("GET_BITMAP(wraps)", get_bitmap(c, -PG, 2 * PG, PG, 8, bm),
	       -EINVAL);
	expect("GET_BITMAP(bisects a mapping)",
	       get_bitmap(c, base + 2 * PG, 64 * PG, PG, 8, bm), -EINVAL);
	expect("GET_BITMAP(ends inside a mapping)",
	       get_bitmap(c, base, 2 * PG, PG, 8, bm), -EINVAL);
	memset(bm, 0, sizeof(bm));
	bm[1] = 0x100;
	bm[2] = 0xffULL << 56;
	if (!expect("GET_BITMAP(128 pages)",
		    get_bitmap(c, base, 128 * PG, PG, 16, bm), 0))
		out("  %#llx %#llx %#llx", (unsigned long long)bm[0],
		    (unsigned long long)bm[1], (unsigned long long)bm[2]);

	memset(bm, 0, sizeof(bm));
	if (!expect("GET_BITMAP(128 pages) again",
		    get_bitmap(c, base, 128 * PG, PG, 16, bm), 0))
		out("  %#llx %#llx", (unsigned long long)bm[0],
		    (unsigned long long)bm[1]);

	memset(bm, 0, sizeof(bm));
	if (!expect("GET_BITMAP(1 page, ending where a mapping begins)",
		    get_bitmap(c, base, PG, PG, 8, bm), 0))
		out("  %#llx", (unsigned long long)bm[0]);

	memset(&um, 0, sizeof(um));
	um.u.argsz = sizeof(um);
	um.u.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	um.u.iova = base + 64 * PG;
	um.u.size = 64 * PG;
	um.b.pgsize = PG;
	um.b.size = 8;
	um.b.data = (void *)bm;
	bm[0] = 0xf1;
	if (!expect("UNMAP(GET_DIRTY_BITMAP)",
		    ioctl(c, VFIO_IOMMU_UNMAP_DMA, &um), 0))
		out("  unmapped %#llx bitmap %#llx",
		    (unsigned long long)um.u.size, (unsigned long long)bm[0]);
	um.b.size = 0;
	expect("UNMAP(GET_DIRTY_BITMAP, bitmap size 0)",
	       ioctl(c, VFIO_IOMMU_UNMAP_DMA, &um), -EINVAL);
	check(expect("MAP(page 64), while tracking",
		     map(c, base + 64 * PG, buf + 8 * PG, PG, RW, 0), 0));
	memset(bm, 0, sizeof(bm));
	if (!expect("GET_BITMAP(pages 64-127)",
		    get_bitmap(c, base + 64 * PG, 64 * PG, PG, 8, bm), 0))
		out("  %#llx", (unsigned long long)bm[0]);
	unmap(c, "UNMAP(page 64)", base + 64 * PG, PG, 0, 0, PG);
	check(expect("MAP(64 pages from bit 1)",
		     map(c, 2 * base + PG, buf, 64 * PG, RW, 0), 0));
	check(expect("MAP(1 page at bit 66)",
		     map(c, 2 * base + 66 * PG, buf, PG, RW, 0), 0));
	memset(bm, 0, sizeof(bm));
	if (!expect("GET_BITMAP(66 pages, up to the second)",
		    get_bitmap(c, 2 * base, 66 * PG, PG, 16, bm), 0))
		out("  %#llx %#llx", (unsigned long long)bm[0],
		    (unsigned long long)bm[1]);
	unmap(c, "UNMAP(both)", 2 * base + PG, 66 * PG, 0, 0, 65 * PG);
	expect("GET_BITMAP(into unmapped memory)",
	       get_bitmap(c, base, 128 * PG, PG, 16, (void *)PG), -EFAULT);
	expect("DIRTY_PAGES(STOP)", dirty_flags(c, 8, stop), 0);
	expect("GET_BITMAP(stopped)", get_bitmap(c, base, 64 * PG, PG, 8, bm),
	       -EINVAL);
	um.u.iova = base + PG;
	um.u.size = 2 * PG;
	um.b.size = 8;
	expect("UNMAP(GET_DIRTY_BITMAP, stopped)",
	       ioctl(c, VFIO_IOMMU_UNMAP_DMA, &um), -EINVAL);
	unmap(c, "UNMAP(ALL)", 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, 2 * PG);
}

/* A v1 container: unmap by a mapping's first page, no dirty tracking. */
static void type1_v1(int c)
{
	const struct step s[] = {
		M("MAP(2 pages)", IOVA, 2 * PG, 0, RW, 0),
		M("MAP(1 page after)", IOVA + 2 * PG, PG, 2 * PG, RW, 0),
		U("UNMAP(from inside the first)", IOVA + PG, 2 * PG, 0, 0, 0),
		U("UNMAP(the first page of the first)", IOVA, PG, 0, 0, 2 * PG),
		U("UNMAP(ALL)", 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0, PG),
	};

	run(c, s, ARRAY_SIZE(s));
	expect("DIRTY_PAGES(START), v1",
	       dirty_flags(c, 8, VFIO_IOMMU_DIRTY_PAGES_FLAG_START), -EACCES);
}

static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d);
}

/* In a child without CAP_IPC_LOCK: RLIMIT_MEMLOCK of 4 pages. */
static void memlock(int c)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		struct rlimit r = { 4 * PG, 4 * PG };
		long before = vm_locked();

		failures = 0;
		if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &r))
			_exit(2);
		expect("MAP(5 pages), RLIMIT_MEMLOCK 4 pages",
		       map(c, IOVA, buf, 5 * PG, RW, 0), -ENOMEM);
		out("  VmLck +%ld pages", vm_locked() - before);
		expect("MAP(4 pages)", map(c, IOVA, buf, 4 * PG, RW, 0), 0);
		out("  VmLck +%ld pages", vm_locked() - before);
		expect("MAP(1 more page)",
		       map(c, 2 * IOVA, buf + 4 * PG, PG, RW, 0), -ENOMEM);
		unmap(c, "UNMAP(ALL)", 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0,
		      4 * PG);
		out("  VmLck +%ld pages", vm_locked() - before);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failures++;
}

static void entry_limit(int group_b)
{
	char old[32] = "";
	int c, fd = open(LIMIT_PARAM, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, old, sizeof(old) - 1);

	if (fd >= 0)
		close(fd);
	old[n > 0 ? n - 1 : 0] = 0;
	out("dma_entry_limit = %s", old);
	expect("write(dma_entry_limit, 2)", write_sysfs(LIMIT_PARAM, "2"), 0);
	c = open("/dev/vfio/vfio", O_RDWR);
	expect("VFIO_GROUP_SET_CONTAINER(B)",
	       ioctl(group_b, VFIO_GROUP_SET_CONTAINER, &c), 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	expect("MAP(1)", map(c, IOVA, buf, PG, RW, 0), 0);
	expect("MAP(2)", map(c, 2 * IOVA, buf, PG, RW, 0), 0);
	expect("MAP(3), past the limit", map(c, 3 * IOVA, buf, PG, RW, 0),
	       -ENOSPC);
	info(c, 512, 0);
	expect("write(dma_entry_limit, old)", write_sysfs(LIMIT_PARAM, old), 0);
	expect("VFIO_GROUP_UNSET_CONTAINER(B)",
	       ioctl(group_b, VFIO_GROUP_UNSET_CONTAINER), 0);
	close(c);
}

/* Group B joins a container with mappings; the last one takes them. */
static void join(int c, int group_a, int group_b)
{
	long before = vm_locked();

	check(expect("MAP(8 pages)", map(c, IOVA, buf, 8 * PG, RW, 0), 0));
	expect("VFIO_GROUP_SET_CONTAINER(B), with a mapping",
	       ioctl(group_b, VFIO_GROUP_SET_CONTAINER, &c), 0);
	expect("MAP(1 page), two groups", map(c, 2 * IOVA, buf, PG, RW, 0), 0);
	out("  VmLck +%ld pages", vm_locked() - before);
	info(c, 512, 0);
	expect("VFIO_GROUP_UNSET_CONTAINER(A)",
	       ioctl(group_a, VFIO_GROUP_UNSET_CONTAINER), 0);
	out("  VmLck +%ld pages", vm_locked() - before);
	unmap(c, "UNMAP(the 8 pages)", IOVA, 8 * PG, 0, 0, 8 * PG);
	expect("VFIO_GROUP_UNSET_CONTAINER(B), the last",
	       ioctl(group_b, VFIO_GROUP_UNSET_CONTAINER), 0);
	out("  VmLck +%ld pages", vm_locked() - before);
	expect("MAP(no backend)", map(c, IOVA, buf, PG, RW, 0), -EINVAL);
}

static int open_group(const char *bdf)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", group_of(bdf));
	return expect_fd("open(group)", open(path, O_RDWR), 0);
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "0000:40:01.0";
	const char *b = argc > 2 ? argv[2] : "0000:40:02.0";
	int c, ga, gb;

	if (client_start())
		return 2;
	buf = mmap(NULL, BUF_PAGES * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || ro == MAP_FAILED)
		return 2;
	memset(buf, 0x5a, BUF_PAGES * PG);

	expect("bind(A)", bind_vfio_driver(a), 0);
	expect("bind(B)", bind_vfio_driver(b), 0);
	c = expect_fd("open(/dev/vfio/vfio)", open("/dev/vfio/vfio", O_RDWR),
		      0);
	ga = open_group(a);
	gb = open_group(b);
	if (c < 0 || ga < 0 || gb < 0)
		return 1;

	expect("VFIO_GROUP_SET_CONTAINER(A)",
	       ioctl(ga, VFIO_GROUP_SET_CONTAINER, &c), 0);
	extensions(c, "no backend");
	expect("VFIO_SET_IOMMU(VFIO_UNMAP_ALL)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_UNMAP_ALL), -EINVAL);
	expect("VFIO_SET_IOMMU(VFIO_DMA_CC_IOMMU)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_DMA_CC_IOMMU), -ENODEV);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1_NESTING_IOMMU)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1_NESTING_IOMMU), -EINVAL);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	extensions(c, "type1v2");
	get_info(c);
	sequences_v2(c);
	vaddr(c);
	vaddr_child(c);
	dirty(c);
	memlock(c);
	entry_limit(gb);
	join(c, ga, gb);

	expect("VFIO_GROUP_SET_CONTAINER(A), v1",
	       ioctl(ga, VFIO_GROUP_SET_CONTAINER, &c), 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1_IOMMU)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU), 0);
	type1_v1(c);
	close(ga);
	close(gb);
	close(c);
	out("failures: %d", failures);
	return failures ? 1 : 0;
}
