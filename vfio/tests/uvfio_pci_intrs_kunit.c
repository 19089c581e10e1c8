// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: vfio-pci's interrupts (VFIO_DEVICE_SET_IRQS) through the device
 * fd, with eventfds in the test's fd table: the refused headers (a table),
 * INTx delivery and masking at the function and at the line, the unmask
 * eventfd and its close while armed, the user's Interrupt Disable, MSI and
 * MSI-X vectors, one index at a time, ERR on an AER error, REQ on unbind,
 * what close and reset leave behind, and the races upstream had bugs in:
 * interrupts raised while SET_IRQS tears them down, while the device fd
 * is closed, and while the function is unbound.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kthread.h>
#include <linux/pci.h>

#include "pci/uvfio_pci_priv.h"
#include "sim_helpers.h"
#include "sim/simpci.h"
#include "uvfio_pci_helpers.h"

#define INTX		VFIO_PCI_INTX_IRQ_INDEX
#define MSI		VFIO_PCI_MSI_IRQ_INDEX
#define MSIX		VFIO_PCI_MSIX_IRQ_INDEX
#define ERR		VFIO_PCI_ERR_IRQ_INDEX
#define REQ		VFIO_PCI_REQ_IRQ_INDEX
#define NONE		VFIO_IRQ_SET_DATA_NONE
#define BOOL		VFIO_IRQ_SET_DATA_BOOL
#define EVENTFD		VFIO_IRQ_SET_DATA_EVENTFD
#define MASK		VFIO_IRQ_SET_ACTION_MASK
#define UNMASK		VFIO_IRQ_SET_ACTION_UNMASK
#define TRIGGER		VFIO_IRQ_SET_ACTION_TRIGGER

static long vp_fd(struct vp *v, u32 action, u32 index, u32 start, s32 fd)
{
	return vp_set_irqs(v, EVENTFD | action, index, start, 1, &fd,
			   sizeof(fd));
}

static long vp_none(struct vp *v, u32 action, u32 index, u32 start,
		    u32 count)
{
	return vp_set_irqs(v, NONE | action, index, start, count, NULL, 0);
}

static long vp_bool(struct vp *v, u32 action, u32 index, u8 val)
{
	return vp_set_irqs(v, BOOL | action, index, 0, 1, &val, 1);
}

/* Signals that arrive from a work item: wait for them a while. */
static u64 vp_wait_fired(struct kunit *test, int efd)
{
	u64 n;
	int i;

	for (i = 0; i < 200; i++) {
		n = vp_fired(test, efd);
		if (n)
			return n;
		usleep_range(5000, 10000);
	}
	return 0;
}

/* Nothing enabled: disabling any index is refused. */
static void vp_expect_nothing_enabled(struct kunit *test, struct vp *v)
{
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSI, 0, 0), -EINVAL);
	KUNIT_EXPECT_FALSE(test, v->pdev->msi_enabled);
	KUNIT_EXPECT_FALSE(test, v->pdev->msix_enabled);
}

/*
 * Refused headers, one row each: @argsz_delta is added to the argsz that
 * @len bytes of data (all ones: fd -1, bools true) would need.
 */
struct refuse_case {
	const char *name;
	enum vp_fn fn;
	u32 flags;
	u32 index;
	u32 start;
	u32 count;
	size_t len;
	int argsz_delta;
	int err;
};

