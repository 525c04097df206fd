// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmsim_agent.c - the "kernel agent" of mmsim.
 *
 * mmsim models the Linux mm page-walk subsystem (PAGEMAP_SCAN, /proc/pid/pagemap, smaps, guard
 * regions) in Java. To check the model, every scenario is also run against the host's real kernel:
 * the Java side starts this program, sends it one command per line on stdin and reads one reply per
 * command from stdout. The agent performs the operation on its own address space (mmap, madvise,
 * touch, the PAGEMAP_SCAN ioctl, ...) and reports raw kernel results; it renders nothing. The wire
 * format is specified in PROTOCOL.md next to this file, which is the contract this file implements.
 *
 * In short:
 *   - every reply starts with a status line: "ok ...", "err ENAME ..." or "sig SIGSEGV 0xADDR";
 *   - a reply with a body announces its body-line count on the status line ("ok N ...");
 *     "probe" is the exception: its body ends with a line "end";
 *   - a malformed or unknown command gets "err EPROTO" and the agent carries on.
 *
 * The scenario's mappings live in an arena at 0x100000000000..0x110000000000. Everything the agent
 * maps for its own purposes (probe mappings, scan result buffers) is placed by the kernel (NULL
 * hint) and unmapped again, so the arena only ever holds what the scenario asked for.
 *
 * Temporary files live in a private directory made with mkdtemp(). They are removed on quit, on EOF
 * of stdin, on SIGTERM/SIGINT/SIGHUP and on the --timeout alarm; the signal paths only use
 * async-signal-safe calls (kill, waitpid, unlink, rmdir, write, _exit) on paths recorded in advance.
 *
 * "fork NAME" creates a child process that serves commands over a pipe pair; "child NAME CMD" sends
 * CMD to it and relays its reply verbatim. Children are killed and reaped when the agent exits.
 *
 * Build: cc -std=gnu11 -O2 -Wall -Wextra -Werror -o mmsim-agent mmsim_agent.c   (libc only)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>

/* ---------------------------------------------------------------------------------------------
 * uapi definitions that older linux-libc-dev headers (Debian 12 ships 6.1) do not have yet.
 * Values from include/uapi/linux/fs.h, include/uapi/linux/userfaultfd.h and
 * include/uapi/asm-generic/mman-common.h of the running kernel.
 * ------------------------------------------------------------------------------------------- */
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start;
	uint64_t end;		/* exclusive */
	uint64_t categories;	/* PAGE_IS_* bits */
};

struct pm_scan_arg {
	uint64_t size;		/* sizeof(struct pm_scan_arg), checked by the kernel */
	uint64_t flags;		/* PM_SCAN_* */
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;	/* written by the kernel: where the walk stopped */
	uint64_t vec;		/* user pointer to struct page_region[vec_len] */
	uint64_t vec_len;
	uint64_t max_pages;	/* 0: no limit */
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define PAGEMAP_SCAN		_IOWR('f', 16, struct pm_scan_arg)
#define PM_SCAN_WP_MATCHING	(1 << 0)
#define PM_SCAN_CHECK_WPASYNC	(1 << 1)
#define PAGE_IS_WPALLOWED	(1 << 0)
#define PAGE_IS_WRITTEN		(1 << 1)
#define PAGE_IS_FILE		(1 << 2)
#define PAGE_IS_PRESENT		(1 << 3)
#define PAGE_IS_SWAPPED		(1 << 4)
#define PAGE_IS_PFNZERO		(1 << 5)
#define PAGE_IS_HUGE		(1 << 6)
#define PAGE_IS_SOFT_DIRTY	(1 << 7)
#endif
#ifndef PAGE_IS_GUARD
#define PAGE_IS_GUARD		(1 << 8)
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE	103
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef __NR_mseal
#define __NR_mseal		462	/* x86-64, 6.10+ */
#endif
#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE	67
#endif
#ifndef PR_GET_MEMORY_MERGE
#define PR_GET_MEMORY_MERGE	68
#endif

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY		1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED	(1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC		(1 << 15)
#endif

_Static_assert(sizeof(struct pm_scan_arg) == 96, "struct pm_scan_arg is 96 bytes");
_Static_assert(sizeof(struct page_region) == 24, "struct page_region is 24 bytes");

/* /proc/pid/pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_EXCLUSIVE		(1ULL << 56)
#define PM_PRESENT		(1ULL << 63)

/* ---------------------------------------------------------------------------------------------
 * Limits and global state
 * ------------------------------------------------------------------------------------------- */
#define AGENT_PAGE_SIZE		4096ULL
#define DEFAULT_TIMEOUT		60
#define MAX_IOVECS		1025	/* process_madvise: one past UIO_MAXIOV, to reach its limit */
#define MAX_TOKENS		(2 * MAX_IOVECS + 8)
#define MAX_FILES		64
#define MAX_CHILDREN		8
#define MAX_CHILD_NAME		32
#define MAX_PATH		512
#define MAX_UPROBES		16
#define MAX_READ_BYTES		(16ULL << 20)	/* pagemap / pagemap_raw read cap */
#define MAX_SCAN_REGIONS	(1ULL << 28)	/* cap on the result buffer we really back */

typedef unsigned long long u64;

struct agent_file {
	u64 id;
	int fd;
	char path[MAX_PATH];
	volatile sig_atomic_t live;	/* path may exist on disk: unlink it at exit */
};

struct agent_child {
	char name[MAX_CHILD_NAME];
	volatile pid_t pid;		/* 0: free slot */
	bool exited;			/* ran "exit": a zombie, not reaped until drop_child() */
	int cmd_fd;			/* parent -> child commands */
	FILE *reply;			/* child -> parent replies */
};

static FILE *out;			/* where replies go: stdout, or the reply pipe in a child */
static pid_t agent_pid;			/* the process that owns the temp dir and the children */
static bool in_child;

static char tmp_dir[MAX_PATH];
static volatile sig_atomic_t tmp_dir_made;
static struct agent_file files[MAX_FILES];
static struct agent_child children[MAX_CHILDREN];
static int uprobe_fds[MAX_UPROBES];	/* perf events of the uprobe command; 0: free slot */

static unsigned int timeout_seconds;	/* --timeout, re-armed by reset for the next scenario */
static int pagemap_fd = -1;		/* /proc/self/pagemap of *this* process (reopened after fork) */
static int uffd = -1;			/* this process's userfaultfd, opened by uffd_register */

/* touch: state shared with the SIGSEGV/SIGBUS handler */
static sigjmp_buf touch_env;
static volatile sig_atomic_t touch_armed;
static volatile uintptr_t touch_cur;	/* the address being accessed right now */

/* ---------------------------------------------------------------------------------------------
 * Small helpers: errno names, replies, number parsing
 * ------------------------------------------------------------------------------------------- */

/* "EINVAL" for EINVAL; "E<number>" if libc has no name for it. */
static const char *errno_name(int err)
{
	static char buf[16];
	const char *name = NULL;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	name = strerrorname_np(err);
#endif
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* Lower-case errno name, for probe reasons ("fails with enotty"). */
static const char *errno_name_lower(int err)
{
	static char buf[32];
	const char *name = errno_name(err);
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(buf); i++)
		buf[i] = (name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i];
	buf[i] = '\0';
	return buf;
}

static void cleanup(void);

/* Ends a reply. If the reader has gone away there is nobody left to serve: clean up and leave. */
static void end_reply(void)
{
	if (fflush(out) == 0 && !ferror(out))
		return;
	if (in_child)
		_exit(1);
	cleanup();
	exit(1);
}

static void reply_ok(void)
{
	fputs("ok\n", out);
	end_reply();
}

static void reply_err(int err)
{
	fprintf(out, "err %s\n", errno_name(err));
	end_reply();
}

static void reply_proto(void)
{
	reply_err(EPROTO);
}

/* Replies ok if the syscall-style result is 0, err ENAME otherwise. */
static void reply_result(int rc)
{
	if (rc == 0)
		reply_ok();
	else
		reply_err(errno);
}

/* Parses a whole token as strtoull(base 0) does; false on junk, empty input or overflow. */
static bool parse_u64(const char *s, u64 *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/* Parses argv[0..n-1] into v[0..n-1]. */
static bool parse_all(char **argv, int n, u64 *v)
{
	for (int i = 0; i < n; i++)
		if (!parse_u64(argv[i], &v[i]))
			return false;
	return true;
}

/* A value that has to fit a C int argument (prot, flags, advice). */
static bool fits_int(u64 v)
{
	return v <= UINT32_MAX;
}

/* Reads a whole (proc or sysfs) file into a NUL-terminated malloc'd buffer; NULL with errno. */
static char *read_text_file(const char *path)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int err, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *bigger = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!bigger)
				goto fail;
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	err = errno;
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

/* /proc/self/pagemap of the calling process, opened on first use. */
static int get_pagemap_fd(void)
{
	if (pagemap_fd < 0)
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	return pagemap_fd;
}

/* ---------------------------------------------------------------------------------------------
 * Cleanup and signals. cleanup() is async-signal-safe: it is called from signal handlers too.
 * ------------------------------------------------------------------------------------------- */

/* The swap file this agent turned on (swap_on), turned off again by swap_off and cleanup(). */
static char swap_path[MAX_PATH];
static volatile sig_atomic_t swap_active;
static volatile sig_atomic_t swap_is_device;	/* swap_path is MMSIM_SWAP_DEVICE: never unlinked */

/*
 * The hugetlb pages this agent added to the default pool (hugetlb_on), and the address range it
 * unmaps before it gives them back: a pool cannot shrink below the pages in use or reserved.
 */
static volatile sig_atomic_t hugetlb_active;
static u64 hugetlb_added, hugetlb_lo, hugetlb_hi;
/* flock()ed while the pool is grown, so that agents running hugetlb scenarios take turns. */
static int hugetlb_lock_fd = -1;

#define HUGETLB_LOCK	"/tmp/mmsim-hugetlb.lock"

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define HUGEPAGES_2M	"/sys/kernel/mm/hugepages/hugepages-2048kB"

/* Reads a decimal number from a proc or sysfs file; async-signal-safe. -1 with errno on failure. */
static long long read_sys_number(const char *path)
{
	char buf[32];
	long long v = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EIO : errno;
		return -1;
	}
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (buf[i] - '0');
	return v;
}

/* Writes a decimal number to a proc or sysfs file; async-signal-safe. 0, or -1 with errno. */
static int write_sys_number(const char *path, unsigned long long v)
{
	char buf[24];
	int i = (int)sizeof(buf), fd;
	ssize_t n;

	buf[--i] = '\n';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, buf + i, sizeof(buf) - (size_t)i);
	close(fd);
	return n == (ssize_t)(sizeof(buf) - (size_t)i) ? 0 : -1;
}

