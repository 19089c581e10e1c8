// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci's device fd from userspace, written from the uAPI header and
 * compared between two kernels: device info, the info of every region
 * with the argsz rules of a capability chain, reads and writes of BARs
 * (register and RAM-backed), the ROM and config space at the encoded
 * offsets (every access size, across and past the end, empty and missing
 * regions), memory decode turned off under a read and under a mapping,
 * mmap of BARs (what is refused, what is mapped, the mapping taken away
 * by decode off and by a reset and faulted back in afterwards).
 *
 * One line per call, as CALL(arguments) = result {fields}; the exit
 * status is 0 when every call answered as the uAPI says.
 *
 * usage: vfio_pci [BDF...]  (default: one function of each model)
 */
#include "client.h"

#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#define REG_SCRATCH	0x40	/* plain storage in regfile and dma BAR0 */
#define RAM_BAR		2	/* the regfile's RAM-backed BAR */

static const char *const default_bdfs[] = {
	"0000:40:00.0",	/* dma: MSI-X table in BAR0, PCIe, FLR, AER */
	"0000:40:01.0",	/* regfile: RAM BAR2 (64-bit), ROM, MSI */
	"0000:40:02.0",	/* mfd: PM only, shares its group */
};

static const char *const group_mates[] = { "0000:40:02.1" };

static struct vfio_region_info regions[VFIO_PCI_NUM_REGIONS];

static const char *region_name(unsigned int i)
{
	static const char *const names[] = {
		"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM",
		"CONFIG", "VGA",
	};

	return i < ARRAY_SIZE(names) ? names[i] : "?";
}

static uint64_t off_of(unsigned int index, uint64_t off)
{
	return ((uint64_t)index << 40) + off;
}

/* Caught SIGBUS: a touch of a mapping with nothing behind it now. */
static sigjmp_buf touch_env;

static void on_sigbus(int sig)
{
	siglongjmp(touch_env, 1);
}

/* Read a byte of a mapping; -1 when the touch raised SIGBUS. */
static int touch(uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(touch_env, 1))
		ret = -1;
	else
		ret = __atomic_load_n(p, __ATOMIC_RELAXED);
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

static void device_info(int device)
{
	struct {
		struct vfio_device_info info;
		uint8_t more[64];
	} big = { .info.argsz = sizeof(big) };
	struct vfio_device_info info = {
		.argsz = offsetof(struct vfio_device_info, cap_offset),
	};
	long ret;

	ret = ioctl(device, VFIO_DEVICE_GET_INFO, &info);
	out("VFIO_DEVICE_GET_INFO(argsz=%zu) = %s {flags=%#x num_regions=%u num_irqs=%u}",
	    offsetof(struct vfio_device_info, cap_offset), rv(check(ret)),
	    info.flags, info.num_regions, info.num_irqs);
	big.info.cap_offset = 0x55;
	ret = ioctl(device, VFIO_DEVICE_GET_INFO, &big);
	out("VFIO_DEVICE_GET_INFO(argsz=%zu) = %s {argsz=%u flags=%#x cap_offset=%#x}",
	    sizeof(big), rv(check(ret)), big.info.argsz, big.info.flags,
	    big.info.cap_offset);
	info.argsz = offsetof(struct vfio_device_info, num_irqs);
	expect("VFIO_DEVICE_GET_INFO(argsz one short)",
	       ioctl(device, VFIO_DEVICE_GET_INFO, &info), -EINVAL);
	expect("VFIO_DEVICE_GET_INFO(bad pointer)",
	       ioctl(device, VFIO_DEVICE_GET_INFO, (void *)8), -EFAULT);
}

static void print_caps(const char *name, void *buf, uint32_t cap_offset)
{
	struct vfio_info_cap_header *hdr;
	unsigned int n = 0;

	for (; cap_offset && n < 8; cap_offset = hdr->next, n++) {
		hdr = (void *)((char *)buf + cap_offset);
		out("  %s cap at %u: id=%u version=%u next=%u", name,
		    cap_offset, hdr->id, hdr->version, hdr->next);
		if (hdr->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			struct vfio_region_info_cap_sparse_mmap *s =
				(void *)hdr;
			unsigned int i;

			for (i = 0; i < s->nr_areas && i < 8; i++)
				out("    area %u: offset=%#llx size=%#llx", i,
				    (unsigned long long)s->areas[i].offset,
				    (unsigned long long)s->areas[i].size);
		}
	}
}

