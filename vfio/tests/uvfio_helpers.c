// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the core's KUnit suites (uvfio_helpers.h).
 */
#include <kunit/test.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>

#include "sim/simpci.h"
#include "uvfio_helpers.h"

KUNIT_DEFINE_ACTION_WRAPPER(put_pci_dev, pci_dev_put, struct pci_dev *);
KUNIT_DEFINE_ACTION_WRAPPER(unmount, kern_unmount, struct vfsmount *);

static int uvfio_kernel_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	return 0;
}

/* Binds only through driver_override; uses the default DMA domain. */
static struct pci_driver uvfio_kernel_driver = {
	.name	= UVFIO_KERNEL_DRIVER,
	.probe	= uvfio_kernel_probe,
};

static void uvfio_reset_stand_ins(void *unused)
{
	uvfio_test_iommu.fail_open = 0;
	uvfio_test_iommu.fail_attach = 0;
	uvfio_test_iommu.attach_ok = 0;
	uvfio_test_fail_open_device = 0;
	uvfio_test_bare = false;
}

/**
 * uvfio_mm_new() - a fresh address space for a kernel thread without one
 *
 * Return: the mm, in use by the calling thread (kthread_use_mm()), or NULL.
 */
struct mm_struct *uvfio_mm_new(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(mm);
	return mm;
}

static void uvfio_mmdrop(void *mm)
{
	mmdrop(mm);
}

/*
 * The test thread's own mm for its user memory. kunit_vm_mmap() would
 * attach one too, but on this kernel its mm_struct is never freed: the
 * thread's exit puts the address space, not the reference that
 * kthread_use_mm() took on the structure. The action drops that one; it
 * runs in KUnit's cleanup thread, so it cannot unuse the mm itself.
 */
static void uvfio_attach_mm(struct kunit *test)
{
	struct mm_struct *mm;

	if (current->mm)
		return;
	mm = uvfio_mm_new();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, uvfio_mmdrop, mm));
}

/**
 * uvfio_mount() - a kernel mount of a single-instance filesystem
 * @test: the test; unmounting is its action
 * @fstype: "devtmpfs", "debugfs", ...
 *
 * Return: the mount; the test fails when there is none.
 */
struct vfsmount *uvfio_mount(struct kunit *test, const char *fstype)
{
	struct file_system_type *type = get_fs_type(fstype);
	struct vfsmount *mnt;

	KUNIT_ASSERT_NOT_NULL(test, type);
	mnt = kern_mount(type);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unmount, mnt));
	return mnt;
}

/**
 * uvfio_fx() - the fixture of a test
 * @test: the test
 *
 * Return: the fixture: devtmpfs mounted, a page of user memory; the test
 * stand-ins' failure switches are reset when the test ends.
 */
struct uvfio_fx *uvfio_fx(struct kunit *test)
{
	struct uvfio_fx *fx;
	unsigned long user;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->mnt = uvfio_mount(test, "devtmpfs");

	uvfio_attach_mm(test);
	user = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(user));
	fx->user = (void __user *)user;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			uvfio_reset_stand_ins, NULL));
	fx->baseline = atomic_read(&uvfio_test_iommu.live);
	return fx;
}

/**
 * uvfio_fn() - a function of the root bus, put when the test ends
 * @test: the test
 * @devfn: its slot and function
 *
 * Return: the PCI device; the test fails if there is none.
 */
struct pci_dev *uvfio_fn(struct kunit *test, u8 devfn)
{
	struct pci_dev *pdev;

	pdev = pci_get_domain_bus_and_slot(0, simpci_root_busnr(), devfn);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, put_pci_dev, pdev));
	return pdev;
}

/**
 * uvfio_unbind() - release the function's driver, as sysfs unbind does
 * @pdev: the function
 *
 * Context: blocks while a device fd of the function is open.
 */
void uvfio_unbind(struct pci_dev *pdev)
{
	device_release_driver(&pdev->dev);
}

static void uvfio_unbind_action(void *data)
{
	struct device *dev = data;

	device_release_driver(dev);
	/* An empty name clears the override. */
	device_set_driver_override(dev, "");
}

