// SPDX-License-Identifier: GPL-2.0
/*
 * Every failure the kernel can be made to take, in turn: for each scenario
 * (a sequence of VFIO calls and a teardown in some order) and n = 1, 2, ...
 * the task's fail-nth makes the n-th injection point the scenario reaches
 * fail (a slab or page allocation, a copy from or to user memory, the fake
 * IOMMU's domain allocation, map or attach), until n is past the last one
 * and the scenario succeeds. After each run:
 *
 * - the first call that failed returned a clean error (one an allocation
 *   or a user copy can give), and no call succeeded with a wrong result;
 * - the teardown, made while still armed, left nothing behind (lost.h:
 *   locked_vm, pinned pages, the fake IOMMU's domains, interrupt handlers,
 *   eventfd contexts, open files, checker reports);
 * - the same scenario then succeeds unarmed and again leaves nothing.
 *
 * Made for the debug kernel (make fail-nth): kmemleak is scanned at the end.
 * Prints per scenario the injection points swept by kind and the errors
 * seen; the exit status is 0 when nothing was wrong.
 *
 * usage: vfio_fail_nth (FAIL_NTH_ONLY=<word> in the environment: only the
 * scenarios whose name has it)
 */
#include "client.h"
#include "lost.h"
#include "sim_regs.h"

#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#define DMA_BDF		"0000:40:00.0"	/* dma engine: MSI-X, copies */
#define RF_BDF		"0000:40:01.0"	/* register file: INTx, 4 MSI */
#define BEHIND_BDF	"0000:41:00.0"	/* behind the bridge: hot reset */
#define BEHIND_MATE	"0000:41:01.0"

#define PG		4096UL
#define SMALL		(16 * PG)
#define LARGE		(2UL << 20)
#define IOVA_SMALL	0x100000UL
#define IOVA_LARGE	0x400000UL
#define BAR0		((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40)
#define CONFIG		((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)
#define MAX_NTH		100000
/* Returned by a step whose calls succeeded with a wrong result. */
#define WRONG		1
/*
 * SET_IRQS enabled fewer MSI or MSI-X vectors than asked and returned how
 * many it could have (none left enabled): what Linux's vfio-pci answers
 * when the MSI core falls short, an allocation failure among others.
 */
#define FEWER		2

static const char *why;		/* what was wrong */

static int wrong(const char *what)
{
	why = what;
	return WRONG;
}

enum { D, R, B, NDEV };		/* the three functions' slots */

static const char *const bdfs[NDEV] = { DMA_BDF, RF_BDF, BEHIND_BDF };
static int groups[NDEV];	/* looked up before anything is armed */

struct st {
	int ctr;
	int grp[NDEV];
	int dev[NDEV];
	int efd[4];
	void *bar;
	size_t bar_len;
};

static uint8_t *buf;		/* SMALL + LARGE, populated once */

/* The kernel's fault injection points, by kind. */
static const char *const kinds[] = {
	"failslab", "fail_page_alloc", "fail_usercopy", "fail_simiommu",
};

#define NKINDS ARRAY_SIZE(kinds)

static int debugfs_write(const char *attr, const char *file, const char *v)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	return write_sysfs(path, v);
}

static long debugfs_read(const char *attr, const char *file)
{
	char path[128], line[64];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f))
		v = strtol(line, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/*
 * Quiet and unfiltered: allocations that may sleep fail too, so do
 * order-0 pages. `times` counts down on every injected failure, which
 * tells which kind of point failed. Return: the kinds missing.
 */
static int setup_injection(void)
{
	unsigned int i;
	int missing = 0;

	for (i = 0; i < NKINDS; i++) {
		if (debugfs_write(kinds[i], "verbose", "0") ||
		    debugfs_write(kinds[i], "times", "1000000000")) {
			out("fault injection: no %s", kinds[i]);
			missing++;
		}
	}
	debugfs_write("failslab", "ignore-gfp-wait", "N");
	debugfs_write("fail_page_alloc", "ignore-gfp-wait", "N");
	debugfs_write("fail_page_alloc", "min-order", "0");
	return missing;
}

/* Steps: 0, -errno of the first call that failed, or WRONG. */

static int fail(void)
{
	return -errno;
}

static int step_group(struct st *s, int i)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", groups[i]);
	s->grp[i] = open(path, O_RDWR);
	if (s->grp[i] < 0)
		return fail();
	if (ioctl(s->grp[i], VFIO_GROUP_GET_STATUS, &status))
		return fail();
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return wrong("group not viable");
	if (ioctl(s->grp[i], VFIO_GROUP_SET_CONTAINER, &s->ctr))
		return fail();
	return 0;
}

