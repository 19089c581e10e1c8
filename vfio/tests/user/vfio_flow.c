// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO flow of Documentation/driver-api/vfio.rst, from userspace,
 * against the uAPI header only: bind a simulated function to vfio-pci
 * through driver_override, then container, API version, extensions, group
 * status, SET_CONTAINER, SET_IOMMU, IOMMU info, MAP_DMA, the device fd,
 * device/region/IRQ info, config space, a DMA by the simulated DMA engine
 * into the mapped buffer, RESET, and the teardown.
 *
 * Every call prints one line in a stable, diffable form:
 *   CALL(arguments) = return value or -ERRNO {output fields}
 * with nothing that changes between boots or kernels by chance (no fd
 * numbers, no addresses of ours), so that the output of two kernels can be
 * compared with diff. The exit status is 0 when the whole flow worked.
 *
 * usage: vfio_flow [BDF]   (default 0000:40:00.0, the simulated DMA engine)
 * With VFIO_FLOW_OUT=<file> the lines go to that file (client.h).
 */
#include "client.h"
#include "sim_regs.h"

#include <stdint.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#define IOVA		0x100000ULL
#define BUF_SIZE	0x100000ULL

static int bind_vfio(const char *bdf)
{
	char path[256], drv[64];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (!link_tail(path, drv, sizeof(drv))) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver/unbind", bdf);
		write_sysfs(path, bdf);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 bdf);
	ret = write_sysfs(path, "vfio-pci");
	out("write(driver_override, vfio-pci) = %s", rv(ret));
	ret = write_sysfs("/sys/bus/pci/drivers_probe", bdf);
	out("write(drivers_probe, %s) = %s", bdf, rv(ret));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (link_tail(path, drv, sizeof(drv)))
		snprintf(drv, sizeof(drv), "none");
	out("driver(%s) = %s", bdf, drv);
	return strcmp(drv, "vfio-pci") ? -1 : 0;
}

static void extensions(int container)
{
	static const struct {
		const char *name;
		int ext;
	} exts[] = {
		{ "VFIO_TYPE1_IOMMU", VFIO_TYPE1_IOMMU },
		{ "VFIO_SPAPR_TCE_IOMMU", VFIO_SPAPR_TCE_IOMMU },
		{ "VFIO_TYPE1v2_IOMMU", VFIO_TYPE1v2_IOMMU },
		{ "VFIO_DMA_CC_IOMMU", VFIO_DMA_CC_IOMMU },
		{ "VFIO_EEH", VFIO_EEH },
		{ "VFIO_TYPE1_NESTING_IOMMU", VFIO_TYPE1_NESTING_IOMMU },
		{ "VFIO_SPAPR_TCE_v2_IOMMU", VFIO_SPAPR_TCE_v2_IOMMU },
		{ "VFIO_NOIOMMU_IOMMU", VFIO_NOIOMMU_IOMMU },
		{ "VFIO_UNMAP_ALL", VFIO_UNMAP_ALL },
		{ "VFIO_UPDATE_VADDR", VFIO_UPDATE_VADDR },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exts); i++)
		out("VFIO_CHECK_EXTENSION(%s) = %s", exts[i].name,
		    rv(ioctl(container, VFIO_CHECK_EXTENSION, exts[i].ext)));
}

static void group_status(int group)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	long ret = check(ioctl(group, VFIO_GROUP_GET_STATUS, &st));

	out("VFIO_GROUP_GET_STATUS = %s {flags=%#x}", rv(ret), st.flags);
}

static void iommu_info(int container)
{
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header *hdr;
	size_t argsz = sizeof(*info);
	long ret;

	info = calloc(1, argsz);
	info->argsz = argsz;
	ret = check(ioctl(container, VFIO_IOMMU_GET_INFO, info));
	out("VFIO_IOMMU_GET_INFO(argsz=%zu) = %s {argsz=%u flags=%#x iova_pgsizes=%#llx cap_offset=%u}",
	    argsz, rv(ret), info->argsz, info->flags,
	    (unsigned long long)info->iova_pgsizes, info->cap_offset);
	if (ret < 0 || info->argsz <= argsz)
		goto done;

	argsz = info->argsz;
	info = realloc(info, argsz);
	memset(info, 0, argsz);
	info->argsz = argsz;
	ret = check(ioctl(container, VFIO_IOMMU_GET_INFO, info));
	out("VFIO_IOMMU_GET_INFO(argsz=%zu) = %s {flags=%#x cap_offset=%u}",
	    argsz, rv(ret), info->flags, info->cap_offset);
	if (ret < 0 || !(info->flags & VFIO_IOMMU_INFO_CAPS))
		goto done;
	hdr = (void *)info + info->cap_offset;
	for (;;) {
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			struct vfio_iommu_type1_info_cap_iova_range *r =
				(void *)hdr;
			unsigned int i;

			out("  cap IOVA_RANGE v%u nr=%u", hdr->version,
			    r->nr_iovas);
			for (i = 0; i < r->nr_iovas; i++)
				out("    [%#llx-%#llx]",
				    (unsigned long long)r->iova_ranges[i].start,
				    (unsigned long long)r->iova_ranges[i].end);
		} else if (hdr->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			out("  cap DMA_AVAIL v%u", hdr->version);
		} else {
			out("  cap id=%u v%u", hdr->id, hdr->version);
		}
		if (!hdr->next)
			break;
		hdr = (void *)info + hdr->next;
	}