static const struct refuse_case refuse_cases[] = {
	{ "argsz below the header", FN_DMA, NONE | TRIGGER, REQ, 0, 1, 0, -1,
	  -EINVAL },
	/* What would pass with argsz right: ERR's eventfd -1 (none). */
	{ "argsz below the header, ERR fd -1", FN_DMA, EVENTFD | TRIGGER, ERR,
	  0, 1, 4, -5, -EINVAL },
	{ "index 5", FN_DMA, NONE | TRIGGER, 5, 0, 1, 0, 0, -EINVAL },
	{ "start + count wraps", FN_DMA, NONE | TRIGGER, MSIX, 2, U32_MAX - 1,
	  0, 0, -EINVAL },
	{ "count U32_MAX", FN_DMA, NONE | TRIGGER, MSIX, 0, U32_MAX, 0, 0,
	  -EINVAL },
	{ "unknown flag", FN_DMA, NONE | TRIGGER | BIT(6), REQ, 0, 1, 0, 0,
	  -EINVAL },
	{ "two data types", FN_DMA, NONE | BOOL | TRIGGER, REQ, 0, 1, 1, 0,
	  -EINVAL },
	{ "no action", FN_DMA, NONE, REQ, 0, 1, 0, 0, -ENOTTY },
	{ "two actions", FN_DMA, NONE | MASK | TRIGGER, REQ, 0, 1, 0, 0,
	  -ENOTTY },
	{ "start past the vectors", FN_DMA, NONE | TRIGGER, MSIX, 4, 0, 0, 0,
	  -EINVAL },
	{ "count past the vectors", FN_DMA, NONE | TRIGGER, MSIX, 1, 4, 0, 0,
	  -EINVAL },
	/* ... where the vectors would be enabled if it were not past them. */
	{ "count past the vectors, eventfds -1", FN_DMA, EVENTFD | TRIGGER,
	  MSIX, 1, 4, 16, 0, -EINVAL },
	{ "eventfds cut short", FN_DMA, EVENTFD | TRIGGER, MSIX, 0, 2, 8, -1,
	  -EINVAL },
	{ "bools cut short", FN_DMA, BOOL | TRIGGER, MSIX, 0, 2, 2, -1,
	  -EINVAL },
	{ "ERR without PCI Express", FN_REGFILE, NONE | TRIGGER, ERR, 0, 1, 0,
	  0, -EINVAL },
	{ "MSI-X of a function without", FN_REGFILE, NONE | TRIGGER, MSIX, 0,
	  0, 0, 0, -EINVAL },
	{ "INTx of a function without a pin", FN_BARE, NONE | TRIGGER, INTX,
	  0, 1, 0, 0, -EINVAL },
	{ "MSI mask", FN_DMA, NONE | MASK, MSI, 0, 1, 0, 0, -ENOTTY },
	{ "MSI-X unmask", FN_DMA, NONE | UNMASK, MSIX, 0, 1, 0, 0, -ENOTTY },
	{ "ERR mask", FN_DMA, NONE | MASK, ERR, 0, 1, 0, 0, -ENOTTY },
	{ "REQ unmask", FN_DMA, NONE | UNMASK, REQ, 0, 1, 0, 0, -ENOTTY },
	{ "INTx mask, not enabled", FN_DMA, NONE | MASK, INTX, 0, 1, 0, 0,
	  -EINVAL },
	{ "INTx unmask, not enabled", FN_DMA, BOOL | UNMASK, INTX, 0, 1, 1, 0,
	  -EINVAL },
	{ "INTx loopback, not enabled", FN_DMA, NONE | TRIGGER, INTX, 0, 1, 0,
	  0, -EINVAL },
	{ "INTx disable, not enabled", FN_DMA, NONE | TRIGGER, INTX, 0, 0, 0,
	  0, -EINVAL },
	{ "INTx enable, count 0", FN_DMA, EVENTFD | TRIGGER, INTX, 0, 0, 0, 0,
	  -EINVAL },
	{ "MSI loopback, not enabled", FN_DMA, BOOL | TRIGGER, MSI, 0, 1, 1, 0,
	  -EINVAL },
	{ "MSI-X disable, not enabled", FN_DMA, NONE | TRIGGER, MSIX, 0, 0, 0,
	  0, -EINVAL },
	{ "ERR loopback, none set", FN_DMA, NONE | TRIGGER, ERR, 0, 1, 0, 0,
	  -EINVAL },
	{ "ERR bools, count 0", FN_DMA, BOOL | TRIGGER, ERR, 0, 0, 0, 0,
	  -EINVAL },
	{ "REQ eventfds, count 0", FN_DMA, EVENTFD | TRIGGER, REQ, 0, 0, 0, 0,
	  -EINVAL },
	{ "REQ disable, none set", FN_DMA, NONE | TRIGGER, REQ, 0, 0, 0, 0,
	  -EINVAL },
};

static void refuse_desc(const struct refuse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refuse, refuse_cases, refuse_desc);

