// SPDX-License-Identifier: GPL-2.0-only
/*
 * "ioat": one channel of an Intel I/OAT DMA engine (CBDMA, version 3.3)
 * as a driver written for the real part sees it: its registers, 64-byte
 * descriptors fetched from memory, copies through the IOMMU, completion by
 * status, by write-back and by MSI-X, and faults that halt the channel
 * with CHANERR set and no memory touched. Layout in simioat.h.
 *
 * The registers live in RAM (BAR0 is RAM-backed) so that a process can
 * map them, and UML cannot trap a store to a page. So the model keeps
 * regs[], the register page as it last left it, and takes a store:
 *  - through the kernel's mapping (pci_iomap(), vfio's read and write):
 *    in bar_write(), at once and exactly;
 *  - through a userspace mapping: in the next sync, as the bytes that
 *    differ from regs[]. The poller (a kthread per device) syncs every
 *    jiffy and at once after a kernel access. A store of the value a byte
 *    already holds is not seen, so the model makes the stores that matter
 *    differ: once it took a doorbell it leaves a marker behind (DMACOUNT
 *    reads back with bit 15 flipped, CHAINADDR with bit 0 flipped), and
 *    self-clearing bits (CHANCMD, INT_REARM) read 0 once taken. What is
 *    not seen: a write-1-to-clear store of exactly the set bits of CHANERR
 *    (a channel reset clears CHANERR), and a store undone before the next
 *    sync. Stores between two syncs are taken in the order of regs_table.
 * Read-only bytes a store changed are put back at the sync.
 *
 * Locking: the device lock (simpci_dev_lock) guards everything in struct
 * ioat but the poller; @run lets one engine step run at a time, and the
 * step drops the device lock while it does DMA. A reset or a new chain
 * meanwhile bumps @gen, and the step then drops what it did.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched.h>

#include "simioat.h"
#include "simpci_internal.h"

#define COUNT_MARKER	BIT(15)
#define CHAIN_MARKER	BIT_ULL(0)

struct ioat {
	struct simpci_dev *sdev;
	struct task_struct *poller;
	struct mutex run;		/* one engine step at a time */

	u8 regs[SIMIOAT_REGS_SIZE];	/* the register page as left */
	void *ram;			/* BAR0 at the last sync, or NULL */
	u64 chainaddr;			/* CHAINADDR as written */
	u64 next;			/* the next descriptor to fetch */
	u16 dmacount;			/* DMACOUNT as written */
	u16 done;			/* descriptors done since CHAINADDR */
	bool stopped;			/* halted or suspended */
	bool suspend;			/* SUSPEND at the next descriptor */
	bool armed;			/* INT_REARM since the last interrupt */
	unsigned int gen;		/* bumped by reset and CHAINADDR */
	unsigned long events;		/* stores and descriptors taken */
};

enum reg_kind {
	REG_RW,		/* the bits of wmask as written */
	REG_W1C,	/* a written 1 clears */
	REG_CTRL,	/* CHANCTRL: RW, and INT_REARM arms the interrupt */
	REG_CMD,	/* CHANCMD: commands, taken and cleared */
	REG_CHAIN,	/* CHAINADDR: starts a chain */
	REG_COUNT,	/* DMACOUNT: the doorbell */
};

struct ioat_reg {
	u16 off;
	u8 size;
	u8 kind;
	u64 wmask;
};