static int step_container(struct st *s, int unused)
{
	s->ctr = open("/dev/vfio/vfio", O_RDWR);
	if (s->ctr < 0)
		return fail();
	if (ioctl(s->ctr, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return wrong("API version");
	return ioctl(s->ctr, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 1 ?
	       0 : wrong("no type1v2");
}

static int step_set_iommu(struct st *s, int unused)
{
	struct {
		struct vfio_iommu_type1_info info;
		uint8_t caps[256];
	} i = { .info.argsz = sizeof(i) };

	if (ioctl(s->ctr, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail();
	if (ioctl(s->ctr, VFIO_IOMMU_GET_INFO, &i))
		return fail();
	return (i.info.flags & VFIO_IOMMU_INFO_PGSIZES) &&
	       (i.info.iova_pgsizes & PG) ? 0 : wrong("page sizes");
}

static int map(struct st *s, void *vaddr, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};

	return ioctl(s->ctr, VFIO_IOMMU_MAP_DMA, &m) ? fail() : 0;
}

static int step_map(struct st *s, int unused)
{
	return map(s, buf, IOVA_SMALL, SMALL) ?:
	       map(s, buf + SMALL, IOVA_LARGE, LARGE);
}

static int step_unmap(struct st *s, int unused)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = IOVA_LARGE, .size = LARGE,
	};

	if (ioctl(s->ctr, VFIO_IOMMU_UNMAP_DMA, &u))
		return fail();
	return u.size == LARGE ? 0 : wrong("unmapped size");
}

static int step_device(struct st *s, int i)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	s->dev[i] = ioctl(s->grp[i], VFIO_GROUP_GET_DEVICE_FD, bdfs[i]);
	if (s->dev[i] < 0)
		return fail();
	if (ioctl(s->dev[i], VFIO_DEVICE_GET_INFO, &info))
		return fail();
	return info.flags & VFIO_DEVICE_FLAGS_PCI ? 0 : wrong("device flags");
}

/* Every region's info with its capabilities. */
static int step_regions(struct st *s, int unused)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct {
		struct vfio_region_info r;
		uint8_t caps[512];
	} r;
	unsigned int i;

	if (ioctl(s->dev[D], VFIO_DEVICE_GET_INFO, &info))
		return fail();
	for (i = 0; i < info.num_regions; i++) {
		memset(&r, 0, sizeof(r));
		r.r.argsz = sizeof(r);
		r.r.index = i;
		if (ioctl(s->dev[D], VFIO_DEVICE_GET_REGION_INFO, &r) &&
		    errno != EINVAL)
			return fail();
	}
	return 0;
}

/* Config space read whole; memory and bus master on (MSI needs it). */
static int step_config(struct st *s, int i)
{
	uint8_t cfg[256];
	uint16_t cmd;

	if (pread(s->dev[i], cfg, sizeof(cfg), CONFIG) != sizeof(cfg))
		return fail();
	if (cfg[0] != (SIM_VENDOR & 0xff))
		return wrong("vendor ID");
	memcpy(&cmd, cfg + 4, 2);
	cmd |= 0x6;
	if (pwrite(s->dev[i], &cmd, 2, CONFIG + 4) != 2)
		return fail();
	return 0;
}

static int step_bar(struct st *s, int unused)
{
	uint32_t id;

	if (pread(s->dev[D], &id, 4, BAR0) != 4)
		return fail();
	return id == DMA_ID_VALUE ? 0 : wrong("ID register");
}