static void uvfio_pci_set_irqs_refused(struct kunit *test)
{
	const struct refuse_case *c = test->param_value;
	struct vp *v = vp_open(test, c->fn);
	struct vfio_irq_set *hdr;
	size_t size = sizeof(*hdr) + c->len;

	hdr = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	memset(hdr->data, 0xff, c->len);
	hdr->argsz = size + c->argsz_delta;
	hdr->flags = c->flags;
	hdr->index = c->index;
	hdr->start = c->start;
	hdr->count = c->count;
	KUNIT_EXPECT_EQ(test, uvfio_ioctl_user(v->fx, v->device,
					       VFIO_DEVICE_SET_IRQS, hdr, size),
			c->err);
	vp_expect_nothing_enabled(test, v);
}

/*
 * Calls that depend on what is enabled: @enable (an index, given an
 * eventfd first) then one call, expecting @err and the index still
 * enabled afterwards.
 */
struct enabled_case {
	const char *name;
	u32 enable;
	u32 flags;
	u32 index;
	u32 count;
	int err;
};

static const struct enabled_case enabled_cases[] = {
	{ "INTx mask, count 0", INTX, NONE | MASK, INTX, 0, -EINVAL },
	{ "INTx unmask, count 0", INTX, NONE | UNMASK, INTX, 0, -EINVAL },
	{ "INTx bools, count 0", INTX, BOOL | TRIGGER, INTX, 0, -EINVAL },
	{ "INTx eventfds, count 0", INTX, EVENTFD | TRIGGER, INTX, 0, -EINVAL },
	{ "INTx unmask eventfd -1, none set", INTX, EVENTFD | UNMASK, INTX, 1,
	  0 },
	{ "MSI-X bools, count 0", MSIX, BOOL | TRIGGER, MSIX, 0, 0 },
	{ "MSI-X eventfds, count 0", MSIX, EVENTFD | TRIGGER, MSIX, 0, 0 },
	{ "MSI-X loopback of all", MSIX, NONE | TRIGGER, MSIX, 4, 0 },
	{ "MSI while MSI-X", MSIX, EVENTFD | TRIGGER, MSI, 1, -EINVAL },
	{ "MSI-X disable while INTx", INTX, NONE | TRIGGER, MSIX, 0, -EINVAL },
	{ "ERR bool set", ERR, BOOL | TRIGGER, ERR, 1, 0 },
	{ "ERR fd -1, then set again", ERR, EVENTFD | TRIGGER, ERR, 1, 0 },
	{ "REQ loopback", REQ, NONE | TRIGGER, REQ, 1, 0 },
	{ "REQ bool 1 with INTx", INTX, BOOL | TRIGGER, REQ, 1, 0 },
};

static void enabled_desc(const struct enabled_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(enabled, enabled_cases, enabled_desc);

static void uvfio_pci_set_irqs_enabled(struct kunit *test)
{
	const struct enabled_case *c = test->param_value;
	struct vp *v = vp_open(test, FN_DMA);
	s32 data[4] = { -1, -1, -1, -1 };
	int efd = vp_eventfd(test);
	size_t len = 0;

	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, c->enable, 0, efd), 0);
	if (c->flags & EVENTFD)
		len = 4 * c->count;
	else if (c->flags & BOOL)
		len = c->count;
	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, c->flags, c->index, 0, c->count,
					  data, len), c->err);
	/* What was enabled still is: disabling it works. */
	if (c->enable <= MSIX)
		KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, c->enable, 0, 0), 0);
}

/*
 * A start at the vector count is past the vectors even with count 0: the
 * disable it would otherwise be is refused, and MSI-X stays enabled.
 */
static void uvfio_pci_set_irqs_start_at_end(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	int n = pci_msix_vec_count(v->pdev);

	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, MSIX, 0, vp_eventfd(test)), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSIX, n, 0), -EINVAL);
	KUNIT_EXPECT_TRUE(test, v->pdev->msix_enabled);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSIX, n - 1, 0), 0);
	KUNIT_EXPECT_FALSE(test, v->pdev->msix_enabled);
}

