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

static void handle_line(char *line)
{
	static char **argv;	/* room for MAX_TOKENS + 1, allocated once: too big for the stack */
	int argc;

	if (!argv && !(argv = malloc((MAX_TOKENS + 1) * sizeof(*argv))))
		return reply_err(ENOMEM);
	argc = tokenize(line, argv, MAX_TOKENS);
	if (argc <= 0)
		return reply_proto();
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].handler(argc, argv);
	reply_proto();
}

/* Serves commands from in until EOF. */
void serve(FILE *in)
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

/*
 * The worker: serves the scenario's commands on stdin until EOF or quit. Forked by the
 * supervisor, which made the temp dir and holds the other end of supervisor_fd.
 */
int worker_main(void)
{
	char go;

	/* the supervisor says when we are in our memory cgroup: nothing is charged outside it */
	if (read(supervisor_fd, &go, 1) != 1)
		return 1;
	agent_pid = getpid();
	out = stdout;
	pin_to_one_cpu();
	/* grandchildren orphaned by a killed child become ours, so that reap_orphans() can wait */
	prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
	install_signal_handlers();
	serve(stdin);
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
