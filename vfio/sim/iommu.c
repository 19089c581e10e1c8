// SPDX-License-Identifier: GPL-2.0-only
/*
 * A fake IOMMU for the functions behind the simulated PCI host bridge.
 *
 * It registers with the IOMMU core like hardware drivers do and claims only
 * the simulated functions. Groups follow the PCI topology (pci_device_group:
 * functions of a multi-function device without ACS share one, devices
 * behind a conventional PCI bridge share the bridge's). The default domain
 * is identity, since UML has no DMA-API translation; paging domains have a
 * four-level page table (iommu_pgtable.c) with 4 KiB, 2 MiB and 1 GiB
 * pages. The MSI doorbell is a reserved region: message writes do not go
 * through translation.
 *
 * The simulated device models do DMA through simiommu_translate(), which
 * walks the domain the requester is attached to, checks permissions, and
 * records a fault instead of giving access when the walk fails.
 *
 * The simulated platform's devices (simplat.h) are taken the way an SMMU
 * takes them: a second instance registered for the tree's IOMMU node, the
 * stream ID of a device's `iommus` entry in its fwspec (of_xlate), a group
 * for each device. PCI functions carry no fwspec and stay with the first
 * instance, which has no fwnode.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/iommu.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "simiommu_internal.h"
#include "simpci.h"
#include "simplat.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "simiommu."

static unsigned int aperture_bits = 48;
module_param(aperture_bits, uint, 0444);
MODULE_PARM_DESC(aperture_bits, "IOVA bits of paging domains (clamped to 32-48)");

static unsigned long pgsizes = SZ_4K | SZ_2M | SZ_1G;
module_param(pgsizes, ulong, 0444);
MODULE_PARM_DESC(pgsizes, "page size bitmap (4K, 2M, 1G)");

struct simiommu_master {
	struct device *dev;
	u32 rid;			/* or SIMIOMMU_STREAM() of a stream ID */
	struct iommu_domain *domain;	/* attached now, under attach_lock */
};

static struct iommu_device simiommu_dev;
static struct iommu_device simiommu_plat_dev;	/* the tree's IOMMU node */
static DEFINE_XARRAY(masters);		/* requester ID to master */
static DEFINE_SPINLOCK(attach_lock);

static struct {
	spinlock_t lock;
	unsigned long count;
	struct simiommu_fault last;
	atomic_t fail_map;		/* fail the n-th map call, 0: off */
	atomic_t fail_alloc;		/* fail the n-th domain allocation */
	atomic_t fail_attach;		/* fail the n-th paging attach */
	atomic_t domains;		/* paging domains alive */
	atomic64_t mapped;		/* bytes they map, in all */
} stats = {
	.lock = __SPIN_LOCK_UNLOCKED(stats.lock),
};

/*
 * The same three failures through the kernel's fault injection
 * (debugfs fail_simiommu/, and a task's fail-nth, which counts them with
 * every slab and page allocation): a fail-nth sweep from userspace reaches
 * them like any allocation.
 */
static DECLARE_FAULT_ATTR(fail_simiommu);

static struct iommu_ops simiommu_ops;

static struct simiommu_domain *to_sdomain(struct iommu_domain *domain)
{
	return container_of(domain, struct simiommu_domain, domain);
}

/*
 * An injected failure: true on the n-th call after it was armed, or when
 * the fault injection framework says so.
 */
static bool inject(atomic_t *nth)
{
	int old = atomic_read(nth);

	while (old > 0) {
		if (atomic_try_cmpxchg(nth, &old, old - 1))
			return old == 1;
	}
	return should_fail(&fail_simiommu, 1);
}

static int attach(struct iommu_domain *domain, struct device *dev)
{
	struct simiommu_master *m = dev_iommu_priv_get(dev);
	unsigned long flags;

	/* Only paging domains: falling back to the fixed ones must work. */
	if (domain->type == IOMMU_DOMAIN_UNMANAGED && inject(&stats.fail_attach))
		return -ENOSPC;
	spin_lock_irqsave(&attach_lock, flags);
	m->domain = domain;
	spin_unlock_irqrestore(&attach_lock, flags);
	return 0;
}