/* Bad eventfds: -EBADF for no file, -EINVAL for one that is no eventfd. */
static void uvfio_pci_bad_eventfds(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	int other = uvfio_install_fd(v->fx, v->container);
	s32 fds[2] = { vp_eventfd(test), 1000 };

	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, 1000), -EBADF);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, other), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, REQ, 0, -2), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, other), -EINVAL);
	/* A header that cannot be read. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_SET_IRQS,
					  0x10), -EFAULT);
	/* The second vector's fd is bad: the first is undone, MSI-X off. */
	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, EVENTFD | TRIGGER, MSIX, 0, 2,
					  fds, sizeof(fds)), -EBADF);
	vp_expect_nothing_enabled(test, v);
	/* The same on top of vectors already enabled: those stay. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSIX, 3, fds[0]), 0);
	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, EVENTFD | TRIGGER, MSIX, 0, 2,
					  fds, sizeof(fds)), -EBADF);
	KUNIT_EXPECT_TRUE(test, v->pdev->msix_enabled);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSIX, 3, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[0]), 1);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSIX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[0]), 0);
	uvfio_uninstall_fd(v->fx, other, v->container);
}

/* Masked where the function says: at itself, or at the line. */
static bool vp_intx_masked(struct vp *v, bool pci_2_3)
{
	if (pci_2_3)
		return sim_cfg_read(v->pdev, PCI_COMMAND, 2) &
		       PCI_COMMAND_INTX_DISABLE;
	return irqd_irq_disabled(irq_get_irq_data(v->pdev->irq));
}

static const enum vp_fn intx_fns[] = { FN_REGFILE, FN_NOMASK };

static void intx_fn_desc(const enum vp_fn *fn, char *desc)
{
	strscpy(desc, *fn == FN_REGFILE ? "Interrupt Disable" : "at the line",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(intx_fn, intx_fns, intx_fn_desc);

/*
 * INTx: raised -> masked and signalled once; unmasked while still
 * asserted -> signalled again; deasserted and unmasked -> quiet, and the
 * next edge comes through. By ioctl with NONE and BOOL, and the mask
 * ioctl masks without a signal.
 */
static void uvfio_pci_intx_delivery(struct kunit *test)
{
	bool pci_2_3 = *(const enum vp_fn *)test->param_value == FN_REGFILE;
	struct vp *v = vp_open(test, *(const enum vp_fn *)test->param_value);
	struct simpci_dev *sdev = vp_sdev(v);
	int efd = vp_eventfd(test);

	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_EXPECT_TRUE(test, irq_has_action(v->pdev->irq));
	KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, pci_2_3));

	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));
	KUNIT_EXPECT_EQ(test, vp_bool(v, UNMASK, INTX, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));

	simpci_set_intx(sdev, false);
	KUNIT_EXPECT_EQ(test, vp_bool(v, UNMASK, INTX, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, pci_2_3));
	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);

	/* Masked by the user: nothing until unmasked. */
	KUNIT_EXPECT_EQ(test, vp_bool(v, MASK, INTX, 0), 0);
	KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, pci_2_3));
	KUNIT_EXPECT_EQ(test, vp_bool(v, MASK, INTX, 1), 0);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));
	KUNIT_EXPECT_EQ(test, vp_none(v, MASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, MASK, INTX, 0, efd), -ENOTTY);
	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);

	/* Loopback, then the eventfd replaced and cleared. */
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_bool(v, TRIGGER, INTX, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_bool(v, TRIGGER, INTX, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 2);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, -1), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);

	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 0), 0);
	KUNIT_EXPECT_FALSE(test, irq_has_action(v->pdev->irq));
	vp_expect_nothing_enabled(test, v);
}

static irqreturn_t vp_hog_handler(int irq, void *data)
{
	return IRQ_NONE;
}

/*
 * The line is another driver's alone: enabling INTx fails as
 * request_irq() does and leaves nothing behind; once it is free, it works.
 */
static void uvfio_pci_intx_line_taken(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct uvfio_pci_device *vpdev = dev_get_drvdata(&v->pdev->dev);
	int efd = vp_eventfd(test);

	KUNIT_ASSERT_EQ(test, request_irq(v->pdev->irq, vp_hog_handler, 0,
					  "vp-hog", v), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), -EBUSY);
	KUNIT_EXPECT_TRUE(test, xa_empty(&vpdev->irq_ctx));
	vp_expect_nothing_enabled(test, v);
	free_irq(v->pdev->irq, v);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 0), 0);
}

