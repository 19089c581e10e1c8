// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml PCI: config space virtualization.
 *
 * Userspace reads and writes config space through region
 * VFIO_PCI_CONFIG_REGION_INDEX, but may not own all of it: BARs, the
 * capability chain, power states, MSI and reset are the host's. Each byte
 * belongs to the header or to one capability (cfg_map); each capability
 * has a permission table, a list of fields saying which bits are
 * virtualized (served from vconfig, the user's copy) and which are
 * writable, plus read and write functions for the fields that need more
 * than that (BAR sizing, the command register, D-states, FLR, MSI).
 * Capabilities the host does not know how to share are cut out of the
 * chain; bytes no capability claims go to the hardware unchanged, since
 * some devices keep registers there.
 *
 * The tables are data; uvfio_pci_perm_init() expands each into a pair of
 * byte masks once, so that an access costs two memcpy()s and a merge.
 */
#include <linux/bitfield.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uvfio_pci_priv.h"

#define ALL_VIRT	0xffffffffU
#define ALL_WRITE	0xffffffffU

/* Capability lengths: 0 hides the capability, VARIABLE asks len_fns. */
#define UVFIO_PCI_CAP_VARIABLE	0xff

static const u8 uvfio_pci_cap_len[PCI_CAP_ID_MAX + 1] = {
	[UVFIO_PCI_CAP_ID_HEADER]	= PCI_STD_HEADER_SIZEOF,
	[PCI_CAP_ID_PM]		= PCI_PM_SIZEOF,
	[PCI_CAP_ID_AGP]	= PCI_AGP_SIZEOF,
	[PCI_CAP_ID_VPD]	= PCI_CAP_VPD_SIZEOF,
	[PCI_CAP_ID_MSI]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_PCIX]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_HT]		= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_VNDR]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_EXP]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_MSIX]	= PCI_CAP_MSIX_SIZEOF,
	[PCI_CAP_ID_SATA]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_CAP_ID_AF]		= PCI_CAP_AF_SIZEOF,
	/* Bridge, hot-swap, debug and secure-device capabilities: hidden. */
};

static const u16 uvfio_pci_ecap_len[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR]	= PCI_ERR_ROOT_COMMAND,
	[PCI_EXT_CAP_ID_VC]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_DSN]	= PCI_EXT_CAP_DSN_SIZEOF,
	[PCI_EXT_CAP_ID_PWR]	= PCI_EXT_CAP_PWR_SIZEOF,
	[PCI_EXT_CAP_ID_MFVC]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_VC9]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_VNDR]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_ACS]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_ARI]	= PCI_EXT_CAP_ARI_SIZEOF,
	[PCI_EXT_CAP_ID_ATS]	= PCI_EXT_CAP_ATS_SIZEOF,
	[PCI_EXT_CAP_ID_SRIOV]	= PCI_EXT_CAP_SRIOV_SIZEOF,
	[PCI_EXT_CAP_ID_MCAST]	= PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF,
	[PCI_EXT_CAP_ID_PRI]	= PCI_EXT_CAP_PRI_SIZEOF,
	[PCI_EXT_CAP_ID_REBAR]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_DPA]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_TPH]	= UVFIO_PCI_CAP_VARIABLE,
	[PCI_EXT_CAP_ID_LTR]	= PCI_EXT_CAP_LTR_SIZEOF,
	[PCI_EXT_CAP_ID_DVSEC]	= UVFIO_PCI_CAP_VARIABLE,
	/* Root-port-only, obsolete and not yet shared ones: hidden. */
};

/**
 * struct uvfio_pci_field - a register of a capability, as permissions
 * @off: offset in the capability
 * @size: 1, 2 or 4; 0 ends a list
 * @virt: bits served from and kept in vconfig
 * @write: bits userspace may write (to vconfig where virtualized, to the
 *	hardware otherwise)
 */
struct uvfio_pci_field {
	u16 off;
	u8 size;
	u32 virt;
	u32 write;
};

/**
 * struct uvfio_pci_perm - how a capability is shared
 * @fields: its registers; bits of no field are read from the hardware and
 *	not writable; NULL for a capability without masks
 * @len: bytes the masks cover (a capability's largest layout)
 * @read: reads @count bytes at config offset @pos, @off into the
 *	capability; returns 0 or an errno
 * @write: the same for writes; NULL drops every write
 * @virt: built from @fields
 * @writable: built from @fields
 */
struct uvfio_pci_perm {
	const struct uvfio_pci_field *fields;
	u16 len;
	int (*read)(struct uvfio_pci_device *vpdev, int pos, int count,
		    const struct uvfio_pci_perm *perm, int off, __le32 *val);
	int (*write)(struct uvfio_pci_device *vpdev, int pos, int count,
		     const struct uvfio_pci_perm *perm, int off, __le32 val);
	u8 *virt;
	u8 *writable;
};

/* The chain's next pointer is always ours, so capabilities can be hidden. */
#define CAP_NEXT	{ PCI_CAP_LIST_NEXT, 1, 0xff, 0 }
#define ECAP_HEADER	{ 0, 4, ALL_VIRT, 0 }

static const struct uvfio_pci_field uvfio_pci_header_fields[] = {
	/* IDs virtualized: an SR-IOV VF reads all ones there. */
	{ PCI_VENDOR_ID, 2, 0xffff, 0 },
	{ PCI_DEVICE_ID, 2, 0xffff, 0 },
	/* Interrupt Disable is ours (INTx masking); the rest is the user's. */
	{ PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE, 0xffff },
	{ PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0 },
	{ PCI_CACHE_LINE_SIZE, 1, 0, 0xff },
	{ PCI_LATENCY_TIMER, 1, 0, 0xff },
	{ PCI_BIST, 1, 0, 0xff },
	/* The host assigned the BARs; the user sizes and moves a copy. */
	{ PCI_BASE_ADDRESS_0, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_BASE_ADDRESS_1, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_BASE_ADDRESS_2, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_BASE_ADDRESS_3, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_BASE_ADDRESS_4, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_BASE_ADDRESS_5, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_ROM_ADDRESS, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_CAPABILITY_LIST, 1, 0xff, 0 },
	{ PCI_INTERRUPT_LINE, 1, 0xff, 0xff },
	/* Virtualized so that INTx can be hidden. */
	{ PCI_INTERRUPT_PIN, 1, 0xff, 0 },
	{}
};

static const struct uvfio_pci_field uvfio_pci_pm_fields[] = {
	CAP_NEXT,
	/* PME cannot reach the user: no PME support, status or enable. */
	{ PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK, 0 },
	/* D-state bits are read-only: a write asks us to change the state. */
	{ PCI_PM_CTRL, 4, PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
	  ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS |
	    PCI_PM_CTRL_STATE_MASK) },
	{}
};

static const struct uvfio_pci_field uvfio_pci_vpd_fields[] = {
	CAP_NEXT,
	/* Both go through pci_read_vpd() / pci_write_vpd(). */
	{ PCI_VPD_ADDR, 2, 0xffff, 0xffff },
	{ PCI_VPD_DATA, 4, ALL_VIRT, ALL_WRITE },
	{}
};