/*
 * Gives back the pages hugetlb_on added: unmaps [hugetlb_lo, hugetlb_hi) so that none is in use
 * or reserved, then lowers nr_hugepages by what was added. Children must be gone already.
 * Async-signal-safe.
 */
/*
 * Reaps every descendant left: a grandchild (a child's child) outlives the child killed before it
 * until PR_SET_PDEATHSIG kills it too, and the agent, a child subreaper, inherits it. Waiting for
 * them means their memory (hugetlb pages included) is gone before the pool shrinks or the next
 * scenario starts. Only after every child was killed: it blocks until none is left.
 */
static void reap_orphans(void)
{
	for (;;) {
		if (waitpid(-1, NULL, 0) > 0)
			continue;
		if (errno == EINTR)
			continue;
		break;		/* ECHILD */
	}
}

static void hugetlb_restore(void)
{
	long long cur;

	if (!hugetlb_active)
		return;
	if (hugetlb_hi > hugetlb_lo)
		munmap((void *)(uintptr_t)hugetlb_lo, hugetlb_hi - hugetlb_lo);
	cur = read_sys_number(NR_HUGEPAGES);
	if (cur >= 0)
		write_sys_number(NR_HUGEPAGES, (u64)cur >= hugetlb_added ? (u64)cur - hugetlb_added : 0);
	hugetlb_active = 0;
	if (hugetlb_lock_fd >= 0) {
		flock(hugetlb_lock_fd, LOCK_UN);	/* children may share the descriptor */
		close(hugetlb_lock_fd);
		hugetlb_lock_fd = -1;
	}
}

static void cleanup(void)
{
	if (getpid() != agent_pid)
		return;		/* a child owns nothing */
	if (swap_active) {
		swapoff(swap_path);
		if (!swap_is_device)
			unlink(swap_path);
		swap_active = 0;
	}
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t pid = children[i].pid;

		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			children[i].pid = 0;
		}
	}
	reap_orphans();
	hugetlb_restore();
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i].live) {
			if (files[i].path[0])
				unlink(files[i].path);
			files[i].live = 0;
		}
	}
	if (tmp_dir_made) {
		rmdir(tmp_dir);
		tmp_dir_made = 0;
	}
}

/* SIGALRM from alarm(--timeout): the scenario took too long. */
static void on_timeout(int sig)
{
	static const char msg[] = "fatal timeout\n";
	ssize_t unused;

	(void)sig;
	unused = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)unused;
	cleanup();
	_exit(124);
}

/* SIGTERM, SIGINT, SIGHUP: clean up, then die of the same signal. */
static void on_terminate(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* SIGSEGV, SIGBUS: an expected fault of "touch", or a genuine crash of the agent. */
static void on_fault(int sig, siginfo_t *info, void *uctx)
{
	(void)info;
	(void)uctx;
	if (touch_armed) {
		touch_armed = 0;
		siglongjmp(touch_env, sig);
	}
	cleanup();
	signal(sig, SIG_DFL);	/* returning re-executes the access and crashes for real */
}

static void install_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigfillset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	install_handler(SIGALRM, on_timeout);
	install_handler(SIGTERM, on_terminate);
	install_handler(SIGINT, on_terminate);
	install_handler(SIGHUP, on_terminate);
	signal(SIGPIPE, SIG_IGN);	/* a dead child or reader shows up as EPIPE instead */
}

/* ---------------------------------------------------------------------------------------------
 * Temporary files
 * ------------------------------------------------------------------------------------------- */

/* Creates the private temp dir on first use. Returns 0 or -1 with errno set. */
static int ensure_tmp_dir(void)
{
	const char *base = getenv("TMPDIR");
	char path[MAX_PATH];

	if (tmp_dir_made)
		return 0;
	if (!base || !*base)
		base = "/tmp";
	if (snprintf(path, sizeof(path), "%s/mmsim-agent.XXXXXX", base) >= (int)sizeof(path) - 16) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(path))
		return -1;
	memcpy(tmp_dir, path, sizeof(tmp_dir));
	tmp_dir_made = 1;
	return 0;
}

static struct agent_file *find_file(u64 id)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].live && files[i].id == id)
			return &files[i];
	return NULL;
}