/*
 * The unmask eventfd: a signal unmasks, and a line still asserted is
 * signalled again (from a work item); one at a time; -1 removes it;
 * closing it while armed takes it away so that another can be set.
 */
static void uvfio_pci_intx_unmask_eventfd(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	int efd = vp_eventfd(test), ufd = vp_eventfd(test);

	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, ufd), -EINVAL);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, ufd), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, efd), -EBUSY);

	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vp_signal(test, ufd);
	KUNIT_EXPECT_EQ(test, vp_wait_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
	vp_signal(test, ufd);
	msleep(20);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, true));

	/* A signal pending when it is set counts at once. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, -1), 0);
	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	vp_signal(test, ufd);
	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, ufd), 0);
	KUNIT_EXPECT_EQ(test, vp_wait_fired(test, efd), 1);

	/* Closed while armed: gone, and a new one can be set. */
	vp_close_eventfd(ufd);
	ufd = vp_eventfd(test);
	KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, ufd), 0);
	vp_signal(test, ufd);
	KUNIT_EXPECT_EQ(test, vp_wait_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
}

/*
 * The user's Interrupt Disable masks INTx on its behalf: before INTx is
 * enabled (it starts masked), while it is, and with no INTx at all (the
 * function's bit follows the user's).
 */
static void uvfio_pci_intx_user_disable(struct kunit *test)
{
	bool pci_2_3 = *(const enum vp_fn *)test->param_value == FN_REGFILE;
	struct vp *v = vp_open(test, *(const enum vp_fn *)test->param_value);
	struct simpci_dev *sdev = vp_sdev(v);
	int efd = vp_eventfd(test);
	u16 cmd = vp_cfg_read(v, PCI_COMMAND, 2);

	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_DISABLE);
	if (pci_2_3)
		KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, true));
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));
	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	/* The ioctl cannot unmask what the user disabled. */
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	/* Loopback is quiet too. */
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);

	/* A byte write to the command register's upper half counts. */
	vp_cfg_write(v, PCI_COMMAND + 1, 1, 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, pci_2_3));

	/* Masked by an interrupt, then disabled: UNMASK leaves it masked. */
	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	simpci_set_intx(sdev, false);
	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1), 0);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));

	vp_cfg_write(v, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_TRUE(test, vp_intx_masked(v, pci_2_3));
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 0), 0);
	/* INTx gone: the function's bit follows the user's again. */
	vp_cfg_write(v, PCI_COMMAND, 2, cmd);
	if (pci_2_3)
		KUNIT_EXPECT_FALSE(test, vp_intx_masked(v, true));
}

