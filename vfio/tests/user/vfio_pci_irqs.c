// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci's interrupts from userspace, written from the uAPI header and
 * vfio.rst and compared between two kernels: VFIO_DEVICE_SET_IRQS headers
 * that must be refused; INTx raised by the function, masked by vfio-pci
 * until unmasked (ioctl, unmask eventfd, the Interrupt Disable bit of the
 * command register), masked by the user, looped back, its eventfd
 * replaced and cleared; MSI and MSI-X vectors each on their own eventfd,
 * replaced, cleared, looped back, across a reset and a close; ERR on an
 * AER error of the function; REQ when the function is unbound while open.
 *
 * One line per call, as CALL(arguments) = result; the exit status is 0
 * when every call answered as upstream does.
 *
 * usage: vfio_pci_irqs [BDF...]  (default: one function of each model)
 */
#include "client.h"
#include "sim_regs.h"

#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include <linux/pci_regs.h>

#define MSI_CAP_REGFILE	0x48	/* PM at 0x40, then MSI */

/* How long a signal that is not expected is waited for. */
#define QUIET_MS	300

static const char *const default_bdfs[] = {
	"0000:40:00.0",	/* dma: INTx, MSI (1), MSI-X (4), PCIe with AER */
	"0000:40:01.0",	/* regfile: INTx, MSI (4) */
	"0000:40:02.0",	/* mfd: INTx only, shares its group */
};

static const char *const group_mates[] = { "0000:40:02.1" };

static const char *const index_names[] = { "INTX", "MSI", "MSIX", "ERR",
					   "REQ" };

static int device;
static uint16_t model;
static uint32_t counts[VFIO_PCI_NUM_IRQS];

static const char *index_name(unsigned int index)
{
	return index < ARRAY_SIZE(index_names) ? index_names[index] : "?";
}

static uint64_t off_of(unsigned int index, uint64_t off)
{
	return ((uint64_t)index << 40) + off;
}

static long set_irqs_raw(uint32_t argsz, uint32_t flags, uint32_t index,
			 uint32_t start, uint32_t count, const void *data,
			 size_t len)
{
	struct {
		struct vfio_irq_set set;
		uint8_t data[64];
	} req = {
		.set = {
			.argsz = argsz, .flags = flags, .index = index,
			.start = start, .count = count,
		},
	};

	memcpy(req.data, data, len);
	return ioctl(device, VFIO_DEVICE_SET_IRQS, &req);
}

/* SET_IRQS with @count eventfds (or bools) and the argsz they need. */
static long set_fds(uint32_t index, uint32_t action, uint32_t start,
		    uint32_t count, const int32_t *fds)
{
	return set_irqs_raw(sizeof(struct vfio_irq_set) + 4 * count,
			    VFIO_IRQ_SET_DATA_EVENTFD | action, index, start,
			    count, fds, 4 * count);
}

static long set_fd(uint32_t index, uint32_t action, int32_t fd)
{
	return set_fds(index, action, 0, 1, &fd);
}

static long set_none(uint32_t index, uint32_t action, uint32_t start,
		     uint32_t count)
{
	return set_irqs_raw(sizeof(struct vfio_irq_set),
			    VFIO_IRQ_SET_DATA_NONE | action, index, start,
			    count, NULL, 0);
}

static long set_bool(uint32_t index, uint32_t action, uint32_t start,
		     uint32_t count, const uint8_t *bools)
{
	return set_irqs_raw(sizeof(struct vfio_irq_set) + count,
			    VFIO_IRQ_SET_DATA_BOOL | action, index, start,
			    count, bools, count);
}

