// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capability lists of simulated PCI functions, built from descriptors:
 * power management, MSI, MSI-X, PCI Express, vendor-specific, Advanced
 * Features, slot identification, vital product data, and the extended
 * capabilities AER, ACS, device serial number, PASID and PTM.
 *
 * Each kind of capability is one row of cap_kinds[]: its ID, its length,
 * the check of its descriptor and the builder of its registers (values,
 * writable bits, write-1-to-clear bits). Writes with side effects are
 * decoded in simpci_caps_write().
 */
#include <linux/log2.h>
#include <linux/pci.h>

#include "simpci_internal.h"

#define VNDR_MIN_SIZEOF		(PCI_CAP_FLAGS + 1)
#define AER_SIZEOF		(PCI_ERR_ROOT_ERR_SRC + 4)
#define ACS_SIZEOF		(PCI_ACS_CTRL + 2)
#define SLOTID_SIZEOF		4
#define PASID_SIZEOF		8
#define PTM_SIZEOF		(PCI_PTM_CTRL + 4)
#define DSN_LOW			4	/* the serial's low dword, then high */
/* The serial number of every simulated function that has one. */
#define DSN_VALUE		0x0123456789abcdefULL
#define EXP_VERSION_1		1
#define EXP_VERSION_2		2
#define PMCSR_D3HOT		3
/* ACS features of a function that isolates itself from its peers */
#define ACS_FEATURES	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | \
			 PCI_ACS_CR | PCI_ACS_UF | PCI_ACS_DT)
#define AER_UNCOR_FATAL	(PCI_ERR_UNC_DLP | PCI_ERR_UNC_SURPDN | \
			 PCI_ERR_UNC_FCP | PCI_ERR_UNC_RX_OVER | \
			 PCI_ERR_UNC_MALF_TLP | PCI_ERR_UNC_INTN)
#define EXP_DEVSTA_ERRORS (PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | \
			   PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD)

/**
 * struct cap_kind - one kind of capability, as data
 * @id: PCI_CAP_ID_* or, with @ext, PCI_EXT_CAP_ID_*
 * @ext: an extended capability (config space from 0x100)
 * @size: its length in config space, when fixed
 * @size_of: its length from the descriptor, when it varies
 * @check: refuse a descriptor that hardware could not be (optional)
 * @build: write its registers and their rules at @pos
 */
struct cap_kind {
	u16 id;
	bool ext;
	u8 size;
	int (*size_of)(const struct simpci_cap_desc *c);
	int (*check)(const struct simpci_dev_desc *desc,
		     const struct simpci_cap_desc *c);
	void (*build)(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c);
};

static int msi_size_of(const struct simpci_cap_desc *c)
{
	if (c->msi.maskable)
		return (c->msi.addr64 ? PCI_MSI_PENDING_64 :
					PCI_MSI_PENDING_32) + 4;
	return (c->msi.addr64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32) + 2;
}

static int vndr_size_of(const struct simpci_cap_desc *c)
{
	return c->len;
}

static int check_msi(const struct simpci_dev_desc *desc,
		     const struct simpci_cap_desc *c)
{
	return is_power_of_2(c->msi.vectors) && c->msi.vectors <= 32 ?
	       0 : -EINVAL;
}

static bool msix_struct_fits(const struct simpci_dev_desc *desc, u8 bar,
			     u32 off, u64 len)
{
	const struct simpci_bar_desc *b;

	if (bar >= PCI_STD_NUM_BARS || off & PCI_MSIX_TABLE_BIR)
		return false;
	b = &desc->bars[bar];
	/*
	 * In a memory BAR whose accesses the device sees: a register BAR, or
	 * registers in RAM.
	 */
	if (b->type != SIMPCI_BAR_MEM32 && b->type != SIMPCI_BAR_MEM64)
		return false;
	return (!b->ram || b->ram_regs) && off < b->size &&
	       len <= b->size - off;
}