/**
 * uvfio_override_dev() - set a device's driver_override
 * @test: the test; unbinding and clearing the override are its actions
 * @dev: the device, of any bus with driver_override
 * @driver: the driver's name
 */
void uvfio_override_dev(struct kunit *test, struct device *dev,
			const char *driver)
{
	KUNIT_ASSERT_EQ(test, 0, device_set_driver_override(dev, driver));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			uvfio_unbind_action, dev));
}

void uvfio_override(struct kunit *test, struct pci_dev *pdev,
		    const char *driver)
{
	uvfio_override_dev(test, &pdev->dev, driver);
}

/**
 * uvfio_attach() - probe the driver named by the function's override
 * @pdev: the function
 *
 * Return: 0 when bound; the probe's error (e.g. -EBUSY for a kernel driver
 * in a group whose DMA userspace owns) or -ENODEV when nothing bound.
 */
int uvfio_attach(struct pci_dev *pdev)
{
	return uvfio_attach_dev(&pdev->dev);
}

int uvfio_attach_dev(struct device *dev)
{
	int ret = device_attach(dev);

	if (ret == 1)
		return 0;
	return ret ?: -ENODEV;
}

/**
 * uvfio_bind_dev() - bind a device to a driver through driver_override
 * @test: the test; unbinding and clearing the override are its actions
 * @dev: a device with no driver
 * @driver: the driver's name
 *
 * Return: as uvfio_attach().
 */
int uvfio_bind_dev(struct kunit *test, struct device *dev, const char *driver)
{
	uvfio_override_dev(test, dev, driver);
	return uvfio_attach_dev(dev);
}

int uvfio_bind(struct kunit *test, struct pci_dev *pdev, const char *driver)
{
	return uvfio_bind_dev(test, &pdev->dev, driver);
}

/**
 * uvfio_unbind_now() - undo uvfio_bind() before the test ends
 * @test: the test
 * @pdev: a function bound by uvfio_bind()
 */
void uvfio_unbind_now(struct kunit *test, struct pci_dev *pdev)
{
	kunit_release_action(test, uvfio_unbind_action, &pdev->dev);
}

/**
 * uvfio_dev_group_id() - the IOMMU group id of a device
 * @test: the test
 * @dev: the device
 *
 * Return: the id; the test fails when the device has no group.
 */
int uvfio_dev_group_id(struct kunit *test, struct device *dev)
{
	struct iommu_group *group = iommu_group_get(dev);
	int id;

	KUNIT_ASSERT_NOT_NULL(test, group);
	id = iommu_group_id(group);
	iommu_group_put(group);
	return id;
}

int uvfio_group_id(struct kunit *test, struct pci_dev *pdev)
{
	return uvfio_dev_group_id(test, &pdev->dev);
}

/**
 * uvfio_fput_sync() - put a file and run its release now
 * @file: a file the caller holds
 *
 * A kernel thread's last fput() only queues the release: run it now. A
 * release can drop the last reference of another file (a device fd holds
 * its group's file), which queues that one in turn.
 */
void uvfio_fput_sync(struct file *file)
{
	int depth;

	fput(file);
	for (depth = 0; depth < 3; depth++)
		flush_delayed_fput();
}

static void uvfio_fput(void *data)
{
	uvfio_fput_sync(data);
}

static struct file *uvfio_track(struct uvfio_fx *fx, struct file *file)
{
	KUNIT_ASSERT_EQ(fx->test, 0,
			kunit_add_action_or_reset(fx->test, uvfio_fput, file));
	return file;
}

/**
 * uvfio_open_node() - open a node under /dev
 * @fx: the fixture
 * @path: relative to /dev, e.g. "vfio/vfio"
 * @err: where the open's error goes (0 on success)
 *
 * Return: the file, closed when the test ends, or NULL.
 */
struct file *uvfio_open_node(struct uvfio_fx *fx, const char *path, int *err)
{
	struct file *file = file_open_root_mnt(fx->mnt, path, O_RDWR, 0);

	*err = PTR_ERR_OR_ZERO(file);
	return IS_ERR(file) ? NULL : uvfio_track(fx, file);
}

/**
 * uvfio_open_container() - open /dev/vfio/vfio
 * @fx: the fixture
 *
 * Return: the container's file; the test fails if it cannot be opened.
 */
