// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-platform from userspace, written from the uAPI header and compared
 * between two kernels, on the simulated platform's device-tree devices:
 * binding through driver_override; type1 refusing a group without
 * isolated MSI until allow_unsafe_interrupts; GET_INFO, region and IRQ
 * info checked against the device's of_node (region i = reg entry i,
 * IRQ i = interrupt i: the RFC's dtpath/dtindex); register access at the
 * reported offsets; mmap of the RAM window; a DMA by the device into
 * MAP_DMA'd memory with its level interrupt, unmasked by eventfd; an edge
 * interrupt; every refused SET_IRQS; RESET.
 *
 * One line per call, as CALL(arguments) = result; the exit status is 0
 * when every call answered as upstream does.
 *
 * usage: vfio_platform
 */
#include "client.h"

#include <dirent.h>
#include <endian.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

/* The simulated devices' registers (vfio/sim/simplat_models.h). */
#define DMA_ID		0x00
#define DMA_IOVA	0x08
#define DMA_LOCAL	0x10
#define DMA_LEN		0x14
#define DMA_CTRL	0x18
#define  DMA_GO		0x1
#define  DMA_TO_BUS	0x2
#define DMA_STATUS	0x1c
#define  DMA_DONE	0x1
#define  DMA_ERROR	0x2
#define DMA_FAULT	0x20
#define DMA_DOORBELL	0x28
#define DMA_SCRATCH	0x30
#define REGS_ID		0x00
#define REGS_EDGE	0x04
#define REGS_SCRATCH	0x10

#define IOVA		0x100000ULL
#define UNSAFE		"/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"

struct dev {
	const char *compatible;
	char name[256];
	struct vfio_dev v;
	uint64_t offset[4];
	uint64_t size[4];
	uint32_t nregions;
	uint32_t nirqs;
};

