/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the userspace clients share: one output line per call in a stable,
 * diffable form ("CALL = result"), errno by name, sysfs binding through
 * driver_override, and the IOMMU group of a PCI function.
 *
 * With VFIO_FLOW_OUT=<file> in the environment (a key=value on the UML
 * kernel command line reaches init's), the lines go to that file, away
 * from the kernel's console messages: client_start() does that.
 */
#ifndef CLIENT_H
#define CLIENT_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int failures;

static inline int client_start(void)
{
	const char *path = getenv("VFIO_FLOW_OUT");

	return path && !freopen(path, "w", stdout) ? -1 : 0;
}

static inline void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The return value as printed: the value, or -ERRNO by name. */
static inline const char *rv(long ret)
{
	static char buf[64];

	if (ret >= 0)
		snprintf(buf, sizeof(buf), "%ld", ret);
	else
		snprintf(buf, sizeof(buf), "-%s", strerrorname_np(errno) ?
			 strerrorname_np(errno) : "E?");
	return buf;
}

static inline long check(long ret)
{
	if (ret < 0)
		failures++;
	return ret;
}

/* Print the call's result and count it when it is not @want. */
static inline long expect(const char *call, long ret, long want)
{
	int err = errno;

	if (ret < 0)
		ret = -err;
	errno = err;
	out("%s = %s", call, rv(ret < 0 ? -1 : ret));
	if (ret != want) {
		failures++;
		out("  expected %ld", want);
	}
	return ret;
}

/* An fd as printed: whether it is valid, never its number. */
static inline int expect_fd(const char *call, int fd, int want_errno)
{
	expect(call, fd < 0 ? -1 : 0, want_errno ? -want_errno : 0);
	return fd;
}

static inline int write_sysfs(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -1 : 0;
}

/* The last component of a symlink's target, e.g. a driver's name. */
static inline int link_tail(const char *path, char *buf, size_t len)
{
	char target[512];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return -1;
	target[n] = 0;
	snprintf(buf, len, "%s", strrchr(target, '/') + 1);
	return 0;
}

/* The function's driver, or "none". */
static inline void driver_of(const char *bdf, char *drv, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (link_tail(path, drv, len))
		snprintf(drv, len, "none");
}

static inline void unbind_driver(const char *bdf)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bdf);
	write_sysfs(path, bdf);
}

/*
 * Unbind the function from its driver and bind it to @driver through
 * driver_override (an empty @driver just clears the override).
 * Return: 0 when it ends up bound to @driver.
 */
static inline int bind_driver(const char *bdf, const char *driver)
{
	char path[256], drv[64];

	unbind_driver(bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 bdf);
	if (write_sysfs(path, *driver ? driver : "\n"))
		return -1;
	if (!*driver)
		return 0;
	write_sysfs("/sys/bus/pci/drivers_probe", bdf);
	driver_of(bdf, drv, sizeof(drv));
	return strcmp(drv, driver) ? -1 : 0;
}

/*
 * Bind to a VFIO bus driver: Linux's vfio-pci, or vfio-uml's uvfio-test
 * where there is no vfio-pci yet. Return: 0 when bound to one of them.
 */
static inline int bind_vfio_driver(const char *bdf)
{
	static const char *const drivers[] = { "vfio-pci", "uvfio-test" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!bind_driver(bdf, drivers[i]))
			return 0;
	return -1;
}

/* Bind each of @bdfs to vfio-pci. Return: 0, or -1 with the one printed. */
static inline int bind_all_vfio_pci(const char *const *bdfs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (bind_driver(bdfs[i], "vfio-pci")) {
			out("bind(%s, vfio-pci) failed", bdfs[i]);
			return -1;
		}
	return 0;
}

/*
 * VFIO_DEVICE_SET_IRQS of @count vectors from @start, with @fds when
 * @flags has VFIO_IRQ_SET_DATA_EVENTFD (at most 32). Return: the ioctl's.
 */
static inline int vfio_set_irqs(int device, uint32_t flags, uint32_t index,
				uint32_t start, uint32_t count,
				const int32_t *fds)
{
	struct {
		struct vfio_irq_set hdr;
		int32_t fds[32];
	} set = {
		.hdr = {
			.argsz = sizeof(set.hdr),
			.flags = flags, .index = index, .start = start,
			.count = count,
		},
	};

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (count > ARRAY_SIZE(set.fds)) {
			errno = E2BIG;
			return -1;
		}
		memcpy(set.fds, fds, sizeof(*fds) * count);
		set.hdr.argsz += sizeof(*fds) * count;
	}
	return ioctl(device, VFIO_DEVICE_SET_IRQS, &set);
}

/* How many times @efd was signalled, waiting up to @ms (0: it was not). */
static inline uint64_t eventfd_wait(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static inline int group_of(const char *bdf)
{
	char path[256], name[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	if (link_tail(path, name, sizeof(name)))
		return -1;
	return atoi(name);
}

/* The mm's locked_vm in pages, as /proc reports it (VmLck); -1 unknown. */
static inline long vm_locked(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 4;
}

/* A device opened as vfio.rst does: container, group, type1v2, device. */
struct vfio_dev {
	int container;
	int group;
	int device;
};

/*
 * Open @bdf (bound to a VFIO driver, its group viable) through a new
 * container with type1v2. Return: 0, or -1 with nothing left open and the
 * failing step printed.
 */
static inline int vfio_dev_open(const char *bdf, struct vfio_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	const char *step = "open(/dev/vfio/<group>)";
	char path[64];

	d->device = -1;
	d->group = -1;
	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0) {
		out("open(/dev/vfio/vfio) = %s", rv(-1));
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", group_of(bdf));
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		goto fail;
	step = "VFIO_GROUP_GET_STATUS";
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status))
		goto fail;
	step = "VFIO_GROUP_SET_CONTAINER";
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		goto fail;
	step = "VFIO_SET_IOMMU";
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto fail;
	step = "VFIO_GROUP_GET_DEVICE_FD";
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->device < 0)
		goto fail;
	return 0;
fail:
	out("%s(%s) = %s", step, bdf, rv(-1));
	failures++;
	if (d->group >= 0)
		close(d->group);
	close(d->container);
	return -1;
}

static inline void vfio_dev_close(struct vfio_dev *d)
{
	close(d->device);
	close(d->group);
	close(d->container);
}

/*
 * A client's main loop over PCI functions: bind @mates (the functions that
 * share a group with one of ours) to vfio-pci, then each function of the
 * command line, or of @bdfs without one, and run @fn on it. Prints the
 * failures and returns the exit status.
 */
typedef void (*client_fn)(const char *bdf);

static inline int run_on_functions(int argc, char **argv,
				    const char *const *bdfs, unsigned int n,
				    const char *const *mates,
				    unsigned int nmates, client_fn fn)
{
	unsigned int i;

	if (client_start())
		return 1;
	for (i = 0; i < nmates; i++)
		bind_driver(mates[i], "vfio-pci");
	if (argc > 1) {
		bdfs = (const char *const *)argv + 1;
		n = argc - 1;
	}
	for (i = 0; i < n; i++) {
		if (bind_driver(bdfs[i], "vfio-pci")) {
			out("bind(%s, vfio-pci) failed", bdfs[i]);
			failures++;
			continue;
		}
		fn(bdfs[i]);
	}
	out("failures = %d", failures);
	return failures ? 1 : 0;
}

#endif /* CLIENT_H */
