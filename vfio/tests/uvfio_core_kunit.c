// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core's state machine, one case per cell of docs/state-machine.md:
 * each state is built on a fresh container and group (the mfd group of two
 * functions, the first bound to uvfio-test), one call is made, and its
 * result and the state afterwards are checked. An error must leave the
 * state as it was.
 */
#include <kunit/test.h>
#include <linux/file.h>

#include "uvfio_helpers.h"

enum uvfio_sm_state {
	SM_OPENED,	/* container and group open, nothing set */
	SM_SET,		/* VFIO_GROUP_SET_CONTAINER done */
	SM_IOMMU,	/* VFIO_SET_IOMMU done */
	SM_DEVICE,	/* a device fd open */
	SM_NOT_VIABLE,	/* a kernel driver uses the other function */
	SM_GONE,	/* group fd open, its only vfio device unbound */
	SM_STATES
};

static const char * const uvfio_sm_names[SM_STATES] = {
	[SM_OPENED]	= "opened",
	[SM_SET]	= "container set",
	[SM_IOMMU]	= "iommu set",
	[SM_DEVICE]	= "device open",
	[SM_NOT_VIABLE]	= "not viable",
	[SM_GONE]	= "group gone",
};

struct uvfio_sm {
	struct uvfio_fx *fx;
	struct pci_dev *fn, *other;
	struct uvfio_test_dev *tdev;
	struct file *container, *group;
	unsigned int devices;		/* device fds open */
};

/* A user address nothing is mapped at. */
#define UVFIO_BAD_PTR	0x10UL
#define UVFIO_UNKNOWN	0x4242UL	/* no backend knows this type */

static long sm_api_version(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, VFIO_GET_API_VERSION, 0);
}

static long sm_ext_test(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, VFIO_CHECK_EXTENSION,
			   UVFIO_TEST_IOMMU);
}

static long sm_ext_unknown(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, VFIO_CHECK_EXTENSION, UVFIO_UNKNOWN);
}

static long sm_set_iommu(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, VFIO_SET_IOMMU, UVFIO_TEST_IOMMU);
}

static long sm_set_iommu_unknown(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, VFIO_SET_IOMMU, UVFIO_UNKNOWN);
}

static long sm_container_unknown(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->container, _IO(VFIO_TYPE, VFIO_BASE + 0x7f), 0);
}

static long sm_status(struct uvfio_sm *sm)
{
	long ret = uvfio_group_status(sm->fx, sm->group);

	return ret < 0 ? ret : 0;
}

static long sm_status_short(struct uvfio_sm *sm)
{
	struct vfio_group_status st = {
		.argsz = offsetofend(struct vfio_group_status, flags) - 1,
	};

	return uvfio_ioctl_user(sm->fx, sm->group, VFIO_GROUP_GET_STATUS, &st,
				sizeof(st));
}

static long sm_status_fault(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->group, VFIO_GROUP_GET_STATUS, UVFIO_BAD_PTR);
}

static long sm_set_container(struct uvfio_sm *sm)
{
	return uvfio_set_container(sm->fx, sm->group, sm->container);
}

static long sm_set_container_badf(struct uvfio_sm *sm)
{
	int fd = -1;

	return uvfio_ioctl_user(sm->fx, sm->group, VFIO_GROUP_SET_CONTAINER,
				&fd, sizeof(fd));
}

static long sm_set_container_group(struct uvfio_sm *sm)
{
	return uvfio_set_container(sm->fx, sm->group, sm->group);
}

static long sm_set_container_fault(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->group, VFIO_GROUP_SET_CONTAINER, UVFIO_BAD_PTR);
}

static long sm_unset_container(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->group, VFIO_GROUP_UNSET_CONTAINER, 0);
}

static long sm_get_device(struct uvfio_sm *sm)
{
	long err;

	if (uvfio_get_device(sm->fx, sm->group, pci_name(sm->fn), &err))
		sm->devices++;
	return err;
}

static long sm_get_device_other(struct uvfio_sm *sm)
{
	long err;

	KUNIT_EXPECT_NULL(sm->fx->test, uvfio_get_device(sm->fx, sm->group,
			  pci_name(sm->other), &err));
	return err;
}

static long sm_get_device_fault(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->group, VFIO_GROUP_GET_DEVICE_FD, UVFIO_BAD_PTR);
}

static long sm_group_unknown(struct uvfio_sm *sm)
{
	return uvfio_ioctl(sm->group, _IO(VFIO_TYPE, VFIO_BASE + 0x7f), 0);
}

