/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of vfio-pci's KUnit suites: a simulated function bound to
 * vfio-pci and opened through a container with the test backend; region
 * reads and writes through its device fd; eventfds that the test owns by
 * fd, for VFIO_DEVICE_SET_IRQS. Everything is undone by KUnit actions.
 */
#ifndef UVFIO_PCI_HELPERS_H
#define UVFIO_PCI_HELPERS_H

#include <kunit/test.h>
#include <linux/pci.h>

#include "uvfio_helpers.h"

#define CFG		VFIO_PCI_CONFIG_REGION_INDEX

/*
 * The functions: the default topology's dma (00.0), regfile (01.0), mfd
 * (02.0) and the regfile behind the bridge, and hot-added ones of
 * sim_helpers.c: "caps" (every capability kind), "bare" (nothing to reset
 * it by), "nomask" (INTx it cannot mask itself).
 */
enum vp_fn {
	FN_DMA, FN_REGFILE, FN_MFD, FN_CAPS, FN_BARE, FN_NOMASK, FN_LENS,
	FN_HIDDEN, FN_EDGE, FN_BEHIND_BRIDGE,
};

/**
 * struct vp - a function opened through vfio-pci
 * @fx: the core's fixture
 * @pdev: the function
 * @container: its container, with the test backend
 * @group: its group
 * @device: its device fd
 */
struct vp {
	struct uvfio_fx *fx;
	struct pci_dev *pdev;
	struct file *container;
	struct file *group;
	struct file *device;
};

struct vp *vp_open(struct kunit *test, enum vp_fn fn);
struct vp *vp_open_pdev(struct kunit *test, struct pci_dev *pdev);
struct vp *vp_open_bound(struct kunit *test, struct pci_dev *pdev);
struct file *vp_open_device(struct vp *v);
ssize_t vp_rw(struct vp *v, u32 index, u64 off, void *buf, size_t count,
	      bool write);
u32 vp_cfg_read(struct vp *v, int off, int size);
void vp_cfg_write(struct vp *v, int off, int size, u32 val);
void vp_bar_write32(struct vp *v, int bar, u64 off, u32 val);
struct simpci_dev *vp_sdev(struct vp *v);

long vp_set_irqs(struct vp *v, u32 flags, u32 index, u32 start, u32 count,
		 const void *data, size_t len);
int vp_eventfd(struct kunit *test);
void vp_close_eventfd(int efd);
u64 vp_fired(struct kunit *test, int efd);
void vp_signal(struct kunit *test, int efd);

#endif /* UVFIO_PCI_HELPERS_H */