/* BAR0 mapped through the device fd (never touched: MMIO under UML). */
static int step_mmap(struct st *s, int unused)
{
	struct vfio_region_info r = {
		.argsz = sizeof(r), .index = VFIO_PCI_BAR0_REGION_INDEX,
	};
	void *p;

	if (ioctl(s->dev[D], VFIO_DEVICE_GET_REGION_INFO, &r))
		return fail();
	if (!(r.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return 0;
	p = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED, s->dev[D],
		 r.offset);
	if (p == MAP_FAILED)
		return fail();
	s->bar = p;
	s->bar_len = r.size;
	return 0;
}

/* The engine copies through the IOMMU: 4 KiB from the small mapping. */
static int dma_copy(struct st *s, uint32_t vector)
{
	uint32_t status;

	memset(buf, 0x5a, PG);
	memset(buf + PG, 0, PG);
	status = sim_dma_copy(s->dev[D], BAR0, IOVA_SMALL, IOVA_SMALL + PG, PG,
			      vector);
	if (status == ~0u)
		return fail();
	if (sim_write32(s->dev[D], BAR0 + DMA_STATUS, DMA_DONE | DMA_ERROR))
		return fail();
	if (status != DMA_DONE)
		return wrong(status & DMA_ERROR ? "DMA error" : "DMA not done");
	return buf[PG] == 0x5a && buf[2 * PG - 1] == 0x5a ?
	       0 : wrong("DMA copied nothing");
}

static int step_dma(struct st *s, int unused)
{
	return dma_copy(s, 0);
}

static int set_irqs(int dev, uint32_t index, uint32_t flags, uint32_t start,
		    uint32_t count, const int32_t *fds)
{
	int ret = vfio_set_irqs(dev, flags, index, start, count, fds);

	if (ret < 0)
		return fail();
	return ret ? FEWER : 0;
}

static int eventfds(struct st *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (s->efd[i] >= 0)
			continue;
		s->efd[i] = eventfd(0, EFD_NONBLOCK);
		if (s->efd[i] < 0)
			return fail();
	}
	return 0;
}

/* An eventfd signalled within a second: 1, 0 when quiet, or -errno. */
static int signalled(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;
	int n = poll(&p, 1, 1000);

	if (n < 0)
		return fail();
	if (!n)
		return 0;
	return read(efd, &v, sizeof(v)) == sizeof(v) ? 1 : fail();
}

#define EVENTFD_TRIGGER	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)
#define EVENTFD_UNMASK	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK)
#define NONE_MASK	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK)
#define NONE_UNMASK	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK)

/*
 * INTx of the register file: trigger and unmask eventfds, the line raised
 * (signalled, then masked until unmasked), unmasked through the eventfd,
 * masked and unmasked by ioctl. Left enabled for the teardown.
 */
static int step_intx(struct st *s, int unused)
{
	int ret, rf = s->dev[R];
	uint64_t one = 1;

	ret = eventfds(s, 2) ?:
	      set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, EVENTFD_TRIGGER, 0, 1,
		       &s->efd[0]) ?:
	      set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, EVENTFD_UNMASK, 0, 1,
		       &s->efd[1]);
	if (ret)
		return ret;
	if (sim_write32(rf, BAR0 + REG_INTX, 1))
		return fail();
	ret = signalled(s->efd[0]);
	if (ret != 1)
		return ret ?: wrong("INTx not signalled");
	if (sim_write32(rf, BAR0 + REG_INTX, 0) ||
	    write(s->efd[1], &one, sizeof(one)) != sizeof(one))
		return fail();
	return set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, NONE_MASK, 0, 1, NULL) ?:
	       set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, NONE_UNMASK, 0, 1, NULL);
}

/* Four MSI vectors of the register file; vector 2 sent and received. */
static int step_msi(struct st *s, int unused)
{
	int ret, rf = s->dev[R];

	ret = eventfds(s, 4) ?:
	      set_irqs(rf, VFIO_PCI_MSI_IRQ_INDEX, EVENTFD_TRIGGER, 0, 4,
		       s->efd);
	if (ret)
		return ret;
	if (sim_write32(rf, BAR0 + REG_MSI, 2))
		return fail();
	ret = signalled(s->efd[2]);
	return ret == 1 ? 0 : ret ?: wrong("MSI vector 2 not signalled");
}

/* Three MSI-X vectors of the engine; a copy completes on vector 2. */
static int step_msix(struct st *s, int unused)
{
	int ret;

	ret = eventfds(s, 3) ?:
	      set_irqs(s->dev[D], VFIO_PCI_MSIX_IRQ_INDEX, EVENTFD_TRIGGER, 0,
		       3, s->efd) ?:
	      dma_copy(s, 2);
	if (ret)
		return ret;
	ret = signalled(s->efd[2]);
	return ret == 1 ? 0 : ret ?: wrong("MSI-X vector 2 not signalled");
}

static int step_reset(struct st *s, int unused)
{
	return ioctl(s->dev[D], VFIO_DEVICE_RESET) ? fail() : 0;
}

static int step_hot_reset(struct st *s, int unused)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[8];
	} info = { .hdr.argsz = sizeof(info) };
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fd;
	} r = {
		.hdr = { .argsz = sizeof(r), .count = 1 },
		.fd = s->grp[B],
	};

	if (ioctl(s->dev[B], VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info))
		return fail();
	if (info.hdr.count < 2)
		return wrong("hot reset info count");
	return ioctl(s->dev[B], VFIO_DEVICE_PCI_HOT_RESET, &r) ? fail() : 0;
}