done:
	free(info);
}

static const char *region_name(unsigned int i)
{
	static const char *const names[] = {
		"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM",
		"CONFIG", "VGA",
	};

	return i < ARRAY_SIZE(names) ? names[i] : "DEV";
}

static const char *irq_name(unsigned int i)
{
	static const char *const names[] = {
		"INTX", "MSI", "MSIX", "ERR", "REQ",
	};

	return i < ARRAY_SIZE(names) ? names[i] : "DEV";
}

/* Region offsets, kept for the accesses below. */
static unsigned long long region_offset[16];

static void regions(int device, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };
		long ret = ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri);

		/* VGA exists only for VGA devices: -EINVAL is an answer. */
		if (i != VFIO_PCI_VGA_REGION_INDEX)
			check(ret);

		if (i < 16)
			region_offset[i] = ri.offset;
		out("VFIO_DEVICE_GET_REGION_INFO(%u %s) = %s {argsz=%u flags=%#x cap_offset=%u size=%#llx offset=%#llx}",
		    i, region_name(i), rv(ret), ri.argsz, ri.flags,
		    ri.cap_offset, (unsigned long long)ri.size,
		    (unsigned long long)ri.offset);
	}
	/* One past the last index. */
	{
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = n };

		out("VFIO_DEVICE_GET_REGION_INFO(%u) = %s", n,
		    rv(ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri)));
	}
}

static void irqs(int device, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = i };
		long ret = check(ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &ii));

		out("VFIO_DEVICE_GET_IRQ_INFO(%u %s) = %s {flags=%#x count=%u}",
		    i, irq_name(i), rv(ret), ii.flags, ii.count);
	}
}

static void config_dump(int device)
{
	unsigned char cfg[256];
	unsigned long long off = region_offset[VFIO_PCI_CONFIG_REGION_INDEX];
	ssize_t n = pread(device, cfg, sizeof(cfg), off);
	int i;

	check(n);
	out("pread(CONFIG, 0, %zu) = %s", sizeof(cfg), rv(n));
	for (i = 0; n == sizeof(cfg) && i < (int)sizeof(cfg); i += 16) {
		char line[80];
		int j, len = 0;

		for (j = 0; j < 16; j++)
			len += snprintf(line + len, sizeof(line) - len, " %02x",
					cfg[i + j]);
		out("  %02x:%s", i, line);
	}
}

static int rw32(int device, int region, unsigned int reg, uint32_t *val,
		int write)
{
	unsigned long long off = region_offset[region] + reg;
	ssize_t n = write ? pwrite(device, val, 4, off) :
			    pread(device, val, 4, off);

	return n == 4 ? 0 : -1;
}

static void dma(int device, unsigned char *buf)
{
	uint32_t v;
	uint16_t cmd;
	ssize_t n;
	long ret;
	int i;

	for (i = 0; i < 4096; i++)
		buf[i] = i * 13;
	memset(buf + 0x10000, 0, 4096);

	/* Memory space and bus master on, through the config region. */
	n = pread(device, &cmd, 2, region_offset[VFIO_PCI_CONFIG_REGION_INDEX] +
		  4);
	cmd |= 0x6;
	n = check(pwrite(device, &cmd, 2,
			 region_offset[VFIO_PCI_CONFIG_REGION_INDEX] + 4));
	out("pwrite(CONFIG, COMMAND, MEMORY|MASTER) = %s", rv(n));

	v = IOVA;
	ret = rw32(device, 0, DMA_SRC, &v, 1);
	v = 0;
	ret |= rw32(device, 0, DMA_SRC + 4, &v, 1);
	v = IOVA + 0x10000;
	ret |= rw32(device, 0, DMA_DST, &v, 1);
	v = 0;
	ret |= rw32(device, 0, DMA_DST + 4, &v, 1);
	v = 4096;
	ret |= rw32(device, 0, DMA_LEN, &v, 1);
	v = 1;
	ret |= rw32(device, 0, DMA_DOORBELL, &v, 1);
	check(ret);
	out("pwrite(BAR0, SRC/DST/LEN/DOORBELL) = %s", rv(ret));
	ret = check(rw32(device, 0, DMA_STATUS, &v, 0));
	out("pread(BAR0, STATUS) = %s {status=%#x}", rv(ret), v);
	ret = memcmp(buf, buf + 0x10000, 4096) ? -1 : 0;
	if (ret)
		failures++;
	out("DMA(iova %#llx -> %#llx, 4096) %s", IOVA, IOVA + 0x10000,
	    ret ? "did not land in the user buffer" :
		  "landed in the user buffer");
}

