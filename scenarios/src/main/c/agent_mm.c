// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* mmap ADDR LEN PROT FLAGS FILEID OFF: the result must be ADDR, else it is undone (EEXIST). */
void cmd_mmap(int argc, char **argv, u64 *v)
{
	u64 addr, len, prot, flags, off;
	long long file_id;
	char *end;
	int fd = -1;
	void *p;

	/* FILEID may be -1: the command table parses no numbers for mmap */
	if (!parse_u64(argv[1], &addr) || !parse_u64(argv[2], &len) ||
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
void cmd_munmap(int argc, char **argv, u64 *v)
{
	reply_result(munmap((void *)(uintptr_t)v[0], v[1]));
}

/* mprotect ADDR LEN PROT */
void cmd_mprotect(int argc, char **argv, u64 *v)
{
	if (!fits_int(v[2]))
		return reply_proto();
	reply_result(mprotect((void *)(uintptr_t)v[0], v[1], (int)v[2]));
}

/* madvise ADDR LEN ADVICE (the numeric MADV_* value) */
void cmd_madvise(int argc, char **argv, u64 *v)
{
	if (!fits_int(v[2]))
		return reply_proto();
	reply_result(madvise((void *)(uintptr_t)v[0], v[1], (int)v[2]));
}

/*
 * process_madvise ADVICE N ADDR LEN...: process_madvise(2) on the agent (or child) itself, through a
 * pidfd of its own from pidfd_open(getpid()), flags 0, with the N iovecs ADDR LEN in order. Replies
 * with the number of bytes the kernel reports advised.
 */
void cmd_process_madvise(int argc, char **argv, u64 *v)
{
	static struct iovec iov[MAX_IOVECS];
	u64 advice = v[0], n = v[1], range[2];
	long pidfd, ret;
	int err;

	if (!fits_int(advice) || n > MAX_IOVECS || (u64)argc != 3 + 2 * n)
		return reply_proto();
	for (u64 i = 0; i < n; i++) {
		if (!parse_all(argv + 3 + 2 * i, 2, range))
			return reply_proto();
		iov[i].iov_base = (void *)(uintptr_t)range[0];
		iov[i].iov_len = range[1];
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
void cmd_mlock(int argc, char **argv, u64 *v)
{
	void *addr;

	addr = (void *)(uintptr_t)v[0];
	reply_result(strcmp(argv[0], "mlock") == 0 ? mlock(addr, v[1]) : munlock(addr, v[1]));
}

/* mseal ADDR LEN FLAGS: the mseal(2) system call. */
void cmd_mseal(int argc, char **argv, u64 *v)
{
	reply_result((int)syscall(__NR_mseal, (unsigned long)v[0], (size_t)v[1], (unsigned long)v[2]));
}

/* prctl OPTION ARG2: prctl(OPTION, ARG2, 0, 0, 0), for OPTION PR_SET_MEMORY_MERGE only. */
void cmd_prctl(int argc, char **argv, u64 *v)
{
	if (v[0] != PR_SET_MEMORY_MERGE)
		return reply_proto();
	reply_result(prctl(PR_SET_MEMORY_MERGE, (unsigned long)v[1], 0UL, 0UL, 0UL));
}

/* The uprobe PMU's perf type from sysfs, or -1. */
int uprobe_pmu_type(void)
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
void cmd_uprobe(int argc, char **argv, u64 *v)
{
	struct perf_event_attr attr;
	char proc_path[64];
	struct agent_file *f;
	int type = uprobe_pmu_type();
	int slot = -1;
	long fd;

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
void close_uprobes(void)
{
	for (int i = 0; i < MAX_UPROBES; i++) {
		if (uprobe_fds[i] > 0)
			close(uprobe_fds[i]);
		uprobe_fds[i] = 0;
	}
}

/* mremap ADDR OLDLEN NEWLEN FLAGS NEWADDR: replies with the address the mapping now has. */
void cmd_mremap(int argc, char **argv, u64 *v)
{
	void *p;

	if (!fits_int(v[3]))
		return reply_proto();
	p = mremap((void *)(uintptr_t)v[0], v[1], v[2], (int)v[3], (void *)(uintptr_t)v[4]);
	if (p == MAP_FAILED)
		return reply_err(errno);
	fprintf(out, "ok 0x%" PRIxPTR "\n", (uintptr_t)p);
	end_reply();
}

/* What access_pages() does at each page. */
enum page_access { LOAD_BYTE, STORE_BYTE, STORE_VALUE };

/*
 * Accesses each page in [addr, end): addr itself, then each following page start. LOAD_BYTE and
 * STORE_BYTE read or write (0x5a) the byte there, STORE_VALUE writes value as its first 8 bytes
 * (addr page-aligned). Returns 0, or the signal number of the first faulting access with its
 * address in *fault.
 */
static int access_pages(enum page_access how, uintptr_t addr, uintptr_t end, u64 value, uintptr_t *fault)
{
	int sig = sigsetjmp(touch_env, 1);

	if (sig) {
		*fault = touch_cur;
		return sig;
	}
	touch_cur = addr;
	touch_armed = 1;
	while (touch_cur < end) {
		if (how == STORE_VALUE)
			*(volatile u64 *)touch_cur = value;
		else if (how == STORE_BYTE)
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

/* Replies to an access: ok, or the signal of its first faulting access and where. */
static void reply_access(int sig, uintptr_t fault)
{
	if (sig == 0)
		return reply_ok();
	fprintf(out, "sig %s 0x%" PRIxPTR "\n", sig == SIGBUS ? "SIGBUS" : "SIGSEGV", fault);
	end_reply();
}

/* touch r|w ADDR LEN: read or write (0x5a) one byte per page, reporting the first fault. */
void cmd_touch(int argc, char **argv, u64 *v)
{
	uintptr_t fault = 0;
	int sig;

	if (v[0] + v[1] < v[0] ||
	    (strcmp(argv[1], "r") != 0 && strcmp(argv[1], "w") != 0))
		return reply_proto();
	sig = access_pages(argv[1][0] == 'w' ? STORE_BYTE : LOAD_BYTE, (uintptr_t)v[0], (uintptr_t)(v[0] + v[1]), 0, &fault);
	reply_access(sig, fault);
}


/* store ADDR LEN VALUE: write VALUE as the first 8 bytes of each page, reporting the first fault. */
void cmd_store(int argc, char **argv, u64 *v)
{
	uintptr_t fault = 0;
	int sig;

	if (v[0] + v[1] < v[0] || v[0] % AGENT_PAGE_SIZE != 0)
		return reply_proto();
	sig = access_pages(STORE_VALUE, (uintptr_t)v[0], (uintptr_t)(v[0] + v[1]), v[2], &fault);
	reply_access(sig, fault);
}

/* What loading the first 8 bytes of one page gave: the value, or the signal (0: none). */
struct page_load {
	int sig;
	u64 value;
};

/* Loads the first 8 bytes of the page at addr (page-aligned), catching SIGSEGV and SIGBUS. */
static struct page_load load_page(uintptr_t addr)
{
	struct page_load r = { 0, 0 };
	int sig = sigsetjmp(touch_env, 1);

	if (sig) {
		r.sig = sig;
		return r;
	}
	touch_cur = addr;
	touch_armed = 1;
	r.value = *(volatile const u64 *)addr;
	touch_armed = 0;
	return r;
}

/* A run of pages with equal outcomes, for the reply of "values". */
struct value_run {
	u64 start, end;
	struct page_load load;
};

/*
 * values ADDR NPAGES: loads the first 8 bytes of each page from ADDR (page-aligned), every page
 * whatever the ones before it gave; replies the runs of equal outcomes.
 */
/*
 * The mappings of /proc/self/maps that a load may touch (not PROT_NONE ones), in address order:
 * starts[i], ends[i]; their count, -1 with errno.
 */
static long read_mappings(u64 **starts, u64 **ends)
{
	char *maps = read_text_file("/proc/self/maps");
	size_t n = 0, cap = 0;

	*starts = *ends = NULL;
	if (!maps)
		return -1;
	for (const char *line = maps; *line; ) {
		unsigned long long start, end;
		const char *next = strchr(line, '\n');

		char perms[5] = "";

		/* a mapping without any access faults like a hole, before any page table is touched */
		if (sscanf(line, "%llx-%llx %4s", &start, &end, perms) == 3 && strncmp(perms, "---", 3) != 0) {
			if (n == cap) {
				u64 *s2 = realloc(*starts, (cap = cap ? 2 * cap : 256) * sizeof(u64));
				u64 *e2 = s2 ? realloc(*ends, cap * sizeof(u64)) : NULL;

				if (s2)
					*starts = s2;
				if (!s2 || !e2) {
					free(maps);
					errno = ENOMEM;
					return -1;
				}
				*ends = e2;
			}
			(*starts)[n] = start;
			(*ends)[n++] = end;
		}
		if (!next)
			break;
		line = next + 1;
	}
	free(maps);
	return (long)n;
}

void cmd_values(int argc, char **argv, u64 *v)
{
	struct value_run *runs = NULL;
	size_t n = 0, cap = 0, k = 0;
	u64 *starts, *ends;
	long nmaps;

	if (v[0] % AGENT_PAGE_SIZE != 0 || v[1] > MAX_READ_BYTES / 8 ||
	    v[0] + v[1] * AGENT_PAGE_SIZE < v[0])
		return reply_proto();
	/*
	 * A load where nothing is mapped, or in a PROT_NONE mapping, raises SIGSEGV and changes
	 * nothing: such pages are reported without a load each (a signal per page of a large hole
	 * would outlast the time limit).
	 */
	nmaps = read_mappings(&starts, &ends);
	if (nmaps < 0)
		return reply_err(errno);
	for (u64 i = 0; i < v[1]; i++) {
		u64 at = v[0] + i * AGENT_PAGE_SIZE;
		struct page_load l = { SIGSEGV, 0 };
		u64 last = at;

		while (k < (size_t)nmaps && ends[k] <= at)
			k++;
		if (k < (size_t)nmaps && starts[k] <= at) {
			l = load_page((uintptr_t)at);
		} else {
			/* [at, the next mapping's start) within the range: one run, all SIGSEGV */
			u64 hole = k < (size_t)nmaps ? starts[k] : UINT64_MAX;
			u64 pages = (hole - at) / AGENT_PAGE_SIZE;

			if (pages > v[1] - i)
				pages = v[1] - i;
			last = at + (pages - 1) * AGENT_PAGE_SIZE;
			i += pages - 1;
		}
		if (n > 0 && runs[n - 1].load.sig == l.sig && (l.sig || runs[n - 1].load.value == l.value)) {
			runs[n - 1].end = last + AGENT_PAGE_SIZE;
			continue;
		}
		if (n == cap) {
			struct value_run *grown = realloc(runs, (cap = cap ? 2 * cap : 16) * sizeof(*runs));

			if (!grown) {
				free(runs);
				free(starts);
				free(ends);
				return reply_err(ENOMEM);
			}
			runs = grown;
		}
		runs[n++] = (struct value_run){ at, last + AGENT_PAGE_SIZE, l };
	}
	free(starts);
	free(ends);
	fprintf(out, "ok %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		if (runs[i].load.sig)
			fprintf(out, "0x%llx 0x%llx %s\n", runs[i].start, runs[i].end,
				runs[i].load.sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
		else
			fprintf(out, "0x%llx 0x%llx %llu\n", runs[i].start, runs[i].end,
				runs[i].load.value);
	}
	free(runs);
	end_reply();
}