/* The platform device whose node has @compat first. */
static int find_device(const char *compat, char *name, size_t len)
{
	DIR *d = opendir("/sys/bus/platform/devices");
	struct dirent *e;
	char path[512], buf[128];
	int found = -1, fd;
	ssize_t n;

	if (!d)
		return -1;
	while (found && (e = readdir(d))) {
		snprintf(path, sizeof(path),
			 "/sys/bus/platform/devices/%s/of_node/compatible",
			 e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0 && !strcmp(buf, compat)) {
			snprintf(name, len, "%s", e->d_name);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

/* A property of the device's node, as bytes. Return: its length. */
static ssize_t node_prop(const char *name, const char *prop, void *buf,
			 size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/of_node/%s",
		 name, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static int bind_platform(const char *name)
{
	char path[512], drv[64];

	snprintf(path, sizeof(path),
		 "/sys/bus/platform/devices/%s/driver/unbind", name);
	write_sysfs(path, name);
	snprintf(path, sizeof(path),
		 "/sys/bus/platform/devices/%s/driver_override", name);
	if (write_sysfs(path, "vfio-platform"))
		return -1;
	write_sysfs("/sys/bus/platform/drivers_probe", name);
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/driver",
		 name);
	if (link_tail(path, drv, sizeof(drv)))
		return -1;
	return strcmp(drv, "vfio-platform") ? -1 : 0;
}

static int platform_group(const char *name)
{
	char path[512], group[64];

	snprintf(path, sizeof(path),
		 "/sys/bus/platform/devices/%s/iommu_group", name);
	if (link_tail(path, group, sizeof(group)))
		return -1;
	return atoi(group);
}

/*
 * The container, group and device fd. type1 refuses the group first:
 * wired interrupts are not isolated MSIs.
 */
static int open_device(struct dev *d)
{
	char path[64];

	d->v.container = open("/dev/vfio/vfio", O_RDWR);
	snprintf(path, sizeof(path), "/dev/vfio/%d", platform_group(d->name));
	d->v.group = open(path, O_RDWR);
	if (d->v.container < 0 || d->v.group < 0) {
		out("open(%s) = %s", path, rv(-1));
		failures++;
		return -1;
	}
	expect("VFIO_GROUP_SET_CONTAINER",
	       ioctl(d->v.group, VFIO_GROUP_SET_CONTAINER, &d->v.container), 0);
	write_sysfs(UNSAFE, "N");
	expect("VFIO_SET_IOMMU(TYPE1v2, wired interrupts)",
	       ioctl(d->v.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU),
	       -EPERM);
	expect("write(allow_unsafe_interrupts, Y)", write_sysfs(UNSAFE, "Y"),
	       0);
	expect("VFIO_SET_IOMMU(TYPE1v2)",
	       ioctl(d->v.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	d->v.device = ioctl(d->v.group, VFIO_GROUP_GET_DEVICE_FD, d->name);
	expect_fd("VFIO_GROUP_GET_DEVICE_FD", d->v.device, 0);
	return d->v.device < 0 ? -1 : 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Info, checked against the node: reg sizes, interrupt count. */
static void info(struct dev *d)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	uint8_t reg[64], irqs[64];
	ssize_t nreg = node_prop(d->name, "reg", reg, sizeof(reg));
	ssize_t nint = node_prop(d->name, "interrupts", irqs, sizeof(irqs));
	uint32_t i;

	expect("VFIO_DEVICE_GET_INFO",
	       ioctl(d->v.device, VFIO_DEVICE_GET_INFO, &di), 0);
	out("  flags: platform=%d pci=%d", !!(di.flags &
					    VFIO_DEVICE_FLAGS_PLATFORM),
	    !!(di.flags & VFIO_DEVICE_FLAGS_PCI));
	out("  flags: reset=%d (%s)", !!(di.flags & VFIO_DEVICE_FLAGS_RESET),
	    d->name);
	out("  num_regions=%u (reg entries %zd) num_irqs=%u (interrupts %zd)",
	    di.num_regions, nreg / 8, di.num_irqs, nint / 8);
	if (di.num_regions * 8 != nreg || di.num_irqs * 8 != nint)
		failures++;
	d->nregions = di.num_regions;
	d->nirqs = di.num_irqs;

	for (i = 0; i <= di.num_regions && i < 4; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };
		char call[64];
		long ret;

		snprintf(call, sizeof(call), "VFIO_DEVICE_GET_REGION_INFO(%u)",
			 i);
		ret = expect(call, ioctl(d->v.device,
					 VFIO_DEVICE_GET_REGION_INFO, &r),
			     i < di.num_regions ? 0 : -EINVAL);
		if (ret)
			continue;
		out("  size=%#llx (reg %#x) offset=%#llx flags=%#x",
		    (unsigned long long)r.size, be32(reg + 8 * i + 4),
		    (unsigned long long)r.offset, r.flags);
		d->offset[i] = r.offset;
		d->size[i] = r.size;
	}
	for (i = 0; i <= di.num_irqs; i++) {
		struct vfio_irq_info q = { .argsz = sizeof(q), .index = i };
		char call[64];

		snprintf(call, sizeof(call), "VFIO_DEVICE_GET_IRQ_INFO(%u)", i);
		if (expect(call, ioctl(d->v.device, VFIO_DEVICE_GET_IRQ_INFO,
				       &q), i < di.num_irqs ? 0 : -EINVAL))
			continue;
		out("  flags=%#x count=%u (line %u type %u)", q.flags, q.count,
		    be32(irqs + 8 * i), be32(irqs + 8 * i + 4));
	}
	di.argsz = 8;
	expect("VFIO_DEVICE_GET_INFO(argsz 8)",
	       ioctl(d->v.device, VFIO_DEVICE_GET_INFO, &di), -EINVAL);
}

static uint32_t rd32(struct dev *d, uint32_t index, uint64_t off)
{
	uint32_t v = 0;

	if (pread(d->v.device, &v, 4, d->offset[index] + off) != 4) {
		out("pread(%u, %#llx) = %s", index, (unsigned long long)off,
		    rv(-1));
		failures++;
	}
	return v;
}

static void wr32(struct dev *d, uint32_t index, uint64_t off, uint32_t v)
{
	if (pwrite(d->v.device, &v, 4, d->offset[index] + off) != 4) {
		out("pwrite(%u, %#llx) = %s", index, (unsigned long long)off,
		    rv(-1));
		failures++;
	}
}

static void region_access(struct dev *d, uint32_t scratch)
{
	uint8_t buf[16];

	out("pread(0, ID) = %#x", rd32(d, 0, 0));
	wr32(d, 0, scratch, 0x12345678);
	out("pread(0, scratch) = %#x", rd32(d, 0, scratch));
	expect("pread(0, 2 bytes at 1)",
	       pread(d->v.device, buf, 2, d->offset[0] + 1), 2);
	out("  %02x %02x", buf[0], buf[1]);
	expect("pread(0, 16 bytes at the last dword)",
	       pread(d->v.device, buf, 16, d->offset[0] + d->size[0] - 4), 4);
	expect("pread(0, at the end)",
	       pread(d->v.device, buf, 4, d->offset[0] + d->size[0]), -EINVAL);
	expect("pwrite(0, at the end)",
	       pwrite(d->v.device, buf, 4, d->offset[0] + d->size[0]),
	       -EINVAL);
	expect("pread(region past)",
	       pread(d->v.device, buf, 4, (uint64_t)d->nregions << 40),
	       -EINVAL);
	expect("pread(0, 0 bytes)", pread(d->v.device, buf, 0, d->offset[0]),
	       0);
	wr32(d, 0, scratch, 0);
}

static void set_irqs_refused(struct dev *d)
{
	static const struct {
		const char *name;
		uint32_t flags, index, start, count;
	} cases[] = {
		{ "index past", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 1 },
		{ "start 1", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, 1 },
		{ "count 2", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 2 },
		{ "start 1 count 0", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, 0 },
		{ "start 2 count 0", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 2, 0 },
		{ "mask count 0", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_MASK, 0, 0, 0 },
		{ "mask edge", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_MASK, 1, 0, 1 },
		{ "unmask edge", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_UNMASK, 1, 0, 1 },
		{ "no action", VFIO_IRQ_SET_DATA_NONE, 0, 0, 1 },
		{ "two actions", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1 },
		{ "two data types", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1 },
		{ "unknown flag", VFIO_IRQ_SET_DATA_NONE |
		  VFIO_IRQ_SET_ACTION_TRIGGER | 0x40, 0, 0, 1 },
		{ "eventfd, no data", VFIO_IRQ_SET_DATA_EVENTFD |
		  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1 },
	};
	struct vfio_irq_set hdr;
	unsigned int i;
	char call[96];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		hdr = (struct vfio_irq_set){
			.argsz = sizeof(hdr), .flags = cases[i].flags,
			.index = cases[i].index, .start = cases[i].start,
			.count = cases[i].count,
		};
		snprintf(call, sizeof(call), "VFIO_DEVICE_SET_IRQS(%s)",
			 cases[i].name);
		out("%s = %s", call, rv(ioctl(d->v.device,
					      VFIO_DEVICE_SET_IRQS, &hdr)));
	}
	expect("VFIO_DEVICE_SET_IRQS(bad eventfd)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
			     (int32_t[]){ 1000 }), -EBADF);
}

static void dma_go(struct dev *d, uint64_t iova, uint32_t local,
		   uint32_t len, uint32_t ctrl)
{
	wr32(d, 0, DMA_IOVA, (uint32_t)iova);
	wr32(d, 0, DMA_IOVA + 4, iova >> 32);
	wr32(d, 0, DMA_LOCAL, local);
	wr32(d, 0, DMA_LEN, len);
	wr32(d, 0, DMA_CTRL, ctrl | DMA_GO);
}

/*
 * The must-show flow: fill the mapped RAM window, let the device copy it
 * into MAP_DMA'd memory, take its level interrupt, acknowledge it at the
 * device and unmask by eventfd.
 */
static void dma_flow(struct dev *d)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = IOVA, .size = 4096,
	};
	int efd = eventfd(0, EFD_NONBLOCK), ufd = eventfd(0, EFD_NONBLOCK);
	uint8_t *buf, *ram;
	uint64_t one = 1;
	int i, same;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	map.vaddr = (uintptr_t)buf;
	expect("VFIO_IOMMU_MAP_DMA", ioctl(d->v.container, VFIO_IOMMU_MAP_DMA,
					   &map), 0);
	ram = mmap(NULL, d->size[1], PROT_READ | PROT_WRITE, MAP_SHARED,
		   d->v.device, d->offset[1]);
	expect("mmap(1, shared)", ram == MAP_FAILED ? -1 : 0, 0);
	expect("mmap(0, shared)",
	       mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->v.device,
		    d->offset[0]) == MAP_FAILED ? -1 : 0, -EINVAL);
	expect("mmap(1, private)",
	       mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, d->v.device,
		    d->offset[1]) == MAP_FAILED ? -1 : 0, -EINVAL);
	expect("mmap(1, past the end)",
	       mmap(NULL, 8192, PROT_READ, MAP_SHARED, d->v.device,
		    d->offset[1] + d->size[1] - 4096) == MAP_FAILED ? -1 : 0,
	       -EINVAL);
	if (ram == MAP_FAILED || buf == MAP_FAILED)
		return;
	for (i = 0; i < 256; i++)
		ram[0x1000 + i] = i ^ 0x5a;

	expect("SET_IRQS(0, TRIGGER, eventfd)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, &efd), 0);
	expect("SET_IRQS(0, UNMASK, eventfd)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, &ufd), 0);
	dma_go(d, IOVA + 16, 0x1000, 256, DMA_TO_BUS);
	out("DMA(local -> iova) interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	out("  status = %#x", rd32(d, 0, DMA_STATUS));
	same = !memcmp(buf + 16, ram + 0x1000, 256);
	expect("  memory holds the local data", same ? 0 : -1, 0);
	/* Not acknowledged: the unmask lets the level in again. */
	check(write(ufd, &one, sizeof(one)));
	out("  unmask while asserted: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	wr32(d, 0, DMA_STATUS, DMA_DONE);
	check(write(ufd, &one, sizeof(one)));
	out("  acknowledged, unmasked: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 200));

	/* A second copy, the other way, and a fault past the mapping. */
	memset(buf, 0xc3, 64);
	dma_go(d, IOVA, 0x2000, 64, 0);
	out("DMA(iova -> local) interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	out("  status = %#x local = %02x", rd32(d, 0, DMA_STATUS),
	    ram[0x2000 + 63]);
	wr32(d, 0, DMA_STATUS, DMA_DONE);
	check(write(ufd, &one, sizeof(one)));
	dma_go(d, IOVA + 4096, 0, 4, 0);
	out("DMA(unmapped iova) interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	out("  status = %#x fault = %#x", rd32(d, 0, DMA_STATUS),
	    rd32(d, 0, DMA_FAULT));
	wr32(d, 0, DMA_STATUS, DMA_ERROR);
	check(write(ufd, &one, sizeof(one)));

	expect("SET_IRQS(0, MASK)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1, NULL), 0);
	dma_go(d, IOVA, 0, 0, 0);
	out("DMA while masked: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 200));
	expect("SET_IRQS(0, UNMASK)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, NULL), 0);
	out("  unmasked: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	wr32(d, 0, DMA_STATUS, DMA_DONE);
	expect("SET_IRQS(0, TRIGGER, count 0)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 0, NULL), 0);

	munmap(ram, d->size[1]);
	munmap(buf, 4096);
	close(efd);
	close(ufd);
}

static void edge_flow(struct dev *d, uint32_t index, uint32_t edge_reg)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	expect("SET_IRQS(edge, TRIGGER, eventfd)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 1, &efd),
	       0);
	wr32(d, 0, edge_reg, 1);
	wr32(d, 0, edge_reg, 1);
	usleep(20000);
	out("two edges: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	expect("SET_IRQS(edge, TRIGGER, none)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 1, NULL),
	       0);
	out("  loopback: interrupts = %llu",
	    (unsigned long long)eventfd_wait(efd, 1000));
	expect("SET_IRQS(edge, TRIGGER, fd -1)",
	       vfio_set_irqs(d->v.device, VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 1,
			     (int32_t[]){ -1 }), 0);
	close(efd);
}

static void run(struct dev *d)
{
	char node[256], path[512];

	out("== %s", d->compatible);
	if (find_device(d->compatible, d->name, sizeof(d->name))) {
		out("no device for %s", d->compatible);
		failures++;
		return;
	}
	out("device %s", d->name);
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/of_node",
		 d->name);
	if (!link_tail(path, node, sizeof(node)))
		out("  of_node %s", node);
	expect("bind(vfio-platform)", bind_platform(d->name), 0);
	if (open_device(d))
		return;
	info(d);
	region_access(d, strcmp(d->compatible, "uvfio-sim,dma") ? REGS_SCRATCH :
		  DMA_SCRATCH);
	if (!strcmp(d->compatible, "uvfio-sim,dma")) {
		set_irqs_refused(d);
		dma_flow(d);
		edge_flow(d, 1, DMA_DOORBELL);
	} else {
		edge_flow(d, 0, REGS_EDGE);
	}
	out("VFIO_DEVICE_RESET(%s) = %s", d->name,
	    rv(ioctl(d->v.device, VFIO_DEVICE_RESET)));
	vfio_dev_close(&d->v);
}

int main(void)
{
	struct dev devs[] = {
		{ .compatible = "uvfio-sim,dma" },
		{ .compatible = "uvfio-sim,regs" },
	};
	unsigned int i;

	if (client_start())
		return 1;
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		run(&devs[i]);
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
