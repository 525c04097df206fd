// SPDX-License-Identifier: GPL-2.0-only
/*
 * agent.h - what the files of mmsim's kernel agent share.
 *
 * mmsim models the Linux mm page-walk subsystem (PAGEMAP_SCAN, /proc/pid/pagemap, smaps, guard
 * regions) in Java. To check the model, every scenario is also run against a real kernel: the Java
 * side starts the agent, sends it one command per line on stdin and reads one reply per command
 * from stdout. The agent performs the operation on its own address space (mmap, madvise, touch,
 * the PAGEMAP_SCAN ioctl, ...) and reports raw kernel results; it renders nothing. PROTOCOL.md next
 * to these files is the contract they implement.
 *
 * In short:
 *   - every reply starts with a status line: "ok ...", "err ENAME ..." or "sig SIGSEGV 0xADDR";
 *   - a reply with a body announces its body-line count on the status line ("ok N ...");
 *     "probe" is the exception: its body ends with a line "end";
 *   - a malformed or unknown command gets "err EPROTO" and the agent carries on.
 *
 * Two processes, one binary (privilege separation, as the kernel selftests keep a harness apart
 * from the test):
 *   - the supervisor (supervisor.c) owns everything host-wide: the temp dir, the swap file, the
 *     hugetlb pool, and a state file naming each of them before it is changed. It forks the
 *     worker, answers its resource requests over a socket, kills it at the time limit, and
 *     restores everything when the worker ends, however it ends. A supervisor that was itself
 *     killed is cleaned up after by the next one to start (its state file is no longer locked).
 *   - the worker executes the scenario's operations and may crash, hang or be killed at any point:
 *     it holds nothing the host would keep.
 *
 * The worker's files, by concern:
 *   agent_main.c      the command table, the read-dispatch loop, main()
 *   agent_util.c      replies, number parsing, small file helpers
 *   agent_cleanup.c   signal-safe clean-up of the worker and its signal handlers
 *   agent_files.c     file, memfd, truncate, seal, reopen
 *   agent_resources.c swap_on, swap_off, hugetlb_on: requests to the supervisor
 *   agent_mm.c        mmap, munmap, mprotect, madvise, process_madvise, mlock, mseal, prctl,
 *                     uprobe, mremap, touch, store, values
 *   agent_proc.c      scan (PAGEMAP_SCAN), pagemap, pagemap_raw, smaps, clear_refs, khugepaged,
 *                     status (and the baseline it counts from)
 *   agent_uffd.c      userfaultfd registration and write-protection
 *   agent_probe.c     probe: what the kernel supports
 *   agent_children.c  fork, child, exit, reset, quit
 *   agent_bench.c     populate, time_scan, time_ops (mmsim bench)
 *
 * The scenario's mappings live in an arena at 0x100000000000..0x110000000000. Everything the agent
 * maps for its own purposes is unmapped again, so the arena only ever holds what the scenario
 * asked for: probe mappings and other buffers are placed by the kernel (NULL hint), scan's own
 * result vector at BACKEND_VEC (4 GiB), where the simulator assumes it.
 *
 * Build: cc -std=gnu11 -O2 -Wall -Wextra -Werror -o mmsim-agent *.c   (libc only)
 */
#ifndef MMSIM_AGENT_H
#define MMSIM_AGENT_H

/*
 * Every command handler has one signature, (argc, argv, v) with v the numbers the command table
 * parsed (agent_main.c); not every handler needs all three.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
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
#include <malloc.h>
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
#include <stdarg.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

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
#ifndef UFFDIO_CONTINUE_MODE_WP
#define UFFDIO_CONTINUE_MODE_WP		((__u64)1 << 1)
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
/*
 * The agent's own limits. The Java side refuses a scenario past them on both backends alike
 * (Interpreter), so that none of them ever shows as a kernel result.
 */
#define MAX_IOVECS		65536	/* process_madvise ranges: far past UIO_MAXIOV (1024) */
#define MAX_TOKENS		(2 * MAX_IOVECS + 8)
#define MAX_FILES		256
#define MAX_CHILDREN		64	/* live children of one process */
#define MAX_CHILD_NAME		256	/* with its NUL */
#define MAX_PATH		512
#define MAX_UPROBES		16
#define MAX_READ_BYTES		(16ULL << 20)	/* pagemap / pagemap_raw read cap */
#define BACKEND_VEC		0x100000000ULL	/* where scan's own result vector is mapped (PmScanArg.BACKEND_VEC) */
#define MAX_SCAN_REGIONS	(1ULL << 28)	/* cap on the result buffer we really back */
#define MEMORY_CAP		(3ULL << 30)	/* the worker's memory cgroup limit, where there is one */
#define EXIT_MEMORY_CAP		125		/* the agent's status when the cgroup's OOM killer ended it */
#define STATUS_FIELDS		7		/* VmPTE RssAnon RssFile RssShmem VmLck VmSwap HugetlbPages */
#define STACK_AHEAD		(1 << 20)	/* stack grown ahead of need at each baseline */
#define MAX_LINE		(4ULL << 20)	/* the command line buffer, allocated once */

typedef unsigned long long u64;

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define HUGEPAGES_2M	"/sys/kernel/mm/hugepages/hugepages-2048kB"

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

extern FILE *out;			/* where replies go: stdout, or the reply pipe in a child */
extern pid_t agent_pid;			/* the process that owns the temp dir and the children */
extern bool in_child;