static const struct uvfio_pci_field uvfio_pci_pcix_fields[] = {
	CAP_NEXT,
	{ PCI_X_CMD, 2, 0, 0xffff },
	{ PCI_X_ECC_CSR, 4, 0, ALL_WRITE },
	{}
};

static const struct uvfio_pci_field uvfio_pci_exp_fields[] = {
	CAP_NEXT,
	/*
	 * Phantom functions would confuse the IOMMU and MPS must match the
	 * fabric: not writable. FLR and the read request size are ours.
	 */
	{ PCI_EXP_DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
	  PCI_EXP_DEVCTL_READRQ, (u16)~PCI_EXP_DEVCTL_PHANTOM },
	/* ARI forwarding is set up by the host at probe. */
	{ PCI_EXP_DEVCTL2, 2, 0, (u16)~PCI_EXP_DEVCTL2_ARI },
	{}
};

static const struct uvfio_pci_field uvfio_pci_af_fields[] = {
	CAP_NEXT,
	{ PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR, PCI_AF_CTRL_FLR },
	{}
};

/*
 * MSI, by layout: enable and the vector count are ours (written through
 * uvfio_pci_msi_write()), the message is the user's copy.
 */
static const struct uvfio_pci_field uvfio_pci_msi32_fields[] = {
	CAP_NEXT,
	{ PCI_MSI_FLAGS, 1, 0xff, 0xff },
	{ PCI_MSI_ADDRESS_LO, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_DATA_32, 2, 0xffff, 0xffff },
	{}
};

static const struct uvfio_pci_field uvfio_pci_msi32_mask_fields[] = {
	CAP_NEXT,
	{ PCI_MSI_FLAGS, 1, 0xff, 0xff },
	{ PCI_MSI_ADDRESS_LO, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_DATA_32, 2, 0xffff, 0xffff },
	{ PCI_MSI_MASK_32, 4, 0, ALL_WRITE },
	{ PCI_MSI_PENDING_32, 4, 0, ALL_WRITE },
	{}
};

static const struct uvfio_pci_field uvfio_pci_msi64_fields[] = {
	CAP_NEXT,
	{ PCI_MSI_FLAGS, 1, 0xff, 0xff },
	{ PCI_MSI_ADDRESS_LO, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_ADDRESS_HI, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_DATA_64, 2, 0xffff, 0xffff },
	{}
};

static const struct uvfio_pci_field uvfio_pci_msi64_mask_fields[] = {
	CAP_NEXT,
	{ PCI_MSI_FLAGS, 1, 0xff, 0xff },
	{ PCI_MSI_ADDRESS_LO, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_ADDRESS_HI, 4, ALL_VIRT, ALL_WRITE },
	{ PCI_MSI_DATA_64, 2, 0xffff, 0xffff },
	{ PCI_MSI_MASK_64, 4, 0, ALL_WRITE },
	{ PCI_MSI_PENDING_64, 4, 0, ALL_WRITE },
	{}
};

/* What the user may clear, mask and escalate of AER's error bits. */
#define AER_UNCOR_BITS (PCI_ERR_UNC_UND | PCI_ERR_UNC_DLP | \
	PCI_ERR_UNC_SURPDN | PCI_ERR_UNC_POISON_TLP | PCI_ERR_UNC_FCP | \
	PCI_ERR_UNC_COMP_TIME | PCI_ERR_UNC_COMP_ABORT | \
	PCI_ERR_UNC_UNX_COMP | PCI_ERR_UNC_RX_OVER | PCI_ERR_UNC_MALF_TLP | \
	PCI_ERR_UNC_ECRC | PCI_ERR_UNC_UNSUP | PCI_ERR_UNC_ACSV | \
	PCI_ERR_UNC_INTN | PCI_ERR_UNC_MCBTLP | PCI_ERR_UNC_ATOMEG | \
	PCI_ERR_UNC_TLPPRE)
#define AER_COR_BITS (PCI_ERR_COR_RCVR | PCI_ERR_COR_BAD_TLP | \
	PCI_ERR_COR_BAD_DLLP | PCI_ERR_COR_REP_ROLL | PCI_ERR_COR_REP_TIMER | \
	PCI_ERR_COR_ADV_NFAT | PCI_ERR_COR_INTERNAL | PCI_ERR_COR_LOG_OVER)

static const struct uvfio_pci_field uvfio_pci_aer_fields[] = {
	ECAP_HEADER,
	{ PCI_ERR_UNCOR_STATUS, 4, 0, AER_UNCOR_BITS },
	{ PCI_ERR_UNCOR_MASK, 4, 0, AER_UNCOR_BITS },
	{ PCI_ERR_UNCOR_SEVER, 4, 0, AER_UNCOR_BITS },
	{ PCI_ERR_COR_STATUS, 4, 0, AER_COR_BITS },
	{ PCI_ERR_COR_MASK, 4, 0, AER_COR_BITS },
	{ PCI_ERR_CAP, 4, 0, PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE },
	{}
};

static const struct uvfio_pci_field uvfio_pci_pwr_fields[] = {
	ECAP_HEADER,
	/* Selecting a data register is harmless; the data stays read-only. */
	{ PCI_PWR_DATA, 1, 0, 0xff },
	{}
};

/* Reads and writes of the hardware as the user's accesses. */
static int uvfio_pci_hw_read(struct pci_dev *pdev, int pos, int count,
			     __le32 *val)
{
	u32 v;
	int ret;

	/* Each read sets its value, all ones when it failed. */
	if (count == 4) {
		ret = pci_user_read_config_dword(pdev, pos, &v);
	} else if (count == 2) {
		u16 w;

		ret = pci_user_read_config_word(pdev, pos, &w);
		v = w;
	} else {
		u8 b;

		ret = pci_user_read_config_byte(pdev, pos, &b);
		v = b;
	}
	*val = cpu_to_le32(v);
	return ret;
}

static int uvfio_pci_hw_write(struct pci_dev *pdev, int pos, int count,
			      __le32 val)
{
	u32 v = le32_to_cpu(val);

	if (count == 4)
		return pci_user_write_config_dword(pdev, pos, v);
	if (count == 2)
		return pci_user_write_config_word(pdev, pos, v);
	return pci_user_write_config_byte(pdev, pos, v);
}

static __le32 uvfio_pci_mask(const u8 *mask, int off, int count)
{
	__le32 m = 0;

	memcpy(&m, mask + off, count);
	return m;
}

/* Virtualized bits from vconfig, the others from the hardware. */
static int uvfio_pci_default_read(struct uvfio_pci_device *vpdev, int pos,
				  int count, const struct uvfio_pci_perm *perm,
				  int off, __le32 *val)
{
	__le32 virt = uvfio_pci_mask(perm->virt, off, count);
	__le32 all = cpu_to_le32(~0U >> (32 - count * 8));

	memcpy(val, vpdev->vconfig + pos, count);
	if (virt != all) {
		__le32 hw;
		int ret;

		ret = uvfio_pci_hw_read(vpdev->pdev, pos, count, &hw);
		if (ret)
			return ret;
		*val = (hw & ~virt) | (*val & virt);
	}
	return 0;
}

