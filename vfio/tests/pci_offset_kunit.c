// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the region offset encoding of the vfio-uml PCI device file.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/sizes.h>
#include <uapi/linux/vfio.h>

#include "pci/uvfio_pci_offset.h"

#define REGION(i)	((u64)(i) << 40)
#define LAST_INDEX	(UVFIO_PCI_MAX_REGIONS - 1)

struct offset_index_case {
	const char *name;
	u32 index;
};

static const struct offset_index_case offset_index_cases[] = {
	{ "BAR0", VFIO_PCI_BAR0_REGION_INDEX },
	{ "BAR1", VFIO_PCI_BAR1_REGION_INDEX },
	{ "BAR2", VFIO_PCI_BAR2_REGION_INDEX },
	{ "BAR3", VFIO_PCI_BAR3_REGION_INDEX },
	{ "BAR4", VFIO_PCI_BAR4_REGION_INDEX },
	{ "BAR5", VFIO_PCI_BAR5_REGION_INDEX },
	{ "ROM", VFIO_PCI_ROM_REGION_INDEX },
	{ "CONFIG", VFIO_PCI_CONFIG_REGION_INDEX },
	{ "VGA", VFIO_PCI_VGA_REGION_INDEX },
	{ "first device-specific", VFIO_PCI_NUM_REGIONS },
	{ "device-specific 255", 255 },
	{ "last encodable", LAST_INDEX },
};

static void offset_index_desc(const struct offset_index_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s (%u)", c->name, c->index);
}

KUNIT_ARRAY_PARAM(offset_index, offset_index_cases, offset_index_desc);

/* Every byte of a region encodes back to its own index and position. */
static void offset_index_roundtrip(struct kunit *test)
{
	const struct offset_index_case *c = test->param_value;
	u64 start = uvfio_pci_index_to_offset(c->index);
	u64 last = start + UVFIO_PCI_OFFSET_MASK;

	KUNIT_EXPECT_EQ(test, start, REGION(c->index));
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_to_index(start), c->index);
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_in_region(start), 0ULL);

	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_to_index(last), c->index);
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_in_region(last),
			(u64)SZ_1T - 1);

	if (c->index == LAST_INDEX) {
		/* The last index ends exactly at the top of the u64 range. */
		KUNIT_EXPECT_EQ(test, last, U64_MAX);
		return;
	}
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_to_index(last + 1),
			c->index + 1);
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_in_region(last + 1), 0ULL);
}

/* The ABI constants that userspace computes offsets with. */
static void offset_constants(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, UVFIO_PCI_OFFSET_MASK, (u64)SZ_1T - 1);
	KUNIT_EXPECT_EQ(test, UVFIO_PCI_MAX_REGIONS, 1U << 24);
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_to_index(U64_MAX), LAST_INDEX);
	KUNIT_EXPECT_EQ(test, uvfio_pci_offset_in_region(U64_MAX),
			UVFIO_PCI_OFFSET_MASK);
}

struct range_case {
	const char *name;
	u64 off;
	u64 count;
	u32 index;
	u64 size;
	bool inside;
};

static const struct range_case range_cases[] = {
	{ "BAR0 whole", REGION(0), SZ_4K, 0, SZ_4K, true },
	{ "BAR0 last byte", REGION(0) + SZ_4K - 1, 1, 0, SZ_4K, true },
	{ "BAR0 last dword", REGION(0) + SZ_4K - 4, 4, 0, SZ_4K, true },
	{ "BAR0 one past end", REGION(0) + SZ_4K - 1, 2, 0, SZ_4K, false },
	{ "BAR0 starts at end", REGION(0) + SZ_4K, 1, 0, SZ_4K, false },
	{ "BAR0 longer than region", REGION(0), SZ_4K + 1, 0, SZ_4K, false },
	{ "BAR1 middle", REGION(1) + 0x10, 8, 1, SZ_64K, true },
	{ "BAR2 64-bit", REGION(2) + SZ_1G, SZ_1M, 2, SZ_2G, true },
	{ "BAR3 empty BAR", REGION(3), 1, 3, 0, false },
	{ "BAR4 I/O", REGION(4) + 0xfc, 4, 4, 0x100, true },
	{ "BAR5 crosses end", REGION(5) + 0xfe, 4, 5, 0x100, false },
	{ "ROM whole", REGION(6), SZ_64K, 6, SZ_64K, true },
	{ "config header", REGION(7), 64, 7, 256, true },
	{ "config last dword", REGION(7) + 252, 4, 7, 256, true },
	{ "config past 256", REGION(7) + 254, 4, 7, 256, false },
	{ "config extended", REGION(7) + 0x100, 4, 7, SZ_4K, true },
	{ "VGA legacy range", REGION(8) + 0xbffff, 1, 8, 0xc0000, true },
	{ "VGA past end", REGION(8) + 0xc0000, 1, 8, 0xc0000, false },
	{ "device-specific", REGION(9) + 8, 8, 9, SZ_4K, true },
	{ "empty access", REGION(0), 0, 0, SZ_4K, false },
	{ "offset in next region", REGION(1), 1, 0, SZ_4K, false },
	{ "offset in previous region", REGION(0) + 0x10, 1, 1, SZ_4K, false },
	{ "first byte of next region", REGION(1), 1, 1, SZ_4K, true },
	{ "2^40-1 in a 1 TiB region", SZ_1T - 1, 1, 0, SZ_1T, true },
	{ "2^40-1 spilling into next", SZ_1T - 1, 2, 0, SZ_1T, false },
	{ "2^40 is region 1", SZ_1T, 1, 1, SZ_1T, true },
	{ "2^40 is not region 0", SZ_1T, 1, 0, SZ_1T, false },
	{ "whole 1 TiB region", REGION(0), SZ_1T, 0, SZ_1T, true },
	{ "count wraps u64", REGION(0) + 16, U64_MAX - 7, 0, SZ_4K, false },
	{ "count U64_MAX", REGION(0), U64_MAX, 0, SZ_4K, false },
	{ "count U64_MAX huge region", REGION(0) + 1, U64_MAX, 0, U64_MAX,
	  false },
	{ "top of u64", U64_MAX, 1, LAST_INDEX, SZ_1T, true },
	{ "top of u64 wraps", U64_MAX, 2, LAST_INDEX, SZ_1T, false },
};

KUNIT_ARRAY_PARAM_DESC(range, range_cases, name);

static void range_in_region(struct kunit *test)
{
	const struct range_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test,
			    uvfio_pci_range_in_region(c->off, c->count,
						      c->index, c->size),
			    c->inside,
			    "off %#llx count %#llx index %u size %#llx",
			    c->off, c->count, c->index, c->size);
}

static struct kunit_case pci_offset_cases[] = {
	KUNIT_CASE(offset_constants),
	KUNIT_CASE_PARAM(offset_index_roundtrip, offset_index_gen_params),
	KUNIT_CASE_PARAM(range_in_region, range_gen_params),
	{}
};

static struct kunit_suite pci_offset_suite = {
	.name = "uvfio_pci_offset",
	.test_cases = pci_offset_cases,
};

kunit_test_suite(pci_offset_suite);

MODULE_DESCRIPTION("KUnit tests for the vfio-uml region offset encoding");
MODULE_LICENSE("GPL");
