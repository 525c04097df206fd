// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmsim_init.c - PID 1 of the initramfs mmsim boots a kernel under test with (mmsim --kernel K).
 *
 * It is the supervisor inside the VM: it owns the guest's host-wide state (the swap disk, the
 * hugetlb pool, /tmp) and runs each scenario's agent as a worker process it can always kill and
 * clean up after, so one scenario never sees what the previous one left.
 *
 * Set-up: mounts proc, sysfs and devtmpfs, loads the kernel modules named in /modules.list in
 * order (a kernel whose virtio drivers are modules: Debian's 6.1), mounts the ext4 disk /dev/vdb on
 * /tmp, sets THP to madvise, and opens the virtio-serial port named "mmsim" (no line discipline,
 * unlike a tty). /dev/vda is the swap disk.
 *
 * Protocol on the port (VM.md next to this file has the whole of it). Its own lines start with
 * "%%mmsim-init " so that they can never be mistaken for an agent's reply:
 *   -> "%%mmsim-init ready RELEASE"            once, when the port is open
 *   <- "start TIMEOUT"                          runs /mmsim-agent --timeout TIMEOUT with its stdin
 *                                               and stdout on the port; replies
 *   -> "%%mmsim-init started"                   before the agent reads its first command;
 *                                               the agent then owns the port until it exits:
 *   -> "%%mmsim-init exited STATUS"             its exit status, or 128 + the signal that killed it,
 *                                               after every process it left was killed and reaped,
 *                                               swap turned off, the hugetlb pool emptied and /tmp
 *                                               cleared
 *   <- "poweroff"                               syncs and powers the VM off
 * Anything else gets "%%mmsim-init error WHAT".
 *
 * Build: cc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o init mmsim_init.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT_NAME "mmsim"
#define SWAP_DEVICE "/dev/vda"
#define TMP_DEVICE "/dev/vdb"
#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

static int port = -1;

static void logmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mmsim-init: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(port, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += w;
	}
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	_exit(0);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		logmsg("write %s: %s", path, strerror(errno));
	close(fd);
}

static void mount_all(void)
{
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		logmsg("mount /proc: %s", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		logmsg("mount /sys: %s", strerror(errno));
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0 && errno != EBUSY)
		logmsg("mount /dev: %s", strerror(errno));
}

/*
 * /tmp, where the agent's files live, is the ext4 disk TMP_DEVICE, as on the hosts: on a tmpfs a
 * "file" would be shmem, and shmem differs (userfaultfd modes, pageout, THP). Without the disk, a
 * tmpfs, said on the console.
 */
static void mount_tmp(void)
{
	for (int tries = 0; tries < 100 && access(TMP_DEVICE, F_OK) < 0; tries++)
		usleep(50 * 1000);
	if (mount(TMP_DEVICE, "/tmp", "ext4", 0, NULL) == 0) {
		chmod("/tmp", 01777);
		return;
	}
	logmsg("mount %s on /tmp: %s; using a tmpfs", TMP_DEVICE, strerror(errno));
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777") < 0)
		logmsg("mount /tmp: %s", strerror(errno));
}

/* Loads each module of /modules.list (one initramfs path a line, dependencies first). */
static void load_modules(void)
{
	FILE *list = fopen("/modules.list", "re");
	char line[512];

	if (!list)
		return;
	while (fgets(line, sizeof(line), list)) {
		size_t len = strcspn(line, "\r\n");
		int flags = 0, fd;

		line[len] = '\0';
		if (!len)
			continue;
		if ((len > 3 && strcmp(line + len - 3, ".xz") == 0) || (len > 4 && strcmp(line + len - 4, ".zst") == 0))
			flags = MODULE_INIT_COMPRESSED_FILE;
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			logmsg("open %s: %s", line, strerror(errno));
			continue;
		}
		if (syscall(SYS_finit_module, fd, "", flags) < 0 && errno != EEXIST)
			logmsg("finit_module %s: %s", line, strerror(errno));
		close(fd);
	}
	fclose(list);
}

/* The /dev path of the virtio-serial port named PORT_NAME, waiting up to 20 s for it. */
static bool find_port(char *path, size_t size)
{
	for (int tries = 0; tries < 200; tries++) {
		DIR *d = opendir("/sys/class/virtio-ports");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char name_path[512], name[64] = "";
			int fd;
			ssize_t n;

			if (e->d_name[0] == '.')
				continue;
			snprintf(name_path, sizeof(name_path), "/sys/class/virtio-ports/%s/name", e->d_name);
			fd = open(name_path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			n = read(fd, name, sizeof(name) - 1);
			close(fd);
			if (n <= 0)
				continue;
			name[strcspn(name, "\n")] = '\0';
			if (strcmp(name, PORT_NAME) == 0 && strlen(e->d_name) < 32) {
				snprintf(path, size, "/dev/%s", e->d_name);
				closedir(d);
				if (access(path, R_OK | W_OK) == 0)
					return true;
				d = NULL;
				break;
			}
		}
		if (d)
			closedir(d);
		usleep(100 * 1000);
	}
	return false;
}

/* Reads one line from the port, a byte at a time so that nothing meant for an agent is consumed. */
static bool read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t r = read(port, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return true;
}

/* Removes everything below DIR (not DIR itself), not crossing into other mounts. */
static void clear_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			clear_dir(path);
			rmdir(path);
		} else {
			unlink(path);
		}
	}
	closedir(d);
}

/*
 * After a worker: kills every process it left (kill(-1) from PID 1 spares only PID 1), reaps them,
 * turns swap off, empties the hugetlb pool and clears /tmp, whatever the worker did or failed to do.
 */
static void restore(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	swapoff(SWAP_DEVICE);
	write_file(NR_HUGEPAGES, "0\n");
	clear_dir("/tmp");
	sync();
}

static void run_agent(const char *timeout)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		say("%%%%mmsim-init error fork %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		char *argv[] = { "/mmsim-agent", "--timeout", (char *)timeout, NULL };
		char *envp[] = { "PATH=/", "TMPDIR=/tmp", "MMSIM_SWAP_DEVICE=" SWAP_DEVICE, NULL };

		dup2(port, 0);
		dup2(port, 1);
		if (port > 2)
			close(port);
		setsid();
		execve(argv[0], argv, envp);
		_exit(127);
	}
	say("%%%%mmsim-init started");
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;
			break;
		}
	}
	restore();
	say("%%%%mmsim-init exited %d", WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

int main(void)
{
	char path[64], line[256];
	struct utsname u;

	mount_all();
	load_modules();
	mount_tmp();
	write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise\n");
	if (!find_port(path, sizeof(path))) {
		logmsg("no virtio-serial port named %s", PORT_NAME);
		power_off();
	}
	port = open(path, O_RDWR | O_CLOEXEC);
	if (port < 0) {
		logmsg("open %s: %s", path, strerror(errno));
		power_off();
	}
	uname(&u);
	say("%%%%mmsim-init ready %s", u.release);
	while (read_line(line, sizeof(line))) {
		unsigned long t;
		char *end;

		if (strncmp(line, "start ", 6) == 0 && (t = strtoul(line + 6, &end, 10)) <= 86400 && *end == '\0'
		    && end != line + 6) {
			run_agent(line + 6);
		} else if (strcmp(line, "poweroff") == 0) {
			break;
		} else {
			say("%%%%mmsim-init error unknown command");
		}
	}
	power_off();
	return 0;
}
