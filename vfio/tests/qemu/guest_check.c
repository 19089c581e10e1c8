// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of make qemu: runs in a Debian guest that QEMU, itself a
 * VFIO client of the UML kernel, boots with the simulated functions
 * assigned. The guest has an IOMMU (QEMU's intel-iommu), so it drives the
 * functions through its own Linux VFIO (type1): what it sees went through
 * QEMU's vfio-pci and the UML kernel's VFIO twice over, guest DMA
 * mappings included (QEMU turns each into a MAP_DMA on the UML side).
 *
 * For each function of the simulated vendor (1234:51xx): the IDs, class,
 * BARs, ROM and capability chain as the guest's PCI core sees them; the
 * regions and interrupts its vfio-pci reports; then by model: registers,
 * RAM BARs through read/write and mmap, the ROM image, INTx (masked by
 * vfio until unmasked), MSI vectors, MSI-X vectors, and the DMA engine
 * copying guest memory (completion by MSI-X, MSI and INTx; a fault on an
 * address the guest did not map, and after it unmapped one).
 *
 * One line per check, "CHECK = result"; output to VFIO_FLOW_OUT (the second
 * serial port); the exit status is 0 when every check holds.
 */
#include "../user/client.h"
#include "../user/sim_regs.h"

#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <linux/pci_regs.h>

#define RAM_BAR		2	/* of the register file; the ram model's is 0 */

#define PAGE		4096
#define IOVA_BUF	0x10000000ULL	/* where the guest maps its buffer */
#define IOVA_NONE	0x20000000ULL	/* never mapped */

/* How long an interrupt is waited for, and one that must not come. */
#define WAIT_MS		3000
#define QUIET_MS	300

struct gdev {
	const char *bdf;
	unsigned int device;
	struct vfio_dev v;
};

static uint64_t region_off[VFIO_PCI_NUM_REGIONS];

static unsigned int sysfs_hex(const char *bdf, const char *attr)
{
	char path[256], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f)
		return ~0u;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoul(buf, NULL, 16);
}

/* Check @what: prints it with ok or the value that was wrong. */
static void check_eq(const char *what, unsigned long long got,
		     unsigned long long want)
{
	if (got == want) {
		out("%s = ok", what);
		return;
	}
	out("%s = 0x%llx, expected 0x%llx", what, got, want);
	failures++;
}

/* The PCI core's view: IDs, BARs and ROM from sysfs, capability chains. */
static void enumerate(struct gdev *g)
{
	static const char *const attrs[] = {
		"vendor", "device", "subsystem_vendor", "subsystem_device",
		"class", "revision",
	};
	unsigned long long start, end, flags;
	unsigned char cfg[4096];
	char path[256], line[128];
	unsigned int i, pos, n;
	FILE *f;
	int fd;

	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		out("%s %s = 0x%x", g->bdf, attrs[i], sysfs_hex(g->bdf, attrs[i]));

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", g->bdf);
	f = fopen(path, "r");
	for (i = 0; f && fgets(line, sizeof(line), f) && i < 7; i++) {
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 ||
		    !end)
			continue;
		/* IORESOURCE_IO, _MEM, _PREFETCH, _MEM_64 */
		out("%s %s%u = size 0x%llx flags 0x%llx", g->bdf,
		    i == 6 ? "ROM" : "BAR", i == 6 ? 0 : i, end - start + 1,
		    flags & 0x00102300);
	}
	if (f)
		fclose(f);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", g->bdf);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? 0 : read(fd, cfg, sizeof(cfg));
	if (fd >= 0)
		close(fd);
	out("%s config size = %u", g->bdf, n);
	if (n < 256)
		return;
	check_eq("interrupt pin", cfg[PCI_INTERRUPT_PIN],
		 g->device == SIM_RAM ? 0 : 1);
	for (pos = cfg[PCI_CAPABILITY_LIST], i = 0; pos && i < 48; i++) {
		out("%s cap 0x%02x at 0x%02x", g->bdf, cfg[pos], pos);
		pos = cfg[pos + 1] & ~3;
	}
	for (pos = 0x100, i = 0; n > 0x100 && pos >= 0x100 && i < 48; i++) {
		uint32_t hdr = cfg[pos] | cfg[pos + 1] << 8 |
			       cfg[pos + 2] << 16 | (uint32_t)cfg[pos + 3] << 24;

		if (!hdr)
			break;
		out("%s ecap 0x%04x v%u at 0x%03x", g->bdf, hdr & 0xffff,
		    (hdr >> 16) & 0xf, pos);
		pos = hdr >> 20;
	}
}