static long sm_open_group_again(struct uvfio_sm *sm)
{
	char path[32];
	int err;

	snprintf(path, sizeof(path), "vfio/%d",
		 uvfio_group_id(sm->fx->test, sm->fn));
	KUNIT_EXPECT_NULL(sm->fx->test, uvfio_open_node(sm->fx, path, &err));
	return err;
}

/* The result of a call in one state, and the state it leads to. */
struct uvfio_sm_cell {
	long ret;
	bool moves;
	enum uvfio_sm_state next;
};

#define R(r)		{ .ret = (r) }
#define T(r, s)		{ .ret = (r), .moves = true, .next = (s) }
#define ALL(r)		{ R(r), R(r), R(r), R(r), R(r), R(r) }

struct uvfio_sm_call {
	const char *name;
	long (*call)(struct uvfio_sm *sm);
	struct uvfio_sm_cell cell[SM_STATES];
};

/*
 * Columns: opened, container set, iommu set, device open, not viable,
 * group gone. The same table is docs/state-machine.md.
 */
static const struct uvfio_sm_call uvfio_sm_calls[] = {
	{ "GET_API_VERSION", sm_api_version, ALL(VFIO_API_VERSION) },
	{ "CHECK_EXTENSION(test)", sm_ext_test, ALL(1) },
	{ "CHECK_EXTENSION(unknown)", sm_ext_unknown, ALL(0) },
	{ "SET_IOMMU(test)", sm_set_iommu,
	  { R(-EINVAL), T(0, SM_IOMMU), R(-EINVAL), R(-EINVAL), R(-EINVAL),
	    R(-EINVAL) } },
	{ "SET_IOMMU(unknown)", sm_set_iommu_unknown,
	  { R(-EINVAL), R(-ENODEV), R(-EINVAL), R(-EINVAL), R(-EINVAL),
	    R(-EINVAL) } },
	{ "container unknown ioctl", sm_container_unknown,
	  { R(-EINVAL), R(-EINVAL), R(-ENOTTY), R(-ENOTTY), R(-EINVAL),
	    R(-EINVAL) } },
	{ "GET_STATUS", sm_status,
	  { R(0), R(0), R(0), R(0), R(0), R(-ENODEV) } },
	{ "GET_STATUS(argsz short)", sm_status_short, ALL(-EINVAL) },
	{ "GET_STATUS(bad pointer)", sm_status_fault, ALL(-EFAULT) },
	{ "SET_CONTAINER(container)", sm_set_container,
	  { T(0, SM_SET), R(-EINVAL), R(-EINVAL), R(-EINVAL), R(-EPERM),
	    R(-ENODEV) } },
	{ "SET_CONTAINER(-1)", sm_set_container_badf, ALL(-EBADF) },
	{ "SET_CONTAINER(group fd)", sm_set_container_group,
	  { R(-EBADFD), R(-EINVAL), R(-EINVAL), R(-EINVAL), R(-EBADFD),
	    R(-ENODEV) } },
	{ "SET_CONTAINER(bad pointer)", sm_set_container_fault, ALL(-EFAULT) },
	{ "UNSET_CONTAINER", sm_unset_container,
	  { R(-EINVAL), T(0, SM_OPENED), T(0, SM_OPENED), R(-EBUSY),
	    R(-EINVAL), R(-EINVAL) } },
	{ "GET_DEVICE_FD(device)", sm_get_device,
	  { R(-EINVAL), R(-EINVAL), T(0, SM_DEVICE), R(0), R(-EINVAL),
	    R(-ENODEV) } },
	{ "GET_DEVICE_FD(not a vfio device)", sm_get_device_other,
	  ALL(-ENODEV) },
	{ "GET_DEVICE_FD(bad pointer)", sm_get_device_fault, ALL(-EFAULT) },
	{ "group unknown ioctl", sm_group_unknown, ALL(-ENOTTY) },
	{ "open(group) again", sm_open_group_again,
	  { R(-EBUSY), R(-EBUSY), R(-EBUSY), R(-EBUSY), R(-EBUSY),
	    R(-ENOENT) } },
};

struct uvfio_sm_param {
	const struct uvfio_sm_call *call;
	enum uvfio_sm_state state;
};

static struct uvfio_sm_param uvfio_sm_params[ARRAY_SIZE(uvfio_sm_calls) *
					      SM_STATES];

static const void *uvfio_sm_gen(const void *prev, char *desc)
{
	const struct uvfio_sm_param *p = prev;
	size_t i;

	if (!p) {
		for (i = 0; i < ARRAY_SIZE(uvfio_sm_params); i++) {
			uvfio_sm_params[i].call = &uvfio_sm_calls[i / SM_STATES];
			uvfio_sm_params[i].state = i % SM_STATES;
		}
		p = uvfio_sm_params;
	} else if (++p == uvfio_sm_params + ARRAY_SIZE(uvfio_sm_params)) {
		return NULL;
	}
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s",
		 uvfio_sm_names[p->state], p->call->name);
	return p;
}