static void region_infos(int device)
{
	struct {
		struct vfio_region_info info;
		uint8_t caps[256];
	} big;
	struct vfio_region_info *ri;
	unsigned int i;
	long ret;

	for (i = 0; i <= VFIO_PCI_NUM_REGIONS; i++) {
		/* Exactly the struct: a chain only says how much it needs. */
		ri = i < VFIO_PCI_NUM_REGIONS ? &regions[i] : &big.info;
		memset(ri, 0, sizeof(*ri));
		ri->argsz = sizeof(*ri);
		ri->index = i;
		ri->cap_offset = 0x77;
		ret = ioctl(device, VFIO_DEVICE_GET_REGION_INFO, ri);
		out("VFIO_DEVICE_GET_REGION_INFO(%u %s) = %s {argsz=%u flags=%#x cap_offset=%#x size=%#llx offset=%#llx}",
		    i, region_name(i), rv(ret), ri->argsz, ri->flags,
		    ri->cap_offset, (unsigned long long)ri->size,
		    (unsigned long long)ri->offset);
		if (ret || !(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
			continue;
		memset(&big, 0, sizeof(big));
		big.info.argsz = sizeof(big);
		big.info.index = i;
		ret = ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &big);
		out("VFIO_DEVICE_GET_REGION_INFO(%u %s, argsz=%zu) = %s {argsz=%u flags=%#x cap_offset=%#x}",
		    i, region_name(i), sizeof(big), rv(check(ret)),
		    big.info.argsz, big.info.flags, big.info.cap_offset);
		print_caps(region_name(i), &big, big.info.cap_offset);
	}
	memset(&big, 0, sizeof(big));
	big.info.argsz = offsetof(struct vfio_region_info, offset);
	expect("VFIO_DEVICE_GET_REGION_INFO(argsz one field short)",
	       ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &big), -EINVAL);
	big.info.argsz = sizeof(big.info);
	big.info.index = 0xffffffff;
	expect("VFIO_DEVICE_GET_REGION_INFO(index 0xffffffff)",
	       ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &big), -EINVAL);
	expect("VFIO_DEVICE_GET_REGION_INFO(bad pointer)",
	       ioctl(device, VFIO_DEVICE_GET_REGION_INFO, (void *)8), -EFAULT);
}

static void rd(int device, unsigned int index, uint64_t off, size_t len)
{
	uint8_t buf[4096];
	unsigned long long sum = 0;
	ssize_t n;
	int i;

	memset(buf, 0xa5, sizeof(buf));
	n = pread(device, buf, len, off_of(index, off));
	/*
	 * BAR2's address bits in config space: the RAM window it lives in
	 * is allocated at boot and moves between boots and kernels.
	 */
	if (index == VFIO_PCI_CONFIG_REGION_INDEX && off == 0 && n >= 0x20)
		memset(buf + 0x19, 0, 3);
	for (i = 0; i < n; i++)
		sum = sum * 31 + buf[i];
	if (n > 0 && n <= 8) {
		unsigned long long v = 0;

		memcpy(&v, buf, n);
		out("pread(%s, %#llx, %zu) = %s {%#llx}", region_name(index),
		    (unsigned long long)off, len, rv(n), v);
	} else {
		out("pread(%s, %#llx, %zu) = %s {hash %#llx}",
		    region_name(index), (unsigned long long)off, len, rv(n),
		    n > 0 ? sum : 0);
	}
}

static void wr(int device, unsigned int index, uint64_t off, size_t len,
	       uint64_t val)
{
	out("pwrite(%s, %#llx, %zu, %#llx) = %s", region_name(index),
	    (unsigned long long)off, len, (unsigned long long)val,
	    rv(pwrite(device, &val, len, off_of(index, off))));
}

static void set_memory(int device, int on)
{
	uint16_t cmd = 0;

	pread(device, &cmd, 2, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 4));
	cmd = on ? cmd | 2 : cmd & ~2;
	out("config command := %#x = %s", cmd,
	    rv(pwrite(device, &cmd, 2,
		      off_of(VFIO_PCI_CONFIG_REGION_INDEX, 4))));
}