/* Writable virtualized bits to vconfig, writable others to the hardware. */
static int uvfio_pci_default_write(struct uvfio_pci_device *vpdev, int pos,
				   int count, const struct uvfio_pci_perm *perm,
				   int off, __le32 val)
{
	__le32 write = uvfio_pci_mask(perm->writable, off, count);
	__le32 virt = uvfio_pci_mask(perm->virt, off, count);
	__le32 v;
	int ret;

	if (write & virt) {
		memcpy(&v, vpdev->vconfig + pos, count);
		v = (v & ~(write & virt)) | (val & write & virt);
		memcpy(vpdev->vconfig + pos, &v, count);
	}
	if (write & ~virt) {
		ret = uvfio_pci_hw_read(vpdev->pdev, pos, count, &v);
		if (ret)
			return ret;
		v = (v & ~(write & ~virt)) | (val & write & ~virt);
		return uvfio_pci_hw_write(vpdev->pdev, pos, count, v);
	}
	return 0;
}

/* The hardware's bytes, but the chain's ID and next pointer are ours. */
static int uvfio_pci_direct_read(struct uvfio_pci_device *vpdev, int pos,
				 int count, const struct uvfio_pci_perm *perm,
				 int off, __le32 *val)
{
	int ret;

	ret = uvfio_pci_hw_read(vpdev->pdev, pos, count, val);
	if (ret)
		return ret;
	if (pos >= PCI_CFG_SPACE_SIZE) {
		if (off < 4)
			memcpy(val, vpdev->vconfig + pos, count);
	} else if (off < PCI_CAP_FLAGS) {
		/* Pieces are aligned: one at the next pointer is a byte. */
		memcpy(val, vpdev->vconfig + pos, min(count, PCI_CAP_FLAGS));
	}
	return 0;
}

static int uvfio_pci_raw_read(struct uvfio_pci_device *vpdev, int pos,
			      int count, const struct uvfio_pci_perm *perm,
			      int off, __le32 *val)
{
	return uvfio_pci_hw_read(vpdev->pdev, pos, count, val);
}

static int uvfio_pci_raw_write(struct uvfio_pci_device *vpdev, int pos,
			       int count, const struct uvfio_pci_perm *perm,
			       int off, __le32 val)
{
	return uvfio_pci_hw_write(vpdev->pdev, pos, count, val);
}

/* The six BAR dwords, the ROM BAR's. */
static bool uvfio_pci_is_bar(int off)
{
	return in_range(off, PCI_BASE_ADDRESS_0, PCI_STD_NUM_BARS * 4) ||
	       in_range(off, PCI_ROM_ADDRESS, 4);
}

/**
 * uvfio_pci_memory_enabled() - may userspace touch the memory BARs now
 * @vpdev: an open device
 *
 * Context: memory_lock held.
 * Return: true in D0-D2 with the user's memory enable on (or for a
 * function without one).
 */
bool uvfio_pci_memory_enabled(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	u16 cmd = le16_to_cpup((__le16 *)&vpdev->vconfig[PCI_COMMAND]);

	return pdev->current_state < PCI_D3hot &&
	       (pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY));
}

/* Put the host's BARs back after a reset we did not see. */
static void uvfio_pci_bar_restore(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	int i;

	if (pdev->is_virtfn)
		return;
	pci_info(pdev, "reset behind our back: restoring BARs\n");
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		pci_user_write_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * i,
					    vpdev->rbar[i]);
	pci_user_write_config_dword(pdev, PCI_ROM_ADDRESS,
				    vpdev->rbar[PCI_STD_NUM_BARS]);
}

static bool uvfio_pci_bars_lost(struct uvfio_pci_device *vpdev)
{
	u32 bar;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!vpdev->rbar[i])
			continue;
		if (pci_user_read_config_dword(vpdev->pdev,
					       PCI_BASE_ADDRESS_0 + 4 * i, &bar) ||
		    bar != vpdev->rbar[i])
			return true;
	}
	return false;
}

static u32 uvfio_pci_bar_flags(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);
	u32 val = PCI_BASE_ADDRESS_SPACE_MEMORY;

	if (flags & IORESOURCE_IO)
		return PCI_BASE_ADDRESS_SPACE_IO;
	if (flags & IORESOURCE_PREFETCH)
		val |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	if (flags & IORESOURCE_MEM_64)
		val |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return val;
}

/*
 * BAR sizing: what the user wrote, cut to the BAR's size and with the
 * BAR's type bits, as the hardware would answer. An unassigned BAR reads 0.
 */
static void uvfio_pci_bar_fixup(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	__le32 *vbar = (__le32 *)&vpdev->vconfig[PCI_BASE_ADDRESS_0];
	struct resource *rom = &pdev->resource[PCI_ROM_RESOURCE];
	u64 mask;
	int bar;

	if (!vpdev->bardirty)
		return;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!pci_resource_start(pdev, bar)) {
			vbar[bar] = 0;
			continue;
		}
		mask = ~(pci_resource_len(pdev, bar) - 1);
		vbar[bar] &= cpu_to_le32((u32)mask);
		vbar[bar] |= cpu_to_le32(uvfio_pci_bar_flags(pdev, bar));
		if (vbar[bar] & cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64)) {
			bar++;
			vbar[bar] &= cpu_to_le32((u32)(mask >> 32));
		}
	}

	vbar = (__le32 *)&vpdev->vconfig[PCI_ROM_ADDRESS];
	if (pci_resource_start(pdev, PCI_ROM_RESOURCE))
		mask = ~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1);
	else if (rom->flags & IORESOURCE_ROM_SHADOW)
		mask = ~(SZ_128K - 1);
	else
		mask = 0;
	if (mask)
		mask |= PCI_ROM_ADDRESS_ENABLE;
	*vbar &= cpu_to_le32((u32)mask);
	vpdev->bardirty = false;
}

static int uvfio_pci_header_read(struct uvfio_pci_device *vpdev, int pos,
				 int count, const struct uvfio_pci_perm *perm,
				 int off, __le32 *val)
{
	int ret;

	if (uvfio_pci_is_bar(off))
		uvfio_pci_bar_fixup(vpdev);
	ret = uvfio_pci_default_read(vpdev, pos, count, perm, off, val);
	/* A function without a memory enable shows the user's bit. */
	if (off == PCI_COMMAND && vpdev->pdev->no_command_memory)
		*val |= cpu_to_le32(le16_to_cpup((__le16 *)
				    &vpdev->vconfig[PCI_COMMAND]) &
				    PCI_COMMAND_MEMORY);
	return ret;
}

/*
 * The command register: turning memory decode off zaps the BAR mappings
 * (faults then fail until it is on again); turning it on while the
 * hardware lost its BARs or its enables restores the BARs first.
 */
