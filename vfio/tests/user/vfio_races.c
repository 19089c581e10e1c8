// SPDX-License-Identifier: GPL-2.0
/*
 * Races of the VFIO uAPI, as threads of one process on the debug kernel
 * (make races: KASAN, lockdep, PREEMPT; UML has one CPU, so threads
 * interleave where the kernel preempts them or an interrupt comes):
 *
 * - MSI disabled by SET_IRQS while the device sends it;
 * - the INTx unmask eventfd closed while armed and signalled;
 * - the device fd closed with INTx live and its unmask eventfd signalled;
 * - the function unbound while open: REQ signalled, the user closes;
 * - MAP_DMA/UNMAP_DMA while the DMA engine copies through the window;
 * - VFIO_DEVICE_RESET while another thread faults in a BAR mapping.
 *
 * Each race checks what must hold whatever the interleaving (a DMA either
 * copies the right data or faults on the window; the REQ eventfd fires
 * and the unbind returns; the BAR mapping works after every reset; the
 * interrupt still works after the race, and no stale handler fires), then
 * that nothing is left (lost.h); the kernel's checkers see the rest.
 *
 * usage: vfio_races (the default topology and a "ram" function at 04.0;
 * RACES_ONLY=<word>: only the races whose name has it)
 */
#include "client.h"
#include "lost.h"
#include "sim_regs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>

#define DMA_BDF		"0000:40:00.0"
#define RF_BDF		"0000:40:01.0"
#define MFD_BDF		"0000:40:02.0"
#define MFD_MATE	"0000:40:02.1"
#define RAM_BDF		"0000:40:04.0"

#define PG		4096UL
#define IOVA_BUF	0x100000UL	/* always mapped: 16 pages */
#define IOVA_WIN	0x200000UL	/* mapped and unmapped by a thread */
#define BAR0		((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40)
#define CONFIG		((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)
#define ROUNDS		400

static uint8_t *buf;		/* 16 pages at IOVA_BUF */
static uint8_t *win;		/* one page at IOVA_WIN, now and then */
static bool stop;		/* set by join(), polled by the threads */

static int eventfd_new(void)
{
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/* SET_IRQS of vectors 0..@count-1, with eventfds @fds or none. */
static int set_irqs(int dev, uint32_t index, uint32_t action, uint32_t count,
		    const int32_t *fds)
{
	return vfio_set_irqs(dev, action | (fds ? VFIO_IRQ_SET_DATA_EVENTFD :
					    VFIO_IRQ_SET_DATA_NONE),
			     index, 0, count, fds);
}

static int device_fd(int group, const char *bdf)
{
	int dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	uint16_t cmd = 0x6;	/* memory, bus master: MSI is a DMA write */

	if (dev >= 0 && pwrite(dev, &cmd, 2, CONFIG + 4) != 2) {
		close(dev);
		return -1;
	}
	return dev;
}

static void holds(bool ok, const char *race, const char *what)
{
	if (!ok) {
		out("%s: %s", race, what);
		failures++;
	}
}

struct setup {
	int container;
	int group[2];		/* dma, regfile */
	int dma;
	int rf;
};

static int map(int container, void *vaddr, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m);
}

static int unmap(int container, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};

	return ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u);
}

static int group_open(const char *bdf, int container)
{
	char path[64];
	int g;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group_of(bdf));
	g = open(path, O_RDWR);
	if (g >= 0 && ioctl(g, VFIO_GROUP_SET_CONTAINER, &container)) {
		close(g);
		return -1;
	}
	return g;
}

static int setup_open(struct setup *s)
{
	s->container = open("/dev/vfio/vfio", O_RDWR);
	s->group[0] = group_open(DMA_BDF, s->container);
	s->group[1] = group_open(RF_BDF, s->container);
	if (s->group[0] < 0 || s->group[1] < 0 ||
	    ioctl(s->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) ||
	    map(s->container, buf, IOVA_BUF, 16 * PG))
		return -1;
	s->dma = device_fd(s->group[0], DMA_BDF);
	s->rf = device_fd(s->group[1], RF_BDF);
	return s->dma < 0 || s->rf < 0 ? -1 : 0;
}

static void setup_close(struct setup *s)
{
	close(s->dma);
	close(s->rf);
	close(s->group[0]);
	close(s->group[1]);
	close(s->container);
}

static void *run_until_stop(void *(*fn)(void *), void *arg, pthread_t *t)
{
	__atomic_store_n(&stop, false, __ATOMIC_RELAXED);
	if (pthread_create(t, NULL, fn, arg))
		return NULL;
	return t;
}

