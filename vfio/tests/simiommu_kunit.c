// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the fake IOMMU through the IOMMU API: groups of the
 * default topology, attach and detach, map and unmap of pages, ranges and
 * large pages, reserved regions, fault injection, and device DMA that is
 * translated, refused where nothing or only reading is mapped, and blocked
 * while a group is owned without a domain.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "simiommu_helpers.h"

struct group_case {
	const char *name;
	bool a_bridged;
	u8 a;
	bool b_bridged;
	u8 b;
	bool same;
};

static const struct group_case group_cases[] = {
	{ "dma alone", false, SIM_DMA_DEVFN, false, SIM_REGFILE_DEVFN, false },
	{ "regfile alone", false, SIM_REGFILE_DEVFN, false, SIM_MFD_DEVFN(0),
	  false },
	{ "functions without ACS share", false, SIM_MFD_DEVFN(0), false,
	  SIM_MFD_DEVFN(1), true },
	{ "behind a PCI bridge share", true, PCI_DEVFN(0, 0), true,
	  PCI_DEVFN(1, 0), true },
	{ "with the bridge itself", false, SIM_BRIDGE_DEVFN, true,
	  PCI_DEVFN(0, 0), true },
	{ "bridge apart from root functions", false, SIM_BRIDGE_DEVFN, false,
	  SIM_DMA_DEVFN, false },
};

KUNIT_ARRAY_PARAM_DESC(group, group_cases, name);

/* Groups follow the topology as real IOMMUs make them. */
static void iommu_groups(struct kunit *test)
{
	const struct group_case *c = test->param_value;
	u8 bus = sim_secondary_bus(test);
	struct pci_dev *a = sim_pci_dev(test, c->a_bridged ? bus :
					simpci_root_busnr(), c->a);
	struct pci_dev *b = sim_pci_dev(test, c->b_bridged ? bus :
					simpci_root_busnr(), c->b);
	struct iommu_group *ga = sim_group(test, &a->dev);
	struct iommu_group *gb = sim_group(test, &b->dev);

	KUNIT_EXPECT_EQ(test, ga == gb, c->same);
	KUNIT_EXPECT_GE(test, iommu_group_id(ga), 0);
	/* The default domain is identity: UML has no DMA-API translation. */
	KUNIT_EXPECT_EQ(test, iommu_get_domain_for_dev(&a->dev)->type,
			IOMMU_DOMAIN_IDENTITY);
	KUNIT_EXPECT_TRUE(test, device_iommu_capable(&a->dev,
			  IOMMU_CAP_CACHE_COHERENCY));
}

/* Functions that advertise ACS are isolated from each other. */
static void iommu_groups_acs(struct kunit *test)
{
	static const struct simpci_cap_desc caps[] = {
		{ .id = PCI_CAP_ID_EXP },
		{ .id = PCI_EXT_CAP_ID_ACS, .ext = true },
		{}
	};
	static const struct simpci_dev_desc acs_fn = {
		.name = "acs", .vendor = SIMPCI_VENDOR, .device = SIM_TEST_DEVICE_ACS,
		.class = PCI_CLASS_OTHERS << 16, .caps = caps,
	};
	struct pci_dev *f0, *f1;

	/* Function 1 first: the slot is scanned when function 0 arrives. */
	sim_plug(test, &acs_fn, NULL, SIM_HOTPLUG_DEVFN + 1);
	sim_plug(test, &acs_fn, NULL, SIM_HOTPLUG_DEVFN);
	f0 = sim_root_pci(test, SIM_HOTPLUG_DEVFN);
	f1 = sim_root_pci(test, SIM_HOTPLUG_DEVFN + 1);
	KUNIT_EXPECT_TRUE(test, f0->multifunction);
	KUNIT_EXPECT_PTR_NE(test, sim_group(test, &f0->dev),
			    sim_group(test, &f1->dev));
}

/* A paging domain attaches to an owned group and detaches back. */
static void iommu_attach_detach(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_group *group = sim_group(test, &pdev->dev);
	struct iommu_domain *other, *domain;

	domain = sim_attach_paging(test, &pdev->dev);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(&pdev->dev),
			    domain);
	KUNIT_EXPECT_EQ(test, domain->type, IOMMU_DOMAIN_UNMANAGED);
	KUNIT_EXPECT_EQ(test, domain->geometry.aperture_end, (1ULL << 48) - 1);

	/* One domain at a time. */
	other = sim_paging_domain(test, &pdev->dev);
	KUNIT_EXPECT_EQ(test, iommu_attach_group(other, group), -EBUSY);

	iommu_detach_group(domain, group);
	/* Owned without a domain: the group blocks DMA. */
	KUNIT_EXPECT_EQ(test, iommu_get_domain_for_dev(&pdev->dev)->type,
			IOMMU_DOMAIN_BLOCKED);
	KUNIT_EXPECT_EQ(test, iommu_attach_group(other, group), 0);
	iommu_detach_group(other, group);
	KUNIT_EXPECT_EQ(test, iommu_attach_group(domain, group), 0);
}