static const struct iommu_domain_ops fixed_domain_ops = {
	.attach_dev = attach,
};

static struct iommu_domain identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY,
	.ops = &fixed_domain_ops,
};

static struct iommu_domain blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &fixed_domain_ops,
};

static int map_pages(struct iommu_domain *domain, unsigned long iova,
		     phys_addr_t paddr, size_t pgsize, size_t pgcount,
		     int prot, gfp_t gfp, size_t *mapped)
{
	struct simiommu_domain *d = to_sdomain(domain);
	unsigned long flags;
	u64 before;
	int ret;

	if (inject(&stats.fail_map))
		return -ENOMEM;
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	/* The table walker sees the aperture's IOVA, no more. */
	if (iova < domain->geometry.aperture_start ||
	    iova > domain->geometry.aperture_end ||
	    (u64)pgsize * pgcount - 1 > domain->geometry.aperture_end - iova)
		return -ERANGE;
	spin_lock_irqsave(&d->lock, flags);
	before = d->mapped_bytes;
	/* Table pages are allocated under the lock: never sleep there. */
	ret = simiommu_pt_map(d, iova, paddr, pgsize, pgcount, prot,
			      (gfp & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN,
			      mapped);
	atomic64_add(d->mapped_bytes - before, &stats.mapped);
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

static size_t unmap_pages(struct iommu_domain *domain, unsigned long iova,
			  size_t pgsize, size_t pgcount,
			  struct iommu_iotlb_gather *gather)
{
	struct simiommu_domain *d = to_sdomain(domain);
	unsigned long flags;
	u64 before;
	size_t ret;

	spin_lock_irqsave(&d->lock, flags);
	before = d->mapped_bytes;
	ret = simiommu_pt_unmap(d, iova, pgsize, pgcount);
	atomic64_sub(before - d->mapped_bytes, &stats.mapped);
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

static phys_addr_t iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct simiommu_domain *d = to_sdomain(domain);
	unsigned long flags;
	phys_addr_t paddr;
	size_t size;

	spin_lock_irqsave(&d->lock, flags);
	if (!simiommu_pt_lookup(d, iova, &paddr, &size))
		paddr = 0;
	spin_unlock_irqrestore(&d->lock, flags);
	return paddr;
}

/*
 * DMA of the models is snooped (there are no caches to bypass), unless a
 * test said otherwise with simiommu_snoop() before the domain was made.
 */
static bool nosnoop;

static bool enforce_cache_coherency(struct iommu_domain *domain)
{
	return to_sdomain(domain)->snoop;
}

static void domain_free(struct iommu_domain *domain)
{
	struct simiommu_domain *d = to_sdomain(domain);

	atomic64_sub(d->mapped_bytes, &stats.mapped);
	atomic_dec(&stats.domains);
	simiommu_pt_free(d);
	kfree(d);
}

static const struct iommu_domain_ops paging_domain_ops = {
	.attach_dev = attach,
	.map_pages = map_pages,
	.unmap_pages = unmap_pages,
	.iova_to_phys = iova_to_phys,
	.enforce_cache_coherency = enforce_cache_coherency,
	.free = domain_free,
};

/* An aperture other than [0, aperture_bits) for the next domains (tests). */
static struct {
	u64 start;
	u64 end;
} next_aperture;

static struct iommu_domain *domain_alloc_paging(struct device *dev)
{
	struct simiommu_domain *d;

	if (inject(&stats.fail_alloc))
		return ERR_PTR(-ENOMEM);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	if (simiommu_pt_init(d)) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&d->lock);
	d->snoop = !READ_ONCE(nosnoop);
	d->domain.ops = &paging_domain_ops;
	d->domain.pgsize_bitmap = simiommu_ops.pgsize_bitmap;
	d->domain.geometry.aperture_start = READ_ONCE(next_aperture.start);
	d->domain.geometry.aperture_end = READ_ONCE(next_aperture.end) ?:
					  (1ULL << aperture_bits) - 1;
	d->domain.geometry.force_aperture = true;
	atomic_inc(&stats.domains);
	return &d->domain;
}

static bool simiommu_capable(struct device *dev, enum iommu_cap cap)
{
	return cap == IOMMU_CAP_CACHE_COHERENCY && !READ_ONCE(nosnoop);
}

/* The stream ID of a platform device of ours, from its fwspec. */
static bool plat_stream(struct device *dev, u32 *stream)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);

	if (!fwspec || !simiommu_plat_dev.fwnode ||
	    fwspec->iommu_fwnode != simiommu_plat_dev.fwnode ||
	    fwspec->num_ids != 1)
		return false;
	*stream = fwspec->ids[0];
	return true;
}