struct file *uvfio_open_container(struct uvfio_fx *fx)
{
	struct file *file;
	int err;

	file = uvfio_open_node(fx, "vfio/vfio", &err);
	KUNIT_ASSERT_EQ(fx->test, err, 0);
	return file;
}

/**
 * uvfio_open_group() - open /dev/vfio/<id>
 * @fx: the fixture
 * @id: the group's id
 *
 * Return: the group's file; the test fails if it cannot be opened.
 */
struct file *uvfio_open_group(struct uvfio_fx *fx, int id)
{
	char path[32];
	struct file *file;
	int err;

	snprintf(path, sizeof(path), "vfio/%d", id);
	file = uvfio_open_node(fx, path, &err);
	KUNIT_ASSERT_EQ_MSG(fx->test, err, 0, "open(/dev/%s)", path);
	return file;
}

/**
 * uvfio_close() - close a file of the fixture now
 * @fx: the fixture
 * @file: a file from one of the fixture's helpers
 */
void uvfio_close(struct uvfio_fx *fx, struct file *file)
{
	kunit_release_action(fx->test, uvfio_fput, file);
}

/**
 * uvfio_ioctl() - an ioctl through the file's real file_operations
 * @file: the file
 * @cmd: the command
 * @arg: its argument (a user pointer or a value)
 *
 * Return: what the ioctl returned.
 */
long uvfio_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return file->f_op->unlocked_ioctl(file, cmd, arg);
}

/*
 * A task's fail-nth (make test-debug injects user-copy failures too) held
 * while the fixture itself copies, so that it counts the call's own points.
 */
static unsigned int uvfio_nth_pause(void)
{
#ifdef CONFIG_FAULT_INJECTION
	unsigned int nth = current->fail_nth;

	current->fail_nth = 0;
	return nth;
#else
	return 0;
#endif
}

static void uvfio_nth_resume(unsigned int nth)
{
#ifdef CONFIG_FAULT_INJECTION
	current->fail_nth = nth;
#endif
}

/**
 * uvfio_ioctl_user() - an ioctl with @arg copied to user memory first
 * @fx: the fixture
 * @file: the file
 * @cmd: the command
 * @arg: the argument, @size bytes, copied back after the call
 * @size: at most PAGE_SIZE
 *
 * Return: what the ioctl returned.
 */
long uvfio_ioctl_user(struct uvfio_fx *fx, struct file *file,
		      unsigned int cmd, void *arg, size_t size)
{
	unsigned int nth;
	long ret;

	KUNIT_ASSERT_LE(fx->test, size, PAGE_SIZE);
	/* Our own copies are no injection point of the call under test. */
	nth = uvfio_nth_pause();
	KUNIT_ASSERT_EQ(fx->test, 0, copy_to_user(fx->user, arg, size));
	uvfio_nth_resume(nth);
	ret = uvfio_ioctl(file, cmd, (unsigned long)fx->user);
	nth = uvfio_nth_pause();
	KUNIT_ASSERT_EQ(fx->test, 0,
			copy_from_user(arg, fx->user, size));
	uvfio_nth_resume(nth);
	return ret;
}

/**
 * uvfio_group_status() - VFIO_GROUP_GET_STATUS
 * @fx: the fixture
 * @group: the group's file
 *
 * Return: the flags, or the ioctl's error.
 */
long uvfio_group_status(struct uvfio_fx *fx, struct file *group)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	long ret;

	ret = uvfio_ioctl_user(fx, group, VFIO_GROUP_GET_STATUS, &st,
			       sizeof(st));
	return ret ?: st.flags;
}

/**
 * uvfio_install_fd() - give a file an fd, as calls that take fds need
 * @fx: the fixture
 * @file: the file; the fd holds a reference of its own
 *
 * Return: the fd, for uvfio_uninstall_fd().
 */
int uvfio_install_fd(struct uvfio_fx *fx, struct file *file)
{
	int fd = get_unused_fd_flags(0);

	KUNIT_ASSERT_GE(fx->test, fd, 0);
	fd_install(fd, get_file(file));
	return fd;
}

