// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci's ioeventfds and device features from userspace, written from
 * the uAPI header and compared between two kernels: VFIO_DEVICE_IOEVENTFD
 * (what is refused; 1, 2, 4 and 8-byte writes landing when the eventfd is
 * signalled, dropped while memory decode is off; duplicates, removal, the
 * limit, nothing left after close) and VFIO_DEVICE_FEATURE (probe of every
 * feature; low power entry, with and without wakeup eventfd, and exit,
 * seen in the function's runtime PM status).
 *
 * One line per call, as CALL(arguments) = result; the exit status is 0
 * when every call answered as upstream does.
 *
 * usage: vfio_pci_ioeventfd [BDF...]  (default: one function of each model)
 */
#include "client.h"

#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

#define REGFILE_SCRATCH	0x40	/* plain storage in regfile's BAR0 */
#define DMA_SRC		0x08	/* the DMA engine's 64-bit source address */
#define DMA_DST		0x10	/* and destination: registers that keep */
#define RAM_BAR		2	/* the regfile's RAM-backed BAR */
#define MSIX_TABLE	0x800	/* the DMA engine's MSI-X table in BAR0 */
#define IOEVENTFD_MAX	1000

static const char *const default_bdfs[] = {
	"0000:40:00.0",	/* dma: MSI-X table in BAR0 */
	"0000:40:01.0",	/* regfile: RAM BAR2 */
};

static int device;
static uint64_t bar_size[VFIO_PCI_NUM_REGIONS];
static uint32_t msix_count;
/* Registers that keep what is written: 4 bytes, and 8 bytes. */
static uint64_t scratch4, scratch8;

static uint64_t off_of(unsigned int index, uint64_t off)
{
	return ((uint64_t)index << 40) + off;
}

static long ioeventfd(uint32_t argsz, uint32_t flags, uint64_t offset,
		      uint64_t data, int32_t fd)
{
	struct vfio_device_ioeventfd ioev = {
		.argsz = argsz, .flags = flags, .offset = offset,
		.data = data, .fd = fd,
	};

	return ioctl(device, VFIO_DEVICE_IOEVENTFD, &ioev);
}

static long ioev(unsigned int size, unsigned int bar, uint64_t pos,
		 uint64_t data, int32_t fd)
{
	return ioeventfd(sizeof(struct vfio_device_ioeventfd), size,
			 off_of(bar, pos), data, fd);
}

static uint64_t bar_read(unsigned int bar, uint64_t pos, unsigned int size)
{
	uint64_t v = 0;

	if (pread(device, &v, size, off_of(bar, pos)) != (ssize_t)size)
		out("pread(BAR%u %#llx) = %s", bar, (unsigned long long)pos,
		    rv(-1));
	return v;
}

static void bar_write(unsigned int bar, uint64_t pos, unsigned int size,
		      uint64_t v)
{
	if (pwrite(device, &v, size, off_of(bar, pos)) != (ssize_t)size)
		out("pwrite(BAR%u %#llx) = %s", bar, (unsigned long long)pos,
		    rv(-1));
}

static void memory_enable(int on)
{
	uint16_t cmd = 0;

	if (pread(device, &cmd, 2, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 4)) != 2)
		return;
	cmd = on ? cmd | 2 : cmd & ~2;
	if (pwrite(device, &cmd, 2, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 4)) != 2)
		out("pwrite(command) = %s", rv(-1));
}

static void signal_fd(int efd)
{
	uint64_t one = 1;

	check(write(efd, &one, sizeof(one)));
	/* A write the handler could not do at once is done by a work item. */
	usleep(20000);
}

static void refused(int efd)
{
	uint32_t minsz = sizeof(struct vfio_device_ioeventfd);
	int null = open("/dev/null", O_RDONLY);

	expect("IOEVENTFD(argsz without reserved)",
	       ioeventfd(minsz - 4, 4, off_of(0, scratch4), 0, -1), -ENODEV);
	expect("IOEVENTFD(argsz short)",
	       ioeventfd(minsz - 5, 4, off_of(0, scratch4), 0, efd), -EINVAL);
	expect("IOEVENTFD(unknown flag)",
	       ioeventfd(minsz, 4 | 0x10, off_of(0, scratch4), 0, efd),
	       -EINVAL);
	expect("IOEVENTFD(size 0)", ioev(0, 0, scratch4, 0, efd), -EINVAL);
	expect("IOEVENTFD(sizes 1|2)", ioev(3, 0, scratch4, 0, efd),
	       -EINVAL);
	expect("IOEVENTFD(fd -2)", ioev(4, 0, scratch4, 0, -2), -EINVAL);
	expect("IOEVENTFD(config)",
	       ioev(4, VFIO_PCI_CONFIG_REGION_INDEX, 0, 0, efd), -EINVAL);
	expect("IOEVENTFD(ROM)", ioev(4, VFIO_PCI_ROM_REGION_INDEX, 0, 0, efd),
	       -EINVAL);
	expect("IOEVENTFD(BAR1, empty)", ioev(4, 1, 0, 0, efd), -EINVAL);
	expect("IOEVENTFD(BAR0, past the end)",
	       ioev(4, 0, bar_size[0], 0, efd), -EINVAL);
	expect("IOEVENTFD(BAR0, across the end)",
	       ioev(4, 0, bar_size[0] - 2, 0, efd), -EINVAL);
	expect("IOEVENTFD(BAR0, 8 bytes at the end)",
	       ioev(8, 0, bar_size[0] - 8, 0, -1), -ENODEV);
	expect("IOEVENTFD(remove, none there)",
	       ioev(4, 0, scratch4, 0, -1), -ENODEV);
	expect("IOEVENTFD(closed fd)", ioev(4, 0, scratch4, 0, 1000),
	       -EBADF);
	expect("IOEVENTFD(fd of /dev/null)", ioev(4, 0, scratch4, 0, null),
	       -EINVAL);
	close(null);
}

