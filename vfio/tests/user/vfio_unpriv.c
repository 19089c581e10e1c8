// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO for a user who is not root, as a distribution sets it up (the group
 * node given to the user, the container node open to all), from the uAPI
 * header and Linux's documented behaviour: the node modes the kernel
 * creates; a group the user has no permission on refused; a group held by
 * another process refused; a device of another group not reachable through
 * the user's group; RLIMIT_MEMLOCK enforced on MAP_DMA (no CAP_IPC_LOCK)
 * and locked_vm returned on unmap; the DMA engine, driven by the user,
 * faulting on an IOVA outside the user's mappings and copying inside them.
 *
 * The client runs as root, binds the functions, then forks children that
 * drop to uid/gid 1000 with no capabilities. One line per call
 * ("CALL = result", client.h); the exit status is 0 when every call
 * answered as upstream does.
 *
 * usage: vfio_unpriv  (the dma function 0000:40:00.0 and the register
 * file 0000:40:01.0)
 */
#include "client.h"
#include "sim_regs.h"

#include <grp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/pci_regs.h>

#define USER		1000
#define PG		4096ULL
#define IOVA		0x100000ULL
#define IOVA_NONE	0x40000000ULL
#define LIMIT		(16 * PG)	/* the user's RLIMIT_MEMLOCK */
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static const char dma_bdf[] = "0000:40:00.0";
static const char rf_bdf[] = "0000:40:01.0";

static char *group_path(const char *bdf)
{
	static char path[2][64];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "/dev/vfio/%d", group_of(bdf));
	return path[i];
}

/* Mode and owner of a node, as printed: never its group number. */
static void node(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		out("stat(%s) = %s", what, rv(-1));
		failures++;
		return;
	}
	out("stat(%s) = mode 0%o uid %u", what, st.st_mode & 07777,
	    st.st_uid);
}

/* Become uid/gid USER with no capabilities, RLIMIT_MEMLOCK = LIMIT. */
static int become_user(void)
{
	struct rlimit rl = { LIMIT, LIMIT };

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgroups(0, NULL) ||
	    setgid(USER) || setuid(USER)) {
		out("drop to uid %d = %s", USER, rv(-1));
		return -1;
	}
	return 0;
}

/* Run @fn in a child as USER; its failures count here through its status. */
static void as_user(const char *what, void (*fn)(void))
{
	int status;
	pid_t pid;

	out("-- %s", what);
	pid = fork();
	if (!pid) {
		failures = 0;
		if (become_user())
			_exit(1);
		fn();
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		out("%s: failed", what);
		failures++;
	}
}

/* Before any chown: the container for all, the groups for root. */
static void user_default_nodes(void)
{
	int fd;

	fd = expect_fd("open(/dev/vfio/vfio)", open("/dev/vfio/vfio", O_RDWR),
		       0);
	expect_fd("open(/dev/vfio/<dma group>, root's 0600)",
		  open(group_path(dma_bdf), O_RDWR), EACCES);
	expect_fd("open(/dev/vfio/<dma group>, read-only)",
		  open(group_path(dma_bdf), O_RDONLY), EACCES);
	if (fd >= 0)
		close(fd);
}

static long dma_map(int c, uint64_t iova, void *vaddr, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = RW, .vaddr = (uintptr_t)vaddr,
		.iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &m);
}

static long dma_unmap(int c, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u);
}

/* The engine's copy; BAR0 is region 0, at offset 0. Cleared after. */
static uint32_t dma_copy(int dev, uint64_t src, uint64_t dst, uint32_t len)
{
	uint32_t status = sim_dma_copy(dev, 0, src, dst, len, 0);

	sim_dma_clear(dev, 0);
	return status;
}