static struct iommu_device *probe_device(struct device *dev)
{
	struct iommu_device *iommu = &simiommu_dev;
	struct simiommu_master *m;
	u32 rid, stream;
	int ret;

	if (dev_is_pci(dev) && simpci_owns(to_pci_dev(dev))) {
		rid = pci_dev_id(to_pci_dev(dev));
	} else if (plat_stream(dev, &stream)) {
		rid = SIMIOMMU_STREAM(stream);
		iommu = &simiommu_plat_dev;
	} else {
		return ERR_PTR(-ENODEV);
	}

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->dev = dev;
	m->rid = rid;
	ret = xa_insert_irq(&masters, m->rid, m, GFP_KERNEL);
	if (ret) {
		kfree(m);
		return ERR_PTR(ret);
	}
	dev_iommu_priv_set(dev, m);
	return iommu;
}

static int of_xlate(struct device *dev, const struct of_phandle_args *args)
{
	if (args->args_count != 1 || args->args[0] > SIMIOMMU_STREAM_MAX)
		return -EINVAL;
	return iommu_fwspec_add_ids(dev, args->args, 1);
}

/* Platform devices are isolated from each other: a group each. */
static struct iommu_group *device_group(struct device *dev)
{
	return dev_is_pci(dev) ? pci_device_group(dev) :
	       generic_device_group(dev);
}

static void release_device(struct device *dev)
{
	struct simiommu_master *m = dev_iommu_priv_get(dev);
	unsigned long flags;

	xa_erase_irq(&masters, m->rid);
	/* No translation still looks at it once the lock was taken. */
	spin_lock_irqsave(&attach_lock, flags);
	spin_unlock_irqrestore(&attach_lock, flags);
	kfree(m);
}

static int def_domain_type(struct device *dev)
{
	return IOMMU_DOMAIN_IDENTITY;
}

/* A further reserved region every function reports while set (tests). */
static struct {
	spinlock_t lock;	/* start, length and type read as one */
	u64 start;
	u64 length;
	enum iommu_resv_type type;
} extra_resv = { .lock = __SPIN_LOCK_UNLOCKED(extra_resv.lock) };

static void get_resv_regions(struct device *dev, struct list_head *head)
{
	struct iommu_resv_region *resv;
	enum iommu_resv_type type;
	u64 start, length;

	resv = iommu_alloc_resv_region(SIMPCI_MSI_WINDOW_START,
				       SIMPCI_MSI_WINDOW_SIZE,
				       IOMMU_WRITE | IOMMU_MMIO,
				       IOMMU_RESV_MSI, GFP_KERNEL);
	if (resv)
		list_add_tail(&resv->list, head);

	spin_lock(&extra_resv.lock);
	start = extra_resv.start;
	length = extra_resv.length;
	type = extra_resv.type;
	spin_unlock(&extra_resv.lock);
	if (!length)
		return;
	resv = iommu_alloc_resv_region(start, length, 0, type, GFP_KERNEL);
	if (resv)
		list_add_tail(&resv->list, head);
}