/**
 * uvfio_uninstall_fd() - close an fd of uvfio_install_fd()
 * @fx: the fixture
 * @fd: the fd
 * @file: the file it must still be
 */
void uvfio_uninstall_fd(struct uvfio_fx *fx, int fd, struct file *file)
{
	struct file *installed = file_close_fd(fd);

	KUNIT_EXPECT_PTR_EQ(fx->test, installed, file);
	if (installed)
		fput(installed);
}

/**
 * uvfio_user_string() - a string in the fixture's user memory
 * @fx: the fixture
 * @s: the string
 *
 * Return: its user address (the start of the page).
 */
unsigned long uvfio_user_string(struct uvfio_fx *fx, const char *s)
{
	unsigned int nth = uvfio_nth_pause();

	KUNIT_ASSERT_LT(fx->test, strlen(s), PAGE_SIZE);
	KUNIT_ASSERT_EQ(fx->test, 0, copy_to_user(fx->user, s, strlen(s) + 1));
	uvfio_nth_resume(nth);
	return (unsigned long)fx->user;
}

/**
 * uvfio_set_container() - VFIO_GROUP_SET_CONTAINER with a real fd
 * @fx: the fixture
 * @group: the group's file
 * @container: any file; it gets an fd for the duration of the call
 *
 * Return: what the ioctl returned.
 */
long uvfio_set_container(struct uvfio_fx *fx, struct file *group,
			 struct file *container)
{
	int fd = uvfio_install_fd(fx, container);
	long ret;

	ret = uvfio_ioctl_user(fx, group, VFIO_GROUP_SET_CONTAINER, &fd,
			       sizeof(fd));
	uvfio_uninstall_fd(fx, fd, container);
	return ret;
}

/**
 * uvfio_get_device() - VFIO_GROUP_GET_DEVICE_FD
 * @fx: the fixture
 * @group: the group's file
 * @name: the device's name
 * @err: the ioctl's error, or 0
 *
 * Return: the device's file, closed when the test ends, or NULL.
 */
struct file *uvfio_get_device(struct uvfio_fx *fx, struct file *group,
			      const char *name, long *err)
{
	struct file *file;
	long fd;

	fd = uvfio_ioctl(group, VFIO_GROUP_GET_DEVICE_FD,
			 uvfio_user_string(fx, name));
	*err = fd < 0 ? fd : 0;
	if (fd < 0)
		return NULL;
	/* Out of the (kernel threads') fd table: the test holds the file. */
	file = file_close_fd(fd);
	KUNIT_ASSERT_NOT_NULL(fx->test, file);
	return uvfio_track(fx, file);
}

/**
 * uvfio_test_iommu_live() - test backend instances the test opened
 * @fx: the fixture
 *
 * Return: live instances now minus those when the fixture was made.
 */
int uvfio_test_iommu_live(struct uvfio_fx *fx)
{
	return atomic_read(&uvfio_test_iommu.live) - fx->baseline;
}

/**
 * uvfio_map_dma() - VFIO_IOMMU_MAP_DMA
 * @fx: the fixture
 * @container: a container with type1 set
 * @iova: device address
 * @vaddr: user address
 * @size: bytes
 * @flags: VFIO_DMA_MAP_FLAG_*
 *
 * Return: what the ioctl returned.
 */
long uvfio_map_dma(struct uvfio_fx *fx, struct file *container, u64 iova,
		   u64 vaddr, u64 size, u32 flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .flags = flags,
		.vaddr = vaddr, .iova = iova, .size = size,
	};

	return uvfio_ioctl_user(fx, container, VFIO_IOMMU_MAP_DMA, &map,
				sizeof(map));
}

/**
 * uvfio_get_dirty_bitmap() - VFIO_IOMMU_DIRTY_PAGES with GET_BITMAP
 * @fx: the fixture
 * @container: a container with type1 set
 * @iova: first IOVA of the range
 * @size: bytes of the range
 * @pgsize: the bitmap's page size
 * @bytes: the bitmap's size
 * @data: the bitmap, in user memory
 *
 * Return: what the ioctl returned.
 */