static int uvfio_pci_command_write(struct uvfio_pci_device *vpdev, int pos,
				   int count,
				   const struct uvfio_pci_perm *perm,
				   __le32 val)
{
	struct pci_dev *pdev = vpdev->pdev;
	__le16 *vcmd = (__le16 *)&vpdev->vconfig[PCI_COMMAND];
	u16 new = le32_to_cpu(val), hw, mask;
	bool was_mem, was_io;
	int ret;

	ret = pci_user_read_config_word(pdev, PCI_COMMAND, &hw);
	if (ret)
		return ret;
	was_mem = le16_to_cpup(vcmd) & PCI_COMMAND_MEMORY;
	was_io = le16_to_cpup(vcmd) & PCI_COMMAND_IO;

	if (!(new & PCI_COMMAND_MEMORY))
		uvfio_pci_zap_and_down_write_memory_lock(vpdev);
	else
		down_write(&vpdev->memory_lock);

	if ((new & PCI_COMMAND_MEMORY && was_mem &&
	     !(hw & PCI_COMMAND_MEMORY) && !pdev->no_command_memory) ||
	    (new & PCI_COMMAND_IO && was_io && !(hw & PCI_COMMAND_IO)) ||
	    uvfio_pci_bars_lost(vpdev))
		uvfio_pci_bar_restore(vpdev);

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, PCI_COMMAND,
				      val);
	if (!ret) {
		/* Remembered to notice a reset we did not do, next time. */
		mask = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;
		*vcmd = cpu_to_le16((le16_to_cpup(vcmd) & ~mask) |
				    (new & mask));
	}
	up_write(&vpdev->memory_lock);
	return ret;
}

/*
 * The user's Interrupt Disable stays in vconfig: vfio-pci owns the real
 * bit, and masks INTx on the user's behalf while it is set.
 */
static void uvfio_pci_virq_update(struct uvfio_pci_device *vpdev)
{
	u16 cmd = le16_to_cpup((__le16 *)&vpdev->vconfig[PCI_COMMAND]);
	bool disable = cmd & PCI_COMMAND_INTX_DISABLE;

	if (disable == vpdev->virq_disabled)
		return;
	vpdev->virq_disabled = disable;
	if (disable)
		uvfio_pci_intx_mask(vpdev);
	else
		uvfio_pci_intx_unmask(vpdev);
}

static int uvfio_pci_header_write(struct uvfio_pci_device *vpdev, int pos,
				  int count, const struct uvfio_pci_perm *perm,
				  int off, __le32 val)
{
	int ret;

	if (off == PCI_COMMAND)
		ret = uvfio_pci_command_write(vpdev, pos, count, perm, val);
	else
		ret = uvfio_pci_default_write(vpdev, pos, count, perm, off,
					      val);
	if (ret)
		return ret;
	if (off == PCI_COMMAND || off == PCI_COMMAND + 1)
		uvfio_pci_virq_update(vpdev);
	if (uvfio_pci_is_bar(off))
		vpdev->bardirty = true;
	return 0;
}

static int uvfio_pci_pm_write(struct uvfio_pci_device *vpdev, int pos,
			      int count, const struct uvfio_pci_perm *perm,
			      int off, __le32 val)
{
	static const pci_power_t states[] = {
		PCI_D0, PCI_D1, PCI_D2, PCI_D3hot
	};
	pci_power_t state;
	int ret;

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, off, val);
	if (ret || off != PCI_PM_CTRL)
		return ret;

	state = states[le32_to_cpu(val) & PCI_PM_CTRL_STATE_MASK];
	if (state >= PCI_D3hot)
		uvfio_pci_zap_and_down_write_memory_lock(vpdev);
	else
		down_write(&vpdev->memory_lock);
	uvfio_pci_set_power_state(vpdev, state);
	up_write(&vpdev->memory_lock);
	return 0;
}

static int uvfio_pci_vpd_write(struct uvfio_pci_device *vpdev, int pos,
			       int count, const struct uvfio_pci_perm *perm,
			       int off, __le32 val)
{
	int cap = pos - off;
	__le16 *vaddr = (__le16 *)&vpdev->vconfig[cap + PCI_VPD_ADDR];
	__le32 *vdata = (__le32 *)&vpdev->vconfig[cap + PCI_VPD_DATA];
	u16 addr;
	u32 data;
	int ret;

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, off, val);
	/* Only a write of the address's upper byte (the F flag) starts one. */
	if (ret || off > PCI_VPD_ADDR + 1 || off + count <= PCI_VPD_ADDR + 1)
		return ret;

	addr = le16_to_cpup(vaddr);
	if (addr & PCI_VPD_ADDR_F) {
		data = le32_to_cpup(vdata);
		if (pci_write_vpd(vpdev->pdev, addr & ~PCI_VPD_ADDR_F, 4,
				  &data) != 4)
			return 0;
	} else {
		data = 0;
		if (pci_read_vpd(vpdev->pdev, addr, 4, &data) < 0)
			return 0;
		*vdata = cpu_to_le32(data);
	}
	/* F toggles when done; left alone, the user's driver times out. */
	*vaddr = cpu_to_le16(addr ^ PCI_VPD_ADDR_F);
	return 0;
}

/* A function reset asked for through FLR bits of PCIe or AF. */
static void uvfio_pci_user_flr(struct uvfio_pci_device *vpdev)
{
	uvfio_pci_zap_and_down_write_memory_lock(vpdev);
	pci_try_reset_function(vpdev->pdev);
	up_write(&vpdev->memory_lock);
}

static int uvfio_pci_exp_write(struct uvfio_pci_device *vpdev, int pos,
			       int count, const struct uvfio_pci_perm *perm,
			       int off, __le32 val)
{
	int cap = pos - off;
	__le16 *ctl = (__le16 *)&vpdev->vconfig[cap + PCI_EXP_DEVCTL];
	u16 readrq = le16_to_cpup(ctl) & PCI_EXP_DEVCTL_READRQ;
	u32 devcap;
	int mrrs, ret;

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, off, val);
	if (ret)
		return ret;

	/* FLR always reads 0; it resets when the function has FLR. */
	if (*ctl & cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR)) {
		*ctl &= ~cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR);
		if (!pci_user_read_config_dword(vpdev->pdev,
						cap + PCI_EXP_DEVCAP, &devcap) &&
		    devcap & PCI_EXP_DEVCAP_FLR)
			uvfio_pci_user_flr(vpdev);
	}

	/*
	 * The user's read request size reaches the hardware, but never
	 * below the payload size, so that full TLPs stay possible.
	 */
	if (readrq != (le16_to_cpup(ctl) & PCI_EXP_DEVCTL_READRQ)) {
		mrrs = 128 << ((le16_to_cpup(ctl) & PCI_EXP_DEVCTL_READRQ) >> 12);
		pcie_set_readrq(vpdev->pdev,
				max(mrrs, pcie_get_mps(vpdev->pdev)));
	}
	return 0;
}