/* Every byte of the page not here is read-only. Taken in this order. */
static const struct ioat_reg regs_table[] = {
	{ SIMIOAT_CHANCMD, 1, REG_CMD, SIMIOAT_CHANCMD_RESET |
				       SIMIOAT_CHANCMD_SUSPEND },
	{ SIMIOAT_CHANCTRL, 2, REG_CTRL, SIMIOAT_CHANCTRL_RW },
	{ SIMIOAT_CHANCMP, 8, REG_RW, ~0ULL },
	{ SIMIOAT_CHAINADDR, 8, REG_CHAIN, ~0ULL },
	{ SIMIOAT_DMACOUNT, 2, REG_COUNT, 0xffff },
	{ SIMIOAT_CHANERR, 4, REG_W1C, SIMIOAT_CHANERR_ALL },
	{ SIMIOAT_CHANERR_MASK, 4, REG_RW, SIMIOAT_CHANERR_ALL },
	{ SIMIOAT_GENCTRL, 1, REG_RW, BIT(0) },
	{ SIMIOAT_INTRCTRL, 1, REG_RW, SIMIOAT_INTRCTRL_MASTER_EN |
				       SIMIOAT_INTRCTRL_MSIX_EN },
	{ SIMIOAT_INTRDELAY, 2, REG_RW, 0x3fff },
};

static u64 reg_get(struct ioat *io, unsigned int off, int size)
{
	u64 v = 0;

	memcpy(&v, &io->regs[off], size);
	return le64_to_cpu(v);
}

static void reg_set(struct ioat *io, unsigned int off, int size, u64 val)
{
	__le64 v = cpu_to_le64(val);

	memcpy(&io->regs[off], &v, size);
}

static u8 status(struct ioat *io)
{
	return reg_get(io, SIMIOAT_CHANSTS, 8) & SIMIOAT_CHANSTS_STATUS;
}

static void set_status(struct ioat *io, u8 st)
{
	u64 sts = reg_get(io, SIMIOAT_CHANSTS, 8);

	reg_set(io, SIMIOAT_CHANSTS, 8, (sts & SIMIOAT_CHANSTS_ADDR) | st);
}

/* Leave the registers in BAR0's page, where a mapping sees them. */
static void publish(struct ioat *io)
{
	if (io->ram)
		memcpy(io->ram, io->regs, sizeof(io->regs));
}

/* A running channel is active while it has descriptors, else done. */
static void settle(struct ioat *io)
{
	if (!io->stopped)
		set_status(io, io->done != io->dmacount ?
			   SIMIOAT_CHANSTS_ACTIVE : SIMIOAT_CHANSTS_DONE);
}

static void chan_reset(struct ioat *io)
{
	memset(&io->regs[SIMIOAT_CHAN], 0, SIMIOAT_REGS_SIZE - SIMIOAT_CHAN);
	reg_set(io, SIMIOAT_DMA_COMP, 2, SIMIOAT_DMA_COMP_V2);
	reg_set(io, SIMIOAT_CHANSTS, 8, SIMIOAT_CHANSTS_HALTED);
	io->chainaddr = 0;
	io->next = 0;
	io->dmacount = 0;
	io->done = 0;
	io->stopped = true;
	io->suspend = false;
	io->armed = false;
	io->gen++;
}

/* Power-on: the device's registers and its error registers in config. */
static void power_on(struct ioat *io)
{
	struct simpci_dev *sdev = io->sdev;

	memset(io->regs, 0, sizeof(io->regs));
	io->regs[SIMIOAT_CHANCNT] = 1;
	io->regs[SIMIOAT_XFERCAP] = SIMIOAT_XFERCAP_LOG2;
	io->regs[SIMIOAT_VER] = SIMIOAT_VER_3_3;
	chan_reset(io);
	/* Where BAR0 was: a restore of the BAR puts it back there. */
	publish(io);
	simpci_w1c(sdev, SIMIOAT_CFG_CHANERR_INT, 4, SIMIOAT_CHANERR_ALL);
	simpci_wmask(sdev, SIMIOAT_CFG_CHANERRMSK_INT, 4, SIMIOAT_CHANERR_ALL);
}

static void suspend(struct ioat *io)
{
	if (io->stopped)
		return;
	if (status(io) == SIMIOAT_CHANSTS_ACTIVE) {
		io->suspend = true;
		return;
	}
	io->stopped = true;
	set_status(io, SIMIOAT_CHANSTS_SUSPENDED);
}