static struct iommu_ops simiommu_ops = {
	.capable = simiommu_capable,
	.domain_alloc_paging = domain_alloc_paging,
	.probe_device = probe_device,
	.release_device = release_device,
	.device_group = device_group,
	.of_xlate = of_xlate,
	.get_resv_regions = get_resv_regions,
	.def_domain_type = def_domain_type,
	.identity_domain = &identity_domain,
	.blocked_domain = &blocked_domain,
	.default_domain_ops = &paging_domain_ops,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
	.owner = THIS_MODULE,
};

static void record_fault(u64 iova, u32 rid, enum simiommu_fault_kind kind)
{
	unsigned long flags;

	spin_lock_irqsave(&stats.lock, flags);
	stats.count++;
	stats.last.iova = iova;
	stats.last.rid = rid;
	stats.last.kind = kind;
	spin_unlock_irqrestore(&stats.lock, flags);
}

/* Walk a paging domain; false and @kind set on a fault. */
static bool walk_paging(struct iommu_domain *domain, u64 iova, bool write,
			phys_addr_t *paddr, enum simiommu_fault_kind *kind)
{
	struct simiommu_domain *d = to_sdomain(domain);
	int need = write ? IOMMU_WRITE : IOMMU_READ;
	size_t size;
	int prot;

	spin_lock(&d->lock);
	prot = simiommu_pt_lookup(d, iova, paddr, &size);
	spin_unlock(&d->lock);
	if (!prot)
		*kind = SIMIOMMU_FAULT_UNMAPPED;
	else if (!(prot & need))
		*kind = write ? SIMIOMMU_FAULT_WRITE : SIMIOMMU_FAULT_READ;
	return prot & need;
}

/*
 * The DMA translation of the simulated models: @len bytes at @iova, within
 * one 4 KiB page, as the master @rid is attached now.
 */
static int translate(u32 rid, u64 iova, size_t len, bool write, void **kva)
{
	struct simiommu_master *m;
	struct iommu_domain *domain;
	enum simiommu_fault_kind kind;
	unsigned long flags;
	phys_addr_t paddr = iova;
	bool ok = false;

	spin_lock_irqsave(&attach_lock, flags);
	m = xa_load(&masters, rid);
	domain = m ? m->domain : NULL;
	if (!domain || domain->type == IOMMU_DOMAIN_BLOCKED)
		kind = SIMIOMMU_FAULT_BLOCKED;
	else if (domain->type == IOMMU_DOMAIN_IDENTITY)
		ok = true;
	else
		ok = walk_paging(domain, iova, write, &paddr, &kind);
	if (ok && !pfn_valid(PHYS_PFN(paddr))) {
		kind = SIMIOMMU_FAULT_UNMAPPED;
		ok = false;
	}
	spin_unlock_irqrestore(&attach_lock, flags);

	if (!ok) {
		record_fault(iova, rid, kind);
		return kind == SIMIOMMU_FAULT_UNMAPPED ? -EFAULT : -EPERM;
	}
	*kva = phys_to_virt(paddr);
	return 0;
}

static int simiommu_translate(struct simpci_dev *sdev, u64 iova, size_t len,
			      bool write, void **kva)
{
	return translate(simpci_dev_dma_rid(sdev), iova, len, write, kva);
}

static int translate_stream(u32 stream, u64 iova, size_t len, bool write,
			    void **kva)
{
	return translate(SIMIOMMU_STREAM(stream), iova, len, write, kva);
}

/**
 * simiommu_fault_count() - number of DMA accesses refused since boot
 *
 * Return: the count.
 */