/* The guest's vfio-pci: device, region and interrupt info. */
static int open_vfio(struct gdev *g)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	unsigned int i;

	if (bind_driver(g->bdf, "vfio-pci")) {
		out("bind(%s, vfio-pci) failed", g->bdf);
		failures++;
		return -1;
	}
	if (vfio_dev_open(g->bdf, &g->v))
		return -1;
	expect("VFIO_DEVICE_GET_INFO", ioctl(g->v.device, VFIO_DEVICE_GET_INFO,
					     &info), 0);
	out("flags 0x%x regions %u irqs %u", info.flags, info.num_regions,
	    info.num_irqs);
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };

		if (ioctl(g->v.device, VFIO_DEVICE_GET_REGION_INFO, &r))
			continue;
		region_off[i] = r.offset;
		if (r.size)
			out("region %u size 0x%llx flags 0x%x", i, r.size,
			    r.flags);
	}
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		struct vfio_irq_info r = { .argsz = sizeof(r), .index = i };

		if (!ioctl(g->v.device, VFIO_DEVICE_GET_IRQ_INFO, &r))
			out("irq %u count %u flags 0x%x", i, r.count, r.flags);
	}
	return 0;
}

static uint32_t bar_read32(struct gdev *g, uint64_t off)
{
	return sim_read32(g->v.device, region_off[0] + off);
}

static void bar_write32(struct gdev *g, uint64_t off, uint32_t v)
{
	if (sim_write32(g->v.device, region_off[0] + off, v))
		failures++;
}

/* Memory and Bus Master on: a message interrupt is a write the function masters. */
static void bus_master(struct gdev *g)
{
	check_eq("bus master enable", pwrite(g->v.device, "\x06\x00", 2,
		 region_off[VFIO_PCI_CONFIG_REGION_INDEX] + PCI_COMMAND), 2);
}

static int new_eventfd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	if (efd < 0)
		failures++;
	return efd;
}

static long set_irqs(struct gdev *g, uint32_t flags, uint32_t index,
		     uint32_t count, const int32_t *fds)
{
	struct {
		struct vfio_irq_set set;
		int32_t fds[8];
	} req = {
		.set = {
			.argsz = sizeof(req.set) +
				 (flags & VFIO_IRQ_SET_DATA_EVENTFD ?
				  count * sizeof(int32_t) : 0),
			.flags = flags, .index = index, .count = count,
		},
	};

	if (fds)
		memcpy(req.fds, fds, count * sizeof(int32_t));
	return ioctl(g->v.device, VFIO_DEVICE_SET_IRQS, &req);
}

static long irqs_eventfds(struct gdev *g, uint32_t index, uint32_t count,
			  const int32_t *fds)
{
	return set_irqs(g, VFIO_IRQ_SET_DATA_EVENTFD |
			VFIO_IRQ_SET_ACTION_TRIGGER, index, count, fds);
}

static long irqs_disable(struct gdev *g, uint32_t index)
{
	return set_irqs(g, VFIO_IRQ_SET_DATA_NONE |
			VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, NULL);
}

static long intx_unmask(struct gdev *g)
{
	return set_irqs(g, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			VFIO_PCI_INTX_IRQ_INDEX, 1, NULL);
}

static void registers(struct gdev *g, uint32_t id)
{
	check_eq("BAR0 ID register", bar_read32(g, REG_ID), id);
	bar_write32(g, REG_SCRATCH, 0x5a5aa5a5);
	check_eq("BAR0 scratch register", bar_read32(g, REG_SCRATCH),
		 0x5a5aa5a5);
	bar_write32(g, REG_ID, 0);
	check_eq("BAR0 ID register after a write", bar_read32(g, REG_ID), id);
}

/* A RAM BAR through the region and through an mmap of it. */
static void ram_bar(struct gdev *g, unsigned int bar)
{
	struct vfio_region_info r = { .argsz = sizeof(r), .index = bar };
	unsigned int i, bad = 0;
	uint32_t *buf, *map;

	if (ioctl(g->v.device, VFIO_DEVICE_GET_REGION_INFO, &r) || !r.size) {
		out("RAM BAR region = missing");
		failures++;
		return;
	}
	buf = malloc(r.size);
	for (i = 0; i < r.size / 4; i++)
		buf[i] = i * 0x9e3779b9u;
	check_eq("RAM BAR pwrite", pwrite(g->v.device, buf, r.size, r.offset),
		 r.size);
	map = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   g->v.device, r.offset);
	check_eq("RAM BAR mmap", map == MAP_FAILED, 0);
	if (map == MAP_FAILED) {
		free(buf);
		return;
	}
	for (i = 0; i < r.size / 4; i++)
		bad += map[i] != buf[i];
	check_eq("RAM BAR read through mmap", bad, 0);
	for (i = 0; i < r.size / 4; i++)
		map[i] = ~buf[i];
	memset(buf, 0, r.size);
	check_eq("RAM BAR pread", pread(g->v.device, buf, r.size, r.offset),
		 r.size);
	for (bad = 0, i = 0; i < r.size / 4; i++)
		bad += buf[i] != ~(i * 0x9e3779b9u);
	check_eq("RAM BAR written through mmap", bad, 0);
	munmap(map, r.size);
	free(buf);
}

