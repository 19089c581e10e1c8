// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capability lists of simulated PCI functions, built from descriptors:
 * power management, MSI, MSI-X, PCI Express, vendor-specific, and the
 * extended capabilities AER and ACS. Each capability has a layout (its
 * length) and its register rules as data: which bits are writable, which
 * are write-1-to-clear; writes with side effects are decoded here.
 */
#include <linux/log2.h>
#include <linux/pci.h>

#include "simpci_internal.h"

#define PM_SIZEOF	8
#define MSIX_SIZEOF	12
#define VNDR_MIN	3
#define AER_SIZEOF	0x38
#define ACS_SIZEOF	8
/* ACS features of a function that isolates itself from its peers */
#define ACS_FEATURES	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | \
			 PCI_ACS_CR | PCI_ACS_UF | PCI_ACS_DT)

static int msi_sizeof(const struct simpci_cap_desc *c)
{
	if (c->msi.maskable)
		return c->msi.addr64 ? 24 : 20;
	return c->msi.addr64 ? 14 : 10;
}

/* Length of a capability in config space, or -EINVAL for an unknown one. */
static int cap_sizeof(const struct simpci_cap_desc *c)
{
	if (c->ext) {
		switch (c->id) {
		case PCI_EXT_CAP_ID_ERR:
			return AER_SIZEOF;
		case PCI_EXT_CAP_ID_ACS:
			return ACS_SIZEOF;
		}
		return -EINVAL;
	}
	switch (c->id) {
	case PCI_CAP_ID_PM:
		return PM_SIZEOF;
	case PCI_CAP_ID_MSI:
		return msi_sizeof(c);
	case PCI_CAP_ID_MSIX:
		return MSIX_SIZEOF;
	case PCI_CAP_ID_EXP:
		return PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	case PCI_CAP_ID_VNDR:
		return c->len >= VNDR_MIN ? c->len : -EINVAL;
	}
	return -EINVAL;
}

static bool msix_struct_fits(const struct simpci_dev_desc *desc, u8 bar,
			     u32 off, u64 len)
{
	const struct simpci_bar_desc *b;

	if (bar >= PCI_STD_NUM_BARS || off & PCI_MSIX_TABLE_BIR)
		return false;
	b = &desc->bars[bar];
	/* In a register BAR, where the device sees the accesses. */
	if (b->type != SIMPCI_BAR_MEM32 && b->type != SIMPCI_BAR_MEM64)
		return false;
	return !b->ram && off < b->size && len <= b->size - off;
}

static int validate_msix(const struct simpci_dev_desc *desc,
			 const struct simpci_cap_desc *c)
{
	u64 tlen = (u64)c->msix.vectors * PCI_MSIX_ENTRY_SIZE;
	u64 plen = DIV_ROUND_UP(c->msix.vectors, 64) * 8;
	u64 t = c->msix.table_offset, p = c->msix.pba_offset;

	if (!c->msix.vectors || c->msix.vectors > PCI_MSIX_FLAGS_QSIZE + 1)
		return -EINVAL;
	if (!msix_struct_fits(desc, c->msix.table_bar, t, tlen) ||
	    !msix_struct_fits(desc, c->msix.pba_bar, p, plen))
		return -EINVAL;
	if (c->msix.table_bar == c->msix.pba_bar && t < p + plen &&
	    p < t + tlen)
		return -EINVAL;
	return 0;
}

/**
 * simpci_caps_validate() - check that a capability list can be built
 * @desc: the model
 *
 * Return: 0, or -EINVAL for an unknown or repeated capability, MSI with a
 * vector count that is not a power of two up to 32, an MSI-X table or PBA
 * that does not lie inside a register BAR, an extended capability without
 * a PCI Express capability, or a list that runs past config space.
 */
int simpci_caps_validate(const struct simpci_dev_desc *desc)
{
	const struct simpci_cap_desc *c;
	unsigned int std = PCI_STD_HEADER_SIZEOF, ext = PCI_CFG_SPACE_SIZE;
	unsigned long seen = 0;
	bool pcie = false;

	for (c = desc->caps; c && c->id; c++) {
		int len = cap_sizeof(c);

		if (len < 0)
			return len;
		if (!c->ext && c->id == PCI_CAP_ID_EXP)
			pcie = true;
		if (c->id != PCI_CAP_ID_VNDR || c->ext) {
			unsigned int bit = c->id + (c->ext ? 32 : 0);

			if (bit >= BITS_PER_LONG || __test_and_set_bit(bit, &seen))
				return -EINVAL;
		}
		if (!c->ext && c->id == PCI_CAP_ID_MSI &&
		    (!is_power_of_2(c->msi.vectors) || c->msi.vectors > 32))
			return -EINVAL;
		if (!c->ext && c->id == PCI_CAP_ID_MSIX &&
		    validate_msix(desc, c))
			return -EINVAL;
		if (c->ext) {
			ext += ALIGN(len, 4);
			if (ext > PCI_CFG_SPACE_EXP_SIZE)
				return -EINVAL;
		} else {
			std += ALIGN(len, 4);
			if (std > PCI_CFG_SPACE_SIZE)
				return -EINVAL;
		}
	}
	if (ext > PCI_CFG_SPACE_SIZE && !pcie)
		return -EINVAL;
	return 0;
}

