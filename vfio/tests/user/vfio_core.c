// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO core from userspace: the container, groups and device fds of
 * Documentation/driver-api/vfio.rst walked through their states, the
 * calls each state refuses, the orders in which the three fds can be
 * closed, two groups sharing a container, and unbinding a device whose fd
 * is open, and a kernel driver (uio_pci_generic) making a group not
 * viable. Written against the uAPI header only; the device fd is used for
 * nothing a particular bus driver decides, so the client runs the same
 * with vfio-pci (Linux) or uvfio-test (vfio-uml before its vfio-pci).
 *
 * Every call prints "CALL = result" (client.h); a result that differs from
 * Linux's documented answer also counts as a failure, and the exit status
 * is 0 only without failures.
 *
 * usage: vfio_core [BDF_A [BDF_B]]  (default 0000:40:02.0, 0000:40:01.0:
 * a function of the two-function group and a function alone)
 */
#include "client.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/vfio.h>

#define UNKNOWN_TYPE	0x4242
#define UNKNOWN_IOCTL	_IO(VFIO_TYPE, VFIO_BASE + 0x7f)
#define BAD_PTR		((void *)0x10)

static int open_group(int id, int want_errno)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	return expect_fd("open(/dev/vfio/GROUP)", open(path, O_RDWR),
			 want_errno);
}

static long status(int group, long want)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	long ret = ioctl(group, VFIO_GROUP_GET_STATUS, &st);

	return expect("VFIO_GROUP_GET_STATUS flags", ret < 0 ? ret : st.flags,
		      want);
}

static long set_container(int group, int container, long want)
{
	return expect("VFIO_GROUP_SET_CONTAINER",
		      ioctl(group, VFIO_GROUP_SET_CONTAINER, &container), want);
}

static int get_device(int group, const char *bdf, int want_errno)
{
	return expect_fd("VFIO_GROUP_GET_DEVICE_FD",
			 ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf),
			 want_errno);
}

static void container_calls(int container)
{
	static const struct {
		const char *name;
		unsigned long ext;
		long want;
	} exts[] = {
		{ "VFIO_TYPE1_IOMMU", VFIO_TYPE1_IOMMU, 1 },
		{ "VFIO_TYPE1v2_IOMMU", VFIO_TYPE1v2_IOMMU, 1 },
		{ "VFIO_SPAPR_TCE_IOMMU", VFIO_SPAPR_TCE_IOMMU, 0 },
		{ "VFIO_NOIOMMU_IOMMU", VFIO_NOIOMMU_IOMMU, 0 },
		{ "0x4242", UNKNOWN_TYPE, 0 },
	};
	char call[64];
	unsigned int i;

	expect("VFIO_GET_API_VERSION", ioctl(container, VFIO_GET_API_VERSION),
	       VFIO_API_VERSION);
	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		snprintf(call, sizeof(call), "VFIO_CHECK_EXTENSION(%s)",
			 exts[i].name);
		expect(call, ioctl(container, VFIO_CHECK_EXTENSION,
				   exts[i].ext), exts[i].want);
	}
	expect("container: unknown ioctl, no backend",
	       ioctl(container, UNKNOWN_IOCTL), -EINVAL);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU), no group",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
}

/* The group's calls before and after SET_CONTAINER and SET_IOMMU. */
static void group_calls(int container, int id, const char *bdf,
			const char *other)
{
	struct vfio_group_status st = { .argsz = 4 };
	int group, fd, efd, dev, dev2;

	group = open_group(id, 0);
	open_group(id, EBUSY);
	expect("VFIO_GROUP_GET_STATUS(argsz=4)",
	       ioctl(group, VFIO_GROUP_GET_STATUS, &st), -EINVAL);
	expect("VFIO_GROUP_GET_STATUS(bad pointer)",
	       ioctl(group, VFIO_GROUP_GET_STATUS, BAD_PTR), -EFAULT);
	status(group, VFIO_GROUP_FLAGS_VIABLE);
	expect("group: unknown ioctl", ioctl(group, UNKNOWN_IOCTL), -ENOTTY);
	get_device(group, bdf, EINVAL);
	expect("VFIO_GROUP_UNSET_CONTAINER, none set",
	       ioctl(group, VFIO_GROUP_UNSET_CONTAINER), -EINVAL);

	fd = -1;
	expect("VFIO_GROUP_SET_CONTAINER(-1)",
	       ioctl(group, VFIO_GROUP_SET_CONTAINER, &fd), -EBADF);
	efd = eventfd(0, 0);
	expect("VFIO_GROUP_SET_CONTAINER(an eventfd)",
	       ioctl(group, VFIO_GROUP_SET_CONTAINER, &efd), -EBADFD);
	close(efd);
	expect("VFIO_GROUP_SET_CONTAINER(bad pointer)",
	       ioctl(group, VFIO_GROUP_SET_CONTAINER, BAD_PTR), -EFAULT);

	set_container(group, container, 0);
	status(group, VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
	set_container(group, container, -EINVAL);
	get_device(group, bdf, EINVAL);
	expect("VFIO_SET_IOMMU(0x4242)",
	       ioctl(container, VFIO_SET_IOMMU, UNKNOWN_TYPE), -ENODEV);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU) again",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
	expect("VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU), backend set",
	       ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1);
	expect("container: unknown ioctl, backend set",
	       ioctl(container, UNKNOWN_IOCTL), -ENOTTY);

	get_device(group, other, ENODEV);
	get_device(group, "no-such-device", ENODEV);
	expect("VFIO_GROUP_GET_DEVICE_FD(bad pointer)",
	       ioctl(group, VFIO_GROUP_GET_DEVICE_FD, BAD_PTR), -EFAULT);
	dev = get_device(group, bdf, 0);
	dev2 = get_device(group, bdf, 0);
	expect("VFIO_GROUP_UNSET_CONTAINER, device open",
	       ioctl(group, VFIO_GROUP_UNSET_CONTAINER), -EBUSY);
	close(dev2);

	/* A device fd keeps its group (and the container) in use. */
	close(group);
	open_group(id, EBUSY);
	expect("device: unknown ioctl, group closed",
	       ioctl(dev, UNKNOWN_IOCTL), -ENOTTY);
	close(dev);
	group = open_group(id, 0);
	status(group, VFIO_GROUP_FLAGS_VIABLE);
	expect("container: unknown ioctl, last group gone",
	       ioctl(container, UNKNOWN_IOCTL), -EINVAL);
	close(group);
}