/* The regfile's MSI: 4 vectors; a sub-range, replaced, cleared. */
static void uvfio_pci_msi_vectors(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	s32 fds[4];
	u8 bools[4] = { 1, 0, 1, 0 };
	int pos = v->pdev->msi_cap, i;
	u16 flags;

	for (i = 0; i < 4; i++)
		fds[i] = vp_eventfd(test);
	vp_cfg_write(v, PCI_COMMAND, 2, vp_cfg_read(v, PCI_COMMAND, 2) |
		     PCI_COMMAND_MASTER);

	KUNIT_ASSERT_EQ(test, vp_set_irqs(v, EVENTFD | TRIGGER, MSI, 1, 2,
					  fds + 1, 8), 0);
	KUNIT_EXPECT_TRUE(test, v->pdev->msi_enabled);
	/*
	 * Three vectors: Multiple Message Enable the user writes reaches the
	 * function, cut to the four SET_IRQS allocated. The user's enable
	 * reaches it as well: keep it on.
	 */
	vp_cfg_write(v, pos + PCI_MSI_FLAGS, 2,
		     FIELD_PREP(PCI_MSI_FLAGS_QSIZE, 1) | PCI_MSI_FLAGS_ENABLE);
	flags = sim_cfg_read(v->pdev, pos + PCI_MSI_FLAGS, 2);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_MSI_FLAGS_QSIZE, flags), 1);
	KUNIT_EXPECT_TRUE(test, flags & PCI_MSI_FLAGS_ENABLE);
	vp_cfg_write(v, pos + PCI_MSI_FLAGS, 2,
		     PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
	flags = vp_cfg_read(v, pos + PCI_MSI_FLAGS, 2);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_MSI_FLAGS_QSIZE, flags), 2);
	flags = sim_cfg_read(v->pdev, pos + PCI_MSI_FLAGS, 2);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_MSI_FLAGS_QSIZE, flags), 2);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 0, fds[0]), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 3, fds[3]), -EINVAL);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, i), 0);
		KUNIT_EXPECT_EQ(test, vp_fired(test, fds[i]), 1);
	}
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[3]), 0);

	KUNIT_EXPECT_EQ(test, vp_set_irqs(v, BOOL | TRIGGER, MSI, 0, 3, bools,
					  3), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vp_fired(test, fds[i]), bools[i]);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 1, fds[3]), 0);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[1]), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[3]), 1);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 1, -1), 0);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSI, 0, 3), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[3]), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[0]), 1);

	/* A reset keeps them: the PCI core restores MSI. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 1, fds[1]), 0);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_RESET, 0), 0);
	kunit_info(test, "flags %x cmd %x pm %x\n",
		   sim_cfg_read(v->pdev, pos + PCI_MSI_FLAGS, 2),
		   sim_cfg_read(v->pdev, PCI_COMMAND, 2),
		   sim_cfg_read(v->pdev, v->pdev->pm_cap + PCI_PM_CTRL, 2));
	vp_fired(test, fds[1]);
	vp_bar_write32(v, 0, SIMPCI_REG_MSI, 1);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[1]), 1);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[1]), 1);

	/* One index at a time. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, fds[0]), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, INTX, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSI, 0, 0), 0);
	KUNIT_EXPECT_FALSE(test, v->pdev->msi_enabled);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), -ENODEV);
	vp_expect_nothing_enabled(test, v);
}

/*
 * The DMA engine's MSI-X: vectors set in any order, a vector past those
 * enabled refused (no dynamic allocation here), the table's masking seen
 * by the function, INTx refused meanwhile.
 */
static void uvfio_pci_msix_vectors(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	struct simpci_dev *sdev = vp_sdev(v);
	s32 fds[4];
	int i;

	for (i = 0; i < 4; i++)
		fds[i] = vp_eventfd(test);
	vp_cfg_write(v, PCI_COMMAND, 2, vp_cfg_read(v, PCI_COMMAND, 2) |
		     PCI_COMMAND_MASTER);
	KUNIT_ASSERT_EQ(test, vp_set_irqs(v, EVENTFD | TRIGGER, MSIX, 0, 2,
					  fds, 8), 0);
	KUNIT_EXPECT_TRUE(test, v->pdev->msix_enabled);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSIX, 3, fds[3]), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSI, 0, fds[3]), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, fds[3]), -EINVAL);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, i), 0);
		KUNIT_EXPECT_EQ(test, vp_fired(test, fds[i]), 1);
	}
	/* A vector without eventfd is masked in the table: pending. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSIX, 1, -1), 0);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 1), 0);
	KUNIT_EXPECT_TRUE(test, simpci_msi_pending(sdev, 1));
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, MSIX, 1, fds[1]), 0);
	KUNIT_EXPECT_FALSE(test, simpci_msi_pending(sdev, 1));
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[1]), 1);

	/* A reset keeps them: the PCI core restores the table. */
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(v->device, VFIO_DEVICE_RESET, 0), 0);
	vp_cfg_write(v, PCI_COMMAND, 2, vp_cfg_read(v, PCI_COMMAND, 2) |
		     PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, simpci_signal_msi(sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, fds[0]), 1);

	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, MSIX, 0, 0), 0);
	vp_expect_nothing_enabled(test, v);
}

/* ERR: an AER error of the function reaches the user; loopback; clear. */
static void uvfio_pci_err(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	struct simpci_dev *sdev = vp_sdev(v);
	int efd = vp_eventfd(test), efd2 = vp_eventfd(test);

	KUNIT_EXPECT_EQ(test, simpci_raise_aer(sdev, PCI_ERR_UNC_COMP_ABORT),
			0);
	msleep(20);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, simpci_raise_aer(sdev, PCI_ERR_UNC_COMP_ABORT),
			0);
	KUNIT_EXPECT_EQ(test, vp_wait_fired(test, efd), 1);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_bool(v, TRIGGER, ERR, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_bool(v, TRIGGER, ERR, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 2);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, efd2), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd2), 1);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, -1), 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 1), -EINVAL);
	/* Two errors at once are not one the function reports. */
	KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, efd), 0);
	KUNIT_EXPECT_EQ(test, simpci_raise_aer(sdev, PCI_ERR_UNC_COMP_ABORT |
					       PCI_ERR_UNC_UNSUP), -EINVAL);
	msleep(20);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 0);
}