/* The ROM image: signature, checksum, PCI data structure with our IDs. */
static void rom(struct gdev *g)
{
	unsigned char img[512];
	unsigned int i, sum = 0, pcir;

	check_eq("ROM pread", pread(g->v.device, img, sizeof(img),
				    region_off[VFIO_PCI_ROM_REGION_INDEX]),
		 sizeof(img));
	check_eq("ROM signature", img[0] | img[1] << 8, 0xaa55);
	for (i = 0; i < sizeof(img); i++)
		sum += img[i];
	check_eq("ROM checksum", sum & 0xff, 0);
	pcir = img[0x18] | img[0x19] << 8;
	if (pcir > sizeof(img) - 8)
		pcir = 0;
	check_eq("ROM PCIR signature", !memcmp(img + pcir, "PCIR", 4), 1);
	check_eq("ROM PCIR vendor", img[pcir + 4] | img[pcir + 5] << 8,
		 SIM_VENDOR);
	check_eq("ROM PCIR device", img[pcir + 6] | img[pcir + 7] << 8,
		 g->device);
}

/* INTx raised by the register file: masked until unmasked, then again. */
static void intx_regfile(struct gdev *g)
{
	int32_t efd = new_eventfd();

	check_eq("INTx eventfd", irqs_eventfds(g, VFIO_PCI_INTX_IRQ_INDEX, 1,
					       &efd), 0);
	bar_write32(g, REG_INTX, 1);
	check_eq("INTx raised: signalled", eventfd_wait(efd, WAIT_MS) > 0, 1);
	check_eq("INTx still asserted, masked: quiet",
		 eventfd_wait(efd, QUIET_MS), 0);
	bar_write32(g, REG_INTX, 0);
	check_eq("INTx unmask", intx_unmask(g), 0);
	check_eq("INTx deasserted, unmasked: quiet", eventfd_wait(efd, QUIET_MS),
		 0);
	bar_write32(g, REG_INTX, 1);
	check_eq("INTx raised again: signalled", eventfd_wait(efd, WAIT_MS) > 0,
		 1);
	bar_write32(g, REG_INTX, 0);
	intx_unmask(g);
	check_eq("INTx disable", irqs_disable(g, VFIO_PCI_INTX_IRQ_INDEX), 0);
	close(efd);
}

/* Each MSI vector of the register file signals its own eventfd only. */
static void msi_regfile(struct gdev *g)
{
	int32_t efd[4];
	unsigned int i, j;
	char what[64];

	for (i = 0; i < 4; i++)
		efd[i] = new_eventfd();
	bus_master(g);
	check_eq("MSI eventfds (4)", irqs_eventfds(g, VFIO_PCI_MSI_IRQ_INDEX,
						   4, efd), 0);
	for (i = 0; i < 4; i++) {
		bar_write32(g, REG_MSI, i);
		snprintf(what, sizeof(what), "MSI vector %u: signalled", i);
		check_eq(what, eventfd_wait(efd[i], WAIT_MS), 1);
		for (j = 0; j < 4; j++) {
			if (j == i)
				continue;
			snprintf(what, sizeof(what),
				 "MSI vector %u: vector %u quiet", i, j);
			check_eq(what, eventfd_wait(efd[j], 0), 0);
		}
	}
	check_eq("MSI disable", irqs_disable(g, VFIO_PCI_MSI_IRQ_INDEX), 0);
	for (i = 0; i < 4; i++)
		close(efd[i]);
}

static uint32_t dma_copy(struct gdev *g, uint64_t src, uint64_t dst,
			 uint32_t len, uint32_t vector)
{
	return sim_dma_copy(g->v.device, region_off[0], src, dst, len, vector);
}

static void dma_clear(struct gdev *g)
{
	sim_dma_clear(g->v.device, region_off[0]);
}