/* Writes len zero bytes to fd with write(2), so that every page is in the page cache. */
static int write_zeros(int fd, u64 len)
{
	/*
	 * One page per write(2): the page cache then holds order-0 folios, which is what the simulator
	 * models (a larger write lets the file system allocate large folios, and splitting one on
	 * truncation unmaps every page of it).
	 */
	static const char zeros[4096];

	while (len > 0) {
		size_t chunk = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
		ssize_t n = write(fd, zeros, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len -= (u64)n;
	}
	return 0;
}

/*
 * A nameless temp file of len zero bytes for probing: O_TMPFILE in the temp dir, or, where the
 * file system lacks O_TMPFILE, a named file that is unlinked as soon as it is open.
 */
static int make_anonymous_temp_file(u64 len)
{
	char path[MAX_PATH];
	int err, fd;

	if (!tmp_dir_made) {
		errno = ENOENT;
		return -1;
	}
	fd = open(tmp_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		snprintf(path, sizeof(path), "%.400s/probe.%d", tmp_dir, (int)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			unlink(path);
	}
	if (fd < 0)
		return -1;
	if (write_zeros(fd, len) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* ---------------------------------------------------------------------------------------------
 * Command handlers. Each gets the command's tokens (argv[0] is the command name).
 * ------------------------------------------------------------------------------------------- */

/* file ID SIZE: create fID in the temp dir, SIZE zero bytes written with write(2), kept open. */
static void cmd_file(int argc, char **argv)
{
	struct agent_file *f = NULL;
	u64 v[2];
	int err;

	if (argc != 3 || !parse_all(argv + 1, 2, v) || in_child)
		return reply_proto();
	if (find_file(v[0]))
		return reply_err(EEXIST);
	for (int i = 0; i < MAX_FILES && !f; i++)
		if (!files[i].live)
			f = &files[i];
	if (!f)
		return reply_err(EMFILE);
	if (ensure_tmp_dir() < 0)
		return reply_err(errno);

	if (snprintf(f->path, sizeof(f->path), "%s/f%llu", tmp_dir, v[0]) >= (int)sizeof(f->path))
		return reply_err(ENAMETOOLONG);
	f->id = v[0];
	f->live = 1;		/* recorded before it exists, so no signal can leak it */
	f->fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (f->fd < 0) {
		err = errno;
		f->live = 0;
		return reply_err(err);
	}
	if (write_zeros(f->fd, v[1]) < 0) {
		err = errno;
		close(f->fd);
		unlink(f->path);
		f->live = 0;
		return reply_err(err);
	}
	reply_ok();
}

/* A free slot for a new file ID, or NULL (the reply has been sent). */
static struct agent_file *new_file_slot(u64 id)
{
	if (find_file(id)) {
		reply_err(EEXIST);
		return NULL;
	}
	for (int i = 0; i < MAX_FILES; i++)
		if (!files[i].live)
			return &files[i];
	reply_err(EMFILE);
	return NULL;
}

/*
 * memfd ID SIZE: a shmem file from memfd_create(MFD_ALLOW_SEALING), ftruncate()d to SIZE, so no
 * page exists until one is faulted or written.
 */
static void cmd_memfd(int argc, char **argv)
{
	struct agent_file *f;
	u64 v[2];
	int err;

	if (argc != 3 || !parse_all(argv + 1, 2, v) || in_child)
		return reply_proto();
	f = new_file_slot(v[0]);
	if (!f)
		return;
	f->fd = (int)syscall(SYS_memfd_create, "mmsim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (f->fd < 0)
		return reply_err(errno);
	if (ftruncate(f->fd, (off_t)v[1]) < 0) {
		err = errno;
		close(f->fd);
		return reply_err(err);
	}
	f->id = v[0];
	f->path[0] = '\0';	/* nothing on disk to unlink */
	f->live = 1;
	reply_ok();
}

/* truncate ID SIZE: ftruncate(2). */
static void cmd_truncate(int argc, char **argv)
{
	struct agent_file *f;
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	reply_result(ftruncate(f->fd, (off_t)v[1]));
}

/* seal ID SEALS: fcntl(F_ADD_SEALS) with the F_SEAL_* bits SEALS. */
static void cmd_seal(int argc, char **argv)
{
	struct agent_file *f;
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v) || !fits_int(v[1]))
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	reply_result(fcntl(f->fd, F_ADD_SEALS, (int)v[1]));
}

/* reopen ID RDONLY: closes the file and opens its path again, O_RDONLY if RDONLY is 1, else O_RDWR. */
static void cmd_reopen(int argc, char **argv)
{
	struct agent_file *f;
	u64 v[2];
	int fd;

	if (argc != 3 || !parse_all(argv + 1, 2, v) || v[1] > 1 || in_child)
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	if (f->path[0] == '\0')
		return reply_err(EINVAL);	/* a memfd has no path to reopen */
	fd = open(f->path, (v[1] ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return reply_err(errno);
	close(f->fd);
	f->fd = fd;
	reply_ok();
}

/*
 * Writes a swap area of pages pages to path, as mkswap(8) would: page 0 holds the header
 * (version 1, the last usable page, no bad pages) and ends with the signature "SWAPSPACE2"; the
 * rest is zeros, written (a swap file must have no holes).
 */
static int write_swap_file(const char *path, u64 pages, bool device)
{
	unsigned char header[4096];
	uint32_t version = 1, last_page = (uint32_t)(pages - 1);
	int fd = open(path, device ? O_RDWR | O_CLOEXEC : O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int err;

	if (fd < 0)
		return -1;
	memset(header, 0, sizeof(header));
	memcpy(header + 1024, &version, sizeof(version));
	memcpy(header + 1028, &last_page, sizeof(last_page));
	memcpy(header + sizeof(header) - 10, "SWAPSPACE2", 10);
	/* a block device has no holes to fill: only the header page is written there */
	if (write(fd, header, sizeof(header)) != (ssize_t)sizeof(header) ||
	    (!device && write_zeros(fd, (pages - 1) * sizeof(header)) < 0) || fsync(fd) < 0) {
		err = errno;
		close(fd);
		if (!device)
			unlink(path);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * swap_on PAGES: creates a swap file of PAGES pages in the temp dir and swapon()s it; cleanup()
 * swaps it off and removes it on every exit path. One at a time.
 */
static void cmd_swap_on(int argc, char **argv)
{
	u64 pages;
	const char *device;
	int err;

	if (argc != 2 || !parse_u64(argv[1], &pages) || pages < 16 || pages > (1u << 20) || in_child)
		return reply_proto();
	if (swap_active)
		return reply_err(EBUSY);
	device = getenv("MMSIM_SWAP_DEVICE");
	if (device && *device) {
		if (snprintf(swap_path, sizeof(swap_path), "%s", device) >= (int)sizeof(swap_path))
			return reply_err(ENAMETOOLONG);
	} else {
		device = NULL;
		if (ensure_tmp_dir() < 0)
			return reply_err(errno);
		if (snprintf(swap_path, sizeof(swap_path), "%s/swap", tmp_dir) >= (int)sizeof(swap_path))
			return reply_err(ENAMETOOLONG);
	}
	if (write_swap_file(swap_path, pages, device != NULL) < 0)
		return reply_err(errno);
	swap_is_device = device != NULL;
	swap_active = 1;	/* before swapon, so no signal can leak an active swap file */
	if (swapon(swap_path, 0) < 0) {
		err = errno;
		swap_active = 0;
		if (!device)
			unlink(swap_path);
		return reply_err(err);
	}
	reply_ok();
}

/* swap_off: swapoff() and removal of the swap file swap_on made. */
static void cmd_swap_off(int argc, char **argv)
{
	(void)argv;
	if (argc != 1 || in_child)
		return reply_proto();
	if (!swap_active)
		return reply_err(ENOENT);
	if (swapoff(swap_path) < 0)
		return reply_err(errno);
	if (!swap_is_device)
		unlink(swap_path);
	swap_active = 0;
	reply_ok();
}

/*
 * hugetlb_on PAGES LO HI: grows the default (2 MiB) hugetlb pool by PAGES pages for this scenario,
 * whose mappings live in [LO, HI). Agents take turns: the first waits for an flock on
 * HUGETLB_LOCK that it holds until the pages are given back. The scenario must see a pool of
 * exactly PAGES available pages (free and not reserved), else the growth is undone: ENOMEM when
 * the kernel could not allocate them, EBUSY when someone else's pages are free or reserved too
 * (also reservations the kernel leaked: a partial mremap() move of a private hugetlb mapping leaves
 * them reserved until reboot; PROTOCOL.md). cleanup() unmaps [LO, HI) and gives the pages back on every exit path. One at a time. Replies
 * "ok OLD" with the nr_hugepages it found.
 */
static void cmd_hugetlb_on(int argc, char **argv)
{
	u64 v[3];
	long long old, now, avail_free, avail_resv;

	if (argc != 4 || !parse_all(argv + 1, 3, v) || v[0] < 1 || v[0] > 4096 || v[2] < v[1] || in_child)
		return reply_proto();
	if (hugetlb_active)
		return reply_err(EBUSY);
	hugetlb_lock_fd = open(HUGETLB_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (hugetlb_lock_fd < 0)
		return reply_err(errno);
	while (flock(hugetlb_lock_fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int err = errno;

			close(hugetlb_lock_fd);
			hugetlb_lock_fd = -1;
			return reply_err(err);
		}
	}
	hugetlb_active = 1;	/* from here on hugetlb_restore() unlocks, whatever happens */
	hugetlb_added = 0;
	hugetlb_lo = hugetlb_hi = 0;
	old = read_sys_number(NR_HUGEPAGES);
	if (old < 0) {
		int err = errno;

		hugetlb_restore();
		return reply_err(err);
	}
	hugetlb_lo = v[1];
	hugetlb_hi = v[2];
	if (write_sys_number(NR_HUGEPAGES, (u64)old + v[0]) < 0) {
		int err = errno;

		hugetlb_restore();
		return reply_err(err);
	}
	now = read_sys_number(NR_HUGEPAGES);
	hugetlb_added = now > old ? (u64)(now - old) : 0;
	if (now != old + (long long)v[0]) {
		hugetlb_restore();
		return reply_err(ENOMEM);
	}
	avail_free = read_sys_number(HUGEPAGES_2M "/free_hugepages");
	avail_resv = read_sys_number(HUGEPAGES_2M "/resv_hugepages");
	if (avail_free < 0 || avail_resv < 0 || avail_free - avail_resv != (long long)v[0]) {
		hugetlb_restore();
		return reply_err(EBUSY);
	}
	fprintf(out, "ok %lld\n", old);
	end_reply();
}

/* mmap ADDR LEN PROT FLAGS FILEID OFF: the result must be ADDR, else it is undone (EEXIST). */
static void cmd_mmap(int argc, char **argv)
{
	u64 addr, len, prot, flags, off;
	long long file_id;
	char *end;
	int fd = -1;
	void *p;

	if (argc != 7 || !parse_u64(argv[1], &addr) || !parse_u64(argv[2], &len) ||
	    !parse_u64(argv[3], &prot) || !parse_u64(argv[4], &flags) ||
	    !parse_u64(argv[6], &off) || !fits_int(prot) || !fits_int(flags))
		return reply_proto();
	errno = 0;
	file_id = strtoll(argv[5], &end, 0);
	if (errno || *end || !*argv[5])
		return reply_proto();
	if (file_id != -1) {
		struct agent_file *f = file_id >= 0 ? find_file((u64)file_id) : NULL;

		if (!f)
			return reply_err(EBADF);
		fd = f->fd;
	}

	p = mmap((void *)(uintptr_t)addr, len, (int)prot, (int)flags, fd, (off_t)off);
	if (p == MAP_FAILED)
		return reply_err(errno);
	if ((uintptr_t)p != addr) {
		munmap(p, len);
		return reply_err(EEXIST);
	}
	reply_ok();
}

/* munmap ADDR LEN */
static void cmd_munmap(int argc, char **argv)
{
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	reply_result(munmap((void *)(uintptr_t)v[0], v[1]));
}

/* mprotect ADDR LEN PROT */
static void cmd_mprotect(int argc, char **argv)
{
	u64 v[3];

	if (argc != 4 || !parse_all(argv + 1, 3, v) || !fits_int(v[2]))
		return reply_proto();
	reply_result(mprotect((void *)(uintptr_t)v[0], v[1], (int)v[2]));
}

/* madvise ADDR LEN ADVICE (the numeric MADV_* value) */
static void cmd_madvise(int argc, char **argv)
{
	u64 v[3];

	if (argc != 4 || !parse_all(argv + 1, 3, v) || !fits_int(v[2]))
		return reply_proto();
	reply_result(madvise((void *)(uintptr_t)v[0], v[1], (int)v[2]));
}

/*
 * process_madvise ADVICE N ADDR LEN...: process_madvise(2) on the agent (or child) itself, through a
 * pidfd of its own from pidfd_open(getpid()), flags 0, with the N iovecs ADDR LEN in order. Replies
 * with the number of bytes the kernel reports advised.
 */
static void cmd_process_madvise(int argc, char **argv)
{
	static struct iovec iov[MAX_IOVECS];
	u64 advice, n, v[2];
	long pidfd, ret;
	int err;

	if (argc < 3 || !parse_u64(argv[1], &advice) || !fits_int(advice) || !parse_u64(argv[2], &n) ||
	    n > MAX_IOVECS || (u64)argc != 3 + 2 * n)
		return reply_proto();
	for (u64 i = 0; i < n; i++) {
		if (!parse_all(argv + 3 + 2 * i, 2, v))
			return reply_proto();
		iov[i].iov_base = (void *)(uintptr_t)v[0];
		iov[i].iov_len = v[1];
	}
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0)
		return reply_err(errno);
	ret = syscall(SYS_process_madvise, (int)pidfd, iov, (size_t)n, (int)advice, 0U);
	err = errno;
	close((int)pidfd);
	if (ret < 0)
		return reply_err(err);
	fprintf(out, "ok %ld\n", ret);
	end_reply();
}

/* mlock ADDR LEN / munlock ADDR LEN */
static void cmd_mlock(int argc, char **argv)
{
	u64 v[2];
	void *addr;

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	addr = (void *)(uintptr_t)v[0];
	reply_result(strcmp(argv[0], "mlock") == 0 ? mlock(addr, v[1]) : munlock(addr, v[1]));
}

/* mseal ADDR LEN FLAGS: the mseal(2) system call. */
static void cmd_mseal(int argc, char **argv)
{
	u64 v[3];

	if (argc != 4 || !parse_all(argv + 1, 3, v))
		return reply_proto();
	reply_result((int)syscall(__NR_mseal, (unsigned long)v[0], (size_t)v[1], (unsigned long)v[2]));
}

/* prctl OPTION ARG2: prctl(OPTION, ARG2, 0, 0, 0), for OPTION PR_SET_MEMORY_MERGE only. */
static void cmd_prctl(int argc, char **argv)
{
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v) || v[0] != PR_SET_MEMORY_MERGE)
		return reply_proto();
	reply_result(prctl(PR_SET_MEMORY_MERGE, (unsigned long)v[1], 0UL, 0UL, 0UL));
}

/* The uprobe PMU's perf type from sysfs, or -1. */
static int uprobe_pmu_type(void)
{
	char *text = read_text_file("/sys/bus/event_source/devices/uprobe/type");
	int type = text ? atoi(text) : -1;

	free(text);
	return type;
}

/*
 * uprobe FILEID OFFSET: perf_event_open() of a uprobe on file FILEID at byte OFFSET, for this
 * process only (pid 0, any CPU); the event stays open until reset or exit.
 */
static void cmd_uprobe(int argc, char **argv)
{
	struct perf_event_attr attr;
	char proc_path[64];
	struct agent_file *f;
	int type = uprobe_pmu_type();
	int slot = -1;
	long fd;
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	if (type < 0)
		return reply_err(ENODEV);
	for (int i = 0; i < MAX_UPROBES && slot < 0; i++)
		if (uprobe_fds[i] <= 0)
			slot = i;
	if (slot < 0)
		return reply_err(EMFILE);
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", f->fd);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (unsigned int)type;
	attr.config1 = (u64)(uintptr_t)(f->path[0] ? f->path : proc_path);
	attr.config2 = v[1];
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return reply_err(errno);
	uprobe_fds[slot] = (int)fd;
	reply_ok();
}

/* Closes the perf events of the uprobe command (their breakpoints are removed). */
static void close_uprobes(void)
{
	for (int i = 0; i < MAX_UPROBES; i++) {
		if (uprobe_fds[i] > 0)
			close(uprobe_fds[i]);
		uprobe_fds[i] = 0;
	}
}

/* mremap ADDR OLDLEN NEWLEN FLAGS NEWADDR: replies with the address the mapping now has. */
static void cmd_mremap(int argc, char **argv)
{
	u64 v[5];
	void *p;

	if (argc != 6 || !parse_all(argv + 1, 5, v) || !fits_int(v[3]))
		return reply_proto();
	p = mremap((void *)(uintptr_t)v[0], v[1], v[2], (int)v[3], (void *)(uintptr_t)v[4]);
	if (p == MAP_FAILED)
		return reply_err(errno);
	fprintf(out, "ok 0x%" PRIxPTR "\n", (uintptr_t)p);
	end_reply();
}

/*
 * Accesses the first byte of each page in [addr, end): addr itself, then each following page
 * start. Returns 0, or the signal number of the first faulting access with its address in *fault.
 */
static int touch_pages(bool write, uintptr_t addr, uintptr_t end, uintptr_t *fault)
{
	int sig = sigsetjmp(touch_env, 1);

	if (sig) {
		*fault = touch_cur;
		return sig;
	}
	touch_cur = addr;
	touch_armed = 1;
	while (touch_cur < end) {
		if (write)
			*(volatile unsigned char *)touch_cur = 0x5a;
		else
			(void)*(volatile const unsigned char *)touch_cur;
		uintptr_t next = (touch_cur & ~(uintptr_t)(AGENT_PAGE_SIZE - 1)) + AGENT_PAGE_SIZE;

		if (next < touch_cur)
			break;	/* wrapped around the top of the address space */
		touch_cur = next;
	}
	touch_armed = 0;
	return 0;
}

/* touch r|w ADDR LEN: read or write (0x5a) one byte per page, reporting the first fault. */
static void cmd_touch(int argc, char **argv)
{
	uintptr_t fault = 0;
	u64 v[2];
	int sig;

	if (argc != 4 || !parse_all(argv + 2, 2, v) || v[0] + v[1] < v[0] ||
	    (strcmp(argv[1], "r") != 0 && strcmp(argv[1], "w") != 0))
		return reply_proto();
	sig = touch_pages(argv[1][0] == 'w', (uintptr_t)v[0], (uintptr_t)(v[0] + v[1]), &fault);
	if (sig == 0)
		return reply_ok();
	fprintf(out, "sig %s 0x%" PRIxPTR "\n", sig == SIGBUS ? "SIGBUS" : "SIGSEGV", fault);
	end_reply();
}

/*
 * The vector the kernel writes scan results to. The kernel checks that vec_len entries would fit
 * below the top of the address space, but never writes more entries than it returns, and that is
 * at most one per page of the range. So: back all vec_len entries if that is possible (a mapping
 * with MAP_NORESERVE costs nothing until written), otherwise back only as many as can be returned.
 */
static void *alloc_scan_vec(u64 vec_len, u64 start, u64 end, size_t *bytes)
{
	u64 most = vec_len;
	void *p;

	if (vec_len <= UINT64_MAX / sizeof(struct page_region)) {
		*bytes = vec_len ? vec_len * sizeof(struct page_region) : AGENT_PAGE_SIZE;
		p = mmap(NULL, *bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED)
			return p;
	}
	if (end > start && (end - start) / AGENT_PAGE_SIZE + 1 < most)
		most = (end - start) / AGENT_PAGE_SIZE + 1;
	if (most > MAX_SCAN_REGIONS)
		most = MAX_SCAN_REGIONS;
	*bytes = (most ? most : 1) * sizeof(struct page_region);
	p = mmap(NULL, *bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static struct agent_child *find_child(const char *name);

/*
 * scan START END FLAGS CATMASK INVMASK ANYOF RETMASK VECLEN MAXPAGES [size N] [vecnull]
 * [vecat ADDR] [pid NAME] [fd ID]: one PAGEMAP_SCAN ioctl; replies with its return value,
 * walk_end and the regions written. vecat passes ADDR as the vec; pid NAME opens the named
 * child's /proc/PID/pagemap for this one call (agent process only); fd ID makes the ioctl on file
 * ID's descriptor instead. An open that fails is reported as the ioctl's error, walk_end 0.
 */
static void cmd_scan(int argc, char **argv)
{
	struct pm_scan_arg arg;
	struct page_region *vec = NULL;
	size_t vec_bytes = 0;
	bool vec_null = false, vec_at = false;
	u64 v[9], size = sizeof(arg), vec_addr = 0, file_id = 0;
	const char *child_name = NULL;
	bool on_file = false, arg_at = false;
	u64 arg_addr = 0, request = PAGEMAP_SCAN;
	int fd;
	long n;
	int err;

	if (argc < 10 || !parse_all(argv + 1, 9, v))
		return reply_proto();
	for (int i = 10; i < argc; i++) {
		if (strcmp(argv[i], "vecnull") == 0)
			vec_null = true;
		else if (strcmp(argv[i], "size") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &size))
			i++;
		else if (strcmp(argv[i], "vecat") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &vec_addr))
			vec_at = true, i++;
		else if (strcmp(argv[i], "pid") == 0 && i + 1 < argc && !in_child)
			child_name = argv[++i];
		else if (strcmp(argv[i], "fd") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &file_id))
			on_file = true, i++;
		else if (strcmp(argv[i], "argat") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &arg_addr))
			arg_at = true, i++;
		else if (strcmp(argv[i], "cmd") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &request)
			 && request <= 0xffffffffu)
			i++;
		else
			return reply_proto();
	}
	if ((vec_null && vec_at) || (child_name && on_file))
		return reply_proto();
	if (on_file) {
		struct agent_file *f = find_file(file_id);

		if (!f)
			return reply_err(EBADF);
		fd = f->fd;
	} else if (child_name) {
		struct agent_child *c = find_child(child_name);
		char path[64];

		if (!c)
			return reply_err(ESRCH);
		snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)c->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(out, "err %s 0x0\n", errno_name(errno));
			return end_reply();
		}
	} else {
		if (get_pagemap_fd() < 0)
			return reply_err(errno);
		fd = pagemap_fd;
	}
	if (vec_at) {
		vec = (struct page_region *)(uintptr_t)vec_addr;
	} else if (!vec_null) {
		vec = alloc_scan_vec(v[7], v[0], v[1], &vec_bytes);
		if (!vec) {
			if (child_name)
				close(fd);
			return reply_err(ENOMEM);
		}
	}

	memset(&arg, 0, sizeof(arg));
	arg.size = size;
	arg.start = v[0];
	arg.end = v[1];
	arg.flags = v[2];
	arg.category_mask = v[3];
	arg.category_inverted = v[4];
	arg.category_anyof_mask = v[5];
	arg.return_mask = v[6];
	arg.vec_len = v[7];
	arg.max_pages = v[8];
	arg.vec = (uintptr_t)vec;
	arg.walk_end = 0;

	n = ioctl(fd, (unsigned long)request, arg_at ? (void *)(uintptr_t)arg_addr : (void *)&arg);
	err = errno;
	if (child_name)
		close(fd);
	if (n < 0) {
		fprintf(out, "err %s 0x%llx\n", errno_name(err), (u64)arg.walk_end);
	} else {
		fprintf(out, "ok %ld 0x%llx\n", n, (u64)arg.walk_end);
		for (long i = 0; i < n; i++) {
			if (!vec) {	/* cannot happen: the kernel writes nothing without a vec */
				fputs("0x0 0x0 0x0\n", out);
				continue;
			}
			fprintf(out, "0x%llx 0x%llx 0x%llx\n", (u64)vec[i].start, (u64)vec[i].end,
				(u64)vec[i].categories);
		}
	}
	if (vec && !vec_at)
		munmap(vec, vec_bytes);
	end_reply();
}

/* Prints nbytes of raw pagemap data as 64-bit words, a trailing partial word zero padded. */
static void print_words(const unsigned char *buf, size_t nbytes)
{
	for (size_t off = 0; off < nbytes; off += 8) {
		uint64_t word = 0;
		size_t take = nbytes - off < 8 ? nbytes - off : 8;

		for (size_t b = 0; b < take; b++)
			word |= (uint64_t)buf[off + b] << (8 * b);
		fprintf(out, "%016" PRIx64 "\n", word);
	}
}

/* One pread of /proc/self/pagemap; replies "ok N" with N = bytes / unit, then the words. */
static void pagemap_read_reply(u64 offset, u64 count, bool words_only)
{
	unsigned char *buf;
	ssize_t n;

	if (count > MAX_READ_BYTES)
		count = MAX_READ_BYTES;
	if (get_pagemap_fd() < 0)
		return reply_err(errno);
	buf = malloc(count ? count : 1);
	if (!buf)
		return reply_err(ENOMEM);
	n = pread(pagemap_fd, buf, count, (off_t)offset);
	if (n < 0) {
		int err = errno;

		free(buf);
		return reply_err(err);
	}
	if (words_only)
		n -= n % 8;
	fprintf(out, "ok %zd\n", words_only ? n / 8 : n);
	print_words(buf, (size_t)n);
	free(buf);
	end_reply();
}

/* pagemap ADDR NPAGES: the pagemap words of NPAGES pages starting at ADDR's page. */
static void cmd_pagemap(int argc, char **argv)
{
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	if (v[1] > MAX_READ_BYTES / 8)
		v[1] = MAX_READ_BYTES / 8;
	pagemap_read_reply(v[0] / AGENT_PAGE_SIZE * 8, v[1] * 8, true);
}

/* pagemap_raw OFFSET COUNT: a raw pread, short reads reported as they are. */
static void cmd_pagemap_raw(int argc, char **argv)
{
	u64 v[2], at;
	ssize_t n;

	if (argc == 5 && strcmp(argv[3], "bufat") == 0 && parse_all(argv + 1, 2, v) &&
	    parse_u64(argv[4], &at)) {
		/* pread into the scenario's own memory; on success the bytes are read back from it */
		if (v[1] > MAX_READ_BYTES)
			v[1] = MAX_READ_BYTES;
		if (get_pagemap_fd() < 0)
			return reply_err(errno);
		n = pread(pagemap_fd, (void *)(uintptr_t)at, v[1], (off_t)v[0]);
		if (n < 0)
			return reply_err(errno);
		fprintf(out, "ok %zd\n", n);
		print_words((const unsigned char *)(uintptr_t)at, (size_t)n);
		return end_reply();
	}
	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	pagemap_read_reply(v[0], v[1], false);
}

/* True if line is an smaps VMA header "start-end perms ..."; returns the range. */
static bool smaps_header(const char *line, u64 *start, u64 *end)
{
	const char *p = line;
	char *stop;

	if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
		return false;
	*start = strtoull(p, &stop, 16);
	if (*stop != '-')
		return false;
	p = stop + 1;
	*end = strtoull(p, &stop, 16);
	return stop != p && *stop == ' ';
}

/*
 * Walks the smaps text and calls fn (if not NULL) on every line that belongs to a VMA overlapping
 * [lo, hi): its header line through its VmFlags line. Returns the number of such lines.
 */
static long smaps_filter(const char *text, u64 lo, u64 hi,
			 void (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	bool keep = false;
	long count = 0;

	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		u64 start, end;

		if (smaps_header(line, &start, &end))
			keep = start < hi && end > lo;
		if (keep) {
			if (fn)
				fn(line, len, ctx);
			count++;
		}
		line += len + (nl ? 1 : 0);
	}
	return count;
}

static void print_line(const char *line, size_t len, void *ctx)
{
	(void)ctx;
	fprintf(out, "%.*s\n", (int)len, line);
}

/* smaps LO HI: the raw smaps blocks of every VMA with start < HI and end > LO. */
static void cmd_smaps(int argc, char **argv)
{
	char *text;
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	text = read_text_file("/proc/self/smaps");	/* one snapshot for count and lines */
	if (!text)
		return reply_err(errno);
	fprintf(out, "ok %ld\n", smaps_filter(text, v[0], v[1], NULL, NULL));
	smaps_filter(text, v[0], v[1], print_line, NULL);
	free(text);
	end_reply();
}

/* ---------------------------------------------------------------------------------------------
 * userfaultfd: one uffd per process, opened by the first uffd_register
 * ------------------------------------------------------------------------------------------- */

/* Opens a userfaultfd and performs the UFFDIO_API handshake. Returns the fd or -1 with errno. */
static int uffd_open(u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);

	if (fd < 0 && (errno == EINVAL || errno == EPERM))
		fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* uffd_register ADDR LEN MODES FEATURES: UFFDIO_REGISTER (the uffd is opened on first use). */
static void cmd_uffd_register(int argc, char **argv)
{
	struct uffdio_register reg;
	u64 v[4];

	if (argc != 5 || !parse_all(argv + 1, 4, v))
		return reply_proto();
	if (uffd < 0) {
		uffd = uffd_open(v[3]);
		if (uffd < 0)
			return reply_err(errno);
	}
	memset(&reg, 0, sizeof(reg));
	reg.range.start = v[0];
	reg.range.len = v[1];
	reg.mode = v[2];
	reply_result(ioctl(uffd, UFFDIO_REGISTER, &reg) < 0 ? -1 : 0);
}

/* uffd_wp ADDR LEN 0|1: UFFDIO_WRITEPROTECT, setting (1) or clearing (0) write protection. */
static void cmd_uffd_wp(int argc, char **argv)
{
	struct uffdio_writeprotect wp;
	u64 v[3];

	if (argc != 4 || !parse_all(argv + 1, 3, v) || v[2] > 1)
		return reply_proto();
	memset(&wp, 0, sizeof(wp));
	wp.range.start = v[0];
	wp.range.len = v[1];
	wp.mode = v[2] ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
	reply_result(ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) < 0 ? -1 : 0);
}