/* A store of @val to the bits @written of register @r. */
static void store(struct ioat *io, const struct ioat_reg *r, u64 val,
		  u64 written)
{
	u64 old = reg_get(io, r->off, r->size), m = r->wmask & written;

	io->events++;
	switch (r->kind) {
	case REG_RW:
		reg_set(io, r->off, r->size, (old & ~m) | (val & m));
		break;
	case REG_W1C:
		reg_set(io, r->off, r->size, old & ~(val & m));
		break;
	case REG_CTRL:
		if (val & written & SIMIOAT_CHANCTRL_INT_REARM)
			io->armed = true;
		reg_set(io, r->off, r->size, (old & ~m) | (val & m));
		break;
	case REG_CMD:
		if (val & m & SIMIOAT_CHANCMD_RESET)
			chan_reset(io);
		else if (val & m & SIMIOAT_CHANCMD_SUSPEND)
			suspend(io);
		break;
	case REG_CHAIN:
		/* A new chain: nothing of it is rung yet. */
		io->chainaddr = (io->chainaddr & ~m) | (val & m);
		io->next = io->chainaddr;
		io->done = 0;
		io->dmacount = 0;
		io->gen++;
		reg_set(io, r->off, r->size, io->chainaddr ^ CHAIN_MARKER);
		reg_set(io, SIMIOAT_DMACOUNT, 2, COUNT_MARKER);
		settle(io);
		break;
	case REG_COUNT:
		io->dmacount = (io->dmacount & ~m) | (val & m);
		reg_set(io, r->off, r->size, io->dmacount ^ COUNT_MARKER);
		/* A halted channel with errors waits for a reset. */
		if (!reg_get(io, SIMIOAT_CHANERR, 4)) {
			io->stopped = false;
			io->suspend = false;
		}
		settle(io);
		break;
	}
}

/* The bits of @r that the bytes [@off, @off + @size) cover. */
static u64 covered(const struct ioat_reg *r, unsigned int off, int size)
{
	unsigned int lo = max_t(unsigned int, off, r->off);
	unsigned int hi = min_t(unsigned int, off + size, r->off + r->size);

	if (lo >= hi)
		return 0;
	return GENMASK_ULL(8 * (hi - r->off) - 1, 8 * (lo - r->off));
}

/*
 * Take the stores that reached the page through a userspace mapping, and
 * leave the page as the registers are. Called with the device lock held.
 */
static void sync_locked(struct ioat *io)
{
	struct simpci_dev *sdev = io->sdev;
	u8 *ram = simpci_bar_ram_locked(sdev, 0);
	u8 left[SIMIOAT_REGS_SIZE];
	int i;

	lockdep_assert_held(&sdev->lock);
	if (!ram) {
		io->ram = NULL;
		return;
	}
	/* Moved or not decoding: nothing there reached the device. */
	if (ram == io->ram && simpci_mem_enabled(sdev) && simpci_in_d0(sdev) &&
	    memcmp(ram, io->regs, sizeof(io->regs))) {
		/* Stores change regs[]: compare with the page as it was. */
		memcpy(left, io->regs, sizeof(left));
		for (i = 0; i < ARRAY_SIZE(regs_table); i++) {
			const struct ioat_reg *r = &regs_table[i];
			u64 val = 0, changed = 0;
			int b;

			for (b = 0; b < r->size; b++) {
				val |= (u64)ram[r->off + b] << (8 * b);
				if (ram[r->off + b] != left[r->off + b])
					changed |= 0xffULL << (8 * b);
			}
			/*
			 * DMACOUNT is stored whole: a new chain taken just
			 * before zeroed the count its unchanged byte would
			 * be merged with.
			 */
			if (changed && r->kind == REG_COUNT)
				changed = GENMASK_ULL(8 * r->size - 1, 0);
			if (changed)
				store(io, r, val, changed);
		}
	}
	io->ram = ram;
	memcpy(ram, io->regs, sizeof(io->regs));
}