/*
 * Let the other thread run until its counter moves past @seen: with one
 * CPU and calls that do not sleep, a loop of them could otherwise finish
 * before the other thread ran at all. Gives up after about a second.
 */
static void let_run(const unsigned long *counter, unsigned long seen)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (__atomic_load_n(counter, __ATOMIC_RELAXED) != seen)
			return;
		if (i < 100)
			sched_yield();
		else
			usleep(1000);
	}
}

static void join(pthread_t *t)
{
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(*t, NULL);
}

/* MSI vector 0 of the register file sent, as fast as it goes. */
static void *send_msi(void *arg)
{
	int rf = *(int *)arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		sim_write32(rf, BAR0 + REG_MSI, 0);
	return NULL;
}

static void race_msi_disable(struct setup *s)
{
	static const char race[] = "MSI disabled while sent";
	int efd = eventfd_new(), i, enabled = 0;
	pthread_t t;

	if (!run_until_stop(send_msi, &s->rf, &t))
		return;
	for (i = 0; i < ROUNDS; i++) {
		enabled += !set_irqs(s->rf, VFIO_PCI_MSI_IRQ_INDEX,
				     VFIO_IRQ_SET_ACTION_TRIGGER, 1, &efd);
		set_irqs(s->rf, VFIO_PCI_MSI_IRQ_INDEX,
			 VFIO_IRQ_SET_ACTION_TRIGGER, 0, NULL);
	}
	join(&t);
	holds(enabled == ROUNDS, race, "SET_IRQS enable failed");
	eventfd_wait(efd, 0);
	/* Disabled: nothing fires; enabled again: it works. */
	sim_write32(s->rf, BAR0 + REG_MSI, 0);
	holds(!eventfd_wait(efd, 100), race, "a disabled vector fired");
	set_irqs(s->rf, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 1,
		 &efd);
	sim_write32(s->rf, BAR0 + REG_MSI, 0);
	holds(eventfd_wait(efd, 1000) == 1, race, "MSI dead after the race");
	set_irqs(s->rf, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0,
		 NULL);
	close(efd);
	out("%s: %d rounds", race, ROUNDS);
}

/* INTx of the register file pulsed, as fast as it goes. */
static void *pulse_intx(void *arg)
{
	int rf = *(int *)arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		sim_write32(rf, BAR0 + REG_INTX, 1);
		sim_write32(rf, BAR0 + REG_INTX, 0);
	}
	return NULL;
}

/* INTx fires once, stays masked until unmasked by ioctl, fires again. */
static void intx_works(int rf, int trigger, const char *race)
{
	eventfd_wait(trigger, 0);
	set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 1,
		 NULL);
	sim_write32(rf, BAR0 + REG_INTX, 1);
	holds(eventfd_wait(trigger, 1000) >= 1, race, "INTx dead after the race");
	sim_write32(rf, BAR0 + REG_INTX, 0);
	set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 1,
		 NULL);
}

static void race_unmask_closed(struct setup *s)
{
	static const char race[] = "unmask eventfd closed while armed";
	int trigger = eventfd_new(), i, armed = 0;
	uint64_t one = 1;
	pthread_t t;

	set_irqs(s->rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 1,
		 &trigger);
	if (!run_until_stop(pulse_intx, &s->rf, &t))
		return;
	for (i = 0; i < ROUNDS; i++) {
		int unmask = eventfd_new();

		armed += !set_irqs(s->rf, VFIO_PCI_INTX_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_UNMASK, 1, &unmask);
		if (write(unmask, &one, sizeof(one)) != sizeof(one))
			break;
		close(unmask);
	}
	join(&t);
	holds(armed == ROUNDS, race, "SET_IRQS unmask eventfd failed");
	intx_works(s->rf, trigger, race);
	set_irqs(s->rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0,
		 NULL);
	close(trigger);
	out("%s: %d rounds", race, ROUNDS);
}

struct unmasker {
	int efd;
};

static void *signal_unmask(void *arg)
{
	struct unmasker *u = arg;
	uint64_t one = 1;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		if (write(u->efd, &one, sizeof(one)) != sizeof(one))
			sched_yield();
	return NULL;
}

/*
 * A second device fd of its own for the register file, so that its close
 * is the last one when the race's is closed first: open, INTx with an
 * unmask eventfd another thread signals, the line raised, closed.
 */