static void uvfio_sm_enter(struct kunit *test, struct uvfio_sm *sm,
			   enum uvfio_sm_state state)
{
	long err;

	sm->fx = uvfio_fx(test);
	sm->fn = uvfio_fn(test, UVFIO_FN_MFD0);
	sm->other = uvfio_fn(test, UVFIO_FN_MFD1);
	KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, sm->fn, UVFIO_TEST_DRIVER));
	sm->tdev = uvfio_test_dev_of(&sm->fn->dev);
	KUNIT_ASSERT_NOT_NULL(test, sm->tdev);
	sm->container = uvfio_open_container(sm->fx);
	sm->group = uvfio_open_group(sm->fx, uvfio_group_id(test, sm->fn));

	switch (state) {
	case SM_NOT_VIABLE:
		KUNIT_ASSERT_EQ(test, 0, uvfio_bind(test, sm->other,
						    UVFIO_KERNEL_DRIVER));
		return;
	case SM_GONE:
		uvfio_unbind(sm->fn);
		sm->tdev = NULL;
		return;
	default:
		break;
	}
	if (state == SM_OPENED)
		return;
	KUNIT_ASSERT_EQ(test, 0, sm_set_container(sm));
	if (state == SM_SET)
		return;
	KUNIT_ASSERT_EQ(test, 0, sm_set_iommu(sm));
	if (state == SM_IOMMU)
		return;
	KUNIT_ASSERT_NOT_NULL(test, uvfio_get_device(sm->fx, sm->group,
						     pci_name(sm->fn), &err));
	sm->devices = 1;
}

/* What can be seen of a state from outside. */
static void uvfio_sm_check(struct kunit *test, struct uvfio_sm *sm,
			   enum uvfio_sm_state state)
{
	static const long flags[SM_STATES] = {
		[SM_OPENED]	= VFIO_GROUP_FLAGS_VIABLE,
		[SM_SET]	= VFIO_GROUP_FLAGS_VIABLE |
				  VFIO_GROUP_FLAGS_CONTAINER_SET,
		[SM_IOMMU]	= VFIO_GROUP_FLAGS_VIABLE |
				  VFIO_GROUP_FLAGS_CONTAINER_SET,
		[SM_DEVICE]	= VFIO_GROUP_FLAGS_VIABLE |
				  VFIO_GROUP_FLAGS_CONTAINER_SET,
		[SM_NOT_VIABLE]	= 0,
		[SM_GONE]	= -ENODEV,
	};
	bool backend = state == SM_IOMMU || state == SM_DEVICE;

	KUNIT_EXPECT_EQ(test, uvfio_group_status(sm->fx, sm->group),
			flags[state]);
	KUNIT_EXPECT_EQ(test, uvfio_test_iommu_live(sm->fx), backend);
	KUNIT_EXPECT_EQ(test, uvfio_ioctl(sm->container,
					  UVFIO_TEST_IOMMU_GROUPS, 0),
			backend ? 1 : -EINVAL);
	if (sm->tdev)
		KUNIT_EXPECT_EQ(test, atomic_read(&sm->tdev->opens) -
				atomic_read(&sm->tdev->closes),
				state == SM_DEVICE);
	if (state == SM_DEVICE)
		KUNIT_EXPECT_GE(test, sm->devices, 1);
	else
		KUNIT_EXPECT_EQ(test, sm->devices, 0);
}

static void uvfio_sm_cell(struct kunit *test)
{
	const struct uvfio_sm_param *p = test->param_value;
	const struct uvfio_sm_cell *cell = &p->call->cell[p->state];
	struct uvfio_sm sm = {};

	uvfio_sm_enter(test, &sm, p->state);
	uvfio_sm_check(test, &sm, p->state);

	KUNIT_EXPECT_EQ(test, p->call->call(&sm), cell->ret);
	/* A refused call changes nothing. */
	uvfio_sm_check(test, &sm, cell->moves ? cell->next : p->state);
}

static struct kunit_case uvfio_core_cases[] = {
	KUNIT_CASE_PARAM(uvfio_sm_cell, uvfio_sm_gen),
	{}
};

static struct kunit_suite uvfio_core_suite = {
	.name = "uvfio_state_machine",
	.suite_init = uvfio_suite_init,
	.suite_exit = uvfio_suite_exit,
	.test_cases = uvfio_core_cases,
};

kunit_test_suite(uvfio_core_suite);

MODULE_DESCRIPTION("KUnit: the vfio-uml core's state machine");
MODULE_LICENSE("GPL");
