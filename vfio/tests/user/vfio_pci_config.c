// SPDX-License-Identifier: GPL-2.0
/*
 * Config space through the device fd, byte by byte, compared between two
 * kernels: for each simulated model bound to vfio-pci, every offset of
 * config space x access size 1, 2, 4 x written patterns (all ones, all
 * zeros, each bit alone set, each bit alone clear), read back at once.
 *
 * Config space is cut where the user's view has a capability (the
 * header, each capability of the chain, each extended one); each piece
 * is swept on a freshly opened device fd, so that what one capability's
 * writes did (a D-state, a reset, a moved BAR) does not carry over: the
 * last close restores and resets the function, the next open resets it.
 *
 * One line per access that read anything but zeros:
 *   0xOFF/SIZE: before=V ones=V zeros=V set=MASK clear=MASK
 * where set has the bits that read back 1 when written alone as 1, and
 * clear the bits that read back 0 when written alone as 0 (the others
 * 1). Accesses that read 0 whatever was written are only counted.
 *
 * usage: vfio_pci_config [BDF...]  (default: one function of each model)
 */
#include "client.h"

#include <stdint.h>

static const char *const default_bdfs[] = {
	"0000:40:00.0",	/* dma */
	"0000:40:01.0",	/* regfile */
	"0000:40:02.0",	/* mfd, with 40:02.1 in its group */
};

/* Functions that share a group with one we open must be bound too. */
static const char *const group_mates[] = { "0000:40:02.1" };

static uint64_t cfg_base;

static int cfg_rw(int device, unsigned int off, unsigned int size,
		  uint32_t *val, int write)
{
	ssize_t n = write ? pwrite(device, val, size, cfg_base + off) :
			    pread(device, val, size, cfg_base + off);

	return n == (ssize_t)size ? 0 : -1;
}

static uint32_t cfg_read(int device, unsigned int off, unsigned int size)
{
	uint32_t v = 0;

	if (cfg_rw(device, off, size, &v, 0))
		failures++;
	return v;
}

static uint32_t write_read(int device, unsigned int off, unsigned int size,
			   uint32_t val)
{
	if (cfg_rw(device, off, size, &val, 1))
		failures++;
	return cfg_read(device, off, size);
}

/* The user's view of where capabilities start, header first. */
static unsigned int cuts(int device, unsigned int cfg_size,
			 unsigned int *cut, unsigned int max)
{
	unsigned int n = 0, pos, loops;
	uint32_t hdr;

	cut[n++] = 0;
	cut[n++] = 0x40;
	if (cfg_read(device, 0x06, 2) & 0x10) {
		pos = cfg_read(device, 0x34, 1) & ~3u;
		for (loops = 0; pos >= 0x40 && loops < 48 && n < max; loops++) {
			cut[n++] = pos;
			out("cap 0x%02x at 0x%02x", cfg_read(device, pos, 1),
			    pos);
			pos = cfg_read(device, pos + 1, 1) & ~3u;
		}
	}
	if (cfg_size <= 0x100)
		return n;
	pos = 0x100;
	for (loops = 0; pos >= 0x100 && loops < 64 && n < max; loops++) {
		hdr = cfg_read(device, pos, 4);
		cut[n++] = pos;
		out("ecap 0x%04x v%u at 0x%03x", hdr & 0xffff,
		    (hdr >> 16) & 0xf, pos);
		pos = hdr >> 20;
	}
	return n;
}

static int cmp_uint(const void *a, const void *b)
{
	return *(const unsigned int *)a - *(const unsigned int *)b;
}

static void sweep(int device, unsigned int start, unsigned int end)
{
	static const unsigned int sizes[] = { 1, 2, 4 };
	unsigned int off, s, bit, size, quiet = 0;
	uint32_t mask, before, ones, zeros, set, clear, r;

	for (off = start; off < end; off++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			size = sizes[s];
			if (off % size || off + size > end)
				continue;
			mask = size == 4 ? 0xffffffff : (1u << size * 8) - 1;
			before = cfg_read(device, off, size);
			ones = write_read(device, off, size, mask);
			zeros = write_read(device, off, size, 0);
			set = 0;
			clear = 0;
			for (bit = 0; bit < size * 8; bit++) {
				r = write_read(device, off, size, 1u << bit);
				set |= r & (1u << bit);
				r = write_read(device, off, size,
					       mask & ~(1u << bit));
				clear |= ~r & (1u << bit);
			}
			if (!(before | ones | zeros | set) && clear == mask) {
				quiet++;
				continue;
			}
			out("0x%03x/%u: before=0x%0*x ones=0x%0*x zeros=0x%0*x set=0x%0*x clear=0x%0*x",
			    off, size, size * 2, before, size * 2, ones,
			    size * 2, zeros, size * 2, set, size * 2, clear);
		}
	}
	out("[0x%03x, 0x%03x): %u accesses read 0 whatever was written",
	    start, end, quiet);
}

static int region_info(int device, unsigned int index,
		       struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(device, VFIO_DEVICE_GET_REGION_INFO, info);
}

static void dump(int device, unsigned int cfg_size)
{
	unsigned int off;

	for (off = 0; off < cfg_size; off += 16) {
		uint32_t v[4];
		unsigned int i;

		for (i = 0; i < 4; i++)
			v[i] = cfg_read(device, off + 4 * i, 4);
		if (v[0] | v[1] | v[2] | v[3])
			out("%03x: %08x %08x %08x %08x", off, v[0], v[1], v[2],
			    v[3]);
	}
}

static void one_function(const char *bdf)
{
	struct vfio_region_info info;
	unsigned int cut[128], n, i, cfg_size;
	struct vfio_dev d;

	out("== %s", bdf);
	if (vfio_dev_open(bdf, &d))
		return;
	if (region_info(d.device, VFIO_PCI_CONFIG_REGION_INDEX, &info)) {
		out("VFIO_DEVICE_GET_REGION_INFO(CONFIG) = %s", rv(-1));
		failures++;
		vfio_dev_close(&d);
		return;
	}
	cfg_base = info.offset;
	cfg_size = info.size;
	out("config: size=%u flags=0x%x", cfg_size, info.flags);
	dump(d.device, cfg_size);
	n = cuts(d.device, cfg_size, cut, ARRAY_SIZE(cut) - 1);
	cut[n++] = cfg_size;
	qsort(cut, n, sizeof(cut[0]), cmp_uint);
	vfio_dev_close(&d);

	for (i = 0; i + 1 < n; i++) {
		if (cut[i] == cut[i + 1])
			continue;
		if (vfio_dev_open(bdf, &d))
			return;
		sweep(d.device, cut[i], cut[i + 1]);
		vfio_dev_close(&d);
	}
	/* What the sweeps left behind is gone after close and reopen. */
	if (vfio_dev_open(bdf, &d))
		return;
	out("after the sweeps:");
	dump(d.device, cfg_size);
	vfio_dev_close(&d);
}

int main(int argc, char **argv)
{
	return run_on_functions(argc, argv, default_bdfs,
				 ARRAY_SIZE(default_bdfs), group_mates,
				 ARRAY_SIZE(group_mates), one_function);
}
