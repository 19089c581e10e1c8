/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Nothing lost", read from userspace after a teardown: the clients that
 * make the kernel fail (vfio_fail_nth), feed it random calls (vfio_fuzz)
 * or race it (vfio_races) compare these figures with the ones taken before
 * they opened anything.
 *
 * - locked_vm of the process (VmLck): what MAP_DMA charged is returned;
 * - pages pinned for DMA (pin_user_pages: nr_foll_pin_acquired minus
 *   nr_foll_pin_released in /proc/vmstat): every pin is released;
 * - the fake IOMMU (debugfs simiommu/state): no paging domain left, so no
 *   IOVA mapped;
 * - /proc/interrupts: no handler of a VFIO driver left on a vector;
 * - eventfd contexts: ids come from one IDA, lowest free first, so a new
 *   eventfd gets the baseline's id only when every context the kernel held
 *   is freed;
 * - the process's own open files: the same number as before;
 * - new checker reports in the kernel log (/dev/kmsg), printed where they
 *   appeared.
 *
 * kmemleak is scanned once at the end by the init (KMEMLEAK=1).
 */
#ifndef LOST_H
#define LOST_H

#include "client.h"

#include <dirent.h>
#include <sys/eventfd.h>

struct lost_state {
	long locked;
	long pins;
	long domains;
	long mapped;
	int eventfd_id;
	int fds;
};

static int lost_kmsg = -1;

static inline long lost_file_value(const char *path, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ' ') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static inline int lost_eventfd_id(void)
{
	char path[64];
	int efd = eventfd(0, 0), id = -1;

	if (efd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", efd);
	id = lost_file_value(path, "eventfd-id:");
	close(efd);
	return id;
}

static inline int lost_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

/* Lines of /proc/interrupts with a handler of a VFIO driver on them. */
static inline int lost_vfio_irqs(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, "vfio");
	fclose(f);
	return n;
}

static inline void lost_read(struct lost_state *s)
{
	static const char sim[] = "/sys/kernel/debug/simiommu/state";

	s->locked = vm_locked();
	s->pins = lost_file_value("/proc/vmstat", "nr_foll_pin_acquired") -
		  lost_file_value("/proc/vmstat", "nr_foll_pin_released");
	s->domains = lost_file_value(sim, "domains");
	s->mapped = lost_file_value(sim, "mapped_bytes");
	s->eventfd_id = lost_eventfd_id();
	s->fds = lost_open_fds();
}

/* Checker reports in the kernel log since the last call, printed. */
static inline int lost_reports(const char *where)
{
	static const char *const marks[] = {
		"BUG:", "WARNING:", "UBSAN:", "ODEBUG:", "Oops", "KASAN",
		"circular locking", "recursive locking", "inconsistent lock",
		"general protection",
	};
	char rec[2048];
	unsigned int i;
	ssize_t n;
	int found = 0;

	if (lost_kmsg < 0) {
		lost_kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
		if (lost_kmsg >= 0)
			lseek(lost_kmsg, 0, SEEK_END);
		return 0;
	}
	while ((n = read(lost_kmsg, rec, sizeof(rec) - 1)) > 0 ||
	       (n < 0 && errno == EPIPE)) {
		if (n < 0)
			continue;	/* overwritten records */
		rec[n] = 0;
		if (n && rec[n - 1] == '\n')
			rec[n - 1] = 0;
		for (i = 0; i < ARRAY_SIZE(marks); i++)
			if (strstr(rec, marks[i]))
				break;
		if (i < ARRAY_SIZE(marks)) {
			out("%s: kernel: %s", where,
			    strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
			found++;
		}
	}
	return found;
}

/*
 * Start the bookkeeping: open the kernel log at its end and take the
 * baseline. Call before anything VFIO is open.
 */
static inline void lost_start(struct lost_state *base)
{
	lost_reports(NULL);
	lost_read(base);
}

/*
 * Compare with @base after a teardown; print what differs, labelled with
 * @where. Return: the number of things lost.
 */
static inline int lost_check(const struct lost_state *base, const char *where)
{
	struct lost_state now;
	int n = 0;

	lost_read(&now);
#define LOST_CMP(field, what)						\
	do {								\
		if (now.field != base->field) {				\
			out("%s: lost %s: %ld, before %ld", where, what,	\
			    (long)now.field, (long)base->field);	\
			n++;						\
		}							\
	} while (0)
	LOST_CMP(locked, "locked_vm pages");
	LOST_CMP(pins, "pinned pages");
	LOST_CMP(domains, "IOMMU domains");
	LOST_CMP(mapped, "IOMMU mapped bytes");
	LOST_CMP(eventfd_id, "eventfd contexts (next id)");
	LOST_CMP(fds, "open files");
#undef LOST_CMP
	if (lost_vfio_irqs()) {
		out("%s: lost %d interrupt handlers", where, lost_vfio_irqs());
		n++;
	}
	return n + lost_reports(where);
}

#endif /* LOST_H */