/* uffd_unregister ADDR LEN: UFFDIO_UNREGISTER; err EBADF if no uffd is open. */
static void cmd_uffd_unregister(int argc, char **argv)
{
	struct uffdio_range range;
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v))
		return reply_proto();
	if (uffd < 0)
		return reply_err(EBADF);
	range.start = v[0];
	range.len = v[1];
	reply_result(ioctl(uffd, UFFDIO_UNREGISTER, &range) < 0 ? -1 : 0);
}

/* uffd_close: closes this process's uffd (the kernel then unregisters its ranges). */
static void cmd_uffd_close(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return reply_proto();
	if (uffd >= 0)
		close(uffd);
	uffd = -1;
	reply_ok();
}

/* clear_refs N: writes N to /proc/self/clear_refs (4 clears soft-dirty bits). */
/*
 * khugepaged: khugepaged's count of collapsed ranges on this kernel (only khugepaged raises it, not
 * MADV_COLLAPSE), so that the caller can tell whether khugepaged collapsed a scenario's memory
 * behind its back; "ok -1" where the file cannot be read.
 */
static void cmd_khugepaged(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return reply_proto();
	fprintf(out, "ok %lld\n", read_sys_number("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed"));
	end_reply();
}

static void cmd_clear_refs(int argc, char **argv)
{
	char text[32];
	u64 v;
	int fd, len, rc;

	if (argc != 2 || !parse_u64(argv[1], &v))
		return reply_proto();
	fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return reply_err(errno);
	len = snprintf(text, sizeof(text), "%llu\n", v);
	rc = write(fd, text, (size_t)len) == len ? 0 : -1;
	if (rc < 0) {
		int err = errno;

		close(fd);
		errno = err;
	} else {
		close(fd);
	}
	reply_result(rc);
}