/* A register byte as a kernel read sees it: doorbells as written. */
static u8 view_byte(struct ioat *io, unsigned int off)
{
	if (off - SIMIOAT_DMACOUNT < 2)
		return io->dmacount >> (8 * (off - SIMIOAT_DMACOUNT));
	if (off - SIMIOAT_CHAINADDR < 8)
		return io->chainaddr >> (8 * (off - SIMIOAT_CHAINADDR));
	return io->regs[off];
}

static u64 ioat_bar_read(struct simpci_dev *sdev, int bar, u64 off, int size)
{
	struct ioat *io = simpci_dev_priv(sdev);
	u64 val = 0;
	int b;

	sync_locked(io);
	if (off + size <= SIMIOAT_REGS_SIZE) {
		for (b = 0; b < size; b++)
			val |= (u64)view_byte(io, off + b) << (8 * b);
	} else if (io->ram) {
		/* The rest of the BAR (no other channel) is plain memory. */
		memcpy(&val, io->ram + off, size);
	}
	return val;
}

static void ioat_bar_write(struct simpci_dev *sdev, int bar, u64 off,
			   int size, u64 val)
{
	struct ioat *io = simpci_dev_priv(sdev);
	int i;

	sync_locked(io);
	if (off + size > SIMIOAT_REGS_SIZE) {
		if (io->ram)
			memcpy(io->ram + off, &val, size);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(regs_table); i++) {
		const struct ioat_reg *r = &regs_table[i];
		u64 m = covered(r, off, size);

		if (!m)
			continue;
		/* The written bytes, shifted to their place in @r. */
		if (off >= r->off)
			store(io, r, val << (8 * (off - r->off)), m);
		else
			store(io, r, val >> (8 * (r->off - off)), m);
	}
	publish(io);
}

static bool runnable(struct ioat *io)
{
	return !io->stopped && (io->suspend || io->done != io->dmacount);
}

/* Halt on an error of the descriptor at @addr: CHANERR and CHANERR_INT. */
static void halt(struct ioat *io, u64 addr, u32 err)
{
	struct simpci_dev *sdev = io->sdev;
	u32 mask = simpci_cfg_get(sdev, SIMIOAT_CFG_CHANERRMSK_INT, 4);

	reg_set(io, SIMIOAT_CHANERR, 4, reg_get(io, SIMIOAT_CHANERR, 4) | err);
	simpci_cfg_set(sdev, SIMIOAT_CFG_CHANERR_INT, 4,
		       simpci_cfg_get(sdev, SIMIOAT_CFG_CHANERR_INT, 4) |
		       (err & ~mask));
	reg_set(io, SIMIOAT_CDAR, 8, addr);
	io->stopped = true;
	io->suspend = false;
	set_status(io, SIMIOAT_CHANSTS_HALTED);
}

/* Fetch and carry out the descriptor at @addr; CHANERR bits on failure. */
static u32 run_desc(struct ioat *io, u64 addr, struct simioat_desc *d)
{
	struct simpci_dev *sdev = io->sdev;
	u32 size, ctl;
	bool fault_dst;
	u64 fault;
	void *kva;
	int ret;

	if (addr % sizeof(*d))
		return SIMIOAT_CHANERR_NEXT_ALIGN;
	preempt_disable();
	ret = simpci_dma_map(sdev, addr, sizeof(*d), false, &kva);
	if (!ret)
		memcpy(d, kva, sizeof(*d));
	preempt_enable();
	if (ret)
		return SIMIOAT_CHANERR_NEXT_ADDR;

	ctl = le32_to_cpu(d->ctl);
	size = le32_to_cpu(d->size);
	if (FIELD_GET(SIMIOAT_DESC_OP, ctl) != SIMIOAT_OP_COPY)
		return SIMIOAT_CHANERR_CONTROL;
	if (ctl & SIMIOAT_DESC_NULL)
		return 0;
	if (!size || size > BIT(SIMIOAT_XFERCAP_LOG2))
		return SIMIOAT_CHANERR_LENGTH;
	if (simpci_dma_copy(sdev, le64_to_cpu(d->src), le64_to_cpu(d->dst),
			    size, &fault, &fault_dst))
		return fault_dst ? SIMIOAT_CHANERR_DEST_ADDR :
				   SIMIOAT_CHANERR_SRC_ADDR;
	return 0;
}