unsigned long simiommu_fault_count(void)
{
	unsigned long flags, n;

	spin_lock_irqsave(&stats.lock, flags);
	n = stats.count;
	spin_unlock_irqrestore(&stats.lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(simiommu_fault_count);

/**
 * simiommu_last_fault() - the last refused DMA access
 * @fault: filled in
 *
 * Return: false when there was none since the last simiommu_clear_faults().
 */
bool simiommu_last_fault(struct simiommu_fault *fault)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&stats.lock, flags);
	any = stats.count;
	*fault = stats.last;
	spin_unlock_irqrestore(&stats.lock, flags);
	return any;
}
EXPORT_SYMBOL_GPL(simiommu_last_fault);

/**
 * simiommu_clear_faults() - forget the recorded faults
 */
void simiommu_clear_faults(void)
{
	unsigned long flags;

	spin_lock_irqsave(&stats.lock, flags);
	stats.count = 0;
	memset(&stats.last, 0, sizeof(stats.last));
	spin_unlock_irqrestore(&stats.lock, flags);
}
EXPORT_SYMBOL_GPL(simiommu_clear_faults);

/**
 * simiommu_mapped_bytes() - bytes a paging domain maps now
 * @domain: a paging domain of this IOMMU
 *
 * Return: the sum of the sizes of its leaves.
 */
u64 simiommu_mapped_bytes(struct iommu_domain *domain)
{
	struct simiommu_domain *d = to_sdomain(domain);
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&d->lock, flags);
	n = d->mapped_bytes;
	spin_unlock_irqrestore(&d->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(simiommu_mapped_bytes);

/**
 * simiommu_walk_mappings() - the leaves of a paging domain
 * @domain: a paging domain of this IOMMU
 * @fn: called for each leaf, in IOVA order, with the domain locked; a
 *	non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Return: what @fn returned last, or 0.
 */
int simiommu_walk_mappings(struct iommu_domain *domain,
			      simiommu_leaf_fn fn, void *arg)
{
	struct simiommu_domain *d = to_sdomain(domain);
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&d->lock, flags);
	ret = simiommu_pt_walk(d, fn, arg);
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(simiommu_walk_mappings);

/**
 * simiommu_fail_map() - make a map call fail with -ENOMEM
 * @nth: the @nth map_pages call from now fails; 0 disarms
 */
void simiommu_fail_map(unsigned int nth)
{
	atomic_set(&stats.fail_map, nth);
}
EXPORT_SYMBOL_GPL(simiommu_fail_map);

/**
 * simiommu_fail_domain_alloc() - make a paging domain allocation fail
 * @nth: the @nth allocation from now fails with -ENOMEM; 0 disarms
 */
void simiommu_fail_domain_alloc(unsigned int nth)
{
	atomic_set(&stats.fail_alloc, nth);
}
EXPORT_SYMBOL_GPL(simiommu_fail_domain_alloc);

/**
 * simiommu_fail_attach() - make attaching a paging domain fail
 * @nth: the @nth attach of a device to a paging domain from now fails
 *	with -ENOSPC (an IOMMU out of domain IDs); 0 disarms
 */
void simiommu_fail_attach(unsigned int nth)
{
	atomic_set(&stats.fail_attach, nth);
}
EXPORT_SYMBOL_GPL(simiommu_fail_attach);

/**
 * simiommu_next_aperture() - the aperture of paging domains allocated next
 * @start: their first IOVA
 * @end: their last IOVA; 0 restores the default, [0, 2^aperture_bits)
 *
 * For tests of what an IOMMU with another aperture joining a container
 * does; domains allocated before keep theirs.
 */
void simiommu_next_aperture(u64 start, u64 end)
{
	WRITE_ONCE(next_aperture.start, end ? start : 0);
	WRITE_ONCE(next_aperture.end, end);
}
EXPORT_SYMBOL_GPL(simiommu_next_aperture);

/**
 * simiommu_snoop() - whether the models' DMA is snooped
 * @on: true, the default; false for tests of an IOMMU that cannot make
 *	DMA cache-coherent
 *
 * Off, no function reports IOMMU_CAP_CACHE_COHERENCY and the paging
 * domains allocated next cannot enforce cache coherency; domains
 * allocated before keep what they had.
 */
void simiommu_snoop(bool on)
{
	WRITE_ONCE(nosnoop, !on);
}
EXPORT_SYMBOL_GPL(simiommu_snoop);

/**
 * simiommu_extra_resv() - a reserved region every function reports
 * @start: its first IOVA
 * @length: its size; 0 takes it away
 * @type: IOMMU_RESV_RESERVED, IOMMU_RESV_DIRECT_RELAXABLE, ...
 *
 * For tests of a group whose reserved regions differ from the ones of the
 * groups already in a container; the MSI window stays reported besides.
 */
void simiommu_extra_resv(u64 start, u64 length, enum iommu_resv_type type)
{
	spin_lock(&extra_resv.lock);
	extra_resv.start = start;
	extra_resv.length = length;
	extra_resv.type = type;
	spin_unlock(&extra_resv.lock);
}
EXPORT_SYMBOL_GPL(simiommu_extra_resv);

/*
 * What a leak check from userspace reads (debugfs simiommu/state): paging
 * domains alive and the bytes they map, refused DMA accesses so far.
 */
static int state_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "domains %d\nmapped_bytes %lld\nfaults %lu\n",
		   atomic_read(&stats.domains),
		   (long long)atomic64_read(&stats.mapped),
		   simiommu_fault_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static void simiommu_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("simiommu", NULL);

	debugfs_create_file("state", 0444, dir, NULL, &state_fops);
	fault_create_debugfs_attr("fail_simiommu", NULL, &fail_simiommu);
}