/* ---------------------------------------------------------------------------------------------
 * probe: measures what the host kernel supports. Probe mappings are placed by the kernel (NULL
 * hint, never in the arena) and unmapped before the probe returns.
 * ------------------------------------------------------------------------------------------- */

struct feature {
	bool yes;
	char why[96];		/* a short lower-case reason when !yes */
};

static struct feature feature_yes(void)
{
	return (struct feature){ .yes = true };
}

static struct feature feature_no(const char *fmt, const char *arg)
{
	struct feature f = { .yes = false };

	snprintf(f.why, sizeof(f.why), fmt, arg);
	return f;
}

static void print_feature(const char *name, struct feature f)
{
	if (f.yes)
		fprintf(out, "feature %s yes\n", name);
	else
		fprintf(out, "feature %s no %s\n", name, f.why);
}

static void *probe_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Context for vma_has_flag(): the flag to find on the VmFlags line. */
struct vmflag_search {
	const char *flag;
	bool found;
};

static void check_vmflags_line(const char *line, size_t len, void *ctx)
{
	struct vmflag_search *s = ctx;
	size_t flen = strlen(s->flag);

	if (len < 8 || strncmp(line, "VmFlags:", 8) != 0)
		return;
	for (size_t i = 8; i + flen + 1 <= len; i++)
		if (line[i] == ' ' && strncmp(line + i + 1, s->flag, flen) == 0 &&
		    (i + 1 + flen == len || line[i + 1 + flen] == ' '))
			s->found = true;
}

/* True if the smaps VmFlags of the VMA containing addr list the two-letter flag. */
static bool vma_has_flag(const void *addr, const char *flag)
{
	struct vmflag_search s = { .flag = flag, .found = false };
	char *text = read_text_file("/proc/self/smaps");

	if (!text)
		return false;
	smaps_filter(text, (uintptr_t)addr, (uintptr_t)addr + 1, check_vmflags_line, &s);
	free(text);
	return s.found;
}

/* Reads the pagemap word of the page at addr; 0 if it cannot be read. */
static uint64_t pagemap_word(const void *addr)
{
	uint64_t word = 0;

	if (get_pagemap_fd() < 0 ||
	    pread(pagemap_fd, &word, sizeof(word), (off_t)((uintptr_t)addr / AGENT_PAGE_SIZE * 8)) != 8)
		return 0;
	return word;
}

/* zero_page: does a read fault on private anon memory map the shared zero page? */
static const char *probe_zero_page(void)
{
	void *p = probe_map(AGENT_PAGE_SIZE);
	uint64_t word;

	if (!p)
		return "off";
	(void)*(volatile const char *)p;
	word = pagemap_word(p);
	munmap(p, AGENT_PAGE_SIZE);
	return (word & PM_PRESENT) && !(word & PM_EXCLUSIVE) ? "on" : "off";
}

/*
 * la57: the kernel runs 5-level page tables, so this process's address space (TASK_SIZE_MAX)
 * reaches 2^56 - PAGE_SIZE and a fixed mapping at 2^47 can be made; with 4 levels it ends just
 * below 2^47 and the mmap fails (ENOMEM).
 */
static const char *probe_la57(void)
{
	void *want = (void *)(1UL << 47);
	void *p = mmap(want, AGENT_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return "off";
	munmap(p, AGENT_PAGE_SIZE);
	return p == want ? "on" : "off";
}

/* One PAGEMAP_SCAN over a fresh 4-page probe mapping; returns the ioctl result, errno set. */
static long probe_scan(u64 category_mask, u64 return_mask)
{
	struct page_region vec[4];
	struct pm_scan_arg arg;
	size_t len = 4 * AGENT_PAGE_SIZE;
	void *p = probe_map(len);
	long rc;
	int err;

	if (!p)
		return -1;
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.start = (uintptr_t)p;
	arg.end = (uintptr_t)p + len;
	arg.vec = (uintptr_t)vec;
	arg.vec_len = 4;
	arg.category_mask = category_mask;
	arg.return_mask = return_mask;
	rc = get_pagemap_fd() < 0 ? -1 : ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
	err = errno;
	munmap(p, len);
	errno = err;
	return rc;
}

static struct feature probe_pagemap_scan(void)
{
	if (probe_scan(0, PAGE_IS_PRESENT) < 0)
		return feature_no("pagemap_scan ioctl fails with %s", errno_name_lower(errno));
	return feature_yes();
}

static struct feature probe_scan_guard(bool have_scan)
{
	if (!have_scan)
		return feature_no("%s", "no pagemap_scan");
	if (probe_scan(PAGE_IS_GUARD, PAGE_IS_GUARD) < 0 && errno == EINVAL)
		return feature_no("%s", "page_is_guard rejected with einval");
	return feature_yes();
}

/* guard_regions and maybe_guard, from one guard install on an anon probe mapping. */
static void probe_guard_regions(struct feature *guard, struct feature *maybe_guard)
{
	size_t len = 4 * AGENT_PAGE_SIZE;
	char *p = probe_map(len);

	if (!p) {
		*guard = *maybe_guard = feature_no("probe mmap fails with %s", errno_name_lower(errno));
		return;
	}
	if (madvise(p + AGENT_PAGE_SIZE, AGENT_PAGE_SIZE, MADV_GUARD_INSTALL) < 0) {
		*guard = feature_no("madv_guard_install fails with %s", errno_name_lower(errno));
		*maybe_guard = feature_no("%s", "no guard_regions");
	} else {
		*guard = feature_yes();
		*maybe_guard = vma_has_flag(p, "gu") ? feature_yes()
						     : feature_no("%s", "no gu in smaps vmflags");
	}
	munmap(p, len);
}

/* Writes the decimal text to /proc/self/clear_refs; 0 or -1 with errno set. */
static int write_clear_refs(const char *text)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text), rc;
	int err;

	if (fd < 0)
		return -1;
	rc = write(fd, text, (size_t)len);
	err = errno;
	close(fd);
	errno = err;
	return rc == len ? 0 : -1;
}