static int check_msix(const struct simpci_dev_desc *desc,
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

static int check_vndr(const struct simpci_dev_desc *desc,
		      const struct simpci_cap_desc *c)
{
	return c->len >= VNDR_MIN_SIZEOF ? 0 : -EINVAL;
}

static void build_pm(struct simpci_dev *sdev, int pos,
		     const struct simpci_cap_desc *c)
{
	sdev->pm_pos = pos;
	/* Version 1.2 */
	simpci_cfg_set(sdev, pos + PCI_PM_PMC, 2,
		       3 | (c->pm.pme & PCI_PM_CAP_PME_MASK));
	simpci_wmask(sdev, pos + PCI_PM_CTRL, 2,
		     PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_ENABLE);
	simpci_w1c(sdev, pos + PCI_PM_CTRL, 2, PCI_PM_CTRL_PME_STATUS);
}

static void build_msi(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	u16 flags = ilog2(c->msi.vectors) << 1;
	int data = pos + (c->msi.addr64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
	int mask = pos + (c->msi.addr64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);

	sdev->msi_pos = pos;
	if (c->msi.addr64)
		flags |= PCI_MSI_FLAGS_64BIT;
	if (c->msi.maskable)
		flags |= PCI_MSI_FLAGS_MASKBIT;
	simpci_cfg_set(sdev, pos + PCI_MSI_FLAGS, 2, flags);
	simpci_wmask(sdev, pos + PCI_MSI_FLAGS, 2,
		     PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	simpci_wmask(sdev, pos + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc);
	if (c->msi.addr64)
		simpci_wmask(sdev, pos + PCI_MSI_ADDRESS_HI, 4, 0xffffffff);
	simpci_wmask(sdev, data, 2, 0xffff);
	if (c->msi.maskable)
		simpci_wmask(sdev, mask, 4,
			     (u32)GENMASK_ULL(c->msi.vectors - 1, 0));
}

static void build_msix(struct simpci_dev *sdev, int pos,
		       const struct simpci_cap_desc *c)
{
	sdev->msix_pos = pos;
	simpci_cfg_set(sdev, pos + PCI_MSIX_FLAGS, 2, c->msix.vectors - 1);
	simpci_wmask(sdev, pos + PCI_MSIX_FLAGS, 2,
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
		       (c->exp.v1 ? EXP_VERSION_1 : EXP_VERSION_2) |
		       PCI_EXP_TYPE_RC_END << 4);
	if (c->exp.flr)
		devcap |= PCI_EXP_DEVCAP_FLR;
	simpci_cfg_set(sdev, pos + PCI_EXP_DEVCAP, 4, devcap);
	/* Initiate FLR is writable only where FLR is advertised. */
	simpci_wmask(sdev, pos + PCI_EXP_DEVCTL, 2,
		     c->exp.flr ? 0xffff : ~PCI_EXP_DEVCTL_BCR_FLR);
	simpci_cfg_set(sdev, pos + PCI_EXP_DEVCTL, 2,
		       PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		       PCI_EXP_DEVCTL_READRQ_512B);
	simpci_w1c(sdev, pos + PCI_EXP_DEVSTA, 2, EXP_DEVSTA_ERRORS);
	/* Version 1 ends after the registers every function has. */
	if (c->exp.v1)
		return;
	simpci_wmask(sdev, pos + PCI_EXP_DEVCTL2, 2,
		     PCI_EXP_DEVCTL2_COMP_TIMEOUT |
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

/*
 * Vital product data, read-only: an identifier string and the end tag,
 * as the PCI core's parser wants them.
 */
static const u8 vpd_image[] = {
	0x82, 7, 0, 'S', 'I', 'M', ' ', 'V', 'P', 'D',	/* ID string */
	0x78,						/* end */
};

static void build_vpd(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	sdev->vpd_pos = pos;
	simpci_wmask(sdev, pos + PCI_VPD_ADDR, 2, 0xffff);
	simpci_wmask(sdev, pos + PCI_VPD_DATA, 4, 0xffffffff);
}

/**
 * simpci_vpd_write() - a VPD operation started by a config write
 * @sdev: the device, locked, the write applied
 * @where: its offset
 * @size: its size
 *
 * Writing the address register's flag byte starts an operation, done at
 * once: a read (flag 0) fills the data register and sets the flag, a
 * write (flag 1; the data is dropped, the VPD is read-only) clears it.
 */
void simpci_vpd_write(struct simpci_dev *sdev, int where, int size)
{
	int flag = sdev->vpd_pos + PCI_VPD_ADDR + 1;
	u32 data = 0;
	u16 addr;
	int i;

	lockdep_assert_held(&sdev->lock);
	if (!sdev->vpd_pos || where > flag || where + size <= flag)
		return;
	addr = simpci_cfg_get(sdev, sdev->vpd_pos + PCI_VPD_ADDR, 2);
	if (addr & PCI_VPD_ADDR_F) {
		addr &= ~PCI_VPD_ADDR_F;
	} else {
		for (i = 3; i >= 0; i--)
			data = data << 8 | (addr + i < sizeof(vpd_image) ?
					    vpd_image[addr + i] : 0);
		simpci_cfg_set(sdev, sdev->vpd_pos + PCI_VPD_DATA, 4, data);
		addr |= PCI_VPD_ADDR_F;
	}
	simpci_cfg_set(sdev, sdev->vpd_pos + PCI_VPD_ADDR, 2, addr);
}

/* Advanced Features: FLR, and Transactions Pending to wait on before it. */
static void build_af(struct simpci_dev *sdev, int pos,
		     const struct simpci_cap_desc *c)
{
	sdev->af_pos = pos;
	simpci_cfg_set(sdev, pos + PCI_AF_LENGTH, 1, PCI_CAP_AF_SIZEOF);
	simpci_cfg_set(sdev, pos + PCI_AF_CAP, 1, PCI_AF_CAP_TP |
		       PCI_AF_CAP_FLR);
	simpci_wmask(sdev, pos + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
}

/* Slot identification: a bridge's; on an endpoint, read-only data. */
static void build_slotid(struct simpci_dev *sdev, int pos,
			 const struct simpci_cap_desc *c)
{
	simpci_cfg_set(sdev, pos + PCI_SID_ESR, 1, 1 | PCI_SID_ESR_FIC);
	simpci_cfg_set(sdev, pos + PCI_SID_CHASSIS_NR, 1, 1);
}

static void build_dsn(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	simpci_cfg_set(sdev, pos + DSN_LOW, 4, lower_32_bits(DSN_VALUE));
	simpci_cfg_set(sdev, pos + DSN_LOW + 4, 4, upper_32_bits(DSN_VALUE));
}

static void build_pasid(struct simpci_dev *sdev, int pos,
			const struct simpci_cap_desc *c)
{
	simpci_cfg_set(sdev, pos + PCI_PASID_CAP, 2,
		       PCI_PASID_CAP_EXEC | 8 << 8);	/* 8-bit PASIDs */
	simpci_wmask(sdev, pos + PCI_PASID_CTRL, 2,
		     PCI_PASID_CTRL_ENABLE | PCI_PASID_CTRL_EXEC);
}

/* Precision Time Measurement: a requester that can be enabled. */
static void build_ptm(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	simpci_cfg_set(sdev, pos + PCI_PTM_CAP, 4, PCI_PTM_CAP_REQ);
	simpci_wmask(sdev, pos + PCI_PTM_CTRL, 4, PCI_PTM_CTRL_ENABLE);
}

static void build_aer(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	sdev->aer_pos = pos;
	simpci_w1c(sdev, pos + PCI_ERR_UNCOR_STATUS, 4, SIMPCI_AER_UNCOR_ERRORS);
	simpci_wmask(sdev, pos + PCI_ERR_UNCOR_MASK, 4, SIMPCI_AER_UNCOR_ERRORS);
	simpci_wmask(sdev, pos + PCI_ERR_UNCOR_SEVER, 4, SIMPCI_AER_UNCOR_ERRORS);
	simpci_cfg_set(sdev, pos + PCI_ERR_UNCOR_SEVER, 4, AER_UNCOR_FATAL);
	simpci_w1c(sdev, pos + PCI_ERR_COR_STATUS, 4, SIMPCI_AER_COR_ERRORS);
	simpci_wmask(sdev, pos + PCI_ERR_COR_MASK, 4, SIMPCI_AER_COR_ERRORS);
	simpci_cfg_set(sdev, pos + PCI_ERR_COR_MASK, 4, PCI_ERR_COR_ADV_NFAT);
	simpci_wmask(sdev, pos + PCI_ERR_CAP, 2,
		     PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE);
}

static void build_acs(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	simpci_cfg_set(sdev, pos + PCI_ACS_CAP, 2, ACS_FEATURES);
	simpci_wmask(sdev, pos + PCI_ACS_CTRL, 2, ACS_FEATURES);
}

static int raw_header(const struct simpci_cap_desc *c)
{
	return c->ext ? 4 : PCI_CAP_LIST_NEXT + 1;
}

static int raw_size_of(const struct simpci_cap_desc *c)
{
	return c->len;
}

static int check_raw(const struct simpci_dev_desc *desc,
		     const struct simpci_cap_desc *c)
{
	return c->len < raw_header(c) ? -EINVAL : 0;
}

static void build_raw(struct simpci_dev *sdev, int pos,
		      const struct simpci_cap_desc *c)
{
	int i;

	for (i = raw_header(c); i < c->len; i++) {
		simpci_cfg_set(sdev, pos + i, 1, c->raw[i]);
		simpci_wmask(sdev, pos + i, 1, 0xff);
	}
}

static const struct cap_kind raw_kinds[] = {
	{ 0, false, 0, raw_size_of, check_raw, build_raw },
	{ 0, true, 0, raw_size_of, check_raw, build_raw },
};

static const struct cap_kind cap_kinds[] = {
	{ PCI_CAP_ID_PM, false, PCI_PM_SIZEOF, NULL, NULL, build_pm },
	{ PCI_CAP_ID_MSI, false, 0, msi_size_of, check_msi, build_msi },
	{ PCI_CAP_ID_MSIX, false, PCI_CAP_MSIX_SIZEOF, NULL, check_msix,
	  build_msix },
	{ PCI_CAP_ID_EXP, false, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2, NULL, NULL,
	  build_exp },
	{ PCI_CAP_ID_VNDR, false, 0, vndr_size_of, check_vndr, build_vndr },
	{ PCI_CAP_ID_AF, false, PCI_CAP_AF_SIZEOF, NULL, NULL, build_af },
	{ PCI_CAP_ID_SLOTID, false, SLOTID_SIZEOF, NULL, NULL, build_slotid },
	{ PCI_CAP_ID_VPD, false, PCI_CAP_VPD_SIZEOF, NULL, NULL, build_vpd },
	{ PCI_EXT_CAP_ID_ERR, true, AER_SIZEOF, NULL, NULL, build_aer },
	{ PCI_EXT_CAP_ID_ACS, true, ACS_SIZEOF, NULL, NULL, build_acs },
	{ PCI_EXT_CAP_ID_DSN, true, PCI_EXT_CAP_DSN_SIZEOF, NULL, NULL,
	  build_dsn },
	{ PCI_EXT_CAP_ID_PASID, true, PASID_SIZEOF, NULL, NULL, build_pasid },
	{ PCI_EXT_CAP_ID_PTM, true, PTM_SIZEOF, NULL, NULL, build_ptm },
};

static const struct cap_kind *cap_kind(const struct simpci_cap_desc *c)
{
	int i;

	if (c->raw)
		return &raw_kinds[c->ext];
	for (i = 0; i < ARRAY_SIZE(cap_kinds); i++)
		if (cap_kinds[i].id == c->id && cap_kinds[i].ext == c->ext)
			return &cap_kinds[i];
	return NULL;
}

static int cap_size(const struct cap_kind *k, const struct simpci_cap_desc *c)
{
	return k->size_of ? k->size_of(c) : k->size;
}

/**
 * simpci_caps_validate() - check that a capability list can be built
 * @desc: the model
 *
 * Return: 0, or -EINVAL for an unknown or repeated capability (a vendor
 * capability may repeat), one whose descriptor its row refuses, an
 * extended capability without a PCI Express capability, or a list that
 * runs past config space.
 */
int simpci_caps_validate(const struct simpci_dev_desc *desc)
{
	unsigned int std = PCI_STD_HEADER_SIZEOF;
	const struct simpci_cap_desc *c;
	DECLARE_BITMAP(seen, ARRAY_SIZE(cap_kinds)) = {};
	bool pcie = false, any_ext = false;

	/*
	 * Extended capabilities appear once each and all of them fit above
	 * 0x100 together; only the standard list can run out of room.
	 */
	simpci_for_each_cap(c, desc->caps) {
		const struct cap_kind *k = cap_kind(c);

		if (!k)
			return -EINVAL;
		if (k->check && k->check(desc, c))
			return -EINVAL;
		if (c->id != PCI_CAP_ID_VNDR && !c->raw &&
		    __test_and_set_bit(k - cap_kinds, seen))
			return -EINVAL;
		pcie |= !c->ext && c->id == PCI_CAP_ID_EXP;
		any_ext |= c->ext;
		if (!c->ext)
			std += ALIGN(cap_size(k, c), 4);
	}
	if (std > PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	if (any_ext && !pcie)
		return -EINVAL;
	return 0;
}

/**
 * simpci_caps_build() - lay out the capability lists of a device
 * @sdev: the device, locked; its header built, its descriptor validated
 *
 * Standard capabilities follow the header from 0x40, extended ones start
 * at 0x100, each dword aligned, linked in descriptor order.
 */
void simpci_caps_build(struct simpci_dev *sdev)
{
	int std = PCI_STD_HEADER_SIZEOF, ext = PCI_CFG_SPACE_SIZE;
	int std_prev = PCI_CAPABILITY_LIST, ext_prev = -1;
	const struct simpci_cap_desc *c;

	lockdep_assert_held(&sdev->lock);
	simpci_for_each_cap(c, sdev->desc->caps) {
		const struct cap_kind *k = cap_kind(c);
		int len = ALIGN(cap_size(k, c), 4);

		if (c->ext) {
			if (ext_prev >= 0)
				simpci_cfg_set(sdev, ext_prev, 4,
					       simpci_cfg_get(sdev, ext_prev, 4) |
					       ext << 20);
			simpci_cfg_set(sdev, ext, 4, c->id | 1 << 16);
			k->build(sdev, ext, c);
			ext_prev = ext;
			ext += len;
			continue;
		}
		simpci_cfg_set(sdev, std_prev, 1, std);
		simpci_cfg_set(sdev, std + PCI_CAP_LIST_ID, 1, c->id);
		k->build(sdev, std, c);
		std_prev = std + PCI_CAP_LIST_NEXT;
		std += len;
	}
	if (std_prev != PCI_CAPABILITY_LIST)
		simpci_cfg_set(sdev, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
}

/**
 * simpci_caps_write() - side effects of a config write to a capability
 * @sdev: the device, locked, the write already applied
 * @old_pmcsr: the PM control/status register before the write
 *
 * Return: SIMPCI_ACT_* for the caller to carry out without the lock.
 */
unsigned int simpci_caps_write(struct simpci_dev *sdev, u16 old_pmcsr)
{
	unsigned int act = 0;

	lockdep_assert_held(&sdev->lock);
	/* Vectors may have been unmasked or enabled: send what is pending. */
	if (sdev->msi_pos || sdev->msix_pos)
		act |= SIMPCI_ACT_MSI;

	if (sdev->pm_pos) {
		u16 now = simpci_cfg_get(sdev, sdev->pm_pos + PCI_PM_CTRL, 2);

		/*
		 * D3hot to D0 resets the function: No_Soft_Reset (read-only)
		 * is 0 in the functions built here.
		 */
		if ((old_pmcsr & PCI_PM_CTRL_STATE_MASK) == PMCSR_D3HOT &&
		    !(now & PCI_PM_CTRL_STATE_MASK))
			act |= SIMPCI_ACT_RESET;
	}

	if (sdev->exp_pos) {
		int devctl = sdev->exp_pos + PCI_EXP_DEVCTL;
		u16 ctl = simpci_cfg_get(sdev, devctl, 2);

		/* Initiate FLR starts the reset and always reads 0. */
		if (ctl & PCI_EXP_DEVCTL_BCR_FLR) {
			simpci_cfg_set(sdev, devctl, 2,
				       ctl & ~PCI_EXP_DEVCTL_BCR_FLR);
			act |= SIMPCI_ACT_RESET;
		}
	}

	/* The same for the Advanced Features capability's FLR. */
	if (sdev->af_pos &&
	    simpci_cfg_get(sdev, sdev->af_pos + PCI_AF_CTRL, 1) &
	    PCI_AF_CTRL_FLR) {
		simpci_cfg_set(sdev, sdev->af_pos + PCI_AF_CTRL, 1, 0);
		act |= SIMPCI_ACT_RESET;
	}
	return act;
}
