// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * The worker's state (agent.h says what each is)
 * ------------------------------------------------------------------------------------------- */
FILE *out;
pid_t agent_pid;
bool in_child;

char tmp_dir[MAX_PATH];
volatile sig_atomic_t tmp_dir_made;
struct agent_file files[MAX_FILES];
struct agent_child children[MAX_CHILDREN];
int uprobe_fds[MAX_UPROBES];

int pagemap_fd = -1;
int uffd = -1;

sigjmp_buf touch_env;
volatile sig_atomic_t touch_armed;
volatile uintptr_t touch_cur;

/* ---------------------------------------------------------------------------------------------
 * Command loop
 * ------------------------------------------------------------------------------------------- */

/*
 * The command table: each command's argument spec, checked here once for all of them. ARGS is the
 * number of arguments after the name (VARIADIC: at least NUMBERS; the handler checks the rest);
 * the NUMBERS arguments from FROM on (1: the first) must parse as numbers (decimal or 0x hex) and
 * reach the handler in v[]; WHERE says which process may run it. A command that does not match its
 * spec gets "err EPROTO" without reaching its handler, which checks only what is its own (value
 * ranges, what fits a C int).
 */
#define VARIADIC	-1
#define MAX_NUMBERS	11

enum where {
	ANYWHERE,
	WORKER_ONLY,	/* the agent process, not a forked child ("Agent process only" in PROTOCOL.md) */
	CHILD_ONLY,
};

struct command {
	const char *name;
	void (*handler)(int argc, char **argv, u64 *v);
	int args;
	int numbers;
	int from;
	enum where where;
};

static const struct command commands[] = {
	/* name                handler               args  numbers from where */
	{ "probe",             cmd_probe,             0,       0, 1, ANYWHERE },
	{ "file",              cmd_file,              2,       2, 1, WORKER_ONLY },
	{ "memfd",             cmd_memfd,             2,       2, 1, WORKER_ONLY },
	{ "swap_on",           cmd_swap_on,           1,       1, 1, WORKER_ONLY },
	{ "swap_off",          cmd_swap_off,          0,       0, 1, WORKER_ONLY },
	{ "hugetlb_on",        cmd_hugetlb_on,        3,       3, 1, WORKER_ONLY },
	{ "truncate",          cmd_truncate,          2,       2, 1, ANYWHERE },
	{ "seal",              cmd_seal,              2,       2, 1, ANYWHERE },
	{ "reopen",            cmd_reopen,            2,       2, 1, WORKER_ONLY },
	{ "mmap",              cmd_mmap,              6,       0, 1, ANYWHERE },	/* FILEID may be -1 */
	{ "munmap",            cmd_munmap,            2,       2, 1, ANYWHERE },
	{ "mprotect",          cmd_mprotect,          3,       3, 1, ANYWHERE },
	{ "madvise",           cmd_madvise,           3,       3, 1, ANYWHERE },
	{ "process_madvise",   cmd_process_madvise,   VARIADIC, 2, 1, ANYWHERE },
	{ "mlock",             cmd_mlock,             2,       2, 1, ANYWHERE },
	{ "munlock",           cmd_mlock,             2,       2, 1, ANYWHERE },
	{ "mseal",             cmd_mseal,             3,       3, 1, ANYWHERE },
	{ "prctl",             cmd_prctl,             2,       2, 1, ANYWHERE },
	{ "uprobe",            cmd_uprobe,            2,       2, 1, ANYWHERE },
	{ "mremap",            cmd_mremap,            5,       5, 1, ANYWHERE },
	{ "touch",             cmd_touch,             3,       2, 2, ANYWHERE },	/* r|w ADDR LEN */
	{ "scan",              cmd_scan,              VARIADIC, 9, 1, ANYWHERE },
	{ "pagemap",           cmd_pagemap,           2,       2, 1, ANYWHERE },
	{ "pagemap_raw",       cmd_pagemap_raw,       VARIADIC, 2, 1, ANYWHERE },
	{ "smaps",             cmd_smaps,             2,       2, 1, ANYWHERE },
	{ "fork",              cmd_fork,              1,       0, 1, ANYWHERE },
	{ "child",             cmd_child,             VARIADIC, 0, 1, ANYWHERE },
	{ "exit",              cmd_exit,              0,       0, 1, CHILD_ONLY },
	{ "uffd_register",     cmd_uffd_register,     4,       4, 1, ANYWHERE },
	{ "uffd_wp",           cmd_uffd_wp,           3,       3, 1, ANYWHERE },
	{ "uffd_unregister",   cmd_uffd_unregister,   2,       2, 1, ANYWHERE },
	{ "uffd_close",        cmd_uffd_close,        0,       0, 1, ANYWHERE },
	{ "uffd_fill",         cmd_uffd_fill,         4,       4, 1, ANYWHERE },
	{ "clear_refs",        cmd_clear_refs,        1,       1, 1, ANYWHERE },
	{ "status",            cmd_status,            0,       0, 1, WORKER_ONLY },
	{ "khugepaged",        cmd_khugepaged,        0,       0, 1, ANYWHERE },
	{ "reset",             cmd_reset,             2,       2, 1, WORKER_ONLY },
	{ "populate",          cmd_populate,          3,       3, 1, ANYWHERE },
	{ "time_scan",         cmd_time_scan,        11,      11, 1, ANYWHERE },
	{ "time_ops",          cmd_time_ops,          6,       6, 1, ANYWHERE },
	{ "quit",              cmd_quit,              0,       0, 1, WORKER_ONLY },
	{ "store",             cmd_store,             3,       3, 1, ANYWHERE },	/* ADDR LEN VALUE */
	{ "values",            cmd_values,            2,       2, 1, ANYWHERE },	/* ADDR NPAGES */
};