static int uvfio_pci_af_write(struct uvfio_pci_device *vpdev, int pos,
			      int count, const struct uvfio_pci_perm *perm,
			      int off, __le32 val)
{
	int cap = pos - off;
	u8 *ctl = &vpdev->vconfig[cap + PCI_AF_CTRL];
	u8 afcap;
	int ret;

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, off, val);
	if (ret)
		return ret;

	if (*ctl & PCI_AF_CTRL_FLR) {
		*ctl &= ~PCI_AF_CTRL_FLR;
		if (!pci_user_read_config_byte(vpdev->pdev, cap + PCI_AF_CAP,
					       &afcap) &&
		    afcap & PCI_AF_CAP_FLR && afcap & PCI_AF_CAP_TP)
			uvfio_pci_user_flr(vpdev);
	}
	return 0;
}

/* Start of the capability that owns config byte @pos. */
static int uvfio_pci_cap_start(struct uvfio_pci_device *vpdev, int pos)
{
	int base = pos >= PCI_CFG_SPACE_SIZE ? PCI_CFG_SPACE_SIZE :
					       PCI_STD_HEADER_SIZEOF;
	u8 id = vpdev->cfg_map[pos];

	if (id == UVFIO_PCI_CAP_ID_HEADER)
		return 0;
	while (pos > base && vpdev->cfg_map[pos - 1] == id)
		pos--;
	return pos;
}

static int uvfio_pci_msi_write(struct uvfio_pci_device *vpdev, int pos,
			       int count, const struct uvfio_pci_perm *perm,
			       int off, __le32 val)
{
	int cap = pos - off;
	__le16 *vflags = (__le16 *)&vpdev->vconfig[cap + PCI_MSI_FLAGS];
	u16 flags;
	int ret;

	ret = uvfio_pci_default_write(vpdev, pos, count, perm, off, val);
	/* Enable and the queue size: only a write of their byte counts. */
	if (ret || off > PCI_MSI_FLAGS || off + count <= PCI_MSI_FLAGS)
		return ret;

	/*
	 * Multiple Message Capable stays what the hardware said at open;
	 * Multiple Message Enable is cut to what SET_IRQS allocated.
	 */
	flags = le16_to_cpup(vflags);
	/* MSI is enabled through VFIO_DEVICE_SET_IRQS only. */
	if (vpdev->irq_type != VFIO_PCI_MSI_IRQ_INDEX)
		flags &= ~PCI_MSI_FLAGS_ENABLE;
	if (FIELD_GET(PCI_MSI_FLAGS_QSIZE, flags) > vpdev->msi_qmax)
		flags = (flags & ~PCI_MSI_FLAGS_QSIZE) |
			FIELD_PREP(PCI_MSI_FLAGS_QSIZE, vpdev->msi_qmax);
	*vflags = cpu_to_le16(flags);
	return pci_user_write_config_word(vpdev->pdev, cap + PCI_MSI_FLAGS,
					  flags);
}

static struct uvfio_pci_perm uvfio_pci_header_perm = {
	.fields = uvfio_pci_header_fields, .len = PCI_STD_HEADER_SIZEOF,
	.read = uvfio_pci_header_read, .write = uvfio_pci_header_write,
};

/* Capabilities we have no table for: read-only, chain pointers ours. */
static struct uvfio_pci_perm uvfio_pci_direct_perm = {
	.read = uvfio_pci_direct_read,
};

/*
 * Bytes outside any capability go straight to the hardware: some devices
 * hide registers between capabilities, and the IOMMU isolates what they do
 * as it isolates BAR accesses.
 */
static struct uvfio_pci_perm uvfio_pci_unclaimed_perm = {
	.read = uvfio_pci_raw_read, .write = uvfio_pci_raw_write,
};

/* Up to its last entry: the IDs that index it are those shown, up to AF. */
static struct uvfio_pci_perm uvfio_pci_cap_perms[] = {
	[PCI_CAP_ID_PM] = {
		.fields = uvfio_pci_pm_fields, .len = PCI_PM_SIZEOF,
		.write = uvfio_pci_pm_write,
	},
	[PCI_CAP_ID_VPD] = {
		.fields = uvfio_pci_vpd_fields, .len = PCI_CAP_VPD_SIZEOF,
		.write = uvfio_pci_vpd_write,
	},
	[PCI_CAP_ID_PCIX] = {
		.fields = uvfio_pci_pcix_fields, .len = PCI_CAP_PCIX_SIZEOF_V2,
	},
	/* Vendor-specific: the device's business, written through. */
	[PCI_CAP_ID_VNDR] = {
		.read = uvfio_pci_direct_read, .write = uvfio_pci_raw_write,
	},
	[PCI_CAP_ID_EXP] = {
		.fields = uvfio_pci_exp_fields,
		.len = PCI_CAP_EXP_ENDPOINT_SIZEOF_V2,
		.write = uvfio_pci_exp_write,
	},
	[PCI_CAP_ID_AF] = {
		.fields = uvfio_pci_af_fields, .len = PCI_CAP_AF_SIZEOF,
		.write = uvfio_pci_af_write,
	},
};

static struct uvfio_pci_perm uvfio_pci_ecap_perms[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR] = {
		.fields = uvfio_pci_aer_fields, .len = PCI_ERR_ROOT_COMMAND,
	},
	[PCI_EXT_CAP_ID_PWR] = {
		.fields = uvfio_pci_pwr_fields, .len = PCI_EXT_CAP_PWR_SIZEOF,
	},
	[PCI_EXT_CAP_ID_VNDR] = {
		.read = uvfio_pci_direct_read, .write = uvfio_pci_raw_write,
	},
	[PCI_EXT_CAP_ID_DVSEC] = {
		.read = uvfio_pci_direct_read, .write = uvfio_pci_raw_write,
	},
};

/* MSI by layout: 64-bit address, per-vector masking. */
static struct uvfio_pci_perm uvfio_pci_msi_perms[4] = {
	{ .fields = uvfio_pci_msi32_fields, .len = 10,
	  .write = uvfio_pci_msi_write },
	{ .fields = uvfio_pci_msi32_mask_fields, .len = 20,
	  .write = uvfio_pci_msi_write },
	{ .fields = uvfio_pci_msi64_fields, .len = 14,
	  .write = uvfio_pci_msi_write },
	{ .fields = uvfio_pci_msi64_mask_fields, .len = 24,
	  .write = uvfio_pci_msi_write },
};

/* One allocation holds both masks: @writable follows @virt. */
static void uvfio_pci_perm_free(struct uvfio_pci_perm *perm)
{
	kfree(perm->virt);
	perm->virt = NULL;
	perm->writable = NULL;
}

/* Expand @perm's fields into byte masks; all-zero bytes outside them. */
static int uvfio_pci_perm_build(struct uvfio_pci_perm *perm)
{
	const struct uvfio_pci_field *f;
	size_t len = round_up(perm->len, 4);
	__le32 v;

	if (!perm->fields) {
		if (!perm->read)
			perm->read = uvfio_pci_direct_read;
		return 0;
	}
	perm->virt = kzalloc(2 * len, GFP_KERNEL);
	if (!perm->virt)
		return -ENOMEM;
	perm->writable = perm->virt + len;
	for (f = perm->fields; f->size; f++) {
		if (WARN_ON(f->off + f->size > len))
			continue;
		v = cpu_to_le32(f->virt);
		memcpy(perm->virt + f->off, &v, f->size);
		v = cpu_to_le32(f->write);
		memcpy(perm->writable + f->off, &v, f->size);
	}
	if (!perm->read)
		perm->read = uvfio_pci_default_read;
	if (!perm->write)
		perm->write = uvfio_pci_default_write;
	return 0;
}

