// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci's resets from userspace, written from the uAPI header and
 * compared between two kernels: VFIO_DEVICE_RESET, and the hot reset of
 * the functions behind the simulated bridge: GET_PCI_HOT_RESET_INFO (the
 * functions a bus reset reaches, argsz too small for them) and
 * PCI_HOT_RESET with group fds as proof of ownership (none, too many, a
 * bad fd, an fd that is no group, a group that does not cover the
 * functions, a function not bound to vfio-pci); what a reset did to the
 * functions' registers. A function on the root bus has no bus reset.
 *
 * One line per call, as CALL(arguments) = result; the exit status is 0
 * when every call answered as upstream does.
 *
 * usage: vfio_pci_reset
 */
#include "client.h"

#include <stdint.h>

#define BEHIND0		"0000:41:00.0"	/* regfile behind the bridge */
#define BEHIND1		"0000:41:01.0"	/* regfile behind the bridge */
#define ROOT_DMA	"0000:40:00.0"	/* dma on the root bus */
#define ROOT_REGFILE	"0000:40:01.0"	/* regfile on the root bus */
#define REG_SCRATCH	0x40		/* plain storage in BAR0 */

static uint64_t bar0(uint64_t off)
{
	return ((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40) + off;
}

static uint32_t scratch_rw(int device, int write, uint32_t val)
{
	ssize_t n = write ? pwrite(device, &val, 4, bar0(REG_SCRATCH)) :
			    pread(device, &val, 4, bar0(REG_SCRATCH));

	if (n != 4)
		out("%s(BAR0 REG_SCRATCH) = %s", write ? "pwrite" : "pread", rv(-1));
	return val;
}

static void memory_on(int device)
{
	uint64_t off = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	uint16_t cmd = 0;

	if (pread(device, &cmd, 2, off + 4) != 2)
		return;
	cmd |= 2;
	if (pwrite(device, &cmd, 2, off + 4) != 2)
		out("pwrite(command) = %s", rv(-1));
}

static void hot_reset_info(int device, const char *name)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[8];
	} info = { .hdr.argsz = sizeof(info.hdr) };
	char call[96];
	uint32_t i;

	snprintf(call, sizeof(call), "GET_PCI_HOT_RESET_INFO(%s, argsz short)",
		 name);
	info.hdr.argsz = sizeof(info.hdr) - 1;
	expect(call, ioctl(device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info),
	       -EINVAL);
	snprintf(call, sizeof(call),
		 "GET_PCI_HOT_RESET_INFO(%s, no room for devices)", name);
	info.hdr.argsz = sizeof(info.hdr);
	info.hdr.count = 0;
	expect(call, ioctl(device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info),
	       strcmp(name, ROOT_DMA) ? -ENOSPC : -ENODEV);
	out("  count = %u", info.hdr.count);
	snprintf(call, sizeof(call), "GET_PCI_HOT_RESET_INFO(%s)", name);
	info.hdr.argsz = sizeof(info);
	if (expect(call, ioctl(device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
			       &info),
		   strcmp(name, ROOT_DMA) ? 0 : -ENODEV))
		return;
	out("  flags = %#x count = %u", info.hdr.flags, info.hdr.count);
	for (i = 0; i < info.hdr.count && i < 8; i++) {
		char bdf[16];

		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x",
			 info.devs[i].segment, info.devs[i].bus,
			 info.devs[i].devfn >> 3, info.devs[i].devfn & 7);
		out("  %s, its own group: %s", bdf,
		    (int)info.devs[i].group_id == group_of(bdf) ? "yes" : "no");
	}
}

static long hot_reset(int device, uint32_t argsz_delta, uint32_t flags,
		      uint32_t count, const int32_t *fds)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fds[8];
	} r = {
		.hdr = {
			.argsz = sizeof(r.hdr) + 4 * count - argsz_delta,
			.flags = flags, .count = count,
		},
	};

	memcpy(r.fds, fds, 4 * count);
	return ioctl(device, VFIO_DEVICE_PCI_HOT_RESET, &r);
}