static long set_irqs(int device, unsigned int index, unsigned int flags,
		     unsigned int start, unsigned int count, int fd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} req = {
		.set = {
			.argsz = sizeof(req.set) + (fd >= 0 ? sizeof(int32_t) : 0),
			.flags = flags,
			.index = index,
			.start = start,
			.count = count,
		},
		.fd = fd,
	};

	return ioctl(device, VFIO_DEVICE_SET_IRQS, &req);
}

static void irq_disable(int device, unsigned int index, const char *name)
{
	long ret = check(set_irqs(device, index, VFIO_IRQ_SET_DATA_NONE |
				  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, -1));

	out("VFIO_DEVICE_SET_IRQS(%s, disable) = %s", name, rv(ret));
}

/* How often an eventfd fired: 0 after a second without. */
static unsigned long long fired(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n = 0;

	if (poll(&p, 1, 1000) == 1 && read(efd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static void doorbell(int device, uint32_t vector)
{
	uint32_t v = vector;

	rw32(device, 0, DMA_VECTOR, &v, 1);
	v = 1;
	rw32(device, 0, DMA_DOORBELL, &v, 1);
}

/* Completion interrupts of the DMA engine through eventfds. */
static void interrupts(int device)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	uint32_t v = DMA_DONE;
	long ret;

	ret = check(set_irqs(device, VFIO_PCI_MSIX_IRQ_INDEX,
			     VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 2, 1, efd));
	out("VFIO_DEVICE_SET_IRQS(MSIX 2, eventfd) = %s", rv(ret));
	doorbell(device, 2);
	out("eventfd(MSIX 2) after DMA = %llu", fired(efd));
	irq_disable(device, VFIO_PCI_MSIX_IRQ_INDEX, "MSIX");
	rw32(device, 0, DMA_STATUS, &v, 1);

	ret = check(set_irqs(device, VFIO_PCI_INTX_IRQ_INDEX,
			     VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, efd));
	out("VFIO_DEVICE_SET_IRQS(INTX, eventfd) = %s", rv(ret));
	doorbell(device, 0);
	out("eventfd(INTX) after DMA = %llu", fired(efd));
	/* Masked by vfio until unmasked; ack at the device first. */
	doorbell(device, 0);
	out("eventfd(INTX) while masked = %llu", fired(efd));
	rw32(device, 0, DMA_STATUS, &v, 1);
	ret = check(set_irqs(device, VFIO_PCI_INTX_IRQ_INDEX,
			     VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			     0, 1, -1));
	out("VFIO_DEVICE_SET_IRQS(INTX, unmask) = %s", rv(ret));
	doorbell(device, 0);
	out("eventfd(INTX) after unmask and DMA = %llu", fired(efd));
	rw32(device, 0, DMA_STATUS, &v, 1);
	irq_disable(device, VFIO_PCI_INTX_IRQ_INDEX, "INTX");
	close(efd);
}

/* Bad input that must be refused with upstream's errno. */
static void probes(int container, int device)
{
	struct vfio_device_info di = { .argsz = 4 };
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = 100 };
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = 5 };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .vaddr = 0x10000, .size = 0x1000,
		.iova = 0x1234, .flags = VFIO_DMA_MAP_FLAG_READ,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = 0x40000000, .size = 0x1000,
	};
	unsigned char b;

	out("VFIO_DEVICE_GET_INFO(argsz=4) = %s",
	    rv(ioctl(device, VFIO_DEVICE_GET_INFO, &di)));
	out("VFIO_DEVICE_GET_REGION_INFO(100) = %s",
	    rv(ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri)));
	ri.argsz = 8;
	ri.index = 0;
	out("VFIO_DEVICE_GET_REGION_INFO(argsz=8) = %s",
	    rv(ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri)));
	out("VFIO_DEVICE_GET_IRQ_INFO(5) = %s",
	    rv(ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &ii)));
	out("VFIO_DEVICE_SET_IRQS(MSIX 3+2) = %s",
	    rv(set_irqs(device, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			3, 2, -1)));
	out("VFIO_DEVICE_SET_IRQS(two actions) = %s",
	    rv(set_irqs(device, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER |
			VFIO_IRQ_SET_ACTION_MASK, 0, 1, -1)));
	out("VFIO_DEVICE_SET_IRQS(index 9) = %s",
	    rv(set_irqs(device, 9, VFIO_IRQ_SET_DATA_NONE |
			VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, -1)));
	out("pread(BAR0, past the end) = %s",
	    rv(pread(device, &b, 1, region_offset[0] + 0x1000)));
	out("pread(BAR1, empty) = %s",
	    rv(pread(device, &b, 1, region_offset[1])));
	out("VFIO_IOMMU_MAP_DMA(unaligned iova) = %s",
	    rv(ioctl(container, VFIO_IOMMU_MAP_DMA, &map)));
	out("VFIO_IOMMU_UNMAP_DMA(nothing mapped) = %s {size=%#llx}",
	    rv(ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)),
	    (unsigned long long)unmap.size);
}