struct leaf {
	u64 iova;
	phys_addr_t paddr;
	size_t size;
	int prot;
};

struct leaves {
	struct leaf l[16];
	int n;		/* all of them, also those not stored */
};

static int collect(void *arg, u64 iova, phys_addr_t paddr, size_t size,
		   int prot)
{
	struct leaves *ls = arg;

	if (ls->n < ARRAY_SIZE(ls->l))
		ls->l[ls->n] = (struct leaf){ iova, paddr, size, prot };
	ls->n++;
	return 0;
}

static struct leaves *leaves_of(struct kunit *test,
				struct iommu_domain *domain)
{
	struct leaves *ls = kunit_kzalloc(test, sizeof(*ls), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ls);
	simiommu_walk_mappings(domain, collect, ls);
	return ls;
}

/* One page: mapped, translated, unmapped. */
static void iommu_map_page(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_attach_paging(test, &pdev->dev);
	void *page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	phys_addr_t pa = virt_to_phys(page);
	struct leaves *ls;

	KUNIT_ASSERT_EQ(test, iommu_map(domain, 0x100000, pa, SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, 0x100123), pa + 0x123);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, 0x101000), 0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), SZ_4K);
	ls = leaves_of(test, domain);
	KUNIT_ASSERT_EQ(test, ls->n, 1);
	KUNIT_EXPECT_EQ(test, ls->l[0].iova, 0x100000);
	KUNIT_EXPECT_EQ(test, ls->l[0].paddr, pa);
	KUNIT_EXPECT_EQ(test, ls->l[0].prot, IOMMU_READ);

	/* Mapped twice is an error; the first mapping stays. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, 0x100000, pa, SZ_4K,
					IOMMU_WRITE, GFP_KERNEL), -EEXIST);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, 0x100000), pa);
	/* A write-only page beside it keeps exactly its permission. */
	KUNIT_ASSERT_EQ(test, iommu_map(domain, 0x101000, pa, SZ_4K,
					IOMMU_WRITE, GFP_KERNEL), 0);
	ls = leaves_of(test, domain);
	KUNIT_ASSERT_EQ(test, ls->n, 2);
	KUNIT_EXPECT_EQ(test, ls->l[1].prot, IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, 0x101000, SZ_4K), SZ_4K);

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, 0x100000, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, 0x100000), 0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
	/* Nothing left to unmap. */
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, 0x100000, SZ_4K), 0);
}

/* A range of pages, and unmapping a part of it. */
static void iommu_map_range(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_attach_paging(test, &pdev->dev);
	void *buf = kunit_kzalloc(test, 16 * PAGE_SIZE, GFP_KERNEL);
	phys_addr_t pa = virt_to_phys(buf);
	u64 iova = 0x7000000;
	int i;

	KUNIT_ASSERT_EQ(test, iommu_map(domain, iova, pa, 16 * SZ_4K,
					IOMMU_READ | IOMMU_WRITE, GFP_KERNEL),
			0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova + i * SZ_4K),
				pa + i * SZ_4K);

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, iova + 4 * SZ_4K, 2 * SZ_4K),
			2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova + 4 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova + 5 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova + 6 * SZ_4K),
			pa + 6 * SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova + 3 * SZ_4K),
			pa + 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 14 * SZ_4K);
	KUNIT_EXPECT_EQ(test, leaves_of(test, domain)->n, 14);

	/* Unmapping across the hole stops at it, as the core expects. */
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, iova, 16 * SZ_4K), 4 * SZ_4K);
}

struct large_case {
	const char *name;
	u64 iova;
	phys_addr_t paddr;
	size_t size;
	size_t leaf;
	u64 hole;	/* unmapped afterwards */
	size_t hole_size;
	size_t unmap_all;	/* what unmapping the whole range returns */
};