struct vp_unbinder {
	struct pci_dev *pdev;
	struct completion done;
};

static int vp_unbind_thread(void *data)
{
	struct vp_unbinder *u = data;

	uvfio_unbind(u->pdev);
	complete(&u->done);
	return 0;
}

/*
 * REQ: unbinding the function while it is open signals REQ until the
 * user closes the device fd; then the unbind completes. Interrupts raised
 * meanwhile are delivered until the close frees them.
 */
static void uvfio_pci_req_on_unbind(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_REGFILE);
	struct simpci_dev *sdev = vp_sdev(v);
	int rfd = vp_eventfd(test), efd = vp_eventfd(test);
	struct vp_unbinder u = { .pdev = v->pdev };
	struct task_struct *task;

	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, REQ, 0, rfd), 0);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	init_completion(&u.done);
	task = kthread_run(vp_unbind_thread, &u, "vp-unbind");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_EXPECT_EQ(test, vp_wait_fired(test, rfd), 1);
	KUNIT_EXPECT_FALSE(test, completion_done(&u.done));

	simpci_set_intx(sdev, true);
	KUNIT_EXPECT_EQ(test, vp_fired(test, efd), 1);
	uvfio_close(v->fx, v->device);
	KUNIT_ASSERT_NE(test, 0, wait_for_completion_timeout(&u.done, 5 * HZ));
	KUNIT_EXPECT_NULL(test, v->pdev->dev.driver);
	KUNIT_EXPECT_FALSE(test, irq_has_action(v->pdev->irq));
	simpci_set_intx(sdev, false);
}

/*
 * Close with everything set: the interrupt handlers, vectors and eventfds
 * are gone, Interrupt Disable is clear again, and the next open starts
 * from nothing.
 */
static void uvfio_pci_release(struct kunit *test)
{
	struct vp *v = vp_open(test, FN_DMA);
	int efd = vp_eventfd(test), ufd = vp_eventfd(test);

	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, INTX, 0, efd), 0);
	KUNIT_ASSERT_EQ(test, vp_fd(v, UNMASK, INTX, 0, ufd), 0);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, ERR, 0, efd), 0);
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, REQ, 0, efd), 0);
	vp_cfg_write(v, PCI_COMMAND, 2, vp_cfg_read(v, PCI_COMMAND, 2) |
		     PCI_COMMAND_INTX_DISABLE);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, irq_has_action(v->pdev->irq));

	v->device = vp_open_device(v);
	KUNIT_EXPECT_EQ(test, vp_cfg_read(v, PCI_COMMAND, 2) &
			PCI_COMMAND_INTX_DISABLE, 0);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, ERR, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, REQ, 0, 1), -EINVAL);
	vp_expect_nothing_enabled(test, v);

	KUNIT_ASSERT_EQ(test, vp_set_irqs(v, EVENTFD | TRIGGER, MSIX, 0, 1,
					  &efd, 4), 0);
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, v->pdev->msix_enabled);
}

/* A thread raising the function's interrupts until told to stop. */
struct vp_raiser {
	struct simpci_dev *sdev;
	bool msi;
	atomic_t stop;
	struct completion done;
};

static int vp_raise_thread(void *data)
{
	struct vp_raiser *r = data;

	while (!atomic_read(&r->stop)) {
		if (r->msi) {
			simpci_signal_msi(r->sdev, 0);
		} else {
			simpci_set_intx(r->sdev, true);
			simpci_set_intx(r->sdev, false);
		}
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

static void vp_raise_stop(void *data)
{
	struct vp_raiser *r = data;

	atomic_set(&r->stop, 1);
	wait_for_completion(&r->done);
}

static void vp_raise(struct kunit *test, struct vp_raiser *r,
		     struct simpci_dev *sdev, bool msi)
{
	struct task_struct *task;

	r->sdev = sdev;
	r->msi = msi;
	init_completion(&r->done);
	task = kthread_run(vp_raise_thread, r, "vp-raise");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vp_raise_stop,
							    r));
}