/* The dma group given to the user: the whole flow, within its limits. */
static void user_own_group(void)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	unsigned char *buf;
	char call[96];
	int c, g, dev;

	buf = mmap(NULL, LIMIT + PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c = open("/dev/vfio/vfio", O_RDWR);
	g = expect_fd("open(/dev/vfio/<dma group>, the user's)",
		      open(group_path(dma_bdf), O_RDWR), 0);
	if (c < 0 || g < 0 || buf == MAP_FAILED) {
		failures++;
		return;
	}
	expect("VFIO_GROUP_GET_STATUS", ioctl(g, VFIO_GROUP_GET_STATUS, &gs),
	       0);
	out("  flags = 0x%x", gs.flags);
	expect("VFIO_GROUP_SET_CONTAINER",
	       ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), 0);
	expect("VFIO_SET_IOMMU(TYPE1v2)",
	       ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);

	/* RLIMIT_MEMLOCK: the limit maps, one page more does not. */
	expect("MAP_DMA(the limit, 16 pages)", dma_map(c, IOVA, buf, LIMIT), 0);
	expect("VmLck pages after it", vm_locked(), LIMIT / PG);
	expect("MAP_DMA(one page past the limit)",
	       dma_map(c, IOVA + LIMIT, buf + LIMIT, PG), -ENOMEM);
	expect("VmLck pages unchanged", vm_locked(), LIMIT / PG);
	expect("UNMAP_DMA(the limit)", dma_unmap(c, IOVA, LIMIT), 0);
	expect("VmLck pages after the unmap", vm_locked(), 0);
	expect("MAP_DMA(2 pages, again)", dma_map(c, IOVA, buf, 2 * PG), 0);

	/* A device of another group is not reachable through this one. */
	snprintf(call, sizeof(call), "VFIO_GROUP_GET_DEVICE_FD(%s)", rf_bdf);
	expect_fd(call, ioctl(g, VFIO_GROUP_GET_DEVICE_FD, rf_bdf), ENODEV);
	expect_fd("open(/dev/vfio/<regfile group>, root's)",
		  open(group_path(rf_bdf), O_RDWR), EACCES);

	dev = expect_fd("VFIO_GROUP_GET_DEVICE_FD(dma)",
			ioctl(g, VFIO_GROUP_GET_DEVICE_FD, dma_bdf), 0);
	if (dev < 0)
		return;
	expect("pwrite(config, Memory + Bus Master)",
	       pwrite(dev, "\x06\x00", 2,
		      ((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40) +
		      PCI_COMMAND), 2);

	/* The engine reaches the user's mappings and nothing else. */
	memset(buf, 0xa5, PG);
	memset(buf + PG, 0, PG);
	expect("DMA copy inside the mappings: status",
	       dma_copy(dev, IOVA, IOVA + PG, PG), DMA_DONE);
	expect("DMA copy inside the mappings: copied",
	       !memcmp(buf, buf + PG, PG), 1);
	expect("DMA copy from outside them: status",
	       dma_copy(dev, IOVA_NONE, IOVA + PG, 64), DMA_ERROR);
	expect("DMA copy from outside them: fault address",
	       sim_read32(dev, DMA_FAULT), (uint32_t)IOVA_NONE);
	memset(buf + PG, 0x11, PG);
	expect("DMA copy into the unmapped page past them: status",
	       dma_copy(dev, IOVA, IOVA + 2 * PG, 64), DMA_ERROR);
	expect("DMA copy after UNMAP_DMA: status",
	       dma_unmap(c, IOVA, 2 * PG) ?: (long)dma_copy(dev, IOVA,
						 IOVA + PG, 64), DMA_ERROR);
	expect("DMA copy after UNMAP_DMA: memory untouched",
	       buf[PG] == 0x11, 1);
	close(dev);
	close(g);
	close(c);
}

/* The regfile group given to the user but held open by root. */
static void user_held_group(void)
{
	expect_fd("open(/dev/vfio/<regfile group>, held by another process)",
		  open(group_path(rf_bdf), O_RDWR), EBUSY);
}

int main(void)
{
	int held;

	if (client_start())
		return 1;
	if (bind_driver(dma_bdf, "vfio-pci") ||
	    bind_driver(rf_bdf, "vfio-pci")) {
		out("bind to vfio-pci failed");
		return 1;
	}
	node("/dev/vfio/vfio", "/dev/vfio/vfio");
	node("/dev/vfio/<dma group>", group_path(dma_bdf));
	as_user("uid 1000, nodes as the kernel made them", user_default_nodes);

	expect("chown(/dev/vfio/<dma group>, 1000)",
	       chown(group_path(dma_bdf), USER, USER), 0);
	as_user("uid 1000, the dma group its own", user_own_group);

	expect("chown(/dev/vfio/<regfile group>, 1000)",
	       chown(group_path(rf_bdf), USER, USER), 0);
	held = expect_fd("open(/dev/vfio/<regfile group>, root)",
			 open(group_path(rf_bdf), O_RDWR), 0);
	as_user("uid 1000, the regfile group held by root", user_held_group);
	if (held >= 0)
		close(held);
	chown(group_path(dma_bdf), 0, 0);
	chown(group_path(rf_bdf), 0, 0);

	out("failures = %d", failures);
	return failures ? 1 : 0;
}