int main(void)
{
	struct vfio_dev d0, d1, root, other;
	int32_t fds[4];
	uint32_t v;

	if (client_start())
		return 1;
	if (bind_driver(BEHIND0, "vfio-pci") ||
	    bind_driver(BEHIND1, "vfio-pci") ||
	    bind_driver(ROOT_DMA, "vfio-pci") ||
	    bind_driver(ROOT_REGFILE, "vfio-pci")) {
		out("bind(vfio-pci) failed");
		return 1;
	}
	out("group of %s == group of %s: %s", BEHIND0, BEHIND1,
	    group_of(BEHIND0) == group_of(BEHIND1) ? "yes" : "no");
	if (vfio_dev_open(BEHIND0, &d0) || vfio_dev_open(ROOT_DMA, &root) ||
	    vfio_dev_open(ROOT_REGFILE, &other))
		return 1;

	/* A function on the root bus: no slot or bus reset. */
	hot_reset_info(root.device, ROOT_DMA);
	fds[0] = root.group;
	expect("PCI_HOT_RESET(" ROOT_DMA ")",
	       hot_reset(root.device, 0, 0, 1, fds), -ENODEV);
	expect("VFIO_DEVICE_RESET(" ROOT_DMA ")",
	       ioctl(root.device, VFIO_DEVICE_RESET), 0);

	hot_reset_info(d0.device, BEHIND0);
	fds[0] = d0.group;
	expect("PCI_HOT_RESET(argsz short)",
	       hot_reset(d0.device, 5, 0, 1, fds), -EINVAL);
	expect("PCI_HOT_RESET(flags 1)", hot_reset(d0.device, 0, 1, 1, fds),
	       -EINVAL);
	expect("PCI_HOT_RESET(no fds)", hot_reset(d0.device, 0, 0, 0, fds),
	       -EINVAL);
	fds[1] = fds[2] = d0.group;
	expect("PCI_HOT_RESET(3 fds for 2 functions)",
	       hot_reset(d0.device, 0, 0, 3, fds), -EINVAL);
	fds[0] = 1000;
	expect("PCI_HOT_RESET(closed fd)", hot_reset(d0.device, 0, 0, 1, fds),
	       -EBADF);
	fds[0] = d0.container;
	expect("PCI_HOT_RESET(container fd)",
	       hot_reset(d0.device, 0, 0, 1, fds), -EINVAL);
	fds[0] = d0.group;
	fds[1] = 1000;
	expect("PCI_HOT_RESET(group, closed fd)",
	       hot_reset(d0.device, 0, 0, 2, fds), -EBADF);
	fds[0] = other.group;
	expect("PCI_HOT_RESET(another function's group)",
	       hot_reset(d0.device, 0, 0, 1, fds), -EINVAL);

	/* The right group: both functions reset. */
	memory_on(d0.device);
	scratch_rw(d0.device, 1, 0x5a5a1234);
	out("scratch before = %#x", scratch_rw(d0.device, 0, 0));
	fds[0] = d0.group;
	expect("PCI_HOT_RESET(its group)", hot_reset(d0.device, 0, 0, 1, fds),
	       0);
	memory_on(d0.device);
	out("scratch after hot reset = %#x", scratch_rw(d0.device, 0, 0));
	fds[1] = other.group;
	expect("PCI_HOT_RESET(its group and another)",
	       hot_reset(d0.device, 0, 0, 2, fds), 0);

	/* The other function opened too, from the same group. */
	d1.device = ioctl(d0.group, VFIO_GROUP_GET_DEVICE_FD, BEHIND1);
	expect_fd("VFIO_GROUP_GET_DEVICE_FD(" BEHIND1 ")", d1.device, 0);
	memory_on(d1.device);
	scratch_rw(d1.device, 1, 0x77);
	expect("PCI_HOT_RESET(from the other function)",
	       hot_reset(d1.device, 0, 0, 1, fds), 0);
	memory_on(d1.device);
	out("other's scratch after hot reset = %#x", scratch_rw(d1.device, 0, 0));
	close(d1.device);

	/* A function of the bus not bound to vfio-pci: refused. */
	unbind_driver(BEHIND1);
	expect("PCI_HOT_RESET(a function unbound)",
	       hot_reset(d0.device, 0, 0, 1, fds), -EINVAL);
	hot_reset_info(d0.device, BEHIND0);
	if (bind_driver(BEHIND1, "vfio-pci"))
		out("bind(%s, vfio-pci) again failed", BEHIND1);
	expect("PCI_HOT_RESET(bound again)",
	       hot_reset(d0.device, 0, 0, 1, fds), 0);

	memory_on(d0.device);
	scratch_rw(d0.device, 1, 0x1111);
	expect("VFIO_DEVICE_RESET(" BEHIND0 ")",
	       ioctl(d0.device, VFIO_DEVICE_RESET), 0);
	memory_on(d0.device);
	v = scratch_rw(d0.device, 0, 0);
	out("scratch after VFIO_DEVICE_RESET = %#x", v);

	vfio_dev_close(&d0);
	vfio_dev_close(&root);
	vfio_dev_close(&other);
	out("failures = %d", failures);
	return failures ? 1 : 0;
}