static const bool race_msi[] = { false, true };

static void race_desc(const bool *msi, char *desc)
{
	strscpy(desc, *msi ? "MSI" : "INTx", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(race, race_msi, race_desc);

/*
 * Interrupts raised without pause while SET_IRQS enables, replaces and
 * disables them, the unmask eventfd comes and goes, and the device fd is
 * closed with them live. Lockdep and KASAN watch in the debug kernel.
 */
static void uvfio_pci_irq_races(struct kunit *test)
{
	bool msi = *(const bool *)test->param_value;
	u32 index = msi ? MSI : INTX;
	struct vp *v = vp_open(test, FN_REGFILE);
	int efd = vp_eventfd(test), efd2 = vp_eventfd(test);
	struct vp_raiser *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	u64 fired;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	vp_cfg_write(v, PCI_COMMAND, 2, vp_cfg_read(v, PCI_COMMAND, 2) |
		     PCI_COMMAND_MASTER);
	vp_raise(test, r, vp_sdev(v), msi);
	for (i = 0; i < 50; i++) {
		KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, index, 0, efd), 0);
		KUNIT_EXPECT_EQ(test, vp_fd(v, TRIGGER, index, 0, efd2), 0);
		if (!msi) {
			KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, efd), 0);
			KUNIT_EXPECT_EQ(test, vp_none(v, UNMASK, INTX, 0, 1),
					0);
			KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, -1),
					0);
		}
		KUNIT_EXPECT_EQ(test, vp_none(v, TRIGGER, index, 0, 0), 0);
	}
	KUNIT_ASSERT_EQ(test, vp_fd(v, TRIGGER, index, 0, efd), 0);
	if (!msi)
		KUNIT_EXPECT_EQ(test, vp_fd(v, UNMASK, INTX, 0, efd2), 0);
	/* Enabled at the end: the raiser's next interrupt gets through. */
	fired = vp_fired(test, efd2);
	for (i = 0; i < 50 && !fired; i++) {
		msleep(20);
		fired = vp_fired(test, efd);
	}
	uvfio_close(v->fx, v->device);
	KUNIT_EXPECT_FALSE(test, irq_has_action(v->pdev->irq));
	KUNIT_EXPECT_FALSE(test, v->pdev->msi_enabled);
	KUNIT_EXPECT_GT(test, fired, 0);
}

static struct kunit_case uvfio_pci_intrs_cases[] = {
	KUNIT_CASE_PARAM(uvfio_pci_set_irqs_refused, refuse_gen_params),
	KUNIT_CASE_PARAM(uvfio_pci_set_irqs_enabled, enabled_gen_params),
	KUNIT_CASE(uvfio_pci_set_irqs_start_at_end),
	KUNIT_CASE(uvfio_pci_bad_eventfds),
	KUNIT_CASE_PARAM(uvfio_pci_intx_delivery, intx_fn_gen_params),
	KUNIT_CASE(uvfio_pci_intx_line_taken),
	KUNIT_CASE(uvfio_pci_intx_unmask_eventfd),
	KUNIT_CASE_PARAM(uvfio_pci_intx_user_disable, intx_fn_gen_params),
	KUNIT_CASE(uvfio_pci_msi_vectors),
	KUNIT_CASE(uvfio_pci_msix_vectors),
	KUNIT_CASE(uvfio_pci_err),
	KUNIT_CASE(uvfio_pci_req_on_unbind),
	KUNIT_CASE(uvfio_pci_release),
	KUNIT_CASE_PARAM(uvfio_pci_irq_races, race_gen_params),
	{}
};

static struct kunit_suite uvfio_pci_intrs_suite = {
	.name = "uvfio_pci_intrs",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_pci_intrs_cases,
};

kunit_test_suite(uvfio_pci_intrs_suite);

MODULE_DESCRIPTION("KUnit: vfio-uml's vfio-pci interrupts");
MODULE_LICENSE("GPL");
