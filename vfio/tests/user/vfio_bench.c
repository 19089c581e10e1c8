// SPDX-License-Identifier: GPL-2.0
/*
 * Timings of VFIO calls from userspace, for `make bench-vfio`, which runs
 * this on our kernel and on the reference and prints both with their
 * ratio. Only calls whose cost is the VFIO core's and the IOMMU
 * backend's are timed; nothing that depends on the bus driver (vfio-pci on
 * the reference, uvfio-test on ours until vfio-pci exists).
 *
 * Each line: "bench <name> <ns per call> <calls>", the best of five
 * rounds (the least disturbed by the host), to VFIO_FLOW_OUT (client.h).
 *
 * usage: vfio_bench [BDF]   (default 0000:40:01.0, a function alone)
 */
#include "client.h"

#include <stdint.h>
#include <sys/ioctl.h>
#include <time.h>

#include <linux/vfio.h>

#define ROUNDS	5

struct bench_ctx {
	int container, group;
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

int main(int argc, char **argv)
{
	const char *bdf = argc > 1 ? argv[1] : "0000:40:01.0";
	struct bench_ctx c;
	unsigned int i, r, k;
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

	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		uint64_t best = UINT64_MAX;

		for (r = 0; r < ROUNDS; r++) {
			uint64_t t0 = now_ns(), dt;

			for (k = 0; k < benches[i].calls; k++) {
				if (benches[i].call(&c)) {
					out("bench %s failed: %s", benches[i].name,
					    rv(-1));
					return 1;
				}
			}
			dt = now_ns() - t0;
			if (dt < best)
				best = dt;
		}
		out("bench %s %llu %u", benches[i].name,
		    (unsigned long long)(best / benches[i].calls),
		    benches[i].calls);
	}
	close(c.group);
	close(c.container);
	bind_driver(bdf, "");
	return 0;
}
