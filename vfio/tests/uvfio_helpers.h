/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the core's KUnit suites: container, group and device
 * files opened through the real nodes (a devtmpfs mount of the test's
 * own), ioctls with user memory from kunit_vm_mmap(), simulated functions
 * bound to drivers through driver_override. Everything is undone by KUnit
 * actions, in reverse order, when the test ends.
 */
#ifndef UVFIO_HELPERS_H
#define UVFIO_HELPERS_H

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/pci.h>

#include "uvfio_test.h"

/* The functions the suites use (vfio/sim/topology.c). */
#define UVFIO_FN_SINGLE		PCI_DEVFN(1, 0)	/* regfile, a group alone */
#define UVFIO_FN_MFD0		PCI_DEVFN(2, 0)	/* mfd: a group of two */
#define UVFIO_FN_MFD1		PCI_DEVFN(2, 1)

/* A driver with no DMA management of its own, as any kernel driver. */
#define UVFIO_KERNEL_DRIVER	"uvfio-kunit-kernel"

/**
 * struct uvfio_fx - what a test has open
 * @test: the test
 * @mnt: devtmpfs, where /dev/vfio/... are looked up
 * @user: a page of user memory for ioctl arguments
 * @baseline: the test backend's live instances when the test began
 */
struct uvfio_fx {
	struct kunit *test;
	struct vfsmount *mnt;
	void __user *user;
	int baseline;
};

struct uvfio_fx *uvfio_fx(struct kunit *test);
struct mm_struct *uvfio_mm_new(void);
struct vfsmount *uvfio_mount(struct kunit *test, const char *fstype);
struct pci_dev *uvfio_fn(struct kunit *test, u8 devfn);
void uvfio_override(struct kunit *test, struct pci_dev *pdev,
		    const char *driver);
void uvfio_override_dev(struct kunit *test, struct device *dev,
			const char *driver);
int uvfio_attach(struct pci_dev *pdev);
int uvfio_attach_dev(struct device *dev);
int uvfio_bind(struct kunit *test, struct pci_dev *pdev, const char *driver);
int uvfio_bind_dev(struct kunit *test, struct device *dev, const char *driver);
void uvfio_unbind(struct pci_dev *pdev);
void uvfio_unbind_now(struct kunit *test, struct pci_dev *pdev);
int uvfio_group_id(struct kunit *test, struct pci_dev *pdev);
int uvfio_dev_group_id(struct kunit *test, struct device *dev);

struct file *uvfio_open_node(struct uvfio_fx *fx, const char *path, int *err);
struct file *uvfio_open_container(struct uvfio_fx *fx);
struct file *uvfio_open_group(struct uvfio_fx *fx, int id);
void uvfio_close(struct uvfio_fx *fx, struct file *file);
void uvfio_fput_sync(struct file *file);

long uvfio_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long uvfio_ioctl_user(struct uvfio_fx *fx, struct file *file,
		      unsigned int cmd, void *arg, size_t size);
int uvfio_install_fd(struct uvfio_fx *fx, struct file *file);
void uvfio_uninstall_fd(struct uvfio_fx *fx, int fd, struct file *file);
unsigned long uvfio_user_string(struct uvfio_fx *fx, const char *s);
long uvfio_group_status(struct uvfio_fx *fx, struct file *group);
long uvfio_set_container(struct uvfio_fx *fx, struct file *group,
			 struct file *container);
struct file *uvfio_get_device(struct uvfio_fx *fx, struct file *group,
			      const char *name, long *err);
int uvfio_test_iommu_live(struct uvfio_fx *fx);
long uvfio_map_dma(struct uvfio_fx *fx, struct file *container, u64 iova,
		   u64 vaddr, u64 size, u32 flags);
long uvfio_get_dirty_bitmap(struct uvfio_fx *fx, struct file *container,
			    u64 iova, u64 size, u64 pgsize, u64 bytes,
			    unsigned long data);

void uvfio_failslab(struct uvfio_fx *fx);

int uvfio_suite_init(struct kunit_suite *suite);
void uvfio_suite_exit(struct kunit_suite *suite);

#endif /* UVFIO_HELPERS_H */
