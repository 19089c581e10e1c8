// SPDX-License-Identifier: GPL-2.0
/*
 * A static init for a vfio-uml UML kernel booted with a hostfs root.
 *
 * It mounts /proc, /sys, /dev and debugfs, runs the program named by the
 * RUN environment variable (unknown key=value boot parameters reach init's
 * environment, so "RUN=/prog" on the kernel command line), optionally asks
 * kmemleak for a scan (KMEMLEAK=1) and prints what it found, then hands the
 * program's exit status to UML through /proc/exitcode and powers off: the
 * UML process exits with that status. An init that just exited would panic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "init: mount %s on %s: %s\n", type, dir,
			strerror(errno));
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int run(const char *prog)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 125;
	if (!pid) {
		execl(prog, prog, (char *)NULL);
		fprintf(stderr, "init: exec %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 125;
	if (WIFSIGNALED(status)) {
		printf("init: %s killed by signal %d\n", prog, WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/*
 * kmemleak reports only objects older than five seconds and unreferenced in
 * a scan; wait that long after the tests, scan twice so that stale pointers
 * in registers and stacks are gone, then print the report.
 */
static int kmemleak_scan(void)
{
	static const char path[] = "/sys/kernel/debug/kmemleak";
	char buf[4096];
	ssize_t n;
	int fd;

	sleep(6);
	if (write_str(path, "scan") || write_str(path, "scan")) {
		printf("init: kmemleak: cannot scan\n");
		return 1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	printf("init: kmemleak scan done\n");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	fflush(stdout);
	return 0;
}

int main(void)
{
	const char *prog = getenv("RUN");
	const char *leak = getenv("KMEMLEAK");
	char code[16];
	int rc = 0;

	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mount_one("devtmpfs", "/dev", "devtmpfs");
	if (!access("/sys/kernel/debug", F_OK))
		mount_one("debugfs", "/sys/kernel/debug", "debugfs");
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (prog && *prog)
		rc = run(prog);
	if (leak && !strcmp(leak, "1") && kmemleak_scan() && !rc)
		rc = 1;

	printf("init: exit status %d\n", rc);
	snprintf(code, sizeof(code), "%d", rc);
	write_str("/proc/exitcode", code);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
