// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the simulated PCI hardware, through the PCI core's API.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "sim/simpci.h"
#include "sim/simpci_models.h"

static void sim_enumeration(struct kunit *test)
{
	struct pci_dev *pdev;

	pdev = pci_get_domain_bus_and_slot(0, simpci_root_busnr(),
					   PCI_DEVFN(0, 0));
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_EXPECT_EQ(test, pdev->vendor, SIMPCI_VENDOR);
	KUNIT_EXPECT_EQ(test, pdev->device, SIMPCI_DEVICE_DMA);
	pci_dev_put(pdev);
}

static struct kunit_case sim_cases[] = {
	KUNIT_CASE(sim_enumeration),
	{}
};

static struct kunit_suite sim_suite = {
	.name = "simpci",
	.test_cases = sim_cases,
};
kunit_test_suite(sim_suite);

MODULE_DESCRIPTION("KUnit tests for the simulated PCI hardware");
MODULE_LICENSE("GPL");
