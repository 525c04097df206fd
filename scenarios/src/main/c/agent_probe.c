// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

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
 * The swap feature: the supervisor can set up a swap file and turn it on (root, a file system
 * that takes one), or the MMSIM_SWAP_DEVICE block device (a VM's disk); it turns it off again.
 */
static struct feature probe_swap_setup(void)
{
	char answer[90];	/* a reason fits a feature's why */

	if (supervisor_request("swap_probe", answer, sizeof(answer)) < 0)
		return feature_no("no supervisor (%s)", errno_name(errno));
	if (strcmp(answer, "ok") == 0)
		return feature_yes();
	return feature_no("%s", strncmp(answer, "no ", 3) == 0 ? answer + 3 : answer);
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

/*
 * Whether status reports exact counters: PAGES freshly written anonymous pages (and mlock()ed, for
 * VmLck) must show in RssAnon, VmLck and VmPTE by exactly as much, and be gone again after
 * munmap. Kernels before 6.16 report RssAnon from per-CPU (6.2 .. 6.15) or per-task (before 6.2)
 * caches that reach the total only every few dozen pages, so a few pages do not show.
 */
static const char *status_exact(u64 pages)
{
	long long before[STATUS_FIELDS], during[STATUS_FIELDS], after[STATUS_FIELDS];
	u64 len = pages * AGENT_PAGE_SIZE;
	char *p;

	if (read_status(before) < 0)
		return errno == ENODATA ? "a field is missing from /proc/self/status" : "/proc/self/status unreadable";
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return "probe mmap fails";
	for (u64 i = 0; i < pages; i++)
		p[i * AGENT_PAGE_SIZE] = 1;
	mlock(p, len);
	if (read_status(during) < 0) {
		munmap(p, len);
		return "/proc/self/status unreadable";
	}
	munmap(p, len);
	if (read_status(after) < 0)
		return "/proc/self/status unreadable";
	if (during[1] - before[1] != (long long)(len >> 10) || after[1] != before[1])
		return "rssanon misses freshly written pages (per-cpu or per-task counter caches)";
	if (during[4] - before[4] != (long long)(len >> 10) || after[4] != before[4])
		return "vmlck does not follow mlock";
	return NULL;
}

static struct feature probe_status(void)
{
	const char *why;

	steady_own_memory(0, 0);
	if ((why = status_exact(3)) || (why = status_exact(5)))
		return feature_no("%s", why);
	return feature_yes();
}

/* probe: "key value" lines describing the host, then "end". */
void cmd_probe(int argc, char **argv, u64 *v)
{
	struct feature scan, guard, maybe_guard, soft_dirty;
	const char *thp = thp_mode();
	bool swap = have_swap(), hugetlb = have_hugetlb();
	struct utsname uts;

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
	print_feature("status", in_child ? feature_no("%s", "status is read in the agent process only") : probe_status());
	fputs("end\n", out);
	end_reply();
}

