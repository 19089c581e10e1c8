// SPDX-License-Identifier: GPL-2.0
/*
 * lspci from sysfs, for a booted UML: every PCI function with its IDs,
 * class, IRQ, IOMMU group, driver, resources and a hex dump of its config
 * space, as the kernel sees them; then the IOMMU groups with their devices
 * and reserved regions. Static, no libraries: run by uml_init.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYS_PCI "/sys/bus/pci/devices"

static int read_str(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void link_name(const char *dir, const char *name, char *buf,
		      size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(buf, len, "-");
		return;
	}
	target[n] = 0;
	snprintf(buf, len, "%s", strrchr(target, '/') + 1);
}

static void show_resources(const char *dir)
{
	static const char *const names[] = {
		"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM",
	};
	char path[PATH_MAX];
	unsigned long long start, end, flags;
	unsigned int i = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/resource", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (i < 7 && fscanf(f, "%llx %llx %llx", &start, &end, &flags) == 3) {
		if (end)
			printf("\t%s: [%s 0x%llx-0x%llx]%s%s\n", names[i],
			       flags & 0x100 ? "io" : "mem", start, end,
			       flags & 0x2000 ? " pref" : "",
			       flags & 0x100000 ? " 64bit" : "");
		i++;
	}
	fclose(f);
}

static void dump_config(const char *dir)
{
	char path[PATH_MAX];
	unsigned char cfg[4096];
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, cfg, sizeof(cfg));
	close(fd);
	/* The header, then only the rows that hold something. */
	for (i = 0; i < n; i += 16) {
		static const unsigned char zero[16];
		ssize_t j;

		if (i >= 64 && !memcmp(cfg + i, zero, 16))
			continue;
		printf("\t%03zx:", i);
		for (j = 0; j < 16; j++)
			printf(" %02x", cfg[i + j]);
		printf("\n");
	}
	printf("\t(%zd bytes of config space, zero rows left out)\n", n);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* /sys/kernel/iommu_groups: each group, its devices and reserved regions. */
static void show_groups(void)
{
	static const char groups[] = "/sys/kernel/iommu_groups";
	struct dirent **list, **devs;
	int n, i, j, m;

	n = scandir(groups, &list, NULL, by_name);
	if (n < 0) {
		printf("%s: none\n", groups);
		return;
	}
	for (i = 0; i < n; i++) {
		char dir[320], path[PATH_MAX], line[128];
		FILE *f;

		if (list[i]->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", groups, list[i]->d_name);
		printf("%s:", dir);
		snprintf(path, sizeof(path), "%s/devices", dir);
		m = scandir(path, &devs, NULL, by_name);
		for (j = 0; j < m; j++) {
			if (devs[j]->d_name[0] != '.')
				printf(" %s", devs[j]->d_name);
			free(devs[j]);
		}
		if (m >= 0)
			free(devs);
		printf("\n");
		snprintf(path, sizeof(path), "%s/reserved_regions", dir);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			printf("\treserved_regions: %s", line);
		if (f)
			fclose(f);
		free(list[i]);
	}
	free(list);
}

int main(void)
{
	struct dirent **list;
	int n, i;

	n = scandir(SYS_PCI, &list, NULL, by_name);
	if (n < 0) {
		perror(SYS_PCI);
		return 1;
	}
	for (i = 0; i < n; i++) {
		char dir[320], vendor[16], device[16], class[16], irq[16];
		char group[64], driver[64];

		if (list[i]->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), SYS_PCI "/%s", list[i]->d_name);
		if (read_str(dir, "vendor", vendor, sizeof(vendor)) ||
		    read_str(dir, "device", device, sizeof(device)) ||
		    read_str(dir, "class", class, sizeof(class)) ||
		    read_str(dir, "irq", irq, sizeof(irq)))
			continue;
		link_name(dir, "iommu_group", group, sizeof(group));
		link_name(dir, "driver", driver, sizeof(driver));
		printf("%s [%s:%s] class %s irq %s iommu_group %s driver %s\n",
		       list[i]->d_name, vendor + 2, device + 2, class + 2, irq,
		       group, driver);
		show_resources(dir);
		dump_config(dir);
	}
	show_groups();
	return 0;
}