static void race_close_live(struct setup *s)
{
	static const char race[] = "device fd closed with INTx live";
	struct unmasker u = { .efd = eventfd_new() };
	int trigger = eventfd_new(), i, fired = 0;
	pthread_t t;

	/* Our own fds of the register file go first. */
	close(s->rf);
	if (!run_until_stop(signal_unmask, &u, &t))
		return;
	for (i = 0; i < ROUNDS / 4; i++) {
		int rf = device_fd(s->group[1], RF_BDF);

		if (rf < 0) {
			holds(false, race, "GET_DEVICE_FD failed");
			break;
		}
		set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX,
			 VFIO_IRQ_SET_ACTION_TRIGGER, 1, &trigger);
		set_irqs(rf, VFIO_PCI_INTX_IRQ_INDEX,
			 VFIO_IRQ_SET_ACTION_UNMASK, 1, &u.efd);
		sim_write32(rf, BAR0 + REG_INTX, 1);
		fired += eventfd_wait(trigger, 0) > 0;
		close(rf);
	}
	join(&t);
	holds(fired > 0, race, "INTx never fired");
	s->rf = device_fd(s->group[1], RF_BDF);
	set_irqs(s->rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 1,
		 &trigger);
	sim_write32(s->rf, BAR0 + REG_INTX, 0);
	intx_works(s->rf, trigger, race);
	set_irqs(s->rf, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0,
		 NULL);
	close(trigger);
	close(u.efd);
	out("%s: %d rounds, fired in %d", race, ROUNDS / 4, fired);
}

struct unbinder {
	int done;
};