long uvfio_get_dirty_bitmap(struct uvfio_fx *fx, struct file *container,
			    u64 iova, u64 size, u64 pgsize, u64 bytes,
			    unsigned long data)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} arg = {
		.d = { .argsz = sizeof(arg),
		       .flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP },
		.g = { .iova = iova, .size = size,
		       .bitmap = { .pgsize = pgsize, .size = bytes,
				   .data = (u64 __user *)data } },
	};

	return uvfio_ioctl_user(fx, container, VFIO_IOMMU_DIRTY_PAGES, &arg,
				sizeof(arg));
}

/**
 * uvfio_suite_init() - suite_init of the core's suites: registers the
 *	kernel driver stand-in (UVFIO_KERNEL_DRIVER)
 * @suite: the suite
 *
 * Return: 0 or pci_register_driver()'s error.
 */
int uvfio_suite_init(struct kunit_suite *suite)
{
	return pci_register_driver(&uvfio_kernel_driver);
}

/**
 * uvfio_suite_exit() - suite_exit: undoes uvfio_suite_init()
 * @suite: the suite
 */
void uvfio_suite_exit(struct kunit_suite *suite)
{
	pci_unregister_driver(&uvfio_kernel_driver);
}

#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)

struct uvfio_knob {
	struct vfsmount *mnt;
	const char *path;
	char __user *user;
	char old[8];
};

/*
 * Debugfs bool files have read and write but no read_iter/write_iter, so
 * kernel_read() cannot reach them: go through their file_operations with
 * the test's user memory, as a process would.
 */
static void uvfio_knob_write(struct uvfio_knob *knob, const char *val,
			     bool save)
{
	struct file *file = file_open_root_mnt(knob->mnt, knob->path, O_RDWR,
					       0);
	loff_t pos = 0;

	if (IS_ERR(file))
		return;
	if (save && file->f_op->read(file, knob->user, sizeof(knob->old) - 1,
				     &pos) > 0 &&
	    copy_from_user(knob->old, knob->user, sizeof(knob->old) - 1))
		knob->old[0] = 0;
	pos = 0;
	if (!copy_to_user(knob->user, val, strlen(val)))
		file->f_op->write(file, knob->user, strlen(val), &pos);
	fput(file);
}

/*
 * Runs in KUnit's cleanup thread, which has no mm: it borrows one for the
 * write, as kernel threads do that touch user memory.
 */
static void uvfio_knob_restore(void *data)
{
	struct uvfio_knob *knob = data;
	struct mm_struct *mm = NULL;
	unsigned long user;

	if (!current->mm) {
		mm = uvfio_mm_new();
		if (!mm)
			return;
		user = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_ANONYMOUS | MAP_PRIVATE, 0);
		knob->user = IS_ERR_VALUE(user) ? NULL : (char __user *)user;
	}
	if (knob->user)
		uvfio_knob_write(knob, knob->old, false);
	if (mm) {
		kthread_unuse_mm(mm);
		mmput(mm);
	}
}

/* A failslab knob set for the test, its old value back at the end. */
static void uvfio_knob_set(struct uvfio_fx *fx, struct vfsmount *mnt,
			   const char *path, const char *val)
{
	struct kunit *test = fx->test;
	struct uvfio_knob *knob = kunit_kzalloc(test, sizeof(*knob),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, knob);
	knob->mnt = mnt;
	knob->path = path;
	knob->user = fx->user;
	uvfio_knob_write(knob, val, true);
	KUNIT_ASSERT_NE_MSG(test, knob->old[0], 0, "%s", path);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
			uvfio_knob_restore, knob));
}

/**
 * uvfio_failslab() - let current->fail_nth fail GFP_KERNEL allocations
 * @fx: the fixture; the knobs are put back when the test ends
 *
 * Sets failslab's debugfs knobs: waiting allocations too, quietly.
 */
void uvfio_failslab(struct uvfio_fx *fx)
{
	struct vfsmount *mnt = uvfio_mount(fx->test, "debugfs");

	/* GFP_KERNEL allocations too, and without a trace for each. */
	uvfio_knob_set(fx, mnt, "failslab/ignore-gfp-wait", "N");
	uvfio_knob_set(fx, mnt, "failslab/verbose", "0");
}

#endif