static const struct large_case large_cases[] = {
	/*
	 * Unmapping at a large page size takes the whole table of smaller
	 * pages below it, hole or not, as ARM's and AMD's tables do.
	 */
	{ "2 MiB leaf", SZ_1G + SZ_2M, SZ_2M, SZ_2M, SZ_2M,
	  SZ_1G + SZ_2M + SZ_64K, SZ_4K, SZ_2M },
	{ "1 GiB leaf", 2ULL * SZ_1G, 0, SZ_1G, SZ_1G,
	  2ULL * SZ_1G + SZ_512M, SZ_2M, SZ_1G },
	{ "1 GiB leaf, 4 KiB hole", 4ULL * SZ_1G, 0, SZ_1G, SZ_1G,
	  4ULL * SZ_1G + SZ_4K, SZ_4K, SZ_1G },
	/* Aligned for 4 KiB only: no large leaf; unmapping stops at the hole. */
	{ "misaligned 2 MiB", SZ_1G + SZ_4K, SZ_2M + SZ_4K, SZ_2M, SZ_4K,
	  SZ_1G + SZ_8K, SZ_4K, SZ_4K },
};

KUNIT_ARRAY_PARAM_DESC(large, large_cases, name);

/*
 * Aligned ranges become large leaves; unmapping part of one splits it and
 * leaves the rest mapped.
 */
static void iommu_large_pages(struct kunit *test)
{
	const struct large_case *c = test->param_value;
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_attach_paging(test, &pdev->dev);
	struct leaves *ls;

	KUNIT_ASSERT_EQ(test, iommu_map(domain, c->iova, c->paddr, c->size,
					IOMMU_READ, GFP_KERNEL), 0);
	ls = leaves_of(test, domain);
	KUNIT_EXPECT_EQ(test, ls->n, c->size / c->leaf);
	KUNIT_EXPECT_EQ(test, ls->l[0].size, c->leaf);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, c->iova + c->size - 1),
			c->paddr + c->size - 1);

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, c->hole, c->hole_size),
			c->hole_size);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, c->hole), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, c->hole - 1),
			c->paddr + (c->hole - 1 - c->iova));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, c->hole + c->hole_size),
			c->paddr + (c->hole + c->hole_size - c->iova));
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain),
			c->size - c->hole_size);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, c->iova, c->size),
			c->unmap_all);
	if (c->unmap_all == c->size)
		KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
}

/* Unmapping a large size over small pages takes them all. */
static void iommu_unmap_covering(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_attach_paging(test, &pdev->dev);
	int i;

	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, iommu_map(domain, SZ_2M + i * SZ_4K,
						SZ_4M + i * SZ_4K, SZ_4K,
						IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, SZ_2M, SZ_2M), SZ_2M);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
	KUNIT_EXPECT_EQ(test, leaves_of(test, domain)->n, 0);
}

/* Bad map requests are refused and change nothing. */
static void iommu_map_refused(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_attach_paging(test, &pdev->dev);

	/* The aperture binds: users of the domain may map nothing past it. */
	KUNIT_EXPECT_TRUE(test, domain->geometry.force_aperture);
	KUNIT_EXPECT_EQ(test, domain->geometry.aperture_end, (1ULL << 48) - 1);
	/* Past the 48-bit aperture. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, 1ULL << 48, 0, SZ_4K,
					IOMMU_READ, GFP_KERNEL), -ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_map(domain, (1ULL << 48) - SZ_4K, 0, SZ_8K,
					IOMMU_READ, GFP_KERNEL), -ERANGE);
	/* Neither read nor write. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, 0, 0, SZ_4K, 0, GFP_KERNEL),
			-EINVAL);
	/* Not page aligned: the core refuses before the driver sees it. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, 0x100, 0, SZ_4K, IOMMU_READ,
					GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
	/* The last page of the aperture is fine. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, (1ULL << 48) - SZ_4K, 0, SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
}

/* The MSI doorbell is a reserved region of every group. */
static void iommu_resv_regions(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_REGFILE_DEVFN);
	struct iommu_group *group = sim_group(test, &pdev->dev);
	struct iommu_resv_region *r, *tmp;
	LIST_HEAD(regions);
	int msi = 0;

	KUNIT_ASSERT_EQ(test, iommu_get_group_resv_regions(group, &regions), 0);
	list_for_each_entry_safe(r, tmp, &regions, list) {
		if (r->type == IOMMU_RESV_MSI) {
			msi++;
			KUNIT_EXPECT_EQ(test, r->start, 0xfee00000);
			KUNIT_EXPECT_EQ(test, r->length, SZ_1M);
		}
		kfree(r);
	}
	KUNIT_EXPECT_EQ(test, msi, 1);
}