static void *unbind(void *arg)
{
	struct unbinder *u = arg;

	unbind_driver(MFD_BDF);
	__atomic_store_n(&u->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * The function unbound while its device fd is open: the unbind waits, the
 * REQ eventfd asks the user to let go, the user closes, the unbind
 * returns; rebinding gives a device that opens again. Half the rounds
 * close at once instead of waiting for the request.
 */
static void race_unbind(struct setup *unused)
{
	static const char race[] = "unbind while open";
	int i, requested = 0, container, group, dev, req;
	struct unbinder u;
	pthread_t t;

	for (i = 0; i < 8; i++) {
		container = open("/dev/vfio/vfio", O_RDWR);
		group = group_open(MFD_BDF, container);
		if (group < 0 ||
		    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
			holds(false, race, "open failed");
			return;
		}
		dev = device_fd(group, MFD_BDF);
		req = eventfd_new();
		if (dev < 0 || set_irqs(dev, VFIO_PCI_REQ_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER, 1, &req)) {
			holds(false, race, "device or REQ failed");
			return;
		}
		u.done = 0;
		pthread_create(&t, NULL, unbind, &u);
		if (i & 1)
			usleep(i * 1000);
		else
			requested += eventfd_wait(req, 5000) > 0;
		close(dev);
		pthread_join(t, NULL);
		holds(u.done, race, "unbind did not return");
		close(req);
		close(group);
		close(container);
		if (bind_driver(MFD_BDF, "vfio-pci")) {
			holds(false, race, "rebind failed");
			return;
		}
	}
	holds(requested == 4, race, "REQ not signalled while waiting");
	out("%s: 8 rounds, REQ seen in %d of 4 waits", race, requested);
}

/* DMA from the window to the buffer, as fast as it goes, results checked. */
struct copier {
	int dma;
	int copied;
	int faulted;
	int wrong;
	unsigned long rounds;
};

static void *copy_window(void *arg)
{
	struct copier *c = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uint32_t st;
		uint64_t fault;

		memset(buf + PG, 0, 64);
		st = sim_dma_copy(c->dma, BAR0, IOVA_WIN, IOVA_BUF + PG, 64, 0);
		fault = sim_read32(c->dma, BAR0 + DMA_FAULT) |
			(uint64_t)sim_read32(c->dma, BAR0 + DMA_FAULT + 4) << 32;
		sim_dma_clear(c->dma, BAR0);
		if (st == DMA_DONE && buf[PG] == 0xa5 && buf[PG + 63] == 0xa5)
			c->copied++;
		else if (st == DMA_ERROR && fault == IOVA_WIN)
			c->faulted++;
		else
			c->wrong++;
		__atomic_add_fetch(&c->rounds, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void race_map_dma(struct setup *s)
{
	static const char race[] = "MAP/UNMAP while the engine copies";
	struct copier c = { .dma = s->dma };
	int i, mapped = 0;
	pthread_t t;

	memset(win, 0xa5, PG);
	if (!run_until_stop(copy_window, &c, &t))
		return;
	for (i = 0; i < ROUNDS; i++) {
		mapped += !map(s->container, win, IOVA_WIN, PG);
		let_run(&c.rounds, __atomic_load_n(&c.rounds, __ATOMIC_RELAXED));
		unmap(s->container, IOVA_WIN, PG);
	}
	join(&t);
	holds(mapped == ROUNDS, race, "MAP_DMA failed");
	holds(!c.wrong, race, "a copy neither copied nor faulted on the window");
	out("%s: %d rounds; copies %s, faults %s, wrong %d", race, ROUNDS,
	    c.copied ? "seen" : "none", c.faulted ? "seen" : "none", c.wrong);
}

/* The ram function's BAR, mapped and used while another thread resets. */
struct toucher {
	uint32_t *bar;
	size_t words;
	int bad;
	unsigned long rounds;
};

static void *touch_bar(void *arg)
{
	struct toucher *t = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		size_t i = t->rounds % t->words;
		uint32_t v = 0x1000000 + t->rounds, r;

		__atomic_store_n(&t->bar[i], v, __ATOMIC_RELAXED);
		r = __atomic_load_n(&t->bar[i], __ATOMIC_RELAXED);
		/* A reset in between may clear it; nothing else may. */
		if (r != v && r != 0)
			t->bad++;
		__atomic_add_fetch(&t->rounds, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void race_reset_mmap(struct setup *unused)
{
	static const char race[] = "RESET while a BAR mapping faults";
	struct vfio_region_info r = { .argsz = sizeof(r) };
	struct toucher tt = { .bar = NULL };
	int container, group, dev, i, resets = 0;
	void *p = MAP_FAILED;
	pthread_t t;

	if (bind_driver(RAM_BDF, "vfio-pci")) {
		holds(false, race, "no ram function at " RAM_BDF);
		return;
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	group = group_open(RAM_BDF, container);
	if (group < 0 || ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		holds(false, race, "open failed");
		return;
	}
	dev = device_fd(group, RAM_BDF);
	if (dev < 0) {
		holds(false, race, "GET_DEVICE_FD failed");
		return;
	}
	for (r.index = 0; r.index < VFIO_PCI_ROM_REGION_INDEX; r.index++)
		if (!ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &r) &&
		    (r.flags & VFIO_REGION_INFO_FLAG_MMAP))
			break;
	if (r.index < VFIO_PCI_ROM_REGION_INDEX)
		p = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
			 r.offset);
	if (p == MAP_FAILED) {
		holds(false, race, "no mappable BAR");
		return;
	}
	tt.bar = p;
	tt.words = r.size / 4;
	if (!run_until_stop(touch_bar, &tt, &t))
		return;
	for (i = 0; i < 20; i++) {
		let_run(&tt.rounds, __atomic_load_n(&tt.rounds,
						    __ATOMIC_RELAXED));
		resets += !ioctl(dev, VFIO_DEVICE_RESET);
	}
	join(&t);
	holds(resets == 20, race, "VFIO_DEVICE_RESET failed");
	holds(!tt.bad, race, "the BAR read back something never written");
	holds(tt.rounds > 0, race, "the BAR was never touched");
	__atomic_store_n(&tt.bar[0], 0x5a5a5a5a, __ATOMIC_RELAXED);
	holds(__atomic_load_n(&tt.bar[0], __ATOMIC_RELAXED) == 0x5a5a5a5a, race,
	      "the BAR is dead after the race");
	munmap(p, r.size);
	close(dev);
	close(group);
	close(container);
	out("%s: %d resets, accesses %s, wrong %d", race, resets,
	    tt.rounds ? "seen" : "none", tt.bad);
}

static const struct {
	const char *name;
	void (*fn)(struct setup *s);
	bool own;		/* opens what it needs itself */
} races[] = {
	{ "msi disable", race_msi_disable },
	{ "unmask closed", race_unmask_closed },
	{ "close live", race_close_live },
	{ "map dma", race_map_dma },
	{ "unbind", race_unbind, true },
	{ "reset mmap", race_reset_mmap, true },
};

int main(void)
{
	static const char *const binds[] = {
		DMA_BDF, RF_BDF, MFD_BDF, MFD_MATE,
	};
	const char *only = getenv("RACES_ONLY");
	struct lost_state base;
	struct setup s;
	unsigned int i;

	if (client_start())
		return 1;
	if (bind_all_vfio_pci(binds, ARRAY_SIZE(binds)))
		return 1;
	buf = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	win = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED || win == MAP_FAILED)
		return 1;
	lost_start(&base);

	for (i = 0; i < ARRAY_SIZE(races); i++) {
		if (only && !strstr(races[i].name, only))
			continue;
		if (!races[i].own && setup_open(&s)) {
			out("%s: setup: %s", races[i].name, rv(-1));
			failures++;
			continue;
		}
		races[i].fn(&s);
		if (!races[i].own)
			setup_close(&s);
		failures += lost_check(&base, races[i].name);
	}
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