static void writes(int efd)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	char call[96];
	unsigned int i;
	uint64_t data;

	memory_enable(1);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		data = 0x1122334455667788ULL >> (64 - 8 * sizes[i]);
		bar_write(0, scratch8, 8, 0);
		snprintf(call, sizeof(call), "IOEVENTFD(BAR0 %#llx, %u bytes)",
			 (unsigned long long)scratch8, sizes[i]);
		expect(call, ioev(sizes[i], 0, scratch8, data, efd), 0);
		out("  before the signal: %#llx",
		    (unsigned long long)bar_read(0, scratch8, 8));
		signal_fd(efd);
		out("  after the signal: %#llx",
		    (unsigned long long)bar_read(0, scratch8, 8));
		snprintf(call, sizeof(call), "IOEVENTFD(%u bytes, again)",
			 sizes[i]);
		expect(call, ioev(sizes[i], 0, scratch8, data, efd),
		       -EEXIST);
		snprintf(call, sizeof(call), "IOEVENTFD(%u bytes, removed)",
			 sizes[i]);
		expect(call, ioev(sizes[i], 0, scratch8, data, -1), 0);
		expect(call, ioev(sizes[i], 0, scratch8, data, -1),
		       -ENODEV);
	}

	/* Two values for one offset are two ioeventfds. */
	expect("IOEVENTFD(scratch = 1)", ioev(4, 0, scratch4, 1, efd), 0);
	expect("IOEVENTFD(scratch = 2)", ioev(4, 0, scratch4, 2, efd), 0);
	expect("IOEVENTFD(remove scratch = 1)", ioev(4, 0, scratch4, 1, -1),
	       0);
	signal_fd(efd);
	out("scratch after the signal = %#llx",
	    (unsigned long long)bar_read(0, scratch4, 4));

	/* Decode off: the write is dropped. */
	bar_write(0, scratch4, 4, 0);
	memory_enable(0);
	signal_fd(efd);
	memory_enable(1);
	out("scratch after a signal with decode off = %#llx",
	    (unsigned long long)bar_read(0, scratch4, 4));

	if (msix_count) {
		expect("IOEVENTFD(MSI-X table)", ioev(4, 0, MSIX_TABLE, 0, efd),
		       -EINVAL);
		expect("IOEVENTFD(across the MSI-X table's start)",
		       ioev(8, 0, MSIX_TABLE - 4, 0, efd), -EINVAL);
		expect("IOEVENTFD(just below the MSI-X table)",
		       ioev(4, 0, MSIX_TABLE - 4, 0, efd), 0);
	}
	if (bar_size[RAM_BAR]) {
		expect("IOEVENTFD(RAM BAR)",
		       ioev(4, RAM_BAR, 0x100, 0xfeedf00d, efd), 0);
		signal_fd(efd);
		out("RAM BAR after the signal = %#llx",
		    (unsigned long long)bar_read(RAM_BAR, 0x100, 4));
	}
}

static void fill_to_limit(int efd)
{
	long ret = 0;
	unsigned int i;

	for (i = 0; i < IOEVENTFD_MAX && !ret; i++)
		ret = ioev(4, 0, scratch4 + 4, 0x10000 + i, efd);
	out("IOEVENTFD(%u more) = %s", i, rv(ret));
	expect("IOEVENTFD(past the limit)",
	       ioev(4, 0, scratch4 + 4, 0x20000, efd), -ENOSPC);
}

/* The function's runtime PM status, once it settles. */
static void show_runtime_pm(const char *bdf, const char *when,
			   const char *want)
{
	char path[128], buf[32] = "";
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/power/runtime_status", bdf);
	for (i = 0; i < 50; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n - 1 : 0] = 0;
		if (!strcmp(buf, want))
			break;
		usleep(20000);
	}
	out("runtime status %s = %s", when, buf);
}

static long feature(uint32_t flags, const void *data, size_t len)
{
	struct {
		struct vfio_device_feature hdr;
		uint8_t data[16];
	} f = { .hdr = { .argsz = sizeof(f.hdr) + len, .flags = flags } };

	memcpy(f.data, data, len);
	return ioctl(device, VFIO_DEVICE_FEATURE, &f);
}