static void bar_access(int device)
{
	unsigned int i;
	uint64_t size;

	for (i = 0; i <= VFIO_PCI_BAR5_REGION_INDEX; i++) {
		size = regions[i].size;
		if (!size) {
			rd(device, i, 0, 4);
			continue;
		}
		rd(device, i, 0, 4);
		wr(device, i, REG_SCRATCH, 8, 0x1122334455667788ULL);
		rd(device, i, REG_SCRATCH, 8);
		rd(device, i, REG_SCRATCH, 4);
		rd(device, i, REG_SCRATCH + 4, 4);
		rd(device, i, REG_SCRATCH + 1, 2);
		rd(device, i, REG_SCRATCH + 3, 1);
		rd(device, i, REG_SCRATCH + 1, 7);
		wr(device, i, REG_SCRATCH + 2, 2, 0xbeef);
		rd(device, i, REG_SCRATCH, 8);
		rd(device, i, 0, size < 4096 ? size : 4096);
		rd(device, i, size - 2, 8);
		rd(device, i, size, 1);
		rd(device, i, size + 4096, 1);
		rd(device, i, 0, 0);
		wr(device, i, size - 1, 2, 0x77);
	}
	/* The MSI-X table reads all ones and drops writes; the PBA does not. */
	if (regions[0].size >= 0x1000) {
		wr(device, 0, 0x800, 4, 0x12345678);
		rd(device, 0, 0x7fc, 8);
		rd(device, 0, 0x83c, 8);
		rd(device, 0, 0xc00, 8);
	}

	/* Decode off: the user's command register rules the BARs. */
	set_memory(device, 0);
	rd(device, 0, REG_SCRATCH, 4);
	wr(device, 0, REG_SCRATCH, 4, 1);
	rd(device, VFIO_PCI_CONFIG_REGION_INDEX, 0, 4);
	set_memory(device, 1);
	rd(device, 0, REG_SCRATCH, 4);
}

static void rom_access(int device)
{
	unsigned int rom = VFIO_PCI_ROM_REGION_INDEX;
	uint64_t size = regions[rom].size;

	rd(device, rom, 0, 2);
	rd(device, rom, 0, 4);
	rd(device, rom, 0, 512);
	rd(device, rom, 0x18, 8);
	rd(device, rom, 510, 4);
	if (size)
		rd(device, rom, size - 1, 4);
	rd(device, rom, size, 1);
	wr(device, rom, 0, 4, 0);
	set_memory(device, 0);
	rd(device, rom, 0, 4);
	set_memory(device, 1);
}

static void config_access(int device)
{
	unsigned int cfg = VFIO_PCI_CONFIG_REGION_INDEX;
	uint64_t size = regions[cfg].size;

	rd(device, cfg, 0, 1);
	rd(device, cfg, 0, 2);
	rd(device, cfg, 0, 4);
	rd(device, cfg, 0, 8);
	rd(device, cfg, 1, 3);
	rd(device, cfg, 0, 64);
	rd(device, cfg, 0, size);
	rd(device, cfg, size - 4, 4);
	rd(device, cfg, size - 2, 4);
	rd(device, cfg, size, 1);
	rd(device, cfg, 0x3d, 1);
	/* Interrupt line: virtualized, read back but never reaching hardware. */
	wr(device, cfg, 0x3c, 1, 0x5a);
	rd(device, cfg, 0x3c, 1);
	/* Vendor ID: read-only. */
	wr(device, cfg, 0, 2, 0xffff);
	rd(device, cfg, 0, 2);
}

static void missing_regions(int device)
{
	uint8_t b = 0;

	out("pread(VGA) = %s",
	    rv(pread(device, &b, 1, off_of(VFIO_PCI_VGA_REGION_INDEX, 0))));
	out("pwrite(VGA) = %s",
	    rv(pwrite(device, &b, 1, off_of(VFIO_PCI_VGA_REGION_INDEX, 0))));
	out("pread(index 9) = %s", rv(pread(device, &b, 1, off_of(9, 0))));
	out("pread(index 0xffffff) = %s",
	    rv(pread(device, &b, 1, off_of(0xffffff, 0))));
	out("pread(BAR0, count 0) = %s",
	    rv(pread(device, &b, 0, off_of(0, 0))));
	out("pread(index 9, count 0) = %s",
	    rv(pread(device, &b, 0, off_of(9, 0))));
	out("lseek(CONFIG)+read(4) = %s",
	    rv(lseek(device, off_of(VFIO_PCI_CONFIG_REGION_INDEX, 0),
		     SEEK_SET) < 0 ? -1 : read(device, &b, 1)));
}