static void wmask16(struct simpci_dev *sdev, int where, u16 mask)
{
	sdev->wmask[where] = mask;
	sdev->wmask[where + 1] = mask >> 8;
}

static void wmask32(struct simpci_dev *sdev, int where, u32 mask)
{
	wmask16(sdev, where, mask);
	wmask16(sdev, where + 2, mask >> 16);
}

static void w1c16(struct simpci_dev *sdev, int where, u16 mask)
{
	sdev->w1c[where] = mask;
	sdev->w1c[where + 1] = mask >> 8;
}

static void build_pm(struct simpci_dev *sdev, int pos)
{
	sdev->pm_pos = pos;
	simpci_cfg_set(sdev, pos + PCI_PM_PMC, 2, 3);	/* version 1.2 */
	wmask16(sdev, pos + PCI_PM_CTRL,
		PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_ENABLE);
	w1c16(sdev, pos + PCI_PM_CTRL, PCI_PM_CTRL_PME_STATUS);
}

static void build_msi(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	u16 flags = ilog2(c->msi.vectors) << 1;
	int data = pos + (c->msi.addr64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);

	sdev->msi_pos = pos;
	if (c->msi.addr64)
		flags |= PCI_MSI_FLAGS_64BIT;
	if (c->msi.maskable)
		flags |= PCI_MSI_FLAGS_MASKBIT;
	simpci_cfg_set(sdev, pos + PCI_MSI_FLAGS, 2, flags);
	wmask16(sdev, pos + PCI_MSI_FLAGS,
		PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	wmask32(sdev, pos + PCI_MSI_ADDRESS_LO, 0xfffffffc);
	if (c->msi.addr64)
		wmask32(sdev, pos + PCI_MSI_ADDRESS_HI, 0xffffffff);
	wmask16(sdev, data, 0xffff);
	if (c->msi.maskable)
		wmask32(sdev, data + 4,
			(u32)GENMASK_ULL(c->msi.vectors - 1, 0));
}

static void build_msix(struct simpci_dev *sdev, int pos,
		       const struct simpci_cap_desc *c)
{
	sdev->msix_pos = pos;
	simpci_cfg_set(sdev, pos + PCI_MSIX_FLAGS, 2, c->msix.vectors - 1);
	wmask16(sdev, pos + PCI_MSIX_FLAGS,
		PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	simpci_cfg_set(sdev, pos + PCI_MSIX_TABLE, 4,
		       c->msix.table_offset | c->msix.table_bar);
	simpci_cfg_set(sdev, pos + PCI_MSIX_PBA, 4,
		       c->msix.pba_offset | c->msix.pba_bar);
}

static void build_exp(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	u32 devcap = PCI_EXP_DEVCAP_RBER;

	sdev->exp_pos = pos;
	sdev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	/* No root port above: a root complex integrated endpoint. */
	simpci_cfg_set(sdev, pos + PCI_EXP_FLAGS, 2,
		       2 | PCI_EXP_TYPE_RC_END << 4);
	if (c->exp.flr)
		devcap |= PCI_EXP_DEVCAP_FLR;
	simpci_cfg_set(sdev, pos + PCI_EXP_DEVCAP, 4, devcap);
	/* BCR_FLR is not stored: a write of 1 starts an FLR, reads give 0. */
	wmask16(sdev, pos + PCI_EXP_DEVCTL, 0x7fff);
	simpci_cfg_set(sdev, pos + PCI_EXP_DEVCTL, 2,
		       PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		       PCI_EXP_DEVCTL_READRQ_512B);
	w1c16(sdev, pos + PCI_EXP_DEVSTA,
	      PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | PCI_EXP_DEVSTA_FED |
	      PCI_EXP_DEVSTA_URD);
	wmask16(sdev, pos + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_COMP_TIMEOUT |
		PCI_EXP_DEVCTL2_COMP_TMOUT_DIS);
}

static void build_vndr(struct simpci_dev *sdev, int pos,
		       const struct simpci_cap_desc *c)
{
	int i;

	simpci_cfg_set(sdev, pos + PCI_CAP_FLAGS, 1, c->len);
	/* A recognisable read-only pattern for the rest. */
	for (i = PCI_CAP_FLAGS + 1; i < c->len; i++)
		sdev->cfg[pos + i] = i;
}

static void build_aer(struct simpci_dev *sdev, int pos)
{
	wmask32(sdev, pos + PCI_ERR_UNCOR_MASK, 0x03fff030);
	wmask32(sdev, pos + PCI_ERR_UNCOR_SEVER, 0x03fff030);
	simpci_cfg_set(sdev, pos + PCI_ERR_UNCOR_SEVER, 4, 0x00462030);
	sdev->w1c[pos + PCI_ERR_UNCOR_STATUS] = 0x30;
	sdev->w1c[pos + PCI_ERR_UNCOR_STATUS + 1] = 0xf0;
	sdev->w1c[pos + PCI_ERR_UNCOR_STATUS + 2] = 0xff;
	sdev->w1c[pos + PCI_ERR_UNCOR_STATUS + 3] = 0x03;
	w1c16(sdev, pos + PCI_ERR_COR_STATUS, 0xf1c1);
	wmask16(sdev, pos + PCI_ERR_COR_MASK, 0xf1c1);
	simpci_cfg_set(sdev, pos + PCI_ERR_COR_MASK, 4, PCI_ERR_COR_ADV_NFAT);
	wmask16(sdev, pos + PCI_ERR_CAP,
		PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE);
}

static void build_acs(struct simpci_dev *sdev, int pos)
{
	simpci_cfg_set(sdev, pos + PCI_ACS_CAP, 2, ACS_FEATURES);
	wmask16(sdev, pos + PCI_ACS_CTRL, ACS_FEATURES);
}

/**
 * simpci_caps_build() - lay out the capability lists of a device
 * @sdev: the device; its header built, its descriptor validated
 *
 * Standard capabilities follow the header from 0x40, extended ones start
 * at 0x100, each dword aligned, linked in descriptor order.
 *
 * Return: 0.
 */
int simpci_caps_build(struct simpci_dev *sdev)
{
	const struct simpci_cap_desc *c;
	int std = PCI_STD_HEADER_SIZEOF, ext = PCI_CFG_SPACE_SIZE;
	int std_prev = PCI_CAPABILITY_LIST, ext_prev = -1;

	for (c = sdev->desc->caps; c && c->id; c++) {
		int len = ALIGN(cap_sizeof(c), 4);

		if (c->ext) {
			if (ext_prev >= 0)
				simpci_cfg_set(sdev, ext_prev, 4,
					       simpci_cfg_get(sdev, ext_prev, 4) |
					       ext << 20);
			simpci_cfg_set(sdev, ext, 4, c->id | 1 << 16);
			if (c->id == PCI_EXT_CAP_ID_ERR)
				build_aer(sdev, ext);
			else
				build_acs(sdev, ext);
			ext_prev = ext;
			ext += len;
			continue;
		}

		simpci_cfg_set(sdev, std_prev, 1, std);
		simpci_cfg_set(sdev, std + PCI_CAP_LIST_ID, 1, c->id);
		switch (c->id) {
		case PCI_CAP_ID_PM:
			build_pm(sdev, std);
			break;
		case PCI_CAP_ID_MSI:
			build_msi(sdev, std, c);
			break;
		case PCI_CAP_ID_MSIX:
			build_msix(sdev, std, c);
			break;
		case PCI_CAP_ID_EXP:
			build_exp(sdev, std, c);
			break;
		case PCI_CAP_ID_VNDR:
			build_vndr(sdev, std, c);
			break;
		}
		std_prev = std + PCI_CAP_LIST_NEXT;
		std += len;
	}
	if (std_prev != PCI_CAPABILITY_LIST)
		simpci_cfg_set(sdev, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	return 0;
}

/**
 * simpci_caps_write() - side effects of a config write to a capability
 * @sdev: the device, locked, the write already applied
 * @where: offset written
 * @size: bytes written
 * @val: value written
 * @old_pmcsr: the PM control/status register before the write
 *
 * Return: SIMPCI_ACT_* for the caller to carry out without the lock.
 */
unsigned int simpci_caps_write(struct simpci_dev *sdev, int where, int size,
			       u32 val, u16 old_pmcsr)
{
	unsigned int act = 0;

	if (sdev->msi_pos && where >= sdev->msi_pos &&
	    where < sdev->msi_pos + 24)
		act |= SIMPCI_ACT_MSI;
	if (sdev->msix_pos && where < sdev->msix_pos + PCI_MSIX_FLAGS + 2 &&
	    where + size > sdev->msix_pos + PCI_MSIX_FLAGS)
		act |= SIMPCI_ACT_MSI;

	if (sdev->pm_pos && where <= sdev->pm_pos + PCI_PM_CTRL &&
	    where + size > sdev->pm_pos + PCI_PM_CTRL) {
		u16 now = simpci_cfg_get(sdev, sdev->pm_pos + PCI_PM_CTRL, 2);

		/* D3hot to D0 without No_Soft_Reset resets the function. */
		if ((old_pmcsr & PCI_PM_CTRL_STATE_MASK) == 3 &&
		    !(now & PCI_PM_CTRL_STATE_MASK) &&
		    !(now & PCI_PM_CTRL_NO_SOFT_RESET))
			act |= SIMPCI_ACT_RESET;
	}

	if (sdev->exp_pos) {
		int devctl = sdev->exp_pos + PCI_EXP_DEVCTL;

		if (where <= devctl + 1 && where + size > devctl + 1 &&
		    (val << 8 * (where - devctl)) & PCI_EXP_DEVCTL_BCR_FLR &&
		    simpci_cfg_get(sdev, sdev->exp_pos + PCI_EXP_DEVCAP, 4) &
		    PCI_EXP_DEVCAP_FLR)
			act |= SIMPCI_ACT_RESET;
	}
	return act;
}