/* The completion write-back: CHANSTS, 8 bytes, at CHANCMP. */
static int write_back(struct ioat *io, u64 cmp, u64 sts)
{
	__le64 v = cpu_to_le64(sts);
	void *kva;
	int ret;

	if (cmp % sizeof(v))
		return -EINVAL;
	preempt_disable();
	ret = simpci_dma_map(io->sdev, cmp, sizeof(v), true, &kva);
	if (!ret)
		memcpy(kva, &v, sizeof(v));
	preempt_enable();
	return ret;
}

static bool irq_enabled(struct ioat *io)
{
	return io->regs[SIMIOAT_INTRCTRL] & (SIMIOAT_INTRCTRL_MASTER_EN |
					     SIMIOAT_INTRCTRL_MSIX_EN);
}

/* One descriptor, or a suspend. Return: false when there was none. */
static bool run_one(struct ioat *io)
{
	struct simpci_dev *sdev = io->sdev;
	struct simioat_desc d = {};
	unsigned long flags;
	unsigned int gen;
	bool irq, wb;
	u64 addr, cmp, sts;
	u16 ctrl;
	u32 err;

	simpci_dev_lock(sdev, &flags);
	sync_locked(io);
	if (!runnable(io)) {
		simpci_dev_unlock(sdev, flags);
		return false;
	}
	if (io->suspend) {
		io->suspend = false;
		io->stopped = true;
		set_status(io, SIMIOAT_CHANSTS_SUSPENDED);
		goto out_unlock;
	}
	gen = io->gen;
	addr = io->next;
	simpci_dev_unlock(sdev, flags);

	err = run_desc(io, addr, &d);

	simpci_dev_lock(sdev, &flags);
	if (gen != io->gen)
		goto out_unlock;	/* reset, or a new chain: dropped */
	ctrl = reg_get(io, SIMIOAT_CHANCTRL, 2);
	if (err) {
		halt(io, addr, err);
		wb = ctrl & SIMIOAT_CHANCTRL_ERR_COMPL_EN;
		irq = ctrl & SIMIOAT_CHANCTRL_ERR_INT_EN;
	} else {
		io->done++;
		io->next = le64_to_cpu(d.next);
		reg_set(io, SIMIOAT_CDAR, 8, addr);
		reg_set(io, SIMIOAT_CHANSTS, 8, addr & SIMIOAT_CHANSTS_ADDR);
		settle(io);
		wb = le32_to_cpu(d.ctl) & SIMIOAT_DESC_COMPL;
		irq = le32_to_cpu(d.ctl) & SIMIOAT_DESC_INT_EN;
	}
	irq = irq && io->armed && irq_enabled(io);
	if (irq)
		io->armed = false;
	sts = reg_get(io, SIMIOAT_CHANSTS, 8);
	cmp = reg_get(io, SIMIOAT_CHANCMP, 8);
	io->events++;
	publish(io);
	simpci_dev_unlock(sdev, flags);

	if (wb && write_back(io, cmp, sts)) {
		simpci_dev_lock(sdev, &flags);
		if (gen == io->gen)
			halt(io, addr, SIMIOAT_CHANERR_COMPL_ADDR);
		publish(io);
		simpci_dev_unlock(sdev, flags);
	}
	/* The channel's vector; masked, it stays pending in the PBA. */
	if (irq)
		simpci_signal_msi(sdev, 0);
	return true;

out_unlock:
	publish(io);
	simpci_dev_unlock(sdev, flags);
	return true;
}

static bool ioat_poll(struct simpci_dev *sdev)
{
	struct ioat *io = simpci_dev_priv(sdev);
	unsigned long flags;
	bool more;
	int n;

	mutex_lock(&io->run);
	for (n = 0; n < SIMIOAT_BUDGET; n++)
		if (!run_one(io))
			break;
	simpci_dev_lock(sdev, &flags);
	more = runnable(io);
	simpci_dev_unlock(sdev, flags);
	mutex_unlock(&io->run);
	return more;
}