/* The header of VFIO_DEVICE_FEATURE is the core's. */
static void device_calls(int container, int id, const char *bdf)
{
	static const struct {
		const char *name;
		__u32 argsz;
		__u32 flags;
		long want;
	} features[] = {
		{ "argsz=4", 4, VFIO_DEVICE_FEATURE_GET, -EINVAL },
		{ "unknown flag", 8, VFIO_DEVICE_FEATURE_GET | (1u << 19),
		  -EINVAL },
		{ "GET|SET", 8, VFIO_DEVICE_FEATURE_GET |
		  VFIO_DEVICE_FEATURE_SET | 0x7e, -EINVAL },
		{ "PROBE|GET|SET unknown feature", 8,
		  VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
		  VFIO_DEVICE_FEATURE_SET | 0x7f, -ENOTTY },
		{ "GET MIGRATION", 16, VFIO_DEVICE_FEATURE_GET |
		  VFIO_DEVICE_FEATURE_MIGRATION, -ENOTTY },
		{ "GET MIG_DATA_SIZE", 16, VFIO_DEVICE_FEATURE_GET |
		  VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, -ENOTTY },
	};
	struct vfio_device_feature *f = calloc(1, 64);
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = 0,
	};
	char call[96];
	unsigned int i;
	int group, dev;

	group = open_group(id, 0);
	set_container(group, container, 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	dev = get_device(group, bdf, 0);
	for (i = 0; i < ARRAY_SIZE(features); i++) {
		f->argsz = features[i].argsz;
		f->flags = features[i].flags;
		snprintf(call, sizeof(call), "VFIO_DEVICE_FEATURE(%s)",
			 features[i].name);
		expect(call, ioctl(dev, VFIO_DEVICE_FEATURE, f),
		       features[i].want);
	}
	expect("VFIO_DEVICE_FEATURE(bad pointer)",
	       ioctl(dev, VFIO_DEVICE_FEATURE, BAD_PTR), -EFAULT);
	expect("VFIO_DEVICE_BIND_IOMMUFD on a group's device fd",
	       ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind), -EINVAL);
	expect("device: unknown ioctl", ioctl(dev, UNKNOWN_IOCTL), -ENOTTY);
	close(dev);
	close(group);
	free(f);
}

/*
 * A kernel driver on the other function of A's group makes the group not
 * viable: SET_CONTAINER refuses it. Once the group is owned, that driver
 * cannot bind any more.
 */
static void not_viable(int container, int id, const char *other)
{
	char drv[64];
	int group = open_group(id, 0);

	expect("bind(other, uio_pci_generic)",
	       bind_driver(other, "uio_pci_generic"), 0);
	status(group, 0);
	set_container(group, container, -EPERM);
	bind_driver(other, "");
	status(group, VFIO_GROUP_FLAGS_VIABLE);

	set_container(group, container, 0);
	bind_driver(other, "uio_pci_generic");
	driver_of(other, drv, sizeof(drv));
	out("bind(other, uio_pci_generic), group owned: driver = %s", drv);
	if (strcmp(drv, "none"))
		failures++;
	bind_driver(other, "");
	expect("VFIO_GROUP_UNSET_CONTAINER",
	       ioctl(group, VFIO_GROUP_UNSET_CONTAINER), 0);
	close(group);
}