/* Whether argv (argc tokens, the name first) matches the spec; parses its numbers into v. */
static bool matches(const struct command *c, int argc, char **argv, u64 *v)
{
	int args = argc - 1;

	if (c->args == VARIADIC ? args < c->numbers + c->from - 1 : args != c->args)
		return false;
	if ((c->where == WORKER_ONLY && in_child) || (c->where == CHILD_ONLY && !in_child))
		return false;
	return parse_all(argv + c->from, c->numbers, v);
}

/* Splits line in place on blanks; returns the token count, or -1 if there are too many. */
static int tokenize(char *line, char **argv, int max)
{
	int argc = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (argc == max)
			return -1;
		argv[argc++] = tok;
	}
	return argc;
}

static char **argv_buf;	/* room for MAX_TOKENS + 1, allocated once: too big for the stack */

static void handle_line(char *line)
{
	char **argv = argv_buf;
	int argc;

	if (!argv && !(argv = argv_buf = malloc((MAX_TOKENS + 1) * sizeof(*argv))))
		return reply_err(ENOMEM);
	argc = tokenize(line, argv, MAX_TOKENS);
	if (argc <= 0)
		return reply_proto();
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		u64 v[MAX_NUMBERS];

		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		if (!matches(&commands[i], argc, argv, v))
			return reply_proto();
		return commands[i].handler(argc, argv, v);
	}
	reply_proto();
}

/* Serves commands from in until EOF (line: a buffer of cap bytes from malloc, or NULL and 0). */
void serve(FILE *in, char *line, size_t cap)
{

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

/*
 * The worker: serves the scenario's commands on stdin until EOF or quit. Forked by the
 * supervisor, which made the temp dir and holds the other end of supervisor_fd.
 */
int worker_main(void)
{
	char go, *line;

	/* the supervisor says when we are in our memory cgroup: nothing is charged outside it */
	if (read(supervisor_fd, &go, 1) != 1)
		return 1;
	agent_pid = getpid();
	out = stdout;
	pin_to_one_cpu();
	/*
	 * The worker's own memory stays as it is from here on (see status_baseline()): its buffers are
	 * allocated now; malloc maps blocks of 64 KiB and more on their own (without the dynamic
	 * threshold, which would move freed blocks' sizes onto the heap for good), and the heap starts
	 * with 1 MiB to spare and is never trimmed, so that small blocks never fault in a new page.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 10);
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	free(malloc(16));
	static char reply_buf[1 << 16];
	setvbuf(stdout, reply_buf, _IOFBF, sizeof(reply_buf));
	line = malloc(MAX_LINE);
	argv_buf = malloc((MAX_TOKENS + 1) * sizeof(*argv_buf));
	if (!line || !argv_buf)
		return 1;
	status_baseline(0, 0);
	/* grandchildren orphaned by a killed child become ours, so that reap_orphans() can wait */
	prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
	install_signal_handlers();
	serve(stdin, line, MAX_LINE);
	cleanup();
	return 0;
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
	return supervise(timeout);
}