/* A step, and the function slot it works on when it takes one. */
struct step {
	const char *name;
	int (*fn)(struct st *s, int slot);
	int slot;
};

#define STEP(n) { #n, step_##n }
#define STEP_ON(n, slot) { #n "(" #slot ")", step_##n, slot }

static const struct step container_steps[] = {
	STEP(container), STEP_ON(group, D), STEP(set_iommu), STEP(map),
	STEP(unmap), {},
};

static const struct step two_group_steps[] = {
	STEP(container), STEP_ON(group, D), STEP(set_iommu), STEP(map),
	STEP_ON(group, R), STEP(unmap), {},
};

static const struct step device_steps[] = {
	STEP(container), STEP_ON(group, D), STEP(set_iommu), STEP(map),
	STEP_ON(device, D), STEP(regions), STEP_ON(config, D), STEP(bar),
	STEP(mmap), STEP(dma), STEP(reset), {},
};

static const struct step intx_steps[] = {
	STEP(container), STEP_ON(group, R), STEP(set_iommu), STEP_ON(device, R),
	STEP(intx), {},
};

static const struct step msi_steps[] = {
	STEP(container), STEP_ON(group, R), STEP(set_iommu), STEP_ON(device, R),
	STEP_ON(config, R), STEP(msi), {},
};

static const struct step msix_steps[] = {
	STEP(container), STEP_ON(group, D), STEP(set_iommu), STEP(map),
	STEP_ON(device, D), STEP_ON(config, D), STEP(msix), {},
};

static const struct step hot_reset_steps[] = {
	STEP(container), STEP_ON(group, B), STEP(set_iommu),
	STEP_ON(device, B), STEP(hot_reset), {},
};

/*
 * A scenario: its steps and the order of the teardown, one letter a kind
 * of file: m BAR mapping, e eventfds, d devices, g groups, c container.
 */
struct scenario {
	const char *name;
	const struct step *steps;
	const char *order;
};

static const struct scenario scenarios[] = {
	{ "container, close group first", container_steps, "mdegc" },
	{ "container, close container first", container_steps, "mdecg" },
	{ "two groups in one container", two_group_steps, "mdegc" },
	{ "device, close device first", device_steps, "medgc" },
	{ "device, close container first", device_steps, "ecgdm" },
	{ "device, close group first", device_steps, "egmdc" },
	{ "intx live at close", intx_steps, "dgce" },
	{ "intx, eventfds closed first", intx_steps, "edgc" },
	{ "msi live at close", msi_steps, "dgce" },
	{ "msix live at close, container first", msix_steps, "cgdme" },
	{ "hot reset", hot_reset_steps, "dgc" },
};

static void close_all(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* In @order, then whatever the order did not name. */
static void teardown(struct st *s, const char *order)
{
	char all[16];

	snprintf(all, sizeof(all), "%smedgc", order);
	for (order = all; *order; order++) {
		switch (*order) {
		case 'm':
			if (s->bar)
				munmap(s->bar, s->bar_len);
			s->bar = NULL;
			break;
		case 'e':
			close_all(s->efd, ARRAY_SIZE(s->efd));
			break;
		case 'd':
			close_all(s->dev, NDEV);
			break;
		case 'g':
			close_all(s->grp, NDEV);
			break;
		case 'c':
			close_all(&s->ctr, 1);
			break;
		}
	}
}

/* Runs the steps until one fails: its index, or -1 when all passed. */
static int run(const struct scenario *sc, int *ret)
{
	struct st s = { .ctr = -1, .bar = NULL };
	int i;

	memset(s.grp, -1, sizeof(s.grp));
	memset(s.dev, -1, sizeof(s.dev));
	memset(s.efd, -1, sizeof(s.efd));
	*ret = 0;
	for (i = 0; sc->steps[i].fn; i++) {
		*ret = sc->steps[i].fn(&s, sc->steps[i].slot);
		if (*ret)
			break;
	}
	teardown(&s, sc->order);
	return sc->steps[i].fn ? i : -1;
}

static int nth_fd;

static void arm(unsigned int n)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", n);
	if (pwrite(nth_fd, v, strlen(v), 0) < 0)
		out("fail-nth = %u: %s", n, rv(-1));
}

/*
 * Disarm; whether the failure was injected before. Reading and writing
 * the file copy from and to user memory, points of their own: a copy that
 * fails there means the scenario ran out of points first.
 */