static struct uvfio_pci_perm *uvfio_pci_all_perms(unsigned int i)
{
	static struct uvfio_pci_perm * const tables[] = {
		&uvfio_pci_header_perm, &uvfio_pci_direct_perm,
	};
	const unsigned int ntables = ARRAY_SIZE(tables);
	const unsigned int ncap = ARRAY_SIZE(uvfio_pci_cap_perms);
	const unsigned int necap = ARRAY_SIZE(uvfio_pci_ecap_perms);

	if (i < ntables)
		return tables[i];
	i -= ntables;
	if (i < ncap)
		return &uvfio_pci_cap_perms[i];
	i -= ncap;
	if (i < necap)
		return &uvfio_pci_ecap_perms[i];
	i -= necap;
	if (i < ARRAY_SIZE(uvfio_pci_msi_perms))
		return &uvfio_pci_msi_perms[i];
	return NULL;
}

/**
 * uvfio_pci_perm_exit() - free the masks of every permission table
 */
void uvfio_pci_perm_exit(void)
{
	struct uvfio_pci_perm *perm;
	unsigned int i;

	for (i = 0; (perm = uvfio_pci_all_perms(i)); i++)
		uvfio_pci_perm_free(perm);
}

/**
 * uvfio_pci_perm_init() - expand every permission table into its masks
 *
 * Return: 0 or -ENOMEM.
 */
int uvfio_pci_perm_init(void)
{
	struct uvfio_pci_perm *perm;
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && (perm = uvfio_pci_all_perms(i)); i++)
		ret = uvfio_pci_perm_build(perm);
	if (ret)
		uvfio_pci_perm_exit();
	return ret;
}

/* Lengths of the capabilities whose size their registers tell. */
static int uvfio_pci_msi_len(struct uvfio_pci_device *vpdev, int pos)
{
	u16 flags;
	int ret;

	ret = pci_read_config_word(vpdev->pdev, pos + PCI_MSI_FLAGS, &flags);
	if (ret)
		return pcibios_err_to_errno(ret);
	vpdev->msi_perm = &uvfio_pci_msi_perms[
		(flags & PCI_MSI_FLAGS_64BIT ? 2 : 0) +
		(flags & PCI_MSI_FLAGS_MASKBIT ? 1 : 0)];
	return vpdev->msi_perm->len;
}

/* Extended capabilities are shared only when PCIe or PCI-X 2 says so. */
static void uvfio_pci_probe_ecaps(struct uvfio_pci_device *vpdev)
{
	u32 dword;

	if (vpdev->cfg_size > PCI_CFG_SPACE_SIZE) {
		pci_read_config_dword(vpdev->pdev, PCI_CFG_SPACE_SIZE, &dword);
		vpdev->extended_caps = !!dword;
	}
}

static int uvfio_pci_cap_var_len(struct uvfio_pci_device *vpdev, u8 id,
				 int pos)
{
	struct pci_dev *pdev = vpdev->pdev;
	bool rc_end = pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END;
	u16 word;
	u8 byte;
	int ret;

	switch (id) {
	case PCI_CAP_ID_MSI:
		return uvfio_pci_msi_len(vpdev, pos);
	case PCI_CAP_ID_PCIX:
		ret = pci_read_config_word(pdev, pos + PCI_X_CMD, &word);
		if (ret)
			break;
		if (!PCI_X_CMD_VERSION(word))
			return PCI_CAP_PCIX_SIZEOF_V0;
		uvfio_pci_probe_ecaps(vpdev);
		return PCI_CAP_PCIX_SIZEOF_V2;
	case PCI_CAP_ID_VNDR:
		ret = pci_read_config_byte(pdev, pos + PCI_CAP_FLAGS, &byte);
		return ret ? pcibios_err_to_errno(ret) : byte;
	case PCI_CAP_ID_EXP:
		uvfio_pci_probe_ecaps(vpdev);
		/* Integrated endpoints have no link registers. */
		if ((pcie_caps_reg(pdev) & PCI_EXP_FLAGS_VERS) == 1)
			return rc_end ? 0xc : PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
		return rc_end ? 0x2c : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	case PCI_CAP_ID_HT:
		ret = pci_read_config_byte(pdev, pos + 3, &byte);
		if (ret)
			break;
		return byte & HT_3BIT_CAP_MASK ? HT_CAP_SIZEOF_SHORT :
						 HT_CAP_SIZEOF_LONG;
	default:	/* PCI_CAP_ID_SATA, the last variable one */
		ret = pci_read_config_byte(pdev, pos + PCI_SATA_REGS, &byte);
		if (ret)
			break;
		return (byte & PCI_SATA_REGS_MASK) == PCI_SATA_REGS_INLINE ?
			PCI_SATA_SIZEOF_LONG : PCI_SATA_SIZEOF_SHORT;
	}
	return pcibios_err_to_errno(ret);
}

/* Virtual channel capabilities: the per-VC registers and the table. */
static int uvfio_pci_vc_len(struct pci_dev *pdev, int pos)
{
	u32 cap1, cap2;
	int len = PCI_CAP_VC_BASE_SIZEOF, phases = 0;
	int ret;

	ret = pci_read_config_dword(pdev, pos + PCI_VC_PORT_CAP1, &cap1);
	if (!ret)
		ret = pci_read_config_dword(pdev, pos + PCI_VC_PORT_CAP2,
					    &cap2);
	if (ret)
		return pcibios_err_to_errno(ret);
	if (cap2 & PCI_VC_CAP2_128_PHASE)
		phases = 128;
	else if (cap2 & PCI_VC_CAP2_64_PHASE)
		phases = 64;
	else if (cap2 & PCI_VC_CAP2_32_PHASE)
		phases = 32;
	len += (1 + (cap1 & PCI_VC_CAP1_EVCC)) * PCI_CAP_VC_PER_VC_SIZEOF;
	/* Arbitration tables are never writable; only their size counts. */
	if (phases)
		len = round_up(len, 16) + phases * 4 / 8;
	return len;
}