/* How long the poller keeps looking without a pause after work. */
#define BUSY_JIFFIES	2

/*
 * The poller: without a pause while the channel has descriptors left and
 * for BUSY_JIFFIES after (a driver's next doorbell then comes at once:
 * without high-resolution timers a sleep is a whole tick), then every
 * jiffy; at once after a kernel access.
 */
static int ioat_poller(void *data)
{
	struct simpci_dev *sdev = data;
	struct ioat *io = simpci_dev_priv(sdev);
	unsigned long busy_until = jiffies, seen = 0;

	while (!kthread_should_stop()) {
		/* (A racy read: a missed event costs one tick.) */
		if (ioat_poll(sdev) || READ_ONCE(io->events) != seen) {
			seen = READ_ONCE(io->events);
			busy_until = jiffies + BUSY_JIFFIES;
		}
		if (time_before(jiffies, busy_until))
			cond_resched();
		else
			schedule_timeout_idle(1);
	}
	return 0;
}

static void ioat_after(struct simpci_dev *sdev)
{
	struct ioat *io = simpci_dev_priv(sdev);

	wake_up_process(io->poller);
}

static void ioat_reset(struct simpci_dev *sdev)
{
	power_on(simpci_dev_priv(sdev));
}

static int ioat_init(struct simpci_dev *sdev)
{
	struct ioat *io = simpci_dev_priv(sdev);
	unsigned long flags;

	io->sdev = sdev;
	mutex_init(&io->run);
	simpci_dev_lock(sdev, &flags);
	power_on(io);
	simpci_dev_unlock(sdev, flags);
	io->poller = kthread_run(ioat_poller, sdev, "simioat/%02x.%x",
				 PCI_SLOT(simpci_dev_devfn(sdev)),
				 PCI_FUNC(simpci_dev_devfn(sdev)));
	return PTR_ERR_OR_ZERO(io->poller);
}

static void ioat_release(struct simpci_dev *sdev)
{
	struct ioat *io = simpci_dev_priv(sdev);

	kthread_stop(io->poller);
	mutex_destroy(&io->run);
}

static const struct simpci_model_ops ioat_ops = {
	.init = ioat_init,
	.release = ioat_release,
	.bar_read = ioat_bar_read,
	.bar_write = ioat_bar_write,
	.reset = ioat_reset,
	.after_access = ioat_after,
	.poll = ioat_poll,
};

static const struct simpci_cap_desc ioat_caps[] = {
	{ .id = PCI_CAP_ID_MSIX,
	  .msix = { .vectors = 1,
		    .table_bar = 0, .table_offset = SIMIOAT_MSIX_TABLE,
		    .pba_bar = 0, .pba_offset = SIMIOAT_MSIX_PBA } },
	{ .id = PCI_CAP_ID_EXP, .exp = { .flr = true } },
	{ .id = PCI_CAP_ID_PM },
	{ .id = PCI_EXT_CAP_ID_ERR, .ext = true },
	{}
};

const struct simpci_dev_desc simpci_ioat_desc = {
	.name = "ioat",
	.vendor = SIMIOAT_VENDOR,
	.device = SIMIOAT_DEVICE,
	.subvendor = SIMIOAT_VENDOR,
	.subdevice = 0,
	.class = PCI_CLASS_SYSTEM_OTHER << 8,
	.revision = 4,
	.bars = {
		/* Prefetchable, unlike the part's: RAM goes in that window. */
		[0] = { .type = SIMPCI_BAR_MEM64, .prefetch = true, .ram = true,
			.ram_regs = true, .size = SIMIOAT_BAR_SIZE },
	},
	.caps = ioat_caps,
	.ops = &ioat_ops,
	.priv_size = sizeof(struct ioat),
};
EXPORT_SYMBOL_GPL(simpci_ioat_desc);
