// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/*
 * The vector the kernel writes scan results to. The kernel checks that vec_len entries would fit
 * below the top of the address space, but never writes more entries than it returns, and that is
 * at most one per page of the range. So: back all vec_len entries if that is possible (a mapping
 * with MAP_NORESERVE costs nothing until written), otherwise back only as many as can be returned.
 */
/*
 * A struct pm_scan_arg from the nine numbers of a scan command, in its order: START END FLAGS
 * CATMASK INVMASK ANYOF RETMASK VECLEN MAXPAGES; walk_end 0, the size the kernel expects.
 */
void fill_scan_arg(struct pm_scan_arg *arg, const u64 *v, void *vec)
{
	memset(arg, 0, sizeof(*arg));
	arg->size = sizeof(*arg);
	arg->start = v[0];
	arg->end = v[1];
	arg->flags = v[2];
	arg->category_mask = v[3];
	arg->category_inverted = v[4];
	arg->category_anyof_mask = v[5];
	arg->return_mask = v[6];
	arg->vec_len = v[7];
	arg->max_pages = v[8];
	arg->vec = (uintptr_t)vec;
}

void *alloc_scan_vec(u64 vec_len, u64 start, u64 end, size_t *bytes)
{
	u64 most = vec_len;
	void *p;

	if (vec_len <= UINT64_MAX / sizeof(struct page_region)) {
		*bytes = vec_len ? vec_len * sizeof(struct page_region) : AGENT_PAGE_SIZE;
		p = mmap((void *)(uintptr_t)BACKEND_VEC, *bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED)
			return p;
	}
	if (end > start && (end - start) / AGENT_PAGE_SIZE + 1 < most)
		most = (end - start) / AGENT_PAGE_SIZE + 1;
	if (most > MAX_SCAN_REGIONS)
		most = MAX_SCAN_REGIONS;
	*bytes = (most ? most : 1) * sizeof(struct page_region);
	p = mmap((void *)(uintptr_t)BACKEND_VEC, *bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}


/*
 * scan START END FLAGS CATMASK INVMASK ANYOF RETMASK VECLEN MAXPAGES [size N] [vecnull]
 * [vecat ADDR] [pid NAME] [fd ID]: one PAGEMAP_SCAN ioctl; replies with its return value,
 * walk_end and the regions written. vecat passes ADDR as the vec; pid NAME opens the named
 * child's /proc/PID/pagemap for this one call (agent process only); fd ID makes the ioctl on file
 * ID's descriptor instead. An open that fails is reported as the ioctl's error, walk_end 0.
 */
void cmd_scan(int argc, char **argv, u64 *v)
{
	struct pm_scan_arg arg;
	struct page_region *vec = NULL;
	size_t vec_bytes = 0;
	bool vec_null = false, vec_at = false;
	u64 size = sizeof(arg), vec_addr = 0, file_id = 0;
	const char *child_name = NULL;
	bool on_file = false, arg_at = false;
	u64 arg_addr = 0, request = PAGEMAP_SCAN;
	int fd;
	long n;
	int err;

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

	fill_scan_arg(&arg, v, vec);
	arg.size = size;

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
void cmd_pagemap(int argc, char **argv, u64 *v)
{
	if (v[1] > MAX_READ_BYTES / 8)
		v[1] = MAX_READ_BYTES / 8;
	pagemap_read_reply(v[0] / AGENT_PAGE_SIZE * 8, v[1] * 8, true);
}

/* pagemap_raw OFFSET COUNT: a raw pread, short reads reported as they are. */
void cmd_pagemap_raw(int argc, char **argv, u64 *v)
{
	u64 at;
	ssize_t n;

	if (argc == 5 && strcmp(argv[3], "bufat") == 0 && parse_u64(argv[4], &at)) {
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
	if (argc != 3)
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
long smaps_filter(const char *text, u64 lo, u64 hi,
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
void cmd_smaps(int argc, char **argv, u64 *v)
{
	char *text;

	text = read_text_file("/proc/self/smaps");	/* one snapshot for count and lines */
	if (!text)
		return reply_err(errno);
	fprintf(out, "ok %ld\n", smaps_filter(text, v[0], v[1], NULL, NULL));
	smaps_filter(text, v[0], v[1], print_line, NULL);
	free(text);
	end_reply();
}

/*
 * khugepaged: khugepaged's count of collapsed ranges on this kernel (only khugepaged raises it, not
 * MADV_COLLAPSE), so that the caller can tell whether khugepaged collapsed a scenario's memory
 * behind its back; "ok -1" where the file cannot be read.
 */
void cmd_khugepaged(int argc, char **argv, u64 *v)
{
	fprintf(out, "ok %lld\n", read_sys_number("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed"));
	end_reply();
}

void cmd_clear_refs(int argc, char **argv, u64 *v)
{
	char text[32];
	int fd, len, rc;

	fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return reply_err(errno);
	len = snprintf(text, sizeof(text), "%llu\n", v[0]);
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
 * status: the memory counters of /proc/self/status, counted from the start of the scenario
 *
 * The agent's own memory (its code, libc, stack, heap, buffers) is counted in those fields too. So
 * that only the scenario's part shows, the worker steadies its own memory (steady_own_memory())
 * and takes a baseline when it starts and at every reset; status replies the differences. Steady
 * means nothing of the agent's own faults in later: every page of its own mappings is populated
 * (written where private and writable, so copy-on-write has happened), its stack is grown ahead,
 * buffers it keeps (command line, token array, reply buffer) exist already, and malloc hands out
 * blocks of 64 KiB and more as mappings of their own, which free() unmaps with their page tables.
 * Its transient mappings (scan vectors, pagemap buffers) are placed by the kernel below its lowest
 * mapping: unmapping them frees what they allocated, because the tables they share with that
 * mapping existed before.
 * ------------------------------------------------------------------------------------------- */
static const char *const status_keys[STATUS_FIELDS] = {
	"VmPTE", "RssAnon", "RssFile", "RssShmem", "VmLck", "VmSwap", "HugetlbPages",
};
static long long status_base[STATUS_FIELDS];

/* Reads the STATUS_FIELDS counters (kB) of /proc/self/status; -1 with errno (ENODATA: a field is missing). */
int read_status(long long *kb)
{
	static char text[16384];	/* static: reading it must not allocate */
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	for (int i = 0; i < STATUS_FIELDS; i++) {
		size_t len = strlen(status_keys[i]);
		const char *p = text;

		while ((p = strstr(p, status_keys[i])) && ((p != text && p[-1] != '\n') || p[len] != ':'))
			p += len;
		if (!p) {
			errno = ENODATA;
			return -1;
		}
		kb[i] = strtoll(p + len + 1, NULL, 10);
	}
	return 0;
}

/*
 * Grows the stack ahead of need, to the same depth whichever frame calls it: STACK_AHEAD below
 * the first caller's frame (worker_main()'s), so that no command's stack use faults in a page later.
 * The pages below the stack pointer are free stack: writing them harms nothing.
 */
static __attribute__((noinline)) void grow_stack(void)
{
	static uintptr_t deepest;
	volatile char here = 0;
	uintptr_t page = ((uintptr_t)&here & ~(uintptr_t)(AGENT_PAGE_SIZE - 1)) - AGENT_PAGE_SIZE;

	if (!deepest)
		deepest = page - STACK_AHEAD;
	for (; page >= deepest; page -= AGENT_PAGE_SIZE)
		*(volatile char *)page = here;
}

/*
 * Populates every page of the agent's own mappings outside [lo, hi): writable private ones with
 * MADV_POPULATE_WRITE (their copy-on-write is done), the others with MADV_POPULATE_READ. Mappings
 * without access, and the kernel's special ones that refuse population ([vvar]), are left as they
 * are; they hold no counted page.
 */
void steady_own_memory(u64 lo, u64 hi)
{
	static char maps[1 << 18];
	ssize_t n = 0, got;
	int fd;

	grow_stack();
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (n < (ssize_t)sizeof(maps) - 1 && (got = read(fd, maps + n, sizeof(maps) - 1 - n)) > 0)
		n += got;
	close(fd);
	maps[n] = '\0';
	for (char *line = maps, *next; *line; line = next) {
		unsigned long long start, end;
		char perms[5];

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (sscanf(line, "%llx-%llx %4s", &start, &end, perms) != 3)
			continue;
		if ((start < hi && end > lo) || (perms[0] != 'r' && perms[1] != 'w'))
			continue;
		madvise((void *)(uintptr_t)start, end - start,
			perms[1] == 'w' && perms[3] == 'p' ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
	}
}

/* Takes the baseline the status command counts from: after steady_own_memory(), with nothing in [lo, hi). */
void status_baseline(u64 lo, u64 hi)
{
	steady_own_memory(lo, hi);
	if (read_status(status_base) < 0)
		memset(status_base, 0, sizeof(status_base));
}

/*
 * status: "ok VMPTE RSSANON RSSFILE RSSSHMEM VMLCK VMSWAP HUGETLBPAGES", each the field of
 * /proc/self/status (kB) minus its value at the baseline. Agent process only: a child's own memory
 * differs from its parent's in ways no baseline captures (fork copies some page tables only).
 */
void cmd_status(int argc, char **argv, u64 *v)
{
	long long kb[STATUS_FIELDS];

	if (read_status(kb) < 0)
		return reply_err(errno);
	fputs("ok", out);
	for (int i = 0; i < STATUS_FIELDS; i++)
		fprintf(out, " %lld", kb[i] - status_base[i]);
	fputc('\n', out);
	end_reply();
}
