// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * fork / child: named child processes serving commands over a pipe pair
 * ------------------------------------------------------------------------------------------- */


struct agent_child *find_child(const char *name)
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
	uffd_release(true);
	if (supervisor_fd >= 0)
		close(supervisor_fd);	/* resources are the worker's to ask for, not a child's */
	supervisor_fd = -1;

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
	serve(in, NULL, 0);
	_exit(0);
}

/* fork NAME: fork a child process that serves commands sent with "child NAME ...". */
void cmd_fork(int argc, char **argv, u64 *v)
{
	struct agent_child *c = NULL;
	int cmd[2], rep[2];
	pid_t pid, parent = getpid();

	if (strlen(argv[1]) >= MAX_CHILD_NAME)
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
 * Only "ok" replies of scan, pagemap, pagemap_raw, smaps and values have a body.
 */
static u64 body_lines(const char *cmd, const char *status)
{
	u64 n;
	char *end;

	if (strncmp(status, "ok ", 3) != 0)
		return 0;
	n = strtoull(status + 3, &end, 10);
	if (strcmp(cmd, "scan") == 0 || strcmp(cmd, "pagemap") == 0 || strcmp(cmd, "smaps") == 0 ||
	    strcmp(cmd, "values") == 0)
		return n;
	if (strcmp(cmd, "pagemap_raw") == 0)
		return (n + 7) / 8;
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
void cmd_child(int argc, char **argv, u64 *v)
{
	struct agent_child *c;
	char *cmd = NULL, *line = NULL;
	size_t cmd_len = 0, cap = 0;
	bool is_probe;
	u64 body;
	int inner = 2;	/* the command the innermost child runs: past "child NAME" pairs */

	if (argc < 3)
		return reply_proto();	/* child NAME COMMAND... */
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

	is_probe = strcmp(argv[inner], "probe") == 0 && strncmp(line, "err ", 4) != 0;	/* a refused probe has no body */
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
void cmd_exit(int argc, char **argv, u64 *v)
{
	reply_ok();
	fflush(out);
	_exit(0);
}

/*
 * reset LO HI: make the agent ready for the next scenario, as if freshly started: kill and reap
 * every child, close the uffd, close and unlink every file, munmap [LO, HI) and re-arm the
 * time limit (the supervisor's). Agent process only.
 */
void cmd_reset(int argc, char **argv, u64 *v)
{
	if (v[1] < v[0])
		return reply_proto();
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid > 0)
			drop_child(&children[i]);
	reap_orphans();
	uffd_release(false);
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
	{
		char answer[64];

		if (supervisor_request("rearm", answer, sizeof(answer)) < 0)
			return reply_err(errno);
	}
	status_baseline(v[0], v[1]);
	reply_ok();
}

/* quit: clean up and exit 0 (no reply). */
void cmd_quit(int argc, char **argv, u64 *v)
{
	cleanup();
	exit(0);
}

