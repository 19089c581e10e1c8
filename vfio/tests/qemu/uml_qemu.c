// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU as a VFIO client inside UML (make qemu): run by the static init of
 * vfio/tests/user/uml_init.c (RUN=/bin/uml_qemu).
 *
 * It binds the functions to assign, and the other functions of their IOMMU
 * groups, to vfio-pci through driver_override; mounts the host's / read-only
 * (hostfs) on /host with UML's own proc, sysfs, devtmpfs, devpts and a ramfs
 * /tmp over it; in that /tmp, QEMU_FILES (the build's folder of the guest
 * kernel and initramfs) read-only on /tmp/files and QEMU_OUT (the run's
 * folder) read-write on /tmp/out, whatever their host paths are (a build
 * under the host's /tmp would be hidden by the ramfs); then runs QEMU
 * chrooted in /host, where the host's programs and libraries are, and
 * returns its exit status. UML can write nowhere on the host but QEMU_OUT.
 *
 * What to do comes from the hostfs root: /qemu/assign lists the functions,
 * one BDF a line; /qemu/args the QEMU command line, one argument a line.
 * QEMU_TIMEOUT (seconds, from the kernel command line) bounds the run.
 */
#include "../user/client.h"

#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAX_ARGS	64
#define HOST		"/host"

static pid_t qemu_pid;

/* Lines of @path into @v (at most @max), each a malloc'd string. */
static int read_lines(const char *path, char **v, int max)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line)
			v[n++] = strdup(line);
	}
	fclose(f);
	return n;
}

static int is_bridge(const char *bdf)
{
	char path[256], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", bdf);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strncmp(buf, "0x0604", 6);
}

/*
 * Every function of @bdf's group but bridges (vfio-pci takes none; a
 * bridge without a driver leaves the group viable) to vfio-pci.
 */
static int bind_group(const char *bdf)
{
	char path[256], fn[32];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/iommu_group/devices", bdf);
	d = opendir(path);
	if (!d) {
		printf("uml-qemu: %s has no IOMMU group\n", bdf);
		return -1;
	}
	while ((de = readdir(d))) {
		snprintf(fn, sizeof(fn), "%.31s", de->d_name);
		if (fn[0] == '.' || is_bridge(fn))
			continue;
		if (bind_driver(fn, "vfio-pci")) {
			printf("uml-qemu: cannot bind %s to vfio-pci\n", fn);
			ret = -1;
		}
	}
	closedir(d);
	return ret;
}

static int mount_at(const char *src, const char *dir, const char *type,
		    unsigned long flags, const char *data)
{
	if (!mount(src, dir, type, flags, data))
		return 0;
	printf("uml-qemu: mount %s on %s: %s\n", type, dir, strerror(errno));
	return -1;
}

static int setup_root(const char *files, const char *out)
{
	mkdir(HOST, 0755);
	if (mount_at("none", HOST, "hostfs", MS_RDONLY, "/") ||
	    mount_at("proc", HOST "/proc", "proc", 0, NULL) ||
	    mount_at("sysfs", HOST "/sys", "sysfs", 0, NULL) ||
	    mount_at("devtmpfs", HOST "/dev", "devtmpfs", 0, NULL) ||
	    (mkdir(HOST "/dev/pts", 0755) && errno != EEXIST) ||
	    mount_at("devpts", HOST "/dev/pts", "devpts", 0, NULL) ||
	    mount_at("ramfs", HOST "/tmp", "ramfs", 0, NULL) ||
	    mkdir(HOST "/tmp/files", 0755) || mkdir(HOST "/tmp/out", 0755))
		return -1;
	return mount_at("none", HOST "/tmp/files", "hostfs", MS_RDONLY,
			files) ||
	       mount_at("none", HOST "/tmp/out", "hostfs", 0, out);
}

static void on_alarm(int sig)
{
	static const char msg[] = "uml-qemu: timed out, killing QEMU\n";

	kill(qemu_pid, SIGKILL);
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		return;
}

static int run_qemu(char **argv, unsigned int timeout)
{
	int status;

	qemu_pid = fork();
	if (qemu_pid < 0)
		return 125;
	if (!qemu_pid) {
		if (chroot(HOST) || chdir("/"))
			_exit(126);
		execv(argv[0], argv);
		printf("uml-qemu: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	signal(SIGALRM, on_alarm);
	alarm(timeout);
	while (waitpid(qemu_pid, &status, 0) < 0)
		if (errno != EINTR)
			return 125;
	alarm(0);
	if (WIFSIGNALED(status)) {
		printf("uml-qemu: QEMU killed by signal %d\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	printf("uml-qemu: QEMU exit status %d\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

int main(void)
{
	const char *files = getenv("QEMU_FILES");
	const char *out = getenv("QEMU_OUT");
	const char *timeout = getenv("QEMU_TIMEOUT");
	char *assign[16], *args[MAX_ARGS + 1];
	int i, n, nargs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	n = read_lines("/qemu/assign", assign, ARRAY_SIZE(assign));
	nargs = read_lines("/qemu/args", args, MAX_ARGS);
	if (!files || !out || n < 0 || nargs <= 0) {
		printf("uml-qemu: QEMU_FILES, QEMU_OUT, /qemu/assign or /qemu/args missing\n");
		return 2;
	}
	args[nargs] = NULL;
	for (i = 0; i < n; i++)
		if (bind_group(assign[i]))
			return 3;
	if (setup_root(files, out))
		return 4;
	return run_qemu(args, timeout ? atoi(timeout) : 600);
}