/*
 * soft_dirty: the kernel tracks soft-dirty pages (CONFIG_MEM_SOFT_DIRTY). A fresh anon VMA must
 * show sd in its VmFlags; after a write and clear_refs 4 its page must not be soft-dirty in
 * pagemap (bit 55), and after another write it must be. Clears this (probe) process's soft-dirty
 * state, which nothing else here uses.
 */
static struct feature probe_soft_dirty(void)
{
	volatile char *p = probe_map(AGENT_PAGE_SIZE);
	struct feature f = feature_yes();

	if (!p)
		return feature_no("probe mmap fails with %s", errno_name_lower(errno));
	p[0] = 1;
	if (!vma_has_flag((const void *)p, "sd"))
		f = feature_no("%s", "no sd in smaps vmflags");
	else if (write_clear_refs("4") < 0)
		f = feature_no("clear_refs 4 fails with %s", errno_name_lower(errno));
	else if (pagemap_word((const void *)p) & PM_SOFT_DIRTY)
		f = feature_no("%s", "pagemap bit 55 set after clear_refs 4");
	else if (p[0] = 2, !(pagemap_word((const void *)p) & PM_SOFT_DIRTY))
		f = feature_no("%s", "pagemap bit 55 clear after a write");
	munmap((void *)p, AGENT_PAGE_SIZE);
	return f;
}

static struct feature probe_uffd_wp(void)
{
	struct uffdio_register reg;
	size_t len = AGENT_PAGE_SIZE;
	struct feature f = feature_yes();
	void *p;
	int fd = uffd_open(UFFD_FEATURE_PAGEFAULT_FLAG_WP);

	if (fd < 0)
		return feature_no("userfaultfd with pagefault_flag_wp fails with %s",
				  errno_name_lower(errno));
	p = probe_map(len);
	if (!p) {
		f = feature_no("probe mmap fails with %s", errno_name_lower(errno));
	} else {
		memset(&reg, 0, sizeof(reg));
		reg.range.start = (uintptr_t)p;
		reg.range.len = len;
		reg.mode = UFFDIO_REGISTER_MODE_WP;
		if (ioctl(fd, UFFDIO_REGISTER, &reg) < 0)
			f = feature_no("uffdio_register mode_wp fails with %s",
				       errno_name_lower(errno));
		munmap(p, len);
	}
	close(fd);
	return f;
}

static struct feature probe_uffd_wp_async(void)
{
	int fd = uffd_open(UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_WP_ASYNC |
			   UFFD_FEATURE_WP_UNPOPULATED);

	if (fd < 0)
		return feature_no("uffdio_api with wp_async fails with %s", errno_name_lower(errno));
	close(fd);
	return feature_yes();
}

/* The selected transparent hugepage mode: "always", "madvise", "never", or NULL if no THP. */
static const char *thp_mode(void)
{
	static char mode[16];
	char *text = read_text_file("/sys/kernel/mm/transparent_hugepage/enabled");
	char *open, *close_;

	if (!text)
		return NULL;
	open = strchr(text, '[');
	close_ = open ? strchr(open, ']') : NULL;
	if (!open || !close_ || close_ - open - 1 >= (long)sizeof(mode)) {
		free(text);
		return NULL;
	}
	memcpy(mode, open + 1, (size_t)(close_ - open - 1));
	mode[close_ - open - 1] = '\0';
	free(text);
	return mode;
}

/* True if /proc/swaps lists a device below its header line. */
static bool have_swap(void)
{
	char *text = read_text_file("/proc/swaps");
	char *nl = text ? strchr(text, '\n') : NULL;
	bool yes = nl && nl[1] != '\0';

	free(text);
	return yes;
}

/*
 * The swap feature: a swap file can be set up and turned on here (root, a file system that takes
 * one), or the MMSIM_SWAP_DEVICE block device (a VM's disk) can.
 */
static struct feature probe_swap_setup(void)
{
	char path[MAX_PATH];
	const char *device = getenv("MMSIM_SWAP_DEVICE");
	struct feature f;

	if (device && *device) {
		if (write_swap_file(device, 16, true) < 0)
			return feature_no("cannot write a swap header (%s)", errno_name(errno));
		if (swapon(device, 0) < 0)
			return feature_no("swapon failed (%s)", errno_name(errno));
		swapoff(device);
		return feature_yes();
	}
	if (ensure_tmp_dir() < 0)
		return feature_no("no temp dir (%s)", errno_name(errno));
	if (snprintf(path, sizeof(path), "%s/probe-swap", tmp_dir) >= (int)sizeof(path))
		return feature_no("%s", "temp dir path too long");
	if (write_swap_file(path, 16, false) < 0)
		return feature_no("cannot write a swap file (%s)", errno_name(errno));
	if (swapon(path, 0) < 0) {
		f = feature_no("swapon failed (%s)", errno_name(errno));
	} else {
		swapoff(path);
		f = feature_yes();
	}
	unlink(path);
	return f;
}

static bool have_hugetlb(void)
{
	struct stat st;

	return stat(HUGEPAGES_2M, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The hugetlb feature: 2 MiB pages are the default huge page size and nr_hugepages may be
 * written here (root). The probe writes nothing: growing the pool, even by a page and back, could
 * race with an agent that holds it for a scenario. Whether the memory is there shows when
 * hugetlb_on grows the pool (ENOMEM: the scenario is skipped as missing hugetlb).
 */
static struct feature probe_hugetlb_pool(void)
{
	char *meminfo = read_text_file("/proc/meminfo");
	bool size_2m = meminfo && strstr(meminfo, "Hugepagesize:       2048 kB");
	int fd;

	free(meminfo);
	if (!have_hugetlb())
		return feature_no("%s", "no hugepages-2048kB in sysfs");
	if (!size_2m)
		return feature_no("%s", "the default huge page size is not 2048 kb");
	fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return feature_no("cannot write nr_hugepages (%s)", errno_name_lower(errno));
	close(fd);
	return feature_yes();
}

/* file_guard: MADV_GUARD_INSTALL on a MAP_PRIVATE mapping of a (page-cache backed) file. */
/* process_madvise: MADV_COLD on a probe page through a pidfd of the agent's own advises the page. */
static struct feature probe_process_madvise(void)
{
	struct feature f = feature_yes();
	struct iovec iov;
	long pidfd, ret;
	char *p = mmap(NULL, AGENT_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return feature_no("probe mmap fails with %s", errno_name_lower(errno));
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		f = feature_no("pidfd_open fails with %s", errno_name_lower(errno));
	} else {
		iov.iov_base = p;
		iov.iov_len = AGENT_PAGE_SIZE;
		ret = syscall(SYS_process_madvise, (int)pidfd, &iov, (size_t)1, MADV_COLD, 0U);
		if (ret < 0)
			f = feature_no("process_madvise fails with %s", errno_name_lower(errno));
		else if (ret != (long)AGENT_PAGE_SIZE)
			f = feature_no("%s", "process_madvise advises a short count");
		close((int)pidfd);
	}
	munmap(p, AGENT_PAGE_SIZE);
	return f;
}

static struct feature probe_file_guard(void)
{
	size_t len = 4 * AGENT_PAGE_SIZE;
	struct feature f = feature_yes();
	int fd = make_anonymous_temp_file(len);
	char *p;

	if (fd < 0)
		return feature_no("temp file fails with %s", errno_name_lower(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		f = feature_no("file mmap fails with %s", errno_name_lower(errno));
	} else {
		if (madvise(p + AGENT_PAGE_SIZE, AGENT_PAGE_SIZE, MADV_GUARD_INSTALL) < 0)
			f = feature_no("madv_guard_install on a file mapping fails with %s",
				       errno_name_lower(errno));
		munmap(p, len);
	}
	close(fd);
	return f;
}

/* mseal: the system call exists (an invalid call fails with EINVAL, not ENOSYS). */
static struct feature probe_mseal(void)
{
	if (syscall(__NR_mseal, 0UL, 0UL, ~0UL) < 0 && errno == ENOSYS)
		return feature_no("%s", "mseal fails with enosys");
	return feature_yes();
}

/* ksm: KSM is built in (its sysfs directory) and PR_GET_MEMORY_MERGE answers. */
static struct feature probe_ksm(void)
{
	struct stat st;

	if (stat("/sys/kernel/mm/ksm/run", &st) < 0)
		return feature_no("%s", "no /sys/kernel/mm/ksm/run");
	if (prctl(PR_GET_MEMORY_MERGE, 0UL, 0UL, 0UL, 0UL) < 0)
		return feature_no("pr_get_memory_merge fails with %s", errno_name_lower(errno));
	return feature_yes();
}

/* uprobe: the kernel has the uprobe perf PMU. */
static struct feature probe_uprobe(void)
{
	if (uprobe_pmu_type() < 0)
		return feature_no("%s", "no /sys/bus/event_source/devices/uprobe/type");
	return feature_yes();
}

/* probe: "key value" lines describing the host, then "end". */
static void cmd_probe(int argc, char **argv)
{
	struct feature scan, guard, maybe_guard, soft_dirty;
	const char *thp = thp_mode();
	bool swap = have_swap(), hugetlb = have_hugetlb();
	struct utsname uts;

	(void)argv;
	if (argc != 1)
		return reply_proto();
	if (uname(&uts) < 0)
		snprintf(uts.release, sizeof(uts.release), "unknown");
	scan = probe_pagemap_scan();
	probe_guard_regions(&guard, &maybe_guard);
	soft_dirty = probe_soft_dirty();

	fprintf(out, "kernel %s\n", uts.release);
	fprintf(out, "zero_page %s\n", probe_zero_page());
	fprintf(out, "thp %s\n", thp ? thp : "never");
	fprintf(out, "swap %s\n", swap ? "yes" : "no");
	fprintf(out, "hugetlb %s\n", hugetlb ? "yes" : "no");
	fprintf(out, "soft_dirty %s\n", soft_dirty.yes ? "on" : "off");
	fprintf(out, "la57 %s\n", probe_la57());
	print_feature("pagemap_scan", scan);
	print_feature("scan_guard", probe_scan_guard(scan.yes));
	print_feature("scan_soft_dirty",
		      !scan.yes ? feature_no("%s", "no pagemap_scan")
		      : !soft_dirty.yes ? feature_no("%s", "no soft_dirty") : feature_yes());
	print_feature("guard_regions", guard);
	print_feature("maybe_guard", maybe_guard);
	print_feature("soft_dirty", soft_dirty);
	print_feature("uffd_wp", probe_uffd_wp());
	print_feature("uffd_wp_async", probe_uffd_wp_async());
	print_feature("thp", !thp ? feature_no("%s", "no transparent_hugepage sysfs")
			     : strcmp(thp, "never") == 0 ? feature_no("%s", "thp mode is never")
							 : feature_yes());
	print_feature("hugetlb", probe_hugetlb_pool());
	print_feature("swap", probe_swap_setup());
	print_feature("file_guard", probe_file_guard());
	print_feature("mseal", probe_mseal());
	print_feature("ksm", probe_ksm());
	print_feature("uprobe", probe_uprobe());
	print_feature("process_madvise", probe_process_madvise());
	fputs("end\n", out);
	end_reply();
}

/* ---------------------------------------------------------------------------------------------
 * fork / child: named child processes serving commands over a pipe pair
 * ------------------------------------------------------------------------------------------- */

static void serve(FILE *in);

static struct agent_child *find_child(const char *name)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid > 0 && strcmp(children[i].name, name) == 0)
			return &children[i];
	return NULL;
}

/* Kills (if still alive) and reaps a child, and frees its slot. */
static void drop_child(struct agent_child *c)
{
	pid_t pid = c->pid;

	close(c->cmd_fd);
	fclose(c->reply);
	c->pid = 0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The child's side of fork: serve commands from cmd_fd, reply on reply_fd, never return. parent
 * is the forking process: the agent, or a child that forks a grandchild.
 */
static void run_child(int cmd_fd, int reply_fd, pid_t parent)
{
	int devnull;
	FILE *in;

	in_child = true;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);	/* the parent died before PR_SET_PDEATHSIG took effect */

	/* Drop what belongs to the parent: its other children's pipes, its pagemap fd, its uffd. */
	for (int i = 0; i < MAX_CHILDREN; i++) {
		if (children[i].pid > 0) {
			close(children[i].cmd_fd);
			close(fileno(children[i].reply));
			children[i].pid = 0;
		}
	}
	if (pagemap_fd >= 0)
		close(pagemap_fd);
	pagemap_fd = -1;	/* the agent's fd would show the agent's mm: reopen our own */
	if (uffd >= 0)
		close(uffd);
	uffd = -1;

	/* Never read the scenario's stdin or write into the agent's reply stream. */
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	in = fdopen(cmd_fd, "r");
	out = fdopen(reply_fd, "w");
	if (!in || !out)
		_exit(1);
	/*
	 * Tell the agent we no longer hold its uffd: until then an uffd_close in the agent would
	 * leave the context alive through our copy of the descriptor.
	 */
	fputs("ready\n", out);
	fflush(out);
	serve(in);
	_exit(0);
}

/* fork NAME: fork a child process that serves commands sent with "child NAME ...". */
static void cmd_fork(int argc, char **argv)
{
	struct agent_child *c = NULL;
	int cmd[2], rep[2];
	pid_t pid, parent = getpid();

	if (argc != 2 || strlen(argv[1]) >= MAX_CHILD_NAME)
		return reply_proto();
	if (find_child(argv[1]))
		return reply_err(EEXIST);
	for (int i = 0; i < MAX_CHILDREN && !c; i++)
		if (children[i].pid == 0)
			c = &children[i];
	if (!c)
		return reply_err(EAGAIN);
	if (pipe2(cmd, O_CLOEXEC) < 0)
		return reply_err(errno);
	if (pipe2(rep, O_CLOEXEC) < 0) {
		int err = errno;

		close(cmd[0]);
		close(cmd[1]);
		return reply_err(err);
	}

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(cmd[0]);
		close(cmd[1]);
		close(rep[0]);
		close(rep[1]);
		return reply_err(err);
	}
	if (pid == 0) {
		close(cmd[1]);
		close(rep[0]);
		run_child(cmd[0], rep[1], parent);
	}

	close(cmd[0]);
	close(rep[1]);
	snprintf(c->name, sizeof(c->name), "%s", argv[1]);
	c->exited = false;
	c->cmd_fd = cmd[1];
	c->reply = fdopen(rep[0], "r");
	c->pid = pid;
	if (!c->reply) {
		close(rep[0]);
		c->reply = fopen("/dev/null", "r");	/* keeps drop_child() simple */
		drop_child(c);
		return reply_err(ENOMEM);
	}
	/* Wait until the child has dropped the agent's descriptors (see run_child()). */
	{
		char line[32];

		if (!fgets(line, sizeof(line), c->reply) || strcmp(line, "ready\n") != 0) {
			drop_child(c);
			return reply_err(ECHILD);
		}
	}
	reply_ok();
}