extern char tmp_dir[MAX_PATH];
extern volatile sig_atomic_t tmp_dir_made;
extern struct agent_file files[MAX_FILES];
extern struct agent_child children[MAX_CHILDREN];
extern int uprobe_fds[MAX_UPROBES];	/* perf events of the uprobe command; 0: free slot */

extern int pagemap_fd;		/* /proc/self/pagemap of *this* process (reopened after fork) */
extern int uffd;			/* this process's userfaultfd, opened by uffd_register */

/* touch: state shared with the SIGSEGV/SIGBUS handler */
extern sigjmp_buf touch_env;
extern volatile sig_atomic_t touch_armed;
extern volatile uintptr_t touch_cur;	/* the address being accessed right now */

/* agent_util.c */
const char *errno_name(int err);
const char *errno_name_lower(int err);
void end_reply(void);
void reply_ok(void);
void reply_err(int err);
void reply_proto(void);
void reply_result(int rc);
bool parse_u64(const char *s, u64 *v);
bool parse_all(char **argv, int n, u64 *v);
bool fits_int(u64 v);
char *read_text_file(const char *path);
int get_pagemap_fd(void);
int write_all(int fd, const char *buf, size_t len);
u64 monotonic_ns(void);
long long read_sys_number(const char *path);
int write_sys_number(const char *path, unsigned long long v);

/* agent_cleanup.c */
void reap_orphans(void);
void cleanup(void);
void install_signal_handlers(void);

/* agent_files.c */
struct agent_file *find_file(u64 id);
int write_zeros(int fd, u64 len);
int make_anonymous_temp_file(u64 len);
void cmd_file(int argc, char **argv, u64 *v);
void cmd_memfd(int argc, char **argv, u64 *v);
void cmd_truncate(int argc, char **argv, u64 *v);
void cmd_seal(int argc, char **argv, u64 *v);
void cmd_reopen(int argc, char **argv, u64 *v);

/* agent_resources.c */
extern int supervisor_fd;
int supervisor_request(const char *request, char *buf, size_t size);
void cmd_swap_on(int argc, char **argv, u64 *v);
void cmd_swap_off(int argc, char **argv, u64 *v);
void cmd_hugetlb_on(int argc, char **argv, u64 *v);

/* agent_mm.c */
void cmd_mmap(int argc, char **argv, u64 *v);
void cmd_munmap(int argc, char **argv, u64 *v);
void cmd_mprotect(int argc, char **argv, u64 *v);
void cmd_madvise(int argc, char **argv, u64 *v);
void cmd_process_madvise(int argc, char **argv, u64 *v);
void cmd_mlock(int argc, char **argv, u64 *v);
void cmd_mseal(int argc, char **argv, u64 *v);
void cmd_prctl(int argc, char **argv, u64 *v);
int uprobe_pmu_type(void);
void cmd_uprobe(int argc, char **argv, u64 *v);
void close_uprobes(void);
void cmd_mremap(int argc, char **argv, u64 *v);
void cmd_touch(int argc, char **argv, u64 *v);
void cmd_store(int argc, char **argv, u64 *v);
void cmd_values(int argc, char **argv, u64 *v);

/* agent_proc.c */
void fill_scan_arg(struct pm_scan_arg *arg, const u64 *v, void *vec);
void *alloc_scan_vec(u64 vec_len, u64 start, u64 end, size_t *bytes);
void cmd_scan(int argc, char **argv, u64 *v);
void cmd_pagemap(int argc, char **argv, u64 *v);
void cmd_pagemap_raw(int argc, char **argv, u64 *v);
long smaps_filter(const char *text, u64 lo, u64 hi, void (*fn)(const char *line, size_t len, void *ctx), void *ctx);
void cmd_smaps(int argc, char **argv, u64 *v);
void cmd_khugepaged(int argc, char **argv, u64 *v);
void cmd_clear_refs(int argc, char **argv, u64 *v);
int read_status(long long *kb);
void steady_own_memory(u64 lo, u64 hi);
void status_baseline(u64 lo, u64 hi);
void cmd_status(int argc, char **argv, u64 *v);

/* agent_uffd.c */
int uffd_open(u64 features);
void uffd_release(bool in_child_copy);
void cmd_uffd_register(int argc, char **argv, u64 *v);
void cmd_uffd_wp(int argc, char **argv, u64 *v);
void cmd_uffd_unregister(int argc, char **argv, u64 *v);
void cmd_uffd_close(int argc, char **argv, u64 *v);
void cmd_uffd_fill(int argc, char **argv, u64 *v);

/* agent_probe.c */
void cmd_probe(int argc, char **argv, u64 *v);

/* agent_children.c */
struct agent_child *find_child(const char *name);
void cmd_fork(int argc, char **argv, u64 *v);
void cmd_child(int argc, char **argv, u64 *v);
void cmd_exit(int argc, char **argv, u64 *v);
void cmd_reset(int argc, char **argv, u64 *v);
void cmd_quit(int argc, char **argv, u64 *v);

/* agent_bench.c */
void cmd_populate(int argc, char **argv, u64 *v);
void cmd_time_scan(int argc, char **argv, u64 *v);
void cmd_time_ops(int argc, char **argv, u64 *v);

/* agent_main.c */
void serve(FILE *in, char *line, size_t cap);
int worker_main(void);

/* supervisor.c */
int supervise(unsigned int timeout);


#endif