/* Injected failures reach the callers; a failed map leaves nothing. */
static void iommu_fault_injection(struct kunit *test)
{
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain, *fails;

	sim_fail_domain_alloc(test, 1);
	fails = iommu_paging_domain_alloc(&pdev->dev);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(fails), -ENOMEM);
	if (!IS_ERR(fails))
		iommu_domain_free(fails);

	domain = sim_attach_paging(test, &pdev->dev);
	/* 4 KiB then 2 MiB: the second map call fails, the first is undone. */
	sim_fail_map(test, 2);
	KUNIT_EXPECT_EQ(test, iommu_map(domain, SZ_2M - SZ_4K, SZ_2M - SZ_4K,
					SZ_2M + SZ_4K, IOMMU_READ, GFP_KERNEL),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, SZ_2M - SZ_4K), 0);
	/* Disarmed after firing. */
	KUNIT_EXPECT_EQ(test, iommu_map(domain, SZ_2M - SZ_4K, SZ_2M - SZ_4K,
					SZ_2M + SZ_4K, IOMMU_READ, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), SZ_2M + SZ_4K);
}

struct dma_env {
	struct sim_fn fn;
	u8 *src;
	u8 *dst;
};

#define IOVA_SRC	0x10000000ULL
#define IOVA_DST	0x20000000ULL
#define IOVA_RO		0x30000000ULL
#define IOVA_NONE	0x40000000ULL

static void dma_env(struct kunit *test, struct dma_env *e)
{
	int i;

	e->fn = sim_open(test, SIM_DMA_DEVFN);
	e->src = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	e->dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->src);
	KUNIT_ASSERT_NOT_NULL(test, e->dst);
	for (i = 0; i < PAGE_SIZE; i++)
		e->src[i] = i ^ 0x5a;
	simiommu_clear_faults();
}

/* Source read-only at IOVA_SRC, destination read-write at IOVA_DST. */
static struct iommu_domain *dma_domain(struct kunit *test, struct dma_env *e)
{
	struct iommu_domain *domain = sim_attach_paging(test, &e->fn.pdev->dev);

	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_SRC, virt_to_phys(e->src),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_DST, virt_to_phys(e->dst),
					SZ_4K, IOMMU_READ | IOMMU_WRITE,
					GFP_KERNEL), 0);
	return domain;
}

static u32 dma_copy(struct dma_env *e, u64 src, u64 dst, u32 len)
{
	return sim_dma_copy(&e->fn, src, dst, len, 0);
}

/* The DMA engine copies between two buffers mapped in its domain. */
static void iommu_dma_translated(struct kunit *test)
{
	struct dma_env e;

	dma_env(test, &e);
	dma_domain(test, &e);
	KUNIT_EXPECT_EQ(test, dma_copy(&e, IOVA_SRC + 8, IOVA_DST + 16, 1000),
			SIMPCI_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, e.dst + 16, e.src + 8, 1000);
	KUNIT_EXPECT_EQ(test, simiommu_fault_count(), 0);
}

struct dma_fault_case {
	const char *name;
	u64 src;
	u64 dst;
	u64 fault_iova;
	enum simiommu_fault_kind kind;
};

static const struct dma_fault_case dma_fault_cases[] = {
	{ "unmapped destination", IOVA_SRC, IOVA_NONE, IOVA_NONE,
	  SIMIOMMU_FAULT_UNMAPPED },
	{ "read-only destination", IOVA_SRC, IOVA_RO, IOVA_RO,
	  SIMIOMMU_FAULT_WRITE },
	{ "unmapped source", IOVA_NONE + 64, IOVA_DST, IOVA_NONE + 64,
	  SIMIOMMU_FAULT_UNMAPPED },
	{ "write-only source", IOVA_DST + SZ_4K, IOVA_DST, IOVA_DST + SZ_4K,
	  SIMIOMMU_FAULT_READ },
	/* src 0: the buffer's physical address, which the domain lacks. */
	{ "physical address", 0, IOVA_DST, 0, SIMIOMMU_FAULT_UNMAPPED },
};

KUNIT_ARRAY_PARAM_DESC(dma_fault, dma_fault_cases, name);

