// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmarks of the fake IOMMU: map and unmap 1 GiB through the IOMMU API
 * one 4 KiB page at a time and one 2 MiB page at a time, and print the time
 * per page. They check that every page was mapped and unmapped, never how
 * fast: figures go to the log ("simiommu bench:"), `make bench` shows them.
 * Marked very slow, so that `make test` leaves them out.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/ktime.h>

#include "simiommu_helpers.h"

#define BENCH_IOVA	(1ULL << 40)

struct bench_case {
	const char *name;
	size_t pgsize;
};

static const struct bench_case bench_cases[] = {
	{ "1 GiB in 4 KiB pages", SZ_4K },
	{ "1 GiB in 2 MiB pages", SZ_2M },
};

KUNIT_ARRAY_PARAM_DESC(bench, bench_cases, name);

static void iommu_bench_map_unmap(struct kunit *test)
{
	const struct bench_case *c = test->param_value;
	struct pci_dev *pdev = sim_root_pci(test, SIM_DMA_DEVFN);
	struct iommu_domain *domain = sim_paging_domain(test, &pdev->dev);
	unsigned long n = SZ_1G / c->pgsize, i, failed = 0;
	size_t unmapped = 0;
	u64 t0, t1, t2;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		failed += !!iommu_map(domain, BENCH_IOVA + i * c->pgsize,
				      i * c->pgsize, c->pgsize,
				      IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
	t1 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), SZ_1G);

	for (i = 0; i < n; i++)
		unmapped += iommu_unmap(domain, BENCH_IOVA + i * c->pgsize,
					c->pgsize);
	t2 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, unmapped, SZ_1G);
	KUNIT_EXPECT_EQ(test, simiommu_mapped_bytes(domain), 0);

	pr_info("simiommu bench: %s: %lu pages, map %llu ns/page, unmap %llu ns/page, total %llu ms\n",
		c->name, n, div_u64(t1 - t0, n), div_u64(t2 - t1, n),
		div_u64(t2 - t0, NSEC_PER_MSEC));
}

static struct kunit_case iommu_bench_cases[] = {
	KUNIT_CASE_PARAM_ATTR(iommu_bench_map_unmap, bench_gen_params,
			      { .speed = KUNIT_SPEED_VERY_SLOW }),
	{}
};

static struct kunit_suite iommu_bench_suite = {
	.name = "simiommu_bench",
	.test_cases = iommu_bench_cases,
};
kunit_test_suite(iommu_bench_suite);

MODULE_DESCRIPTION("Benchmarks of the fake IOMMU");
MODULE_LICENSE("GPL");