/* Signals an eventfd collected: 0 after QUIET_MS without one. */
static unsigned long long fired(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n = 0;

	if (poll(&p, 1, QUIET_MS) == 1 && read(efd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static void show_fired(const char *what, int efd, unsigned long long want)
{
	unsigned long long n = fired(efd);

	out("eventfd(%s) = %llu", what, n);
	if (n != want) {
		failures++;
		out("  expected %llu", want);
	}
}

static void bar0_write(uint64_t off, uint32_t val)
{
	if (pwrite(device, &val, 4, off_of(VFIO_PCI_BAR0_REGION_INDEX, off)) != 4)
		out("pwrite(BAR0 %#llx) = %s", (unsigned long long)off, rv(-1));
}

static uint32_t cfg_read(unsigned int off, unsigned int size)
{
	uint32_t v = 0;

	if (pread(device, &v, size, off_of(VFIO_PCI_CONFIG_REGION_INDEX, off)) !=
	    (ssize_t)size)
		out("pread(config %#x) = %s", off, rv(-1));
	return v;
}

static void cfg_write(unsigned int off, unsigned int size, uint32_t v)
{
	if (pwrite(device, &v, size, off_of(VFIO_PCI_CONFIG_REGION_INDEX, off)) !=
	    (ssize_t)size)
		out("pwrite(config %#x) = %s", off, rv(-1));
}

static void command_set(uint16_t set, uint16_t clear)
{
	cfg_write(PCI_COMMAND, 2, (cfg_read(PCI_COMMAND, 2) | set) & ~clear);
}

/* The function asserts (or deasserts) its INTx pin. */
static void intx_level(int asserted)
{
	if (model != SIM_DMA) {
		bar0_write(REG_INTX, asserted);
	} else if (asserted) {
		bar0_write(DMA_VECTOR, 0);
		bar0_write(DMA_DOORBELL, 1);
	} else {
		bar0_write(DMA_STATUS, DMA_DONE);
	}
}

/* The function sends message @vector (MSI or MSI-X, whichever is on). */
static void send_vector(uint32_t vector)
{
	if (model == SIM_REGFILE) {
		bar0_write(REG_MSI, vector);
		return;
	}
	bar0_write(DMA_VECTOR, vector);
	bar0_write(DMA_DOORBELL, 1);
	bar0_write(DMA_STATUS, DMA_DONE);
}

static int new_eventfd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	if (efd < 0) {
		out("eventfd() = %s", rv(-1));
		failures++;
	}
	return efd;
}

/* Headers and data that must be refused, whatever is enabled. */
static void refused(void)
{
	uint32_t minsz = sizeof(struct vfio_irq_set);
	uint32_t trigger = VFIO_IRQ_SET_ACTION_TRIGGER;
	uint32_t none = VFIO_IRQ_SET_DATA_NONE;
	int32_t fds[2] = { -1, -1 };
	int null = open("/dev/null", O_RDONLY);
	int32_t closed = 1000;
	char call[96];

	expect("SET_IRQS(argsz short)",
	       set_irqs_raw(minsz - 1, none | trigger, 4, 0, 1, NULL, 0),
	       -EINVAL);
	expect("SET_IRQS(index 5)",
	       set_irqs_raw(minsz, none | trigger, 5, 0, 1, NULL, 0), -EINVAL);
	expect("SET_IRQS(index ~0)",
	       set_irqs_raw(minsz, none | trigger, ~0U, 0, 1, NULL, 0),
	       -EINVAL);
	expect("SET_IRQS(REQ start 1 count ~0)",
	       set_irqs_raw(minsz, none | trigger, 4, 1, ~0U, NULL, 0),
	       -EINVAL);
	expect("SET_IRQS(REQ unknown flag)",
	       set_irqs_raw(minsz, none | trigger | 1 << 6, 4, 0, 1, NULL, 0),
	       -EINVAL);
	expect("SET_IRQS(REQ two data types)",
	       set_irqs_raw(minsz + 1, none | VFIO_IRQ_SET_DATA_BOOL | trigger,
			    4, 0, 1, NULL, 0), -EINVAL);
	expect("SET_IRQS(REQ no action)",
	       set_irqs_raw(minsz, none, 4, 0, 1, NULL, 0), -ENOTTY);
	expect("SET_IRQS(REQ two actions)",
	       set_irqs_raw(minsz, none | trigger | VFIO_IRQ_SET_ACTION_MASK,
			    4, 0, 1, NULL, 0), -ENOTTY);
	expect("SET_IRQS(REQ mask)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, 0, 1),
	       -ENOTTY);
	expect("SET_IRQS(REQ start 1)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, trigger, 1, 0), -EINVAL);
	expect("SET_IRQS(REQ count 2)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 2), -EINVAL);
	expect("SET_IRQS(REQ eventfd, argsz without it)",
	       set_irqs_raw(minsz + 3, VFIO_IRQ_SET_DATA_EVENTFD | trigger, 4,
			    0, 1, fds, 4), -EINVAL);
	expect("SET_IRQS(REQ bool, argsz without it)",
	       set_irqs_raw(minsz, VFIO_IRQ_SET_DATA_BOOL | trigger, 4, 0, 1,
			    NULL, 0), -EINVAL);
	expect("SET_IRQS(REQ loopback, none set)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 1), -EINVAL);
	expect("SET_IRQS(REQ disable, none set)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 0), -EINVAL);
	expect("SET_IRQS(REQ bool count 0)",
	       set_bool(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 0, NULL), -EINVAL);
	expect("SET_IRQS(REQ bool 1, none set)",
	       set_bool(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 1,
			(const uint8_t[]){ 1 }), 0);
	expect("SET_IRQS(REQ eventfd count 0)",
	       set_fds(VFIO_PCI_REQ_IRQ_INDEX, trigger, 0, 0, NULL), -EINVAL);
	expect("SET_IRQS(REQ fd -1, none set)",
	       set_fd(VFIO_PCI_REQ_IRQ_INDEX, trigger, -1), 0);
	expect("SET_IRQS(REQ fd -2)",
	       set_fd(VFIO_PCI_REQ_IRQ_INDEX, trigger, -2), -EINVAL);
	expect("SET_IRQS(REQ fd of /dev/null)",
	       set_fd(VFIO_PCI_REQ_IRQ_INDEX, trigger, null), -EINVAL);
	expect("SET_IRQS(REQ fd closed)",
	       set_fd(VFIO_PCI_REQ_IRQ_INDEX, trigger, closed), -EBADF);
	expect("SET_IRQS(bad pointer)",
	       ioctl(device, VFIO_DEVICE_SET_IRQS, (void *)8), -EFAULT);

	expect("SET_IRQS(ERR loopback)",
	       set_none(VFIO_PCI_ERR_IRQ_INDEX, trigger, 0, 1), -EINVAL);
	expect("SET_IRQS(ERR unmask)",
	       set_none(VFIO_PCI_ERR_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 0,
			1), counts[VFIO_PCI_ERR_IRQ_INDEX] ? -ENOTTY : -EINVAL);

	/* Nothing enabled yet: no masking, no loopback, no disable. */
	expect("SET_IRQS(INTX mask, not enabled)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, 0, 1),
	       -EINVAL);
	expect("SET_IRQS(INTX unmask, not enabled)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 0,
			1), -EINVAL);
	expect("SET_IRQS(INTX loopback, not enabled)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 1), -EINVAL);
	expect("SET_IRQS(INTX disable, not enabled)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 0), -EINVAL);
	expect("SET_IRQS(INTX eventfd fd closed)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, trigger, closed), -EBADF);
	for (uint32_t i = VFIO_PCI_MSI_IRQ_INDEX; i <= VFIO_PCI_MSIX_IRQ_INDEX;
	     i++) {
		long want = -EINVAL;

		snprintf(call, sizeof(call), "SET_IRQS(%s mask)",
			 index_name(i));
		expect(call, set_none(i, VFIO_IRQ_SET_ACTION_MASK, 0, 1),
		       counts[i] ? -ENOTTY : -EINVAL);
		snprintf(call, sizeof(call), "SET_IRQS(%s unmask)",
			 index_name(i));
		expect(call, set_none(i, VFIO_IRQ_SET_ACTION_UNMASK, 0, 1),
		       counts[i] ? -ENOTTY : -EINVAL);
		snprintf(call, sizeof(call), "SET_IRQS(%s loopback, not enabled)",
			 index_name(i));
		expect(call, set_none(i, trigger, 0, 1), want);
		snprintf(call, sizeof(call), "SET_IRQS(%s disable, not enabled)",
			 index_name(i));
		expect(call, set_none(i, trigger, 0, 0), want);
		snprintf(call, sizeof(call), "SET_IRQS(%s past the vectors)",
			 index_name(i));
		expect(call, set_fds(i, trigger, counts[i], 1, fds), -EINVAL);
		if (!counts[i])
			continue;
		/* A bad fd in the block: nothing stays enabled. */
		fds[0] = closed;
		snprintf(call, sizeof(call), "SET_IRQS(%s eventfd fd closed)",
			 index_name(i));
		expect(call, set_fds(i, trigger, 0, 1, fds), -EBADF);
		fds[0] = -1;
		snprintf(call, sizeof(call), "SET_IRQS(%s disable after it)",
			 index_name(i));
		expect(call, set_none(i, trigger, 0, 0), -EINVAL);
	}
	close(null);
}

static void intx(void)
{
	uint32_t trigger = VFIO_IRQ_SET_ACTION_TRIGGER;
	uint32_t unmask = VFIO_IRQ_SET_ACTION_UNMASK;
	int efd = new_eventfd(), efd2 = new_eventfd(), ufd = new_eventfd();
	uint64_t one = 1;

	if (!counts[VFIO_PCI_INTX_IRQ_INDEX])
		goto out;
	/* The DMA engine interrupts only when it may master the bus. */
	command_set(PCI_COMMAND_MASTER, 0);
	expect("SET_IRQS(INTX eventfd)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, trigger, efd), 0);
	out("command after INTX enable = %#x",
	    cfg_read(PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	intx_level(1);
	show_fired("INTX raised", efd, 1);
	/* Masked by vfio-pci until unmasked; the line stays asserted. */
	intx_level(0);
	intx_level(1);
	show_fired("INTX raised again while masked", efd, 0);
	expect("SET_IRQS(INTX unmask)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1), 0);
	show_fired("INTX still asserted after unmask", efd, 1);
	intx_level(0);
	expect("SET_IRQS(INTX unmask bool 0)",
	       set_bool(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1,
			(const uint8_t[]){ 0 }), 0);
	show_fired("INTX deasserted, unmask bool 0", efd, 0);
	expect("SET_IRQS(INTX unmask bool 1)",
	       set_bool(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1,
			(const uint8_t[]){ 1 }), 0);
	show_fired("INTX deasserted, unmask bool 1", efd, 0);

	/* Unmask through an eventfd. */
	expect("SET_IRQS(INTX unmask eventfd)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, unmask, ufd), 0);
	expect("SET_IRQS(INTX unmask eventfd again)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, unmask, efd2), -EBUSY);
	intx_level(1);
	show_fired("INTX raised with an unmask eventfd", efd, 1);
	check(write(ufd, &one, sizeof(one)));
	show_fired("INTX still asserted after eventfd unmask", efd, 1);
	intx_level(0);
	check(write(ufd, &one, sizeof(one)));
	show_fired("INTX deasserted after eventfd unmask", efd, 0);
	expect("SET_IRQS(INTX unmask eventfd -1)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, unmask, -1), 0);

	/* Masked by the user. */
	expect("SET_IRQS(INTX mask)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, 0,
			1), 0);
	expect("SET_IRQS(INTX mask eventfd)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, efd2),
	       -ENOTTY);
	expect("SET_IRQS(INTX mask count 2)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, 0,
			2), -EINVAL);
	intx_level(1);
	show_fired("INTX raised while masked by the user", efd, 0);
	expect("SET_IRQS(INTX unmask)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1), 0);
	show_fired("INTX after the user's unmask", efd, 1);
	intx_level(0);
	set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1);

	/* The Interrupt Disable bit of the user's command register. */
	command_set(PCI_COMMAND_INTX_DISABLE, 0);
	intx_level(1);
	show_fired("INTX raised under Interrupt Disable", efd, 0);
	expect("SET_IRQS(INTX unmask under Interrupt Disable)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1), 0);
	show_fired("INTX unmasked under Interrupt Disable", efd, 0);
	command_set(0, PCI_COMMAND_INTX_DISABLE);
	show_fired("INTX after Interrupt Disable cleared", efd, 1);
	intx_level(0);
	set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1);

	/* Loopback, replacing and clearing the eventfd. */
	expect("SET_IRQS(INTX loopback)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 1), 0);
	show_fired("INTX loopback", efd, 1);
	expect("SET_IRQS(INTX loopback bool 0)",
	       set_bool(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 1,
			(const uint8_t[]){ 0 }), 0);
	show_fired("INTX loopback bool 0", efd, 0);
	expect("SET_IRQS(INTX eventfd replaced)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, trigger, efd2), 0);
	intx_level(1);
	show_fired("INTX old eventfd", efd, 0);
	show_fired("INTX new eventfd", efd2, 1);
	intx_level(0);
	set_none(VFIO_PCI_INTX_IRQ_INDEX, unmask, 0, 1);
	expect("SET_IRQS(INTX eventfd -1)",
	       set_fd(VFIO_PCI_INTX_IRQ_INDEX, trigger, -1), 0);
	expect("SET_IRQS(INTX loopback without eventfd)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 1), 0);
	expect("SET_IRQS(MSI while INTX)",
	       set_fd(VFIO_PCI_MSI_IRQ_INDEX, trigger, efd), -EINVAL);
	expect("SET_IRQS(INTX disable)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 0), 0);
	expect("SET_IRQS(INTX disable again)",
	       set_none(VFIO_PCI_INTX_IRQ_INDEX, trigger, 0, 0), -EINVAL);
out:
	close(efd);
	close(efd2);
	close(ufd);
}

static void msi_flags(const char *when, uint32_t index)
{
	unsigned int cap = index == VFIO_PCI_MSI_IRQ_INDEX ? PCI_CAP_ID_MSI :
							     PCI_CAP_ID_MSIX;
	unsigned int pos = cfg_read(PCI_CAPABILITY_LIST, 1);

	while (pos && cfg_read(pos, 1) != cap)
		pos = cfg_read(pos + 1, 1);
	out("%s flags %s = %#x", index_name(index), when,
	    pos ? cfg_read(pos + 2, 2) : 0xdead);
}

static void msi(uint32_t index)
{
	uint32_t trigger = VFIO_IRQ_SET_ACTION_TRIGGER;
	uint32_t n = counts[index], i;
	int32_t efds[8], fresh;
	unsigned long long got;
	char what[64];

	if (!n)
		return;
	if (n > 4)
		n = 4;
	for (i = 0; i < n; i++)
		efds[i] = new_eventfd();
	fresh = new_eventfd();
	command_set(PCI_COMMAND_MASTER, 0);

	/* A sub-range first: the vectors below it exist, unused. */
	snprintf(what, sizeof(what), "SET_IRQS(%s %u eventfds from %u)",
		 index_name(index), n > 1 ? n - 1 : 1, n > 1 ? 1 : 0);
	expect(what, set_fds(index, trigger, n > 1 ? 1 : 0, n > 1 ? n - 1 : 1,
			     n > 1 ? efds + 1 : efds), 0);
	msi_flags("enabled", index);
	if (n > 1) {
		snprintf(what, sizeof(what), "SET_IRQS(%s vector 0 added)",
			 index_name(index));
		expect(what, set_fds(index, trigger, 0, 1, efds), 0);
	}
	for (i = 0; i < n; i++) {
		send_vector(i);
		snprintf(what, sizeof(what), "%s %u sent", index_name(index), i);
		show_fired(what, efds[i], 1);
	}
	snprintf(what, sizeof(what), "SET_IRQS(%s while %s)",
		 index_name(VFIO_PCI_INTX_IRQ_INDEX), index_name(index));
	expect(what, set_fd(VFIO_PCI_INTX_IRQ_INDEX, trigger, fresh), -EINVAL);

	/* Loopback: every vector, then only the odd ones. */
	snprintf(what, sizeof(what), "SET_IRQS(%s loopback)", index_name(index));
	expect(what, set_none(index, trigger, 0, n), 0);
	for (got = 0, i = 0; i < n; i++)
		got += fired(efds[i]);
	out("%s loopback signals = %llu", index_name(index), got);
	{
		uint8_t bools[4] = { 0, 1, 0, 1 };

		snprintf(what, sizeof(what), "SET_IRQS(%s loopback bool)",
			 index_name(index));
		expect(what, set_bool(index, trigger, 0, n, bools), 0);
		for (got = 0, i = 0; i < n; i++)
			got |= fired(efds[i]) << i;
		out("%s loopback bool signalled mask = %#llx", index_name(index),
		    got);
	}

	/* Replace vector 0's eventfd, then clear it. */
	snprintf(what, sizeof(what), "SET_IRQS(%s vector 0 replaced)",
		 index_name(index));
	expect(what, set_fds(index, trigger, 0, 1, &fresh), 0);
	send_vector(0);
	show_fired("old eventfd of vector 0", efds[0], 0);
	show_fired("new eventfd of vector 0", fresh, 1);
	snprintf(what, sizeof(what), "SET_IRQS(%s vector 0 cleared)",
		 index_name(index));
	expect(what, set_fds(index, trigger, 0, 1, (const int32_t[]){ -1 }), 0);
	send_vector(0);
	show_fired("vector 0 cleared", fresh, 0);
	snprintf(what, sizeof(what), "SET_IRQS(%s loopback of a cleared vector)",
		 index_name(index));
	expect(what, set_none(index, trigger, 0, 1), 0);
	snprintf(what, sizeof(what), "SET_IRQS(%s past the vectors)",
		 index_name(index));
	expect(what, set_fds(index, trigger, counts[index], 1, &fresh),
	       -EINVAL);

	/* A reset keeps the vectors working. */
	out("VFIO_DEVICE_RESET with %s = %s", index_name(index),
	    rv(ioctl(device, VFIO_DEVICE_RESET)));
	command_set(PCI_COMMAND_MASTER, 0);
	msi_flags("after reset", index);
	out("command after reset = %#x", cfg_read(PCI_COMMAND, 2));
	out("PM control after reset = %#x", cfg_read(0x44, 2));
	/*
	 * Printed, not judged: after the regfile's PM reset this sequence
	 * gets no message on Linux either (the DMA engine's FLR keeps its
	 * MSI-X vectors working); the two kernels are compared.
	 */
	if (n > 1) {
		send_vector(1);
		out("eventfd(vector 1 after reset) = %llu", fired(efds[1]));
	}

	snprintf(what, sizeof(what), "SET_IRQS(%s disable)", index_name(index));
	expect(what, set_none(index, trigger, 0, 0), 0);
	msi_flags("disabled", index);
	send_vector(n - 1);
	show_fired("last vector after disable", efds[n - 1], 0);

	/*
	 * Enabled again for fewer vectors, then grown by one: only a
	 * function whose vectors can be allocated one by one (MSI-X with a
	 * dynamic domain) could; and left for close to clean up.
	 */
	if (n > 1) {
		snprintf(what, sizeof(what), "SET_IRQS(%s %u eventfds again)",
			 index_name(index), n - 1);
		expect(what, set_fds(index, trigger, 0, n - 1, efds), 0);
		snprintf(what, sizeof(what), "SET_IRQS(%s grown by vector %u)",
			 index_name(index), n - 1);
		expect(what, set_fds(index, trigger, n - 1, 1, efds + n - 1),
		       -EINVAL);
	} else {
		snprintf(what, sizeof(what), "SET_IRQS(%s 1 eventfd again)",
			 index_name(index));
		expect(what, set_fds(index, trigger, 0, 1, efds), 0);
	}
	msi_flags("enabled again", index);
	for (i = 0; i < n; i++)
		close(efds[i]);
	close(fresh);
}

/* An uncorrectable error of the function, reported through ERR. */
static void err(void)
{
	uint32_t trigger = VFIO_IRQ_SET_ACTION_TRIGGER;
	int efd = new_eventfd();

	if (!counts[VFIO_PCI_ERR_IRQ_INDEX] || model != SIM_DMA)
		goto out;
	expect("SET_IRQS(ERR eventfd)",
	       set_fd(VFIO_PCI_ERR_IRQ_INDEX, trigger, efd), 0);
	bar0_write(DMA_AER, PCI_ERR_UNC_COMP_ABORT);
	show_fired("ERR after a completer abort", efd, 1);
	expect("SET_IRQS(ERR loopback)",
	       set_none(VFIO_PCI_ERR_IRQ_INDEX, trigger, 0, 1), 0);
	show_fired("ERR loopback", efd, 1);
	expect("SET_IRQS(ERR loopback bool 1)",
	       set_bool(VFIO_PCI_ERR_IRQ_INDEX, trigger, 0, 1,
			(const uint8_t[]){ 1 }), 0);
	show_fired("ERR loopback bool", efd, 1);
	expect("SET_IRQS(ERR disable)",
	       set_none(VFIO_PCI_ERR_IRQ_INDEX, trigger, 0, 0), 0);
	bar0_write(DMA_AER, PCI_ERR_UNC_COMP_ABORT);
	show_fired("ERR after disable", efd, 0);
	expect("SET_IRQS(ERR loopback after disable)",
	       set_none(VFIO_PCI_ERR_IRQ_INDEX, trigger, 0, 1), -EINVAL);
out:
	close(efd);
}

/* Unbinding the function while it is open asks the user through REQ. */
static void req(const char *bdf, struct vfio_dev *d)
{
	int efd = new_eventfd(), status = 0;
	pid_t child;

	expect("SET_IRQS(REQ eventfd)",
	       set_fd(VFIO_PCI_REQ_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, efd),
	       0);
	expect("SET_IRQS(REQ loopback)",
	       set_none(VFIO_PCI_REQ_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0,
			1), 0);
	show_fired("REQ loopback", efd, 1);
	child = fork();
	if (!child) {
		/* Our copies of the fds would keep the unbind waiting. */
		vfio_dev_close(d);
		close(efd);
		unbind_driver(bdf);
		_exit(0);
	}
	show_fired("REQ while unbinding", efd, 1);
	vfio_dev_close(d);
	waitpid(child, &status, 0);
	{
		char drv[64];

		driver_of(bdf, drv, sizeof(drv));
		out("driver after close = %s", drv);
	}
	close(efd);
}

static void irq_info(void)
{
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		struct vfio_irq_info info = { .argsz = sizeof(info), .index = i };

		counts[i] = ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &info) ?
			    0 : info.count;
		out("%s count = %u", index_name(i), counts[i]);
	}
}

static void test_function(const char *bdf)
{
	struct vfio_dev d;

	out("== %s", bdf);
	if (vfio_dev_open(bdf, &d))
		return;
	device = d.device;
	model = cfg_read(PCI_DEVICE_ID, 2);
	irq_info();
	refused();
	intx();
	msi(VFIO_PCI_MSI_IRQ_INDEX);
	vfio_dev_close(&d);

	/* The close freed MSI; a new user starts with nothing enabled. */
	if (vfio_dev_open(bdf, &d))
		return;
	device = d.device;
	msi_flags("after close and open", VFIO_PCI_MSI_IRQ_INDEX);
	out("command after close and open = %#x",
	    cfg_read(PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	msi(VFIO_PCI_MSIX_IRQ_INDEX);
	err();
	req(bdf, &d);
	if (bind_driver(bdf, "vfio-pci")) {
		out("bind(%s, vfio-pci) again failed", bdf);
		failures++;
	}
}

int main(int argc, char **argv)
{
	return run_on_functions(argc, argv, default_bdfs,
				ARRAY_SIZE(default_bdfs), group_mates,
				ARRAY_SIZE(group_mates), test_function);
}