/* A refused access is recorded and no memory is touched. */
static void iommu_dma_fault(struct kunit *test)
{
	const struct dma_fault_case *c = test->param_value;
	struct simiommu_fault f;
	struct iommu_domain *domain;
	struct dma_env e;
	u8 *wo = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	u64 src, fault_iova;
	void *kva;

	KUNIT_ASSERT_NOT_NULL(test, wo);
	dma_env(test, &e);
	/* No source given: the buffer's physical address. */
	src = c->src ? c->src : virt_to_phys(e.src);
	fault_iova = c->src ? c->fault_iova : src;
	domain = dma_domain(test, &e);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_RO, virt_to_phys(e.dst),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, IOVA_DST + SZ_4K,
					virt_to_phys(wo), SZ_4K, IOMMU_WRITE,
					GFP_KERNEL), 0);

	KUNIT_EXPECT_EQ(test, dma_copy(&e, src, c->dst, 64), SIMPCI_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, readq(e.fn.regs + SIMPCI_DMA_FAULT), fault_iova);
	KUNIT_EXPECT_EQ(test, simiommu_fault_count(), 1);
	KUNIT_ASSERT_TRUE(test, simiommu_last_fault(&f));
	KUNIT_EXPECT_EQ(test, f.iova, fault_iova);
	KUNIT_EXPECT_EQ(test, f.kind, c->kind);
	KUNIT_EXPECT_EQ(test, f.rid, pci_dev_id(e.fn.pdev));
	KUNIT_EXPECT_TRUE(test, mem_is_zero(e.dst, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, mem_is_zero(wo, PAGE_SIZE));

	/* What the bus tells the device: no translation, or no permission. */
	KUNIT_EXPECT_EQ(test, simpci_dma_map(e.fn.sdev, fault_iova, 8,
					     fault_iova != src, &kva),
			c->kind == SIMIOMMU_FAULT_UNMAPPED ? -EFAULT : -EPERM);
}

/* Owned but not attached, a group blocks all DMA. */
static void iommu_dma_blocked(struct kunit *test)
{
	struct simiommu_fault f;
	struct dma_env e;

	dma_env(test, &e);
	/* Default identity domain: bus addresses are physical. */
	KUNIT_EXPECT_EQ(test, dma_copy(&e, virt_to_phys(e.src),
				       virt_to_phys(e.dst), 32),
			SIMPCI_DMA_DONE);
	KUNIT_EXPECT_MEMEQ(test, e.dst, e.src, 32);

	memset(e.dst, 0, 32);
	sim_claim_dma(test, sim_group(test, &e.fn.pdev->dev));
	KUNIT_EXPECT_EQ(test, dma_copy(&e, virt_to_phys(e.src),
				       virt_to_phys(e.dst), 32),
			SIMPCI_DMA_ERROR);
	KUNIT_ASSERT_TRUE(test, simiommu_last_fault(&f));
	KUNIT_EXPECT_EQ(test, f.kind, SIMIOMMU_FAULT_BLOCKED);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(e.dst, 32));
}

/* Behind a conventional bridge, DMA carries the bridge's requester ID. */
static void iommu_dma_alias(struct kunit *test)
{
	struct pci_dev *br = sim_root_pci(test, SIM_BRIDGE_DEVFN);
	struct simpci_dev *sdev = sim_dev(test, sim_secondary_bus(test),
					  PCI_DEVFN(1, 0));
	struct simpci_dev *root = sim_root_dev(test, SIM_REGFILE_DEVFN);

	KUNIT_EXPECT_EQ(test, simpci_dev_dma_rid(sdev), pci_dev_id(br));
	KUNIT_EXPECT_EQ(test, simpci_dev_dma_rid(root),
			PCI_DEVID(simpci_root_busnr(), SIM_REGFILE_DEVFN));
}

static struct kunit_case iommu_cases[] = {
	KUNIT_CASE_PARAM(iommu_groups, group_gen_params),
	KUNIT_CASE(iommu_groups_acs),
	KUNIT_CASE(iommu_attach_detach),
	KUNIT_CASE(iommu_map_page),
	KUNIT_CASE(iommu_map_range),
	KUNIT_CASE_PARAM(iommu_large_pages, large_gen_params),
	KUNIT_CASE(iommu_unmap_covering),
	KUNIT_CASE(iommu_map_refused),
	KUNIT_CASE(iommu_resv_regions),
	KUNIT_CASE(iommu_fault_injection),
	KUNIT_CASE(iommu_dma_translated),
	KUNIT_CASE_PARAM(iommu_dma_fault, dma_fault_gen_params),
	KUNIT_CASE(iommu_dma_blocked),
	KUNIT_CASE(iommu_dma_alias),
	{}
};

static struct kunit_suite iommu_suite = {
	.name = "simiommu",
	.test_cases = iommu_cases,
};
kunit_test_suite(iommu_suite);

MODULE_DESCRIPTION("KUnit tests of the fake IOMMU");
MODULE_LICENSE("GPL");
