/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-ins of the test kernels for what the core serves: an IOMMU backend
 * (uvfio_test_iommu.c) and a PCI bus driver named "uvfio-test"
 * (uvfio_test_pci.c) that binds simulated functions through
 * driver_override. Both register at boot, so that userspace clients reach
 * the core before type1 and vfio-pci exist; their counters and failure
 * switches are for the KUnit suites, which reset them through actions.
 */
#ifndef UVFIO_TEST_H
#define UVFIO_TEST_H

#include <linux/atomic.h>
#include <linux/ioctl.h>
#include <uapi/linux/vfio.h>

#include "core/uvfio.h"

/* The backend's own VFIO_SET_IOMMU type, beside no upstream one. */
#define UVFIO_TEST_IOMMU		0x7e57
/* A container ioctl only the test backend knows: returns its groups. */
#define UVFIO_TEST_IOMMU_GROUPS		_IO(VFIO_TYPE, VFIO_BASE + 0x70)
/* A device ioctl only the test driver knows: returns its open count. */
#define UVFIO_TEST_DEVICE_OPENS		_IO(VFIO_TYPE, VFIO_BASE + 0x71)

/* The one VFIO_DEVICE_FEATURE the test driver knows: echoes its argsz. */
#define UVFIO_TEST_FEATURE		0x7e

#define UVFIO_TEST_DRIVER		"uvfio-test"

/**
 * struct uvfio_test_iommu_stats - what the test backend saw
 * @live: backend instances open (SET_IOMMU done, not yet released)
 * @attached: groups attached over all instances
 * @notified: container-close notifications
 * @fail_open: errno the next open returns (0: succeed)
 * @fail_attach: errno an attach returns (0: succeed)
 * @attach_ok: attaches that succeed before @fail_attach applies
 */
struct uvfio_test_iommu_stats {
	atomic_t live;
	atomic_t attached;
	atomic_t notified;
	int fail_open;
	int fail_attach;
	int attach_ok;
};

extern struct uvfio_test_iommu_stats uvfio_test_iommu;

/**
 * struct uvfio_test_dev - a function bound to the uvfio-test driver
 * @vdev: the core's device
 * @opens: open_device() calls that succeeded
 * @closes: close_device() calls
 * @requests: request() calls
 * @last_request: the count argument of the last request()
 * @reads: bytes read through the device fd
 * @writes: bytes written through the device fd
 */
struct uvfio_test_dev {
	struct uvfio_device vdev;
	atomic_t opens;
	atomic_t closes;
	atomic_t requests;
	unsigned int last_request;
	atomic_t reads;
	atomic_t writes;
};

/* mmap of the device fd at this offset maps this BAR, if RAM-backed. */
#define UVFIO_TEST_MMAP_BAR	2
#define UVFIO_TEST_MMAP_OFFSET	(2ULL << 40)

/* errno the next open_device() of any test device returns (0: succeed). */
extern int uvfio_test_fail_open_device;
/* Functions probed while set get ops without ioctl, read, write, mmap. */
extern bool uvfio_test_bare;

struct uvfio_test_dev *uvfio_test_dev_of(struct device *dev);

#endif /* UVFIO_TEST_H */