static void dma_engine(struct gdev *g)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .iova = IOVA_BUF, .size = 2 * PAGE,
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = IOVA_BUF, .size = 2 * PAGE,
	};
	int32_t efd[4];
	unsigned char *buf;
	unsigned int i;

	buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		failures++;
		return;
	}
	map.vaddr = (uintptr_t)buf;
	check_eq("MAP_DMA of the guest buffer",
		 ioctl(g->v.container, VFIO_IOMMU_MAP_DMA, &map), 0);
	for (i = 0; i < PAGE; i++)
		buf[i] = i * 7 + 3;
	memset(buf + PAGE, 0, PAGE);
	bus_master(g);

	for (i = 0; i < 4; i++)
		efd[i] = new_eventfd();
	check_eq("MSI-X eventfds (4)", irqs_eventfds(g, VFIO_PCI_MSIX_IRQ_INDEX,
						     4, efd), 0);
	check_eq("copy, MSI-X vector 2: status",
		 dma_copy(g, IOVA_BUF, IOVA_BUF + PAGE, PAGE, 2), DMA_DONE);
	check_eq("copy, MSI-X vector 2: signalled", eventfd_wait(efd[2], WAIT_MS),
		 1);
	check_eq("copy, MSI-X vector 2: vector 1 quiet", eventfd_wait(efd[1], 0),
		 0);
	check_eq("copy: guest memory copied",
		 memcmp(buf, buf + PAGE, PAGE), 0);
	dma_clear(g);

	check_eq("copy from an address never mapped: status",
		 dma_copy(g, IOVA_NONE, IOVA_BUF + PAGE, 64, 0), DMA_ERROR);
	check_eq("copy from an address never mapped: fault address",
		 bar_read32(g, DMA_FAULT), (uint32_t)IOVA_NONE);
	check_eq("fault: MSI-X vector 0 signalled", eventfd_wait(efd[0], WAIT_MS),
		 1);
	dma_clear(g);
	check_eq("MSI-X disable", irqs_disable(g, VFIO_PCI_MSIX_IRQ_INDEX), 0);

	check_eq("MSI eventfd", irqs_eventfds(g, VFIO_PCI_MSI_IRQ_INDEX, 1,
					      efd), 0);
	memset(buf + PAGE, 0, PAGE);
	check_eq("copy, MSI: status",
		 dma_copy(g, IOVA_BUF, IOVA_BUF + PAGE, 256, 0), DMA_DONE);
	check_eq("copy, MSI: signalled", eventfd_wait(efd[0], WAIT_MS), 1);
	check_eq("copy, MSI: guest memory copied",
		 memcmp(buf, buf + PAGE, 256), 0);
	dma_clear(g);
	check_eq("MSI disable", irqs_disable(g, VFIO_PCI_MSI_IRQ_INDEX), 0);

	check_eq("INTx eventfd", irqs_eventfds(g, VFIO_PCI_INTX_IRQ_INDEX, 1,
					       efd + 1), 0);
	check_eq("copy, INTx: status",
		 dma_copy(g, IOVA_BUF + PAGE, IOVA_BUF, 128, 0), DMA_DONE);
	check_eq("copy, INTx: signalled", eventfd_wait(efd[1], WAIT_MS) > 0, 1);
	dma_clear(g);
	check_eq("INTx unmask", intx_unmask(g), 0);
	check_eq("INTx: status cleared, quiet", eventfd_wait(efd[1], QUIET_MS), 0);
	check_eq("INTx disable", irqs_disable(g, VFIO_PCI_INTX_IRQ_INDEX), 0);

	check_eq("UNMAP_DMA of the guest buffer",
		 ioctl(g->v.container, VFIO_IOMMU_UNMAP_DMA, &unmap), 0);
	check_eq("unmapped size", unmap.size, 2 * PAGE);
	check_eq("copy after the unmap: status",
		 dma_copy(g, IOVA_BUF, IOVA_BUF + PAGE, 64, 0), DMA_ERROR);
	dma_clear(g);
	for (i = 0; i < 4; i++)
		close(efd[i]);
	munmap(buf, 2 * PAGE);
}

static void check_function(const char *bdf)
{
	struct gdev g = { .bdf = bdf, .device = sysfs_hex(bdf, "device") };

	out("== %s %04x", bdf, g.device);
	enumerate(&g);
	if (open_vfio(&g))
		return;
	switch (g.device) {
	case SIM_REGFILE:
		registers(&g, REGFILE_ID);
		intx_regfile(&g);
		msi_regfile(&g);
		ram_bar(&g, RAM_BAR);
		rom(&g);
		break;
	case SIM_MFD:
		registers(&g, REGFILE_ID);
		intx_regfile(&g);
		break;
	case SIM_RAM:
		ram_bar(&g, 0);
		break;
	case SIM_DMA:
		check_eq("BAR0 ID register", bar_read32(&g, REG_ID),
			 DMA_ID_VALUE);
		dma_engine(&g);
		break;
	}
	vfio_dev_close(&g.v);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(void)
{
	struct dirent **names;
	int i, n, found = 0;

	if (client_start())
		return 1;
	n = scandir("/sys/bus/pci/devices", &names, NULL, by_name);
	for (i = 0; i < n; i++) {
		const char *bdf = names[i]->d_name;

		if (bdf[0] != '.' && sysfs_hex(bdf, "vendor") == SIM_VENDOR &&
		    (sysfs_hex(bdf, "device") & 0xff00) == 0x5100) {
			check_function(bdf);
			found++;
		}
		free(names[i]);
	}
	free(names);
	out("functions = %d", found);
	if (!found)
		failures++;
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