int main(int argc, char **argv)
{
	const char *bdf = argc > 1 ? argv[1] : "0000:40:00.0";
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	int container, group, device, gnum;
	char path[64];
	unsigned char *buf;
	uint32_t v;
	long ret;

	(void)st;
	if (client_start())
		return 1;
	if (bind_vfio(bdf))
		failures++;
	gnum = group_of(bdf);
	out("iommu_group(%s) = %s", bdf, gnum < 0 ? "none" : "ok");

	container = open("/dev/vfio/vfio", O_RDWR);
	out("open(/dev/vfio/vfio) = %s", rv(container < 0 ? -1 : 0));
	if (container < 0)
		return 1;
	out("VFIO_GET_API_VERSION = %s",
	    rv(ioctl(container, VFIO_GET_API_VERSION)));
	extensions(container);

	snprintf(path, sizeof(path), "/dev/vfio/%d", gnum);
	group = open(path, O_RDWR);
	out("open(/dev/vfio/GROUP) = %s", rv(group < 0 ? -1 : 0));
	if (group < 0)
		return 1;
	group_status(group);
	/* Before SET_CONTAINER: no IOMMU yet, no device. */
	out("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU) before group = %s",
	    rv(ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)));
	out("VFIO_GROUP_GET_DEVICE_FD before container = %s",
	    rv(ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf)));

	ret = check(ioctl(group, VFIO_GROUP_SET_CONTAINER, &container));
	out("VFIO_GROUP_SET_CONTAINER = %s", rv(ret));
	group_status(group);
	ret = check(ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	out("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU) = %s", rv(ret));
	iommu_info(container);

	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	map.vaddr = (unsigned long)buf;
	map.size = BUF_SIZE;
	map.iova = IOVA;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	ret = check(ioctl(container, VFIO_IOMMU_MAP_DMA, &map));
	out("VFIO_IOMMU_MAP_DMA(iova=%#llx size=%#llx RW) = %s",
	    (unsigned long long)map.iova, (unsigned long long)map.size,
	    rv(ret));
	out("VFIO_IOMMU_MAP_DMA again = %s",
	    rv(ioctl(container, VFIO_IOMMU_MAP_DMA, &map)));

	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	check(device);
	out("VFIO_GROUP_GET_DEVICE_FD(%s) = %s", bdf, rv(device < 0 ? -1 : 0));
	if (device < 0)
		return 1;
	ret = check(ioctl(device, VFIO_DEVICE_GET_INFO, &di));
	out("VFIO_DEVICE_GET_INFO = %s {flags=%#x num_regions=%u num_irqs=%u}",
	    rv(ret), di.flags, di.num_regions, di.num_irqs);
	regions(device, di.num_regions);
	irqs(device, di.num_irqs);
	config_dump(device);
	dma(device, buf);
	interrupts(device);
	probes(container, device);

	ret = check(ioctl(device, VFIO_DEVICE_RESET));
	out("VFIO_DEVICE_RESET = %s", rv(ret));
	ret = check(rw32(device, 0, DMA_SRC, &v, 0));
	out("pread(BAR0, SRC) after reset = %s {src=%#x}", rv(ret), v);

	close(device);
	unmap.iova = IOVA;
	unmap.size = BUF_SIZE;
	ret = check(ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap));
	out("VFIO_IOMMU_UNMAP_DMA(iova=%#llx size=%#llx) = %s {size=%#llx}",
	    (unsigned long long)IOVA, (unsigned long long)BUF_SIZE, rv(ret),
	    (unsigned long long)unmap.size);
	ret = check(ioctl(group, VFIO_GROUP_UNSET_CONTAINER));
	out("VFIO_GROUP_UNSET_CONTAINER = %s", rv(ret));
	group_status(group);
	close(group);
	close(container);
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
