// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml platform: device resets, found by the device's first compatible
 * string, as upstream's reset modules are. A device with none has no
 * VFIO_DEVICE_FLAGS_RESET and, while reset_required is set, is not bound.
 */
#include <linux/io.h>
#include <linux/string.h>

#include "uvfio_platform_priv.h"

/* A register of region 0 that resets the device when written. */
static int reset_by_register(struct uvfio_platform_device *vpdev, u32 off,
			     u32 val)
{
	struct uvfio_platform_region *r = vpdev->regions;

	if (!vpdev->num_regions || !r->mmio || r->size < off + sizeof(u32))
		return -EINVAL;
	iowrite32(val, r->ioaddr + off);
	return 0;
}

/* The simulated copy engine: RESET at 0x2c. */
static int reset_sim_dma(struct uvfio_platform_device *vpdev)
{
	return reset_by_register(vpdev, 0x2c, 1);
}

/* The simulated register block: RESET at 0x08. */
static int reset_sim_regs(struct uvfio_platform_device *vpdev)
{
	return reset_by_register(vpdev, 0x08, 1);
}

static const struct {
	const char *compat;
	uvfio_platform_reset_fn reset;
} resets[] = {
	{ "uvfio-sim,dma", reset_sim_dma },
	{ "uvfio-sim,regs", reset_sim_regs },
};

/**
 * uvfio_platform_do_reset() - reset the device by its handler
 * @vpdev: the device, open
 *
 * VFIO_DEVICE_RESET, and the resets of the first open and the last close.
 *
 * Return: the handler's result, or -EINVAL when the device has none.
 */
int uvfio_platform_do_reset(struct uvfio_platform_device *vpdev)
{
	struct device *dev = &vpdev->pdev->dev;

	if (!vpdev->reset) {
		dev_dbg(dev, "no reset handler for %s\n", vpdev->compat);
		return -EINVAL;
	}
	dev_dbg(dev, "reset\n");
	return vpdev->reset(vpdev);
}

/**
 * uvfio_platform_find_reset() - the reset handler of a compatible string
 * @compat: the device's first compatible string
 *
 * Return: the handler, or NULL when there is none.
 */
uvfio_platform_reset_fn uvfio_platform_find_reset(const char *compat)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(resets); i++)
		if (!strcmp(resets[i].compat, compat))
			return resets[i].reset;
	return NULL;
}