/*
 * How many body lines follow a reply's status line (probe is handled by its "end" line).
 * Only "ok" replies of scan, pagemap, pagemap_raw and smaps have a body.
 */
static u64 body_lines(const char *cmd, const char *status)
{
	u64 n;
	char *end;

	if (strncmp(status, "ok ", 3) != 0)
		return 0;
	n = strtoull(status + 3, &end, 10);
	if (strcmp(cmd, "scan") == 0 || strcmp(cmd, "pagemap") == 0 || strcmp(cmd, "smaps") == 0)
		return n;
	if (strcmp(cmd, "pagemap_raw") == 0)
		return (n + 7) / 8;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads one line from a child; false at EOF or on error. The line keeps its '\n'. */
static bool read_child_line(struct agent_child *c, char **line, size_t *cap)
{
	ssize_t n = getline(line, cap, c->reply);

	return n > 0 && (*line)[n - 1] == '\n';
}

/* A child died in the middle of a reply: the reply stream cannot be repaired. */
static void child_died_mid_reply(struct agent_child *c)
{
	fprintf(stderr, "fatal child %s died in the middle of a reply\n", c->name);
	cleanup();
	exit(1);
}

/* child NAME COMMAND...: run COMMAND in the named child and relay its reply verbatim. */
static void cmd_child(int argc, char **argv)
{
	struct agent_child *c;
	char *cmd = NULL, *line = NULL;
	size_t cmd_len = 0, cap = 0;
	bool is_probe;
	u64 body;
	int inner = 2;	/* the command the innermost child runs: past "child NAME" pairs */

	if (argc < 3)
		return reply_proto();
	while (inner + 2 < argc && strcmp(argv[inner], "child") == 0)
		inner += 2;
	c = find_child(argv[1]);
	if (!c)
		return reply_err(ESRCH);
	if (c->exited)
		return reply_err(ECHILD);

	for (int i = 2; i < argc; i++)
		cmd_len += strlen(argv[i]) + 1;
	cmd = malloc(cmd_len + 1);
	if (!cmd)
		return reply_err(ENOMEM);
	cmd[0] = '\0';
	for (int i = 2; i < argc; i++) {
		strcat(cmd, argv[i]);
		strcat(cmd, i + 1 < argc ? " " : "\n");
	}

	if (write_all(c->cmd_fd, cmd, cmd_len) < 0 || !read_child_line(c, &line, &cap)) {
		free(cmd);
		free(line);
		drop_child(c);
		return reply_err(ECHILD);
	}
	free(cmd);

	is_probe = strcmp(argv[inner], "probe") == 0;
	body = is_probe ? 0 : body_lines(argv[inner], line);
	fputs(line, out);
	while (is_probe ? strcmp(line, "end\n") != 0 : body-- > 0) {
		if (!read_child_line(c, &line, &cap))
			child_died_mid_reply(c);
		fputs(line, out);
	}
	free(line);
	end_reply();
	if (strcmp(argv[2], "exit") == 0 && argc == 3) {
		siginfo_t si;

		/* wait until it is a zombie, without reaping it: its pagemap then gives ESRCH */
		while (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
			;
		c->exited = true;
	}
}

/* exit: a child replies ok and exits; its parent does not reap it (see cmd_child). */
static void cmd_exit(int argc, char **argv)
{
	(void)argv;
	if (argc != 1 || !in_child)
		return reply_proto();
	reply_ok();
	fflush(out);
	_exit(0);
}

/*
 * reset LO HI: make the agent ready for the next scenario, as if freshly started: kill and reap
 * every child, close the uffd, close and unlink every file, munmap [LO, HI) and re-arm the
 * --timeout alarm. Agent process only.
 */
static void cmd_reset(int argc, char **argv)
{
	u64 v[2];

	if (argc != 3 || !parse_all(argv + 1, 2, v) || v[1] < v[0] || in_child)
		return reply_proto();
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid > 0)
			drop_child(&children[i]);
	reap_orphans();
	if (uffd >= 0)
		close(uffd);
	uffd = -1;
	prctl(PR_SET_MEMORY_MERGE, 0UL, 0UL, 0UL, 0UL);	/* fails harmlessly without KSM */
	close_uprobes();
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i].live) {
			close(files[i].fd);
			if (files[i].path[0])
				unlink(files[i].path);
			files[i].live = 0;
		}
	}
	if (v[1] > v[0] && munmap((void *)(uintptr_t)v[0], v[1] - v[0]) < 0)
		return reply_err(errno);
	alarm(timeout_seconds);
	reply_ok();
}

/* quit: clean up and exit 0 (no reply). */
static void cmd_quit(int argc, char **argv)
{
	(void)argv;
	if (argc != 1 || in_child)
		return reply_proto();
	cleanup();
	exit(0);
}

/* ---------------------------------------------------------------------------------------------
 * Benchmark commands (mmsim bench). The kernel work is timed here, with CLOCK_MONOTONIC around
 * the system calls, so the pipe to the Java side is outside every measurement.
 * ------------------------------------------------------------------------------------------- */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#define MAX_BENCH_REPS		1000		/* warm-up and timed repetitions, each */
#define MAX_BENCH_OPS		(1ULL << 22)	/* operations of one time_ops mix */
#define BENCH_MAP_FLAGS		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE)

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* Ends an "ok ..." status line with the nanoseconds of each timed repetition. */
static void reply_nanos(const u64 *ns, u64 reps)
{
	for (u64 i = 0; i < reps; i++)
		fprintf(out, " %llu", ns[i]);
	fputc('\n', out);
	end_reply();
}

/*
 * populate ADDR LEN STRIDE: MADV_POPULATE_WRITE on the first page of every STRIDE bytes of
 * [ADDR, ADDR+LEN), one call over the whole range when STRIDE is the page size; "ok NS".
 */