static int uvfio_pci_ecap_var_len(struct uvfio_pci_device *vpdev, u16 id,
				  int pos)
{
	struct pci_dev *pdev = vpdev->pdev;
	u32 dword;
	u8 byte;
	int ret;

	switch (id) {
	case PCI_EXT_CAP_ID_VNDR:
		ret = pci_read_config_dword(pdev, pos + PCI_VSEC_HDR, &dword);
		if (ret)
			break;
		return dword >> PCI_VSEC_HDR_LEN_SHIFT;
	case PCI_EXT_CAP_ID_VC:
	case PCI_EXT_CAP_ID_VC9:
	case PCI_EXT_CAP_ID_MFVC:
		return uvfio_pci_vc_len(pdev, pos);
	case PCI_EXT_CAP_ID_ACS:
		ret = pci_read_config_byte(pdev, pos + PCI_ACS_CAP, &byte);
		if (ret || !(byte & PCI_ACS_EC))
			return ret ? pcibios_err_to_errno(ret) : 8;
		ret = pci_read_config_byte(pdev, pos + PCI_ACS_EGRESS_BITS,
					   &byte);
		if (ret)
			break;
		/* The egress control vector, in whole dwords. */
		return 8 + (byte ? round_up(byte, 32) : 256) / 8;
	case PCI_EXT_CAP_ID_REBAR:
		ret = pci_read_config_byte(pdev, pos + PCI_REBAR_CTRL, &byte);
		if (ret)
			break;
		return 4 + 8 * FIELD_GET(PCI_REBAR_CTRL_NBAR_MASK, byte);
	case PCI_EXT_CAP_ID_DPA:
		ret = pci_read_config_byte(pdev, pos + PCI_DPA_CAP, &byte);
		if (ret)
			break;
		return PCI_DPA_BASE_SIZEOF + (byte & PCI_DPA_CAP_SUBSTATE_MASK) +
		       1;
	case PCI_EXT_CAP_ID_TPH:
		ret = pci_read_config_dword(pdev, pos + PCI_TPH_CAP, &dword);
		if (ret)
			break;
		if ((dword & PCI_TPH_CAP_LOC_MASK) != PCI_TPH_LOC_CAP)
			return PCI_TPH_BASE_SIZEOF;
		return PCI_TPH_BASE_SIZEOF + 2 +
		       2 * FIELD_GET(PCI_TPH_CAP_ST_MASK, dword);
	default:	/* PCI_EXT_CAP_ID_DVSEC, the last variable one */
		ret = pci_read_config_dword(pdev, pos + PCI_DVSEC_HEADER1,
					    &dword);
		if (ret)
			break;
		return PCI_DVSEC_HEADER1_LEN(dword);
	}
	return pcibios_err_to_errno(ret);
}

/* Copy [@pos, @pos + @len) of the hardware into vconfig, widest first. */
static int uvfio_pci_fill_vconfig(struct uvfio_pci_device *vpdev, int pos,
				  int len)
{
	__le32 val;
	int n, ret;

	for (; len; pos += n, len -= n) {
		n = uvfio_pci_io_width(pos, len, 4);
		ret = uvfio_pci_hw_read(vpdev->pdev, pos, n, &val);
		if (ret)
			return ret;
		memcpy(vpdev->vconfig + pos, &val, n);
	}
	return 0;
}

static void uvfio_pci_claim(struct uvfio_pci_device *vpdev, int pos,
			    int len, u8 id)
{
	u8 *taken = memchr_inv(vpdev->cfg_map + pos, UVFIO_PCI_CAP_ID_NONE,
			       len);

	if (taken)
		pci_warn(vpdev->pdev,
			 "config %#x: capability %#x overlaps %#x\n",
			 (int)(taken - vpdev->cfg_map), id, *taken);
	memset(vpdev->cfg_map + pos, id, len);
}

/* Walk the standard chain: claim what we share, unlink what we hide. */
static int uvfio_pci_caps_init(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	int loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / PCI_CAP_SIZEOF;
	u8 *prev = &vpdev->vconfig[PCI_CAPABILITY_LIST];
	u8 pos, id, next;
	int len, ret, shown = 0;
	u16 status;

	ret = pci_read_config_word(pdev, PCI_STATUS, &status);
	if (ret || !(status & PCI_STATUS_CAP_LIST))
		return ret;
	ret = pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	if (ret)
		return ret;

	while (pos && loops--) {
		ret = pci_read_config_byte(pdev, pos, &id);
		if (!ret)
			ret = pci_read_config_byte(pdev, pos + PCI_CAP_LIST_NEXT,
						   &next);
		if (ret)
			return ret;

		/* ID 0 (a null capability) has nothing to share. */
		len = 0;
		if (id && id <= PCI_CAP_ID_MAX) {
			len = uvfio_pci_cap_len[id];
			if (len == UVFIO_PCI_CAP_VARIABLE)
				len = uvfio_pci_cap_var_len(vpdev, id, pos);
			if (len < 0)
				return len;
		}
		if (!len) {
			pci_dbg(pdev, "hiding capability %#x at %#x\n", id, pos);
			*prev = next;
			pos = next;
			continue;
		}

		uvfio_pci_claim(vpdev, pos, len, id);
		ret = uvfio_pci_fill_vconfig(vpdev, pos, len);
		if (ret)
			return ret;
		if (id == PCI_CAP_ID_PM) {
			/* PME is the host's: the user sees none of it. */
			*(__le16 *)&vpdev->vconfig[pos + PCI_PM_PMC] &=
				~cpu_to_le16(PCI_PM_CAP_PME_MASK);
			*(__le16 *)&vpdev->vconfig[pos + PCI_PM_CTRL] &=
				~cpu_to_le16(PCI_PM_CTRL_PME_ENABLE |
					     PCI_PM_CTRL_PME_STATUS);
		}
		prev = &vpdev->vconfig[pos + PCI_CAP_LIST_NEXT];
		pos = next;
		shown++;
	}
	if (!shown)
		*(__le16 *)&vpdev->vconfig[PCI_STATUS] &=
			~cpu_to_le16(PCI_STATUS_CAP_LIST);
	return 0;
}

/*
 * Walk the extended chain. A hidden capability is unlinked, except the
 * first, which must stay at 0x100: it keeps its place with ID 0 and
 * version 0, pointing on.
 */