/* Two groups in one container share its backend until the last leaves. */
static void two_groups(int container, int id_a, int id_b)
{
	int ga = open_group(id_a, 0), gb = open_group(id_b, 0);

	set_container(ga, container, 0);
	set_container(gb, container, 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU), two groups",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	expect("VFIO_GROUP_UNSET_CONTAINER(A)",
	       ioctl(ga, VFIO_GROUP_UNSET_CONTAINER), 0);
	status(ga, VFIO_GROUP_FLAGS_VIABLE);
	expect("container: unknown ioctl, B left",
	       ioctl(container, UNKNOWN_IOCTL), -ENOTTY);
	expect("VFIO_GROUP_UNSET_CONTAINER(B)",
	       ioctl(gb, VFIO_GROUP_UNSET_CONTAINER), 0);
	expect("container: unknown ioctl, none left",
	       ioctl(container, UNKNOWN_IOCTL), -EINVAL);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU), none left",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
	/* A group can move to another container. */
	set_container(gb, container, 0);
	close(ga);
	close(gb);
}

enum { FD_CONTAINER, FD_GROUP, FD_DEVICE };

static void close_orders(int id, const char *bdf)
{
	static const char *const names[] = { "container", "group", "device" };
	static const int orders[][3] = {
		{ FD_CONTAINER, FD_GROUP, FD_DEVICE },
		{ FD_CONTAINER, FD_DEVICE, FD_GROUP },
		{ FD_GROUP, FD_CONTAINER, FD_DEVICE },
		{ FD_GROUP, FD_DEVICE, FD_CONTAINER },
		{ FD_DEVICE, FD_CONTAINER, FD_GROUP },
		{ FD_DEVICE, FD_GROUP, FD_CONTAINER },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		int fds[3], group;

		out("close order: %s, %s, %s", names[orders[i][0]],
		    names[orders[i][1]], names[orders[i][2]]);
		fds[FD_CONTAINER] = open("/dev/vfio/vfio", O_RDWR);
		fds[FD_GROUP] = open_group(id, 0);
		set_container(fds[FD_GROUP], fds[FD_CONTAINER], 0);
		expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
		       ioctl(fds[FD_CONTAINER], VFIO_SET_IOMMU,
			     VFIO_TYPE1v2_IOMMU), 0);
		fds[FD_DEVICE] = get_device(fds[FD_GROUP], bdf, 0);
		for (j = 0; j < 3; j++) {
			close(fds[orders[i][j]]);
			fds[orders[i][j]] = -1;
			if (fds[FD_DEVICE] >= 0)
				expect("device: unknown ioctl",
				       ioctl(fds[FD_DEVICE], UNKNOWN_IOCTL),
				       -ENOTTY);
		}
		group = open_group(id, 0);
		status(group, VFIO_GROUP_FLAGS_VIABLE);
		close(group);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Unbinding waits for the device fd, then the group is gone. */
static void unbind_open(int id, const char *bdf)
{
	int container = open("/dev/vfio/vfio", O_RDWR);
	int group = open_group(id, 0), dev, st;
	pid_t child;

	set_container(group, container, 0);
	expect("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)",
	       ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	dev = get_device(group, bdf, 0);

	child = fork();
	if (!child) {
		/* The child's copies would keep the device open. */
		close(dev);
		close(group);
		close(container);
		unbind_driver(bdf);
		_exit(0);
	}
	sleep_ms(500);
	expect("unbind, device open: still waiting",
	       waitpid(child, &st, WNOHANG), 0);
	get_device(group, bdf, ENODEV);
	status(group, VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
	close(dev);
	expect("unbind, device closed: done", waitpid(child, &st, 0) == child,
	       1);
	status(group, -ENODEV);
	open_group(id, ENOENT);
	expect("container: unknown ioctl, group gone",
	       ioctl(container, UNKNOWN_IOCTL), -EINVAL);

	expect("bind again", bind_vfio_driver(bdf), 0);
	close(open_group(id, 0));
	status(group, -ENODEV);
	close(group);
	close(container);
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "0000:40:02.0";
	const char *b = argc > 2 ? argv[2] : "0000:40:01.0";
	char other[32];
	int container, id_a, id_b;

	if (client_start())
		return 1;
	/* The other function of A's slot: in A's group, not bound to VFIO. */
	snprintf(other, sizeof(other), "%.*s1", (int)strlen(a) - 1, a);

	expect("bind(A)", bind_vfio_driver(a), 0);
	expect("bind(B)", bind_vfio_driver(b), 0);
	id_a = group_of(a);
	id_b = group_of(b);
	expect("A and B in different groups", id_a >= 0 && id_b >= 0 &&
	       id_a != id_b, 1);

	container = expect_fd("open(/dev/vfio/vfio)",
			      open("/dev/vfio/vfio", O_RDWR), 0);
	if (container < 0)
		return 1;
	container_calls(container);
	group_calls(container, id_a, a, other);
	device_calls(container, id_a, a);
	not_viable(container, id_a, other);
	two_groups(container, id_a, id_b);
	close(container);
	close_orders(id_a, a);
	unbind_open(id_a, a);

	bind_driver(a, "");
	bind_driver(b, "");
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