/*
 * Ask the PCI core to enable ACS on every function it finds from now on,
 * before the simulated functions are enumerated: like hardware IOMMU
 * drivers, so that functions with ACS get groups of their own.
 */
static int __init simiommu_request_acs(void)
{
	pci_request_acs();
	return 0;
}
subsys_initcall(simiommu_request_acs);

/*
 * The instance for the tree's IOMMU node, when UML booted with our tree:
 * of_iommu finds it by the node's fwnode when a platform device's driver
 * binds. Without it the platform devices have no IOMMU, as PCI stays.
 */
static void __init simiommu_plat_init(void)
{
	struct platform_device *pdev;
	struct device_node *np;

	if (!IS_ENABLED(CONFIG_UML_SIM_PLATFORM))
		return;
	np = of_find_compatible_node(NULL, NULL, "uvfio-sim,iommu");
	pdev = np ? of_find_device_by_node(np) : NULL;
	of_node_put(np);
	if (!pdev)
		return;
	if (iommu_device_sysfs_add(&simiommu_plat_dev, NULL, NULL,
				   "simiommu-plat"))
		goto out;
	if (iommu_device_register(&simiommu_plat_dev, &simiommu_ops,
				  &pdev->dev)) {
		iommu_device_sysfs_remove(&simiommu_plat_dev);
		goto out;
	}
	simplat_set_dma_translate(translate_stream);
out:
	put_device(&pdev->dev);
}

static int __init simiommu_init(void)
{
	int ret;

	aperture_bits = clamp(aperture_bits, 32U, 48U);
	/* The table has 4 KiB, 2 MiB and 1 GiB leaves; 4 KiB is required. */
	pgsizes &= SZ_4K | SZ_2M | SZ_1G;
	simiommu_ops.pgsize_bitmap = pgsizes | SZ_4K;

	ret = iommu_device_sysfs_add(&simiommu_dev, NULL, NULL, "simiommu");
	if (ret)
		return ret;
	ret = iommu_device_register(&simiommu_dev, &simiommu_ops, NULL);
	if (ret) {
		iommu_device_sysfs_remove(&simiommu_dev);
		return ret;
	}
	simpci_set_dma_translate(simiommu_translate);
	simiommu_plat_init();
	simiommu_debugfs_init();
	return 0;
}
device_initcall(simiommu_init);
