// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot topology of the simulated PCI hardware, from the kernel command
 * line: simpci.topology=<entry>[,<entry>...], an entry being
 * [SS.F/]SS.F=<model>: slot and function (hex) on the root bus, or behind
 * the bridge at the first SS.F. "none" gives an empty bus. Without the
 * parameter the default below is used.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "simpci.h"
#include "simpci_models.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "simpci."

/*
 * A DMA engine with MSI-X; a register device with MSI and INTx; a
 * two-function device; a bridge with two register devices behind it; an
 * Intel I/OAT channel (05.0: 04.0 is where clients add a "ram" function).
 */
static char *topology =
	"00.0=dma,01.0=regfile,02.0=mfd,02.1=mfd,03.0=bridge,03.0/00.0=regfile,03.0/01.0=regfile,05.0=ioat";
module_param(topology, charp, 0444);
MODULE_PARM_DESC(topology, "simulated PCI devices: [SS.F/]SS.F=model,...");

static int parse_devfn(const char *s, u8 *devfn)
{
	unsigned int slot, fn;
	char end;

	if (sscanf(s, "%x.%x%c", &slot, &fn, &end) != 2 || slot > 31 || fn > 7)
		return -EINVAL;
	*devfn = PCI_DEVFN(slot, fn);
	return 0;
}

static struct simpci_dev *find_bridge(u8 devfn)
{
	struct simpci_dev *sdev = simpci_dev_find(simpci_root_busnr(), devfn);

	return sdev && simpci_dev_desc(sdev)->bridge ? sdev : NULL;
}

static int add_entry(char *entry)
{
	struct simpci_dev_create_args args = {};
	char *model = strchr(entry, '='), *slash;
	struct simpci_dev *sdev;
	u8 devfn;
	int ret;

	if (!model)
		return -EINVAL;
	*model++ = 0;
	args.desc = simpci_model_find(model, strlen(model));
	if (!args.desc)
		return -EINVAL;
	slash = strchr(entry, '/');
	if (slash) {
		*slash++ = 0;
		if (parse_devfn(entry, &devfn))
			return -EINVAL;
		args.parent = find_bridge(devfn);
		if (!args.parent)
			return -EINVAL;
		entry = slash;
	}
	if (parse_devfn(entry, &args.devfn))
		return -EINVAL;

	sdev = simpci_dev_create(&args);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	ret = simpci_dev_plug(sdev);
	if (ret)
		simpci_dev_destroy(sdev);
	return ret;
}

/**
 * simpci_topology_add() - plug the devices a topology string describes
 * @spec: entries as for simpci.topology=, or "none"
 *
 * Every good entry is plugged (hot-added once the bridge is up); a bad one
 * is reported and skipped.
 *
 * Return: 0, or the error of the first bad entry: -EINVAL for a bad slot,
 * an unknown model or a parent that is no bridge, -EBUSY for a taken slot.
 */
int simpci_topology_add(const char *spec)
{
	char *buf, *p, *entry;
	int ret = 0;

	if (!strcmp(spec, "none"))
		return 0;
	buf = kstrdup(spec, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = buf;
	while ((entry = strsep(&p, ",")) != NULL) {
		char copy[32];
		int err;

		if (!*entry)
			continue;
		strscpy(copy, entry, sizeof(copy));
		err = add_entry(entry);
		if (err) {
			pr_warn("simpci: topology entry '%s': %d\n", copy, err);
			if (!ret)
				ret = err;
		}
	}
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(simpci_topology_add);

/**
 * simpci_topology_init() - create the boot devices
 *
 * Bad entries are reported and skipped.
 */
void simpci_topology_init(void)
{
	simpci_topology_add(topology);
}

/**
 * simpci_topology_remove() - unplug the functions of the root bus
 * @keep: devfns to leave alone, a bitmap of 256
 *
 * A bridge that is unplugged takes everything below it along.
 */
void simpci_topology_remove(const unsigned long *keep)
{
	unsigned int devfn;

	for_each_clear_bit(devfn, keep, 256) {
		struct simpci_dev *sdev;

		sdev = simpci_dev_find(simpci_root_busnr(), devfn);
		if (sdev)
			simpci_dev_unplug(sdev);
	}
}
EXPORT_SYMBOL_GPL(simpci_topology_remove);