static void cmd_populate(int argc, char **argv)
{
	u64 v[3], t0, t1;
	int rc = 0;

	if (argc != 4 || !parse_all(argv + 1, 3, v) || v[2] == 0 || v[2] % AGENT_PAGE_SIZE ||
	    v[0] + v[1] < v[0])
		return reply_proto();
	t0 = now_ns();
	if (v[2] == AGENT_PAGE_SIZE) {
		rc = madvise((void *)(uintptr_t)v[0], v[1], MADV_POPULATE_WRITE);
	} else {
		for (u64 off = 0; off < v[1] && rc == 0; off = v[1] - off > v[2] ? off + v[2] : v[1])
			rc = madvise((void *)(uintptr_t)(v[0] + off), AGENT_PAGE_SIZE, MADV_POPULATE_WRITE);
	}
	t1 = now_ns();
	if (rc < 0)
		return reply_err(errno);
	fprintf(out, "ok %llu\n", t1 - t0);
	end_reply();
}

/*
 * time_scan WARMUP REPS START END FLAGS CATMASK INVMASK ANYOF RETMASK VECLEN MAXPAGES: the
 * PAGEMAP_SCAN ioctl of "scan", WARMUP times untimed, then REPS times timed, into one result
 * vector; "ok N 0xWALKEND NS..." with the last call's result and each timed call's nanoseconds.
 */
static void cmd_time_scan(int argc, char **argv)
{
	struct pm_scan_arg arg;
	struct page_region *vec;
	size_t vec_bytes;
	u64 v[11], ns[MAX_BENCH_REPS], t0, t1;
	long n = 0;
	int err;

	if (argc != 12 || !parse_all(argv + 1, 11, v) || v[0] > MAX_BENCH_REPS || v[1] == 0 ||
	    v[1] > MAX_BENCH_REPS)
		return reply_proto();
	if (get_pagemap_fd() < 0)
		return reply_err(errno);
	vec = alloc_scan_vec(v[9], v[2], v[3], &vec_bytes);
	if (!vec)
		return reply_err(ENOMEM);
	for (u64 i = 0; i < v[0] + v[1]; i++) {
		memset(&arg, 0, sizeof(arg));
		arg.size = sizeof(arg);
		arg.start = v[2];
		arg.end = v[3];
		arg.flags = v[4];
		arg.category_mask = v[5];
		arg.category_inverted = v[6];
		arg.category_anyof_mask = v[7];
		arg.return_mask = v[8];
		arg.vec_len = v[9];
		arg.max_pages = v[10];
		arg.vec = (uintptr_t)vec;
		t0 = now_ns();
		n = ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
		t1 = now_ns();
		if (n < 0) {
			err = errno;
			munmap(vec, vec_bytes);
			fprintf(out, "err %s 0x%llx\n", errno_name(err), (u64)arg.walk_end);
			return end_reply();
		}
		if (i >= v[0])
			ns[i - v[0]] = t1 - t0;
	}
	munmap(vec, vec_bytes);
	fprintf(out, "ok %ld 0x%llx", n, (u64)arg.walk_end);
	reply_nanos(ns, v[1]);
}

/* One call of the time_ops mix. */
struct bench_op {
	int kind;		/* 0 mmap, 1 mprotect, 2 madvise */
	int arg;		/* the protection of an mprotect, the advice of an madvise */
	void *addr;
	size_t len;
};

static u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The mix of PROTOCOL.md ("time_ops"), mirrored by dev.mmsim.scenarios.bench.OpMix. */
static void bench_ops_generate(struct bench_op *ops, u64 count, u64 base, u64 pages, u64 seed)
{
	static const int advices[8] = {
		MADV_DONTNEED, MADV_RANDOM, MADV_NORMAL, MADV_SEQUENTIAL,
		MADV_DONTFORK, MADV_DOFORK, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE,
	};

	for (u64 i = 0; i < count; i++) {
		u64 r = splitmix64(&seed);
		u64 npages = 1 + ((r >> 2) & 15);
		u64 page = ((r >> 8) & ((1ULL << 40) - 1)) % (pages - npages);
		unsigned int sel = (unsigned int)(r >> 61);

		ops[i].addr = (void *)(uintptr_t)(base + page * AGENT_PAGE_SIZE);
		ops[i].len = npages * AGENT_PAGE_SIZE;
		ops[i].kind = (r & 3) < 2 ? (int)(r & 3) : 2;
		if (ops[i].kind == 1)
			ops[i].arg = (sel & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
		else
			ops[i].arg = advices[sel];
	}
}

static int bench_op_run(const struct bench_op *op)
{
	switch (op->kind) {
	case 0:
		return mmap(op->addr, op->len, PROT_READ | PROT_WRITE, BENCH_MAP_FLAGS, -1, 0) ==
		       MAP_FAILED ? -1 : 0;
	case 1:
		return mprotect(op->addr, op->len, op->arg);
	default:
		return madvise(op->addr, op->len, op->arg);
	}
}

/*
 * time_ops WARMUP REPS BASE LEN SEED COUNT: generates the COUNT calls of the mix from SEED, then
 * WARMUP + REPS times maps [BASE, BASE+LEN) afresh (untimed) and runs the calls, timing the REPS;
 * "ok NOK NS..." with how many calls returned 0 and each timed repetition's nanoseconds. The
 * region stays mapped.
 */
static void cmd_time_ops(int argc, char **argv)
{
	struct bench_op *ops;
	u64 v[6], ns[MAX_BENCH_REPS], ok = 0, t0, t1;
	int err;

	if (argc != 7 || !parse_all(argv + 1, 6, v) || v[0] > MAX_BENCH_REPS || v[1] == 0 ||
	    v[1] > MAX_BENCH_REPS || v[2] % AGENT_PAGE_SIZE || v[3] % AGENT_PAGE_SIZE ||
	    v[3] / AGENT_PAGE_SIZE < 32 || v[2] + v[3] < v[2] || v[5] > MAX_BENCH_OPS)
		return reply_proto();
	ops = calloc(v[5] ? v[5] : 1, sizeof(*ops));
	if (!ops)
		return reply_err(ENOMEM);
	bench_ops_generate(ops, v[5], v[2], v[3] / AGENT_PAGE_SIZE, v[4]);
	for (u64 rep = 0; rep < v[0] + v[1]; rep++) {
		if (mmap((void *)(uintptr_t)v[2], v[3], PROT_READ | PROT_WRITE, BENCH_MAP_FLAGS, -1, 0) ==
		    MAP_FAILED) {
			err = errno;
			free(ops);
			return reply_err(err);
		}
		ok = 0;
		t0 = now_ns();
		for (u64 i = 0; i < v[5]; i++)
			ok += bench_op_run(&ops[i]) == 0;
		t1 = now_ns();
		if (rep >= v[0])
			ns[rep - v[0]] = t1 - t0;
	}
	free(ops);
	fprintf(out, "ok %llu", ok);
	reply_nanos(ns, v[1]);
}

/* ---------------------------------------------------------------------------------------------
 * Command loop
 * ------------------------------------------------------------------------------------------- */

struct command {
	const char *name;
	void (*handler)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "probe", cmd_probe },
	{ "file", cmd_file },
	{ "memfd", cmd_memfd },
	{ "swap_on", cmd_swap_on },
	{ "swap_off", cmd_swap_off },
	{ "hugetlb_on", cmd_hugetlb_on },
	{ "truncate", cmd_truncate },
	{ "seal", cmd_seal },
	{ "reopen", cmd_reopen },
	{ "mmap", cmd_mmap },
	{ "munmap", cmd_munmap },
	{ "mprotect", cmd_mprotect },
	{ "madvise", cmd_madvise },
	{ "process_madvise", cmd_process_madvise },
	{ "mlock", cmd_mlock },
	{ "munlock", cmd_mlock },
	{ "mseal", cmd_mseal },
	{ "prctl", cmd_prctl },
	{ "uprobe", cmd_uprobe },
	{ "mremap", cmd_mremap },
	{ "touch", cmd_touch },
	{ "scan", cmd_scan },
	{ "pagemap", cmd_pagemap },
	{ "pagemap_raw", cmd_pagemap_raw },
	{ "smaps", cmd_smaps },
	{ "fork", cmd_fork },
	{ "child", cmd_child },
	{ "exit", cmd_exit },
	{ "uffd_register", cmd_uffd_register },
	{ "uffd_wp", cmd_uffd_wp },
	{ "uffd_unregister", cmd_uffd_unregister },
	{ "uffd_close", cmd_uffd_close },
	{ "clear_refs", cmd_clear_refs },
	{ "khugepaged", cmd_khugepaged },
	{ "reset", cmd_reset },
	{ "populate", cmd_populate },
	{ "time_scan", cmd_time_scan },
	{ "time_ops", cmd_time_ops },
	{ "quit", cmd_quit },
};

/* Splits line in place on blanks; returns the token count, or -1 if there are too many. */
static int tokenize(char *line, char **argv)
{
	int argc = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (argc == MAX_TOKENS)
			return -1;
		argv[argc++] = tok;
	}
	return argc;
}

static void handle_line(char *line)
{
	char *argv[MAX_TOKENS + 1];
	int argc = tokenize(line, argv);

	if (argc <= 0)
		return reply_proto();
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].handler(argc, argv);
	reply_proto();
}

/* Serves commands from in until EOF. */
static void serve(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, in) >= 0)
		handle_line(line);
	free(line);
}

static void usage(void)
{
	fputs("usage: mmsim-agent [--timeout SECONDS]   (commands on stdin, see PROTOCOL.md)\n",
	      stderr);
	exit(2);
}

/*
 * Runs the agent (and the children it forks) on the CPU it started on. Freshly faulted pages wait
 * in a per-CPU batch before they reach the LRU lists, and MADV_PAGEOUT/COLD drain only the batch of
 * the CPU they run on: a process that migrates between CPUs would see reclaim skip its newest
 * pages at random. Pinned, every scenario sees the same reclaim decisions.
 */
static void pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		fprintf(stderr, "mmsim-agent: sched_setaffinity: %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	unsigned int timeout = DEFAULT_TIMEOUT;
	u64 v;

	for (int i = 1; i < argc; i++) {
		const char *value = NULL;

		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			value = argv[++i];
		else if (strncmp(argv[i], "--timeout=", 10) == 0)
			value = argv[i] + 10;
		if (!value || !parse_u64(value, &v) || v > UINT32_MAX)
			usage();
		timeout = (unsigned int)v;
	}

	agent_pid = getpid();
	out = stdout;
	pin_to_one_cpu();
	/* grandchildren orphaned by a killed child become ours, so that reap_orphans() can wait */
	prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
	install_signal_handlers();
	if (ensure_tmp_dir() < 0)	/* retried by "file"; children use this one */
		fprintf(stderr, "mmsim-agent: temp dir: %s\n", strerror(errno));
	timeout_seconds = timeout;
	alarm(timeout);
	serve(stdin);
	cleanup();
	return 0;
}