static int disarm(void)
{
	char v[16] = "";
	int fired = pread(nth_fd, v, sizeof(v) - 1, 0) > 0 && atoi(v) == 0;

	while (pwrite(nth_fd, "0", 1, 0) < 0 && errno == EFAULT)
		;
	return fired;
}

/*
 * Errors an injected failure may give: allocation, user copy, an IOMMU
 * out of domain IDs; -EBUSY from a BAR's first use (the resource core's
 * request_region gives no other error, allocation or conflict), as Linux's
 * vfio-pci gives it; fewer MSI vectors than asked (FEWER).
 */
static const int clean[] = { ENOMEM, EFAULT, ENOSPC, EBUSY, -FEWER };
static const char *const clean_names[] = {
	"ENOMEM", "EFAULT", "ENOSPC", "EBUSY", "fewer vectors",
};

/* Its index in clean[], or -1. */
static int clean_error(int ret)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(clean); i++)
		if (ret == -clean[i])
			return i;
	return -1;
}

static struct lost_state base;

static int sweep(const struct scenario *sc)
{
	long before[NKINDS], points[NKINDS] = { 0 };
	int errs[ARRAY_SIZE(clean)] = { 0 }, absorbed = 0, bad = 0;
	char where[160], line[320];
	unsigned int n, k;
	int step, ret, len;

	for (n = 1; n < MAX_NTH; n++) {
		for (k = 0; k < NKINDS; k++)
			before[k] = debugfs_read(kinds[k], "times");
		arm(n);
		step = run(sc, &ret);
		if (!disarm())
			break;
		for (k = 0; k < NKINDS; k++)
			points[k] += before[k] - debugfs_read(kinds[k], "times");

		snprintf(where, sizeof(where), "%s, nth %u, %s", sc->name, n,
			 step < 0 ? "no call failed" : sc->steps[step].name);
		if (step < 0) {
			absorbed++;
		} else if (ret == WRONG) {
			out("%s: succeeded with a wrong result: %s", where,
			    why);
			bad++;
		} else if (clean_error(ret) < 0) {
			out("%s: %s", where, rv((errno = -ret, -1)));
			bad++;
		} else {
			errs[clean_error(ret)]++;
		}
		bad += lost_check(&base, where);

		/* The same scenario, unarmed, must work and leave nothing. */
		step = run(sc, &ret);
		if (step >= 0) {
			out("%s: unarmed again: %s failed: %s", where,
			    sc->steps[step].name,
			    ret == WRONG ? why : rv((errno = -ret, -1)));
			bad++;
		}
		snprintf(where, sizeof(where), "%s, nth %u, unarmed", sc->name,
			 n);
		bad += lost_check(&base, where);
		if (bad > 20)
			break;
	}
	len = snprintf(line, sizeof(line),
		       "%s: %u runs; points: slab %ld, page %ld, usercopy %ld, iommu %ld; errors:",
		       sc->name, n, points[0], points[1], points[2], points[3]);
	for (k = 0; k < ARRAY_SIZE(clean); k++)
		if (errs[k])
			len += snprintf(line + len, sizeof(line) - len, " %s %d",
					clean_names[k], errs[k]);
	out("%s; absorbed %d; wrong %d", line, absorbed, bad);
	return bad;
}

int main(void)
{
	static const char *const binds[] = {
		DMA_BDF, RF_BDF, BEHIND_BDF, BEHIND_MATE,
	};
	const char *only = getenv("FAIL_NTH_ONLY");
	unsigned int i;
	int ret;

	if (client_start())
		return 1;
	if (bind_all_vfio_pci(binds, ARRAY_SIZE(binds)))
		return 1;
	for (i = 0; i < NDEV; i++)
		groups[i] = group_of(bdfs[i]);
	/* All of them on the debug kernel; a smoke test goes without. */
	if (setup_injection() && !getenv("FAIL_NTH_PARTIAL"))
		return 1;
	buf = mmap(NULL, SMALL + LARGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (buf == MAP_FAILED || nth_fd < 0) {
		out("setup: %s", rv(-1));
		return 1;
	}
	lost_start(&base);
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (only && !strstr(scenarios[i].name, only))
			continue;
		/* Unarmed first: the scenario itself must pass. */
		if (run(&scenarios[i], &ret) >= 0 ||
		    lost_check(&base, scenarios[i].name)) {
			out("%s: fails unarmed: %s", scenarios[i].name,
			    ret == WRONG ? why : rv((errno = -ret, -1)));
			failures++;
			continue;
		}
		failures += sweep(&scenarios[i]);
	}
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