static void features(const char *bdf)
{
	const uint32_t probe = VFIO_DEVICE_FEATURE_PROBE;
	const uint32_t set = VFIO_DEVICE_FEATURE_SET;
	const uint32_t get = VFIO_DEVICE_FEATURE_GET;
	int wake = eventfd(0, EFD_NONBLOCK);
	struct pollfd p = { .fd = wake, .events = POLLIN };
	uint32_t id, cfg;
	char call[96];
	struct vfio_device_low_power_entry_with_wakeup w = {};

	for (id = 0; id <= 12; id++) {
		snprintf(call, sizeof(call), "FEATURE(%u, probe set)", id);
		out("%s = %s", call, rv(feature(id | probe | set, NULL, 0)));
		snprintf(call, sizeof(call), "FEATURE(%u, probe get)", id);
		out("%s = %s", call, rv(feature(id | probe | get, NULL, 0)));
	}

	id = VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY;
	expect("FEATURE(LOW_POWER_ENTRY, get)", feature(id | get, NULL, 0),
	       -EINVAL);
	expect("FEATURE(LOW_POWER_ENTRY, no op)", feature(id, NULL, 0),
	       -EINVAL);
	show_runtime_pm(bdf, "open", "active");
	expect("FEATURE(LOW_POWER_ENTRY)", feature(id | set, NULL, 0), 0);
	show_runtime_pm(bdf, "in low power", "suspended");
	expect("FEATURE(LOW_POWER_ENTRY, again)", feature(id | set, NULL, 0),
	       -EINVAL);
	cfg = 0;
	expect("pread(config, in low power)",
	       pread(device, &cfg, 4, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 0)),
	       4);
	out("  vendor/device = %#x", cfg);
	show_runtime_pm(bdf, "after a read in low power", "suspended");
	expect("FEATURE(LOW_POWER_EXIT)",
	       feature(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT | set, NULL, 0), 0);
	show_runtime_pm(bdf, "after exit", "active");
	expect("FEATURE(LOW_POWER_EXIT, again)",
	       feature(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT | set, NULL, 0), 0);

	id = VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
	w.wakeup_eventfd = wake;
	expect("FEATURE(LOW_POWER_ENTRY_WITH_WAKEUP, argsz short)",
	       feature(id | set, &w, 2), -EINVAL);
	w.wakeup_eventfd = -1;
	expect("FEATURE(LOW_POWER_ENTRY_WITH_WAKEUP, fd -1)",
	       feature(id | set, &w, sizeof(w)), -EINVAL);
	w.wakeup_eventfd = 1000;
	expect("FEATURE(LOW_POWER_ENTRY_WITH_WAKEUP, closed fd)",
	       feature(id | set, &w, sizeof(w)), -EBADF);
	w.wakeup_eventfd = wake;
	expect("FEATURE(LOW_POWER_ENTRY_WITH_WAKEUP)",
	       feature(id | set, &w, sizeof(w)), 0);
	show_runtime_pm(bdf, "in low power with wakeup", "suspended");
	out("wakeup eventfd before a read = %d", poll(&p, 1, 0));
	pread(device, &cfg, 4, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 0));
	out("wakeup eventfd after a read = %d", poll(&p, 1, 200));
	show_runtime_pm(bdf, "after the wakeup", "active");
	expect("FEATURE(LOW_POWER_ENTRY_WITH_WAKEUP, once more)",
	       feature(id | set, &w, sizeof(w)), 0);
	show_runtime_pm(bdf, "in low power at close", "suspended");
	close(wake);
}

static void test_function(const char *bdf)
{
	struct vfio_dev d;
	int efd = eventfd(0, EFD_NONBLOCK);
	unsigned int i;

	out("== %s", bdf);
	if (vfio_dev_open(bdf, &d))
		return;
	device = d.device;
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info info = { .argsz = sizeof(info),
						 .index = i };

		bar_size[i] = ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &info) ?
			      0 : info.size;
	}
	{
		struct vfio_irq_info irq = { .argsz = sizeof(irq),
					     .index = VFIO_PCI_MSIX_IRQ_INDEX };

		msix_count = ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &irq) ?
			     0 : irq.count;
	}
	scratch4 = msix_count ? DMA_DST : REGFILE_SCRATCH;
	scratch8 = msix_count ? DMA_SRC : REGFILE_SCRATCH + 8;
	refused(efd);
	writes(efd);
	fill_to_limit(efd);
	vfio_dev_close(&d);

	/* Nothing survives the close. */
	if (vfio_dev_open(bdf, &d))
		return;
	device = d.device;
	expect("IOEVENTFD(remove after close and open)",
	       ioev(4, 0, scratch4, 2, -1), -ENODEV);
	features(bdf);
	vfio_dev_close(&d);
	show_runtime_pm(bdf, "closed", "suspended");
	close(efd);
}

int main(int argc, char **argv)
{
	return run_on_functions(argc, argv, default_bdfs,
				ARRAY_SIZE(default_bdfs), NULL, 0,
				test_function);
}