static void *map(int device, unsigned int index, uint64_t off, size_t len,
		 int flags, const char *what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, device,
		       off_of(index, off));

	out("mmap(%s, %#llx, %#zx, %s) = %s", region_name(index),
	    (unsigned long long)off, len, what,
	    p == MAP_FAILED ? rv(-1) : "0");
	return p;
}

static void mmap_refusals(int device)
{
	unsigned int i;
	void *p;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS + 1; i++) {
		if (i <= VFIO_PCI_BAR5_REGION_INDEX &&
		    regions[i].flags & VFIO_REGION_INFO_FLAG_MMAP)
			continue;
		p = map(device, i, 0, 4096, MAP_SHARED, "shared");
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	for (i = 0; i <= VFIO_PCI_BAR5_REGION_INDEX; i++) {
		if (!(regions[i].flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		p = map(device, i, 0, 4096, MAP_PRIVATE, "private");
		if (p != MAP_FAILED)
			munmap(p, 4096);
		p = map(device, i, 0, regions[i].size + 4096, MAP_SHARED,
			"past the end");
		if (p != MAP_FAILED)
			munmap(p, regions[i].size + 4096);
		p = map(device, i, regions[i].size, 4096, MAP_SHARED,
			"at the end");
		if (p != MAP_FAILED)
			munmap(p, 4096);
		/* A register BAR maps, but has no page to show under UML. */
		p = map(device, i, 0, regions[i].size, MAP_SHARED, "whole");
		if (p != MAP_FAILED)
			munmap(p, regions[i].size);
	}
}

static void ram_bar(int device)
{
	struct vfio_region_info *ri = &regions[RAM_BAR];
	uint8_t *p;
	uint8_t b = 0;
	size_t len;

	if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP) || ri->size < 8192)
		return;
	len = ri->size;
	p = map(device, RAM_BAR, 0, len, MAP_SHARED, "whole");
	if (p == MAP_FAILED)
		return;
	/* Atomic accesses: the compiler must not merge or drop them. */
	__atomic_store_n(p, 0x11, __ATOMIC_RELAXED);
	__atomic_store_n(p + 4096, 0x22, __ATOMIC_RELAXED);
	__atomic_store_n(p + len - 1, 0x33, __ATOMIC_RELAXED);
	rd(device, RAM_BAR, 0, 1);
	rd(device, RAM_BAR, 4096, 1);
	rd(device, RAM_BAR, len - 1, 1);
	wr(device, RAM_BAR, 8, 1, 0x44);
	out("mapping[8] = %#x", touch(p + 8));

	/* Decode off: the mapping is gone; back on, it faults back in. */
	set_memory(device, 0);
	out("mapping[0] with decode off = %d", touch(p));
	out("pread(BAR2) with decode off = %s",
	    rv(pread(device, &b, 1, off_of(RAM_BAR, 0))));
	set_memory(device, 1);
	out("mapping[0] with decode on = %#x", touch(p));

	/* A reset takes the mapping away too; it comes back afterwards. */
	out("VFIO_DEVICE_RESET = %s", rv(ioctl(device, VFIO_DEVICE_RESET)));
	out("mapping[4096] after reset = %#x", touch(p + 4096));

	/* A second mapping of one page in the middle sees the same page. */
	{
		uint8_t *q = map(device, RAM_BAR, 4096, 4096, MAP_SHARED,
				 "one page");

		if (q != MAP_FAILED) {
			__atomic_store_n(q + 1, 0x55, __ATOMIC_RELAXED);
			out("mapping[4097] = %#x", touch(p + 4097));
			munmap(q, 4096);
		}
	}
	munmap(p, len);
}

static void one_function(const char *bdf)
{
	struct vfio_dev d;

	out("== %s", bdf);
	if (vfio_dev_open(bdf, &d))
		return;
	device_info(d.device);
	region_infos(d.device);
	bar_access(d.device);
	rom_access(d.device);
	config_access(d.device);
	missing_regions(d.device);
	mmap_refusals(d.device);
	ram_bar(d.device);
	vfio_dev_close(&d);
}

int main(int argc, char **argv)
{
	return run_on_functions(argc, argv, default_bdfs,
				 ARRAY_SIZE(default_bdfs), group_mates,
				 ARRAY_SIZE(group_mates), one_function);
}
