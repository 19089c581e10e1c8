// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform: the devices of the tree UML booted with.
 *
 * At boot, every node with a compatible string of a model (plat_models.c)
 * becomes a device: its reg 0 is a register window, decoded at access time
 * from SIMPLAT_REG_WINDOW through logic_iomem; a reg 1 that lies in RAM
 * (kept from the kernel by the tree's reserved-memory) is a RAM window,
 * whose accesses reach those pages. Its interrupts are lines of our
 * controller, its DMA goes through the translation the fake IOMMU
 * installs for the stream ID of its `iommus` entry.
 */
#include <linux/init.h>
#include <linux/io.h>
#include <linux/logic_iomem.h>
#include <linux/mm.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/of_reserved_mem.h>
#include <linux/pfn.h>
#include <linux/slab.h>

#include "simplat_internal.h"

static LIST_HEAD(devices);		/* made at boot, then read only */
static struct resource reg_window;
static simplat_dma_fn dma_translate;

static u64 ones(int size)
{
	return size == 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
}

static struct simplat_dev *decode(u64 addr, int size, u64 *off)
{
	struct simplat_dev *sdev;

	list_for_each_entry(sdev, &devices, node) {
		if (addr >= sdev->regs.start &&
		    addr + size - 1 <= sdev->regs.end) {
			*off = addr - sdev->regs.start;
			return sdev;
		}
	}
	return NULL;
}

/* An access nobody decodes reads all ones, as on a bus. */
static u64 reg_access(u64 addr, int size, bool write, u64 val)
{
	const struct simplat_model_ops *ops;
	struct simplat_dev *sdev;
	unsigned long flags;
	u64 off, ret = ones(size);

	sdev = decode(addr, size, &off);
	if (!sdev)
		return ret;
	ops = sdev->model->ops;
	spin_lock_irqsave(&sdev->lock, flags);
	if (write)
		ops->write(sdev, off, size, val);
	else
		ret = ops->read(sdev, off, size) & ones(size);
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (ops->after_access)
		ops->after_access(sdev);
	return ret;
}

static unsigned long reg_read(void *priv, unsigned int offset, int size)
{
	return reg_access(reg_window.start + offset, size, false, 0);
}

static void reg_write(void *priv, unsigned int offset, int size,
		      unsigned long val)
{
	reg_access(reg_window.start + offset, size, true, val);
}

static const struct logic_iomem_ops reg_ops = {
	.read = reg_read,
	.write = reg_write,
};

static unsigned long ram_read(void *priv, unsigned int offset, int size)
{
	struct resource *ram = priv;
	unsigned long val = 0;

	memcpy(&val, phys_to_virt(ram->start + offset), size);
	return val;
}

static void ram_write(void *priv, unsigned int offset, int size,
		      unsigned long val)
{
	struct resource *ram = priv;

	memcpy(phys_to_virt(ram->start + offset), &val, size);
}

static const struct logic_iomem_ops ram_ops = {
	.read = ram_read,
	.write = ram_write,
};

static long map_reg(unsigned long offset, size_t size,
		    const struct logic_iomem_ops **ops, void **priv)
{
	*ops = &reg_ops;
	*priv = &reg_window;
	return offset;
}

/*
 * logic_iomem tells a region's map only the offset, not the region: one
 * RAM window in all, the one of ram_dev.
 */
static struct simplat_dev *ram_dev;

static long map_ram(unsigned long offset, size_t size,
		    const struct logic_iomem_ops **ops, void **priv)
{
	*ops = &ram_ops;
	*priv = &ram_dev->ram;
	return offset;
}

static const struct logic_iomem_region_ops reg_region_ops = {
	.map = map_reg,
};

static const struct logic_iomem_region_ops ram_region_ops = {
	.map = map_ram,
};

/**
 * simplat_dev_find() - the simulated device of a tree node
 * @np: the node
 *
 * Return: the device, or NULL when no model made one of @np.
 */
struct simplat_dev *simplat_dev_find(const struct device_node *np)
{
	struct simplat_dev *sdev;

	list_for_each_entry(sdev, &devices, node)
		if (sdev->np == np)
			return sdev;
	return NULL;
}
EXPORT_SYMBOL_GPL(simplat_dev_find);

struct device_node *simplat_dev_node(struct simplat_dev *sdev)
{
	return sdev->np;
}
EXPORT_SYMBOL_GPL(simplat_dev_node);

void *simplat_dev_priv(struct simplat_dev *sdev)
{
	return sdev->priv;
}
EXPORT_SYMBOL_GPL(simplat_dev_priv);

void simplat_dev_lock(struct simplat_dev *sdev, unsigned long *flags)
	__acquires(&sdev->lock)
{
	spin_lock_irqsave(&sdev->lock, *flags);
}
EXPORT_SYMBOL_GPL(simplat_dev_lock);

void simplat_dev_unlock(struct simplat_dev *sdev, unsigned long flags)
	__releases(&sdev->lock)
{
	spin_unlock_irqrestore(&sdev->lock, flags);
}
EXPORT_SYMBOL_GPL(simplat_dev_unlock);

/**
 * simplat_dev_reset() - the device's reset: registers to power-on state
 * @sdev: the device
 *
 * What the model's reset register does; its RAM window keeps its content.
 */
void simplat_dev_reset(struct simplat_dev *sdev)
{
	const struct simplat_model_ops *ops = sdev->model->ops;
	unsigned long flags;

	spin_lock_irqsave(&sdev->lock, flags);
	ops->reset(sdev);
	sdev->resets++;
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (ops->after_access)
		ops->after_access(sdev);
}
EXPORT_SYMBOL_GPL(simplat_dev_reset);

/**
 * simplat_dev_resets() - how often the device was reset since boot
 * @sdev: the device
 *
 * Return: the count.
 */
unsigned int simplat_dev_resets(struct simplat_dev *sdev)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&sdev->lock, flags);
	n = sdev->resets;
	spin_unlock_irqrestore(&sdev->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(simplat_dev_resets);

/**
 * simplat_dev_ram() - the pages behind a RAM window
 * @sdev: the device
 * @reg: index of its reg entry
 * @size: set to the window's size
 *
 * Return: the kernel address of the window, or NULL when @reg is not one.
 */
void *simplat_dev_ram(struct simplat_dev *sdev, unsigned int reg,
		      size_t *size)
{
	if (reg != 1 || !sdev->ram.flags)
		return NULL;
	*size = resource_size(&sdev->ram);
	return phys_to_virt(sdev->ram.start);
}
EXPORT_SYMBOL_GPL(simplat_dev_ram);

/**
 * simplat_set_level() - a device drives one of its level interrupts
 * @sdev: the device
 * @index: the interrupt, by its `interrupts` entry
 * @high: asserted or not
 *
 * Return: 0, or -EINVAL for an index the device does not have or an edge
 * interrupt.
 */
int simplat_set_level(struct simplat_dev *sdev, unsigned int index,
		      bool high)
{
	if (index >= sdev->nr_irqs || sdev->edge[index])
		return -EINVAL;
	simplat_intc_set(sdev->line[index], high);
	return 0;
}
EXPORT_SYMBOL_GPL(simplat_set_level);

/**
 * simplat_pulse() - a device signals one of its edge interrupts
 * @sdev: the device
 * @index: the interrupt, by its `interrupts` entry
 *
 * Return: 0, or -EINVAL for an index the device does not have or a level
 * interrupt.
 */
int simplat_pulse(struct simplat_dev *sdev, unsigned int index)
{
	if (index >= sdev->nr_irqs || !sdev->edge[index])
		return -EINVAL;
	simplat_intc_pulse(sdev->line[index]);
	return 0;
}
EXPORT_SYMBOL_GPL(simplat_pulse);

/**
 * simplat_set_dma_translate() - install the IOMMU's translation
 * @fn: translation, or NULL for none (bus address == physical address)
 *
 * Return: the translation installed before, for the caller to put back.
 */
simplat_dma_fn simplat_set_dma_translate(simplat_dma_fn fn)
{
	return xchg(&dma_translate, fn);
}
EXPORT_SYMBOL_GPL(simplat_set_dma_translate);

/**
 * simplat_dma_map() - a device's view of memory for one DMA access
 * @sdev: the device
 * @iova: bus address
 * @len: length, not crossing a page boundary of @iova
 * @write: the device writes
 * @kva: set to the kernel address of the memory
 *
 * A device without an `iommus` entry, or with no translation installed,
 * reaches physical memory directly.
 *
 * Return: 0; -EINVAL for a length of 0 or one that crosses a page;
 * -EFAULT for an address with no memory behind it; or the translation's
 * error.
 */
int simplat_dma_map(struct simplat_dev *sdev, u64 iova, size_t len,
		    bool write, void **kva)
{
	simplat_dma_fn fn = READ_ONCE(dma_translate);

	if (!len || offset_in_page(iova) + len > PAGE_SIZE)
		return -EINVAL;
	if (fn && sdev->has_stream)
		return fn(sdev->stream, iova, len, write, kva);
	if (!pfn_valid(PHYS_PFN(iova)))
		return -EFAULT;
	*kva = phys_to_virt(iova);
	return 0;
}
EXPORT_SYMBOL_GPL(simplat_dma_map);

static bool in_ram(const struct resource *r)
{
	return pfn_valid(PHYS_PFN(r->start)) && pfn_valid(PHYS_PFN(r->end));
}

static int __init write_cells(__be32 *cell, int n, u64 val)
{
	while (n--) {
		cell[n] = cpu_to_be32(lower_32_bits(val));
		val = n ? upper_32_bits(val) : val >> 32;
	}
	return val ? -ERANGE : 0;
}

/*
 * Firmware's part: a RAM window is a reserved-memory region placed at
 * boot, named by the device's memory-region; reg 1 is written with where
 * it landed before of_platform reads the node.
 */
static int __init place_ram(struct device_node *np)
{
	struct device_node *mem = of_parse_phandle(np, "memory-region", 0);
	int na = of_n_addr_cells(np), ns = of_n_size_cells(np);
	int len = 2 * (na + ns) * sizeof(__be32);
	struct reserved_mem *rmem;
	struct property *prop;
	const void *reg;
	__be32 *val;
	int ret;

	if (!mem)
		return 0;
	rmem = of_reserved_mem_lookup(mem);
	of_node_put(mem);
	reg = of_get_property(np, "reg", &ret);
	if (!rmem || !reg || ret != len)
		return -EINVAL;
	prop = kzalloc(sizeof(*prop) + len, GFP_KERNEL);
	if (!prop)
		return -ENOMEM;
	val = (__be32 *)(prop + 1);
	memcpy(val, reg, len);
	ret = write_cells(val + na + ns, na, rmem->base) ?:
	      write_cells(val + 2 * na + ns, ns, rmem->size);
	prop->name = "reg";
	prop->length = len;
	prop->value = val;
	if (!ret)
		ret = of_update_property(np, prop);
	/* On success the tree keeps it, as it keeps every property. */
	if (ret)
		kfree(prop);
	return ret;
}

static int __init parse_irqs(struct simplat_dev *sdev)
{
	struct of_phandle_args oirq;

	while (!of_irq_parse_one(sdev->np, sdev->nr_irqs, &oirq)) {
		unsigned int i = sdev->nr_irqs;

		of_node_put(oirq.np);
		if (i == SIMPLAT_MAX_IRQS || oirq.args_count != 2 ||
		    oirq.args[0] >= SIMPLAT_LINES)
			return -EINVAL;
		sdev->line[i] = oirq.args[0];
		sdev->edge[i] = oirq.args[1] & IRQ_TYPE_EDGE_BOTH;
		sdev->nr_irqs++;
	}
	return 0;
}

/* Last step of a device's creation: the RAM window cannot be taken back. */
static int __init parse_regs(struct simplat_dev *sdev)
{
	struct resource r;
	int ret;

	if (of_address_to_resource(sdev->np, 0, &sdev->regs) ||
	    sdev->regs.start < reg_window.start ||
	    sdev->regs.end > reg_window.end)
		return -EINVAL;
	if (of_address_to_resource(sdev->np, 1, &r))
		return 0;
	if (!in_ram(&r) || !PAGE_ALIGNED(r.start) ||
	    !PAGE_ALIGNED(resource_size(&r)))
		return -EINVAL;
	if (ram_dev)
		return -EBUSY;
	sdev->ram = r;
	memset(phys_to_virt(r.start), 0, resource_size(&r));
	ret = logic_iomem_add_region(&sdev->ram, &ram_region_ops);
	if (!ret)
		ram_dev = sdev;
	return ret;
}

static int __init create(struct device_node *np,
			 const struct simplat_model *model)
{
	struct of_phandle_args spec;
	struct simplat_dev *sdev;
	int ret;

	sdev = kzalloc(struct_size(sdev, priv, model->priv_size), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	sdev->np = np;
	sdev->model = model;
	spin_lock_init(&sdev->lock);
	ret = parse_irqs(sdev) ?: place_ram(np) ?: parse_regs(sdev);
	if (ret) {
		pr_err("simplat: %pOF: %d\n", np, ret);
		kfree(sdev);
		return ret;
	}
	if (!of_parse_phandle_with_args(np, "iommus", "#iommu-cells", 0,
					&spec)) {
		of_node_put(spec.np);
		sdev->has_stream = spec.args_count == 1;
		sdev->stream = spec.args[0];
	}
	model->ops->reset(sdev);
	of_node_get(np);
	list_add_tail(&sdev->node, &devices);
	return 0;
}

/*
 * Before of_platform populates the tree (arch_initcall_sync), so that
 * the interrupt domain is there when drivers ask for their interrupts.
 * A node that cannot be made is left out; the others stay.
 */
static int __init simplat_init(void)
{
	const struct simplat_model *model;
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "uvfio-sim,intc");
	if (!np)
		return 0;	/* booted without our tree */
	ret = simplat_intc_init(np);
	if (ret)
		return ret;

	reg_window = (struct resource)
		DEFINE_RES_MEM_NAMED(SIMPLAT_REG_WINDOW_START,
				     SIMPLAT_REG_WINDOW_SIZE,
				     "simplat registers");
	ret = logic_iomem_add_region(&reg_window, &reg_region_ops);
	if (ret)
		return ret;

	for_each_of_allnodes(np) {
		model = simplat_model_find(np);
		if (model && of_device_is_available(np))
			create(np, model);
	}
	return 0;
}
arch_initcall(simplat_init);