static int uvfio_pci_ecaps_init(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	int loops = (vpdev->cfg_size - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
	__le32 *prev = NULL, *hdr;
	int pos = PCI_CFG_SPACE_SIZE;
	int len, ret, shown = 0;
	bool hidden;
	u32 header;
	u16 id;

	if (!vpdev->extended_caps)
		return 0;

	while (loops-- && pos >= PCI_CFG_SPACE_SIZE) {
		ret = pci_read_config_dword(pdev, pos, &header);
		if (ret)
			return ret;
		id = PCI_EXT_CAP_ID(header);
		len = 0;
		if (id <= PCI_EXT_CAP_ID_MAX) {
			len = uvfio_pci_ecap_len[id];
			if (len == UVFIO_PCI_CAP_VARIABLE)
				len = uvfio_pci_ecap_var_len(vpdev, id, pos);
			if (len < 0)
				return len;
		}
		hidden = !len;
		if (hidden) {
			pci_dbg(pdev, "hiding extended capability %#x at %#x\n",
				id, pos);
			if (prev) {
				pos = PCI_EXT_CAP_NEXT(header);
				*prev &= ~cpu_to_le32(0xffcU << 20);
				*prev |= cpu_to_le32(pos << 20);
				continue;
			}
			len = PCI_CAP_SIZEOF;
		}

		uvfio_pci_claim(vpdev, pos, len, id);
		ret = uvfio_pci_fill_vconfig(vpdev, pos, len);
		if (ret)
			return ret;
		hdr = (__le32 *)&vpdev->vconfig[pos];
		if (hidden)
			*hdr &= cpu_to_le32(0xffcU << 20);
		else
			shown++;
		prev = hdr;
		pos = PCI_EXT_CAP_NEXT(header);
	}
	if (!shown)
		*(__le32 *)&vpdev->vconfig[PCI_CFG_SPACE_SIZE] = 0;
	return 0;
}

/**
 * uvfio_pci_config_init() - the user's view of config space, at open
 * @vpdev: a device being opened, enabled and saved
 *
 * Return: 0, -ENOMEM, or an errno from reading config space.
 */
int uvfio_pci_config_init(struct uvfio_pci_device *vpdev)
{
	struct pci_dev *pdev = vpdev->pdev;
	u8 *v;
	int i, ret;

	vpdev->cfg_size = pdev->cfg_size;
	vpdev->cfg_map = kmalloc(vpdev->cfg_size, GFP_KERNEL_ACCOUNT);
	vpdev->vconfig = kmalloc(vpdev->cfg_size, GFP_KERNEL_ACCOUNT);
	if (!vpdev->cfg_map || !vpdev->vconfig) {
		ret = -ENOMEM;
		goto out;
	}
	v = vpdev->vconfig;
	memset(vpdev->cfg_map, UVFIO_PCI_CAP_ID_HEADER, PCI_STD_HEADER_SIZEOF);
	memset(vpdev->cfg_map + PCI_STD_HEADER_SIZEOF, UVFIO_PCI_CAP_ID_NONE,
	       vpdev->cfg_size - PCI_STD_HEADER_SIZEOF);
	vpdev->msi_perm = NULL;
	vpdev->extended_caps = false;

	ret = uvfio_pci_fill_vconfig(vpdev, 0, PCI_STD_HEADER_SIZEOF);
	if (ret)
		goto out;
	vpdev->bardirty = true;
	for (i = 0; i <= PCI_STD_NUM_BARS; i++)
		vpdev->rbar[i] = le32_to_cpup((__le32 *)&v[i < PCI_STD_NUM_BARS ?
					      PCI_BASE_ADDRESS_0 + 4 * i :
					      PCI_ROM_ADDRESS]);

	if (pdev->is_virtfn) {
		/* A VF reads all ones in its IDs and has no INTx. */
		*(__le16 *)&v[PCI_VENDOR_ID] = cpu_to_le16(pdev->vendor);
		*(__le16 *)&v[PCI_DEVICE_ID] = cpu_to_le16(pdev->device);
		v[PCI_INTERRUPT_PIN] = 0;
	}
	if (pdev->no_command_memory)
		*(__le16 *)&v[PCI_COMMAND] |= cpu_to_le16(PCI_COMMAND_MEMORY);
	if (pdev->irq == IRQ_NOTCONNECTED)
		v[PCI_INTERRUPT_PIN] = 0;

	ret = uvfio_pci_caps_init(vpdev);
	if (!ret)
		ret = uvfio_pci_ecaps_init(vpdev);
	if (!ret)
		return 0;
	ret = pcibios_err_to_errno(ret);
out:
	uvfio_pci_config_free(vpdev);
	return ret;
}

/**
 * uvfio_pci_config_free() - forget the user's view, at close
 * @vpdev: a device being closed
 */
void uvfio_pci_config_free(struct uvfio_pci_device *vpdev)
{
	kfree(vpdev->vconfig);
	vpdev->vconfig = NULL;
	kfree(vpdev->cfg_map);
	vpdev->cfg_map = NULL;
	vpdev->msi_perm = NULL;
}

/* The widest aligned piece at @pos, at most @count bytes, of one owner. */
static int uvfio_pci_piece_len(struct uvfio_pci_device *vpdev, loff_t pos,
			       size_t count)
{
	const u8 *map = vpdev->cfg_map + pos;
	int n = uvfio_pci_io_width(pos, count, 4);

	/* Halved until one owner has it all: aligned halves stay aligned. */
	while (memchr_inv(map, *map, n))
		n /= 2;
	return n;
}

static const struct uvfio_pci_perm *
uvfio_pci_perm_at(struct uvfio_pci_device *vpdev, int pos, int *start)
{
	u8 id = vpdev->cfg_map[pos];

	if (id == UVFIO_PCI_CAP_ID_NONE) {
		*start = pos;
		return &uvfio_pci_unclaimed_perm;
	}
	*start = uvfio_pci_cap_start(vpdev, pos);
	if (pos >= PCI_CFG_SPACE_SIZE)
		/* A hidden first capability may have any ID. */
		return id > PCI_EXT_CAP_ID_MAX ? &uvfio_pci_direct_perm :
						 &uvfio_pci_ecap_perms[id];
	if (id == UVFIO_PCI_CAP_ID_HEADER)
		return &uvfio_pci_header_perm;
	if (id == PCI_CAP_ID_MSI)
		return vpdev->msi_perm;
	return &uvfio_pci_cap_perms[id];
}

/*
 * One piece of an access: aligned, at most a dword, one owner. Returns
 * the bytes done or an errno.
 */
static int uvfio_pci_config_piece(struct uvfio_pci_device *vpdev,
				  char __user *buf, size_t count, loff_t pos,
				  bool iswrite)
{
	const struct uvfio_pci_perm *perm;
	__le32 val = 0;
	int n, start, ret;

	/* @pos is a region offset (40 bits) and @count > 0: no overflow. */
	if (pos + count > vpdev->cfg_size)
		return -EFAULT;

	n = uvfio_pci_piece_len(vpdev, pos, count);
	perm = uvfio_pci_perm_at(vpdev, pos, &start);
	if (iswrite) {
		if (!perm->write)
			return n;
		if (copy_from_user(&val, buf, n))
			return -EFAULT;
		ret = perm->write(vpdev, pos, n, perm, pos - start, val);
	} else {
		ret = perm->read(vpdev, pos, n, perm, pos - start, &val);
		if (!ret && copy_to_user(buf, &val, n))
			ret = -EFAULT;
	}
	/* Handlers answer 0 or an errno: a piece is done whole or not. */
	if (WARN_ON_ONCE(ret > 0))
		ret = -EIO;
	return ret ? ret : n;
}

/**
 * uvfio_pci_config_rw() - read or write the config region
 * @vpdev: an open device
 * @buf: user buffer
 * @count: bytes
 * @ppos: file offset, advanced by what was done
 * @iswrite: write instead of read
 *
 * The access is cut into aligned pieces that never cross a dword or a
 * capability, each handled by its owner's permissions.
 *
 * Return: @count; -EFAULT for a range outside config space (nothing done)
 * or an unreadable buffer; an errno from the hardware.
 */
ssize_t uvfio_pci_config_rw(struct uvfio_pci_device *vpdev, char __user *buf,
			    size_t count, loff_t *ppos, bool iswrite)
{
	loff_t pos = uvfio_pci_offset_in_region(*ppos);
	size_t done = 0;
	int ret;

	while (count) {
		ret = uvfio_pci_config_piece(vpdev, buf, count, pos, iswrite);
		if (ret < 0)
			return ret;
		count -= ret;
		done += ret;
		buf += ret;
		pos += ret;
	}
	*ppos += done;
	return done;
}
